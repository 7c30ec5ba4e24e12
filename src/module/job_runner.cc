#include "module/job_runner.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <iostream>
#include <utility>

namespace gmg {
namespace {

class SteadyClock final : public JobClock {
 public:
  TimePoint Now() override { return std::chrono::steady_clock::now(); }
  bool SleepUntil(TimePoint deadline, const std::stop_token& stop) override {
    // A condition variable nobody notifies but the stop token's callback: wait_until returns
    // at the deadline, or at once when a stop is requested.
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_until(lock, stop, deadline, [] { return false; });
    return !stop.stop_requested();
  }
};

// One run of `job`: "" when it succeeded, else what to report.
std::string RunOnce(const BackgroundJob& job, const std::stop_token& stop) {
  try {
    Status s = job.run(stop);
    return s.ok() ? std::string() : s.error().message;
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  } catch (...) {
    return "exception of an unknown type";
  }
}

}  // namespace

JobClock& SteadyJobClock() {
  static SteadyClock clock;
  return clock;
}

JobRunner::JobRunner(std::vector<BackgroundJob> jobs, JobRunnerOptions options)
    : jobs_(std::move(jobs)), options_(std::move(options)) {
  if (options_.clock == nullptr) options_.clock = &SteadyJobClock();
  if (!options_.log) {
    options_.log = [](std::string_view line) { std::cerr << "gmg: " << line << std::endl; };
  }
}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Start() {
  if (started_) return;
  started_ = true;
  threads_.reserve(jobs_.size());
  for (const BackgroundJob& job : jobs_) {
    threads_.emplace_back([this, &job](const std::stop_token& stop) { Loop(job, stop); });
  }
}

void JobRunner::Stop() {
  for (std::jthread& t : threads_) t.request_stop();
  for (std::jthread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void JobRunner::Loop(const BackgroundJob& job, const std::stop_token& stop) {
  const std::chrono::seconds period = std::max(job.every, options_.min_period);
  std::string last_error;
  while (!stop.stop_requested()) {
    Report(job, &last_error, RunOnce(job, stop));
    if (!options_.clock->SleepUntil(options_.clock->Now() + period, stop)) return;
  }
}

void JobRunner::Report(const BackgroundJob& job, std::string* last, std::string message) {
  if (!message.empty() && message != *last) {
    std::lock_guard lock(log_mu_);
    options_.log(job.name + ": " + message);
  }
  *last = std::move(message);
}

}  // namespace gmg
