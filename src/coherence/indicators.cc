#include "coherence/indicators.h"

#include <algorithm>
#include <array>
#include <string>

namespace gmg::coherence {
namespace {

struct CountryIndicators {
  const char* iso2;
  int64_t migrant_stock;  // -1 = not in the source
  int64_t emigrants;
  int64_t refugees;
  int64_t asylum_seekers;
  int64_t refugees_abroad;
  int unhcr_year;  // of refugees and asylum_seekers; 0 = none
  int abroad_year;
};

#include "coherence/indicators_data.inc"

constexpr Source kSources[] = {
    {"undesa_stock_2019",
     "UN DESA Population Division, International Migrant Stock 2019 (by destination and origin)",
     2019, "https://www.un.org/en/development/desa/population/migration/data/estimates2/"},
    {"unhcr_2020",
     "UNHCR Refugee Data Finder: refugees and asylum-seekers by country of asylum and origin", 2020,
     "https://www.unhcr.org/refugee-statistics/"},
};

using enum Indicator;

struct ThemeNeed {
  std::string_view theme;
  std::array<NeedWeight, 4> weights;
  size_t count;
};

// Which figures measure the need of which theme (docs/coherence-gaps.md explains each row).
// No population, statelessness or internal-displacement figures are at hand: those rows use
// the closest the sources have.
constexpr ThemeNeed kNeedTable[] = {
    {"labour-migration", {{{kMigrantStock, 0.5}, {kEmigrants, 0.5}}}, 2},
    {"remittances", {{{kEmigrants, 1.0}}}, 1},
    {"trafficking", {{{kMigrantStock, 0.4}, {kEmigrants, 0.3}, {kAsylumSeekers, 0.3}}}, 3},
    {"smuggling", {{{kMigrantStock, 0.4}, {kAsylumSeekers, 0.4}, {kRefugeesAbroad, 0.2}}}, 3},
    {"refugee-protection", {{{kRefugees, 0.6}, {kAsylumSeekers, 0.4}}}, 2},
    {"statelessness", {{{kRefugees, 0.5}, {kAsylumSeekers, 0.5}}}, 2},
    {"internal-displacement", {{{kRefugeesAbroad, 0.5}, {kRefugees, 0.5}}}, 2},
    {"human-rights", {{{kMigrantStock, 1.0}}}, 1},
    {"migration-development", {{{kEmigrants, 0.6}, {kMigrantStock, 0.4}}}, 2},
    {"trade-gats-mode4", {{{kMigrantStock, 0.5}, {kEmigrants, 0.5}}}, 2},
    {"skills-brain-drain", {{{kEmigrants, 1.0}}}, 1},
    {"diaspora", {{{kEmigrants, 1.0}}}, 1},
    {"migration-data",
     {{{kMigrantStock, 0.25}, {kEmigrants, 0.25}, {kRefugees, 0.25}, {kAsylumSeekers, 0.25}}},
     4},
    {"health-hiv", {{{kMigrantStock, 1.0}}}, 1},
    {"gender", {{{kMigrantStock, 1.0}}}, 1},
    {"migration-management",
     {{{kMigrantStock, 0.5}, {kAsylumSeekers, 0.25}, {kRefugees, 0.25}}},
     3},
    {"return-reintegration",
     {{{kRefugeesAbroad, 0.35}, {kEmigrants, 0.35}, {kAsylumSeekers, 0.3}}},
     3},
    {"migration-law", {{{kMigrantStock, 1.0}}}, 1},
    {"irregular-migration", {{{kMigrantStock, 0.5}, {kAsylumSeekers, 0.5}}}, 2},
};

constexpr std::array<std::string_view, std::size(kNeedTable)> ThemeIds() {
  std::array<std::string_view, std::size(kNeedTable)> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = kNeedTable[i].theme;
  return out;
}
constexpr auto kThemeIds = ThemeIds();

const CountryIndicators* Find(std::string_view iso2) {
  const auto* end = std::end(kCountryIndicators);
  const auto* it = std::lower_bound(std::begin(kCountryIndicators), end, iso2,
                                    [](const CountryIndicators& c, std::string_view key) {
                                      return std::string_view(c.iso2) < key;
                                    });
  return it != end && it->iso2 == iso2 ? it : nullptr;
}

}  // namespace

const char* IndicatorId(Indicator indicator) {
  switch (indicator) {
    case kMigrantStock:
      return "undesa_migrant_stock";
    case kEmigrants:
      return "undesa_emigrants";
    case kRefugees:
      return "unhcr_refugees";
    case kAsylumSeekers:
      return "unhcr_asylum_seekers";
    case kRefugeesAbroad:
      return "unhcr_refugees_abroad";
  }
  return "";
}

std::optional<Indicator> ParseIndicator(std::string_view id) {
  for (Indicator i : kAllIndicators) {
    if (id == IndicatorId(i)) return i;
  }
  return std::nullopt;
}

std::span<const Source> AllSources() { return kSources; }

const Source& SourceOf(Indicator indicator) {
  return indicator == kMigrantStock || indicator == kEmigrants ? kSources[0] : kSources[1];
}

std::optional<Observation> CountryValue(std::string_view iso2, Indicator indicator) {
  const CountryIndicators* c = Find(iso2);
  if (c == nullptr) return std::nullopt;
  Observation o;
  switch (indicator) {
    case kMigrantStock:
      o = {c->migrant_stock, 2019};
      break;
    case kEmigrants:
      o = {c->emigrants, 2019};
      break;
    case kRefugees:
      o = {c->refugees, c->unhcr_year};
      break;
    case kAsylumSeekers:
      o = {c->asylum_seekers, c->unhcr_year};
      break;
    case kRefugeesAbroad:
      o = {c->refugees_abroad, c->abroad_year};
      break;
  }
  if (o.value < 0) return std::nullopt;
  return o;
}

std::vector<std::string_view> CountriesWithIndicators() {
  std::vector<std::string_view> out;
  out.reserve(std::size(kCountryIndicators));
  for (const auto& c : kCountryIndicators) out.emplace_back(c.iso2);
  return out;
}

std::span<const NeedWeight> NeedWeightsOf(std::string_view theme) {
  for (const auto& t : kNeedTable) {
    if (t.theme == theme) return {t.weights.data(), t.count};
  }
  return {};
}

std::span<const std::string_view> ThemesWithNeed() { return kThemeIds; }

}  // namespace gmg::coherence
