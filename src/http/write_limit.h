// WriteLimiter: the write quota — a token bucket per caller for state-changing requests (POST,
// PUT, PATCH, DELETE), so one signed-in user (or, anonymous, one client address) cannot flood
// the database with writes (security review of issue 12; docs/security.md "Write quota").
//
// Each key's bucket holds up to `burst` tokens and refills at `per_minute` tokens a minute; a
// write takes one token or is refused with the seconds until one is back. The map of buckets is
// bounded: a bucket that has refilled completely is the same as none and is dropped (swept once
// a minute, and whenever the map is full); if the map is still full of active callers, the ones
// that wrote longest ago are dropped (they start again with a full bucket). Owned by the App;
// the router consults it through its write gate (Router::SetWriteGate).
// Thread-safety: Take may be called from any thread (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace gmg::http {

struct WriteLimitOptions {
  int64_t per_minute = 120;  // refill rate; 0 turns the quota off
  int64_t burst = 60;        // bucket size; 0 turns the quota off
  size_t max_keys = 100000;  // buckets kept at most
};
inline constexpr int64_t kMaxWritesPerMinute = 1'000'000;  // the flags' upper bound
inline constexpr int64_t kMaxWriteBurst = 1'000'000;

class WriteLimiter {
 public:
  // `now_ms`: a monotonic clock in milliseconds (steady_clock by default; tests pass their own).
  // Options outside 0…kMaxWritesPerMinute / 0…kMaxWriteBurst are clamped into them.
  explicit WriteLimiter(WriteLimitOptions options, std::function<int64_t()> now_ms = {});
  WriteLimiter(const WriteLimiter&) = delete;
  WriteLimiter& operator=(const WriteLimiter&) = delete;

  bool enabled() const { return options_.per_minute > 0 && options_.burst > 0; }
  // Takes one token of `key`'s bucket: Ok when there was one (always, when disabled); else
  // kResourceExhausted (429) with the rule `too_many_writes` {per_minute, burst} and
  // retry_after_seconds (≥ 1) until a token is back.
  Status Take(std::string_view key);

  size_t SizeForTesting();

 private:
  struct Bucket {
    int64_t credit;      // tokens × 60,000 (a token is kUnit; per_minute units come a ms)
    int64_t updated_ms;  // when credit was last brought up to date
  };
  // Brings `b` up to `now`; true when it is full (and could be dropped).
  bool Refill(Bucket& b, int64_t now) const;
  void Sweep(int64_t now);
  void EvictOldest();

  WriteLimitOptions options_;
  std::function<int64_t()> now_ms_;
  int64_t capacity_ = 0;  // burst × kUnit
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  int64_t last_sweep_ms_ = 0;
};

// The bucket key of an anonymous caller's address: an IPv4 address as it is, an IPv6 address
// by its /64 network (one host usually has the whole /64, so counting single addresses would
// give it billions of buckets); anything else as it is.
std::string WriteLimitAddressKey(std::string_view address);

}  // namespace gmg::http
