// The Database contract, on both engines (store/database.h).
#include "store/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "store/open.h"
#include "store/test_database.h"

namespace gmg {
namespace {

constexpr std::string_view kSchema[] = {
    "CREATE TABLE parents (id TEXT PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE children (parent_id TEXT NOT NULL REFERENCES parents (id), n BIGINT NOT NULL)",
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
};

class DatabaseTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenEmptyTestDatabase(GetParam());
    if (!db_) return;  // skipped or failed, recorded
    ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                     for (auto sql : kSchema) GMG_RETURN_IF_ERROR(tx.ExecScript(sql));
                     return Ok();
                   })
                    .ok());
  }

  int64_t Count(std::string_view table) {
    int64_t n = -1;
    Status s = db_->Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT count(*) FROM " + std::string(table)));
      n = row->Int(0);
      return Ok();
    });
    EXPECT_TRUE(s.ok()) << s.error().message;
    return n;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(DatabaseTest, AFailedWriteChangesNothing) {
  Status s = db_->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO parents (id, name) VALUES ('x1', 'X')"));
    return MakeError(ErrorCode::kFailedPrecondition, "a rule broke after the insert");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("parents"), 0);
  EXPECT_THROW((void)db_->Write([](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO parents (id, name) VALUES ('x2', 'X')");
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(Count("parents"), 0);
  // A failing statement after a good one: nothing of the transaction stays.
  s = db_->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO parents (id, name) VALUES ('x3', 'X')"));
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO parents (id, name) VALUES ('x3', 'again')"));
    return Ok();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("parents"), 0);
}

TEST_P(DatabaseTest, UniqueViolationIsAConflictAndForeignKeysAreEnforced) {
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.Exec("INSERT INTO parents VALUES ('a', 'A')").ok()
                              ? Ok()
                              : Status(MakeError(ErrorCode::kInternal, "insert"));
                 })
                  .ok());
  Status dup = db_->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO parents VALUES (?, ?)", {std::string("a"), std::string("again")}));
    return Ok();
  });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict) << dup.error().message;
  Status orphan = db_->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO children VALUES ('nobody', 1)"));
    return Ok();
  });
  ASSERT_FALSE(orphan.ok());
  // SQLite reports every constraint as a conflict; PostgreSQL tells a foreign key apart.
  EXPECT_EQ(orphan.error().code,
            GetParam() == Dialect::kSqlite ? ErrorCode::kConflict : ErrorCode::kFailedPrecondition)
      << orphan.error().message;
  EXPECT_EQ(Count("children"), 0);
}

TEST_P(DatabaseTest, CommittedWritesAreSeenByReadersAndBackups) {
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO parents (id, name) VALUES (?, ?)",
                                               {std::string("iom"), std::string("IOM")}));
                   GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO children VALUES (?, ?)",
                                               {std::string("iom"), int64_t{7}}));
                   return Ok();
                 })
                  .ok());
  EXPECT_EQ(Count("parents"), 1);
  auto dir = std::filesystem::temp_directory_path() /
             ("gmg-dbtest-" + std::to_string(::getpid()) + "-" + EngineName({GetParam(), 0}));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string copy = (dir / "copy.db").string();
  Status backed_up = db_->Backup(copy);
  ASSERT_TRUE(backed_up.ok()) << backed_up.error().message;
  EXPECT_FALSE(db_->Backup(copy).ok()) << "a backup never overwrites";
  {
    auto file = SqliteDatabase::Open(copy);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)
                    ->Read([](Tx& tx) -> Status {
                      GMG_ASSIGN_OR_RETURN(auto rows,
                                           tx.Query("SELECT p.id, p.name, c.n FROM parents p JOIN "
                                                    "children c ON c.parent_id = p.id"));
                      EXPECT_EQ(rows.size(), 1u);
                      if (rows.size() == 1) {
                        EXPECT_EQ(rows[0].Text(0), "iom");
                        EXPECT_EQ(rows[0].Text(1), "IOM");
                        EXPECT_EQ(rows[0].Int(2), 7);
                      }
                      return Ok();
                    })
                    .ok());
  }
  std::filesystem::remove_all(dir);
}

TEST_P(DatabaseTest, ValuesRoundTripWithTheirTypes) {
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   return tx.ExecScript(
                       GetParam() == Dialect::kSqlite
                           ? "CREATE TABLE v (i INTEGER, r REAL, t TEXT, n TEXT)"
                           : "CREATE TABLE v (i BIGINT, r DOUBLE PRECISION, t TEXT, n TEXT)");
                 })
                  .ok());
  const std::vector<SqlParams> values = {
      {int64_t{INT64_MIN}, 0.1, std::string("naïve ☃ — 中文 𝄞"), nullptr},
      {int64_t{INT64_MAX}, -1e300, std::string(""), std::string("x")},
      {int64_t{0}, 2.5, std::string("it's \"quoted\" ? $1 -- not a comment"), nullptr},
  };
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   for (const auto& p : values)
                     GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO v VALUES (?, ?, ?, ?)", p));
                   return Ok();
                 })
                  .ok());
  ASSERT_TRUE(
      db_->Read([&](Tx& tx) -> Status {
           GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT i, r, t, n FROM v ORDER BY r DESC"));
           EXPECT_EQ(rows.size(), 3u);
           std::vector<size_t> order = {2, 0, 1};  // 2.5, 0.1, -1e300
           for (size_t k = 0; k < rows.size() && k < 3; ++k) {
             const SqlParams& want = values[order[k]];
             EXPECT_EQ(rows[k].Int(0), std::get<int64_t>(want[0]));
             EXPECT_EQ(rows[k].Real(1), std::get<double>(want[1]));
             EXPECT_EQ(rows[k].Text(2), std::get<std::string>(want[2]));
             EXPECT_EQ(rows[k].IsNull(3), std::holds_alternative<std::nullptr_t>(want[3]));
           }
           // Parameters compare with their own types; computed columns come back typed.
           GMG_ASSIGN_OR_RETURN(
               auto row, tx.QueryOne("SELECT count(*), 0, max(t) FROM v WHERE i > ? AND t <> ?",
                                     {int64_t{-5}, std::string("zzz")}));
           EXPECT_EQ(row->Int(0), 2);
           EXPECT_EQ(row->Text(2), "it's \"quoted\" ? $1 -- not a comment");
           GMG_ASSIGN_OR_RETURN(auto flag, tx.QueryOne("SELECT 1 = 1, 3 / 2, 7.0 / 2"));
           EXPECT_EQ(flag->Int(0), 1);
           EXPECT_EQ(flag->Int(1), 1);
           EXPECT_EQ(flag->Real(2), 3.5);
           return Ok();
         })
          .ok());
}

// Issue 7, defect 2: the statement cache stays bounded; a running QueryEach survives whatever
// its callback runs.
TEST_P(DatabaseTest, TheStatementCacheIsBoundedAndQueryEachLetsTheCallbackQuery) {
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   for (int i = 1; i <= 3; ++i) {
                     GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO counters VALUES (?, ?)",
                                                 {"c" + std::to_string(i), int64_t{i}}));
                   }
                   return Ok();
                 })
                  .ok());
  ASSERT_TRUE(
      db_->Read([&](Tx& tx) -> Status {
           for (int i = 0; i < 600; ++i) {
             GMG_ASSIGN_OR_RETURN(
                 auto row, tx.QueryOne("SELECT " + std::to_string(i) + " + ?", {int64_t{1}}));
             EXPECT_EQ(row->Int(0), i + 1);
           }
           int rows = 0;
           GMG_RETURN_IF_ERROR(tx.QueryEach(
               "SELECT value FROM counters ORDER BY value", {}, [&](const RowView& r) -> Status {
                 for (int i = 0; i < 300; ++i) {
                   GMG_ASSIGN_OR_RETURN(
                       auto row, tx.QueryOne("SELECT " + std::to_string(r.Int(0) * 1000 + i)));
                   EXPECT_EQ(row->Int(0), r.Int(0) * 1000 + i);
                 }
                 ++rows;
                 return Ok();
               }));
           EXPECT_EQ(rows, 3);
           if (GetParam() == Dialect::kPostgres) {
             // Evicted statements are freed on the server too (at most 32 wait for it).
             GMG_ASSIGN_OR_RETURN(auto prepared,
                                  tx.QueryOne("SELECT count(*) FROM pg_prepared_statements"));
             EXPECT_LE(prepared->Int(0), 256 + 32);
             EXPECT_GT(prepared->Int(0), 100);
           }
           return Ok();
         })
          .ok());
  size_t cached =
      GetParam() == Dialect::kSqlite
          ? static_cast<SqliteDatabase&>(db_->inner()).MaxCachedStatementsForTesting()
          : static_cast<PostgresDatabase&>(db_->inner()).MaxCachedStatementsForTesting();
  EXPECT_LE(cached, 256u);
  EXPECT_GT(cached, 100u) << "the cache still caches";
}

TEST_P(DatabaseTest, QueryEachReadsRowsInPlaceAndStopsWhenTold) {
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO parents VALUES ('p', 'P')"));
                   for (int i = 1; i <= 2500; ++i) {
                     GMG_RETURN_IF_ERROR(
                         tx.Exec("INSERT INTO children VALUES ('p', ?)", {int64_t{i}}));
                   }
                   return Ok();
                 })
                  .ok());
  const std::string blob = GetParam() == Dialect::kSqlite ? "x'00ff'" : "decode('00ff', 'hex')";
  const std::string sql =
      "SELECT n, CASE WHEN n = 2 THEN NULL ELSE 'row ' || CAST(n AS TEXT) END, " + blob +
      " FROM children WHERE n > ? ORDER BY n";
  std::vector<std::string> seen;
  int64_t sum = 0;
  ASSERT_TRUE(
      db_->Read([&](Tx& tx) -> Status {
           GMG_RETURN_IF_ERROR(tx.QueryEach(sql, {int64_t{0}}, [&](const RowView& r) -> Status {
             if (r.Int(0) <= 3)
               seen.push_back(std::to_string(r.Int(0)) + ":" +
                              (r.IsNull(1) ? "null" : std::string(r.Text(1))));
             EXPECT_EQ(r.size(), 3u);
             EXPECT_EQ(r.Text(2), std::string_view("\x00\xff", 2)) << "blobs whole, NUL included";
             EXPECT_EQ(std::get<int64_t>(r.Value(0)), r.Int(0));
             sum += r.Int(0);
             return Ok();
           }));
           Status stopped = tx.QueryEach(sql, {int64_t{0}}, [&](const RowView& r) -> Status {
             return r.Int(0) == 2 ? MakeError(ErrorCode::kConflict, "enough") : Ok();
           });
           EXPECT_EQ(stopped.error().message, "enough");
           // The transaction goes on: the same query runs again from the start.
           GMG_ASSIGN_OR_RETURN(auto again, tx.Query(sql, {int64_t{2497}}));
           EXPECT_EQ(again.size(), 3u);
           return Ok();
         })
          .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"1:row 1", "2:null", "3:row 3"}));
  EXPECT_EQ(sum, 2500 * 2501 / 2) << "every row, across the cursor's batches";
}

// Writes are serialized: no increment is lost, whether the writers share a Database (threads
// of one server) or each has its own (two instances on one PostgreSQL).
TEST_P(DatabaseTest, ConcurrentWritesSerializeWithoutLostUpdates) {
  ASSERT_TRUE(db_->Write([](Tx& tx) {
                   return tx.Exec("INSERT INTO counters VALUES ('c', 0)").ok()
                              ? Ok()
                              : Status(MakeError(ErrorCode::kInternal, "insert"));
                 })
                  .ok());
  std::unique_ptr<Database> second;
  if (GetParam() == Dialect::kPostgres) {
    auto other = OpenDatabase(db_->spec());
    ASSERT_TRUE(other.ok()) << other.error().message;
    second = std::move(other).value();
  }
  Database& other = second ? *second : *db_;
  auto increment = [](Database& db) {
    for (int i = 0; i < 100; ++i) {
      Status s = db.Write([](Tx& tx) -> Status {
        GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT value FROM counters WHERE name = 'c'"));
        return tx.Exec("UPDATE counters SET value = ? WHERE name = 'c'", {row->Int(0) + 1}).ok()
                   ? Ok()
                   : Status(MakeError(ErrorCode::kInternal, "update"));
      });
      EXPECT_TRUE(s.ok()) << s.error().message;
    }
  };
  std::thread a(increment, std::ref(*db_));
  std::thread b(increment, std::ref(other));
  a.join();
  b.join();
  ASSERT_TRUE(db_->Read([](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(auto row,
                                        tx.QueryOne("SELECT value FROM counters WHERE name = 'c'"));
                   EXPECT_EQ(row->Int(0), 200);
                   return Ok();
                 })
                  .ok());
}

// A named lock: the second acquirer waits until the first releases (two instances on
// PostgreSQL; two threads on SQLite).
TEST_P(DatabaseTest, ASecondNamedLockWaitsForTheFirstsRelease) {
  std::unique_ptr<Database> second;
  if (GetParam() == Dialect::kPostgres) {
    auto other = OpenDatabase(db_->spec());
    ASSERT_TRUE(other.ok()) << other.error().message;
    second = std::move(other).value();
  }
  Database& other = second ? *second : *db_;
  auto first = db_->AcquireNamedLock("import");
  ASSERT_TRUE(first.ok()) << first.error().message;
  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    auto lock = other.AcquireNamedLock("import");
    EXPECT_TRUE(lock.ok());
    acquired = true;
  });
  // Another name is free meanwhile.
  auto unrelated = other.AcquireNamedLock("export");
  ASSERT_TRUE(unrelated.ok());
  unrelated->reset();
  // The waiter cannot have it while the first is held (checked after it had time to try).
  for (int i = 0; i < 20 && !acquired; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(acquired) << "the second acquirer got the lock while it was held";
  first->reset();
  waiter.join();
  EXPECT_TRUE(acquired);
}

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
