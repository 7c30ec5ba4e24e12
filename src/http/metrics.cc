#include "http/metrics.h"

#include <fmt/format.h>

namespace gmg::http {

size_t Metrics::AddRoute(std::string method, std::string label) {
  routes_.emplace_back();
  routes_.back().method = std::move(method);
  routes_.back().label = std::move(label);
  return routes_.size() - 1;
}

void Metrics::Record(size_t route, int status, double seconds) {
  PerRoute& r = routes_[route];
  size_t s = kStatuses.size();
  for (size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) {
      s = i;
      break;
    }
  }
  r.by_status[s].fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      r.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.sum_micros.fetch_add(static_cast<uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP gmg_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE gmg_http_requests_total counter\n";
  for (const PerRoute& r : routes_) {
    for (size_t i = 0; i <= kStatuses.size(); ++i) {
      uint64_t n = r.by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string status = i < kStatuses.size() ? std::to_string(kStatuses[i]) : "other";
      out += fmt::format("gmg_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         r.label, r.method, status, n);
    }
  }
  out += "# HELP gmg_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE gmg_http_request_duration_seconds histogram\n";
  for (const PerRoute& r : routes_) {
    uint64_t count = r.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += r.buckets[i].load(std::memory_order_relaxed);
      out += fmt::format(
          "gmg_http_request_duration_seconds_bucket{{route=\"{}\",method=\"{}\",le=\"{}\"}} {}\n",
          r.label, r.method, kBuckets[i], cumulative);
    }
    out += fmt::format(
        "gmg_http_request_duration_seconds_bucket{{route=\"{}\",method=\"{}\",le=\"+Inf\"}} {}\n",
        r.label, r.method, count);
    out += fmt::format("gmg_http_request_duration_seconds_sum{{route=\"{}\",method=\"{}\"}} {}\n",
                       r.label, r.method,
                       static_cast<double>(r.sum_micros.load(std::memory_order_relaxed)) / 1e6);
    out += fmt::format("gmg_http_request_duration_seconds_count{{route=\"{}\",method=\"{}\"}} {}\n",
                       r.label, r.method, count);
  }
  return out;
}

}  // namespace gmg::http
