#include "initiatives/initiative_json.h"

#include <boost/json/array.hpp>
#include <map>
#include <string>
#include <utility>

namespace gmg {
namespace {

// Every id, or (with `named`) those it holds, with their title, start and status.
boost::json::array LinkList(const std::vector<int64_t>& ids, std::string_view base,
                            const std::map<int64_t, LinkedItem>* named) {
  boost::json::array out;
  for (int64_t id : ids) {
    boost::json::object link{{"id", id}, {"href", std::string(base) + std::to_string(id)}};
    if (named != nullptr) {
      auto it = named->find(id);
      if (it == named->end()) continue;
      link["title"] = it->second.title;
      if (it->second.starts_at) link["starts_at"] = FormatTimestamp(*it->second.starts_at);
      link["status"] = it->second.status;
    }
    out.push_back(std::move(link));
  }
  return out;
}

}  // namespace

boost::json::object InitiativeJson(const Initiative& i, const LinkNames* names) {
  boost::json::value ended = nullptr;
  if (i.ended_on) ended = *i.ended_on;
  return boost::json::object{
      {"id", i.id},
      {"slug", i.slug},
      {"title", i.title},
      {"description", i.description},
      {"started_on", i.started_on},
      {"ended_on", ended},
      {"status", i.status},
      {"contributions_count", i.contributions_count},
      {"links", boost::json::object{{"meetings", LinkList(i.meeting_ids, "/api/v1/meetings/",
                                                          names ? &names->meetings : nullptr)},
                                    {"positions", LinkList(i.position_ids, "/api/v1/positions/",
                                                           names ? &names->positions : nullptr)}}},
      {"created_at", FormatTimestamp(i.created_at)},
      {"updated_at", FormatTimestamp(i.updated_at)},
      {"version", i.version},
  };
}

boost::json::object ContributionJson(const Contribution& c, std::string_view organization_name) {
  std::string name(organization_name.empty() ? std::string_view(c.organization_id)
                                             : organization_name);
  return boost::json::object{
      {"id", c.id},
      {"initiative_id", c.initiative_id},
      {"organization", boost::json::object{{"id", c.organization_id}, {"name", name}}},
      {"kind", c.kind},
      {"title", c.title},
      {"description", c.description},
      {"url", c.url},
      {"date", c.date},
      {"created_at", FormatTimestamp(c.created_at)},
  };
}

}  // namespace gmg
