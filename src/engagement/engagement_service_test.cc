#include "engagement/engagement_service.h"

#include <gtest/gtest.h>

#include "app/testing.h"
#include "auth/auth_service.h"
#include "engagement/engagement_seed.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796122800;  // 2026-12-01T11:00:00Z

Principal Staff(Role role, const std::string& org = "") {
  Principal p;
  p.email = "someone@" + (org.empty() ? std::string("gmg") : org) + ".int";
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() { return Staff(Role::kSecretariat); }

const FieldProblem& Broken(const Error& e) {
  static const FieldProblem kNone("", "");
  return e.details.empty() ? kNone : e.details.front();
}

// On both engines: every rule of engagement_service.h, with the refusals changing nothing.
class EngagementServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    auth_ = std::make_unique<AuthService>(*db_, OrganizationExists, IsMemberOn,
                                          AuthLimits{.password_hash = kMinimumHashCost});
    ASSERT_TRUE(SeedStakeholders(*db_, kNow).ok());
    auto finder = [this](Tx& tx, const std::string& email) -> Result<std::optional<AccountRef>> {
      GMG_ASSIGN_OR_RETURN(auto u, auth_->FindUserByEmail(tx, email));
      if (!u) return std::optional<AccountRef>();
      return std::optional<AccountRef>(
          AccountRef{.user_id = u->id, .email = u->email, .name = u->name, .role = u->role});
    };
    service_ = std::make_unique<EngagementService>(*db_, finder, [] { return kNow; });
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

  // A user with the stakeholder role, linked to `stakeholder`; its Principal.
  Principal StakeholderAccount(const std::string& email, int64_t stakeholder) {
    NewUser u{email, "Delegate", Role::kStakeholder, "", "stakeholder-pass-1"};
    auto created = auth_->CreateUser(Principal::Cli(), u);
    EXPECT_TRUE(created.ok()) << created.error().message;
    EXPECT_TRUE(service_->LinkAccount(Secretariat(), stakeholder, email).ok());
    Principal p;
    p.user_id = created.ok() ? created->id : 0;
    p.email = email;
    p.role = Role::kStakeholder;
    p.via = AuthVia::kToken;
    return p;
  }

  int64_t State(const std::string& iso3) {
    auto s = service_->CreateStakeholder(Secretariat(), {.kind = "state", .country = iso3});
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? s->id : 0;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<EngagementService> service_;
};

TEST_P(EngagementServiceTest, SeedsTheRegionalConsultativeProcessesOnce) {
  auto rcps = service_->ListStakeholders({.kind = "regional_consultative_process"});
  ASSERT_TRUE(rcps.ok());
  std::set<std::string> names;
  for (const auto& s : *rcps) names.insert(s.name);
  EXPECT_TRUE(names.contains("Colombo Process"));
  EXPECT_TRUE(names.contains("Budapest Process"));
  EXPECT_TRUE(names.contains("Bali Process"));
  EXPECT_TRUE(names.contains("Puebla Process (Regional Conference on Migration)"));
  auto again = SeedStakeholders(*db_, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_P(EngagementServiceTest, AStateComesFromTheCodelist) {
  auto s = service_->CreateStakeholder(Secretariat(), {.kind = "state", .country = "phl"});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->country, "PHL");
  EXPECT_EQ(s->name, "Philippines");
  EXPECT_EQ(s->region, "Asia");

  int64_t before = Count("SELECT count(*) FROM stakeholders");
  int64_t audited = Count("SELECT count(*) FROM audit_log WHERE entity = 'stakeholder'");
  auto unknown = service_->CreateStakeholder(Secretariat(), {.kind = "state", .country = "XXA"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(unknown.error()).field, "country");
  EXPECT_EQ(Broken(unknown.error()).rule, "unknown_country");
  auto twice = service_->CreateStakeholder(Secretariat(), {.kind = "state", .country = "PHL"});
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto same_name = service_->CreateStakeholder(
      Secretariat(), {.kind = "civil_society", .name = "colombo process"});
  EXPECT_EQ(same_name.error().code, ErrorCode::kConflict);
  auto bad_kind = service_->CreateStakeholder(Secretariat(), {.kind = "club", .name = "X"});
  EXPECT_EQ(Broken(bad_kind.error()).rule, "not_in_list");
  auto bad_site = service_->CreateStakeholder(
      Secretariat(), {.kind = "civil_society", .name = "Y", .website = "javascript:alert(1)"});
  EXPECT_EQ(Broken(bad_site.error()).field, "website");
  auto by_member = service_->CreateStakeholder(Staff(Role::kFocalPoint, "iom"),
                                               {.kind = "civil_society", .name = "Z"});
  EXPECT_EQ(by_member.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Count("SELECT count(*) FROM stakeholders"), before);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'stakeholder'"), audited);
}

TEST_P(EngagementServiceTest, UpdateChecksTheVersionAndTheCountry) {
  int64_t id = State("MEX");
  auto stale = service_->UpdateStakeholder(Secretariat(), id, 7, {.description = "x"});
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  auto bad = service_->UpdateStakeholder(Secretariat(), id, 1, {.country = "ZZZ"});
  EXPECT_EQ(Broken(bad.error()).rule, "unknown_country");
  auto ok = service_->UpdateStakeholder(Secretariat(), id, 1, {.description = "A state."});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->version, 2);
  EXPECT_EQ(ok->description, "A state.");
}

TEST_P(EngagementServiceTest, ContactsAreForInsidersOnly) {
  int64_t id = State("MEX");
  auto added = service_->AddContact(
      Secretariat(), id, {.name = "Ana", .title = "Director", .email = "ana@example.org"});
  ASSERT_TRUE(added.ok()) << added.error().message;
  auto bad = service_->AddContact(Secretariat(), id, {.name = "B", .email = "not-an-address"});
  EXPECT_EQ(Broken(bad.error()).rule, "invalid_email");
  auto phone = service_->AddContact(Secretariat(), id, {.name = "B", .phone = "12<script>"});
  EXPECT_EQ(Broken(phone.error()).rule, "invalid_phone");
  EXPECT_EQ(service_->AddContact(Staff(Role::kFocalPoint, "iom"), id, {.name = "C"}).error().code,
            ErrorCode::kPermissionDenied);

  EXPECT_EQ(service_->ListContacts(Staff(Role::kMember, "ilo"), id)->size(), 1u);
  Principal outsider = Staff(Role::kFocalPoint, "iom");
  outsider.outside_gmg = true;
  EXPECT_EQ(service_->ListContacts(outsider, id).error().code, ErrorCode::kPermissionDenied);
  Principal account = StakeholderAccount("delegate@mex.example", id);
  EXPECT_EQ(service_->ListContacts(account, id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->ListContacts(Principal{}, id).error().code, ErrorCode::kUnauthenticated);
}

TEST_P(EngagementServiceTest, InteractionsAreSeenByVisibility) {
  int64_t mexico = State("MEX");
  int64_t chile = State("CHL");
  auto log = [&](const std::string& visibility, int64_t party) {
    auto i = service_->LogInteraction(Secretariat(), {.date = "2026-11-01",
                                                      .kind = "consultation",
                                                      .summary = visibility + " talk",
                                                      .visibility = visibility,
                                                      .stakeholder_ids = {party},
                                                      .organization_ids = {"iom"}});
    EXPECT_TRUE(i.ok()) << i.error().message;
  };
  log("public", mexico);
  log("shared", mexico);
  log("internal", mexico);
  log("shared", chile);
  Principal mexican = StakeholderAccount("delegate@mex.example", mexico);

  EXPECT_EQ(service_->ListInteractions(Principal{}, 0, 100)->size(), 1u);
  EXPECT_EQ(service_->ListInteractions(mexican, 0, 100)->size(), 2u);
  EXPECT_EQ(service_->ListInteractions(Staff(Role::kMember, "ilo"), 0, 100)->size(), 4u);
  EXPECT_EQ(service_->ListInteractions(Secretariat(), chile, 100)->size(), 1u);
  EXPECT_EQ(service_->ListInteractions(Secretariat(), 0, 0).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(EngagementServiceTest, InteractionsAreLoggedByStaffOrAMemberThatTookPart) {
  int64_t mexico = State("MEX");
  NewInteraction n{.date = "2026-11-02",
                   .kind = "briefing",
                   .summary = "Briefing",
                   .visibility = "public",
                   .stakeholder_ids = {mexico},
                   .organization_ids = {"iom"}};
  EXPECT_TRUE(service_->LogInteraction(Staff(Role::kFocalPoint, "iom"), n).ok());
  EXPECT_EQ(service_->LogInteraction(Staff(Role::kFocalPoint, "ilo"), n).error().code,
            ErrorCode::kPermissionDenied);
  int64_t before = Count("SELECT count(*) FROM stakeholder_interactions");
  NewInteraction unknown = n;
  unknown.stakeholder_ids = {mexico, 999999};
  EXPECT_EQ(Broken(service_->LogInteraction(Secretariat(), unknown).error()).rule,
            "unknown_stakeholder");
  NewInteraction no_org = n;
  no_org.organization_ids = {"nosuchorg"};
  EXPECT_EQ(Broken(service_->LogInteraction(Secretariat(), no_org).error()).rule,
            "unknown_organization");
  NewInteraction bad_kind = n;
  bad_kind.kind = "party";
  EXPECT_EQ(Broken(service_->LogInteraction(Secretariat(), bad_kind).error()).field, "kind");
  NewInteraction bad_date = n;
  bad_date.date = "2026-02-30";
  EXPECT_EQ(Broken(service_->LogInteraction(Secretariat(), bad_date).error()).rule, "invalid_date");
  EXPECT_EQ(Count("SELECT count(*) FROM stakeholder_interactions"), before);
}

TEST_P(EngagementServiceTest, AccountsAreLinkedByEmailWithTheStakeholderRole) {
  int64_t mexico = State("MEX");
  auto unknown = service_->LinkAccount(Secretariat(), mexico, "nobody@example.org");
  EXPECT_EQ(Broken(unknown.error()).rule, "unknown_user");
  NewUser fp{"fp@iom.int", "Focal Point", Role::kFocalPoint, "iom", "focal-point-pass"};
  ASSERT_TRUE(auth_->CreateUser(Principal::Cli(), fp).ok());
  auto wrong_role = service_->LinkAccount(Secretariat(), mexico, "fp@iom.int");
  EXPECT_EQ(Broken(wrong_role.error()).rule, "not_a_stakeholder_account");
  Principal p = StakeholderAccount("Delegate@Mex.example", mexico);
  auto twice = service_->LinkAccount(Secretariat(), mexico, "delegate@mex.example");
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  auto mine = service_->StakeholderOf(p);
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(mine->has_value());
  EXPECT_EQ((*mine)->id, mexico);
  EXPECT_EQ(service_->LinkAccount(Staff(Role::kFocalPoint, "iom"), mexico, "x@y.z").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->UnlinkAccount(Secretariat(), mexico, p.user_id).ok());
  EXPECT_FALSE(service_->StakeholderOf(p)->has_value());
}

TEST_P(EngagementServiceTest, ARequestIsRoutedAnsweredAndClosed) {
  int64_t mexico = State("MEX");
  Principal mexican = StakeholderAccount("delegate@mex.example", mexico);
  auto r = service_->CreateRequest(mexican, {.title = "Help with a census"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->stakeholder_id, mexico);
  EXPECT_EQ(r->status, "received");
  EXPECT_EQ(r->received_on, "2026-12-01");

  EXPECT_EQ(service_->RouteRequest(Staff(Role::kFocalPoint, "iom"), r->id, {"iom"}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Broken(service_->RouteRequest(Secretariat(), r->id, {"iom", "iom"}).error()).rule,
            "duplicate_value");
  EXPECT_EQ(Broken(service_->RouteRequest(Secretariat(), r->id, {"nosuch"}).error()).rule,
            "unknown_organization");
  auto routed = service_->RouteRequest(Secretariat(), r->id, {"iom", "ilo"});
  ASSERT_TRUE(routed.ok()) << routed.error().message;
  EXPECT_EQ(routed->status, "routed");
  EXPECT_EQ(routed->routes.size(), 2u);
  EXPECT_EQ(service_->RouteRequest(Secretariat(), r->id, {"iom"}).error().code,
            ErrorCode::kConflict);

  SupportAnswer yes{.response = "accepted", .answer = "We will help."};
  // Another agency's focal point, a member (not the focal point), an unrouted agency.
  SupportAnswer for_iom = yes;
  for_iom.organization_id = "iom";
  EXPECT_EQ(service_->AnswerRequest(Staff(Role::kFocalPoint, "ilo"), r->id, for_iom).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->AnswerRequest(Staff(Role::kMember, "iom"), r->id, yes).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      Broken(service_->AnswerRequest(Staff(Role::kFocalPoint, "unhcr"), r->id, yes).error()).rule,
      "not_routed");
  EXPECT_EQ(service_->AnswerRequest(mexican, r->id, for_iom).error().code,
            ErrorCode::kPermissionDenied);

  auto first = service_->AnswerRequest(Staff(Role::kFocalPoint, "iom"), r->id, yes);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->status, "in_progress");
  EXPECT_EQ(service_->AnswerRequest(Staff(Role::kFocalPoint, "iom"), r->id, yes).error().code,
            ErrorCode::kConflict);
  auto last = service_->AnswerRequest(Staff(Role::kFocalPoint, "ilo"), r->id,
                                      {.response = "declined", .answer = "Not our mandate."});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->status, "answered");

  auto back = service_->SetRequestStatus(Secretariat(), r->id, "received");
  EXPECT_EQ(Broken(back.error()).rule, "invalid_transition");
  EXPECT_EQ(service_->SetRequestStatus(mexican, r->id, "closed").error().code,
            ErrorCode::kPermissionDenied);
  auto closed = service_->SetRequestStatus(Secretariat(), r->id, "closed");
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, "closed");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'support_request'"), 5);
}

TEST_P(EngagementServiceTest, ARequestEveryMemberDeclinedWaitsToBeRoutedElsewhere) {
  auto r = service_->CreateRequest(Secretariat(), {.stakeholder_id = State("MEX"), .title = "x"});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(service_->RouteRequest(Secretariat(), r->id, {"ilo"}).ok());
  auto declined = service_->AnswerRequest(Staff(Role::kFocalPoint, "ilo"), r->id,
                                          {.response = "declined", .answer = "Not our mandate."});
  ASSERT_TRUE(declined.ok()) << declined.error().message;
  EXPECT_EQ(declined->status, "routed") << "declined by all: not answered";
  auto rerouted = service_->RouteRequest(Secretariat(), r->id, {"iom"});
  ASSERT_TRUE(rerouted.ok()) << rerouted.error().message;
  auto taken = service_->AnswerRequest(Staff(Role::kFocalPoint, "iom"), r->id,
                                       {.response = "accepted", .answer = "We will help."});
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_EQ(taken->status, "answered");
}

TEST_P(EngagementServiceTest, AStakeholderSeesOnlyItsOwnRequests) {
  int64_t mexico = State("MEX");
  int64_t chile = State("CHL");
  Principal mexican = StakeholderAccount("delegate@mex.example", mexico);
  Principal chilean = StakeholderAccount("delegate@chl.example", chile);
  auto theirs = service_->CreateRequest(chilean, {.title = "Chile's request"});
  ASSERT_TRUE(theirs.ok());
  ASSERT_TRUE(service_->CreateRequest(mexican, {.title = "Mexico's request"}).ok());

  EXPECT_EQ(service_->GetRequest(mexican, theirs->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->GetRequest(chilean, theirs->id)->title, "Chile's request");
  EXPECT_EQ(service_->ListRequests(mexican, {})->size(), 1u);
  EXPECT_EQ(service_->ListRequests(Staff(Role::kFocalPoint, "iom"), {})->size(), 2u);
  Principal unlinked = Staff(Role::kStakeholder);
  unlinked.user_id = 424242;
  EXPECT_TRUE(service_->ListRequests(unlinked, {})->empty());
  // On another's behalf, for a non-state, for nobody.
  EXPECT_EQ(service_->CreateRequest(mexican, {.stakeholder_id = chile, .title = "x"}).error().code,
            ErrorCode::kPermissionDenied);
  auto rcps = service_->ListStakeholders({.kind = "regional_consultative_process"});
  auto not_state =
      service_->CreateRequest(Secretariat(), {.stakeholder_id = rcps->front().id, .title = "x"});
  EXPECT_EQ(Broken(not_state.error()).rule, "not_a_state");
  EXPECT_EQ(
      service_
          ->CreateRequest(Staff(Role::kFocalPoint, "iom"), {.stakeholder_id = mexico, .title = "x"})
          .error()
          .code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(Count("SELECT count(*) FROM support_requests"), 2);
}

TEST_P(EngagementServiceTest, TransitionsFollowTheTable) {
  EXPECT_TRUE(IsAllowedTransition("received", "routed"));
  EXPECT_TRUE(IsAllowedTransition("answered", "closed"));
  EXPECT_FALSE(IsAllowedTransition("closed", "received"));
  EXPECT_FALSE(IsAllowedTransition("received", "answered"));
  int64_t mexico = State("MEX");
  auto r = service_->CreateRequest(Secretariat(), {.stakeholder_id = mexico, .title = "x"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Broken(service_->SetRequestStatus(Secretariat(), r->id, "routed").error()).rule,
            "invalid_transition");
  EXPECT_EQ(Broken(service_->SetRequestStatus(Secretariat(), r->id, "done").error()).rule,
            "not_in_list");
}

TEST_P(EngagementServiceTest, SearchFindsStakeholdersAndVisibleInteractions) {
  int64_t mexico = State("MEX");
  ASSERT_TRUE(service_
                  ->LogInteraction(Secretariat(), {.date = "2026-11-01",
                                                   .kind = "dialogue",
                                                   .summary = "Secret talk on Colombo matters",
                                                   .visibility = "internal",
                                                   .stakeholder_ids = {mexico}})
                  .ok());
  auto anonymous = service_->Search(Principal{}, "colombo", 10);
  ASSERT_TRUE(anonymous.ok());
  ASSERT_FALSE(anonymous->empty());
  EXPECT_EQ(anonymous->front().title, "Colombo Process") << "a name match ranks first";
  for (const auto& hit : *anonymous) EXPECT_EQ(hit.kind, "stakeholder") << hit.title;
  auto insider = service_->Search(Secretariat(), "colombo", 10);
  EXPECT_EQ(insider->size(), anonymous->size() + 1);
  EXPECT_EQ(service_->Search(Principal{}, "100%_", 10)->size(), 0u);
  EXPECT_EQ(service_->Search(Principal{}, "x", 0).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(EngagementServiceTest, DemoLoadsOnce) {
  auto first = LoadDemoEngagement(*service_, kNow);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_GT(*first, 10);
  auto second = LoadDemoEngagement(*service_, kNow);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 0);
  auto requests = service_->ListRequests(Secretariat(), {});
  ASSERT_EQ(requests->size(), 2u);
  std::set<std::string> statuses;
  for (const auto& r : *requests) statuses.insert(r.status);
  EXPECT_EQ(statuses, (std::set<std::string>{"answered", "routed"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, EngagementServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
