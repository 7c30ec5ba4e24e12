#include "meetings/minutes_service.h"

#include <gtest/gtest.h>

#include "meetings/meetings_testing.h"
#include "meetings/minutes_api.h"

namespace gmg {
namespace {

using meetings_testing::kNoon;
using meetings_testing::Staff;
using meetings_testing::WithRole;

class MinutesServiceTest : public meetings_testing::MeetingsDbTest {
 protected:
  void SetUp() override {
    MeetingsDbTest::SetUp();
    if (!db_) return;
    svc_ = std::make_unique<MinutesService>(*db_, notify_, clock_);
    meeting_ = AddMeeting("Principals, November");
  }
  Minutes Draft() {
    auto m = svc_->Save(Staff(), meeting_, std::nullopt, "# Minutes\n\nFirst draft.", "draft");
    EXPECT_TRUE(m.ok()) << m.error().message;
    return *m;
  }
  Minutes Circulated(int64_t until) {
    Minutes m = Draft();
    auto c = svc_->Circulate(Staff(), meeting_, m.version, until);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return *c;
  }
  std::unique_ptr<MinutesService> svc_;
  int64_t meeting_ = 0;
};

TEST_P(MinutesServiceTest, VersionsAreKeptWithWhoAndWhy) {
  Minutes m = Draft();
  EXPECT_EQ(m.status, "draft");
  EXPECT_EQ(m.current_version, 1);
  auto second = svc_->Save(Staff(), meeting_, m.version, "# Minutes\n\nSecond.", "corrections");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->current_version, 2);
  EXPECT_EQ(second->text, "# Minutes\n\nSecond.");
  ASSERT_EQ(second->versions.size(), 2u);
  EXPECT_EQ(second->versions[1].note, "corrections");
  EXPECT_EQ(second->versions[0].user_name, "User secretariat");
  auto v1 = svc_->GetVersion(Staff(), meeting_, 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->text, "# Minutes\n\nFirst draft.");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'minutes'"), 2);
}

TEST_P(MinutesServiceTest, StaleOrMissingIfMatchIsRefused) {
  Minutes m = Draft();
  auto stale = svc_->Save(Staff(), meeting_, m.version + 5, "x", "");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  auto missing = svc_->Save(Staff(), meeting_, std::nullopt, "x", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(MinutesServiceTest, OnlyStaffWriteAndTextIsBounded) {
  auto fp = svc_->Save(WithRole(Role::kFocalPoint, "ilo"), meeting_, std::nullopt, "x", "");
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.error().code, ErrorCode::kPermissionDenied);
  auto anon = svc_->Save(Principal(), meeting_, std::nullopt, "x", "");
  EXPECT_EQ(anon.error().code, ErrorCode::kUnauthenticated);
  auto big =
      svc_->Save(Staff(), meeting_, std::nullopt, std::string(kMaxMinutesBytes + 1, 'a'), "");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(big.error().details.at(0).field, "text");
  EXPECT_TRUE(
      svc_->Save(Staff(), meeting_, std::nullopt, std::string(kMaxMinutesBytes, 'a'), "").ok());
  auto unknown = svc_->Save(Staff(), 999999, std::nullopt, "x", "");
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(MinutesServiceTest, DraftsAreForStaffAndMemberStaffApprovedArePublic) {
  Minutes m = Draft();
  EXPECT_EQ(svc_->Get(Principal(), meeting_).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(svc_->Get(WithRole(Role::kStakeholder), meeting_).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(svc_->Get(WithRole(Role::kMember, "ilo"), meeting_).ok());
  EXPECT_EQ(svc_->GetVersion(Principal(), meeting_, 1).error().code, ErrorCode::kUnauthenticated);
  ASSERT_TRUE(svc_->Approve(Staff(), meeting_, m.version).ok());
  EXPECT_TRUE(svc_->Get(Principal(), meeting_).ok());
  EXPECT_TRUE(svc_->GetVersion(WithRole(Role::kStakeholder), meeting_, 1).ok());
  EXPECT_EQ(svc_->ListComments(Principal(), meeting_).error().code, ErrorCode::kUnauthenticated);
}

// Security review of issue 12: outside the GMG only the approved text is readable, never the
// drafts it was made from (an earlier version, the list a diff is made of).
TEST_P(MinutesServiceTest, OutsidersReadOnlyTheApprovedVersion) {
  Minutes m = Draft();
  auto second = svc_->Save(Staff(), meeting_, m.version, "# Minutes\n\nFinal.", "final");
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_TRUE(svc_->Approve(Staff(), meeting_, second->version).ok());
  for (const Principal& outsider :
       {Principal(), WithRole(Role::kStakeholder), WithRole(Role::kStakeholder, "ilo")}) {
    auto got = svc_->Get(outsider, meeting_);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->text, "# Minutes\n\nFinal.");
    ASSERT_EQ(got->versions.size(), 1u);
    EXPECT_EQ(got->versions[0].number, 2);
    EXPECT_TRUE(svc_->GetVersion(outsider, meeting_, 2).ok());
    ErrorCode want =
        outsider.signed_in() ? ErrorCode::kPermissionDenied : ErrorCode::kUnauthenticated;
    EXPECT_EQ(svc_->GetVersion(outsider, meeting_, 1).error().code, want);
    // A version that does not exist is refused the same way: the count is not revealed.
    EXPECT_EQ(svc_->GetVersion(outsider, meeting_, 9).error().code, want);
  }
  for (const Principal& insider : {Staff(), WithRole(Role::kMember, "ilo")}) {
    auto got = svc_->Get(insider, meeting_);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->versions.size(), 2u);
    auto v1 = svc_->GetVersion(insider, meeting_, 1);
    ASSERT_TRUE(v1.ok());
    EXPECT_EQ(v1->text, "# Minutes\n\nFirst draft.");
    EXPECT_EQ(svc_->GetVersion(insider, meeting_, 9).error().code, ErrorCode::kNotFound);
  }
}

TEST_P(MinutesServiceTest, CirculationNeedsAnHourAndNotifiesMembersAndStaff) {
  Minutes m = Draft();
  auto soon = svc_->Circulate(Staff(), meeting_, m.version, kNoon + 3599);
  ASSERT_FALSE(soon.ok());
  EXPECT_EQ(soon.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(soon.error().details.at(0).field, "comments_until");
  auto past = svc_->Circulate(Staff(), meeting_, m.version, kNoon - 10);
  EXPECT_EQ(past.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(sent_.empty());
  auto ok = svc_->Circulate(Staff(), meeting_, m.version, kNoon + 3600);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->status, "circulated");
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].kind, NotificationKind::kMinutesCirculated);
  EXPECT_TRUE(sent_[0].audience.staff);
  EXPECT_EQ(sent_[0].audience.organization_ids.size(), 10u);
  EXPECT_EQ(sent_[0].params.at("comments_until"), "2026-12-01T13:00:00Z");
  EXPECT_EQ(sent_[0].link, "/meetings/" + std::to_string(meeting_));
}

TEST_P(MinutesServiceTest, CommentsUntilTheDeadlineInclusiveThen409) {
  Circulated(kNoon + 7200);
  Principal fp = WithRole(Role::kFocalPoint, "ilo");
  EXPECT_EQ(svc_->AddComment(WithRole(Role::kStakeholder), meeting_, "hi").error().code,
            ErrorCode::kPermissionDenied);
  now_ = kNoon + 7200;  // exactly comments_until
  auto at = svc_->AddComment(fp, meeting_, "Para 3: add the ILO figures.");
  ASSERT_TRUE(at.ok()) << at.error().message;
  EXPECT_EQ(at->organization_id, "ilo");
  EXPECT_EQ(at->version, 1);
  now_ = kNoon + 7201;
  auto late = svc_->AddComment(fp, meeting_, "Too late");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  auto list = svc_->ListComments(WithRole(Role::kMember, "iom"), meeting_);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(MinutesServiceTest, NoCommentsOnADraft) {
  Draft();
  auto c = svc_->AddComment(WithRole(Role::kFocalPoint, "ilo"), meeting_, "x");
  EXPECT_EQ(c.error().code, ErrorCode::kConflict);
}

TEST_P(MinutesServiceTest, ApprovedMinutesAreLocked) {
  Minutes m = Circulated(kNoon + 86400);
  now_ = kNoon + 2 * 86400;
  auto approved = svc_->Approve(Staff(), meeting_, m.version);
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(approved->approved_at, kNoon + 2 * 86400);
  int64_t audits = Count("SELECT count(*) FROM audit_log");
  auto edit = svc_->Save(Staff(), meeting_, approved->version, "changed", "");
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, ErrorCode::kConflict);
  EXPECT_EQ(edit.error().message, "minutes approved on 2026-12-03 are locked");
  EXPECT_EQ(svc_->Circulate(Staff(), meeting_, approved->version, now_ + 86400).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(svc_->Approve(Staff(), meeting_, approved->version).error().code, ErrorCode::kConflict);
  EXPECT_EQ(svc_->AddComment(Staff(), meeting_, "x").error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits);
  EXPECT_EQ(Count("SELECT count(*) FROM meeting_minutes_versions"), 1);
}

TEST_P(MinutesServiceTest, DecisionsBelongToTheMeetingsAgenda) {
  int64_t item = AddAgendaItem(meeting_, "Data");
  int64_t other = AddMeeting("Working level");
  int64_t foreign_item = AddAgendaItem(other, "Elsewhere");
  auto d = svc_->AddDecision(Staff(), meeting_, item, "Agreed to publish the data note.");
  ASSERT_TRUE(d.ok()) << d.error().message;
  auto bad = svc_->AddDecision(Staff(), meeting_, foreign_item, "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(bad.error().details.at(0).field, "agenda_item_id");
  EXPECT_EQ(svc_->AddDecision(WithRole(Role::kFocalPoint, "ilo"), meeting_, item, "x").error().code,
            ErrorCode::kPermissionDenied);
  auto changed = svc_->UpdateDecision(Staff(), meeting_, d->id, std::nullopt, true, "Reworded");
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(changed->agenda_item_id);
  EXPECT_EQ(svc_->UpdateDecision(Staff(), other, d->id, std::nullopt, false, "x").error().code,
            ErrorCode::kNotFound);
  auto list = svc_->ListDecisions(meeting_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].text, "Reworded");
  ASSERT_TRUE(svc_->DeleteDecision(Staff(), meeting_, d->id).ok());
  EXPECT_EQ(svc_->ListDecisions(meeting_)->size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, MinutesServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

TEST(ParseTimestampTest, ZuluAndOffsets) {
  EXPECT_EQ(*ParseTimestamp("2026-12-01T12:00:00Z"), kNoon);
  EXPECT_EQ(*ParseTimestamp("2026-12-01T12:00Z"), kNoon);
  EXPECT_EQ(*ParseTimestamp("2026-12-01T13:00:00+01:00"), kNoon);
  EXPECT_EQ(*ParseTimestamp("2026-12-01T07:30:00-04:30"), kNoon);
  EXPECT_FALSE(ParseTimestamp("2026-12-01T12:00:00"));
  EXPECT_FALSE(ParseTimestamp("2026-12-01 12:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-02-30T12:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-12-01T24:00:00Z"));
}

}  // namespace
}  // namespace gmg
