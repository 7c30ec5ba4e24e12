#include "governance/governance_api.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "governance/governance_json.h"
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

constexpr int kMaxScheduleYears = 100;

Result<Date> DateQuery(const Request& req, const char* name, Date fallback) {
  auto v = req.Query(name);
  if (!v) return fallback;
  auto d = Date::Parse(*v);
  if (!d)
    return FieldError(ErrorCode::kInvalidArgument, name, "must be a real date written YYYY-MM-DD",
                      "invalid_date");
  return *d;
}

Response OrganizationResponse(int status, const Organization& org, const Principal& p) {
  Response r = http::JsonResponse(status, OrganizationJson(org, true, p.signed_in()));
  r.SetHeader("ETag", http::VersionETag(org.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/organizations/" + org.id);
  return r;
}

Response FocalPointResponse(int status, const FocalPoint& f) {
  Response r = http::JsonResponse(status, FocalPointJson(f, true));
  r.SetHeader("ETag", http::VersionETag(f.version));
  if (status == 201) {
    r.SetHeader("Location", "/api/v1/organizations/" + f.organization_id + "/focal-points/" +
                                std::to_string(f.id));
  }
  return r;
}

using OrgIndex = std::map<std::string, Organization>;

Result<OrgIndex> IndexOrganizations(GovernanceService& g) {
  GMG_ASSIGN_OR_RETURN(auto orgs, g.ListOrganizations("all", Date::Today()));
  OrgIndex index;
  for (auto& o : orgs) index.emplace(o.id, std::move(o));
  return index;
}

boost::json::value OrgRef(const OrgIndex& orgs, const std::string& id) {
  if (id.empty()) return nullptr;
  auto it = orgs.find(id);
  if (it == orgs.end()) return boost::json::object{{"id", id}, {"name", id}, {"acronym", id}};
  return boost::json::object{
      {"id", id}, {"name", it->second.name}, {"acronym", it->second.acronym}};
}

boost::json::object TermJson(const OrgIndex& orgs, const ChairTerm& t) {
  return boost::json::object{{"starts_on", t.starts_on.ToString()},
                             {"ends_on", t.ends_on.ToString()},
                             {"organization", OrgRef(orgs, t.organization_id)},
                             {"source", t.is_override ? "override" : "rotation"},
                             {"reason", t.reason}};
}

// `to` not before `from`, and at most kMaxScheduleYears after it.
Status CheckRange(Date from, Date to) {
  if (to < from) {
    return FieldError(ErrorCode::kInvalidArgument, "to", "must not be before from", "before_start",
                      {{"start", from.ToString()}});
  }
  if (to > from.AddMonths(12 * kMaxScheduleYears)) {
    return FieldError(ErrorCode::kInvalidArgument, "to", "the range may span at most 100 years",
                      "range_too_long", {{"years", std::to_string(kMaxScheduleYears)}});
  }
  return Ok();
}

FocalPointFields ReadFocalPoint(JsonBody& body, bool create) {
  FocalPointFields f;
  f.name = body.String("name", create, 200);
  f.title = body.String("title", false, 200, true);
  f.email = body.String("email", create, 254);
  f.phone = body.String("phone", false, 50, true);
  return f;
}

// Organisations.

Result<Response> GetAbout(GovernanceService& g, Request&) {
  GMG_ASSIGN_OR_RETURN(auto about, g.GetAbout());
  return http::JsonResponse(200, AboutJson(about));
}

Result<std::string> OrganizationStatus(const Request& req) {
  std::string status(req.Query("status").value_or("current"));
  if (status != "current" && status != "former" && status != "partner" && status != "all") {
    return FieldError(ErrorCode::kInvalidArgument, "status",
                      "must be current, former, partner or all", "not_in_list");
  }
  return status;
}

Result<Response> ListOrganizations(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(std::string status, OrganizationStatus(req));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(auto orgs, g.ListOrganizations(status, Date::Today()));
  // Organisations are few: page by position in the sorted list.
  auto total = static_cast<int64_t>(orgs.size());
  int64_t start = page.after.value_or(0);
  boost::json::array items;
  for (int64_t i = start; i < total && i < start + page.limit; ++i) {
    items.push_back(OrganizationJson(orgs[static_cast<size_t>(i)], false, false));
  }
  std::optional<int64_t> next;
  if (start + page.limit < total) next = start + page.limit;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
}

Result<NewOrganization> ReadNewOrganization(JsonBody& body) {
  NewOrganization o;
  auto id = body.String("id", true, 32);
  auto name = body.String("name", true, 200);
  auto acronym = body.String("acronym", true, 32);
  auto mandate = body.String("mandate", true, 4000);
  auto joined = body.DateField("joined_on", true);
  o.website = body.String("website", false, 300);
  o.iati_org_id = body.String("iati_org_id", false, 100);
  o.executive_head_title = body.String("executive_head_title", false, 200);
  GMG_RETURN_IF_ERROR(body.Finish());
  o.id = *id;
  o.name = *name;
  o.acronym = *acronym;
  o.mandate = *mandate;
  o.joined_on = *joined;
  return o;
}

Result<Response> AdmitOrganization(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(NewOrganization o, ReadNewOrganization(body));
  GMG_ASSIGN_OR_RETURN(auto org, g.AdmitOrganization(req.principal, o));
  return OrganizationResponse(201, org, req.principal);
}

Result<Response> GetOrganization(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto org,
                       g.GetOrganization(std::string(req.PathParam("id")), Date::Today()));
  return OrganizationResponse(200, org, req.principal);
}

Result<OrganizationChange> ReadOrganizationChange(JsonBody& body) {
  OrganizationChange c;
  c.name = body.String("name", false, 200);
  c.acronym = body.String("acronym", false, 32);
  c.mandate = body.String("mandate", false, 4000);
  c.website = body.String("website", false, 300, true);
  c.iati_org_id = body.String("iati_org_id", false, 100, true);
  c.executive_head_title = body.String("executive_head_title", false, 200, true);
  // null clears an optional field, as "" does.
  if (body.IsNull("website")) c.website = "";
  if (body.IsNull("iati_org_id")) c.iati_org_id = "";
  if (body.IsNull("executive_head_title")) c.executive_head_title = "";
  GMG_RETURN_IF_ERROR(body.Finish());
  return c;
}

Result<Response> UpdateOrganization(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(OrganizationChange c, ReadOrganizationChange(body));
  GMG_ASSIGN_OR_RETURN(
      auto org, g.UpdateOrganization(req.principal, std::string(req.PathParam("id")), version, c));
  return OrganizationResponse(200, org, req.principal);
}

// Memberships.

Result<Response> Readmit(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto joined = body.DateField("joined_on", true);
  auto note = body.String("note", false, 500, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  std::string id(req.PathParam("id"));
  GMG_ASSIGN_OR_RETURN(auto m, g.Readmit(req.principal, id, *joined, note.value_or("")));
  Response r = http::JsonResponse(201, MembershipJson(m));
  r.SetHeader("Location", "/api/v1/organizations/" + id);
  return r;
}

Result<Response> EndMembership(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t mid, http::PathId(req, "mid"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto left = body.DateField("left_on", true);
  auto note = body.String("note", false, 500, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto m, g.EndMembership(req.principal, std::string(req.PathParam("id")),
                                               version, mid, *left, note.value_or("")));
  return http::JsonResponse(200, MembershipJson(m));
}

// Focal points.

Result<Response> ListFocalPoints(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto fps, g.ListFocalPoints(std::string(req.PathParam("id"))));
  bool contacts = req.principal.signed_in();
  return http::JsonResponse(200, http::WholeListBody(fps, [contacts](const FocalPoint& f) {
                              return FocalPointJson(f, contacts);
                            }));
}

Result<Response> AddFocalPoint(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  FocalPointFields f = ReadFocalPoint(body, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto fp,
                       g.AddFocalPoint(req.principal, std::string(req.PathParam("id")), f));
  return FocalPointResponse(201, fp);
}

Result<Response> GetFocalPoint(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t fid, http::PathId(req, "fid"));
  GMG_ASSIGN_OR_RETURN(auto fp, g.GetFocalPoint(std::string(req.PathParam("id")), fid));
  Response r = http::JsonResponse(200, FocalPointJson(fp, req.principal.signed_in()));
  r.SetHeader("ETag", http::VersionETag(fp.version));
  return r;
}

Result<Response> UpdateFocalPoint(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t fid, http::PathId(req, "fid"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  FocalPointFields f = ReadFocalPoint(body, false);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto fp, g.UpdateFocalPoint(req.principal, std::string(req.PathParam("id")),
                                                   fid, version, f));
  return FocalPointResponse(200, fp);
}

Result<Response> ArchiveFocalPoint(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t fid, http::PathId(req, "fid"));
  GMG_RETURN_IF_ERROR(g.ArchiveFocalPoint(req.principal, std::string(req.PathParam("id")), fid));
  return http::NoContent();
}

// The chair.

Result<Response> GetChair(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(Date date, DateQuery(req, "date", Date::Today()));
  GMG_ASSIGN_OR_RETURN(auto rotation, g.LoadRotation());
  GMG_ASSIGN_OR_RETURN(auto term, rotation.ChairOn(date));
  GMG_ASSIGN_OR_RETURN(OrgIndex orgs, IndexOrganizations(g));
  boost::json::object body = TermJson(orgs, term);
  body["date"] = date.ToString();
  return http::JsonResponse(200, body);
}

Result<Response> GetChairSchedule(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(Date from, DateQuery(req, "from", Date::Today()));
  GMG_ASSIGN_OR_RETURN(Date to, DateQuery(req, "to", from.AddMonths(36)));
  GMG_RETURN_IF_ERROR(CheckRange(from, to));
  GMG_ASSIGN_OR_RETURN(auto rotation, g.LoadRotation());
  GMG_ASSIGN_OR_RETURN(OrgIndex orgs, IndexOrganizations(g));
  return http::JsonResponse(
      200, http::WholeListBody(rotation.Schedule(from, to),
                               [&](const ChairTerm& t) { return TermJson(orgs, t); }));
}

Result<Response> ListRotationPlans(GovernanceService& g, Request&) {
  GMG_ASSIGN_OR_RETURN(auto plans, g.ListRotationPlans());
  return http::JsonResponse(200, http::WholeListBody(plans, RotationPlanJson));
}

// A plan from a request body (starts_on, term_months, order); field errors all at once.
Result<RotationPlan> PlanFromBody(Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto starts = body.DateField("starts_on", true);
  auto months = body.Int("term_months", true, 1, 60);
  auto order = body.StringArray("order", true, 100);
  GMG_RETURN_IF_ERROR(body.Finish());
  RotationPlan p;
  p.starts_on = *starts;
  p.term_months = static_cast<int>(*months);
  p.order = *order;
  return p;
}

Result<Response> AddRotationPlan(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(RotationPlan p, PlanFromBody(req));
  GMG_ASSIGN_OR_RETURN(auto plan, g.AddRotationPlan(req.principal, p));
  Response r = http::JsonResponse(201, RotationPlanJson(plan));
  r.SetHeader("Location", "/api/v1/chair/rotations");
  return r;
}

// The schedule as it would be with the plan added: from `from` (default today) to `to`
// (default one whole round of the new order after its start, at least 36 months from `from`,
// at most the 100 years a schedule may span).
Result<Response> PreviewRotationPlan(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(RotationPlan p, PlanFromBody(req));
  GMG_ASSIGN_OR_RETURN(Date from, DateQuery(req, "from", Date::Today()));
  // order holds at most 100 ids and a term at most 60 months: the round fits in an int.
  int round_months = p.term_months * static_cast<int>(p.order.size());
  Date round_end = p.starts_on.AddMonths(round_months);
  Date default_to =
      std::min(std::max(from.AddMonths(36), round_end), from.AddMonths(12 * kMaxScheduleYears));
  GMG_ASSIGN_OR_RETURN(Date to, DateQuery(req, "to", default_to));
  GMG_RETURN_IF_ERROR(CheckRange(from, to));
  GMG_ASSIGN_OR_RETURN(auto terms, g.PreviewRotationPlan(req.principal, p, from, to));
  GMG_ASSIGN_OR_RETURN(OrgIndex orgs, IndexOrganizations(g));
  return http::JsonResponse(
      200, http::WholeListBody(terms, [&](const ChairTerm& t) { return TermJson(orgs, t); }));
}

Result<Response> WithdrawRotationPlan(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto plan, g.WithdrawRotationPlan(req.principal, id, Date::Today()));
  return http::JsonResponse(200, RotationPlanJson(plan));
}

Result<Response> ListOverrides(GovernanceService& g, Request&) {
  GMG_ASSIGN_OR_RETURN(auto os, g.ListOverrides());
  return http::JsonResponse(200, http::WholeListBody(os, OverrideJson));
}

Result<ChairOverride> ReadOverride(JsonBody& body) {
  ChairOverride o;
  auto starts = body.DateField("starts_on", true);
  auto ends = body.DateField("ends_on", true);
  auto org = body.String("organization_id", true, 32);
  auto reason = body.String("reason", true, 500);
  GMG_RETURN_IF_ERROR(body.Finish());
  o.starts_on = *starts;
  o.ends_on = *ends;
  o.organization_id = *org;
  o.reason = *reason;
  return o;
}

Result<Response> AddOverride(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(ChairOverride o, ReadOverride(body));
  GMG_ASSIGN_OR_RETURN(auto created, g.AddOverride(req.principal, o));
  Response r = http::JsonResponse(201, OverrideJson(created));
  r.SetHeader("Location", "/api/v1/chair/overrides/" + std::to_string(created.id));
  return r;
}

Result<Response> ArchiveOverride(GovernanceService& g, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_RETURN_IF_ERROR(g.ArchiveOverride(req.principal, id));
  return http::NoContent();
}

// The governance API at a glance: {method, path, who, handler, summary, tag, cacheable}.
constexpr RouteRow<GovernanceService> kRoutes[] = {
    {"GET", "/api/v1/about", Access::kPublic, GetAbout,
     "The GMG: summary, the 12 purposes of its Terms of Reference, issues, history", "governance",
     true},
    {"GET", "/api/v1/organizations", Access::kPublic, ListOrganizations,
     "Organisations (?status=current|former|partner|all)", "governance", true},
    {"POST", "/api/v1/organizations", Access::kStaff, AdmitOrganization,
     "Admit a new member organisation", "governance"},
    {"GET", "/api/v1/organizations/{id}", Access::kPublic, GetOrganization,
     "One organisation with its membership history and focal points", "governance"},
    {"PATCH", "/api/v1/organizations/{id}", Access::kSignedIn, UpdateOrganization,
     "Edit an organisation's profile (its focal point: mandate, website, head's title)",
     "governance"},
    {"POST", "/api/v1/organizations/{id}/memberships", Access::kStaff, Readmit,
     "Re-admit a former member", "governance"},
    {"PATCH", "/api/v1/organizations/{id}/memberships/{mid}", Access::kStaff, EndMembership,
     "Record a member leaving (once; history is kept); If-Match: the organisation's ETag",
     "governance"},
    {"GET", "/api/v1/organizations/{id}/focal-points", Access::kPublic, ListFocalPoints,
     "An organisation's current focal points (contacts for signed-in users)", "governance"},
    {"POST", "/api/v1/organizations/{id}/focal-points", Access::kSignedIn, AddFocalPoint,
     "Add a focal point", "governance"},
    {"GET", "/api/v1/organizations/{id}/focal-points/{fid}", Access::kPublic, GetFocalPoint,
     "One focal point (contacts for signed-in users)", "governance"},
    {"PATCH", "/api/v1/organizations/{id}/focal-points/{fid}", Access::kSignedIn, UpdateFocalPoint,
     "Edit a focal point", "governance"},
    {"DELETE", "/api/v1/organizations/{id}/focal-points/{fid}", Access::kSignedIn,
     ArchiveFocalPoint, "Remove a focal point from the list (kept in history)", "governance"},
    {"GET", "/api/v1/chair", Access::kPublic, GetChair,
     "Who chairs the GMG on a date (?date=YYYY-MM-DD, default today)", "chair", true},
    {"GET", "/api/v1/chair/schedule", Access::kPublic, GetChairSchedule,
     "The chair's terms between two dates (?from=&to=)", "chair", true},
    {"GET", "/api/v1/chair/rotations", Access::kPublic, ListRotationPlans,
     "Rotation plans, newest first", "chair"},
    {"POST", "/api/v1/chair/rotations", Access::kAdmin, AddRotationPlan,
     "Change the rotation from a date on (a new plan)", "chair"},
    {"POST", "/api/v1/chair/rotations/preview", Access::kAdmin, PreviewRotationPlan,
     "The chair schedule as it would be with a new plan (changes nothing)", "chair"},
    {"DELETE", "/api/v1/chair/rotations/{id}", Access::kAdmin, WithdrawRotationPlan,
     "Withdraw a plan that has not started", "chair"},
    {"GET", "/api/v1/chair/overrides", Access::kPublic, ListOverrides, "Exceptions to the rotation",
     "chair"},
    {"POST", "/api/v1/chair/overrides", Access::kAdmin, AddOverride,
     "Add an exception to the rotation", "chair"},
    {"DELETE", "/api/v1/chair/overrides/{id}", Access::kAdmin, ArchiveOverride,
     "Archive an exception", "chair"},
};

}  // namespace

void AddGovernanceRoutes(http::Router& router, GovernanceService& g) {
  http::AddRoutes(router, g, kRoutes);
}

}  // namespace gmg
