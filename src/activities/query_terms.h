// Reading a search as people type it: "remittances africa" means activities on the theme
// Remittances in the region Africa, not documents holding both words. QueryTerms finds the
// words of a query that name a country, a UN M49 region (or LDC/LLDC/SIDS) or a theme, in
// English, French, Spanish or Arabic (accents and case ignored, longest name first: "South
// Africa" is a country, not "South" + the region), so that the search turns them into filters
// and says so; the other words stay the text to search.
// Thread-safety: a QueryTerms is immutable after construction; Interpret is const.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gmg {

// One recognised name.
struct QueryTerm {
  std::string words;   // as typed, e.g. "Afrique"
  std::string filter;  // "country", "region" or "theme"
  std::string code;    // ISO alpha-2, M49 code / group, or theme id
};

struct QueryInterpretation {
  std::vector<QueryTerm> terms;  // in the order typed, each code once
  std::string remaining;         // the other words, as typed, joined by spaces ("" if none
                                 // but joining words such as "and", "en", "y")
};

class QueryTerms {
 public:
  // Countries and regions come from core/codelists (with their translations); themes are
  // (id, name) pairs from the taxonomy (any names: the taxonomy can change). A theme's id
  // ("labour-migration") is a name too, and the seeded themes also answer to French and
  // Spanish names.
  explicit QueryTerms(const std::vector<std::pair<std::string, std::string>>& themes);

  // Reads at most the first 64 words of `query` (the rest stay text).
  QueryInterpretation Interpret(std::string_view query) const;

  // Lower case, Latin accents removed ("Côte d'Ivoire" → "cote d ivoire"): how names and
  // queries are compared. Exposed for tests.
  static std::string Fold(std::string_view text);

 private:
  void Add(std::string_view name, const char* filter, const std::string& code);

  std::map<std::string, std::pair<const char*, std::string>, std::less<>> names_;
  size_t longest_ = 1;  // words in the longest name
};

}  // namespace gmg
