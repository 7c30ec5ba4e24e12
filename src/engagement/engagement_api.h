// HTTP handlers for stakeholders, contacts, interactions, support requests and stakeholder
// accounts (docs/api.md "Stakeholders and engagement").
#pragma once

#include <functional>

#include "auth/auth_service.h"
#include "engagement/engagement_service.h"
#include "governance/governance_service.h"
#include "http/router.h"

namespace gmg {

// `governance` names the GMG members in answers; `auth` names the linked accounts.
void AddEngagementRoutes(http::Router& router, EngagementService& engagement,
                         std::function<GovernanceService&()> governance,
                         std::function<AuthService&()> auth);

}  // namespace gmg
