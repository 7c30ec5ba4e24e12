#include "app/site_search.h"

#include <algorithm>
#include <utility>

namespace gmg {
namespace {

constexpr int64_t kMaxSiteLimit = 100;
constexpr int64_t kMaxSiteOffset = 1000;

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

char Fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The first position of `word` (folded) in `text`, ASCII case folded; npos when absent.
size_t FindFolded(std::string_view text, std::string_view word) {
  if (word.empty() || word.size() > text.size()) return std::string_view::npos;
  for (size_t at = 0; at + word.size() <= text.size(); ++at) {
    size_t k = 0;
    while (k < word.size() && Fold(text[at + k]) == word[k]) ++k;
    if (k == word.size()) return at;
  }
  return std::string_view::npos;
}

bool IsContinuation(std::string_view s, size_t at) {
  return at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80;
}

// `s` with whitespace runs as one space, trimmed.
std::string Squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

Error BadQuery(const char* field, std::string problem, const char* rule,
               std::vector<std::pair<std::string, std::string>> args = {}) {
  return FieldError(ErrorCode::kInvalidArgument, field, std::move(problem), rule, std::move(args));
}

}  // namespace

std::vector<std::string> SiteQueryWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word.size() <= kMaxSiteWordBytes && words.size() < kMaxSiteQueryWords &&
        std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
    word.clear();
  };
  for (char c : text) {
    if (IsWordByte(static_cast<unsigned char>(c))) {
      word += Fold(c);
    } else {
      flush();
    }
  }
  flush();
  return words;
}

double SiteMatchScore(const std::vector<std::string>& words, std::string_view title,
                      std::string_view body) {
  double score = 0;
  for (const auto& w : words) {
    if (FindFolded(title, w) != std::string_view::npos) {
      score += 2;
    } else if (FindFolded(body, w) != std::string_view::npos) {
      score += 1;
    } else {
      return 0;
    }
  }
  return score;
}

double SiteMatchScoreFolded(const std::vector<std::string>& words, std::string_view folded_title,
                            std::initializer_list<std::string_view> folded_body) {
  double score = 0;
  for (const auto& w : words) {
    if (folded_title.find(w) != std::string_view::npos) {
      score += 2;
      continue;
    }
    if (std::none_of(folded_body.begin(), folded_body.end(), [&](std::string_view part) {
          return part.find(w) != std::string_view::npos;
        })) {
      return 0;
    }
    score += 1;
  }
  return score;
}

std::string SiteSnippet(std::string_view body, const std::vector<std::string>& words, size_t max) {
  std::string text = Squeeze(body);
  if (text.size() <= max) return text;
  size_t hit = std::string_view::npos;
  for (const auto& w : words) hit = std::min(hit, FindFolded(text, w));
  size_t begin = hit == std::string_view::npos || hit < max / 3 ? 0 : hit - max / 3;
  while (IsContinuation(text, begin)) ++begin;
  if (begin > 0) {
    size_t space = text.find(' ', begin);
    if (space != std::string::npos && space < begin + 20) begin = space + 1;
  }
  size_t end = std::min(text.size(), begin + max);
  // Never before `begin`: text that is not UTF-8 may hold nothing but continuation bytes.
  while (end > begin && end < text.size() && IsContinuation(text, end)) --end;
  if (end < text.size()) {
    size_t space = text.rfind(' ', end);
    if (space != std::string::npos && space > begin + max / 2) end = space;
  }
  std::string out = begin > 0 ? "…" : "";
  out += text.substr(begin, end - begin);
  if (end < text.size()) out += "…";
  return out;
}

SiteSearch::SiteSearch(std::vector<SearchSource> sources) : sources_(std::move(sources)) {}

std::vector<std::string> SiteSearch::Kinds() const {
  std::vector<std::string> kinds;
  for (const auto& s : sources_) kinds.push_back(s.kind);
  return kinds;
}

Result<SiteSearchResult> SiteSearch::Search(const Principal& viewer, const SiteQuery& query) const {
  if (query.text.size() > kMaxSiteQueryBytes) {
    return BadQuery("q", "at most 200 bytes", "too_long", {{"max", "200"}});
  }
  std::vector<std::string> words = SiteQueryWords(query.text);
  if (words.empty()) return BadQuery("q", "type a word to search for", "required");
  if (query.limit < 1 || query.limit > kMaxSiteLimit) {
    return BadQuery("limit", "must be 1-100", "out_of_range", {{"min", "1"}, {"max", "100"}});
  }
  if (query.offset < 0 || query.offset > kMaxSiteOffset) {
    return BadQuery("cursor", "must be 0-1000", "out_of_range", {{"min", "0"}, {"max", "1000"}});
  }
  std::vector<std::string> kinds = Kinds();
  for (const auto& k : query.kinds) {
    if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) {
      return BadQuery("kind", "is not an area of the search: " + k.substr(0, 40), "not_in_list",
                      {{"value", k.substr(0, 40)}});
    }
  }
  struct Ranked {
    double norm;
    size_t rank;
    size_t source;
    SiteHit hit;
  };
  std::vector<Ranked> ranked;
  SiteSearchResult out;
  for (size_t s = 0; s < sources_.size(); ++s) {
    GMG_ASSIGN_OR_RETURN(std::vector<SiteHit> hits,
                         sources_[s].find(viewer, query.text, words, kSiteHitsPerKind));
    if (hits.size() > static_cast<size_t>(kSiteHitsPerKind)) hits.resize(kSiteHitsPerKind);
    out.facets.push_back({sources_[s].kind, static_cast<int64_t>(hits.size()),
                          hits.size() == static_cast<size_t>(kSiteHitsPerKind)});
    bool wanted = query.kinds.empty() || std::find(query.kinds.begin(), query.kinds.end(),
                                                   sources_[s].kind) != query.kinds.end();
    if (!wanted || hits.empty()) continue;
    double best = 0;
    for (const auto& h : hits) best = std::max(best, h.score);
    for (size_t r = 0; r < hits.size(); ++r) {
      double norm = best > 0 ? hits[r].score / best : 0;
      ranked.push_back({norm, r, s, std::move(hits[r])});
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.norm != b.norm) return a.norm > b.norm;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.source < b.source;
  });
  out.total = static_cast<int64_t>(ranked.size());
  auto end = static_cast<size_t>(std::min<int64_t>(out.total, query.offset + query.limit));
  for (auto k = static_cast<size_t>(query.offset); k < end; ++k) {
    SiteHit hit = std::move(ranked[k].hit);
    hit.kind = sources_[ranked[k].source].kind;
    hit.score = ranked[k].norm;
    hit.snippet = SiteSnippet(hit.body, words);
    hit.body.clear();
    out.hits.push_back(std::move(hit));
  }
  return out;
}

}  // namespace gmg
