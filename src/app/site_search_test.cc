#include "app/site_search.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gmg {
namespace {

std::vector<std::string> Rules(const Error& e) {
  std::vector<std::string> out;
  for (const auto& d : e.details) out.push_back(d.field + ":" + d.rule);
  return out;
}

// A source answering `hits` (scores as given) and remembering what it was asked.
SearchSource Fixed(std::string kind, std::vector<std::pair<std::string, double>> hits,
                   std::vector<std::string>* asked = nullptr) {
  return {
      kind,
      [kind, hits, asked](const Principal&, std::string_view, const std::vector<std::string>& words,
                          int64_t limit) -> Result<std::vector<SiteHit>> {
        if (asked) *asked = words;
        std::vector<SiteHit> out;
        for (const auto& [title, score] : hits) {
          if (static_cast<int64_t>(out.size()) == limit) break;
          out.push_back({.id = title,
                         .title = title,
                         .body = "About " + title,
                         .href = "/" + kind + "/" + title,
                         .score = score});
        }
        return out;
      }};
}

TEST(SiteSearchTest, QueryWordsAreFoldedOnceEachAndBounded) {
  EXPECT_EQ(SiteQueryWords("  Remittance CORRIDORS, remittance; 2020!"),
            (std::vector<std::string>{"remittance", "corridors", "2020"}));
  EXPECT_EQ(SiteQueryWords("Migración laboral"),
            (std::vector<std::string>{"migración", "laboral"}));
  EXPECT_TRUE(SiteQueryWords(" ,;!? ").empty());
  EXPECT_TRUE(SiteQueryWords(std::string(65, 'a')).empty()) << "a word over 64 bytes";
  std::string many;
  for (int i = 0; i < 30; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(SiteQueryWords(many).size(), kMaxSiteQueryWords);
}

TEST(SiteSearchTest, EveryWordMustMatchTitleWordsWeighMore) {
  std::vector<std::string> words = {"labour", "migration"};
  EXPECT_EQ(SiteMatchScore(words, "Labour Migration Forum", ""), 4);
  EXPECT_EQ(SiteMatchScore(words, "Labour forum", "on migration in Asia"), 3);
  EXPECT_EQ(SiteMatchScore(words, "Labour forum", "on mobility"), 0);
}

TEST(SiteSearchTest, SnippetsCutAroundTheFirstMatchOnCharacterBoundaries) {
  EXPECT_EQ(SiteSnippet("Short   text\nhere", {"text"}), "Short text here");
  std::string body = std::string(300, 'x') + " é remittances flow " + std::string(300, 'y');
  std::string s = SiteSnippet(body, {"remittances"}, 100);
  EXPECT_NE(s.find("remittances"), std::string::npos) << s;
  EXPECT_TRUE(s.starts_with("…"));
  EXPECT_TRUE(s.ends_with("…"));
  EXPECT_LE(s.size(), 100u + 2 * std::string("…").size());
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "é";
  std::string cut = SiteSnippet(accents, {}, 101);
  EXPECT_EQ(cut.size() % 2, std::string("…").size() % 2) << "no half character";
  EXPECT_TRUE(cut.starts_with("éé"));
  // Not UTF-8 at all (found by site_search_fuzz): the cut never runs backwards.
  std::string junk = std::string(40, '\x97') + " " + std::string(300, '\x97');
  EXPECT_LE(SiteSnippet(junk, {}).size(), 200u + 2 * std::string("…").size());
}

TEST(SiteSearchTest, ScoresAreComparedWithinTheirKindAndFacetsCountEveryKind) {
  std::vector<std::string> asked;
  SiteSearch search({Fixed("activity", {{"a1", 12.0}, {"a2", 6.0}, {"a3", 3.0}}, &asked),
                     Fixed("library", {{"l1", 2.0}, {"l2", 1.5}}), Fixed("meeting", {})});
  SiteQuery q;
  q.text = "Labour migration";
  auto r = search.Search(Principal{}, q);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(asked, (std::vector<std::string>{"labour", "migration"}));
  std::vector<std::string> order;
  for (const auto& h : r->hits) order.push_back(h.id);
  // Normalised: a1 1, l1 1, l2 0.75, a2 0.5, a3 0.25.
  EXPECT_EQ(order, (std::vector<std::string>{"a1", "l1", "l2", "a2", "a3"}));
  EXPECT_EQ(r->total, 5);
  EXPECT_EQ(r->hits[1].kind, "library");
  EXPECT_EQ(r->hits[1].href, "/library/l1");
  EXPECT_EQ(r->hits[1].snippet, "About l1");
  EXPECT_DOUBLE_EQ(r->hits[2].score, 0.75) << "l2: 1.5 of its kind's best 2";
  ASSERT_EQ(r->facets.size(), 3u);
  EXPECT_EQ(r->facets[0].kind, "activity");
  EXPECT_EQ(r->facets[0].count, 3);
  EXPECT_EQ(r->facets[2].count, 0);

  q.kinds = {"library"};
  q.limit = 1;
  q.offset = 1;
  r = search.Search(Principal{}, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 2);
  ASSERT_EQ(r->hits.size(), 1u);
  EXPECT_EQ(r->hits[0].id, "l2");
  EXPECT_EQ(r->facets[0].count, 3) << "facets count the kinds not asked for too";
}

TEST(SiteSearchTest, AKindWithTheMostHitsSaysThereAreMore) {
  std::vector<std::pair<std::string, double>> many;
  for (int i = 0; i < 80; ++i) many.emplace_back("h" + std::to_string(i), 100.0 - i);
  SiteSearch search({Fixed("activity", many)});
  SiteQuery q;
  q.text = "x";
  auto r = search.Search(Principal{}, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->facets[0].count, kSiteHitsPerKind);
  EXPECT_TRUE(r->facets[0].more);
}

TEST(SiteSearchTest, RefusesQueriesItCannotAnswer) {
  SiteSearch search({Fixed("activity", {}), Fixed("library", {})});
  auto rules = [&](SiteQuery q) {
    auto r = search.Search(Principal{}, q);
    return r.ok() ? std::vector<std::string>{} : Rules(r.error());
  };
  EXPECT_EQ(rules({.text = ""}), std::vector<std::string>{"q:required"});
  EXPECT_EQ(rules({.text = "?!"}), std::vector<std::string>{"q:required"});
  EXPECT_EQ(rules({.text = std::string(201, 'a')}), std::vector<std::string>{"q:too_long"});
  EXPECT_EQ(rules({.text = "a", .kinds = {"novel"}}), std::vector<std::string>{"kind:not_in_list"});
  EXPECT_EQ(rules({.text = "a", .limit = 0}), std::vector<std::string>{"limit:out_of_range"});
  EXPECT_EQ(rules({.text = "a", .limit = 101}), std::vector<std::string>{"limit:out_of_range"});
  EXPECT_EQ(rules({.text = "a", .offset = 1001}), std::vector<std::string>{"cursor:out_of_range"});
  SiteSearch failing({{"broken",
                       [](const Principal&, std::string_view, const std::vector<std::string>&,
                          int64_t) -> Result<std::vector<SiteHit>> {
                         return MakeError(ErrorCode::kInternal, "disk on fire");
                       }}});
  auto r = failing.Search(Principal{}, {.text = "a"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace gmg
