#include "store/migrations.h"

#include <string>

namespace gmg {
namespace {

// Version 1: the foundation — the GMG itself, its members and governance, people, audit.
constexpr std::string_view kFoundation = R"sql(
CREATE TABLE gmg_profile (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE purposes (
  number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 99),
  title  TEXT NOT NULL,
  text   TEXT NOT NULL
);
CREATE TABLE current_issues (
  position INTEGER PRIMARY KEY,
  title    TEXT NOT NULL,
  text     TEXT NOT NULL
);
CREATE TABLE history_events (
  id         INTEGER PRIMARY KEY,
  date       TEXT NOT NULL,
  date_label TEXT NOT NULL,
  title TEXT NOT NULL,
  text  TEXT NOT NULL
);
CREATE TABLE organizations (
  id                   TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  acronym              TEXT NOT NULL,
  mandate              TEXT NOT NULL DEFAULT '',
  website              TEXT,
  iati_org_id          TEXT UNIQUE,
  executive_head_title TEXT,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE TABLE memberships (
  id              INTEGER PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  joined_on       TEXT NOT NULL,
  left_on         TEXT,
  note            TEXT NOT NULL DEFAULT '',
  CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX memberships_by_org ON memberships(organization_id, joined_on);
CREATE TABLE focal_points (
  id              INTEGER PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name            TEXT NOT NULL,
  title           TEXT NOT NULL DEFAULT '',
  email           TEXT NOT NULL,
  phone           TEXT NOT NULL DEFAULT '',
  since           INTEGER NOT NULL,
  archived_at     INTEGER,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX focal_points_by_org ON focal_points(organization_id) WHERE archived_at IS NULL;
CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name            TEXT NOT NULL,
  role            TEXT NOT NULL
                  CHECK (role IN ('admin','secretariat','focal_point','member','stakeholder')),
  organization_id TEXT REFERENCES organizations(id),
  password_hash   TEXT NOT NULL,
  active          INTEGER NOT NULL DEFAULT 1,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  ip          TEXT NOT NULL DEFAULT ''
);
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
CREATE TABLE login_failures (
  key TEXT NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures(key, at);
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor_email   TEXT NOT NULL,
  action        TEXT NOT NULL,
  entity        TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  before_json   TEXT,
  after_json    TEXT
);
CREATE INDEX audit_by_entity ON audit_log(entity, entity_id, id);
CREATE TABLE chair_rotations (
  id          INTEGER PRIMARY KEY,
  starts_on   TEXT NOT NULL UNIQUE,
  term_months INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 60),
  order_json  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE chair_overrides (
  id              INTEGER PRIMARY KEY,
  starts_on       TEXT NOT NULL,
  ends_on         TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  reason          TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  archived_at     INTEGER,
  CHECK (ends_on >= starts_on)
);
)sql";

}  // namespace

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = {
      {1, "foundation: GMG profile, members, governance, users, audit", kFoundation},
  };
  return kAll;
}

int LatestSchemaVersion() { return AllMigrations().back().version; }

Result<int> SchemaVersion(Database& db) {
  int version = 0;
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto table,
        tx.QueryOne("SELECT count(*) FROM sqlite_master WHERE type='table' AND "
                    "name='schema_version'"));
    if (table->Int(0) == 0) return Ok();
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT max(version) FROM schema_version"));
    if (row) version = static_cast<int>(row->Int(0));
    return Ok();
  }));
  return version;
}

Status Migrate(Database& db) {
  GMG_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  if (current > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the database is at schema version " + std::to_string(current) +
                         " but this gmg knows only up to version " +
                         std::to_string(LatestSchemaVersion()) +
                         "; use a newer gmg (refusing to touch it)");
  }
  for (const Migration& m : AllMigrations()) {
    if (m.version <= current) continue;
    Status s = db.Write([&](Tx& tx) -> Status {
      GMG_RETURN_IF_ERROR(tx.ExecScript(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
          "applied_at INTEGER NOT NULL, description TEXT NOT NULL)"));
      GMG_RETURN_IF_ERROR(tx.ExecScript(m.sql));
      GMG_RETURN_IF_ERROR(tx.Exec(
          "INSERT INTO schema_version (version, applied_at, description) "
          "VALUES (?, strftime('%s','now'), ?)",
          {static_cast<int64_t>(m.version), std::string(m.description)}));
      return Ok();
    });
    if (!s.ok()) {
      Error e = std::move(s).TakeError();
      e.message = "migration " + std::to_string(m.version) + " failed: " + e.message;
      return e;
    }
  }
  return Ok();
}

}  // namespace gmg
