#include "research/research_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"
#include "research/research_json.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

struct Context {
  ResearchService& research;
  ExchangeService& exchanges;
};

// A page of a whole list held in memory (the network counts hundreds of records, not more).
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

// A record as JSON with its version as ETag (a PUT's If-Match echoes it); 201 with Location.
Response Versioned(int status, boost::json::object body, int64_t version,
                   const std::string& location = {}) {
  Response r = http::JsonResponse(status, std::move(body));
  r.SetHeader("ETag", http::VersionETag(version));
  if (status == 201) r.SetHeader("Location", location);
  return r;
}

std::string QueryText(const Request& req, std::string_view name) {
  return std::string(req.Query(name).value_or(""));
}

// --- Institutions -------------------------------------------------------------------------

Result<Response> ListInstitutions(Context& ctx, Request& req) {
  InstitutionFilter filter{.country = QueryText(req, "country"), .type = QueryText(req, "type")};
  if (filter.country.size() > 3 || filter.type.size() > 40) {
    return FieldError(ErrorCode::kInvalidArgument, "country", "is not a country or type filter",
                      "wrong_type");
  }
  GMG_ASSIGN_OR_RETURN(auto all, ctx.research.ListInstitutions(filter));
  return PagedList(req, all, InstitutionJson);
}

Result<Response> GetInstitution(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto i, ctx.research.GetInstitution(id));
  return Versioned(200, InstitutionJson(i), i.version);
}

Result<InstitutionFields> ReadInstitution(JsonBody& body) {
  auto name = body.String("name", true, 300);
  auto country = body.String("country", true, 3);
  auto type = body.String("type", true, 40);
  auto website = body.String("website", false, 2000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  return InstitutionFields{
      .name = *name, .country = *country, .type = *type, .website = website.value_or("")};
}

Result<Response> CreateInstitution(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto fields, ReadInstitution(body));
  GMG_ASSIGN_OR_RETURN(auto i, ctx.research.CreateInstitution(req.principal, fields));
  return Versioned(201, InstitutionJson(i), i.version,
                   "/api/v1/research/institutions/" + std::to_string(i.id));
}

Result<Response> UpdateInstitution(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto fields, ReadInstitution(body));
  GMG_ASSIGN_OR_RETURN(auto version, http::OptionalIfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto i, ctx.research.UpdateInstitution(req.principal, id, version, fields));
  return Versioned(200, InstitutionJson(i), i.version);
}

// --- Researchers --------------------------------------------------------------------------

Result<Response> ListResearchers(Context& ctx, Request& req) {
  int64_t institution = 0;
  if (auto given = req.Query("institution")) {
    auto [end, ec] = std::from_chars(given->data(), given->data() + given->size(), institution);
    if (ec != std::errc() || end != given->data() + given->size() || institution <= 0) {
      return FieldError(ErrorCode::kInvalidArgument, "institution", "must be an institution id",
                        "wrong_type", {{"type", "positive integer"}});
    }
  }
  GMG_ASSIGN_OR_RETURN(auto all, ctx.research.ListResearchers(req.principal, institution));
  return PagedList(req, all, ResearcherJson);
}

Result<Response> GetResearcher(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto r, ctx.research.GetResearcher(req.principal, id));
  return Versioned(200, ResearcherJson(r), r.version);
}

Result<ResearcherFields> ReadResearcher(JsonBody& body) {
  auto name = body.String("name", true, 300);
  auto institution = body.Int("institution_id", true, 1, http::kMaxCursorPosition);
  auto email = body.String("email", false, 254, true);
  auto themes = body.StringArray("themes", false, 20);
  auto languages = body.StringArray("languages", false, 10);
  auto public_profile = body.Bool("public_profile", false);
  GMG_RETURN_IF_ERROR(body.Finish());
  return ResearcherFields{.name = *name,
                          .institution_id = *institution,
                          .email = email.value_or(""),
                          .themes = themes.value_or(std::vector<std::string>{}),
                          .languages = languages.value_or(std::vector<std::string>{}),
                          .public_profile = public_profile.value_or(false)};
}

Result<Response> CreateResearcher(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto fields, ReadResearcher(body));
  GMG_ASSIGN_OR_RETURN(auto r, ctx.research.CreateResearcher(req.principal, fields));
  return Versioned(201, ResearcherJson(r), r.version,
                   "/api/v1/research/researchers/" + std::to_string(r.id));
}

Result<Response> UpdateResearcher(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto fields, ReadResearcher(body));
  GMG_ASSIGN_OR_RETURN(auto version, http::OptionalIfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto r, ctx.research.UpdateResearcher(req.principal, id, version, fields));
  return Versioned(200, ResearcherJson(r), r.version);
}

// --- Projects -----------------------------------------------------------------------------

Result<Response> ListProjects(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto all, ctx.research.ListProjects());
  return PagedList(req, all, ProjectJson);
}

Result<Response> GetProject(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto p, ctx.research.GetProject(id));
  return Versioned(200, ProjectJson(p), p.version);
}

Result<ProjectFields> ReadProject(JsonBody& body) {
  auto title = body.String("title", true, 300);
  auto summary = body.String("summary", false, 20000, true);
  auto started = body.String("started_on", true, 10);
  auto ended = body.String("ended_on", false, 10);
  auto status = body.String("status", false, 20);
  auto organizations = body.StringArray("organizations", true, 20);
  auto institutions = body.IdArray("institutions", false, kMaxProjectInstitutions);
  GMG_RETURN_IF_ERROR(body.Finish());
  return ProjectFields{.title = *title,
                       .summary = summary.value_or(""),
                       .started_on = *started,
                       .ended_on = ended,
                       .status = status.value_or("planned"),
                       .organizations = *organizations,
                       .institutions = institutions.value_or(std::vector<int64_t>{})};
}

Result<Response> CreateProject(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto fields, ReadProject(body));
  GMG_ASSIGN_OR_RETURN(auto p, ctx.research.CreateProject(req.principal, fields));
  return Versioned(201, ProjectJson(p), p.version,
                   "/api/v1/research/projects/" + std::to_string(p.id));
}

Result<Response> UpdateProject(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(auto fields, ReadProject(body));
  GMG_ASSIGN_OR_RETURN(auto version, http::OptionalIfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto p, ctx.research.UpdateProject(req.principal, id, version, fields));
  return Versioned(200, ProjectJson(p), p.version);
}

Result<Response> GetShare(Context& ctx, Request& /*req*/) {
  GMG_ASSIGN_OR_RETURN(auto share, ctx.research.Share());
  return http::JsonResponse(200, ShareJson(share));
}

// --- Staff exchanges ----------------------------------------------------------------------

Result<Response> ListExchanges(Context& ctx, Request& req) {
  std::string org = QueryText(req, "organization");
  if (org.size() > 32) {
    return FieldError(ErrorCode::kInvalidArgument, "organization", "is not an organisation id",
                      "too_long", {{"max", "32"}});
  }
  GMG_ASSIGN_OR_RETURN(auto all, ctx.exchanges.List(req.principal, org));
  return PagedList(req, all, ExchangeJson);
}

Response ExchangeResponse(int status, const StaffExchange& e) {
  return Versioned(status, ExchangeJson(e), e.version, "/api/v1/exchanges/" + std::to_string(e.id));
}

Result<Response> GetExchange(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto e, ctx.exchanges.Get(req.principal, id));
  return ExchangeResponse(200, e);
}

Result<Response> CreateExchange(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto kind = body.String("kind", true, 20);
  auto from = body.String("from_organization", true, 32);
  auto to = body.String("to_organization", true, 32);
  auto person = body.String("person_name", true, 200);
  auto user = body.Int("user_id", false, 1, http::kMaxCursorPosition);
  auto started = body.String("started_on", true, 10);
  auto ended = body.String("ended_on", true, 10);
  auto purpose = body.String("purpose", false, 4000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  ExchangeFields f{.kind = *kind,
                   .from_organization = *from,
                   .to_organization = *to,
                   .person_name = *person,
                   .user_id = user,
                   .started_on = *started,
                   .ended_on = *ended,
                   .purpose = purpose.value_or("")};
  GMG_ASSIGN_OR_RETURN(auto e, ctx.exchanges.Create(req.principal, f));
  return ExchangeResponse(201, e);
}

Result<Response> UpdateExchange(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto version, http::OptionalIfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  ExchangeChange c;
  c.kind = body.String("kind", false, 20);
  c.person_name = body.String("person_name", false, 200);
  c.started_on = body.String("started_on", false, 10);
  c.ended_on = body.String("ended_on", false, 10);
  c.purpose = body.String("purpose", false, 4000, true);
  c.status = body.String("status", false, 20);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto e, ctx.exchanges.Update(req.principal, id, version, c));
  return ExchangeResponse(200, e);
}

constexpr RouteRow<Context> kRoutes[] = {
    {"GET", "/api/v1/research/institutions", Access::kPublic, ListInstitutions,
     "Institutions of the joint research network (filters: country, type), by name", "research",
     true},
    {"POST", "/api/v1/research/institutions", Access::kSignedIn, CreateInstitution,
     "Add an institution (a member's focal point, the secretariat)", "research"},
    {"GET", "/api/v1/research/institutions/{id}", Access::kPublic, GetInstitution,
     "One institution, with its country's development groups", "research", true},
    {"PUT", "/api/v1/research/institutions/{id}", Access::kSignedIn, UpdateInstitution,
     "Edit an institution (the focal point of the organisation that added it, the secretariat); "
     "If-Match with its ETag (412 when stale)",
     "research"},
    {"GET", "/api/v1/research/researchers", Access::kPublic, ListResearchers,
     "Researchers: public profiles for everyone, all (with e-mail) for the GMG's members",
     "research", true},
    {"POST", "/api/v1/research/researchers", Access::kSignedIn, CreateResearcher,
     "Add a researcher (a member's focal point, the secretariat)", "research"},
    {"GET", "/api/v1/research/researchers/{id}", Access::kPublic, GetResearcher,
     "One researcher (404 for a private profile outside the GMG)", "research", true},
    {"PUT", "/api/v1/research/researchers/{id}", Access::kSignedIn, UpdateResearcher,
     "Edit a researcher (the focal point of the organisation that added it, the secretariat); "
     "If-Match with its ETag (412 when stale)",
     "research"},
    {"GET", "/api/v1/research/projects", Access::kPublic, ListProjects,
     "Joint research projects linking GMG members and institutions, latest first", "research",
     true},
    {"POST", "/api/v1/research/projects", Access::kSignedIn, CreateProject,
     "Start a joint research project (a focal point for a project its organisation is in; the "
     "secretariat)",
     "research"},
    {"GET", "/api/v1/research/projects/{id}", Access::kPublic, GetProject,
     "One joint research project", "research", true},
    {"PUT", "/api/v1/research/projects/{id}", Access::kSignedIn, UpdateProject,
     "Edit a joint research project (its organisations' focal points, the secretariat); If-Match "
     "with its ETag (412 when stale)",
     "research"},
    {"GET", "/api/v1/research/share", Access::kPublic, GetShare,
     "The network's share in developing countries (M49) and in LDCs, LLDCs and SIDS: counts "
     "and ratios of institutions and researchers",
     "research", true},
    {"GET", "/api/v1/exchanges", Access::kSignedIn, ListExchanges,
     "Staff transfers, secondments and loans between members (GMG insiders)", "exchanges"},
    {"POST", "/api/v1/exchanges", Access::kSignedIn, CreateExchange,
     "Propose a staff exchange (either organisation's focal point, the secretariat); user_id an "
     "account of one of the two organisations",
     "exchanges"},
    {"GET", "/api/v1/exchanges/{id}", Access::kSignedIn, GetExchange,
     "One staff exchange (GMG insiders)", "exchanges"},
    {"PATCH", "/api/v1/exchanges/{id}", Access::kSignedIn, UpdateExchange,
     "Edit a staff exchange or move its status (either organisation's focal point, the "
     "secretariat; agreeing: the side that did not propose it); If-Match with its ETag (412 when "
     "stale)",
     "exchanges"},
};

}  // namespace

void AddResearchRoutes(http::Router& router, ResearchService& research,
                       ExchangeService& exchanges) {
  http::AddRoutes(router, std::make_shared<Context>(Context{research, exchanges}), kRoutes);
}

}  // namespace gmg
