#include "coherence/need_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "audit/audit_log.h"
#include "core/access_policy.h"
#include "core/codelists.h"
#include "core/date.h"

namespace gmg {
namespace {

using coherence::IndicatorDef;
using coherence::NeedConfig;
using coherence::NeedTable;
namespace json = boost::json;

Error Shape(const std::string& field, const std::string& problem) {
  return FieldError(ErrorCode::kInvalidArgument, field, problem, "invalid", {});
}

Result<std::string> Text(const json::object& o, const char* name, const std::string& at) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return Shape(at + "." + name, "must be a string");
  return std::string(v->as_string());
}

Result<IndicatorDef> ParseIndicator(const json::value& v, const std::string& at) {
  if (!v.is_object()) return Shape(at, "must be an object");
  const json::object& o = v.as_object();
  IndicatorDef d;
  GMG_ASSIGN_OR_RETURN(d.id, Text(o, "id", at));
  GMG_ASSIGN_OR_RETURN(d.name, Text(o, "name", at));
  GMG_ASSIGN_OR_RETURN(d.agency, Text(o, "agency", at));
  GMG_ASSIGN_OR_RETURN(d.flow_id, Text(o, "flow_id", at));
  GMG_ASSIGN_OR_RETURN(d.area_dimension, Text(o, "area_dimension", at));
  if (const json::value* f = o.if_contains("filters"); f != nullptr && !f->is_null()) {
    if (!f->is_object()) return Shape(at + ".filters", "must be an object of codes");
    for (const auto& [dim, code] : f->as_object()) {
      if (!code.is_string()) return Shape(at + ".filters." + std::string(dim), "must be a code");
      d.filters.emplace_back(std::string(dim), std::string(code.as_string()));
    }
  }
  return d;
}

Result<std::vector<coherence::NeedWeight>> ParseWeights(const json::value& v,
                                                        const std::string& at) {
  if (!v.is_array()) return Shape(at, "must be a list");
  std::vector<coherence::NeedWeight> out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const std::string here = at + "[" + std::to_string(i) + "]";
    const json::value& w = v.as_array()[i];
    if (!w.is_object()) return Shape(here, "must be an object");
    coherence::NeedWeight nw;
    GMG_ASSIGN_OR_RETURN(nw.indicator, Text(w.as_object(), "indicator", here));
    const json::value* weight = w.as_object().if_contains("weight");
    if (weight == nullptr || !weight->is_number())
      return Shape(here + ".weight", "must be a number");
    nw.weight = weight->to_number<double>();
    out.push_back(std::move(nw));
  }
  return out;
}

// The code of `dimension` in a series, or "" when the flow has no such dimension.
std::string_view CodeOf(const stats::FlowData& data, size_t dimension,
                        const stats::FlowData::Series& series) {
  const auto& component = data.flow.structure.dimensions[dimension];
  const sdmx::Codelist* list = data.flow.structure.FindCodelist(component.codelist);
  if (list == nullptr || series.key[dimension] >= list->codes.size()) return {};
  return list->codes[series.key[dimension]].id;
}

// ISO alpha-2 of an area code (alpha-3 or alpha-2), "" for anything else (regions, unknown).
std::string Iso2Of(std::string_view code) {
  const CountryRecord* c = code.size() == 3   ? FindCountryByIso3(code)
                           : code.size() == 2 ? FindCountry(code)
                                              : nullptr;
  return c != nullptr ? c->iso2 : "";
}

bool IsRegionCode(std::string_view code) {
  return !code.empty() &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The series of `data` an indicator reads: its filters hold, and no other area dimension names
// a region.
std::vector<const stats::FlowData::Series*> SeriesOf(
    const stats::FlowData& data, int area, const std::vector<std::pair<int, std::string>>& fixed) {
  std::vector<const stats::FlowData::Series*> out;
  const auto& dims = data.flow.structure.dimensions;
  for (const auto& s : data.series) {
    bool keep = true;
    for (const auto& [d, code] : fixed) keep = keep && CodeOf(data, d, s) == code;
    for (size_t d = 0; keep && d < dims.size(); ++d) {
      if (static_cast<int>(d) != area && dims[d].id.find("AREA") != std::string::npos)
        keep = !IsRegionCode(CodeOf(data, d, s));
    }
    if (keep) out.push_back(&s);
  }
  return out;
}

// One indicator's figures; false when the flow lacks a dimension it names.
bool ReadIndicator(const stats::FlowData& data, const IndicatorDef& def,
                   std::unordered_map<std::string, coherence::Observation>* out, int* year) {
  const auto& structure = data.flow.structure;
  const int area = structure.DimensionIndex(def.area_dimension);
  if (area < 0) return false;
  std::vector<std::pair<int, std::string>> fixed;
  for (const auto& [dim, code] : def.filters) {
    const int d = structure.DimensionIndex(dim);
    if (d < 0) return false;
    fixed.emplace_back(d, code);
  }
  const auto series = SeriesOf(data, area, fixed);
  uint32_t latest = 0;
  bool any = false;
  for (const auto* s : series) {
    for (size_t i = 0; i < s->values.size(); ++i) {
      if (std::isnan(s->values[i])) continue;
      latest = any ? std::max(latest, s->period_index[i]) : s->period_index[i];
      any = true;
    }
  }
  if (!any) return true;
  *year = std::atoi(data.periods[latest].substr(0, 4).c_str());
  for (const auto* s : series) {
    auto it = std::lower_bound(s->period_index.begin(), s->period_index.end(), latest);
    if (it == s->period_index.end() || *it != latest) continue;
    const double v = s->values[static_cast<size_t>(it - s->period_index.begin())];
    const std::string iso2 = Iso2Of(CodeOf(data, static_cast<size_t>(area), *s));
    if (std::isnan(v) || iso2.empty()) continue;
    auto& o = (*out)[iso2];
    o.value += std::llround(v);
    o.year = *year;
  }
  return true;
}

}  // namespace

Status SeedNeed(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT count(*) FROM coherence_need"));
  if (row && row->Int(0) > 0) return Ok();
  GMG_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO coherence_need (id, config, updated_at) VALUES (1, ?, ?)",
              {json::serialize(NeedConfigJson(coherence::DefaultNeedConfig())), UnixNow()}));
  return Ok();
}

json::object NeedConfigJson(const NeedConfig& config) {
  json::array indicators;
  for (const auto& d : config.indicators) {
    json::object filters;
    for (const auto& [dim, code] : d.filters) filters[dim] = code;
    indicators.push_back({{"id", d.id},
                          {"name", d.name},
                          {"agency", d.agency},
                          {"flow_id", d.flow_id},
                          {"area_dimension", d.area_dimension},
                          {"filters", std::move(filters)}});
  }
  json::object themes;
  for (const auto& [theme, weights] : config.themes) {
    json::array list;
    for (const auto& w : weights)
      list.push_back({{"indicator", w.indicator}, {"weight", w.weight}});
    themes[theme] = std::move(list);
  }
  return {{"indicators", std::move(indicators)}, {"themes", std::move(themes)}};
}

Result<NeedConfig> ParseNeedConfig(const json::value& v) {
  if (!v.is_object()) return Shape("", "must be an object {indicators, themes}");
  const json::object& o = v.as_object();
  NeedConfig config;
  const json::value* indicators = o.if_contains("indicators");
  if (indicators == nullptr || !indicators->is_array())
    return Shape("indicators", "must be a list");
  if (indicators->as_array().size() > 100) return Shape("indicators", "at most 100");
  for (size_t i = 0; i < indicators->as_array().size(); ++i) {
    GMG_ASSIGN_OR_RETURN(
        auto d, ParseIndicator(indicators->as_array()[i], "indicators[" + std::to_string(i) + "]"));
    config.indicators.push_back(std::move(d));
  }
  const json::value* themes = o.if_contains("themes");
  if (themes == nullptr || !themes->is_object()) return Shape("themes", "must be an object");
  if (themes->as_object().size() > 100) return Shape("themes", "at most 100");
  for (const auto& [theme, weights] : themes->as_object()) {
    GMG_ASSIGN_OR_RETURN(config.themes[std::string(theme)],
                         ParseWeights(weights, "themes." + std::string(theme)));
  }
  return config;
}

Result<NeedTable> ReadNeedTable(StatsService& stats, const NeedConfig& config) {
  NeedTable table;
  table.config = config;
  table.values.resize(config.indicators.size());
  std::set<std::string> named;
  for (size_t i = 0; i < config.indicators.size(); ++i) {
    const IndicatorDef& def = config.indicators[i];
    auto data = stats.Current({def.agency, def.flow_id, ""});
    if (!data.ok() && data.error().code != ErrorCode::kNotFound) return data.error();
    int year = 0;
    if (!data.ok() || !ReadIndicator(**data, def, &table.values[i], &year)) {
      table.missing.push_back(def.id);
      continue;
    }
    const std::string source = def.agency + ":" + def.flow_id;
    if (table.values[i].empty() || !named.insert(source).second) continue;
    table.sources.push_back(
        {source, (*data)->flow.name, year, "/stats/" + def.agency + "/" + def.flow_id});
  }
  return table;
}

Result<NeedConfig> NeedService::Config() {
  NeedConfig config = coherence::DefaultNeedConfig();
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT config FROM coherence_need WHERE id = 1"));
    if (!row) return Ok();
    json::error_code ec;
    json::value v = json::parse(row->Text(0), ec);
    if (ec) return MakeError(ErrorCode::kInternal, "coherence_need holds malformed JSON");
    GMG_ASSIGN_OR_RETURN(config, ParseNeedConfig(v));
    return Ok();
  }));
  return config;
}

Result<NeedConfig> NeedService::SetConfig(const Principal& who, const NeedConfig& config) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(who, "change the need configuration"));
  GMG_RETURN_IF_ERROR(coherence::ValidateNeedConfig(config));
  GMG_ASSIGN_OR_RETURN(NeedConfig before, Config());
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto known, ActivityService::LoadKnownIds(tx));
    for (const auto& [theme, weights] : config.themes) {
      if (known.themes.count(theme) == 0)
        return FieldError(ErrorCode::kInvalidArgument, "themes." + theme,
                          "is not a theme of the taxonomy: " + theme, "unknown_theme",
                          {{"value", theme}});
    }
    const std::string text = json::serialize(NeedConfigJson(config));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM coherence_need WHERE id = 1"));
    GMG_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO coherence_need (id, config, updated_at, updated_by) VALUES (1, ?, ?, ?)",
        {text, UnixNow(), who.user_id > 0 ? SqlValue(who.user_id) : SqlValue(nullptr)}));
    return RecordAudit(tx, who, "update", "coherence_need", "1", NeedConfigJson(before),
                       NeedConfigJson(config));
  }));
  return config;
}

Result<NeedTable> NeedService::Table() {
  GMG_ASSIGN_OR_RETURN(NeedConfig config, Config());
  return ReadNeedTable(stats_, config);
}

}  // namespace gmg
