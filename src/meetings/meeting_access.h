// Who may see and change what in the meetings module (issue 12), in one place, over the
// principals of core/access_policy.h. "Staff" are the secretariat and administrators; "member
// staff" are focal points and members of one organisation.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/access_policy.h"
#include "core/principal.h"
#include "core/result.h"

namespace gmg::meetings {

// Staff or member staff.
inline bool IsStaffOrMemberStaff(const Principal& p) { return p.IsStaff() || p.IsMemberStaff(); }
// The online meeting link: signed-in non-stakeholders only (series, meetings, iCal).
inline bool SeesMeetingLink(const Principal& p) {
  return p.signed_in() && p.role != Role::kStakeholder;
}
// Papers and attendance: staff and member staff.
inline bool SeesMeetingRecords(const Principal& p) { return IsStaffOrMemberStaff(p); }
// Ok, or kUnauthenticated / kPermissionDenied naming what was refused.
inline Status CheckSeesMeetingRecords(const Principal& p, std::string_view what) {
  if (!p.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (SeesMeetingRecords(p)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the secretariat, administrators and members' staff " + std::string(what));
}
// Series, meetings, agenda items: staff.
inline Status CheckPlansMeetings(const Principal& p, std::string_view what) {
  return AccessPolicy::CheckManagesGmg(p, what);
}
// Papers of an agenda item presented by `organization_id` ("" = none), attendance rows of
// `organization_id`: staff, or that organisation's focal points and members.
inline Status CheckActsFor(const Principal& p, const std::string& organization_id,
                           std::string_view what) {
  if (p.IsStaff()) return Ok();
  if (organization_id.empty()) return AccessPolicy::CheckManagesGmg(p, what);
  return AccessPolicy::CheckMayProvideData(p, organization_id, what);
}

}  // namespace gmg::meetings
