// Test helper: a private database, migrated (every module) and seeded with the GMG. It sits in
// app/ because it needs every module; store/ knows none.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/seed.h"
#include "store/test_database.h"

namespace gmg {

// SQLite in memory by default; a fresh PostgreSQL database for Dialect::kPostgres
// (store/test_database.h), or nullptr when that engine is skipped (a skip or failure is
// recorded: call from SetUp and GTEST_SKIP() on nullptr).
inline std::unique_ptr<Database> OpenSeededDatabaseForTesting(Dialect dialect = Dialect::kSqlite) {
  EXPECT_TRUE(InitCrypto().ok());
  std::unique_ptr<Database> db = OpenEmptyTestDatabase(dialect);
  if (!db) return nullptr;
  Status migrated = Migrate(*db);
  EXPECT_TRUE(migrated.ok()) << migrated.error().message;
  auto seeded = SeedGmg(*db);
  EXPECT_TRUE(seeded.ok()) << seeded.error().message;
  return db;
}

}  // namespace gmg
