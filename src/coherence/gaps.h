// Gaps: country (or region) × theme cells where need is high and coverage is low.
//
// Pure computation, no database: the caller (GapService, coherence/gap_service.h) counts the
// activities, this file weighs them against need. docs/coherence-gaps.md has the formulas:
//
//   need      For each indicator the theme's need weights name (indicators.h), the area's value
//             (a region: the sum over its countries) on a log scale over the areas of the level:
//             1 + log10(value / largest) / decades, clamped to 0..1 (with 4 decades a country
//             with a tenth of the largest value scores 0.75, a thousandth 0.25). The weighted
//             sum of those, divided by the theme's largest, so each theme's neediest area is 1.
//   coverage  Activities the viewer may see on the theme that name the area (a region: it or
//             any of its countries), plus half of those recorded only for a larger region that
//             contains it, plus a tenth of the global ones (they count a little everywhere).
//   share     The area's fair share of the theme's coverage is the theme's coverage over all
//             areas of the level, spread in proportion to need; coverage_share = coverage /
//             fair share, at most 1.
//   gap       need × (1 − coverage_share), 0..1: 0 where coverage meets the need's share,
//             the need itself where nothing covers it.
// Cells are ranked by gap, then need (RankGaps).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coherence/indicators.h"

namespace gmg::coherence {

// What one activity recorded only for a larger region, and one global activity, count for.
inline constexpr double kWiderRegionWeight = 0.5;
inline constexpr double kGlobalWeight = 0.1;
// Decades the log scale spans by default, for countries and for regions (regions are sums of
// tens of countries: their values lie closer together).
inline constexpr double kCountryDecades = 4;
inline constexpr double kRegionDecades = 2;

// An area cells are computed for: a country (its own code as its only country) or a region
// (UN M49 code and its countries, ISO alpha-2).
struct GapArea {
  std::string code;
  std::string name;
  std::vector<std::string> countries;
};

// How many activities cover an area on one theme.
struct AreaCoverage {
  int64_t direct = 0;  // naming the area (a region: it or any of its countries)
  int64_t wider = 0;   // recorded only for a larger region that contains the area
};

// One theme's coverage over the areas of a GapInput (same order and length as its areas).
struct ThemeCoverage {
  std::string theme;
  std::vector<AreaCoverage> areas;
  int64_t global = 0;  // global activities on the theme
};

struct GapInput {
  std::vector<GapArea> areas;         // every area of the level (the scales are over them all)
  std::vector<ThemeCoverage> themes;  // a theme with no need weights gives no cells
  double decades = kCountryDecades;
  const NeedTable* need = nullptr;  // the figures; must be set
};

struct IndicatorValue {
  std::string indicator;  // IndicatorDef::id
  int64_t value = 0;
  int year = 0;  // the latest year among the values summed
};

struct GapCell {
  std::string theme;
  std::string area;
  std::string area_name;
  double need = 0;                         // 0..1
  std::vector<IndicatorValue> indicators;  // those of the theme's need table the area has
  int64_t coverage = 0;                    // AreaCoverage::direct
  double weighted_coverage = 0;            // direct + wider and global at their weights
  double fair_share = 0;                   // the coverage the area's need would claim
  double coverage_share = 0;               // weighted_coverage / fair_share, at most 1
  double gap = 0;                          // need × (1 − coverage_share)
};

// The log scale above: 0 for value ≤ 0 or largest ≤ 0.
double LogScale(double value, double largest, double decades);

// The area's value of an indicator: the sum over its countries that have one, dated by the
// latest of their years; nullopt when none has one.
std::optional<IndicatorValue> AreaValue(const GapArea& area, const NeedTable& need, size_t index);

// Every (theme, area) cell with need data (an area with no value for any of the theme's
// indicators has no cell), ranked.
std::vector<GapCell> ComputeGaps(const GapInput& input);

// Orders by gap (largest first), then need, then theme and area ids.
void RankGaps(std::vector<GapCell>& cells);

}  // namespace gmg::coherence
