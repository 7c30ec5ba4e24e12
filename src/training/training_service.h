// TrainingService: the GMG's joint training and capacity-building activities (issue 13): a
// catalogue of courses by topic and co-organising members, their sessions, registrations with
// capacity and a wait list, attendance, and a report per member and per topic.
//
// Rules:
// - Courses and sessions are public (the catalogue), with counts of seats; participant lists
//   (names, e-mails) are shown only to those who manage the course.
// - Managing a course (editing it, its sessions, registering named participants, marking
//   attendance, reading the participant list): the secretariat or an administrator, or the focal
//   point of a co-organising organisation that is a GMG member today. Another focal point: 403.
//   A focal point creates courses its own organisation co-organises; every co-organiser must be
//   a GMG member today (governance's IsMemberOn).
// - A signed-in user registers themself; a manager may register a named participant (name,
//   e-mail, organisation). One person (by e-mail, any case) once per session: 409
//   "already_registered". After the deadline: 422 "registration_closed". When the confirmed
//   registrations fill the capacity the new one goes on the wait list (status "waitlisted",
//   with its position). Writes are serialized by Database::Write, and the count is read inside
//   the writing transaction, so two registrations for the last seat never both get it.
// - Cancelling (the participant, or a manager) before the session starts; it promotes the first
//   of the wait list in the same transaction. Raising the capacity promotes as many as fit;
//   lowering it below the confirmed count is refused (422 "below_confirmed").
// - Attendance (attended|absent) is marked by managers on confirmed registrations once the
//   session has started (422 "session_not_started" before).
// Every write is validated (422 naming the field, nothing changed), runs in one transaction and
// is audited (entities "training_course", "training_session", "training_registration").
// Dates are YYYY-MM-DD; "today" is the UTC day of the injected clock.
// Thread-safety: stateless over the Database; the clock must be thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// The six topics of the GMG's terms of reference, in this order.
const std::vector<std::string_view>& TrainingTopics();
bool IsTrainingTopic(std::string_view topic);
bool IsTrainingAudience(std::string_view audience);   // agency_staff|government_officials
bool IsTwoLetterLanguageCode(std::string_view code);  // lower case, e.g. "en"

struct TrainingSession {
  int64_t id = 0;
  int64_t course_id = 0;
  std::string starts_on;
  std::string ends_on;
  bool online = false;
  std::string city;     // "" when online
  std::string country;  // ISO 3166 alpha-3, "" when online
  std::string audience;
  std::string language;
  int64_t capacity = 0;
  std::string registration_deadline;
  int64_t confirmed = 0;   // registrations
  int64_t waitlisted = 0;  // registrations
  int64_t attended = 0;
  int64_t absent = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct TrainingCourse {
  int64_t id = 0;
  std::string title;
  std::string topic;
  std::string description;
  std::vector<std::string> organizers;    // organisation ids, ascending
  std::vector<TrainingSession> sessions;  // by start, then id
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewCourse {
  std::string title;  // 1-300 bytes
  std::string topic;
  std::string description;
  std::vector<std::string> organizers;  // 1-20, each once
};

// Fields to change; absent = unchanged.
struct CourseChange {
  std::optional<std::string> title;
  std::optional<std::string> topic;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> organizers;
};

struct SessionFields {
  std::string starts_on;
  std::string ends_on;  // not before starts_on
  bool online = false;
  std::string city;     // required unless online
  std::string country;  // ISO 3166 alpha-3 (upper case), required unless online
  std::string audience;
  std::string language;
  int64_t capacity = 0;               // 1-10000
  std::string registration_deadline;  // not after starts_on
};

// Fields to change; absent = unchanged.
struct SessionChange {
  std::optional<std::string> starts_on;
  std::optional<std::string> ends_on;
  std::optional<bool> online;
  std::optional<std::string> city;
  std::optional<std::string> country;
  std::optional<std::string> audience;
  std::optional<std::string> language;
  std::optional<int64_t> capacity;
  std::optional<std::string> registration_deadline;
};

struct TrainingRegistration {
  int64_t id = 0;
  int64_t session_id = 0;
  int64_t course_id = 0;
  std::optional<int64_t> user_id;
  std::string name;
  std::string email;
  std::string organization;
  std::string status;                     // confirmed|waitlisted|cancelled
  int64_t wait_position = 0;              // 1.. while waitlisted, else 0
  std::optional<std::string> attendance;  // attended|absent
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A named participant, registered by a manager. All empty = the caller themself.
struct NewParticipant {
  std::string name;          // 1-200 bytes
  std::string email;         // an e-mail address, at most 254 bytes
  std::string organization;  // free text (a ministry, an agency), at most 200 bytes
};

struct AttendanceMark {
  int64_t registration_id = 0;
  std::string attendance;  // attended|absent
};

// Catalogue filters; "" = any. Audience and language match courses with such a session.
struct CourseFilter {
  std::string topic;
  std::string audience;
  std::string language;
};

// A line of the report: one organisation's or one topic's courses.
struct TrainingReportLine {
  std::string key;  // organisation id or topic
  int64_t courses = 0;
  int64_t sessions = 0;
  int64_t registrations = 0;  // confirmed
  int64_t waitlisted = 0;
  int64_t attended = 0;
  int64_t absent = 0;
  // attended / (attended + absent), nullopt when nothing is marked.
  std::optional<double> attendance_rate;
};

struct TrainingReport {
  std::vector<TrainingReportLine> by_organization;  // by id
  std::vector<TrainingReportLine> by_topic;         // in TrainingTopics() order, all six
};

struct TrainingSearchHit {
  int64_t course_id = 0;
  std::string title;
  std::string snippet;  // up to ~160 bytes of the description around the first match
  double score = 0;     // higher is better
};

class TrainingService {
 public:
  explicit TrainingService(Database& db, std::function<int64_t()> now = UnixNow);

  // By title, then id, with their sessions.
  Result<std::vector<TrainingCourse>> ListCourses(const CourseFilter& filter);
  // kNotFound when none.
  Result<TrainingCourse> GetCourse(int64_t id);
  Result<TrainingCourse> CreateCourse(const Principal& actor, const NewCourse& course);
  // kPreconditionFailed (412) when `if_version` is stale.
  Result<TrainingCourse> UpdateCourse(const Principal& actor, int64_t id, int64_t if_version,
                                      const CourseChange& change);
  // Whether `viewer` manages this course (see the rules above).
  static bool MayManage(const Principal& viewer, const TrainingCourse& course);

  Result<TrainingSession> AddSession(const Principal& actor, int64_t course_id,
                                     const SessionFields& session);
  Result<TrainingSession> UpdateSession(const Principal& actor, int64_t session_id,
                                        const SessionChange& change);

  // `who` all empty registers the caller (signed in); otherwise the caller must manage the
  // course. Returns the registration, confirmed or waitlisted with its position. The caller
  // registers themselves only for a session of their audience (agency_staff: an agency's staff,
  // focal points and members; government_officials: a stakeholder account; the secretariat for
  // either), else 422
  // `audience_mismatch` {audience}: organisers register anyone.
  Result<TrainingRegistration> Register(const Principal& actor, int64_t session_id,
                                        const NewParticipant& who);
  // Cancels (status "cancelled"); the participant or a manager; kConflict when already
  // cancelled; 422 "session_started" once the session has begun. Returns the promoted
  // registration's id, if one was promoted.
  Result<std::optional<int64_t>> Cancel(const Principal& actor, int64_t registration_id);
  // A session's registrations that are not cancelled (confirmed first, then the wait list in
  // order); managers only (403 otherwise). At most 10,000 (the largest capacity) + wait list.
  Result<std::vector<TrainingRegistration>> ListRegistrations(const Principal& actor,
                                                              int64_t session_id);
  // The caller's own registrations that are not cancelled, newest session first.
  Result<std::vector<TrainingRegistration>> MyRegistrations(const Principal& actor);
  // Marks attendance of confirmed registrations of one session (at most 10,000 marks, each
  // registration once); all or nothing.
  Status MarkAttendance(const Principal& actor, int64_t session_id,
                        const std::vector<AttendanceMark>& marks);

  Result<TrainingReport> Report();

  // Courses whose title or description contains every word of `query` (any case), best first:
  // title matches weigh more. Every course is public, so the viewer sees all. `query` at most
  // 200 bytes and 8 words; `limit` 1-100 (kInvalidArgument otherwise).
  Result<std::vector<TrainingSearchHit>> Search(const Principal& viewer, std::string_view query,
                                                int64_t limit);

 private:
  std::string Today() const;

  Database& db_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
