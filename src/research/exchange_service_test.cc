#include "research/exchange_service.h"

#include <gtest/gtest.h>

#include "app/testing.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796122800;  // 2026-12-01T11:00:00Z

Principal StaffOf(const std::string& org, Role role) {
  Principal p;
  p.user_id = 7;
  p.email = "someone@" + org + ".int";
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() { return StaffOf("", Role::kSecretariat); }
Principal FocalPoint(const std::string& org) { return StaffOf(org, Role::kFocalPoint); }

const FieldProblem& Broken(const Error& e) {
  static const FieldProblem kNone("", "");
  return e.details.empty() ? kNone : e.details.front();
}

class ExchangeServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    service_ = std::make_unique<ExchangeService>(
        *db_, [](int64_t id) -> Result<bool> { return id == 7; }, [] { return kNow; });
  }
  int64_t Count(const std::string& sql) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }
  static ExchangeFields Secondment() {
    return ExchangeFields{.kind = "secondment",
                          .from_organization = "ilo",
                          .to_organization = "iom",
                          .person_name = "A. Specialist",
                          .started_on = "2027-01-01",
                          .ended_on = "2027-12-31",
                          .purpose = "Fair recruitment"};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<ExchangeService> service_;
};

TEST_P(ExchangeServiceTest, EitherOrganisationsFocalPointRecordsAndMovesIt) {
  auto e = service_->Create(FocalPoint("ilo"), Secondment());
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->status, "proposed");
  auto agreed = service_->Update(FocalPoint("iom"), e->id, {.status = "agreed"});
  ASSERT_TRUE(agreed.ok()) << agreed.error().message;
  EXPECT_EQ(agreed->status, "agreed");
  EXPECT_TRUE(service_->Update(FocalPoint("ilo"), e->id, {.status = "in_progress"}).ok());
  EXPECT_TRUE(service_->Update(Secretariat(), e->id, {.status = "completed"}).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'staff_exchange'"), 4);
}

TEST_P(ExchangeServiceTest, AThirdAgencyIsRefused) {
  EXPECT_EQ(service_->Create(FocalPoint("unhcr"), Secondment()).error().code,
            ErrorCode::kPermissionDenied);
  auto e = service_->Create(Secretariat(), Secondment());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(service_->Update(FocalPoint("unhcr"), e->id, {.status = "agreed"}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      service_->Update(StaffOf("iom", Role::kMember), e->id, {.status = "agreed"}).error().code,
      ErrorCode::kPermissionDenied);
  // A third member's staff reads it (a GMG insider) but cannot change it.
  EXPECT_EQ(service_->Get(FocalPoint("unhcr"), e->id)->status, "proposed");
}

TEST_P(ExchangeServiceTest, OnlyGmgInsidersSeeExchanges) {
  auto e = service_->Create(Secretariat(), Secondment());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(service_->List(Principal{}, "").error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_->List(StaffOf("", Role::kStakeholder), "").error().code,
            ErrorCode::kPermissionDenied);
  Principal former = StaffOf("iom", Role::kMember);
  former.outside_gmg = true;
  EXPECT_EQ(service_->Get(former, e->id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->List(StaffOf("unhcr", Role::kMember), "")->size(), 1u);
  EXPECT_EQ(service_->List(Secretariat(), "iom")->size(), 1u);
  EXPECT_EQ(service_->List(Secretariat(), "unhcr")->size(), 0u);
  EXPECT_TRUE(service_->Search(Principal{}, "specialist", 10)->empty());
  EXPECT_EQ(service_->Search(Secretariat(), "specialist", 10)->size(), 1u);
}

TEST_P(ExchangeServiceTest, RefusesBadInputAndChangesNothing) {
  auto check = [&](const ExchangeFields& f, const std::string& field, const std::string& rule) {
    auto r = service_->Create(Secretariat(), f);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(Broken(r.error()).field, field) << r.error().message;
    EXPECT_EQ(Broken(r.error()).rule, rule);
  };
  ExchangeFields f = Secondment();
  f.to_organization = "ilo";
  check(f, "to_organization", "same_organization");
  f = Secondment();
  f.to_organization = "nobody";
  check(f, "to_organization", "not_gmg_member");
  f = Secondment();
  f.kind = "holiday";
  check(f, "kind", "not_in_list");
  f = Secondment();
  f.ended_on = "2026-12-31";
  check(f, "ended_on", "before_start");
  f = Secondment();
  f.started_on = "2027-02-30";
  check(f, "started_on", "invalid_date");
  f = Secondment();
  f.person_name = "";
  check(f, "person_name", "required");
  f = Secondment();
  f.user_id = 8;
  check(f, "user_id", "unknown_user");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff_exchanges"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'staff_exchange'"), 0);
}

TEST_P(ExchangeServiceTest, StatusMovesOnlyAlongAllowedTransitions) {
  auto e = service_->Create(Secretariat(), Secondment());
  ASSERT_TRUE(e.ok());
  auto skip = service_->Update(Secretariat(), e->id, {.status = "completed"});
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(Broken(skip.error()).rule, "invalid_transition");
  EXPECT_EQ(Broken(service_->Update(Secretariat(), e->id, {.status = "paused"}).error()).rule,
            "not_in_list");
  ASSERT_TRUE(service_->Update(Secretariat(), e->id, {.status = "cancelled"}).ok());
  EXPECT_EQ(Broken(service_->Update(Secretariat(), e->id, {.status = "agreed"}).error()).rule,
            "invalid_transition");
  EXPECT_EQ(service_->Get(Secretariat(), e->id)->status, "cancelled");
  EXPECT_TRUE(IsExchangeTransition("proposed", "agreed"));
  EXPECT_FALSE(IsExchangeTransition("completed", "in_progress"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ExchangeServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
