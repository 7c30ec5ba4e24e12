// Need indicators: the need side of the coherence gaps (docs/coherence-gaps.md).
//
// An indicator is one figure per country read from a statistics dataflow (the statistics
// module, issue 11): e.g. "unhcr_refugees" = UNHCR:REFUGEES, area dimension REF_AREA (the
// country of asylum), MEASURE=REFUGEES, summed over the other dimensions, at the dataflow's
// latest period. Which indicators weigh which theme, and how much, is the need configuration an
// administrator edits (coherence/need_config.h); DefaultNeedConfig is what a new installation
// starts with: UN DESA's migrant stock and emigrants, UNHCR's refugees, asylum-seekers and
// refugees abroad, over the 19 themes of the taxonomy (the rows are explained in
// docs/coherence-gaps.md).
// Thread-safety: plain values; every function may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gmg::coherence {

struct IndicatorDef {
  std::string id;              // [a-z0-9_]{1,64}: "unhcr_refugees"
  std::string name;            // English
  std::string agency;          // the dataflow: "UNHCR"
  std::string flow_id;         // "REFUGEES"
  std::string area_dimension;  // the dimension whose codes are the countries: "REF_AREA"
  // Fixed codes of other dimensions ("MEASURE" = "REFUGEES"); every other dimension is summed.
  std::vector<std::pair<std::string, std::string>> filters;
};

// How much one indicator weighs in a theme's need; a theme's weights are relative (divided by
// their sum).
struct NeedWeight {
  std::string indicator;
  double weight = 0;
};

struct NeedConfig {
  std::vector<IndicatorDef> indicators;
  std::map<std::string, std::vector<NeedWeight>> themes;  // theme id → weights
};

NeedConfig DefaultNeedConfig();

// kInvalidArgument naming the field ("indicators[2].id", "themes.remittances[0].weight"):
// ids malformed or repeated, empty agency/flow/dimension, a weight not in (0, 1000], a weight
// naming an unknown indicator, over 100 indicators or 20 weights per theme.
Status ValidateNeedConfig(const NeedConfig& config);

// One country's value of one indicator: people, and the year of the period it describes.
struct Observation {
  int64_t value = 0;
  int year = 0;
};

// A dataflow the figures come from, as the gaps name it.
struct Source {
  std::string id;  // "UNHCR:REFUGEES"
  std::string name;
  int year = 0;     // the latest period's year
  std::string url;  // the dataflow's page in the web app
};

// The figures of every configured indicator, read for one answer.
struct NeedTable {
  NeedConfig config;
  // Per config.indicators index: ISO alpha-2 → value. Empty when its dataflow is missing.
  std::vector<std::unordered_map<std::string, Observation>> values;
  std::vector<Source> sources;       // the dataflows that gave figures
  std::vector<std::string> missing;  // indicator ids whose dataflow or dimension is missing

  // The country's value (ISO alpha-2) of indicator `index`; nullopt when it has none.
  std::optional<Observation> Value(size_t index, std::string_view iso2) const;
  // Index of the indicator `id` in config.indicators, or -1.
  int IndexOf(std::string_view id) const;
  // The weights of a theme whose indicators have figures; empty when none.
  std::vector<std::pair<size_t, double>> WeightsOf(std::string_view theme) const;
};

}  // namespace gmg::coherence
