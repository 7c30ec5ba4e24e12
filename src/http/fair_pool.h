// FairPool: the server's background threads (imports, Excel files, producing downloads),
// shared fairly between clients.
//
// Tasks are queued per key (the client's address) and the threads take one task from each key
// in turn, so one address that sends many slow requests delays others by at most one task per
// round instead of by its whole queue. A key may hold at most `max_per_key` tasks queued or
// running; Submit() refuses more (the server answers 429), so one address cannot fill the queue.
// Thread-safety: Submit() from any thread; Join() once, from the owner.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace gmg::http {

class FairPool {
 public:
  FairPool(int threads, int max_per_key);
  ~FairPool();  // Join()s
  FairPool(const FairPool&) = delete;
  FairPool& operator=(const FairPool&) = delete;

  // Queues `task` under `key`. False (and the task is dropped) when the key already has
  // max_per_key tasks queued or running, or the pool is joining.
  bool Submit(const std::string& key, std::function<void()> task);
  // Runs what is queued, then stops the threads. Tasks may Submit() until then.
  void Join();

  // Tasks of `key` queued or running now.
  int PendingForTesting(const std::string& key);

 private:
  struct Queue {
    std::deque<std::function<void()>> tasks;
    int pending = 0;  // queued + running
  };
  void Work();

  const int max_per_key_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Queue> queues_;
  std::deque<std::string> turn_;  // keys with queued tasks, in the order they are served
  bool joining_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gmg::http
