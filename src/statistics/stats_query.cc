#include "statistics/stats_query.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/codelists.h"
#include "core/date.h"

namespace gmg::stats {
namespace {

using Key = std::vector<uint32_t>;
using Series = FlowData::Series;

// Enumerating the combinations of the leading constrained key positions (each one a binary
// search) stops growing past this many; the remaining positions are checked series by series.
constexpr size_t kMaxPrefixCombinations = 4096;

const sdmx::Codelist* CodelistOf(const sdmx::DataStructure& structure,
                                 const sdmx::Component& component) {
  return component.codelist.empty() ? nullptr : structure.FindCodelist(component.codelist);
}

std::string_view CodeAt(const sdmx::Codelist* codelist, uint32_t index) {
  if (codelist == nullptr || index >= codelist->codes.size()) return {};
  return codelist->codes[index].id;
}

int FindCode(const sdmx::Codelist* codelist, std::string_view id) {
  if (codelist == nullptr) return -1;
  for (size_t i = 0; i < codelist->codes.size(); ++i) {
    if (codelist->codes[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

// The codes one key position allows: any, or the listed code indices (sorted, unique).
struct PositionFilter {
  bool any = true;
  std::vector<uint32_t> codes;
  std::vector<char> allowed;  // by code index, when !any
};

void Restrict(PositionFilter& position, std::vector<char> allowed) {
  if (!position.any) {
    for (size_t i = 0; i < allowed.size(); ++i)
      allowed[i] = (allowed[i] != 0 && position.allowed[i] != 0) ? 1 : 0;
  }
  position.any = false;
  position.allowed = std::move(allowed);
  position.codes.clear();
  for (size_t i = 0; i < position.allowed.size(); ++i) {
    if (position.allowed[i]) position.codes.push_back(static_cast<uint32_t>(i));
  }
}

const sdmx::ComponentFilter* FilterOn(const DataQuery& query, std::string_view component) {
  for (const auto& filter : query.filters) {
    if (filter.component == component) return &filter;
  }
  return nullptr;
}

Result<std::vector<PositionFilter>> PositionFilters(const FlowData& data, const DataQuery& query) {
  const auto& structure = data.flow.structure;
  const size_t dims = structure.dimensions.size();
  if (!query.key.positions.empty() && query.key.positions.size() != dims) {
    return FieldError(ErrorCode::kInvalidArgument, "key",
                      "the key has " + std::to_string(query.key.positions.size()) +
                          " positions but the dataflow has " + std::to_string(dims) +
                          " dimensions");
  }
  std::vector<PositionFilter> positions(dims);
  for (size_t d = 0; d < dims; ++d) {
    const sdmx::Codelist* codelist = CodelistOf(structure, structure.dimensions[d]);
    const size_t size = codelist == nullptr ? 0 : codelist->codes.size();
    if (!query.key.positions.empty() && !query.key.positions[d].empty()) {
      std::vector<char> allowed(size, 0);
      for (const auto& code : query.key.positions[d]) {
        int index = FindCode(codelist, code);
        if (index >= 0) allowed[static_cast<size_t>(index)] = 1;
      }
      Restrict(positions[d], std::move(allowed));
    }
    if (const auto* filter = FilterOn(query, structure.dimensions[d].id)) {
      std::vector<char> allowed(size, 0);
      for (size_t i = 0; i < size; ++i)
        allowed[i] = sdmx::Matches(*filter, codelist->codes[i].id) ? 1 : 0;
      Restrict(positions[d], std::move(allowed));
    }
  }
  return positions;
}

// The periods the time constraints keep, by index into FlowData::periods.
struct TimeFilter {
  bool any = true;
  std::vector<char> allowed;
  bool contiguous = true;  // the allowed indices are [first, last]
  uint32_t first = 0, last = 0;
  bool none = false;  // no period allowed
};

Result<sdmx::PeriodRange> ParseQueryPeriod(std::string_view field, std::string_view text) {
  auto range = sdmx::ParsePeriod(text);
  if (!range.ok()) {
    return FieldError(
        ErrorCode::kInvalidArgument, std::string(field),
        "\"" + std::string(text) + "\" is not a reporting period (" + range.error().message + ")");
  }
  return range.value();
}

struct TimeCondition {
  sdmx::Op op = sdmx::Op::kEq;
  std::string value;
  sdmx::PeriodRange range;
};

bool TimeMatches(const TimeCondition& c, const sdmx::PeriodRange& p, std::string_view text) {
  switch (c.op) {
    case sdmx::Op::kEq:
      return p.first_day >= c.range.first_day && p.last_day <= c.range.last_day;
    case sdmx::Op::kNe:
      return !(p.first_day >= c.range.first_day && p.last_day <= c.range.last_day);
    case sdmx::Op::kLt:
      return p.last_day < c.range.first_day;
    case sdmx::Op::kLe:
      return p.last_day <= c.range.last_day;
    case sdmx::Op::kGt:
      return p.first_day > c.range.last_day;
    case sdmx::Op::kGe:
      return p.first_day >= c.range.first_day;
    case sdmx::Op::kContains:
      return text.find(c.value) != std::string_view::npos;
    case sdmx::Op::kNotContains:
      return text.find(c.value) == std::string_view::npos;
    case sdmx::Op::kStartsWith:
      return text.starts_with(c.value);
    case sdmx::Op::kEndsWith:
      return text.ends_with(c.value);
  }
  return false;
}

bool IsComparison(sdmx::Op op) {
  return op == sdmx::Op::kEq || op == sdmx::Op::kNe || op == sdmx::Op::kLt || op == sdmx::Op::kLe ||
         op == sdmx::Op::kGt || op == sdmx::Op::kGe;
}

Result<TimeFilter> TimeFilterOf(const FlowData& data, const DataQuery& query) {
  const std::string& time_id = data.flow.structure.time_dimension;
  const auto* filter = FilterOn(query, time_id);
  TimeFilter time;
  if (!query.start_period && !query.end_period && filter == nullptr) return time;
  std::optional<sdmx::PeriodRange> start, end;
  if (query.start_period) {
    GMG_ASSIGN_OR_RETURN(start, ParseQueryPeriod("startPeriod", *query.start_period));
  }
  if (query.end_period) {
    GMG_ASSIGN_OR_RETURN(end, ParseQueryPeriod("endPeriod", *query.end_period));
  }
  std::vector<std::vector<TimeCondition>> any_of;
  if (filter != nullptr) {
    for (const auto& all_of : filter->any_of) {
      auto& conditions = any_of.emplace_back();
      for (const auto& c : all_of) {
        TimeCondition condition{c.op, c.value, {}};
        if (IsComparison(c.op)) {
          GMG_ASSIGN_OR_RETURN(condition.range, ParseQueryPeriod("c[" + time_id + "]", c.value));
        }
        conditions.push_back(std::move(condition));
      }
    }
  }
  time.any = false;
  time.allowed.assign(data.periods.size(), 0);
  for (size_t i = 0; i < data.periods.size(); ++i) {
    auto range = sdmx::ParsePeriod(data.periods[i]);
    if (!range.ok()) continue;
    const auto& p = range.value();
    bool keep =
        (!start || p.first_day >= start->first_day) && (!end || p.last_day <= end->last_day);
    if (keep && filter != nullptr) {
      keep = std::any_of(any_of.begin(), any_of.end(), [&](const auto& conditions) {
        return std::all_of(conditions.begin(), conditions.end(),
                           [&](const auto& c) { return TimeMatches(c, p, data.periods[i]); });
      });
    }
    time.allowed[i] = keep ? 1 : 0;
  }
  auto first = std::find(time.allowed.begin(), time.allowed.end(), 1);
  if (first == time.allowed.end()) {
    time.none = true;
    return time;
  }
  auto last = std::find(time.allowed.rbegin(), time.allowed.rend(), 1);
  time.first = static_cast<uint32_t>(first - time.allowed.begin());
  time.last = static_cast<uint32_t>(time.allowed.rend() - last - 1);
  time.contiguous = std::find(first, last.base(), 0) == last.base();
  return time;
}

// Per attribute with a filter: which stored values (0 = none, else 1 + code or free text
// index) it keeps.
struct AttributeFilter {
  size_t attribute = 0;
  std::vector<char> allowed;
};

Result<std::vector<AttributeFilter>> AttributeFilters(const FlowData& data,
                                                      const DataQuery& query) {
  const auto& structure = data.flow.structure;
  std::vector<AttributeFilter> filters;
  for (const auto& filter : query.filters) {
    if (filter.component == structure.time_dimension) continue;
    if (structure.DimensionIndex(filter.component) >= 0) continue;
    int a = structure.AttributeIndex(filter.component);
    if (a < 0) {
      return FieldError(ErrorCode::kInvalidArgument, "c[" + filter.component + "]",
                        "the dataflow has no component " + filter.component);
    }
    const auto& component = structure.attributes[static_cast<size_t>(a)];
    const sdmx::Codelist* codelist = CodelistOf(structure, component);
    AttributeFilter out{static_cast<size_t>(a), {}};
    out.allowed.push_back(sdmx::Matches(filter, "") ? 1 : 0);
    if (codelist != nullptr) {
      for (const auto& code : codelist->codes)
        out.allowed.push_back(sdmx::Matches(filter, code.id) ? 1 : 0);
    } else {
      for (const auto& text : data.free_texts)
        out.allowed.push_back(sdmx::Matches(filter, text) ? 1 : 0);
    }
    filters.push_back(std::move(out));
  }
  return filters;
}

struct QueryPlan {
  std::vector<PositionFilter> positions;
  TimeFilter time;
  std::vector<AttributeFilter> attributes;
  size_t attribute_count = 0;
};

bool KeyAllowed(const QueryPlan& plan, const Key& key, size_t from) {
  for (size_t d = from; d < plan.positions.size(); ++d) {
    const auto& p = plan.positions[d];
    if (!p.any && (key[d] >= p.allowed.size() || !p.allowed[key[d]])) return false;
  }
  return true;
}

bool ObservationAllowed(const QueryPlan& plan, const Series& s, uint32_t j) {
  if (!plan.time.any && !plan.time.allowed[s.period_index[j]]) return false;
  for (const auto& f : plan.attributes) {
    size_t at = static_cast<size_t>(j) * plan.attribute_count + f.attribute;
    uint32_t v = at < s.attributes.size() ? s.attributes[at] : 0;
    if (v >= f.allowed.size() || !f.allowed[v]) return false;
  }
  return true;
}

// Keeps the first `first_n` and the last `last_n` of the item's observations.
void KeepEnds(Selection::Item& item, int first_n, int last_n) {
  if (first_n <= 0 && last_n <= 0) return;
  if (item.only.empty()) {
    const uint32_t count = item.end - item.begin;
    const auto f = static_cast<uint32_t>(std::max(first_n, 0));
    const auto l = static_cast<uint32_t>(std::max(last_n, 0));
    if (f + l >= count && f > 0 && l > 0) return;
    if (l == 0) {
      item.end = item.begin + std::min(count, f);
    } else if (f == 0) {
      item.begin = item.end - std::min(count, l);
    } else {
      for (uint32_t j = item.begin; j < item.begin + f; ++j) item.only.push_back(j);
      for (uint32_t j = item.end - l; j < item.end; ++j) item.only.push_back(j);
    }
    return;
  }
  const size_t count = item.only.size();
  const auto f = static_cast<size_t>(std::max(first_n, 0));
  const auto l = static_cast<size_t>(std::max(last_n, 0));
  if (f > 0 && l > 0 && f + l >= count) return;
  std::vector<uint32_t> kept;
  for (size_t i = 0; i < count; ++i) {
    if ((f > 0 && i < f) || (l > 0 && i + l >= count)) kept.push_back(item.only[i]);
  }
  item.only = std::move(kept);
  item.begin = item.only.front();
  item.end = item.only.back() + 1;
}

// The observations of series `index` the plan keeps; false when none.
bool SelectObservations(const QueryPlan& plan, const FlowData& data, const DataQuery& query,
                        uint32_t index, Selection::Item& item) {
  const Series& s = data.series[index];
  item.series = index;
  item.begin = 0;
  item.end = static_cast<uint32_t>(s.period_index.size());
  item.only.clear();
  if (!plan.time.any) {
    const auto& pi = s.period_index;
    item.begin =
        static_cast<uint32_t>(std::lower_bound(pi.begin(), pi.end(), plan.time.first) - pi.begin());
    item.end = static_cast<uint32_t>(
        std::upper_bound(pi.begin() + item.begin, pi.end(), plan.time.last) - pi.begin());
  }
  if (item.begin >= item.end) return false;
  if (!plan.time.contiguous || !plan.attributes.empty()) {
    for (uint32_t j = item.begin; j < item.end; ++j) {
      if (ObservationAllowed(plan, s, j)) item.only.push_back(j);
    }
    if (item.only.empty()) return false;
    if (item.only.size() == item.end - item.begin) {
      item.only.clear();
    } else {
      item.begin = item.only.front();
      item.end = item.only.back() + 1;
    }
  }
  KeepEnds(item, query.first_n, query.last_n);
  return true;
}

int64_t Count(const Selection::Item& item) {
  return item.only.empty() ? static_cast<int64_t>(item.end - item.begin)
                           : static_cast<int64_t>(item.only.size());
}

// Visits, in series order, the series whose key passes the position filters: binary searches
// for every combination of the leading constrained positions, a scan for the rest.
template <typename Visit>
void ForCandidates(const FlowData& data, const QueryPlan& plan, Visit&& visit) {
  size_t prefix = 0;
  size_t combinations = 1;
  while (prefix < plan.positions.size() && !plan.positions[prefix].any &&
         combinations * plan.positions[prefix].codes.size() <= kMaxPrefixCombinations) {
    combinations *= plan.positions[prefix].codes.size();
    ++prefix;
  }
  const auto& series = data.series;
  if (prefix == 0) {
    for (size_t i = 0; i < series.size(); ++i) {
      if (KeyAllowed(plan, series[i].key, 0)) visit(static_cast<uint32_t>(i));
    }
    return;
  }
  if (combinations == 0) return;
  std::vector<size_t> at(prefix, 0);
  Key wanted(prefix);
  auto less = [prefix](const Series& s, const Key& k) {
    return std::lexicographical_compare(
        s.key.begin(), s.key.begin() + static_cast<std::ptrdiff_t>(prefix), k.begin(), k.end());
  };
  auto greater = [prefix](const Key& k, const Series& s) {
    return std::lexicographical_compare(k.begin(), k.end(), s.key.begin(),
                                        s.key.begin() + static_cast<std::ptrdiff_t>(prefix));
  };
  auto from = series.begin();
  for (size_t c = 0; c < combinations; ++c) {
    for (size_t d = 0; d < prefix; ++d) wanted[d] = plan.positions[d].codes[at[d]];
    auto lo = std::lower_bound(from, series.end(), wanted, less);
    auto hi = std::upper_bound(lo, series.end(), wanted, greater);
    for (auto it = lo; it != hi; ++it) {
      if (KeyAllowed(plan, it->key, prefix)) visit(static_cast<uint32_t>(it - series.begin()));
    }
    from = hi;
    for (size_t d = prefix; d-- > 0;) {  // next combination, last position fastest
      if (++at[d] < plan.positions[d].codes.size()) break;
      at[d] = 0;
    }
  }
}

}  // namespace

Result<Selection> Select(const FlowData& data, const DataQuery& query, const QueryLimits& limits) {
  const auto& structure = data.flow.structure;
  for (const auto& filter : query.filters) {
    if (filter.component != structure.time_dimension &&
        structure.DimensionIndex(filter.component) < 0 &&
        structure.AttributeIndex(filter.component) < 0) {
      return FieldError(ErrorCode::kInvalidArgument, "c[" + filter.component + "]",
                        "the dataflow has no component " + filter.component);
    }
  }
  QueryPlan plan;
  GMG_ASSIGN_OR_RETURN(plan.positions, PositionFilters(data, query));
  GMG_ASSIGN_OR_RETURN(plan.time, TimeFilterOf(data, query));
  GMG_ASSIGN_OR_RETURN(plan.attributes, AttributeFilters(data, query));
  plan.attribute_count = structure.attributes.size();
  Selection selection;
  if (!plan.time.none) {
    Selection::Item item;
    ForCandidates(data, plan, [&](uint32_t index) {
      const Series& s = data.series[index];
      if (query.updated_after > 0 && s.updated_at <= query.updated_after) return;
      if (!SelectObservations(plan, data, query, index, item)) return;
      selection.observations += Count(item);
      selection.items.push_back(std::move(item));
      item = {};
    });
  }
  if (selection.items.empty()) {
    return MakeError(ErrorCode::kNotFound, "no observations match the query");
  }
  const bool counts_observations =
      query.detail == sdmx::Detail::kFull || query.detail == sdmx::Detail::kDataOnly;
  const int64_t size =
      counts_observations ? selection.observations : static_cast<int64_t>(selection.items.size());
  if (size > limits.max_observations) {
    return MakeError(
        ErrorCode::kPayloadTooLarge,
        "the answer would hold " + std::to_string(size) +
            (counts_observations ? " observations" : " series") + ", over this server's limit of " +
            std::to_string(limits.max_observations) +
            "; narrow the key (fewer codes per dimension), set startPeriod/endPeriod or "
            "lastNObservations, or download the dataflow in parts");
  }
  return selection;
}

namespace {

sdmx::DataHeader HeaderOf(const FlowData& data, const Selection& selection,
                          const DataQuery& query) {
  const auto& structure = data.flow.structure;
  sdmx::DataHeader header;
  header.flow = &data.flow;
  header.id =
      "GMG-" + data.flow.agency + "-" + data.flow.id + "-" + std::to_string(data.data_version);
  header.prepared = FormatTimestamp(UnixNow());
  header.detail = query.detail;
  header.dimension_at_observation = query.dimension_at_observation;
  header.labels = query.labels;
  const size_t dims = structure.dimensions.size();
  header.dimension_values.resize(dims);
  for (size_t d = 0; d < dims; ++d) {
    const sdmx::Codelist* codelist = CodelistOf(structure, structure.dimensions[d]);
    std::vector<char> seen(codelist == nullptr ? 0 : codelist->codes.size(), 0);
    for (const auto& item : selection.items) {
      uint32_t code = data.series[item.series].key[d];
      if (code < seen.size() && !seen[code]) {
        seen[code] = 1;
        header.dimension_values[d].emplace_back(CodeAt(codelist, code));
      }
    }
  }
  std::vector<char> used(data.periods.size(), 0);
  for (const auto& item : selection.items) {
    const auto& pi = data.series[item.series].period_index;
    if (item.only.empty()) {
      for (uint32_t j = item.begin; j < item.end; ++j) used[pi[j]] = 1;
    } else {
      for (uint32_t j : item.only) used[pi[j]] = 1;
    }
  }
  for (size_t p = 0; p < used.size(); ++p) {
    if (used[p]) header.periods.push_back(data.periods[p]);
  }
  return header;
}

}  // namespace

bool Emit(const FlowData& data, const Selection& selection, const DataQuery& query,
          sdmx::DataWriter& writer) {
  const auto& structure = data.flow.structure;
  if (!writer.Begin(HeaderOf(data, selection, query))) return false;
  const size_t dims = structure.dimensions.size();
  const size_t attrs = structure.attributes.size();
  std::vector<const sdmx::Codelist*> dim_codelists(dims), attr_codelists(attrs);
  for (size_t d = 0; d < dims; ++d)
    dim_codelists[d] = CodelistOf(structure, structure.dimensions[d]);
  for (size_t a = 0; a < attrs; ++a) {
    attr_codelists[a] = CodelistOf(structure, structure.attributes[a]);
  }
  const bool with_observations =
      query.detail == sdmx::Detail::kFull || query.detail == sdmx::Detail::kDataOnly;
  const bool with_attributes = query.detail != sdmx::Detail::kDataOnly && attrs > 0;
  std::vector<std::string_view> key(dims);
  std::vector<sdmx::ObservationOut> observations;
  std::vector<std::string_view> attribute_texts;
  auto attribute_text = [&](size_t a, uint32_t v) -> std::string_view {
    if (v == 0) return {};
    if (attr_codelists[a] != nullptr) return CodeAt(attr_codelists[a], v - 1);
    return v - 1 < data.free_texts.size() ? std::string_view(data.free_texts[v - 1])
                                          : std::string_view();
  };
  for (const auto& item : selection.items) {
    const Series& s = data.series[item.series];
    for (size_t d = 0; d < dims; ++d) key[d] = CodeAt(dim_codelists[d], s.key[d]);
    observations.clear();
    if (with_observations) {
      const size_t n = item.only.empty() ? item.end - item.begin : item.only.size();
      if (with_attributes) attribute_texts.resize(n * attrs);
      observations.resize(n);
      for (size_t i = 0; i < n; ++i) {
        const uint32_t j = item.only.empty() ? item.begin + static_cast<uint32_t>(i) : item.only[i];
        auto& o = observations[i];
        o.period = data.periods[s.period_index[j]];
        o.value = s.values[j];
        if (with_attributes) {
          for (size_t a = 0; a < attrs; ++a) {
            size_t at = static_cast<size_t>(j) * attrs + a;
            attribute_texts[i * attrs + a] =
                attribute_text(a, at < s.attributes.size() ? s.attributes[at] : 0);
          }
          o.attributes = {attribute_texts.data() + i * attrs, attrs};
        }
      }
    }
    sdmx::SeriesOut out{key, observations, s.derived};
    if (!writer.Series(out)) return false;
  }
  return writer.End();
}

// ---- Regional aggregates -------------------------------------------------------------------

namespace {

// The ISO 3166 alpha-2 code of a country coded ISO alpha-3, alpha-2 or M49; "" when not one.
std::string CountryIso2(std::string_view code) {
  static const auto* by_m49 = [] {
    auto* map = new std::unordered_map<int, const CountryRecord*>();
    for (const auto& c : AllCountries()) map->emplace(c.m49, &c);
    return map;
  }();
  const CountryRecord* record = nullptr;
  if (code.size() == 3 &&
      std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    auto it = by_m49->find(std::stoi(std::string(code)));
    if (it != by_m49->end()) record = it->second;
  } else if (code.size() == 3) {
    record = FindCountryByIso3(code);
  } else if (code.size() == 2) {
    record = FindCountry(code);
  }
  return record == nullptr ? std::string() : std::string(record->iso2);
}

struct Accumulator {
  std::vector<double> sum;
  std::vector<char> has;
  int64_t release_id = 0;
  int64_t updated_at = 0;
};

bool HasKey(const std::vector<Series>& series, const Key& key) {
  auto it = std::lower_bound(series.begin(), series.end(), key,
                             [](const Series& s, const Key& k) { return s.key < k; });
  return it != series.end() && it->key == key;
}

}  // namespace

Result<FlowData> WithRegionalAggregates(const FlowData& data, const std::string& dimension,
                                        const std::string& level) {
  if (level != "world" && level != "region" && level != "subregion" && level != "intermediate") {
    return FieldError(ErrorCode::kInvalidArgument, "aggregate",
                      "\"" + level + "\" is not one of world, region, subregion, intermediate");
  }
  const int d = data.flow.structure.DimensionIndex(dimension);
  if (d < 0) {
    return FieldError(ErrorCode::kInvalidArgument, "aggregate_dimension",
                      "the dataflow has no dimension " + dimension);
  }
  FlowData out;
  out.flow = data.flow;
  out.dataflow_id = data.dataflow_id;
  out.data_version = data.data_version;
  out.periods = data.periods;
  out.free_texts = data.free_texts;
  const auto& component = out.flow.structure.dimensions[static_cast<size_t>(d)];
  sdmx::Codelist* codelist = nullptr;
  for (auto& c : out.flow.structure.codelists) {
    if (!component.codelist.empty() && c.id == component.codelist) codelist = &c;
  }
  if (codelist == nullptr) {
    return FieldError(ErrorCode::kInvalidArgument, "aggregate_dimension",
                      dimension + " is not coded, so not a country dimension");
  }
  // The regions of the level, by country (ISO alpha-2), as code indices in the codelist.
  std::unordered_map<std::string, std::vector<uint32_t>> regions_of;
  for (const auto& region : AllRegions()) {
    if (region.level != level) continue;
    int index = FindCode(codelist, region.code);
    if (index < 0) {
      index = static_cast<int>(codelist->codes.size());
      codelist->codes.push_back({region.code, region.name, ""});
    }
    for (const auto& iso2 : region.countries) {
      regions_of[iso2].push_back(static_cast<uint32_t>(index));
    }
  }
  const size_t original_codes =
      CodelistOf(data.flow.structure, data.flow.structure.dimensions[static_cast<size_t>(d)])
          ->codes.size();
  std::vector<const std::vector<uint32_t>*> code_regions(original_codes, nullptr);
  size_t countries = 0;
  for (size_t i = 0; i < original_codes; ++i) {
    std::string iso2 = CountryIso2(codelist->codes[i].id);
    if (iso2.empty()) continue;
    ++countries;
    auto it = regions_of.find(iso2);
    if (it != regions_of.end()) code_regions[i] = &it->second;
  }
  if (countries == 0) {
    return FieldError(ErrorCode::kInvalidArgument, "aggregate_dimension",
                      dimension + " holds no ISO 3166 or M49 country codes");
  }
  const size_t period_count = data.periods.size();
  std::map<Key, Accumulator> groups;
  Key key;  // reused: a lookup allocates only for a new group
  for (const auto& s : data.series) {
    const uint32_t code = s.key[static_cast<size_t>(d)];
    if (s.derived || code >= code_regions.size() || code_regions[code] == nullptr) continue;
    for (uint32_t region : *code_regions[code]) {
      key = s.key;
      key[static_cast<size_t>(d)] = region;
      auto it = groups.find(key);
      if (it == groups.end()) {
        it = groups.emplace(key, Accumulator{}).first;
        it->second.sum.assign(period_count, 0);
        it->second.has.assign(period_count, 0);
      }
      auto& acc = it->second;
      acc.release_id = std::max(acc.release_id, s.release_id);
      acc.updated_at = std::max(acc.updated_at, s.updated_at);
      for (size_t j = 0; j < s.values.size(); ++j) {
        if (std::isnan(s.values[j])) continue;
        acc.sum[s.period_index[j]] += s.values[j];
        acc.has[s.period_index[j]] = 1;
      }
    }
  }
  // The derived series, in key order (the map's), then merged with the data's sorted series.
  std::vector<Series> derived;
  const size_t attrs = data.flow.structure.attributes.size();
  for (auto& [group_key, acc] : groups) {
    if (HasKey(data.series, group_key)) continue;  // the data's own figure for the region wins
    Series s;
    s.key = group_key;
    for (size_t p = 0; p < period_count; ++p) {
      if (!acc.has[p]) continue;
      s.period_index.push_back(static_cast<uint32_t>(p));
      s.values.push_back(acc.sum[p]);
    }
    if (s.values.empty()) continue;
    s.attributes.assign(s.values.size() * attrs, 0);
    s.release_id = acc.release_id;
    s.updated_at = acc.updated_at;
    s.derived = true;
    derived.push_back(std::move(s));
  }
  out.series.reserve(data.series.size() + derived.size());
  auto next = derived.begin();
  for (const auto& s : data.series) {
    for (; next != derived.end() && next->key < s.key; ++next) {
      out.series.push_back(std::move(*next));
    }
    out.series.push_back(s);
  }
  for (; next != derived.end(); ++next) out.series.push_back(std::move(*next));
  return out;
}

// ---- Per-capita figures --------------------------------------------------------------------

namespace {

std::string AreaKey(std::string_view code) {
  std::string iso2 = CountryIso2(code);
  return iso2.empty() ? std::string(code) : "country:" + iso2;
}

bool IsTotalCode(std::string_view code) {
  return code == "_T" || code == "T" || code == "_Z" || code == "TOTAL" || code == "_X";
}

}  // namespace

Result<FlowData> PerPopulation(const FlowData& data, const std::string& area_dimension,
                               const FlowData& population,
                               const std::string& population_area_dimension, double per) {
  const auto& structure = data.flow.structure;
  const auto& pop_structure = population.flow.structure;
  const int d = structure.DimensionIndex(area_dimension);
  if (d < 0) {
    return FieldError(ErrorCode::kInvalidArgument, "area_dimension",
                      "the dataflow has no dimension " + area_dimension);
  }
  const int pd = pop_structure.DimensionIndex(population_area_dimension);
  if (pd < 0) {
    return FieldError(ErrorCode::kInvalidArgument, "population_area_dimension",
                      "the population dataflow has no dimension " + population_area_dimension);
  }
  const sdmx::Codelist* areas = CodelistOf(structure, structure.dimensions[static_cast<size_t>(d)]);
  const sdmx::Codelist* pop_areas =
      CodelistOf(pop_structure, pop_structure.dimensions[static_cast<size_t>(pd)]);
  // The population series of each area: the one whose other codes are totals, else the first.
  // Keyed by the country (ISO alpha-2) when the code is one, so ISO alpha-3 data finds an M49
  // population and back; other codes as they are.
  std::unordered_map<std::string, std::pair<const Series*, size_t>> by_area;
  for (const auto& s : population.series) {
    if (s.derived) continue;
    size_t totals = 0;
    for (size_t k = 0; k < s.key.size(); ++k) {
      if (static_cast<int>(k) == pd) continue;
      const sdmx::Codelist* cl = CodelistOf(pop_structure, pop_structure.dimensions[k]);
      totals += IsTotalCode(CodeAt(cl, s.key[k])) ? 1 : 0;
    }
    auto [it, added] =
        by_area.try_emplace(AreaKey(CodeAt(pop_areas, s.key[static_cast<size_t>(pd)])), &s, totals);
    if (!added && totals > it->second.second) it->second = {&s, totals};
  }
  std::unordered_map<std::string_view, uint32_t> pop_period;
  for (size_t p = 0; p < population.periods.size(); ++p) {
    pop_period.emplace(population.periods[p], static_cast<uint32_t>(p));
  }
  constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> period_map(data.periods.size(), kNone);
  for (size_t p = 0; p < data.periods.size(); ++p) {
    auto it = pop_period.find(data.periods[p]);
    if (it != pop_period.end()) period_map[p] = it->second;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Dense population by period, per area code of `data`, built on first use.
  std::vector<std::vector<double>> dense(areas == nullptr ? 0 : areas->codes.size());
  std::vector<char> built(dense.size(), 0);
  FlowData out = data;
  for (auto& s : out.series) {
    const uint32_t area = s.key[static_cast<size_t>(d)];
    s.derived = true;
    if (area >= dense.size()) {
      std::fill(s.values.begin(), s.values.end(), nan);
      continue;
    }
    if (!built[area]) {
      built[area] = 1;
      auto it = by_area.find(AreaKey(CodeAt(areas, area)));
      if (it != by_area.end()) {
        const Series& ps = *it->second.first;
        dense[area].assign(population.periods.size(), nan);
        for (size_t j = 0; j < ps.values.size(); ++j)
          dense[area][ps.period_index[j]] = ps.values[j];
      }
    }
    const auto& pop = dense[area];
    for (size_t j = 0; j < s.values.size(); ++j) {
      const uint32_t p = period_map[s.period_index[j]];
      const double people = (p == kNone || pop.empty()) ? nan : pop[p];
      s.values[j] = (std::isnan(people) || people <= 0) ? nan : s.values[j] * per / people;
    }
  }
  return out;
}

}  // namespace gmg::stats
