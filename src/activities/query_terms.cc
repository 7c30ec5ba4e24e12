#include "activities/query_terms.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

#include "core/codelists.h"

namespace gmg {
namespace {

// A code and the names it answers to besides the codelist's or taxonomy's own.
struct TranslatedNames {
  const char* code;
  std::vector<const char*> names;
};

// Regions in the UN's other working languages (M49 names as the UN Statistics Division
// writes them, plus the short forms people type).
const std::vector<TranslatedNames>& TranslatedRegions() {
  static const std::vector<TranslatedNames> kRegions = {
      {"002", {"Afrique", "África", "أفريقيا"}},
      {"019", {"Amériques", "Américas", "الأمريكتان"}},
      {"142", {"Asie", "Asia", "آسيا"}},
      {"150", {"Europe", "Europa", "أوروبا"}},
      {"009", {"Océanie", "Oceanía", "أوقيانوسيا"}},
      {"202", {"Afrique subsaharienne", "África subsahariana"}},
      {"015", {"Afrique du Nord", "África septentrional", "África del Norte", "North Africa"}},
      {"419",
       {"Latin America", "Amérique latine et Caraïbes", "Amérique latine",
        "América Latina y el Caribe", "América Latina"}},
      {"021", {"North America", "Amérique du Nord", "América septentrional", "América del Norte"}},
      {"013", {"Amérique centrale", "Centroamérica", "América Central"}},
      {"005", {"Amérique du Sud", "América del Sur", "Sudamérica"}},
      {"029", {"Caraïbes", "Caribe"}},
      {"030", {"East Asia", "Asie de l'Est", "Asia oriental"}},
      {"034", {"South Asia", "Asie du Sud", "Asia meridional"}},
      {"035", {"Southeast Asia", "Asie du Sud-Est", "Asia sudoriental"}},
      {"143", {"Asie centrale", "Asia central"}},
      {"145", {"Asie occidentale", "Asia occidental"}},
      {"151", {"Europe de l'Est", "Europa oriental"}},
      {"154", {"Europe du Nord", "Europa septentrional"}},
      {"155", {"Europe de l'Ouest", "Europa occidental"}},
      {"039", {"Europe du Sud", "Europa meridional"}},
      {"011", {"West Africa", "Afrique de l'Ouest", "África occidental"}},
      {"014", {"East Africa", "Afrique de l'Est", "África oriental"}},
      {"017", {"Central Africa", "Afrique centrale", "África central"}},
      {"018", {"Afrique australe", "África meridional"}},
      {"053", {"Australie et Nouvelle-Zélande", "Australia y Nueva Zelandia"}},
      {"054", {"Mélanésie"}},
      {"057", {"Micronésie"}},
      {"061", {"Polynésie", "Polinesia"}},
      {"LDC", {"LDC", "LDCs", "Pays les moins avancés", "Países menos adelantados"}},
      {"LLDC",
       {"LLDC", "LLDCs", "Pays en développement sans littoral",
        "Países en desarrollo sin litoral"}},
      {"SIDS",
       {"SIDS", "Petits États insulaires en développement",
        "Pequeños Estados insulares en desarrollo"}},
  };
  return kRegions;
}

// The seeded themes' names in French and Spanish (a renamed or added theme answers to the
// name the taxonomy gives it).
const std::vector<TranslatedNames>& TranslatedThemes() {
  static const std::vector<TranslatedNames> kThemes = {
      {"labour-migration", {"Migration de main-d'œuvre", "Migración laboral"}},
      {"remittances", {"Envois de fonds", "Remesas"}},
      {"trafficking", {"Traite des personnes", "Trata de personas"}},
      {"smuggling", {"Trafic illicite de migrants", "Tráfico ilícito de migrantes"}},
      {"refugee-protection",
       {"Protection des réfugiés et asile", "Protección de los refugiados y asilo"}},
      {"statelessness", {"Apatridie", "Apatridia"}},
      {"internal-displacement", {"Déplacement interne", "Desplazamiento interno"}},
      {"human-rights", {"Droits de l'homme des migrants", "Derechos humanos de los migrantes"}},
      {"migration-development", {"Migration et développement", "Migración y desarrollo"}},
      {"trade-gats-mode4", {"Commerce et mode 4 de l'AGCS", "Comercio y modo 4 del AGCS"}},
      {"skills-brain-drain",
       {"Compétences et fuite des cerveaux", "Competencias y fuga de cerebros"}},
      {"diaspora", {"Diáspora"}},
      {"migration-data", {"Données sur les migrations", "Datos sobre migración"}},
      {"health-hiv", {"Santé et VIH", "Salud y VIH"}},
      {"gender", {"Genre et migration féminine", "Género y migración femenina"}},
      {"migration-management",
       {"Gestion des migrations et des frontières", "Gestión de la migración y fronteras"}},
      {"return-reintegration", {"Retour et réintégration", "Retorno y reintegración"}},
      {"migration-law", {"Droit des migrations", "Derecho migratorio"}},
      {"irregular-migration", {"Migration irrégulière", "Migración irregular"}},
  };
  return kThemes;
}

// Words that join names and mean nothing alone ("remittances and Africa").
bool IsJoiningWord(std::string_view folded) {
  static const std::set<std::string_view> kWords = {
      "and", "the", "of",  "in",  "on",   "for",  "to",   "et", "de",  "du",
      "des", "la",  "le",  "les", "en",   "dans", "pour", "au", "aux", "y",
      "el",  "los", "las", "del", "para", "por",  "e",    "a",  "l",   "d"};
  return kWords.count(folded) > 0;
}

// Latin letters with accents (U+00C0–U+017F) as the ASCII they are read as; "" = a separator.
std::string_view FoldLatin(uint32_t cp) {
  static constexpr std::string_view kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp == 0x152 || cp == 0x153) return "oe";
  return "?";  // not a Latin-1 letter: the caller keeps it as it is
}

// A word of the query: its folded form and where it stands in the original text.
struct Word {
  std::string folded;
  size_t begin = 0;
  size_t end = 0;
};

// Splits on everything that is not a letter or digit (ASCII punctuation, spaces, U+2000–U+206F
// punctuation), folding as it goes. Invalid UTF-8 bytes count as letters (kept as they are).
std::vector<Word> Words(std::string_view text, size_t max_words) {
  std::vector<Word> out;
  Word current;
  bool in_word = false;
  auto close = [&](size_t at) {
    if (!in_word) return;
    current.end = at;
    out.push_back(std::move(current));
    current = Word{};
    in_word = false;
  };
  size_t i = 0;
  while (i < text.size() && out.size() < max_words) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    // A truncated or malformed sequence: its first byte alone, kept as a letter.
    if (len > text.size() - i) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0u) != 0x80u) len = 1;
    }
    uint32_t cp = c;
    if (len == 2) cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
    if (len == 3) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
    }
    std::string_view piece;
    bool letter = true;
    std::string lower;
    if (c >= 0x80 && len == 1) {
      piece = text.substr(i, 1);  // not UTF-8: kept as it is
    } else if (cp < 0x80) {
      letter = std::isalnum(c) != 0;
      lower = std::string(1, static_cast<char>(std::tolower(c)));
      piece = lower;
    } else if (cp >= 0x2000 && cp <= 0x206F) {
      letter = false;
    } else {
      piece = FoldLatin(cp);
      if (piece.empty()) letter = false;
      if (piece == "?") piece = text.substr(i, len);
    }
    if (letter) {
      if (!in_word) {
        in_word = true;
        current.begin = i;
      }
      current.folded += piece;
    } else {
      close(i);
    }
    i += len;
  }
  close(i);
  return out;
}

// The folded words joined by single spaces: how a phrase is looked up.
std::string Joined(const std::vector<Word>& words) {
  std::string out;
  for (const Word& w : words) {
    if (!out.empty()) out += ' ';
    out += w.folded;
  }
  return out;
}

}  // namespace

std::string QueryTerms::Fold(std::string_view text) { return Joined(Words(text, SIZE_MAX)); }

void QueryTerms::Add(std::string_view name, const char* filter, const std::string& code) {
  std::vector<Word> words = Words(name, SIZE_MAX);
  if (words.empty()) return;
  longest_ = std::max(longest_, words.size());
  // The first name given for a phrase wins (countries before regions before themes).
  names_.emplace(Joined(words), std::make_pair(filter, code));
}

QueryTerms::QueryTerms(const std::vector<std::pair<std::string, std::string>>& themes) {
  for (const CountryRecord& c : AllCountries()) Add(c.name, "country", c.iso2);
  for (const CountryNames& c : AllCountryNames()) {
    for (const char* name : {c.french, c.spanish, c.arabic}) Add(name, "country", c.iso2);
  }
  for (const RegionRecord& r : AllRegions()) {
    if (r.level != "world") Add(r.name, "region", r.code);
  }
  for (const TranslatedNames& r : TranslatedRegions()) {
    for (const char* name : r.names) Add(name, "region", r.code);
  }
  for (const auto& [id, name] : themes) {
    Add(name, "theme", id);
    Add(id, "theme", id);
  }
  for (const TranslatedNames& t : TranslatedThemes()) {
    bool known = std::any_of(themes.begin(), themes.end(),
                             [&](const auto& theme) { return theme.first == t.code; });
    if (!known) continue;
    for (const char* name : t.names) Add(name, "theme", t.code);
  }
}

QueryInterpretation QueryTerms::Interpret(std::string_view query) const {
  constexpr size_t kMaxWords = 64;
  std::vector<Word> words = Words(query, kMaxWords);
  QueryInterpretation out;
  std::vector<bool> used(words.size(), false);
  for (size_t i = 0; i < words.size();) {
    size_t matched = 0;
    for (size_t n = std::min(longest_, words.size() - i); n >= 1 && matched == 0; --n) {
      std::string phrase = words[i].folded;
      for (size_t k = 1; k < n; ++k) phrase += ' ' + words[i + k].folded;
      auto it = names_.find(phrase);
      if (it == names_.end()) continue;
      matched = n;
      // Not a structured binding: clang (before 16) cannot capture one in the lambda below.
      const char* filter = it->second.first;
      const std::string& code = it->second.second;
      bool seen = std::any_of(out.terms.begin(), out.terms.end(), [&](const QueryTerm& t) {
        return t.filter == filter && t.code == code;
      });
      size_t begin = words[i].begin;
      size_t end = words[i + n - 1].end;
      if (!seen) out.terms.push_back({std::string(query.substr(begin, end - begin)), filter, code});
    }
    if (matched == 0) {
      ++i;
      continue;
    }
    for (size_t k = i; k < i + matched; ++k) used[k] = true;
    i += matched;
  }
  bool meaningful = false;
  std::string remaining;
  for (size_t i = 0; i < words.size(); ++i) {
    if (used[i]) continue;
    if (!remaining.empty()) remaining += ' ';
    remaining += query.substr(words[i].begin, words[i].end - words[i].begin);
    meaningful = meaningful || !IsJoiningWord(words[i].folded);
  }
  if (words.size() == kMaxWords && words.back().end < query.size()) {
    remaining += ' ';
    remaining += query.substr(words.back().end);
    meaningful = true;
  }
  out.remaining = meaningful ? remaining : "";
  return out;
}

}  // namespace gmg
