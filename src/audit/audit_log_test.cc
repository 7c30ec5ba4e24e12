#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include "audit/audit_migrations.h"
#include "store/test_database.h"

namespace gmg {
namespace {

// On both engines (store/test_database.h), over the audit module's own tables only.
class AuditLogTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenEmptyTestDatabase(GetParam());
    if (!db_) GTEST_SKIP();
    ASSERT_TRUE(Migrate(*db_, AuditMigrations()).ok());
    Principal ana;
    ana.email = "Ana@IOM.int";
    ana.user_id = 7;
    ana.role = Role::kFocalPoint;
    Principal bo;
    bo.email = "bo@ilo.org";
    bo.user_id = 8;
    bo.role = Role::kFocalPoint;
    ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                     for (int i = 0; i < 5; ++i) {
                       GMG_RETURN_IF_ERROR(RecordAudit(tx, i % 2 ? bo : ana, "update",
                                                       "organization", i < 3 ? "iom" : "ilo",
                                                       nullptr, boost::json::object{{"i", i}}));
                     }
                     return Ok();
                   })
                    .ok());
  }
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(AuditLogTest, FiltersByEntityAndActorWhateverTheCaseNewestFirst) {
  auto all = ListAudit(*db_, {});
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->total, 5);
  ASSERT_EQ(all->entries.size(), 5u);
  EXPECT_GT(all->entries.front().id, all->entries.back().id);

  AuditQuery by_entity;
  by_entity.entity = "organization";
  by_entity.entity_id = "iom";
  EXPECT_EQ(ListAudit(*db_, by_entity)->total, 3);

  AuditQuery by_actor;
  by_actor.actor = "ana@iom.int";
  auto ana = ListAudit(*db_, by_actor);
  ASSERT_TRUE(ana.ok()) << ana.error().message;
  EXPECT_EQ(ana->total, 3);
  EXPECT_EQ(ana->entries.front().actor_email, "Ana@IOM.int");
}

TEST_P(AuditLogTest, PagesWithBeforeId) {
  AuditQuery first;
  first.limit = 2;
  auto page = ListAudit(*db_, first);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->entries.size(), 2u);
  AuditQuery next = first;
  next.before_id = page->entries.back().id;
  auto second = ListAudit(*db_, next);
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(second->entries.size(), 2u);
  EXPECT_LT(second->entries.front().id, page->entries.back().id);
}

TEST_P(AuditLogTest, ListsTheEntityKindsItHolds) {
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   return RecordAudit(tx, Principal::Cli(), "create", "activity", "32", nullptr,
                                      boost::json::object{{"id", 32}});
                 })
                  .ok());
  auto kinds = ListAuditEntities(*db_);
  ASSERT_TRUE(kinds.ok()) << kinds.error().message;
  EXPECT_EQ(*kinds, (std::vector<std::string>{"activity", "organization"}));
}

TEST_P(AuditLogTest, ListsNoKindWhenEmpty) {
  auto empty = OpenEmptyTestDatabase(GetParam());
  ASSERT_TRUE(Migrate(*empty, AuditMigrations()).ok());
  auto kinds = ListAuditEntities(*empty);
  ASSERT_TRUE(kinds.ok()) << kinds.error().message;
  EXPECT_TRUE(kinds->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
