#include "positions/position_api.h"

#include <boost/json.hpp>
#include <charconv>

#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"

namespace gmg {
namespace {

namespace json = boost::json;
using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;
using Members = PositionService::Members;

json::value Instant(const std::optional<int64_t>& t) {
  if (!t) return nullptr;
  return json::value(FormatTimestamp(*t));
}

json::value OrgRef(const Members& m, const std::string& id) {
  auto it = m.names.find(id);
  return json::object{{"id", id}, {"name", it == m.names.end() ? id : it->second}};
}

json::array Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

// A round with its matrix: one row per organisation of the electorate (those that left the
// GMG since the opening marked "left": they no longer count).
json::object RoundJson(const Round& r, const Members& m, bool insider,
                       const std::vector<std::string>& mine) {
  json::array matrix;
  for (const std::string& org : r.electorate) {
    json::object row{{"organization", OrgRef(m, org)},
                     {"left", !m.current.contains(org)},
                     {"stand", nullptr},
                     {"reason", ""},
                     {"user_name", ""},
                     {"as_delegate", false},
                     {"created_at", nullptr}};
    for (const StandRecord& s : r.stands) {
      if (s.organization_id != org) continue;
      row["stand"] = s.stand;
      row["reason"] = s.reason;
      row["user_name"] = insider ? s.user_name : "";
      row["as_delegate"] = s.as_delegate;
      row["created_at"] = FormatTimestamp(s.created_at);
    }
    matrix.push_back(std::move(row));
  }
  json::value tally = nullptr;
  if (r.tally) {
    tally = json::object{{"endorse", r.tally->endorse},
                         {"object", r.tally->object},
                         {"abstain", r.tally->abstain},
                         {"silent", r.tally->silent}};
  }
  return json::object{{"id", r.id},
                      {"position_id", r.position_id},
                      {"version_number", r.version_number},
                      {"rule", r.rule},
                      {"deadline", FormatTimestamp(r.deadline)},
                      {"opened_at", FormatTimestamp(r.opened_at)},
                      {"status", r.status},
                      {"outcome", r.outcome ? json::value(*r.outcome) : nullptr},
                      {"tally", tally},
                      {"closed_at", Instant(r.closed_at)},
                      {"closed_by", r.closed_by ? json::value(*r.closed_by) : nullptr},
                      {"matrix", std::move(matrix)},
                      {"my_organizations", Strings(mine)}};
}

Result<json::object> FullRoundJson(PositionService& s, const Principal& p, const Round& r,
                                   const Members& m) {
  GMG_ASSIGN_OR_RETURN(auto mine, s.StandableFor(p, r));
  return RoundJson(r, m, PositionService::IsInsider(p), mine);
}

json::object PositionJson(const Position& p, const Members& m, json::value open_round) {
  return json::object{{"id", p.id},
                      {"title", p.title},
                      {"themes", Strings(p.themes)},
                      {"lead", OrgRef(m, p.lead_org)},
                      {"status", p.status},
                      {"current_version", p.current_version},
                      {"consultation_until", Instant(p.consultation_until)},
                      {"adopted_at", Instant(p.adopted_at)},
                      {"withdrawn_at", Instant(p.withdrawn_at)},
                      {"withdrawn_reason", p.withdrawn_reason},
                      {"text", p.text},
                      {"open_round", std::move(open_round)},
                      {"created_at", FormatTimestamp(p.created_at)},
                      {"updated_at", FormatTimestamp(p.updated_at)},
                      {"etag", http::VersionETag(p.version)}};
}

json::object VersionJson(const PositionVersion& v) {
  return json::object{{"number", v.number}, {"title", v.title},
                      {"text", v.text},     {"user_name", v.user_name},
                      {"note", v.note},     {"created_at", FormatTimestamp(v.created_at)}};
}

json::object CommentJson(const PositionComment& c) {
  return json::object{{"id", c.id},
                      {"version", c.version},
                      {"user_name", c.user_name},
                      {"organization_id", c.organization_id},
                      {"text", c.text},
                      {"created_at", FormatTimestamp(c.created_at)}};
}

json::object DelegationJson(const Delegation& d) {
  return json::object{
      {"id", d.id},
      {"organization_id", d.organization_id},
      {"delegate", json::object{{"id", d.delegate_user_id}, {"name", d.delegate_name}}},
      {"granted_by", d.granted_by},
      {"round_id", d.round_id ? json::value(*d.round_id) : nullptr},
      {"created_at", FormatTimestamp(d.created_at)},
      {"revoked_at", Instant(d.revoked_at)}};
}

// The position with its open round (if any) and the current text.
Result<Response> PositionResponse(PositionService& s, const Principal& viewer, int status,
                                  int64_t id) {
  GMG_ASSIGN_OR_RETURN(Position p, s.Get(viewer, id));
  GMG_ASSIGN_OR_RETURN(Members m, s.LoadMembers());
  json::value open = nullptr;
  if (p.status == "endorsement") {
    GMG_ASSIGN_OR_RETURN(auto rounds, s.ListRounds(viewer, id));
    for (const Round& r : rounds) {
      if (r.status == "open") {
        GMG_ASSIGN_OR_RETURN(open, FullRoundJson(s, viewer, r, m));
      }
    }
  }
  Response r = http::JsonResponse(status, PositionJson(p, m, std::move(open)));
  r.SetHeader("ETag", http::VersionETag(p.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/positions/" + std::to_string(p.id));
  return r;
}

Result<int64_t> ReadDeadline(JsonBody& body) {
  auto text = body.String("deadline", true, 64);
  GMG_RETURN_IF_ERROR(body.Finish());
  auto t = ParseTimestamp(*text);
  if (!t) {
    return FieldError(ErrorCode::kInvalidArgument, "deadline", t.error().message,
                      "invalid_instant");
  }
  return *t;
}

// --- Handlers -------------------------------------------------------------------------------

Result<Response> ListPositions(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  PositionFilter f;
  f.status = std::string(req.Query("status").value_or(""));
  static const char* const kStatuses[] = {"draft",   "consultation", "endorsement",
                                          "adopted", "not_adopted",  "withdrawn"};
  if (!f.status.empty() &&
      std::find(std::begin(kStatuses), std::end(kStatuses), f.status) == std::end(kStatuses)) {
    return FieldError(ErrorCode::kInvalidArgument, "status",
                      "must be draft, consultation, endorsement, adopted, not_adopted or "
                      "withdrawn",
                      "not_in_list");
  }
  f.limit = page.limit;
  f.before_id = page.after;
  GMG_ASSIGN_OR_RETURN(auto result, s.List(req.principal, f));
  GMG_ASSIGN_OR_RETURN(Members m, s.LoadMembers());
  json::array items;
  for (const Position& p : result.items) items.push_back(PositionJson(p, m, nullptr));
  std::optional<int64_t> next;
  if (result.more) next = result.items.back().id;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, result.total));
}

Result<Response> CreatePosition(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  NewPosition in;
  auto title = body.String("title", true, 300);
  auto text = body.String("text", true, kMaxPositionTextBytes + 1);
  auto themes = body.StringArray("themes", false, 20);
  auto lead = body.String("lead_org", false, 32);
  auto note = body.String("note", false, 1000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  in.title = *title;
  in.text = *text;
  if (themes) in.themes = *themes;
  if (lead) in.lead_org = *lead;
  if (note) in.note = *note;
  GMG_ASSIGN_OR_RETURN(Position p, s.Create(req.principal, in));
  return PositionResponse(s, req.principal, 201, p.id);
}

Result<Response> GetPosition(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  return PositionResponse(s, req.principal, 200, id);
}

Result<Response> UpdatePosition(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  PositionChange c;
  c.title = body.String("title", false, 300);
  c.themes = body.StringArray("themes", false, 20);
  c.status = body.String("status", false, 32);
  auto until = body.String("consultation_until", false, 64);
  GMG_RETURN_IF_ERROR(body.Finish());
  if (until) {
    auto t = ParseTimestamp(*until);
    if (!t) {
      return FieldError(ErrorCode::kInvalidArgument, "consultation_until", t.error().message,
                        "invalid_instant");
    }
    c.consultation_until = *t;
  }
  GMG_RETURN_IF_ERROR(s.Update(req.principal, id, version, c));
  return PositionResponse(s, req.principal, 200, id);
}

Result<Response> WithdrawPosition(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto reason = body.String("reason", true, 4000);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_RETURN_IF_ERROR(s.Withdraw(req.principal, id, *reason));
  return PositionResponse(s, req.principal, 200, id);
}

Result<Response> ListVersions(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto versions, s.ListVersions(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(versions, VersionJson));
}

Result<Response> GetVersion(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t n, http::PathId(req, "n"));
  GMG_ASSIGN_OR_RETURN(auto v, s.GetVersion(req.principal, id, n));
  return http::JsonResponse(200, VersionJson(v));
}

Result<Response> AddVersion(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto title = body.String("title", true, 300);
  auto text = body.String("text", true, kMaxPositionTextBytes + 1);
  auto note = body.String("note", false, 1000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto v, s.AddVersion(req.principal, id, *title, *text, note.value_or("")));
  return http::JsonResponse(201, VersionJson(v));
}

Result<Response> ListComments(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto comments, s.ListComments(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(comments, CommentJson));
}

Result<Response> AddComment(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto text = body.String("text", true, 10000);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto c, s.AddComment(req.principal, id, *text));
  return http::JsonResponse(201, CommentJson(c));
}

Result<Response> ListRounds(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto rounds, s.ListRounds(req.principal, id));
  GMG_ASSIGN_OR_RETURN(Members m, s.LoadMembers());
  json::array items;
  for (const Round& r : rounds) {
    GMG_ASSIGN_OR_RETURN(auto j, FullRoundJson(s, req.principal, r, m));
    items.push_back(std::move(j));
  }
  auto total = static_cast<int64_t>(items.size());
  return http::JsonResponse(200, http::ListBody(std::move(items), std::nullopt, total));
}

Result<Response> RoundResponse(PositionService& s, const Principal& p, int status, const Round& r) {
  GMG_ASSIGN_OR_RETURN(Members m, s.LoadMembers());
  GMG_ASSIGN_OR_RETURN(auto j, FullRoundJson(s, p, r, m));
  Response resp = http::JsonResponse(status, j);
  if (status == 201) {
    resp.SetHeader("Location", "/api/v1/positions/" + std::to_string(r.position_id) + "/rounds/" +
                                   std::to_string(r.id));
  }
  return resp;
}

Result<Response> GetRound(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t r, http::PathId(req, "r"));
  GMG_ASSIGN_OR_RETURN(auto round, s.GetRound(req.principal, id, r));
  return RoundResponse(s, req.principal, 200, round);
}

Result<Response> OpenRound(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto rule = body.String("rule", true, 32);
  GMG_ASSIGN_OR_RETURN(int64_t deadline, ReadDeadline(body));
  GMG_ASSIGN_OR_RETURN(auto round, s.OpenRound(req.principal, id, *rule, deadline));
  return RoundResponse(s, req.principal, 201, round);
}

Result<Response> CancelRound(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t r, http::PathId(req, "r"));
  GMG_ASSIGN_OR_RETURN(auto round, s.CancelRound(req.principal, id, r));
  return RoundResponse(s, req.principal, 200, round);
}

Result<Response> TakeStand(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t r, http::PathId(req, "r"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto stand = body.String("stand", true, 32);
  auto reason = body.String("reason", false, 4000, true);
  auto org = body.String("organization_id", false, 32);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(
      auto round, s.TakeStand(req.principal, id, r, org.value_or(""), *stand, reason.value_or("")));
  return RoundResponse(s, req.principal, 201, round);
}

Result<Response> ListDelegations(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto list,
                       s.ListDelegations(req.principal, std::string(req.PathParam("id"))));
  return http::JsonResponse(200, http::WholeListBody(list, DelegationJson));
}

Result<Response> Delegate(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto user = body.Int("delegate_user_id", true, 1, http::kMaxCursorPosition);
  auto round = body.Int("round_id", false, 1, http::kMaxCursorPosition);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto d,
                       s.Delegate(req.principal, std::string(req.PathParam("id")), *user, round));
  return http::JsonResponse(201, DelegationJson(d));
}

Result<Response> RevokeDelegation(PositionService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t d, http::PathId(req, "d"));
  GMG_ASSIGN_OR_RETURN(auto out,
                       s.RevokeDelegation(req.principal, std::string(req.PathParam("id")), d));
  return http::JsonResponse(200, DelegationJson(out));
}

// The positions API at a glance: {method, path, who, handler, summary, tag}.
constexpr RouteRow<PositionService> kRoutes[] = {
    {"GET", "/api/v1/positions", Access::kPublic, ListPositions,
     "Common positions (?status=); adopted and withdrawn ones for everyone, the rest for "
     "staff, focal points and members",
     "positions"},
    {"POST", "/api/v1/positions", Access::kSignedIn, CreatePosition,
     "Draft a position (lead: the caller's organisation; staff name lead_org)", "positions"},
    {"GET", "/api/v1/positions/{id}", Access::kPublic, GetPosition,
     "One position with its current text and open round (closes a due round first)", "positions"},
    {"PATCH", "/api/v1/positions/{id}", Access::kSignedIn, UpdatePosition,
     "Edit title/themes, or start the consultation (status, consultation_until); If-Match",
     "positions"},
    {"POST", "/api/v1/positions/{id}/withdraw", Access::kSignedIn, WithdrawPosition,
     "Withdraw a position with a reason (its record is kept)", "positions"},
    {"GET", "/api/v1/positions/{id}/versions", Access::kPublic, ListVersions,
     "Every version of the position, oldest first", "positions"},
    {"POST", "/api/v1/positions/{id}/versions", Access::kSignedIn, AddVersion,
     "A new version (title, text ≤ 200 KB, note), in draft or consultation", "positions"},
    {"GET", "/api/v1/positions/{id}/versions/{n}", Access::kPublic, GetVersion,
     "One version of the position", "positions"},
    {"GET", "/api/v1/positions/{id}/comments", Access::kSignedIn, ListComments,
     "Comments on the position (staff, focal points and members)", "positions"},
    {"POST", "/api/v1/positions/{id}/comments", Access::kSignedIn, AddComment,
     "Comment while the position is in consultation", "positions"},
    {"GET", "/api/v1/positions/{id}/rounds", Access::kPublic, ListRounds,
     "Endorsement rounds, newest first, each with its matrix of stands", "positions"},
    {"POST", "/api/v1/positions/{id}/rounds", Access::kSignedIn, OpenRound,
     "Open an endorsement round {rule: consensus|silence, deadline ≥ 1 h ahead}", "positions"},
    {"GET", "/api/v1/positions/{id}/rounds/{r}", Access::kPublic, GetRound,
     "One round with its matrix and the organisations the caller may stand for", "positions"},
    {"POST", "/api/v1/positions/{id}/rounds/{r}/cancel", Access::kStaff, CancelRound,
     "Cancel an open round", "positions"},
    {"POST", "/api/v1/positions/{id}/rounds/{r}/stands", Access::kSignedIn, TakeStand,
     "Endorse, object (reason required) or abstain for an organisation, once, before the "
     "deadline",
     "positions"},
    {"GET", "/api/v1/organizations/{id}/delegations", Access::kSignedIn, ListDelegations,
     "The organisation's delegations of its stands", "positions"},
    {"POST", "/api/v1/organizations/{id}/delegations", Access::kSignedIn, Delegate,
     "Delegate the organisation's stands to one of its member users (one round or all)",
     "positions"},
    {"DELETE", "/api/v1/organizations/{id}/delegations/{d}", Access::kSignedIn, RevokeDelegation,
     "Revoke a delegation", "positions"},
};

}  // namespace

void AddPositionRoutes(http::Router& router, PositionService& positions) {
  http::AddRoutes(router, positions, kRoutes);
}

}  // namespace gmg
