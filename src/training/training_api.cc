#include "training/training_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <memory>

#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"
#include "training/training_json.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

struct Context {
  TrainingService& training;
  std::function<GovernanceService&()> governance;
};

Result<OrgNames> OrganizationNames(Context& ctx) {
  GMG_ASSIGN_OR_RETURN(auto orgs, ctx.governance().ListOrganizations("all", Date::Today()));
  OrgNames names;
  for (const auto& o : orgs) names.emplace(o.id, o.name);
  return names;
}

boost::json::object CourseFor(const Request& req, const TrainingCourse& c, const OrgNames& names) {
  boost::json::object o = CourseJson(c, &names);
  o["may_manage"] = TrainingService::MayManage(req.principal, c);
  return o;
}

Result<Response> CourseResponse(Context& ctx, const Request& req, int status,
                                const TrainingCourse& c) {
  GMG_ASSIGN_OR_RETURN(auto names, OrganizationNames(ctx));
  Response r = http::JsonResponse(status, CourseFor(req, c, names));
  r.SetHeader("ETag", http::VersionETag(c.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/training/courses/" + std::to_string(c.id));
  return r;
}

// A catalogue filter from the query string: unknown values are refused (400 naming the field).
Result<CourseFilter> ReadFilter(const Request& req) {
  CourseFilter f;
  f.topic = std::string(req.Query("topic").value_or(""));
  f.audience = std::string(req.Query("audience").value_or(""));
  f.language = std::string(req.Query("language").value_or(""));
  auto bad = [](const char* field, const std::string& value) {
    return FieldError(ErrorCode::kInvalidArgument, field, "is not a known value", "not_in_list",
                      {{"value", value.substr(0, 64)}});
  };
  if (!f.topic.empty() && !IsTrainingTopic(f.topic)) return bad("topic", f.topic);
  if (!f.audience.empty() && !IsTrainingAudience(f.audience)) return bad("audience", f.audience);
  if (!f.language.empty() && !IsTwoLetterLanguageCode(f.language))
    return bad("language", f.language);
  return f;
}

Result<Response> ListCourses(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto filter, ReadFilter(req));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(auto all, ctx.training.ListCourses(filter));
  GMG_ASSIGN_OR_RETURN(auto names, OrganizationNames(ctx));
  auto total = static_cast<int64_t>(all.size());
  int64_t start = std::min(page.after.value_or(0), total);
  boost::json::array items;
  for (int64_t i = start; i < total && i < start + page.limit; ++i) {
    items.push_back(CourseFor(req, all[static_cast<size_t>(i)], names));
  }
  std::optional<int64_t> next;
  if (start + page.limit < total) next = start + page.limit;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
}

Result<Response> GetCourse(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto c, ctx.training.GetCourse(id));
  return CourseResponse(ctx, req, 200, c);
}

Result<Response> CreateCourse(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto title = body.String("title", true, 300);
  auto topic = body.String("topic", true, 64);
  auto description = body.String("description", false, 20000, true);
  auto organizers = body.StringArray("organizers", true, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  NewCourse n{.title = *title,
              .topic = *topic,
              .description = description.value_or(""),
              .organizers = *organizers};
  GMG_ASSIGN_OR_RETURN(auto c, ctx.training.CreateCourse(req.principal, n));
  return CourseResponse(ctx, req, 201, c);
}

Result<Response> UpdateCourse(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  CourseChange c;
  c.title = body.String("title", false, 300);
  c.topic = body.String("topic", false, 64);
  c.description = body.String("description", false, 20000, true);
  c.organizers = body.StringArray("organizers", false, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto course, ctx.training.UpdateCourse(req.principal, id, version, c));
  return CourseResponse(ctx, req, 200, course);
}

// The session fields of a body; `required` for a new session.
void ReadSession(JsonBody& body, bool required, SessionChange& s) {
  s.starts_on = body.String("starts_on", required, 10);
  s.ends_on = body.String("ends_on", required, 10);
  s.online = body.Bool("online", false);
  s.city = body.String("city", false, 100, true);
  s.country = body.String("country", false, 3, true);
  s.audience = body.String("audience", required, 40);
  s.language = body.String("language", required, 2);
  s.capacity = body.Int("capacity", required, INT32_MIN, INT32_MAX);
  s.registration_deadline = body.String("registration_deadline", required, 10);
}

Result<Response> AddSession(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  SessionChange c;
  ReadSession(body, true, c);
  GMG_RETURN_IF_ERROR(body.Finish());
  SessionFields s{.starts_on = *c.starts_on,
                  .ends_on = *c.ends_on,
                  .online = c.online.value_or(false),
                  .city = c.city.value_or(""),
                  .country = c.country.value_or(""),
                  .audience = *c.audience,
                  .language = *c.language,
                  .capacity = *c.capacity,
                  .registration_deadline = *c.registration_deadline};
  GMG_ASSIGN_OR_RETURN(auto session, ctx.training.AddSession(req.principal, id, s));
  Response r = http::JsonResponse(201, SessionJson(session));
  r.SetHeader("Location", "/api/v1/training/courses/" + std::to_string(id));
  return r;
}

Result<Response> UpdateSession(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  SessionChange c;
  ReadSession(body, false, c);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto session, ctx.training.UpdateSession(req.principal, id, c));
  return http::JsonResponse(200, SessionJson(session));
}

Result<Response> ListRegistrations(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto all, ctx.training.ListRegistrations(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(all, RegistrationJson));
}

Result<Response> Register(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  NewParticipant who;
  if (!req.Body().empty()) {
    GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
    auto name = body.String("name", false, 200);
    auto email = body.String("email", false, 254);
    auto organization = body.String("organization", false, 200, true);
    GMG_RETURN_IF_ERROR(body.Finish());
    who = NewParticipant{.name = name.value_or(""),
                         .email = email.value_or(""),
                         .organization = organization.value_or("")};
  }
  GMG_ASSIGN_OR_RETURN(auto r, ctx.training.Register(req.principal, id, who));
  Response out = http::JsonResponse(201, RegistrationJson(r));
  out.SetHeader("Location", "/api/v1/training/registrations/" + std::to_string(r.id));
  return out;
}

Result<Response> MyRegistrations(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto all, ctx.training.MyRegistrations(req.principal));
  return http::JsonResponse(200, http::WholeListBody(all, RegistrationJson));
}

Result<Response> CancelRegistration(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto promoted, ctx.training.Cancel(req.principal, id));
  boost::json::value p = nullptr;
  if (promoted) p = *promoted;
  return http::JsonResponse(200, boost::json::object{{"cancelled", id}, {"promoted", p}});
}

Result<Response> MarkAttendance(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  const boost::json::value* raw = body.Raw("marks");
  GMG_RETURN_IF_ERROR(body.Finish());
  const auto* array = raw ? raw->if_array() : nullptr;
  auto wrong = [] {
    return FieldError(ErrorCode::kInvalidArgument, "marks",
                      "must be a list of at most 10000 {registration, attendance}", "wrong_type",
                      {{"type", "array"}});
  };
  if (array == nullptr || array->size() > 10000) return wrong();
  std::vector<AttendanceMark> marks;
  for (const auto& v : *array) {
    const auto* o = v.if_object();
    if (o == nullptr || o->size() != 2 || !o->contains("registration") ||
        !o->at("registration").is_int64() || !o->contains("attendance") ||
        !o->at("attendance").is_string()) {
      return wrong();
    }
    const auto& a = o->at("attendance").get_string();
    marks.push_back(AttendanceMark{.registration_id = o->at("registration").as_int64(),
                                   .attendance = std::string(std::string_view(a).substr(0, 20))});
  }
  GMG_RETURN_IF_ERROR(ctx.training.MarkAttendance(req.principal, id, marks));
  return http::NoContent();
}

Result<Response> Report(Context& ctx, Request& req) {
  auto format = req.Query("format").value_or("json");
  if (format != "json" && format != "csv") {
    return FieldError(ErrorCode::kInvalidArgument, "format", "must be json or csv", "not_in_list",
                      {{"value", std::string(format.substr(0, 16))}});
  }
  GMG_ASSIGN_OR_RETURN(auto report, ctx.training.Report());
  GMG_ASSIGN_OR_RETURN(auto names, OrganizationNames(ctx));
  if (format == "json") return http::JsonResponse(200, ReportJson(report, names));
  Response r;
  r.status = 200;
  r.content_type = "text/csv; charset=utf-8";
  r.body = ReportCsv(report, names);
  r.SetHeader("Content-Disposition", "attachment; filename=\"training-report.csv\"");
  return r;
}

Result<Response> Search(Context& ctx, Request& req) {
  std::string_view q = req.Query("q").value_or("");
  int64_t limit = 20;
  if (auto l = req.Query("limit")) {
    auto [end, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || end != l->data() + l->size()) limit = 0;  // refused below
  }
  GMG_ASSIGN_OR_RETURN(auto hits, ctx.training.Search(req.principal, q, limit));
  return http::JsonResponse(
      200, http::WholeListBody(hits, [](const TrainingSearchHit& h) {
        return boost::json::object{
            {"kind", "training_course"},
            {"id", h.course_id},
            {"title", h.title},
            {"snippet", h.snippet},
            {"score", h.score},
            {"href", "/api/v1/training/courses/" + std::to_string(h.course_id)}};
      }));
}

constexpr RouteRow<Context> kRoutes[] = {
    {"GET", "/api/v1/training/courses", Access::kPublic, ListCourses,
     "The training catalogue: courses with their co-organisers and sessions (filters: topic, "
     "audience, language)",
     "training", true},
    {"POST", "/api/v1/training/courses", Access::kSignedIn, CreateCourse,
     "Add a course (the secretariat, or a member's focal point for a course it co-organises)",
     "training"},
    {"GET", "/api/v1/training/courses/{id}", Access::kPublic, GetCourse,
     "One course with its sessions and seats", "training", true},
    {"PATCH", "/api/v1/training/courses/{id}", Access::kSignedIn, UpdateCourse,
     "Edit a course (title, topic, description, co-organisers); If-Match", "training"},
    {"POST", "/api/v1/training/courses/{id}/sessions", Access::kSignedIn, AddSession,
     "Add a session (dates, place, audience, language, capacity, registration deadline)",
     "training"},
    {"PATCH", "/api/v1/training/sessions/{id}", Access::kSignedIn, UpdateSession,
     "Edit a session; raising the capacity promotes the wait list, lowering it below the "
     "confirmed count is refused",
     "training"},
    {"GET", "/api/v1/training/sessions/{id}/registrations", Access::kSignedIn, ListRegistrations,
     "A session's participants (confirmed, then the wait list): its organisers and the "
     "secretariat",
     "training"},
    {"POST", "/api/v1/training/sessions/{id}/registrations", Access::kSignedIn, Register,
     "Register oneself (empty body), or a named participant (organisers); confirmed or on the "
     "wait list",
     "training"},
    {"PUT", "/api/v1/training/sessions/{id}/attendance", Access::kSignedIn, MarkAttendance,
     "Mark attendance (attended or absent) of confirmed registrations, once the session started",
     "training"},
    {"GET", "/api/v1/training/registrations/mine", Access::kSignedIn, MyRegistrations,
     "The caller's own registrations", "training"},
    {"DELETE", "/api/v1/training/registrations/{id}", Access::kSignedIn, CancelRegistration,
     "Cancel a registration (the participant or the organisers); promotes the wait list",
     "training"},
    {"GET", "/api/v1/training/report", Access::kPublic, Report,
     "Training per member organisation and per topic (format=json or csv)", "training", true},
    {"GET", "/api/v1/training/search", Access::kPublic, Search,
     "Courses matching every word of q, best first (limit 1-100)", "training", true},
};

}  // namespace

void AddTrainingRoutes(http::Router& router, TrainingService& training,
                       std::function<GovernanceService&()> governance) {
  http::AddRoutes(router, std::make_shared<Context>(Context{training, std::move(governance)}),
                  kRoutes);
}

}  // namespace gmg
