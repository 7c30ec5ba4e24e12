#include "activities/postgres_postings.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace gmg {
namespace {

TEST(PostgresPostingsTest, EntriesComeBackAsIdsAndOccurrences) {
  const std::vector<int64_t> entries = {3 * kPostingEntryShift + 5, 70000 * kPostingEntryShift + 1,
                                        (int64_t{1} << 40) * kPostingEntryShift + 65535};
  std::vector<TextPosting> out = {{1, 2}};  // appended to
  ASSERT_TRUE(AppendPostingEntries(SendPostingEntries(entries), &out).ok());
  ASSERT_EQ(out.size(), 4U);
  EXPECT_EQ(out[1].id, 3);
  EXPECT_EQ(out[1].freq, 5);
  EXPECT_EQ(out[2].id, 70000);
  EXPECT_EQ(out[2].freq, 1);
  EXPECT_EQ(out[3].id, int64_t{1} << 40);
  EXPECT_EQ(out[3].freq, 65535);
  out.clear();
  ASSERT_TRUE(AppendPostingEntries(SendPostingEntries({}), &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(PostgresPostingsTest, AnythingButAOneDimensionalBigintArrayWithoutNullsIsRefused) {
  const std::string good = SendPostingEntries({65536, 131072});
  std::vector<TextPosting> out;
  auto refused = [&](std::string bytes) {
    out.clear();
    Status s = AppendPostingEntries(bytes, &out);
    return !s.ok() && s.error().code == ErrorCode::kInternal;
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(good.substr(0, 11)));               // cut in the header
  EXPECT_TRUE(refused(good.substr(0, good.size() - 1)));  // cut in the last value
  EXPECT_TRUE(refused(good + '\0'));                      // bytes after the last
  std::string two_dimensions = good;
  two_dimensions[3] = 2;
  EXPECT_TRUE(refused(two_dimensions));
  std::string nulls = good;
  nulls[7] = 1;
  EXPECT_TRUE(refused(nulls));
  std::string int4 = good;
  int4[11] = 23;
  EXPECT_TRUE(refused(int4));
  std::string longer = good;
  longer[15] = 3;  // says 3 elements, holds 2
  EXPECT_TRUE(refused(longer));
  std::string width = good;
  width[23] = 4;  // an element 4 bytes wide
  EXPECT_TRUE(refused(width));
}

TEST(PostgresPostingsTest, TsvectorLexemesCountEveryPositionAndFourMoreForWeightA) {
  std::vector<std::pair<std::string, int64_t>> got;
  auto collect = [&](const std::string& lexeme, int64_t n) { got.emplace_back(lexeme, n); };
  ASSERT_TRUE(
      ForEachTsvectorLexeme("'en:border':1A,5 'it''s':2B,3C 'a\\\\b':7 'bare'", collect).ok());
  std::vector<std::pair<std::string, int64_t>> want = {
      {"en:border", 6}, {"it's", 2}, {"a\\b", 1}, {"bare", 0}};
  EXPECT_EQ(got, want);
  got.clear();
  EXPECT_TRUE(ForEachTsvectorLexeme("", collect).ok());
  EXPECT_TRUE(got.empty());
  for (const char* bad : {"border", "'open", "'x':", "'x':,1", "'x':1 y", "'a\\b':1"}) {
    EXPECT_FALSE(ForEachTsvectorLexeme(bad, collect).ok()) << bad;
  }
}

}  // namespace
}  // namespace gmg
