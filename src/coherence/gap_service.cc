#include "coherence/gap_service.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "coherence/indicators.h"
#include "core/codelists.h"

namespace gmg {
namespace {

using coherence::AreaCoverage;
using coherence::GapArea;
using coherence::GapCell;
using coherence::GapInput;
using coherence::ThemeCoverage;

Error Invalid(const char* field, const std::string& problem, const char* rule,
              const std::string& value) {
  return FieldError(ErrorCode::kInvalidArgument, field, problem, rule, {{"value", value}});
}

// Whether the area lies inside `region` (nullptr: everywhere).
bool Inside(const GapArea& area, const RegionRecord* region) {
  if (region == nullptr || area.code == region->code) return true;
  const auto& in = region->countries;
  return std::all_of(area.countries.begin(), area.countries.end(), [&](const std::string& c) {
    return std::find(in.begin(), in.end(), c) != in.end();
  });
}

}  // namespace

Result<std::vector<std::string>> GapService::Themes(const coherence::NeedTable& need,
                                                    const std::string& only) {
  GMG_ASSIGN_OR_RETURN(auto all, activities_.ListThemes());
  std::vector<std::string> out;
  for (const auto& t : all) {
    if (t.archived || need.WeightsOf(t.id).empty()) continue;
    if (only.empty() || t.id == only) out.push_back(t.id);
  }
  if (!only.empty() && out.empty())
    return Invalid("theme", "is not a theme with need figures: " + only, "unknown_theme", only);
  return out;
}

Result<GapInput> GapService::CountryInput(const Principal& viewer,
                                          const std::vector<std::string>& themes) {
  GapInput input;
  input.decades = coherence::kCountryDecades;
  std::unordered_map<std::string, size_t> index;
  for (const auto& c : AllCountries()) {
    if (*c.region == '\0') continue;  // Antarctica: no M49 region
    index[c.iso2] = input.areas.size();
    input.areas.push_back({c.iso2, c.name, {c.iso2}});
  }
  for (const auto& theme : themes) {
    ActivityFilter filter;
    filter.themes = {theme};
    GMG_ASSIGN_OR_RETURN(auto counts, activities_.CountByCountry(viewer, filter));
    ThemeCoverage coverage{theme, std::vector<AreaCoverage>(input.areas.size()), counts.global};
    for (const auto& [code, n] : counts.countries) {
      if (auto it = index.find(code); it != index.end()) coverage.areas[it->second].direct += n;
    }
    for (const auto& [code, n] : counts.regions) {
      const RegionRecord* region = FindRegion(code);
      if (region == nullptr) continue;
      for (const auto& c : region->countries) {
        if (auto it = index.find(c); it != index.end()) coverage.areas[it->second].wider += n;
      }
    }
    input.themes.push_back(std::move(coverage));
  }
  return input;
}

Result<GapInput> GapService::RegionInput(const Principal& viewer, const std::string& level,
                                         const std::vector<std::string>& themes) {
  GapInput input;
  input.decades = coherence::kRegionDecades;
  for (const auto& r : AllRegions()) {
    if (r.level == level) input.areas.push_back({r.code, r.name, r.countries});
  }
  for (const auto& theme : themes) {
    ActivityFilter filter;
    filter.themes = {theme};
    GMG_ASSIGN_OR_RETURN(auto counts, activities_.CountByCountry(viewer, filter));
    ThemeCoverage coverage{theme, {}, counts.global};
    filter.sort = "starts_on";  // the total then comes from the search catalog alone
    for (const auto& area : input.areas) {
      filter.regions = {area.code};
      GMG_ASSIGN_OR_RETURN(auto page, activities_.List(viewer, filter, 1, 0));
      coverage.areas.push_back({page.total, 0});
    }
    input.themes.push_back(std::move(coverage));
  }
  return input;
}

Result<GapReport> GapService::Gaps(const Principal& viewer, const GapQuery& query) {
  if (query.level != "region" && query.level != "subregion" && query.level != "country")
    return Invalid("level", "must be region, subregion or country", "not_in_list", query.level);
  const RegionRecord* region = nullptr;
  if (!query.region.empty()) {
    region = FindRegion(query.region);
    if (region == nullptr)
      return Invalid("region", "is not a UN M49 region or LDC, LLDC, SIDS: " + query.region,
                     "unknown_region", query.region);
  }
  if (query.limit < 1 || query.limit > kMaxLimit)
    return FieldError(ErrorCode::kInvalidArgument, "limit",
                      "must be from 1 to " + std::to_string(kMaxLimit), "out_of_range",
                      {{"min", "1"}, {"max", std::to_string(kMaxLimit)}});
  GMG_ASSIGN_OR_RETURN(coherence::NeedTable need, need_());
  GapReport report;
  report.level = query.level;
  report.sources = need.sources;
  report.missing = need.missing;
  bool any_figures = false;
  for (const auto& v : need.values) any_figures = any_figures || !v.empty();
  if (!any_figures) return report;
  GMG_ASSIGN_OR_RETURN(auto themes, Themes(need, query.theme));
  GapInput input;
  if (query.level == "country") {
    GMG_ASSIGN_OR_RETURN(input, CountryInput(viewer, themes));
  } else {
    GMG_ASSIGN_OR_RETURN(input, RegionInput(viewer, query.level, themes));
  }
  input.need = &need;
  std::set<std::string> inside;
  for (const auto& area : input.areas) {
    if (Inside(area, region)) inside.insert(area.code);
  }
  for (GapCell& cell : coherence::ComputeGaps(input)) {
    if (inside.contains(cell.area)) report.cells.push_back(std::move(cell));
  }
  report.total = static_cast<int64_t>(report.cells.size());
  if (report.total > query.limit) report.cells.resize(static_cast<size_t>(query.limit));
  return report;
}

}  // namespace gmg
