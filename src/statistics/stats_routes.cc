// PLACEHOLDER until the API part (branch sapi: statistics/stats_api.cc, which defines
// AddStatsRoutes) is merged: the module adds no statistics routes. Delete this file and its
// CMake line when merging sapi.
#include "statistics/stats_routes.h"

namespace gmg {

void AddStatsRoutes(http::Router& /*router*/, StatsService& /*stats*/,
                    StatsApiOptions /*options*/) {}

}  // namespace gmg
