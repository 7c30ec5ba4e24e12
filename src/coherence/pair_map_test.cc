#include "coherence/pair_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace gmg::coherence {
namespace {

TEST(PairMapTest, InsertsFindsErasesAndInsertsAgain) {
  PairMap<int> m;
  EXPECT_EQ(m.find(7), nullptr);
  EXPECT_FALSE(m.erase(7));
  EXPECT_TRUE(m.try_emplace(7, 70));
  EXPECT_FALSE(m.try_emplace(7, 71));  // there already: unchanged
  EXPECT_EQ(*m.find(7), 70);
  m[8] = 80;
  m[7] = 72;
  EXPECT_EQ(m.size(), 2U);
  EXPECT_EQ(*m.find(7), 72);
  EXPECT_TRUE(m.erase(7));
  EXPECT_EQ(m.find(7), nullptr);
  EXPECT_EQ(*m.find(8), 80);  // found past the tombstone
  EXPECT_TRUE(m.try_emplace(7, 73));
  EXPECT_EQ(*m.find(7), 73);
  EXPECT_EQ(m.size(), 2U);
  m.clear();
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.find(8), nullptr);
}

TEST(PairMapTest, AgreesWithStdMapOverRandomInsertsAndErasesWhileGrowing) {
  std::mt19937_64 rng(5);
  PairMap<uint32_t> m;
  m.reserve(100);
  std::map<uint64_t, uint32_t> want;
  for (int i = 0; i < 200000; ++i) {
    // Pair keys as the engine makes them: the smaller slot high, the larger low.
    uint64_t x = rng() % 3000;
    uint64_t y = x + 1 + rng() % 3000;
    uint64_t key = (x << 32) | y;
    switch (rng() % 4) {
      case 0:
        EXPECT_EQ(m.erase(key), want.erase(key) == 1);
        break;
      case 1:
        m[key] = i;
        want[key] = i;
        break;
      default:
        EXPECT_EQ(m.try_emplace(key, i), want.try_emplace(key, i).second);
    }
  }
  ASSERT_EQ(m.size(), want.size());
  size_t seen = 0;
  m.ForEach([&](uint64_t key, uint32_t value) {
    ++seen;
    auto it = want.find(key);
    ASSERT_NE(it, want.end());
    EXPECT_EQ(value, it->second);
  });
  EXPECT_EQ(seen, want.size());
  for (const auto& [key, value] : want) EXPECT_EQ(*m.find(key), value);
}

}  // namespace
}  // namespace gmg::coherence
