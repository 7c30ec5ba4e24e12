// Stem: the Snowball stem of a word in a language (libstemmer), with accents folded, and the
// UTF-8 steps it needs. What both the embedded engine's full-text tokenizer
// (store/sqlite/fts5_functions.h: "gmg_stem") and the coherence engine's text analysis
// (coherence/text_features.h) stem with, so a word stems alike in a search and in an overlap.
// The stemmers are the ones PostgreSQL's english_stem, french_stem and spanish_stem run.
// Thread-safety: every function may run concurrently (stemmers are kept per thread).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sb_stemmer;

namespace gmg {

// Decodes the UTF-8 code point at `i` and advances `i` past it; an invalid sequence (cut,
// overlong, a surrogate, past U+10FFFF) comes back as U+FFFD (`i` then moves past the bytes
// read), so no word decoded from non-NUL bytes holds a NUL. `i` must be < s.size().
char32_t NextCodePoint(std::string_view s, size_t& i);

// Appends `cp` to `out` in UTF-8.
void AppendUtf8(std::string& out, char32_t cp);

// Accents off Latin letters (à -> a, ç -> c, œ -> oe …); anything else unchanged.
std::string FoldAccents(std::string_view word);

// The Snowball stem of a lower-cased word in language `lang` (ISO 639-1: "en", "fr", "es" …)
// with accents folded ("fr", "réfugiés" -> "refugi"); the folded word itself when libstemmer
// has no stemmer for the language.
std::string Stem(std::string_view lang, std::string_view word);

// One language's stemmer, for one thread at a time, keeping the stems it gave (at most
// kMaxKept words, then it starts afresh; none for a language libstemmer does not know): what a
// tokenizer that stems every word of every text uses (a kept stem costs a hash lookup, about a
// tenth of stemming the word again). Stem() keeps one per language and thread, for at most 16
// languages at once.
class Stemmer {
 public:
  static constexpr size_t kMaxKept = 16384;

  explicit Stemmer(std::string_view lang);
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // Stem(lang, word); valid until the next call.
  std::string_view operator()(std::string_view word);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  sb_stemmer* stemmer_ = nullptr;  // null: no stemmer for the language
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> kept_;
  std::string last_;  // the last folded word, without a stemmer
};

}  // namespace gmg
