// Shared pieces of the engagement service's two halves (stakeholders and interactions in
// engagement_service.cc, support requests in support_requests.cc): the validation errors, who
// the viewer is as far as engagement goes, and the row loaders.
// Thread-safety: functions of the caller's Tx.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.h"
#include "core/result.h"
#include "engagement/engagement_service.h"
#include "store/database.h"

namespace gmg::engagement {

using Args = std::vector<std::pair<std::string, std::string>>;

// 422 naming `field`.
Error Invalid(std::string field, std::string problem, std::string rule, Args args = {});
Error Denied(std::string message);

// A GMG insider: the secretariat, administrators, focal points and members of current members.
inline bool IsInsider(const Principal& p) { return p.IsStaff() || p.IsMemberStaff(); }

// The stakeholder a stakeholder account is linked to, or nullopt (any other principal too).
Result<std::optional<int64_t>> LinkedStakeholder(Tx& tx, const Principal& p);

Result<Stakeholder> LoadStakeholder(Tx& tx, int64_t id);

bool InList(std::string_view value, const auto& list) {
  for (std::string_view item : list) {
    if (item == value) return true;
  }
  return false;
}

// Today (UTC) for the clock's `now`, YYYY-MM-DD.
std::string DayOf(int64_t now);

}  // namespace gmg::engagement
