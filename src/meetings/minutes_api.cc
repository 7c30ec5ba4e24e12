#include "meetings/minutes_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

boost::json::value OptTime(const std::optional<int64_t>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatTimestamp(*t));
}

boost::json::object MinutesJson(const Minutes& m) {
  boost::json::array versions;
  for (const auto& v : m.versions) {
    versions.push_back({{"number", v.number},
                        {"user_name", v.user_name},
                        {"note", v.note},
                        {"created_at", FormatTimestamp(v.created_at)}});
  }
  boost::json::object o{{"status", m.status},
                        {"comments_until", OptTime(m.comments_until)},
                        {"approved_at", OptTime(m.approved_at)},
                        {"current_version", m.current_version},
                        {"text", m.text},
                        {"versions", std::move(versions)},
                        {"etag", http::VersionETag(m.version)}};
  o["approved_by"] = m.approved_by ? boost::json::value(*m.approved_by) : nullptr;
  return o;
}

Response MinutesResponse(int status, const Minutes& m) {
  Response r = http::JsonResponse(status, MinutesJson(m));
  r.SetHeader("ETag", http::VersionETag(m.version));
  return r;
}

boost::json::object DecisionJson(const Decision& d) {
  boost::json::object o{
      {"id", d.id}, {"text", d.text}, {"created_at", FormatTimestamp(d.created_at)}};
  o["agenda_item_id"] = d.agenda_item_id ? boost::json::value(*d.agenda_item_id) : nullptr;
  return o;
}

boost::json::object CommentJson(const MinutesComment& c) {
  boost::json::object o{{"id", c.id},
                        {"version", c.version},
                        {"user_name", c.user_name},
                        {"text", c.text},
                        {"created_at", FormatTimestamp(c.created_at)}};
  o["organization_id"] = c.organization_id.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(c.organization_id);
  return o;
}

Result<Response> GetMinutes(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(Minutes m, s.Get(req.principal, id));
  return MinutesResponse(200, m);
}

Result<Response> SaveMinutes(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto version, http::OptionalIfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  // The 200 KB rule is the service's (422); the body limit is the server's.
  auto text = body.String("text", true, 1 << 20);
  auto note = body.String("note", false, 500, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(Minutes m, s.Save(req.principal, id, version, *text, note.value_or("")));
  return MinutesResponse(m.current_version == 1 ? 201 : 200, m);
}

Result<Response> GetVersion(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t n, http::PathId(req, "n"));
  GMG_ASSIGN_OR_RETURN(MinutesVersion v, s.GetVersion(req.principal, id, n));
  return http::JsonResponse(200,
                            boost::json::object{{"number", v.number},
                                                {"text", v.text},
                                                {"user_name", v.user_name},
                                                {"note", v.note},
                                                {"created_at", FormatTimestamp(v.created_at)}});
}

Result<Response> Circulate(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto until = body.String("comments_until", true, 40);
  GMG_RETURN_IF_ERROR(body.Finish());
  Result<int64_t> instant = ParseTimestamp(*until);
  if (!instant) {
    return FieldError(ErrorCode::kInvalidArgument, "comments_until", instant.error().message,
                      "invalid_instant");
  }
  GMG_ASSIGN_OR_RETURN(Minutes m, s.Circulate(req.principal, id, version, *instant));
  return MinutesResponse(200, m);
}

Result<Response> Approve(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(Minutes m, s.Approve(req.principal, id, version));
  return MinutesResponse(200, m);
}

Result<Response> ListComments(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto comments, s.ListComments(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(comments, CommentJson));
}

Result<Response> AddComment(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto text = body.String("text", true, 20000);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(MinutesComment c, s.AddComment(req.principal, id, *text));
  return http::JsonResponse(201, CommentJson(c));
}

Result<Response> ListDecisions(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto decisions, s.ListDecisions(id));
  return http::JsonResponse(200, http::WholeListBody(decisions, DecisionJson));
}

Result<Response> AddDecision(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto text = body.String("text", true, 20000);
  auto item = body.Int("agenda_item_id", false, 1, INT64_MAX);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(Decision d, s.AddDecision(req.principal, id, item, *text));
  Response r = http::JsonResponse(201, DecisionJson(d));
  r.SetHeader("Location",
              "/api/v1/meetings/" + std::to_string(id) + "/decisions/" + std::to_string(d.id));
  return r;
}

Result<Response> UpdateDecision(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t did, http::PathId(req, "d"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto text = body.String("text", false, 20000);
  bool clear = body.IsNull("agenda_item_id");
  auto item = clear ? std::nullopt : body.Int("agenda_item_id", false, 1, INT64_MAX);
  if (clear) body.Raw("agenda_item_id");
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(Decision d, s.UpdateDecision(req.principal, id, did, item, clear, text));
  return http::JsonResponse(200, DecisionJson(d));
}

Result<Response> DeleteDecision(MinutesService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t did, http::PathId(req, "d"));
  GMG_RETURN_IF_ERROR(s.DeleteDecision(req.principal, id, did));
  return http::NoContent();
}

// Reading draft minutes is decided by the service (approved minutes are public).
constexpr RouteRow<MinutesService> kMinutesRoutes[] = {
    {"GET", "/api/v1/meetings/{id}/minutes", Access::kPublic, GetMinutes,
     "A meeting's minutes: status, current text, versions (drafts: staff and members' staff)",
     "minutes"},
    {"PUT", "/api/v1/meetings/{id}/minutes", Access::kStaff, SaveMinutes,
     "Save a new version of the minutes {text, note} (If-Match once they exist; 409 approved)",
     "minutes"},
    {"GET", "/api/v1/meetings/{id}/minutes/versions/{n}", Access::kPublic, GetVersion,
     "One version of the minutes", "minutes"},
    {"POST", "/api/v1/meetings/{id}/minutes/circulate", Access::kStaff, Circulate,
     "Circulate the minutes for comments until {comments_until} (≥ 1 hour ahead; If-Match)",
     "minutes"},
    {"POST", "/api/v1/meetings/{id}/minutes/approve", Access::kStaff, Approve,
     "Approve and lock the minutes (If-Match)", "minutes"},
    {"GET", "/api/v1/meetings/{id}/minutes/comments", Access::kSignedIn, ListComments,
     "Comments on the minutes (staff and members' staff)", "minutes"},
    {"POST", "/api/v1/meetings/{id}/minutes/comments", Access::kSignedIn, AddComment,
     "Comment on circulated minutes until comments_until {text}", "minutes"},
    {"GET", "/api/v1/meetings/{id}/decisions", Access::kPublic, ListDecisions,
     "Decisions recorded at a meeting", "minutes", true},
    {"POST", "/api/v1/meetings/{id}/decisions", Access::kStaff, AddDecision,
     "Record a decision {text, agenda_item_id} (an item of this meeting)", "minutes"},
    {"PATCH", "/api/v1/meetings/{id}/decisions/{d}", Access::kStaff, UpdateDecision,
     "Change a decision's text or agenda item", "minutes"},
    {"DELETE", "/api/v1/meetings/{id}/decisions/{d}", Access::kStaff, DeleteDecision,
     "Delete a decision no action refers to", "minutes"},
};

}  // namespace

void AddMinutesRoutes(http::Router& router, MinutesService& minutes) {
  http::AddRoutes(router, minutes, kMinutesRoutes);
}

}  // namespace gmg
