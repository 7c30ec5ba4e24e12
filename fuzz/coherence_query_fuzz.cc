// Fuzz target: the coherence queries a reader sends (issue 10): the overlaps list's filters and
// the gap query, parsed from a query string as the server does (coherence/coherence_query_api.h).
// Input: the query string, the part after '?'.
//
// Checks beyond "no crash, no sanitizer report":
// - a refused query is kInvalidArgument naming one parameter of the query (details[0].field);
// - an accepted overlaps filter holds only what the parser promises: a known country (upper
//   case) and region, min_score in [0, 1], a cluster > 0, a feedback of the listed words;
// - an accepted gap query has 1 <= limit <= kMaxGapLimit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "coherence/coherence_query_api.h"
#include "core/codelists.h"
#include "fuzz_check.h"
#include "http/message.h"

namespace {

namespace http = gmg::http;

bool Asked(const http::Request& request, const std::string& field) {
  for (const auto& [k, v] : request.query) {
    if (k == field) return true;
  }
  return false;
}

void CheckRefusal(const gmg::Error& error, const http::Request& request) {
  GMG_FUZZ_CHECK(error.code == gmg::ErrorCode::kInvalidArgument);
  GMG_FUZZ_CHECK(!error.details.empty());
  GMG_FUZZ_CHECK(Asked(request, error.details[0].field));
}

void CheckOverlapFilter(const http::Request& request) {
  auto f = gmg::ParseOverlapFilter(request);
  if (!f.ok()) return CheckRefusal(f.error(), request);
  if (!f->country.empty()) {
    GMG_FUZZ_CHECK(gmg::FindCountry(f->country) != nullptr);
    for (char c : f->country) GMG_FUZZ_CHECK(!(c >= 'a' && c <= 'z'));
  }
  if (!f->region.empty()) GMG_FUZZ_CHECK(gmg::FindRegion(f->region) != nullptr);
  GMG_FUZZ_CHECK(f->min_score >= 0 && f->min_score <= 1);
  if (f->cluster) GMG_FUZZ_CHECK(*f->cluster > 0);
  if (!f->feedback.empty() && f->feedback != "none" && f->feedback != "any") {
    GMG_FUZZ_CHECK(gmg::coherence::ParseVerdict(f->feedback).has_value());
  }
}

void CheckGapQuery(const http::Request& request) {
  auto q = gmg::ParseGapQuery(request);
  if (!q.ok()) return CheckRefusal(q.error(), request);
  GMG_FUZZ_CHECK(q->limit >= 1 && q->limit <= gmg::kMaxGapLimit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view qs(reinterpret_cast<const char*>(data), size);
  http::Request request;
  request.target = "/api/v1/coherence/overlaps?" + std::string(qs);
  if (!http::ParseQueryString(qs, &request.query)) return 0;
  CheckOverlapFilter(request);
  CheckGapQuery(request);
  return 0;
}
