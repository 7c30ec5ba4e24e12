#include "app/site_search_api.h"

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/checked_text.h"
#include "http/paging.h"

namespace gmg {
namespace {

using http::Request;
using http::Response;

constexpr size_t kMaxKinds = 20;

struct Context {
  const SiteSearch& search;
};

boost::json::object HitJson(const SiteHit& h) {
  return {{"kind", h.kind}, {"id", h.id},           {"title", h.title},
          {"href", h.href}, {"snippet", h.snippet}, {"score", h.score}};
}

Result<Response> Search(Context& ctx, Request& req) {
  SiteQuery q;
  GMG_ASSIGN_OR_RETURN(q.text, http::CheckedText("q", req.Query("q"), kMaxSiteQueryBytes, true));
  GMG_ASSIGN_OR_RETURN(q.kinds, http::ListQuery(req, "kind", kMaxKinds));  // each once is enough
  GMG_ASSIGN_OR_RETURN(http::PageRequest page, http::ParsePage(req));
  q.limit = req.Query("limit") ? page.limit : 20;
  q.offset = page.after.value_or(0);
  GMG_ASSIGN_OR_RETURN(SiteSearchResult r, ctx.search.Search(req.principal, q));
  boost::json::array items;
  for (const SiteHit& h : r.hits) items.push_back(HitJson(h));
  int64_t next = q.offset + q.limit;
  boost::json::object body = http::ListBody(
      std::move(items), next < r.total ? std::optional(next) : std::nullopt, r.total);
  boost::json::array facets;
  for (const SiteFacet& f : r.facets) {
    facets.push_back(boost::json::object{{"value", f.kind}, {"count", f.count}, {"more", f.more}});
  }
  body["facets"] = boost::json::object{{"kind", std::move(facets)}};
  body["query"] = q.text;
  return http::JsonResponse(200, body);
}

constexpr http::RouteRow<Context> kRoutes[] = {
    {"GET", "/api/v1/search/all", http::Access::kPublic, Search,
     "One search over activities, the library, meetings, positions, dataflows, stakeholders, "
     "people, organisations, training, research and initiatives (?q=, ?kind=, ?limit=, "
     "?cursor=); what the caller may see, with a count per kind",
     "search"},
};

}  // namespace

void AddSiteSearchRoutes(http::Router& router, const SiteSearch& search) {
  http::AddRoutes(router, std::make_shared<Context>(Context{search}), kRoutes);
}

}  // namespace gmg
