#include "training/training_json.h"

#include <boost/json/array.hpp>
#include <cstdio>
#include <utility>

namespace gmg {
namespace {

std::string NameOf(const OrgNames* names, const std::string& id) {
  if (names == nullptr) return id;
  auto it = names->find(id);
  return it == names->end() || it->second.empty() ? id : it->second;
}

boost::json::value Rate(const std::optional<double>& rate) {
  if (!rate) return nullptr;
  return *rate;
}

boost::json::object LineJson(const TrainingReportLine& l) {
  return boost::json::object{{"courses", l.courses},
                             {"sessions", l.sessions},
                             {"registrations", l.registrations},
                             {"waitlisted", l.waitlisted},
                             {"attended", l.attended},
                             {"absent", l.absent},
                             {"attendance_rate", Rate(l.attendance_rate)}};
}

// A CSV field, quoted when it holds a comma, quote or line break; a leading = + - @ is
// prefixed with ' so that spreadsheets do not run it as a formula.
std::string CsvField(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s.insert(0, "'");
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvLine(std::string_view kind, const TrainingReportLine& l, std::string_view name) {
  std::string rate;
  if (l.attendance_rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", *l.attendance_rate);
    rate = buf;
  }
  return std::string(kind) + "," + CsvField(l.key) + "," + CsvField(name) + "," +
         std::to_string(l.courses) + "," + std::to_string(l.sessions) + "," +
         std::to_string(l.registrations) + "," + std::to_string(l.waitlisted) + "," +
         std::to_string(l.attended) + "," + std::to_string(l.absent) + "," + rate + "\r\n";
}

}  // namespace

boost::json::object SessionJson(const TrainingSession& s) {
  boost::json::object place{{"online", s.online}};
  if (!s.online) {
    place["city"] = s.city;
    place["country"] = s.country;
  }
  return boost::json::object{
      {"id", s.id},
      {"course_id", s.course_id},
      {"starts_on", s.starts_on},
      {"ends_on", s.ends_on},
      {"place", std::move(place)},
      {"audience", s.audience},
      {"language", s.language},
      {"capacity", s.capacity},
      {"registration_deadline", s.registration_deadline},
      {"confirmed", s.confirmed},
      {"waitlisted", s.waitlisted},
      {"seats_left", s.capacity > s.confirmed ? s.capacity - s.confirmed : 0},
      {"attended", s.attended},
      {"absent", s.absent},
      {"created_at", FormatTimestamp(s.created_at)},
      {"updated_at", FormatTimestamp(s.updated_at)},
  };
}

boost::json::object CourseJson(const TrainingCourse& c, const OrgNames* names) {
  boost::json::array organizers;
  for (const auto& id : c.organizers) {
    organizers.push_back(boost::json::object{{"id", id}, {"name", NameOf(names, id)}});
  }
  boost::json::array sessions;
  for (const auto& s : c.sessions) sessions.push_back(SessionJson(s));
  return boost::json::object{
      {"id", c.id},
      {"title", c.title},
      {"topic", c.topic},
      {"description", c.description},
      {"organizers", std::move(organizers)},
      {"sessions", std::move(sessions)},
      {"version", c.version},
      {"created_at", FormatTimestamp(c.created_at)},
      {"updated_at", FormatTimestamp(c.updated_at)},
  };
}

boost::json::object RegistrationJson(const TrainingRegistration& r) {
  boost::json::value attendance = nullptr;
  if (r.attendance) attendance = *r.attendance;
  boost::json::value position = nullptr;
  if (r.status == "waitlisted") position = r.wait_position;
  return boost::json::object{
      {"id", r.id},
      {"session_id", r.session_id},
      {"course_id", r.course_id},
      {"name", r.name},
      {"email", r.email},
      {"organization", r.organization},
      {"status", r.status},
      {"wait_position", position},
      {"attendance", attendance},
      {"created_at", FormatTimestamp(r.created_at)},
      {"updated_at", FormatTimestamp(r.updated_at)},
  };
}

boost::json::object ReportJson(const TrainingReport& report, const OrgNames& names) {
  boost::json::array orgs;
  for (const auto& l : report.by_organization) {
    boost::json::object o = LineJson(l);
    o["organization"] = boost::json::object{{"id", l.key}, {"name", NameOf(&names, l.key)}};
    orgs.push_back(std::move(o));
  }
  boost::json::array topics;
  for (const auto& l : report.by_topic) {
    boost::json::object o = LineJson(l);
    o["topic"] = l.key;
    topics.push_back(std::move(o));
  }
  return boost::json::object{{"by_organization", std::move(orgs)}, {"by_topic", std::move(topics)}};
}

std::string ReportCsv(const TrainingReport& report, const OrgNames& names) {
  std::string out =
      "kind,key,name,courses,sessions,registrations,waitlisted,attended,absent,attendance_rate\r\n";
  for (const auto& l : report.by_organization) {
    out += CsvLine("organization", l, NameOf(&names, l.key));
  }
  for (const auto& l : report.by_topic) out += CsvLine("topic", l, l.key);
  return out;
}

}  // namespace gmg
