#include "meetings/ical_feed.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <map>
#include <memory>
#include <vector>

#include "interop/ical.h"
#include "meetings/meeting_access.h"

namespace gmg::meetings {
namespace {

// One meeting as the feed needs it: its texts are spans of one arena string (a few large
// appends instead of ten allocations a meeting), made views once every row is read.
struct Span {
  size_t offset = 0, size = 0;
};
struct FeedRow {
  Span uid, title, time_zone, place, link, chair_org, description;
  std::string_view status;  // a constant
  int64_t series_id = 0;    // 0 = none
  int64_t starts_at = 0, ends_at = 0, sequence = 0, updated_at = 0;
};

class Arena {
 public:
  // Address space only: pages are touched as the text arrives, and it rarely has to move.
  explicit Arena(size_t reserve) { text_.reserve(reserve); }
  Span Add(std::string_view text) {
    Span s{text_.size(), text.size()};
    text_.append(text);
    return s;
  }
  void Append(std::string_view text) { text_.append(text); }
  size_t size() const { return text_.size(); }
  std::string_view View(Span s) const { return std::string_view(text_).substr(s.offset, s.size); }

 private:
  std::string text_;
};

std::string_view KnownStatus(std::string_view status) {
  for (std::string_view s : {"planned", "held", "cancelled", "postponed"}) {
    if (status == s) return s;
  }
  return "planned";
}

// The chair's and the series' names are not joined in: a feed has few of either, looked up once
// each (ChairAndSeriesNames), which halves the SQL read of 10,000 meetings.
constexpr std::string_view kSelect =
    "SELECT m.uid, m.title, m.time_zone, m.place, m.link, m.status, m.chair_org,"
    " coalesce(m.series_id, 0), m.starts_at, m.ends_at, m.sequence, m.updated_at FROM meetings m"
    " WHERE m.starts_at >= ? AND m.starts_at < ?";
constexpr std::string_view kOrder = " ORDER BY m.starts_at, m.id LIMIT ?";

// The query of `q`; `*org_params` is how many times it names the organisation.
std::string Sql(const FeedQuery& q, int* org_params) {
  std::string sql(kSelect);
  *org_params = 0;
  if (q.scope == FeedQuery::Scope::kSeries) sql += " AND m.series_id = ?";
  if (q.scope == FeedQuery::Scope::kOrganization) {
    sql +=
        " AND (m.chair_org = ?"
        " OR EXISTS (SELECT 1 FROM meeting_agenda_items i"
        " WHERE i.meeting_id = m.id AND i.presenter_org = ?)";
    *org_params = 2;
    if (q.with_attendance) {
      sql +=
          " OR EXISTS (SELECT 1 FROM meeting_attendance a"
          " WHERE a.meeting_id = m.id AND a.organization_id = ?)";
      *org_params = 3;
    }
    sql += ")";
  }
  sql += kOrder;
  return sql;
}

ical::EventStatus StatusOf(std::string_view status) {
  if (status == "cancelled" || status == "postponed") return ical::EventStatus::kCancelled;
  return ical::EventStatus::kConfirmed;
}

// "Series: …\nChair: …" and, where relevant, the status and the online link.
// `link` is in the arena itself (read as it is appended, after any growth).
Span Describe(Arena& a, std::string_view series, std::string_view chair, std::string_view status,
              Span link, bool with_links) {
  size_t start = a.size();
  if (!series.empty()) {
    a.Append("Series: ");
    a.Append(series);
    a.Append("\n");
  }
  a.Append("Chair: ");
  a.Append(chair);
  if (status == "postponed") a.Append("\nPostponed: this meeting moves to a new date.");
  if (status == "cancelled") a.Append("\nCancelled.");
  if (with_links && link.size != 0) {
    a.Append("\nOnline: ");
    a.Append(a.View(link));  // std::string::append copes with its own text
  }
  return Span{start, a.size() - start};
}

struct Names {
  std::map<std::string, std::string, std::less<>> chairs;  // organisation id → name
  std::map<int64_t, std::string> series;                   // series id → name
};

// The names of the chairs and series `rows` name, one query per distinct id.
Result<Names> ChairAndSeriesNames(Tx& tx, const std::vector<FeedRow>& rows, const Arena& arena) {
  Names n;
  for (const FeedRow& r : rows) {
    std::string_view org = arena.View(r.chair_org);
    if (n.chairs.find(org) == n.chairs.end()) {
      GMG_ASSIGN_OR_RETURN(
          auto row, tx.QueryOne("SELECT name FROM organizations WHERE id = ?", {std::string(org)}));
      n.chairs.emplace(std::string(org), row ? row->Text(0) : std::string(org));
    }
    if (r.series_id != 0 && !n.series.contains(r.series_id)) {
      GMG_ASSIGN_OR_RETURN(
          auto row, tx.QueryOne("SELECT name FROM meeting_series WHERE id = ?", {r.series_id}));
      n.series.emplace(r.series_id, row ? row->Text(0) : std::string());
    }
  }
  return n;
}

// The calendar's name, and kNotFound for an unknown series or organisation.
Result<std::string> CalendarName(Tx& tx, const FeedQuery& q) {
  if (q.scope == FeedQuery::Scope::kAll) return std::string("GMG meetings");
  bool series = q.scope == FeedQuery::Scope::kSeries;
  SqlParams params;
  if (series) {
    params.emplace_back(q.series_id);
  } else {
    params.emplace_back(q.organization_id);
  }
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(series ? "SELECT name FROM meeting_series WHERE id = ?"
                                                    : "SELECT name FROM organizations WHERE id = ?",
                                             params));
  if (!row) {
    return MakeError(ErrorCode::kNotFound,
                     series ? "no meeting series with this id" : "no organisation with this id");
  }
  return std::string(series ? "GMG meetings: " : "GMG meetings of ") + row->Text(0);
}

int64_t DayStart(Date d) { return int64_t{d.days()} * 86400; }

}  // namespace

Result<std::pair<Date, Date>> ParseFeedRange(std::optional<std::string_view> from,
                                             std::optional<std::string_view> to, Date today) {
  Date f = today.AddMonths(-12);
  Date t = today.AddMonths(24);
  if (from) {
    auto d = Date::Parse(*from);
    if (!d) return FieldError(ErrorCode::kInvalidArgument, "from", "must be a date YYYY-MM-DD");
    f = *d;
  }
  if (to) {
    auto d = Date::Parse(*to);
    if (!d) return FieldError(ErrorCode::kInvalidArgument, "to", "must be a date YYYY-MM-DD");
    t = *d;
  }
  if (t < f) return FieldError(ErrorCode::kInvalidArgument, "to", "must not be before from");
  if (f.AddMonths(120) < t) {
    return FieldError(ErrorCode::kInvalidArgument, "to",
                      "the range may span at most 10 years; ask for a shorter one");
  }
  return std::make_pair(f, t);
}

Result<Feed> BuildFeed(Tx& tx, const FeedQuery& q) {
  GMG_ASSIGN_OR_RETURN(std::string name, CalendarName(tx, q));
  SqlParams params = {DayStart(q.from), DayStart(q.to.AddDays(1))};
  if (q.scope == FeedQuery::Scope::kSeries) params.emplace_back(q.series_id);
  int org_params = 0;
  const std::string sql = Sql(q, &org_params);
  for (int i = 0; i < org_params; ++i) params.emplace_back(q.organization_id);
  params.emplace_back(kMaxFeedEvents + 1);
  std::vector<FeedRow> rows;
  rows.reserve(1024);
  Arena arena(size_t{4} << 20);
  GMG_RETURN_IF_ERROR(tx.QueryEach(sql, params, [&](const RowView& r) {
    FeedRow row;
    row.uid = arena.Add(r.Text(0));
    row.title = arena.Add(r.Text(1));
    row.time_zone = arena.Add(r.Text(2));
    row.place = arena.Add(r.Text(3));
    row.link = arena.Add(r.Text(4));
    row.status = KnownStatus(r.Text(5));
    row.chair_org = arena.Add(r.Text(6));
    row.series_id = r.Int(7);
    row.starts_at = r.Int(8);
    row.ends_at = r.Int(9);
    row.sequence = r.Int(10);
    row.updated_at = r.Int(11);
    rows.push_back(row);
    return Ok();
  }));
  if (static_cast<int64_t>(rows.size()) > kMaxFeedEvents) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "more than 20000 meetings in this range: ask for a shorter one with "
                     "?from=YYYY-MM-DD&to=YYYY-MM-DD");
  }
  GMG_ASSIGN_OR_RETURN(Names names, ChairAndSeriesNames(tx, rows, arena));
  // Descriptions first: the arena grows, so no view into it is taken before it is complete.
  std::vector<std::string_view> chairs;  // into `names`
  chairs.reserve(rows.size());
  for (FeedRow& r : rows) {
    const std::string& chair = names.chairs.find(arena.View(r.chair_org))->second;
    std::string_view series;
    if (r.series_id != 0) series = names.series[r.series_id];
    chairs.push_back(chair);
    r.description = Describe(arena, series, chair, r.status, r.link, q.with_links);
  }
  Feed feed;
  std::vector<ical::Event> events;
  events.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const FeedRow& r = rows[i];
    feed.last_modified = std::max(feed.last_modified, r.updated_at);
    ical::Event e;
    e.uid = arena.View(r.uid);
    e.starts_at = r.starts_at;
    e.ends_at = r.ends_at;
    e.time_zone = arena.View(r.time_zone);
    e.summary = arena.View(r.title);
    e.location = arena.View(r.place);
    e.description = arena.View(r.description);
    if (q.with_links) e.url = arena.View(r.link);
    e.chair = chairs[i];
    e.status = StatusOf(r.status);
    e.sequence = r.sequence;
    e.last_modified = r.updated_at;
    events.push_back(e);
  }
  ical::Calendar cal{name, "-//GMG Hub//Meetings//EN", feed.last_modified};
  GMG_ASSIGN_OR_RETURN(feed.body, ical::WriteCalendar(cal, events));
  feed.events = static_cast<int64_t>(rows.size());
  return feed;
}

namespace {

struct IcalApi {
  Database* db;
  std::function<int64_t()> now;
};

std::string HttpDate(int64_t t) {
  auto tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// "12.ics" → 12; "IOM.ics" → "IOM"; kNotFound without the suffix.
Result<std::string> FileStem(const http::Request& request) {
  std::string_view file = request.PathParam("file");
  if (file.size() <= 4 || file.substr(file.size() - 4) != ".ics") {
    return MakeError(ErrorCode::kNotFound, "feeds end in .ics");
  }
  return std::string(file.substr(0, file.size() - 4));
}

Result<http::Response> Serve(IcalApi& api, http::Request& request, FeedQuery q) {
  Date today = Date::FromDays(static_cast<int32_t>(api.now() / 86400));
  GMG_ASSIGN_OR_RETURN(auto range,
                       ParseFeedRange(request.Query("from"), request.Query("to"), today));
  q.from = range.first;
  q.to = range.second;
  const Principal& p = request.principal;
  q.with_links = p.signed_in() && p.role != Role::kStakeholder;
  Feed feed;
  GMG_RETURN_IF_ERROR(api.db->Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(feed, BuildFeed(tx, q));
    return Ok();
  }));
  http::Response r;
  r.status = 200;
  r.body = std::move(feed.body);
  r.content_type = "text/calendar; charset=utf-8";
  if (feed.last_modified > 0) r.SetHeader("Last-Modified", HttpDate(feed.last_modified));
  return r;
}

Result<http::Response> AllFeed(IcalApi& api, http::Request& request) {
  return Serve(api, request, FeedQuery{});
}

Result<http::Response> SeriesFeed(IcalApi& api, http::Request& request) {
  GMG_ASSIGN_OR_RETURN(std::string stem, FileStem(request));
  FeedQuery q;
  q.scope = FeedQuery::Scope::kSeries;
  auto [end, ec] = std::from_chars(stem.data(), stem.data() + stem.size(), q.series_id);
  if (ec != std::errc() || end != stem.data() + stem.size() || q.series_id <= 0) {
    return MakeError(ErrorCode::kNotFound, "no meeting series with this id");
  }
  return Serve(api, request, std::move(q));
}

// ?attendance=: whether the organisation feed should hold attended meetings too; attendance is
// for staff and members' staff only, so asking for it is refused (401/403) to anyone else.
Result<bool> AttendanceAsked(const http::Request& request) {
  std::optional<std::string_view> v = request.Query("attendance");
  if (!v || v->empty() || *v == "0" || *v == "false") return false;
  if (*v != "1" && *v != "true") {
    return FieldError(ErrorCode::kInvalidArgument, "attendance", "must be 1 or 0", "not_in_list");
  }
  GMG_RETURN_IF_ERROR(CheckSeesMeetingRecords(request.principal, "see who attends meetings"));
  return true;
}

Result<http::Response> OrganizationFeed(IcalApi& api, http::Request& request) {
  GMG_ASSIGN_OR_RETURN(std::string stem, FileStem(request));
  FeedQuery q;
  q.scope = FeedQuery::Scope::kOrganization;
  q.organization_id = std::move(stem);
  GMG_ASSIGN_OR_RETURN(q.with_attendance, AttendanceAsked(request));
  return Serve(api, request, std::move(q));
}

using http::Access;
using http::RouteRow;

constexpr RouteRow<IcalApi> kRoutes[] = {
    {"GET", "/ical/meetings.ics", Access::kPublic, AllFeed,
     "Every meeting starting in ?from=&to= (YYYY-MM-DD; default a year back to two ahead; at "
     "most 10 years and 20,000 meetings) as iCalendar (RFC 5545)",
     "meetings", true},
    {"GET", "/ical/series/{file}", Access::kPublic, SeriesFeed,
     "One series' meetings as iCalendar: {file} is <series id>.ics; ?from=&to= as for "
     "/ical/meetings.ics",
     "meetings", true},
    {"GET", "/ical/organizations/{file}", Access::kPublic, OrganizationFeed,
     "The meetings an organisation chairs or presents at as iCalendar: {file} is "
     "<organisation id>.ics; ?from=&to= as for /ical/meetings.ics; ?attendance=1 adds those it "
     "attends (staff and members' staff only)",
     "meetings", true},
};

}  // namespace

void AddIcalRoutes(http::Router& router, Database& db, std::function<int64_t()> now) {
  http::AddRoutes(router, std::make_shared<IcalApi>(IcalApi{&db, std::move(now)}), kRoutes);
}

}  // namespace gmg::meetings
