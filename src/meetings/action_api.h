// The action routes of the meetings module (issue 12; docs/api.md "Minutes, decisions and
// actions"): /api/v1/actions… and /api/v1/organizations/{id}/actions (the home page's list).
// Thread-safety: the service must outlive the router.
#pragma once

#include <boost/json/object.hpp>

#include "http/router.h"
#include "meetings/action_service.h"

namespace gmg {

void AddActionRoutes(http::Router& router, ActionService& actions);

// The Action JSON of the contract (the initiatives module answers its follow-up actions so).
boost::json::object ActionJson(const Action& a);

}  // namespace gmg
