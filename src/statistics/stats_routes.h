// The statistics module's HTTP routes: the SDMX REST API (statistics/sdmx_api.h) and the JSON
// API the web app uses (statistics/stats_api.h). The module calls AddStatsRoutes once.
// Thread-safety: routes are added before serving; the handlers are reentrant.
#pragma once

#include <cstdint>

#include "http/router.h"
#include "statistics/stats_service.h"

namespace gmg {

struct StatsApiOptions {
  // An answer (SDMX or JSON) holding more observations is refused: 413 with SDMX code 510 and
  // a hint naming the count, the limit and how to narrow the query (`gmg serve
  // --max-answer-observations`).
  int64_t max_answer_observations = 5'000'000;
};

// Adds /sdmx/… and /api/v1/stats/…; `stats` must outlive the router.
void AddStatsRoutes(http::Router& router, StatsService& stats, StatsApiOptions options = {});

}  // namespace gmg
