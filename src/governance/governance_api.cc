#include "governance/governance_api.h"

#include <boost/json.hpp>

#include <charconv>
#include <map>

#include "governance/governance_json.h"
#include "http/json_body.h"
#include "http/paging.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;

constexpr int kMaxScheduleYears = 100;

Result<int64_t> NumericParam(const Request& req, std::string_view name) {
  std::string_view s = req.PathParam(name);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
    return MakeError(ErrorCode::kNotFound, "no such resource: " + req.path);
  }
  return id;
}

Result<Date> DateQuery(const Request& req, const char* name, Date fallback) {
  auto v = req.Query(name);
  if (!v) return fallback;
  auto d = Date::Parse(*v);
  if (!d) return FieldError(ErrorCode::kInvalidArgument, name, "must be a real date written YYYY-MM-DD");
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
  return boost::json::object{{"id", id}, {"name", it->second.name}, {"acronym", it->second.acronym}};
}

boost::json::object TermJson(const OrgIndex& orgs, const ChairTerm& t) {
  return boost::json::object{{"starts_on", t.starts_on.ToString()},
                             {"ends_on", t.ends_on.ToString()},
                             {"organization", OrgRef(orgs, t.organization_id)},
                             {"source", t.is_override ? "override" : "rotation"},
                             {"reason", t.reason}};
}

FocalPointFields ReadFocalPoint(JsonBody& body, bool create) {
  FocalPointFields f;
  f.name = body.String("name", create, 200);
  f.title = body.String("title", false, 200, true);
  f.email = body.String("email", create, 254);
  f.phone = body.String("phone", false, 50, true);
  return f;
}

}  // namespace

void AddGovernanceRoutes(http::Router& router, GovernanceService& g) {
  router.Add({"GET", "/api/v1/about", Access::kPublic,
              [&g](Request&) -> Response {
                auto about = g.GetAbout();
                if (!about) return http::ErrorResponse(about);
                return http::JsonResponse(200, AboutJson(*about));
              },
              "The GMG: summary, the 12 purposes of its Terms of Reference, issues, history",
              "governance", /*cacheable=*/true});

  router.Add({"GET", "/api/v1/organizations", Access::kPublic,
              [&g](Request& req) -> Response {
                std::string status(req.Query("status").value_or("current"));
                if (status != "current" && status != "former" && status != "partner" && status != "all") {
                  return http::ErrorResponse(FieldError(ErrorCode::kInvalidArgument, "status",
                                                        "must be current, former, partner or all"));
                }
                auto page = http::ParsePage(req);
                if (!page) return http::ErrorResponse(page);
                auto orgs = g.ListOrganizations(status, Date::Today());
                if (!orgs) return http::ErrorResponse(orgs);
                // Organisations are few: page by position in the sorted list.
                auto total = static_cast<int64_t>(orgs->size());
                int64_t start = page->after.value_or(0);
                boost::json::array items;
                for (int64_t i = start; i < total && i < start + page->limit; ++i) {
                  items.push_back(OrganizationJson((*orgs)[static_cast<size_t>(i)], false, false));
                }
                std::optional<int64_t> next;
                if (start + page->limit < total) next = start + page->limit;
                return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
              },
              "Organisations (?status=current|former|partner|all)", "governance", true});

  router.Add({"POST", "/api/v1/organizations", Access::kStaff,
              [&g](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                NewOrganization o;
                auto id = body->String("id", true, 32);
                auto name = body->String("name", true, 200);
                auto acronym = body->String("acronym", true, 32);
                auto mandate = body->String("mandate", true, 4000);
                auto joined = body->DateField("joined_on", true);
                o.website = body->String("website", false, 300);
                o.iati_org_id = body->String("iati_org_id", false, 100);
                o.executive_head_title = body->String("executive_head_title", false, 200);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                o.id = *id;
                o.name = *name;
                o.acronym = *acronym;
                o.mandate = *mandate;
                o.joined_on = *joined;
                auto org = g.AdmitOrganization(req.principal, o);
                if (!org) return http::ErrorResponse(org);
                return OrganizationResponse(201, *org, req.principal);
              },
              "Admit a new member organisation", "governance"});

  router.Add({"GET", "/api/v1/organizations/{id}", Access::kPublic,
              [&g](Request& req) -> Response {
                auto org = g.GetOrganization(std::string(req.PathParam("id")), Date::Today());
                if (!org) return http::ErrorResponse(org);
                return OrganizationResponse(200, *org, req.principal);
              },
              "One organisation with its membership history and focal points", "governance"});

  router.Add({"PATCH", "/api/v1/organizations/{id}", Access::kSignedIn,
              [&g](Request& req) -> Response {
                auto version = http::IfMatchVersion(req);
                if (!version) return http::ErrorResponse(version);
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                OrganizationChange c;
                c.name = body->String("name", false, 200);
                c.acronym = body->String("acronym", false, 32);
                c.mandate = body->String("mandate", false, 4000);
                c.website = body->String("website", false, 300, true);
                c.iati_org_id = body->String("iati_org_id", false, 100, true);
                c.executive_head_title = body->String("executive_head_title", false, 200, true);
                // null clears an optional field, as "" does.
                if (body->IsNull("website")) c.website = "";
                if (body->IsNull("iati_org_id")) c.iati_org_id = "";
                if (body->IsNull("executive_head_title")) c.executive_head_title = "";
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                auto org = g.UpdateOrganization(req.principal, std::string(req.PathParam("id")),
                                                *version, c);
                if (!org) return http::ErrorResponse(org);
                return OrganizationResponse(200, *org, req.principal);
              },
              "Edit an organisation's profile (its focal point: mandate, website, head's title)",
              "governance"});

  router.Add({"POST", "/api/v1/organizations/{id}/memberships", Access::kStaff,
              [&g](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                auto joined = body->DateField("joined_on", true);
                auto note = body->String("note", false, 500, true);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                std::string id(req.PathParam("id"));
                auto m = g.Readmit(req.principal, id, *joined, note.value_or(""));
                if (!m) return http::ErrorResponse(m);
                Response r = http::JsonResponse(201, MembershipJson(*m));
                r.SetHeader("Location", "/api/v1/organizations/" + id);
                return r;
              },
              "Re-admit a former member", "governance"});

  router.Add({"PATCH", "/api/v1/organizations/{id}/memberships/{mid}", Access::kStaff,
              [&g](Request& req) -> Response {
                auto mid = NumericParam(req, "mid");
                if (!mid) return http::ErrorResponse(mid);
                auto version = http::IfMatchVersion(req);
                if (!version) return http::ErrorResponse(version);
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                auto left = body->DateField("left_on", true);
                auto note = body->String("note", false, 500, true);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                auto m = g.EndMembership(req.principal, std::string(req.PathParam("id")), *version, *mid,
                                         *left, note.value_or(""));
                if (!m) return http::ErrorResponse(m);
                return http::JsonResponse(200, MembershipJson(*m));
              },
              "Record a member leaving (once; history is kept); If-Match: the organisation's ETag",
              "governance"});

  router.Add({"GET", "/api/v1/organizations/{id}/focal-points", Access::kPublic,
              [&g](Request& req) -> Response {
                auto fps = g.ListFocalPoints(std::string(req.PathParam("id")));
                if (!fps) return http::ErrorResponse(fps);
                bool contacts = req.principal.signed_in();
                return http::JsonResponse(200, http::WholeListBody(*fps, [contacts](const FocalPoint& f) {
                  return FocalPointJson(f, contacts);
                }));
              },
              "An organisation's current focal points (contacts for signed-in users)", "governance"});

  router.Add({"POST", "/api/v1/organizations/{id}/focal-points", Access::kSignedIn,
              [&g](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                FocalPointFields f = ReadFocalPoint(*body, true);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                auto fp = g.AddFocalPoint(req.principal, std::string(req.PathParam("id")), f);
                if (!fp) return http::ErrorResponse(fp);
                return FocalPointResponse(201, *fp);
              },
              "Add a focal point", "governance"});

  router.Add({"GET", "/api/v1/organizations/{id}/focal-points/{fid}", Access::kPublic,
              [&g](Request& req) -> Response {
                auto fid = NumericParam(req, "fid");
                if (!fid) return http::ErrorResponse(fid);
                auto fp = g.GetFocalPoint(std::string(req.PathParam("id")), *fid);
                if (!fp) return http::ErrorResponse(fp);
                Response r = http::JsonResponse(200, FocalPointJson(*fp, req.principal.signed_in()));
                r.SetHeader("ETag", http::VersionETag(fp->version));
                return r;
              },
              "One focal point (contacts for signed-in users)", "governance"});

  router.Add({"PATCH", "/api/v1/organizations/{id}/focal-points/{fid}", Access::kSignedIn,
              [&g](Request& req) -> Response {
                auto fid = NumericParam(req, "fid");
                if (!fid) return http::ErrorResponse(fid);
                auto version = http::IfMatchVersion(req);
                if (!version) return http::ErrorResponse(version);
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                FocalPointFields f = ReadFocalPoint(*body, false);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                auto fp = g.UpdateFocalPoint(req.principal, std::string(req.PathParam("id")), *fid,
                                             *version, f);
                if (!fp) return http::ErrorResponse(fp);
                return FocalPointResponse(200, *fp);
              },
              "Edit a focal point", "governance"});

  router.Add({"DELETE", "/api/v1/organizations/{id}/focal-points/{fid}", Access::kSignedIn,
              [&g](Request& req) -> Response {
                auto fid = NumericParam(req, "fid");
                if (!fid) return http::ErrorResponse(fid);
                if (auto s = g.ArchiveFocalPoint(req.principal, std::string(req.PathParam("id")), *fid); !s) {
                  return http::ErrorResponse(s.error());
                }
                return http::NoContent();
              },
              "Remove a focal point from the list (kept in history)", "governance"});

  router.Add({"GET", "/api/v1/chair", Access::kPublic,
              [&g](Request& req) -> Response {
                auto date = DateQuery(req, "date", Date::Today());
                if (!date) return http::ErrorResponse(date);
                auto rotation = g.LoadRotation();
                if (!rotation) return http::ErrorResponse(rotation);
                auto term = rotation->ChairOn(*date);
                if (!term) return http::ErrorResponse(term);
                auto orgs = IndexOrganizations(g);
                if (!orgs) return http::ErrorResponse(orgs);
                boost::json::object body = TermJson(*orgs, *term);
                body["date"] = date->ToString();
                return http::JsonResponse(200, body);
              },
              "Who chairs the GMG on a date (?date=YYYY-MM-DD, default today)", "chair", true});

  router.Add({"GET", "/api/v1/chair/schedule", Access::kPublic,
              [&g](Request& req) -> Response {
                Date today = Date::Today();
                auto from = DateQuery(req, "from", today);
                if (!from) return http::ErrorResponse(from);
                auto to = DateQuery(req, "to", from->AddMonths(36));
                if (!to) return http::ErrorResponse(to);
                if (*to < *from) {
                  return http::ErrorResponse(FieldError(ErrorCode::kInvalidArgument, "to", "must not be before from"));
                }
                if (*to > from->AddMonths(12 * kMaxScheduleYears)) {
                  return http::ErrorResponse(FieldError(ErrorCode::kInvalidArgument, "to",
                                                        "the range may span at most 100 years"));
                }
                auto rotation = g.LoadRotation();
                if (!rotation) return http::ErrorResponse(rotation);
                auto orgs = IndexOrganizations(g);
                if (!orgs) return http::ErrorResponse(orgs);
                return http::JsonResponse(200, http::WholeListBody(rotation->Schedule(*from, *to), [&](const ChairTerm& t) {
                  return TermJson(*orgs, t);
                }));
              },
              "The chair's terms between two dates (?from=&to=)", "chair", true});

  router.Add({"GET", "/api/v1/chair/rotations", Access::kPublic,
              [&g](Request&) -> Response {
                auto plans = g.ListRotationPlans();
                if (!plans) return http::ErrorResponse(plans);
                return http::JsonResponse(200, http::WholeListBody(*plans, RotationPlanJson));
              },
              "Rotation plans, newest first", "chair"});

  router.Add({"POST", "/api/v1/chair/rotations", Access::kAdmin,
              [&g](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                RotationPlan p;
                auto starts = body->DateField("starts_on", true);
                auto months = body->Int("term_months", true, 1, 60);
                auto order = body->StringArray("order", true, 100);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                p.starts_on = *starts;
                p.term_months = static_cast<int>(*months);
                p.order = *order;
                auto plan = g.AddRotationPlan(req.principal, p);
                if (!plan) return http::ErrorResponse(plan);
                Response r = http::JsonResponse(201, RotationPlanJson(*plan));
                r.SetHeader("Location", "/api/v1/chair/rotations");
                return r;
              },
              "Change the rotation from a date on (a new plan)", "chair"});

  router.Add({"GET", "/api/v1/chair/overrides", Access::kPublic,
              [&g](Request&) -> Response {
                auto os = g.ListOverrides();
                if (!os) return http::ErrorResponse(os);
                return http::JsonResponse(200, http::WholeListBody(*os, OverrideJson));
              },
              "Exceptions to the rotation", "chair"});

  router.Add({"POST", "/api/v1/chair/overrides", Access::kAdmin,
              [&g](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body);
                ChairOverride o;
                auto starts = body->DateField("starts_on", true);
                auto ends = body->DateField("ends_on", true);
                auto org = body->String("organization_id", true, 32);
                auto reason = body->String("reason", true, 500);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                o.starts_on = *starts;
                o.ends_on = *ends;
                o.organization_id = *org;
                o.reason = *reason;
                auto created = g.AddOverride(req.principal, o);
                if (!created) return http::ErrorResponse(created);
                Response r = http::JsonResponse(201, OverrideJson(*created));
                r.SetHeader("Location", "/api/v1/chair/overrides/" + std::to_string(created->id));
                return r;
              },
              "Add an exception to the rotation", "chair"});

  router.Add({"DELETE", "/api/v1/chair/overrides/{id}", Access::kAdmin,
              [&g](Request& req) -> Response {
                auto id = NumericParam(req, "id");
                if (!id) return http::ErrorResponse(id);
                if (auto s = g.ArchiveOverride(req.principal, *id); !s) return http::ErrorResponse(s.error());
                return http::NoContent();
              },
              "Archive an exception", "chair"});
}

}  // namespace gmg
