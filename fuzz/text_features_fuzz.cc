// Fuzz target: the overlap engine's text analysis (src/coherence/text_features.h) and the exact
// pair scorer, which read any activity's titles and descriptions in any language.
// Input: a language tag, a newline, then the text (split in two halves: two records' texts).
//
// Checks beyond "no crash, no sanitizer report":
// - every token is non-empty and no longer than the text;
// - a vector's terms are sorted and unique, its norms finite and not negative;
// - cosines are within [0, 1] (up to rounding), a non-empty text is ~1 similar to itself, and
//   the similarity is symmetric; TermTable gives TextSimilarity to the last bit;
// - ScorePair of two records of different organisations gives a probability within [0, 1],
//   one contribution per comparison, and weight = prior + the contributions.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coherence/overlap_engine.h"
#include "coherence/text_features.h"
#include "fuzz_check.h"

namespace {

namespace co = gmg::coherence;

void CheckVector(const co::TextVector& v) {
  for (size_t i = 1; i < v.terms.size(); ++i) GMG_FUZZ_CHECK(v.terms[i - 1].term < v.terms[i].term);
  GMG_FUZZ_CHECK(std::isfinite(v.norm) && v.norm >= 0);
  GMG_FUZZ_CHECK(std::isfinite(v.concept_norm) && v.concept_norm >= 0);
}

bool Unit(double x) { return std::isfinite(x) && x >= 0 && x <= 1 + 1e-9; }

co::Record RecordOf(int64_t id, const char* org, std::string_view lang, std::string_view text) {
  co::Record r;
  r.id = id;
  r.organization_id = org;
  r.type = "training";
  r.themes = {"trafficking"};
  r.countries = {"NG"};
  size_t cut = text.size() / 3;
  r.titles = {{std::string(lang), std::string(text.substr(0, cut))}};
  r.descriptions = {{std::string(lang), std::string(text.substr(cut))}};
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t newline = in.find('\n');
  std::string_view lang = newline == std::string_view::npos ? "" : in.substr(0, newline);
  std::string_view text = newline == std::string_view::npos ? in : in.substr(newline + 1);
  if (lang.size() > 16) lang = lang.substr(0, 16);

  for (const std::string& token : co::Tokenise(text)) {
    GMG_FUZZ_CHECK(!token.empty() && token.size() <= text.size());
    std::string stem = co::Stem(lang, token);
    GMG_FUZZ_CHECK(stem.size() <= 4 * token.size() + 4);
  }
  co::TextTerms(lang, text);

  std::string_view first = text.substr(0, text.size() / 2);
  std::string_view second = text.substr(text.size() / 2);
  co::TextVector a = co::AnalyseTexts({{std::string(lang), std::string(first)}}, {});
  co::TextVector b = co::AnalyseTexts({{"fr", std::string(second)}}, {});
  CheckVector(a);
  CheckVector(b);
  GMG_FUZZ_CHECK(Unit(co::Cosine(a, b)) && Unit(co::ConceptCosine(a, b)));
  GMG_FUZZ_CHECK(Unit(co::TextSimilarity(a, b)));
  GMG_FUZZ_CHECK(std::fabs(co::TextSimilarity(a, b) - co::TextSimilarity(b, a)) < 1e-9);
  if (!a.empty() && a.norm > 0) GMG_FUZZ_CHECK(std::fabs(co::Cosine(a, a) - 1) < 1e-6);
  // The engine's term table gives the same similarity as the merge, to the last bit.
  co::TermTable table;
  for (const co::TextVector* x : {&a, &b}) {
    table.Reset(*x);
    GMG_FUZZ_CHECK(table.Similarity(a) == co::TextSimilarity(*x, a));
    GMG_FUZZ_CHECK(table.Similarity(b) == co::TextSimilarity(*x, b));
  }

  auto finding = co::ScorePair(RecordOf(1, "iom", lang, first), RecordOf(2, "unodc", "es", second),
                               co::Model::Defaults());
  GMG_FUZZ_CHECK(finding.has_value());
  GMG_FUZZ_CHECK(Unit(finding->probability) && Unit(finding->text_similarity));
  GMG_FUZZ_CHECK(finding->contributions.size() == static_cast<size_t>(co::kComparisonCount));
  double sum = co::Model::Defaults().prior_weight;
  for (const auto& c : finding->contributions) sum += c.weight;
  GMG_FUZZ_CHECK(std::fabs(sum - finding->weight) < 1e-6);
  return 0;
}
