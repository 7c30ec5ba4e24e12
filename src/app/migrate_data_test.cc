// `gmg migrate-data` end to end in one process: a seeded installation copied SQLite → each
// engine → SQLite keeps every row of every table (store/copy.h).
#include <gtest/gtest.h>

#include <map>

#include "activities/activity_service.h"
#include "activities/demo.h"
#include "app/modules.h"
#include "auth/crypto.h"
#include "governance/seed.h"
#include "library/library_text_index.h"
#include "store/copy.h"
#include "store/test_database.h"

namespace gmg {
namespace {

class MigrateDataTest : public ::testing::TestWithParam<Dialect> {};

std::map<std::string, TableCopy> ByTable(const std::vector<TableCopy>& report) {
  std::map<std::string, TableCopy> out;
  for (const auto& t : report) out[t.table] = t;
  return out;
}

TEST_P(MigrateDataTest, ASeededInstallationRoundTripsWithTheSameChecksums) {
  ASSERT_TRUE(InitCrypto().ok());
  auto source = OpenEmptyTestDatabase(Dialect::kSqlite);
  auto middle = OpenEmptyTestDatabase(GetParam());
  if (!middle) return;  // skipped or failed, recorded
  auto back = OpenEmptyTestDatabase(Dialect::kSqlite);
  ASSERT_TRUE(Migrate(*source).ok());
  ASSERT_TRUE(SeedGmg(*source).ok());
  ASSERT_TRUE(SeedThemes(*source).ok());
  ActivityService activities(*source);
  auto demo = LoadDemoActivities(*source, activities);
  ASSERT_TRUE(demo.ok()) << demo.error().message;
  ASSERT_GT(*demo, 0);
  for (Database* db : {static_cast<Database*>(middle.get()), static_cast<Database*>(back.get())}) {
    Status migrated = Migrate(*db);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  }

  CopyOptions options;
  options.skip_tables = DerivedTables();  // indexes rebuilt below
  options.after_copy = [](Database& db) -> Status {
    std::vector<int64_t> ids;
    GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) {
      return tx.QueryEach("SELECT id FROM activities", {}, [&](const RowView& r) -> Status {
        ids.push_back(r.Int(0));
        return Ok();
      });
    }));
    ActivityService service(db);
    GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) { return service.ReindexInTx(tx, ids); }));
    return db.Write([](Tx& tx) { return RebuildLibraryIndex(tx); });
  };
  std::vector<TableCopy> there, again;
  Status s = CopyDatabase(*source, *middle, options, &there);
  ASSERT_TRUE(s.ok()) << s.error().message;
  s = CopyDatabase(*middle, *back, options, &again);
  ASSERT_TRUE(s.ok()) << s.error().message;

  auto first = ByTable(there), second = ByTable(again);
  EXPECT_EQ(first.size(), second.size());
  EXPECT_GE(first.size(), 20u) << "every module's tables";
  EXPECT_GT(first["activities"].source_rows, 0);
  EXPECT_GT(first["organizations"].source_rows, 0);
  for (const auto& [table, line] : first) {
    EXPECT_TRUE(line.matches()) << table;
    EXPECT_EQ(second[table].source_rows, line.source_rows) << table;
    EXPECT_EQ(second[table].destination_checksum, line.source_checksum) << table;
  }
  // The search index was rebuilt on the way back: every activity is found by its title.
  ASSERT_TRUE(back->Read([&](Tx& tx) -> Status {
                    GMG_ASSIGN_OR_RETURN(auto indexed,
                                         tx.QueryOne("SELECT count(*) FROM activities_fts"));
                    GMG_ASSIGN_OR_RETURN(
                        auto live,
                        tx.QueryOne("SELECT count(*) FROM activities WHERE archived_at IS NULL"));
                    EXPECT_EQ(indexed->Int(0), live->Int(0));
                    return Ok();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, MigrateDataTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
