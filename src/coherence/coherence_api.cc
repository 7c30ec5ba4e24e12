#include "coherence/coherence_api.h"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "activities/activity_json.h"
#include "coherence/coherence_json.h"
#include "coherence/coherence_query_api.h"
#include "core/codelists.h"
#include "http/json_body.h"
#include "http/paging.h"

namespace gmg {
namespace {

using http::Access;
using http::Request;
using http::Response;
using http::RouteRow;

// "12-34" → (12, 34); kNotFound for anything else (a finding's id is its pair).
Result<std::pair<int64_t, int64_t>> PairOf(const Request& req) {
  std::string_view s = req.PathParam("id");
  const Error not_found = MakeError(ErrorCode::kNotFound, "no such finding: " + std::string(s));
  size_t dash = s.find('-');
  if (dash == std::string_view::npos) return not_found;
  int64_t a = 0;
  int64_t b = 0;
  auto parse = [](std::string_view t, int64_t* out) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), *out);
    return ec == std::errc() && end == t.data() + t.size() && *out > 0;
  };
  if (!parse(s.substr(0, dash), &a) || !parse(s.substr(dash + 1), &b)) return not_found;
  return std::pair{a, b};
}

// A draft of the check: an activity body, partial (organisation and type may be missing), and
// optionally `id`, the activity being edited.
Result<DraftCheck> DraftOf(const boost::json::value& v, const char* field) {
  const boost::json::object* o = v.if_object();
  if (o == nullptr) {
    return FieldError(ErrorCode::kInvalidArgument, field, "must be an activity object",
                      "wrong_type", {{"type", "object"}});
  }
  boost::json::object body = *o;
  DraftCheck draft;
  if (const auto* id = body.if_contains("id")) {
    if (!id->is_int64() || id->as_int64() < 0) {
      return FieldError(ErrorCode::kInvalidArgument, "id", "must be an activity id", "wrong_type",
                        {{"type", "integer"}});
    }
    draft.activity_id = id->as_int64();
    body.erase("id");
  }
  for (const char* k : {"organization_id", "type"}) {
    if (!body.contains(k)) body[k] = "";
  }
  GMG_ASSIGN_OR_RETURN(draft.draft, ActivityInputFromJson(boost::json::serialize(body)));
  return draft;
}

Result<std::vector<DraftCheck>> DraftsOf(const Request& req) {
  GMG_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(req));
  const boost::json::value* one = body.Raw("activity");
  const boost::json::value* many = body.Raw("activities");
  GMG_RETURN_IF_ERROR(body.Finish());
  std::vector<DraftCheck> drafts;
  if ((one == nullptr) == (many == nullptr)) {
    return FieldError(ErrorCode::kInvalidArgument, "activity", "send either activity or activities",
                      "required");
  }
  if (one != nullptr) {
    GMG_ASSIGN_OR_RETURN(DraftCheck d, DraftOf(*one, "activity"));
    drafts.push_back(std::move(d));
    return drafts;
  }
  if (!many->is_array() || many->as_array().size() > CoherenceService::kMaxDrafts) {
    return FieldError(ErrorCode::kInvalidArgument, "activities",
                      "must be a list of at most 100 activities", "too_many",
                      {{"max", std::to_string(CoherenceService::kMaxDrafts)}});
  }
  for (const auto& item : many->as_array()) {
    GMG_ASSIGN_OR_RETURN(DraftCheck d, DraftOf(item, "activities"));
    drafts.push_back(std::move(d));
  }
  return drafts;
}

Response OverlapResponse(const Overlap& o) { return http::JsonResponse(200, OverlapJson(o)); }

// --- Handlers -------------------------------------------------------------------------------

Result<Response> ListOverlaps(CoherenceService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(OverlapFilter filter, ParseOverlapFilter(req));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(OverlapPage result,
                       s.Overlaps(req.principal, filter, page.limit, page.after.value_or(0)));
  boost::json::array items;
  for (const Overlap& o : result.items) items.push_back(OverlapJson(o));
  boost::json::object body = http::ListBody(std::move(items), result.next_offset, result.total);
  body["status"] = StatusJson(result.status);
  return http::JsonResponse(200, body);
}

Result<Response> GetOverlap(CoherenceService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto pair, PairOf(req));
  GMG_ASSIGN_OR_RETURN(Overlap o, s.GetFinding(req.principal, pair.first, pair.second));
  return OverlapResponse(o);
}

Result<Response> PutFeedback(CoherenceService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto pair, PairOf(req));
  GMG_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(req));
  std::string verdict = body.String("verdict", true, 40).value_or("");
  std::string comment =
      body.String("comment", false, CoherenceService::kMaxCommentBytes, true).value_or("");
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(Overlap o,
                       s.SetFeedback(req.principal, pair.first, pair.second, verdict, comment));
  return OverlapResponse(o);
}

Result<Response> DeleteFeedback(CoherenceService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto pair, PairOf(req));
  GMG_ASSIGN_OR_RETURN(Overlap o, s.ClearFeedback(req.principal, pair.first, pair.second));
  return OverlapResponse(o);
}

Result<Response> GetModel(CoherenceService& s, Request& /*req*/) {
  GMG_ASSIGN_OR_RETURN(CoherenceModel m, s.Model());
  return http::JsonResponse(200, ModelJson(m));
}

Result<Response> EstimateModel(CoherenceService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(CoherenceModel m, s.Estimate(req.principal));
  return http::JsonResponse(200, ModelJson(m));
}

Result<Response> CheckDrafts(CoherenceService& s, Request& req) {
  GMG_ASSIGN_OR_RETURN(std::vector<DraftCheck> drafts, DraftsOf(req));
  GMG_ASSIGN_OR_RETURN(auto answers, s.Check(req.principal, drafts));
  boost::json::array items;
  for (size_t i = 0; i < answers.size(); ++i) {
    boost::json::array overlaps;
    for (const Overlap& o : answers[i]) overlaps.push_back(OverlapJson(o));
    items.push_back({{"index", i}, {"overlaps", std::move(overlaps)}});
  }
  return http::JsonResponse(200, boost::json::object{{"items", std::move(items)},
                                                     {"status", StatusJson(s.AnalysisStatus())}});
}

// The coherence API at a glance: {method, path, who, handler, summary, tag}.
constexpr RouteRow<CoherenceService> kCoherenceRoutes[] = {
    {"GET", "/api/v1/coherence/overlaps", Access::kSignedIn, ListOverlaps,
     "Likely duplication and synergies between organisations' activities the viewer may see, "
     "own organisation's first (organization, country, region, theme, class, min_score, from, "
     "to, cluster, feedback)",
     "coherence"},
    {"GET", "/api/v1/coherence/overlaps/{id}", Access::kSignedIn, GetOverlap,
     "One finding, by its id \"a-b\" (404 when the pair is not a finding now)", "coherence"},
    {"PUT", "/api/v1/coherence/overlaps/{id}/feedback", Access::kSignedIn, PutFeedback,
     "Give a verdict on a finding {verdict, comment}: a focal point of either organisation, the "
     "secretariat or an administrator",
     "coherence"},
    {"DELETE", "/api/v1/coherence/overlaps/{id}/feedback", Access::kSignedIn, DeleteFeedback,
     "Withdraw the verdict on a finding", "coherence"},
    {"GET", "/api/v1/coherence/model", Access::kSignedIn, GetModel,
     "The weights the findings are scored with, now and by default, and the labels used",
     "coherence"},
    {"POST", "/api/v1/coherence/model/estimate", Access::kStaff, EstimateModel,
     "Re-fit the model from the corpus and every verdict", "coherence"},
    {"POST", "/api/v1/coherence/check", Access::kSignedIn, CheckDrafts,
     "Likely overlaps of draft activities {activity} or {activities: [...]} (up to 100; five "
     "each)",
     "coherence"},
};

}  // namespace

void AddCoherenceRoutes(http::Router& router, CoherenceService& coherence) {
  http::AddRoutes(router, coherence, kCoherenceRoutes);
}

}  // namespace gmg
