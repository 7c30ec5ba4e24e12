#include "research/research_demo.h"

#include <map>

namespace gmg {
namespace {

struct DemoInstitution {
  const char* key;
  const char* name;
  const char* country;
  const char* type;
};

// Invented names, placed so that the share indicator has something to show: Nepal (LDC,
// LLDC), Mali (LDC, LLDC), Fiji and Jamaica (SIDS), Bolivia (LLDC), Kenya, the Philippines,
// Lebanon (developing), Germany and Canada (developed).
constexpr DemoInstitution kInstitutions[] = {
    {"npl", "Demo: Himalayan Institute for Labour Mobility", "NPL", "research_institute"},
    {"mli", "Demo: Sahel Migration Observatory", "MLI", "think_tank"},
    {"fji", "Demo: Pacific Centre for Climate Mobility", "FJI", "university"},
    {"jam", "Demo: Caribbean Diaspora Studies Unit", "JAM", "university"},
    {"bol", "Demo: Andean Institute for Human Mobility", "BOL", "research_institute"},
    {"ken", "Demo: East African Centre for Refugee Studies", "KEN", "university"},
    {"phl", "Demo: Centre for Remittances and Development", "PHL", "think_tank"},
    {"lbn", "Demo: Regional Migration Statistics Office", "LBN", "intergovernmental"},
    {"deu", "Demo: Institute for Comparative Migration Law", "DEU", "research_institute"},
    {"can", "Demo: Migration Policy Analysis Unit", "CAN", "government"},
};

struct DemoResearcher {
  const char* name;
  const char* institution;
  const char* email;
  std::vector<std::string> themes;
  std::vector<std::string> languages;
  bool public_profile;
};

std::vector<DemoResearcher> Researchers() {
  return {
      {"Demo: Dr. Asha Gurung",
       "npl",
       "a.gurung@example.org",
       {"labour migration", "recruitment fees"},
       {"en", "ne"},
       true},
      {"Demo: Dr. Moussa Traoré",
       "mli",
       "m.traore@example.org",
       {"mixed migration", "return and reintegration"},
       {"fr", "bm"},
       true},
      {"Demo: Dr. Litia Naivalu",
       "fji",
       "l.naivalu@example.org",
       {"climate mobility", "planned relocation"},
       {"en", "fj"},
       true},
      {"Demo: Prof. Marcia Campbell", "jam", "", {"diaspora", "remittances"}, {"en"}, false},
      {"Demo: Dr. Rosa Mamani",
       "bol",
       "r.mamani@example.org",
       {"internal migration", "indigenous mobility"},
       {"es", "qu"},
       true},
      {"Demo: Dr. Wanjiru Kamau",
       "ken",
       "w.kamau@example.org",
       {"refugee protection", "durable solutions"},
       {"en", "sw"},
       false},
      {"Demo: Dr. Jose Santos",
       "phl",
       "j.santos@example.org",
       {"remittances", "migration and development"},
       {"en", "tl"},
       true},
      {"Demo: Prof. Katrin Weber",
       "deu",
       "k.weber@example.org",
       {"migration law", "human rights of migrants"},
       {"de", "en", "fr"},
       true},
  };
}

}  // namespace

Result<int> LoadDemoResearch(ResearchService& research, ExchangeService& exchanges) {
  GMG_ASSIGN_OR_RETURN(auto existing, research.ListInstitutions({}));
  for (const Institution& i : existing) {
    if (i.name.starts_with("Demo:")) return 0;
  }
  const Principal cli = Principal::Cli();
  int added = 0;
  std::map<std::string, int64_t> ids;
  for (const DemoInstitution& d : kInstitutions) {
    GMG_ASSIGN_OR_RETURN(
        auto i, research.CreateInstitution(
                    cli, {.name = d.name, .country = d.country, .type = d.type, .website = ""}));
    ids[d.key] = i.id;
    ++added;
  }
  for (const DemoResearcher& d : Researchers()) {
    GMG_RETURN_IF_ERROR(research.CreateResearcher(cli, {.name = d.name,
                                                        .institution_id = ids[d.institution],
                                                        .email = d.email,
                                                        .themes = d.themes,
                                                        .languages = d.languages,
                                                        .public_profile = d.public_profile}));
    ++added;
  }
  GMG_RETURN_IF_ERROR(research.CreateProject(
      cli, {.title = "Demo: The cost of labour migration in South Asia and the Gulf",
            .summary = "Demo: A joint survey of recruitment costs paid by migrant workers, with "
                       "partner institutions in Nepal and the Philippines.",
            .started_on = "2026-01-15",
            .ended_on = "2027-06-30",
            .status = "active",
            .organizations = {"ilo", "iom", "worldbank"},
            .institutions = {ids["npl"], ids["phl"]}}));
  GMG_RETURN_IF_ERROR(research.CreateProject(
      cli, {.title = "Demo: Climate-related mobility in small island states",
            .summary = "Demo: Case studies of planned relocation and labour mobility schemes in "
                       "the Pacific and the Caribbean.",
            .started_on = "2026-09-01",
            .ended_on = std::nullopt,
            .status = "planned",
            .organizations = {"undp", "unhcr"},
            .institutions = {ids["fji"], ids["jam"], ids["deu"]}}));
  added += 2;
  struct DemoExchange {
    ExchangeFields fields;
    std::vector<std::string> statuses;
  };
  std::vector<DemoExchange> demo = {
      {{.kind = "secondment",
        .from_organization = "ilo",
        .to_organization = "iom",
        .person_name = "Demo: Labour migration specialist",
        .user_id = std::nullopt,
        .started_on = "2026-03-01",
        .ended_on = "2027-02-28",
        .purpose = "Demo: Support the joint work on fair recruitment."},
       {"agreed", "in_progress"}},
      {{.kind = "loan",
        .from_organization = "unhcr",
        .to_organization = "unodc",
        .person_name = "Demo: Protection officer",
        .user_id = std::nullopt,
        .started_on = "2027-01-10",
        .ended_on = "2027-04-10",
        .purpose = "Demo: Advise on protection-sensitive counter-trafficking responses."},
       {"agreed"}},
      {{.kind = "transfer",
        .from_organization = "undp",
        .to_organization = "unfpa",
        .person_name = "Demo: Population data analyst",
        .user_id = std::nullopt,
        .started_on = "2027-03-01",
        .ended_on = "2029-02-28",
        .purpose = "Demo: Strengthen migration data in population censuses."},
       {}},
  };
  for (const DemoExchange& d : demo) {
    GMG_ASSIGN_OR_RETURN(auto e, exchanges.Create(cli, d.fields));
    for (const std::string& status : d.statuses) {
      ExchangeChange change;
      change.status = status;
      GMG_RETURN_IF_ERROR(exchanges.Update(cli, e.id, std::nullopt, change));
    }
    ++added;
  }
  return added;
}

}  // namespace gmg
