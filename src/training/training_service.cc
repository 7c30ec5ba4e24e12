#include "training/training_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "audit/audit_log.h"
#include "core/codelists.h"
#include "core/text.h"
#include "governance/organization_directory.h"
#include "training/training_json.h"
#include "training/training_text.h"

namespace gmg {
namespace {

using Args = std::vector<std::pair<std::string, std::string>>;

constexpr size_t kMaxOrganizers = 20;
constexpr size_t kMaxMarks = 10000;
constexpr int64_t kMaxCapacity = 10000;
constexpr size_t kMaxQueryBytes = 200;
constexpr size_t kMaxQueryWords = 8;
constexpr int64_t kMaxSearchLimit = 100;
constexpr size_t kSearchScan = 2000;  // courses read at most per search

// ISO 639-1 (the two-letter codes in force).
constexpr std::string_view kIso639_1[] = {
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu"};

constexpr char kSessionColumns[] =
    "s.id, s.course_id, s.starts_on, s.ends_on, s.online, s.city, s.country, s.audience, "
    "s.language, s.capacity, s.registration_deadline, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id "
    "AND r.status = 'confirmed'), "
    "(SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id "
    "AND r.status = 'waitlisted'), "
    "(SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id "
    "AND r.status = 'confirmed' AND r.attendance = 'attended'), "
    "(SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id "
    "AND r.status = 'confirmed' AND r.attendance = 'absent')";

constexpr char kRegistrationColumns[] =
    "r.id, r.session_id, s.course_id, r.user_id, r.name, r.email, r.organization, r.status, "
    "r.attendance, r.created_at, r.updated_at, "
    "(SELECT COUNT(*) FROM training_registrations w WHERE w.session_id = r.session_id "
    "AND w.status = 'waitlisted' AND w.id <= r.id)";

Error Invalid(std::string field, std::string problem, std::string rule, Args args = {}) {
  return FieldError(ErrorCode::kFailedPrecondition, std::move(field), std::move(problem),
                    std::move(rule), std::move(args));
}

TrainingSession SessionFromRow(const Row& r) {
  TrainingSession s;
  s.id = r.Int(0);
  s.course_id = r.Int(1);
  s.starts_on = r.Text(2);
  s.ends_on = r.Text(3);
  s.online = r.Int(4) != 0;
  s.city = r.Text(5);
  s.country = r.Text(6);
  s.audience = r.Text(7);
  s.language = r.Text(8);
  s.capacity = r.Int(9);
  s.registration_deadline = r.Text(10);
  s.created_at = r.Int(11);
  s.updated_at = r.Int(12);
  s.confirmed = r.Int(13);
  s.waitlisted = r.Int(14);
  s.attended = r.Int(15);
  s.absent = r.Int(16);
  return s;
}

TrainingRegistration RegistrationFromRow(const Row& r) {
  TrainingRegistration g;
  g.id = r.Int(0);
  g.session_id = r.Int(1);
  g.course_id = r.Int(2);
  if (!r.IsNull(3)) g.user_id = r.Int(3);
  g.name = r.Text(4);
  g.email = r.Text(5);
  g.organization = r.Text(6);
  g.status = r.Text(7);
  g.attendance = r.OptText(8);
  g.created_at = r.Int(9);
  g.updated_at = r.Int(10);
  g.wait_position = g.status == "waitlisted" ? r.Int(11) : 0;
  return g;
}

// Courses of `where` (a WHERE fragment over `c`, "" for all), with organisers and sessions:
// three queries whatever the number of courses.
Result<std::vector<TrainingCourse>> LoadCourses(Tx& tx, const std::string& where,
                                                const SqlParams& params) {
  GMG_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT c.id, c.title, c.topic, c.description, c.version, c.created_at, "
               "c.updated_at FROM training_courses c " +
                   (where.empty() ? std::string() : " WHERE " + where) + " ORDER BY c.title, c.id",
               params));
  std::vector<TrainingCourse> out;
  std::map<int64_t, size_t> index;
  for (const Row& r : rows) {
    index[r.Int(0)] = out.size();
    TrainingCourse c;
    c.id = r.Int(0);
    c.title = r.Text(1);
    c.topic = r.Text(2);
    c.description = r.Text(3);
    c.version = r.Int(4);
    c.created_at = r.Int(5);
    c.updated_at = r.Int(6);
    out.push_back(std::move(c));
  }
  if (out.empty()) return out;
  std::string in_courses = where.empty() ? ""
                                         : " WHERE course_id IN (SELECT c.id FROM "
                                           "training_courses c WHERE " +
                                               where + ")";
  GMG_ASSIGN_OR_RETURN(auto orgs, tx.Query("SELECT course_id, organization_id FROM "
                                           "training_course_organizers" +
                                               in_courses + " ORDER BY course_id, organization_id",
                                           params));
  for (const Row& r : orgs) {
    if (auto it = index.find(r.Int(0)); it != index.end()) {
      out[it->second].organizers.push_back(r.Text(1));
    }
  }
  std::string s_where = where.empty() ? ""
                                      : " WHERE s.course_id IN (SELECT c.id FROM "
                                        "training_courses c WHERE " +
                                            where + ")";
  GMG_ASSIGN_OR_RETURN(auto sessions, tx.Query(std::string("SELECT ") + kSessionColumns +
                                                   " FROM training_sessions s" + s_where +
                                                   " ORDER BY s.starts_on, s.id",
                                               params));
  for (const Row& r : sessions) {
    TrainingSession s = SessionFromRow(r);
    if (auto it = index.find(s.course_id); it != index.end()) {
      out[it->second].sessions.push_back(std::move(s));
    }
  }
  return out;
}

Result<TrainingCourse> LoadCourse(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto courses, LoadCourses(tx, "c.id = ?", {id}));
  if (courses.empty()) {
    return MakeError(ErrorCode::kNotFound, "no such course: " + std::to_string(id));
  }
  return std::move(courses.front());
}

Result<TrainingSession> LoadSession(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kSessionColumns +
                                                 " FROM training_sessions s WHERE s.id = ?",
                                             {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no such session: " + std::to_string(id));
  return SessionFromRow(*row);
}

Result<TrainingRegistration> LoadRegistration(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRegistrationColumns +
                                                 " FROM training_registrations r JOIN "
                                                 "training_sessions s ON s.id = r.session_id "
                                                 "WHERE r.id = ?",
                                             {id}));
  if (!row) {
    return MakeError(ErrorCode::kNotFound, "no such registration: " + std::to_string(id));
  }
  return RegistrationFromRow(*row);
}

Status CheckText(const std::string& value, const char* field, size_t max, bool required) {
  if (required && Trim(value).empty()) return Invalid(field, "must not be empty", "required");
  if (value.size() > max) {
    return Invalid(field, "must be at most " + std::to_string(max) + " bytes", "too_long",
                   {{"max", std::to_string(max)}});
  }
  return Ok();
}

Status CheckTopic(const std::string& topic) {
  if (!IsTrainingTopic(topic)) {
    return Invalid("topic",
                   "must be one of migration_management, migration_law, "
                   "human_rights_of_migrants, refugee_protection, counter_trafficking, "
                   "migration_trade_development",
                   "not_in_list", {{"value", topic}});
  }
  return Ok();
}

// 1-20 organisations, each once, each a GMG member on `today`.
Status CheckOrganizers(Tx& tx, const std::vector<std::string>& orgs, const std::string& today) {
  if (orgs.empty()) {
    return Invalid("organizers", "name at least one co-organising GMG member", "required");
  }
  if (orgs.size() > kMaxOrganizers) {
    return Invalid("organizers", "at most 20 co-organisers", "too_many", {{"max", "20"}});
  }
  std::set<std::string> seen;
  for (const auto& id : orgs) {
    if (!seen.insert(id).second) {
      return Invalid("organizers", "lists " + id + " twice", "duplicate_value", {{"value", id}});
    }
    GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, id, today));
    if (member) continue;
    GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, id));
    if (!exists) {
      return Invalid("organizers", "is not a known organisation: " + id, "unknown_organization",
                     {{"value", id}});
    }
    return Invalid("organizers", id + " is not a GMG member today", "not_a_member",
                   {{"value", id}});
  }
  return Ok();
}

// A focal point's course must stay one its organisation co-organises.
Status CheckOwnAmong(const Principal& actor, const std::vector<std::string>& orgs) {
  if (actor.IsStaff()) return Ok();
  if (std::find(orgs.begin(), orgs.end(), actor.organization_id) == orgs.end()) {
    return FieldError(ErrorCode::kPermissionDenied, "organizers",
                      "a focal point manages only courses its own organisation co-organises",
                      "not_own_organization", {{"value", actor.organization_id}});
  }
  return Ok();
}

// A focal point adds co-organisers but takes none out: removing another organisation is the
// secretariat's (one co-organiser must not drop the others from a joint course).
Status CheckRemovesNoOther(const Principal& actor, const std::vector<std::string>& before,
                           const std::vector<std::string>& after) {
  if (actor.IsStaff()) return Ok();
  for (const std::string& org : before) {
    if (std::find(after.begin(), after.end(), org) == after.end()) {
      return FieldError(ErrorCode::kPermissionDenied, "organizers",
                        "only the secretariat removes " + org + " from the co-organisers",
                        "not_own_organization", {{"value", org}});
    }
  }
  return Ok();
}

Status CheckSession(const SessionFields& s) {
  auto start = Date::Parse(s.starts_on);
  if (!start) return Invalid("starts_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  auto end = Date::Parse(s.ends_on);
  if (!end) return Invalid("ends_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  if (*end < *start) {
    return Invalid("ends_on", "must not be before starts_on", "before_start",
                   {{"start", s.starts_on}});
  }
  auto deadline = Date::Parse(s.registration_deadline);
  if (!deadline) {
    return Invalid("registration_deadline", "must be a real date written YYYY-MM-DD",
                   "invalid_date");
  }
  if (*deadline > *start) {
    return Invalid("registration_deadline", "must not be after starts_on", "after_start",
                   {{"start", s.starts_on}});
  }
  if (!s.online) {
    GMG_RETURN_IF_ERROR(CheckText(s.city, "city", 100, true));
    if (FindCountryByIso3(s.country) == nullptr) {
      return Invalid("country", "must be an ISO 3166 alpha-3 country code such as KEN",
                     "unknown_country", {{"value", s.country}});
    }
  }
  if (!IsTrainingAudience(s.audience)) {
    return Invalid("audience", "must be agency_staff or government_officials", "not_in_list",
                   {{"value", s.audience}});
  }
  if (!IsTwoLetterLanguageCode(s.language)) {
    return Invalid("language", "must be an ISO 639-1 code such as en, fr or es", "invalid_language",
                   {{"value", s.language}});
  }
  if (s.capacity < 1 || s.capacity > kMaxCapacity) {
    return Invalid("capacity", "must be from 1 to 10000", "out_of_range",
                   {{"min", "1"}, {"max", "10000"}});
  }
  return Ok();
}

SessionFields FieldsOf(const TrainingSession& s) {
  return SessionFields{.starts_on = s.starts_on,
                       .ends_on = s.ends_on,
                       .online = s.online,
                       .city = s.city,
                       .country = s.country,
                       .audience = s.audience,
                       .language = s.language,
                       .capacity = s.capacity,
                       .registration_deadline = s.registration_deadline};
}

bool LooksLikeEmail(std::string_view email) {
  size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view domain = email.substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.')
    return false;
  return std::none_of(email.begin(), email.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

Status CheckParticipant(const NewParticipant& p) {
  GMG_RETURN_IF_ERROR(CheckText(p.name, "name", 200, true));
  if (p.email.size() > 254 || !LooksLikeEmail(p.email)) {
    return Invalid("email", "is not an e-mail address", "invalid_email");
  }
  return CheckText(p.organization, "organization", 200, false);
}

// Moves the first of the wait list to confirmed while seats are free; returns the promoted ids.
Result<std::vector<int64_t>> PromoteFromWaitList(Tx& tx, const Principal& actor, int64_t session,
                                                 int64_t now) {
  std::vector<int64_t> promoted;
  GMG_ASSIGN_OR_RETURN(TrainingSession s, LoadSession(tx, session));
  int64_t free = s.capacity - s.confirmed;
  if (free <= 0 || s.waitlisted == 0) return promoted;
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM training_registrations WHERE "
                                           "session_id = ? AND status = 'waitlisted' "
                                           "ORDER BY id LIMIT ?",
                                           {session, free}));
  for (const Row& r : rows) {
    int64_t id = r.Int(0);
    GMG_ASSIGN_OR_RETURN(TrainingRegistration before, LoadRegistration(tx, id));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE training_registrations SET status = 'confirmed', "
                "updated_at = ? WHERE id = ?",
                {now, id}));
    GMG_ASSIGN_OR_RETURN(TrainingRegistration after, LoadRegistration(tx, id));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "promote", "training_registration",
                                    std::to_string(id), RegistrationJson(before),
                                    RegistrationJson(after)));
    promoted.push_back(id);
  }
  return promoted;
}

bool IsOwn(const Principal& actor, const TrainingRegistration& r) {
  if (actor.user_id > 0 && r.user_id && *r.user_id == actor.user_id) return true;
  return !actor.email.empty() && EqualsIgnoreCase(actor.email, r.email);
}

size_t Occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace

const std::vector<std::string_view>& TrainingTopics() {
  static const std::vector<std::string_view> kTopics = {
      "migration_management", "migration_law",       "human_rights_of_migrants",
      "refugee_protection",   "counter_trafficking", "migration_trade_development"};
  return kTopics;
}

bool IsTrainingTopic(std::string_view topic) {
  const auto& all = TrainingTopics();
  return std::find(all.begin(), all.end(), topic) != all.end();
}

namespace {

// Who may register themselves for a session of this audience.
bool AudienceAdmits(std::string_view audience, const Principal& p) {
  if (p.IsStaff()) return true;
  if (audience == "agency_staff") return p.role == Role::kFocalPoint || p.role == Role::kMember;
  return p.role == Role::kStakeholder;  // government officials hold stakeholder accounts
}

}  // namespace

bool IsTrainingAudience(std::string_view audience) {
  return audience == "agency_staff" || audience == "government_officials";
}

bool IsTwoLetterLanguageCode(std::string_view code) {
  return std::binary_search(std::begin(kIso639_1), std::end(kIso639_1), code);
}

TrainingService::TrainingService(Database& db, std::function<int64_t()> now)
    : db_(db), now_(std::move(now)) {}

std::string TrainingService::Today() const { return Date::FromUnix(now_()).ToString(); }

bool TrainingService::MayManage(const Principal& viewer, const TrainingCourse& course) {
  if (viewer.IsStaff()) return true;
  if (viewer.role != Role::kFocalPoint || !viewer.IsMemberStaff()) return false;
  return std::find(course.organizers.begin(), course.organizers.end(), viewer.organization_id) !=
         course.organizers.end();
}

Result<std::vector<TrainingCourse>> TrainingService::ListCourses(const CourseFilter& f) {
  std::string where;
  SqlParams params;
  auto add = [&](const std::string& clause) { where += (where.empty() ? "" : " AND ") + clause; };
  if (!f.topic.empty()) {
    add("c.topic = ?");
    params.emplace_back(f.topic);
  }
  if (!f.audience.empty() || !f.language.empty()) {
    std::string exists = "EXISTS (SELECT 1 FROM training_sessions x WHERE x.course_id = c.id";
    if (!f.audience.empty()) {
      exists += " AND x.audience = ?";
      params.emplace_back(f.audience);
    }
    if (!f.language.empty()) {
      exists += " AND x.language = ?";
      params.emplace_back(f.language);
    }
    add(exists + ")");
  }
  std::vector<TrainingCourse> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadCourses(tx, where, params));
    return Ok();
  }));
  return out;
}

Result<TrainingCourse> TrainingService::GetCourse(int64_t id) {
  TrainingCourse out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadCourse(tx, id));
    return Ok();
  }));
  return out;
}

Result<TrainingCourse> TrainingService::CreateCourse(const Principal& actor, const NewCourse& n) {
  if (!actor.IsStaff() && !(actor.role == Role::kFocalPoint && actor.IsMemberStaff())) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "only the secretariat or a GMG member's focal point creates courses");
  }
  GMG_RETURN_IF_ERROR(CheckText(n.title, "title", 300, true));
  GMG_RETURN_IF_ERROR(CheckTopic(n.topic));
  GMG_RETURN_IF_ERROR(CheckText(n.description, "description", 20000, false));
  GMG_RETURN_IF_ERROR(CheckOwnAmong(actor, n.organizers));
  TrainingCourse out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(CheckOrganizers(tx, n.organizers, Today()));
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO training_courses (title, topic, description, "
                                     "version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?) "
                                     "RETURNING id",
                                     {n.title, n.topic, n.description, now, now}));
    int64_t id = row->Int(0);
    for (const auto& org : n.organizers) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO training_course_organizers (course_id, "
                  "organization_id) VALUES (?, ?)",
                  {id, org}));
    }
    GMG_ASSIGN_OR_RETURN(out, LoadCourse(tx, id));
    return RecordAudit(tx, actor, "create", "training_course", std::to_string(id), nullptr,
                       CourseJson(out));
  }));
  return out;
}

Result<TrainingCourse> TrainingService::UpdateCourse(const Principal& actor, int64_t id,
                                                     int64_t if_version, const CourseChange& c) {
  TrainingCourse out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingCourse before, LoadCourse(tx, id));
    if (!MayManage(actor, before)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or a co-organiser's focal point edits this course");
    }
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this course"));
    TrainingCourse next = before;
    if (c.title) next.title = *c.title;
    if (c.topic) next.topic = *c.topic;
    if (c.description) next.description = *c.description;
    GMG_RETURN_IF_ERROR(CheckText(next.title, "title", 300, true));
    GMG_RETURN_IF_ERROR(CheckTopic(next.topic));
    GMG_RETURN_IF_ERROR(CheckText(next.description, "description", 20000, false));
    if (c.organizers) {
      GMG_RETURN_IF_ERROR(CheckOwnAmong(actor, *c.organizers));
      GMG_RETURN_IF_ERROR(CheckRemovesNoOther(actor, before.organizers, *c.organizers));
      GMG_RETURN_IF_ERROR(CheckOrganizers(tx, *c.organizers, Today()));
      GMG_RETURN_IF_ERROR(
          tx.Exec("DELETE FROM training_course_organizers WHERE course_id = ?", {id}));
      for (const auto& org : *c.organizers) {
        GMG_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO training_course_organizers (course_id, "
                    "organization_id) VALUES (?, ?)",
                    {id, org}));
      }
    }
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE training_courses SET title = ?, topic = ?, "
                "description = ?, version = version + 1, updated_at = ? "
                "WHERE id = ?",
                {next.title, next.topic, next.description, now_(), id}));
    GMG_ASSIGN_OR_RETURN(out, LoadCourse(tx, id));
    return RecordAudit(tx, actor, "update", "training_course", std::to_string(id),
                       CourseJson(before), CourseJson(out));
  }));
  return out;
}

Result<TrainingSession> TrainingService::AddSession(const Principal& actor, int64_t course_id,
                                                    const SessionFields& given) {
  SessionFields s = given;
  if (s.online) s.city = s.country = "";
  GMG_RETURN_IF_ERROR(CheckSession(s));
  TrainingSession out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingCourse course, LoadCourse(tx, course_id));
    if (!MayManage(actor, course)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or a co-organiser's focal point adds sessions");
    }
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO training_sessions (course_id, starts_on, ends_on, online, city, "
            "country, audience, language, capacity, registration_deadline, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {course_id, s.starts_on, s.ends_on, int64_t{s.online ? 1 : 0}, s.city, s.country,
             s.audience, s.language, s.capacity, s.registration_deadline, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadSession(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "training_session", std::to_string(out.id), nullptr,
                       SessionJson(out));
  }));
  return out;
}

Result<TrainingSession> TrainingService::UpdateSession(const Principal& actor, int64_t session_id,
                                                       const SessionChange& c) {
  TrainingSession out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingSession before, LoadSession(tx, session_id));
    GMG_ASSIGN_OR_RETURN(TrainingCourse course, LoadCourse(tx, before.course_id));
    if (!MayManage(actor, course)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or a co-organiser's focal point edits sessions");
    }
    SessionFields s = FieldsOf(before);
    if (c.starts_on) s.starts_on = *c.starts_on;
    if (c.ends_on) s.ends_on = *c.ends_on;
    if (c.online) s.online = *c.online;
    if (c.city) s.city = *c.city;
    if (c.country) s.country = *c.country;
    if (c.audience) s.audience = *c.audience;
    if (c.language) s.language = *c.language;
    if (c.capacity) s.capacity = *c.capacity;
    if (c.registration_deadline) s.registration_deadline = *c.registration_deadline;
    if (s.online) s.city = s.country = "";
    GMG_RETURN_IF_ERROR(CheckSession(s));
    if (s.capacity < before.confirmed) {
      return Invalid("capacity",
                     "must not be below the " + std::to_string(before.confirmed) +
                         " confirmed registrations; cancel some first",
                     "below_confirmed", {{"confirmed", std::to_string(before.confirmed)}});
    }
    int64_t now = now_();
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE training_sessions SET starts_on = ?, ends_on = ?, online = ?, city = ?, "
                "country = ?, audience = ?, language = ?, capacity = ?, registration_deadline = ?, "
                "updated_at = ? WHERE id = ?",
                {s.starts_on, s.ends_on, int64_t{s.online ? 1 : 0}, s.city, s.country, s.audience,
                 s.language, s.capacity, s.registration_deadline, now, session_id}));
    GMG_ASSIGN_OR_RETURN(out, LoadSession(tx, session_id));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "update", "training_session",
                                    std::to_string(session_id), SessionJson(before),
                                    SessionJson(out)));
    GMG_ASSIGN_OR_RETURN(auto promoted, PromoteFromWaitList(tx, actor, session_id, now));
    if (!promoted.empty()) {
      GMG_ASSIGN_OR_RETURN(out, LoadSession(tx, session_id));
    }
    return Ok();
  }));
  return out;
}

Result<TrainingRegistration> TrainingService::Register(const Principal& actor, int64_t session_id,
                                                       const NewParticipant& who) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  bool self = who.name.empty() && who.email.empty() && who.organization.empty();
  NewParticipant p = who;
  if (self) {
    p.email = actor.email;
    p.name = actor.name.empty() ? actor.email : actor.name;
    p.organization = actor.organization_id;
  }
  GMG_RETURN_IF_ERROR(CheckParticipant(p));
  TrainingRegistration out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingSession s, LoadSession(tx, session_id));
    if (!self) {
      GMG_ASSIGN_OR_RETURN(TrainingCourse course, LoadCourse(tx, s.course_id));
      if (!MayManage(actor, course)) {
        return MakeError(ErrorCode::kPermissionDenied,
                         "only the secretariat or a co-organiser's focal point registers "
                         "someone else");
      }
    }
    if (Today() > s.registration_deadline) {
      return Invalid("", "registration closed on " + s.registration_deadline, "registration_closed",
                     {{"deadline", s.registration_deadline}});
    }
    if (self && !AudienceAdmits(s.audience, actor)) {
      return Invalid("", "this session is for " + s.audience + "; its organisers can register you",
                     "audience_mismatch", {{"audience", s.audience}});
    }
    GMG_ASSIGN_OR_RETURN(auto dup, tx.QueryOne("SELECT id FROM training_registrations WHERE "
                                               "session_id = ? AND lower(email) = lower(?) "
                                               "AND status <> 'cancelled'",
                                               {session_id, p.email}));
    if (dup) {
      return FieldError(ErrorCode::kConflict, "email",
                        p.email + " is already registered for this session", "already_registered",
                        {{"value", p.email}});
    }
    // s.confirmed was counted inside this write transaction: writes are serialized, so no
    // other registration can take the seat between this count and the insert.
    std::string status = s.confirmed < s.capacity ? "confirmed" : "waitlisted";
    SqlValue user = nullptr;
    if (self && actor.user_id > 0) user = actor.user_id;
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO training_registrations (session_id, user_id, name, email, "
                    "organization, status, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {session_id, user, p.name, p.email, p.organization, status, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadRegistration(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "training_registration", std::to_string(out.id),
                       nullptr, RegistrationJson(out));
  }));
  return out;
}

Result<std::optional<int64_t>> TrainingService::Cancel(const Principal& actor,
                                                       int64_t registration_id) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  std::optional<int64_t> promoted;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingRegistration before, LoadRegistration(tx, registration_id));
    GMG_ASSIGN_OR_RETURN(TrainingSession s, LoadSession(tx, before.session_id));
    if (!IsOwn(actor, before)) {
      GMG_ASSIGN_OR_RETURN(TrainingCourse course, LoadCourse(tx, s.course_id));
      if (!MayManage(actor, course)) {
        return MakeError(ErrorCode::kPermissionDenied,
                         "only the participant, the secretariat or a co-organiser's focal point "
                         "cancels a registration");
      }
    }
    if (before.status == "cancelled") {
      return FieldError(ErrorCode::kConflict, "", "this registration is already cancelled",
                        "already_cancelled");
    }
    if (Today() >= s.starts_on) {
      return Invalid("",
                     "the session started on " + s.starts_on +
                         "; it can no longer be "
                         "cancelled",
                     "session_started", {{"start", s.starts_on}});
    }
    int64_t now = now_();
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE training_registrations SET status = 'cancelled', "
                "updated_at = ? WHERE id = ?",
                {now, registration_id}));
    GMG_ASSIGN_OR_RETURN(TrainingRegistration after, LoadRegistration(tx, registration_id));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "cancel", "training_registration",
                                    std::to_string(registration_id), RegistrationJson(before),
                                    RegistrationJson(after)));
    GMG_ASSIGN_OR_RETURN(auto ids, PromoteFromWaitList(tx, actor, s.id, now));
    if (!ids.empty()) promoted = ids.front();
    return Ok();
  }));
  return promoted;
}

Result<std::vector<TrainingRegistration>> TrainingService::ListRegistrations(const Principal& actor,
                                                                             int64_t session_id) {
  std::vector<TrainingRegistration> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingSession s, LoadSession(tx, session_id));
    GMG_ASSIGN_OR_RETURN(TrainingCourse course, LoadCourse(tx, s.course_id));
    if (!MayManage(actor, course)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or a co-organiser's focal point sees participants");
    }
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kRegistrationColumns +
                                                 " FROM training_registrations r JOIN "
                                                 "training_sessions s ON s.id = r.session_id "
                                                 "WHERE r.session_id = ? AND r.status <> "
                                                 "'cancelled' ORDER BY r.status, r.id",
                                             {session_id}));
    for (const Row& r : rows) out.push_back(RegistrationFromRow(r));
    return Ok();
  }));
  return out;
}

Result<std::vector<TrainingRegistration>> TrainingService::MyRegistrations(const Principal& actor) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  std::vector<TrainingRegistration> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query(std::string("SELECT ") + kRegistrationColumns +
                                      " FROM training_registrations r JOIN training_sessions s "
                                      "ON s.id = r.session_id WHERE r.status <> 'cancelled' AND "
                                      "(r.user_id = ? OR lower(r.email) = lower(?)) "
                                      "ORDER BY s.starts_on DESC, r.id LIMIT 1000",
                                  {actor.user_id, actor.email}));
    for (const Row& r : rows) out.push_back(RegistrationFromRow(r));
    return Ok();
  }));
  return out;
}

Status TrainingService::MarkAttendance(const Principal& actor, int64_t session_id,
                                       const std::vector<AttendanceMark>& marks) {
  if (marks.size() > kMaxMarks) {
    return Invalid("marks", "at most 10000 marks", "too_many", {{"max", "10000"}});
  }
  std::set<int64_t> seen;
  for (const auto& m : marks) {
    if (m.attendance != "attended" && m.attendance != "absent") {
      return Invalid("marks", "attendance must be attended or absent", "not_in_list",
                     {{"value", m.attendance}});
    }
    if (!seen.insert(m.registration_id).second) {
      return Invalid("marks", "marks registration " + std::to_string(m.registration_id) + " twice",
                     "duplicate_value", {{"value", std::to_string(m.registration_id)}});
    }
  }
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(TrainingSession s, LoadSession(tx, session_id));
    GMG_ASSIGN_OR_RETURN(TrainingCourse course, LoadCourse(tx, s.course_id));
    if (!MayManage(actor, course)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or a co-organiser's focal point marks attendance");
    }
    if (Today() < s.starts_on) {
      return Invalid("", "attendance is marked once the session has started (" + s.starts_on + ")",
                     "session_not_started", {{"start", s.starts_on}});
    }
    int64_t now = now_();
    boost::json::array done;
    for (const auto& m : marks) {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT status FROM training_registrations "
                                                 "WHERE id = ? AND session_id = ?",
                                                 {m.registration_id, session_id}));
      if (!row || row->Text(0) != "confirmed") {
        return Invalid("marks",
                       "registration " + std::to_string(m.registration_id) +
                           " is not a confirmed registration of this session",
                       "not_confirmed", {{"value", std::to_string(m.registration_id)}});
      }
      GMG_RETURN_IF_ERROR(
          tx.Exec("UPDATE training_registrations SET attendance = ?, "
                  "updated_at = ? WHERE id = ?",
                  {m.attendance, now, m.registration_id}));
      done.push_back(
          boost::json::object{{"registration", m.registration_id}, {"attendance", m.attendance}});
    }
    return RecordAudit(tx, actor, "attendance", "training_session", std::to_string(session_id),
                       nullptr, boost::json::object{{"marks", std::move(done)}});
  });
}

Result<TrainingReport> TrainingService::Report() {
  std::vector<TrainingCourse> courses;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(courses, LoadCourses(tx, "", {}));
    return Ok();
  }));
  std::map<std::string, TrainingReportLine> by_org;
  std::map<std::string, TrainingReportLine> by_topic;
  for (auto topic : TrainingTopics()) by_topic[std::string(topic)].key = std::string(topic);
  auto add = [](TrainingReportLine& l, const TrainingCourse& c) {
    ++l.courses;
    for (const auto& s : c.sessions) {
      ++l.sessions;
      l.registrations += s.confirmed;
      l.waitlisted += s.waitlisted;
      l.attended += s.attended;
      l.absent += s.absent;
    }
  };
  for (const auto& c : courses) {
    for (const auto& org : c.organizers) {
      auto& line = by_org[org];
      line.key = org;
      add(line, c);
    }
    add(by_topic[c.topic], c);
  }
  auto rate = [](TrainingReportLine& l) {
    if (l.attended + l.absent > 0) {
      l.attendance_rate =
          static_cast<double>(l.attended) / static_cast<double>(l.attended + l.absent);
    }
  };
  TrainingReport out;
  for (auto& [_, line] : by_org) {
    rate(line);
    out.by_organization.push_back(line);
  }
  for (auto topic : TrainingTopics()) {
    auto& line = by_topic[std::string(topic)];
    rate(line);
    out.by_topic.push_back(line);
  }
  return out;
}

Result<std::vector<TrainingSearchHit>> TrainingService::Search(const Principal& /*viewer*/,
                                                               std::string_view query,
                                                               int64_t limit) {
  if (limit < 1 || limit > kMaxSearchLimit) {
    return FieldError(ErrorCode::kInvalidArgument, "limit", "must be from 1 to 100", "out_of_range",
                      {{"min", "1"}, {"max", "100"}});
  }
  if (query.size() > kMaxQueryBytes) {
    return FieldError(ErrorCode::kInvalidArgument, "q", "must be at most 200 bytes", "too_long",
                      {{"max", "200"}});
  }
  std::vector<std::string> words = TrainingQueryWords(query);
  if (words.size() > kMaxQueryWords) words.resize(kMaxQueryWords);
  std::vector<TrainingSearchHit> hits;
  if (words.empty()) return hits;
  std::string sql = "SELECT id, title, description FROM training_courses WHERE 1 = 1";
  SqlParams params;
  for (const auto& w : words) {
    sql += " AND (lower(title) LIKE ? ESCAPE '\\' OR lower(description) LIKE ? ESCAPE '\\')";
    params.emplace_back(TrainingLikePattern(w));
    params.emplace_back(TrainingLikePattern(w));
  }
  sql += " ORDER BY id LIMIT " + std::to_string(kSearchScan);
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const Row& r : rows) {
      std::string title = r.Text(1);
      std::string description = r.Text(2);
      std::string lt = ToLowerAscii(title);
      std::string ld = ToLowerAscii(description);
      TrainingSearchHit hit;
      hit.course_id = r.Int(0);
      hit.title = title;
      size_t first = std::string::npos;
      for (const auto& w : words) {
        hit.score +=
            3.0 * static_cast<double>(Occurrences(lt, w)) + static_cast<double>(Occurrences(ld, w));
        first = std::min(first, ld.find(w));
      }
      hit.snippet = TrainingSnippet(description, first == std::string::npos ? 0 : first);
      hits.push_back(std::move(hit));
    }
    return Ok();
  }));
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.score > b.score; });
  if (hits.size() > static_cast<size_t>(limit)) hits.resize(static_cast<size_t>(limit));
  return hits;
}

}  // namespace gmg
