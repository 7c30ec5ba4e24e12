// JSON forms of the governance records: the API's bodies and the audit log's before/after.
#pragma once

#include <boost/json/value.hpp>

#include "governance/governance_service.h"

namespace gmg {

// `detail` adds memberships and focal points; `contacts` includes e-mail and phone.
boost::json::value OrganizationJson(const Organization& org, bool detail, bool contacts);
boost::json::value MembershipJson(const Membership& m);
boost::json::value FocalPointJson(const FocalPoint& f, bool contacts);
boost::json::value RotationPlanJson(const RotationPlan& p);
boost::json::value OverrideJson(const ChairOverride& o);
boost::json::value AboutJson(const About& about);

}  // namespace gmg
