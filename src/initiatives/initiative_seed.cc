#include "initiatives/initiative_seed.h"

#include <string>
#include <string_view>

#include "core/date.h"

namespace gmg {
namespace {

struct SeedInitiative {
  const char* slug;
  const char* title;
  const char* description;
  const char* started_on;
  const char* ended_on;  // nullptr = none
  const char* status;
};

constexpr SeedInitiative kSeed[] = {
    {"hld-2006", "High-level Dialogue on International Migration and Development (2006)",
     "The General Assembly's High-level Dialogue on International Migration and Development, "
     "held in September 2006. Every GMG member took an active part in preparing it, and "
     "contributing to those preparations, then ensuring effective follow-up to the Dialogue, "
     "were among the first issues the Group focused on. Purpose 10 of the GMG's Terms of "
     "Reference names it among the major initiatives the Group contributes to.",
     "2006-09-14", "2006-09-15", "concluded"},
    {"gcim-follow-up",
     "Follow-up to the report of the Global Commission on International "
     "Migration (2005)",
     "The Global Commission on International Migration reported in 2005 and recommended a "
     "high-level inter-institutional group of the agencies working on migration. The "
     "Secretary-General answered by establishing the GMG in early 2006, building on the Geneva "
     "Migration Group of 2003. Following up the Commission's report is, with the High-level "
     "Dialogue, one of the major initiatives purpose 10 of the Terms of Reference names.",
     "2005-10-05", nullptr, "open"},
};

struct DemoContribution {
  const char* initiative;
  const char* org;
  const char* kind;
  const char* title;
  const char* description;
  const char* url;
  const char* date;
};

constexpr DemoContribution kDemo[] = {
    {"hld-2006", "undesa", "paper", "Demo: Background statistics on international migrant stock",
     "Demo record: a compilation of migrant stock estimates prepared for the delegations.", "",
     "2006-06-30"},
    {"hld-2006", "ilo", "paper", "Demo: Note on labour migration and decent work",
     "Demo record: a short note on rights-based labour migration policy.", "", "2006-07-15"},
    {"hld-2006", "iom", "event", "Demo: Side event on migration and development partnerships",
     "Demo record: a side event with member states and civil society during the Dialogue.", "",
     "2006-09-14"},
    {"hld-2006", "unhcr", "event", "Demo: Round table on mixed migratory movements",
     "Demo record: refugee protection within mixed flows.", "", "2006-09-15"},
    {"gcim-follow-up", "worldbank", "commitment",
     "Demo: Commitment to publish remittance cost data",
     "Demo record: regular data on the cost of sending remittances.", "", "2007-01-15"},
    {"gcim-follow-up", "unodc", "commitment",
     "Demo: Commitment to support ratification of the trafficking and smuggling protocols",
     "Demo record: legal assistance to states ratifying the two protocols.", "", "2007-03-01"},
    {"gcim-follow-up", "unctad", "paper", "Demo: Paper on temporary movement of service suppliers",
     "Demo record: GATS Mode 4 and development gains.", "", "2007-05-10"},
};

// The demo's own initiative, linked to the demo's meetings and positions.
constexpr char kDemoSlug[] = "demo-migration-data";

struct DemoFollowUp {
  int due_in_days;  // from today; negative = already overdue
  const char* owner;
  const char* status;
  const char* title;
};

constexpr DemoFollowUp kDemoFollowUps[] = {
    {21, "undesa", "open", "Demo: circulate the joint data note to the principals"},
    {-4, "iom", "in_progress", "Demo: collect members' comments on the common position"},
    {60, "ilo", "open", "Demo: propose indicators on labour migration for the next report"},
};

std::string DayOf(int64_t unix_seconds) {
  int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  return Date::FromDays(static_cast<int32_t>(days)).ToString();
}

// The demo initiative, its links and follow-up actions, once (nothing when its slug exists).
Result<int> LoadDemoInitiative(InitiativeService& initiatives, const InitiativeDemoSources& demo,
                               const Principal& loader, int64_t now) {
  if (initiatives.Get(kDemoSlug).ok()) return 0;
  NewInitiative n{.slug = kDemoSlug,
                  .title = "Demo: Joint work on migration data",
                  .description =
                      "Demo record: the members pool their migration data work — a joint note, "
                      "a common position and a set of indicators — followed up at the Group's "
                      "meetings.",
                  .started_on = DayOf(now - int64_t{180} * 86400),
                  .ended_on = std::nullopt,
                  .status = "open"};
  GMG_ASSIGN_OR_RETURN(Initiative created, initiatives.Create(loader, n));
  InitiativeLinks links;
  if (demo.demo_items) {
    GMG_ASSIGN_OR_RETURN(links.meetings, demo.demo_items("meeting"));
    GMG_ASSIGN_OR_RETURN(links.positions, demo.demo_items("position"));
  }
  GMG_RETURN_IF_ERROR(initiatives.SetLinks(loader, kDemoSlug, links));
  NewContribution paper{.organization_id = "undesa",
                        .kind = "paper",
                        .title = "Demo: Joint note on migration data sources",
                        .description = "Demo record: what each member collects, and how often.",
                        .url = "",
                        .date = DayOf(now - int64_t{90} * 86400)};
  GMG_RETURN_IF_ERROR(initiatives.AddContribution(loader, kDemoSlug, paper));
  int added = 1;
  if (!demo.add_follow_up) return added;
  for (const DemoFollowUp& f : kDemoFollowUps) {
    GMG_RETURN_IF_ERROR(demo.add_follow_up(created.id, f.title, f.owner,
                                           DayOf(now + int64_t{f.due_in_days} * 86400), f.status));
  }
  return added;
}

}  // namespace

Result<int> SeedInitiatives(Database& db, int64_t now) {
  int added = 0;
  GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    for (const SeedInitiative& s : kSeed) {
      SqlValue ended = nullptr;
      if (s.ended_on) ended = std::string(s.ended_on);
      GMG_ASSIGN_OR_RETURN(
          int64_t changed,
          tx.Exec("INSERT INTO initiatives (slug, title, description, started_on, ended_on, "
                  "status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
                  "ON CONFLICT (slug) DO NOTHING",
                  {std::string(s.slug), std::string(s.title), std::string(s.description),
                   std::string(s.started_on), ended, std::string(s.status), now, now}));
      added += static_cast<int>(changed);
    }
    return Ok();
  }));
  return added;
}

Result<int> LoadDemoInitiatives(InitiativeService& initiatives, const InitiativeDemoSources& demo,
                                int64_t now) {
  Principal loader = Principal::Cli();
  loader.email = "demo";
  GMG_ASSIGN_OR_RETURN(int added, LoadDemoInitiative(initiatives, demo, loader, now));
  for (const SeedInitiative& s : kSeed) {
    GMG_ASSIGN_OR_RETURN(auto existing, initiatives.ListContributions(s.slug));
    for (const Contribution& c : existing) {
      if (std::string_view(c.title).starts_with("Demo:")) return added;
    }
  }
  for (const DemoContribution& d : kDemo) {
    NewContribution c{.organization_id = d.org,
                      .kind = d.kind,
                      .title = d.title,
                      .description = d.description,
                      .url = d.url,
                      .date = d.date};
    GMG_RETURN_IF_ERROR(initiatives.AddContribution(loader, d.initiative, c));
    ++added;
  }
  return added;
}

}  // namespace gmg
