#include "http/write_limit.h"

#include <gtest/gtest.h>

namespace gmg::http {
namespace {

class WriteLimiterTest : public ::testing::Test {
 protected:
  WriteLimiter Make(int64_t per_minute, int64_t burst, size_t max_keys = 1000) {
    return WriteLimiter({per_minute, burst, max_keys}, [this] { return now_ms_; });
  }
  int64_t now_ms_ = 1'000'000;
};

TEST_F(WriteLimiterTest, ABurstThenTheRateThen429WithRetryAfter) {
  WriteLimiter limit = Make(60, 3);  // one a second, three at once
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limit.Take("u:1").ok()) << i;
  Status refused = limit.Take("u:1");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
  ASSERT_EQ(refused.error().details.size(), 1U);
  EXPECT_EQ(refused.error().details[0].rule, "too_many_writes");
  // Another caller has its own bucket.
  EXPECT_TRUE(limit.Take("u:2").ok());
  now_ms_ += 999;
  EXPECT_FALSE(limit.Take("u:1").ok());
  now_ms_ += 1;
  EXPECT_TRUE(limit.Take("u:1").ok());
  EXPECT_FALSE(limit.Take("u:1").ok());
  // A long pause refills the bucket to its size, not beyond.
  now_ms_ += 3'600'000;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limit.Take("u:1").ok()) << i;
  EXPECT_FALSE(limit.Take("u:1").ok());
}

TEST_F(WriteLimiterTest, RetryAfterSaysWhenATokenIsBack) {
  WriteLimiter limit = Make(2, 1);  // one every 30 seconds
  EXPECT_TRUE(limit.Take("a").ok());
  EXPECT_EQ(limit.Take("a").error().retry_after_seconds, 30);
  now_ms_ += 10'500;
  EXPECT_EQ(limit.Take("a").error().retry_after_seconds, 20);
}

TEST_F(WriteLimiterTest, ZeroTurnsItOff) {
  for (auto [rate, burst] : {std::pair<int64_t, int64_t>{0, 60}, {120, 0}}) {
    WriteLimiter limit = Make(rate, burst);
    EXPECT_FALSE(limit.enabled());
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limit.Take("u:1").ok());
    EXPECT_EQ(limit.SizeForTesting(), 0U);
  }
}

TEST_F(WriteLimiterTest, TheMapIsBoundedIdleBucketsGoFirst) {
  WriteLimiter limit = Make(60, 2, 100);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limit.Take("a:" + std::to_string(i)).ok());
  EXPECT_EQ(limit.SizeForTesting(), 100U);
  // Full and active: a newcomer pushes out the ones that wrote longest ago.
  now_ms_ += 10;
  ASSERT_TRUE(limit.Take("new").ok());
  EXPECT_LE(limit.SizeForTesting(), 100U);
  // Once refilled, buckets are idle and the minute's sweep drops them.
  now_ms_ += 61'000;
  ASSERT_TRUE(limit.Take("later").ok());
  EXPECT_EQ(limit.SizeForTesting(), 1U);
  // Thousands of callers never hold more than the cap.
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(limit.Take("b:" + std::to_string(i)).ok());
  EXPECT_LE(limit.SizeForTesting(), 100U);
}

TEST_F(WriteLimiterTest, AnEvictedOrIdleCallerStartsWithAFullBucketNotMore) {
  WriteLimiter limit = Make(60, 2, 1000);
  EXPECT_TRUE(limit.Take("u:1").ok());
  EXPECT_TRUE(limit.Take("u:1").ok());
  EXPECT_FALSE(limit.Take("u:1").ok());
  now_ms_ -= 5000;  // a clock that went back credits nothing
  EXPECT_FALSE(limit.Take("u:1").ok());
}

TEST(WriteLimitAddressKeyTest, Ipv6ByItsSlash64) {
  EXPECT_EQ(WriteLimitAddressKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(WriteLimitAddressKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(WriteLimitAddressKey("2001:db8:1:2::ffff"), "2001:db8:1:2::/64");
  EXPECT_EQ(WriteLimitAddressKey("::1"), "::/64");
  EXPECT_EQ(WriteLimitAddressKey("::ffff:192.0.2.7"), "::ffff:192.0.2.7");
  EXPECT_EQ(WriteLimitAddressKey("not an address"), "not an address");
}

}  // namespace
}  // namespace gmg::http
