#include "coherence/coherence_migrations.h"

namespace gmg {
namespace {

constexpr std::string_view kCoherenceSqlite = R"sql(
CREATE TABLE coherence_feedback (
  activity_a INTEGER NOT NULL REFERENCES activities(id),  -- activity_a < activity_b
  activity_b INTEGER NOT NULL REFERENCES activities(id),
  verdict    TEXT NOT NULL,  -- confirmed_duplication, complementary, unrelated, dismissed
  comment    TEXT NOT NULL DEFAULT '',
  version_a  INTEGER NOT NULL,  -- the activities' versions the verdict was given on
  version_b  INTEGER NOT NULL,
  user_id    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (activity_a, activity_b)
);
CREATE TABLE coherence_model (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  model        TEXT NOT NULL,  -- JSON of coherence::Model
  labels_used  INTEGER NOT NULL,
  estimated_at INTEGER NOT NULL,
  estimated_by INTEGER
);
CREATE TABLE coherence_mandates (
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  theme_id        TEXT NOT NULL REFERENCES themes(id),
  PRIMARY KEY (organization_id, theme_id)
);
)sql";

constexpr std::string_view kCoherencePostgres = R"sql(
CREATE TABLE coherence_feedback (
  activity_a BIGINT NOT NULL REFERENCES activities(id),  -- activity_a < activity_b
  activity_b BIGINT NOT NULL REFERENCES activities(id),
  verdict    TEXT NOT NULL,  -- confirmed_duplication, complementary, unrelated, dismissed
  comment    TEXT NOT NULL DEFAULT '',
  version_a  BIGINT NOT NULL,  -- the activities' versions the verdict was given on
  version_b  BIGINT NOT NULL,
  user_id    BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (activity_a, activity_b)
);
CREATE TABLE coherence_model (
  id           BIGINT PRIMARY KEY CHECK (id = 1),
  model        TEXT NOT NULL,  -- JSON of coherence::Model
  labels_used  BIGINT NOT NULL,
  estimated_at BIGINT NOT NULL,
  estimated_by BIGINT
);
CREATE TABLE coherence_mandates (
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  theme_id        TEXT NOT NULL REFERENCES themes(id),
  PRIMARY KEY (organization_id, theme_id)
);
)sql";

// Which statistics weigh which theme's need (coherence/need_service.h): one row of JSON.
constexpr std::string_view kNeedSqlite = R"sql(
CREATE TABLE coherence_need (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  config     TEXT NOT NULL,  -- JSON of coherence::NeedConfig
  updated_at INTEGER NOT NULL,
  updated_by INTEGER
);
)sql";

constexpr std::string_view kNeedPostgres = R"sql(
CREATE TABLE coherence_need (
  id         BIGINT PRIMARY KEY CHECK (id = 1),
  config     TEXT NOT NULL,  -- JSON of coherence::NeedConfig
  updated_at BIGINT NOT NULL,
  updated_by BIGINT
);
)sql";

}  // namespace

const std::vector<Migration>& CoherenceMigrations() {
  static const std::vector<Migration> kAll = {
      {.module = "coherence",
       .version = 1,
       .description = "coherence: verdicts on findings, the estimated model, stated mandates",
       .sqlite = kCoherenceSqlite,
       .postgres = kCoherencePostgres},
      {.module = "coherence",
       .version = 2,
       .description = "coherence: which statistics weigh which theme's need",
       .sqlite = kNeedSqlite,
       .postgres = kNeedPostgres},
  };
  return kAll;
}

}  // namespace gmg
