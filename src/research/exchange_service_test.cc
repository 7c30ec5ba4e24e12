#include "research/exchange_service.h"

#include <gtest/gtest.h>

#include <tuple>

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

// Accounts: 7 of the IOM, 9 of UNHCR, 10 of no organisation; no other id exists.
Result<std::optional<ExchangeUserRef>> Users(int64_t id) {
  if (id == 7) return std::optional<ExchangeUserRef>(ExchangeUserRef{.organization_id = "iom"});
  if (id == 9) return std::optional<ExchangeUserRef>(ExchangeUserRef{.organization_id = "unhcr"});
  if (id == 10) return std::optional<ExchangeUserRef>(ExchangeUserRef{.organization_id = ""});
  return std::optional<ExchangeUserRef>();
}

class ExchangeServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    service_ = std::make_unique<ExchangeService>(*db_, Users, [] { return kNow; });
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
  EXPECT_EQ(e->proposed_by_organization, "ilo");
  EXPECT_EQ(e->version, 1);
  auto agreed = service_->Update(FocalPoint("iom"), e->id, std::nullopt, {.status = "agreed"});
  ASSERT_TRUE(agreed.ok()) << agreed.error().message;
  EXPECT_EQ(agreed->status, "agreed");
  EXPECT_TRUE(
      service_->Update(FocalPoint("ilo"), e->id, std::nullopt, {.status = "in_progress"}).ok());
  EXPECT_TRUE(service_->Update(Secretariat(), e->id, std::nullopt, {.status = "completed"}).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'staff_exchange'"), 4);
}

TEST_P(ExchangeServiceTest, TheProposingSideDoesNotAgreeAlone) {
  auto e = service_->Create(FocalPoint("ilo"), Secondment());
  ASSERT_TRUE(e.ok()) << e.error().message;
  auto alone = service_->Update(FocalPoint("ilo"), e->id, std::nullopt, {.status = "agreed"});
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Broken(alone.error()).field, "status");
  EXPECT_EQ(Broken(alone.error()).rule, "other_party_agrees");
  EXPECT_EQ(service_->Get(Secretariat(), e->id)->status, "proposed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'staff_exchange'"), 1);
  // The proposing side still edits the proposal and may withdraw it.
  EXPECT_TRUE(
      service_->Update(FocalPoint("ilo"), e->id, std::nullopt, {.purpose = "Ethical recruitment"})
          .ok());
  auto agreed = service_->Update(FocalPoint("iom"), e->id, std::nullopt, {.status = "agreed"});
  ASSERT_TRUE(agreed.ok()) << agreed.error().message;
  // Once agreed, either side moves it on.
  EXPECT_TRUE(
      service_->Update(FocalPoint("ilo"), e->id, std::nullopt, {.status = "in_progress"}).ok());

  // The receiving side's proposal: the sending side agrees; the secretariat may too.
  auto received = service_->Create(FocalPoint("iom"), Secondment());
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(received->proposed_by_organization, "iom");
  EXPECT_EQ(
      Broken(service_->Update(FocalPoint("iom"), received->id, std::nullopt, {.status = "agreed"})
                 .error())
          .rule,
      "other_party_agrees");
  EXPECT_TRUE(
      service_->Update(Secretariat(), received->id, std::nullopt, {.status = "agreed"}).ok());
  auto withdrawn = service_->Create(FocalPoint("iom"), Secondment());
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_TRUE(
      service_->Update(FocalPoint("iom"), withdrawn->id, std::nullopt, {.status = "cancelled"})
          .ok());

  // Proposed by the secretariat: neither side has agreed yet, so either side's focal point does.
  auto by_staff = service_->Create(Secretariat(), Secondment());
  ASSERT_TRUE(by_staff.ok());
  EXPECT_EQ(by_staff->proposed_by_organization, "");
  EXPECT_TRUE(
      service_->Update(FocalPoint("ilo"), by_staff->id, std::nullopt, {.status = "agreed"}).ok());
}

TEST_P(ExchangeServiceTest, UserIdNamesOnlyAnAccountOfEitherOrganisation) {
  auto with_user = [&](const Principal& actor, int64_t id) {
    ExchangeFields f = Secondment();
    f.user_id = id;
    return service_->Create(actor, f);
  };
  auto own = with_user(FocalPoint("ilo"), 7);  // an IOM account: the receiving side's
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->user_id, 7);
  auto missing = with_user(FocalPoint("ilo"), 8);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(Broken(missing.error()).rule, "unknown_user");
  // A third agency's account, and one of no organisation, answer exactly as a missing one.
  for (int64_t id : {9, 10}) {
    auto other = with_user(FocalPoint("ilo"), id);
    ASSERT_FALSE(other.ok()) << id;
    EXPECT_EQ(other.error().code, missing.error().code);
    EXPECT_EQ(Broken(other.error()).field, "user_id");
    EXPECT_EQ(Broken(other.error()).rule, "unknown_user");
    EXPECT_EQ(Broken(other.error()).problem, Broken(missing.error()).problem);
    EXPECT_EQ(Broken(other.error()).args.size(), 1u);
  }
  // The secretariat links any account.
  auto any = with_user(Secretariat(), 9);
  ASSERT_TRUE(any.ok()) << any.error().message;
  EXPECT_EQ(Broken(with_user(Secretariat(), 8).error()).rule, "unknown_user");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staff_exchanges"), 2);
}

TEST_P(ExchangeServiceTest, AStaleVersionIsRefusedAndChangesNothing) {
  auto e = service_->Create(FocalPoint("ilo"), Secondment());
  ASSERT_TRUE(e.ok());
  auto first = service_->Update(FocalPoint("ilo"), e->id, 1, {.purpose = "First"});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->version, 2);
  auto stale = service_->Update(FocalPoint("iom"), e->id, 1, {.purpose = "Second"});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(service_->Get(Secretariat(), e->id)->purpose, "First");
  auto current = service_->Update(FocalPoint("iom"), e->id, 2, {.status = "agreed"});
  ASSERT_TRUE(current.ok()) << current.error().message;
  EXPECT_EQ(current->version, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'staff_exchange'"), 3);
}

// Research migration 2 reads who proposed an existing exchange from its "create" audit row: a
// focal point of either organisation makes it that organisation's; anyone else none.
TEST_P(ExchangeServiceTest, Migration2BackfillsTheProposerFromTheAuditLog) {
  auto db = OpenEmptyTestDatabase(GetParam());
  if (!db) GTEST_SKIP();
  std::vector<Migration> before;
  for (const Migration& m : AllMigrations()) {
    if (!(m.module == "research" && m.version >= 2)) before.push_back(m);
  }
  ASSERT_TRUE(Migrate(*db, before).ok());
  ASSERT_TRUE(SeedGmg(*db).ok());
  Status filled = db->Write([](Tx& tx) -> Status {
    for (const auto& [id, role, org] :
         {std::tuple{int64_t{51}, "focal_point", "ilo"}, std::tuple{int64_t{52}, "member", "iom"},
          std::tuple{int64_t{53}, "focal_point", "unhcr"}}) {
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO users (id, email, name, role, organization_id, password_hash, created_at, "
          "updated_at) VALUES (?, ?, 'X', ?, ?, 'x', 0, 0)",
          {id, "u" + std::to_string(id) + "@example.org", std::string(role), std::string(org)}));
    }
    // Exchanges 1-4 from the ILO to the IOM, created by: the ILO's focal point, an IOM member,
    // a third agency's focal point, nobody (no user, the command line).
    for (int64_t id = 1; id <= 4; ++id) {
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO staff_exchanges (id, kind, from_org, to_org, person_name, started_on, "
          "ended_on, status, created_at, updated_at) VALUES (?, 'loan', 'ilo', 'iom', 'P', "
          "'2027-01-01', '2027-02-01', 'proposed', 0, 0)",
          {id}));
      SqlValue actor = nullptr;
      if (id < 4) actor = int64_t{50} + id;
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO audit_log (at, actor_user_id, actor_email, action, entity, "
                  "entity_id) VALUES (0, ?, 'x', 'create', 'staff_exchange', ?)",
                  {actor, std::to_string(id)}));
    }
    return Ok();
  });
  ASSERT_TRUE(filled.ok()) << filled.error().message;
  Status migrated = Migrate(*db, AllMigrations());
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  ExchangeService service(*db, Users, [] { return kNow; });
  std::vector<std::string> proposers;
  for (int64_t id = 1; id <= 4; ++id) {
    auto e = service.Get(Secretariat(), id);
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_EQ(e->version, 1);
    proposers.push_back(e->proposed_by_organization);
  }
  EXPECT_EQ(proposers, (std::vector<std::string>{"ilo", "", "", ""}));
}

TEST_P(ExchangeServiceTest, AThirdAgencyIsRefused) {
  EXPECT_EQ(service_->Create(FocalPoint("unhcr"), Secondment()).error().code,
            ErrorCode::kPermissionDenied);
  auto e = service_->Create(Secretariat(), Secondment());
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(
      service_->Update(FocalPoint("unhcr"), e->id, std::nullopt, {.status = "agreed"}).error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      service_->Update(StaffOf("iom", Role::kMember), e->id, std::nullopt, {.status = "agreed"})
          .error()
          .code,
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
  auto skip = service_->Update(Secretariat(), e->id, std::nullopt, {.status = "completed"});
  ASSERT_FALSE(skip.ok());
  EXPECT_EQ(Broken(skip.error()).rule, "invalid_transition");
  EXPECT_EQ(
      Broken(service_->Update(Secretariat(), e->id, std::nullopt, {.status = "paused"}).error())
          .rule,
      "not_in_list");
  ASSERT_TRUE(service_->Update(Secretariat(), e->id, std::nullopt, {.status = "cancelled"}).ok());
  EXPECT_EQ(
      Broken(service_->Update(Secretariat(), e->id, std::nullopt, {.status = "agreed"}).error())
          .rule,
      "invalid_transition");
  EXPECT_EQ(service_->Get(Secretariat(), e->id)->status, "cancelled");
  EXPECT_TRUE(IsExchangeTransition("proposed", "agreed"));
  EXPECT_FALSE(IsExchangeTransition("completed", "in_progress"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ExchangeServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
