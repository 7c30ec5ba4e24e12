// What another module hands the notifications module when something happens that people should
// hear of (issue 12): a round opened, a deadline near, an outcome, minutes circulated, an action
// assigned or overdue. The event is written in the SAME transaction as the change it reports
// (Notifier below), so an acknowledged change never loses its notification and a rolled-back one
// never sends one. The notifications module (notifications/notification_service.h) expands the
// audience into the users it names, renders the text in each user's language from `kind` and
// `params`, and delivers it in the app and, by each user's preferences, by e-mail now or in the
// daily digest.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace gmg {

enum class NotificationKind {
  kRoundOpened,        // params: position, deadline (ISO 8601 UTC), rule ("consensus"|"silence")
  kRoundDeadlineSoon,  // params: position, deadline
  kRoundOutcome,       // params: position, outcome ("adopted"|"not_adopted"), tally ("7/2/1")
  kMinutesCirculated,  // params: meeting, comments_until (ISO 8601 UTC)
  kActionAssigned,     // params: action, due_date (YYYY-MM-DD), meeting (may be empty)
  kActionOverdue,      // params: action, due_date
};
// How many kinds there are (a request naming more is refused before any is looked at).
inline constexpr size_t kNotificationKindCount = 6;
// "round_opened", "round_deadline_soon", "round_outcome", "minutes_circulated",
// "action_assigned", "action_overdue" (in JSON, preferences and the database).
const char* NotificationKindName(NotificationKind kind);
// False (and *kind untouched) for an unknown name.
bool ParseNotificationKind(const std::string& name, NotificationKind* kind);

// Who should hear of it; the union of the parts, each user once. Only active users are reached.
// (Not "Audience": core/access_policy.h has a gmg::Audience, and a file may include both.)
struct NotificationAudience {
  // Focal points and members (role focal_point or member) of these organisations.
  std::vector<std::string> organization_ids;
  // With organization_ids: only their focal points.
  bool focal_points_only = false;
  // Every user with role secretariat or admin.
  bool staff = false;
  // These users, whatever their role.
  std::vector<int64_t> user_ids;
};

struct NewNotification {
  NotificationKind kind = NotificationKind::kRoundOpened;
  // The values the message templates name (see each kind above); plain text, not HTML.
  std::map<std::string, std::string> params;
  // Where the web app shows the subject: "/positions/12", "/meetings/5", "/actions?org=ilo".
  std::string link;
  // The record it is about, as in the audit log ("position", 12).
  std::string entity;
  int64_t entity_id = 0;
  NotificationAudience audience;
};

// Records `n` inside the caller's write transaction. kInvalidArgument for an empty audience or a
// link that is not an app path (must start with "/"); errors of the database otherwise (the
// caller's transaction then rolls back). Provided by the notifications module; modules receive it
// in their constructor, and tests may pass a function that records what it is given.
using Notifier = std::function<Status(Tx& tx, const NewNotification& n)>;

}  // namespace gmg
