#include "meetings/meeting_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "audit/audit_log.h"
#include "auth/crypto.h"
#include "core/text.h"
#include "governance/organization_directory.h"
#include "interop/time_zone.h"
#include "meetings/meeting_access.h"
#include "meetings/meeting_json.h"
#include "meetings/paper_type.h"
#include "meetings/recurrence.h"
#include "store/sql.h"

namespace gmg {
namespace {

using meetings::LocalSlot;

constexpr const char* kLevels[] = {"principals", "working", "task_force", "other"};
constexpr const char* kAttendanceLevels[] = {"executive_head", "senior", "working", "observer"};
constexpr int64_t kMaxDurationMinutes = int64_t{7} * 24 * 60;
constexpr size_t kMaxAgendaItems = 200;
constexpr size_t kMaxAttendeesPerOrganization = 50;

Error Invalid(const std::string& field, const std::string& problem, const std::string& rule = "",
              std::vector<std::pair<std::string, std::string>> args = {}) {
  return FieldError(ErrorCode::kFailedPrecondition, field, problem, rule, std::move(args));
}

Error NotFound(const std::string& what) {
  return MakeError(ErrorCode::kNotFound, "no such " + what);
}

template <size_t N>
bool OneOf(const std::string& value, const char* const (&list)[N]) {
  return std::find_if(std::begin(list), std::end(list),
                      [&](const char* s) { return value == s; }) != std::end(list);
}

Status CheckZone(const std::string& zone) {
  if (zone.empty()) return Invalid("time_zone", "required", "required");
  if (!tz::IsKnownZone(zone)) {
    return Invalid("time_zone", "'" + zone + "' is not an IANA time zone", "unknown_time_zone",
                   {{"zone", zone}});
  }
  return Ok();
}

Result<LocalSlot> SlotField(const std::string& text, const std::string& field) {
  auto slot = meetings::ParseLocalSlot(text);
  if (!slot) {
    return Invalid(field, "must be a local time written YYYY-MM-DDTHH:MM", "invalid_local_time");
  }
  return *slot;
}

tz::LocalDateTime ToLocal(const LocalSlot& s) {
  return tz::LocalDateTime{s.date.year(),
                           static_cast<int>(s.date.month()),
                           static_cast<int>(s.date.day()),
                           s.minute_of_day / 60,
                           s.minute_of_day % 60,
                           0};
}

// The instant of `slot` in `zone`; 422 naming `field` when the zone skips that local time.
Result<int64_t> ToUtc(const std::string& zone, const LocalSlot& slot, const std::string& field) {
  auto utc = tz::LocalToUtc(zone, ToLocal(slot));
  if (!utc.ok()) {
    return Invalid(field, utc.error().message, "local_time_not_in_zone",
                   {{"local", meetings::FormatLocalSlot(slot)}, {"zone", zone}});
  }
  return *utc;
}

Result<std::string> LocalText(const std::string& zone, int64_t utc) {
  GMG_ASSIGN_OR_RETURN(tz::LocalDateTime t, tz::UtcToLocal(zone, utc));
  return meetings::FormatLocalSlot(LocalSlot{
      Date::FromCivil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day)),
      t.hour * 60 + t.minute});
}

std::string JsonText(const boost::json::value& v) { return boost::json::serialize(v); }

std::vector<std::string> StringList(std::string_view json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

std::vector<int64_t> IntList(std::string_view json) {
  std::vector<int64_t> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_int64()) out.push_back(e.as_int64());
  }
  return out;
}

// --- Rows -------------------------------------------------------------------------------------

constexpr std::string_view kSeriesColumns =
    "id, name, level, description, time_zone, place, link, rule, first_local, duration_minutes, "
    "exceptions, archived, version, created_at, updated_at";

MeetingSeries SeriesFromRow(const Row& r) {
  MeetingSeries s;
  s.id = r.Int(0);
  s.name = r.Text(1);
  s.level = r.Text(2);
  s.description = r.Text(3);
  s.time_zone = r.Text(4);
  s.place = r.Text(5);
  s.link = r.Text(6);
  s.rule = r.Text(7);
  s.first_local = r.Text(8);
  s.duration_minutes = r.Int(9);
  s.exceptions = StringList(r.Text(10));
  s.archived = r.Int(11) != 0;
  s.version = r.Int(12);
  s.created_at = r.Int(13);
  s.updated_at = r.Int(14);
  return s;
}

Status FillSeriesCounts(Tx& tx, MeetingSeries& s, int64_t now) {
  GMG_ASSIGN_OR_RETURN(auto n,
                       tx.QueryOne("SELECT count(*) FROM meetings WHERE series_id = ?", {s.id}));
  s.meetings_count = n->Int(0);
  GMG_ASSIGN_OR_RETURN(auto next,
                       tx.QueryOne("SELECT id, starts_at FROM meetings WHERE series_id = ? AND "
                                   "status = 'planned' AND starts_at >= ? ORDER BY starts_at, id "
                                   "LIMIT 1",
                                   {s.id, now}));
  if (next) {
    s.next_meeting_id = next->Int(0);
    s.next_meeting_starts_at = next->Int(1);
  }
  return Ok();
}

Result<MeetingSeries> LoadSeries(Tx& tx, int64_t id, int64_t now) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kSeriesColumns) +
                                                 " FROM meeting_series WHERE id = ?",
                                             {id}));
  if (!row) return NotFound("meeting series");
  MeetingSeries s = SeriesFromRow(*row);
  GMG_RETURN_IF_ERROR(FillSeriesCounts(tx, s, now));
  return s;
}

constexpr std::string_view kMeetingSelect =
    "SELECT m.id, m.series_id, s.name, s.level, m.occurrence, m.title, m.starts_local, "
    "m.ends_local, m.time_zone, m.starts_at, m.ends_at, m.place, m.link, m.chair_org, "
    "m.chair_from_rotation, m.status, m.postponed_to, m.uid, m.sequence, m.version, "
    "m.created_at, m.updated_at, "
    "(SELECT count(*) FROM meeting_agenda_items a WHERE a.meeting_id = m.id), "
    "(SELECT n.status FROM meeting_minutes n WHERE n.meeting_id = m.id) "
    "FROM meetings m LEFT JOIN meeting_series s ON s.id = m.series_id ";

Meeting MeetingFromRow(const Row& r) {
  Meeting m;
  m.id = r.Int(0);
  if (!r.IsNull(1)) m.series_id = r.Int(1);
  m.series_name = r.Text(2);
  m.series_level = r.Text(3);
  m.occurrence = r.OptText(4);
  m.title = r.Text(5);
  m.starts_local = r.Text(6);
  m.ends_local = r.Text(7);
  m.time_zone = r.Text(8);
  m.starts_at = r.Int(9);
  m.ends_at = r.Int(10);
  m.place = r.Text(11);
  m.link = r.Text(12);
  m.chair_org = r.Text(13);
  m.chair_from_rotation = r.Int(14) != 0;
  m.status = r.Text(15);
  if (!r.IsNull(16)) m.postponed_to = r.Int(16);
  m.uid = r.Text(17);
  m.sequence = r.Int(18);
  m.version = r.Int(19);
  m.created_at = r.Int(20);
  m.updated_at = r.Int(21);
  m.agenda_count = r.Int(22);
  m.minutes_status = r.OptText(23);
  return m;
}

Result<Meeting> LoadMeeting(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kMeetingSelect) + "WHERE m.id = ?", {id}));
  if (!row) return NotFound("meeting");
  return MeetingFromRow(*row);
}

// Agenda, papers and attendance change only on a meeting that takes place (planned or held).
Result<Meeting> LoadOpenMeeting(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(Meeting m, LoadMeeting(tx, id));
  if (m.status == "cancelled" || m.status == "postponed") {
    return MakeError(ErrorCode::kConflict, "the meeting is " + m.status +
                                               ": its agenda, papers and attendance are closed");
  }
  return m;
}

constexpr std::string_view kPaperColumns =
    "id, meeting_id, agenda_item_id, title, url, file_name, media_type, size, sha256, "
    "organization_id, created_at";

Paper PaperFromRow(const Row& r) {
  Paper p;
  p.id = r.Int(0);
  p.meeting_id = r.Int(1);
  if (!r.IsNull(2)) p.agenda_item_id = r.Int(2);
  p.title = r.Text(3);
  p.url = r.Text(4);
  p.file_name = r.Text(5);
  p.media_type = r.Text(6);
  p.size = r.Int(7);
  p.sha256 = r.Text(8);
  p.organization_id = r.Text(9);
  p.created_at = r.Int(10);
  return p;
}

Result<std::vector<Paper>> LoadPapers(Tx& tx, int64_t meeting_id) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT " + std::string(kPaperColumns) +
                                               " FROM meeting_papers WHERE meeting_id = ? "
                                               "ORDER BY id",
                                           {meeting_id}));
  std::vector<Paper> out;
  for (const Row& r : rows) out.push_back(PaperFromRow(r));
  return out;
}

AgendaItem ItemFromRow(const Row& r) {
  AgendaItem a;
  a.id = r.Int(0);
  a.meeting_id = r.Int(1);
  a.position = r.Int(2);
  a.title = r.Text(3);
  a.presenter_org = r.Text(4);
  a.purposes = IntList(r.Text(5));
  a.notes = r.Text(6);
  return a;
}

constexpr std::string_view kItemSelect =
    "SELECT id, meeting_id, position, title, presenter_org, purposes, notes "
    "FROM meeting_agenda_items ";

Result<std::vector<AgendaItem>> LoadAgenda(Tx& tx, int64_t meeting_id) {
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string(kItemSelect) + "WHERE meeting_id = ? ORDER BY position, id",
                          {meeting_id}));
  std::vector<AgendaItem> out;
  for (const Row& r : rows) out.push_back(ItemFromRow(r));
  return out;
}

Result<AgendaItem> LoadItem(Tx& tx, int64_t meeting_id, int64_t item_id) {
  GMG_ASSIGN_OR_RETURN(auto row,
                       tx.QueryOne(std::string(kItemSelect) + "WHERE id = ? AND meeting_id = ?",
                                   {item_id, meeting_id}));
  if (!row) return NotFound("agenda item");
  return ItemFromRow(*row);
}

// The meeting's audit JSON (the link included: the audit log is for staff).
boost::json::value Audit(const Meeting& m) { return MeetingJson(m, true); }

}  // namespace

MeetingService::MeetingService(Database& db, std::function<GovernanceService&()> governance,
                               std::function<int64_t()> now)
    : db_(db), governance_(std::move(governance)), now_(std::move(now)) {}

// --- Names, chair, purposes (through governance's interface) ----------------------------------

namespace {

using Names = std::map<std::string, std::string>;

Result<Names> OrganizationNames(GovernanceService& g, Date today) {
  GMG_ASSIGN_OR_RETURN(auto orgs, g.ListOrganizations("all", today));
  Names names;
  for (const auto& o : orgs) names.emplace(o.id, o.name);
  return names;
}

std::string NameOf(const Names& names, const std::string& id) {
  auto it = names.find(id);
  return it == names.end() ? id : it->second;
}

}  // namespace

// --- Series -----------------------------------------------------------------------------------

Result<std::vector<MeetingSeries>> MeetingService::ListSeries(bool include_archived) {
  std::vector<MeetingSeries> out;
  int64_t now = now_();
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT " + std::string(kSeriesColumns) +
                                                 " FROM meeting_series WHERE archived = 0 OR 1 = ? "
                                                 "ORDER BY name, id",
                                             {int64_t{include_archived ? 1 : 0}}));
    for (const Row& r : rows) {
      out.push_back(SeriesFromRow(r));
      GMG_RETURN_IF_ERROR(FillSeriesCounts(tx, out.back(), now));
    }
    return Ok();
  }));
  return out;
}

Result<MeetingSeries> MeetingService::GetSeries(int64_t id) {
  MeetingSeries out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadSeries(tx, id, now_()));
    return Ok();
  }));
  return out;
}

namespace {

Status CheckSeriesText(const SeriesFields& f, bool create) {
  if (create && (!f.name || f.name->empty())) return Invalid("name", "required", "required");
  if (f.name && f.name->size() > 200) return Invalid("name", "at most 200 bytes", "too_long");
  if (create && !f.level) return Invalid("level", "required", "required");
  if (f.level && !OneOf(*f.level, kLevels)) {
    return Invalid("level", "must be principals, working, task_force or other", "not_in_list");
  }
  if (f.duration_minutes &&
      (*f.duration_minutes < 1 || *f.duration_minutes > kMaxDurationMinutes)) {
    return Invalid("duration_minutes", "from 1 minute to 7 days", "out_of_range");
  }
  return Ok();
}

// The exceptions as slots, each one of `slots` (the rule's occurrences).
Result<std::vector<LocalSlot>> ExceptionSlots(const std::vector<std::string>& texts,
                                              const std::vector<LocalSlot>& slots) {
  std::vector<LocalSlot> out;
  for (const auto& text : texts) {
    GMG_ASSIGN_OR_RETURN(LocalSlot s, SlotField(text, "exceptions"));
    if (std::find(slots.begin(), slots.end(), s) == slots.end()) {
      return Invalid("exceptions", text + " is not one of the series' occurrences",
                     "not_an_occurrence", {{"local", text}});
    }
    out.push_back(s);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string RandomUid() { return RandomToken(16) + "@gmg-hub"; }

}  // namespace

Result<MeetingSeries> MeetingService::CreateSeries(const Principal& actor, const SeriesFields& f) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "plan meeting series"));
  GMG_RETURN_IF_ERROR(CheckSeriesText(f, true));
  std::string zone = f.time_zone.value_or("");
  GMG_RETURN_IF_ERROR(CheckZone(zone));
  int64_t duration = f.duration_minutes.value_or(120);
  std::string rule_text;
  std::vector<LocalSlot> slots;  // every occurrence, exceptions included
  std::vector<LocalSlot> skipped;
  std::optional<LocalSlot> first;
  if (f.first_local && !f.first_local->empty()) {
    GMG_ASSIGN_OR_RETURN(first, SlotField(*f.first_local, "first_local"));
  }
  if (f.rule && !f.rule->empty()) {
    if (!first) return Invalid("first_local", "required with a rule", "required");
    GMG_ASSIGN_OR_RETURN(auto rule, meetings::ParseRecurrenceRule(*f.rule, "rule"));
    rule_text = meetings::FormatRecurrenceRule(rule);
    GMG_ASSIGN_OR_RETURN(slots, meetings::ExpandRecurrence(rule, *first, {}, "rule"));
  } else if (first) {
    slots.push_back(*first);
  }
  if (f.exceptions) {
    GMG_ASSIGN_OR_RETURN(skipped, ExceptionSlots(*f.exceptions, slots));
  }
  // Every occurrence must exist in the zone, exceptions included (they may be taken back).
  std::vector<int64_t> starts;
  for (const LocalSlot& s : slots) {
    GMG_ASSIGN_OR_RETURN(int64_t at, ToUtc(zone, s, slots.size() == 1 ? "first_local" : "rule"));
    starts.push_back(at);
  }
  // The chair of each occurrence from the rotation (the meeting's local date).
  GMG_ASSIGN_OR_RETURN(ChairRotation rotation, governance_().LoadRotation());
  int64_t now = now_();
  MeetingSeries out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    boost::json::array exceptions;
    for (const auto& s : skipped) exceptions.emplace_back(meetings::FormatLocalSlot(s));
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO meeting_series (name, level, description, time_zone, place, "
                    "link, rule, first_local, duration_minutes, exceptions, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {*f.name, *f.level, f.description.value_or(""), zone, f.place.value_or(""),
                     f.link.value_or(""), rule_text,
                     first ? meetings::FormatLocalSlot(*first) : std::string(), duration,
                     JsonText(exceptions), now, now}));
    int64_t id = row->Int(0);
    for (size_t i = 0; i < slots.size(); ++i) {
      auto chair = rotation.ChairOn(slots[i].date);
      if (!chair.ok() || chair->organization_id.empty()) {
        return Invalid(
            "first_local",
            "no chair in the rotation on " + slots[i].date.ToString() + "; plan the rotation first",
            "no_chair", {{"date", slots[i].date.ToString()}});
      }
      bool cancelled = std::find(skipped.begin(), skipped.end(), slots[i]) != skipped.end();
      GMG_ASSIGN_OR_RETURN(std::string ends_local, LocalText(zone, starts[i] + duration * 60));
      std::string slot = meetings::FormatLocalSlot(slots[i]);
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO meetings (series_id, occurrence, title, starts_local, ends_local, "
          "time_zone, starts_at, ends_at, place, link, chair_org, chair_from_rotation, status, "
          "uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
          {id, slot, *f.name, slot, ends_local, zone, starts[i], starts[i] + duration * 60,
           f.place.value_or(""), f.link.value_or(""), chair->organization_id,
           std::string(cancelled ? "cancelled" : "planned"), RandomUid(), now, now}));
    }
    GMG_ASSIGN_OR_RETURN(out, LoadSeries(tx, id, now));
    return RecordAudit(tx, actor, "create", "meeting_series", std::to_string(id), nullptr,
                       SeriesJson(out, true));
  }));
  return out;
}

Result<MeetingSeries> MeetingService::UpdateSeries(const Principal& actor, int64_t id,
                                                   int64_t if_version, const SeriesFields& f) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "change meeting series"));
  GMG_RETURN_IF_ERROR(CheckSeriesText(f, false));
  int64_t now = now_();
  MeetingSeries out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(MeetingSeries before, LoadSeries(tx, id, now));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this series"));
    if ((f.rule && *f.rule != before.rule) ||
        (f.first_local && *f.first_local != before.first_local) ||
        (f.time_zone && *f.time_zone != before.time_zone)) {
      return Invalid(f.rule          ? "rule"
                     : f.first_local ? "first_local"
                                     : "time_zone",
                     "fixed once the series exists; archive it and plan a new one", "fixed");
    }
    std::vector<std::string> exceptions = before.exceptions;
    if (f.exceptions) {
      // The series' occurrences are its meetings' slots.
      GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT occurrence FROM meetings WHERE "
                                               "series_id = ? AND occurrence IS NOT NULL",
                                               {id}));
      std::vector<LocalSlot> slots;
      for (const Row& r : rows) {
        if (auto s = meetings::ParseLocalSlot(r.Text(0))) slots.push_back(*s);
      }
      GMG_ASSIGN_OR_RETURN(auto skipped, ExceptionSlots(*f.exceptions, slots));
      exceptions.clear();
      for (const auto& s : skipped) exceptions.push_back(meetings::FormatLocalSlot(s));
      std::set<std::string> added(exceptions.begin(), exceptions.end());
      std::set<std::string> removed(before.exceptions.begin(), before.exceptions.end());
      for (const auto& e : before.exceptions) added.erase(e);
      for (const auto& e : exceptions) removed.erase(e);
      for (const auto& e : added) {
        GMG_RETURN_IF_ERROR(tx.Exec(
            "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, "
            "version = version + 1, updated_at = ? WHERE series_id = ? AND occurrence = ? AND "
            "status = 'planned'",
            {now, id, e}));
      }
      for (const auto& e : removed) {
        GMG_RETURN_IF_ERROR(tx.Exec(
            "UPDATE meetings SET status = 'planned', sequence = sequence + 1, "
            "version = version + 1, updated_at = ? WHERE series_id = ? AND occurrence = ? AND "
            "status = 'cancelled'",
            {now, id, e}));
      }
    }
    boost::json::array list;
    for (const auto& e : exceptions) list.emplace_back(e);
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE meeting_series SET name = ?, level = ?, description = ?, place = ?, link = ?, "
        "duration_minutes = ?, exceptions = ?, version = version + 1, updated_at = ? "
        "WHERE id = ?",
        {f.name.value_or(before.name), f.level.value_or(before.level),
         f.description.value_or(before.description), f.place.value_or(before.place),
         f.link.value_or(before.link), f.duration_minutes.value_or(before.duration_minutes),
         JsonText(list), now, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadSeries(tx, id, now));
    return RecordAudit(tx, actor, "update", "meeting_series", std::to_string(id),
                       SeriesJson(before, true), SeriesJson(out, true));
  }));
  return out;
}

Result<MeetingSeries> MeetingService::ArchiveSeries(const Principal& actor, int64_t id) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "archive meeting series"));
  int64_t now = now_();
  MeetingSeries out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(MeetingSeries before, LoadSeries(tx, id, now));
    if (before.archived) return MakeError(ErrorCode::kConflict, "the series is already archived");
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE meeting_series SET archived = 1, version = version + 1, "
                "updated_at = ? WHERE id = ?",
                {now, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadSeries(tx, id, now));
    return RecordAudit(tx, actor, "archive", "meeting_series", std::to_string(id),
                       SeriesJson(before, true), SeriesJson(out, true));
  }));
  return out;
}

// --- Meetings ---------------------------------------------------------------------------------

Result<MeetingPage> MeetingService::ListMeetings(const MeetingFilter& filter) {
  std::string where = "WHERE 1 = 1";
  SqlParams params;
  if (filter.from) {
    where += " AND m.starts_at >= ?";
    params.emplace_back(*filter.from);
  }
  if (filter.to) {
    where += " AND m.starts_at < ?";
    params.emplace_back(*filter.to);
  }
  if (filter.series_id) {
    where += " AND m.series_id = ?";
    params.emplace_back(*filter.series_id);
  }
  if (filter.status) {
    where += " AND m.status = ?";
    params.emplace_back(*filter.status);
  }
  if (filter.organization) {
    where +=
        " AND (m.chair_org = ? OR EXISTS (SELECT 1 FROM meeting_agenda_items a WHERE "
        "a.meeting_id = m.id AND a.presenter_org = ?) OR EXISTS (SELECT 1 FROM "
        "meeting_attendance t WHERE t.meeting_id = m.id AND t.organization_id = ?))";
    for (int i = 0; i < 3; ++i) params.emplace_back(*filter.organization);
  }
  MeetingPage page;
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto total,
                         tx.QueryOne("SELECT count(*) FROM meetings m " + where, params));
    page.total = total->Int(0);
    SqlParams paged = params;
    paged.emplace_back(filter.limit);
    paged.emplace_back(filter.offset);
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string(kMeetingSelect) + where +
                                                 " ORDER BY m.starts_at, m.id LIMIT ? OFFSET ?",
                                             paged));
    for (const Row& r : rows) {
      page.items.push_back(MeetingFromRow(r));
      page.items.back().chair_name = NameOf(names, page.items.back().chair_org);
    }
    return Ok();
  }));
  return page;
}

namespace {

// The meetings the one search reads, oldest first, with their current minutes.
Status ReadSearchTexts(Tx& tx, MeetingSearchTexts& out) {
  GMG_ASSIGN_OR_RETURN(auto rows,
                       tx.Query("SELECT m.id, m.title, m.starts_local, m.place, s.name, "
                                "m.chair_org, n.status, v.text FROM meetings m LEFT JOIN "
                                "meeting_series s ON s.id = m.series_id LEFT JOIN meeting_minutes "
                                "n ON n.meeting_id = m.id LEFT JOIN meeting_minutes_versions v ON "
                                "v.meeting_id = n.meeting_id AND v.number = n.current_version "
                                "ORDER BY m.starts_at DESC, m.id DESC LIMIT ?",
                                {MeetingService::kMaxSearchedMeetings}));
  out.meetings.reserve(rows.size());
  for (const Row& r : rows) {
    MeetingSearchText m;
    m.id = r.Int(0);
    m.title = r.Text(1);
    m.about = std::string(r.Text(2).substr(0, 10)) + " · " + std::string(r.Text(3)) + " · " +
              std::string(r.Text(4)) + " · " + NameOf(out.names, std::string(r.Text(5)));
    m.minutes_approved = r.Text(6) == "approved";
    m.minutes = r.Text(7);
    m.folded_title = ToLowerAscii(m.title);
    m.folded_about = ToLowerAscii(m.about);
    m.folded_minutes = ToLowerAscii(m.minutes);
    out.meetings.push_back(std::move(m));
  }
  std::reverse(out.meetings.begin(), out.meetings.end());  // oldest first
  return Ok();
}

}  // namespace

Result<std::shared_ptr<const MeetingSearchTexts>> MeetingService::SearchTexts() {
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  auto fresh = std::make_shared<MeetingSearchTexts>();
  bool current = false;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto seq,
                         tx.QueryOne("SELECT seq FROM meetings_search_state WHERE id = 1"));
    fresh->seq = seq ? seq->Int(0) : 0;
    {
      std::lock_guard lock(search_mu_);
      current = search_ && search_->seq == fresh->seq && search_->names == names;
    }
    if (current) return Ok();
    fresh->names = std::move(names);
    return ReadSearchTexts(tx, *fresh);
  }));
  std::lock_guard lock(search_mu_);
  if (!current) search_ = std::move(fresh);
  return search_;
}

Result<Meeting> MeetingService::GetMeeting(int64_t id) {
  Meeting out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadMeeting(tx, id));
    return Ok();
  }));
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  out.chair_name = NameOf(names, out.chair_org);
  return out;
}

Result<std::vector<Meeting>> MeetingService::GetMeetings(const std::vector<int64_t>& ids) {
  std::vector<Meeting> out;
  if (ids.empty()) return out;
  boost::json::array list;
  for (int64_t id : ids) list.emplace_back(id);
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto rows, tx.Query(std::string(kMeetingSelect) + "WHERE m.id" +
                                std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers)) +
                                " ORDER BY m.id",
                            {boost::json::serialize(list)}));
    for (const Row& r : rows) out.push_back(MeetingFromRow(r));
    return Ok();
  }));
  return out;
}

namespace {

// Times of a meeting from local texts in a zone: starts/ends local and UTC.
struct Times {
  std::string starts_local, ends_local;
  int64_t starts_at = 0, ends_at = 0;
  Date local_date;
};

Result<Times> ResolveTimes(const std::string& zone, const std::string& starts,
                           const std::string& ends) {
  GMG_RETURN_IF_ERROR(CheckZone(zone));
  GMG_ASSIGN_OR_RETURN(LocalSlot s, SlotField(starts, "starts_local"));
  GMG_ASSIGN_OR_RETURN(LocalSlot e, SlotField(ends, "ends_local"));
  Times t;
  GMG_ASSIGN_OR_RETURN(t.starts_at, ToUtc(zone, s, "starts_local"));
  GMG_ASSIGN_OR_RETURN(t.ends_at, ToUtc(zone, e, "ends_local"));
  if (t.ends_at <= t.starts_at) {
    return Invalid("ends_local", "must be after starts_local", "before_start");
  }
  if (t.ends_at - t.starts_at > kMaxDurationMinutes * 60) {
    return Invalid("ends_local", "a meeting lasts at most 7 days", "out_of_range");
  }
  t.starts_local = meetings::FormatLocalSlot(s);
  t.ends_local = meetings::FormatLocalSlot(e);
  t.local_date = s.date;
  return t;
}

// The chair: `requested` when given (an organisation that exists), else the rotation's chair
// on `date`. Sets *from_rotation.
Result<std::string> ResolveChair(Tx& tx, const ChairRotation& rotation,
                                 const std::optional<std::string>& requested, Date date,
                                 bool* from_rotation) {
  if (requested && !requested->empty()) {
    GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, *requested));
    if (!exists) {
      return Invalid("chair_org", "no organisation '" + *requested + "'", "unknown_organization");
    }
    *from_rotation = false;
    return *requested;
  }
  auto chair = rotation.ChairOn(date);
  if (!chair.ok() || chair->organization_id.empty()) {
    return Invalid("chair_org", "no chair in the rotation on " + date.ToString() + "; name one",
                   "no_chair", {{"date", date.ToString()}});
  }
  *from_rotation = true;
  return chair->organization_id;
}

Status CheckTitle(const std::optional<std::string>& title, bool required) {
  if (required && (!title || title->empty())) return Invalid("title", "required", "required");
  if (title && title->size() > 300) return Invalid("title", "at most 300 bytes", "too_long");
  if (title && title->empty()) return Invalid("title", "must not be empty", "required");
  return Ok();
}

Status CheckPlaceAndLink(const std::optional<std::string>& place,
                         const std::optional<std::string>& link) {
  if (place && place->size() > 300) return Invalid("place", "at most 300 bytes", "too_long");
  if (link && !link->empty() &&
      (link->size() > 2000 ||
       (link->rfind("https://", 0) != 0 && link->rfind("http://", 0) != 0))) {
    return Invalid("link", "must be an http(s) address of at most 2,000 bytes", "invalid_url");
  }
  return Ok();
}

}  // namespace

Result<Meeting> MeetingService::CreateMeeting(const Principal& actor, const MeetingFields& f) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "plan meetings"));
  GMG_RETURN_IF_ERROR(CheckTitle(f.title, true));
  GMG_RETURN_IF_ERROR(CheckPlaceAndLink(f.place, f.link));
  if (f.status && *f.status != "planned") {
    return Invalid("status", "a new meeting is planned", "not_in_list");
  }
  if (!f.starts_local) return Invalid("starts_local", "required", "required");
  if (!f.ends_local) return Invalid("ends_local", "required", "required");
  GMG_ASSIGN_OR_RETURN(Times t,
                       ResolveTimes(f.time_zone.value_or(""), *f.starts_local, *f.ends_local));
  GMG_ASSIGN_OR_RETURN(ChairRotation rotation, governance_().LoadRotation());
  int64_t now = now_();
  Meeting out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    if (f.series_id) {
      GMG_ASSIGN_OR_RETURN(
          auto s, tx.QueryOne("SELECT archived FROM meeting_series WHERE id = ?", {*f.series_id}));
      if (!s) return Invalid("series_id", "no such series", "unknown_series");
      if (s->Int(0) != 0) return Invalid("series_id", "the series is archived", "archived");
    }
    bool from_rotation = false;
    GMG_ASSIGN_OR_RETURN(std::string chair,
                         ResolveChair(tx, rotation, f.chair_org, t.local_date, &from_rotation));
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO meetings (series_id, title, starts_local, ends_local, "
                              "time_zone, starts_at, ends_at, place, link, chair_org, "
                              "chair_from_rotation, status, uid, created_at, updated_at) VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?) RETURNING id",
                              {f.series_id ? SqlValue(*f.series_id) : SqlValue(nullptr), *f.title,
                               t.starts_local, t.ends_local, *f.time_zone, t.starts_at, t.ends_at,
                               f.place.value_or(""), f.link.value_or(""), chair,
                               int64_t{from_rotation ? 1 : 0}, RandomUid(), now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadMeeting(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "meeting", std::to_string(out.id), nullptr, Audit(out));
  }));
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  out.chair_name = NameOf(names, out.chair_org);
  return out;
}

Result<Meeting> MeetingService::UpdateMeeting(const Principal& actor, int64_t id,
                                              int64_t if_version, const MeetingFields& f) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "change meetings"));
  GMG_RETURN_IF_ERROR(CheckTitle(f.title, false));
  GMG_RETURN_IF_ERROR(CheckPlaceAndLink(f.place, f.link));
  if (f.series_id) return Invalid("series_id", "a meeting stays in its series", "fixed");
  if (f.status && *f.status != "planned" && *f.status != "held" && *f.status != "cancelled" &&
      *f.status != "postponed") {
    return Invalid("status", "must be planned, held, cancelled or postponed", "not_in_list");
  }
  GMG_ASSIGN_OR_RETURN(ChairRotation rotation, governance_().LoadRotation());
  int64_t now = now_();
  Meeting out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Meeting before, LoadMeeting(tx, id));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this meeting"));
    std::string status = f.status.value_or(before.status);
    bool postpone = status == "postponed" && before.status != "postponed";
    if (status != before.status && before.status != "planned") {
      return MakeError(ErrorCode::kConflict, "the meeting is " + before.status +
                                                 "; only a planned meeting changes status");
    }
    bool times_change = f.starts_local || f.ends_local || f.time_zone;
    if (times_change && !postpone && before.status != "planned") {
      return MakeError(ErrorCode::kConflict,
                       "the meeting is " + before.status + "; its time no longer changes");
    }
    if (postpone && (!f.starts_local || !f.ends_local)) {
      return Invalid(f.starts_local ? "ends_local" : "starts_local",
                     "required to postpone: the new meeting's time", "required");
    }
    std::string zone = f.time_zone.value_or(before.time_zone);
    Times t{before.starts_local, before.ends_local, before.starts_at, before.ends_at,
            meetings::ParseLocalSlot(before.starts_local).value_or(LocalSlot{}).date};
    if (times_change) {
      GMG_ASSIGN_OR_RETURN(t, ResolveTimes(zone, f.starts_local.value_or(before.starts_local),
                                           f.ends_local.value_or(before.ends_local)));
    }
    // The chair follows the rotation unless one is named (or was, and the date is unchanged).
    std::optional<std::string> wanted = f.chair_org;
    if (!wanted && !before.chair_from_rotation) wanted = before.chair_org;
    bool from_rotation = false;
    GMG_ASSIGN_OR_RETURN(std::string chair,
                         ResolveChair(tx, rotation, wanted, t.local_date, &from_rotation));
    std::string title = f.title.value_or(before.title);
    std::string place = f.place.value_or(before.place);
    std::string link = f.link.value_or(before.link);
    std::optional<int64_t> postponed_to;
    if (postpone) {
      GMG_ASSIGN_OR_RETURN(
          auto row,
          tx.QueryOne("INSERT INTO meetings (series_id, title, starts_local, ends_local, "
                      "time_zone, starts_at, ends_at, place, link, chair_org, "
                      "chair_from_rotation, status, uid, created_at, updated_at) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?, ?) RETURNING id",
                      {before.series_id ? SqlValue(*before.series_id) : SqlValue(nullptr), title,
                       t.starts_local, t.ends_local, zone, t.starts_at, t.ends_at, place, link,
                       chair, int64_t{from_rotation ? 1 : 0}, RandomUid(), now, now}));
      postponed_to = row->Int(0);
      GMG_ASSIGN_OR_RETURN(Meeting moved, LoadMeeting(tx, *postponed_to));
      GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "create", "meeting", std::to_string(*postponed_to),
                                      nullptr, Audit(moved)));
      GMG_RETURN_IF_ERROR(tx.Exec(
          "UPDATE meetings SET title = ?, place = ?, link = ?, status = 'postponed', "
          "postponed_to = ?, sequence = sequence + 1, version = version + 1, updated_at = ? "
          "WHERE id = ?",
          {title, place, link, *postponed_to, now, id}));
    } else {
      GMG_RETURN_IF_ERROR(tx.Exec(
          "UPDATE meetings SET title = ?, starts_local = ?, ends_local = ?, time_zone = ?, "
          "starts_at = ?, ends_at = ?, place = ?, link = ?, chair_org = ?, "
          "chair_from_rotation = ?, status = ?, sequence = sequence + 1, version = version + 1, "
          "updated_at = ? WHERE id = ?",
          {title, t.starts_local, t.ends_local, zone, t.starts_at, t.ends_at, place, link, chair,
           int64_t{from_rotation ? 1 : 0}, status, now, id}));
    }
    GMG_ASSIGN_OR_RETURN(out, LoadMeeting(tx, id));
    return RecordAudit(tx, actor, postpone ? "postpone" : "update", "meeting", std::to_string(id),
                       Audit(before), Audit(out));
  }));
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  out.chair_name = NameOf(names, out.chair_org);
  return out;
}

// --- Agenda -----------------------------------------------------------------------------------

Result<std::vector<AgendaItem>> MeetingService::ListAgenda(int64_t meeting_id, bool with_papers) {
  std::vector<AgendaItem> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(out, LoadAgenda(tx, meeting_id));
    if (with_papers) {
      GMG_ASSIGN_OR_RETURN(auto papers, LoadPapers(tx, meeting_id));
      for (auto& item : out) {
        for (const auto& p : papers) {
          if (p.agenda_item_id == item.id) item.papers.push_back(p);
        }
      }
    }
    return Ok();
  }));
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  for (auto& item : out) {
    if (!item.presenter_org.empty()) item.presenter_name = NameOf(names, item.presenter_org);
  }
  return out;
}

namespace {

Status CheckAgendaFields(Tx& tx, const AgendaFields& f, bool create,
                         const std::set<int64_t>& purposes) {
  GMG_RETURN_IF_ERROR(CheckTitle(f.title, create));
  if (f.notes && f.notes->size() > 10000)
    return Invalid("notes", "at most 10,000 bytes", "too_long");
  if (f.presenter_org && !f.presenter_org->empty()) {
    GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, *f.presenter_org));
    if (!exists) {
      return Invalid("presenter_org", "no organisation '" + *f.presenter_org + "'",
                     "unknown_organization");
    }
  }
  if (f.purposes) {
    std::set<int64_t> seen;
    for (int64_t n : *f.purposes) {
      if (!purposes.contains(n)) {
        return Invalid("purposes",
                       std::to_string(n) + " is not a purpose of the Terms of Reference",
                       "unknown_purpose", {{"number", std::to_string(n)}});
      }
      if (!seen.insert(n).second) {
        return Invalid("purposes", std::to_string(n) + " is given twice", "duplicate");
      }
    }
  }
  return Ok();
}

std::string PurposesJson(const std::vector<int64_t>& purposes) {
  boost::json::array a;
  for (int64_t n : purposes) a.emplace_back(n);
  return JsonText(a);
}

boost::json::object ItemAudit(const AgendaItem& a) { return AgendaItemJson(a, false); }

Result<std::set<int64_t>> PurposeNumbers(GovernanceService& g) {
  GMG_ASSIGN_OR_RETURN(About about, g.GetAbout());
  std::set<int64_t> out;
  for (const auto& p : about.purposes) out.insert(p.number);
  return out;
}

}  // namespace

Result<AgendaItem> MeetingService::AddAgendaItem(const Principal& actor, int64_t meeting_id,
                                                 const AgendaFields& f) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "set agendas"));
  GMG_ASSIGN_OR_RETURN(auto purposes, PurposeNumbers(governance_()));
  int64_t now = now_();
  AgendaItem out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    GMG_RETURN_IF_ERROR(CheckAgendaFields(tx, f, true, purposes));
    GMG_ASSIGN_OR_RETURN(auto last, tx.QueryOne("SELECT count(*), coalesce(max(position), 0) "
                                                "FROM meeting_agenda_items WHERE meeting_id = ?",
                                                {meeting_id}));
    if (last->Int(0) >= static_cast<int64_t>(kMaxAgendaItems)) {
      return Invalid("title", "an agenda has at most 200 items", "too_many");
    }
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO meeting_agenda_items (meeting_id, position, title, "
                              "presenter_org, purposes, notes, created_at, updated_at) VALUES "
                              "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {meeting_id, last->Int(1) + 1, *f.title,
                               NullIfEmpty(f.presenter_org.value_or("")),
                               PurposesJson(f.purposes.value_or(std::vector<int64_t>{})),
                               f.notes.value_or(""), now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, meeting_id, row->Int(0)));
    return RecordAudit(tx, actor, "create", "agenda_item", std::to_string(out.id), nullptr,
                       ItemAudit(out));
  }));
  return out;
}

Result<AgendaItem> MeetingService::UpdateAgendaItem(const Principal& actor, int64_t meeting_id,
                                                    int64_t item_id, const AgendaFields& f) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "set agendas"));
  GMG_ASSIGN_OR_RETURN(auto purposes, PurposeNumbers(governance_()));
  int64_t now = now_();
  AgendaItem out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(AgendaItem before, LoadItem(tx, meeting_id, item_id));
    GMG_RETURN_IF_ERROR(CheckAgendaFields(tx, f, false, purposes));
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE meeting_agenda_items SET title = ?, presenter_org = ?, purposes = ?, notes = ?, "
        "updated_at = ? WHERE id = ?",
        {f.title.value_or(before.title),
         NullIfEmpty(f.presenter_org.value_or(before.presenter_org)),
         PurposesJson(f.purposes.value_or(before.purposes)), f.notes.value_or(before.notes), now,
         item_id}));
    GMG_ASSIGN_OR_RETURN(out, LoadItem(tx, meeting_id, item_id));
    return RecordAudit(tx, actor, "update", "agenda_item", std::to_string(item_id),
                       ItemAudit(before), ItemAudit(out));
  }));
  return out;
}

Status MeetingService::DeleteAgendaItem(const Principal& actor, int64_t meeting_id,
                                        int64_t item_id) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "set agendas"));
  return db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(AgendaItem before, LoadItem(tx, meeting_id, item_id));
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE meeting_papers SET agenda_item_id = NULL WHERE agenda_item_id = ?", {item_id}));
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE meeting_decisions SET agenda_item_id = NULL WHERE agenda_item_id = ?", {item_id}));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM meeting_agenda_items WHERE id = ?", {item_id}));
    return RecordAudit(tx, actor, "delete", "agenda_item", std::to_string(item_id),
                       ItemAudit(before), nullptr);
  });
}

Result<std::vector<AgendaItem>> MeetingService::ReorderAgenda(const Principal& actor,
                                                              int64_t meeting_id,
                                                              const std::vector<int64_t>& ids) {
  GMG_RETURN_IF_ERROR(meetings::CheckPlansMeetings(actor, "set agendas"));
  int64_t now = now_();
  std::vector<AgendaItem> out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(auto before, LoadAgenda(tx, meeting_id));
    std::set<int64_t> have, given(ids.begin(), ids.end());
    for (const auto& a : before) have.insert(a.id);
    if (given.size() != ids.size() || given != have) {
      return Invalid("ids", "must list each of the meeting's agenda items once",
                     "not_a_permutation");
    }
    boost::json::array old_order, new_order;
    for (const auto& a : before) old_order.emplace_back(a.id);
    for (size_t i = 0; i < ids.size(); ++i) {
      new_order.emplace_back(ids[i]);
      GMG_RETURN_IF_ERROR(
          tx.Exec("UPDATE meeting_agenda_items SET position = ?, updated_at = ? WHERE id = ?",
                  {static_cast<int64_t>(i + 1), now, ids[i]}));
    }
    GMG_ASSIGN_OR_RETURN(out, LoadAgenda(tx, meeting_id));
    return RecordAudit(tx, actor, "reorder", "agenda_item", std::to_string(meeting_id),
                       boost::json::object{{"order", old_order}},
                       boost::json::object{{"order", new_order}});
  }));
  return out;
}

// --- Papers -----------------------------------------------------------------------------------

Result<std::vector<Paper>> MeetingService::ListPapers(const Principal& viewer, int64_t meeting_id) {
  GMG_RETURN_IF_ERROR(meetings::CheckSeesMeetingRecords(viewer, "see meeting papers"));
  std::vector<Paper> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(out, LoadPapers(tx, meeting_id));
    return Ok();
  }));
  return out;
}

Result<Paper> MeetingService::AddPaper(const Principal& actor, int64_t meeting_id,
                                       const NewPaper& in) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (in.title.empty()) return Invalid("title", "required", "required");
  if (in.title.size() > 300) return Invalid("title", "at most 300 bytes", "too_long");
  bool is_link = in.content.empty();
  std::optional<meetings::PaperType> type;
  if (is_link) {
    if (in.url.empty()) return Invalid("url", "a link or a file is required", "required");
    GMG_RETURN_IF_ERROR(CheckPlaceAndLink(std::nullopt, in.url).ok()
                            ? Ok()
                            : Status(Invalid("url", "must be an http(s) address", "invalid_url")));
  } else {
    if (in.content.size() > kMaxPaperBytes) {
      return MakeError(ErrorCode::kPayloadTooLarge, "a paper is at most 20 MiB");
    }
    type = meetings::DetectPaperType(in.content);
    if (!type) {
      return MakeError(ErrorCode::kUnsupportedMediaType,
                       "the file is not a PDF, Word, Excel, PowerPoint or OpenDocument file, "
                       "plain text, PNG or JPEG (judged by its content)");
    }
  }
  int64_t now = now_();
  Paper out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    std::string presenter;
    if (in.agenda_item_id) {
      auto item = LoadItem(tx, meeting_id, *in.agenda_item_id);
      if (!item.ok()) {
        return Invalid("agenda_item_id", "not an item of this meeting's agenda", "unknown_item");
      }
      presenter = item->presenter_org;
    }
    GMG_RETURN_IF_ERROR(meetings::CheckActsFor(actor, presenter, "add papers to this item"));
    std::string organization = actor.IsStaff() ? presenter : actor.organization_id;
    std::string file_name =
        is_link ? std::string() : meetings::SafeFileName(in.file_name, type->extension);
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO meeting_papers (meeting_id, agenda_item_id, title, url, "
            "file_name, media_type, size, sha256, content, organization_id, user_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {meeting_id, in.agenda_item_id ? SqlValue(*in.agenda_item_id) : SqlValue(nullptr),
             in.title, is_link ? in.url : std::string(), file_name,
             is_link ? std::string() : type->media_type, static_cast<int64_t>(in.content.size()),
             is_link ? std::string() : Sha256Hex(in.content),
             is_link ? SqlValue(nullptr) : SqlValue(in.content), NullIfEmpty(organization),
             actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr), now}));
    GMG_ASSIGN_OR_RETURN(auto stored, tx.QueryOne("SELECT " + std::string(kPaperColumns) +
                                                      " FROM meeting_papers WHERE id = ?",
                                                  {row->Int(0)}));
    out = PaperFromRow(*stored);
    return RecordAudit(tx, actor, "create", "paper", std::to_string(out.id), nullptr,
                       PaperJson(out));
  }));
  return out;
}

Result<PaperFile> MeetingService::GetPaperFile(const Principal& viewer, int64_t meeting_id,
                                               int64_t paper_id) {
  GMG_RETURN_IF_ERROR(meetings::CheckSeesMeetingRecords(viewer, "see meeting papers"));
  PaperFile out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kPaperColumns) +
                                                   ", content FROM meeting_papers WHERE id = ? AND "
                                                   "meeting_id = ?",
                                               {paper_id, meeting_id}));
    if (!row) return NotFound("paper");
    out.paper = PaperFromRow(*row);
    out.content = std::string(row->Bytes(11));
    return Ok();
  }));
  return out;
}

Status MeetingService::DeletePaper(const Principal& actor, int64_t meeting_id, int64_t paper_id) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kPaperColumns) +
                                                   " FROM meeting_papers WHERE id = ? AND "
                                                   "meeting_id = ?",
                                               {paper_id, meeting_id}));
    if (!row) return NotFound("paper");
    Paper before = PaperFromRow(*row);
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    GMG_RETURN_IF_ERROR(meetings::CheckActsFor(actor, before.organization_id, "remove this paper"));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM meeting_papers WHERE id = ?", {paper_id}));
    return RecordAudit(tx, actor, "delete", "paper", std::to_string(paper_id), PaperJson(before),
                       nullptr);
  });
}

// --- Attendance -------------------------------------------------------------------------------

namespace {

Result<std::vector<Attendee>> LoadAttendance(Tx& tx, int64_t meeting_id) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT organization_id, person, level FROM "
                                           "meeting_attendance WHERE meeting_id = ? "
                                           "ORDER BY organization_id, person",
                                           {meeting_id}));
  std::vector<Attendee> out;
  for (const Row& r : rows) out.push_back({r.Text(0), "", r.Text(1), r.Text(2)});
  return out;
}

boost::json::array AttendanceAudit(const std::vector<Attendee>& people) {
  boost::json::array a;
  for (const auto& p : people) a.push_back(AttendeeJson(p));
  return a;
}

}  // namespace

Result<std::vector<Attendee>> MeetingService::ListAttendance(const Principal& viewer,
                                                             int64_t meeting_id) {
  GMG_RETURN_IF_ERROR(meetings::CheckSeesMeetingRecords(viewer, "see attendance"));
  std::vector<Attendee> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(out, LoadAttendance(tx, meeting_id));
    return Ok();
  }));
  GMG_ASSIGN_OR_RETURN(Names names, OrganizationNames(governance_(), Date::Today()));
  for (auto& a : out) a.organization_name = NameOf(names, a.organization_id);
  return out;
}

Result<std::vector<Attendee>> MeetingService::ReplaceAttendance(
    const Principal& actor, int64_t meeting_id, const std::string& organization_id,
    const std::vector<Attendee>& people) {
  if (organization_id.empty()) return Invalid("organization_id", "required", "required");
  GMG_RETURN_IF_ERROR(meetings::CheckActsFor(actor, organization_id, "record this attendance"));
  if (people.size() > kMaxAttendeesPerOrganization) {
    return Invalid("people", "at most 50 people per organisation", "too_many");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < people.size(); ++i) {
    std::string field = "people[" + std::to_string(i) + "]";
    if (people[i].person.empty() || people[i].person.size() > 200) {
      return Invalid(field + ".person", "a name of 1 to 200 bytes", "required");
    }
    if (!OneOf(people[i].level, kAttendanceLevels)) {
      return Invalid(field + ".level", "must be executive_head, senior, working or observer",
                     "not_in_list");
    }
    if (!names.insert(people[i].person).second) {
      return Invalid(field + ".person", "listed twice", "duplicate");
    }
  }
  std::vector<Attendee> out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOpenMeeting(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, organization_id));
    if (!exists) {
      return Invalid("organization_id", "no organisation '" + organization_id + "'",
                     "unknown_organization");
    }
    GMG_ASSIGN_OR_RETURN(auto all, LoadAttendance(tx, meeting_id));
    std::vector<Attendee> before;
    for (const auto& a : all) {
      if (a.organization_id == organization_id) before.push_back(a);
    }
    GMG_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM meeting_attendance WHERE meeting_id = ? AND "
                "organization_id = ?",
                {meeting_id, organization_id}));
    for (const auto& p : people) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO meeting_attendance (meeting_id, organization_id, "
                  "person, level) VALUES (?, ?, ?, ?)",
                  {meeting_id, organization_id, p.person, p.level}));
    }
    GMG_ASSIGN_OR_RETURN(out, LoadAttendance(tx, meeting_id));
    std::vector<Attendee> after;
    for (const auto& a : out) {
      if (a.organization_id == organization_id) after.push_back(a);
    }
    return RecordAudit(tx, actor, "replace", "attendance",
                       std::to_string(meeting_id) + "/" + organization_id, AttendanceAudit(before),
                       AttendanceAudit(after));
  }));
  GMG_ASSIGN_OR_RETURN(Names org_names, OrganizationNames(governance_(), Date::Today()));
  for (auto& a : out) a.organization_name = NameOf(org_names, a.organization_id);
  return out;
}

}  // namespace gmg
