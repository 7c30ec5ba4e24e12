#include "meetings/action_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"
#include "meetings/minutes_service.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

Result<std::optional<int64_t>> IdQuery(const Request& req, const char* name) {
  auto v = req.Query(name);
  if (!v) return std::optional<int64_t>();
  int64_t id = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), id);
  if (ec != std::errc() || end != v->data() + v->size() || id <= 0) {
    return FieldError(ErrorCode::kInvalidArgument, name, "must be a positive whole number",
                      "not_integer");
  }
  return std::optional<int64_t>(id);
}

boost::json::value OptId(const std::optional<int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::object NoteJson(const ActionNote& n) {
  boost::json::object o{{"id", n.id},
                        {"user_name", n.user_name},
                        {"text", n.text},
                        {"created_at", FormatTimestamp(n.created_at)}};
  o["status"] = n.status ? boost::json::value(*n.status) : nullptr;
  return o;
}

Response ActionResponse(int status, const Action& a) {
  Response r = http::JsonResponse(status, ActionJson(a));
  r.SetHeader("ETag", http::VersionETag(a.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/actions/" + std::to_string(a.id));
  return r;
}

Result<Response> ListActions(ActionService& s, Request& req) {
  GMG_RETURN_IF_ERROR(CheckMaySeeMeetingDrafts(req.principal));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  ActionFilter f;
  if (auto org = req.Query("organization")) f.organization = std::string(*org);
  if (auto status = req.Query("status")) {
    if (!IsActionStatus(std::string(*status))) {
      return FieldError(ErrorCode::kInvalidArgument, "status",
                        "must be open, in_progress, done or dropped", "not_in_list");
    }
    f.status = std::string(*status);
  }
  auto overdue = req.Query("overdue");
  f.overdue_only = overdue && (*overdue == "1" || *overdue == "true");
  GMG_ASSIGN_OR_RETURN(f.meeting_id, IdQuery(req, "meeting"));
  GMG_ASSIGN_OR_RETURN(f.initiative_id, IdQuery(req, "initiative"));
  f.limit = page.limit;
  f.after_id = page.after;
  GMG_ASSIGN_OR_RETURN(ActionPage result, s.List(f));
  boost::json::array items;
  for (const Action& a : result.items) items.push_back(ActionJson(a));
  return http::JsonResponse(200,
                            http::ListBody(std::move(items), result.next_after_id, result.total));
}

Result<NewAction> ReadNewAction(JsonBody& body) {
  NewAction a;
  auto title = body.String("title", true, 1000);
  auto description = body.String("description", false, 20000, true);
  auto owner = body.String("owner_org", true, 64);
  auto due = body.DateField("due_date", true);
  auto status = body.String("status", false, 20);
  a.meeting_id = body.Int("meeting_id", false, 1, INT64_MAX);
  a.decision_id = body.Int("decision_id", false, 1, INT64_MAX);
  a.initiative_id = body.Int("initiative_id", false, 1, INT64_MAX);
  GMG_RETURN_IF_ERROR(body.Finish());
  a.title = *title;
  a.description = description.value_or("");
  a.owner_org = *owner;
  a.due_date = *due;
  if (status) a.status = *status;
  return a;
}

Result<Response> CreateAction(ActionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(NewAction a, ReadNewAction(body));
  GMG_ASSIGN_OR_RETURN(Action created, s.Create(req.principal, a));
  return ActionResponse(201, created);
}

Result<Response> GetAction(ActionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(Action a, s.Get(req.principal, id));
  return ActionResponse(200, a);
}

Result<Response> UpdateAction(ActionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  ActionChange c;
  c.title = body.String("title", false, 1000);
  c.description = body.String("description", false, 20000, true);
  c.owner_org = body.String("owner_org", false, 64);
  c.due_date = body.DateField("due_date", false);
  c.status = body.String("status", false, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(Action a, s.Update(req.principal, id, version, c));
  return ActionResponse(200, a);
}

Result<Response> ListNotes(ActionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto notes, s.ListNotes(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(notes, NoteJson));
}

Result<Response> AddNote(ActionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto text = body.String("text", true, 20000);
  auto status = body.String("status", false, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(ActionNote n, s.AddNote(req.principal, id, *text, status));
  return http::JsonResponse(201, NoteJson(n));
}

Result<Response> OrganizationActionsRoute(ActionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(
      OrganizationActions r,
      s.ForOrganization(req.principal, std::string(req.PathParam("id")), page.limit));
  boost::json::array items;
  for (const Action& a : r.items) items.push_back(ActionJson(a));
  boost::json::object body = http::ListBody(std::move(items), std::nullopt, r.open_total);
  body["overdue"] = r.overdue_total;
  return http::JsonResponse(200, body);
}

constexpr RouteRow<ActionService> kActionRoutes[] = {
    {"GET", "/api/v1/actions", Access::kSignedIn, ListActions,
     "Actions (?organization=&status=&overdue=1&meeting=&initiative=; staff and members' staff)",
     "actions"},
    {"POST", "/api/v1/actions", Access::kStaff, CreateAction,
     "Create an action {title, owner_org, due_date, meeting_id?, decision_id?, initiative_id?}",
     "actions"},
    {"GET", "/api/v1/actions/{id}", Access::kSignedIn, GetAction, "One action", "actions"},
    {"PATCH", "/api/v1/actions/{id}", Access::kSignedIn, UpdateAction,
     "Update an action (status: staff or the owner's staff; other fields: staff; If-Match)",
     "actions"},
    {"GET", "/api/v1/actions/{id}/notes", Access::kSignedIn, ListNotes,
     "An action's progress notes", "actions"},
    {"POST", "/api/v1/actions/{id}/notes", Access::kSignedIn, AddNote,
     "Add a progress note {text, status?} (staff or the owner's staff)", "actions"},
    {"GET", "/api/v1/organizations/{id}/actions", Access::kSignedIn, OrganizationActionsRoute,
     "An organisation's open actions, soonest due first, with the overdue count", "actions"},
};

}  // namespace

boost::json::object ActionJson(const Action& a) {
  boost::json::object o{{"id", a.id},
                        {"decision_id", OptId(a.decision_id)},
                        {"initiative_id", OptId(a.initiative_id)},
                        {"title", a.title},
                        {"description", a.description},
                        {"owner", boost::json::object{{"id", a.owner_org}, {"name", a.owner_name}}},
                        {"due_date", a.due_date},
                        {"status", a.status},
                        {"overdue", a.overdue},
                        {"notes_count", a.notes_count},
                        {"created_at", FormatTimestamp(a.created_at)},
                        {"updated_at", FormatTimestamp(a.updated_at)},
                        {"etag", http::VersionETag(a.version)}};
  if (a.meeting_id) {
    o["meeting"] = boost::json::object{{"id", *a.meeting_id}, {"title", a.meeting_title}};
  } else {
    o["meeting"] = nullptr;
  }
  return o;
}

void AddActionRoutes(http::Router& router, ActionService& actions) {
  http::AddRoutes(router, actions, kActionRoutes);
}

}  // namespace gmg
