// SiteSearch: one search over every area of the GMG's work (issue 13): activities, the library,
// meetings, positions, statistics dataflows, stakeholders, people (focal points and
// researchers), training courses, the research network, staff exchanges and initiatives. Each
// area answers through a SearchSource (app/site_search_sources.cc, over its module's service,
// so each keeps its own visibility rules); SiteSearch merges their answers.
//
// Ranking across areas: every source ranks its own hits by its own score (BM25 for the
// activities and the library, word matches elsewhere), which are not comparable across areas.
// Each score is therefore divided by the best score of its area (the best hit of every area
// gets 1), then hits are ordered by that, by rank within their area, then by the order of the
// sources. Facets count the hits of each area (at most kSiteHitsPerKind, `more` when an area
// had that many).
// Thread-safety: Search is thread-safe when the sources are.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"
#include "core/result.h"

namespace gmg {

inline constexpr int64_t kSiteHitsPerKind = 50;
inline constexpr size_t kMaxSiteQueryBytes = 200;
inline constexpr size_t kMaxSiteQueryWords = 16;
inline constexpr size_t kMaxSiteWordBytes = 64;

// One record found, as a source gives it.
struct SiteHit {
  std::string kind;     // the area: "activity", "library", "meeting", … (the source's kind)
  std::string id;       // the record's id within its area
  std::string title;    // plain text
  std::string body;     // plain text the snippet is cut from (a description, an abstract)
  std::string href;     // the web app's page for it, e.g. "/library/12"
  double score = 0;     // higher is better, > 0; in the answer, divided by its kind's best
  std::string snippet;  // filled by SiteSearch: at most ~200 bytes of `body` around a match
};

// The best `limit` hits of one area for the query's words (already folded to lower case),
// best first, only what `viewer` may see there.
struct SearchSource {
  std::string kind;
  std::function<Result<std::vector<SiteHit>>(const Principal& viewer, std::string_view text,
                                             const std::vector<std::string>& words, int64_t limit)>
      find;
};

struct SiteQuery {
  std::string text;                // 1-200 bytes, at least one word
  std::vector<std::string> kinds;  // only these areas' hits (empty = all); facets count all
  int64_t limit = 20;              // 1-100
  int64_t offset = 0;              // 0-1000
};

struct SiteFacet {
  std::string kind;
  int64_t count = 0;
  bool more = false;  // the area had kSiteHitsPerKind hits or more
};

struct SiteSearchResult {
  int64_t total = 0;  // hits of the kinds asked for
  std::vector<SiteHit> hits;
  std::vector<SiteFacet> facets;  // every area, in the order of the sources
};

// The words of `text`: runs of letters and digits (bytes above 0x7F count as letters), ASCII
// folded to lower case, each once, at most kMaxSiteQueryWords; longer than kMaxSiteWordBytes
// are left out.
std::vector<std::string> SiteQueryWords(std::string_view text);

// For sources without an index: 0 unless every word occurs in `title` or `body` (as a
// substring, ASCII case folded); else 2 per word in the title plus 1 per word only in the body.
double SiteMatchScore(const std::vector<std::string>& words, std::string_view title,
                      std::string_view body);
// The same score for a text kept ASCII lower-cased (ToLowerAscii) by its source, its body in
// parts (a word must occur within one part); for words as SiteQueryWords gives them,
// SiteMatchScore(words, title, b1 + "\n" + b2 …) equals SiteMatchScoreFolded(words,
// fold(title), {fold(b1), fold(b2), …}), at the speed of a plain substring search.
double SiteMatchScoreFolded(const std::vector<std::string>& words, std::string_view folded_title,
                            std::initializer_list<std::string_view> folded_body);

// At most about `max` bytes of `body` around the first word found (the start when none), cut at
// UTF-8 boundaries and spaces, with "…" where cut; whitespace runs become one space.
std::string SiteSnippet(std::string_view body, const std::vector<std::string>& words,
                        size_t max = 200);

class SiteSearch {
 public:
  explicit SiteSearch(std::vector<SearchSource> sources);

  // kInvalidArgument naming "q" (empty, no word, over 200 bytes), "kind" (an unknown area),
  // "limit" or "cursor" (the offset; out of range). A failing source fails the search.
  Result<SiteSearchResult> Search(const Principal& viewer, const SiteQuery& query) const;

  // The areas, in order.
  std::vector<std::string> Kinds() const;

 private:
  std::vector<SearchSource> sources_;
};

}  // namespace gmg
