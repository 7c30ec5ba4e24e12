// Who is making a request: the signed-in user (by cookie session or API token) or nobody.
//
// Services take a Principal to apply the GMG's rules (a focal point writes only its own
// organisation's records). Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <string>

namespace gmg {

enum class Role { kAnonymous, kStakeholder, kMember, kFocalPoint, kSecretariat, kAdmin };

const char* RoleName(Role role);
// Parses a wire name ("focal_point", ...); kAnonymous is not a role one can be given.
bool ParseRole(const std::string& name, Role* role);

enum class AuthVia { kNone, kCookie, kToken, kCli };

struct Principal {
  int64_t user_id = 0;
  std::string email;
  std::string name;
  Role role = Role::kAnonymous;
  std::string organization_id;  // empty unless focal_point/member (and optional for others)
  AuthVia via = AuthVia::kNone;
  std::string csrf_token;  // cookie sessions only
  int64_t session_id = 0;  // cookie sessions only
  // Set by authentication when organization_id is not a member of the GMG today (its
  // membership ended, or never began): such a focal point or member keeps its own
  // organisation's records but loses the views kept for the members' staff.
  bool outside_gmg = false;

  bool signed_in() const { return role != Role::kAnonymous; }
  bool IsAdmin() const { return role == Role::kAdmin; }
  bool IsStaff() const { return role == Role::kAdmin || role == Role::kSecretariat; }
  // A focal point or member of an organisation that is a member of the GMG today.
  bool IsMemberStaff() const {
    return (role == Role::kFocalPoint || role == Role::kMember) && !organization_id.empty() &&
           !outside_gmg;
  }
  // The shell (`gmg user add`) acts with administrator rights and is audited as "cli".
  static Principal Cli();
};

}  // namespace gmg
