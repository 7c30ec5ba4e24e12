#include "meetings/action_service.h"

#include <gtest/gtest.h>

#include "meetings/meetings_testing.h"
#include "meetings/minutes_service.h"

namespace gmg {
namespace {

using meetings_testing::kNoon;
using meetings_testing::Staff;
using meetings_testing::WithRole;

constexpr int64_t kDay = 86400;

class ActionServiceTest : public meetings_testing::MeetingsDbTest {
 protected:
  void SetUp() override {
    MeetingsDbTest::SetUp();
    if (!db_) return;
    // The initiatives module's answer, as app/ wires it: initiative 42 exists, no other.
    svc_ = std::make_unique<ActionService>(*db_, notify_, clock_,
                                           [](int64_t id) -> Result<bool> { return id == 42; });
    minutes_ = std::make_unique<MinutesService>(*db_, notify_, clock_);
    meeting_ = AddMeeting("Principals, November");
  }
  Action Make(const std::string& owner, const std::string& due, const std::string& status = "open",
              std::optional<int64_t> initiative = std::nullopt) {
    NewAction a;
    a.title = "Send the figures";
    a.owner_org = owner;
    a.due_date = *Date::Parse(due);
    a.status = status;
    a.meeting_id = meeting_;
    a.initiative_id = initiative;
    auto r = svc_->Create(Staff(), a);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : Action{};
  }
  std::unique_ptr<ActionService> svc_;
  std::unique_ptr<MinutesService> minutes_;
  int64_t meeting_ = 0;
};

TEST_P(ActionServiceTest, CreateNotifiesTheOwnerAndAudits) {
  Action a = Make("ilo", "2026-12-15");
  EXPECT_EQ(a.owner_name, "International Labour Organization");
  EXPECT_EQ(a.meeting_title, "Principals, November");
  EXPECT_EQ(a.status, "open");
  EXPECT_FALSE(a.overdue);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].kind, NotificationKind::kActionAssigned);
  EXPECT_EQ(sent_[0].audience.organization_ids, std::vector<std::string>{"ilo"});
  EXPECT_EQ(sent_[0].params.at("due_date"), "2026-12-15");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'action'"), 1);
}

TEST_P(ActionServiceTest, CreateIsForStaffAndChecksItsReferences) {
  NewAction a;
  a.title = "x";
  a.owner_org = "ilo";
  a.due_date = *Date::Parse("2026-12-15");
  EXPECT_EQ(svc_->Create(WithRole(Role::kFocalPoint, "ilo"), a).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(svc_->Create(Principal(), a).error().code, ErrorCode::kUnauthenticated);
  NewAction unknown_owner = a;
  unknown_owner.owner_org = "nope";
  EXPECT_EQ(svc_->Create(Staff(), unknown_owner).error().details.at(0).field, "owner_org");
  NewAction unknown_meeting = a;
  unknown_meeting.meeting_id = 424242;
  EXPECT_EQ(svc_->Create(Staff(), unknown_meeting).error().details.at(0).field, "meeting_id");
  // A decision of another meeting.
  int64_t other = AddMeeting("Working level");
  auto d = minutes_->AddDecision(Staff(), other, std::nullopt, "Agreed");
  ASSERT_TRUE(d.ok());
  NewAction mismatch = a;
  mismatch.meeting_id = meeting_;
  mismatch.decision_id = d->id;
  EXPECT_EQ(svc_->Create(Staff(), mismatch).error().details.at(0).field, "decision_id");
  NewAction from_decision = a;
  from_decision.decision_id = d->id;
  auto created = svc_->Create(Staff(), from_decision);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->meeting_id, other);
  EXPECT_EQ(Count("SELECT count(*) FROM meeting_actions"), 1);
  // The decision is referred to: it cannot be deleted.
  EXPECT_EQ(minutes_->DeleteDecision(Staff(), other, d->id).error().code, ErrorCode::kConflict);
}

TEST_P(ActionServiceTest, OnlyTheOwnersStaffOrStaffUpdate) {
  Action a = Make("ilo", "2026-12-15");
  ActionChange status;
  status.status = "in_progress";
  auto other = svc_->Update(WithRole(Role::kFocalPoint, "iom"), a.id, a.version, status);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(svc_->AddNote(WithRole(Role::kMember, "iom"), a.id, "x", std::nullopt).error().code,
            ErrorCode::kPermissionDenied);
  auto owner = svc_->Update(WithRole(Role::kFocalPoint, "ilo"), a.id, a.version, status);
  ASSERT_TRUE(owner.ok()) << owner.error().message;
  EXPECT_EQ(owner->status, "in_progress");
  ActionChange due;
  due.due_date = *Date::Parse("2027-01-15");
  EXPECT_EQ(
      svc_->Update(WithRole(Role::kFocalPoint, "ilo"), a.id, owner->version, due).error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(svc_->Update(Staff(), a.id, a.version, due).error().code,
            ErrorCode::kPreconditionFailed);
  ActionChange bad;
  bad.status = "finished";
  EXPECT_EQ(svc_->Update(Staff(), a.id, owner->version, bad).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_P(ActionServiceTest, OwnerChangeNotifiesTheNewOwner) {
  Action a = Make("ilo", "2026-12-15");
  sent_.clear();
  ActionChange c;
  c.owner_org = "unhcr";
  auto moved = svc_->Update(Staff(), a.id, a.version, c);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].kind, NotificationKind::kActionAssigned);
  EXPECT_EQ(sent_[0].audience.organization_ids, std::vector<std::string>{"unhcr"});
}

TEST_P(ActionServiceTest, ANoteMayChangeTheStatus) {
  Action a = Make("ilo", "2026-12-15");
  auto n1 = svc_->AddNote(WithRole(Role::kMember, "ilo"), a.id, "Started", "in_progress");
  ASSERT_TRUE(n1.ok()) << n1.error().message;
  auto n2 = svc_->AddNote(Staff(), a.id, "Reminder sent", std::nullopt);
  ASSERT_TRUE(n2.ok());
  auto got = svc_->Get(WithRole(Role::kFocalPoint, "iom"), a.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, "in_progress");
  EXPECT_EQ(got->notes_count, 2);
  EXPECT_EQ(got->version, a.version + 1);
  auto notes = svc_->ListNotes(Staff(), a.id);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].status, "in_progress");
  EXPECT_FALSE((*notes)[1].status);
  EXPECT_EQ(svc_->Get(WithRole(Role::kStakeholder), a.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(svc_->Get(Principal(), a.id).error().code, ErrorCode::kUnauthenticated);
}

TEST_P(ActionServiceTest, DueTodayIsNotOverdueTomorrowItIs) {
  // The clock is 2026-12-01 noon.
  Action today = Make("ilo", "2026-12-01");
  Make("ilo", "2026-12-10");
  Make("ilo", "2026-11-01", "done");
  EXPECT_FALSE(today.overdue);
  auto home = svc_->ForOrganization(Staff(), "ilo");
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(home->open_total, 2);
  EXPECT_EQ(home->overdue_total, 0);
  EXPECT_EQ(*svc_->NotifyOverdue(), 0);
  now_ = kNoon + kDay;  // 2026-12-02
  home = svc_->ForOrganization(Staff(), "ilo");
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(home->overdue_total, 1);
  ASSERT_EQ(home->items.size(), 2u);
  EXPECT_EQ(home->items[0].id, today.id);  // soonest first
  EXPECT_TRUE(home->items[0].overdue);
  EXPECT_FALSE(home->items[1].overdue);
  // Just before midnight of the due day it was still not overdue.
  now_ = kNoon + kDay / 2 - 1;
  EXPECT_FALSE(svc_->Get(Staff(), today.id)->overdue);
}

TEST_P(ActionServiceTest, OrganizationPageMergesBothStatusesByDueDateThenIdAndCuts) {
  // The clock is 2026-12-01 noon. Open and in-progress actions interleaved by due date, three
  // due the same day; a done, a dropped and another organisation's action in between.
  Action a1 = Make("ilo", "2026-12-03", "in_progress");
  Action a2 = Make("ilo", "2026-11-20");
  Action a3 = Make("ilo", "2026-12-03");
  Make("ilo", "2026-11-01", "done");
  Make("iom", "2026-11-02");
  Action a4 = Make("ilo", "2026-11-25", "in_progress");
  Action a5 = Make("ilo", "2026-12-09");
  Make("ilo", "2026-12-04", "dropped");
  Action a6 = Make("ilo", "2026-12-07", "in_progress");
  Action a7 = Make("ilo", "2026-12-03", "in_progress");
  ASSERT_TRUE(svc_->AddNote(Staff(), a1.id, "Started", std::nullopt).ok());
  auto ids = [](const OrganizationActions& page) {
    std::vector<int64_t> out;
    for (const Action& a : page.items) out.push_back(a.id);
    return out;
  };
  auto all = svc_->ForOrganization(Staff(), "ilo", 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->open_total, 7);
  EXPECT_EQ(all->overdue_total, 2);
  EXPECT_EQ(ids(*all), (std::vector<int64_t>{a2.id, a4.id, a1.id, a3.id, a7.id, a6.id, a5.id}));
  // The joined columns are those of each row.
  EXPECT_EQ(all->items[2].status, "in_progress");
  EXPECT_EQ(all->items[2].notes_count, 1);
  EXPECT_EQ(all->items[2].meeting_title, "Principals, November");
  EXPECT_EQ(all->items[2].owner_name, "International Labour Organization");
  EXPECT_EQ(all->items[3].notes_count, 0);
  EXPECT_TRUE(all->items[1].overdue);
  EXPECT_FALSE(all->items[2].overdue);
  // The cut falls among the three due 2026-12-03: the lower ids, whatever their status; the
  // counts stay those of all seven.
  auto four = svc_->ForOrganization(Staff(), "ilo", 4);
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(ids(*four), (std::vector<int64_t>{a2.id, a4.id, a1.id, a3.id}));
  EXPECT_EQ(four->open_total, 7);
  EXPECT_EQ(four->overdue_total, 2);
  auto one = svc_->ForOrganization(Staff(), "ilo", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(ids(*one), std::vector<int64_t>{a2.id});
  // An organisation with no open action: no items, zero counts, not a 404.
  auto none = svc_->ForOrganization(Staff(), "unhcr", 8);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->open_total, 0);
  EXPECT_EQ(none->overdue_total, 0);
}

TEST_P(ActionServiceTest, OverdueIsNotifiedExactlyOnce) {
  Action late = Make("ilo", "2026-11-20");
  Make("iom", "2026-11-25", "done");
  Make("iom", "2026-11-25", "in_progress");
  Make("unhcr", "2026-12-20");
  sent_.clear();
  auto first = svc_->NotifyOverdue();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 2);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[0].kind, NotificationKind::kActionOverdue);
  EXPECT_EQ(sent_[0].entity_id, late.id);
  EXPECT_EQ(*svc_->NotifyOverdue(), 0);
  // A second instance over the same database sends nothing either.
  ActionService other(*db_, notify_, clock_);
  EXPECT_EQ(*other.NotifyOverdue(), 0);
  EXPECT_EQ(sent_.size(), 2u);
  // A new due date arms it again.
  ActionChange c;
  c.due_date = *Date::Parse("2026-11-28");
  ASSERT_TRUE(svc_->Update(Staff(), late.id, late.version, c).ok());
  EXPECT_EQ(*svc_->NotifyOverdue(), 1);
}

TEST_P(ActionServiceTest, ListFiltersAndPages) {
  for (int i = 0; i < 5; ++i) Make("ilo", "2026-12-1" + std::to_string(i));
  Make("iom", "2026-11-01");
  Make("iom", "2026-11-01", "open", 42);
  ActionFilter f;
  f.organization = "ilo";
  f.limit = 2;
  auto p1 = svc_->List(f);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->total, 5);
  ASSERT_EQ(p1->items.size(), 2u);
  ASSERT_TRUE(p1->next_after_id);
  f.after_id = p1->next_after_id;
  auto p2 = svc_->List(f);
  ASSERT_EQ(p2->items.size(), 2u);
  EXPECT_GT(p2->items[0].id, p1->items[1].id);
  ActionFilter overdue;
  overdue.overdue_only = true;
  EXPECT_EQ(svc_->List(overdue)->total, 2);
  ActionFilter initiative;
  initiative.initiative_id = 42;
  auto by_init = svc_->List(initiative);
  ASSERT_EQ(by_init->items.size(), 1u);
  EXPECT_EQ(by_init->items[0].initiative_id, 42);
  // An initiative the initiatives module does not know: refused, naming the field, nothing added.
  NewAction unknown;
  unknown.title = "Follow up";
  unknown.owner_org = "ilo";
  unknown.due_date = *Date::Parse("2026-12-20");
  unknown.initiative_id = 7;
  auto refused = svc_->Create(Staff(), unknown);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(refused.error().details.at(0).field, "initiative_id");
  EXPECT_EQ(svc_->List(ActionFilter{})->total, 7) << "nothing added";
  EXPECT_EQ(svc_->ForOrganization(Staff(), "nope").error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Engines, ActionServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
