// Test helper: today's schema as it was before per-module migrations (global schema_version
// 1-4, frozen copy of the old src/store/migrations.cc), to build a database the way an older gmg
// did and check that the per-module runner carries it over. Never used outside tests.
#pragma once

#include <string_view>

#include "core/result.h"
#include "store/database.h"

namespace gmg {

// Version 1: the foundation — the GMG itself, its members and governance, people, audit.
inline constexpr std::string_view kLegacyFoundation = R"sql(
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

// Version 2: the activity map — who does what, where and when.
inline constexpr std::string_view kLegacyActivities = R"sql(
ALTER TABLE organizations ADD COLUMN kind TEXT NOT NULL DEFAULT 'member'
  CHECK (kind IN ('member', 'partner'));
CREATE TABLE themes (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0,
  archived_at INTEGER,
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE activities (
  id              INTEGER PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  iati_identifier TEXT UNIQUE,
  title           TEXT NOT NULL,  -- the main title, for sorting; all texts are in activity_texts
  lang            TEXT NOT NULL DEFAULT 'en',
  type            TEXT NOT NULL,
  status          INTEGER NOT NULL CHECK (status BETWEEN 1 AND 6),
  starts_on       TEXT,
  ends_on         TEXT,
  is_global       INTEGER NOT NULL DEFAULT 0,
  budget_amount   REAL,
  budget_currency TEXT,
  contact_name    TEXT NOT NULL DEFAULT '',
  contact_email   TEXT NOT NULL DEFAULT '',
  visibility      TEXT NOT NULL DEFAULT 'public'
                  CHECK (visibility IN ('public', 'members', 'organization')),
  source          TEXT NOT NULL DEFAULT 'manual',
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  archived_at     INTEGER,
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX activities_by_org ON activities(organization_id, starts_on);
CREATE INDEX activities_by_start ON activities(starts_on);
CREATE INDEX activities_by_updated ON activities(updated_at);
-- Covers what every count filters on (archived, visibility, organisation), so counting reads
-- this small index, not the rows. (Wider versions slowed bulk imports by a third.)
CREATE INDEX activities_filter ON activities(archived_at, visibility, organization_id);
CREATE TABLE activity_texts (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  field       TEXT NOT NULL CHECK (field IN ('title', 'description')),
  lang        TEXT NOT NULL,
  text        TEXT NOT NULL,
  PRIMARY KEY (activity_id, field, lang)
) WITHOUT ROWID;
CREATE TABLE activity_themes (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  theme_id    TEXT NOT NULL REFERENCES themes(id),
  PRIMARY KEY (activity_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX activity_themes_by_theme ON activity_themes(theme_id, activity_id);
CREATE TABLE activity_purposes (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  purpose     INTEGER NOT NULL REFERENCES purposes(number),
  PRIMARY KEY (activity_id, purpose)
) WITHOUT ROWID;
CREATE TABLE activity_dimensions (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  dimension   TEXT NOT NULL,
  PRIMARY KEY (activity_id, dimension)
) WITHOUT ROWID;
-- Places as recorded (a country, or an M49 region) and, for filtering, every country an
-- activity covers (a region expands to its countries).
CREATE TABLE activity_places (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  kind        TEXT NOT NULL CHECK (kind IN ('country', 'region')),
  code        TEXT NOT NULL,
  PRIMARY KEY (activity_id, kind, code)
) WITHOUT ROWID;
CREATE TABLE activity_countries (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  country     TEXT NOT NULL,
  PRIMARY KEY (country, activity_id)
) WITHOUT ROWID;
CREATE INDEX activity_countries_by_activity ON activity_countries(activity_id);
CREATE TABLE activity_partners (
  id              INTEGER PRIMARY KEY,
  activity_id     INTEGER NOT NULL REFERENCES activities(id),
  organization_id TEXT REFERENCES organizations(id),
  name            TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('funding', 'accountable', 'extending', 'implementing'))
);
CREATE INDEX activity_partners_by_activity ON activity_partners(activity_id);
CREATE TABLE activity_links (
  id          INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  url         TEXT NOT NULL,
  title       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_links_by_activity ON activity_links(activity_id);
-- Classifications kept from IATI that map onto no theme (own vocabularies, other DAC codes).
CREATE TABLE activity_tags (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  vocabulary  TEXT NOT NULL,
  code        TEXT NOT NULL,
  PRIMARY KEY (activity_id, vocabulary, code)
) WITHOUT ROWID;
-- Full text, with what visibility and the scalar facets need, so a plain search reads only
-- this table (archived activities are removed from it).
CREATE VIRTUAL TABLE activities_fts USING fts5(
  title, body, visibility UNINDEXED, organization_id UNINDEXED, type UNINDEXED, status UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
)sql";

// Search keeps what it ranks and counts per activity in memory (ActivityCatalog) and follows
// writes through a change log, so the full-text table no longer carries those columns.
inline constexpr std::string_view kLegacySearchCatalog = R"sql(
CREATE TABLE activity_changes (
  seq         INTEGER PRIMARY KEY,
  activity_id INTEGER  -- NULL: many activities changed at once (a bulk import)
);
DROP TABLE activities_fts;
CREATE VIRTUAL TABLE activities_fts USING fts5(
  title, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO activities_fts (rowid, title, body) SELECT a.id,
  (SELECT group_concat(text, char(10)) FROM activity_texts t WHERE t.activity_id = a.id AND t.field = 'title'),
  coalesce((SELECT group_concat(text, char(10)) FROM activity_texts t
            WHERE t.activity_id = a.id AND t.field = 'description'), '') || char(10) ||
  coalesce((SELECT group_concat(name, char(10)) FROM activity_partners p WHERE p.activity_id = a.id), '')
FROM activities a WHERE a.archived_at IS NULL;
INSERT INTO activities_fts (activities_fts) VALUES ('optimize');
INSERT INTO activity_changes (activity_id) VALUES (NULL);
)sql";

// Version 4 (issue 7, defects 8-10): sign-in attempts per (account, address) with backoff, the
// addresses each user signed in from, and a bounded lifetime for every API token. The old
// per-key failure counts are transient and are dropped. Tokens without an expiry, or with one
// further than the new maximum (365 days), get 365 days from now, so running scripts keep
// working for a year rather than stopping at the upgrade.
inline constexpr std::string_view kLegacySignInThrottle = R"sql(
DROP TABLE login_failures;
CREATE TABLE sign_in_attempts (
  id      INTEGER PRIMARY KEY,
  account TEXT NOT NULL,  -- the normalised e-mail tried, whether or not a user has it
  address TEXT NOT NULL,
  at      INTEGER NOT NULL
);
CREATE INDEX sign_in_attempts_by_pair ON sign_in_attempts(account, address, at);
CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts(address, at);
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts(at);
CREATE TABLE sign_in_addresses (
  user_id         INTEGER NOT NULL REFERENCES users(id),
  address         TEXT NOT NULL,
  last_success_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, address)
) WITHOUT ROWID;
UPDATE api_tokens SET expires_at = CAST(strftime('%s', 'now') AS INTEGER) + 365 * 86400
WHERE revoked_at IS NULL AND
      (expires_at IS NULL OR expires_at > CAST(strftime('%s', 'now') AS INTEGER) + 365 * 86400);
)sql";

// Creates the schema of global version `up_to` (1-4) the way the old runner did.
inline Status CreateLegacySchemaForTesting(Tx& tx, int up_to) {
  const std::string_view scripts[] = {kLegacyFoundation, kLegacyActivities, kLegacySearchCatalog,
                                      kLegacySignInThrottle};
  GMG_RETURN_IF_ERROR(
      tx.ExecScript("CREATE TABLE schema_version (version INTEGER NOT NULL, "
                    "applied_at INTEGER NOT NULL, description TEXT NOT NULL)"));
  for (int v = 1; v <= up_to; ++v) {
    GMG_RETURN_IF_ERROR(tx.ExecScript(scripts[v - 1]));
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO schema_version VALUES (?, 0, 'legacy')", {int64_t{v}}));
  }
  return Ok();
}

}  // namespace gmg
