#include "activities/tagged_lexemes.h"

#include <algorithm>
#include <boost/json.hpp>

namespace gmg::tagged {

const char* TagOf(std::string_view config) {
  if (config == "gmg_french") return "fr:";
  if (config == "gmg_spanish") return "es:";
  return "en:";
}

// to_tsvector(config, text) with each lexeme tagged by its configuration ("fr:migr"), so a
// query word matches a French text only through its French stem and an English text through
// its English one, as one stemmer per text would (untagged, "data", whose Spanish stem is
// "dat", found "datos"). The tag goes into the tsvector's text form, where every lexeme is
// quoted (a quote inside doubled) and entries are separated by one space, so each " '" opens a
// lexeme: no lexeme holds a space (the default parser's tokens never do, and the unaccent
// rules that yield one, for fractions such as ¼, apply to no word token). The same tsvector as
// tagging each quoted lexeme with regexp_replace (as activities migration 6 did), at about a
// fifth of the cost (the regexp was about a third of a bulk import's index build).
std::string Tagged(const char* config, const std::string& text) {
  return std::string("CAST(replace(' ' || CAST(to_tsvector('") + config + "', " + text +
         R"() AS text), ' ''', ' '')" + TagOf(config) + "') AS tsvector)";
}

// A lexeme quoted for tsquery input.
std::string QuoteLexeme(std::string_view lexeme) {
  std::string out = "'";
  for (char c : lexeme) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

// Whether a word's lexemes include one of each configuration's tag.
bool InEveryLanguage(const std::vector<std::string>& lexemes) {
  for (std::string_view tag : {"en:", "fr:", "es:"}) {
    if (std::none_of(lexemes.begin(), lexemes.end(),
                     [&](const std::string& l) { return l.rfind(tag, 0) == 0; })) {
      return false;
    }
  }
  return true;
}

Result<Lexemes> LexemesOf(Tx& tx, const std::vector<std::string>& words) {
  Lexemes out;
  out.of_word.resize(words.size());
  boost::json::array list;
  for (const auto& w : words) list.emplace_back(w);
  // Query, not QueryEach: a few rows, and one round trip (a cursor takes two).
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(kWordLexemes, {boost::json::serialize(list)}));
  for (const Row& r : rows) {
    auto i = static_cast<size_t>(r.Int(0) - 1);
    if (i < out.of_word.size()) out.of_word[i].emplace_back(r.Text(1));
  }
  // A stop word of any one language ("the" in English, "de" in French) is left out of the
  // query, as FTS5 would not be asked to require it of a text in that language: "Imported by
  // the matrix" must find an English title whose "by" and "the" were never indexed.
  for (auto& lexemes : out.of_word) {
    if (!InEveryLanguage(lexemes)) lexemes.clear();
    out.any = out.any || !lexemes.empty();
  }
  return out;
}

// ts_headline's parser reads "<migrant>" as an HTML tag and "&lt;" as an entity, neither a
// word: they go in as \x03, \x04, \x05 (separators to it) and come back here.
std::string Untranslated(std::string s) {
  for (char& c : s) {
    if (c == '\x03') c = '<';
    if (c == '\x04') c = '>';
    if (c == '\x05') c = '&';
  }
  return s;
}

// "…" where a headline cuts its text.
std::string WithEllipses(std::string headline, std::string_view text) {
  std::string plain;
  for (char c : headline) {
    if (c != '\x01' && c != '\x02') plain += c;
  }
  size_t at = text.find(plain);
  if (plain.empty() || at == std::string_view::npos) return headline;
  if (at > 0) headline = "…" + headline;
  if (at + plain.size() < text.size()) headline += "…";
  return headline;
}

}  // namespace gmg::tagged
