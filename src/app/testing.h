// Test helper: a private in-memory database, migrated (every module) and seeded with the GMG.
// It sits in app/ because it needs every module; store/ knows none.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/seed.h"
#include "store/sqlite/sqlite_database.h"

namespace gmg {

inline std::unique_ptr<Database> OpenSeededDatabaseForTesting() {
  EXPECT_TRUE(InitCrypto().ok());
  auto db = SqliteDatabase::Open(":memory:");
  EXPECT_TRUE(db.ok());
  EXPECT_TRUE(Migrate(**db).ok());
  EXPECT_TRUE(SeedGmg(**db).ok());
  return std::move(db).value();
}

}  // namespace gmg
