#include "coherence/gaps.h"

#include <gtest/gtest.h>

#include <numeric>

#include "coherence/indicators.h"
#include "core/codelists.h"

namespace gmg::coherence {
namespace {

int64_t Value(std::string_view iso2, Indicator i) {
  auto o = CountryValue(iso2, i);
  return o ? o->value : -1;
}

TEST(IndicatorsTest, KnownCountriesCarryThePublishedFigures) {
  // UNHCR 2020: Turkey hosts the most refugees; Germany, Uganda follow among the largest.
  EXPECT_EQ(Value("TR", Indicator::kRefugees), 3579531);
  EXPECT_EQ(Value("TR", Indicator::kAsylumSeekers), 328257);
  EXPECT_EQ(CountryValue("TR", Indicator::kRefugees)->year, 2020);
  EXPECT_EQ(Value("DE", Indicator::kRefugees), 1146682);
  EXPECT_EQ(Value("UG", Indicator::kRefugees), 1359458);
  EXPECT_EQ(Value("US", Indicator::kAsylumSeekers), 847610);
  // Refugees from Syria, hosted elsewhere.
  EXPECT_EQ(Value("SY", Indicator::kRefugeesAbroad), 6616983);
  // UN DESA 2019: migrants in the United States (known origins), emigrants from Mexico.
  EXPECT_EQ(Value("US", Indicator::kMigrantStock), 48065741);
  EXPECT_EQ(CountryValue("US", Indicator::kMigrantStock)->year, 2019);
  EXPECT_EQ(Value("MX", Indicator::kEmigrants), 11796491);
  // Names the DESA table spells its own way are matched ("Turkey", "Côte d'Ivoire", ...).
  EXPECT_GT(Value("CI", Indicator::kMigrantStock), 2000000);
  EXPECT_GT(Value("HK", Indicator::kMigrantStock), 2000000);
  // Absent from a source: no value, not a zero.
  EXPECT_FALSE(CountryValue("KP", Indicator::kRefugees));
  EXPECT_FALSE(CountryValue("ZZ", Indicator::kMigrantStock));
}

TEST(IndicatorsTest, EveryThemeOfTheTaxonomyHasWeightsSummingToOne) {
  EXPECT_EQ(ThemesWithNeed().size(), 19u);
  for (std::string_view theme : ThemesWithNeed()) {
    auto weights = NeedWeightsOf(theme);
    ASSERT_FALSE(weights.empty()) << theme;
    double sum = 0;
    for (const auto& w : weights) sum += w.weight;
    EXPECT_NEAR(sum, 1.0, 1e-9) << theme;
  }
  EXPECT_TRUE(NeedWeightsOf("a-theme-someone-added").empty());
  for (Indicator i : kAllIndicators) EXPECT_EQ(ParseIndicator(IndicatorId(i)), i);
  EXPECT_STREQ(SourceOf(Indicator::kRefugees).id, "unhcr_2020");
  EXPECT_STREQ(SourceOf(Indicator::kEmigrants).id, "undesa_stock_2019");
}

TEST(GapsTest, TheLogScaleGivesAQuarterPerDecadeOverFour) {
  EXPECT_DOUBLE_EQ(LogScale(1000, 1000, 4), 1.0);
  EXPECT_NEAR(LogScale(100, 1000, 4), 0.75, 1e-12);
  EXPECT_NEAR(LogScale(1, 1000, 4), 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(LogScale(0.01, 1000, 4), 0.0);  // more than four decades below: 0
  EXPECT_DOUBLE_EQ(LogScale(0, 1000, 4), 0.0);
  EXPECT_DOUBLE_EQ(LogScale(5, 0, 4), 0.0);
  EXPECT_NEAR(LogScale(10, 1000, 2), 0.0, 1e-12);
}

GapArea Country(const std::string& iso2) { return {iso2, iso2, {iso2}}; }

ThemeCoverage Coverage(const std::string& theme, std::vector<AreaCoverage> areas,
                       int64_t global = 0) {
  return {theme, std::move(areas), global};
}

const GapCell& CellOf(const std::vector<GapCell>& cells, const std::string& area) {
  for (const auto& c : cells) {
    if (c.area == area) return c;
  }
  static const GapCell kNone;
  ADD_FAILURE() << "no cell for " << area;
  return kNone;
}

TEST(GapsTest, NeedIsOneForTheNeediestAndOnTheLogScaleBelow) {
  GapInput in;
  in.areas = {Country("TR"), Country("DE"), Country("FR")};
  in.themes = {Coverage("refugee-protection", {{}, {}, {}})};
  auto cells = ComputeGaps(in);
  ASSERT_EQ(cells.size(), 3u);
  const GapCell& tr = CellOf(cells, "TR");
  EXPECT_DOUBLE_EQ(tr.need, 1.0);
  // Nothing covers anything: the gap is the need itself.
  for (const auto& c : cells) EXPECT_DOUBLE_EQ(c.gap, c.need);
  // Germany's need by hand: 0.6 × scale(refugees) + 0.4 × scale(asylum-seekers), over the
  // largest of the three.
  auto raw = [](std::string_view iso2) {
    auto scale = [&](Indicator i) {
      return LogScale(
          static_cast<double>(Value(iso2, i)),
          static_cast<double>(std::max({Value("TR", i), Value("DE", i), Value("FR", i)})), 4);
    };
    return 0.6 * scale(Indicator::kRefugees) + 0.4 * scale(Indicator::kAsylumSeekers);
  };
  double top = std::max({raw("TR"), raw("DE"), raw("FR")});
  EXPECT_NEAR(CellOf(cells, "DE").need, raw("DE") / top, 1e-9);
  ASSERT_EQ(tr.indicators.size(), 2u);
  EXPECT_EQ(tr.indicators[0].indicator, Indicator::kRefugees);
  EXPECT_EQ(tr.indicators[0].value, 3579531);
}

TEST(GapsTest, CoverageBelowTheFairShareLeavesAGapInProportion) {
  // Two areas of the same need (both Turkey's figures): 3 activities in A, 1 in B. The fair
  // share is 2 each: A is covered (gap 0), B half (gap 0.5).
  GapInput in;
  in.areas = {{"A", "A", {"TR"}}, {"B", "B", {"TR"}}};
  in.themes = {Coverage("refugee-protection", {{3, 0}, {1, 0}})};
  auto cells = ComputeGaps(in);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].area, "B");  // ranked by gap
  EXPECT_DOUBLE_EQ(cells[0].fair_share, 2.0);
  EXPECT_DOUBLE_EQ(cells[0].coverage_share, 0.5);
  EXPECT_DOUBLE_EQ(cells[0].gap, 0.5);
  EXPECT_EQ(cells[0].coverage, 1);
  EXPECT_DOUBLE_EQ(cells[1].gap, 0.0);
}

TEST(GapsTest, RegionalAndGlobalActivitiesCountALittle) {
  GapInput in;
  in.areas = {{"A", "A", {"TR"}}, {"B", "B", {"TR"}}};
  // A: two activities recorded for a region containing it (0.5 each); B: none. Ten global
  // activities add 1 to both.
  in.themes = {Coverage("refugee-protection", {{0, 2}, {0, 0}}, 10)};
  auto cells = ComputeGaps(in);
  const GapCell& a = CellOf(cells, "A");
  const GapCell& b = CellOf(cells, "B");
  EXPECT_DOUBLE_EQ(a.weighted_coverage, 2 * kWiderRegionWeight + 10 * kGlobalWeight);
  EXPECT_DOUBLE_EQ(b.weighted_coverage, 10 * kGlobalWeight);
  EXPECT_EQ(a.coverage, 0);
  EXPECT_DOUBLE_EQ(a.gap, 0.0);
  EXPECT_DOUBLE_EQ(b.fair_share, 1.5);
  EXPECT_NEAR(b.gap, 1 - 1.0 / 1.5, 1e-12);
}

TEST(GapsTest, UniformCoverageLeavesTheNeediestWithTheLargestGap) {
  GapInput in;
  in.areas = {Country("TR"), Country("FR")};
  in.themes = {Coverage("refugee-protection", {{1, 0}, {1, 0}})};
  auto cells = ComputeGaps(in);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].area, "TR");
  double fr = CellOf(cells, "FR").need;
  ASSERT_LT(fr, 1.0);
  // Turkey's fair share is 2 × 1 / (1 + fr) > 1: covered (1 + fr) / 2.
  EXPECT_NEAR(cells[0].gap, 1 - (1 + fr) / 2, 1e-12);
  EXPECT_DOUBLE_EQ(CellOf(cells, "FR").gap, 0.0);
}

TEST(GapsTest, RankedByGapThenNeedAndThemesWithoutNeedGiveNoCells) {
  GapInput in;
  in.areas = {Country("TR"), Country("DE"), Country("MX"), Country("ZZ")};
  in.themes = {Coverage("refugee-protection", {{}, {}, {}, {}}),
               Coverage("remittances", {{}, {}, {}, {}}),
               Coverage("a-theme-someone-added", {{}, {}, {}, {}})};
  auto cells = ComputeGaps(in);
  // ZZ has no figures at all; the added theme has no need table.
  EXPECT_EQ(cells.size(), 6u);
  for (size_t i = 1; i < cells.size(); ++i) {
    EXPECT_GE(cells[i - 1].gap, cells[i].gap);
    if (cells[i - 1].gap == cells[i].gap) {
      EXPECT_GE(cells[i - 1].need, cells[i].need);
    }
  }
  // Remittances are measured by emigrants: Mexico's is the largest of the three.
  for (const auto& c : cells) {
    if (c.theme == "remittances" && c.area == "MX") {
      EXPECT_DOUBLE_EQ(c.need, 1.0);
    }
    EXPECT_GE(c.need, 0.0);
    EXPECT_LE(c.gap, 1.0);
  }
}

TEST(GapsTest, RegionsRollUpTheirCountries) {
  GapInput in;
  in.decades = kRegionDecades;
  for (const auto& r : AllRegions()) {
    if (r.level == "region") in.areas.push_back({r.code, r.name, r.countries});
  }
  ASSERT_EQ(in.areas.size(), 5u);
  in.themes = {Coverage("refugee-protection", std::vector<AreaCoverage>(5))};
  const GapArea* africa = nullptr;
  for (const auto& a : in.areas) {
    if (a.code == "002") africa = &a;
  }
  ASSERT_NE(africa, nullptr);
  int64_t sum = 0;
  for (const auto& c : africa->countries) {
    if (auto o = CountryValue(c, Indicator::kRefugees)) sum += o->value;
  }
  auto value = AreaValue(*africa, Indicator::kRefugees);
  ASSERT_TRUE(value);
  EXPECT_EQ(value->value, sum);
  EXPECT_GT(sum, 5000000);  // Uganda, Sudan, Ethiopia, the DR Congo, Chad, Kenya, ...
  EXPECT_EQ(value->year, 2020);
  auto cells = ComputeGaps(in);
  ASSERT_EQ(cells.size(), 5u);
  double top = 0;
  for (const auto& c : cells) top = std::max(top, c.need);
  EXPECT_DOUBLE_EQ(top, 1.0);
  EXPECT_EQ(CellOf(cells, "002").area_name, africa->name);
  EXPECT_EQ(CellOf(cells, "002").indicators[0].value, sum);
}

}  // namespace
}  // namespace gmg::coherence
