#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "app/modules.h"

// SQLite-only behaviour (files, migrations); the Database contract on both engines is in
// store/database_test.cc.
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
  ASSERT_TRUE((*db)
                  ->Write([](Tx& tx) -> Status {
                    GMG_RETURN_IF_ERROR(
                        tx.Exec("INSERT INTO schema_version VALUES (999, 0, 'from the future')"));
                    return Ok();
                  })
                  .ok());
  Status s = Migrate(**db);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("999"), std::string::npos) << s.error().message;
}

TEST_F(SqliteDatabaseTest, CommittedWritesAreSeenByNewReadersAndBackups) {
  {
    auto db = SqliteDatabase::Open(path_);
    ASSERT_TRUE(Migrate(**db).ok());
    ASSERT_TRUE((*db)
                    ->Write([](Tx& tx) -> Status {
                      GMG_RETURN_IF_ERROR(tx.Exec(
                          "INSERT INTO organizations (id, name, acronym, created_at, updated_at) "
                          "VALUES (?, ?, ?, 0, 0)",
                          {std::string("iom"), std::string("IOM"), std::string("IOM")}));
                      return Ok();
                    })
                    .ok());
    EXPECT_EQ(CountOrganizations(**db), 1);
    ASSERT_TRUE((*db)->Backup((dir_ / "copy.db").string()).ok());
  }
  auto reopened = SqliteDatabase::Open(path_);
  EXPECT_EQ(CountOrganizations(**reopened), 1);
  auto copy = SqliteDatabase::Open((dir_ / "copy.db").string());
  EXPECT_EQ(CountOrganizations(**copy), 1);
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
