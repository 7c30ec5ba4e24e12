// Metrics: request counts by route, method and status, and a latency histogram by route, in
// Prometheus text format. Lock-free on the request path (atomics per route).
// Thread-safety: Record() from any thread; Render() from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace gmg::http {

class Metrics {
 public:
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   2.5};
  static constexpr std::array<int, 17> kStatuses = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                                                    409, 412, 413, 415, 422, 429, 500, 503};

  // Registers a route label; returns its index. Call before serving.
  size_t AddRoute(std::string method, std::string label);
  void Record(size_t route, int status, double seconds);
  std::string Render() const;

 private:
  struct PerRoute {
    std::string method;
    std::string label;
    std::array<std::atomic<uint64_t>, kStatuses.size() + 1> by_status{};  // last: other
    std::array<std::atomic<uint64_t>, kBuckets.size()> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micros{0};
  };
  std::deque<PerRoute> routes_;  // deque: stable addresses, atomics not movable
};

}  // namespace gmg::http
