// The areas of the one search (app/site_search.h), each over its module's service and that
// service's visibility rules: activities, library, meetings, positions, statistics dataflows,
// stakeholders, people (current members' focal points, researchers), organisations, training
// courses, research (institutions, joint projects, staff exchanges) and initiatives.
// Thread-safety: the sources are as thread-safe as the services (all are).
#pragma once

#include <vector>

#include "app/modules.h"
#include "app/site_search.h"

namespace gmg {

// The sources in the order the search shows its facets; `modules` must outlive them.
std::vector<SearchSource> SiteSearchSources(Modules& modules);

}  // namespace gmg
