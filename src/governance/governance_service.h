// GovernanceService: the GMG itself — its profile, member organisations, membership history,
// focal points, and the rotating chair.
//
// Rules kept here: only admin and secretariat admit members or record them leaving; a focal
// point edits only its own organisation's profile (mandate, website, head's title) and its
// focal-point list; membership history is appended, never overwritten; a new rotation plan
// takes effect from its own start date. Every write is audited in its own transaction.
// Thread-safety: stateless over the Database; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "governance/chair_rotation.h"
#include "store/database.h"

namespace gmg {

struct Purpose {
  int number = 0;
  std::string title;
  std::string text;
};
struct CurrentIssue {
  int position = 0;
  std::string title;
  std::string text;
};
struct HistoryEvent {
  Date date;
  std::string date_label;  // "April 2003": the precision the source gives
  std::string title;
  std::string text;
};
struct About {
  std::string name;
  std::string summary;
  std::vector<Purpose> purposes;
  std::vector<CurrentIssue> issues;
  std::vector<HistoryEvent> history;
};

struct Membership {
  int64_t id = 0;
  Date joined_on;
  std::optional<Date> left_on;
  std::string note;
};

struct FocalPoint {
  int64_t id = 0;
  std::string organization_id;
  std::string name;
  std::string title;
  std::string email;
  std::string phone;
  int64_t since = 0;
  int64_t version = 1;
};

// kPartner: in the registry because it works with members (e.g. reports activities), never a
// member.
enum class MemberStatus { kCurrent, kFormer, kIncoming, kPartner };
const char* MemberStatusName(MemberStatus s);

struct Organization {
  std::string id;
  std::string name;
  std::string acronym;
  std::string mandate;
  std::optional<std::string> website;
  std::optional<std::string> iati_org_id;
  std::optional<std::string> executive_head_title;
  std::string kind = "member";  // "member" or "partner"
  int64_t version = 1;
  int64_t updated_at = 0;
  MemberStatus status = MemberStatus::kCurrent;
  std::optional<Date> member_since;      // start of the latest membership
  std::optional<Date> left_on;           // end of the latest membership
  std::vector<Membership> memberships;   // oldest first (detail only)
  std::vector<FocalPoint> focal_points;  // detail only
};

struct NewOrganization {
  std::string id;
  std::string name;
  std::string acronym;
  std::string mandate;
  Date joined_on;
  std::optional<std::string> website;
  std::optional<std::string> iati_org_id;
  std::optional<std::string> executive_head_title;
};

struct OrganizationChange {
  std::optional<std::string> name;
  std::optional<std::string> acronym;
  std::optional<std::string> mandate;
  std::optional<std::string> website;               // "" clears
  std::optional<std::string> iati_org_id;           // "" clears
  std::optional<std::string> executive_head_title;  // "" clears
};

struct FocalPointFields {
  std::optional<std::string> name;
  std::optional<std::string> title;
  std::optional<std::string> email;
  std::optional<std::string> phone;
};

class GovernanceService {
 public:
  explicit GovernanceService(Database& db) : db_(db) {}
  GovernanceService(const GovernanceService&) = delete;
  GovernanceService& operator=(const GovernanceService&) = delete;

  Result<About> GetAbout();

  // `status`: "current", "former", "partner" or "all".
  Result<std::vector<Organization>> ListOrganizations(const std::string& status, Date today);
  Result<Organization> GetOrganization(const std::string& id, Date today);
  Result<Organization> AdmitOrganization(const Principal& actor, const NewOrganization& org);
  Result<Organization> UpdateOrganization(const Principal& actor, const std::string& id,
                                          int64_t if_version, const OrganizationChange& change);
  Result<Membership> Readmit(const Principal& actor, const std::string& org_id, Date joined_on,
                             const std::string& note);
  // `if_version` is the organisation's version (its ETag): memberships are part of it.
  Result<Membership> EndMembership(const Principal& actor, const std::string& org_id,
                                   int64_t if_version, int64_t membership_id, Date left_on,
                                   const std::string& note);

  Result<std::vector<FocalPoint>> ListFocalPoints(const std::string& org_id);
  Result<FocalPoint> GetFocalPoint(const std::string& org_id, int64_t id);
  Result<FocalPoint> AddFocalPoint(const Principal& actor, const std::string& org_id,
                                   const FocalPointFields& fields);
  Result<FocalPoint> UpdateFocalPoint(const Principal& actor, const std::string& org_id, int64_t id,
                                      int64_t if_version, const FocalPointFields& fields);
  Status ArchiveFocalPoint(const Principal& actor, const std::string& org_id, int64_t id);

  // Loads plans, overrides and memberships into a ChairRotation (one consistent snapshot).
  Result<ChairRotation> LoadRotation();
  // Every plan, newest start first, withdrawn ones included (withdrawn_at set).
  Result<std::vector<RotationPlan>> ListRotationPlans();
  // Admins only (kPermissionDenied). The order's ids are trimmed and lower-cased ("IOM" is
  // "iom"); kFailedPrecondition when the order is empty, names a member twice or an unknown
  // organisation, or the start is not after the latest plan in force.
  Result<RotationPlan> AddRotationPlan(const Principal& actor, const RotationPlan& plan);
  // The schedule over [from, to] as it would be with `plan` added; checks it as
  // AddRotationPlan does and changes nothing. Admins only.
  Result<std::vector<ChairTerm>> PreviewRotationPlan(const Principal& actor,
                                                     const RotationPlan& plan, Date from, Date to);
  // Withdraws a plan that has not started (starts after `today`): it leaves the rotation and
  // stays listed with withdrawn_at. Admins only; kNotFound for an unknown id; kConflict when
  // it has started or was already withdrawn.
  Result<RotationPlan> WithdrawRotationPlan(const Principal& actor, int64_t id, Date today);
  Result<std::vector<ChairOverride>> ListOverrides();
  Result<ChairOverride> AddOverride(const Principal& actor, const ChairOverride& o);
  Status ArchiveOverride(const Principal& actor, int64_t id);

 private:
  Database& db_;
};

// A focal point may write its own organisation's records; admin and secretariat any
// (AccessPolicy::CheckMayChange).
Status CheckCanEditOrganization(const Principal& actor, const std::string& org_id);

}  // namespace gmg
