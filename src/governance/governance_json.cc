#include "governance/governance_json.h"

#include <boost/json.hpp>

namespace gmg {
namespace {

boost::json::value Opt(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::value(*s);
}
boost::json::value OptDate(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return boost::json::value(d->ToString());
}

}  // namespace

boost::json::value MembershipJson(const Membership& m) {
  return boost::json::object{{"id", m.id},
                             {"joined_on", m.joined_on.ToString()},
                             {"left_on", OptDate(m.left_on)},
                             {"note", m.note}};
}

boost::json::value FocalPointJson(const FocalPoint& f, bool contacts) {
  boost::json::object o{
      {"id", f.id},       {"organization_id", f.organization_id}, {"name", f.name},
      {"title", f.title}, {"since", FormatTimestamp(f.since)},    {"version", f.version}};
  if (contacts) {
    o["email"] = f.email;
    o["phone"] = f.phone;
  }
  return o;
}

boost::json::value OrganizationJson(const Organization& org, bool detail, bool contacts) {
  boost::json::object o{{"id", org.id},
                        {"name", org.name},
                        {"acronym", org.acronym},
                        {"status", MemberStatusName(org.status)},
                        {"kind", org.kind},
                        {"mandate", org.mandate},
                        {"member_since", OptDate(org.member_since)},
                        {"left_on", OptDate(org.left_on)},
                        {"website", Opt(org.website)},
                        {"iati_org_id", Opt(org.iati_org_id)},
                        {"executive_head_title", Opt(org.executive_head_title)},
                        {"version", org.version},
                        {"updated_at", FormatTimestamp(org.updated_at)}};
  if (detail) {
    boost::json::array ms, fps;
    for (const auto& m : org.memberships) ms.push_back(MembershipJson(m));
    for (const auto& f : org.focal_points) fps.push_back(FocalPointJson(f, contacts));
    o["memberships"] = std::move(ms);
    o["focal_points"] = std::move(fps);
  }
  return o;
}

boost::json::value RotationPlanJson(const RotationPlan& p) {
  boost::json::array order;
  for (const auto& id : p.order) order.push_back(boost::json::value(id));
  return boost::json::object{
      {"id", p.id},
      {"starts_on", p.starts_on.ToString()},
      {"term_months", p.term_months},
      {"order", std::move(order)},
      {"created_at", FormatTimestamp(p.created_at)},
      {"withdrawn_at", p.withdrawn_at == 0 ? boost::json::value(nullptr)
                                           : boost::json::value(FormatTimestamp(p.withdrawn_at))}};
}

boost::json::value OverrideJson(const ChairOverride& o) {
  return boost::json::object{{"id", o.id},
                             {"starts_on", o.starts_on.ToString()},
                             {"ends_on", o.ends_on.ToString()},
                             {"organization_id", o.organization_id},
                             {"reason", o.reason},
                             {"created_at", FormatTimestamp(o.created_at)}};
}

boost::json::value AboutJson(const About& a) {
  boost::json::array purposes, issues, history;
  for (const auto& p : a.purposes) {
    purposes.push_back({{"number", p.number}, {"title", p.title}, {"text", p.text}});
  }
  for (const auto& i : a.issues) {
    issues.push_back({{"position", i.position}, {"title", i.title}, {"text", i.text}});
  }
  for (const auto& h : a.history) {
    history.push_back({{"date", h.date.ToString()},
                       {"date_label", h.date_label},
                       {"title", h.title},
                       {"text", h.text}});
  }
  return boost::json::object{{"name", a.name},
                             {"summary", a.summary},
                             {"purposes", std::move(purposes)},
                             {"issues", std::move(issues)},
                             {"history", std::move(history)}};
}

}  // namespace gmg
