#include "training/training_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "app/testing.h"
#include "training/training_demo.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796122800;  // 2026-12-01T11:00:00Z
constexpr int64_t kDay = 86400;

Principal StaffOf(const std::string& org, Role role, int64_t user_id = 0) {
  Principal p;
  p.user_id = user_id;
  p.email = "someone" + std::to_string(user_id) + "@" + (org.empty() ? "gmg" : org) + ".int";
  p.name = "Someone " + std::to_string(user_id);
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() { return StaffOf("", Role::kSecretariat, 1); }
Principal IomFocal() { return StaffOf("iom", Role::kFocalPoint, 2); }
Principal IloFocal() { return StaffOf("ilo", Role::kFocalPoint, 3); }
Principal Participant(int64_t n) { return StaffOf("", Role::kStakeholder, 100 + n); }

CourseFilter Filter(std::string topic, std::string audience, std::string language) {
  CourseFilter f;
  f.topic = std::move(topic);
  f.audience = std::move(audience);
  f.language = std::move(language);
  return f;
}

const FieldProblem& Broken(const Error& e) {
  static const FieldProblem kNone("", "");
  return e.details.empty() ? kNone : e.details.front();
}

class TrainingServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    service_ = std::make_unique<TrainingService>(*db_, [this] { return now_; });
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
  NewCourse Course(std::vector<std::string> orgs = {"iom", "unhcr"}) {
    return NewCourse{.title = "Refugee protection for border officials",
                     .topic = "refugee_protection",
                     .description = "Screening and referral of asylum seekers at the border.",
                     .organizers = std::move(orgs)};
  }
  // A session starting in `days` days (deadline the day before), in Nairobi.
  SessionFields Session(int days, int64_t capacity) {
    Date start = Date::FromUnix(now_).AddDays(days);
    return SessionFields{.starts_on = start.ToString(),
                         .ends_on = start.AddDays(2).ToString(),
                         .online = false,
                         .city = "Nairobi",
                         .country = "KEN",
                         .audience = "government_officials",
                         .language = "en",
                         .capacity = capacity,
                         .registration_deadline = start.AddDays(-1).ToString()};
  }
  TrainingSession MakeSession(int days, int64_t capacity) {
    auto c = service_->CreateCourse(Secretariat(), Course());
    EXPECT_TRUE(c.ok());
    auto s = service_->AddSession(Secretariat(), c->id, Session(days, capacity));
    EXPECT_TRUE(s.ok()) << s.error().message;
    return *s;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<TrainingService> service_;
  int64_t now_ = kNow;
};

TEST_P(TrainingServiceTest, CoursesAreCreatedBySecretariatOrACoOrganisingFocalPoint) {
  auto staff = service_->CreateCourse(Secretariat(), Course());
  ASSERT_TRUE(staff.ok()) << staff.error().message;
  EXPECT_EQ(staff->organizers, (std::vector<std::string>{"iom", "unhcr"}));
  auto own = service_->CreateCourse(IomFocal(), Course({"iom"}));
  ASSERT_TRUE(own.ok()) << own.error().message;

  auto other = service_->CreateCourse(IloFocal(), Course({"iom"}));
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Broken(other.error()).rule, "not_own_organization");
  EXPECT_EQ(service_->CreateCourse(StaffOf("iom", Role::kMember, 9), Course({"iom"})).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->CreateCourse(Participant(1), Course()).error().code,
            ErrorCode::kPermissionDenied);

  auto none = service_->CreateCourse(Secretariat(), Course({}));
  EXPECT_EQ(Broken(none.error()).rule, "required");
  auto unknown = service_->CreateCourse(Secretariat(), Course({"nobody"}));
  EXPECT_EQ(Broken(unknown.error()).rule, "unknown_organization");
  auto twice = service_->CreateCourse(Secretariat(), Course({"iom", "iom"}));
  EXPECT_EQ(Broken(twice.error()).rule, "duplicate_value");
  NewCourse bad_topic = Course();
  bad_topic.topic = "cooking";
  auto refused = service_->CreateCourse(Secretariat(), bad_topic);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(refused.error()).field, "topic");
  EXPECT_EQ(service_->ListCourses({})->size(), 2u);
  EXPECT_EQ(AuditRows("training_course"), 2);
}

TEST_P(TrainingServiceTest, OnlyOrganisersEditACourseAndTheVersionIsChecked) {
  auto c = service_->CreateCourse(IomFocal(), Course({"iom"}));
  ASSERT_TRUE(c.ok());
  CourseChange change;
  change.title = "Renamed";
  EXPECT_EQ(service_->UpdateCourse(IloFocal(), c->id, 1, change).error().code,
            ErrorCode::kPermissionDenied);
  auto renamed = service_->UpdateCourse(IomFocal(), c->id, 1, change);
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  EXPECT_EQ(renamed->version, 2);
  EXPECT_EQ(service_->UpdateCourse(IomFocal(), c->id, 1, change).error().code,
            ErrorCode::kPreconditionFailed);
  CourseChange drop_self;
  drop_self.organizers = std::vector<std::string>{"ilo"};
  EXPECT_EQ(service_->UpdateCourse(IomFocal(), c->id, 2, drop_self).error().code,
            ErrorCode::kPermissionDenied);
  auto by_staff = service_->UpdateCourse(Secretariat(), c->id, 2, drop_self);
  ASSERT_TRUE(by_staff.ok());
  EXPECT_EQ(by_staff->organizers, (std::vector<std::string>{"ilo"}));
  EXPECT_EQ(service_->GetCourse(999).error().code, ErrorCode::kNotFound);
}

TEST_P(TrainingServiceTest, AFocalPointAddsCoOrganisersButRemovesNoOther) {
  auto c = service_->CreateCourse(IomFocal(), Course({"iom", "ilo"}));
  ASSERT_TRUE(c.ok()) << c.error().message;
  CourseChange drop_iom;
  drop_iom.organizers = std::vector<std::string>{"ilo"};
  auto dropped = service_->UpdateCourse(IloFocal(), c->id, 1, drop_iom);
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Broken(dropped.error()).field, "organizers");
  EXPECT_EQ(Broken(dropped.error()).rule, "not_own_organization");
  EXPECT_EQ(Broken(dropped.error()).args,
            (std::vector<std::pair<std::string, std::string>>{{"value", "iom"}}));
  CourseChange swap;
  swap.organizers = std::vector<std::string>{"ilo", "unhcr"};
  EXPECT_EQ(Broken(service_->UpdateCourse(IloFocal(), c->id, 1, swap).error()).rule,
            "not_own_organization");
  auto unchanged = service_->GetCourse(c->id);
  EXPECT_EQ(unchanged->organizers, (std::vector<std::string>{"ilo", "iom"}));
  EXPECT_EQ(unchanged->version, 1);
  EXPECT_EQ(AuditRows("training_course"), 1);

  CourseChange add;
  add.organizers = std::vector<std::string>{"ilo", "iom", "unhcr"};
  auto added = service_->UpdateCourse(IloFocal(), c->id, 1, add);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->organizers, (std::vector<std::string>{"ilo", "iom", "unhcr"}));
  auto removed = service_->UpdateCourse(Secretariat(), c->id, 2, swap);
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(removed->organizers, (std::vector<std::string>{"ilo", "unhcr"}));
}

TEST_P(TrainingServiceTest, SessionsAreValidated) {
  auto c = service_->CreateCourse(Secretariat(), Course());
  ASSERT_TRUE(c.ok());
  auto rule_of = [&](const SessionFields& s) {
    auto r = service_->AddSession(Secretariat(), c->id, s);
    return r.ok() ? std::string("ok") : Broken(r.error()).field + ":" + Broken(r.error()).rule;
  };
  SessionFields s = Session(10, 20);
  s.ends_on = Date::FromUnix(now_).AddDays(9).ToString();
  EXPECT_EQ(rule_of(s), "ends_on:before_start");
  s = Session(10, 20);
  s.registration_deadline = Date::FromUnix(now_).AddDays(11).ToString();
  EXPECT_EQ(rule_of(s), "registration_deadline:after_start");
  s = Session(10, 20);
  s.starts_on = "2026-02-30";
  EXPECT_EQ(rule_of(s), "starts_on:invalid_date");
  s = Session(10, 20);
  s.country = "XXX";
  EXPECT_EQ(rule_of(s), "country:unknown_country");
  s.country = "KE";
  EXPECT_EQ(rule_of(s), "country:unknown_country");
  s = Session(10, 20);
  s.city = "";
  EXPECT_EQ(rule_of(s), "city:required");
  s = Session(10, 20);
  s.language = "xx";
  EXPECT_EQ(rule_of(s), "language:invalid_language");
  s = Session(10, 20);
  s.audience = "everyone";
  EXPECT_EQ(rule_of(s), "audience:not_in_list");
  EXPECT_EQ(rule_of(Session(10, 0)), "capacity:out_of_range");
  EXPECT_EQ(rule_of(Session(10, 10001)), "capacity:out_of_range");
  EXPECT_EQ(AuditRows("training_session"), 0);
  s = Session(10, 10000);
  s.online = true;
  s.city = "ignored";
  s.country = "XXX";
  auto online = service_->AddSession(Secretariat(), c->id, s);
  ASSERT_TRUE(online.ok()) << online.error().message;
  EXPECT_TRUE(online->online);
  EXPECT_EQ(online->city, "");
  EXPECT_EQ(service_->AddSession(IloFocal(), c->id, Session(10, 5)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->AddSession(IomFocal(), c->id, Session(10, 5)).ok());
}

TEST_P(TrainingServiceTest, RegistrationsFillTheSeatsThenTheWaitListInOrder) {
  TrainingSession s = MakeSession(10, 2);
  auto first = service_->Register(Participant(1), s.id, {});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->status, "confirmed");
  EXPECT_EQ(first->user_id, 101);
  ASSERT_TRUE(service_->Register(Participant(2), s.id, {}).ok());
  auto third = service_->Register(Participant(3), s.id, {});
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->status, "waitlisted");
  EXPECT_EQ(third->wait_position, 1);
  auto fourth = service_->Register(Participant(4), s.id, {});
  EXPECT_EQ(fourth->wait_position, 2);

  // The same person twice (any case of the e-mail): refused, nothing added.
  auto again = service_->Register(Participant(1), s.id, {});
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Broken(again.error()).rule, "already_registered");
  NewParticipant upper{.name = "P", .email = "SOMEONE101@GMG.INT", .organization = ""};
  EXPECT_EQ(service_->Register(Secretariat(), s.id, upper).error().code, ErrorCode::kConflict);

  auto session = service_->GetCourse(s.course_id)->sessions.front();
  EXPECT_EQ(session.confirmed, 2);
  EXPECT_EQ(session.waitlisted, 2);

  // A cancellation promotes the first of the wait list; the second moves up.
  EXPECT_EQ(service_->Cancel(Participant(3), first->id).error().code, ErrorCode::kPermissionDenied);
  auto promoted = service_->Cancel(Participant(1), first->id);
  ASSERT_TRUE(promoted.ok()) << promoted.error().message;
  EXPECT_EQ(*promoted, third->id);
  auto mine = service_->MyRegistrations(Participant(4));
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().wait_position, 1);
  EXPECT_EQ(service_->Cancel(Participant(1), first->id).error().code, ErrorCode::kConflict);
  EXPECT_TRUE(service_->MyRegistrations(Participant(1))->empty());
  // Cancelling a place on the wait list promotes nobody.
  EXPECT_FALSE(service_->Cancel(Participant(4), fourth->id)->has_value());
  // Registering again after cancelling is allowed.
  EXPECT_EQ(service_->Register(Participant(1), s.id, {})->status, "waitlisted");
  EXPECT_EQ(AuditRows("training_registration"), 4 + 2 + 1 + 1);
}

TEST_P(TrainingServiceTest, CapacityBelowTheConfirmedIsRefusedAndRaisingItPromotes) {
  TrainingSession s = MakeSession(10, 2);
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(service_->Register(Participant(i), s.id, {}).ok());
  SessionChange lower;
  lower.capacity = 1;
  auto refused = service_->UpdateSession(Secretariat(), s.id, lower);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(refused.error()).rule, "below_confirmed");
  EXPECT_EQ(service_->GetCourse(s.course_id)->sessions.front().capacity, 2);
  SessionChange raise;
  raise.capacity = 3;
  auto raised = service_->UpdateSession(Secretariat(), s.id, raise);
  ASSERT_TRUE(raised.ok()) << raised.error().message;
  EXPECT_EQ(raised->confirmed, 3);
  EXPECT_EQ(raised->waitlisted, 1);
  EXPECT_EQ(service_->UpdateSession(IloFocal(), s.id, raise).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(TrainingServiceTest, OneRegistersOneselfOnlyForOnesAudience) {
  TrainingSession officials = MakeSession(10, 5);  // government_officials
  auto c = service_->CreateCourse(Secretariat(), Course());
  ASSERT_TRUE(c.ok());
  SessionFields fields = Session(10, 5);
  fields.audience = "agency_staff";
  auto staff_only = service_->AddSession(Secretariat(), c->id, fields);
  ASSERT_TRUE(staff_only.ok());

  auto official_in_staff = service_->Register(Participant(1), staff_only->id, {});
  ASSERT_FALSE(official_in_staff.ok());
  EXPECT_EQ(official_in_staff.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(official_in_staff.error().details.at(0).rule, "audience_mismatch");
  auto agency_in_officials = service_->Register(IomFocal(), officials.id, {});
  ASSERT_FALSE(agency_in_officials.ok());
  EXPECT_EQ(agency_in_officials.error().details.at(0).rule, "audience_mismatch");
  EXPECT_EQ(AuditRows("training_registration"), 0) << "nothing registered";

  EXPECT_TRUE(service_->Register(IomFocal(), staff_only->id, {}).ok());
  EXPECT_TRUE(service_->Register(Participant(1), officials.id, {}).ok());
  EXPECT_TRUE(service_->Register(Secretariat(), officials.id, {}).ok());
  // An organiser registers anyone, whatever the audience.
  NewParticipant guest{.name = "Guest Official", .email = "guest@ministry.example"};
  EXPECT_TRUE(service_->Register(IomFocal(), staff_only->id, guest).ok());
}

TEST_P(TrainingServiceTest, RegistrationClosesAfterTheDeadlineAndCancellingAtTheStart) {
  TrainingSession s = MakeSession(3, 5);
  auto early = service_->Register(Participant(1), s.id, {});
  ASSERT_TRUE(early.ok());
  now_ = kNow + 3 * kDay;  // the start day: the deadline (the day before) has passed
  auto late = service_->Register(Participant(2), s.id, {});
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(late.error()).rule, "registration_closed");
  auto cancel = service_->Cancel(Participant(1), early->id);
  EXPECT_EQ(Broken(cancel.error()).rule, "session_started");
  EXPECT_EQ(service_->Register(Participant(1), 999, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Register(Principal(), s.id, {}).error().code, ErrorCode::kUnauthenticated);
}

TEST_P(TrainingServiceTest, OrganisersRegisterNamedParticipantsAndSeeTheList) {
  TrainingSession s = MakeSession(10, 5);
  NewParticipant named{.name = "Amina Diallo",
                       .email = "amina@interior.example",
                       .organization = "Ministry of the Interior"};
  EXPECT_EQ(service_->Register(IloFocal(), s.id, named).error().code, ErrorCode::kPermissionDenied);
  auto by_organiser = service_->Register(IomFocal(), s.id, named);
  ASSERT_TRUE(by_organiser.ok()) << by_organiser.error().message;
  EXPECT_FALSE(by_organiser->user_id.has_value());
  NewParticipant bad = named;
  bad.email = "not an address";
  EXPECT_EQ(Broken(service_->Register(IomFocal(), s.id, bad).error()).rule, "invalid_email");

  auto list = service_->ListRegistrations(IomFocal(), s.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().email, "amina@interior.example");
  EXPECT_EQ(service_->ListRegistrations(IloFocal(), s.id).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->ListRegistrations(Participant(1), s.id).error().code,
            ErrorCode::kPermissionDenied);
  // The participant (by e-mail) sees and cancels their own registration.
  Principal amina = StaffOf("", Role::kStakeholder, 77);
  amina.email = "Amina@Interior.example";
  ASSERT_EQ(service_->MyRegistrations(amina)->size(), 1u);
  EXPECT_TRUE(service_->Cancel(amina, by_organiser->id).ok());
}

TEST_P(TrainingServiceTest, AttendanceIsMarkedByOrganisersOnceTheSessionStarted) {
  TrainingSession s = MakeSession(2, 1);
  auto confirmed = service_->Register(Participant(1), s.id, {});
  auto waiting = service_->Register(Participant(2), s.id, {});
  ASSERT_TRUE(confirmed.ok() && waiting.ok());
  std::vector<AttendanceMark> marks{{confirmed->id, "attended"}};
  auto early = service_->MarkAttendance(Secretariat(), s.id, marks);
  EXPECT_EQ(Broken(early.error()).rule, "session_not_started");
  now_ = kNow + 2 * kDay;
  EXPECT_EQ(service_->MarkAttendance(IloFocal(), s.id, marks).error().code,
            ErrorCode::kPermissionDenied);
  std::vector<AttendanceMark> with_waiting{{confirmed->id, "attended"}, {waiting->id, "absent"}};
  auto refused = service_->MarkAttendance(IomFocal(), s.id, with_waiting);
  EXPECT_EQ(Broken(refused.error()).rule, "not_confirmed");
  EXPECT_EQ(service_->GetCourse(s.course_id)->sessions.front().attended, 0) << "all or nothing";
  std::vector<AttendanceMark> twice{{confirmed->id, "attended"}, {confirmed->id, "absent"}};
  EXPECT_EQ(Broken(service_->MarkAttendance(IomFocal(), s.id, twice).error()).rule,
            "duplicate_value");
  std::vector<AttendanceMark> bad{{confirmed->id, "late"}};
  EXPECT_EQ(Broken(service_->MarkAttendance(IomFocal(), s.id, bad).error()).rule, "not_in_list");
  ASSERT_TRUE(service_->MarkAttendance(IomFocal(), s.id, marks).ok());
  auto report = service_->Report();
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->by_organization.size(), 2u);
  EXPECT_EQ(report->by_organization[0].key, "iom");
  EXPECT_EQ(report->by_organization[0].registrations, 1);
  EXPECT_EQ(report->by_organization[0].waitlisted, 1);
  EXPECT_EQ(report->by_organization[0].attended, 1);
  EXPECT_DOUBLE_EQ(*report->by_organization[0].attendance_rate, 1.0);
  ASSERT_EQ(report->by_topic.size(), 6u);
  EXPECT_EQ(report->by_topic[3].key, "refugee_protection");
  EXPECT_EQ(report->by_topic[3].courses, 1);
  EXPECT_FALSE(report->by_topic[0].attendance_rate.has_value());
}

TEST_P(TrainingServiceTest, TwoRegistrationsForTheLastSeatDoNotBothGetIt) {
  TrainingSession s = MakeSession(10, 1);
  std::vector<Result<TrainingRegistration>> results(2, MakeError(ErrorCode::kInternal, "unset"));
  std::thread a([&] { results[0] = service_->Register(Participant(1), s.id, {}); });
  std::thread b([&] { results[1] = service_->Register(Participant(2), s.id, {}); });
  a.join();
  b.join();
  ASSERT_TRUE(results[0].ok() && results[1].ok());
  std::multiset<std::string> statuses{results[0]->status, results[1]->status};
  EXPECT_EQ(statuses, (std::multiset<std::string>{"confirmed", "waitlisted"}));
}

TEST_P(TrainingServiceTest, CataloguesFilterAndSearchRanksTitlesFirst) {
  ASSERT_TRUE(service_->CreateCourse(Secretariat(), Course()).ok());
  NewCourse law{.title = "Migration law basics",
                .topic = "migration_law",
                .description = "Refugee law is mentioned here.",
                .organizers = {"iom"}};
  auto l = service_->CreateCourse(Secretariat(), law);
  ASSERT_TRUE(l.ok());
  SessionFields fr = Session(10, 5);
  fr.language = "fr";
  ASSERT_TRUE(service_->AddSession(Secretariat(), l->id, fr).ok());
  EXPECT_EQ(service_->ListCourses(Filter("migration_law", "", ""))->size(), 1u);
  EXPECT_EQ(service_->ListCourses(Filter("", "", "fr"))->size(), 1u);
  EXPECT_EQ(service_->ListCourses(Filter("", "agency_staff", ""))->size(), 0u);

  auto hits = service_->Search(Principal(), "REFUGEE", 10);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ(hits->front().title, "Refugee protection for border officials");
  EXPECT_NE(hits->back().snippet.find("Refugee law"), std::string::npos);
  EXPECT_EQ(service_->Search(Principal(), "refugee law", 10)->size(), 1u);
  EXPECT_TRUE(service_->Search(Principal(), "50%_off", 10)->empty());
  EXPECT_TRUE(service_->Search(Principal(), "  ", 10)->empty());
  EXPECT_EQ(service_->Search(Principal(), "x", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Search(Principal(), std::string(201, 'a'), 5).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(TrainingServiceTest, TheDemoCoversEveryTopicWithWaitListsAndAttendanceOnce) {
  auto added = LoadDemoTraining(*db_, kNow);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 6);
  EXPECT_EQ(*LoadDemoTraining(*db_, kNow), 0);
  auto report = service_->Report();
  ASSERT_TRUE(report.ok());
  for (const auto& t : report->by_topic) EXPECT_EQ(t.courses, 1) << t.key;
  int64_t waitlisted = 0;
  int64_t attended = 0;
  for (const auto& t : report->by_topic) {
    waitlisted += t.waitlisted;
    attended += t.attended;
  }
  EXPECT_GT(waitlisted, 0);
  EXPECT_GT(attended, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, TrainingServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
