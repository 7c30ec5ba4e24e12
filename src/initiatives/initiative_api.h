// HTTP handlers for initiatives, their contributions and links (docs/api.md "Initiatives").
#pragma once

#include <functional>

#include "governance/governance_service.h"
#include "http/router.h"
#include "initiatives/initiative_service.h"

namespace gmg {

// `governance` names the contributing organisations in answers.
void AddInitiativeRoutes(http::Router& router, InitiativeService& initiatives,
                         std::function<GovernanceService&()> governance);

}  // namespace gmg
