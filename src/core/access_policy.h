// AccessPolicy: the one place that says who may see a record and who may change one.
//
// Every module asks it; none writes a rule of its own. Two questions, one answer each:
//
// See. A record (an activity today; meetings, positions and library items later) has a
// visibility and an owning organisation:
//   public        everyone, signed in or not;
//   members       the focal points and members of organisations that are GMG members today
//                 (not partners, not former members), plus the secretariat and administrators;
//   organization  its own organisation's focal points and members, plus the secretariat and
//                 administrators.
// An Audience is a principal as far as seeing goes (AudienceOf). MaySee() answers for one
// record in memory (a service's check, the search catalog), VisibleSql() answers for many in a
// database query; both are derived from the same two facts (SeesLevel, SeesOwner), so the SQL
// filter and the catalog cannot drift apart.
//
// Change. Records of an organisation (its profile, focal points, activities) are changed by its
// own focal point, the secretariat or an administrator (CheckMayChange). What belongs to the
// GMG as a whole (admitting and re-admitting members, a member leaving, the theme taxonomy, an
// organisation's name, acronym and IATI identifier) by the secretariat or an administrator
// (CheckManagesGmg). The chair's rotation and its exceptions, and other users' accounts, by an
// administrator (CheckAdministers, MayManageUser: a user also manages their own tokens).
//
// The router's Access levels (http/router.h: public, signed in, staff, admin, metrics) are the
// coarse gate in front of a route; these checks are the record-level answer behind it.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"
#include "core/result.h"

namespace gmg {

// Who may see a record. Stored as its name ("public", "members", "organization").
enum class Visibility : uint8_t { kPublic, kMembers, kOrganization };
inline constexpr Visibility kAllVisibilities[] = {Visibility::kPublic, Visibility::kMembers,
                                                  Visibility::kOrganization};

const char* VisibilityName(Visibility visibility);
// nullopt for anything but the three names.
std::optional<Visibility> ParseVisibility(std::string_view name);

// A principal as far as seeing records goes.
struct Audience {
  bool sees_all = false;        // administrator or secretariat
  bool current_member = false;  // focal point or member of an organisation that is a member today
  std::string organization_id;  // whose "organization" records it sees; "" for none
};

// A WHERE-clause fragment and the text parameters for its `?` placeholders, in order.
struct SqlPredicate {
  std::string sql;  // "" when nothing is filtered out
  std::vector<std::string> params;
};

class AccessPolicy {
 public:
  // --- Seeing -------------------------------------------------------------------------------

  // Whether `viewer`'s organisation is a member today matters to what it sees (only
  // then need the caller look it up in the database).
  static bool NeedsMembership(const Principal& viewer);
  // The Audience of `viewer`; `organization_is_current_member` says whether the viewer's
  // organisation is a GMG member today (ignored unless NeedsMembership).
  static Audience AudienceOf(const Principal& viewer, bool organization_is_current_member);

  // Whether `audience` sees every record of this visibility, whoever owns it.
  static bool SeesLevel(const Audience& audience, Visibility visibility);
  // Whether `audience` sees the records owned by `owner`, whatever their visibility.
  static bool SeesOwner(const Audience& audience, std::string_view owner);
  // Whether `audience` may see a record of `visibility` owned by `owner`.
  static bool MaySee(const Audience& audience, Visibility visibility, std::string_view owner);
  // The same, for a stored visibility name; an unknown name is seen as "organization" (the
  // narrowest), which is also what VisibleSql does with it.
  static bool MaySee(const Audience& audience, std::string_view visibility, std::string_view owner);

  // MaySee as SQL over rows whose visibility name is in `visibility_column` and owner in
  // `owner_column`: "" when `audience` sees everything, else e.g.
  // "(a.visibility IN ('public','members') OR a.organization_id = ?)" with the owner as the
  // one parameter. At most three different texts, so statement caches stay small.
  static SqlPredicate VisibleSql(const Audience& audience, std::string_view visibility_column,
                                 std::string_view owner_column);

  // --- Changing -----------------------------------------------------------------------------

  // Whether `actor` may change the records of `organization_id`.
  static bool MayChange(const Principal& actor, std::string_view organization_id);
  // Ok when MayChange; else kUnauthenticated ("sign in first") for nobody, kPermissionDenied
  // "only <org>'s focal point, the secretariat or an administrator <what>" for others.
  static Status CheckMayChange(const Principal& actor, const std::string& organization_id,
                               std::string_view what);
  // Statistics (issue 11): whether `actor` may provide data for the dataflows of
  // `organization_id` (upload, edit their structure): a focal point or member of that
  // organisation, the secretariat, administrators.
  static bool MayProvideData(const Principal& actor, std::string_view organization_id);
  // Ok when MayProvideData; else kUnauthenticated for nobody, kPermissionDenied "only <org>'s
  // members, the secretariat or an administrator <what>".
  static Status CheckMayProvideData(const Principal& actor, const std::string& organization_id,
                                    std::string_view what);
  // Whether `actor` manages what belongs to the GMG as a whole: the secretariat, administrators.
  static bool ManagesGmg(const Principal& actor);
  // Ok, or kPermissionDenied "only the secretariat or an administrator <what>".
  static Status CheckManagesGmg(const Principal& actor, std::string_view what);
  // Whether `actor` is an administrator.
  static bool Administers(const Principal& actor);
  // Ok, or kPermissionDenied "only an administrator <what>".
  static Status CheckAdministers(const Principal& actor, std::string_view what);
  // Whether `actor` may read or manage what belongs to the user `user_id` (the user, or an
  // administrator).
  static bool MayManageUser(const Principal& actor, int64_t user_id);
};

}  // namespace gmg
