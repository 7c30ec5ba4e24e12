#include "meetings/meeting_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "app/testing.h"
#include "meetings/meeting_demo.h"

namespace gmg {
namespace {

// 2027-01-01T00:00:00Z: every meeting of the tests is after it.
constexpr int64_t kNow = 1798761600;

Principal Staff() {
  Principal p;
  p.user_id = 1;
  p.email = "sec@gmg.org";
  p.name = "Secretariat";
  p.role = Role::kSecretariat;
  p.via = AuthVia::kToken;
  return p;
}

Principal FocalPointOf(const std::string& org) {
  Principal p;
  p.user_id = 2;
  p.email = "fp@" + org + ".int";
  p.role = Role::kFocalPoint;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Stakeholder() {
  Principal p;
  p.user_id = 3;
  p.email = "s@ngo.org";
  p.role = Role::kStakeholder;
  p.via = AuthVia::kToken;
  return p;
}

class MeetingServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    governance_ = std::make_unique<GovernanceService>(*db_);
    service_ = std::make_unique<MeetingService>(
        *db_, [this]() -> GovernanceService& { return *governance_; }, [] { return kNow; });
  }

  std::string ChairOn(const std::string& date) {
    auto rotation = governance_->LoadRotation();
    EXPECT_TRUE(rotation.ok());
    auto term = rotation->ChairOn(*Date::Parse(date));
    EXPECT_TRUE(term.ok());
    return term.ok() ? term->organization_id : "";
  }

  int64_t AuditRows(const std::string& entity) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto r,
                         tx.QueryOne("SELECT count(*) FROM audit_log WHERE entity = ?", {entity}));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }

  Meeting PlanMeeting(const std::string& starts = "2027-03-10T10:00",
                      const std::string& ends = "2027-03-10T12:00") {
    MeetingFields f;
    f.title = "Working group on data";
    f.starts_local = starts;
    f.ends_local = ends;
    f.time_zone = "Europe/Zurich";
    f.place = "Palais des Nations";
    f.link = "https://meet.example.org/gmg";
    auto m = service_->CreateMeeting(Staff(), f);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? *m : Meeting{};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<GovernanceService> governance_;
  std::unique_ptr<MeetingService> service_;
};

std::string FieldOf(const Error& e) { return e.details.empty() ? "" : e.details[0].field; }

TEST_P(MeetingServiceTest, ASeriesWithARuleMakesItsMeetingsAtTheLocalTimeWithTheRotationsChair) {
  SeriesFields f;
  f.name = "Demo: principals";
  f.level = "principals";
  f.time_zone = "Europe/Zurich";
  f.rule = "FREQ=MONTHLY;INTERVAL=6;COUNT=4";
  f.first_local = "2027-03-15T10:00";
  f.duration_minutes = 180;
  auto series = service_->CreateSeries(Staff(), f);
  ASSERT_TRUE(series.ok()) << series.error().message;
  EXPECT_EQ(series->meetings_count, 4);
  EXPECT_EQ(series->rule, "FREQ=MONTHLY;INTERVAL=6;COUNT=4");
  ASSERT_TRUE(series->next_meeting_id.has_value());

  MeetingFilter filter;
  filter.series_id = series->id;
  auto page = service_->ListMeetings(filter);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 4U);
  const Meeting& march = page->items[0];
  const Meeting& september = page->items[1];
  EXPECT_EQ(march.starts_local, "2027-03-15T10:00");
  EXPECT_EQ(march.ends_local, "2027-03-15T13:00");
  // 10:00 in Zurich is 09:00Z in winter (CET) and 08:00Z in summer (CEST).
  EXPECT_EQ(FormatTimestamp(march.starts_at), "2027-03-15T09:00:00Z");
  EXPECT_EQ(FormatTimestamp(september.starts_at), "2027-09-15T08:00:00Z");
  EXPECT_EQ(september.occurrence.value_or(""), "2027-09-15T10:00");
  EXPECT_EQ(march.chair_org, ChairOn("2027-03-15"));
  EXPECT_EQ(september.chair_org, ChairOn("2027-09-15"));
  EXPECT_TRUE(march.chair_from_rotation);
  EXPECT_EQ(march.status, "planned");
  EXPECT_EQ(march.series_name, "Demo: principals");
  std::set<std::string> uids;
  for (const auto& m : page->items) {
    EXPECT_TRUE(m.uid.ends_with("@gmg-hub")) << m.uid;
    uids.insert(m.uid);
  }
  EXPECT_EQ(uids.size(), 4U);
  EXPECT_EQ(AuditRows("meeting_series"), 1);
}

TEST_P(MeetingServiceTest, ExceptionsCancelTheirOccurrencesAndTakingThemBackRestoresThem) {
  SeriesFields f;
  f.name = "Working level";
  f.level = "working";
  f.time_zone = "America/New_York";
  f.rule = "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4";
  f.first_local = "2027-02-02T09:30";
  f.exceptions = std::vector<std::string>{"2027-02-04T09:30"};
  auto series = service_->CreateSeries(Staff(), f);
  ASSERT_TRUE(series.ok()) << series.error().message;
  EXPECT_EQ(series->exceptions, (std::vector<std::string>{"2027-02-04T09:30"}));
  MeetingFilter filter;
  filter.series_id = series->id;
  filter.status = "cancelled";
  EXPECT_EQ(service_->ListMeetings(filter)->total, 1);

  SeriesFields change;
  change.exceptions = std::vector<std::string>{"2027-02-09T09:30"};
  auto stale = service_->UpdateSeries(Staff(), series->id, series->version + 7, change);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  auto updated = service_->UpdateSeries(Staff(), series->id, series->version, change);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  auto cancelled = service_->ListMeetings(filter);
  ASSERT_EQ(cancelled->items.size(), 1U);
  EXPECT_EQ(cancelled->items[0].starts_local, "2027-02-09T09:30");
  EXPECT_EQ(cancelled->items[0].sequence, 1);
  filter.status = "planned";
  auto planned = service_->ListMeetings(filter);
  EXPECT_EQ(planned->total, 3);
  for (const auto& m : planned->items) {
    if (m.starts_local == "2027-02-04T09:30") EXPECT_EQ(m.sequence, 1) << "restored";
  }

  change.exceptions = std::vector<std::string>{"2027-02-10T09:30"};
  auto not_one = service_->UpdateSeries(Staff(), series->id, updated->version, change);
  ASSERT_FALSE(not_one.ok());
  EXPECT_EQ(not_one.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(not_one.error()), "exceptions");

  auto archived = service_->ArchiveSeries(Staff(), series->id);
  ASSERT_TRUE(archived.ok());
  EXPECT_TRUE(archived->archived);
  EXPECT_EQ(service_->ListSeries(false)->size(), 0U);
  EXPECT_EQ(service_->ListSeries(true)->size(), 1U);
  EXPECT_EQ(AuditRows("meeting_series"), 3);
}

TEST_P(MeetingServiceTest, BadRulesZonesAndLocalTimesAreRefusedNamingTheField) {
  SeriesFields f;
  f.name = "X";
  f.level = "working";
  f.time_zone = "Europe/Zurich";
  f.first_local = "2027-01-04T10:00";
  f.rule = "FREQ=WEEKLY;COUNT=61";
  auto bad_rule = service_->CreateSeries(Staff(), f);
  ASSERT_FALSE(bad_rule.ok());
  EXPECT_EQ(FieldOf(bad_rule.error()), "rule");
  f.rule = "FREQ=DAILY;UNTIL=20290101";
  EXPECT_EQ(service_->CreateSeries(Staff(), f).error().details[0].rule, "recurrence_bounds");
  f.rule = "FREQ=WEEKLY;COUNT=2";
  f.level = "plenary";
  EXPECT_EQ(FieldOf(service_->CreateSeries(Staff(), f).error()), "level");

  MeetingFields m;
  m.title = "T";
  m.starts_local = "2027-03-10T10:00";
  m.ends_local = "2027-03-10T12:00";
  m.time_zone = "Mars/Olympus_Mons";
  auto zone = service_->CreateMeeting(Staff(), m);
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(FieldOf(zone.error()), "time_zone");
  // Clocks in Zurich go from 02:00 to 03:00 on 28 March 2027: 02:30 does not exist.
  m.time_zone = "Europe/Zurich";
  m.starts_local = "2027-03-28T02:30";
  m.ends_local = "2027-03-28T04:00";
  auto gap = service_->CreateMeeting(Staff(), m);
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(FieldOf(gap.error()), "starts_local");
  EXPECT_EQ(gap.error().details[0].rule, "local_time_not_in_zone");
  m.starts_local = "2027-03-10T12:00";
  m.ends_local = "2027-03-10T11:00";
  EXPECT_EQ(FieldOf(service_->CreateMeeting(Staff(), m).error()), "ends_local");
  EXPECT_EQ(service_->CreateMeeting(FocalPointOf("iom"), m).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(AuditRows("meeting"), 0) << "nothing written";
}

TEST_P(MeetingServiceTest, StatusMovesFromPlannedOnlyAndPostponingCreatesTheNewMeeting) {
  Meeting m = PlanMeeting();
  EXPECT_EQ(m.chair_org, ChairOn("2027-03-10"));
  MeetingFields postpone;
  postpone.status = "postponed";
  auto no_time = service_->UpdateMeeting(Staff(), m.id, m.version, postpone);
  ASSERT_FALSE(no_time.ok());
  EXPECT_EQ(FieldOf(no_time.error()), "starts_local");
  postpone.starts_local = "2027-10-06T14:00";
  postpone.ends_local = "2027-10-06T16:00";
  auto moved = service_->UpdateMeeting(Staff(), m.id, m.version, postpone);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->status, "postponed");
  EXPECT_EQ(moved->starts_local, "2027-03-10T10:00") << "the old meeting keeps its time";
  EXPECT_EQ(moved->sequence, 1);
  EXPECT_EQ(moved->version, 2);
  ASSERT_TRUE(moved->postponed_to.has_value());
  auto next = service_->GetMeeting(*moved->postponed_to);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->status, "planned");
  EXPECT_EQ(next->starts_local, "2027-10-06T14:00");
  EXPECT_EQ(FormatTimestamp(next->starts_at), "2027-10-06T12:00:00Z");
  EXPECT_EQ(next->chair_org, ChairOn("2027-10-06"));
  EXPECT_NE(next->uid, m.uid);

  MeetingFields held;
  held.status = "held";
  auto refused = service_->UpdateMeeting(Staff(), m.id, moved->version, held);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  auto done = service_->UpdateMeeting(Staff(), next->id, next->version, held);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, "held");

  // A named chair stays when the date moves; the rotation's follows the date.
  Meeting other = PlanMeeting("2027-04-01T10:00", "2027-04-01T11:00");
  MeetingFields chair;
  chair.chair_org = "iom";
  auto named = service_->UpdateMeeting(Staff(), other.id, other.version, chair);
  ASSERT_TRUE(named.ok());
  EXPECT_FALSE(named->chair_from_rotation);
  MeetingFields unknown;
  unknown.chair_org = "nobody";
  EXPECT_EQ(FieldOf(service_->UpdateMeeting(Staff(), other.id, named->version, unknown).error()),
            "chair_org");
}

TEST_P(MeetingServiceTest, AgendaItemsAreOrderedValidatedAndClosedOnACancelledMeeting) {
  Meeting m = PlanMeeting();
  AgendaFields a;
  a.title = "Opening";
  auto first = service_->AddAgendaItem(Staff(), m.id, a);
  ASSERT_TRUE(first.ok()) << first.error().message;
  a.title = "Data on migration";
  a.presenter_org = "iom";
  a.purposes = std::vector<int64_t>{1, 2};
  auto second = service_->AddAgendaItem(Staff(), m.id, a);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->position, 2);
  a.purposes = std::vector<int64_t>{99};
  auto bad = service_->AddAgendaItem(Staff(), m.id, a);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(FieldOf(bad.error()), "purposes");
  a.purposes.reset();
  a.presenter_org = "nobody";
  EXPECT_EQ(FieldOf(service_->AddAgendaItem(Staff(), m.id, a).error()), "presenter_org");
  EXPECT_EQ(service_->AddAgendaItem(FocalPointOf("iom"), m.id, a).error().code,
            ErrorCode::kPermissionDenied);

  auto reordered = service_->ReorderAgenda(Staff(), m.id, {second->id, first->id});
  ASSERT_TRUE(reordered.ok());
  EXPECT_EQ((*reordered)[0].title, "Data on migration");
  EXPECT_EQ((*reordered)[1].position, 2);
  EXPECT_FALSE(service_->ReorderAgenda(Staff(), m.id, {second->id}).ok());
  auto listed = service_->ListAgenda(m.id, true);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].presenter_name, "International Organization for Migration");
  EXPECT_EQ(service_->GetMeeting(m.id)->agenda_count, 2);

  MeetingFields cancel;
  cancel.status = "cancelled";
  ASSERT_TRUE(service_->UpdateMeeting(Staff(), m.id, m.version, cancel).ok());
  a.presenter_org.reset();
  a.title = "Late item";
  auto closed = service_->AddAgendaItem(Staff(), m.id, a);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, ErrorCode::kConflict);
  EXPECT_EQ(service_->DeleteAgendaItem(Staff(), m.id, first->id).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(AuditRows("agenda_item"), 3);
}

TEST_P(MeetingServiceTest, PapersAreCheckedByContentAndByThePresentersOrganisation) {
  Meeting m = PlanMeeting();
  AgendaFields a;
  a.title = "Data on migration";
  a.presenter_org = "iom";
  auto item = service_->AddAgendaItem(Staff(), m.id, a);
  ASSERT_TRUE(item.ok());

  NewPaper pdf;
  pdf.title = "Background note";
  pdf.file_name = "../note.pdf";
  pdf.content = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
  pdf.agenda_item_id = item->id;
  auto by_iom = service_->AddPaper(FocalPointOf("iom"), m.id, pdf);
  ASSERT_TRUE(by_iom.ok()) << by_iom.error().message;
  EXPECT_EQ(by_iom->media_type, "application/pdf");
  EXPECT_EQ(by_iom->file_name, "note.pdf");
  EXPECT_EQ(by_iom->organization_id, "iom");
  EXPECT_EQ(by_iom->size, static_cast<int64_t>(pdf.content.size()));
  EXPECT_EQ(by_iom->sha256.size(), 64U);
  EXPECT_EQ(service_->AddPaper(FocalPointOf("ilo"), m.id, pdf).error().code,
            ErrorCode::kPermissionDenied);

  NewPaper exe = pdf;
  exe.file_name = "agenda.pdf";
  exe.content = std::string("MZ\x90\x00\x03\x00\x00\x00", 8);
  EXPECT_EQ(service_->AddPaper(Staff(), m.id, exe).error().code, ErrorCode::kUnsupportedMediaType);
  NewPaper big = pdf;
  big.content = "%PDF-" + std::string(kMaxPaperBytes, 'x');
  EXPECT_EQ(service_->AddPaper(Staff(), m.id, big).error().code, ErrorCode::kPayloadTooLarge);

  NewPaper link;
  link.title = "Report on the web";
  link.url = "https://www.example.org/report";
  auto linked = service_->AddPaper(Staff(), m.id, link);
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  link.url = "javascript:alert(1)";
  EXPECT_EQ(FieldOf(service_->AddPaper(Staff(), m.id, link).error()), "url");

  auto file = service_->GetPaperFile(FocalPointOf("ilo"), m.id, by_iom->id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->content, pdf.content);
  EXPECT_EQ(service_->GetPaperFile(Stakeholder(), m.id, by_iom->id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->ListPapers(Principal{}, m.id).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_->ListPapers(Staff(), m.id)->size(), 2U);
  auto agenda = service_->ListAgenda(m.id, true);
  ASSERT_EQ((*agenda)[0].papers.size(), 1U);

  EXPECT_EQ(service_->DeletePaper(FocalPointOf("ilo"), m.id, by_iom->id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->DeletePaper(FocalPointOf("iom"), m.id, by_iom->id).ok());
  EXPECT_EQ(AuditRows("paper"), 3);
}

TEST_P(MeetingServiceTest, EachOrganisationRecordsItsOwnAttendance) {
  Meeting m = PlanMeeting();
  std::vector<Attendee> people = {{"", "", "A. Director", "executive_head"},
                                  {"", "", "B. Officer", "working"}};
  auto own = service_->ReplaceAttendance(FocalPointOf("iom"), m.id, "iom", people);
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->size(), 2U);
  EXPECT_EQ(service_->ReplaceAttendance(FocalPointOf("ilo"), m.id, "iom", people).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->ReplaceAttendance(Staff(), m.id, "ilo", {people[0]}).ok());
  auto replaced = service_->ReplaceAttendance(FocalPointOf("iom"), m.id, "iom", {people[1]});
  ASSERT_TRUE(replaced.ok());
  auto all = service_->ListAttendance(FocalPointOf("ilo"), m.id);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[1].organization_id, "iom");
  EXPECT_EQ((*all)[1].person, "B. Officer");
  EXPECT_EQ((*all)[0].organization_name, "International Labour Organization");

  std::vector<Attendee> bad = {{"", "", "C", "tourist"}};
  auto refused = service_->ReplaceAttendance(Staff(), m.id, "iom", bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(FieldOf(refused.error()), "people[0].level");
  EXPECT_EQ(service_->ListAttendance(Stakeholder(), m.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(AuditRows("attendance"), 3);
}

TEST_P(MeetingServiceTest, TheDemoHasHeldMeetingsWithAgendasAndTheNextOnesPlannedOnce) {
  auto added = LoadDemoMeetings(*service_, kNow);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 15);
  auto series = service_->ListSeries(false);
  ASSERT_EQ(series->size(), 2U);
  for (const MeetingSeries& s : *series) {
    EXPECT_TRUE(s.name.starts_with("Demo: ")) << s.name;
    ASSERT_TRUE(s.next_meeting_id.has_value());
    auto next = service_->GetMeeting(*s.next_meeting_id);
    EXPECT_EQ(next->status, "planned");
    EXPECT_EQ(next->agenda_count, 4) << "the next meeting has its agenda";
  }
  MeetingFilter held;
  held.status = "held";
  auto past = service_->ListMeetings(held);
  EXPECT_GT(past->total, 4);
  for (const Meeting& m : past->items) {
    EXPECT_LT(m.ends_at, kNow);
    EXPECT_EQ(m.agenda_count, 4);
  }
  EXPECT_EQ(*LoadDemoMeetings(*service_, kNow), 0) << "once";
}

// The one search's copy follows every write to the meetings, through the service or straight
// into the tables (as another instance does), and is kept while nothing changes.
TEST_P(MeetingServiceTest, SearchTextsFollowEveryWriteWhoeverMakesIt) {
  Meeting m = PlanMeeting();
  auto first = service_->SearchTexts();
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto entry = [&](const MeetingSearchTexts& t) {
    auto it = std::find_if(t.meetings.begin(), t.meetings.end(),
                           [&](const MeetingSearchText& e) { return e.id == m.id; });
    EXPECT_NE(it, t.meetings.end());
    return it == t.meetings.end() ? MeetingSearchText{} : *it;
  };
  EXPECT_EQ(entry(**first).folded_title, "working group on data");
  EXPECT_TRUE(entry(**first).about.starts_with("2027-03-10 · Palais des Nations · "))
      << entry(**first).about;
  EXPECT_TRUE(entry(**first).minutes.empty());
  auto kept = service_->SearchTexts();
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->get(), first->get()) << "nothing changed: the same copy";

  MeetingFields f;
  f.title = "Working group on Remittances";
  ASSERT_TRUE(service_->UpdateMeeting(Staff(), m.id, m.version, f).ok());
  auto second = service_->SearchTexts();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(entry(**second).folded_title, "working group on remittances");

  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(
                       tx.Exec("INSERT INTO meeting_minutes (meeting_id, status, current_version) "
                               "VALUES (?, 'draft', 1)",
                               {m.id}));
                   GMG_RETURN_IF_ERROR(tx.Exec(
                       "INSERT INTO meeting_minutes_versions (meeting_id, number, text, "
                       "user_name, created_at) VALUES (?, 1, 'Agreed on DATA sharing', 'S', 0)",
                       {m.id}));
                   return Ok();
                 })
                  .ok());
  auto third = service_->SearchTexts();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(entry(**third).minutes, "Agreed on DATA sharing");
  EXPECT_EQ(entry(**third).folded_minutes, "agreed on data sharing");
  EXPECT_FALSE(entry(**third).minutes_approved);

  // A write that rolls back changes nothing.
  EXPECT_FALSE(db_->Write([&](Tx& tx) -> Status {
                    GMG_RETURN_IF_ERROR(
                        tx.Exec("UPDATE meetings SET title = 'x' WHERE id = ?", {m.id}));
                    return MakeError(ErrorCode::kInternal, "rolled back");
                  })
                   .ok());
  auto fourth = service_->SearchTexts();
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth->get(), third->get());
}

INSTANTIATE_TEST_SUITE_P(Engines, MeetingServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
