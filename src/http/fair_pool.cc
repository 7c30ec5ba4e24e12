#include "http/fair_pool.h"

#include <iostream>

namespace gmg::http {

FairPool::FairPool(int threads, int max_per_key) : max_per_key_(max_per_key) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

FairPool::~FairPool() { Join(); }

bool FairPool::Submit(const std::string& key, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (joining_ && threads_.empty()) return false;  // the threads are draining: no new work
    Queue& q = queues_[key];
    if (q.pending >= max_per_key_) return false;
    ++q.pending;
    if (q.tasks.empty()) turn_.push_back(key);
    q.tasks.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void FairPool::Work() {
  for (;;) {
    std::function<void()> task;
    std::string key;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return joining_ || !turn_.empty(); });
      if (turn_.empty()) return;  // joining, and nothing left
      key = std::move(turn_.front());
      turn_.pop_front();
      Queue& q = queues_[key];
      task = std::move(q.tasks.front());
      q.tasks.pop_front();
      if (!q.tasks.empty()) turn_.push_back(key);  // its next task waits for the others' turn
    }
    try {
      task();
    } catch (const std::exception& e) {
      std::cerr << "error: background task failed: " << e.what() << std::endl;
    }
    std::lock_guard lock(mu_);
    Queue& q = queues_[key];
    if (--q.pending == 0) queues_.erase(key);
  }
}

void FairPool::Join() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    joining_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

int FairPool::PendingForTesting(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = queues_.find(key);
  return it == queues_.end() ? 0 : it->second.pending;
}

}  // namespace gmg::http
