#include "core/stem.h"

#include <libstemmer.h>

#include <memory>
#include <unordered_map>

namespace gmg {
namespace {

// One per language and thread, for at most kMaxStemmers languages at once (then they start
// afresh): the language comes from the data, which may name any number of them.
constexpr size_t kMaxStemmers = 16;

Stemmer& StemmerFor(std::string_view lang) {
  thread_local std::unordered_map<std::string, std::unique_ptr<Stemmer>> stemmers;
  auto key = std::string(lang);
  auto it = stemmers.find(key);
  if (it == stemmers.end()) {
    if (stemmers.size() >= kMaxStemmers) stemmers.clear();
    it = stemmers.emplace(key, std::make_unique<Stemmer>(lang)).first;
  }
  return *it->second;
}

}  // namespace

char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int extra = 0;
  char32_t cp = 0;
  if (b < 0x80) {
    ++i;
    return b;
  }
  if ((b & 0xE0) == 0xC0) {
    extra = 1;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    extra = 2;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    extra = 3;
    cp = b & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + extra >= s.size()) {
    i = s.size();
    return 0xFFFD;
  }
  for (int k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) {
      i += k;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += extra + 1;
  // Overlong forms (C0 80 would be a NUL byte in a word), surrogates and values past U+10FFFF
  // are not UTF-8 either.
  constexpr char32_t kLeast[] = {0, 0x80, 0x800, 0x10000};
  const bool invalid = cp < kLeast[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF;
  return invalid ? 0xFFFD : cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string FoldAccents(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  size_t i = 0;
  while (i < word.size()) {
    char32_t cp = NextCodePoint(word, i);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    switch (cp) {
      case U'à':
      case U'á':
      case U'â':
      case U'ã':
      case U'ä':
      case U'å':
        out += 'a';
        break;
      case U'ç':
        out += 'c';
        break;
      case U'è':
      case U'é':
      case U'ê':
      case U'ë':
        out += 'e';
        break;
      case U'ì':
      case U'í':
      case U'î':
      case U'ï':
        out += 'i';
        break;
      case U'ñ':
        out += 'n';
        break;
      case U'ò':
      case U'ó':
      case U'ô':
      case U'õ':
      case U'ö':
        out += 'o';
        break;
      case U'ù':
      case U'ú':
      case U'û':
      case U'ü':
        out += 'u';
        break;
      case U'ý':
      case U'ÿ':
        out += 'y';
        break;
      case U'œ':
        out += "oe";
        break;
      case U'æ':
        out += "ae";
        break;
      default:
        AppendUtf8(out, cp);
    }
  }
  return out;
}

std::string Stem(std::string_view lang, std::string_view word) {
  return std::string(StemmerFor(lang)(word));
}

Stemmer::Stemmer(std::string_view lang)
    : stemmer_(sb_stemmer_new(std::string(lang).c_str(), "UTF_8")) {}

Stemmer::~Stemmer() {
  if (stemmer_ != nullptr) sb_stemmer_delete(stemmer_);
}

std::string_view Stemmer::operator()(std::string_view word) {
  if (stemmer_ == nullptr) {  // no stemmer: folding is as cheap as a lookup, nothing kept
    last_ = FoldAccents(word);
    return last_;
  }
  if (auto it = kept_.find(word); it != kept_.end()) return it->second;
  if (kept_.size() >= kMaxKept) kept_.clear();
  const sb_symbol* stem = sb_stemmer_stem(  // null when out of memory: the word, folded
      stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  std::string folded =
      stem == nullptr
          ? FoldAccents(word)
          : FoldAccents(std::string_view(reinterpret_cast<const char*>(stem),
                                         static_cast<size_t>(sb_stemmer_length(stemmer_))));
  return kept_.emplace(std::string(word), std::move(folded)).first->second;
}

}  // namespace gmg
