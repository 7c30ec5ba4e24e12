#include "coherence/mandates.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>
#include <string_view>

#include "audit/audit_log.h"
#include "core/access_policy.h"
#include "core/date.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace {

struct StatedMandate {
  const char* organization;
  std::initializer_list<const char*> themes;
};

// The themes each member's mandate states, in our own words from the GMG information note
// (governance/seed.cc paraphrases it) and the agencies' public mandates.
const StatedMandate kStatedMandates[] = {
    // Labour standards that protect migrant workers, decent work, skills, forced labour.
    {"ilo",
     {"labour-migration", "human-rights", "skills-brain-drain", "trafficking", "migration-law"}},
    // Humane and orderly migration: services, advice and data across the whole field.
    {"iom",
     {"labour-migration", "remittances", "trafficking", "smuggling", "internal-displacement",
      "migration-development", "diaspora", "migration-data", "health-hiv", "migration-management",
      "return-reintegration", "irregular-migration", "migration-law", "gender"}},
    // Trade and development: GATS Mode 4, remittances, brain drain and circulation.
    {"unctad", {"trade-gats-mode4", "remittances", "migration-development", "skills-brain-drain"}},
    // Development gains from migration: remittances, keeping skills, diaspora participation.
    {"undp", {"migration-development", "remittances", "diaspora", "skills-brain-drain"}},
    // Migration statistics and analysis for the General Assembly and ECOSOC.
    {"undesa", {"migration-data", "migration-development"}},
    // Population dynamics: female migration, HIV, reproductive health, trafficking, data.
    {"unfpa", {"gender", "health-hiv", "migration-data", "trafficking", "smuggling"}},
    // Human rights of migrants, the Migrant Workers Convention, trafficking.
    {"ohchr", {"human-rights", "migration-law", "trafficking"}},
    // Refugees and durable solutions; statelessness, internal displacement, repatriation.
    {"unhcr",
     {"refugee-protection", "statelessness", "internal-displacement", "return-reintegration",
      "migration-data"}},
    // Custodian of the Protocols on trafficking in persons and smuggling of migrants.
    {"unodc", {"trafficking", "smuggling"}},
    // Development impact of migration and remittances, and their data.
    {"worldbank", {"remittances", "migration-development", "labour-migration", "migration-data"}},
};

boost::json::object ThemesJson(const std::vector<std::string>& themes) {
  boost::json::array a;
  for (const auto& t : themes) a.emplace_back(t);
  return {{"themes", std::move(a)}};
}

Result<std::vector<std::string>> StatedIn(Tx& tx, const std::string& organization) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT theme_id FROM coherence_mandates WHERE "
                                           "organization_id = ? ORDER BY theme_id",
                                           {organization}));
  std::vector<std::string> out;
  for (const Row& r : rows) out.push_back(r.Text(0));
  return out;
}

}  // namespace

Status SeedMandates(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM coherence_mandates"));
  if (count->Int(0) > 0) return Ok();
  GMG_ASSIGN_OR_RETURN(auto known, ActivityService::LoadKnownIds(tx));
  for (const auto& m : kStatedMandates) {
    if (known.organizations.count(m.organization) == 0) continue;
    for (const char* theme : m.themes) {
      if (known.themes.count(theme) == 0) continue;
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO coherence_mandates (organization_id, theme_id) VALUES (?, ?) "
                  "ON CONFLICT (organization_id, theme_id) DO NOTHING",
                  {std::string(m.organization), std::string(theme)}));
    }
  }
  return Ok();
}

Result<MandateTheme> MandateService::Count(const Principal& viewer, const std::string& organization,
                                           const std::string& theme) {
  MandateTheme out;
  out.theme = theme;
  ActivityFilter filter;
  filter.organizations = {organization};
  filter.themes = {theme};
  filter.sort = "starts_on";  // the total then comes from the search catalog alone
  GMG_ASSIGN_OR_RETURN(auto map, activities_.CountByCountry(viewer, filter));
  out.countries = static_cast<int64_t>(map.countries.size());
  if (map.countries.empty() && map.regions.empty() && map.global == 0) return out;
  GMG_ASSIGN_OR_RETURN(auto page, activities_.List(viewer, filter, 1, 0));
  out.activities = page.total;
  return out;
}

Result<std::vector<OrganizationMandate>> MandateService::List(const Principal& viewer,
                                                              const std::string& organization,
                                                              const std::string& theme) {
  GMG_ASSIGN_OR_RETURN(auto all_themes, activities_.ListThemes());
  std::vector<std::string> themes;
  for (const auto& t : all_themes) {
    if (!t.archived && (theme.empty() || t.id == theme)) themes.push_back(t.id);
  }
  if (!theme.empty() && themes.empty())
    return FieldError(ErrorCode::kInvalidArgument, "theme", "is not a theme: " + theme,
                      "unknown_theme", {{"value", theme}});
  GMG_ASSIGN_OR_RETURN(auto orgs, governance_.ListOrganizations("all", Date::Today()));
  std::map<std::string, std::set<std::string>> stated;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT organization_id, theme_id FROM coherence_mandates"));
    for (const Row& r : rows) stated[r.Text(0)].insert(r.Text(1));
    return Ok();
  }));
  std::vector<OrganizationMandate> out;
  bool found = false;
  for (const auto& org : orgs) {
    if (!organization.empty() && org.id != organization) continue;
    found = true;
    if (organization.empty() && org.status != MemberStatus::kCurrent && !stated.contains(org.id))
      continue;
    OrganizationMandate m;
    m.organization_id = org.id;
    m.organization_name = org.acronym.empty() ? org.name : org.acronym;
    for (const auto& t : themes) {
      GMG_ASSIGN_OR_RETURN(MandateTheme counted, Count(viewer, org.id, t));
      counted.stated = stated[org.id].contains(t);
      m.themes.push_back(std::move(counted));
    }
    out.push_back(std::move(m));
  }
  if (!organization.empty() && !found)
    return MakeError(ErrorCode::kNotFound, "no organisation '" + organization + "'");
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.organization_id < b.organization_id; });
  return out;
}

Result<OrganizationMandate> MandateService::SetStatedThemes(
    const Principal& actor, const std::string& organization_id,
    const std::vector<std::string>& themes) {
  GMG_RETURN_IF_ERROR(
      AccessPolicy::CheckMayChange(actor, organization_id, "change its stated mandate"));
  if (themes.size() > kMaxThemes)
    return FieldError(ErrorCode::kInvalidArgument, "themes",
                      "at most " + std::to_string(kMaxThemes) + " themes", "too_many",
                      {{"max", std::to_string(kMaxThemes)}});
  std::vector<std::string> wanted = themes;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, organization_id));
    if (!exists)
      return MakeError(ErrorCode::kNotFound, "no organisation '" + organization_id + "'");
    GMG_ASSIGN_OR_RETURN(auto known, ActivityService::LoadKnownIds(tx));
    Error broken{ErrorCode::kFailedPrecondition, "", {}, 0};
    for (const auto& t : wanted) {
      if (known.themes.count(t) > 0) continue;
      broken.details.emplace_back("themes", "is not a theme of the taxonomy: " + t, "unknown_theme",
                                  std::vector<std::pair<std::string, std::string>>{{"value", t}});
    }
    if (!broken.details.empty()) {
      broken.message = "themes: " + broken.details.front().problem;
      return broken;
    }
    GMG_ASSIGN_OR_RETURN(auto before, StatedIn(tx, organization_id));
    GMG_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM coherence_mandates WHERE organization_id = ?", {organization_id}));
    for (const auto& t : wanted) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO coherence_mandates (organization_id, theme_id) VALUES (?, ?)",
                  {organization_id, t}));
    }
    return RecordAudit(tx, actor, "update", "coherence_mandate", organization_id,
                       ThemesJson(before), ThemesJson(wanted));
  }));
  GMG_ASSIGN_OR_RETURN(auto listed, List(actor, organization_id));
  if (listed.empty())
    return MakeError(ErrorCode::kNotFound, "no organisation '" + organization_id + "'");
  return std::move(listed.front());
}

}  // namespace gmg
