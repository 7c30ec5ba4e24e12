#include "core/access_policy.h"

namespace gmg {

const char* VisibilityName(Visibility visibility) {
  switch (visibility) {
    case Visibility::kPublic:
      return "public";
    case Visibility::kMembers:
      return "members";
    case Visibility::kOrganization:
      return "organization";
  }
  return "organization";
}

std::optional<Visibility> ParseVisibility(std::string_view name) {
  for (Visibility v : kAllVisibilities) {
    if (name == VisibilityName(v)) return v;
  }
  return std::nullopt;
}

bool AccessPolicy::NeedsMembership(const Principal& viewer) {
  return !viewer.IsStaff() && (viewer.role == Role::kFocalPoint || viewer.role == Role::kMember) &&
         !viewer.organization_id.empty();
}

Audience AccessPolicy::AudienceOf(const Principal& viewer, bool organization_is_current_member) {
  Audience audience;
  if (viewer.IsStaff()) {
    audience.sees_all = true;
  } else if (NeedsMembership(viewer)) {
    audience.organization_id = viewer.organization_id;
    audience.current_member = organization_is_current_member;
  }
  return audience;
}

bool AccessPolicy::SeesLevel(const Audience& audience, Visibility visibility) {
  switch (visibility) {
    case Visibility::kPublic:
      return true;
    case Visibility::kMembers:
      return audience.sees_all || audience.current_member;
    case Visibility::kOrganization:
      return audience.sees_all;
  }
  return false;
}

bool AccessPolicy::SeesOwner(const Audience& audience, std::string_view owner) {
  return !audience.organization_id.empty() && owner == audience.organization_id;
}

bool AccessPolicy::MaySee(const Audience& audience, Visibility visibility, std::string_view owner) {
  return SeesLevel(audience, visibility) || SeesOwner(audience, owner);
}

bool AccessPolicy::MaySee(const Audience& audience, std::string_view visibility,
                          std::string_view owner) {
  return MaySee(audience, ParseVisibility(visibility).value_or(Visibility::kOrganization), owner);
}

SqlPredicate AccessPolicy::VisibleSql(const Audience& audience, std::string_view visibility_column,
                                      std::string_view owner_column) {
  std::vector<const char*> levels;
  for (Visibility v : kAllVisibilities) {
    if (SeesLevel(audience, v)) levels.push_back(VisibilityName(v));
  }
  SqlPredicate p;
  if (levels.size() == std::size(kAllVisibilities)) return p;
  p.sql = "(" + std::string(visibility_column);
  if (levels.size() == 1) {
    p.sql += std::string(" = '") + levels.front() + "'";
  } else {
    p.sql += " IN (";
    for (size_t i = 0; i < levels.size(); ++i) {
      p.sql += std::string(i ? ",'" : "'") + levels[i] + "'";
    }
    p.sql += ")";
  }
  // SeesOwner: only a non-empty organisation owns records.
  if (!audience.organization_id.empty()) {
    p.sql += " OR " + std::string(owner_column) + " = ?";
    p.params.push_back(audience.organization_id);
  }
  p.sql += ")";
  return p;
}

bool AccessPolicy::MayChange(const Principal& actor, std::string_view organization_id) {
  if (ManagesGmg(actor)) return true;
  return actor.role == Role::kFocalPoint && !actor.organization_id.empty() &&
         actor.organization_id == organization_id;
}

Status AccessPolicy::CheckMayChange(const Principal& actor, const std::string& organization_id,
                                    std::string_view what) {
  if (MayChange(actor, organization_id)) return Ok();
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  return MakeError(ErrorCode::kPermissionDenied,
                   "only " + organization_id +
                       "'s focal point, the secretariat or an administrator " + std::string(what));
}

bool AccessPolicy::MayProvideData(const Principal& actor, std::string_view organization_id) {
  if (ManagesGmg(actor)) return true;
  return (actor.role == Role::kFocalPoint || actor.role == Role::kMember) &&
         !actor.organization_id.empty() && actor.organization_id == organization_id;
}

Status AccessPolicy::CheckMayProvideData(const Principal& actor, const std::string& organization_id,
                                         std::string_view what) {
  if (MayProvideData(actor, organization_id)) return Ok();
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  return MakeError(ErrorCode::kPermissionDenied,
                   "only " + organization_id + "'s members, the secretariat or an administrator " +
                       std::string(what));
}

bool AccessPolicy::ManagesGmg(const Principal& actor) { return actor.IsStaff(); }

Status AccessPolicy::CheckManagesGmg(const Principal& actor, std::string_view what) {
  if (ManagesGmg(actor)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the secretariat or an administrator " + std::string(what));
}

bool AccessPolicy::Administers(const Principal& actor) { return actor.IsAdmin(); }

Status AccessPolicy::CheckAdministers(const Principal& actor, std::string_view what) {
  if (Administers(actor)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied, "only an administrator " + std::string(what));
}

bool AccessPolicy::MayManageUser(const Principal& actor, int64_t user_id) {
  return Administers(actor) || (actor.signed_in() && actor.user_id == user_id);
}

}  // namespace gmg
