#include "app/modules.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <tuple>

#include "app/legacy_schema_testing.h"
#include "store/sqlite/sqlite_database.h"
#include "store/test_database.h"

namespace gmg {
namespace {

using SchemaObjects = std::set<std::tuple<std::string, std::string, std::string>>;

std::unique_ptr<Database> OpenMemory() {
  auto db = SqliteDatabase::Open(":memory:");
  EXPECT_TRUE(db.ok());
  return std::move(db).value();
}

// Every table, index and trigger with its SQL, but the migrations' own bookkeeping.
SchemaObjects Objects(Database& db) {
  SchemaObjects out;
  EXPECT_TRUE(db.Read([&](Tx& tx) -> Status {
                  GMG_ASSIGN_OR_RETURN(auto rows,
                                       tx.Query("SELECT type, name, coalesce(sql, '') FROM "
                                                "sqlite_master WHERE name NOT LIKE 'schema_%'"));
                  for (const Row& r : rows) out.insert({r.Text(0), r.Text(1), r.Text(2)});
                  return Ok();
                }).ok());
  return out;
}

TEST(ModulesTest, MigrationsComeInDependencyOrder) {
  std::vector<std::string> order;
  for (const Migration& m : AllMigrations()) {
    if (order.empty() || order.back() != m.module) order.emplace_back(m.module);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"audit", "auth", "governance", "activities",
                                             "statistics", "coherence", "notifications", "meetings",
                                             "positions", "initiatives", "library", "engagement",
                                             "training", "research"}));
  EXPECT_EQ(LatestSchemaVersion(), static_cast<int>(AllMigrations().size()));
}

TEST(ModulesTest, AnEmptyDatabaseGetsTheSameSchemaAsOneMigratedByTheOldGlobalNumbering) {
  auto fresh = OpenMemory();
  ASSERT_TRUE(Migrate(*fresh).ok());
  EXPECT_EQ(*SchemaVersion(*fresh), LatestSchemaVersion());

  auto legacy = OpenMemory();
  ASSERT_TRUE(legacy->Write([](Tx& tx) { return CreateLegacySchemaForTesting(tx, 4); }).ok());
  ASSERT_TRUE(Migrate(*legacy).ok()) << "carried over without re-running anything";
  EXPECT_EQ(*ReadSchemaVersions(*legacy), *ReadSchemaVersions(*fresh));
  EXPECT_EQ(DescribeSchema(*ReadSchemaVersions(*legacy)),
            "activities 13, audit 1, auth 3, coherence 2, engagement 1, governance 3, "
            "initiatives 1, library 4, meetings 2, "
            "notifications 1, "
            "positions 1, research 3, "
            "statistics 1, training 1");
  EXPECT_EQ(Objects(*legacy), Objects(*fresh));
}

TEST(ModulesTest, ADatabaseAtAnOldGlobalVersionRunsOnlyWhatItLacksAndKeepsItsRows) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
                  GMG_RETURN_IF_ERROR(CreateLegacySchemaForTesting(tx, 1));
                  return tx.ExecScript(
                      "INSERT INTO organizations (id, name, acronym, created_at, updated_at) "
                      "VALUES ('iom', 'International Organization for Migration', 'IOM', 0, 0);"
                      "INSERT INTO audit_log (at, actor_email, action, entity, entity_id) "
                      "VALUES (0, 'cli', 'create', 'organization', 'iom');");
                }).ok());
  ASSERT_TRUE(Migrate(*db).ok());
  EXPECT_EQ(*SchemaVersion(*db), LatestSchemaVersion());
  ASSERT_TRUE(db->Read([](Tx& tx) -> Status {
                  GMG_ASSIGN_OR_RETURN(auto org, tx.QueryOne("SELECT kind FROM organizations"));
                  EXPECT_EQ(org->Text(0), "member") << "governance 2 ran on the old table";
                  GMG_ASSIGN_OR_RETURN(auto n, tx.QueryOne("SELECT count(*) FROM audit_log"));
                  EXPECT_EQ(n->Int(0), 1);
                  return Ok();
                }).ok());
  auto fresh = OpenMemory();
  ASSERT_TRUE(Migrate(*fresh).ok());
  EXPECT_EQ(Objects(*db), Objects(*fresh));
}

TEST(ModulesTest, EachModuleComesAfterItsDependenciesAndMigratesOnlyItsOwnTables) {
  Modules modules;
  EXPECT_TRUE(CheckModules(modules.InOrder()).ok());
  std::vector<Module*> reversed(modules.InOrder().rbegin(), modules.InOrder().rend());
  Status s = CheckModules(reversed);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "module 'research' depends on 'audit', which does not come before it");
}

class ModulesOnEnginesTest : public ::testing::TestWithParam<Dialect> {};

TEST_P(ModulesOnEnginesTest, AnEmptyDatabaseMigratesToEveryModulesLatestVersionOnce) {
  auto db = OpenEmptyTestDatabase(GetParam());
  if (!db) return;  // skipped or failed, recorded
  Status s = Migrate(*db);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(*ReadSchemaVersions(*db), LatestVersions(AllMigrations()));
  EXPECT_EQ(*SchemaVersion(*db), LatestSchemaVersion());
  ASSERT_TRUE(Migrate(*db).ok()) << "migrating twice is a no-op";
  // Every module's tables are there with the same names and columns on both engines.
  ASSERT_TRUE(
      db->Write([](Tx& tx) -> Status {
          GMG_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO organizations (id, name, acronym, kind, created_at, "
                      "updated_at) VALUES ('iom', 'IOM', 'IOM', 'member', 0, 0)"));
          GMG_ASSIGN_OR_RETURN(auto user,
                               tx.QueryOne("INSERT INTO users (email, name, role, organization_id, "
                                           "password_hash, created_at, updated_at) VALUES "
                                           "('a@b.org', 'A', 'focal_point', 'iom', 'x', 0, 0) "
                                           "RETURNING id"));
          EXPECT_GT(user->Int(0), 0);
          GMG_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO audit_log (at, actor_email, action, entity, entity_id) "
                      "VALUES (0, 'a@b.org', 'create', 'organization', 'iom')"));
          GMG_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO activities (organization_id, title, type, status, "
                      "budget_amount, created_at, updated_at) VALUES "
                      "('iom', 'T', 'project', 2, 1.5, 0, 0)"));
          GMG_ASSIGN_OR_RETURN(auto series,
                               tx.QueryOne("INSERT INTO meeting_series (name, level, time_zone, "
                                           "created_at, updated_at) VALUES ('P', 'principals', "
                                           "'Europe/Zurich', 0, 0) RETURNING id"));
          GMG_ASSIGN_OR_RETURN(
              auto meeting,
              tx.QueryOne("INSERT INTO meetings (series_id, occurrence, title, "
                          "starts_local, ends_local, time_zone, starts_at, ends_at, "
                          "chair_org, chair_from_rotation, status, uid, created_at, "
                          "updated_at) VALUES (?, '2027-05-09T10:00', 'M', "
                          "'2027-05-09T10:00', '2027-05-09T12:00', 'Europe/Zurich', 1, "
                          "2, 'iom', 1, 'planned', 'u@gmg-hub', 0, 0) RETURNING id",
                          {series->Int(0)}));
          GMG_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO meeting_actions (meeting_id, title, owner_org, "
                      "due_date, status, created_at, updated_at) VALUES "
                      "(?, 'A', 'iom', '2027-06-01', 'open', 0, 0)",
                      {meeting->Int(0)}));
          return Ok();
        }).ok());
}

TEST_P(ModulesOnEnginesTest, EMailsAreUniqueWhateverTheirCase) {
  auto db = OpenEmptyTestDatabase(GetParam());
  if (!db) return;
  ASSERT_TRUE(Migrate(*db).ok());
  Status s = db->Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO users (email, name, role, password_hash, created_at, updated_at) "
                "VALUES ('a@b.org', 'A', 'admin', 'x', 0, 0), "
                "('A@B.org', 'B', 'admin', 'x', 0, 0)"));
    return Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << s.error().message;
}

INSTANTIATE_TEST_SUITE_P(Engines, ModulesOnEnginesTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
