// Codelists compiled into the binary: ISO 3166 countries with their UN M49 regions (and the
// LDC / LLDC / SIDS groups), and ISO 4217 currencies. Generated from public reference data by
// scripts/gen-codelists.py (codelists_data.inc).
// Thread-safety: immutable after first use; all functions may be called from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gmg {

// Fields in the order of the generated table (codelists_data.inc); reordering would save 8 bytes
// a country.
struct CountryRecord {  // NOLINT(clang-analyzer-optin.performance.Padding)
  const char* iso2;
  const char* iso3;
  int m49;
  const char* name;
  const char* region;  // M49 codes as text, "" when none (Antarctica)
  const char* region_name;
  const char* subregion;
  const char* subregion_name;
  const char* intermediate;
  const char* intermediate_name;
  bool ldc;
  bool lldc;
  bool sids;
};

// A country's short name in the UN's other working languages (UN official names).
struct CountryNames {
  const char* iso2;
  const char* french;
  const char* spanish;
  const char* arabic;
};

struct CurrencyRecord {
  const char* code;
  const char* name;
};

// A UN M49 grouping a country can belong to: world "001", region, sub-region, intermediate
// region, or the development groups "LDC", "LLDC", "SIDS".
struct RegionRecord {
  std::string code;
  std::string name;
  std::string level;                   // "world", "region", "subregion", "intermediate", "group"
  std::vector<std::string> countries;  // ISO alpha-2
};

std::span<const CountryRecord> AllCountries();
// By ISO 3166-1 alpha-2 (upper case), nullptr when unknown.
const CountryRecord* FindCountry(std::string_view iso2);
const CountryRecord* FindCountryByIso3(std::string_view iso3);
// Every country's French, Spanish and Arabic names, sorted by iso2.
std::span<const CountryNames> AllCountryNames();
std::span<const CurrencyRecord> AllCurrencies();
bool IsCurrency(std::string_view code);
const std::vector<RegionRecord>& AllRegions();
// By M49 code ("419") or group ("LDC"), nullptr when unknown.
const RegionRecord* FindRegion(std::string_view code);

}  // namespace gmg
