// Schema migrations: numbered SQL scripts, each applied in one transaction that also records
// the new version in `schema_version`. Applying is idempotent; a database whose version is
// newer than this binary knows is refused (an older binary must not write to it).
// Thread-safety: call once at start-up, before serving.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace gmg {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration>& AllMigrations();
int LatestSchemaVersion();

// The version the database is at (0 for an empty one).
Result<int> SchemaVersion(Database& db);
// Brings the database to the latest version; kFailedPrecondition when it is newer.
Status Migrate(Database& db);

}  // namespace gmg
