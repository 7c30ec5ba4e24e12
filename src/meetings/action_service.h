// ActionService: action items with an owner organisation, a due date, a status (open,
// in_progress, done, dropped) and progress notes (issue 12; docs/meetings.md "Decisions and
// actions"). An action may come from a meeting, a decision of it, or an initiative (the
// initiatives module creates and lists follow-up actions through Create and List with
// initiative_id; it validates the initiative itself).
//
// Rules kept here, each refused with nothing changed:
//   - create, and change title / description / owner / due date: staff (secretariat, admin);
//   - change the status or add a progress note (a note may change the status): staff, or the
//     focal points and members of the OWNER organisation (403 for any other organisation);
//   - the owner is a known organisation, the meeting exists, a decision belongs to the
//     meeting (422); PATCH needs If-Match (412 when stale).
// Overdue: status open or in_progress and due_date before today (UTC, by the injected clock):
// an action due today is not overdue; it is the day after. Reading actions: signed-in staff and
// member staff (CheckMaySeeMeetingDrafts). Notifications in the writer's transaction:
// kActionAssigned to the owner organisation on create and owner change; kActionOverdue once per
// action by NotifyOverdue (exactly once across instances: a conditional UPDATE … WHERE
// overdue_notified = 0 decides who sends it). Each write is audited (entity "action").
// Thread-safety: stateless over the Database; any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "notifications/notification.h"
#include "store/database.h"

namespace gmg {

struct Action {
  int64_t id = 0;
  std::optional<int64_t> meeting_id;
  std::string meeting_title;  // "" without a meeting
  std::optional<int64_t> decision_id;
  std::optional<int64_t> initiative_id;
  std::string title;
  std::string description;
  std::string owner_org;
  std::string owner_name;
  std::string due_date;  // YYYY-MM-DD
  std::string status;    // open|in_progress|done|dropped
  bool overdue = false;
  int64_t notes_count = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t version = 1;
};

struct NewAction {
  std::optional<int64_t> meeting_id;
  std::optional<int64_t> decision_id;    // its meeting becomes the action's when none is given
  std::optional<int64_t> initiative_id;  // not checked here
  std::string title;
  std::string description;
  std::string owner_org;
  Date due_date;
  std::string status = "open";
};

struct ActionChange {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> owner_org;
  std::optional<Date> due_date;
  std::optional<std::string> status;
};

struct ActionFilter {
  std::optional<std::string> organization;  // owner
  std::optional<std::string> status;
  bool overdue_only = false;
  std::optional<int64_t> meeting_id;
  std::optional<int64_t> initiative_id;
  int64_t limit = 100;              // 1-500
  std::optional<int64_t> after_id;  // paging by id
};

struct ActionPage {
  std::vector<Action> items;  // by id
  int64_t total = 0;
  std::optional<int64_t> next_after_id;
};

// An organisation's open actions (open and in_progress) for its home page: soonest due first,
// so the overdue ones lead.
struct OrganizationActions {
  std::vector<Action> items;  // at most `limit`
  int64_t open_total = 0;
  int64_t overdue_total = 0;
};

struct ActionNote {
  int64_t id = 0;
  int64_t action_id = 0;
  std::string user_name;
  std::optional<std::string> status;  // the status it set, if any
  std::string text;
  int64_t created_at = 0;
};

// True for open|in_progress|done|dropped.
bool IsActionStatus(const std::string& status);

// Whether an initiative exists (the initiatives module's service, wired by app/): true, false,
// or the error that kept it from telling.
using InitiativeCheck = std::function<Result<bool>(int64_t id)>;

class ActionService {
 public:
  // `initiative_exists` checks an action's initiative_id; without it every initiative_id is
  // refused (422).
  ActionService(Database& db, Notifier notify, std::function<int64_t()> now = UnixNow,
                InitiativeCheck initiative_exists = {});

  // kFailedPrecondition (422) naming the field for an unknown owner, meeting, decision or
  // initiative.
  Result<Action> Create(const Principal& actor, const NewAction& action);
  // Does not check who reads: callers check CheckMaySeeMeetingDrafts first.
  Result<ActionPage> List(const ActionFilter& filter);
  Result<Action> Get(const Principal& viewer, int64_t id);
  Result<Action> Update(const Principal& actor, int64_t id, int64_t if_version,
                        const ActionChange& change);
  Result<std::vector<ActionNote>> ListNotes(const Principal& viewer, int64_t id);
  Result<ActionNote> AddNote(const Principal& actor, int64_t id, const std::string& text,
                             std::optional<std::string> status);
  // kNotFound for an unknown organisation. `limit` 1-500.
  Result<OrganizationActions> ForOrganization(const Principal& viewer, const std::string& org,
                                              int64_t limit = 100);
  // Marks every overdue, not yet notified action (at most `batch` per call) and notifies its
  // owner organisation once; returns how many were notified. For a BackgroundJob.
  Result<int> NotifyOverdue(int batch = 500);

 private:
  std::string Today() const;
  Status CheckInitiative(std::optional<int64_t> id) const;

  Database& db_;
  Notifier notify_;
  std::function<int64_t()> now_;
  InitiativeCheck initiative_exists_;
};

}  // namespace gmg
