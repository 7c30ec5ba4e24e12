#include "meetings/meeting_api.h"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "http/checked_text.h"
#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"
#include "meetings/meeting_access.h"
#include "meetings/meeting_json.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

Result<std::optional<int64_t>> IdQueryOrEmpty(const Request& req, const char* name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  int64_t id = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
  if (ec != std::errc() || end != v->data() + v->size() || id <= 0) {
    return FieldError(ErrorCode::kInvalidArgument, name, "must be a positive whole number",
                      "invalid_number");
  }
  return std::optional<int64_t>(id);
}

// A day's first second (UTC) from ?name=YYYY-MM-DD; `next_day` gives the following day's.
Result<std::optional<int64_t>> DayQuery(const Request& req, const char* name, bool next_day) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<int64_t>();
  auto d = Date::Parse(*v);
  if (!d) {
    return FieldError(ErrorCode::kInvalidArgument, name, "must be a real date written YYYY-MM-DD",
                      "invalid_date");
  }
  return std::optional<int64_t>(int64_t{d->AddDays(next_day ? 1 : 0).days()} * 86400);
}

bool ShowLink(const Request& req) { return meetings::SeesMeetingLink(req.principal); }

Response WithETag(Response r, int64_t version) {
  r.SetHeader("ETag", http::VersionETag(version));
  return r;
}

// JSON lists of whole numbers (purposes, ids): nullopt when absent; a problem otherwise.
Result<std::optional<std::vector<int64_t>>> IntArray(JsonBody& body, const char* name, size_t max) {
  const boost::json::value* v = body.Raw(name);
  if (!v) return std::optional<std::vector<int64_t>>();
  if (!v->is_array() || v->as_array().size() > max) {
    return FieldError(ErrorCode::kInvalidArgument, name,
                      "must be a list of at most " + std::to_string(max) + " whole numbers",
                      "invalid_list");
  }
  std::vector<int64_t> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_int64()) {
      return FieldError(ErrorCode::kInvalidArgument, name, "must hold whole numbers only",
                        "invalid_list");
    }
    out.push_back(e.as_int64());
  }
  return std::optional<std::vector<int64_t>>(std::move(out));
}

// --- Series -----------------------------------------------------------------------------------

SeriesFields ReadSeries(JsonBody& body) {
  SeriesFields f;
  f.name = body.String("name", false, 200);
  f.level = body.String("level", false, 20);
  f.description = body.String("description", false, 5000, true);
  f.time_zone = body.String("time_zone", false, 64);
  f.place = body.String("place", false, 300, true);
  f.link = body.String("link", false, 2000, true);
  f.rule = body.String("rule", false, 500, true);
  f.first_local = body.String("first_local", false, 19, true);
  f.duration_minutes = body.Int("duration_minutes", false, 1, int64_t{7} * 24 * 60);
  f.exceptions = body.StringArray("exceptions", false, 60);
  return f;
}

Response SeriesResponse(int status, const MeetingSeries& s, const Request& req) {
  Response r = WithETag(http::JsonResponse(status, SeriesJson(s, ShowLink(req))), s.version);
  if (status == 201) r.SetHeader("Location", "/api/v1/meeting-series/" + std::to_string(s.id));
  return r;
}

Result<Response> ListSeries(MeetingService& m, Request& req) {
  bool archived = req.Query("archived").value_or("") == "1";
  GMG_ASSIGN_OR_RETURN(auto all, m.ListSeries(archived));
  bool link = ShowLink(req);
  return http::JsonResponse(
      200, http::WholeListBody(all, [&](const MeetingSeries& s) { return SeriesJson(s, link); }));
}

Result<Response> CreateSeries(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  SeriesFields f = ReadSeries(body);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto s, m.CreateSeries(req.principal, f));
  return SeriesResponse(201, s, req);
}

Result<Response> GetSeries(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto s, m.GetSeries(id));
  return SeriesResponse(200, s, req);
}

Result<Response> UpdateSeries(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  SeriesFields f = ReadSeries(body);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto s, m.UpdateSeries(req.principal, id, version, f));
  return SeriesResponse(200, s, req);
}

Result<Response> ArchiveSeries(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto s, m.ArchiveSeries(req.principal, id));
  return SeriesResponse(200, s, req);
}

// --- Meetings ---------------------------------------------------------------------------------

MeetingFields ReadMeeting(JsonBody& body) {
  MeetingFields f;
  f.series_id = body.Int("series_id", false, 1, http::kMaxCursorPosition);
  f.title = body.String("title", false, 300);
  f.starts_local = body.String("starts_local", false, 19);
  f.ends_local = body.String("ends_local", false, 19);
  f.time_zone = body.String("time_zone", false, 64);
  f.place = body.String("place", false, 300, true);
  f.link = body.String("link", false, 2000, true);
  f.chair_org = body.String("chair_org", false, 64, true);
  f.status = body.String("status", false, 20);
  return f;
}

Response MeetingResponse(int status, const Meeting& mt, const Request& req) {
  Response r = WithETag(http::JsonResponse(status, MeetingJson(mt, ShowLink(req))), mt.version);
  if (status == 201) r.SetHeader("Location", "/api/v1/meetings/" + std::to_string(mt.id));
  return r;
}

Result<Response> ListMeetings(MeetingService& m, Request& req) {
  MeetingFilter filter;
  GMG_ASSIGN_OR_RETURN(filter.from, DayQuery(req, "from", false));
  GMG_ASSIGN_OR_RETURN(filter.to, DayQuery(req, "to", true));
  GMG_ASSIGN_OR_RETURN(filter.series_id, IdQueryOrEmpty(req, "series"));
  if (auto s = req.Query("status"); s && !s->empty()) {
    if (*s != "planned" && *s != "held" && *s != "cancelled" && *s != "postponed") {
      return FieldError(ErrorCode::kInvalidArgument, "status",
                        "must be planned, held, cancelled or postponed", "not_in_list");
    }
    filter.status = std::string(*s);
  }
  if (auto o = req.Query("organization"); o && !o->empty()) filter.organization = std::string(*o);
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  filter.limit = page.limit;
  filter.offset = page.after.value_or(0);
  GMG_ASSIGN_OR_RETURN(auto result, m.ListMeetings(filter));
  bool link = ShowLink(req);
  boost::json::array items;
  for (const auto& mt : result.items) items.push_back(MeetingJson(mt, link));
  std::optional<int64_t> next;
  if (filter.offset + filter.limit < result.total) next = filter.offset + filter.limit;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, result.total));
}

Result<Response> CreateMeeting(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  MeetingFields f = ReadMeeting(body);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto mt, m.CreateMeeting(req.principal, f));
  return MeetingResponse(201, mt, req);
}

Result<Response> GetMeeting(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto mt, m.GetMeeting(id));
  return MeetingResponse(200, mt, req);
}

Result<Response> UpdateMeeting(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  MeetingFields f = ReadMeeting(body);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto mt, m.UpdateMeeting(req.principal, id, version, f));
  return MeetingResponse(200, mt, req);
}

// --- Agenda -----------------------------------------------------------------------------------

Result<AgendaFields> ReadAgenda(JsonBody& body) {
  AgendaFields f;
  f.title = body.String("title", false, 300);
  f.notes = body.String("notes", false, 10000, true);
  if (body.IsNull("presenter_org")) {
    body.Raw("presenter_org");
    f.presenter_org = "";
  } else {
    f.presenter_org = body.String("presenter_org", false, 64, true);
  }
  GMG_ASSIGN_OR_RETURN(f.purposes, IntArray(body, "purposes", 99));
  GMG_RETURN_IF_ERROR(body.Finish());
  return f;
}

Response AgendaListResponse(const std::vector<AgendaItem>& items, bool with_papers) {
  return http::JsonResponse(200, http::WholeListBody(items, [&](const AgendaItem& a) {
                              return AgendaItemJson(a, with_papers);
                            }));
}

Result<Response> ListAgenda(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  bool with_papers = meetings::SeesMeetingRecords(req.principal);
  GMG_ASSIGN_OR_RETURN(auto items, m.ListAgenda(id, with_papers));
  return AgendaListResponse(items, with_papers);
}

Result<Response> AddAgendaItem(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(AgendaFields f, ReadAgenda(body));
  GMG_ASSIGN_OR_RETURN(auto item, m.AddAgendaItem(req.principal, id, f));
  Response r = http::JsonResponse(201, AgendaItemJson(item, false));
  r.SetHeader("Location",
              "/api/v1/meetings/" + std::to_string(id) + "/agenda/" + std::to_string(item.id));
  return r;
}

Result<Response> UpdateAgendaItem(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t item_id, http::PathId(req, "item"));
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(AgendaFields f, ReadAgenda(body));
  GMG_ASSIGN_OR_RETURN(auto item, m.UpdateAgendaItem(req.principal, id, item_id, f));
  return http::JsonResponse(200, AgendaItemJson(item, false));
}

Result<Response> DeleteAgendaItem(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t item_id, http::PathId(req, "item"));
  GMG_RETURN_IF_ERROR(m.DeleteAgendaItem(req.principal, id, item_id));
  return http::NoContent();
}

Result<Response> ReorderAgenda(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto ids, IntArray(body, "ids", 200));
  if (!ids) return FieldError(ErrorCode::kInvalidArgument, "ids", "required", "required");
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto items, m.ReorderAgenda(req.principal, id, *ids));
  return AgendaListResponse(items, false);
}

// --- Papers -----------------------------------------------------------------------------------

Result<Response> ListPapers(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto papers, m.ListPapers(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(papers, PaperJson));
}

Result<Response> AddPaper(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  NewPaper paper;
  std::string_view type = req.Header("content-type").value_or("");
  if (type.substr(0, 16) == "application/json") {
    GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
    paper.title = body.String("title", true, 300).value_or("");
    paper.url = body.String("url", true, 2000).value_or("");
    paper.agenda_item_id = body.Int("agenda_item_id", false, 1, http::kMaxCursorPosition);
    GMG_RETURN_IF_ERROR(body.Finish());
  } else {
    // Outside a JSON body: checked as text here (UTF-8, no control characters, bounded, 422).
    GMG_ASSIGN_OR_RETURN(paper.title, http::CheckedText("title", req.Query("title"), 300, true));
    GMG_ASSIGN_OR_RETURN(paper.file_name,
                         http::CheckedText("file_name", req.Query("file_name"), 255, false));
    GMG_ASSIGN_OR_RETURN(paper.agenda_item_id, IdQueryOrEmpty(req, "agenda_item_id"));
    paper.content = std::string(req.Body());
    if (paper.content.empty()) {
      return FieldError(ErrorCode::kInvalidArgument, "body", "the file is empty", "required");
    }
  }
  GMG_ASSIGN_OR_RETURN(auto p, m.AddPaper(req.principal, id, paper));
  Response r = http::JsonResponse(201, PaperJson(p));
  r.SetHeader("Location", PaperJson(p).at("href").as_string().c_str());
  return r;
}

// RFC 6266 / 8187: an ASCII fallback and the UTF-8 name percent-encoded.
std::string ContentDisposition(const std::string& name) {
  std::string ascii, encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : name) {
    ascii.push_back(c < 0x80 && c >= 0x20 ? static_cast<char>(c) : '_');
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 15]);
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Result<Response> GetPaper(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t paper_id, http::PathId(req, "paper"));
  GMG_ASSIGN_OR_RETURN(auto file, m.GetPaperFile(req.principal, id, paper_id));
  if (!file.paper.url.empty()) {
    // A link: its record (the client follows the url itself).
    return http::JsonResponse(200, PaperJson(file.paper));
  }
  Response r;
  r.status = 200;
  r.content_type = file.paper.media_type;
  r.body = std::move(file.content);
  r.SetHeader("Content-Disposition", ContentDisposition(file.paper.file_name));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Cache-Control", "private, no-store");
  return r;
}

Result<Response> DeletePaper(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t paper_id, http::PathId(req, "paper"));
  GMG_RETURN_IF_ERROR(m.DeletePaper(req.principal, id, paper_id));
  return http::NoContent();
}

// --- Attendance -------------------------------------------------------------------------------

Response AttendanceResponse(const std::vector<Attendee>& people) {
  boost::json::array items;
  for (const auto& a : people) items.push_back(AttendeeJson(a));
  return http::JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

Result<Response> ListAttendance(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto people, m.ListAttendance(req.principal, id));
  return AttendanceResponse(people);
}

Result<Response> ReplaceAttendance(MeetingService& m, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  std::string org = body.String("organization_id", true, 64).value_or("");
  const boost::json::value* people_json = body.Raw("people");
  GMG_RETURN_IF_ERROR(body.Finish());
  if (!people_json || !people_json->is_array()) {
    return FieldError(ErrorCode::kInvalidArgument, "people", "required: a list of {person, level}",
                      "required");
  }
  std::vector<Attendee> people;
  for (const auto& p : people_json->as_array()) {
    const auto* o = p.if_object();
    const boost::json::value* person = o ? o->if_contains("person") : nullptr;
    const boost::json::value* level = o ? o->if_contains("level") : nullptr;
    if (!person || !person->is_string() || !level || !level->is_string() || o->size() != 2) {
      return FieldError(ErrorCode::kInvalidArgument, "people",
                        "each entry is {person, level}, both text", "invalid_list");
    }
    people.push_back({org, "", std::string(person->as_string()), std::string(level->as_string())});
  }
  GMG_ASSIGN_OR_RETURN(auto out, m.ReplaceAttendance(req.principal, id, org, people));
  return AttendanceResponse(out);
}

// The routes at a glance: {method, path, who, handler, summary, tag, cacheable, max body}.
constexpr RouteRow<MeetingService> kMeetingRoutes[] = {
    {"GET", "/api/v1/meeting-series", Access::kPublic, ListSeries,
     "Meeting series (principals, working level, task forces): rule, next meeting; "
     "?archived=1 includes archived ones",
     "meetings", true},
    {"POST", "/api/v1/meeting-series", Access::kStaff, CreateSeries,
     "Plan a series {name, level, time_zone, place, link, rule, first_local, duration_minutes, "
     "exceptions}; a rule (RRULE subset, COUNT or UNTIL, <= 60 meetings, <= 10 years) makes "
     "its meetings",
     "meetings"},
    {"GET", "/api/v1/meeting-series/{id}", Access::kPublic, GetSeries, "One meeting series",
     "meetings", true},
    {"PATCH", "/api/v1/meeting-series/{id}", Access::kStaff, UpdateSeries,
     "Change a series (If-Match); new exceptions cancel those occurrences, removed ones restore "
     "them",
     "meetings"},
    {"DELETE", "/api/v1/meeting-series/{id}", Access::kStaff, ArchiveSeries,
     "Archive a series (its meetings are kept)", "meetings"},
    {"GET", "/api/v1/meetings", Access::kPublic, ListMeetings,
     "Meetings by start: ?from=&to= (YYYY-MM-DD), series, status, organization (chairs, "
     "presents or attends), limit, cursor",
     "meetings", true},
    {"POST", "/api/v1/meetings", Access::kStaff, CreateMeeting,
     "Plan a meeting {title, starts_local, ends_local, time_zone, place, link, series_id, "
     "chair_org (default: the rotation's chair on that date)}",
     "meetings"},
    {"GET", "/api/v1/meetings/{id}", Access::kPublic, GetMeeting,
     "One meeting (the online link for signed-in non-stakeholders)", "meetings", true},
    {"PATCH", "/api/v1/meetings/{id}", Access::kStaff, UpdateMeeting,
     "Change a meeting (If-Match): title, times, place, link, chair, status planned -> held | "
     "cancelled | postponed (with the new starts_local/ends_local: creates the new meeting)",
     "meetings"},
    {"GET", "/api/v1/meetings/{id}/agenda", Access::kPublic, ListAgenda,
     "The agenda in order (with papers for staff and members' staff)", "meetings", true},
    {"POST", "/api/v1/meetings/{id}/agenda", Access::kStaff, AddAgendaItem,
     "Add an agenda item {title, presenter_org, purposes (ToR numbers), notes}", "meetings"},
    {"POST", "/api/v1/meetings/{id}/agenda/order", Access::kStaff, ReorderAgenda,
     "Reorder the agenda {ids: every item, in the new order}", "meetings"},
    {"PATCH", "/api/v1/meetings/{id}/agenda/{item}", Access::kStaff, UpdateAgendaItem,
     "Change an agenda item", "meetings"},
    {"DELETE", "/api/v1/meetings/{id}/agenda/{item}", Access::kStaff, DeleteAgendaItem,
     "Remove an agenda item (its papers stay with the meeting)", "meetings"},
    {"GET", "/api/v1/meetings/{id}/papers", Access::kSignedIn, ListPapers,
     "The meeting's papers: staff and members' staff", "meetings"},
    {"POST", "/api/v1/meetings/{id}/papers", Access::kSignedIn, AddPaper,
     "Add a paper: JSON {title, url, agenda_item_id} for a link, or the file as the raw body "
     "(<= 20 MiB; PDF, DOCX/XLSX/PPTX, ODT/ODS/ODP, text, PNG, JPEG by content, else 415) with "
     "?title=&file_name=&agenda_item_id=; staff or the presenter organisation's staff",
     "meetings", false, kMaxPaperBytes},
    {"GET", "/api/v1/meetings/{id}/papers/{paper}", Access::kSignedIn, GetPaper,
     "Download a paper (attachment, nosniff): staff and members' staff", "meetings"},
    {"DELETE", "/api/v1/meetings/{id}/papers/{paper}", Access::kSignedIn, DeletePaper,
     "Remove a paper: staff or the organisation that added it", "meetings"},
    {"GET", "/api/v1/meetings/{id}/attendance", Access::kSignedIn, ListAttendance,
     "Who attended or will attend, by organisation: staff and members' staff", "meetings"},
    {"PUT", "/api/v1/meetings/{id}/attendance", Access::kSignedIn, ReplaceAttendance,
     "Replace an organisation's attendance {organization_id, people: [{person, level}]}: staff "
     "or that organisation's staff",
     "meetings"},
};

}  // namespace

void AddMeetingRoutes(http::Router& router, MeetingService& service) {
  http::AddRoutes(router, service, kMeetingRoutes);
}

}  // namespace gmg
