// JSON forms of activities and themes: the API's bodies and the audit log's before/after.
#pragma once

#include <boost/json/value.hpp>

#include "activities/activity.h"
#include "core/result.h"

namespace gmg {

boost::json::value ActivityJson(const Activity& a);
boost::json::value ThemeJson(const Theme& t);
// Reads an activity body (create or full replace). Shape problems → kInvalidArgument naming
// each field; rules (known codes, dates in order) are checked by the service.
Result<ActivityInput> ActivityInputFromJson(std::string_view body);

}  // namespace gmg
