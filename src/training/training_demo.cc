#include "training/training_demo.h"

#include <string>
#include <vector>

#include "core/date.h"
#include "training/training_service.h"

namespace gmg {
namespace {

struct DemoSession {
  int starts_in_days;  // negative: in the past
  int length_days;
  const char* city;     // nullptr = online
  const char* country;  // ISO 3166 alpha-3
  const char* audience;
  const char* language;
  int capacity;
  int registrations;  // more than capacity: the rest wait
};

struct DemoCourse {
  const char* title;
  const char* topic;
  const char* description;
  std::vector<std::string> organizers;
  std::vector<DemoSession> sessions;
};

const std::vector<DemoCourse>& Courses() {
  static const std::vector<DemoCourse> kCourses = {
      {"Demo: Foundations of migration management",
       "migration_management",
       "Demo record: a five-day introduction to migration governance, data and policy "
       "coherence for staff of GMG agencies.",
       {"iom", "undesa"},
       {{-90, 4, "Geneva", "CHE", "agency_staff", "en", 20, 12},
        {30, 4, nullptr, nullptr, "government_officials", "en", 25, 5}}},
      {"Demo: International migration law for government officials",
       "migration_law",
       "Demo record: the sources of international migration law, state sovereignty and the "
       "rights of migrants, with case studies.",
       {"iom", "ohchr"},
       {{45, 3, "Bangkok", "THA", "government_officials", "en", 6, 8}}},
      {"Demo: Human rights of migrants at borders",
       "human_rights_of_migrants",
       "Demo record: applying the recommended principles and guidelines on human rights at "
       "international borders.",
       {"ohchr", "unhcr"},
       {{-60, 2, "Dakar", "SEN", "government_officials", "fr", 15, 10},
        {50, 2, "Mexico City", "MEX", "government_officials", "es", 10, 4}}},
      {"Demo: Refugee protection in mixed movements",
       "refugee_protection",
       "Demo record: identifying international protection needs among people moving in mixed "
       "flows, and referral to asylum procedures.",
       {"unhcr", "iom"},
       {{20, 3, "Nairobi", "KEN", "agency_staff", "en", 4, 6}}},
      {"Demo: Identifying and protecting victims of trafficking",
       "counter_trafficking",
       "Demo record: indicators of trafficking in persons, victim-centred interviews and "
       "cooperation between law enforcement and service providers.",
       {"unodc", "ilo"},
       {{-120, 3, "Vienna", "AUT", "agency_staff", "en", 12, 12},
        {60, 3, nullptr, nullptr, "government_officials", "ar", 30, 3}}},
      {"Demo: Migration, trade and development",
       "migration_trade_development",
       "Demo record: remittances, trade in services (mode 4) and the development impact of "
       "labour mobility.",
       {"unctad", "worldbank", "undp"},
       {{-30, 2, "Geneva", "CHE", "agency_staff", "en", 10, 8},
        {75, 2, "Amman", "JOR", "agency_staff", "ar", 15, 2}}},
  };
  return kCourses;
}

constexpr const char* kOrganizations[] = {
    "Demo: Ministry of Labour", "Demo: Ministry of the Interior", "Demo: Border Agency",
    "Demo: Ministry of Foreign Affairs", "Demo: National Statistics Office"};

Status AddSession(Database& db, int64_t now, int64_t course_id, const DemoSession& d,
                  int* participant) {
  Principal cli = Principal::Cli();
  Date today = Date::FromUnix(now);
  Date start = today.AddDays(d.starts_in_days);
  Date deadline = start.AddDays(-7);
  SessionFields f{.starts_on = start.ToString(),
                  .ends_on = start.AddDays(d.length_days).ToString(),
                  .online = d.city == nullptr,
                  .city = d.city ? d.city : "",
                  .country = d.country ? d.country : "",
                  .audience = d.audience,
                  .language = d.language,
                  .capacity = d.capacity,
                  .registration_deadline = deadline.ToString()};
  TrainingService service(db, [now] { return now; });
  GMG_ASSIGN_OR_RETURN(TrainingSession s, service.AddSession(cli, course_id, f));
  // Registrations made while registration was open: a day before the deadline when that is
  // past, else now.
  int64_t at = std::min(now, (deadline.days() - 1) * int64_t{86400} + 36000);
  TrainingService then(db, [at] { return at; });
  std::vector<int64_t> confirmed;
  for (int i = 0; i < d.registrations; ++i) {
    int n = ++*participant;
    NewParticipant p{.name = "Demo participant " + std::to_string(n),
                     .email = "demo.participant" + std::to_string(n) + "@example.org",
                     .organization = kOrganizations[n % std::size(kOrganizations)]};
    GMG_ASSIGN_OR_RETURN(TrainingRegistration r, then.Register(cli, s.id, p));
    if (r.status == "confirmed") confirmed.push_back(r.id);
  }
  if (d.starts_in_days >= 0) return Ok();
  std::vector<AttendanceMark> marks;
  for (size_t i = 0; i < confirmed.size(); ++i) {
    marks.push_back({confirmed[i], i % 5 == 3 ? "absent" : "attended"});
  }
  return service.MarkAttendance(cli, s.id, marks);
}

}  // namespace

Result<int> LoadDemoTraining(Database& db, int64_t now) {
  TrainingService service(db, [now] { return now; });
  GMG_ASSIGN_OR_RETURN(auto existing, service.ListCourses({}));
  for (const auto& c : existing) {
    if (c.title.starts_with("Demo:")) return 0;
  }
  Principal cli = Principal::Cli();
  int added = 0;
  int participant = 0;
  for (const auto& d : Courses()) {
    GMG_ASSIGN_OR_RETURN(TrainingCourse c,
                         service.CreateCourse(cli, NewCourse{.title = d.title,
                                                             .topic = d.topic,
                                                             .description = d.description,
                                                             .organizers = d.organizers}));
    for (const auto& s : d.sessions) {
      GMG_RETURN_IF_ERROR(AddSession(db, now, c.id, s, &participant));
    }
    ++added;
  }
  return added;
}

}  // namespace gmg
