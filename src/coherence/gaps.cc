#include "coherence/gaps.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>

namespace gmg::coherence {
namespace {

// Every area's value of every indicator, and each indicator's largest over the areas.
struct AreaValues {
  std::vector<std::vector<std::optional<IndicatorValue>>> by_area;  // area × indicator
  std::vector<double> largest;                                      // per indicator
};

AreaValues ValuesOf(const std::vector<GapArea>& areas, const NeedTable& need) {
  const size_t n = need.config.indicators.size();
  AreaValues out;
  out.by_area.assign(areas.size(), std::vector<std::optional<IndicatorValue>>(n));
  out.largest.assign(n, 0);
  for (size_t a = 0; a < areas.size(); ++a) {
    for (size_t k = 0; k < n; ++k) {
      out.by_area[a][k] = AreaValue(areas[a], need, k);
      if (out.by_area[a][k])
        out.largest[k] = std::max(out.largest[k], static_cast<double>(out.by_area[a][k]->value));
    }
  }
  return out;
}

// The cells of one theme, before ranking.
void AddThemeCells(const GapInput& input, const AreaValues& values, const ThemeCoverage& theme,
                   std::vector<GapCell>& out) {
  const auto weights = input.need->WeightsOf(theme.theme);
  if (weights.empty()) return;
  std::vector<GapCell> cells;
  for (size_t a = 0; a < input.areas.size(); ++a) {
    GapCell cell;
    double need = 0;
    for (const auto& [k, weight] : weights) {
      const auto& v = values.by_area[a][k];
      if (!v) continue;
      cell.indicators.push_back(*v);
      need += weight * LogScale(static_cast<double>(v->value), values.largest[k], input.decades);
    }
    if (cell.indicators.empty()) continue;
    const AreaCoverage covered = a < theme.areas.size() ? theme.areas[a] : AreaCoverage{};
    cell.theme = theme.theme;
    cell.area = input.areas[a].code;
    cell.area_name = input.areas[a].name;
    cell.need = need;
    cell.coverage = covered.direct;
    cell.weighted_coverage = static_cast<double>(covered.direct) +
                             kWiderRegionWeight * static_cast<double>(covered.wider) +
                             kGlobalWeight * static_cast<double>(theme.global);
    cells.push_back(std::move(cell));
  }
  double top = 0, need_sum = 0, covered_sum = 0;
  for (const auto& c : cells) top = std::max(top, c.need);
  for (auto& c : cells) {
    c.need = top > 0 ? c.need / top : 0;
    need_sum += c.need;
    covered_sum += c.weighted_coverage;
  }
  for (auto& c : cells) {
    c.fair_share = need_sum > 0 ? covered_sum * c.need / need_sum : 0;
    if (c.fair_share > 0) {
      c.coverage_share = std::min(1.0, c.weighted_coverage / c.fair_share);
    } else {
      c.coverage_share = c.weighted_coverage > 0 ? 1.0 : 0.0;
    }
    c.gap = std::clamp(c.need * (1 - c.coverage_share), 0.0, 1.0);
    out.push_back(std::move(c));
  }
}

}  // namespace

double LogScale(double value, double largest, double decades) {
  if (value <= 0 || largest <= 0 || decades <= 0) return 0;
  return std::clamp(1 + std::log10(value / largest) / decades, 0.0, 1.0);
}

std::optional<IndicatorValue> AreaValue(const GapArea& area, const NeedTable& need, size_t index) {
  std::optional<IndicatorValue> out;
  for (const auto& country : area.countries) {
    std::optional<Observation> o = need.Value(index, country);
    if (!o) continue;
    if (!out) out = IndicatorValue{need.config.indicators[index].id, 0, 0};
    out->value += o->value;
    out->year = std::max(out->year, o->year);
  }
  return out;
}

std::vector<GapCell> ComputeGaps(const GapInput& input) {
  if (input.need == nullptr) return {};
  AreaValues values = ValuesOf(input.areas, *input.need);
  std::vector<GapCell> cells;
  for (const auto& theme : input.themes) AddThemeCells(input, values, theme, cells);
  RankGaps(cells);
  return cells;
}

void RankGaps(std::vector<GapCell>& cells) {
  std::sort(cells.begin(), cells.end(), [](const GapCell& a, const GapCell& b) {
    return std::tie(b.gap, b.need, a.theme, a.area) < std::tie(a.gap, a.need, b.theme, b.area);
  });
}

}  // namespace gmg::coherence
