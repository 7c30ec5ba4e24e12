// Governance's interface for other modules that need organisations (activities, auth): they
// read and add organisations through these functions, inside their own transaction, and never
// touch the `organizations` table themselves.
// Thread-safety: functions of the caller's Tx.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

struct OrganizationRef {
  std::string id;
  std::optional<std::string> iati_org_id;  // as registered (not normalised)
};

// Every organisation, member or partner, with its IATI identifier when it has one.
Result<std::vector<OrganizationRef>> ListOrganizationRefs(Tx& tx);

// The organisation whose IATI identifier is `iati_org_id` (compared without regard to case),
// or nullopt.
Result<std::optional<std::string>> FindOrganizationByIatiId(Tx& tx, const std::string& iati_org_id);

// The ids of every organisation, or of those of one kind ("member" or "partner").
Result<std::vector<std::string>> ListOrganizationIds(Tx& tx,
                                                     const std::optional<std::string>& kind = {});

// Whether the organisation is a member on `date` (YYYY-MM-DD): kind 'member' and a membership
// that has begun and not ended (left_on is the last day), as GovernanceService counts "current".
Result<bool> IsMemberOn(Tx& tx, const std::string& id, const std::string& date);

// The ids of the organisations that are members on `date` (YYYY-MM-DD), as IsMemberOn counts.
Result<std::set<std::string>> ListMemberIdsOn(Tx& tx, const std::string& date);

// Whether an organisation with this id exists.
Result<bool> OrganizationExists(Tx& tx, const std::string& id);

struct NewPartner {
  std::string id;  // unused by any organisation (the caller picks it)
  std::string name;
  std::string acronym;
  std::string iati_org_id;  // "" = none
  std::string source;       // why it was added, for the audit log, e.g. "iati import"
};

// Adds a partner organisation (kind 'partner') and its audit row, at `now` (seconds). kConflict
// when the id or the IATI identifier is taken.
Status AddPartnerOrganization(Tx& tx, const Principal& actor, const NewPartner& partner,
                              int64_t now);

}  // namespace gmg
