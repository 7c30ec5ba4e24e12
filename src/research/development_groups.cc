#include "research/development_groups.h"

#include <algorithm>

namespace gmg {
namespace {

#include "research/development_groups_data.inc"

}  // namespace

std::span<const DevelopmentGroups> AllDevelopmentGroups() { return kCountries; }

const DevelopmentGroups* FindDevelopmentGroups(std::string_view iso3) {
  // Sorted by iso3 by the generator.
  const auto* it = std::lower_bound(
      std::begin(kCountries), std::end(kCountries), iso3,
      [](const DevelopmentGroups& c, std::string_view code) { return c.iso3 < code; });
  if (it == std::end(kCountries) || it->iso3 != iso3) return nullptr;
  return &*it;
}

}  // namespace gmg
