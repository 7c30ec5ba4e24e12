// OverlapEngine: which activities of *different* organisations overlap, how much, and why.
//
// The engine holds a corpus of Records (one per activity, built by the coherence module from
// the activity map) and the Findings among them. A Finding is a pair of activities of two
// organisations that work on the same themes in the same places at overlapping times, classed
//   duplication  the same kind of work (same or near type), similar content;
//   synergy      complementary kinds of work (research + technical assistance, training +
//                operational programme, …) in the same place and time.
// Each finding carries its score and the contribution of every comparison (places, themes,
// period, type, text, sectors, partners, budget scale) as log2 Bayes factors, Fellegi–Sunter
// style: weight = prior + Σ contributions, probability = 2^w / (1 + 2^w). The contributions are
// what the web app's waterfall chart and the sentence (Describe) are made of.
//
// Work grows close to linearly with the corpus: candidate pairs come from blocking (country or
// region × theme × period, with a guard that splits or drops oversized blocks) and from a text
// index (stemmed, per language, plus language-independent concept tokens so that a French and
// an English text on the same work meet); only candidates are scored exactly. Analyse uses all
// cores. Upsert re-scores one changed record against its candidates only.
//
// Thread-safety: const methods may run concurrently with each other; Analyse, Upsert, Remove
// and SetModel must not run concurrently with anything (the coherence service guards the engine
// with a shared mutex and builds a replacement off to the side for a full analysis).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"

namespace gmg::coherence {

struct Text {
  std::string lang;  // ISO 639-1 ("en", "fr", "es"); "" = unknown (treated as English)
  std::string text;
};

// One activity as the engine compares it. Lists may be empty; texts may be empty.
struct Record {
  int64_t id = 0;
  int64_t version = 0;
  std::string organization_id;
  std::string type;                    // one of activities' kActivityTypes, or ""
  std::vector<std::string> themes;     // theme ids
  std::vector<std::string> countries;  // ISO 3166-1 alpha-2 named by the activity
  std::vector<std::string> regions;    // UN M49 codes or LDC/LLDC/SIDS, as recorded
  bool is_global = false;
  std::optional<Date> starts_on;
  std::optional<Date> ends_on;
  std::vector<std::string> sectors;   // "vocabulary:code", e.g. "1:15190", "99:local-code"
  std::vector<std::string> partners;  // registry organisation id, else the lower-cased name
  std::optional<double> budget;       // in `currency`
  std::string currency;
  std::vector<Text> titles;
  std::vector<Text> descriptions;
};

enum class FindingClass : uint8_t { kDuplication, kSynergy };
const char* FindingClassName(FindingClass c);  // "duplication", "synergy"

enum class Comparison : uint8_t {
  kPlaces,
  kThemes,
  kPeriod,
  kType,
  kText,
  kSectors,
  kPartners,
  kBudget,
};
inline constexpr int kComparisonCount = 8;
const char* ComparisonName(Comparison c);  // "places", "themes", "period", "type", "text", …
// The level codes of a comparison, in a fixed order (the model and the JSON use them):
//   places    same_country, same_region, both_global, one_global, none, unknown
//   themes    all, most (Jaccard >= 0.5), some (> 0), none, unknown
//   period    most (overlap / union of the two periods >= 0.8), half (>= 0.5), some (> 0),
//             disjoint, unknown
//   type      same, complementary, different, unknown
//   text      ge80, ge60, ge40, ge20 (cosine >= 0.8, 0.6, 0.4, 0.2), lt20, empty
//   sectors   same, some, none, unknown
//   partners  shared, none, unknown
//   budget    close (|log2 ratio| <= 0.5, same currency), similar (<= 2), far, unknown
// "unknown"/"empty" (missing data on either side) always weighs 0. For complementary types in
// the same country or region, with shared themes and overlapping periods (a synergy), the
// negative levels of text and budget weigh 0 too: they speak against duplication only, as
// complementary work is described and costed differently.
std::vector<std::string> LevelsOf(Comparison c);
// Complementary kinds of work (a synergy when in the same place and time), symmetric:
// research + technical_assistance, research + policy_dialogue, research + data_statistics,
// training + operational_programme, technical_assistance + operational_programme,
// data_statistics + policy_dialogue, normative + technical_assistance,
// normative + policy_dialogue.
bool AreComplementaryTypes(std::string_view a, std::string_view b);

// One comparison's outcome: the level reached (a stable code such as "same_country",
// "same_region", "both_global", "none", "unknown") and its weight (log2 Bayes factor; negative
// when the level speaks against a match, 0 when it says nothing, e.g. missing data).
struct Contribution {
  Comparison comparison = Comparison::kPlaces;
  std::string level;
  double weight = 0;
};

struct Finding {
  int64_t a = 0;  // a < b
  int64_t b = 0;
  int64_t version_a = 0;  // the records' versions when scored
  int64_t version_b = 0;
  FindingClass finding_class = FindingClass::kDuplication;
  double probability = 0;                   // 0..1
  double weight = 0;                        // log2 odds: prior + Σ contributions
  double text_similarity = 0;               // cosine of the texts' vectors, 0..1
  std::vector<Contribution> contributions;  // one per Comparison, in enum order
  // What the two share, for the sentence and the filters.
  std::vector<std::string> shared_countries;
  std::vector<std::string> shared_regions;
  std::vector<std::string> shared_themes;
  std::vector<std::string> shared_sectors;
  std::vector<std::string> shared_partners;
  std::optional<Date> overlap_from;  // the common period, when both have dates
  std::optional<Date> overlap_to;
  int64_t cluster = 0;  // smallest activity id of its connected component of findings
};

// A finding in brief: what a list of findings sorts and filters by, 40 bytes where a Finding
// is about a kilobyte (the coherence service keeps every finding of a million activities in
// this form; FindingOf gives the whole of one).
struct FindingBrief {
  int64_t a = 0;  // a < b
  int64_t b = 0;
  double probability = 0;  // as Finding::probability
  int64_t cluster = 0;     // as Finding::cluster
  FindingClass finding_class = FindingClass::kDuplication;
};

// The common period of two activities (Finding::overlap_from/overlap_to): nullopt when either
// has no dates or their periods do not meet. A record with one date spans a year from (or to) it.
std::optional<std::pair<Date, Date>> CommonPeriod(const Record& a, const Record& b);

// The weights: per comparison and level, m = P(level | same work) and u = P(level | different
// work); weight = log2(m / u). Defaults are set by hand from the GMG's data; Estimate re-fits
// them from the corpus (unsupervised, EM) and from people's verdicts (supervised, with the
// defaults as a prior so a handful of verdicts moves them, but not wildly).
struct LevelWeight {
  Comparison comparison = Comparison::kPlaces;
  std::string level;
  double m = 0.5;
  double u = 0.5;
  double default_m = 0.5;  // before any estimation, for the page that says what changed
  double default_u = 0.5;
};

enum class Verdict : uint8_t { kConfirmedDuplication, kComplementary, kUnrelated, kDismissed };
const char* VerdictName(Verdict v);  // "confirmed_duplication", "complementary", "unrelated",
                                     // "dismissed"
std::optional<Verdict> ParseVerdict(std::string_view name);

struct Label {
  int64_t a = 0;
  int64_t b = 0;
  Verdict verdict = Verdict::kUnrelated;
};

struct Model {
  double prior_weight = -10;  // log2 odds of a random candidate pair being the same work
  std::vector<LevelWeight> levels;
  int labels_used = 0;  // verdicts the last Estimate used (0 = defaults only)
  static Model Defaults();
  // The weight of one level; 0 for an unknown one.
  double WeightOf(Comparison c, std::string_view level) const;
};

struct Options {
  int threads = 0;               // 0 = every core
  double min_probability = 0.5;  // findings below are not kept
  // Check's threshold: a draft being typed lacks most of what scores a pair (places, themes,
  // dates weigh nothing while unknown), so the form shows weaker overlaps too, e.g. a title and
  // description copied word for word (p ≈ 0.28 with nothing else filled in).
  double check_min_probability = 0.2;
  // A block larger than this is split by first sector, then by start year, and a part still
  // larger gives each record only its max_block nearest by start day (blocks are already one
  // type group: the same, complementary or unknown types).
  size_t max_block = 100;
  size_t max_candidates_per_record = 200;  // text-index candidates kept per record
};

struct Stats {
  size_t records = 0;
  size_t candidates = 0;  // pairs scored exactly in the last full analysis
  size_t findings = 0;
  size_t oversized_blocks = 0;  // blocks the guard split or dropped
  double analyse_seconds = 0;
};

class OverlapEngine {
 public:
  explicit OverlapEngine(Options options = {});
  ~OverlapEngine();
  OverlapEngine(const OverlapEngine&) = delete;
  OverlapEngine& operator=(const OverlapEngine&) = delete;

  // Replaces the corpus with `records` (ids unique) and finds every finding. Uses
  // options.threads threads.
  void Analyse(std::vector<Record> records);
  // Adds or replaces one record and re-scores it against its candidates only (< 50 ms at
  // 100,000 records). Returns the findings that involve it now.
  std::vector<Finding> Upsert(Record record);
  // Removes a record and its findings; nothing when unknown.
  void Remove(int64_t id);
  // Replaces the weights and re-scores the kept candidates.
  void SetModel(Model model);

  // Every finding, best first (probability, then ids). Clusters are up to date. About a
  // kilobyte each: for a corpus of any size use Briefs.
  std::vector<Finding> Findings() const;
  // Every finding in brief, in the order of Findings.
  std::vector<FindingBrief> Briefs() const;
  // The finding of the pair, if the pair is one now (order of a, b does not matter).
  std::optional<Finding> FindingOf(int64_t a, int64_t b) const;
  // The likely overlaps of a draft that is not (or not yet) in the corpus: `draft.id` 0 for a
  // new activity, or an existing id (then that record is left out of its own answer). At most
  // `limit`, best first; only other organisations' records, with a probability of at least
  // options.check_min_probability. < 50 ms at 100,000 records.
  std::vector<Finding> Check(const Record& draft, size_t limit) const;
  // The stored record, or nullptr.
  const Record* Find(int64_t id) const;
  const Model& model() const;
  Stats stats() const;

 private:
  struct Impl;
  Impl* impl_;
  friend Model Estimate(const std::vector<Record>& records, const std::vector<Label>& labels,
                        const Model& start, const Options& options);
};

// Scores one pair exactly, whether or not it would be a candidate (the reference the benchmark
// and tests hold the engine against). nullopt when the pair is of one organisation.
std::optional<Finding> ScorePair(const Record& a, const Record& b, const Model& model);

// Fits the model: EM over the candidate pairs of `records` (unsupervised, at most 2,000,000
// pairs sampled regularly, 10 iterations, the start weights as a Dirichlet prior worth half the
// pairs, so EM moves a weight part of the way only), then the labels with the EM result as a
// prior worth 20 verdicts per comparison. The model scores "overlapping work" (duplication and
// synergy alike; the class comes from the type comparison), so confirmed duplication and
// complementary count as matches (m), unrelated and dismissed as non-matches (u). The prior
// weight is kept. "unknown"/"empty" levels keep m = u (weight 0). Returns the new model with the
// previous defaults kept beside it; labels_used says how many labels counted (those whose two
// records are in `records`).
Model Estimate(const std::vector<Record>& records, const std::vector<Label>& labels,
               const Model& start, const Options& options = {});

// The finding in one English sentence, e.g. "Both train on trafficking in Nigeria, 2024–2025;
// titles and descriptions 0.82 similar; both with partner IOM." (the CLI; the web app builds
// its own, translated, from the same fields).
std::string Describe(const Finding& finding, const Record& a, const Record& b);

}  // namespace gmg::coherence
