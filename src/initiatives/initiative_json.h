// JSON of initiatives and contributions (docs/api.md "Initiatives"; the shared contract's
// Initiative and Contribution shapes).
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "initiatives/initiative_service.h"

namespace gmg {

// links: {meetings:[{id, href}], positions:[{id, href}]}.
boost::json::object InitiativeJson(const Initiative& initiative);
// organization: {id, name}; `organization_name` "" = the id.
boost::json::object ContributionJson(const Contribution& contribution,
                                     std::string_view organization_name);

}  // namespace gmg
