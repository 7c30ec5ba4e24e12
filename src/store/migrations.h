// Schema migrations, per module and per dialect.
//
// Each module (governance, auth, audit, activities, …) declares its own numbered migrations,
// 1, 2, 3 … with a SQLite text and a PostgreSQL text. The runner here knows no module: it is
// handed every module's list, in dependency order (a module's tables may reference only the
// tables of the modules before it), and applies what a database lacks. Each migration runs in
// one transaction together with its bookkeeping row in `schema_migrations(module, version,
// description, applied_at)`, so an interrupted migration leaves the previous version intact
// (PostgreSQL's DDL is transactional, and so is SQLite's).
//
// A database that holds a newer version of any module than this binary knows (or a module it
// does not know at all) is refused before anything is applied: an older binary must not write
// to it. A SQLite database from before per-module migrations (the single `schema_version`
// table, versions 1–4) is carried over: each migration that names the old global version that
// made its state (`legacy_version`) is recorded as applied without running it, and
// `schema_version` is frozen at kLegacyFrozenVersion so an older binary refuses the database.
// Thread-safety: call once at start-up, before serving. Several processes may start at once on
// one PostgreSQL database: each migration re-checks the version inside its write transaction.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace gmg {

struct Migration {
  std::string_view module;  // owner, e.g. "governance"
  int version = 0;          // 1, 2, 3 … per module
  std::string_view description;
  std::string_view sqlite;  // "" = nothing to do on SQLite
  // "" = nothing to do on PostgreSQL: an earlier PostgreSQL migration of this module already
  // made the state this one brings SQLite to.
  std::string_view postgres;
  // The global schema_version (1–4, before per-module migrations) whose SQLite database
  // already has this migration's state; 0 = none (newer than the global numbering).
  int legacy_version = 0;
};

// The last global schema_version ever written. An older gmg reads it and refuses the database
// ("use a newer gmg"); a value above it is a database from the future.
inline constexpr int kLegacyFrozenVersion = 5;

// Module name → the highest version applied. Empty for an empty database.
using SchemaVersions = std::map<std::string, int, std::less<>>;

// The versions a database is at.
Result<SchemaVersions> ReadSchemaVersions(Database& db);

// One number that grows with every migration applied: the sum of the modules' versions (the
// number of migrations applied). 0 for an empty database. For /healthz and `gmg migrate`.
Result<int> SchemaVersion(Database& db);

// The highest version per module in `migrations`.
SchemaVersions LatestVersions(const std::vector<Migration>& migrations);

// "activities 2, audit 1, auth 2, governance 2" (modules in name order); "empty" for none.
std::string DescribeSchema(const SchemaVersions& versions);

// Brings the database to the latest version of every module in `migrations` (in list order;
// within a module versions must run 1, 2, 3 …: kInternal otherwise). kFailedPrecondition,
// naming the module and both versions, when the database is newer than `migrations`; the
// failing migration's error (prefixed with its module and version) when one fails, with that
// migration rolled back and the earlier ones kept.
Status Migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace gmg
