// Fuzz target: the training catalogue's search text (src/training/training_text.h): a query
// split into words, each word's LIKE pattern, and the snippet of a description around a match.
// Input: the query, a newline, then the description.
//
// Checks beyond "no crash, no sanitizer report":
// - every word is non-empty, holds no ASCII white space and no upper-case ASCII letter, and the
//   words are no longer together than the query;
// - a pattern is the word wrapped in %, with every %, _ and \ of the word escaped (so
//   unescaped, it gives the word back);
// - a snippet (without its "…" marks) is a piece of the description of at most 160 bytes, and
//   when the description is valid UTF-8, so is the snippet (never a character cut in two).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "training/training_text.h"

namespace {

std::string Unescape(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
    out += pattern[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t newline = in.find('\n');
  std::string_view query = newline == std::string_view::npos ? in : in.substr(0, newline);
  std::string_view text = newline == std::string_view::npos ? "" : in.substr(newline + 1);

  size_t total = 0;
  for (const std::string& w : gmg::TrainingQueryWords(query)) {
    GMG_FUZZ_CHECK(!w.empty());
    total += w.size();
    for (char c : w) {
      GMG_FUZZ_CHECK(c != ' ' && c != '\t' && c != '\r' && c != '\n');
      GMG_FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    }
    std::string pattern = gmg::TrainingLikePattern(w);
    GMG_FUZZ_CHECK(pattern.size() >= 2 && pattern.front() == '%' && pattern.back() == '%');
    std::string_view inner = std::string_view(pattern).substr(1, pattern.size() - 2);
    for (size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] == '\\') {
        GMG_FUZZ_CHECK(i + 1 < inner.size());
        ++i;
      } else {
        GMG_FUZZ_CHECK(inner[i] != '%' && inner[i] != '_');
      }
    }
    GMG_FUZZ_CHECK(Unescape(inner) == w);
  }
  GMG_FUZZ_CHECK(total <= query.size());

  const std::string_view kMark = "…";
  for (size_t at : {size_t{0}, text.size() / 2, text.size(), text.size() + 7}) {
    std::string snippet = gmg::TrainingSnippet(text, at);
    std::string_view body = snippet;
    if (body.starts_with(kMark)) body.remove_prefix(kMark.size());
    if (body.ends_with(kMark)) body.remove_suffix(kMark.size());
    GMG_FUZZ_CHECK(body.size() <= gmg::kTrainingSnippetBytes);
    GMG_FUZZ_CHECK(text.find(body) != std::string_view::npos);
    if (gmg::fuzz::ValidUtf8(text)) GMG_FUZZ_CHECK(gmg::fuzz::ValidUtf8(body));
  }
  return 0;
}
