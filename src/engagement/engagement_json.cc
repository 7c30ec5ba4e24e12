#include "engagement/engagement_json.h"

#include <boost/json/array.hpp>
#include <utility>

namespace gmg {
namespace {

boost::json::object OrganizationJson(const std::string& id, const OrganizationNames* names) {
  std::string name = id;
  if (names != nullptr) {
    auto it = names->find(id);
    if (it != names->end() && !it->second.empty()) name = it->second;
  }
  return boost::json::object{{"id", id}, {"name", name}};
}

}  // namespace

boost::json::object StakeholderJson(const Stakeholder& s) {
  return boost::json::object{
      {"id", s.id},
      {"kind", s.kind},
      {"name", s.name},
      {"country", s.country},
      {"region", s.region},
      {"website", s.website},
      {"description", s.description},
      {"version", s.version},
      {"created_at", FormatTimestamp(s.created_at)},
      {"updated_at", FormatTimestamp(s.updated_at)},
  };
}

boost::json::object ContactJson(const Contact& c) {
  return boost::json::object{
      {"id", c.id},
      {"stakeholder_id", c.stakeholder_id},
      {"name", c.name},
      {"title", c.title},
      {"email", c.email},
      {"phone", c.phone},
      {"created_at", FormatTimestamp(c.created_at)},
  };
}

boost::json::object InteractionJson(const Interaction& i, const OrganizationNames* names) {
  boost::json::array stakeholders;
  for (int64_t id : i.stakeholder_ids) stakeholders.push_back(id);
  boost::json::array members;
  for (const std::string& org : i.organization_ids) members.push_back(OrganizationJson(org, names));
  return boost::json::object{
      {"id", i.id},
      {"date", i.date},
      {"kind", i.kind},
      {"summary", i.summary},
      {"visibility", i.visibility},
      {"stakeholders", std::move(stakeholders)},
      {"members", std::move(members)},
      {"created_at", FormatTimestamp(i.created_at)},
  };
}

boost::json::object SupportRequestJson(const SupportRequest& r, const OrganizationNames* names) {
  boost::json::array routes;
  for (const RequestRoute& route : r.routes) {
    boost::json::value answered_at = nullptr;
    if (route.answered_at) answered_at = FormatTimestamp(*route.answered_at);
    routes.push_back(boost::json::object{
        {"organization", OrganizationJson(route.organization_id, names)},
        {"response", route.response},
        {"answer", route.answer},
        {"answered_at", answered_at},
    });
  }
  return boost::json::object{
      {"id", r.id},
      {"stakeholder", boost::json::object{{"id", r.stakeholder_id}, {"name", r.stakeholder_name}}},
      {"title", r.title},
      {"description", r.description},
      {"received_on", r.received_on},
      {"status", r.status},
      {"routes", std::move(routes)},
      {"version", r.version},
      {"created_at", FormatTimestamp(r.created_at)},
      {"updated_at", FormatTimestamp(r.updated_at)},
  };
}

boost::json::object AccountJson(const StakeholderAccount& a) {
  return boost::json::object{{"user_id", a.user_id},
                             {"email", a.email},
                             {"name", a.name},
                             {"stakeholder_id", a.stakeholder_id}};
}

boost::json::object HitJson(const EngagementHit& h) {
  return boost::json::object{{"kind", h.kind},
                             {"id", h.id},
                             {"title", h.title},
                             {"snippet", h.snippet},
                             {"score", h.score}};
}

}  // namespace gmg
