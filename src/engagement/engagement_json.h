// JSON of stakeholders, contacts, interactions, support requests and accounts (docs/api.md
// "Stakeholders and engagement").
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>

#include "engagement/engagement_service.h"

namespace gmg {

// Organisation ids to names, for the members named in interactions and requests ("" = the id).
using OrganizationNames = std::map<std::string, std::string>;

boost::json::object StakeholderJson(const Stakeholder& s);
boost::json::object ContactJson(const Contact& c);
// stakeholders: [id…]; members: [{id, name}] (names when `names` is given).
boost::json::object InteractionJson(const Interaction& i, const OrganizationNames* names = nullptr);
// routes: [{organization: {id, name}, response, answer, answered_at}]
boost::json::object SupportRequestJson(const SupportRequest& r,
                                       const OrganizationNames* names = nullptr);
boost::json::object AccountJson(const StakeholderAccount& a);
boost::json::object HitJson(const EngagementHit& h);

}  // namespace gmg
