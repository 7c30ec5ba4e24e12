#include "app/modules.h"

#include <set>
#include <string>

#include "governance/organization_directory.h"

namespace gmg {
namespace {

// True when `r` found its record, false when it was not found, else its error.
template <typename T>
Result<bool> Found(const Result<T>& r) {
  if (r.ok()) return true;
  if (r.error().code == ErrorCode::kNotFound) return false;
  return r.error();
}

}  // namespace

Modules::Modules(AuthHttpOptions auth_http, DownloadSettings downloads, StatsApiOptions stats_api,
                 NotificationModuleOptions notifications)
    : auth_(std::move(auth_http), OrganizationExists, IsMemberOn),
      activities_(std::move(downloads)),
      statistics_([this]() -> AuthService& { return auth_.service(); }, stats_api),
      coherence_([this]() -> ActivityService& { return activities_.service(); },
                 [this]() -> AuthService& { return auth_.service(); },
                 [this]() -> StatsService& { return statistics_.service(); }),
      notifications_([this]() -> AuthService& { return auth_.service(); },
                     std::move(notifications)),
      meetings_(
          [this](Tx& tx, const NewNotification& n) { return notifications_.notifier()(tx, n); },
          [this]() -> GovernanceService& { return governance_.service(); }, UnixNow,
          [this](int64_t id) { return Found(initiatives_.service().Get(std::to_string(id))); }),
      positions_(
          [this](Tx& tx, const NewNotification& n) { return notifications_.notifier()(tx, n); },
          [this]() -> GovernanceService& { return governance_.service(); },
          [this]() -> AuthService& { return auth_.service(); }),
      initiatives_([this]() -> GovernanceService& { return governance_.service(); },
                   [this](std::string_view kind, int64_t id) -> Result<bool> {
                     if (kind == "meeting") return Found(meetings_.service().GetMeeting(id));
                     return Found(positions_.service().Get(Principal::Cli(), id));
                   }),
      in_order_{&audit_,     &auth_,          &governance_, &activities_, &statistics_,
                &coherence_, &notifications_, &meetings_,   &positions_,  &initiatives_} {}

std::vector<Migration> Modules::Migrations() const {
  std::vector<Migration> all;
  for (const Module* m : in_order_) {
    all.insert(all.end(), m->Migrations().begin(), m->Migrations().end());
  }
  return all;
}

Status CheckModules(const std::vector<Module*>& in_order) {
  std::set<std::string_view> before;
  for (const Module* m : in_order) {
    for (std::string_view dependency : m->Dependencies()) {
      if (!before.contains(dependency)) {
        return MakeError(ErrorCode::kInternal, "module '" + std::string(m->Name()) +
                                                   "' depends on '" + std::string(dependency) +
                                                   "', which does not come before it");
      }
    }
    for (const Migration& migration : m->Migrations()) {
      if (migration.module != m->Name()) {
        return MakeError(ErrorCode::kInternal, "module '" + std::string(m->Name()) +
                                                   "' declares a migration of '" +
                                                   std::string(migration.module) + "'");
      }
    }
    before.insert(m->Name());
  }
  return Ok();
}

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = Modules().Migrations();
  return kAll;
}

int LatestSchemaVersion() { return static_cast<int>(AllMigrations().size()); }

Status Migrate(Database& db) { return Migrate(db, AllMigrations()); }

}  // namespace gmg
