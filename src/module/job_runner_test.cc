#include "module/job_runner.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>

namespace gmg {
namespace {

using std::chrono::seconds;

// A clock that moves only when the test says so. Sleepers wait on a condition variable (with
// the stop token, as the steady clock does); the test waits until a number of sleeps have
// begun, which tells it that the jobs it expects have run and gone back to sleep.
class ManualClock final : public JobClock {
 public:
  TimePoint Now() override {
    std::lock_guard lock(mu_);
    return now_;
  }
  bool SleepUntil(TimePoint deadline, const std::stop_token& stop) override {
    std::unique_lock lock(mu_);
    ++sleeps_;
    cv_.notify_all();
    return cv_.wait(lock, stop, [&] { return now_ >= deadline; });
  }
  void Advance(seconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
    cv_.notify_all();
  }
  // Blocks until `n` sleeps have begun since the clock was made.
  void AwaitSleeps(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return sleeps_ >= n; });
  }
  int Sleeps() {
    std::lock_guard lock(mu_);
    return sleeps_;
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  TimePoint now_{};
  int sleeps_ = 0;
};

// Counts runs per job and collects the log.
class Recorder {
 public:
  BackgroundJob Job(const std::string& name, seconds every, std::function<Status()> body = {}) {
    return {name, every, [this, name, body = std::move(body)](const std::stop_token&) -> Status {
              {
                std::lock_guard lock(mu_);
                ++runs_[name];
              }
              return body ? body() : Ok();
            }};
  }
  int Runs(const std::string& name) {
    std::lock_guard lock(mu_);
    return runs_[name];
  }
  std::function<void(std::string_view)> Log() {
    return [this](std::string_view line) {
      std::lock_guard lock(mu_);
      log_.emplace_back(line);
    };
  }
  std::vector<std::string> Logged() {
    std::lock_guard lock(mu_);
    return log_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> runs_;
  std::vector<std::string> log_;
};

TEST(JobRunnerTest, EachJobRunsAtStartThenAtItsOwnPeriod) {
  ManualClock clock;
  Recorder r;
  JobRunner runner({r.Job("rounds", seconds(5)), r.Job("digest", seconds(60))},
                   {.clock = &clock, .log = r.Log()});
  runner.Start();
  clock.AwaitSleeps(2);
  EXPECT_EQ(r.Runs("rounds"), 1);
  EXPECT_EQ(r.Runs("digest"), 1);

  clock.Advance(seconds(4));
  clock.Advance(seconds(1));  // 5 s: the rounds again, not the digest
  clock.AwaitSleeps(3);
  EXPECT_EQ(r.Runs("rounds"), 2);
  EXPECT_EQ(r.Runs("digest"), 1);

  for (int i = 0; i < 11; ++i) {
    clock.Advance(seconds(5));
    clock.AwaitSleeps(4 + i);
  }
  clock.AwaitSleeps(15);  // 60 s: eleven more rounds and the digest's second run
  EXPECT_EQ(r.Runs("rounds"), 13);
  EXPECT_EQ(r.Runs("digest"), 2);
  runner.Stop();
  EXPECT_TRUE(r.Logged().empty());
}

TEST(JobRunnerTest, APeriodBelowTheMinimumIsRaisedToIt) {
  ManualClock clock;
  Recorder r;
  JobRunner runner({r.Job("busy", seconds(0))}, {.clock = &clock, .log = r.Log()});
  runner.Start();
  clock.AwaitSleeps(1);
  EXPECT_EQ(r.Runs("busy"), 1);  // asleep, not spinning
  clock.Advance(seconds(1));
  clock.AwaitSleeps(2);
  EXPECT_EQ(r.Runs("busy"), 2);
}

TEST(JobRunnerTest, AThrowingJobIsLoggedAndStopsNeitherItselfNorTheOthers) {
  ManualClock clock;
  Recorder r;
  JobRunner runner(
      {r.Job("broken", seconds(5), []() -> Status { throw std::runtime_error("disk on fire"); }),
       r.Job("outbox", seconds(5))},
      {.clock = &clock, .log = r.Log()});
  runner.Start();
  clock.AwaitSleeps(2);
  clock.Advance(seconds(5));
  clock.AwaitSleeps(4);
  EXPECT_EQ(r.Runs("broken"), 2);  // ran again on time
  EXPECT_EQ(r.Runs("outbox"), 2);
  // The same failure twice is logged once.
  EXPECT_EQ(r.Logged(), std::vector<std::string>{"broken: exception: disk on fire"});
}

TEST(JobRunnerTest, AnErrorIsLoggedWhenItChanges) {
  ManualClock clock;
  Recorder r;
  std::vector<std::string> answers = {"SMTP: connection refused", "SMTP: connection refused", "",
                                      "SMTP: connection refused", "SMTP: timed out"};
  size_t at = 0;
  JobRunner runner({r.Job("outbox", seconds(5),
                          [&]() -> Status {
                            const std::string& a = answers[std::min(at++, answers.size() - 1)];
                            if (a.empty()) return Ok();
                            return MakeError(ErrorCode::kUnavailable, a);
                          })},
                   {.clock = &clock, .log = r.Log()});
  runner.Start();
  for (int i = 1; i < 5; ++i) {
    clock.AwaitSleeps(i);
    clock.Advance(seconds(5));
  }
  clock.AwaitSleeps(5);
  runner.Stop();
  EXPECT_EQ(r.Logged(), (std::vector<std::string>{"outbox: SMTP: connection refused",
                                                  "outbox: SMTP: connection refused",
                                                  "outbox: SMTP: timed out"}));
}

TEST(JobRunnerTest, ASlowJobDelaysOnlyItself) {
  ManualClock clock;
  Recorder r;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  bool entered = false;
  JobRunner runner({r.Job("slow", seconds(5),
                          [&]() -> Status {
                            std::unique_lock lock(mu);
                            entered = true;
                            cv.notify_all();
                            cv.wait(lock, [&] { return release; });
                            return Ok();
                          }),
                    r.Job("fast", seconds(5))},
                   {.clock = &clock, .log = r.Log()});
  runner.Start();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return entered; });
  }
  clock.AwaitSleeps(1);  // the fast one; the slow one is still in its first run
  for (int i = 0; i < 3; ++i) {
    clock.Advance(seconds(5));
    clock.AwaitSleeps(2 + i);
  }
  EXPECT_EQ(r.Runs("fast"), 4);
  EXPECT_EQ(r.Runs("slow"), 1);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  clock.AwaitSleeps(5);
  EXPECT_EQ(r.Runs("slow"), 1);  // finished its run, now asleep until its own period
  runner.Stop();
}

TEST(JobRunnerTest, StopIsRequestedOfARunInProgress) {
  // A run that waits for its stop token: Stop() must request it, or it would never return.
  std::mutex mu;
  std::condition_variable_any cv;
  bool entered = false;
  bool saw_stop = false;
  JobRunner runner({{"batch", seconds(5), [&](const std::stop_token& stop) -> Status {
                       std::unique_lock lock(mu);
                       entered = true;
                       cv.notify_all();
                       cv.wait(lock, stop, [] { return false; });
                       saw_stop = stop.stop_requested();
                       return Ok();
                     }}});
  runner.Start();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return entered; });
  }
  runner.Stop();
  EXPECT_TRUE(saw_stop);
}

TEST(JobRunnerTest, StopWakesSleepingJobsAtOnceOnTheSteadyClock) {
  // Jobs due in an hour: Stop() returns without waiting for them (a test that hung here would
  // hit ctest's timeout, not pass slowly).
  Recorder r;
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  auto count = [&]() -> Status {
    std::lock_guard lock(mu);
    ++started;
    cv.notify_all();
    return Ok();
  };
  JobRunner runner({r.Job("a", seconds(3600), count), r.Job("b", seconds(3600), count)},
                   {.log = r.Log()});
  runner.Start();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return started == 2; });
  }
  runner.Stop();
  runner.Stop();  // idempotent
  EXPECT_EQ(r.Runs("a"), 1);
  EXPECT_EQ(r.Runs("b"), 1);
}

TEST(JobRunnerTest, NothingRunsAfterStop) {
  ManualClock clock;
  Recorder r;
  JobRunner runner({r.Job("x", seconds(5))}, {.clock = &clock, .log = r.Log()});
  runner.Start();
  clock.AwaitSleeps(1);
  runner.Stop();
  clock.Advance(seconds(3600));
  EXPECT_EQ(r.Runs("x"), 1);
  EXPECT_EQ(clock.Sleeps(), 1);
}

TEST(JobRunnerTest, NoJobsAndNoStart) {
  JobRunner empty({});
  empty.Start();
  empty.Stop();
  Recorder r;
  JobRunner never({r.Job("x", seconds(5))});  // destroyed without Start
  EXPECT_EQ(r.Runs("x"), 0);
}

}  // namespace
}  // namespace gmg
