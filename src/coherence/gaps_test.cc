#include "coherence/gaps.h"

#include <gtest/gtest.h>

#include <numeric>
#include <tuple>

#include "coherence/indicators.h"
#include "core/codelists.h"

namespace gmg::coherence {
namespace {

// The published figures of a few countries (UNHCR 2020, UN DESA 2019), as the statistics
// module reads them from the dataflows (need_service_test.cc checks that against the files).
const NeedTable& Figures() {
  static const NeedTable kTable = [] {
    NeedTable t;
    t.config = DefaultNeedConfig();
    t.values.resize(t.config.indicators.size());
    auto set = [&](const char* id, const char* iso2, int64_t v, int year) {
      t.values[static_cast<size_t>(t.IndexOf(id))][iso2] = {v, year};
    };
    for (auto [iso2, refugees, asylum] : {std::tuple{"TR", 3579531, 328257},
                                          {"DE", 1146682, 0},
                                          {"UG", 1359458, 29013},
                                          {"FR", 436101, 120625},
                                          {"SD", 1040308, 17078}}) {
      set("unhcr_refugees", iso2, refugees, 2020);
      if (asylum > 0) set("unhcr_asylum_seekers", iso2, asylum, 2020);
    }
    set("unhcr_asylum_seekers", "DE", 240134, 2020);
    set("undesa_migrant_stock", "US", 48065741, 2019);
    set("undesa_emigrants", "MX", 11796491, 2019);
    set("undesa_emigrants", "TR", 3279400, 2019);
    set("undesa_emigrants", "DE", 3877910, 2019);
    return t;
  }();
  return kTable;
}

int64_t Value(std::string_view iso2, const char* indicator) {
  auto o = Figures().Value(static_cast<size_t>(Figures().IndexOf(indicator)), iso2);
  return o ? o->value : -1;
}

TEST(IndicatorsTest, TheDefaultConfigurationWeighsEveryThemeOfTheTaxonomy) {
  const NeedConfig config = DefaultNeedConfig();
  EXPECT_TRUE(ValidateNeedConfig(config).ok());
  EXPECT_EQ(config.themes.size(), 19u);
  for (const auto& [theme, weights] : config.themes) {
    double sum = 0;
    for (const auto& w : weights) sum += w.weight;
    EXPECT_NEAR(sum, 1.0, 1e-9) << theme;
  }
  EXPECT_TRUE(Figures().WeightsOf("a-theme-someone-added").empty());
  // Weights are relative: a theme whose indicators lack figures keeps the others, rescaled.
  NeedTable partial = Figures();
  partial.values[static_cast<size_t>(partial.IndexOf("unhcr_asylum_seekers"))].clear();
  auto w = partial.WeightsOf("refugee-protection");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_DOUBLE_EQ(w[0].second, 1.0);
}

TEST(IndicatorsTest, ABrokenConfigurationNamesTheField) {
  NeedConfig config = DefaultNeedConfig();
  config.indicators[1].id = config.indicators[0].id;
  auto repeated = ValidateNeedConfig(config);
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.error().details.at(0).field, "indicators[1].id");
  config = DefaultNeedConfig();
  config.themes["remittances"][0].weight = -1;
  EXPECT_EQ(ValidateNeedConfig(config).error().details.at(0).field, "themes.remittances[0].weight");
  config = DefaultNeedConfig();
  config.themes["remittances"][0].indicator = "nope";
  EXPECT_EQ(ValidateNeedConfig(config).error().details.at(0).rule, "unknown_indicator");
  config = DefaultNeedConfig();
  config.indicators[0].id = "Bad Id";
  EXPECT_FALSE(ValidateNeedConfig(config).ok());
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
  in.need = &Figures();
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
    auto scale = [&](const char* i) {
      return LogScale(
          static_cast<double>(Value(iso2, i)),
          static_cast<double>(std::max({Value("TR", i), Value("DE", i), Value("FR", i)})), 4);
    };
    return 0.6 * scale("unhcr_refugees") + 0.4 * scale("unhcr_asylum_seekers");
  };
  double top = std::max({raw("TR"), raw("DE"), raw("FR")});
  EXPECT_NEAR(CellOf(cells, "DE").need, raw("DE") / top, 1e-9);
  ASSERT_EQ(tr.indicators.size(), 2u);
  EXPECT_EQ(tr.indicators[0].indicator, "unhcr_refugees");
  EXPECT_EQ(tr.indicators[0].value, 3579531);
}

TEST(GapsTest, CoverageBelowTheFairShareLeavesAGapInProportion) {
  // Two areas of the same need (both Turkey's figures): 3 activities in A, 1 in B. The fair
  // share is 2 each: A is covered (gap 0), B half (gap 0.5).
  GapInput in;
  in.need = &Figures();
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
  in.need = &Figures();
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
  in.need = &Figures();
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
  in.need = &Figures();
  in.areas = {Country("TR"), Country("DE"), Country("MX"), Country("ZZ")};
  in.themes = {Coverage("refugee-protection", {{}, {}, {}, {}}),
               Coverage("remittances", {{}, {}, {}, {}}),
               Coverage("a-theme-someone-added", {{}, {}, {}, {}})};
  auto cells = ComputeGaps(in);
  // ZZ has no figures at all; the added theme has no need table.
  EXPECT_EQ(cells.size(), 5u);  // MX has no refugee figures
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
  in.need = &Figures();
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
    if (auto o = Figures().Value(0 + Figures().IndexOf("unhcr_refugees"), c)) sum += o->value;
  }
  auto value = AreaValue(*africa, Figures(), Figures().IndexOf("unhcr_refugees"));
  ASSERT_TRUE(value);
  EXPECT_EQ(value->value, sum);
  EXPECT_EQ(sum, 1359458 + 1040308);  // Uganda and Sudan
  EXPECT_EQ(value->year, 2020);
  auto cells = ComputeGaps(in);
  ASSERT_EQ(cells.size(), 3u);  // Oceania and the Americas have none of the figures above
  double top = 0;
  for (const auto& c : cells) top = std::max(top, c.need);
  EXPECT_DOUBLE_EQ(top, 1.0);
  EXPECT_EQ(CellOf(cells, "002").area_name, africa->name);
  EXPECT_EQ(CellOf(cells, "002").indicators[0].value, sum);
}

}  // namespace
}  // namespace gmg::coherence
