#include "governance/seed.h"

#include <string>

#include "core/date.h"

namespace gmg {
namespace {

struct SeedOrg {
  const char* id;
  const char* name;
  const char* acronym;
  const char* head;
  const char* iati;  // nullptr: none
  const char* website;
  const char* mandate;
};

// Mandate summaries paraphrase the information note's "migration-related activities".
constexpr SeedOrg kMembers[] = {
    {"ilo", "International Labour Organization", "ILO", "Director-General", "XM-DAC-41302",
     "https://www.ilo.org",
     "The UN agency for the world of work, active on labour migration since 1919. It sets "
     "international labour standards that protect migrant workers, takes a rights-based approach "
     "within its decent-work agenda, brings governments, employers and workers together on "
     "migration policy, and gives advice, technical help and training to its constituents, "
     "guided by its multilateral framework on labour migration."},
    {"iom", "International Organization for Migration", "IOM", "Director General", "XM-DAC-47066",
     "https://www.iom.int",
     "Works for humane and orderly migration that benefits migrants and societies. With its "
     "worldwide presence it offers governments and migrants services and advice, from projects "
     "and practical help to policy and strategy, from data, research and analysis to a forum "
     "where states, international organisations and civil society compare experience."},
    {"unctad", "United Nations Conference on Trade and Development", "UNCTAD", "Secretary-General",
     "XM-DAC-41112", "https://unctad.org",
     "The UN focal point for trade and development, working to make migration serve development. "
     "Through research, technical assistance and intergovernmental consensus-building it covers "
     "temporary migration, brain drain and circulation, remittances, trade in labour-intensive "
     "services and GATS Mode 4, skills and qualifications, and regional trade agreements."},
    {"undp", "United Nations Development Programme", "UNDP", "Administrator", "XM-DAC-41114",
     "https://www.undp.org",
     "Seeks the greatest development gains from migration for poor countries and limits its "
     "harms. Country offices help governments shape pro-poor, rights-based migration strategies "
     "within national development plans, with attention to remittances, keeping key skills, "
     "diaspora participation, local governance and education."},
    {"undesa", "United Nations Department of Economic and Social Affairs", "UNDESA",
     "Under-Secretary-General", nullptr, "https://www.un.org/development/desa",
     "The main source of analysis on international migration and development for the General "
     "Assembly, ECOSOC and its commissions. It studies causes and consequences of migration, "
     "compiles and disseminates international migration statistics and improves their "
     "comparability, and with the Regional Commissions monitors migration policies."},
    {"unfpa", "United Nations Population Fund", "UNFPA", "Executive Director", "XM-DAC-41119",
     "https://www.unfpa.org",
     "Treats migration as a force in population dynamics, with a rights-based, gender- and "
     "culture-sensitive approach: female migration, trafficking and smuggling, migration and "
     "HIV/AIDS, social and reproductive health services where migrants arrive, and better data, "
     "research and institutional capacity for migration policy."},
    {"ohchr", "Office of the United Nations High Commissioner for Human Rights", "OHCHR",
     "High Commissioner", "XM-DAC-41313", "https://www.ohchr.org",
     "Brings a human rights approach to migration. It supports the Special Rapporteurs on the "
     "human rights of migrants and on trafficking, services the Committee on Migrant Workers "
     "that oversees the Migrant Workers Convention, and runs technical cooperation against "
     "trafficking guided by its Recommended Principles and Guidelines."},
    {"unhcr", "Office of the United Nations High Commissioner for Refugees", "UNHCR",
     "High Commissioner", "XM-DAC-41121", "https://www.unhcr.org",
     "Protects refugees and seeks durable solutions for them, which touches migration at many "
     "points: regional fora on migration and asylum, mixed movements, asylum capacity-building, "
     "data on forced migration, advocacy on statelessness and internal displacement, and "
     "voluntary repatriation and reintegration."},
    {"unodc", "United Nations Office on Drugs and Crime", "UNODC", "Executive Director",
     "XM-DAC-41128", "https://www.unodc.org",
     "Custodian of the Protocols against trafficking in persons and the smuggling of migrants. "
     "It helps governments ratify and implement them with criminal justice responses: legal "
     "assistance, training for police, prosecutors and judges, and support for victims and "
     "witnesses."},
    {"worldbank", "World Bank", "World Bank", "President", "XM-DAC-44000",
     "https://www.worldbank.org",
     "Studies the development impact of migration and remittances for developing countries, "
     "producing data and global and regional reports on costs and benefits for households and "
     "economies. Its operations lower remittance costs, make pensions portable and strengthen "
     "the protection of migrant workers."},
};

constexpr std::pair<const char*, const char*> kPurposes[] = {
    {"A coherent institutional response",
     "Build a comprehensive, coherent approach across the institutions responding to "
     "international migration."},
    {"Leadership and dialogue",
     "Give direction across the UN system and foster dialogue on migration, including its trade "
     "and development sides, with governments, employers, workers and civil society."},
    {"Consistent policy and programmes",
     "Make policy formulation and programme implementation more consistent."},
    {"Exchange to find synergies and avoid duplication",
     "Share information and expertise so agencies understand each other's work, cooperate, find "
     "synergies and avoid doing the same thing twice."},
    {"Issues, gaps and good practice",
     "Identify critical issues, opportunities, challenges, weaknesses, gaps and best practices."},
    {"Pooled research and data",
     "Pool research, data collection and analysis, and exchange the results."},
    {"Common positions",
     "Develop common positions, responses and actions on particular situations or themes."},
    {"Shared expertise and staff exchange",
     "Agree joint activities that build and share thematic expertise among staff, especially "
     "capacity building and inter-agency transfers."},
    {"Rights, security and justice",
     "Strengthen the human rights, labour rights, human security and criminal justice "
     "dimensions of migration governance, protecting migrants and victims of trafficking."},
    {"Major international initiatives",
     "Contribute to the members' and the international community's major initiatives, such as "
     "the 2006 High-level Dialogue and the follow-up to the Global Commission's report."},
    {"Support to states and regional processes",
     "Strengthen the work of states, regional bodies, and regional and global consultative "
     "processes on international migration."},
    {"Working with states", "Find the right ways for the GMG to interact with states."},
};

constexpr std::pair<const char*, const char*> kIssues[] = {
    {"Preparing the High-level Dialogue",
     "Contributing to preparations for the September 2006 General Assembly High-level Dialogue "
     "on International Migration and Development."},
    {"Following up the Dialogue",
     "Making sure the High-level Dialogue is followed up effectively."},
    {"Sharing information, research and statistics",
     "Sharing information, research findings and statistical data, above all on migration and "
     "development."},
    {"A joint research network",
     "Building a joint research network on migration and development, with emphasis on research "
     "capacity in developing countries."},
    {"Joint training and capacity building",
     "Starting joint training in migration management, migration law, migrants' human rights, "
     "refugee protection, counter-trafficking, and the links between migration, trade and "
     "development."},
};

struct SeedEvent {
  const char* date;
  const char* label;
  const char* title;
  const char* text;
};

constexpr SeedEvent kHistory[] = {
    {"2003-04-01", "April 2003", "Geneva Migration Group established",
     "An inter-agency group with a smaller membership, the Geneva Migration Group, is set up; "
     "the GMG later builds on it."},
    {"2006-01-01", "Early 2006", "GMG established by the Secretary-General",
     "Following the Global Commission on International Migration's call for a high-level "
     "inter-institutional group, the UN Secretary-General establishes the Global Migration "
     "Group."},
    {"2006-05-09", "9 May 2006", "First meeting of the GMG",
     "The GMG meets for the first time, chaired by the Secretary-General of UNCTAD."},
    {"2006-09-14", "September 2006", "General Assembly High-level Dialogue",
     "The General Assembly holds its High-level Dialogue on International Migration and "
     "Development, which all GMG members helped prepare."},
};

constexpr char kSummary[] =
    "The Global Migration Group brings together the heads of ten agencies active on "
    "international migration. It promotes the wider application of international and regional "
    "instruments and norms on migration, and more coherent, comprehensive and better coordinated "
    "approaches, so that its members and other stakeholders make the most of migration's "
    "opportunities and respond to its challenges.";

// The first term is UNCTAD's from the first meeting; the rest of the order and the term length
// are a default that administrators change with a new rotation plan.
constexpr const char* kFirstRotation[] = {"unctad", "undp",  "undesa",    "unfpa", "ohchr",
                                          "unhcr",  "unodc", "worldbank", "ilo",   "iom"};
constexpr char kFirstMeeting[] = "2006-05-09";

}  // namespace

Result<bool> SeedGmg(Database& db) {
  bool seeded = false;
  GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM organizations"));
    if (count->Int(0) > 0) return Ok();
    int64_t now = UnixNow();
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO gmg_profile (key, value) VALUES ('name', ?), ('summary', ?)",
                {std::string("Global Migration Group"), std::string(kSummary)}));
    int64_t n = 1;
    for (const auto& [title, text] : kPurposes) {
      GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO purposes (number, title, text) VALUES (?,?,?)",
                                  {n++, std::string(title), std::string(text)}));
    }
    n = 1;
    for (const auto& [title, text] : kIssues) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO current_issues (position, title, text) VALUES (?,?,?)",
                  {n++, std::string(title), std::string(text)}));
    }
    for (const SeedEvent& e : kHistory) {
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO history_events (date, date_label, title, text) VALUES (?,?,?,?)",
          {std::string(e.date), std::string(e.label), std::string(e.title), std::string(e.text)}));
    }
    for (const SeedOrg& o : kMembers) {
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO organizations (id, name, acronym, mandate, website, iati_org_id, "
          "executive_head_title, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
          {std::string(o.id), std::string(o.name), std::string(o.acronym), std::string(o.mandate),
           std::string(o.website), o.iati ? SqlValue(std::string(o.iati)) : SqlValue(nullptr),
           std::string(o.head), now, now}));
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO memberships (organization_id, joined_on, note) VALUES (?,?,?)",
                  {std::string(o.id), std::string(kFirstMeeting),
                   std::string("member of the GMG at its first meeting")}));
    }
    std::string order = "[";
    for (const char* id : kFirstRotation)
      order += std::string(order.size() > 1 ? "," : "") + "\"" + id + "\"";
    order += "]";
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO chair_rotations (starts_on, term_months, order_json, created_at) "
                "VALUES (?, 6, ?, ?)",
                {std::string(kFirstMeeting), order, now}));
    seeded = true;
    return Ok();
  }));
  return seeded;
}

}  // namespace gmg
