// The minutes and decisions routes of the meetings module (issue 12; docs/api.md "Minutes,
// decisions and actions"): /api/v1/meetings/{id}/minutes… and /api/v1/meetings/{id}/decisions….
// Thread-safety: the service must outlive the router.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "http/router.h"
#include "meetings/minutes_service.h"

namespace gmg {

void AddMinutesRoutes(http::Router& router, MinutesService& minutes);

}  // namespace gmg
