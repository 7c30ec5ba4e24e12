#include "core/codelists.h"

#include <algorithm>
#include <map>

namespace gmg {
namespace {

#include "core/codelists_data.inc"

std::vector<RegionRecord> BuildRegions() {
  std::map<std::string, RegionRecord> by_code;
  auto add = [&](const char* code, const char* name, const char* level, const char* iso2) {
    if (code[0] == '\0') return;
    RegionRecord& r = by_code[code];
    r.code = code;
    r.name = name;
    r.level = level;
    r.countries.emplace_back(iso2);
  };
  for (const CountryRecord& c : kCountries) {
    add("001", "World", "world", c.iso2);
    add(c.region, c.region_name, "region", c.iso2);
    add(c.subregion, c.subregion_name, "subregion", c.iso2);
    add(c.intermediate, c.intermediate_name, "intermediate", c.iso2);
    if (c.ldc) add("LDC", "Least Developed Countries", "group", c.iso2);
    if (c.lldc) add("LLDC", "Land Locked Developing Countries", "group", c.iso2);
    if (c.sids) add("SIDS", "Small Island Developing States", "group", c.iso2);
  }
  std::vector<RegionRecord> out;
  for (auto& [code, r] : by_code) out.push_back(std::move(r));
  return out;
}

}  // namespace

std::span<const CountryRecord> AllCountries() { return kCountries; }

std::span<const CountryNames> AllCountryNames() { return kCountryNames; }

const CountryRecord* FindCountry(std::string_view iso2) {
  auto it = std::lower_bound(std::begin(kCountries), std::end(kCountries), iso2,
                             [](const CountryRecord& c, std::string_view k) { return c.iso2 < k; });
  return it != std::end(kCountries) && it->iso2 == iso2 ? &*it : nullptr;
}

const CountryRecord* FindCountryByIso3(std::string_view iso3) {
  for (const CountryRecord& c : kCountries) {
    if (c.iso3 == iso3) return &c;
  }
  return nullptr;
}

std::span<const CurrencyRecord> AllCurrencies() { return kCurrencies; }

bool IsCurrency(std::string_view code) {
  return std::binary_search(
      std::begin(kCurrencies), std::end(kCurrencies), code, [](const auto& a, const auto& b) {
        auto key = [](const auto& x) -> std::string_view {
          if constexpr (std::is_same_v<std::decay_t<decltype(x)>, CurrencyRecord>) {
            return x.code;
          } else {
            return x;
          }
        };
        return key(a) < key(b);
      });
}

const std::vector<RegionRecord>& AllRegions() {
  static const std::vector<RegionRecord> kRegions = BuildRegions();
  return kRegions;
}

const RegionRecord* FindRegion(std::string_view code) {
  for (const RegionRecord& r : AllRegions()) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

}  // namespace gmg
