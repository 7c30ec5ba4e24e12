// Change notification (Database::Subscribe) on both engines: a committed Write reports to the
// subscribers (PostgreSQL: of another Database object on the same database, standing for
// another instance), a rolled-back or unchanged one does not; the PostgreSQL listener
// survives the loss of its connection.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "store/database.h"
#include "store/test_database.h"

namespace gmg {
namespace {

// Counts on_change calls; waits for a count with a deadline that only guards against a hang.
class Counter {
 public:
  std::function<void()> Callback() {
    return [this] {
      std::lock_guard lock(mu_);
      ++calls_;
      cv_.notify_all();
    };
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  // Whether at least `n` calls happened (false after 20 s: a failure, never a timing check).
  bool WaitFor(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return calls_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int calls_ = 0;
};

class NotifyTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenEmptyTestDatabase(GetParam());
    if (!db_) return;
    ASSERT_TRUE(db_->Write([](Tx& tx) {
                     return tx.ExecScript("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)");
                   })
                    .ok());
    if (GetParam() == Dialect::kSqlite) {
      writer_ = db_.get();  // one process writes a SQLite file: the same object
    } else {
      auto other = PostgresDatabase::Open(db_->spec());
      ASSERT_TRUE(other.ok()) << other.error().message;
      other_ = std::move(other).value();
      writer_ = other_.get();  // another instance on the same database
    }
  }
  void TearDown() override { other_.reset(); }

  Status Insert(int64_t id) {
    return writer_->Write([id](Tx& tx) -> Status {
      GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, v) VALUES (?, 'x')", {id}));
      return Ok();
    });
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Database> other_;
  Database* writer_ = nullptr;
};

TEST_P(NotifyTest, CommittedWriteNotifiesSubscriber) {
  Counter counter;
  auto sub = db_->Subscribe(Database::kDataChannel, counter.Callback());
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  ASSERT_TRUE(Insert(1).ok());
  ASSERT_TRUE(counter.WaitFor(1));
}

TEST_P(NotifyTest, RolledBackOrUnchangedWriteDoesNotNotify) {
  Counter counter;
  auto sub = db_->Subscribe(Database::kDataChannel, counter.Callback());
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  // Rolled back: the row is inserted and the channel asked for, then the function fails.
  Status failed = writer_->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (id, v) VALUES (7, 'x')"));
    GMG_RETURN_IF_ERROR(tx.NotifyChanged(Database::kDataChannel));
    return MakeError(ErrorCode::kConflict, "changed my mind");
  });
  ASSERT_FALSE(failed.ok());
  // Committed but changed nothing.
  ASSERT_TRUE(writer_
                  ->Write([](Tx& tx) -> Status {
                    GMG_RETURN_IF_ERROR(tx.Exec("UPDATE t SET v = 'y' WHERE id = 7"));
                    return Ok();
                  })
                  .ok());
  // A later committed write is reported, and it alone (PostgreSQL delivers in commit order).
  ASSERT_TRUE(Insert(2).ok());
  ASSERT_TRUE(counter.WaitFor(1));
  EXPECT_EQ(counter.calls(), 1);
  auto rows = db_->Read([](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT count(*) FROM t"));
    EXPECT_EQ(r->Int(0), 1);
    return Ok();
  });
  EXPECT_TRUE(rows.ok());
}

TEST_P(NotifyTest, ExplicitChannelNotifiesOnlyItsSubscribers) {
  Counter audit, data;
  auto a = db_->Subscribe("gmg_audit_test", audit.Callback());
  auto d = db_->Subscribe(Database::kDataChannel, data.Callback());
  ASSERT_TRUE(a.ok() && d.ok());
  // Changes nothing, asks for one channel.
  ASSERT_TRUE(writer_->Write([](Tx& tx) { return tx.NotifyChanged("gmg_audit_test"); }).ok());
  ASSERT_TRUE(audit.WaitFor(1));
  ASSERT_TRUE(Insert(3).ok());
  ASSERT_TRUE(data.WaitFor(1));
  EXPECT_EQ(data.calls(), 1);  // the first write changed no row
}

TEST_P(NotifyTest, RejectsBadChannelsAndNotifyInRead) {
  EXPECT_EQ(db_->Subscribe("Bad-Name", [] {}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db_->Subscribe("", [] {}).error().code, ErrorCode::kInvalidArgument);
  Status in_read = db_->Read([](Tx& tx) { return tx.NotifyChanged("gmg_data"); });
  EXPECT_EQ(in_read.error().code, ErrorCode::kFailedPrecondition);
  Status bad = db_->Write([](Tx& tx) { return tx.NotifyChanged("x'; DROP TABLE t; --"); });
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(NotifyTest, DestroyedSubscriptionStopsPromptlyAndIsNotCalled) {
  Counter counter;
  auto sub = db_->Subscribe(Database::kDataChannel, counter.Callback());
  ASSERT_TRUE(sub.ok());
  // The destructor wakes the listening thread and joins it: this returns (a hang would fail the
  // test run), and nothing is called afterwards.
  sub.value().reset();
  ASSERT_TRUE(Insert(4).ok());
  // A second subscription proves the write was delivered, to it only.
  Counter later;
  auto probe = db_->Subscribe(Database::kDataChannel, later.Callback());
  ASSERT_TRUE(probe.ok());
  ASSERT_TRUE(Insert(5).ok());
  ASSERT_TRUE(later.WaitFor(1));
  EXPECT_EQ(counter.calls(), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotifyTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

// The listener's connection is killed: it reconnects, reports once (notifications may have been
// missed), and goes on reporting commits.
TEST(PostgresSubscriptionTest, SurvivesTerminatedConnection) {
  auto db = OpenEmptyTestDatabase(Dialect::kPostgres);
  if (!db) return;
  Counter counter;
  auto sub = db->Subscribe(Database::kDataChannel, counter.Callback());
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  auto listener_pid = [&]() -> int64_t {
    int64_t pid = 0;
    Status s = db->Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT pid FROM pg_stat_activity WHERE "
                                                 "datname = current_database() AND query "
                                                 "LIKE 'LISTEN %' ORDER BY backend_start DESC"));
      if (row) pid = row->Int(0);
      return Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return pid;
  };
  int64_t first = listener_pid();
  ASSERT_NE(first, 0);
  ASSERT_TRUE(db->Write([&](Tx& tx) -> Status {
                  GMG_RETURN_IF_ERROR(
                      tx.Query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {first}));
                  return Ok();
                }).ok());
  ASSERT_TRUE(counter.WaitFor(1));  // the call after reconnecting
  int64_t second = listener_pid();
  EXPECT_NE(second, 0);
  EXPECT_NE(second, first);
  ASSERT_TRUE(db->Write([](Tx& tx) {
                  return tx.ExecScript("CREATE TABLE t (id BIGINT); INSERT INTO t VALUES (1)");
                }).ok());
  ASSERT_TRUE(counter.WaitFor(2));
  sub.value().reset();  // stops promptly
}

}  // namespace
}  // namespace gmg
