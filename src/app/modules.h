// The list of modules, in dependency order (audit, auth, governance, activities, statistics,
// coherence, notifications, meetings, positions, initiatives, engagement, training, research),
// and what is derived from it: every migration, in the order the runner applies them.
// Thread-safety: Modules is built and started on one thread (module/module.h); AllMigrations
// is a constant list.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "activities/activity_module.h"
#include "audit/audit_module.h"
#include "auth/auth_module.h"
#include "coherence/coherence_module.h"
#include "core/result.h"
#include "engagement/engagement_module.h"
#include "governance/governance_module.h"
#include "initiatives/initiative_module.h"
#include "initiatives/link_describer.h"
#include "library/library_module.h"
#include "meetings/meetings_module.h"
#include "module/module.h"
#include "notifications/notifications_module.h"
#include "positions/positions_module.h"
#include "research/research_module.h"
#include "statistics/statistics_module.h"
#include "store/database.h"
#include "store/migrations.h"
#include "training/training_module.h"

namespace gmg {

// The initiatives module's view of the meetings and positions it links to
// (initiatives/link_describer.h), read through those modules' services: one query per kind.
// Meetings are public; positions as PositionService::GetMany shows them to the viewer.
// Thread-safety: as the services (any thread), once the modules have started.
class InitiativeLinkReader final : public LinkDescriber {
 public:
  InitiativeLinkReader(MeetingsModule& meetings, PositionsModule& positions)
      : meetings_(meetings), positions_(positions) {}
  Result<std::map<int64_t, LinkedItem>> Meetings(const Principal& viewer,
                                                 const std::vector<int64_t>& ids) override;
  Result<std::map<int64_t, LinkedItem>> Positions(const Principal& viewer,
                                                  const std::vector<int64_t>& ids) override;

 private:
  MeetingsModule& meetings_;
  PositionsModule& positions_;
};

class Modules {
 public:
  explicit Modules(AuthHttpOptions auth_http = {}, DownloadSettings downloads = {},
                   StatsApiOptions stats_api = {}, NotificationModuleOptions notifications = {},
                   AuthLimits auth_limits = {});
  Modules(const Modules&) = delete;
  Modules& operator=(const Modules&) = delete;

  // Every module, each after the modules it depends on.
  const std::vector<Module*>& InOrder() const { return in_order_; }
  // Their migrations, module after module in that order.
  std::vector<Migration> Migrations() const;

  AuditModule& audit() { return audit_; }
  AuthModule& auth() { return auth_; }
  GovernanceModule& governance() { return governance_; }
  ActivityModule& activities() { return activities_; }
  StatisticsModule& statistics() { return statistics_; }
  CoherenceModule& coherence() { return coherence_; }
  NotificationModule& notifications() { return notifications_; }
  MeetingsModule& meetings() { return meetings_; }
  PositionsModule& positions() { return positions_; }
  InitiativeModule& initiatives() { return initiatives_; }
  LibraryModule& library() { return library_; }
  EngagementModule& engagement() { return engagement_; }
  TrainingModule& training() { return training_; }
  ResearchModule& research() { return research_; }

 private:
  AuditModule audit_;
  AuthModule auth_;
  GovernanceModule governance_;
  ActivityModule activities_;
  StatisticsModule statistics_;
  CoherenceModule coherence_;
  NotificationModule notifications_;
  MeetingsModule meetings_;
  PositionsModule positions_;
  InitiativeLinkReader initiative_links_{meetings_, positions_};
  InitiativeModule initiatives_;
  LibraryModule library_;
  EngagementModule engagement_;
  TrainingModule training_;
  ResearchModule research_;
  std::vector<Module*> in_order_;
};

// kInternal when a module comes before one of its dependencies, depends on an unknown module,
// or declares a migration of another module.
Status CheckModules(const std::vector<Module*>& in_order);

// Modules().Migrations(), built once.
const std::vector<Migration>& AllMigrations();
// The number of migrations this binary knows (SchemaVersion of an up-to-date database).
int LatestSchemaVersion();
// Brings the database to the latest version of every module (store/migrations.h: Migrate).
Status Migrate(Database& db);
// The tables `gmg migrate-data` does not copy: data derived from the others, which the copy
// rebuilds (the activities' and the library's search indexes) or the destination's own
// migration made (change counters).
std::set<std::string> DerivedTables();

}  // namespace gmg
