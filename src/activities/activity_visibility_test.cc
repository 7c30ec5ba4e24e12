// The three places that decide which activities a viewer sees — the access policy in memory,
// its SQL predicate in the database, the search catalog — agree on every viewer and record.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "activities/activity_catalog.h"
#include "activities/activity_service.h"
#include "activities/activity_text_index.h"
#include "app/testing.h"
#include "core/access_policy.h"

namespace gmg {
namespace {

struct Record {
  int64_t id;
  Visibility visibility;
  std::string owner;
};

Principal Someone(Role role, std::string organization) {
  Principal p;
  p.user_id = role == Role::kAnonymous ? 0 : 3;
  p.role = role;
  p.organization_id = std::move(organization);
  p.via = AuthVia::kToken;
  return p;
}

class ActivityVisibilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting();
    ASSERT_TRUE(SeedThemes(*db_).ok());
    ActivityService s(*db_);
    for (const char* owner : {"iom", "ilo", "unhcr"}) {
      for (Visibility v : kAllVisibilities) {
        ActivityInput in;
        in.organization_id = owner;
        in.titles = {{"en", std::string("Work of ") + owner}};
        in.type = "research";
        in.countries = {"MX"};
        in.visibility = VisibilityName(v);
        auto a = s.Create(Someone(Role::kSecretariat, ""), in);
        ASSERT_TRUE(a.ok()) << a.error().message;
        records_.push_back({a->id, v, owner});
      }
    }
    auto index = ActivityTextIndex::For(db_->Dialect());
    ASSERT_TRUE(db_->Read([&](Tx& tx) { return catalog_.Sync(tx, *index); }).ok());
  }

  // The ids the SQL predicate lets through.
  std::set<int64_t> SqlVisible(const Audience& audience) {
    SqlPredicate p = AccessPolicy::VisibleSql(audience, "a.visibility", "a.organization_id");
    std::string sql = "SELECT a.id FROM activities a WHERE a.archived_at IS NULL";
    if (!p.sql.empty()) sql += " AND " + p.sql;
    SqlParams params(p.params.begin(), p.params.end());
    std::set<int64_t> ids;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
                     for (const Row& r : rows) ids.insert(r.Int(0));
                     return Ok();
                   })
                    .ok());
    return ids;
  }

  std::unique_ptr<Database> db_;
  ActivityCatalog catalog_;
  std::vector<Record> records_;
};

TEST_F(ActivityVisibilityTest, PolicySqlAndCatalogAgreeForEveryViewerAndRecord) {
  const Role kRoles[] = {Role::kAnonymous,  Role::kStakeholder, Role::kMember,
                         Role::kFocalPoint, Role::kSecretariat, Role::kAdmin};
  int checked = 0;
  for (Role role : kRoles) {
    for (const char* org : {"", "iom", "unhcr", "worldbank"}) {
      for (bool member_today : {false, true}) {
        Audience audience = AccessPolicy::AudienceOf(Someone(role, org), member_today);
        std::set<int64_t> by_sql = SqlVisible(audience);
        auto reader = catalog_.Read();
        for (const Record& r : records_) {
          bool policy = AccessPolicy::MaySee(audience, r.visibility, r.owner);
          const ActivityCatalog::Entry* e = reader.Find(r.id);
          ASSERT_NE(e, nullptr);
          SCOPED_TRACE(std::string(RoleName(role)) + " of '" + org + "', member today " +
                       (member_today ? "yes" : "no") + ": a " + VisibilityName(r.visibility) +
                       " activity of " + r.owner);
          EXPECT_EQ(by_sql.count(r.id) == 1, policy);
          EXPECT_EQ(reader.Visible(audience, *e), policy);
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 6 * 4 * 2 * 9);
}

// Through the service, where the database says whether the viewer's organisation is a member
// today: what the list returns is what the policy allows.
TEST_F(ActivityVisibilityTest, TheServiceListsWhatThePolicyAllows) {
  ActivityService s(*db_);
  for (Role role : {Role::kAnonymous, Role::kMember, Role::kFocalPoint, Role::kAdmin}) {
    Principal p = Someone(role, role == Role::kAdmin ? "" : "ilo");
    Audience audience;
    ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(audience, ActivityService::AudienceOf(tx, p));
                     return Ok();
                   })
                    .ok());
    auto page = s.List(p, ActivityFilter{}, 100, 0);
    ASSERT_TRUE(page.ok());
    std::set<int64_t> listed;
    for (const Activity& a : page->items) listed.insert(a.id);
    for (const Record& r : records_) {
      EXPECT_EQ(listed.count(r.id) == 1, AccessPolicy::MaySee(audience, r.visibility, r.owner))
          << RoleName(role) << ": a " << VisibilityName(r.visibility) << " activity of " << r.owner;
      EXPECT_EQ(s.Get(p, r.id).ok(), AccessPolicy::MaySee(audience, r.visibility, r.owner));
    }
  }
}

}  // namespace
}  // namespace gmg
