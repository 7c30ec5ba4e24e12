#include "coherence/text_features.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "coherence/concepts.h"
#include "core/stem.h"

namespace gmg::coherence {
namespace {

// Word characters: ASCII letters and digits, and every non-ASCII code point that is not
// punctuation, a symbol or a space (Latin-1 symbols, general punctuation, CJK punctuation).
bool IsWordChar(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  if (cp < 0xC0) return false;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp == 0xFFFD || cp == 0xFEFF) return false;
  return true;
}

char32_t ToLower(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 32;
  if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 &&
      cp != 0x17F) {
    // Latin Extended-A pairs upper/lower mostly as even/odd (odd/even from U+0139 to U+0148
    // and U+0179 to U+017E).
    bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    bool is_upper = odd_upper ? (cp % 2 == 1) : (cp % 2 == 0);
    return is_upper ? cp + 1 : cp;
  }
  if (cp >= 0x391 && cp <= 0x3A9) return cp + 32;  // Greek
  if (cp >= 0x410 && cp <= 0x42F) return cp + 32;  // Cyrillic
  return cp;
}

const std::unordered_map<std::string, std::unordered_set<std::string>>& StopWords() {
  static const auto* const kWords =
      new std::unordered_map<std::string, std::unordered_set<std::string>>{
          {"en", {"the",     "and",     "of",     "to",    "in",    "for",   "on",   "with",
                  "by",      "at",      "from",   "as",    "an",    "is",    "are",  "be",
                  "was",     "were",    "this",   "that",  "these", "those", "it",   "its",
                  "or",      "into",    "their",  "they",  "them",  "which", "who",  "will",
                  "through", "also",    "has",    "have",  "had",   "not",   "but",  "all",
                  "more",    "other",   "such",   "than",  "can",   "our",   "we",   "over",
                  "under",   "between", "within", "about", "among", "well",  "both", "new"}},
          {"fr", {"le",   "la",    "les",   "de",   "des",    "du",    "un",    "une",  "et",
                  "en",   "au",    "aux",   "pour", "par",    "sur",   "dans",  "avec", "que",
                  "qui",  "est",   "sont",  "ce",   "ces",    "cette", "se",    "sa",   "son",
                  "ses",  "leur",  "leurs", "ou",   "ne",     "pas",   "plus",  "il",   "elle",
                  "ils",  "elles", "nous",  "vous", "été",    "être",  "entre", "afin", "ainsi",
                  "dont", "lors",  "tout",  "tous", "toutes", "aussi", "sous",  "vers", "chez"}},
          {"es",
           {"el",    "la",    "los",   "las",  "de",    "del",      "un",     "una",   "unos",
            "unas",  "y",     "en",    "al",   "para",  "por",      "con",    "sobre", "que",
            "quien", "es",    "son",   "se",   "su",    "sus",      "este",   "esta",  "estos",
            "estas", "o",     "no",    "más",  "entre", "como",     "lo",     "le",    "les",
            "ha",    "han",   "fue",   "ser",  "sin",   "también",  "hacia",  "desde", "hasta",
            "todo",  "todos", "todas", "cada", "muy",   "mediante", "durante"}},
      };
  return *kWords;
}

// Words in every activity of the domain: they say little about which work it is.
const std::unordered_map<std::string, std::vector<std::string>>& GenericWords() {
  static const auto* const kWords = new std::unordered_map<std::string, std::vector<std::string>>{
      {"en", {"migration",    "migrant",      "migrants",       "project",    "programme",
              "program",      "support",      "activity",       "activities", "national",
              "government",   "governments",  "country",        "countries",  "international",
              "organization", "organisation", "implementation", "strengthen", "strengthening",
              "improve",      "improving",    "promote",        "promoting",  "management",
              "services",     "regional",     "local",          "global",     "key",
              "including",    "initiative",   "phase",          "partners",   "stakeholders",
              "efforts",      "relevant",     "develop"}},
      {"fr", {"migration",    "migrants",     "migrant",  "projet",        "programme",
              "appui",        "soutien",      "activité", "activités",     "national",
              "nationale",    "gouvernement", "pays",     "international", "internationale",
              "organisation", "mise",         "œuvre",    "renforcer",     "renforcement",
              "améliorer",    "promouvoir",   "gestion",  "services",      "régional",
              "régionale",    "local",        "locale",   "initiative",    "phase",
              "partenaires",  "acteurs",      "efforts",  "développer"}},
      {"es", {"migración",  "migrantes",       "migrante",      "proyecto",     "programa",
              "apoyo",      "actividad",       "actividades",   "nacional",     "gobierno",
              "país",       "países",          "internacional", "organización", "implementación",
              "fortalecer", "fortalecimiento", "mejorar",       "promover",     "gestión",
              "servicios",  "regional",        "local",         "iniciativa",   "fase",
              "socios",     "actores",         "esfuerzos",     "desarrollar"}},
  };
  return *kWords;
}

uint64_t PhraseHash(const uint64_t* stems, size_t count) {
  uint64_t h = stems[0];
  for (size_t k = 1; k < count; ++k) {
    h = (h ^ (stems[k] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2))) * 0xff51afd7ed558ccdULL;
  }
  return h;
}

// Stem hashes of a text with stop words removed, in order. Stems are cached per thread and
// language in a direct-mapped table (a word's slot by its hash): a corpus's common words stay,
// and the long tail of rare ones (project names, typos) overwrites a slot now and then instead
// of growing a map node by node and clearing it when full (with the document frequencies in a
// flat table: 300,000 synthetic activities with project names 15.6 -> 14.0 s, docs/performance.md).
thread_local size_t cached_languages = 0;  // StemHashes' caches on this thread (a test reads it)

std::vector<uint64_t> StemHashes(std::string_view lang, std::string_view text) {
  constexpr size_t kCacheSlots = size_t{1} << 15;
  struct Cached {
    std::string word;  // "" = empty slot (Tokenise gives no empty word)
    uint64_t hash = 0;
  };
  thread_local std::unordered_map<std::string, std::vector<Cached>> caches;
  // A cache per language, at most kMaxCachedLanguages (then they start afresh): the language
  // comes from the data (xml:lang), and a cache is a megabyte, so a file of activities in
  // thousands of made-up languages must not make thousands of them (fuzzing found it).
  auto key = std::string(lang);
  auto it = caches.find(key);
  if (it == caches.end()) {
    if (caches.size() >= kMaxCachedLanguages) caches.clear();
    it = caches.emplace(key, std::vector<Cached>(kCacheSlots)).first;
  }
  auto& cache = it->second;
  const auto& stop_words = StopWords();
  auto stop = stop_words.find(key);
  std::vector<uint64_t> out;
  for (const auto& word : Tokenise(text)) {
    if (stop != stop_words.end() && stop->second.contains(word)) continue;
    Cached& slot = cache[std::hash<std::string>{}(word) & (kCacheSlots - 1)];
    if (slot.word != word) {
      slot.hash = HashToken(Stem(lang, word));
      slot.word = word;
    }
    out.push_back(slot.hash);
  }
  cached_languages = caches.size();
  return out;
}

struct LangGlossary {
  std::unordered_map<uint64_t, std::vector<uint32_t>> phrases;  // PhraseHash -> concepts
  std::unordered_set<uint32_t> generic;                         // stem terms
};

// The glossary and the generic words of every language, stemmed as texts are.
const std::unordered_map<std::string, LangGlossary>& Glossaries() {
  static const auto* const kGlossaries = [] {
    auto* out = new std::unordered_map<std::string, LangGlossary>();
    for (const auto& term : Glossary()) {
      auto stems = StemHashes(term.lang, term.phrase);
      if (stems.empty() || stems.size() > 3) continue;
      auto& concepts =
          (*out)[std::string(term.lang)].phrases[PhraseHash(stems.data(), stems.size())];
      uint32_t hash = TermOf(HashToken("c:" + std::string(term.concept_id))) | kConceptBit;
      if (std::find(concepts.begin(), concepts.end(), hash) == concepts.end()) {
        concepts.push_back(hash);
      }
    }
    for (const auto& [lang, words] : GenericWords()) {
      for (const auto& word : words) {
        (*out)[lang].generic.insert(TermOf(HashToken(Stem(lang, word))));
      }
    }
    return out;
  }();
  return *kGlossaries;
}

constexpr float kTitleCount = 2.0F;
constexpr float kGenericFactor = 0.35F;
constexpr float kConceptFactor = 1.5F;

void AddTerms(std::string_view lang_tag, std::string_view text, float count,
              std::unordered_map<uint32_t, float>& tf) {
  std::string lang = NormaliseLang(lang_tag);
  for (uint32_t term : TextTerms(lang, text)) tf[term] += count;
}

}  // namespace

std::vector<std::string> Tokenise(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  size_t chars = 0;
  size_t i = 0;
  auto flush = [&] {
    if (chars > 1) words.push_back(word);
    word.clear();
    chars = 0;
  };
  while (i < text.size()) {
    char32_t cp = NextCodePoint(text, i);
    if (IsWordChar(cp)) {
      AppendUtf8(word, ToLower(cp));
      ++chars;
    } else {
      flush();
    }
  }
  flush();
  return words;
}

std::string NormaliseLang(std::string_view lang) {
  if (lang.size() < 2) return "en";
  std::string out;
  for (size_t k = 0; k < 2; ++k) {
    char c = lang[k];
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

bool IsStopWord(std::string_view lang, std::string_view word) {
  const auto& all = StopWords();
  auto it = all.find(std::string(lang));
  return it != all.end() && it->second.contains(std::string(word));
}

uint64_t HashToken(std::string_view token) {
  // FNV-1a, then a final mix so nearby strings spread over the top bits too.
  uint64_t h = 1469598103934665603ULL;
  for (char c : token) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

std::vector<uint32_t> TextTerms(std::string_view lang, std::string_view text) {
  std::vector<uint64_t> stems = StemHashes(lang, text);
  std::vector<uint32_t> terms;
  terms.reserve(stems.size() + 4);
  for (uint64_t h : stems) terms.push_back(TermOf(h));
  const auto& glossaries = Glossaries();
  auto g = glossaries.find(std::string(lang));
  if (g == glossaries.end()) return terms;
  for (size_t i = 0; i < stems.size(); ++i) {
    for (size_t len = 1; len <= 3 && i + len <= stems.size(); ++len) {
      auto it = g->second.phrases.find(PhraseHash(stems.data() + i, len));
      if (it == g->second.phrases.end()) continue;
      terms.insert(terms.end(), it->second.begin(), it->second.end());
    }
  }
  return terms;
}

TextVector AnalyseTexts(const std::vector<Text>& titles, const std::vector<Text>& descriptions) {
  TextVector out;
  std::unordered_map<uint32_t, float> tf;
  for (const auto& t : titles) {
    if (out.lang.empty() && !t.text.empty()) out.lang = NormaliseLang(t.lang);
    AddTerms(t.lang, t.text, kTitleCount, tf);
  }
  for (const auto& d : descriptions) {
    if (out.lang.empty() && !d.text.empty()) out.lang = NormaliseLang(d.lang);
    AddTerms(d.lang, d.text, 1.0F, tf);
  }
  if (out.lang.empty()) out.lang = "en";
  const auto& glossaries = Glossaries();
  auto g = glossaries.find(out.lang);
  out.terms.reserve(tf.size());
  for (const auto& [term, count] : tf) {
    float w = 1.0F + std::log(count);
    if ((term & kConceptBit) != 0) {
      w *= kConceptFactor;
    } else if (g != glossaries.end() && g->second.generic.contains(term)) {
      w *= kGenericFactor;
    }
    out.terms.push_back({term, w});
  }
  std::sort(out.terms.begin(), out.terms.end(),
            [](const TermWeight& x, const TermWeight& y) { return x.term < y.term; });
  double sum = 0;
  double concept_sum = 0;
  for (const auto& t : out.terms) {
    sum += double{t.weight} * t.weight;
    if ((t.term & kConceptBit) != 0) concept_sum += double{t.weight} * t.weight;
  }
  out.norm = std::sqrt(sum);
  out.concept_norm = std::sqrt(concept_sum);
  return out;
}

namespace {

// The dot products of two sorted term lists, in one merge (the inner loop of every candidate
// pair): over every term, and, with kConcepts, over the concept terms only too (texts in two
// languages need both; one pass instead of two was 6 % of an analysis).
template <bool kConcepts>
std::pair<double, double> Dots(const TextVector& a, const TextVector& b) {
  const TermWeight* x = a.terms.data();
  const TermWeight* y = b.terms.data();
  const TermWeight* x_end = x + a.terms.size();
  const TermWeight* y_end = y + b.terms.size();
  double dot = 0;
  double concept_dot = 0;
  while (x != x_end && y != y_end) {
    uint32_t tx = x->term;
    uint32_t ty = y->term;
    if (tx == ty) {
      const double product = double{x->weight} * y->weight;
      dot += product;
      if (kConcepts && (tx & kConceptBit) != 0) concept_dot += product;
    }
    x += static_cast<int>(tx <= ty);
    y += static_cast<int>(ty <= tx);
  }
  return {dot, concept_dot};
}

// A dot product over norms, at most 1; 0 when either norm is.
double CosineOf(double dot, double norm_a, double norm_b) {
  return norm_a > 0 && norm_b > 0 ? std::min(1.0, dot / (norm_a * norm_b)) : 0;
}

// Concepts alone are weaker evidence than words: at most "ge60" across languages.
constexpr double kConceptEvidence = 0.75;

}  // namespace

double Cosine(const TextVector& a, const TextVector& b) {
  if (a.norm <= 0 || b.norm <= 0) return 0;
  return CosineOf(Dots<false>(a, b).first, a.norm, b.norm);
}

double ConceptCosine(const TextVector& a, const TextVector& b) {
  if (a.concept_norm <= 0 || b.concept_norm <= 0) return 0;
  return CosineOf(Dots<true>(a, b).second, a.concept_norm, b.concept_norm);
}

double TextSimilarity(const TextVector& a, const TextVector& b) {
  if (a.lang == b.lang) return Cosine(a, b);
  auto [dot, concept_dot] = Dots<true>(a, b);
  return std::max(CosineOf(dot, a.norm, b.norm),
                  kConceptEvidence * CosineOf(concept_dot, a.concept_norm, b.concept_norm));
}

void TermTable::Reset(const TextVector& text, size_t most_slots_per_term) {
  norm_ = text.norm;
  concept_norm_ = text.concept_norm;
  lang_ = text.lang;
  empty_ = text.norm <= 0;
  merge_ = false;
  merged_.terms.clear();
  // Four slots per term at first, doubled while some term finds its window full, up to
  // most_slots_per_term (at least kMinSlots): terms crafted to share their homes at every size
  // must not make a table of gigabytes (they would need 2^32 slots), so past that the table
  // keeps a copy of the text and merges.
  const size_t terms = std::max<size_t>(1, text.terms.size());
  const size_t most = std::max(kMinSlots, std::bit_ceil(terms) * most_slots_per_term);
  for (size_t size = std::bit_ceil(std::max(kMinSlots, terms * 4)); size <= most; size *= 2) {
    mask_ = size - 1;
    shift_ = 64 - static_cast<uint32_t>(std::countr_zero(size));
    slots_.assign(size + kWindow - 1, Slot{});
    if (TryPlace(text)) return;
  }
  merge_ = true;
  merged_ = text;
}

size_t TermTable::Home(uint32_t term) const {
  return static_cast<size_t>((uint64_t{term} * 0x9e3779b97f4a7c15ULL) >> shift_) & mask_;
}

bool TermTable::TryPlace(const TextVector& text) {
  for (const auto& t : text.terms) {
    Slot* s = &slots_[Home(t.term)];
    size_t k = 0;
    while (k < kWindow && s[k].weight != 0) ++k;
    if (k == kWindow) return false;
    s[k] = {t.term, t.weight};
  }
  return true;
}

double TermTable::Similarity(const TextVector& other) const {
  if (merge_) return TextSimilarity(merged_, other);
  if (empty_ || other.norm <= 0) return 0;
  const bool concepts = other.lang != lang_;
  double dot = 0;
  double concept_dot = 0;
  for (const auto& t : other.terms) {
    const Slot* s = &slots_[Home(t.term)];
    // The first match in the window wins, an empty slot (term 0, weight 0) never precedes the
    // slot of a term 0: a term is stored past its home only when the slots before are taken.
    float w = 0;
    for (size_t k = kWindow; k-- > 0;) w = s[k].term == t.term ? s[k].weight : w;
    const double product = double{w} * t.weight;
    dot += product;
    if (concepts) concept_dot += (t.term & kConceptBit) != 0 ? product : 0.0;
  }
  double cosine = CosineOf(dot, norm_, other.norm);
  if (!concepts) return cosine;
  return std::max(cosine,
                  kConceptEvidence * CosineOf(concept_dot, concept_norm_, other.concept_norm));
}

size_t StemCachesOfThisThread() { return cached_languages; }

}  // namespace gmg::coherence
