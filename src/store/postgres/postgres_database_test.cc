// PostgreSQL-only behaviour: placeholders, types, lost connections, connection errors.
#include "store/postgres/postgres_database.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "store/open.h"
#include "store/test_database.h"

namespace gmg {
namespace {

TEST(PostgresPlaceholders, QuestionMarksOutsideQuotesAndCommentsBecomeNumbered) {
  int n = -1;
  EXPECT_EQ(pg::RewritePlaceholders("SELECT a FROM t WHERE a = ? AND b IN (?, ?)", &n),
            "SELECT a FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(pg::RewritePlaceholders(
                "SELECT '?', 'it''s ?', \"col?\", ? -- what?\n, ? /* ? /* ? */ ? */ ?", &n),
            "SELECT '?', 'it''s ?', \"col?\", $1 -- what?\n, $2 /* ? /* ? */ ? */ $3");
  EXPECT_EQ(n, 3);
  EXPECT_EQ(pg::RewritePlaceholders("SELECT E'\\'?', $$ ? $$, $tag$ ?$$ $tag$, ?", &n),
            "SELECT E'\\'?', $$ ? $$, $tag$ ?$$ $tag$, $1");
  EXPECT_EQ(n, 1);
  // Not escapes: a plain string ends at its quote even after a backslash.
  EXPECT_EQ(pg::RewritePlaceholders("SELECT '\\', ?", &n), "SELECT '\\', $1");
  EXPECT_EQ(pg::RewritePlaceholders("SELECT a$1, x-?, 4/?", &n), "SELECT a$1, x-$1, 4/$2");
  EXPECT_EQ(n, 2);
  // Unterminated pieces keep their text; nothing is read past the end.
  for (std::string odd :
       {"'", "\"", "/*", "-", "$", "$a", "$a$ ?", "E'\\", "?'?", "/* /* */ ?", "'' ?"}) {
    std::string out = pg::RewritePlaceholders(odd, &n);
    EXPECT_LE(out.size(), odd.size() + 8) << odd;
  }
  EXPECT_EQ(pg::RewritePlaceholders("?'?", &n), "$1'?");
  EXPECT_EQ(pg::RewritePlaceholders("'' ?", &n), "'' $1");
}

TEST(PostgresPlaceholders, RandomInputNeverBreaksTheRewriter) {
  std::mt19937 rng(8);
  const std::string alphabet = "?'\"-/*$Ee\\\n a1_";
  for (int i = 0; i < 20000; ++i) {
    std::string sql;
    size_t len = rng() % 24;
    for (size_t k = 0; k < len; ++k) sql += alphabet[rng() % alphabet.size()];
    int n = 0;
    std::string out = pg::RewritePlaceholders(sql, &n);
    // Each `?` becomes `$k`: the text grows by the digits only, and no `?` is counted twice.
    size_t questions = std::count(sql.begin(), sql.end(), '?');
    EXPECT_LE(static_cast<size_t>(n), questions);
    EXPECT_EQ(std::count(out.begin(), out.end(), '?'), static_cast<long>(questions - n)) << sql;
  }
}

TEST(PostgresTargets, MessagesNameHostPortAndDatabaseNeverThePassword) {
  EXPECT_EQ(pg::DescribeTarget("postgresql://gmg:s3cret@db.example:6543/gmg"),
            "db.example:6543/gmg");
  EXPECT_EQ(pg::DescribeTarget("postgres://u@127.0.0.1/x?sslmode=disable"), "127.0.0.1:5432/x");
  EXPECT_EQ(DescribeDatabase("postgresql://gmg:s3cret@h:1/d"), "postgresql://h:1/d");
  EXPECT_EQ(DescribeDatabase("gmg.db"), "gmg.db");
  EXPECT_EQ(WithDatabaseName("postgresql://a:b@h:1/postgres?sslmode=disable", "x"),
            "postgresql://a:b@h:1/x?sslmode=disable");
  EXPECT_EQ(WithDatabaseName("postgresql://a@h", "x"), "postgresql://a@h/x");
}

// A closed port: nothing listens there.
TEST(PostgresOpen, AClosedPortIsUnavailableAndNamesTheTarget) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(s);  // bound, never listening, now free: connections are refused
  auto db =
      OpenDatabase("postgresql://gmg:hunter2secret@127.0.0.1:" + std::to_string(port) + "/gmg");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(db.error().message.find("127.0.0.1:" + std::to_string(port) + "/gmg"),
            std::string::npos)
      << db.error().message;
  EXPECT_NE(db.error().message.find("refused"), std::string::npos) << db.error().message;
  EXPECT_EQ(db.error().message.find("hunter2secret"), std::string::npos) << db.error().message;
}

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = OpenEmptyTestDatabase(Dialect::kPostgres); }
  PostgresDatabase& pg() { return static_cast<PostgresDatabase&>(db_->inner()); }
  std::unique_ptr<TestDatabase> db_;
};

TEST_F(PostgresDatabaseTest, AWrongPasswordOrAnUnknownDatabaseIsAClearError) {
  std::string url = WithDatabaseName(TestPostgresAdminUrl(), "gmg_no_such_database");
  auto missing = OpenDatabase(url);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(missing.error().message.find("gmg_no_such_database"), std::string::npos)
      << missing.error().message;
  // The same URL with another password (the cluster of scripts/pg-cluster.sh asks for one).
  std::string wrong = url;
  size_t at = wrong.find('@');
  size_t colon = wrong.find(':', wrong.find("://") + 3);
  ASSERT_NE(at, std::string::npos);
  wrong = colon < at ? wrong.substr(0, colon) + ":WrongPassw0rd" + wrong.substr(at)
                     : wrong.substr(0, at) + ":WrongPassw0rd" + wrong.substr(at);
  wrong = WithDatabaseName(wrong, "postgres");
  auto refused = OpenDatabase(wrong);
  if (refused.ok()) GTEST_SKIP() << "this cluster trusts TCP connections: no password to get wrong";
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find("password authentication failed"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(refused.error().message.find("WrongPassw0rd"), std::string::npos)
      << refused.error().message;
}

TEST_F(PostgresDatabaseTest, TypesComeBackAsTheRowApiExpects) {
  Status read = db_->Read([](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "SELECT CAST(7 AS smallint), CAST(? AS integer), CAST(? AS bigint), TRUE, FALSE, "
            "CAST(1.5 AS real), "
            "CAST(12 AS numeric), CAST(12.25 AS numeric), decode('00ff41', 'hex'), CAST(NULL AS "
            "bytea), "
            "CAST(? AS TEXT), CAST(? AS double precision), CAST('99999999999999999999' AS numeric)",
            {int64_t{-42}, int64_t{INT64_MIN}, std::string("tëxt"), 0.25}));
    EXPECT_EQ(row->Int(0), 7);
    EXPECT_EQ(row->Int(1), -42);
    EXPECT_EQ(row->Int(2), INT64_MIN);
    EXPECT_EQ(row->Int(3), 1);
    EXPECT_EQ(row->Int(4), 0);
    EXPECT_EQ(row->Real(5), 1.5);
    EXPECT_EQ(row->Int(6), 12);
    EXPECT_EQ(row->Real(7), 12.25);
    EXPECT_EQ(row->Bytes(8), std::string_view("\x00\xff"
                                              "A",
                                              3));
    EXPECT_TRUE(row->IsNull(9));
    EXPECT_EQ(row->Text(10), "tëxt");
    EXPECT_EQ(row->Real(11), 0.25);
    EXPECT_EQ(row->Real(12), 1e20) << "a numeric beyond int64 is a double";
    GMG_RETURN_IF_ERROR(tx.QueryEach("SELECT decode('00ff', 'hex'), TRUE, CAST(3 AS numeric)", {},
                                     [](const RowView& r) -> Status {
                                       EXPECT_EQ(r.Text(0), std::string_view("\x00\xff", 2));
                                       EXPECT_EQ(r.Int(1), 1);
                                       EXPECT_EQ(r.Int(2), 3);
                                       return Ok();
                                     }));
    return Ok();
  });
  ASSERT_TRUE(read.ok()) << read.error().message;
}

// A query returning bytea has its results in binary when every column's type reads so: the same
// values as the text form gives (the second query, with a numeric, comes as text).
TEST_F(PostgresDatabaseTest, BinaryResultsReadAsTheTextFormDoes) {
  const std::string columns =
      "decode('00ff41', 'hex'), CAST(-7 AS smallint), CAST(? AS integer), CAST(? AS bigint), "
      "CAST(4000000000 AS oid), TRUE, FALSE, CAST(1.5 AS real), CAST(? AS double precision), "
      "CAST(? AS TEXT), CAST('ab' AS varchar(5)), CAST('c' AS char(3)), CAST(NULL AS bigint), "
      "CAST(NULL AS bytea), CAST(? AS bigint), decode('', 'hex')";
  ASSERT_EQ(pg().BinaryStatementsForTesting(), 0u);
  for (const char* extra : {"", ", CAST(1 AS numeric)"}) {
    Status read = db_->Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + columns + extra,
                                                 {int64_t{INT32_MIN}, int64_t{INT64_MIN}, -0.125,
                                                  std::string("tëxt"), int64_t{INT64_MAX}}));
      EXPECT_EQ(row->Bytes(0), std::string_view("\x00\xff"
                                                "A",
                                                3))
          << extra;
      EXPECT_EQ(row->Int(1), -7);
      EXPECT_EQ(row->Int(2), INT32_MIN);
      EXPECT_EQ(row->Int(3), INT64_MIN);
      EXPECT_EQ(row->Int(4), 4000000000);
      EXPECT_EQ(row->Int(5), 1);
      EXPECT_EQ(row->Int(6), 0);
      EXPECT_EQ(row->Real(7), 1.5);
      EXPECT_EQ(row->Real(8), -0.125);
      EXPECT_EQ(row->Text(9), "tëxt");
      EXPECT_EQ(row->Text(10), "ab");
      EXPECT_EQ(row->Text(11), "c  ");
      EXPECT_TRUE(row->IsNull(12));
      EXPECT_TRUE(row->IsNull(13));
      EXPECT_EQ(row->Int(14), INT64_MAX);
      EXPECT_EQ(row->Bytes(15), "");
      EXPECT_FALSE(row->IsNull(15));
      return Ok();
    });
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(pg().BinaryStatementsForTesting(), 1u) << "the first query only" << extra;
  }
}

TEST_F(PostgresDatabaseTest, AStatementErrorAbortsTheTransactionAndIsReturnedAgain) {
  Status s = db_->Write([](Tx& tx) -> Status {
    Status bad = tx.ExecScript("SELECT * FROM no_such_table");
    EXPECT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("42P01"), std::string::npos) << bad.error().message;
    auto later = tx.Query("SELECT 1");
    EXPECT_FALSE(later.ok());
    return Ok();  // a caller that ignores the error: the commit still refuses
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_TRUE(db_->Read([](Tx& tx) { return tx.ExecScript("SELECT 1"); }).ok())
      << "the connection is fine again";
}

TEST_F(PostgresDatabaseTest, AKilledConnectionIsUnavailableThenTheNextCallReconnects) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (n BIGINT)"); }).ok());
  auto killer = OpenDatabase(db_->spec());
  ASSERT_TRUE(killer.ok());
  Status s = db_->Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (1)"));
    GMG_ASSIGN_OR_RETURN(auto pid, tx.QueryOne("SELECT pg_backend_pid()"));
    GMG_RETURN_IF_ERROR((*killer)->Read([&](Tx& other) -> Status {
      GMG_ASSIGN_OR_RETURN(
          auto killed,
          other.QueryOne("SELECT pg_terminate_backend(CAST(? AS integer))", {pid->Int(0)}));
      EXPECT_EQ(killed->Int(0), 1);
      return Ok();
    }));
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (2)"));
    return Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable) << s.error().message;
  EXPECT_NE(s.error().message.find("lost the connection"), std::string::npos) << s.error().message;
  EXPECT_EQ(s.error().retry_after_seconds, 1) << "503 with Retry-After";
  int64_t rows = -1;
  Status next = db_->Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT count(*) FROM t"));
    rows = row->Int(0);
    return Ok();
  });
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(rows, 0) << "nothing half-written";
  // An idle pooled connection killed between calls: the next call does not notice.
  auto idle_pid = pg().SomeBackendPidForTesting();
  ASSERT_TRUE(idle_pid.ok());
  ASSERT_TRUE((*killer)
                  ->Read([&](Tx& other) {
                    return other.QueryOne("SELECT pg_terminate_backend(CAST(? AS integer))",
                                          {int64_t{*idle_pid}})
                                   .ok()
                               ? Ok()
                               : Status(MakeError(ErrorCode::kInternal, "kill"));
                  })
                  .ok());
  for (int i = 0; i < 3; ++i) {
    Status again = db_->Write([](Tx& tx) { return tx.ExecScript("INSERT INTO t VALUES (3)"); });
    EXPECT_TRUE(again.ok()) << again.error().message;
  }
}

// A server restart kills every pooled connection: the first call afterwards already succeeds.
TEST_F(PostgresDatabaseTest, AfterEveryPooledConnectionDiedTheNextCallSucceeds) {
  // Four Reads at once leave four connections in the pool.
  std::mutex mu;
  std::condition_variable all_in;
  int inside = 0;
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      Status s = db_->Read([&](Tx& tx) -> Status {
        GMG_RETURN_IF_ERROR(tx.ExecScript("SELECT 1"));
        std::unique_lock lock(mu);
        ++inside;
        all_in.notify_all();
        all_in.wait(lock, [&] { return inside == 4; });
        return Ok();
      });
      EXPECT_TRUE(s.ok()) << s.error().message;
    });
  }
  for (auto& t : readers) t.join();
  auto killer = OpenDatabase(db_->spec());
  ASSERT_TRUE(killer.ok());
  int64_t killed = 0;
  ASSERT_TRUE(
      (*killer)
          ->Read([&](Tx& tx) -> Status {
            GMG_ASSIGN_OR_RETURN(
                auto row,
                tx.QueryOne("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
            killed = row->Int(0);
            return Ok();
          })
          .ok());
  EXPECT_GE(killed, 4);
  Status next =
      db_->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE after_restart (n BIGINT)"); });
  EXPECT_TRUE(next.ok()) << next.error().message;
}

TEST_F(PostgresDatabaseTest, ACachedStatementWhoseTableChangedIsPreparedAgain) {
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.ExecScript("CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1)");
                 })
                  .ok());
  int failures = 0;
  auto columns = [&]() -> size_t {
    size_t n = 0;
    Status s = db_->Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT * FROM t"));
      n = row->size();
      return Ok();
    });
    if (!s.ok()) {
      ++failures;
      EXPECT_NE(s.error().message.find("0A000"), std::string::npos) << s.error().message;
    }
    return n;
  };
  ASSERT_EQ(columns(), 1u);
  ASSERT_TRUE(
      db_->Write([](Tx& tx) { return tx.ExecScript("ALTER TABLE t ADD COLUMN b TEXT"); }).ok());
  // The server refuses the stale plan once on the connection that cached it; the statement is
  // then prepared anew.
  size_t seen = 0;
  for (int i = 0; i < 3 && seen != 2; ++i) seen = columns();
  EXPECT_EQ(seen, 2u);
  EXPECT_LE(failures, 1);
}

TEST_F(PostgresDatabaseTest, QueryEachStreamsRowsBeforeTheQueryHasFinished) {
  // Row 5,000 divides by zero. A materialised result would fail before the first row; a
  // streamed one hands over the rows before it, batch by batch.
  int64_t rows = 0;
  Status s = db_->Read([&](Tx& tx) -> Status {
    return tx.QueryEach("SELECT 1 / (n - 5000) FROM generate_series(1, ?) AS n", {int64_t{10000}},
                        [&](const RowView&) -> Status {
                          ++rows;
                          return Ok();
                        });
  });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("22012"), std::string::npos) << s.error().message;
  EXPECT_GE(rows, 1000);
  EXPECT_LT(rows, 5000);
}

}  // namespace
}  // namespace gmg
