#include "positions/position_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "app/testing.h"
#include "audit/audit_log.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace {

int64_t At(const char* instant) { return *ParseTimestamp(instant); }

Principal Staff() {
  Principal p;
  p.user_id = 1;
  p.name = "Secretariat";
  p.email = "sec@gmg.example";
  p.role = Role::kSecretariat;
  return p;
}
Principal Person(Role role, const std::string& org, int64_t user_id) {
  Principal p;
  p.user_id = user_id;
  p.name = org + " " + RoleName(role);
  p.email = org + std::to_string(user_id) + "@example.org";
  p.role = role;
  p.organization_id = org;
  return p;
}
Principal FocalPoint(const std::string& org) {
  return Person(Role::kFocalPoint, org,
                1000 + static_cast<int64_t>(std::hash<std::string>{}(org) % 1000));
}

// On both engines, with an injected clock and a notifier that records what it is given.
class PositionServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    governance_ = std::make_unique<GovernanceService>(*db_);
    auth_ = std::make_unique<AuthService>(*db_, OrganizationExists, IsMemberOn,
                                          AuthLimits{.password_hash = kMinimumHashCost});
    service_ = NewService();
    ASSERT_TRUE(service_->LoadMembers().ok());
    electorate_ = static_cast<int>(service_->LoadMembers()->current.size());
    ASSERT_EQ(electorate_, 10);
  }
  std::unique_ptr<PositionService> NewService() {
    return std::make_unique<PositionService>(
        *db_,
        [this](Tx&, const NewNotification& n) {
          std::lock_guard lock(mu_);
          sent_.push_back(n);
          return Ok();
        },
        [this]() -> GovernanceService& { return *governance_; },
        [this]() -> AuthService& { return *auth_; }, [this] { return now_.load(); });
  }
  int Sent(NotificationKind kind) {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& s : sent_) n += s.kind == kind ? 1 : 0;
    return n;
  }
  int64_t Audits(const std::string& entity, const std::string& id, const std::string& action) {
    AuditQuery q;
    q.entity = entity;
    q.entity_id = id;
    auto page = ListAudit(*db_, q);
    EXPECT_TRUE(page.ok());
    int64_t n = 0;
    for (const auto& e : page->entries) n += e.action == action ? 1 : 0;
    return n;
  }
  int64_t NewPositionId(const std::string& lead = "iom") {
    NewPosition in;
    in.title = "On safe and regular pathways";
    in.text = "Members support safe and regular pathways.";
    in.lead_org = lead;
    in.themes = {"pathways"};
    auto p = service_->Create(Staff(), in);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p->id;
  }
  Round Open(int64_t id, const std::string& rule, int64_t deadline) {
    auto r = service_->OpenRound(Staff(), id, rule, deadline);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Round{};
  }
  void StandAll(int64_t id, int64_t round, const char* stand, const std::string& except = "") {
    auto members = service_->LoadMembers();
    ASSERT_TRUE(members.ok());
    for (const auto& org : members->current) {
      if (org == except) continue;
      auto s = service_->TakeStand(FocalPoint(org), id, round, org, stand, "a reason");
      ASSERT_TRUE(s.ok()) << org << ": " << s.error().message;
    }
  }
  Status EndMembership(const std::string& org) {
    auto o = governance_->GetOrganization(org, Date::FromDays(static_cast<int32_t>(now_ / 86400)));
    if (!o.ok()) return o.error();
    auto m = governance_->EndMembership(Principal::Cli(), org, o->version, o->memberships.back().id,
                                        Date::FromDays(static_cast<int32_t>(now_ / 86400)), "left");
    if (!m.ok()) return m.error();
    return Ok();
  }

  std::atomic<int64_t> now_{At("2026-12-01T12:00:00Z")};
  std::unique_ptr<Database> db_;
  std::unique_ptr<GovernanceService> governance_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<PositionService> service_;
  std::mutex mu_;
  std::vector<NewNotification> sent_;
  int electorate_ = 0;
};

TEST_P(PositionServiceTest, DraftsAreForInsidersAndAnAdoptedPositionIsPublicWithItsHistory) {
  int64_t id = NewPositionId();
  Principal anonymous;
  Principal stakeholder = Person(Role::kStakeholder, "", 7);
  EXPECT_EQ(service_->Get(anonymous, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(stakeholder, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListVersions(anonymous, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->List(anonymous, {})->total, 0);
  EXPECT_TRUE(service_->Get(Person(Role::kMember, "ilo", 8), id).ok());
  ASSERT_TRUE(service_->AddVersion(Staff(), id, "T2", "Second text", "edited").ok());
  Round r = Open(id, "consensus", now_ + 86400);
  StandAll(id, r.id, "endorse");
  auto p = service_->Get(anonymous, id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, "adopted");
  EXPECT_EQ(p->text, "Second text");
  EXPECT_EQ(p->adopted_at, now_.load());
  EXPECT_EQ(service_->ListVersions(anonymous, id)->size(), 2u);
  EXPECT_EQ(service_->ListRounds(anonymous, id)->size(), 1u);
  EXPECT_EQ(service_->List(anonymous, {.status = "adopted"})->total, 1);
  EXPECT_EQ(service_->ListComments(anonymous, id).error().code, ErrorCode::kPermissionDenied);
}

TEST_P(PositionServiceTest, WhoMayDraftAndEdit) {
  NewPosition in;
  in.title = "T";
  in.text = "X";
  EXPECT_EQ(service_->Create(Person(Role::kStakeholder, "", 5), in).error().code,
            ErrorCode::kPermissionDenied);
  in.lead_org = "ilo";
  EXPECT_EQ(service_->Create(Person(Role::kMember, "iom", 5), in).error().code,
            ErrorCode::kPermissionDenied)
      << "a member drafts for its own organisation only";
  in.lead_org = "";
  auto own = service_->Create(Person(Role::kMember, "iom", 5), in);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->lead_org, "iom");
  EXPECT_EQ(service_->AddVersion(FocalPoint("ilo"), own->id, "T", "Y", "").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->AddVersion(FocalPoint("iom"), own->id, "T", "Y", "").ok());
  std::string big(kMaxPositionTextBytes + 1, 'x');
  auto too_big = service_->AddVersion(Staff(), own->id, "T", big, "");
  EXPECT_EQ(too_big.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(too_big.error().details.at(0).field, "text");
  EXPECT_TRUE(service_->AddVersion(Staff(), own->id, "T", big.substr(1), "").ok());
  EXPECT_EQ(service_->ListVersions(Staff(), own->id)->size(), 3u);
}

TEST_P(PositionServiceTest, CommentsOnlyDuringTheConsultation) {
  int64_t id = NewPositionId();
  EXPECT_EQ(service_->AddComment(FocalPoint("ilo"), id, "Too early").error().code,
            ErrorCode::kConflict);
  auto p = service_->Get(Staff(), id);
  PositionChange c;
  c.status = "consultation";
  c.consultation_until = now_ + 3 * int64_t{86400};
  EXPECT_EQ(service_->Update(Staff(), id, p->version + 1, c).error().code,
            ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(service_->Update(Staff(), id, p->version, c).ok());
  auto comment = service_->AddComment(FocalPoint("ilo"), id, "Please add a line on data.");
  ASSERT_TRUE(comment.ok());
  EXPECT_EQ(comment->organization_id, "ilo");
  EXPECT_EQ(service_->AddComment(Person(Role::kStakeholder, "", 9), id, "x").error().code,
            ErrorCode::kPermissionDenied);
  now_ += 3 * int64_t{86400};
  EXPECT_EQ(service_->AddComment(FocalPoint("ilo"), id, "Too late").error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(service_->ListComments(FocalPoint("unhcr"), id)->size(), 1u);
}

TEST_P(PositionServiceTest, ADeadlineInThePastOrWithinAnHourIsRefused) {
  int64_t id = NewPositionId();
  auto past = service_->OpenRound(Staff(), id, "consensus", now_ - 1);
  EXPECT_EQ(past.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(past.error().details.at(0).field, "deadline");
  EXPECT_EQ(service_->OpenRound(Staff(), id, "consensus", now_).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->OpenRound(Staff(), id, "consensus", now_ + 3599).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->OpenRound(Staff(), id, "majority", now_ + 7200).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(service_->OpenRound(FocalPoint("ilo"), id, "consensus", now_ + 7200).error().code,
            ErrorCode::kPermissionDenied)
      << "only the lead's focal point or staff";
  EXPECT_TRUE(service_->ListRounds(Staff(), id)->empty()) << "nothing changed";
  auto ok = service_->OpenRound(FocalPoint("iom"), id, "consensus", now_ + 3600);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->electorate.size(), 10u);
  EXPECT_EQ(Sent(NotificationKind::kRoundOpened), 1);
  EXPECT_EQ(Audits("round", std::to_string(ok->id), "open"), 1);
}

TEST_P(PositionServiceTest, ASecondOpenRoundOnOnePositionIsAConflict) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 86400);
  auto second = service_->OpenRound(Staff(), id, "consensus", now_ + 86400);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->ListRounds(Staff(), id)->size(), 1u);
  // Cancelled (staff only), another may open.
  EXPECT_EQ(service_->CancelRound(FocalPoint("iom"), id, r.id).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->CancelRound(Staff(), id, r.id).ok());
  EXPECT_EQ(service_->CancelRound(Staff(), id, r.id).error().code, ErrorCode::kConflict);
  EXPECT_TRUE(service_->OpenRound(Staff(), id, "consensus", now_ + 86400).ok());
}

TEST_P(PositionServiceTest, StandsAreOncePerOrganisationAndAnObjectionNeedsAReason) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 86400);
  auto no_reason = service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "object", "");
  EXPECT_EQ(no_reason.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(no_reason.error().details.at(0).field, "reason");
  EXPECT_EQ(service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "veto", "x").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(service_->GetRound(Staff(), id, r.id)->stands.empty()) << "nothing changed";
  auto first = service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "abstain", "");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "endorse", "").error().code,
            ErrorCode::kConflict);
  auto round = service_->GetRound(Staff(), id, r.id);
  ASSERT_EQ(round->stands.size(), 1u);
  EXPECT_EQ(round->stands[0].stand, "abstain");
  EXPECT_FALSE(round->stands[0].as_delegate);
  EXPECT_EQ(Audits("stand", std::to_string(r.id) + "/ilo", "stand"), 1);
}

TEST_P(PositionServiceTest, OnlyTheFocalPointOfACurrentMemberInTheElectorateStands) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 5 * int64_t{86400});
  EXPECT_EQ(service_->TakeStand(FocalPoint("iom"), id, r.id, "ilo", "endorse", "").error().code,
            ErrorCode::kPermissionDenied)
      << "another organisation's focal point";
  EXPECT_EQ(service_->TakeStand(Person(Role::kMember, "ilo", 77), id, r.id, "ilo", "endorse", "")
                .error()
                .code,
            ErrorCode::kPermissionDenied)
      << "a member without delegation";
  EXPECT_EQ(service_->TakeStand(Staff(), id, r.id, "ilo", "endorse", "").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->TakeStand(FocalPoint("nomember"), id, r.id, "", "endorse", "").error().code,
            ErrorCode::kPermissionDenied)
      << "not a member";
  ASSERT_TRUE(EndMembership("unodc").ok());
  now_ += 86400;  // the day after its last day
  auto left = service_->TakeStand(FocalPoint("unodc"), id, r.id, "", "endorse", "");
  ASSERT_FALSE(left.ok());
  EXPECT_EQ(left.error().code, ErrorCode::kPermissionDenied) << "a member that has left";
  EXPECT_TRUE(service_->GetRound(Staff(), id, r.id)->stands.empty());
}

TEST_P(PositionServiceTest, ADelegateStandsForTheOrganisationThatDelegatedAndIsRecordedAsSuch) {
  auto user = auth_->CreateUser(Principal::Cli(), {"d@ilo.example.org", "ILO delegate",
                                                   Role::kMember, "ilo", "long pass 1234"});
  ASSERT_TRUE(user.ok()) << user.error().message;
  auto other = auth_->CreateUser(Principal::Cli(), {"d@iom.example.org", "IOM member",
                                                    Role::kMember, "iom", "long pass 1234"});
  ASSERT_TRUE(other.ok());
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 86400);
  Principal delegate = Person(Role::kMember, "ilo", user->id);
  EXPECT_EQ(service_->TakeStand(delegate, id, r.id, "ilo", "endorse", "").error().code,
            ErrorCode::kPermissionDenied)
      << "before any delegation";
  EXPECT_EQ(service_->Delegate(FocalPoint("iom"), "ilo", user->id, r.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Delegate(FocalPoint("ilo"), "ilo", other->id, r.id).error().code,
            ErrorCode::kFailedPrecondition)
      << "a user of another organisation";
  auto d = service_->Delegate(FocalPoint("ilo"), "ilo", user->id, r.id);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->delegate_name, "ILO delegate");
  // Delegated by ILO, not by IOM: the delegate cannot stand for IOM.
  EXPECT_EQ(service_->TakeStand(delegate, id, r.id, "iom", "endorse", "").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->StandableFor(delegate, *service_->GetRound(delegate, id, r.id))->size(), 1u);
  auto stood = service_->TakeStand(delegate, id, r.id, "ilo", "object", "Not consulted");
  ASSERT_TRUE(stood.ok()) << stood.error().message;
  ASSERT_EQ(stood->stands.size(), 1u);
  EXPECT_TRUE(stood->stands[0].as_delegate);
  EXPECT_EQ(stood->stands[0].user_name, delegate.name);
  // Revoked: no more.
  Round r2 = Open(NewPositionId(), "silence", now_ + 86400);
  auto all = service_->Delegate(FocalPoint("ilo"), "ilo", user->id, std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_TRUE(service_->RevokeDelegation(FocalPoint("ilo"), "ilo", all->id).ok());
  EXPECT_EQ(service_->RevokeDelegation(FocalPoint("ilo"), "ilo", all->id).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(service_->TakeStand(delegate, r2.position_id, r2.id, "ilo", "endorse", "").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->ListDelegations(FocalPoint("ilo"), "ilo")->size(), 2u);
  EXPECT_EQ(service_->ListDelegations(FocalPoint("iom"), "ilo").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(PositionServiceTest, AConsensusRoundClosesOnceEveryMemberStoodAndAbstentionDoesNotBlock) {
  int64_t id = NewPositionId();
  Round r = Open(id, "consensus", now_ + 86400);
  ASSERT_TRUE(service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "abstain", "").ok());
  StandAll(id, r.id, "endorse", "ilo");
  auto round = service_->GetRound(Staff(), id, r.id);
  EXPECT_EQ(round->status, "closed");
  EXPECT_EQ(round->closed_by, "all_stands");
  EXPECT_EQ(round->outcome, "adopted");
  EXPECT_EQ(round->tally, (positions::Tally{9, 0, 1, 0}));
  EXPECT_EQ(service_->Get(Staff(), id)->status, "adopted");
  EXPECT_EQ(Sent(NotificationKind::kRoundOutcome), 1);
  EXPECT_EQ(Audits("round", std::to_string(r.id), "close"), 1);
  EXPECT_EQ(*service_->CloseDueRounds(), 0);
  now_ += 2 * int64_t{86400};
  EXPECT_EQ(*service_->CloseDueRounds(), 0) << "closed already";
  EXPECT_EQ(Sent(NotificationKind::kRoundOutcome), 1);
}

TEST_P(PositionServiceTest, ListAndGetManyCloseADueRoundFirst) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 86400);
  now_ += 86400;  // the deadline is now; no job has run
  auto many = service_->GetMany(Staff(), {id});
  ASSERT_TRUE(many.ok()) << many.error().message;
  ASSERT_EQ(many->size(), 1u);
  EXPECT_EQ(many->front().status, "adopted");
  EXPECT_EQ(service_->GetRound(Staff(), id, r.id)->closed_by, "deadline");
  int64_t other = NewPositionId();
  Open(other, "silence", now_ + 86400);
  now_ += 86400;
  auto page = service_->List(Staff(), {});
  ASSERT_TRUE(page.ok()) << page.error().message;
  for (const Position& p : page->items) {
    if (p.id == other) EXPECT_EQ(p.status, "adopted");
  }
  EXPECT_EQ(*service_->CloseDueRounds(), 0) << "both closed already";
}

TEST_P(PositionServiceTest, ConsensusWithASilentMemberIsNotAdoptedAtTheDeadline) {
  int64_t id = NewPositionId();
  Round r = Open(id, "consensus", now_ + 86400);
  StandAll(id, r.id, "endorse", "unhcr");
  EXPECT_EQ(service_->GetRound(Staff(), id, r.id)->status, "open");
  now_ += 86400;
  EXPECT_EQ(*service_->CloseDueRounds(), 1);
  auto round = service_->GetRound(Staff(), id, r.id);
  EXPECT_EQ(round->outcome, "not_adopted");
  EXPECT_EQ(round->closed_by, "deadline");
  EXPECT_EQ(round->tally, (positions::Tally{9, 0, 0, 1}));
  EXPECT_EQ(service_->Get(Staff(), id)->status, "not_adopted");
  EXPECT_EQ(service_->Get(Principal{}, id).error().code, ErrorCode::kNotFound);
}

TEST_P(PositionServiceTest, SilenceProcedureIsAdoptedUnlessAMemberObjects) {
  int64_t quiet = NewPositionId();
  int64_t objected = NewPositionId();
  Round a = Open(quiet, "silence", now_ + 86400);
  Round b = Open(objected, "silence", now_ + 86400);
  ASSERT_TRUE(service_->TakeStand(FocalPoint("ilo"), quiet, a.id, "", "abstain", "").ok());
  ASSERT_TRUE(
      service_->TakeStand(FocalPoint("ilo"), objected, b.id, "", "object", "Too broad").ok());
  now_ += 86400;
  EXPECT_EQ(*service_->CloseDueRounds(), 2);
  EXPECT_EQ(service_->GetRound(Staff(), quiet, a.id)->outcome, "adopted");
  EXPECT_EQ(service_->GetRound(Staff(), quiet, a.id)->tally, (positions::Tally{0, 0, 1, 9}));
  EXPECT_EQ(service_->GetRound(Staff(), objected, b.id)->outcome, "not_adopted");
}

TEST_P(PositionServiceTest, AMemberThatLeftDuringTheRoundDropsOutOfTheElectorate) {
  int64_t id = NewPositionId();
  Round r = Open(id, "consensus", now_ + 86400);
  StandAll(id, r.id, "endorse", "unodc");
  ASSERT_TRUE(EndMembership("unodc").ok());  // its last day is today
  now_ += 86400;
  EXPECT_EQ(*service_->CloseDueRounds(), 1);
  auto round = service_->GetRound(Staff(), id, r.id);
  EXPECT_EQ(round->outcome, "adopted");
  EXPECT_EQ(round->tally, (positions::Tally{9, 0, 0, 0}));
  EXPECT_EQ(round->electorate.size(), 10u) << "kept in the matrix, marked as left";
}

TEST_P(PositionServiceTest, AStandAtExactlyTheDeadlineIsRefusedAndClosesTheRound) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 7200);
  now_ = r.deadline - 1;
  ASSERT_TRUE(service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "endorse", "").ok());
  now_ = r.deadline;
  auto late = service_->TakeStand(FocalPoint("iom"), id, r.id, "", "endorse", "");
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  // No job ran: the stand path closed it.
  auto round = service_->GetRound(Staff(), id, r.id);
  EXPECT_EQ(round->status, "closed");
  EXPECT_EQ(round->closed_by, "deadline");
  EXPECT_EQ(round->closed_at, r.deadline);
  EXPECT_EQ(round->stands.size(), 1u);
  EXPECT_EQ(Sent(NotificationKind::kRoundOutcome), 1);
}

TEST_P(PositionServiceTest, ADeadlineGivenInLocalTimeAcrossTheChangeToSummerTime) {
  // Europe/Zurich goes from +01:00 to +02:00 at 2027-03-28T01:00:00Z.
  now_ = At("2027-03-27T12:00:00+01:00");
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", At("2027-03-28T03:30:00+02:00"));
  EXPECT_EQ(r.deadline, At("2027-03-28T01:30:00Z"));
  EXPECT_EQ(r.deadline - now_, 14 * 3600 + 30 * 60)
      << "14.5 hours, not the 15.5 the clock face shows";
  now_ = At("2027-03-28T02:29:59+01:00");  // the same instant as 03:29:59+02:00
  EXPECT_EQ(*service_->CloseDueRounds(), 0);
  ASSERT_TRUE(service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "endorse", "").ok());
  now_ = At("2027-03-28T03:30:00+02:00");
  EXPECT_EQ(*service_->CloseDueRounds(), 1);
  EXPECT_EQ(service_->GetRound(Staff(), id, r.id)->closed_at, r.deadline);
}

TEST_P(PositionServiceTest, ARestartedServiceClosesARoundThatFellDueWhileDownOnce) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 7200);
  service_.reset();  // the server stops before the deadline
  now_ += 3 * int64_t{86400};
  auto restarted = NewService();
  auto again = NewService();
  EXPECT_EQ(*restarted->CloseDueRounds(), 1);
  EXPECT_EQ(*again->CloseDueRounds(), 0);
  EXPECT_EQ(restarted->GetRound(Staff(), id, r.id)->closed_by, "deadline");
  EXPECT_EQ(Sent(NotificationKind::kRoundOutcome), 1);
  EXPECT_EQ(Audits("round", std::to_string(r.id), "close"), 1);
}

TEST_P(PositionServiceTest, TwoServicesClosingTheSameRoundAtOnceRecordOneOutcome) {
  std::vector<int64_t> rounds;
  for (int i = 0; i < 4; ++i) {
    int64_t id = NewPositionId();
    rounds.push_back(Open(id, "silence", now_ + 7200).id);
  }
  now_ += 7200;
  auto a = NewService();
  auto b = NewService();
  std::atomic<int> closed{0};
  std::atomic<int> errors{0};
  auto run = [&](PositionService* s) {
    for (int i = 0; i < 3; ++i) {
      auto n = s->CloseDueRounds();
      if (n.ok())
        closed += *n;
      else
        ++errors;
    }
  };
  std::thread t1(run, a.get());
  std::thread t2(run, b.get());
  t1.join();
  t2.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(closed.load(), 4);
  EXPECT_EQ(Sent(NotificationKind::kRoundOutcome), 4);
  for (int64_t r : rounds) EXPECT_EQ(Audits("round", std::to_string(r), "close"), 1) << r;
}

TEST_P(PositionServiceTest, TheFortyEightHourReminderIsSentOnceToThoseWhoHaveNotStood) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 5 * int64_t{86400});
  ASSERT_TRUE(service_->TakeStand(FocalPoint("ilo"), id, r.id, "", "endorse", "").ok());
  EXPECT_EQ(*service_->SendReminders(), 0) << "five days ahead";
  now_ = r.deadline - 48 * int64_t{3600};
  EXPECT_EQ(*service_->SendReminders(), 1);
  EXPECT_EQ(*NewService()->SendReminders(), 0);
  ASSERT_EQ(Sent(NotificationKind::kRoundDeadlineSoon), 1);
  std::lock_guard lock(mu_);
  for (const auto& n : sent_) {
    if (n.kind != NotificationKind::kRoundDeadlineSoon) continue;
    EXPECT_EQ(n.audience.organization_ids.size(), 9u) << "not ILO, which stood";
    EXPECT_EQ(n.link, "/positions/" + std::to_string(id));
  }
}

TEST_P(PositionServiceTest, WithdrawingKeepsTheRecordCancelsTheRoundAndStaysWithInsiders) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 86400);
  EXPECT_EQ(service_->Withdraw(FocalPoint("ilo"), id, "no").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Withdraw(FocalPoint("iom"), id, "").error().code,
            ErrorCode::kFailedPrecondition);
  auto w = service_->Withdraw(FocalPoint("iom"), id, "Overtaken by events");
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->status, "withdrawn");
  EXPECT_EQ(service_->GetRound(Staff(), id, r.id)->status, "cancelled");
  EXPECT_EQ(service_->Get(FocalPoint("ilo"), id)->withdrawn_reason, "Overtaken by events");
  // Never adopted: the draft does not become public by being withdrawn.
  EXPECT_EQ(service_->Get(Principal{}, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListVersions(Principal{}, id).error().code, ErrorCode::kNotFound);
  PositionFilter all;
  EXPECT_EQ(service_->List(Principal{}, all)->total, 0);
  EXPECT_EQ(service_->AddVersion(Staff(), id, "T", "X", "").error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->OpenRound(Staff(), id, "silence", now_ + 86400).error().code,
            ErrorCode::kConflict);
}

TEST_P(PositionServiceTest, AnAdoptedPositionWithdrawnLaterStaysPublic) {
  int64_t id = NewPositionId();
  Round r = Open(id, "silence", now_ + 86400);
  now_ += 86400;
  ASSERT_EQ(*service_->CloseDueRounds(), 1);
  ASSERT_EQ(service_->Get(Principal{}, id)->status, "adopted");
  ASSERT_TRUE(service_->Withdraw(Staff(), id, "Superseded").ok());
  auto p = service_->Get(Principal{}, id);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->status, "withdrawn");
  EXPECT_EQ(p->withdrawn_reason, "Superseded");
  EXPECT_EQ(service_->GetRound(Principal{}, id, r.id)->outcome, "adopted");
  PositionFilter all;
  EXPECT_EQ(service_->List(Principal{}, all)->total, 1);
}

TEST_P(PositionServiceTest, StaffOfAnOrganisationThatLeftLoseTheInsidersViews) {
  int64_t id = NewPositionId();
  Principal former = Person(Role::kMember, "unodc", 88);
  ASSERT_TRUE(service_->Get(former, id).ok());
  former.outside_gmg = true;  // as AuthService marks it once the membership has ended
  EXPECT_EQ(service_->Get(former, id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->AddComment(former, id, "still here?").error().code,
            ErrorCode::kPermissionDenied);
  NewPosition in;
  in.title = "From outside";
  in.text = "Text";
  in.lead_org = "unodc";
  EXPECT_EQ(service_->Create(former, in).error().code, ErrorCode::kPermissionDenied);
  PositionFilter all;
  EXPECT_EQ(service_->List(former, all)->total, 0);
}

TEST_P(PositionServiceTest, ADeadlineMoreThanAYearAheadIsRefused) {
  int64_t id = NewPositionId();
  auto late = service_->OpenRound(Staff(), id, "consensus", now_ + kMaxRoundLeadSeconds + 1);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(late.error().details.at(0).rule, "too_late");
  EXPECT_EQ(service_->OpenRound(Staff(), id, "consensus", INT64_MAX).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(service_->ListRounds(Staff(), id)->empty()) << "nothing changed";
  EXPECT_TRUE(service_->OpenRound(Staff(), id, "consensus", now_ + kMaxRoundLeadSeconds).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, PositionServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
