#include "research/research_json.h"

#include <boost/json/array.hpp>

#include "research/development_groups.h"

namespace gmg {
namespace {

boost::json::array Strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

boost::json::object Group(int64_t count, int64_t total) {
  double share = total > 0 ? static_cast<double>(count) / static_cast<double>(total) : 0.0;
  return boost::json::object{{"count", count}, {"share", share}};
}

boost::json::object Counts(const GroupCounts& c) {
  return boost::json::object{{"total", c.total},
                             {"developing", Group(c.developing, c.total)},
                             {"ldc", Group(c.ldc, c.total)},
                             {"lldc", Group(c.lldc, c.total)},
                             {"sids", Group(c.sids, c.total)}};
}

boost::json::value AddedBy(const std::string& org) {
  if (org.empty()) return nullptr;
  return boost::json::value(org);
}

}  // namespace

boost::json::object InstitutionJson(const Institution& i) {
  boost::json::object groups{
      {"developing", false}, {"ldc", false}, {"lldc", false}, {"sids", false}};
  std::string country_name;
  if (const DevelopmentGroups* g = FindDevelopmentGroups(i.country)) {
    groups = {{"developing", g->developing}, {"ldc", g->ldc}, {"lldc", g->lldc}, {"sids", g->sids}};
    country_name = g->name;
  }
  return boost::json::object{{"id", i.id},
                             {"name", i.name},
                             {"country", i.country},
                             {"country_name", country_name},
                             {"groups", std::move(groups)},
                             {"type", i.type},
                             {"website", i.website},
                             {"added_by", AddedBy(i.added_by_organization)},
                             {"researchers_count", i.researchers_count},
                             {"version", i.version},
                             {"created_at", FormatTimestamp(i.created_at)},
                             {"updated_at", FormatTimestamp(i.updated_at)}};
}

boost::json::object ResearcherJson(const Researcher& r) {
  boost::json::object out{{"id", r.id},
                          {"name", r.name},
                          {"institution", boost::json::object{{"id", r.institution_id},
                                                              {"name", r.institution_name},
                                                              {"country", r.country}}},
                          {"themes", Strings(r.themes)},
                          {"languages", Strings(r.languages)},
                          {"public_profile", r.public_profile},
                          {"added_by", AddedBy(r.added_by_organization)},
                          {"version", r.version},
                          {"created_at", FormatTimestamp(r.created_at)},
                          {"updated_at", FormatTimestamp(r.updated_at)}};
  if (!r.email.empty()) out["email"] = r.email;
  return out;
}

boost::json::object ProjectJson(const ResearchProject& p) {
  boost::json::array institutions;
  for (int64_t id : p.institutions) institutions.emplace_back(id);
  boost::json::value ended = nullptr;
  if (p.ended_on) ended = *p.ended_on;
  return boost::json::object{{"id", p.id},
                             {"title", p.title},
                             {"summary", p.summary},
                             {"started_on", p.started_on},
                             {"ended_on", ended},
                             {"status", p.status},
                             {"organizations", Strings(p.organizations)},
                             {"institutions", std::move(institutions)},
                             {"version", p.version},
                             {"created_at", FormatTimestamp(p.created_at)},
                             {"updated_at", FormatTimestamp(p.updated_at)}};
}

boost::json::object ExchangeJson(const StaffExchange& e) {
  boost::json::value user = nullptr;
  if (e.user_id) user = *e.user_id;
  return boost::json::object{{"id", e.id},
                             {"kind", e.kind},
                             {"from_organization", e.from_organization},
                             {"to_organization", e.to_organization},
                             {"person_name", e.person_name},
                             {"user_id", user},
                             {"started_on", e.started_on},
                             {"ended_on", e.ended_on},
                             {"purpose", e.purpose},
                             {"status", e.status},
                             {"proposed_by", AddedBy(e.proposed_by_organization)},
                             {"version", e.version},
                             {"created_at", FormatTimestamp(e.created_at)},
                             {"updated_at", FormatTimestamp(e.updated_at)}};
}

boost::json::object ShareJson(const NetworkShare& s) {
  return boost::json::object{{"institutions", Counts(s.institutions)},
                             {"researchers", Counts(s.researchers)}};
}

boost::json::object HitJson(const ResearchHit& h) {
  return boost::json::object{{"kind", h.kind},
                             {"id", h.id},
                             {"title", h.title},
                             {"snippet", h.snippet},
                             {"score", h.score}};
}

}  // namespace gmg
