// Fuzz target: the one search's text handling (src/app/site_search.h): a query split into
// words, every word matched against a title and a body, and the snippet of the body around the
// first word found. Input: the query, a newline, the title, a newline, then the body.
//
// Checks beyond "no crash, no sanitizer report":
// - at most kMaxSiteQueryWords words, each non-empty, at most kMaxSiteWordBytes bytes, made of
//   letters and digits (any byte above 0x7F counts as one) without upper-case ASCII, each once;
// - a match score is 0 or between the number of words and twice it, and SiteMatchScoreFolded
//   gives the same from folded copies (the body cut in two at its first newline);
// - a snippet without its "…" marks is at most 200 bytes, holds no white space but single
//   spaces, and is valid UTF-8 when the body is.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/site_search.h"
#include "core/text.h"
#include "fuzz_check.h"

namespace {

std::string_view Cut(std::string_view& in) {
  size_t newline = in.find('\n');
  std::string_view head = in.substr(0, newline);
  in = newline == std::string_view::npos ? std::string_view() : in.substr(newline + 1);
  return head;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view query = Cut(in);
  std::string_view title = Cut(in);
  std::string_view body = in;

  std::vector<std::string> words = gmg::SiteQueryWords(query);
  GMG_FUZZ_CHECK(words.size() <= gmg::kMaxSiteQueryWords);
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string& w = words[k];
    GMG_FUZZ_CHECK(!w.empty() && w.size() <= gmg::kMaxSiteWordBytes);
    for (char c : w) {
      auto u = static_cast<unsigned char>(c);
      GMG_FUZZ_CHECK(u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
    }
    GMG_FUZZ_CHECK(std::find(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(k), w) ==
                   words.begin() + static_cast<std::ptrdiff_t>(k));
  }

  double score = gmg::SiteMatchScore(words, title, body);
  auto n = static_cast<double>(words.size());
  GMG_FUZZ_CHECK(score == 0 || (score >= n && score <= 2 * n));
  // The same score from ASCII-lower-cased copies, the body in two parts around a newline.
  std::string folded_title = gmg::ToLowerAscii(title);
  size_t newline = body.find('\n');
  std::string head = gmg::ToLowerAscii(body.substr(0, newline));
  std::string tail =
      newline == std::string_view::npos ? "" : gmg::ToLowerAscii(body.substr(newline + 1));
  GMG_FUZZ_CHECK(gmg::SiteMatchScoreFolded(words, folded_title, {head, tail}) == score);

  std::string snippet = gmg::SiteSnippet(body, words);
  std::string_view bare = snippet;
  constexpr std::string_view kEllipsis = "…";
  if (bare.starts_with(kEllipsis)) bare.remove_prefix(kEllipsis.size());
  if (bare.ends_with(kEllipsis)) bare.remove_suffix(kEllipsis.size());
  GMG_FUZZ_CHECK(bare.size() <= 200);
  GMG_FUZZ_CHECK(bare.find("  ") == std::string_view::npos);
  for (char c : bare) GMG_FUZZ_CHECK(c != '\n' && c != '\r' && c != '\t');
  if (gmg::fuzz::ValidUtf8(body)) GMG_FUZZ_CHECK(gmg::fuzz::ValidUtf8(snippet));
  return 0;
}
