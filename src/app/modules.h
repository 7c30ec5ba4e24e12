// Every module's migrations, in dependency order: audit, auth, governance, activities.
// Thread-safety: constant lists.
#pragma once

#include <vector>

#include "core/result.h"
#include "store/database.h"
#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& AllMigrations();
// The number of migrations this binary knows (SchemaVersion of an up-to-date database).
int LatestSchemaVersion();
// Brings the database to the latest version of every module (store/migrations.h: Migrate).
Status Migrate(Database& db);

}  // namespace gmg
