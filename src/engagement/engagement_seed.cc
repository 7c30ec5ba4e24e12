#include "engagement/engagement_seed.h"

#include <string>

#include "core/date.h"

namespace gmg {
namespace {

struct SeedProcess {
  const char* name;
  const char* region;
  const char* website;
  const char* description;
};

// Regional consultative processes on migration (RCPs): state-led, informal, non-binding
// dialogues. Facts only; websites only where the process keeps its own.
constexpr SeedProcess kProcesses[] = {
    {"Colombo Process", "Asia", "https://www.colomboprocess.org",
     "Regional Consultative Process on Overseas Employment and Contractual Labour for Countries "
     "of Origin in Asia, started in 2003 by Asian countries of origin of labour migrants."},
    {"Puebla Process (Regional Conference on Migration)", "Americas", "https://www.crmsv.org",
     "The Regional Conference on Migration of North and Central America, started in Puebla, "
     "Mexico, in 1996."},
    {"Budapest Process", "Europe", "https://www.budapestprocess.org",
     "A consultative forum on migration of more than 50 governments from Europe, the Silk "
     "Routes region and beyond, started in 1991; its secretariat is ICMPD."},
    {"Bali Process", "Asia", "https://www.baliprocess.net",
     "The Bali Process on People Smuggling, Trafficking in Persons and Related Transnational "
     "Crime, started in 2002 and co-chaired by Indonesia and Australia."},
    {"Abu Dhabi Dialogue", "Asia", "",
     "The Abu Dhabi Dialogue among the Asian Labour Sending and Receiving Countries, started in "
     "2008 between Colombo Process countries and Gulf countries of destination."},
    {"IGAD Regional Consultative Process on Migration (IGAD-RCP)", "Africa", "",
     "The Regional Consultative Process on Migration of the Intergovernmental Authority on "
     "Development (IGAD) in the Horn and East of Africa, started in 2008."},
    {"Migration Dialogue for Southern Africa (MIDSA)", "Africa", "",
     "The regional consultative process of the Southern African Development Community's member "
     "states, started in 2000."},
    {"Migration Dialogue for West Africa (MIDWA)", "Africa", "",
     "The regional consultative process of the Economic Community of West African States "
     "(ECOWAS), started in 2001."},
    {"South American Conference on Migration (Lima Process)", "Americas", "",
     "The South American countries' regional consultative process on migration, started in "
     "2000."},
    {"Rabat Process", "Africa", "",
     "The Euro-African Dialogue on Migration and Development, started in Rabat in 2006 between "
     "countries of origin, transit and destination along the West African migration route."},
    {"Prague Process", "Europe", "",
     "A dialogue on migration between the countries of the European Union, the Schengen area, "
     "Eastern Partnership, Western Balkans and Central Asia, started in Prague in 2009."},
    {"Almaty Process", "Asia", "",
     "The Almaty Process on Refugee Protection and International Migration in Central Asia, "
     "started in 2011."},
};

struct DemoOrganisation {
  const char* kind;
  const char* name;
  const char* region;
  const char* description;
};

constexpr DemoOrganisation kDemoOrganisations[] = {
    {"civil_society", "Demo: Migrant Rights Network", "Asia",
     "Demo record: a network of migrant associations and legal aid groups."},
    {"civil_society", "Demo: Diaspora Development Forum", "Europe",
     "Demo record: diaspora organisations investing in their countries of origin."},
    {"employers_organization", "Demo: Regional Employers' Federation", "Africa",
     "Demo record: employers' federations recruiting across borders."},
    {"workers_organization", "Demo: Federation of Migrant Workers' Unions", "Americas",
     "Demo record: trade unions organising migrant workers."},
};

struct DemoInteraction {
  int days_ago;
  const char* kind;
  const char* visibility;
  const char* party;   // a stakeholder's name
  const char* member;  // a GMG member's id
  const char* summary;
};

constexpr DemoInteraction kDemoInteractions[] = {
    {60, "briefing", "public", "Colombo Process", "ilo",
     "Demo: Briefing of the Colombo Process senior officials on fair recruitment guidelines."},
    {45, "dialogue", "shared", "Budapest Process", "iom",
     "Demo: Dialogue with the Budapest Process on return and reintegration data."},
    {30, "consultation", "internal", "Puebla Process (Regional Conference on Migration)", "unhcr",
     "Demo: Consultation on protection at borders; notes for the GMG only."},
    {20, "meeting", "public", "Bali Process", "unodc",
     "Demo: Meeting with the Bali Process working group on trafficking in persons."},
    {10, "correspondence", "shared", "Demo: Migrant Rights Network", "ohchr",
     "Demo: Letter on access to justice for migrant domestic workers."},
};

Principal DemoLoader() {
  Principal p = Principal::Cli();
  p.email = "demo";
  return p;
}

// The state stakeholder of `iso3`, added from the codelist when absent.
Result<int64_t> DemoState(EngagementService& engagement, const Principal& loader, const char* iso3,
                          int& added) {
  GMG_ASSIGN_OR_RETURN(auto states, engagement.ListStakeholders({.kind = "state"}));
  for (const Stakeholder& s : states) {
    if (s.country == iso3) return s.id;
  }
  GMG_ASSIGN_OR_RETURN(auto s,
                       engagement.CreateStakeholder(loader, {.kind = "state", .country = iso3}));
  ++added;
  return s.id;
}

Result<int64_t> IdByName(EngagementService& engagement, const std::string& name) {
  GMG_ASSIGN_OR_RETURN(auto all, engagement.ListStakeholders({}));
  for (const Stakeholder& s : all) {
    if (s.name == name) return s.id;
  }
  return MakeError(ErrorCode::kInternal, "demo: no stakeholder " + name);
}

Status DemoRequests(EngagementService& engagement, const Principal& loader, int64_t now,
                    int& added) {
  std::string today = Date::FromUnix(now).ToString();
  GMG_ASSIGN_OR_RETURN(int64_t philippines, DemoState(engagement, loader, "PHL", added));
  GMG_ASSIGN_OR_RETURN(int64_t mexico, DemoState(engagement, loader, "MEX", added));
  GMG_ASSIGN_OR_RETURN(
      auto answered,
      engagement.CreateRequest(
          loader, {.stakeholder_id = philippines,
                   .title = "Demo: Support for a labour migration information system",
                   .description = "Demo record: help to design a system that follows overseas "
                                  "workers from recruitment to return.",
                   .received_on = Date::FromUnix(now).AddDays(-50).ToString()}));
  GMG_RETURN_IF_ERROR(engagement.RouteRequest(loader, answered.id, {"ilo", "iom"}));
  GMG_RETURN_IF_ERROR(engagement.AnswerRequest(
      loader, answered.id,
      {.organization_id = "ilo",
       .response = "accepted",
       .answer = "Demo: ILO will provide two experts on labour statistics."}));
  GMG_RETURN_IF_ERROR(engagement.AnswerRequest(
      loader, answered.id,
      {.organization_id = "iom",
       .response = "accepted",
       .answer = "Demo: IOM will share its case-management tools for returnees."}));
  GMG_ASSIGN_OR_RETURN(
      auto routed,
      engagement.CreateRequest(
          loader, {.stakeholder_id = mexico,
                   .title = "Demo: Technical assistance on counter-trafficking legislation",
                   .description = "Demo record: review of a draft law against trafficking in "
                                  "persons.",
                   .received_on = today}));
  GMG_RETURN_IF_ERROR(engagement.RouteRequest(loader, routed.id, {"unodc", "ohchr"}));
  added += 2;
  return Ok();
}

}  // namespace

Result<int> SeedStakeholders(Database& db, int64_t now) {
  int inserted = 0;
  GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    for (const SeedProcess& p : kProcesses) {
      GMG_ASSIGN_OR_RETURN(
          int64_t n, tx.Exec("INSERT INTO stakeholders (kind, name, country, "
                             "region, website, description, version, "
                             "created_at, updated_at) VALUES "
                             "('regional_consultative_process', ?, '', ?, ?, ?, "
                             "1, ?, ?) ON CONFLICT DO NOTHING",
                             {std::string(p.name), std::string(p.region), std::string(p.website),
                              std::string(p.description), now, now}));
      inserted += static_cast<int>(n);
    }
    return Ok();
  }));
  return inserted;
}

Result<int> LoadDemoEngagement(EngagementService& engagement, int64_t now) {
  GMG_ASSIGN_OR_RETURN(auto existing,
                       engagement.ListStakeholders({.query = kDemoOrganisations[0].name}));
  if (!existing.empty()) return 0;
  Principal loader = DemoLoader();
  int added = 0;
  for (const DemoOrganisation& o : kDemoOrganisations) {
    GMG_RETURN_IF_ERROR(engagement.CreateStakeholder(
        loader,
        {.kind = o.kind, .name = o.name, .region = o.region, .description = o.description}));
    ++added;
  }
  for (const DemoInteraction& i : kDemoInteractions) {
    GMG_ASSIGN_OR_RETURN(int64_t party, IdByName(engagement, i.party));
    GMG_RETURN_IF_ERROR(engagement.LogInteraction(
        loader, {.date = Date::FromUnix(now).AddDays(-i.days_ago).ToString(),
                 .kind = i.kind,
                 .summary = i.summary,
                 .visibility = i.visibility,
                 .stakeholder_ids = {party},
                 .organization_ids = {i.member}}));
    ++added;
  }
  GMG_RETURN_IF_ERROR(DemoRequests(engagement, loader, now, added));
  return added;
}

}  // namespace gmg
