// Text analysis for the overlap engine: tokenising, per-language Snowball stemming
// (libstemmer), stop words, migration-domain concept tokens (concepts.h) and the sparse,
// corpus-independent vectors whose cosine is the "text" comparison.
//
// A term is a 32-bit hash of its token (a stem with accents folded, or "c:<concept>" with the
// top bit set; a collision between two texts' 50-odd terms is a one-in-a-million event), so the
// same text gives the same vector in the engine and in ScorePair, with no shared vocabulary to
// lock. Weights do not depend on the corpus: (1 + ln tf) with title words counted twice, generic
// domain words ("project", "migration", …) down-weighted, concept tokens up-weighted.
//
// Thread-safety: every function may run concurrently (stemmers are per thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "coherence/overlap_engine.h"
#include "core/stem.h"

namespace gmg::coherence {

inline constexpr uint32_t kConceptBit = uint32_t{1} << 31;

struct TermWeight {
  uint32_t term = 0;
  float weight = 0;
};

struct TextVector {
  std::vector<TermWeight> terms;  // sorted by term, unique
  double norm = 0;                // Euclidean norm of all weights
  double concept_norm = 0;        // norm of the concept terms' weights only
  std::string lang;               // the record's main language ("en" when unknown)
  bool empty() const { return terms.empty(); }
};

// Lower-cased words of a UTF-8 text: runs of letters and digits; apostrophes and punctuation
// split words; one-character words are dropped.
std::vector<std::string> Tokenise(std::string_view text);
// ISO 639-1 of a language tag ("fr-FR" -> "fr"); "" -> "en".
std::string NormaliseLang(std::string_view lang);
// Stems as the search indexes do (core/stem.h).
using ::gmg::Stem;
bool IsStopWord(std::string_view lang, std::string_view word);
uint64_t HashToken(std::string_view token);
// The 32-bit term of a token's hash (kConceptBit clear).
inline uint32_t TermOf(uint64_t hash) {
  return static_cast<uint32_t>(hash ^ (hash >> 32)) & ~kConceptBit;
}

// The terms of a text in `lang`: stems (stop words removed) and concept tokens, in order of
// appearance, as hashes (concept tokens carry kConceptBit). Each thread caches the stems of
// recent words per language, for at most kMaxCachedLanguages languages at once (whatever
// languages the data names).
std::vector<uint32_t> TextTerms(std::string_view lang, std::string_view text);
inline constexpr size_t kMaxCachedLanguages = 8;
// The number of languages whose stems this thread caches now (<= kMaxCachedLanguages).
size_t StemCachesOfThisThread();

// The vector of a record's titles and descriptions.
TextVector AnalyseTexts(const std::vector<Text>& titles, const std::vector<Text>& descriptions);

// Cosine of two vectors (0 when either is empty).
double Cosine(const TextVector& a, const TextVector& b);
// Cosine over the concept terms only.
double ConceptCosine(const TextVector& a, const TextVector& b);
// The text comparison's similarity: the cosine, or when the two main languages differ the
// larger of the cosine and 0.75 x the concept cosine (stems of two languages rarely meet).
double TextSimilarity(const TextVector& a, const TextVector& b);

// One text's terms in a small open-addressed table, to compare that text with many others
// (the engine compares each record with its hundred-odd candidates): each of the other text's
// terms is looked up in a window of four slots with no branch, where a merge of the two sorted
// lists mispredicts a branch at every other step (a fifth of a million-record analysis).
// Similarity(b) == TextSimilarity(text, b), to the last bit (the shared terms' products are
// summed in the same order). The text's terms must be unique (TextVector's are). A table keeps
// no reference to its text.
class TermTable {
 public:
  static constexpr size_t kWindow = 4;  // a term is in one of the 4 slots from its home
  static constexpr size_t kMinSlots = 64;

  // Builds the table of `text` (reusing this table's memory): at most most_slots_per_term
  // slots per term (kMinSlots at least); a text whose terms do not fit then is kept whole and
  // compared by merging (the same values, the merge's speed).
  void Reset(const TextVector& text, size_t most_slots_per_term = 16);
  // TextSimilarity(text, other) for the text of the last Reset.
  double Similarity(const TextVector& other) const;

 private:
  struct Slot {
    uint32_t term = 0;
    float weight = 0;  // 0: empty (every term's weight is > 0)
  };
  bool TryPlace(const TextVector& text);
  size_t Home(uint32_t term) const;

  std::vector<Slot> slots_;  // mask_ + kWindow slots
  size_t mask_ = 0;
  uint32_t shift_ = 0;
  double norm_ = 0;
  double concept_norm_ = 0;
  std::string lang_;
  bool empty_ = true;
  bool merge_ = false;  // the text did not fit: merged_ holds it
  TextVector merged_;
};

}  // namespace gmg::coherence
