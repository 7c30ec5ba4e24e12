#include "store/migrations.h"

#include <chrono>
#include <numeric>
#include <string>

namespace gmg {
namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Whether a table exists: the catalogs differ between the engines.
Result<bool> TableExists(Tx& tx, std::string_view name) {
  std::string_view sql =
      tx.Dialect() == Dialect::kSqlite
          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
          : "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = CAST(? AS TEXT)";
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {std::string(name)}));
  return row && row->Int(0) > 0;
}

std::string_view BookkeepingTable(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                                       "  module      TEXT NOT NULL,\n"
                                       "  version     INTEGER NOT NULL,\n"
                                       "  description TEXT NOT NULL,\n"
                                       "  applied_at  INTEGER NOT NULL,\n"
                                       "  PRIMARY KEY (module, version)\n"
                                       ")"
                                     : "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
                                       "  module      TEXT NOT NULL,\n"
                                       "  version     BIGINT NOT NULL,\n"
                                       "  description TEXT NOT NULL,\n"
                                       "  applied_at  BIGINT NOT NULL,\n"
                                       "  PRIMARY KEY (module, version)\n"
                                       ")";
}

Status Record(Tx& tx, const Migration& m, const std::string& description) {
  GMG_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO schema_migrations (module, version, description, applied_at) "
              "VALUES (?, ?, ?, ?)",
              {std::string(m.module), int64_t{m.version}, description, NowSeconds()}));
  return Ok();
}

Status CheckOrder(const std::vector<Migration>& migrations) {
  SchemaVersions seen;
  for (const Migration& m : migrations) {
    int& last = seen[std::string(m.module)];
    if (m.module.empty() || m.version != last + 1) {
      return MakeError(ErrorCode::kInternal, "migrations of module '" + std::string(m.module) +
                                                 "' are not numbered 1, 2, 3 … (found " +
                                                 std::to_string(m.version) + " after " +
                                                 std::to_string(last) + ")");
    }
    last = m.version;
  }
  return Ok();
}

// The old single schema_version: its highest version, 0 when the table is absent.
Result<int> LegacyVersion(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(bool exists, TableExists(tx, "schema_version"));
  if (!exists) return 0;
  GMG_ASSIGN_OR_RETURN(auto row,
                       tx.QueryOne("SELECT coalesce(max(version), 0) FROM schema_version"));
  return row ? static_cast<int>(row->Int(0)) : 0;
}

// Refuses a global schema_version above the frozen one (a database from the future). Creates
// schema_migrations when it is missing: on a database from before per-module migrations,
// records what its global version already holds; on SQLite, freezes the global
// schema_version so an older gmg refuses the database.
Status StartBookkeeping(Database& db, const std::vector<Migration>& migrations) {
  return db.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(int legacy, LegacyVersion(tx));
    if (legacy > kLegacyFrozenVersion) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the database is at schema version " + std::to_string(legacy) +
                           " but this gmg knows only up to version " +
                           std::to_string(kLegacyFrozenVersion) +
                           "; use a newer gmg (refusing to touch it)");
    }
    GMG_ASSIGN_OR_RETURN(bool exists, TableExists(tx, "schema_migrations"));
    if (exists) return Ok();
    GMG_RETURN_IF_ERROR(tx.ExecScript(BookkeepingTable(tx.Dialect())));
    for (const Migration& m : migrations) {
      if (m.legacy_version < 1 || m.legacy_version > legacy) continue;
      GMG_RETURN_IF_ERROR(Record(tx, m,
                                 std::string(m.description) +
                                     " (carried over from schema version " +
                                     std::to_string(legacy) + ")"));
    }
    if (tx.Dialect() != Dialect::kSqlite) return Ok();
    GMG_RETURN_IF_ERROR(
        tx.ExecScript("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
                      "applied_at INTEGER NOT NULL, description TEXT NOT NULL)"));
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)",
                {int64_t{kLegacyFrozenVersion}, NowSeconds(),
                 std::string("per-module migrations: see schema_migrations")}));
    return Ok();
  });
}

Result<SchemaVersions> ReadVersions(Tx& tx) {
  SchemaVersions out;
  GMG_ASSIGN_OR_RETURN(bool exists, TableExists(tx, "schema_migrations"));
  if (!exists) return out;
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT module, max(version) FROM schema_migrations GROUP BY module"));
  for (const Row& r : rows) out[r.Text(0)] = static_cast<int>(r.Int(1));
  return out;
}

Status RefuseNewer(const SchemaVersions& have, const SchemaVersions& known) {
  for (const auto& [module, version] : have) {
    auto it = known.find(module);
    int latest = it == known.end() ? 0 : it->second;
    if (version <= latest) continue;
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the database has module '" + module + "' at schema version " +
                         std::to_string(version) + " but this gmg knows only up to version " +
                         std::to_string(latest) + "; use a newer gmg (refusing to touch it)");
  }
  return Ok();
}

Status Apply(Database& db, const Migration& m) {
  return db.Write([&](Tx& tx) -> Status {
    // Another process may have applied it since we looked (several instances starting).
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT coalesce(max(version), 0) FROM "
                                               "schema_migrations WHERE module = ?",
                                               {std::string(m.module)}));
    if (row && row->Int(0) >= m.version) return Ok();
    std::string_view sql = tx.Dialect() == Dialect::kSqlite ? m.sqlite : m.postgres;
    if (!sql.empty()) GMG_RETURN_IF_ERROR(tx.ExecScript(sql));
    return Record(tx, m, std::string(m.description));
  });
}

}  // namespace

Result<SchemaVersions> ReadSchemaVersions(Database& db) {
  SchemaVersions out;
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, ReadVersions(tx));
    return Ok();
  }));
  return out;
}

Result<int> SchemaVersion(Database& db) {
  GMG_ASSIGN_OR_RETURN(SchemaVersions versions, ReadSchemaVersions(db));
  int sum = 0;
  for (const auto& [module, version] : versions) sum += version;
  return sum;
}

SchemaVersions LatestVersions(const std::vector<Migration>& migrations) {
  SchemaVersions out;
  for (const Migration& m : migrations) {
    int& v = out[std::string(m.module)];
    v = std::max(v, m.version);
  }
  return out;
}

std::string DescribeSchema(const SchemaVersions& versions) {
  if (versions.empty()) return "empty";
  std::string out;
  for (const auto& [module, version] : versions) {
    if (!out.empty()) out += ", ";
    out += module + " " + std::to_string(version);
  }
  return out;
}

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  GMG_RETURN_IF_ERROR(CheckOrder(migrations));
  GMG_RETURN_IF_ERROR(StartBookkeeping(db, migrations));
  GMG_ASSIGN_OR_RETURN(SchemaVersions have, ReadSchemaVersions(db));
  GMG_RETURN_IF_ERROR(RefuseNewer(have, LatestVersions(migrations)));
  for (const Migration& m : migrations) {
    auto it = have.find(m.module);
    if (it != have.end() && it->second >= m.version) continue;
    Status s = Apply(db, m);
    if (!s.ok()) {
      Error e = std::move(s).TakeError();
      e.message = "migration " + std::string(m.module) + " " + std::to_string(m.version) + " (" +
                  std::string(m.description) + ") failed: " + e.message;
      return e;
    }
  }
  return Ok();
}

}  // namespace gmg
