// MeetingService: the GMG's meeting series and meetings, their agendas, papers and attendance
// (issue 12; docs/meetings.md).
//
// A series (principals, working level, task force…) may carry a recurrence rule
// (meetings/recurrence.h): creating it materialises one meeting per occurrence, each in the
// series' IANA time zone at the same local time; listing an occurrence among the series'
// exceptions cancels its meeting. A meeting is planned, then held, cancelled or postponed (a
// postponement creates the meeting at the new time and links it as postponed_to). Local times
// and a zone are what people give; the UTC instants are derived (interop/time_zone.h), so a
// local time skipped by a daylight-saving change or an unknown zone is refused. The chair
// defaults to the rotation's chair on the meeting's local date (governance/chair_rotation.h).
// Every change to a meeting bumps its version (the ETag) and its iCalendar SEQUENCE; its UID is
// random and never changes.
//
// Access (meetings/meeting_access.h): series, meetings and agendas are public, the online link
// only for signed-in non-stakeholders; papers and attendance for staff and member staff.
// Series, meetings and agendas are written by staff; a paper by staff or the member staff of
// the agenda item's presenter organisation; attendance rows by staff or the member staff of
// their organisation. Every write is validated (kFailedPrecondition with the field, 422),
// transactional and audited; a stale If-Match version is kPreconditionFailed (412); agenda,
// papers and attendance of a cancelled or postponed meeting are kConflict (409).
// Thread-safety: any thread; the only state is SearchTexts' copy, behind a mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "governance/governance_service.h"
#include "store/database.h"

namespace gmg {

inline constexpr size_t kMaxPaperBytes = size_t{20} * 1024 * 1024;

struct MeetingSeries {
  int64_t id = 0;
  std::string name;
  std::string level;  // principals|working|task_force|other
  std::string description;
  std::string time_zone;
  std::string place;
  std::string link;
  std::string rule;         // canonical RRULE text, "" = none
  std::string first_local;  // "YYYY-MM-DDTHH:MM", "" = none
  int64_t duration_minutes = 120;
  std::vector<std::string> exceptions;  // local start times, ascending
  bool archived = false;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Derived: the next planned meeting (from the clock's now), how many meetings it has.
  std::optional<int64_t> next_meeting_id;
  std::optional<int64_t> next_meeting_starts_at;
  int64_t meetings_count = 0;
};

// A new series, or the fields of a change (absent = unchanged). rule, first_local and
// time_zone are fixed once the series exists (the meetings they made are its history).
struct SeriesFields {
  std::optional<std::string> name, level, description, time_zone, place, link, rule, first_local;
  std::optional<int64_t> duration_minutes;
  std::optional<std::vector<std::string>> exceptions;
};

struct Meeting {
  int64_t id = 0;
  std::optional<int64_t> series_id;
  std::string series_name, series_level;
  std::optional<std::string> occurrence;
  std::string title;
  std::string starts_local, ends_local;  // "YYYY-MM-DDTHH:MM"
  std::string time_zone;
  int64_t starts_at = 0, ends_at = 0;
  std::string place, link;
  std::string chair_org, chair_name;
  bool chair_from_rotation = false;
  std::string status;  // planned|held|cancelled|postponed
  std::optional<int64_t> postponed_to;
  std::string uid;
  int64_t sequence = 0;
  int64_t agenda_count = 0;
  std::optional<std::string> minutes_status;
  int64_t version = 1;
  int64_t created_at = 0, updated_at = 0;
};

// A new meeting or a change (absent = unchanged). chair_org "" = the rotation's chair.
// status "postponed" needs new starts_local and ends_local: they are the new meeting's.
struct MeetingFields {
  std::optional<int64_t> series_id;
  std::optional<std::string> title, starts_local, ends_local, time_zone, place, link, chair_org,
      status;
};

struct MeetingFilter {
  std::optional<int64_t> from, to;  // starts_at in [from, to)
  std::optional<int64_t> series_id;
  std::optional<std::string> status;
  // Meetings it chairs, presents an agenda item at or attends.
  std::optional<std::string> organization;
  int64_t limit = 100;
  int64_t offset = 0;
};

struct MeetingPage {
  std::vector<Meeting> items;
  int64_t total = 0;
};

struct Paper {
  int64_t id = 0;
  int64_t meeting_id = 0;
  std::optional<int64_t> agenda_item_id;
  std::string title, url, file_name, media_type, sha256;
  int64_t size = 0;
  std::string organization_id;
  int64_t created_at = 0;
};

struct AgendaItem {
  int64_t id = 0;
  int64_t meeting_id = 0;
  int64_t position = 0;
  std::string title;
  std::string presenter_org, presenter_name;  // "" = none
  std::vector<int64_t> purposes;              // ToR purpose numbers
  std::string notes;
  std::vector<Paper> papers;  // filled for readers who see papers
};

struct AgendaFields {
  std::optional<std::string> title, notes;
  std::optional<std::string> presenter_org;  // "" clears
  std::optional<std::vector<int64_t>> purposes;
};

// A link (url set, content empty) or an uploaded file (content set).
struct NewPaper {
  std::string title;
  std::string url;
  std::string file_name;
  std::string content;
  std::optional<int64_t> agenda_item_id;
};

struct PaperFile {
  Paper paper;
  std::string content;
};

struct Attendee {
  std::string organization_id, organization_name, person, level;
};

// What the one search matches a meeting by (app/site_search_sources.cc): its title; its date,
// place, series and chair; its minutes' current text. The folded_ copies are ASCII lower-cased,
// for matching; the minutes are for anyone once approved, else as CheckMaySeeMeetingDrafts.
struct MeetingSearchText {
  int64_t id = 0;
  std::string title, about, minutes;  // about: "YYYY-MM-DD · place · series · chair"
  bool minutes_approved = false;
  std::string folded_title, folded_about, folded_minutes;
};

// Every meeting's MeetingSearchText (at most kMaxSearchedMeetings, the latest), oldest first.
struct MeetingSearchTexts {
  int64_t seq = 0;                           // meetings_search_state.seq when read
  std::map<std::string, std::string> names;  // organisation names the chairs were named by
  std::vector<MeetingSearchText> meetings;
};

class MeetingService {
 public:
  static constexpr int64_t kMaxSearchedMeetings = 100000;

  MeetingService(Database& db, std::function<GovernanceService&()> governance,
                 std::function<int64_t()> now);
  MeetingService(const MeetingService&) = delete;
  MeetingService& operator=(const MeetingService&) = delete;

  // --- Series ---------------------------------------------------------------------------
  Result<std::vector<MeetingSeries>> ListSeries(bool include_archived);
  Result<MeetingSeries> GetSeries(int64_t id);
  // Staff. With rule (and first_local), creates every occurrence's meeting; without a rule,
  // first_local makes one meeting. 422 for an unknown zone, a bad rule, a rule beyond its
  // bounds, an occurrence at a local time the zone skips.
  Result<MeetingSeries> CreateSeries(const Principal& actor, const SeriesFields& fields);
  // Staff. New exceptions cancel their planned meetings (sequence + 1); exceptions taken
  // back make their cancelled meetings planned again. 422 for an exception that is not one
  // of the rule's occurrences, or a change of rule, first_local or time_zone.
  Result<MeetingSeries> UpdateSeries(const Principal& actor, int64_t id, int64_t if_version,
                                     const SeriesFields& fields);
  // Staff: archived, its meetings kept.
  Result<MeetingSeries> ArchiveSeries(const Principal& actor, int64_t id);

  // --- Meetings -------------------------------------------------------------------------
  Result<MeetingPage> ListMeetings(const MeetingFilter& filter);
  // The one search's copy of the meetings: read in two queries at the first call, then kept
  // until a write to the meetings, their series or minutes (meetings_search_state.seq, raised
  // by triggers in the writer's transaction: exact whichever instance wrote) or a change of
  // organisation names; a call then costs one read of that counter.
  Result<std::shared_ptr<const MeetingSearchTexts>> SearchTexts();
  Result<Meeting> GetMeeting(int64_t id);
  // The meetings among `ids` (unknown ids are absent), by id, in one query; chair names are
  // not filled (readers that only name the meetings).
  Result<std::vector<Meeting>> GetMeetings(const std::vector<int64_t>& ids);
  Result<Meeting> CreateMeeting(const Principal& actor, const MeetingFields& fields);
  // Staff. Status: planned → held | cancelled | postponed (kConflict from any other);
  // times and zone change only while planned. The changed meeting's sequence + 1.
  Result<Meeting> UpdateMeeting(const Principal& actor, int64_t id, int64_t if_version,
                                const MeetingFields& fields);

  // --- Agenda ---------------------------------------------------------------------------
  // `with_papers`: fill each item's papers (for readers who may see them).
  Result<std::vector<AgendaItem>> ListAgenda(int64_t meeting_id, bool with_papers);
  Result<AgendaItem> AddAgendaItem(const Principal& actor, int64_t meeting_id,
                                   const AgendaFields& fields);
  Result<AgendaItem> UpdateAgendaItem(const Principal& actor, int64_t meeting_id, int64_t item_id,
                                      const AgendaFields& fields);
  // Its papers stay with the meeting (no item); decisions on it lose the reference.
  Status DeleteAgendaItem(const Principal& actor, int64_t meeting_id, int64_t item_id);
  // `ids` must be exactly the meeting's items, in their new order.
  Result<std::vector<AgendaItem>> ReorderAgenda(const Principal& actor, int64_t meeting_id,
                                                const std::vector<int64_t>& ids);

  // --- Papers ---------------------------------------------------------------------------
  Result<std::vector<Paper>> ListPapers(const Principal& viewer, int64_t meeting_id);
  // kUnsupportedMediaType (415) for content of no accepted type (meetings/paper_type.h),
  // kPayloadTooLarge over kMaxPaperBytes.
  Result<Paper> AddPaper(const Principal& actor, int64_t meeting_id, const NewPaper& paper);
  Result<PaperFile> GetPaperFile(const Principal& viewer, int64_t meeting_id, int64_t paper_id);
  // Staff, or the member staff of the organisation that added it.
  Status DeletePaper(const Principal& actor, int64_t meeting_id, int64_t paper_id);

  // --- Attendance -----------------------------------------------------------------------
  Result<std::vector<Attendee>> ListAttendance(const Principal& viewer, int64_t meeting_id);
  // Replaces `organization_id`'s rows (people: person, level).
  Result<std::vector<Attendee>> ReplaceAttendance(const Principal& actor, int64_t meeting_id,
                                                  const std::string& organization_id,
                                                  const std::vector<Attendee>& people);

 private:
  Database& db_;
  std::function<GovernanceService&()> governance_;
  std::function<int64_t()> now_;
  std::mutex search_mu_;
  std::shared_ptr<const MeetingSearchTexts> search_;  // guarded by search_mu_
};

}  // namespace gmg
