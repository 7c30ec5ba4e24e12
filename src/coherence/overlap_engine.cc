#include "coherence/overlap_engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <functional>
#include <numeric>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "activities/activity.h"
#include "coherence/pair_map.h"
#include "coherence/text_features.h"
#include "core/codelists.h"
#include "core/huge_pages.h"

namespace gmg::coherence {

// ---------------------------------------------------------------------------------------------
// Names, levels and the default model.

const char* FindingClassName(FindingClass c) {
  return c == FindingClass::kSynergy ? "synergy" : "duplication";
}

const char* ComparisonName(Comparison c) {
  switch (c) {
    case Comparison::kPlaces:
      return "places";
    case Comparison::kThemes:
      return "themes";
    case Comparison::kPeriod:
      return "period";
    case Comparison::kType:
      return "type";
    case Comparison::kText:
      return "text";
    case Comparison::kSectors:
      return "sectors";
    case Comparison::kPartners:
      return "partners";
    case Comparison::kBudget:
      return "budget";
  }
  return "";
}

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kConfirmedDuplication:
      return "confirmed_duplication";
    case Verdict::kComplementary:
      return "complementary";
    case Verdict::kUnrelated:
      return "unrelated";
    case Verdict::kDismissed:
      return "dismissed";
  }
  return "";
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (auto v : {Verdict::kConfirmedDuplication, Verdict::kComplementary, Verdict::kUnrelated,
                 Verdict::kDismissed}) {
    if (name == VerdictName(v)) return v;
  }
  return std::nullopt;
}

namespace {

struct LevelDef {
  const char* name;
  double m;
  double u;
};

// The defaults, set by hand (m = P(level | the two are overlapping work), u = P(level | not)),
// u from the level shares among the candidate pairs of the synthetic corpus. A pair of the same
// country, themes and type needs agreeing periods (periods that barely overlap or are disjoint
// weigh about -6.6 and -7.5) and some agreement of text, sectors, partners or budget to pass
// the prior of -10; different kinds of work that are not complementary (-8.5) need texts that
// agree strongly on top of everything else. For complementary kinds of work in the same place
// and time on shared themes (a synergy) the negative levels of text and budget weigh 0 (see
// WeightTable::Of). "unknown" levels weigh 0.
constexpr LevelDef kPlaceLevels[] = {{"same_country", 0.85, 0.05}, {"same_region", 0.08, 0.05},
                                     {"both_global", 0.04, 0.01},  {"one_global", 0.02, 0.05},
                                     {"none", 0.01, 0.89},         {"unknown", 1, 1}};
constexpr LevelDef kThemeLevels[] = {{"all", 0.70, 0.05},
                                     {"most", 0.20, 0.10},
                                     {"some", 0.08, 0.25},
                                     {"none", 0.02, 0.60},
                                     {"unknown", 1, 1}};
constexpr LevelDef kPeriodLevels[] = {{"most", 0.80, 0.07},
                                      {"half", 0.18, 0.15},
                                      {"some", 0.005, 0.50},
                                      {"disjoint", 0.001, 0.18},
                                      {"unknown", 1, 1}};
constexpr LevelDef kTypeLevels[] = {{"same", 0.60, 0.15},
                                    {"complementary", 0.35, 0.10},
                                    {"different", 0.002, 0.70},
                                    {"unknown", 1, 1}};
constexpr LevelDef kTextLevels[] = {{"ge80", 0.40, 0.001}, {"ge60", 0.25, 0.02},
                                    {"ge40", 0.10, 0.06},  {"ge20", 0.05, 0.20},
                                    {"lt20", 0.02, 0.875}, {"empty", 1, 1}};
constexpr LevelDef kSectorLevels[] = {
    {"same", 0.35, 0.10}, {"some", 0.35, 0.15}, {"none", 0.30, 0.77}, {"unknown", 1, 1}};
constexpr LevelDef kPartnerLevels[] = {
    {"shared", 0.50, 0.10}, {"none", 0.50, 0.90}, {"unknown", 1, 1}};
constexpr LevelDef kBudgetLevels[] = {
    {"close", 0.60, 0.20}, {"similar", 0.30, 0.35}, {"far", 0.10, 0.45}, {"unknown", 1, 1}};

constexpr int kMaxLevels = 6;

std::span<const LevelDef> LevelDefs(Comparison c) {
  switch (c) {
    case Comparison::kPlaces:
      return kPlaceLevels;
    case Comparison::kThemes:
      return kThemeLevels;
    case Comparison::kPeriod:
      return kPeriodLevels;
    case Comparison::kType:
      return kTypeLevels;
    case Comparison::kText:
      return kTextLevels;
    case Comparison::kSectors:
      return kSectorLevels;
    case Comparison::kPartners:
      return kPartnerLevels;
    case Comparison::kBudget:
      return kBudgetLevels;
  }
  return {};
}

// The level index that means "missing data" (always the last).
int UnknownLevel(Comparison c) { return static_cast<int>(LevelDefs(c).size()) - 1; }

Comparison ComparisonAt(int k) { return static_cast<Comparison>(k); }

// Level indices of the places comparison (and of the others, where the code tests them).
enum PlaceLevel : uint8_t { kSameCountry, kSameRegion, kBothGlobal, kOneGlobal, kNoPlace };
enum TypeLevel : uint8_t { kSameType, kComplementaryType, kDifferentType };
enum ThemeLevelIndex : uint8_t { kAllThemes, kMostThemes, kSomeThemes };
enum PeriodLevelIndex : uint8_t { kMostPeriod, kHalfPeriod, kSomePeriod };

}  // namespace

std::vector<std::string> LevelsOf(Comparison c) {
  std::vector<std::string> out;
  for (const auto& l : LevelDefs(c)) out.emplace_back(l.name);
  return out;
}

bool AreComplementaryTypes(std::string_view a, std::string_view b) {
  static constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
      {"research", "technical_assistance"},
      {"research", "policy_dialogue"},
      {"research", "data_statistics"},
      {"training", "operational_programme"},
      {"technical_assistance", "operational_programme"},
      {"data_statistics", "policy_dialogue"},
      {"normative", "technical_assistance"},
      {"normative", "policy_dialogue"},
  };
  for (const auto& [x, y] : kPairs) {
    if ((a == x && b == y) || (a == y && b == x)) return true;
  }
  return false;
}

Model Model::Defaults() {
  Model model;
  model.prior_weight = -10;
  for (int k = 0; k < kComparisonCount; ++k) {
    for (const auto& l : LevelDefs(ComparisonAt(k))) {
      model.levels.push_back({ComparisonAt(k), l.name, l.m, l.u, l.m, l.u});
    }
  }
  return model;
}

double Model::WeightOf(Comparison c, std::string_view level) const {
  for (const auto& l : levels) {
    if (l.comparison == c && l.level == level) {
      if (l.m <= 0 || l.u <= 0) return 0;
      return std::log2(l.m / l.u);
    }
  }
  return 0;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Per-record features, computed once.

constexpr int kTypeCount = static_cast<int>(std::size(kActivityTypes));
constexpr int kOtherType = kTypeCount;  // "" or not one of kActivityTypes
constexpr int kTypeSlots = kTypeCount + 1;

int TypeIndex(std::string_view type) {
  for (int k = 0; k < kTypeCount; ++k) {
    if (kActivityTypes[k] == type) return k;
  }
  return kOtherType;
}

// complementary[a][b]
const std::array<std::array<bool, kTypeSlots>, kTypeSlots>& ComplementTable() {
  static const auto kTable = [] {
    std::array<std::array<bool, kTypeSlots>, kTypeSlots> t{};
    for (int a = 0; a < kTypeCount; ++a) {
      for (int b = 0; b < kTypeCount; ++b) {
        t[a][b] = AreComplementaryTypes(kActivityTypes[a], kActivityTypes[b]);
      }
    }
    return t;
  }();
  return kTable;
}

std::vector<uint64_t> HashSet(const std::vector<std::string>& values) {
  std::vector<uint64_t> out;
  out.reserve(values.size());
  for (const auto& v : values) {
    if (!v.empty()) out.push_back(HashToken(v));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Period {
  int32_t from = 0;
  int32_t to = 0;
};

// The period of a record: both dates, or one date and a year, or none.
std::optional<Period> PeriodOf(const Record& r) {
  constexpr int32_t kYear = 364;
  if (r.starts_on && r.ends_on) {
    int32_t a = r.starts_on->days();
    int32_t b = r.ends_on->days();
    return Period{std::min(a, b), std::max(a, b)};
  }
  if (r.starts_on) return Period{r.starts_on->days(), r.starts_on->days() + kYear};
  if (r.ends_on) return Period{r.ends_on->days() - kYear, r.ends_on->days()};
  return std::nullopt;
}

enum CodeList : uint8_t { kThemeCodes, kCountryCodes, kRegionCodes, kSectorCodes, kPartnerCodes };
constexpr int kCodeLists = 5;
constexpr size_t kMaxCodes = 48;  // per list: enough for any real activity, bounded for a bad one

// One record's features, flat: its code lists share one vector (a candidate's comparison
// touches few cache lines).
struct Features {
  uint64_t org = 0;
  uint64_t type_hash = 0;  // 0 when no type
  int type = kOtherType;
  bool is_global = false;
  std::optional<Period> period;
  double budget = 0;  // > 0 when known
  uint64_t currency = 0;
  std::vector<uint64_t> codes;
  std::array<uint8_t, kCodeLists + 1> offsets{};
  TextVector text;

  std::span<const uint64_t> List(CodeList k) const {
    return {codes.data() + offsets[k], codes.data() + offsets[k + 1]};
  }
  std::span<const uint64_t> themes() const { return List(kThemeCodes); }
  std::span<const uint64_t> countries() const { return List(kCountryCodes); }
  std::span<const uint64_t> regions() const { return List(kRegionCodes); }
  std::span<const uint64_t> sectors() const { return List(kSectorCodes); }
  std::span<const uint64_t> partners() const { return List(kPartnerCodes); }
};

Features MakeFeatures(const Record& r) {
  Features f;
  f.org = HashToken(r.organization_id);
  f.type_hash = r.type.empty() ? 0 : HashToken(r.type);
  f.type = TypeIndex(r.type);
  f.is_global = r.is_global;
  const std::vector<std::string>* lists[kCodeLists] = {&r.themes, &r.countries, &r.regions,
                                                       &r.sectors, &r.partners};
  for (int k = 0; k < kCodeLists; ++k) {
    auto set = HashSet(*lists[k]);
    if (set.size() > kMaxCodes) set.resize(kMaxCodes);
    f.codes.insert(f.codes.end(), set.begin(), set.end());
    f.offsets[k + 1] = static_cast<uint8_t>(f.codes.size());
  }
  f.period = PeriodOf(r);
  if (r.budget && std::isfinite(*r.budget) && *r.budget > 0) f.budget = *r.budget;
  f.currency = HashToken(r.currency);
  f.text = AnalyseTexts(r.titles, r.descriptions);
  return f;
}

size_t IntersectionSize(std::span<const uint64_t> a, std::span<const uint64_t> b) {
  size_t n = 0;
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Exact comparison of two records.

struct PairScore {
  std::array<uint8_t, kComparisonCount> levels{};
  float text_similarity = 0;
};

uint8_t PlacesLevel(const Features& a, const Features& b) {
  if (IntersectionSize(a.countries(), b.countries()) > 0) return kSameCountry;
  if (IntersectionSize(a.regions(), b.regions()) > 0) return kSameRegion;
  bool a_places = !a.countries().empty() || !a.regions().empty();
  bool b_places = !b.countries().empty() || !b.regions().empty();
  if (a.is_global && b.is_global) return kBothGlobal;
  if ((a.is_global && b_places) || (b.is_global && a_places)) return kOneGlobal;
  bool comparable = (!a.countries().empty() && !b.countries().empty()) ||
                    (!a.regions().empty() && !b.regions().empty());
  if (comparable) return kNoPlace;
  return static_cast<uint8_t>(UnknownLevel(Comparison::kPlaces));
}

uint8_t ThemesLevel(const Features& a, const Features& b) {
  if (a.themes().empty() || b.themes().empty()) {
    return static_cast<uint8_t>(UnknownLevel(Comparison::kThemes));
  }
  size_t shared = IntersectionSize(a.themes(), b.themes());
  size_t all = a.themes().size() + b.themes().size() - shared;
  if (shared == all) return 0;
  if (2 * shared >= all) return 1;
  return shared > 0 ? 2 : 3;
}

uint8_t PeriodLevel(const Features& a, const Features& b) {
  if (!a.period || !b.period) return static_cast<uint8_t>(UnknownLevel(Comparison::kPeriod));
  int64_t lo = std::max(a.period->from, b.period->from);
  int64_t hi = std::min(a.period->to, b.period->to);
  if (hi < lo) return 3;
  int64_t overlap = hi - lo + 1;
  int64_t uni =
      int64_t{std::max(a.period->to, b.period->to)} - std::min(a.period->from, b.period->from) + 1;
  double ratio = static_cast<double>(overlap) / static_cast<double>(uni);
  if (ratio >= 0.8) return 0;
  return ratio >= 0.5 ? 1 : 2;
}

uint8_t TypeLevel(const Features& a, const Features& b) {
  if (a.type_hash == 0 || b.type_hash == 0) {
    return static_cast<uint8_t>(UnknownLevel(Comparison::kType));
  }
  if (a.type_hash == b.type_hash) return kSameType;
  if (a.type != kOtherType && b.type != kOtherType && ComplementTable()[a.type][b.type]) {
    return kComplementaryType;
  }
  return kDifferentType;
}

uint8_t TextLevel(double similarity, bool empty) {
  if (empty) return static_cast<uint8_t>(UnknownLevel(Comparison::kText));
  constexpr double kBounds[] = {0.8, 0.6, 0.4, 0.2};
  for (uint8_t k = 0; k < 4; ++k) {
    if (similarity >= kBounds[k] - 1e-9) return k;
  }
  return 4;
}

uint8_t SectorsLevel(const Features& a, const Features& b) {
  if (a.sectors().empty() || b.sectors().empty()) {
    return static_cast<uint8_t>(UnknownLevel(Comparison::kSectors));
  }
  size_t shared = IntersectionSize(a.sectors(), b.sectors());
  if (shared == a.sectors().size() && shared == b.sectors().size()) return 0;
  return shared > 0 ? 1 : 2;
}

uint8_t PartnersLevel(const Features& a, const Features& b) {
  if (a.partners().empty() || b.partners().empty()) {
    return static_cast<uint8_t>(UnknownLevel(Comparison::kPartners));
  }
  return IntersectionSize(a.partners(), b.partners()) > 0 ? 0 : 1;
}

uint8_t BudgetLevel(const Features& a, const Features& b) {
  if (a.budget <= 0 || b.budget <= 0 || a.currency != b.currency) {
    return static_cast<uint8_t>(UnknownLevel(Comparison::kBudget));
  }
  double ratio = std::fabs(std::log2(a.budget / b.budget));
  if (ratio <= 0.5) return 0;
  return ratio <= 2 ? 1 : 2;
}

// Every comparison but the text's (the cheap part).
PairScore CompareCodes(const Features& a, const Features& b) {
  PairScore s;
  s.levels[static_cast<int>(Comparison::kPlaces)] = PlacesLevel(a, b);
  s.levels[static_cast<int>(Comparison::kThemes)] = ThemesLevel(a, b);
  s.levels[static_cast<int>(Comparison::kPeriod)] = PeriodLevel(a, b);
  s.levels[static_cast<int>(Comparison::kType)] = TypeLevel(a, b);
  s.levels[static_cast<int>(Comparison::kSectors)] = SectorsLevel(a, b);
  s.levels[static_cast<int>(Comparison::kPartners)] = PartnersLevel(a, b);
  s.levels[static_cast<int>(Comparison::kBudget)] = BudgetLevel(a, b);
  return s;
}

// The text comparison of `s` from the texts' similarity (`empty`: one text or both are).
void SetText(double similarity, bool empty, PairScore& s) {
  s.text_similarity = static_cast<float>(similarity);
  s.levels[static_cast<int>(Comparison::kText)] = TextLevel(similarity, empty);
}

// The text comparison of a record with `b`; `a` is the record's text table.
void CompareText(const TermTable& a, bool a_empty, const Features& b, PairScore& s) {
  bool empty = a_empty || b.text.empty();
  SetText(empty ? 0 : a.Similarity(b.text), empty, s);
}

void CompareText(const Features& a, const Features& b, PairScore& s) {
  bool empty = a.text.empty() || b.text.empty();
  SetText(empty ? 0 : TextSimilarity(a.text, b.text), empty, s);
}

PairScore Compare(const Features& a, const Features& b) {
  PairScore s = CompareCodes(a, b);
  CompareText(a, b, s);
  return s;
}

// The model as a table of weights by comparison and level index.
struct WeightTable {
  double prior = -10;
  std::array<std::array<double, kMaxLevels>, kComparisonCount> w{};
  double text_max = 0;  // the most the text comparison can add (at least 0)

  explicit WeightTable(const Model& model) : prior(model.prior_weight) {
    for (int k = 0; k < kComparisonCount; ++k) {
      auto defs = LevelDefs(ComparisonAt(k));
      for (size_t l = 0; l < defs.size(); ++l) {
        w[k][l] = static_cast<int>(l) == UnknownLevel(ComparisonAt(k))
                      ? 0
                      : model.WeightOf(ComparisonAt(k), defs[l].name);
      }
    }
    const auto& text = w[static_cast<int>(Comparison::kText)];
    text_max = std::max(0.0, *std::max_element(text.begin(), text.end()));
  }
  // The weight comparison k adds to the pair. The negative levels of text and budget (texts
  // or budgets that differ) speak against duplication only: complementary kinds of work in the
  // same place (country or region), on shared themes, at overlapping times are described and
  // costed differently, so for them such a level weighs 0. (Such pairs always share a block.)
  double Of(int k, const PairScore& s) const {
    double weight = w[k][s.levels[k]];
    bool duplication_only =
        k == static_cast<int>(Comparison::kText) || k == static_cast<int>(Comparison::kBudget);
    if (duplication_only && weight < 0 && IsSynergyShaped(s)) return 0;
    return weight;
  }
  static bool IsSynergyShaped(const PairScore& s) {
    uint8_t place = s.levels[static_cast<int>(Comparison::kPlaces)];
    uint8_t themes = s.levels[static_cast<int>(Comparison::kThemes)];
    uint8_t period = s.levels[static_cast<int>(Comparison::kPeriod)];
    return s.levels[static_cast<int>(Comparison::kType)] == kComplementaryType &&
           (place == kSameCountry || place == kSameRegion) && themes <= kSomeThemes &&
           period <= kSomePeriod;
  }
  double Weight(const PairScore& s) const {
    double total = prior;
    for (int k = 0; k < kComparisonCount; ++k) total += Of(k, s);
    return total;
  }
  // The most a pair can weigh whatever its texts (its text level is not read).
  double UpperBoundBeforeText(const PairScore& s) const {
    double total = prior;
    for (int k = 0; k < kComparisonCount; ++k) {
      if (k != static_cast<int>(Comparison::kText)) total += Of(k, s);
    }
    return total + text_max;
  }
};

// The weight a pair needs to reach `probability`.
double WeightFor(double probability) {
  if (probability <= 0) return -1e300;
  if (probability >= 1) return 1e300;
  return std::log2(probability / (1 - probability));
}

double Probability(double weight) { return 1.0 / (1.0 + std::exp2(-weight)); }

FindingClass ClassOf(const PairScore& s) {
  return s.levels[static_cast<int>(Comparison::kType)] == kComplementaryType
             ? FindingClass::kSynergy
             : FindingClass::kDuplication;
}

std::vector<std::string> SharedStrings(const std::vector<std::string>& a,
                                       const std::vector<std::string>& b) {
  std::vector<std::string> x(a);
  std::vector<std::string> y(b);
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  std::vector<std::string> out;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The public Finding of a scored pair (a and b in any order).
Finding Materialise(const Record& ra, const Record& rb, const PairScore& s,
                    const WeightTable& table) {
  const Record& a = ra.id <= rb.id ? ra : rb;
  const Record& b = ra.id <= rb.id ? rb : ra;
  Finding f;
  f.a = a.id;
  f.b = b.id;
  f.version_a = a.version;
  f.version_b = b.version;
  f.finding_class = ClassOf(s);
  f.weight = table.Weight(s);
  f.probability = Probability(f.weight);
  f.text_similarity = s.text_similarity;
  for (int k = 0; k < kComparisonCount; ++k) {
    f.contributions.push_back(
        {ComparisonAt(k), LevelDefs(ComparisonAt(k))[s.levels[k]].name, table.Of(k, s)});
  }
  f.shared_countries = SharedStrings(a.countries, b.countries);
  f.shared_regions = SharedStrings(a.regions, b.regions);
  f.shared_themes = SharedStrings(a.themes, b.themes);
  f.shared_sectors = SharedStrings(a.sectors, b.sectors);
  f.shared_partners = SharedStrings(a.partners, b.partners);
  if (auto common = CommonPeriod(a, b)) {
    f.overlap_from = common->first;
    f.overlap_to = common->second;
  }
  f.cluster = a.id;
  return f;
}

template <class F>
bool BetterFinding(const F& x, const F& y) {
  if (x.probability != y.probability) return x.probability > y.probability;
  if (x.a != y.a) return x.a < y.a;
  return x.b < y.b;
}

}  // namespace

std::optional<std::pair<Date, Date>> CommonPeriod(const Record& a, const Record& b) {
  auto pa = PeriodOf(a);
  auto pb = PeriodOf(b);
  if (!pa || !pb) return std::nullopt;
  int32_t lo = std::max(pa->from, pb->from);
  int32_t hi = std::min(pa->to, pb->to);
  if (lo > hi) return std::nullopt;
  return std::pair{Date::FromDays(lo), Date::FromDays(hi)};
}

std::optional<Finding> ScorePair(const Record& a, const Record& b, const Model& model) {
  if (a.organization_id == b.organization_id || a.id == b.id) return std::nullopt;
  Features fa = MakeFeatures(a);
  Features fb = MakeFeatures(b);
  return Materialise(a, b, Compare(fa, fb), WeightTable(model));
}

// ---------------------------------------------------------------------------------------------
// The engine: blocks, the text index, candidates, findings, clusters.

namespace {

constexpr size_t kMaxPlaceKeys = 12;
constexpr size_t kMaxThemeKeys = 6;
constexpr int kMaxYearBuckets = 6;
constexpr int kYearsPerBucket = 2;
constexpr size_t kSignatureTerms = 8;      // terms per record in the text index
constexpr size_t kMaxPosting = 256;        // text-index terms more frequent are not followed
constexpr size_t kTextVerify = 20;         // text-index neighbours whose cosine is computed
constexpr double kTextCandidateMin = 0.3;  // text-index candidates below are not scored
constexpr size_t kDfSample = 100000;       // records read to estimate document frequencies

constexpr uint64_t kNoTheme = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t kNoYear = 0xbf58476d1ce4e5b9ULL;
constexpr uint64_t kAnyPlace = 0x94d049bb133111ebULL;   // "ty" keys: every record
constexpr uint64_t kWildPlace = 0x2545f4914f6cdd1dULL;  // global or placeless records

uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t h = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  h ^= h >> 31;
  h *= 0x7fb5d329728ea185ULL;
  h ^= h >> 27;
  return h;
}

// Records without a country (global, regional or placeless) cannot be blocked by country:
// they meet every record of their themes and years (the "ty" blocks, with the guard).
bool IsWildcard(const Features& f) { return f.is_global || f.countries().empty(); }

std::vector<uint64_t> YearBuckets(const Features& f) {
  if (!f.period) return {kNoYear};
  int first = Date::FromDays(f.period->from).year() / kYearsPerBucket;
  int last = Date::FromDays(f.period->to).year() / kYearsPerBucket;
  last = std::min(last, first + kMaxYearBuckets - 1);
  std::vector<uint64_t> out;
  for (int b = first; b <= last; ++b) out.push_back(static_cast<uint64_t>(b) + 1);
  return out;
}

std::vector<uint64_t> ThemeKeys(const Features& f) {
  auto themes = f.themes();
  if (themes.empty()) return {kNoTheme};
  return {themes.begin(),
          themes.begin() + static_cast<std::ptrdiff_t>(std::min(themes.size(), kMaxThemeKeys))};
}

std::vector<uint64_t> PlaceKeys(const Features& f) {
  std::vector<uint64_t> out;
  for (size_t k = 0; k < f.countries().size() && out.size() < kMaxPlaceKeys; ++k) {
    out.push_back(Mix(1, f.countries()[k]));
  }
  for (size_t k = 0; k < f.regions().size() && out.size() < kMaxPlaceKeys; ++k) {
    out.push_back(Mix(2, f.regions()[k]));
  }
  return out;
}

// The blocks a record is a member of, and those it looks into for candidates.
struct BlockKeys {
  std::vector<uint64_t> member;
  std::vector<uint64_t> query;
  std::vector<uint64_t> query_split;  // any-place and wildcard blocks: split by sector and year
};

// The types a record of type `type` is blocked with: its own, the complementary ones and the
// unknown ones (a record of unknown type meets every type).
std::vector<uint64_t> QueryTypes(int type) {
  std::vector<uint64_t> out;
  for (int t = 0; t < kTypeSlots; ++t) {
    if (type == kOtherType || t == type || t == kOtherType || ComplementTable()[type][t]) {
      out.push_back(static_cast<uint64_t>(t) + 1);
    }
  }
  return out;
}

// Blocks: place x theme x 2-year bucket x type. A record is a member of its blocks and looks
// into those of the same place, theme and bucket for its own, complementary and unknown types.
// Records without a country (global, regional, placeless) and the others meet when they share
// themes, years, first sector and start year ("any place" blocks for the former, "wildcard"
// blocks for the latter, always split so that global activities stay linear).
BlockKeys KeysOf(const Features& f) {
  BlockKeys keys;
  auto themes = ThemeKeys(f);
  auto years = YearBuckets(f);
  auto places = PlaceKeys(f);
  auto types = QueryTypes(f.type);
  uint64_t own_type = static_cast<uint64_t>(f.type) + 1;
  bool wildcard = IsWildcard(f);
  auto add = [&](std::vector<uint64_t>& to, uint64_t block) {
    for (uint64_t t : types) to.push_back(Mix(block, t));
  };
  for (uint64_t t : themes) {
    for (uint64_t y : years) {
      uint64_t ty = Mix(t, y);
      for (uint64_t p : places) {
        keys.member.push_back(Mix(Mix(p, ty), own_type));
        add(keys.query, Mix(p, ty));
      }
      keys.member.push_back(Mix(Mix(kAnyPlace, ty), own_type));
      if (wildcard) {
        keys.member.push_back(Mix(Mix(kWildPlace, ty), own_type));
        add(keys.query_split, Mix(kAnyPlace, ty));
      } else {
        add(keys.query_split, Mix(kWildPlace, ty));
      }
    }
  }
  for (auto* v : {&keys.member, &keys.query, &keys.query_split}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return keys;
}

int32_t StartYear(const Features& f) {
  return f.period ? Date::FromDays(f.period->from).year() : 0;
}

int32_t StartDay(const Features& f) { return f.period ? f.period->from : INT32_MIN; }

struct Block {
  // In MemberLess order: first sector, start year, start day, organisation, slot.
  std::vector<uint32_t> members;
};

// Marks which slots one record has seen (stamps, no clearing between records).
struct Scratch {
  std::vector<uint32_t> seen;
  std::vector<uint32_t> text_seen;
  std::vector<uint16_t> text_count;
  std::vector<uint32_t> touched;
  std::vector<uint32_t> pending;  // the candidates of the record being scored
  TermTable terms;                // its text, to compare with theirs
  uint32_t generation = 0;

  void Start(size_t slots) {
    if (seen.size() < slots) {
      seen.assign(slots + slots / 4 + 16, 0);
      text_seen.assign(seen.size(), 0);
      text_count.assign(seen.size(), 0);
      generation = 0;
    }
    if (++generation == 0) {
      std::fill(seen.begin(), seen.end(), 0);
      std::fill(text_seen.begin(), text_seen.end(), 0);
      generation = 1;
    }
    touched.clear();
  }
  bool Mark(uint32_t slot) {
    if (seen[slot] == generation) return false;
    seen[slot] = generation;
    return true;
  }
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Runs fn(i) for i in [0, n) on `threads` threads, in chunks.
void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn) {
  constexpr size_t kChunk = 64;
  std::atomic<size_t> next{0};
  auto work = [&] {
    while (true) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= n) return;
      size_t end = std::min(n, begin + kChunk);
      for (size_t i = begin; i < end; ++i) fn(i);
    }
  };
  int count = std::max(1, std::min<int>(threads, static_cast<int>((n + kChunk - 1) / kChunk)));
  std::vector<std::thread> pool;
  for (int t = 1; t < count; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Sorts `v` (ascending) on up to two threads: two halves at once, then merged.
template <class T>
void ParallelSort(std::vector<T>& v, int threads) {
  constexpr size_t kAlone = 1 << 16;  // smaller: one thread
  if (threads < 2 || v.size() < kAlone) {
    std::sort(v.begin(), v.end());
    return;
  }
  auto middle = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::thread first([&] { std::sort(v.begin(), middle); });
  std::sort(middle, v.end());
  first.join();
  std::inplace_merge(v.begin(), middle, v.end());
}

uint64_t PairKey(uint32_t x, uint32_t y) {
  if (x > y) std::swap(x, y);
  return (uint64_t{x} << 32) | y;
}

struct Candidate {
  uint32_t slot = 0;
  PairScore score;
  double weight = 0;
};

}  // namespace

struct OverlapEngine::Impl {
  Options options;
  Model model = Model::Defaults();
  WeightTable table{Model::Defaults()};
  std::vector<Record> records;  // by slot; a removed record's slot stays empty
  std::vector<Features> features;
  std::vector<std::vector<uint64_t>> signatures;
  std::vector<uint8_t> alive;
  std::vector<uint64_t> sector_of;  // the first sector's hash, 0 when none
  std::vector<int32_t> year_of;     // the start year, 0 when no dates
  std::vector<int32_t> day_of;      // the start day, INT32_MIN when no dates
  std::vector<uint64_t> org_of;
  std::unordered_map<int64_t, uint32_t> slot_of;
  std::unordered_map<uint64_t, Block> blocks;
  std::unordered_map<uint64_t, std::vector<uint32_t>> postings;
  PairMap<uint32_t> df;  // by term: records of the sample holding it
  size_t df_sample = 0;
  PairMap<PairScore> findings;                  // by PairKey
  std::vector<std::vector<uint32_t>> adjacent;  // slots with a finding, per slot
  std::vector<int64_t> cluster;                 // per slot
  Stats stats;
  bool keep_all = false;             // Estimate: every candidate, whatever its score
  std::vector<uint32_t> visit_mark;  // UpdateClustersAround's visited stamps, by slot
  uint32_t visit_generation = 0;

  int Threads() const {
    if (options.threads > 0) return options.threads;
    return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  }

  bool MemberLess(uint32_t x, uint32_t y) const {
    if (sector_of[x] != sector_of[y]) return sector_of[x] < sector_of[y];
    if (year_of[x] != year_of[y]) return year_of[x] < year_of[y];
    if (day_of[x] != day_of[y]) return day_of[x] < day_of[y];
    if (org_of[x] != org_of[y]) return org_of[x] < org_of[y];
    return x < y;
  }

  // ----- the text index

  std::vector<uint64_t> SignatureOf(const Features& f) const {
    std::vector<std::pair<double, uint64_t>> ranked;
    ranked.reserve(f.text.terms.size());
    double total = static_cast<double>(df_sample) + 1;
    for (const auto& t : f.text.terms) {
      const uint32_t* held = df.find(t.term);
      double count = held == nullptr ? 0 : *held;
      ranked.emplace_back(-t.weight * std::log(total / (count + 1)), t.term);
    }
    size_t keep = std::min(kSignatureTerms, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end());
    std::vector<uint64_t> out;
    for (size_t k = 0; k < keep; ++k) out.push_back(ranked[k].second);
    return out;
  }

  void BuildDocumentFrequencies() {
    df.clear();
    size_t n = features.size();
    size_t stride = std::max<size_t>(1, n / kDfSample);
    df_sample = 0;
    for (size_t i = 0; i < n; i += stride) {
      if (alive[i] == 0) continue;
      ++df_sample;
      for (const auto& t : features[i].text.terms) ++df[t.term];
    }
  }

  // Records whose text is like `f`'s (shares a signature term, cosine >= kTextCandidateMin),
  // best first, at most max_candidates_per_record; never `self` or `f`'s organisation.
  // scratch.terms must hold f's text (ScoreCandidates sets it).
  void TextCandidates(const Features& f, const std::vector<uint64_t>& signature, int64_t self,
                      Scratch& scratch, std::vector<uint32_t>& out) const {
    out.clear();
    scratch.touched.clear();
    uint16_t followed = 0;
    for (uint64_t term : signature) {
      auto it = postings.find(term);
      if (it == postings.end() || it->second.size() > kMaxPosting) continue;
      bool meets = false;  // another organisation's record holds the term
      for (uint32_t j : it->second) {
        if (static_cast<int64_t>(j) == self || org_of[j] == f.org) continue;
        meets = true;
        if (scratch.text_seen[j] != scratch.generation) {
          scratch.text_seen[j] = scratch.generation;
          scratch.text_count[j] = 0;
          scratch.touched.push_back(j);
        }
        ++scratch.text_count[j];
      }
      if (meets) ++followed;
    }
    // Neighbours sharing the most signature terms (three of eight, two of four or more), but
    // never more than the signature has terms rare enough to follow that another
    // organisation's record holds: in a large corpus a text whose other words are everyone's
    // still meets those that share its rare ones (a project's name, a place's), and a word of
    // its own (a typo) does not raise the bar. The same for a record in the corpus and for a
    // draft (Check), whose own terms are in no posting.
    uint16_t need = signature.size() >= 8 ? 3 : signature.size() >= 4 ? 2 : 1;
    need = std::min(need, followed);
    std::vector<std::pair<int, uint32_t>> shared;
    for (uint32_t j : scratch.touched) {
      if (scratch.text_count[j] >= need) shared.emplace_back(-scratch.text_count[j], j);
    }
    if (shared.size() > kTextVerify) {
      std::nth_element(shared.begin(), shared.begin() + kTextVerify, shared.end());
      shared.resize(kTextVerify);
    }
    std::vector<std::pair<double, uint32_t>> scored;
    for (auto [count, j] : shared) {
      double s = scratch.terms.Similarity(features[j].text);
      if (s >= kTextCandidateMin) scored.emplace_back(-s, j);
    }
    std::sort(scored.begin(), scored.end());
    size_t keep = std::min(scored.size(), options.max_candidates_per_record);
    for (size_t k = 0; k < keep; ++k) out.push_back(scored[k].second);
  }

  // ----- blocks

  // Calls fn(j) for every member j of `block`. A block larger than max_block (already one
  // type group) is split by first sector, then by start year; a part still larger gives the
  // max_block members nearest by start day (sorted neighbourhood), so work per record stays
  // bounded however dense a place, theme and year are.
  template <class Fn>
  void ForEachInBlock(const Block& block, uint64_t sector, int32_t year, int32_t day, bool split,
                      Fn&& fn) const {
    const auto& m = block.members;
    auto begin = m.begin();
    auto end = m.end();
    size_t limit = options.max_block;
    if (split || m.size() > limit) {
      begin = std::lower_bound(m.begin(), m.end(), sector,
                               [&](uint32_t s, uint64_t v) { return sector_of[s] < v; });
      end = std::upper_bound(begin, m.end(), sector,
                             [&](uint64_t v, uint32_t s) { return v < sector_of[s]; });
      if (split || static_cast<size_t>(end - begin) > limit) {
        begin = std::lower_bound(begin, end, year,
                                 [&](uint32_t s, int32_t v) { return year_of[s] < v; });
        end = std::upper_bound(begin, end, year,
                               [&](int32_t v, uint32_t s) { return v < year_of[s]; });
      }
      if (static_cast<size_t>(end - begin) > limit) {
        auto at =
            std::lower_bound(begin, end, day, [&](uint32_t s, int32_t v) { return day_of[s] < v; });
        auto half = static_cast<std::ptrdiff_t>(limit / 2);
        auto from = std::max(begin, at - std::min(half, at - begin));
        auto to = std::min(end, from + static_cast<std::ptrdiff_t>(limit));
        begin = std::max(begin, to - static_cast<std::ptrdiff_t>(limit));
        end = to;
      }
    }
    for (auto it = begin; it != end; ++it) fn(*it);
  }

  // Every candidate of `f` (block members and text neighbours) of another organisation, each
  // once, scored; those that pass min_probability go to `out`. `self` is left out; with
  // only_above, only block members greater than `self` (the full analysis meets each block
  // pair once; text neighbours are not symmetric, so they are taken from both sides and
  // merged). Returns the pairs scored.
  size_t ScoreCandidates(const Features& f, const BlockKeys& k, const std::vector<uint64_t>& sig,
                         int64_t self, bool only_above, Scratch& scratch,
                         std::vector<Candidate>& out, double min_probability = -1) const {
    if (min_probability < 0) min_probability = options.min_probability;
    scratch.Start(features.size());
    scratch.terms.Reset(f.text);
    GatherCandidates(f, k, sig, self, only_above, scratch);
    double needed = WeightFor(min_probability);
    const auto& pending = scratch.pending;
    for (size_t i = 0; i < pending.size(); ++i) {
      PrefetchAhead(pending, i);
      uint32_t j = pending[i];
      PairScore s = CompareCodes(f, features[j]);
      if (!keep_all && table.UpperBoundBeforeText(s) < needed) continue;
      CompareText(scratch.terms, f.text.empty(), features[j], s);
      double w = table.Weight(s);
      if (keep_all || Probability(w) >= min_probability) out.push_back({j, s, w});
    }
    return pending.size();
  }

  // Fills scratch.pending with the candidates of `f`, each once, in the order they are met
  // (blocks, then text neighbours): the walk reads only slot-indexed arrays, so the records'
  // features are read (and prefetched) for the candidates alone, not for every block member.
  void GatherCandidates(const Features& f, const BlockKeys& k, const std::vector<uint64_t>& sig,
                        int64_t self, bool only_above, Scratch& scratch) const {
    scratch.pending.clear();
    auto consider = [&](uint32_t j, bool from_text) {
      if (static_cast<int64_t>(j) == self) return;
      if (only_above && (!from_text || keep_all) && static_cast<int64_t>(j) < self) return;
      if (!scratch.Mark(j) || org_of[j] == f.org) return;
      scratch.pending.push_back(j);
    };
    auto block = [&](uint32_t j) { consider(j, false); };
    uint64_t sector = f.sectors().empty() ? 0 : f.sectors()[0];
    int32_t year = StartYear(f);
    int32_t day = StartDay(f);
    for (uint64_t key : k.query) {
      auto it = blocks.find(key);
      if (it != blocks.end()) ForEachInBlock(it->second, sector, year, day, false, block);
    }
    for (uint64_t key : k.query_split) {
      auto it = blocks.find(key);
      if (it != blocks.end()) ForEachInBlock(it->second, sector, year, day, true, block);
    }
    std::vector<uint32_t> text;
    TextCandidates(f, sig, self, scratch, text);
    for (uint32_t j : text) consider(j, true);
  }

  // Prefetches what scoring candidate i + kNear reads (its code lists and terms) and the
  // features of candidate i + kFar (whose pointers are then in cache when it is i + kNear).
  void PrefetchAhead(const std::vector<uint32_t>& pending, size_t i) const {
    constexpr size_t kNear = 6;
    constexpr size_t kFar = 12;
    if (i + kFar < pending.size()) {
      const char* far = reinterpret_cast<const char*>(&features[pending[i + kFar]]);
      for (size_t line = 0; line < sizeof(Features); line += 64) __builtin_prefetch(far + line);
    }
    if (i + kNear < pending.size()) {
      const Features& near = features[pending[i + kNear]];
      __builtin_prefetch(near.codes.data());
      const char* terms = reinterpret_cast<const char*>(near.text.terms.data());
      size_t bytes = near.text.terms.size() * sizeof(TermWeight);
      for (size_t line = 0; line < bytes; line += 64) __builtin_prefetch(terms + line);
    }
  }

  // ----- building

  void AddToBlocks(uint32_t slot) {
    for (uint64_t key : KeysOf(features[slot]).member) {
      auto& block = blocks[key];
      auto pos = std::lower_bound(block.members.begin(), block.members.end(), slot,
                                  [&](uint32_t x, uint32_t y) { return MemberLess(x, y); });
      block.members.insert(pos, slot);
    }
    for (uint64_t term : signatures[slot]) postings[term].push_back(slot);
  }

  void RemoveFromBlocks(uint32_t slot) {
    for (uint64_t key : KeysOf(features[slot]).member) {
      auto it = blocks.find(key);
      if (it == blocks.end()) continue;
      auto& m = it->second.members;
      auto pos = std::find(m.begin(), m.end(), slot);
      if (pos == m.end()) continue;
      m.erase(pos);
      if (m.empty()) blocks.erase(it);
    }
    for (uint64_t term : signatures[slot]) {
      auto it = postings.find(term);
      if (it == postings.end()) continue;
      auto& p = it->second;
      p.erase(std::remove(p.begin(), p.end(), slot), p.end());
      if (p.empty()) postings.erase(it);
    }
  }

  // Sets up slot `slot` for `record` (features and keys; the signature needs df).
  void Prepare(uint32_t slot) {
    features[slot] = MakeFeatures(records[slot]);
    auto sectors = features[slot].sectors();
    sector_of[slot] = sectors.empty() ? 0 : sectors[0];
    year_of[slot] = StartYear(features[slot]);
    day_of[slot] = StartDay(features[slot]);
    org_of[slot] = features[slot].org;
  }

  void Resize(size_t n) {
    records.resize(n);
    features.resize(n);
    signatures.resize(n);
    alive.resize(n, 0);
    sector_of.resize(n, 0);
    year_of.resize(n, 0);
    day_of.resize(n, 0);
    org_of.resize(n, 0);
    adjacent.resize(n);
    cluster.resize(n, 0);
  }

  void BuildIndexes() {
    size_t n = features.size();
    // Block memberships, collected in parallel, grouped by key.
    std::vector<std::vector<uint64_t>> member(n);
    ParallelFor(n, Threads(), [&](size_t s) {
      if (alive[s] != 0) member[s] = KeysOf(features[s]).member;
    });
    // Each slot's rank in MemberLess order: (block key, rank) pairs then sort as plain
    // integers, without reading four arrays at random per comparison.
    std::vector<uint32_t> by_rank(n);
    std::iota(by_rank.begin(), by_rank.end(), 0);
    std::sort(by_rank.begin(), by_rank.end(),
              [&](uint32_t x, uint32_t y) { return MemberLess(x, y); });
    std::vector<uint32_t> rank(n);
    for (uint32_t r = 0; r < n; ++r) rank[by_rank[r]] = r;
    size_t count = 0;
    for (const auto& keys : member) count += keys.size();
    std::vector<std::pair<uint64_t, uint32_t>> entries;
    ReserveOnHugePages(entries, count);
    for (uint32_t s = 0; s < n; ++s) {
      for (uint64_t key : member[s]) entries.emplace_back(key, rank[s]);
      std::vector<uint64_t>().swap(member[s]);
    }
    ParallelSort(entries, Threads());
    blocks.clear();
    blocks.reserve(entries.size() / 4 + 16);
    stats.oversized_blocks = 0;
    for (size_t i = 0; i < entries.size();) {
      size_t j = i;
      Block& block = blocks[entries[i].first];
      while (j < entries.size() && entries[j].first == entries[i].first) {
        block.members.push_back(by_rank[entries[j].second]);
        ++j;
      }
      if (block.members.size() > options.max_block) ++stats.oversized_blocks;
      i = j;
    }
    // The text index.
    BuildDocumentFrequencies();
    ParallelFor(n, Threads(), [&](size_t s) {
      if (alive[s] != 0) signatures[s] = SignatureOf(features[s]);
    });
    postings.clear();
    for (uint32_t s = 0; s < n; ++s) {
      if (alive[s] == 0) continue;
      for (uint64_t term : signatures[s]) postings[term].push_back(s);
    }
  }

  void FindAll() {
    size_t n = features.size();
    int threads = Threads();
    // Each slot's findings, exactly sized (a buffer per thread while scoring: an allocation per
    // record with findings, not one per growth).
    std::vector<std::vector<Candidate>> found(n);
    std::atomic<size_t> scored{0};
    ParallelFor(n, threads, [&](size_t s) {
      if (alive[s] == 0) return;
      thread_local std::vector<Candidate> out;
      out.clear();
      size_t count = ScoreCandidates(features[s], KeysOf(features[s]), signatures[s],
                                     static_cast<int64_t>(s), true, ThreadScratch(), out);
      scored.fetch_add(count, std::memory_order_relaxed);
      if (!out.empty()) found[s].assign(out.begin(), out.end());
    });
    findings.clear();
    size_t total = 0;
    std::vector<uint32_t> degree(n, 0);  // an upper bound (a pair met from both sides counts twice)
    for (size_t s = 0; s < n; ++s) {
      total += found[s].size();
      for (const Candidate& c : found[s]) {
        ++degree[s];
        ++degree[c.slot];
      }
    }
    findings.reserve(total);
    for (size_t s = 0; s < n; ++s) {
      adjacent[s].clear();
      adjacent[s].reserve(degree[s]);
    }
    for (size_t s = 0; s < n; ++s) {
      const auto x = static_cast<uint32_t>(s);
      const std::vector<Candidate>& mine = found[s];
      constexpr size_t kAhead = 8;  // keys prefetched ahead: each insertion is a cache miss
      for (size_t i = 0; i < mine.size(); ++i) {
        if (i + kAhead < mine.size()) {
          findings.Prefetch(PairKey(x, mine[i + kAhead].slot));
          __builtin_prefetch(&adjacent[mine[i + kAhead].slot]);
        }
        const Candidate& c = mine[i];
        if (!findings.try_emplace(PairKey(x, c.slot), c.score)) continue;
        adjacent[x].push_back(c.slot);
        adjacent[c.slot].push_back(x);
      }
      std::vector<Candidate>().swap(found[s]);
    }
    stats.candidates = scored.load();
  }

  void UpdateClusters() {
    size_t n = features.size();
    std::vector<uint32_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](uint32_t x) {
      while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    };
    findings.ForEach([&](uint64_t key, const PairScore&) {
      uint32_t x = root(static_cast<uint32_t>(key >> 32));
      uint32_t y = root(static_cast<uint32_t>(key & 0xffffffffU));
      if (x != y) parent[x] = y;
    });
    std::vector<int64_t> smallest(n, INT64_MAX);
    for (uint32_t s = 0; s < n; ++s) {
      if (alive[s] == 0) continue;
      uint32_t r = root(s);
      smallest[r] = std::min(smallest[r], records[s].id);
    }
    for (uint32_t s = 0; s < n; ++s) cluster[s] = alive[s] != 0 ? smallest[root(s)] : 0;
  }

  // Re-labels the components that contain `seeds` (after one record changed): a walk over
  // their findings, not the whole corpus.
  void UpdateClustersAround(const std::vector<uint32_t>& seeds) {
    std::vector<uint32_t> component;
    std::vector<uint32_t> stack;
    // Visited marks by slot (a generation stamp, so nothing is cleared per call).
    if (visit_mark.size() < features.size()) visit_mark.assign(features.size(), 0);
    if (++visit_generation == 0) {
      std::fill(visit_mark.begin(), visit_mark.end(), 0);
      visit_generation = 1;
    }
    auto visit = [&](uint32_t x) {
      if (visit_mark[x] == visit_generation) return false;
      visit_mark[x] = visit_generation;
      return true;
    };
    for (uint32_t seed : seeds) {
      if (!visit(seed)) continue;
      component.clear();
      stack.assign(1, seed);
      while (!stack.empty()) {
        uint32_t x = stack.back();
        stack.pop_back();
        component.push_back(x);
        for (uint32_t y : adjacent[x]) {
          if (visit(y)) stack.push_back(y);
        }
      }
      int64_t smallest = INT64_MAX;
      for (uint32_t x : component) {
        if (alive[x] != 0) smallest = std::min(smallest, records[x].id);
      }
      for (uint32_t x : component) cluster[x] = alive[x] != 0 ? smallest : 0;
    }
  }

  // After `slot` was re-scored (its neighbours before in `before`): true, with cluster[slot]
  // set, when no component can have changed, so that no walk is needed: every neighbour, old
  // and new, is of one cluster, whose smallest id is not the record's own new id, and every
  // neighbour lost still reaches `slot` through a shared neighbour (no split).
  bool ClusterKept(uint32_t slot, const std::vector<uint32_t>& before) {
    const auto& now = adjacent[slot];
    if (now.empty()) {
      if (!before.empty()) return false;
      cluster[slot] = records[slot].id;  // alone, as before
      return true;
    }
    int64_t c = cluster[now.front()];
    for (uint32_t x : now) {
      if (cluster[x] != c) return false;
    }
    for (uint32_t x : before) {
      if (cluster[x] != c) return false;
    }
    if (c == 0 || c > records[slot].id) return false;
    if (!before.empty() && cluster[slot] != c) return false;
    if (visit_mark.size() < features.size()) visit_mark.assign(features.size(), 0);
    if (++visit_generation == 0) {
      std::fill(visit_mark.begin(), visit_mark.end(), 0);
      visit_generation = 1;
    }
    visit_mark[slot] = visit_generation;
    for (uint32_t x : now) visit_mark[x] = visit_generation;
    for (uint32_t y : before) {
      if (visit_mark[y] == visit_generation) continue;
      bool reached = std::any_of(adjacent[y].begin(), adjacent[y].end(),
                                 [&](uint32_t z) { return visit_mark[z] == visit_generation; });
      if (!reached) return false;
    }
    cluster[slot] = c;
    return true;
  }

  void DropFindingsOf(uint32_t slot) {
    for (uint32_t other : adjacent[slot]) {
      findings.erase(PairKey(slot, other));
      auto& back = adjacent[other];
      back.erase(std::remove(back.begin(), back.end(), slot), back.end());
    }
    adjacent[slot].clear();
  }

  Finding MaterialiseSlots(uint32_t x, uint32_t y, const PairScore& s) const {
    Finding f = Materialise(records[x], records[y], s, table);
    f.cluster = cluster[x];
    return f;
  }

  // Takes `input` as the corpus and builds the indexes (no scoring). Records are laid out by
  // first country, theme, start date and type, so that a block's members sit near each other
  // in memory.
  void Load(std::vector<Record> input) {
    size_t n = input.size();
    auto first = [](const std::vector<std::string>& v) {
      return v.empty() ? std::string_view() : std::string_view(v.front());
    };
    auto start = [](const Record& r) { return r.starts_on ? r.starts_on->days() : INT32_MIN; };
    // Slots in (first country, first theme, start, type, id) order, so that a block's members
    // are near each other in memory. The keys are taken once and the records moved once (a
    // sort of the records themselves copied two strings per comparison: 5 s at a million).
    using Key = std::tuple<std::string_view, std::string_view, int32_t, std::string_view, int64_t>;
    std::vector<std::pair<Key, uint32_t>> order(n);
    for (uint32_t i = 0; i < n; ++i) {
      const Record& r = input[i];
      order[i] = {Key(first(r.countries), first(r.themes), start(r), r.type, r.id), i};
    }
    std::sort(order.begin(), order.end());
    ReserveOnHugePages(records, n);
    for (const auto& [key, i] : order) records.push_back(std::move(input[i]));
    std::vector<Record>().swap(input);
    features.clear();
    signatures.clear();
    alive.clear();
    sector_of.clear();
    year_of.clear();
    day_of.clear();
    org_of.clear();
    adjacent.clear();
    cluster.clear();
    slot_of.clear();
    Resize(n);
    slot_of.reserve(n);
    for (uint32_t s = 0; s < n; ++s) {
      slot_of[records[s].id] = s;
      alive[s] = 1;
    }
    ParallelFor(n, Threads(), [&](size_t s) { Prepare(static_cast<uint32_t>(s)); });
    BuildIndexes();
  }

  void Analyse(std::vector<Record> input) {
    auto start = std::chrono::steady_clock::now();
    size_t n = input.size();
    Load(std::move(input));
    FindAll();
    UpdateClusters();
    stats.records = n;
    stats.findings = findings.size();
    stats.analyse_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};

OverlapEngine::OverlapEngine(Options options) : impl_(new Impl) { impl_->options = options; }

OverlapEngine::~OverlapEngine() { delete impl_; }

void OverlapEngine::Analyse(std::vector<Record> records) { impl_->Analyse(std::move(records)); }

std::vector<Finding> OverlapEngine::Upsert(Record record) {
  Impl& m = *impl_;
  uint32_t slot = 0;
  std::vector<uint32_t> seeds;  // the records whose clusters may change
  auto it = m.slot_of.find(record.id);
  if (it != m.slot_of.end()) {
    slot = it->second;
    seeds = m.adjacent[slot];
    m.DropFindingsOf(slot);
    m.RemoveFromBlocks(slot);
  } else {
    slot = static_cast<uint32_t>(m.records.size());
    m.Resize(slot + 1);
    m.slot_of[record.id] = slot;
  }
  m.records[slot] = std::move(record);
  m.alive[slot] = 1;
  m.Prepare(slot);
  m.signatures[slot] = m.SignatureOf(m.features[slot]);
  m.AddToBlocks(slot);
  std::vector<Candidate> out;
  m.ScoreCandidates(m.features[slot], KeysOf(m.features[slot]), m.signatures[slot], slot, false,
                    ThreadScratch(), out);
  for (const auto& c : out) {
    m.findings[PairKey(slot, c.slot)] = c.score;
    m.adjacent[slot].push_back(c.slot);
    m.adjacent[c.slot].push_back(slot);
  }
  if (!m.ClusterKept(slot, seeds)) {
    seeds.push_back(slot);
    m.UpdateClustersAround(seeds);
  }
  m.stats.records = m.slot_of.size();
  m.stats.findings = m.findings.size();
  std::vector<Finding> result;
  for (const auto& c : out) result.push_back(m.MaterialiseSlots(slot, c.slot, c.score));
  std::sort(result.begin(), result.end(), BetterFinding<Finding>);
  return result;
}

void OverlapEngine::Remove(int64_t id) {
  Impl& m = *impl_;
  auto it = m.slot_of.find(id);
  if (it == m.slot_of.end()) return;
  uint32_t slot = it->second;
  std::vector<uint32_t> seeds = m.adjacent[slot];
  m.DropFindingsOf(slot);
  m.RemoveFromBlocks(slot);
  m.alive[slot] = 0;
  m.records[slot] = Record{};
  m.features[slot] = Features{};
  m.signatures[slot].clear();
  m.slot_of.erase(it);
  seeds.push_back(slot);
  m.UpdateClustersAround(seeds);
  m.stats.records = m.slot_of.size();
  m.stats.findings = m.findings.size();
}

void OverlapEngine::SetModel(Model model) {
  Impl& m = *impl_;
  m.model = std::move(model);
  m.table = WeightTable(m.model);
  std::vector<Record> records;
  records.reserve(m.slot_of.size());
  for (size_t s = 0; s < m.records.size(); ++s) {
    if (m.alive[s] != 0) records.push_back(std::move(m.records[s]));
  }
  m.Analyse(std::move(records));
}

std::vector<Finding> OverlapEngine::Findings() const {
  std::vector<Finding> out;
  out.reserve(impl_->findings.size());
  impl_->findings.ForEach([&](uint64_t key, const PairScore& score) {
    out.push_back(impl_->MaterialiseSlots(static_cast<uint32_t>(key >> 32),
                                          static_cast<uint32_t>(key & 0xffffffffU), score));
  });
  std::sort(out.begin(), out.end(), BetterFinding<Finding>);
  return out;
}

std::vector<FindingBrief> OverlapEngine::Briefs() const {
  const Impl& m = *impl_;
  std::vector<FindingBrief> out;
  out.reserve(m.findings.size());
  m.findings.ForEach([&](uint64_t key, const PairScore& score) {
    auto x = static_cast<uint32_t>(key >> 32);
    auto y = static_cast<uint32_t>(key & 0xffffffffU);
    int64_t a = m.records[x].id;
    int64_t b = m.records[y].id;
    out.push_back({std::min(a, b), std::max(a, b), Probability(m.table.Weight(score)), m.cluster[x],
                   ClassOf(score)});
  });
  std::sort(out.begin(), out.end(), BetterFinding<FindingBrief>);
  return out;
}

std::optional<Finding> OverlapEngine::FindingOf(int64_t a, int64_t b) const {
  auto x = impl_->slot_of.find(a);
  auto y = impl_->slot_of.find(b);
  if (x == impl_->slot_of.end() || y == impl_->slot_of.end()) return std::nullopt;
  const PairScore* score = impl_->findings.find(PairKey(x->second, y->second));
  if (score == nullptr) return std::nullopt;
  return impl_->MaterialiseSlots(x->second, y->second, *score);
}

std::vector<Finding> OverlapEngine::Check(const Record& draft, size_t limit) const {
  const Impl& m = *impl_;
  Features f = MakeFeatures(draft);
  BlockKeys k = KeysOf(f);
  auto sig = m.SignatureOf(f);
  int64_t self = -1;
  if (auto it = m.slot_of.find(draft.id); draft.id != 0 && it != m.slot_of.end()) {
    self = it->second;
  }
  std::vector<Candidate> out;
  m.ScoreCandidates(f, k, sig, self, false, ThreadScratch(), out, m.options.check_min_probability);
  std::vector<Finding> result;
  for (const auto& c : out) {
    if (m.records[c.slot].id == draft.id) continue;
    Finding finding = Materialise(draft, m.records[c.slot], c.score, m.table);
    finding.cluster = m.cluster[c.slot];
    result.push_back(std::move(finding));
  }
  std::sort(result.begin(), result.end(), BetterFinding<Finding>);
  if (result.size() > limit) result.resize(limit);
  return result;
}

const Record* OverlapEngine::Find(int64_t id) const {
  auto it = impl_->slot_of.find(id);
  return it == impl_->slot_of.end() ? nullptr : &impl_->records[it->second];
}

const Model& OverlapEngine::model() const { return impl_->model; }

Stats OverlapEngine::stats() const { return impl_->stats; }

// ---------------------------------------------------------------------------------------------
// Estimate: EM over the candidates, then the labels, each with the previous weights as a prior.

namespace {

constexpr int kEmIterations = 10;
constexpr size_t kMaxEmPairs = 2000000;
constexpr double kLabelPrior = 20;  // pseudo-verdicts behind the weights before the labels
constexpr double kMinProbability = 1e-4;

using LevelTable = std::array<std::array<double, kMaxLevels>, kComparisonCount>;

struct MU {
  LevelTable m{};
  LevelTable u{};
};

MU TableOf(const Model& model) {
  MU out;
  for (int k = 0; k < kComparisonCount; ++k) {
    auto defs = LevelDefs(ComparisonAt(k));
    for (size_t l = 0; l < defs.size(); ++l) {
      out.m[k][l] = defs[l].m;
      out.u[k][l] = defs[l].u;
      for (const auto& lw : model.levels) {
        if (lw.comparison == ComparisonAt(k) && lw.level == defs[l].name) {
          out.m[k][l] = lw.m;
          out.u[k][l] = lw.u;
        }
      }
    }
  }
  return out;
}

// Moves `prior` towards the counts: for the known levels of each comparison, the posterior
// mean of a Dirichlet with `strength` pseudo-counts spread as `prior`, keeping the known
// levels' total mass.
void Update(LevelTable& table, const LevelTable& counts, double strength) {
  for (int k = 0; k < kComparisonCount; ++k) {
    int unknown = UnknownLevel(ComparisonAt(k));
    double mass = 0;
    double total = 0;
    for (int l = 0; l < unknown; ++l) {
      mass += table[k][l];
      total += counts[k][l];
    }
    if (mass <= 0 || total <= 0) continue;
    // Probabilities: a table whose known levels add up to more than 1 (hand-set defaults may)
    // keeps its shape but not its excess, so no level can end above 1.
    const double kept = std::min(mass, 1.0);
    for (int l = 0; l < unknown; ++l) {
      double p = (counts[k][l] + strength * table[k][l] / mass) / (total + strength);
      table[k][l] = std::clamp(kept * p, kMinProbability, 1.0);
    }
  }
}

Model ModelOf(const Model& start, const MU& mu, int labels_used) {
  Model out = Model::Defaults();
  out.prior_weight = start.prior_weight;
  out.labels_used = labels_used;
  for (auto& lw : out.levels) {
    for (const auto& s : start.levels) {
      if (s.comparison == lw.comparison && s.level == lw.level) {
        lw.default_m = s.default_m;
        lw.default_u = s.default_u;
      }
    }
    auto defs = LevelDefs(lw.comparison);
    for (size_t l = 0; l < defs.size(); ++l) {
      if (lw.level == defs[l].name) {
        lw.m = mu.m[static_cast<int>(lw.comparison)][l];
        lw.u = mu.u[static_cast<int>(lw.comparison)][l];
      }
    }
  }
  return out;
}

Model ModelFrom(const MU& mu, double prior) {
  Model m = Model::Defaults();
  m.prior_weight = prior;
  for (auto& lw : m.levels) {
    auto defs = LevelDefs(lw.comparison);
    for (size_t l = 0; l < defs.size(); ++l) {
      if (lw.level == defs[l].name) {
        lw.m = mu.m[static_cast<int>(lw.comparison)][l];
        lw.u = mu.u[static_cast<int>(lw.comparison)][l];
      }
    }
  }
  return m;
}

void ExpectationMaximisation(const std::vector<PairScore>& pairs, double prior, MU& mu) {
  if (pairs.empty()) return;
  double strength = 0.5 * static_cast<double>(pairs.size()) + 100;
  for (int iteration = 0; iteration < kEmIterations; ++iteration) {
    WeightTable table(ModelFrom(mu, prior));
    LevelTable sum_m{};
    LevelTable sum_u{};
    for (const auto& s : pairs) {
      double p = Probability(table.Weight(s));
      for (int k = 0; k < kComparisonCount; ++k) {
        sum_m[k][s.levels[k]] += p;
        sum_u[k][s.levels[k]] += 1 - p;
      }
    }
    MU next = mu;
    Update(next.m, sum_m, strength);
    Update(next.u, sum_u, strength);
    mu = next;
  }
}

}  // namespace

Model Estimate(const std::vector<Record>& records, const std::vector<Label>& labels,
               const Model& start, const Options& options) {
  OverlapEngine::Impl engine;
  engine.options = options;
  engine.model = start;
  engine.table = WeightTable(start);
  engine.keep_all = true;
  engine.Load(records);
  // The candidates' levels (a regular sample when there are very many).
  size_t n = engine.features.size();
  std::vector<std::vector<PairScore>> per_slot(n);
  ParallelFor(n, engine.Threads(), [&](size_t s) {
    std::vector<Candidate> out;
    engine.ScoreCandidates(engine.features[s], KeysOf(engine.features[s]), engine.signatures[s],
                           static_cast<int64_t>(s), true, ThreadScratch(), out);
    for (const auto& c : out) per_slot[s].push_back(c.score);
  });
  size_t total = 0;
  for (const auto& v : per_slot) total += v.size();
  size_t stride = std::max<size_t>(1, (total + kMaxEmPairs - 1) / kMaxEmPairs);
  std::vector<PairScore> pairs;
  size_t index = 0;
  for (const auto& v : per_slot) {
    for (const auto& s : v) {
      if (index++ % stride == 0) pairs.push_back(s);
    }
  }
  per_slot.clear();
  MU mu = TableOf(start);
  ExpectationMaximisation(pairs, start.prior_weight, mu);
  // The verdicts: same (or complementary) work counts for m, the others for u.
  LevelTable match{};
  LevelTable other{};
  int used = 0;
  for (const auto& label : labels) {
    auto a = engine.slot_of.find(label.a);
    auto b = engine.slot_of.find(label.b);
    if (a == engine.slot_of.end() || b == engine.slot_of.end() || a->second == b->second) {
      continue;
    }
    ++used;
    PairScore s = Compare(engine.features[a->second], engine.features[b->second]);
    bool same =
        label.verdict == Verdict::kConfirmedDuplication || label.verdict == Verdict::kComplementary;
    for (int k = 0; k < kComparisonCount; ++k) (same ? match : other)[k][s.levels[k]] += 1;
  }
  Update(mu.m, match, kLabelPrior);
  Update(mu.u, other, kLabelPrior);
  return ModelOf(start, mu, used);
}

// ---------------------------------------------------------------------------------------------
// Describe.

namespace {

std::string TypeVerb(std::string_view type) {
  if (type == "research") return "do research";
  if (type == "data_statistics") return "produce data and statistics";
  if (type == "technical_assistance") return "give technical assistance";
  if (type == "training") return "train";
  if (type == "policy_dialogue") return "hold policy dialogue";
  if (type == "operational_programme") return "run operational programmes";
  if (type == "normative") return "do normative work";
  if (type == "event") return "hold events";
  return "work";
}

std::string Words(std::string_view code) {
  std::string out(code);
  std::replace(out.begin(), out.end(), '_', ' ');
  std::replace(out.begin(), out.end(), '-', ' ');
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += k + 1 == items.size() ? " and " : ", ";
    out += items[k];
  }
  return out;
}

}  // namespace

namespace {

// Country codes (ISO alpha-2) and M49 region codes as their English names; unknown codes as
// they are.
std::vector<std::string> PlaceNames(const std::vector<std::string>& codes, bool regions) {
  std::vector<std::string> names;
  names.reserve(codes.size());
  for (const auto& code : codes) {
    if (regions) {
      const gmg::RegionRecord* r = gmg::FindRegion(code);
      names.push_back(r != nullptr ? r->name : code);
    } else {
      const gmg::CountryRecord* c = gmg::FindCountry(code);
      names.push_back(c != nullptr ? std::string(c->name) : code);
    }
  }
  return names;
}

}  // namespace

std::string Describe(const Finding& finding, const Record& a, const Record& b) {
  std::string out;
  if (!a.type.empty() && a.type == b.type) {
    out = "Both " + TypeVerb(a.type);
  } else if (!a.type.empty() && !b.type.empty()) {
    std::string first = Words(a.type);
    if (!first.empty()) first[0] = static_cast<char>(std::toupper(first[0]));
    out = first + " (" + a.organization_id + ") and " + Words(b.type) + " (" + b.organization_id +
          ")";
  } else {
    out = "Both work";
  }
  if (!finding.shared_themes.empty()) {
    std::vector<std::string> themes;
    for (const auto& t : finding.shared_themes) themes.push_back(Words(t));
    out += " on " + JoinList(themes);
  }
  if (!finding.shared_countries.empty()) {
    out += " in " + JoinList(PlaceNames(finding.shared_countries, false));
  } else if (!finding.shared_regions.empty()) {
    out += " in " + JoinList(PlaceNames(finding.shared_regions, true));
  } else if (a.is_global && b.is_global) {
    out += " worldwide";
  }
  if (finding.overlap_from && finding.overlap_to) {
    int from = finding.overlap_from->year();
    int to = finding.overlap_to->year();
    out += ", " + std::to_string(from);
    if (to != from) out += "\u2013" + std::to_string(to);
  }
  bool has_text = false;
  for (const auto& c : finding.contributions) {
    if (c.comparison == Comparison::kText && c.level != "empty") has_text = true;
  }
  if (has_text) {
    char similarity[16];
    std::snprintf(similarity, sizeof similarity, "%.2f", finding.text_similarity);
    out += std::string("; titles and descriptions ") + similarity + " similar";
  }
  if (!finding.shared_partners.empty()) {
    out += finding.shared_partners.size() == 1 ? "; both with partner " : "; both with partners ";
    out += JoinList(finding.shared_partners);
  }
  out += ".";
  return out;
}

}  // namespace gmg::coherence
