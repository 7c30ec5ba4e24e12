#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "app/modules.h"

namespace gmg {
namespace {

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gmg-db-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "gmg.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

int64_t CountOrganizations(Database& db) {
  int64_t n = -1;
  EXPECT_TRUE(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT count(*) FROM organizations"));
    n = row->Int(0);
    return Ok();
  }).ok());
  return n;
}

TEST_F(SqliteDatabaseTest, MigratesAnEmptyDatabaseToTheLatestVersion) {
  auto db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*SchemaVersion(**db), 0);
  ASSERT_TRUE(Migrate(**db).ok());
  EXPECT_EQ(*SchemaVersion(**db), LatestSchemaVersion());
  ASSERT_TRUE(Migrate(**db).ok()) << "migrating twice is a no-op";
  EXPECT_EQ(CountOrganizations(**db), 0);
}

TEST_F(SqliteDatabaseTest, RefusesADatabaseFromANewerSchema) {
  auto db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(Migrate(**db).ok());
  ASSERT_TRUE((*db)->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO schema_version VALUES (999, 0, 'from the future')"));
    return Ok();
  }).ok());
  Status s = Migrate(**db);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("999"), std::string::npos) << s.error().message;
}

TEST_F(SqliteDatabaseTest, AFailedWriteChangesNothing) {
  auto db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(Migrate(**db).ok());
  Status s = (*db)->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO organizations (id, name, acronym, created_at, updated_at) "
                                "VALUES ('x1', 'X', 'X', 0, 0)"));
    return MakeError(ErrorCode::kFailedPrecondition, "a rule broke after the insert");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(CountOrganizations(**db), 0);
  EXPECT_THROW((void)(*db)->Write([](Tx& tx) -> Status {
    (void)tx.Exec("INSERT INTO organizations (id, name, acronym, created_at, updated_at) "
                  "VALUES ('x2', 'X', 'X', 0, 0)");
    throw std::runtime_error("bug");
  }), std::runtime_error);
  EXPECT_EQ(CountOrganizations(**db), 0);
}

TEST_F(SqliteDatabaseTest, ConstraintViolationIsAConflictAndForeignKeysAreOn) {
  auto db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(Migrate(**db).ok());
  Status s = (*db)->Write([](Tx& tx) -> Status {
    return tx.Exec("INSERT INTO memberships (organization_id, joined_on) VALUES ('nobody', '2020-01-01')")
                   .ok()
               ? Ok()
               : tx.Exec("INSERT INTO memberships (organization_id, joined_on) VALUES ('nobody', '2020-01-01')")
                     .error();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
}

TEST_F(SqliteDatabaseTest, CommittedWritesAreSeenByNewReadersAndBackups) {
  {
    auto db = SqliteDatabase::Open(path_);
    ASSERT_TRUE(Migrate(**db).ok());
    ASSERT_TRUE((*db)->Write([](Tx& tx) -> Status {
      GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO organizations (id, name, acronym, created_at, updated_at) "
                                  "VALUES (?, ?, ?, 0, 0)",
                                  {std::string("iom"), std::string("IOM"), std::string("IOM")}));
      return Ok();
    }).ok());
    EXPECT_EQ(CountOrganizations(**db), 1);
    ASSERT_TRUE((*db)->Backup((dir_ / "copy.db").string()).ok());
  }
  auto reopened = SqliteDatabase::Open(path_);
  EXPECT_EQ(CountOrganizations(**reopened), 1);
  auto copy = SqliteDatabase::Open((dir_ / "copy.db").string());
  EXPECT_EQ(CountOrganizations(**copy), 1);
}

// Issue 7, defect 2: every distinct SQL text (filters of varying list lengths, sort orders) was
// prepared and kept forever, so anonymous requests grew memory without limit.
TEST_F(SqliteDatabaseTest, TheStatementCacheIsBoundedAndKeepsARunningStatement) {
  auto db = SqliteDatabase::Open(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Read([&](Tx& tx) -> Status {
    for (int i = 0; i < 2000; ++i) {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::to_string(i) + " + ?", {int64_t{1}}));
      EXPECT_EQ(row->Int(0), i + 1);
    }
    // A statement still stepping survives however many others its callback prepares.
    int rows = 0;
    GMG_RETURN_IF_ERROR(tx.QueryEach("SELECT value FROM json_each('[1,2,3]')", {}, [&](const RowView& r) -> Status {
      for (int i = 0; i < 300; ++i) {
        GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::to_string(r.Int(0) * 1000 + i)));
        EXPECT_EQ(row->Int(0), r.Int(0) * 1000 + i);
      }
      ++rows;
      return Ok();
    }));
    EXPECT_EQ(rows, 3);
    return Ok();
  }).ok());
  EXPECT_LE((*db)->MaxCachedStatementsForTesting(), 256u);
  EXPECT_GT((*db)->MaxCachedStatementsForTesting(), 100u) << "the cache still caches";
}

TEST_F(SqliteDatabaseTest, QueryEachReadsRowsInPlaceAndStopsWhenTold) {
  auto db = SqliteDatabase::Open(":memory:");
  ASSERT_TRUE(db.ok());
  const std::string sql =
      "SELECT value, CASE WHEN value = 2 THEN NULL ELSE 'row ' || value END, x'00ff' "
      "FROM json_each('[1,2,3]')";
  std::vector<std::string> seen;
  ASSERT_TRUE((*db)->Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.QueryEach(sql, {}, [&](const RowView& r) -> Status {
      seen.push_back(std::to_string(r.Int(0)) + ":" + (r.IsNull(1) ? "null" : std::string(r.Text(1))));
      EXPECT_EQ(r.Text(2), std::string_view("\x00\xff", 2)) << "blobs whole, NUL included";
      return Ok();
    }));
    Status stopped = tx.QueryEach(sql, {}, [&](const RowView& r) -> Status {
      return r.Int(0) == 2 ? MakeError(ErrorCode::kConflict, "enough") : Ok();
    });
    EXPECT_EQ(stopped.error().message, "enough");
    // The cached statement was reset: the same query runs again from the start.
    GMG_ASSIGN_OR_RETURN(auto again, tx.Query(sql));
    EXPECT_EQ(again.size(), 3u);
    return Ok();
  }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"1:row 1", "2:null", "3:row 3"}));
}

TEST_F(SqliteDatabaseTest, AFileThatIsNotADatabaseIsRefused) {
  {
    FILE* f = std::fopen(path_.c_str(), "w");
    std::fputs("this is not sqlite, just text long enough to have a header .............", f);
    std::fclose(f);
  }
  auto db = SqliteDatabase::Open(path_);
  if (db.ok()) {
    EXPECT_FALSE(Migrate(**db).ok());
  } else {
    EXPECT_NE(db.error().message.find("not a database"), std::string::npos) << db.error().message;
  }
}

}  // namespace
}  // namespace gmg
