#include "governance/chair_rotation.h"

#include <algorithm>

namespace gmg {

ChairRotation::ChairRotation(std::vector<RotationPlan> plans, std::vector<ChairOverride> overrides,
                             std::vector<MembershipSpan> memberships)
    : plans_(std::move(plans)),
      overrides_(std::move(overrides)),
      memberships_(std::move(memberships)) {
  std::sort(plans_.begin(), plans_.end(),
            [](const auto& a, const auto& b) { return a.starts_on < b.starts_on; });
  std::sort(overrides_.begin(), overrides_.end(),
            [](const auto& a, const auto& b) { return a.starts_on < b.starts_on; });
}

bool ChairRotation::IsMember(const std::string& org, Date on) const {
  return std::any_of(memberships_.begin(), memberships_.end(), [&](const MembershipSpan& m) {
    return m.organization_id == org && m.joined_on <= on && (!m.left_on || on <= *m.left_on);
  });
}

void ChairRotation::PlanTerms(size_t i, Date from, Date to, std::vector<ChairTerm>* out) const {
  const RotationPlan& plan = plans_[i];
  std::optional<Date> plan_end;
  if (i + 1 < plans_.size()) plan_end = plans_[i + 1].starts_on.AddDays(-1);
  if (plan.order.empty() || plan.term_months <= 0) return;
  size_t position = 0;  // next place in the order to try
  for (int k = 0;; ++k) {
    Date start = plan.starts_on.AddMonths(k * plan.term_months);
    if (start > to || (plan_end && start > *plan_end)) break;
    Date end = plan.starts_on.AddMonths((k + 1) * plan.term_months).AddDays(-1);
    if (plan_end && end > *plan_end) end = *plan_end;
    ChairTerm term{start, end, "", false, ""};
    for (size_t tries = 0; tries < plan.order.size(); ++tries) {
      const std::string& candidate = plan.order[(position + tries) % plan.order.size()];
      if (IsMember(candidate, start)) {
        term.organization_id = candidate;
        position = (position + tries + 1) % plan.order.size();
        break;
      }
    }
    if (end >= from) out->push_back(std::move(term));
  }
}

std::vector<ChairTerm> ChairRotation::Schedule(Date from, Date to) const {
  std::vector<ChairTerm> rotation;
  for (size_t i = 0; i < plans_.size(); ++i) PlanTerms(i, from, to, &rotation);

  std::vector<ChairTerm> out;
  for (const ChairTerm& term : rotation) {
    Date cursor = term.starts_on;
    for (const ChairOverride& o : overrides_) {
      if (o.ends_on < cursor || o.starts_on > term.ends_on) continue;
      if (o.starts_on > cursor) {
        ChairTerm part = term;
        part.starts_on = cursor;
        part.ends_on = o.starts_on.AddDays(-1);
        out.push_back(part);
      }
      cursor = std::max(cursor, o.ends_on.AddDays(1));
      if (cursor > term.ends_on) break;
    }
    if (cursor <= term.ends_on) {
      ChairTerm part = term;
      part.starts_on = cursor;
      out.push_back(part);
    }
  }
  for (const ChairOverride& o : overrides_) {
    if (o.ends_on < from || o.starts_on > to) continue;
    out.push_back({o.starts_on, o.ends_on, o.organization_id, true, o.reason});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.starts_on < b.starts_on; });
  std::erase_if(out, [&](const ChairTerm& t) { return t.ends_on < from || t.starts_on > to; });
  return out;
}

Result<ChairTerm> ChairRotation::ChairOn(Date date) const {
  for (const ChairOverride& o : overrides_) {
    if (o.starts_on <= date && date <= o.ends_on) {
      return ChairTerm{o.starts_on, o.ends_on, o.organization_id, true, o.reason};
    }
  }
  if (plans_.empty() || date < plans_.front().starts_on) {
    return MakeError(
        ErrorCode::kNotFound,
        "the GMG had no chair on " + date.ToString() +
            (plans_.empty() ? ""
                            : "; the first term began " + plans_.front().starts_on.ToString()));
  }
  std::vector<ChairTerm> terms;
  for (size_t i = 0; i < plans_.size(); ++i) PlanTerms(i, date, date, &terms);
  for (const ChairTerm& t : terms) {
    if (t.starts_on <= date && date <= t.ends_on) return t;
  }
  return MakeError(ErrorCode::kNotFound, "no chair term covers " + date.ToString());
}

}  // namespace gmg
