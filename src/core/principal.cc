#include "core/principal.h"

namespace gmg {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAnonymous:
      return "anonymous";
    case Role::kStakeholder:
      return "stakeholder";
    case Role::kMember:
      return "member";
    case Role::kFocalPoint:
      return "focal_point";
    case Role::kSecretariat:
      return "secretariat";
    case Role::kAdmin:
      return "admin";
  }
  return "anonymous";
}

bool ParseRole(const std::string& name, Role* role) {
  for (Role r :
       {Role::kStakeholder, Role::kMember, Role::kFocalPoint, Role::kSecretariat, Role::kAdmin}) {
    if (name == RoleName(r)) {
      *role = r;
      return true;
    }
  }
  return false;
}

Principal Principal::Cli() {
  Principal p;
  p.email = "cli";
  p.name = "command line";
  p.role = Role::kAdmin;
  p.via = AuthVia::kCli;
  return p;
}

}  // namespace gmg
