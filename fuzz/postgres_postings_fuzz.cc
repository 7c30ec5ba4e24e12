// Fuzz target: what the PostgreSQL text index reads back from the server in its own forms
// (activities/postgres_postings.h): a word's postings as a bigint[] in array_send's binary form,
// and a document as a tsvector's text form. Both tables are data that any writer of the database
// can change, so the parsers must refuse what is not the form rather than trust its lengths.
//
// The first byte picks the parser; the rest is its input. Checks beyond "no crash, no sanitizer
// report, no allocation beyond -rss_limit_mb":
// - postings that parse come from SendPostingEntries of the same entries (one canonical form,
//   the dimension's lower bound aside, which is not read), and never more than the bytes allow;
// - a tsvector that parses gives lexemes that, written back quoted and without positions, parse
//   to the same lexemes with no occurrences.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "activities/postgres_postings.h"
#include "fuzz_check.h"

namespace {

void CheckPostings(std::string_view bytes) {
  std::vector<gmg::TextPosting> out;
  if (!gmg::AppendPostingEntries(bytes, &out).ok()) return;
  GMG_FUZZ_CHECK(out.size() <= bytes.size() / 12);
  std::vector<int64_t> entries;
  for (const gmg::TextPosting& p : out) {
    entries.push_back(p.id * gmg::kPostingEntryShift + static_cast<int64_t>(p.freq));
  }
  std::string again = gmg::SendPostingEntries(entries);
  if (entries.empty()) {
    GMG_FUZZ_CHECK(bytes.size() == 12);
    return;
  }
  GMG_FUZZ_CHECK(again.size() == bytes.size());
  std::string same(bytes);
  same.replace(16, 4, again, 16, 4);  // the lower bound, which is not read
  GMG_FUZZ_CHECK(again == same);
}

std::string Quoted(const std::string& lexeme) {
  std::string out = "'";
  for (char c : lexeme) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

void CheckTsvector(std::string_view doc) {
  std::vector<std::pair<std::string, int64_t>> got;
  auto collect = [&](const std::string& lexeme, int64_t n) { got.emplace_back(lexeme, n); };
  if (!gmg::ForEachTsvectorLexeme(doc, collect).ok()) return;
  std::string written;
  for (const auto& [lexeme, n] : got) {
    GMG_FUZZ_CHECK(n >= 0 && static_cast<size_t>(n) <= 5 * doc.size());
    if (!written.empty()) written += ' ';
    written += Quoted(lexeme);
  }
  std::vector<std::pair<std::string, int64_t>> again;
  auto collect_again = [&](const std::string& lexeme, int64_t n) { again.emplace_back(lexeme, n); };
  GMG_FUZZ_CHECK(gmg::ForEachTsvectorLexeme(written, collect_again).ok());
  GMG_FUZZ_CHECK(again.size() == got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    GMG_FUZZ_CHECK(again[i].first == got[i].first && again[i].second == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    CheckPostings(input);
  } else {
    CheckTsvector(input);
  }
  return 0;
}
