#include "activities/activity_migrations.h"

#include "activities/activity_text_index.h"

namespace gmg {
namespace {

// The activity map: who does what, where and when.
constexpr std::string_view kActivityMapSqlite = R"sql(
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

// The final state at once: the tables, and the change log of version 2 (which has nothing to
// do on PostgreSQL). Activities reference governance's organisations and purposes, which
// migrate before them.
constexpr std::string_view kActivityMapPostgres = R"sql(
CREATE TABLE themes (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    BIGINT NOT NULL DEFAULT 0,
  archived_at BIGINT,
  version     BIGINT NOT NULL DEFAULT 1
);
CREATE TABLE activities (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  iati_identifier TEXT UNIQUE,
  title           TEXT NOT NULL,  -- the main title, for sorting; all texts are in activity_texts
  lang            TEXT NOT NULL DEFAULT 'en',
  type            TEXT NOT NULL,
  status          BIGINT NOT NULL CHECK (status BETWEEN 1 AND 6),
  starts_on       TEXT,
  ends_on         TEXT,
  is_global       BIGINT NOT NULL DEFAULT 0,
  budget_amount   DOUBLE PRECISION,
  budget_currency TEXT,
  contact_name    TEXT NOT NULL DEFAULT '',
  contact_email   TEXT NOT NULL DEFAULT '',
  visibility      TEXT NOT NULL DEFAULT 'public'
                  CHECK (visibility IN ('public', 'members', 'organization')),
  source          TEXT NOT NULL DEFAULT 'manual',
  version         BIGINT NOT NULL DEFAULT 1,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  archived_at     BIGINT,
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX activities_by_org ON activities(organization_id, starts_on);
CREATE INDEX activities_by_start ON activities(starts_on);
CREATE INDEX activities_by_updated ON activities(updated_at);
-- Covers what every count filters on (archived, visibility, organisation), so counting reads
-- this small index, not the rows. (Wider versions slowed bulk imports by a third.)
CREATE INDEX activities_filter ON activities(archived_at, visibility, organization_id);
CREATE TABLE activity_texts (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  field       TEXT NOT NULL CHECK (field IN ('title', 'description')),
  lang        TEXT NOT NULL,
  text        TEXT NOT NULL,
  PRIMARY KEY (activity_id, field, lang)
);
CREATE TABLE activity_themes (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  theme_id    TEXT NOT NULL REFERENCES themes(id),
  PRIMARY KEY (activity_id, theme_id)
);
CREATE INDEX activity_themes_by_theme ON activity_themes(theme_id, activity_id);
CREATE TABLE activity_purposes (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  purpose     BIGINT NOT NULL REFERENCES purposes(number),
  PRIMARY KEY (activity_id, purpose)
);
CREATE TABLE activity_dimensions (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  dimension   TEXT NOT NULL,
  PRIMARY KEY (activity_id, dimension)
);
-- Places as recorded (a country, or an M49 region) and, for filtering, every country an
-- activity covers (a region expands to its countries).
CREATE TABLE activity_places (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  kind        TEXT NOT NULL CHECK (kind IN ('country', 'region')),
  code        TEXT NOT NULL,
  PRIMARY KEY (activity_id, kind, code)
);
CREATE TABLE activity_countries (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  country     TEXT NOT NULL,
  PRIMARY KEY (country, activity_id)
);
CREATE INDEX activity_countries_by_activity ON activity_countries(activity_id);
CREATE TABLE activity_partners (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  activity_id     BIGINT NOT NULL REFERENCES activities(id),
  organization_id TEXT REFERENCES organizations(id),
  name            TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('funding', 'accountable', 'extending', 'implementing'))
);
CREATE INDEX activity_partners_by_activity ON activity_partners(activity_id);
CREATE TABLE activity_links (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  url         TEXT NOT NULL,
  title       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX activity_links_by_activity ON activity_links(activity_id);
-- Classifications kept from IATI that map onto no theme (own vocabularies, other DAC codes).
CREATE TABLE activity_tags (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  vocabulary  TEXT NOT NULL,
  code        TEXT NOT NULL,
  PRIMARY KEY (activity_id, vocabulary, code)
);
-- Search follows writes through this log (ActivityCatalog); the full-text structures are a
-- later activities migration.
CREATE TABLE activity_changes (
  seq         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  activity_id BIGINT  -- NULL: many activities changed at once (a bulk import)
);
)sql";

constexpr std::string_view kSearchCatalogSqlite = R"sql(
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

constexpr std::string_view kListOrdersPostgres = R"sql(
CREATE INDEX activities_by_start_desc ON activities (starts_on DESC NULLS LAST, id DESC);
CREATE INDEX activities_by_updated_id ON activities (updated_at, id);
)sql";

// Derived data (ActivityCatalog's snapshot contract): at most one row, rebuildable (in parts
// since version 11).
constexpr std::string_view kCatalogSnapshotSqlite = R"sql(
CREATE TABLE activity_catalog_snapshot (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,  -- the activity_changes seq it is up to
  data BLOB NOT NULL
);
)sql";

constexpr std::string_view kCatalogSnapshotPostgres = R"sql(
CREATE TABLE activity_catalog_snapshot (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,  -- the activity_changes seq it is up to
  data BYTEA NOT NULL
);
)sql";

// The snapshot is read whole at each start (21 MB at 1,000,000 activities): lz4 decompresses
// it in a fifth of pglz's time (40 ms against 200), where the server was built with lz4
// (Debian's is); the snapshot is rewritten so that it is compressed so now.
constexpr std::string_view kCatalogSnapshotLz4Postgres = R"sql(
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings
             WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE activity_catalog_snapshot ALTER COLUMN data SET COMPRESSION lz4;
    UPDATE activity_catalog_snapshot SET data = data || '\x'::bytea;
  END IF;
END $$;
)sql";

// The snapshot in parts of about a megabyte, each holding whole entries (ActivityCatalog's
// snapshot contract): read one at a time, the bytes pass through buffers the driver reuses
// rather than 21 MB of fresh memory, copied three times on PostgreSQL (547 ms of a 1,000,000
// activities' load). The old single-row snapshot is derived data: dropped, written anew.
constexpr std::string_view kCatalogSnapshotPartsSqlite = R"sql(
DROP TABLE activity_catalog_snapshot;
CREATE TABLE activity_catalog_snapshot (
  part INTEGER PRIMARY KEY CHECK (part >= 1),
  seq  INTEGER NOT NULL,  -- the activity_changes seq it is up to, the same in every part
  data BLOB NOT NULL
);
)sql";

constexpr std::string_view kCatalogSnapshotPartsPostgres = R"sql(
DROP TABLE activity_catalog_snapshot;
CREATE TABLE activity_catalog_snapshot (
  part INTEGER PRIMARY KEY CHECK (part >= 1),
  seq  BIGINT NOT NULL,  -- the activity_changes seq it is up to, the same in every part
  data BYTEA NOT NULL
);
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings
             WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE activity_catalog_snapshot ALTER COLUMN data SET COMPRESSION lz4;
  END IF;
END $$;
)sql";

// The publisher's own classifications and transactions (IATI `sector`, `transaction`), kept as
// written so an export gives them back, and the reporting organisation's type its file gave.
// The sectors that used to be kept as tags ("sector-<vocabulary>") move here; other tags stay.
constexpr std::string_view kSectorsAndTransactionsSqlite = R"sql(
ALTER TABLE activities ADD COLUMN reporting_org_type TEXT NOT NULL DEFAULT '';
CREATE TABLE activity_sectors (
  activity_id    INTEGER NOT NULL REFERENCES activities(id),
  position       INTEGER NOT NULL,
  vocabulary     TEXT NOT NULL,  -- '' = 1 (OECD DAC 5-digit)
  code           TEXT NOT NULL,
  percentage     REAL CHECK (percentage IS NULL OR percentage BETWEEN 0 AND 100),
  narrative      TEXT NOT NULL DEFAULT '',
  vocabulary_uri TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (activity_id, position)
) WITHOUT ROWID;
CREATE INDEX activity_sectors_by_code ON activity_sectors(vocabulary, code);
CREATE TABLE activity_transactions (
  activity_id INTEGER NOT NULL REFERENCES activities(id),
  position    INTEGER NOT NULL,
  type        TEXT NOT NULL,  -- IATI TransactionType
  date        TEXT NOT NULL,
  value       REAL NOT NULL,
  currency    TEXT NOT NULL DEFAULT '',  -- '' = the activity's default currency
  value_date  TEXT,
  -- The parts given besides those (ref, humanitarian, description, provider and receiver,
  -- disbursement channel, sectors, recipient country or region, flow, finance and aid types,
  -- tied status) as one JSON object: read only with the transaction, and one column, not 20,
  -- for the bulk import to extract from its JSON rows.
  details     TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (activity_id, position)
) WITHOUT ROWID;
INSERT INTO activity_sectors (activity_id, position, vocabulary, code)
  SELECT activity_id, row_number() OVER (PARTITION BY activity_id ORDER BY vocabulary, code),
         substr(vocabulary, 8), code
  FROM activity_tags WHERE vocabulary LIKE 'sector-%';
DELETE FROM activity_tags WHERE vocabulary LIKE 'sector-%';
)sql";

constexpr std::string_view kSectorsAndTransactionsPostgres = R"sql(
ALTER TABLE activities ADD COLUMN reporting_org_type TEXT NOT NULL DEFAULT '';
CREATE TABLE activity_sectors (
  activity_id    BIGINT NOT NULL REFERENCES activities(id),
  position       INTEGER NOT NULL,
  vocabulary     TEXT NOT NULL,  -- '' = 1 (OECD DAC 5-digit)
  code           TEXT NOT NULL,
  percentage     DOUBLE PRECISION CHECK (percentage IS NULL OR percentage BETWEEN 0 AND 100),
  narrative      TEXT NOT NULL DEFAULT '',
  vocabulary_uri TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (activity_id, position)
);
CREATE INDEX activity_sectors_by_code ON activity_sectors(vocabulary, code);
CREATE TABLE activity_transactions (
  activity_id BIGINT NOT NULL REFERENCES activities(id),
  position    INTEGER NOT NULL,
  type        TEXT NOT NULL,  -- IATI TransactionType
  date        TEXT NOT NULL,
  value       DOUBLE PRECISION NOT NULL,
  currency    TEXT NOT NULL DEFAULT '',  -- '' = the activity's default currency
  value_date  TEXT,
  -- The parts given besides those (ref, humanitarian, description, provider and receiver,
  -- disbursement channel, sectors, recipient country or region, flow, finance and aid types,
  -- tied status) as one JSON object: read only with the transaction, and one column, not 20,
  -- for the bulk import to extract from its JSON rows.
  details     TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (activity_id, position)
);
INSERT INTO activity_sectors (activity_id, position, vocabulary, code)
  SELECT activity_id, row_number() OVER (PARTITION BY activity_id ORDER BY vocabulary, code),
         substr(vocabulary, 8), code
  FROM activity_tags WHERE vocabulary LIKE 'sector-%';
DELETE FROM activity_tags WHERE vocabulary LIKE 'sector-%';
)sql";

// PostgreSQL checks a foreign key row by row: a query and a row lock per referenced value, as
// much again as the row's insert (a 100,000-activity import wrote 1.3 million such rows in
// its one transaction). The activities' rows check their references once per statement
// instead: a trigger with the statement's new rows (a transition table) looks up each
// distinct value. The parents: an activity is archived, never deleted or renumbered (the
// triggers on `activities` refuse both), so its children need no lock on it; a theme, purpose
// or organisation belongs to another module and is locked FOR KEY SHARE until the transaction
// ends, as a foreign key locks it (a statement names a handful). Same refusal as a foreign
// key: SQLSTATE 23503 (also for a delete), and nothing of the statement is kept. SQLite keeps its
// foreign keys (its per-row check is a b-tree lookup in the writer's own process).
constexpr std::string_view kStatementReferencesPostgres = R"sql(
CREATE FUNCTION gmg_check_references() RETURNS trigger LANGUAGE plpgsql AS $fn$
-- TG_ARGV: the column, the parent table, its key column, 'lock' or 'kept' (never deleted).
-- One query: a value of the column (not NULL) that is not a key of the parent, if any.
DECLARE
  missing text;
BEGIN
  IF TG_ARGV[3] = 'lock' THEN
    EXECUTE format('WITH w AS (SELECT DISTINCT %1$I AS v FROM new_rows WHERE %1$I IS NOT NULL), '
                   'l AS MATERIALIZED (SELECT p.%3$I AS v FROM %2$I p WHERE p.%3$I IN '
                   '(SELECT v FROM w) FOR KEY SHARE OF p) '
                   'SELECT CAST(w.v AS text) FROM w WHERE w.v NOT IN (SELECT v FROM l) LIMIT 1',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
  ELSE
    -- The LATERAL … LIMIT keeps the lookup a probe of the parent's key per value (no plan that
    -- reads the whole parent table, however the planner estimates it mid-import).
    EXECUTE format('SELECT CAST(n.v AS text) FROM (SELECT DISTINCT %1$I AS v FROM new_rows '
                   'WHERE %1$I IS NOT NULL) n LEFT JOIN LATERAL (SELECT true AS hit FROM %2$I p '
                   'WHERE p.%3$I = n.v LIMIT 1) x ON true WHERE x.hit IS NULL LIMIT 1',
                   TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO missing;
  END IF;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert or update on table "%" violates its reference to "%": % = % is not there',
      TG_TABLE_NAME, TG_ARGV[1], TG_ARGV[0], missing
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[0];
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION gmg_activities_are_kept() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'an activity is archived, never deleted or renumbered (its rows refer to it)'
    USING ERRCODE = 'foreign_key_violation', TABLE = 'activities';
END
$fn$;
CREATE TRIGGER activities_never_deleted BEFORE DELETE ON activities
  FOR EACH ROW EXECUTE FUNCTION gmg_activities_are_kept();
CREATE TRIGGER activities_never_renumbered BEFORE UPDATE OF id ON activities
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION gmg_activities_are_kept();
CREATE TRIGGER activities_never_truncated BEFORE TRUNCATE ON activities
  FOR EACH STATEMENT EXECUTE FUNCTION gmg_activities_are_kept();

DO $do$
DECLARE
  r record;
  event text;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      ('activities', 'organization_id', 'organizations', 'id', 'lock'),
      ('activity_texts', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_themes', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_themes', 'theme_id', 'themes', 'id', 'lock'),
      ('activity_purposes', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_purposes', 'purpose', 'purposes', 'number', 'lock'),
      ('activity_dimensions', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_places', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_countries', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_partners', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_partners', 'organization_id', 'organizations', 'id', 'lock'),
      ('activity_links', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_tags', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_sectors', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_transactions', 'activity_id', 'activities', 'id', 'kept'),
      ('activity_search', 'activity_id', 'activities', 'id', 'kept'))
      AS t(child, col, parent, key, mode)
  LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', r.child, r.child || '_' || r.col || '_fkey');
    FOREACH event IN ARRAY ARRAY['insert', 'update'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING NEW TABLE AS new_rows '
                     'FOR EACH STATEMENT EXECUTE FUNCTION gmg_check_references(%L, %L, %L, %L)',
                     r.child || '_' || r.col || '_ref_' || event, event, r.child, r.col,
                     r.parent, r.key, r.mode);
    END LOOP;
  END LOOP;
END
$do$;
)sql";

// The text filter reads the postings (version 6) since this version, so nothing reads the GIN
// index of version 3 (whose upkeep was an eighth of an import's time); version 4's indexes serve
// every order and range the one-column ones of version 1 did.
constexpr std::string_view kFilterFromPostingsPostgres = R"sql(
DROP INDEX activity_search_doc;
DROP INDEX activities_by_start;
DROP INDEX activities_by_updated;
)sql";

}  // namespace

const std::vector<Migration>& ActivityMigrations() {
  static const std::vector<Migration> kAll = {
      {.module = "activities",
       .version = 1,
       .description = "activity map: themes, activities, places, partners, full-text index",
       .sqlite = kActivityMapSqlite,
       .postgres = kActivityMapPostgres,
       .legacy_version = 2},
      {.module = "activities",
       .version = 2,
       .description = "search catalog: activity change log, narrower full-text index",
       .sqlite = kSearchCatalogSqlite,
       .postgres = "",
       .legacy_version = 3},
      // SQLite's full-text index is the FTS5 table of version 1; PostgreSQL's is a tsvector
      // per activity (ActivityTextIndex).
      {.module = "activities",
       .version = 3,
       .description = "PostgreSQL full-text search: tsvector per activity, GIN index",
       .sqlite = "",
       .postgres = kActivitySearchPostgresDdl},
      // The orders list pages follow, as indexes PostgreSQL can walk to stop at the page's
      // last row (SQLite's one-column indexes end with the rowid and serve them already).
      {.module = "activities",
       .version = 4,
       .description = "PostgreSQL indexes for the newest-start and last-updated list orders",
       .sqlite = "",
       .postgres = kListOrdersPostgres},
      // How many indexed activities hold each lexeme, for ranking (ActivityTextIndex).
      {.module = "activities",
       .version = 5,
       .description = "PostgreSQL full-text search: document count per lexeme",
       .sqlite = "",
       .postgres = kActivitySearchLexemesPostgresDdl},
      // Which activities hold each lexeme and how often, for ranking without reading each
      // match's tsvector (ActivityTextIndex); the lexeme counts of version 5 come from it.
      {.module = "activities",
       .version = 6,
       .description = "PostgreSQL full-text search: postings per lexeme instead of counts",
       .sqlite = "",
       .postgres = kActivitySearchPostingsPostgresDdl},
      // The search catalog as one value, so a server starts without reading every activity.
      {.module = "activities",
       .version = 7,
       .description = "search catalog snapshot (derived data)",
       .sqlite = kCatalogSnapshotSqlite,
       .postgres = kCatalogSnapshotPostgres},
      {.module = "activities",
       .version = 8,
       .description = "IATI sectors and transactions as published; sector tags moved to sectors",
       .sqlite = kSectorsAndTransactionsSqlite,
       .postgres = kSectorsAndTransactionsPostgres},
      // French and Spanish texts stemmed in their language on SQLite too (PostgreSQL has
      // done so since version 3): the FTS5 table rebuilt with the gmg_stem tokenizer.
      {.module = "activities",
       .version = 9,
       .description = "SQLite full-text search: each text stemmed in its own language",
       .sqlite = kActivitySearchStemmedSqlite,
       .postgres = ""},
      {.module = "activities",
       .version = 10,
       .description = "PostgreSQL: the search catalog snapshot compressed with lz4",
       .sqlite = "",
       .postgres = kCatalogSnapshotLz4Postgres},
      {.module = "activities",
       .version = 11,
       .description = "search catalog snapshot in parts of about a megabyte",
       .sqlite = kCatalogSnapshotPartsSqlite,
       .postgres = kCatalogSnapshotPartsPostgres},
      {.module = "activities",
       .version = 12,
       .description = "PostgreSQL: the activities' references checked once per statement",
       .sqlite = "",
       .postgres = kStatementReferencesPostgres},
      {.module = "activities",
       .version = 13,
       .description = "PostgreSQL: the text filter from the postings; unused indexes dropped",
       .sqlite = "",
       .postgres = kFilterFromPostingsPostgres},
  };
  return kAll;
}

}  // namespace gmg
