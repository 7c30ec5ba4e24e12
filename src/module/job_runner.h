// JobRunner: runs the modules' background jobs (module.h BackgroundJob: the position rounds'
// scheduler, the e-mail outbox, digests, overdue actions, …) while the server serves.
//
// Each job has its own thread: it runs once at Start(), then again `every` after its previous
// run ended (at least JobRunnerOptions::min_period apart), so a slow job delays only itself.
// A run that returns an error, or throws, is logged as "<name>: <message>" when the message
// differs from that job's previous one (a job failing the same way every 5 s is logged once,
// again after it recovered and failed anew); the job runs again on time and the others are not
// affected. Stop() wakes the sleeping jobs at once, requests stop of the runs in progress
// (BackgroundJob::run's stop token), waits for them to end (a run is never interrupted: a job
// bounds its own run, e.g. the outbox stops at the first unreachable server, and hands over no
// further message once stop is requested) and joins the threads.
//
// Time comes from a JobClock: the steady clock in production, a manual one in tests (no timed
// test: a test advances the clock and waits for the jobs to go back to sleep).
// Thread-safety: Start() and Stop() from the owner's thread; the jobs' functions are called on
// their own threads, each from one thread only.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "module/module.h"

namespace gmg {

// Where the jobs' threads read the time and sleep.
class JobClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~JobClock() = default;
  virtual TimePoint Now() = 0;
  // Blocks until Now() ≥ `deadline` or a stop is requested on `stop`, whichever comes first
  // (a stop wakes it at once). Returns false when woken by the stop.
  virtual bool SleepUntil(TimePoint deadline, const std::stop_token& stop) = 0;
};

// The steady clock; one instance serves every runner.
JobClock& SteadyJobClock();

struct JobRunnerOptions {
  JobClock* clock = nullptr;  // nullptr = SteadyJobClock()
  // Receives "<job name>: <message>" for each failure worth reporting, one call at a time;
  // nullptr = standard error as "gmg: <job name>: <message>".
  std::function<void(std::string_view)> log;
  // Shortest time between two runs of one job, whatever its `every` says.
  std::chrono::seconds min_period{1};
};

class JobRunner {
 public:
  explicit JobRunner(std::vector<BackgroundJob> jobs, JobRunnerOptions options = {});
  ~JobRunner();  // Stop()s
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Starts one thread per job (each runs its job at once). Once; later calls do nothing.
  void Start();
  // Wakes the sleeping jobs, waits for the runs in progress, joins. Idempotent.
  void Stop();

 private:
  void Loop(const BackgroundJob& job, const std::stop_token& stop);
  void Report(const BackgroundJob& job, std::string* last, std::string message);

  std::vector<BackgroundJob> jobs_;
  JobRunnerOptions options_;
  std::mutex log_mu_;  // one report at a time
  std::vector<std::jthread> threads_;
  bool started_ = false;
};

}  // namespace gmg
