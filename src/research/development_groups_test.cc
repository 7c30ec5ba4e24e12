#include "research/development_groups.h"

#include <gtest/gtest.h>

#include <string_view>

namespace gmg {
namespace {

TEST(DevelopmentGroupsTest, KnowsNepalAsAnLdcAndLandlocked) {
  const DevelopmentGroups* g = FindDevelopmentGroups("NPL");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->m49, 524);
  EXPECT_TRUE(g->developing);
  EXPECT_TRUE(g->ldc);
  EXPECT_TRUE(g->lldc);
  EXPECT_FALSE(g->sids);
}

TEST(DevelopmentGroupsTest, KnowsFijiAsASmallIslandDevelopingState) {
  const DevelopmentGroups* g = FindDevelopmentGroups("FJI");
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->developing);
  EXPECT_TRUE(g->sids);
  EXPECT_FALSE(g->ldc);
  EXPECT_FALSE(g->lldc);
}

TEST(DevelopmentGroupsTest, KnowsTheDevelopedRegions) {
  for (std::string_view code : {"DEU", "USA", "CAN", "JPN", "AUS", "NZL", "ISR", "CYP"}) {
    const DevelopmentGroups* g = FindDevelopmentGroups(code);
    ASSERT_NE(g, nullptr) << code;
    EXPECT_FALSE(g->developing) << code;
    EXPECT_FALSE(g->ldc || g->lldc || g->sids) << code;
  }
  for (std::string_view code : {"BRA", "CHN", "KEN", "BOL", "MLI", "JAM", "IND"}) {
    const DevelopmentGroups* g = FindDevelopmentGroups(code);
    ASSERT_NE(g, nullptr) << code;
    EXPECT_TRUE(g->developing) << code;
  }
  EXPECT_TRUE(FindDevelopmentGroups("BOL")->lldc);
  EXPECT_TRUE(FindDevelopmentGroups("JAM")->sids);
  EXPECT_TRUE(FindDevelopmentGroups("MLI")->ldc);
}

// Every LDC and LLDC is in a developing region, but for two landlocked countries of Europe
// (M49 counted all of Europe as developed; the MDG's lists show the same).
TEST(DevelopmentGroupsTest, EveryLdcAndLldcIsDevelopingButTwoInEurope) {
  for (const DevelopmentGroups& g : AllDevelopmentGroups()) {
    std::string_view code = g.iso3;
    if (code == "MDA" || code == "MKD") {
      EXPECT_TRUE(g.lldc && !g.developing) << code;
    } else if (g.ldc || g.lldc) {
      EXPECT_TRUE(g.developing) << code;
    }
  }
}

TEST(DevelopmentGroupsTest, RefusesUnknownAndMisspelledCodes) {
  EXPECT_EQ(FindDevelopmentGroups("XXX"), nullptr);
  EXPECT_EQ(FindDevelopmentGroups("npl"), nullptr);
  EXPECT_EQ(FindDevelopmentGroups("NP"), nullptr);
  EXPECT_EQ(FindDevelopmentGroups(""), nullptr);
  EXPECT_GT(AllDevelopmentGroups().size(), 240u);
}

}  // namespace
}  // namespace gmg
