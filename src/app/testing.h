// Test helper: a private database, migrated (every module) and seeded with the GMG. It sits in
// app/ because it needs every module; store/ knows none.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/seed.h"
#include "store/test_database.h"

namespace gmg {

namespace testing_internal {

// Migrates `db` (every module) and seeds the GMG; a failure is recorded in the current test.
inline bool MigrateAndSeed(Database& db) {
  Status migrated = Migrate(db);
  EXPECT_TRUE(migrated.ok()) << migrated.error().message;
  if (!migrated.ok()) return false;
  auto seeded = SeedGmg(db);
  EXPECT_TRUE(seeded.ok()) << seeded.error().message;
  return seeded.ok();
}

// A PostgreSQL database migrated and seeded once per test process, named gmg_tpl_<pid>, which
// each test copies (CREATE DATABASE … TEMPLATE) rather than migrating and seeding its own: that
// took ~0.4 s per test under the sanitizers, for ~240 tests. Made by the first test that asks
// (a failure is recorded in that test; later ones get an empty name) and dropped at exit.
class SeededPostgresTemplate {
 public:
  static const std::string& Name() {
    static SeededPostgresTemplate made;
    return made.name_;
  }
  SeededPostgresTemplate(const SeededPostgresTemplate&) = delete;
  SeededPostgresTemplate& operator=(const SeededPostgresTemplate&) = delete;
  ~SeededPostgresTemplate() {
    if (!name_.empty() && ::getpid() == owner_) {  // not in a forked child that exits
      (void)DropTestDatabase(admin_, name_);
    }
  }

 private:
  SeededPostgresTemplate() : admin_(TestPostgresAdminUrl()) {
    std::string name = "gmg_tpl_" + std::to_string(::getpid());
    Status created = RecreateTestDatabase(admin_, name);
    if (!created.ok()) {
      ADD_FAILURE() << created.error().message;
      return;
    }
    bool ready = false;
    {  // every connection closed before the database is used as a template
      auto db = PostgresDatabase::Open(WithDatabaseName(admin_, name));
      EXPECT_TRUE(db.ok()) << db.error().message;
      ready = db.ok() && MigrateAndSeed(**db);
    }
    if (ready) {
      name_ = name;
    } else {
      (void)DropTestDatabase(admin_, name);
    }
  }

  std::string admin_;
  std::string name_;
  pid_t owner_ = ::getpid();
};

}  // namespace testing_internal

// SQLite in memory by default; a fresh PostgreSQL database for Dialect::kPostgres (a copy of the
// process's seeded template, above), or nullptr when that engine is skipped or its database
// could not be made (a skip or failure is recorded: call from SetUp and GTEST_SKIP() on
// nullptr).
inline std::unique_ptr<Database> OpenSeededDatabaseForTesting(Dialect dialect = Dialect::kSqlite) {
  EXPECT_TRUE(InitCrypto().ok());
  if (dialect == Dialect::kPostgres) {
    if (!PostgresConfiguredOrSkip()) return nullptr;
    const std::string& seeded = testing_internal::SeededPostgresTemplate::Name();
    if (seeded.empty()) {
      ADD_FAILURE() << "no seeded PostgreSQL template (the first test that asked says why)";
      return nullptr;
    }
    return NewPostgresTestDatabase(seeded);
  }
  std::unique_ptr<Database> db = OpenEmptyTestDatabase(dialect);
  if (db) testing_internal::MigrateAndSeed(*db);
  return db;
}

}  // namespace gmg
