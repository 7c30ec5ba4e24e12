#include "engagement/engagement_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "engagement/engagement_json.h"
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

constexpr size_t kMaxIds = 50;

struct Context {
  EngagementService& engagement;
  std::function<GovernanceService&()> governance;
  std::function<AuthService&()> auth;
};

Result<OrganizationNames> Names(Context& ctx) {
  GMG_ASSIGN_OR_RETURN(auto orgs, ctx.governance().ListOrganizations("all", Date::Today()));
  OrganizationNames names;
  for (const auto& o : orgs) names.emplace(o.id, o.name);
  return names;
}

// A page of a whole list held in memory (the lists here are small by nature).
template <typename T, typename ToJson>
Result<Response> PagedList(const Request& req, const std::vector<T>& all, ToJson to_json) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  auto total = static_cast<int64_t>(all.size());
  int64_t start = std::min(page.after.value_or(0), total);
  boost::json::array items;
  for (int64_t i = start; i < total && i - start < page.limit; ++i) {
    items.push_back(to_json(all[static_cast<size_t>(i)]));
  }
  std::optional<int64_t> next;
  if (total - start > page.limit) next = start + page.limit;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
}

// `?name=` as a positive id, 0 when absent; 400 naming it otherwise.
Result<int64_t> QueryId(const Request& req, const char* name) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return int64_t{0};
  int64_t id = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), id);
  if (ec != std::errc() || end != raw->data() + raw->size() || id <= 0) {
    return FieldError(ErrorCode::kInvalidArgument, name, "must be a positive whole number",
                      "wrong_type", {{"type", "positive integer"}});
  }
  return id;
}

std::string QueryText(const Request& req, const char* name) {
  auto raw = req.Query(name);
  constexpr size_t kMax = 200;
  if (!raw) return "";
  return std::string(raw->substr(0, kMax));
}

// --- Stakeholders ---------------------------------------------------------------------------

Result<Response> StakeholderResponse(int status, const Stakeholder& s) {
  Response r = http::JsonResponse(status, StakeholderJson(s));
  r.SetHeader("ETag", http::VersionETag(s.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/stakeholders/" + std::to_string(s.id));
  return r;
}

Result<Response> ListStakeholders(Context& ctx, Request& req) {
  StakeholderFilter f{.kind = QueryText(req, "kind"),
                      .region = QueryText(req, "region"),
                      .query = QueryText(req, "q")};
  GMG_ASSIGN_OR_RETURN(auto all, ctx.engagement.ListStakeholders(f));
  return PagedList(req, all, StakeholderJson);
}

Result<Response> ListRegions(Context& ctx, Request& /*req*/) {
  GMG_ASSIGN_OR_RETURN(auto regions, ctx.engagement.ListRegions());
  boost::json::array items;
  for (const auto& r : regions) items.emplace_back(r);
  return http::JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

Result<Response> GetStakeholder(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto s, ctx.engagement.GetStakeholder(id));
  return StakeholderResponse(200, s);
}

Result<Response> CreateStakeholder(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto kind = body.String("kind", true, 40);
  auto name = body.String("name", false, 300, true);
  auto country = body.String("country", false, 3, true);
  auto region = body.String("region", false, 100, true);
  auto website = body.String("website", false, 2100, true);
  auto description = body.String("description", false, 8000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  NewStakeholder n{.kind = *kind,
                   .name = name.value_or(""),
                   .country = country.value_or(""),
                   .region = region.value_or(""),
                   .website = website.value_or(""),
                   .description = description.value_or("")};
  GMG_ASSIGN_OR_RETURN(auto s, ctx.engagement.CreateStakeholder(req.principal, n));
  return StakeholderResponse(201, s);
}

Result<Response> UpdateStakeholder(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  StakeholderChange c;
  c.name = body.String("name", false, 300);
  c.country = body.String("country", false, 3, true);
  c.region = body.String("region", false, 100, true);
  c.website = body.String("website", false, 2100, true);
  c.description = body.String("description", false, 8000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto s, ctx.engagement.UpdateStakeholder(req.principal, id, version, c));
  return StakeholderResponse(200, s);
}

// --- Contacts -------------------------------------------------------------------------------

Result<Response> ListContacts(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto all, ctx.engagement.ListContacts(req.principal, id));
  return http::JsonResponse(200, http::WholeListBody(all, ContactJson));
}

Result<Response> AddContact(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto name = body.String("name", true, 200);
  auto title = body.String("title", false, 200, true);
  auto email = body.String("email", false, 254, true);
  auto phone = body.String("phone", false, 40, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  NewContact n{.name = *name,
               .title = title.value_or(""),
               .email = email.value_or(""),
               .phone = phone.value_or("")};
  GMG_ASSIGN_OR_RETURN(auto c, ctx.engagement.AddContact(req.principal, id, n));
  return http::JsonResponse(201, ContactJson(c));
}

Result<Response> DeleteContact(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t cid, http::PathId(req, "cid"));
  GMG_RETURN_IF_ERROR(ctx.engagement.DeleteContact(req.principal, id, cid));
  return http::NoContent();
}

// --- Accounts -------------------------------------------------------------------------------

Result<Response> ListAccounts(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto all, ctx.engagement.ListAccounts(req.principal, id));
  for (auto& a : all) {
    GMG_ASSIGN_OR_RETURN(User u, ctx.auth().GetUser(a.user_id));
    a.email = u.email;
    a.name = u.name;
  }
  return http::JsonResponse(200, http::WholeListBody(all, AccountJson));
}

Result<Response> LinkAccount(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto email = body.String("email", true, 254);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto a, ctx.engagement.LinkAccount(req.principal, id, *email));
  return http::JsonResponse(201, AccountJson(a));
}

Result<Response> UnlinkAccount(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t uid, http::PathId(req, "uid"));
  GMG_RETURN_IF_ERROR(ctx.engagement.UnlinkAccount(req.principal, id, uid));
  return http::NoContent();
}

Result<Response> MyStakeholder(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto s, ctx.engagement.StakeholderOf(req.principal));
  boost::json::value stakeholder = nullptr;
  if (s) stakeholder = StakeholderJson(*s);
  return http::JsonResponse(200, boost::json::object{{"stakeholder", std::move(stakeholder)}});
}

// --- Interactions ---------------------------------------------------------------------------

Result<Response> ListInteractions(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t stakeholder, QueryId(req, "stakeholder"));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  if (page.after) {
    return FieldError(ErrorCode::kInvalidArgument, "cursor", "this list has a single page",
                      "out_of_range");
  }
  GMG_ASSIGN_OR_RETURN(auto all,
                       ctx.engagement.ListInteractions(req.principal, stakeholder, page.limit));
  GMG_ASSIGN_OR_RETURN(auto names, Names(ctx));
  return http::JsonResponse(200, http::WholeListBody(all, [&](const Interaction& i) {
                              return InteractionJson(i, &names);
                            }));
}

Result<Response> LogInteraction(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  NewInteraction n;
  auto date = body.String("date", true, 10);
  auto kind = body.String("kind", true, 40);
  auto summary = body.String("summary", true, 8000);
  auto visibility = body.String("visibility", false, 20);
  auto members = body.StringArray("members", false, kMaxIds);
  auto stakeholders = body.IdArray("stakeholders", false, kMaxIds);
  GMG_RETURN_IF_ERROR(body.Finish());
  n.stakeholder_ids = stakeholders.value_or(std::vector<int64_t>{});
  n.date = *date;
  n.kind = *kind;
  n.summary = *summary;
  n.visibility = visibility.value_or("internal");
  n.organization_ids = members.value_or(std::vector<std::string>{});
  GMG_ASSIGN_OR_RETURN(auto i, ctx.engagement.LogInteraction(req.principal, n));
  GMG_ASSIGN_OR_RETURN(auto names, Names(ctx));
  return http::JsonResponse(201, InteractionJson(i, &names));
}

Result<Response> DeleteInteraction(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_RETURN_IF_ERROR(ctx.engagement.DeleteInteraction(req.principal, id));
  return http::NoContent();
}

// --- Support requests -----------------------------------------------------------------------

Result<Response> RequestResponse(Context& ctx, int status, const SupportRequest& r) {
  GMG_ASSIGN_OR_RETURN(auto names, Names(ctx));
  Response out = http::JsonResponse(status, SupportRequestJson(r, &names));
  out.SetHeader("ETag", http::VersionETag(r.version));
  if (status == 201) out.SetHeader("Location", "/api/v1/support-requests/" + std::to_string(r.id));
  return out;
}

Result<Response> ListRequests(Context& ctx, Request& req) {
  RequestFilter f{.status = QueryText(req, "status")};
  GMG_ASSIGN_OR_RETURN(f.stakeholder_id, QueryId(req, "stakeholder"));
  GMG_ASSIGN_OR_RETURN(auto all, ctx.engagement.ListRequests(req.principal, f));
  GMG_ASSIGN_OR_RETURN(auto names, Names(ctx));
  return PagedList(req, all,
                   [&](const SupportRequest& r) { return SupportRequestJson(r, &names); });
}

Result<Response> GetRequest(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto r, ctx.engagement.GetRequest(req.principal, id));
  return RequestResponse(ctx, 200, r);
}

Result<Response> CreateRequest(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto stakeholder = body.Int("stakeholder_id", false, 1, INT64_MAX);
  auto title = body.String("title", true, 300);
  auto description = body.String("description", false, 8000, true);
  auto received = body.String("received_on", false, 10);
  GMG_RETURN_IF_ERROR(body.Finish());
  NewSupportRequest n{.stakeholder_id = stakeholder.value_or(0),
                      .title = *title,
                      .description = description.value_or(""),
                      .received_on = received.value_or("")};
  GMG_ASSIGN_OR_RETURN(auto r, ctx.engagement.CreateRequest(req.principal, n));
  return RequestResponse(ctx, 201, r);
}

Result<Response> RouteRequest(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto orgs = body.StringArray("organizations", true, 30);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto r, ctx.engagement.RouteRequest(req.principal, id, *orgs));
  return RequestResponse(ctx, 200, r);
}

Result<Response> AnswerRequest(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto org = body.String("organization_id", false, 32);
  auto response = body.String("response", true, 20);
  auto answer = body.String("answer", true, 8000);
  GMG_RETURN_IF_ERROR(body.Finish());
  SupportAnswer a{.organization_id = org.value_or(""), .response = *response, .answer = *answer};
  GMG_ASSIGN_OR_RETURN(auto r, ctx.engagement.AnswerRequest(req.principal, id, a));
  return RequestResponse(ctx, 200, r);
}

Result<Response> SetRequestStatus(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto status = body.String("status", true, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto r, ctx.engagement.SetRequestStatus(req.principal, id, *status));
  return RequestResponse(ctx, 200, r);
}

constexpr RouteRow<Context> kRoutes[] = {
    {"GET", "/api/v1/stakeholders", Access::kPublic, ListStakeholders,
     "Stakeholders: states, regional bodies, regional consultative processes, employers' and "
     "workers' organisations, civil society (?kind=, ?region=, ?q=)",
     "engagement", true},
    {"POST", "/api/v1/stakeholders", Access::kStaff, CreateStakeholder,
     "Add a stakeholder (a state by its ISO alpha-3 code)", "engagement"},
    {"GET", "/api/v1/stakeholder-regions", Access::kPublic, ListRegions,
     "The regions stakeholders are in (the directory's filter)", "engagement", true},
    {"GET", "/api/v1/stakeholders/{id}", Access::kPublic, GetStakeholder, "One stakeholder",
     "engagement", true},
    {"PATCH", "/api/v1/stakeholders/{id}", Access::kStaff, UpdateStakeholder,
     "Edit a stakeholder; If-Match", "engagement"},
    {"GET", "/api/v1/stakeholders/{id}/contacts", Access::kSignedIn, ListContacts,
     "A stakeholder's contacts (GMG insiders only: personal data)", "engagement"},
    {"POST", "/api/v1/stakeholders/{id}/contacts", Access::kStaff, AddContact,
     "Add a contact to a stakeholder", "engagement"},
    {"DELETE", "/api/v1/stakeholders/{id}/contacts/{cid}", Access::kStaff, DeleteContact,
     "Remove a contact", "engagement"},
    {"GET", "/api/v1/stakeholders/{id}/accounts", Access::kStaff, ListAccounts,
     "The user accounts linked to a stakeholder", "engagement"},
    {"POST", "/api/v1/stakeholders/{id}/accounts", Access::kStaff, LinkAccount,
     "Link a user account (role stakeholder) to a stakeholder, by e-mail", "engagement"},
    {"DELETE", "/api/v1/stakeholders/{id}/accounts/{uid}", Access::kStaff, UnlinkAccount,
     "Unlink a user account from a stakeholder", "engagement"},
    {"GET", "/api/v1/my-stakeholder", Access::kSignedIn, MyStakeholder,
     "The stakeholder the caller's account is linked to (null for none)", "engagement"},
    {"GET", "/api/v1/stakeholder-interactions", Access::kPublic, ListInteractions,
     "The interaction log, newest first, as the caller may see it (?stakeholder=)", "engagement"},
    {"POST", "/api/v1/stakeholder-interactions", Access::kSignedIn, LogInteraction,
     "Log an interaction (the secretariat, or a member that took part)", "engagement"},
    {"DELETE", "/api/v1/stakeholder-interactions/{id}", Access::kStaff, DeleteInteraction,
     "Remove an interaction", "engagement"},
    {"GET", "/api/v1/support-requests", Access::kSignedIn, ListRequests,
     "States' requests for support the caller may see, newest first (?status=, ?stakeholder=)",
     "engagement"},
    {"POST", "/api/v1/support-requests", Access::kSignedIn, CreateRequest,
     "Record a state's request for support (the secretariat, or the state's own account)",
     "engagement"},
    {"GET", "/api/v1/support-requests/{id}", Access::kSignedIn, GetRequest,
     "One support request with its routing and answers", "engagement"},
    {"POST", "/api/v1/support-requests/{id}/routes", Access::kStaff, RouteRequest,
     "Route a request to GMG members", "engagement"},
    {"POST", "/api/v1/support-requests/{id}/answers", Access::kSignedIn, AnswerRequest,
     "A routed member's answer (its focal point; accepted or declined)", "engagement"},
    {"POST", "/api/v1/support-requests/{id}/status", Access::kStaff, SetRequestStatus,
     "Move a request to another status (allowed transitions only)", "engagement"},
};

}  // namespace

void AddEngagementRoutes(http::Router& router, EngagementService& engagement,
                         std::function<GovernanceService&()> governance,
                         std::function<AuthService&()> auth) {
  http::AddRoutes(
      router,
      std::make_shared<Context>(Context{engagement, std::move(governance), std::move(auth)}),
      kRoutes);
}

}  // namespace gmg
