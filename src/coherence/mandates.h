// The mandate map: which organisation works on which theme, and where, against the themes its
// mandate states (docs/coherence-gaps.md, "Mandate map").
//
// Stated themes live in `coherence_mandates(organization_id, theme_id)` (coherence migration
// 1). SeedMandates fills it once with the ten members' themes as their public mandates state
// them (our own summary of the GMG information note and each agency's mandate); after that an
// organisation's focal point, the secretariat or an administrator changes them
// (MandateService::SetStatedThemes). Activity counts come from the activity map
// (ActivityService), counted as the viewer may see them.
// Thread-safety: MandateService may be called from any thread (it keeps no state of its own).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activities/activity_service.h"
#include "core/principal.h"
#include "core/result.h"
#include "governance/governance_service.h"
#include "store/database.h"

namespace gmg {

// Inserts the members' stated themes when the table holds no row at all (so a later edit,
// even one that empties an organisation's list, is never undone), skipping any organisation
// or theme that does not exist. Idempotent; inside the caller's transaction.
Status SeedMandates(Tx& tx);

struct MandateTheme {
  std::string theme;
  bool stated = false;     // the organisation's mandate names the theme
  int64_t activities = 0;  // its activities on the theme the viewer may see
  int64_t countries = 0;   // countries those activities name
};

struct OrganizationMandate {
  std::string organization_id;
  std::string organization_name;     // the acronym, else the name
  std::vector<MandateTheme> themes;  // every theme of the taxonomy, in its order
};

class MandateService {
 public:
  // Reads organisations through a GovernanceService of its own (a stateless reader).
  MandateService(Database& db, ActivityService& activities)
      : db_(db), governance_(db), activities_(activities) {}
  MandateService(const MandateService&) = delete;
  MandateService& operator=(const MandateService&) = delete;

  // The current members, and any other organisation with a stated theme, by id; only
  // `organization` when not "" (kNotFound when it does not exist), each theme of the taxonomy
  // (only `theme` when not "": kInvalidArgument naming "theme" when it is not a theme).
  Result<std::vector<OrganizationMandate>> List(const Principal& viewer,
                                                const std::string& organization = "",
                                                const std::string& theme = "");

  // Replaces the themes `organization_id`'s mandate states, in one audited transaction
  // ("update" of entity "coherence_mandate", before and after {"themes": [...]}); duplicates
  // are kept once. kUnauthenticated / kPermissionDenied unless the actor may change the
  // organisation's records (AccessPolicy::CheckMayChange); kNotFound for an unknown
  // organisation; kFailedPrecondition (422) with a detail per theme that is not a theme of the
  // taxonomy, or an archived one (field "themes", rule "unknown_theme", arg value); more than
  // kMaxThemes is kInvalidArgument. Answers the organisation's map as `actor` sees it.
  static constexpr size_t kMaxThemes = 100;
  Result<OrganizationMandate> SetStatedThemes(const Principal& actor,
                                              const std::string& organization_id,
                                              const std::vector<std::string>& themes);

 private:
  Result<MandateTheme> Count(const Principal& viewer, const std::string& organization,
                             const std::string& theme);

  Database& db_;
  GovernanceService governance_;
  ActivityService& activities_;
};

}  // namespace gmg
