#include "initiatives/initiative_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <memory>

#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"
#include "initiatives/initiative_json.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

constexpr size_t kMaxLinks = 200;

struct Context {
  InitiativeService& initiatives;
  std::function<GovernanceService&()> governance;
};

std::string Ref(const Request& req) { return std::string(req.PathParam("id")); }

Result<std::map<std::string, std::string>> OrganizationNames(Context& ctx) {
  GMG_ASSIGN_OR_RETURN(auto orgs, ctx.governance().ListOrganizations("all", Date::Today()));
  std::map<std::string, std::string> names;
  for (const auto& o : orgs) names.emplace(o.id, o.name);
  return names;
}

// The initiative with its links named for the caller (what it may not see is left out).
Result<Response> InitiativeResponse(Context& ctx, const Request& req, int status,
                                    const Initiative& i) {
  GMG_ASSIGN_OR_RETURN(LinkNames names, ctx.initiatives.DescribeLinks(req.principal, {i}));
  Response r = http::JsonResponse(status, InitiativeJson(i, &names));
  r.SetHeader("ETag", http::VersionETag(i.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/initiatives/" + std::to_string(i.id));
  return r;
}

// A page of a whole list held in memory (initiatives and an initiative's contributions are few).
template <typename T, typename ToJson>
Result<Response> PagedList(const Request& req, const std::vector<T>& all, ToJson to_json) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  auto total = static_cast<int64_t>(all.size());
  int64_t start = page.after.value_or(0);
  boost::json::array items;
  for (int64_t i = start; i < total && i < start + page.limit; ++i) {
    items.push_back(to_json(all[static_cast<size_t>(i)]));
  }
  std::optional<int64_t> next;
  if (start + page.limit < total) next = start + page.limit;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
}

Result<Response> ListInitiatives(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto all, ctx.initiatives.List());
  GMG_ASSIGN_OR_RETURN(LinkNames names, ctx.initiatives.DescribeLinks(req.principal, all));
  return PagedList(req, all, [&](const Initiative& i) { return InitiativeJson(i, &names); });
}

Result<Response> GetInitiative(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto i, ctx.initiatives.Get(Ref(req)));
  return InitiativeResponse(ctx, req, 200, i);
}

Result<NewInitiative> ReadNewInitiative(JsonBody& body) {
  auto slug = body.String("slug", true, 80);
  auto title = body.String("title", true, 300);
  auto description = body.String("description", false, 20000, true);
  auto started = body.String("started_on", true, 10);
  auto ended = body.String("ended_on", false, 10);
  auto status = body.String("status", false, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  NewInitiative n;
  n.slug = *slug;
  n.title = *title;
  n.description = description.value_or("");
  n.started_on = *started;
  n.ended_on = ended;
  n.status = status.value_or("open");
  return n;
}

Result<Response> CreateInitiative(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(NewInitiative n, ReadNewInitiative(body));
  GMG_ASSIGN_OR_RETURN(auto i, ctx.initiatives.Create(req.principal, n));
  return InitiativeResponse(ctx, req, 201, i);
}

Result<InitiativeChange> ReadChange(JsonBody& body) {
  InitiativeChange c;
  c.title = body.String("title", false, 300);
  c.description = body.String("description", false, 20000, true);
  c.started_on = body.String("started_on", false, 10);
  c.ended_on = body.String("ended_on", false, 10, true);
  if (body.IsNull("ended_on")) c.ended_on = "";
  c.status = body.String("status", false, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  return c;
}

Result<Response> UpdateInitiative(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(InitiativeChange c, ReadChange(body));
  GMG_ASSIGN_OR_RETURN(auto i, ctx.initiatives.Update(req.principal, Ref(req), version, c));
  return InitiativeResponse(ctx, req, 200, i);
}

Result<Response> SetLinks(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  InitiativeLinks links;
  auto meetings = body.IdArray("meetings", false, kMaxLinks);
  auto positions = body.IdArray("positions", false, kMaxLinks);
  GMG_RETURN_IF_ERROR(body.Finish());
  links.meetings = meetings.value_or(std::vector<int64_t>{});
  links.positions = positions.value_or(std::vector<int64_t>{});
  GMG_ASSIGN_OR_RETURN(auto i, ctx.initiatives.SetLinks(req.principal, Ref(req), links));
  return InitiativeResponse(ctx, req, 200, i);
}

Result<Response> ListContributions(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto all, ctx.initiatives.ListContributions(Ref(req)));
  GMG_ASSIGN_OR_RETURN(auto names, OrganizationNames(ctx));
  return PagedList(req, all, [&](const Contribution& c) {
    auto it = names.find(c.organization_id);
    return ContributionJson(c, it == names.end() ? "" : it->second);
  });
}

Result<NewContribution> ReadContribution(JsonBody& body) {
  auto org = body.String("organization_id", false, 32);
  auto kind = body.String("kind", true, 20);
  auto title = body.String("title", true, 300);
  auto description = body.String("description", false, 4000, true);
  auto url = body.String("url", false, 2100, true);
  auto date = body.String("date", true, 10);
  GMG_RETURN_IF_ERROR(body.Finish());
  return NewContribution{.organization_id = org.value_or(""),
                         .kind = *kind,
                         .title = *title,
                         .description = description.value_or(""),
                         .url = url.value_or(""),
                         .date = *date};
}

Result<Response> AddContribution(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(NewContribution n, ReadContribution(body));
  GMG_ASSIGN_OR_RETURN(auto c, ctx.initiatives.AddContribution(req.principal, Ref(req), n));
  GMG_ASSIGN_OR_RETURN(auto names, OrganizationNames(ctx));
  auto it = names.find(c.organization_id);
  Response r = http::JsonResponse(201, ContributionJson(c, it == names.end() ? "" : it->second));
  r.SetHeader("Location", "/api/v1/initiatives/" + std::to_string(c.initiative_id) +
                              "/contributions/" + std::to_string(c.id));
  return r;
}

Result<Response> DeleteContribution(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "cid"));
  GMG_RETURN_IF_ERROR(ctx.initiatives.DeleteContribution(req.principal, Ref(req), id));
  return http::NoContent();
}

constexpr RouteRow<Context> kRoutes[] = {
    {"GET", "/api/v1/initiatives", Access::kPublic, ListInitiatives,
     "Major initiatives the GMG contributes to (the 2006 High-level Dialogue, the follow-up to "
     "the Global Commission's report), with their links",
     "initiatives", true},
    {"POST", "/api/v1/initiatives", Access::kStaff, CreateInitiative, "Record a new initiative",
     "initiatives"},
    {"GET", "/api/v1/initiatives/{id}", Access::kPublic, GetInitiative,
     "One initiative, by id or slug, with its linked meetings and positions", "initiatives", true},
    {"PATCH", "/api/v1/initiatives/{id}", Access::kStaff, UpdateInitiative,
     "Edit an initiative (title, description, dates, open or concluded); If-Match", "initiatives"},
    {"GET", "/api/v1/initiatives/{id}/contributions", Access::kPublic, ListContributions,
     "Members' contributions to an initiative (papers, events, commitments), by date",
     "initiatives", true},
    {"POST", "/api/v1/initiatives/{id}/contributions", Access::kSignedIn, AddContribution,
     "Add a contribution (the secretariat for any member; a focal point or member for its own "
     "organisation)",
     "initiatives"},
    {"DELETE", "/api/v1/initiatives/{id}/contributions/{cid}", Access::kSignedIn,
     DeleteContribution, "Remove a contribution (the secretariat or the contributing organisation)",
     "initiatives"},
    {"PUT", "/api/v1/initiatives/{id}/links", Access::kStaff, SetLinks,
     "Replace the meetings and positions an initiative is linked to", "initiatives"},
};

}  // namespace

void AddInitiativeRoutes(http::Router& router, InitiativeService& initiatives,
                         std::function<GovernanceService&()> governance) {
  http::AddRoutes(router, std::make_shared<Context>(Context{initiatives, std::move(governance)}),
                  kRoutes);
}

}  // namespace gmg
