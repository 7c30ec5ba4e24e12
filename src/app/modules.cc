#include "app/modules.h"

#include "activities/activity_migrations.h"
#include "audit/audit_migrations.h"
#include "auth/auth_migrations.h"
#include "governance/governance_migrations.h"

namespace gmg {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = [] {
    std::vector<Migration> all;
    for (const auto* list : {&AuditMigrations(), &AuthMigrations(), &GovernanceMigrations(),
                             &ActivityMigrations()}) {
      all.insert(all.end(), list->begin(), list->end());
    }
    return all;
  }();
  return kAll;
}

int LatestSchemaVersion() { return static_cast<int>(AllMigrations().size()); }

Status Migrate(Database& db) { return Migrate(db, AllMigrations()); }

}  // namespace gmg
