// Fuzz target: percent decoding, query strings and paging (`?limit=` and `?cursor=`), as the
// server applies them to a request target. Input: the query string, the part after '?'.
//
// Checks beyond "no crash, no sanitizer report":
// - PercentDecode: the output is never longer than the input, and decoding what was fully
//   escaped gives back the original bytes;
// - QueryTerms (a search's names of places and themes) on `q`: every term it reads is words
//   of the query, and what it leaves is never longer than the query;
// - ParsePage on the decoded parameters: a page that is accepted has 1 <= limit <= 500, a
//   cursor >= 0, and `after + limit` (the position a route continues from) cannot overflow
//   (issue 7, defect 1); a cursor the server gives out (EncodeCursor) is read back as itself.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "activities/query_terms.h"
#include "fuzz_check.h"
#include "http/message.h"
#include "http/paging.h"

namespace {

namespace http = gmg::http;

std::string EscapeAll(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

void CheckPercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  if (!http::PercentDecode(in, plus_is_space, &out)) return;
  GMG_FUZZ_CHECK(out.size() <= in.size());
  std::string back;
  GMG_FUZZ_CHECK(http::PercentDecode(EscapeAll(out), plus_is_space, &back));
  GMG_FUZZ_CHECK(back == out);
}

void CheckPage(const http::Request& request) {
  auto page = http::ParsePage(request);
  if (!page.ok()) {
    GMG_FUZZ_CHECK(page.error().code == gmg::ErrorCode::kInvalidArgument);
    GMG_FUZZ_CHECK(!page.error().details.empty());
    return;
  }
  GMG_FUZZ_CHECK(page->limit >= 1 && page->limit <= 500);
  if (!page->after) return;
  GMG_FUZZ_CHECK(*page->after >= 0 && *page->after <= http::kMaxCursorPosition);
  GMG_FUZZ_CHECK(*page->after <= std::numeric_limits<int64_t>::max() - page->limit);

  http::Request again;
  again.query.emplace_back("cursor", http::EncodeCursor(*page->after));
  auto reread = http::ParsePage(again);
  GMG_FUZZ_CHECK(reread.ok() && reread->after == page->after);
}

void CheckQueryTerms(const http::Request& request) {
  static const gmg::QueryTerms kTerms(std::vector<std::pair<std::string, std::string>>{
      {"remittances", "Remittances"}, {"diaspora", "Diaspora"}});
  for (const auto& [k, v] : request.query) {
    if (k != "q") continue;
    gmg::QueryInterpretation r = kTerms.Interpret(v);
    for (const auto& t : r.terms) GMG_FUZZ_CHECK(v.find(t.words) != std::string::npos);
    GMG_FUZZ_CHECK(r.remaining.size() <= v.size() + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view qs(reinterpret_cast<const char*>(data), size);
  CheckPercentDecode(qs, true);
  CheckPercentDecode(qs, false);

  http::Request request;
  request.target = "/api/v1/activities?" + std::string(qs);
  if (!http::ParseQueryString(qs, &request.query)) return 0;
  for (const auto& [k, v] : request.query) {
    GMG_FUZZ_CHECK(k.size() <= qs.size() && v.size() <= qs.size());
  }
  CheckPage(request);
  CheckQueryTerms(request);
  return 0;
}
