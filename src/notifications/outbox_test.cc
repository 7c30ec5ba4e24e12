#include "notifications/outbox.h"

#include <gtest/gtest.h>

#include "app/testing.h"

namespace gmg {
namespace {

TEST(RetryDelayTest, DoublesFromTwoMinutesUpToSixHours) {
  RetryPolicy p;
  EXPECT_EQ(RetryDelaySeconds(p, 1), 120);
  EXPECT_EQ(RetryDelaySeconds(p, 2), 240);
  EXPECT_EQ(RetryDelaySeconds(p, 3), 480);
  EXPECT_EQ(RetryDelaySeconds(p, 8), 60 * 256);
  EXPECT_EQ(RetryDelaySeconds(p, 9), 6 * 3600);  // 512 minutes, capped
  EXPECT_EQ(RetryDelaySeconds(p, 10), 6 * 3600);
  EXPECT_EQ(RetryDelaySeconds(p, 1000), 6 * 3600);
  RetryPolicy fast{.base_seconds = 1, .max_seconds = 30};
  EXPECT_EQ(RetryDelaySeconds(fast, 1), 2);
  EXPECT_EQ(RetryDelaySeconds(fast, 5), 30);
}

constexpr int64_t kStart = 1796054400;

// On both engines, with an injected clock and a transport that records or refuses.
class OutboxSenderTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    sender_ = std::make_unique<OutboxSender>(
        *db_,
        [this](const MailMessage& m) -> Status {
          tried_.push_back(m);
          if (server_down_) return MakeError(ErrorCode::kUnavailable, "SMTP: connection refused");
          return Ok();
        },
        RetryPolicy{}, [this] { return now_; });
  }
  int64_t AddRow(const std::string& to) {
    int64_t id = 0;
    EXPECT_TRUE(db_->Write([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto row,
                         tx.QueryOne("INSERT INTO email_outbox (user_id, to_address, subject, "
                                     "body, created_at, attempts, next_attempt_at, status, "
                                     "last_error) VALUES (NULL, ?, 'S', 'B', ?, 0, ?, "
                                     "'pending', '') RETURNING id",
                                     {to, now_, now_}));
                     id = row->Int(0);
                     return Ok();
                   })
                    .ok());
    return id;
  }
  Row Get(int64_t id) {
    std::optional<Row> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(out, tx.QueryOne("SELECT status, attempts, "
                                                           "next_attempt_at, last_error, sent_at "
                                                           "FROM email_outbox WHERE id = ?",
                                                           {id}));
                     return Ok();
                   })
                    .ok());
    return *out;
  }

  int64_t now_ = kStart;
  bool server_down_ = false;
  std::vector<MailMessage> tried_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<OutboxSender> sender_;
};

TEST_P(OutboxSenderTest, SendsDueRowsAndMarksThemSentOnlyWhenAccepted) {
  int64_t id = AddRow("fp@iom.int");
  server_down_ = true;
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retried, 1);
  Row r = Get(id);
  EXPECT_EQ(r.Text(0), "pending");
  EXPECT_EQ(r.Int(1), 1);
  EXPECT_EQ(r.Int(2), kStart + 120);
  EXPECT_EQ(r.Text(3), "SMTP: connection refused");

  server_down_ = false;
  now_ = kStart + 119;  // not due yet
  EXPECT_EQ(sender_->RunOnce()->sent, 0);
  EXPECT_EQ(tried_.size(), 1u);
  now_ = kStart + 120;
  EXPECT_EQ(sender_->RunOnce()->sent, 1);
  r = Get(id);
  EXPECT_EQ(r.Text(0), "sent");
  EXPECT_EQ(r.Int(4), kStart + 120);
  EXPECT_EQ(r.Text(3), "");
  EXPECT_EQ(sender_->RunOnce()->sent, 0);  // sent once
  ASSERT_EQ(tried_.size(), 2u);
  EXPECT_EQ(tried_[1].to, "fp@iom.int");
  EXPECT_EQ(tried_[1].id, id);
}

TEST_P(OutboxSenderTest, BacksOffAndFailsAfterTenAttempts) {
  int64_t id = AddRow("fp@iom.int");
  server_down_ = true;
  int64_t expected_delay[] = {120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600};
  for (int attempt = 1; attempt <= 9; ++attempt) {
    auto pass = sender_->RunOnce();
    ASSERT_TRUE(pass.ok());
    EXPECT_EQ(pass->retried, 1) << attempt;
    Row r = Get(id);
    EXPECT_EQ(r.Int(1), attempt);
    EXPECT_EQ(r.Int(2) - now_, expected_delay[attempt - 1]) << attempt;
    now_ = r.Int(2);
  }
  auto last = sender_->RunOnce();
  EXPECT_EQ(last->failed, 1);
  Row r = Get(id);
  EXPECT_EQ(r.Text(0), "failed");
  EXPECT_EQ(r.Int(1), 10);
  now_ += 86400;
  EXPECT_EQ(sender_->RunOnce()->failed, 0);  // a failed row is not tried again
  EXPECT_EQ(tried_.size(), 10u);
}

TEST_P(OutboxSenderTest, AClaimedRowIsLeasedNotLost) {
  // A sender that dies after claiming (simulated: the row's lease as the claim leaves it) is
  // followed by one that sends it once the lease is over.
  int64_t id = AddRow("fp@iom.int");
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   auto changed =
                       tx.Exec("UPDATE email_outbox SET next_attempt_at = ? WHERE id = ?",
                               {now_ + RetryPolicy{}.lease_seconds, id});
                   if (!changed.ok()) return std::move(changed).TakeError();
                   return Ok();
                 })
                  .ok());
  EXPECT_EQ(sender_->RunOnce()->sent, 0);
  now_ += RetryPolicy{}.lease_seconds;
  EXPECT_EQ(sender_->RunOnce()->sent, 1);
  EXPECT_EQ(Get(id).Text(0), "sent");
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxSenderTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
