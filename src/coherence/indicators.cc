#include "coherence/indicators.h"

#include <algorithm>
#include <set>

namespace gmg::coherence {
namespace {

constexpr size_t kMaxIndicators = 100;
constexpr size_t kMaxWeights = 20;
constexpr double kMaxWeight = 1000;

IndicatorDef Def(std::string id, std::string name, std::string agency, std::string flow,
                 std::string area, std::vector<std::pair<std::string, std::string>> filters) {
  return {std::move(id),   std::move(name), std::move(agency),
          std::move(flow), std::move(area), std::move(filters)};
}

bool ValidId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status Invalid(const std::string& field, const std::string& problem, const char* rule) {
  return FieldError(ErrorCode::kInvalidArgument, field, problem, rule, {});
}

Status ValidateIndicator(const IndicatorDef& d, const std::string& at) {
  if (!ValidId(d.id)) return Invalid(at + ".id", "must be 1 to 64 of a-z, 0-9, _", "bad_id");
  if (d.name.empty() || d.name.size() > 200)
    return Invalid(at + ".name", "must be 1 to 200 characters", "too_long");
  for (const auto* f : {&d.agency, &d.flow_id, &d.area_dimension}) {
    if (f->empty() || f->size() > 100)
      return Invalid(at, "agency, flow_id and area_dimension are required", "required");
  }
  if (d.filters.size() > kMaxWeights) return Invalid(at + ".filters", "at most 20", "too_many");
  return Ok();
}

}  // namespace

NeedConfig DefaultNeedConfig() {
  NeedConfig c;
  c.indicators = {
      Def("undesa_migrant_stock", "International migrants living in the country (UN DESA)",
          "UNDESA", "MIGRANT_STOCK", "REF_AREA", {}),
      Def("undesa_emigrants", "People born in the country living abroad (UN DESA)", "UNDESA",
          "MIGRANT_STOCK", "COUNTERPART_AREA", {}),
      Def("unhcr_refugees", "Refugees hosted (UNHCR)", "UNHCR", "REFUGEES", "REF_AREA",
          {{"MEASURE", "REFUGEES"}}),
      Def("unhcr_asylum_seekers", "Asylum-seekers hosted (UNHCR)", "UNHCR", "REFUGEES", "REF_AREA",
          {{"MEASURE", "ASYLUM_SEEKERS"}}),
      Def("unhcr_refugees_abroad", "Refugees from the country hosted elsewhere (UNHCR)", "UNHCR",
          "REFUGEES", "COUNTERPART_AREA", {{"MEASURE", "REFUGEES"}}),
  };
  // Which figures measure the need of which theme (docs/coherence-gaps.md explains each row).
  // No population, statelessness or internal-displacement figures are at hand: those rows use
  // the closest the sources have.
  const std::string stock = "undesa_migrant_stock", emig = "undesa_emigrants",
                    ref = "unhcr_refugees", asy = "unhcr_asylum_seekers",
                    abroad = "unhcr_refugees_abroad";
  c.themes = {
      {"labour-migration", {{stock, 0.5}, {emig, 0.5}}},
      {"remittances", {{emig, 1.0}}},
      {"trafficking", {{stock, 0.4}, {emig, 0.3}, {asy, 0.3}}},
      {"smuggling", {{stock, 0.4}, {asy, 0.4}, {abroad, 0.2}}},
      {"refugee-protection", {{ref, 0.6}, {asy, 0.4}}},
      {"statelessness", {{ref, 0.5}, {asy, 0.5}}},
      {"internal-displacement", {{abroad, 0.5}, {ref, 0.5}}},
      {"human-rights", {{stock, 1.0}}},
      {"migration-development", {{emig, 0.6}, {stock, 0.4}}},
      {"trade-gats-mode4", {{stock, 0.5}, {emig, 0.5}}},
      {"skills-brain-drain", {{emig, 1.0}}},
      {"diaspora", {{emig, 1.0}}},
      {"migration-data", {{stock, 0.25}, {emig, 0.25}, {ref, 0.25}, {asy, 0.25}}},
      {"health-hiv", {{stock, 1.0}}},
      {"gender", {{stock, 1.0}}},
      {"migration-management", {{stock, 0.5}, {asy, 0.25}, {ref, 0.25}}},
      {"return-reintegration", {{abroad, 0.35}, {emig, 0.35}, {asy, 0.3}}},
      {"migration-law", {{stock, 1.0}}},
      {"irregular-migration", {{stock, 0.5}, {asy, 0.5}}},
  };
  return c;
}

Status ValidateNeedConfig(const NeedConfig& config) {
  if (config.indicators.size() > kMaxIndicators)
    return Invalid("indicators", "at most 100", "too_many");
  std::set<std::string> ids;
  for (size_t i = 0; i < config.indicators.size(); ++i) {
    const std::string at = "indicators[" + std::to_string(i) + "]";
    GMG_RETURN_IF_ERROR(ValidateIndicator(config.indicators[i], at));
    if (!ids.insert(config.indicators[i].id).second)
      return Invalid(at + ".id", "is repeated: " + config.indicators[i].id, "duplicate");
  }
  if (config.themes.size() > kMaxIndicators) return Invalid("themes", "at most 100", "too_many");
  for (const auto& [theme, weights] : config.themes) {
    if (weights.size() > kMaxWeights)
      return Invalid("themes." + theme, "at most 20 weights", "too_many");
    for (size_t i = 0; i < weights.size(); ++i) {
      const std::string at = "themes." + theme + "[" + std::to_string(i) + "]";
      if (!ids.contains(weights[i].indicator))
        return Invalid(at + ".indicator", "is not a configured indicator: " + weights[i].indicator,
                       "unknown_indicator");
      if (!(weights[i].weight > 0 && weights[i].weight <= kMaxWeight))
        return Invalid(at + ".weight", "must be more than 0 and at most 1000", "out_of_range");
    }
  }
  return Ok();
}

std::optional<Observation> NeedTable::Value(size_t index, std::string_view iso2) const {
  if (index >= values.size()) return std::nullopt;
  auto it = values[index].find(std::string(iso2));
  if (it == values[index].end()) return std::nullopt;
  return it->second;
}

int NeedTable::IndexOf(std::string_view id) const {
  for (size_t i = 0; i < config.indicators.size(); ++i) {
    if (config.indicators[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::pair<size_t, double>> NeedTable::WeightsOf(std::string_view theme) const {
  std::vector<std::pair<size_t, double>> out;
  auto it = config.themes.find(std::string(theme));
  if (it == config.themes.end()) return out;
  double sum = 0;
  for (const auto& w : it->second) {
    int i = IndexOf(w.indicator);
    if (i < 0 || static_cast<size_t>(i) >= values.size() || values[i].empty()) continue;
    out.emplace_back(static_cast<size_t>(i), w.weight);
    sum += w.weight;
  }
  for (auto& [i, w] : out) w /= sum;
  return out;
}

}  // namespace gmg::coherence
