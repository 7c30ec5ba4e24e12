// HTTP handlers for the GMG profile, organisations, memberships, focal points and the chair.
#pragma once

#include "governance/governance_service.h"
#include "http/router.h"

namespace gmg {

void AddGovernanceRoutes(http::Router& router, GovernanceService& governance);

}  // namespace gmg
