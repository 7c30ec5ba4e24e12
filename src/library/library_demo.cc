#include "library/library_demo.h"

#include "governance/organization_directory.h"

namespace gmg {

const std::vector<LibraryDemoText>& LibraryDemoTexts() {
  static const std::vector<LibraryDemoText> kTexts = {
      {"Remittances and financial inclusion in migrant households",
       "How remittance flows reach migrant families, the cost of sending money home and the "
       "role of mobile banking in rural communities.",
       "en"},
      {"Labour migration governance in the Gulf corridor",
       "Recruitment fees, contracts and the protection of migrant workers travelling from South "
       "Asia to the Gulf States; lessons for bilateral labour agreements.",
       "en"},
      {"Protection des réfugiés et des migrants en Afrique de l'Ouest",
       "Analyse des mécanismes de protection des réfugiés et des migrants dans la région, avec "
       "des recommandations pour les autorités nationales et les partenaires.",
       "fr"},
      {"Migración y desarrollo en América Central",
       "Estudio sobre los vínculos entre la migración, las remesas y el desarrollo local en los "
       "países de América Central, con datos de encuestas de hogares.",
       "es"},
      {"Counter-trafficking responses along the central Mediterranean route",
       "Identification of victims of trafficking, referral mechanisms and cooperation between "
       "border authorities and civil society organisations.",
       "en"},
      {"Climate change, displacement and planned relocation",
       "Evidence on displacement caused by floods, droughts and sea-level rise, and the policies "
       "that support planned relocation of affected communities.",
       "en"},
      {"Données sur la migration de main-d'œuvre : guide pratique",
       "Un guide pour collecter, analyser et publier les statistiques de migration de "
       "main-d'œuvre à partir des enquêtes et des registres administratifs.",
       "fr"},
      {"Derechos humanos de los migrantes en tránsito",
       "Recomendaciones para garantizar los derechos humanos de las personas migrantes en "
       "tránsito, incluido el acceso a la salud y a la justicia.",
       "es"},
      {"Skills partnerships and the recognition of qualifications",
       "Global skill partnerships between countries of origin and destination, recognition of "
       "diplomas and training of migrant workers before departure.",
       "en"},
      {"Migration data for the Sustainable Development Goals",
       "Disaggregating the SDG indicators by migratory status: sources, gaps and the work of "
       "national statistical offices.",
       "en"},
      {"Trade, investment and migration: policy coherence",
       "How trade agreements and foreign investment shape migration flows, and how policy "
       "coherence between trade and migration can support development.",
       "en"},
      {"Integración de migrantes en las ciudades",
       "Buenas prácticas de gobiernos locales para la integración de migrantes y refugiados: "
       "vivienda, empleo, educación y participación.",
       "es"},
  };
  return kTexts;
}

namespace {

constexpr const char* kCountries[] = {"MEX", "GTM", "SEN", "NGA", "PHL", "BGD",
                                      "NPL", "ITA", "LBY", "QAT", "FJI", "ECU"};

}  // namespace

Result<int> LoadDemoLibrary(Database& db, LibraryService& library,
                            const std::vector<std::string>& themes) {
  const Principal cli = Principal::Cli();
  std::vector<std::string> orgs;
  bool exists = false;
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT 1 FROM library_items WHERE title LIKE 'Demo:%'"));
    exists = row.has_value();
    GMG_ASSIGN_OR_RETURN(auto refs, ListOrganizationRefs(tx));
    for (const auto& r : refs) orgs.push_back(r.id);
    return Ok();
  }));
  if (exists || orgs.empty()) return 0;
  const auto& texts = LibraryDemoTexts();
  int added = 0;
  int64_t in_review = 0;
  for (size_t k = 0; k < std::size(kLibraryItemKinds); ++k) {
    for (size_t n = 0; n < texts.size(); ++n) {
      const LibraryDemoText& t = texts[(n + k * 5) % texts.size()];
      LibraryItemInput in;
      in.kind = kLibraryItemKinds[k];
      in.title = std::string("Demo: ") + t.title;
      in.abstract = t.abstract;
      in.language = t.language;
      in.year = 2015 + static_cast<int64_t>((n * 7 + k) % 11);
      in.organization_id = orgs[(n + k) % orgs.size()];
      if (orgs.size() > 1) in.organizations.push_back(orgs[(n + k + 3) % orgs.size()]);
      in.authors = {"Demo author " + std::to_string(n + 1),
                    "Demo co-author " + std::to_string(k + 1)};
      in.countries = {kCountries[n % std::size(kCountries)],
                      kCountries[(n + k + 1) % std::size(kCountries)]};
      if (!themes.empty()) {
        in.themes = {themes[(n + k) % themes.size()], themes[(n * 3 + 1) % themes.size()]};
      }
      in.url = "https://example.org/demo/library/" + std::to_string(k * 100 + n);
      GMG_ASSIGN_OR_RETURN(LibraryItem item, library.Create(cli, in));
      ++added;
      if (in.kind != std::string("best_practice")) continue;
      if (in_review == 0) {
        in_review = item.id;  // the first best practice stays in review
        continue;
      }
      auto reviewed = library.Review(cli, item.id, true, "");
      if (!reviewed.ok()) return reviewed.error();
    }
  }
  return added;
}

}  // namespace gmg
