// JSON of initiatives and contributions (docs/api.md "Initiatives"; the shared contract's
// Initiative and Contribution shapes).
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "initiatives/initiative_service.h"

namespace gmg {

// links: {meetings:[{id, href}], positions:[{id, href}]}: every link, by id (the audit log's
// record). With `names`, only the links found in it, each with what the viewer may see of it:
// meetings {id, href, title, starts_at, status}, positions {id, href, title, status}.
boost::json::object InitiativeJson(const Initiative& initiative, const LinkNames* names = nullptr);
// organization: {id, name}; `organization_name` "" = the id.
boost::json::object ContributionJson(const Contribution& contribution,
                                     std::string_view organization_name);

}  // namespace gmg
