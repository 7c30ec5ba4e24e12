#include "meetings/meetings_migrations.h"

namespace gmg {
namespace {

// Every table of the module at once (issue 12; the shared contract fixes them), so the minutes,
// actions and iCal parts build on one migration.
constexpr std::string_view kMeetingsSqlite = R"sql(
CREATE TABLE meeting_series (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  level            TEXT NOT NULL,  -- principals|working|task_force|other
  description      TEXT NOT NULL DEFAULT '',
  time_zone        TEXT NOT NULL,
  place            TEXT NOT NULL DEFAULT '',
  link             TEXT NOT NULL DEFAULT '',
  rule             TEXT NOT NULL DEFAULT '',  -- RRULE subset (meetings/recurrence.h), '' = none
  first_local      TEXT NOT NULL DEFAULT '',
  duration_minutes INTEGER NOT NULL DEFAULT 120,
  exceptions       TEXT NOT NULL DEFAULT '[]',  -- JSON list of skipped local start times
  archived         INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE TABLE meetings (
  id                  INTEGER PRIMARY KEY,
  series_id           INTEGER REFERENCES meeting_series(id),
  occurrence          TEXT,  -- the rule's local slot this meeting fills
  title               TEXT NOT NULL,
  starts_local        TEXT NOT NULL,
  ends_local          TEXT NOT NULL,
  time_zone           TEXT NOT NULL,
  starts_at           INTEGER NOT NULL,
  ends_at             INTEGER NOT NULL,
  place               TEXT NOT NULL DEFAULT '',
  link                TEXT NOT NULL DEFAULT '',
  chair_org           TEXT NOT NULL REFERENCES organizations(id),
  chair_from_rotation INTEGER NOT NULL,
  status              TEXT NOT NULL,  -- planned|held|cancelled|postponed
  postponed_to        INTEGER REFERENCES meetings(id),
  uid                 TEXT NOT NULL UNIQUE,
  sequence            INTEGER NOT NULL DEFAULT 0,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX meetings_by_start ON meetings(starts_at);
CREATE INDEX meetings_by_series ON meetings(series_id, starts_at);
CREATE UNIQUE INDEX meetings_occurrence ON meetings(series_id, occurrence);
CREATE TABLE meeting_agenda_items (
  id            INTEGER PRIMARY KEY,
  meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
  position      INTEGER NOT NULL,
  title         TEXT NOT NULL,
  presenter_org TEXT REFERENCES organizations(id),
  purposes      TEXT NOT NULL DEFAULT '[]',  -- JSON list of ToR purpose numbers
  notes         TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX meeting_agenda_items_by_meeting ON meeting_agenda_items(meeting_id, position);
CREATE TABLE meeting_papers (
  id              INTEGER PRIMARY KEY,
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id  INTEGER REFERENCES meeting_agenda_items(id),
  title           TEXT NOT NULL,
  url             TEXT NOT NULL DEFAULT '',
  file_name       TEXT NOT NULL DEFAULT '',
  media_type      TEXT NOT NULL DEFAULT '',
  size            INTEGER NOT NULL DEFAULT 0,
  sha256          TEXT NOT NULL DEFAULT '',
  content         BLOB,  -- NULL for a link
  organization_id TEXT REFERENCES organizations(id),
  user_id         INTEGER,
  created_at      INTEGER NOT NULL
);
CREATE INDEX meeting_papers_by_meeting ON meeting_papers(meeting_id);
CREATE TABLE meeting_attendance (
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  person          TEXT NOT NULL,
  level           TEXT NOT NULL,  -- executive_head|senior|working|observer
  PRIMARY KEY (meeting_id, organization_id, person)
);
CREATE TABLE meeting_minutes (
  meeting_id      INTEGER PRIMARY KEY REFERENCES meetings(id),
  status          TEXT NOT NULL,  -- draft|circulated|approved
  comments_until  INTEGER,
  approved_at     INTEGER,
  approved_by     INTEGER,
  current_version INTEGER NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE meeting_minutes_versions (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  number     INTEGER NOT NULL,
  text       TEXT NOT NULL,  -- Markdown
  user_id    INTEGER,
  user_name  TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (meeting_id, number)
);
CREATE TABLE meeting_minutes_comments (
  id              INTEGER PRIMARY KEY,
  meeting_id      INTEGER NOT NULL REFERENCES meetings(id),
  version         INTEGER NOT NULL,
  user_id         INTEGER,
  user_name       TEXT NOT NULL,
  organization_id TEXT,
  text            TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX meeting_minutes_comments_by_meeting ON meeting_minutes_comments(meeting_id);
CREATE TABLE meeting_decisions (
  id             INTEGER PRIMARY KEY,
  meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER REFERENCES meeting_agenda_items(id),
  text           TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX meeting_decisions_by_meeting ON meeting_decisions(meeting_id);
CREATE TABLE meeting_actions (
  id               INTEGER PRIMARY KEY,
  meeting_id       INTEGER REFERENCES meetings(id),
  decision_id      INTEGER REFERENCES meeting_decisions(id),
  initiative_id    INTEGER,  -- no FK: the initiatives module validates it
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  owner_org        TEXT NOT NULL REFERENCES organizations(id),
  due_date         TEXT NOT NULL,
  status           TEXT NOT NULL,  -- open|in_progress|done|dropped
  overdue_notified INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX meeting_actions_by_owner ON meeting_actions(owner_org, status, due_date);
CREATE INDEX meeting_actions_by_meeting ON meeting_actions(meeting_id);
CREATE INDEX meeting_actions_by_initiative ON meeting_actions(initiative_id);
CREATE TABLE meeting_action_notes (
  id         INTEGER PRIMARY KEY,
  action_id  INTEGER NOT NULL REFERENCES meeting_actions(id),
  user_id    INTEGER,
  user_name  TEXT NOT NULL,
  status     TEXT,
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX meeting_action_notes_by_action ON meeting_action_notes(action_id);
)sql";

constexpr std::string_view kMeetingsPostgres = R"sql(
CREATE TABLE meeting_series (
  id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name             TEXT NOT NULL,
  level            TEXT NOT NULL,  -- principals|working|task_force|other
  description      TEXT NOT NULL DEFAULT '',
  time_zone        TEXT NOT NULL,
  place            TEXT NOT NULL DEFAULT '',
  link             TEXT NOT NULL DEFAULT '',
  rule             TEXT NOT NULL DEFAULT '',  -- RRULE subset (meetings/recurrence.h), '' = none
  first_local      TEXT NOT NULL DEFAULT '',
  duration_minutes BIGINT NOT NULL DEFAULT 120,
  exceptions       TEXT NOT NULL DEFAULT '[]',  -- JSON list of skipped local start times
  archived         BIGINT NOT NULL DEFAULT 0,
  version          BIGINT NOT NULL DEFAULT 1,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE TABLE meetings (
  id                  BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  series_id           BIGINT REFERENCES meeting_series(id),
  occurrence          TEXT,  -- the rule's local slot this meeting fills
  title               TEXT NOT NULL,
  starts_local        TEXT NOT NULL,
  ends_local          TEXT NOT NULL,
  time_zone           TEXT NOT NULL,
  starts_at           BIGINT NOT NULL,
  ends_at             BIGINT NOT NULL,
  place               TEXT NOT NULL DEFAULT '',
  link                TEXT NOT NULL DEFAULT '',
  chair_org           TEXT NOT NULL REFERENCES organizations(id),
  chair_from_rotation BIGINT NOT NULL,
  status              TEXT NOT NULL,  -- planned|held|cancelled|postponed
  postponed_to        BIGINT REFERENCES meetings(id),
  uid                 TEXT NOT NULL UNIQUE,
  sequence            BIGINT NOT NULL DEFAULT 0,
  version             BIGINT NOT NULL DEFAULT 1,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL
);
CREATE INDEX meetings_by_start ON meetings(starts_at);
CREATE INDEX meetings_by_series ON meetings(series_id, starts_at);
CREATE UNIQUE INDEX meetings_occurrence ON meetings(series_id, occurrence);
CREATE TABLE meeting_agenda_items (
  id            BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  meeting_id    BIGINT NOT NULL REFERENCES meetings(id),
  position      BIGINT NOT NULL,
  title         TEXT NOT NULL,
  presenter_org TEXT REFERENCES organizations(id),
  purposes      TEXT NOT NULL DEFAULT '[]',  -- JSON list of ToR purpose numbers
  notes         TEXT NOT NULL DEFAULT '',
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX meeting_agenda_items_by_meeting ON meeting_agenda_items(meeting_id, position);
CREATE TABLE meeting_papers (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  meeting_id      BIGINT NOT NULL REFERENCES meetings(id),
  agenda_item_id  BIGINT REFERENCES meeting_agenda_items(id),
  title           TEXT NOT NULL,
  url             TEXT NOT NULL DEFAULT '',
  file_name       TEXT NOT NULL DEFAULT '',
  media_type      TEXT NOT NULL DEFAULT '',
  size            BIGINT NOT NULL DEFAULT 0,
  sha256          TEXT NOT NULL DEFAULT '',
  content         BYTEA,  -- NULL for a link
  organization_id TEXT REFERENCES organizations(id),
  user_id         BIGINT,
  created_at      BIGINT NOT NULL
);
CREATE INDEX meeting_papers_by_meeting ON meeting_papers(meeting_id);
CREATE TABLE meeting_attendance (
  meeting_id      BIGINT NOT NULL REFERENCES meetings(id),
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  person          TEXT NOT NULL,
  level           TEXT NOT NULL,  -- executive_head|senior|working|observer
  PRIMARY KEY (meeting_id, organization_id, person)
);
CREATE TABLE meeting_minutes (
  meeting_id      BIGINT PRIMARY KEY REFERENCES meetings(id),
  status          TEXT NOT NULL,  -- draft|circulated|approved
  comments_until  BIGINT,
  approved_at     BIGINT,
  approved_by     BIGINT,
  current_version BIGINT NOT NULL,
  version         BIGINT NOT NULL DEFAULT 1
);
CREATE TABLE meeting_minutes_versions (
  meeting_id BIGINT NOT NULL REFERENCES meetings(id),
  number     BIGINT NOT NULL,
  text       TEXT NOT NULL,  -- Markdown
  user_id    BIGINT,
  user_name  TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, number)
);
CREATE TABLE meeting_minutes_comments (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  meeting_id      BIGINT NOT NULL REFERENCES meetings(id),
  version         BIGINT NOT NULL,
  user_id         BIGINT,
  user_name       TEXT NOT NULL,
  organization_id TEXT,
  text            TEXT NOT NULL,
  created_at      BIGINT NOT NULL
);
CREATE INDEX meeting_minutes_comments_by_meeting ON meeting_minutes_comments(meeting_id);
CREATE TABLE meeting_decisions (
  id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  meeting_id     BIGINT NOT NULL REFERENCES meetings(id),
  agenda_item_id BIGINT REFERENCES meeting_agenda_items(id),
  text           TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX meeting_decisions_by_meeting ON meeting_decisions(meeting_id);
CREATE TABLE meeting_actions (
  id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  meeting_id       BIGINT REFERENCES meetings(id),
  decision_id      BIGINT REFERENCES meeting_decisions(id),
  initiative_id    BIGINT,  -- no FK: the initiatives module validates it
  title            TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  owner_org        TEXT NOT NULL REFERENCES organizations(id),
  due_date         TEXT NOT NULL,
  status           TEXT NOT NULL,  -- open|in_progress|done|dropped
  overdue_notified BIGINT NOT NULL DEFAULT 0,
  version          BIGINT NOT NULL DEFAULT 1,
  created_at       BIGINT NOT NULL,
  updated_at       BIGINT NOT NULL
);
CREATE INDEX meeting_actions_by_owner ON meeting_actions(owner_org, status, due_date);
CREATE INDEX meeting_actions_by_meeting ON meeting_actions(meeting_id);
CREATE INDEX meeting_actions_by_initiative ON meeting_actions(initiative_id);
CREATE TABLE meeting_action_notes (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  action_id  BIGINT NOT NULL REFERENCES meeting_actions(id),
  user_id    BIGINT,
  user_name  TEXT NOT NULL,
  status     TEXT,
  text       TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX meeting_action_notes_by_action ON meeting_action_notes(action_id);
)sql";

// What the one search reads of the meetings is kept in memory (MeetingService::SearchTexts)
// until `meetings_search_state.seq` moves: triggers raise it in the transaction of every
// write to the tables it reads, whichever code or instance writes.
constexpr std::string_view kSearchStateSqlite = R"sql(
CREATE TABLE meetings_search_state (
  id  INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL
);
INSERT INTO meetings_search_state (id, seq) VALUES (1, 0);
CREATE TRIGGER meetings_search_insert AFTER INSERT ON meetings
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meetings_search_update AFTER UPDATE ON meetings
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meetings_search_delete AFTER DELETE ON meetings
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_series_search_insert AFTER INSERT ON meeting_series
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_series_search_update AFTER UPDATE ON meeting_series
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_series_search_delete AFTER DELETE ON meeting_series
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_minutes_search_insert AFTER INSERT ON meeting_minutes
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_minutes_search_update AFTER UPDATE ON meeting_minutes
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_minutes_search_delete AFTER DELETE ON meeting_minutes
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_minutes_versions_search_insert AFTER INSERT ON meeting_minutes_versions
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_minutes_versions_search_update AFTER UPDATE ON meeting_minutes_versions
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER meeting_minutes_versions_search_delete AFTER DELETE ON meeting_minutes_versions
  BEGIN UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1; END;
)sql";

constexpr std::string_view kSearchStatePostgres = R"sql(
CREATE TABLE meetings_search_state (
  id  BIGINT PRIMARY KEY,
  seq BIGINT NOT NULL
);
INSERT INTO meetings_search_state (id, seq) VALUES (1, 0);
CREATE FUNCTION meetings_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE meetings_search_state SET seq = seq + 1 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER meetings_search AFTER INSERT OR UPDATE OR DELETE ON meetings
  FOR EACH STATEMENT EXECUTE FUNCTION meetings_search_changed();
CREATE TRIGGER meeting_series_search AFTER INSERT OR UPDATE OR DELETE ON meeting_series
  FOR EACH STATEMENT EXECUTE FUNCTION meetings_search_changed();
CREATE TRIGGER meeting_minutes_search AFTER INSERT OR UPDATE OR DELETE ON meeting_minutes
  FOR EACH STATEMENT EXECUTE FUNCTION meetings_search_changed();
CREATE TRIGGER meeting_minutes_versions_search AFTER INSERT OR UPDATE OR DELETE ON meeting_minutes_versions
  FOR EACH STATEMENT EXECUTE FUNCTION meetings_search_changed();
)sql";

}  // namespace

const std::vector<Migration>& MeetingsMigrations() {
  static const std::vector<Migration> kAll = {
      {.module = "meetings",
       .version = 1,
       .description = "meetings: series, meetings, agendas, papers, attendance, minutes, "
                      "decisions, actions",
       .sqlite = kMeetingsSqlite,
       .postgres = kMeetingsPostgres},
      {.module = "meetings",
       .version = 2,
       .description = "meetings: a change counter for the one search's copy of the meetings",
       .sqlite = kSearchStateSqlite,
       .postgres = kSearchStatePostgres},
  };
  return kAll;
}

}  // namespace gmg
