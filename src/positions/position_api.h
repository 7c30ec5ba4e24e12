// HTTP handlers for common positions: positions, versions, comments, endorsement rounds with
// their matrix, stands, delegations (docs/api.md "Positions"; JSON as in docs/positions.md).
#pragma once

#include "http/router.h"
#include "positions/position_service.h"

namespace gmg {

void AddPositionRoutes(http::Router& router, PositionService& positions);

}  // namespace gmg
