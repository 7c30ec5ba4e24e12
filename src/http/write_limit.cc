#include "http/write_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <vector>

namespace gmg::http {
namespace {

constexpr int64_t kUnit = 60'000;  // credit of one token: a minute in milliseconds
constexpr int64_t kSweepIntervalMs = 60'000;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

WriteLimiter::WriteLimiter(WriteLimitOptions options, std::function<int64_t()> now_ms)
    : options_(options), now_ms_(now_ms ? std::move(now_ms) : SteadyMs) {
  options_.per_minute = std::clamp<int64_t>(options_.per_minute, 0, kMaxWritesPerMinute);
  options_.burst = std::clamp<int64_t>(options_.burst, 0, kMaxWriteBurst);
  options_.max_keys = std::max<size_t>(options_.max_keys, 1);
  capacity_ = options_.burst * kUnit;  // ≤ 6·10^10: no overflow
  last_sweep_ms_ = now_ms_();
}

bool WriteLimiter::Refill(Bucket& b, int64_t now) const {
  // The clock is monotonic, but a bucket is never credited for time going backwards; and the
  // elapsed time is bounded by a full refill before it is multiplied.
  int64_t elapsed = std::max<int64_t>(0, now - b.updated_ms);
  int64_t to_full = (capacity_ - b.credit + options_.per_minute - 1) / options_.per_minute;
  if (elapsed >= to_full) {
    b.credit = capacity_;
  } else {
    b.credit += elapsed * options_.per_minute;
  }
  b.updated_ms = std::max(b.updated_ms, now);
  return b.credit >= capacity_;
}

void WriteLimiter::Sweep(int64_t now) {
  last_sweep_ms_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = Refill(it->second, now) ? buckets_.erase(it) : std::next(it);
  }
}

void WriteLimiter::EvictOldest() {
  // Drops the eighth of the buckets that were written to longest ago: one pass for many
  // insertions, not one per insertion.
  std::vector<int64_t> times;
  times.reserve(buckets_.size());
  for (const auto& [key, b] : buckets_) times.push_back(b.updated_ms);
  size_t drop = std::max<size_t>(1, times.size() / 8);
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(drop - 1),
                   times.end());
  int64_t cutoff = times[drop - 1];
  size_t dropped = 0;
  for (auto it = buckets_.begin(); it != buckets_.end() && dropped < drop;) {
    if (it->second.updated_ms <= cutoff) {
      it = buckets_.erase(it);
      ++dropped;
    } else {
      ++it;
    }
  }
}

Status WriteLimiter::Take(std::string_view key) {
  if (!enabled()) return Ok();
  int64_t now = now_ms_();
  std::lock_guard lock(mu_);
  if (now - last_sweep_ms_ >= kSweepIntervalMs) Sweep(now);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_keys) {
      Sweep(now);
      if (buckets_.size() >= options_.max_keys) EvictOldest();
    }
    it = buckets_.emplace(std::string(key), Bucket{capacity_, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.credit >= kUnit) {
    b.credit -= kUnit;
    return Ok();
  }
  int64_t wait_ms = (kUnit - b.credit + options_.per_minute - 1) / options_.per_minute;
  int64_t wait_s = std::max<int64_t>(1, (wait_ms + 999) / 1000);
  std::string message = "too many changes: at most " + std::to_string(options_.per_minute) +
                        " a minute (" + std::to_string(options_.burst) +
                        " at once); try again in " + std::to_string(wait_s) + " s";
  Error e = MakeError(ErrorCode::kResourceExhausted, message);
  e.details.emplace_back("", std::move(message), "too_many_writes",
                         std::vector<std::pair<std::string, std::string>>{
                             {"per_minute", std::to_string(options_.per_minute)},
                             {"burst", std::to_string(options_.burst)}});
  e.retry_after_seconds = static_cast<int>(std::min<int64_t>(wait_s, 86400));
  return e;
}

size_t WriteLimiter::SizeForTesting() {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

std::string WriteLimitAddressKey(std::string_view address) {
  std::string text(address);
  in6_addr v6{};
  if (text.find(':') == std::string::npos || inet_pton(AF_INET6, text.c_str(), &v6) != 1) {
    return text;
  }
  // An IPv4-mapped address (::ffff:a.b.c.d) is one IPv4 host.
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped, kMapped + 12, v6.s6_addr)) return text;
  std::fill(v6.s6_addr + 8, v6.s6_addr + 16, 0);
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &v6, buf, sizeof buf) == nullptr) return text;
  return std::string(buf) + "/64";
}

}  // namespace gmg::http
