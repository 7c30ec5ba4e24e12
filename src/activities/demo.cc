#include "activities/demo.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"

namespace gmg {
namespace {

struct DemoActivity {
  const char* org;
  const char* title;
  const char* description;
  const char* type;
  std::vector<std::string> themes;
  std::vector<std::string> countries;
  std::vector<std::string> regions;
  const char* starts;
  const char* ends;
  int status;
  double budget;  // USD, 0 = none
  std::vector<int> purposes;
  std::vector<std::string> dimensions;
  std::vector<Partner> partners;
};

const std::vector<DemoActivity>& DemoSet() {
  static const std::vector<DemoActivity> kSet = {
      {"ilo", "Fair recruitment corridor South Asia–Gulf", "Pilots fair recruitment practices and zero recruitment fees with employers, recruiters and unions along the Nepal–Qatar and Bangladesh–Kuwait corridors.", "technical_assistance", {"labour-migration", "human-rights"}, {"NP", "BD", "QA", "KW"}, {}, "2021-01-01", "2025-12-31", 2, 4200000, {3, 9}, {"labour_rights"}, {{"iom", "IOM", "implementing"}}},
      {"ilo", "Ratifying the migrant worker conventions: legal review in West Africa", "Legal gap analyses and tripartite consultations towards ratification of ILO Conventions 97 and 143.", "normative", {"labour-migration", "migration-law"}, {"SN", "CI", "GH"}, {}, "2022-03-01", "2024-06-30", 4, 650000, {9, 11}, {"labour_rights", "human_rights"}, {}},
      {"ilo", "Skills recognition for returning migrant workers", "Recognition of prior learning for returnees in construction and care work.", "training", {"skills-brain-drain", "return-reintegration"}, {"PH", "LK"}, {}, "2023-01-15", "2026-01-14", 2, 1500000, {8}, {}, {}},
      {"ilo", "Labour migration statistics module for labour force surveys", "A survey module and guidelines measuring labour migration, tested with national statistical offices.", "data_statistics", {"migration-data", "labour-migration"}, {}, {"142"}, "2020-06-01", "2023-05-31", 4, 800000, {6}, {}, {{"undesa", "UN DESA", "implementing"}}},
      {"iom", "Assisted voluntary return and reintegration from North Africa", "Voluntary return, counselling and community-based reintegration support for stranded migrants.", "operational_programme", {"return-reintegration", "irregular-migration"}, {"LY", "NE", "ML"}, {}, "2019-04-01", "2025-03-31", 2, 28000000, {9}, {"human_security"}, {{"unhcr", "UNHCR", "implementing"}}},
      {"iom", "Migration governance indicators in Central America", "Assessments of migration governance with governments in the region, feeding national policy reviews.", "research", {"migration-management", "migration-data"}, {"GT", "HN", "SV", "MX"}, {}, "2022-02-01", "2023-12-31", 4, 900000, {5, 11}, {}, {}},
      {"iom", "Displacement tracking in the Sahel", "Regular data on internally displaced people and mobility flows for humanitarian planning.", "data_statistics", {"internal-displacement", "migration-data"}, {"BF", "ML", "NE"}, {}, "2020-01-01", "2026-12-31", 2, 12000000, {6}, {}, {}},
      {"iom", "Integrated border management training", "Training for border officials on rights-based border management and identification of vulnerable migrants.", "training", {"migration-management", "human-rights"}, {"KE", "ET", "SO"}, {}, "2023-05-01", "2025-04-30", 2, 2300000, {8, 9}, {"human_rights"}, {{"unodc", "UNODC", "implementing"}}},
      {"iom", "Diaspora engagement for development", "Mapping diaspora skills and investment and matching them to national development plans.", "technical_assistance", {"diaspora", "migration-development"}, {"SO", "AM", "MD"}, {}, "2021-09-01", "2024-08-31", 3, 1700000, {4}, {}, {{"undp", "UNDP", "funding"}}},
      {"unctad", "Trade in services and GATS Mode 4 negotiations support", "Analysis and training for trade negotiators on temporary movement of service suppliers.", "training", {"trade-gats-mode4", "labour-migration"}, {}, {"LDC"}, "2021-01-01", "2024-12-31", 4, 600000, {2, 8}, {}, {}},
      {"unctad", "Remittances and development: policy options", "Research on remittance flows, costs and their use for productive investment.", "research", {"remittances", "migration-development"}, {}, {"202"}, "2022-04-01", "2023-09-30", 4, 350000, {6}, {}, {{"worldbank", "World Bank", "funding"}}},
      {"unctad", "Expert meeting on migration, trade and development", "Intergovernmental expert meeting on maximising development gains of temporary migration.", "event", {"trade-gats-mode4", "migration-development"}, {"CH"}, {}, "2024-10-14", "2024-10-16", 4, 0, {2, 10}, {}, {}},
      {"undp", "Migration in national development plans", "Support to governments mainstreaming migration into national development strategies.", "technical_assistance", {"migration-development"}, {"MA", "JM", "KG"}, {}, "2020-07-01", "2024-06-30", 3, 3100000, {3}, {}, {{"iom", "IOM", "implementing"}}},
      {"undp", "Local governance and returnee reintegration", "Municipal services and jobs for returnees and host communities.", "operational_programme", {"return-reintegration", "migration-development"}, {"AF", "IQ"}, {}, "2021-03-01", "2025-02-28", 2, 6500000, {}, {"human_security"}, {}},
      {"undesa", "International migrant stock estimates", "Estimates of international migrants by age, sex and origin for all countries and areas.", "data_statistics", {"migration-data"}, {}, {}, "2023-01-01", "2024-12-31", 2, 0, {6}, {}, {}},
      {"undesa", "Improving migration statistics in censuses", "Guidance and training on census questions on country of birth, citizenship and previous residence.", "training", {"migration-data"}, {}, {"002", "009"}, "2022-01-01", "2025-12-31", 2, 700000, {6, 8}, {}, {{"unfpa", "UNFPA", "implementing"}}},
      {"unfpa", "Sexual and reproductive health for women on the move", "Services for migrant and displaced women along the route, with referral for survivors of violence.", "operational_programme", {"gender", "health-hiv"}, {"CO", "EC", "PE"}, {}, "2021-06-01", "2025-05-31", 2, 5400000, {9}, {"human_rights"}, {}},
      {"unfpa", "Population dynamics and migration analysis", "Analysis of migration's effect on population ageing and labour supply for national planning.", "research", {"migration-data", "migration-development"}, {"MD", "GE"}, {}, "2022-09-01", "2023-08-31", 4, 250000, {6}, {}, {}},
      {"ohchr", "Human rights at international borders: guidance and training", "Training on the Recommended Principles and Guidelines on Human Rights at International Borders.", "training", {"human-rights", "migration-management"}, {}, {"150"}, "2022-01-01", "2024-12-31", 4, 450000, {9}, {"human_rights"}, {{"iom", "IOM", "implementing"}}},
      {"ohchr", "Support to the Committee on Migrant Workers", "Secretariat and follow-up of state reviews under the Migrant Workers Convention.", "normative", {"human-rights", "labour-migration", "migration-law"}, {"CH"}, {}, "2020-01-01", "2026-12-31", 2, 0, {9, 12}, {"human_rights", "labour_rights"}, {}},
      {"ohchr", "Trafficking and human rights: technical cooperation", "Technical cooperation applying the Recommended Principles and Guidelines on Human Rights and Human Trafficking.", "technical_assistance", {"trafficking", "human-rights"}, {"NG", "TH"}, {}, "2021-05-01", "2024-04-30", 4, 900000, {9}, {"human_rights", "criminal_justice"}, {{"unodc", "UNODC", "implementing"}}},
      {"unhcr", "Asylum capacity development in Central America", "Strengthening refugee status determination and reception in the region.", "technical_assistance", {"refugee-protection"}, {"MX", "GT", "CR"}, {}, "2020-01-01", "2025-12-31", 2, 9800000, {11}, {"human_rights"}, {}},
      {"unhcr", "Mixed movements in the Mediterranean: protection-sensitive responses", "Identifying people in need of international protection within mixed flows; referral and data.", "operational_programme", {"refugee-protection", "irregular-migration"}, {"IT", "GR", "LY", "TN"}, {}, "2019-01-01", "2024-12-31", 3, 15000000, {5, 9}, {"human_rights", "human_security"}, {{"iom", "IOM", "implementing"}}},
      {"unhcr", "Ending statelessness: nationality law reviews", "Advice to states on nationality laws and procedures to prevent and reduce statelessness.", "normative", {"statelessness", "migration-law"}, {"KE", "TH", "KG"}, {}, "2021-01-01", "2024-12-31", 4, 1200000, {9}, {"human_rights"}, {}},
      {"unhcr", "Voluntary repatriation and reintegration", "Support for voluntary return of refugees and reintegration in areas of return.", "operational_programme", {"return-reintegration", "refugee-protection"}, {"SS", "BI"}, {}, "2022-01-01", "2026-12-31", 2, 21000000, {}, {"human_security"}, {}},
      {"unodc", "Criminal justice response to trafficking in persons", "Training prosecutors and judges; victim and witness protection under the Trafficking Protocol.", "training", {"trafficking"}, {"NG", "GH", "BJ"}, {}, "2021-04-01", "2025-03-31", 2, 3600000, {9}, {"criminal_justice", "human_rights"}, {}},
      {"unodc", "Countering the smuggling of migrants by sea", "Maritime law enforcement and legal assistance under the Smuggling of Migrants Protocol.", "technical_assistance", {"smuggling", "irregular-migration"}, {"TN", "LY", "EG"}, {}, "2022-07-01", "2025-06-30", 2, 4100000, {9}, {"criminal_justice"}, {{"iom", "IOM", "implementing"}}},
      {"unodc", "Global report on trafficking in persons", "Data on detected victims, convictions and flows of trafficking worldwide.", "research", {"trafficking", "migration-data"}, {}, {}, "2023-01-01", "2024-12-31", 4, 0, {6}, {"criminal_justice"}, {}},
      {"worldbank", "Lowering remittance costs", "Monitoring remittance prices and supporting payment system reforms to reduce costs towards SDG 10.c.", "technical_assistance", {"remittances"}, {}, {"001"}, "2020-01-01", "2026-12-31", 2, 7500000, {4}, {}, {}},
      {"worldbank", "Portability of pensions for migrant workers", "Analysis and bilateral agreements on portability of social security benefits.", "policy_dialogue", {"labour-migration", "migration-development"}, {"PH", "MX", "TR"}, {}, "2021-01-01", "2023-12-31", 4, 1100000, {3}, {"labour_rights"}, {{"ilo", "ILO", "implementing"}}},
      {"worldbank", "Migration and development brief", "Regular data and analysis on migration and remittance flows.", "research", {"remittances", "migration-data"}, {}, {}, "2024-01-01", "2026-12-31", 2, 0, {6}, {}, {{"undesa", "UN DESA", "funding"}}},
  };
  return kSet;
}

std::string DemoTitle(const DemoActivity& d) { return std::string("[Demo] ") + d.title; }
std::string DemoDescription(const DemoActivity& d) {
  return std::string(d.description) + " (Demonstration data, not a real project.)";
}

}  // namespace

std::vector<DemoTexts> DemoActivityTexts() {
  std::vector<DemoTexts> out;
  for (const DemoActivity& d : DemoSet()) {
    DemoTexts t{DemoTitle(d), DemoDescription(d), {}};
    for (const Partner& p : d.partners) t.partners.push_back(p.name);
    out.push_back(std::move(t));
  }
  return out;
}

Result<int> LoadDemoActivities(Database& db, ActivityService& activities) {
  int added = 0;
  Principal loader = Principal::Cli();
  loader.email = "demo";
  GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto existing, tx.QueryOne("SELECT count(*) FROM activities WHERE source = 'demo'"));
    if (existing->Int(0) > 0) return Ok();
    int64_t now = UnixNow();
    std::vector<int64_t> ids;
    for (const DemoActivity& d : DemoSet()) {
      ActivityInput in;
      in.organization_id = d.org;
      in.titles = {{"en", DemoTitle(d)}};
      in.descriptions = {{"en", DemoDescription(d)}};
      in.type = d.type;
      in.themes = d.themes;
      in.countries = d.countries;
      in.regions = d.regions;
      in.is_global = d.countries.empty() && d.regions.empty();
      in.starts_on = Date::Parse(d.starts);
      in.ends_on = Date::Parse(d.ends);
      in.status = d.status;
      if (d.budget > 0) {
        in.budget_amount = d.budget;
        in.budget_currency = "USD";
      }
      in.purposes = d.purposes;
      in.dimensions = d.dimensions;
      in.partners = d.partners;
      in.source = "demo";
      GMG_RETURN_IF_ERROR(activities.ValidateInTx(tx, in));
      GMG_ASSIGN_OR_RETURN(int64_t id, activities.InsertInTx(tx, in, now));
      ids.push_back(id);
      ++added;
    }
    GMG_RETURN_IF_ERROR(activities.ReindexInTx(tx, ids));
    return RecordAudit(tx, loader, "demo_load", "activity", "demo", nullptr, boost::json::object{{"activities", added}});
  }));
  return added;
}

}  // namespace gmg
