#include "governance/governance_service.h"

#include <gtest/gtest.h>

#include "app/testing.h"

namespace gmg {
namespace {

Principal FocalPointOf(const std::string& org) {
  Principal p;
  p.user_id = 0;
  p.email = "fp@" + org + ".int";
  p.role = Role::kFocalPoint;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() {
  Principal p;
  p.email = "sec@gmg.org";
  p.role = Role::kSecretariat;
  p.via = AuthVia::kToken;
  return p;
}

// On both engines (store/test_database.h).
class GovernanceServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    g_ = std::make_unique<GovernanceService>(*db_);
  }
  int64_t AuditRows() {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT count(*) FROM audit_log"));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<GovernanceService> g_;
};

TEST_P(GovernanceServiceTest, SeedsTheTenMembersPurposesAndHistory) {
  auto orgs = g_->ListOrganizations("current", Date::Today());
  ASSERT_TRUE(orgs.ok());
  std::vector<std::string> ids;
  for (const auto& o : *orgs) ids.push_back(o.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"ilo", "iom", "ohchr", "unctad", "undesa", "undp",
                                           "unfpa", "unhcr", "unodc", "worldbank"}));
  auto about = g_->GetAbout();
  EXPECT_EQ(about->purposes.size(), 12u);
  EXPECT_EQ(about->issues.size(), 5u);
  EXPECT_EQ(about->history.front().date_label, "April 2003");
  EXPECT_TRUE(*SeedGmg(*db_) == false) << "seeding twice does nothing";
  auto chair = g_->LoadRotation()->ChairOn(*Date::Parse("2006-05-09"));
  EXPECT_EQ(chair->organization_id, "unctad");
}

TEST_P(GovernanceServiceTest, AFocalPointEditsItsOwnOrganisationOnly) {
  auto iom = g_->GetOrganization("iom", Date::Today());
  OrganizationChange c;
  c.mandate = "New mandate text";
  auto updated = g_->UpdateOrganization(FocalPointOf("iom"), "iom", iom->version, c);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->mandate, "New mandate text");
  EXPECT_EQ(updated->version, iom->version + 1);

  auto unhcr = g_->GetOrganization("unhcr", Date::Today());
  auto denied = g_->UpdateOrganization(FocalPointOf("iom"), "unhcr", unhcr->version, c);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(g_->GetOrganization("unhcr", Date::Today())->mandate, unhcr->mandate);

  OrganizationChange rename;
  rename.name = "Renamed";
  EXPECT_EQ(
      g_->UpdateOrganization(FocalPointOf("iom"), "iom", updated->version, rename).error().code,
      ErrorCode::kPermissionDenied);
  FocalPointFields fp{"Ana", "Migration officer", "ana@unhcr.org", ""};
  EXPECT_EQ(g_->AddFocalPoint(FocalPointOf("iom"), "unhcr", fp).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(g_->AddFocalPoint(FocalPointOf("unhcr"), "unhcr", fp).ok());
}

TEST_P(GovernanceServiceTest, AStaleVersionIsRefusedAndChangesNothing) {
  auto iom = g_->GetOrganization("iom", Date::Today());
  int64_t audits = AuditRows();
  OrganizationChange c;
  c.mandate = "x";
  auto stale = g_->UpdateOrganization(Secretariat(), "iom", iom->version - 1, c);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(g_->GetOrganization("iom", Date::Today())->mandate, iom->mandate);
  EXPECT_EQ(AuditRows(), audits);
}

TEST_P(GovernanceServiceTest, MembershipHistoryIsAppendedNeverOverwritten) {
  NewOrganization unicef{"unicef",
                         "United Nations Children's Fund",
                         "UNICEF",
                         "Children on the move.",
                         *Date::Parse("2010-01-01"),
                         std::nullopt,
                         std::nullopt,
                         std::nullopt};
  EXPECT_EQ(g_->AdmitOrganization(FocalPointOf("iom"), unicef).error().code,
            ErrorCode::kPermissionDenied);
  auto admitted = g_->AdmitOrganization(Secretariat(), unicef);
  ASSERT_TRUE(admitted.ok()) << admitted.error().message;
  EXPECT_EQ(admitted->status, MemberStatus::kCurrent);
  EXPECT_EQ(g_->AdmitOrganization(Secretariat(), unicef).error().code, ErrorCode::kConflict);

  int64_t mid = admitted->memberships.front().id;
  int64_t v = admitted->version;
  EXPECT_EQ(g_->EndMembership(Secretariat(), "unicef", v, mid, *Date::Parse("2009-01-01"), "")
                .error()
                .code,
            ErrorCode::kFailedPrecondition)
      << "leaving before joining";
  EXPECT_EQ(g_->EndMembership(Secretariat(), "unicef", v - 1, mid, *Date::Parse("2012-06-30"), "")
                .error()
                .code,
            ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(
      g_->EndMembership(Secretariat(), "unicef", v, mid, *Date::Parse("2012-06-30"), "left").ok());
  EXPECT_EQ(g_->EndMembership(Secretariat(), "unicef", v + 1, mid, *Date::Parse("2013-01-01"), "")
                .error()
                .code,
            ErrorCode::kConflict);
  EXPECT_EQ(g_->GetOrganization("unicef", Date::Today())->status, MemberStatus::kFormer);
  EXPECT_EQ(g_->Readmit(Secretariat(), "unicef", *Date::Parse("2012-01-01"), "").error().code,
            ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(g_->Readmit(Secretariat(), "unicef", *Date::Parse("2015-01-01"), "back").ok());
  auto again = g_->GetOrganization("unicef", Date::Today());
  EXPECT_EQ(again->memberships.size(), 2u);
  EXPECT_EQ(again->status, MemberStatus::kCurrent);
  EXPECT_EQ(again->member_since, Date::Parse("2015-01-01"));
}

TEST_P(GovernanceServiceTest, EveryWriteIsAudited) {
  int64_t before = AuditRows();
  auto fp = g_->AddFocalPoint(Secretariat(), "ilo", {"Kofi", "Specialist", "kofi@ilo.org", "+41"});
  ASSERT_TRUE(fp.ok());
  ASSERT_TRUE(g_->UpdateFocalPoint(Secretariat(), "ilo", fp->id, fp->version,
                                   {std::nullopt, "Senior", std::nullopt, std::nullopt})
                  .ok());
  ASSERT_TRUE(g_->ArchiveFocalPoint(Secretariat(), "ilo", fp->id).ok());
  EXPECT_TRUE(g_->ListFocalPoints("ilo")->empty());
  EXPECT_EQ(AuditRows(), before + 3);
  EXPECT_EQ(g_->GetOrganization("ilo", Date::Today())->version, 4)
      << "each focal-point change is a new version";
}

TEST_P(GovernanceServiceTest, RotationPlansOnlyMoveForwardAndOverridesDoNotOverlap) {
  Principal admin = Principal::Cli();
  RotationPlan past{0, *Date::Parse("2000-01-01"), 6, {"ilo"}, 0};
  EXPECT_EQ(g_->AddRotationPlan(admin, past).error().code, ErrorCode::kFailedPrecondition);
  RotationPlan unknown{0, *Date::Parse("2030-01-01"), 6, {"ilo", "unicef"}, 0};
  EXPECT_EQ(g_->AddRotationPlan(admin, unknown).error().code, ErrorCode::kFailedPrecondition);
  RotationPlan twice{0, *Date::Parse("2030-01-01"), 6, {"ilo", "ilo"}, 0};
  EXPECT_EQ(g_->AddRotationPlan(admin, twice).error().code, ErrorCode::kFailedPrecondition);
  RotationPlan ok{0, *Date::Parse("2030-01-01"), 12, {"iom", "ilo"}, 0};
  ASSERT_TRUE(g_->AddRotationPlan(admin, ok).ok());
  EXPECT_EQ(g_->LoadRotation()->ChairOn(*Date::Parse("2030-06-01"))->organization_id, "iom");
  EXPECT_EQ(g_->AddRotationPlan(Secretariat(), ok).error().code, ErrorCode::kPermissionDenied);

  ChairOverride o{0, *Date::Parse("2031-02-01"), *Date::Parse("2031-03-01"), "unhcr", "agreed", 0};
  auto created = g_->AddOverride(admin, o);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(g_->AddOverride(admin, o).error().code, ErrorCode::kConflict);
  EXPECT_EQ(g_->LoadRotation()->ChairOn(*Date::Parse("2031-02-15"))->organization_id, "unhcr");
  ASSERT_TRUE(g_->ArchiveOverride(admin, created->id).ok());
  EXPECT_EQ(g_->LoadRotation()->ChairOn(*Date::Parse("2031-02-15"))->organization_id, "ilo");
}

TEST_P(GovernanceServiceTest, APlanNotStartedCanBePreviewedAndWithdrawn) {
  Principal admin = Principal::Cli();
  Date today = *Date::Parse("2029-06-01");
  RotationPlan plan{0, *Date::Parse("2030-01-01"), 6, {" IOM", "Ilo "}, 0};
  auto preview =
      g_->PreviewRotationPlan(admin, plan, *Date::Parse("2030-01-01"), *Date::Parse("2030-12-31"));
  ASSERT_TRUE(preview.ok()) << preview.error().message;
  ASSERT_EQ(preview->size(), 2u);
  EXPECT_EQ((*preview)[0].organization_id, "iom");
  EXPECT_EQ((*preview)[1].organization_id, "ilo");
  EXPECT_TRUE(g_->ListRotationPlans()->front().starts_on < plan.starts_on) << "preview wrote";
  EXPECT_EQ(g_->PreviewRotationPlan(Secretariat(), plan, today, today).error().code,
            ErrorCode::kPermissionDenied);

  auto added = g_->AddRotationPlan(admin, plan);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->order, (std::vector<std::string>{"iom", "ilo"}));
  EXPECT_EQ(g_->WithdrawRotationPlan(Secretariat(), added->id, today).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(g_->WithdrawRotationPlan(admin, added->id, *Date::Parse("2030-01-01")).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(g_->WithdrawRotationPlan(admin, 999999, today).error().code, ErrorCode::kNotFound);
  auto withdrawn = g_->WithdrawRotationPlan(admin, added->id, today);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.error().message;
  EXPECT_NE(withdrawn->withdrawn_at, 0);
  EXPECT_EQ(g_->WithdrawRotationPlan(admin, added->id, today).error().code, ErrorCode::kConflict);
  EXPECT_NE(g_->LoadRotation()->ChairOn(*Date::Parse("2030-03-01"))->organization_id, "iom");
  EXPECT_EQ(g_->ListRotationPlans()->front().withdrawn_at, withdrawn->withdrawn_at);
  // The same start can be planned again once the first plan is withdrawn.
  RotationPlan again{0, *Date::Parse("2030-01-01"), 6, {"unhcr"}, 0};
  ASSERT_TRUE(g_->AddRotationPlan(admin, again).ok());
  EXPECT_EQ(g_->LoadRotation()->ChairOn(*Date::Parse("2030-03-01"))->organization_id, "unhcr");
}

// The rule code of a refused write ("" when it gave none), and its one detail.
template <typename T>
FieldProblem Broken(const Result<T>& r) {
  EXPECT_FALSE(r.ok());
  if (r.ok() || r.error().details.empty()) return {"", "(no detail)"};
  EXPECT_EQ(r.error().details.size(), 1u) << r.error().message;
  return r.error().details[0];
}

std::string Arg(const FieldProblem& d, const std::string& name) {
  for (const auto& [n, v] : d.args) {
    if (n == name) return v;
  }
  return "";
}

// Issue 9: every refusal a form shows carries a rule code (docs/api.md lists them).
TEST_P(GovernanceServiceTest, EveryRefusalCarriesARuleCode) {
  NewOrganization o{
      "unicef",     "UNICEF",     "UNICEF",    "Children.", *Date::Parse("2010-01-01"),
      std::nullopt, std::nullopt, std::nullopt};
  NewOrganization bad_id = o;
  bad_id.id = "1x";
  EXPECT_EQ(Broken(g_->AdmitOrganization(Secretariat(), bad_id)).rule, "invalid_org_id");
  NewOrganization exists = o;
  exists.id = "iom";
  FieldProblem dup = Broken(g_->AdmitOrganization(Secretariat(), exists));
  EXPECT_EQ(dup.rule, "already_exists");
  EXPECT_EQ(Arg(dup, "value"), "iom");
  NewOrganization site = o;
  site.website = "www.unicef.org";
  FieldProblem url = Broken(g_->AdmitOrganization(Secretariat(), site));
  EXPECT_EQ(url.field, "website");
  EXPECT_EQ(url.rule, "invalid_url");
  NewOrganization iati = o;
  iati.iati_org_id = "XM DAC";
  EXPECT_EQ(Broken(g_->AdmitOrganization(Secretariat(), iati)).rule, "invalid_iati_org_id");
  NewOrganization used = o;
  used.iati_org_id = *g_->GetOrganization("iom", Date::Today())->iati_org_id;
  FieldProblem taken = Broken(g_->AdmitOrganization(Secretariat(), used));
  EXPECT_EQ(taken.rule, "already_used");
  EXPECT_EQ(Arg(taken, "by"), "iom");

  auto iom = g_->GetOrganization("iom", Date::Today());
  OrganizationChange rename;
  rename.name = "Renamed";
  EXPECT_EQ(Broken(g_->UpdateOrganization(FocalPointOf("iom"), "iom", iom->version, rename)).rule,
            "secretariat_only");
  FocalPointFields no_mail{"Ana", "", "ana-at-iom", ""};
  EXPECT_EQ(Broken(g_->AddFocalPoint(Secretariat(), "iom", no_mail)).rule, "invalid_email");

  FieldProblem member = Broken(g_->Readmit(Secretariat(), "iom", *Date::Parse("2030-01-01"), ""));
  EXPECT_EQ(member.field, "") << "a rule of no single field";
  EXPECT_EQ(member.rule, "already_member");
  int64_t mid = iom->memberships.back().id;
  FieldProblem early = Broken(
      g_->EndMembership(Secretariat(), "iom", iom->version, mid, *Date::Parse("1900-01-01"), ""));
  EXPECT_EQ(early.rule, "before_start");
  EXPECT_EQ(Arg(early, "start"), iom->memberships.back().joined_on.ToString());

  Principal admin = Principal::Cli();
  EXPECT_EQ(Broken(g_->AddRotationPlan(admin, {0, *Date::Parse("2030-01-01"), 6, {}, 0})).rule,
            "required");
  FieldProblem twice =
      Broken(g_->AddRotationPlan(admin, {0, *Date::Parse("2030-01-01"), 6, {"ilo", "ILO"}, 0}));
  EXPECT_EQ(twice.rule, "duplicate_value");
  EXPECT_EQ(Arg(twice, "value"), "ilo");
  FieldProblem unknown =
      Broken(g_->AddRotationPlan(admin, {0, *Date::Parse("2030-01-01"), 6, {"nobody"}, 0}));
  EXPECT_EQ(unknown.rule, "unknown_organization");
  EXPECT_EQ(Arg(unknown, "value"), "nobody");
  FieldProblem past =
      Broken(g_->AddRotationPlan(admin, {0, *Date::Parse("2000-01-01"), 6, {"ilo"}, 0}));
  EXPECT_EQ(past.rule, "after_latest_plan");
  EXPECT_FALSE(Arg(past, "date").empty());
  auto plan = g_->AddRotationPlan(admin, {0, *Date::Parse("2030-01-01"), 6, {"ilo"}, 0});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Broken(g_->WithdrawRotationPlan(admin, plan->id, *Date::Parse("2030-02-01"))).rule,
            "plan_started");

  ChairOverride backwards{0, *Date::Parse("2031-03-01"), *Date::Parse("2031-02-01"), "unhcr", "x",
                          0};
  EXPECT_EQ(Broken(g_->AddOverride(admin, backwards)).rule, "before_start");
  ChairOverride o1{0, *Date::Parse("2031-02-01"), *Date::Parse("2031-03-01"), "unhcr", "x", 0};
  ASSERT_TRUE(g_->AddOverride(admin, o1).ok());
  FieldProblem overlap = Broken(g_->AddOverride(admin, o1));
  EXPECT_EQ(overlap.rule, "override_overlaps");
  EXPECT_EQ(Arg(overlap, "from"), "2031-02-01");
}

INSTANTIATE_TEST_SUITE_P(Engines, GovernanceServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
