// EngagementService's support requests: recorded, routed to GMG members, answered, tracked.
#include <algorithm>
#include <set>

#include "audit/audit_log.h"
#include "engagement/engagement_json.h"
#include "engagement/engagement_rules.h"
#include "engagement/engagement_service.h"
#include "governance/organization_directory.h"

namespace gmg {

using engagement::Denied;
using engagement::InList;
using engagement::Invalid;
using engagement::IsInsider;
using engagement::LinkedStakeholder;
using engagement::LoadStakeholder;

namespace {

constexpr size_t kMaxRoutes = 30;
constexpr char kRequestColumns[] =
    "r.id, r.stakeholder_id, s.name, r.title, r.description, r.received_on, r.status, "
    "r.version, r.created_at, r.updated_at";

SupportRequest RequestFromRow(const Row& row) {
  return SupportRequest{.id = row.Int(0),
                        .stakeholder_id = row.Int(1),
                        .stakeholder_name = row.Text(2),
                        .title = row.Text(3),
                        .description = row.Text(4),
                        .received_on = row.Text(5),
                        .status = row.Text(6),
                        .version = row.Int(7),
                        .created_at = row.Int(8),
                        .updated_at = row.Int(9)};
}

Status LoadRoutes(Tx& tx, SupportRequest& r) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT organization_id, response, answer, "
                                           "answered_at FROM support_request_routes WHERE "
                                           "request_id = ? ORDER BY organization_id",
                                           {r.id}));
  for (const Row& row : rows) {
    RequestRoute route{
        .organization_id = row.Text(0), .response = row.Text(1), .answer = row.Text(2)};
    if (!row.IsNull(3)) route.answered_at = row.Int(3);
    r.routes.push_back(std::move(route));
  }
  return Ok();
}

// The request, whatever the viewer (for writers, checked by them).
Result<SupportRequest> LoadRequest(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRequestColumns +
                                                 " FROM support_requests r JOIN stakeholders s "
                                                 "ON s.id = r.stakeholder_id WHERE r.id = ?",
                                             {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no support request " + std::to_string(id));
  SupportRequest r = RequestFromRow(*row);
  GMG_RETURN_IF_ERROR(LoadRoutes(tx, r));
  return r;
}

// The request if `viewer` may see it; kNotFound otherwise (its existence does not leak).
Result<SupportRequest> LoadVisibleRequest(Tx& tx, const Principal& viewer, int64_t id) {
  GMG_ASSIGN_OR_RETURN(SupportRequest r, LoadRequest(tx, id));
  if (IsInsider(viewer)) return r;
  GMG_ASSIGN_OR_RETURN(auto linked, LinkedStakeholder(tx, viewer));
  if (!linked || *linked != r.stakeholder_id) {
    return MakeError(ErrorCode::kNotFound, "no support request " + std::to_string(id));
  }
  return r;
}

Status WriteStatus(Tx& tx, int64_t id, const std::string& status, int64_t now) {
  GMG_RETURN_IF_ERROR(
      tx.Exec("UPDATE support_requests SET status = ?, version = version + 1, "
              "updated_at = ? WHERE id = ?",
              {status, now, id}));
  return Ok();
}

Status CheckOpenForRouting(const SupportRequest& r) {
  if (r.status == "answered" || r.status == "closed") {
    return Invalid("status", "an " + r.status + " request is not routed any more",
                   "invalid_transition", {{"from", r.status}, {"to", "routed"}});
  }
  return Ok();
}

Status CheckRouteList(const std::vector<std::string>& orgs) {
  if (orgs.empty()) return Invalid("organizations", "name at least one member", "required");
  if (orgs.size() > kMaxRoutes) {
    return Invalid("organizations", "at most 30", "too_many", {{"max", "30"}});
  }
  std::set<std::string> seen;
  for (const std::string& org : orgs) {
    if (!seen.insert(org).second) {
      return Invalid("organizations", "names " + org + " twice", "duplicate_value",
                     {{"value", org}});
    }
  }
  return Ok();
}

Status CheckRoutable(Tx& tx, const SupportRequest& r, const std::string& org,
                     const std::string& today) {
  GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, org));
  if (!exists) {
    return Invalid("organizations", "no such organisation", "unknown_organization",
                   {{"value", org}});
  }
  GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, org, today));
  if (!member) {
    return Invalid("organizations", org + " is not a GMG member today", "not_a_member",
                   {{"value", org}});
  }
  bool routed = std::any_of(r.routes.begin(), r.routes.end(),
                            [&](const RequestRoute& x) { return x.organization_id == org; });
  if (routed) {
    return FieldError(ErrorCode::kConflict, "organizations", "already routed to " + org,
                      "already_exists", {{"value", org}});
  }
  return Ok();
}

// Staff answer for any routed member; a focal point of a current member for its own only.
Status CheckMayAnswer(const Principal& actor, const std::string& org) {
  if (actor.IsStaff()) return Ok();
  if (actor.role == Role::kFocalPoint && actor.IsMemberStaff() && actor.organization_id == org) {
    return Ok();
  }
  return FieldError(ErrorCode::kPermissionDenied, "organization_id",
                    "only the focal point of a routed member answers, for its own organisation",
                    "not_own_organization", {{"value", org}});
}

// The status after an answer: routed → in_progress on an acceptance; answered when none waits
// and some member took it. Declined by every member it went to, it stays routed: the
// secretariat routes it to another member or closes it.
std::string StatusAfterAnswer(const SupportRequest& r) {
  bool waiting = std::any_of(r.routes.begin(), r.routes.end(),
                             [](const RequestRoute& x) { return x.response == "pending"; });
  bool accepted = std::any_of(r.routes.begin(), r.routes.end(),
                              [](const RequestRoute& x) { return x.response == "accepted"; });
  if (!accepted) return r.status;
  return waiting ? "in_progress" : "answered";
}

}  // namespace

Result<std::vector<SupportRequest>> EngagementService::ListRequests(const Principal& viewer,
                                                                    const RequestFilter& f) {
  if (!f.status.empty() && !InList(f.status, kRequestStatuses)) {
    return Invalid("status", "must be a request status", "not_in_list", {{"value", f.status}});
  }
  std::vector<SupportRequest> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    std::string sql = std::string("SELECT ") + kRequestColumns +
                      " FROM support_requests r JOIN stakeholders s ON s.id = r.stakeholder_id "
                      "WHERE 1 = 1";
    SqlParams params;
    if (!IsInsider(viewer)) {
      GMG_ASSIGN_OR_RETURN(auto linked, LinkedStakeholder(tx, viewer));
      if (!linked) return Ok();
      sql += " AND r.stakeholder_id = ?";
      params.emplace_back(*linked);
    }
    if (!f.status.empty()) {
      sql += " AND r.status = ?";
      params.emplace_back(f.status);
    }
    if (f.stakeholder_id > 0) {
      sql += " AND r.stakeholder_id = ?";
      params.emplace_back(f.stakeholder_id);
    }
    sql += " ORDER BY r.received_on DESC, r.id DESC";
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const Row& row : rows) {
      out.push_back(RequestFromRow(row));
      GMG_RETURN_IF_ERROR(LoadRoutes(tx, out.back()));
    }
    return Ok();
  }));
  return out;
}

Result<SupportRequest> EngagementService::GetRequest(const Principal& viewer, int64_t id) {
  SupportRequest out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadVisibleRequest(tx, viewer, id));
    return Ok();
  }));
  return out;
}

Result<SupportRequest> EngagementService::CreateRequest(const Principal& actor,
                                                        const NewSupportRequest& n) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (!actor.IsStaff() && actor.role != Role::kStakeholder) {
    return Denied("support requests are recorded by the secretariat or by the state's account");
  }
  if (n.title.empty()) return Invalid("title", "must not be empty", "required");
  int64_t now = now_();
  std::string received = n.received_on.empty() ? engagement::DayOf(now) : n.received_on;
  if (!Date::Parse(received)) {
    return Invalid("received_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  }
  SupportRequest out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    int64_t stakeholder_id = n.stakeholder_id;
    if (!actor.IsStaff()) {
      GMG_ASSIGN_OR_RETURN(auto linked, LinkedStakeholder(tx, actor));
      if (!linked || (stakeholder_id != 0 && stakeholder_id != *linked)) {
        return Denied("a stakeholder account records requests for its own stakeholder only");
      }
      stakeholder_id = *linked;
    }
    if (stakeholder_id <= 0) return Invalid("stakeholder_id", "is required", "required");
    auto stakeholder = LoadStakeholder(tx, stakeholder_id);
    if (!stakeholder.ok()) {
      if (stakeholder.error().code != ErrorCode::kNotFound) return stakeholder.error();
      return Invalid("stakeholder_id", "no such stakeholder", "unknown_stakeholder",
                     {{"value", std::to_string(stakeholder_id)}});
    }
    if (stakeholder->kind != "state") {
      return Invalid("stakeholder_id", "support requests come from states", "not_a_state",
                     {{"value", stakeholder->name}});
    }
    SqlValue user = nullptr;
    if (actor.user_id > 0) user = actor.user_id;
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO support_requests (stakeholder_id, "
                              "title, description, received_on, status, "
                              "user_id, version, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, 'received', ?, 1, ?, ?) "
                              "RETURNING id",
                              {stakeholder_id, n.title, n.description, received, user, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadRequest(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "support_request", std::to_string(out.id), nullptr,
                       SupportRequestJson(out));
  }));
  return out;
}

Result<SupportRequest> EngagementService::RouteRequest(const Principal& actor, int64_t id,
                                                       const std::vector<std::string>& orgs) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator routes requests");
  GMG_RETURN_IF_ERROR(CheckRouteList(orgs));
  SupportRequest out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(SupportRequest before, LoadRequest(tx, id));
    GMG_RETURN_IF_ERROR(CheckOpenForRouting(before));
    int64_t now = now_();
    std::string today = engagement::DayOf(now);
    for (const std::string& org : orgs) GMG_RETURN_IF_ERROR(CheckRoutable(tx, before, org, today));
    for (const std::string& org : orgs) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO support_request_routes (request_id, "
                  "organization_id, response, answer, routed_at) "
                  "VALUES (?, ?, 'pending', '', ?)",
                  {id, org, now}));
    }
    // A request answered by all is not routable; one with new routes waits for them again.
    std::string status = before.status == "received" ? "routed" : before.status;
    GMG_RETURN_IF_ERROR(WriteStatus(tx, id, status, now));
    GMG_ASSIGN_OR_RETURN(out, LoadRequest(tx, id));
    return RecordAudit(tx, actor, "route", "support_request", std::to_string(id),
                       SupportRequestJson(before), SupportRequestJson(out));
  }));
  return out;
}

Result<SupportRequest> EngagementService::AnswerRequest(const Principal& actor, int64_t id,
                                                        const SupportAnswer& given) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  SupportAnswer a = given;
  if (a.organization_id.empty()) a.organization_id = actor.organization_id;
  if (a.organization_id.empty()) return Invalid("organization_id", "is required", "required");
  GMG_RETURN_IF_ERROR(CheckMayAnswer(actor, a.organization_id));
  if (a.response != "accepted" && a.response != "declined") {
    return Invalid("response", "must be accepted or declined", "not_in_list",
                   {{"value", a.response}});
  }
  if (a.answer.empty()) return Invalid("answer", "must not be empty", "required");
  SupportRequest out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(SupportRequest before, LoadVisibleRequest(tx, actor, id));
    SupportRequest next = before;
    auto route = std::find_if(next.routes.begin(), next.routes.end(), [&](const auto& x) {
      return x.organization_id == a.organization_id;
    });
    if (route == next.routes.end()) {
      return Invalid("organization_id", "the request is not routed to " + a.organization_id,
                     "not_routed", {{"value", a.organization_id}});
    }
    if (before.status != "routed" && before.status != "in_progress") {
      return Invalid("status", "a " + before.status + " request takes no more answers",
                     "invalid_transition", {{"from", before.status}, {"to", "answered"}});
    }
    if (route->response != "pending") {
      return FieldError(ErrorCode::kConflict, "organization_id",
                        a.organization_id + " has already answered", "already_answered",
                        {{"value", a.organization_id}});
    }
    int64_t now = now_();
    SqlValue user = nullptr;
    if (actor.user_id > 0) user = actor.user_id;
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE support_request_routes SET response = ?, answer = ?, "
                "answered_at = ?, answered_by = ? WHERE request_id = ? AND "
                "organization_id = ?",
                {a.response, a.answer, now, user, id, a.organization_id}));
    route->response = a.response;
    GMG_RETURN_IF_ERROR(WriteStatus(tx, id, StatusAfterAnswer(next), now));
    GMG_ASSIGN_OR_RETURN(out, LoadRequest(tx, id));
    return RecordAudit(tx, actor, "answer", "support_request", std::to_string(id),
                       SupportRequestJson(before), SupportRequestJson(out));
  }));
  return out;
}

Result<SupportRequest> EngagementService::SetRequestStatus(const Principal& actor, int64_t id,
                                                           const std::string& status) {
  if (!actor.IsStaff()) {
    return Denied("only the secretariat or an administrator changes a request's status");
  }
  if (!InList(status, kRequestStatuses)) {
    return Invalid("status", "must be a request status", "not_in_list", {{"value", status}});
  }
  SupportRequest out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(SupportRequest before, LoadRequest(tx, id));
    if (!IsAllowedTransition(before.status, status)) {
      return Invalid("status", "a request cannot go from " + before.status + " to " + status,
                     "invalid_transition", {{"from", before.status}, {"to", status}});
    }
    if (status == "routed" && before.routes.empty()) {
      return Invalid("status", "route the request to a member first", "invalid_transition",
                     {{"from", before.status}, {"to", status}});
    }
    GMG_RETURN_IF_ERROR(WriteStatus(tx, id, status, now_()));
    GMG_ASSIGN_OR_RETURN(out, LoadRequest(tx, id));
    return RecordAudit(tx, actor, "status", "support_request", std::to_string(id),
                       SupportRequestJson(before), SupportRequestJson(out));
  }));
  return out;
}

}  // namespace gmg
