// ChairRotation: who chairs the GMG on a date, and the schedule of terms.
//
// The chair rotates among the members' executive heads. A rotation plan says, from its start
// date on, how long a term is and in which order the members take it; a newer plan takes over
// from its own start date, so changing the rotation never rewrites the past. In each term the
// next organisation in the order that is a member on the term's first day takes the chair
// (a member that has left is skipped). Overrides (exceptions agreed by the group) replace the
// rotation for their dates.
// Thread-safety: immutable value; build one per question from the stored plans.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace gmg {

struct RotationPlan {
  int64_t id = 0;
  Date starts_on;
  int term_months = 6;
  std::vector<std::string> order;  // organisation ids
  int64_t created_at = 0;
  int64_t withdrawn_at = 0;  // 0 = in force; a ChairRotation is given only plans in force
};

struct ChairOverride {
  int64_t id = 0;
  Date starts_on;
  Date ends_on;  // inclusive
  std::string organization_id;
  std::string reason;
  int64_t created_at = 0;
};

struct MembershipSpan {
  std::string organization_id;
  Date joined_on;
  std::optional<Date> left_on;  // inclusive last day
};

struct ChairTerm {
  Date starts_on;
  Date ends_on;                 // inclusive
  std::string organization_id;  // "" when no member was eligible
  bool is_override = false;
  std::string reason;
};

class ChairRotation {
 public:
  ChairRotation(std::vector<RotationPlan> plans, std::vector<ChairOverride> overrides,
                std::vector<MembershipSpan> memberships);

  // kNotFound before the first plan starts.
  Result<ChairTerm> ChairOn(Date date) const;
  // Terms (and parts of terms cut by overrides) overlapping [from, to], in date order.
  std::vector<ChairTerm> Schedule(Date from, Date to) const;

 private:
  bool IsMember(const std::string& org, Date on) const;
  // Rotation terms of plan `i` overlapping [from, to] (overrides not applied).
  void PlanTerms(size_t i, Date from, Date to, std::vector<ChairTerm>* out) const;

  std::vector<RotationPlan> plans_;       // by starts_on
  std::vector<ChairOverride> overrides_;  // by starts_on
  std::vector<MembershipSpan> memberships_;
};

}  // namespace gmg
