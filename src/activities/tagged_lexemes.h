// Tagged lexemes: the pieces of PostgreSQL full-text search that the activities' index and the
// library's share. Every lexeme of an indexed tsvector carries its configuration's tag ("en:",
// "fr:", "es:"; see Tagged), and a query word becomes the tagged stems it has in the three
// configurations (LexemesOf), quoted and cast into a tsquery (Lexemes::All), so no user text
// reaches the tsquery syntax. Also ts_headline's helpers (Untranslated, WithEllipses).
// Thread-safety: pure functions, except LexemesOf, which reads through the caller's Tx.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace gmg::tagged {

// The tag of a configuration: "fr:" for gmg_french, "es:" for gmg_spanish, else "en:".
const char* TagOf(std::string_view config);

// SQL: to_tsvector(config, <text>) with each lexeme tagged by its configuration. `text` is an
// SQL expression (a column, a coalesce …), never user input.
std::string Tagged(const char* config, const std::string& text);

// Per word (n, from 1) its tagged stems in each configuration.
inline constexpr char kWordLexemes[] =
    "SELECT w.n, c.tag || u.lexeme FROM json_array_elements_text(CAST(? AS json)) WITH "
    "ORDINALITY AS w(word, n), (VALUES ('gmg_english', 'en:'), ('gmg_french', 'fr:'), "
    "('gmg_spanish', 'es:')) AS c(config, tag), unnest(to_tsvector(CAST(c.config AS regconfig), "
    "w.word)) u";

// A lexeme quoted for tsquery input.
std::string QuoteLexeme(std::string_view lexeme);

// A query's words as lexemes: per word, its stems in the three configurations.
struct Lexemes {
  std::vector<std::vector<std::string>> of_word;
  bool any = false;

  // ('l1' | 'l2') for word i, or "" when it has none.
  std::string Word(size_t i) const {
    std::string q;
    for (const auto& l : of_word[i]) q += (q.empty() ? "(" : " | ") + QuoteLexeme(l);
    return q.empty() ? q : q + ")";
  }
  // Every word with lexemes required (" & "), or any of them (" | ").
  std::string All(std::string_view op = " & ") const {
    std::string q;
    for (size_t i = 0; i < of_word.size(); ++i) {
      std::string w = Word(i);
      if (!w.empty()) q += (q.empty() ? "" : std::string(op)) + w;
    }
    return q;
  }
};

// Whether a word's lexemes include one of each configuration's tag.
bool InEveryLanguage(const std::vector<std::string>& lexemes);

// The lexemes of `words` (one query, through `tx`); a word that is a stop word in any of the
// three configurations gets none (any = whether some word has lexemes).
Result<Lexemes> LexemesOf(Tx& tx, const std::vector<std::string>& words);

// ts_headline's parser reads "<migrant>" as an HTML tag and "&lt;" as an entity: the text goes
// in with \x03, \x04, \x05 in their place, and the headline comes back here.
std::string Untranslated(std::string s);

// "…" where a headline cuts its text (`headline` marked with \x01/\x02 around matches).
std::string WithEllipses(std::string headline, std::string_view text);

}  // namespace gmg::tagged
