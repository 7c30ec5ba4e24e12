#include "notifications/notification.h"

#include <iterator>

namespace gmg {
namespace {

struct KindName {
  NotificationKind kind;
  const char* name;
};

constexpr KindName kKindNames[] = {
    {NotificationKind::kRoundOpened, "round_opened"},
    {NotificationKind::kRoundDeadlineSoon, "round_deadline_soon"},
    {NotificationKind::kRoundOutcome, "round_outcome"},
    {NotificationKind::kMinutesCirculated, "minutes_circulated"},
    {NotificationKind::kActionAssigned, "action_assigned"},
    {NotificationKind::kActionOverdue, "action_overdue"},
};
static_assert(std::size(kKindNames) == kNotificationKindCount, "one name per kind");

}  // namespace

const char* NotificationKindName(NotificationKind kind) {
  for (const KindName& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "round_opened";
}

bool ParseNotificationKind(const std::string& name, NotificationKind* kind) {
  for (const KindName& k : kKindNames) {
    if (name == k.name) {
      *kind = k.kind;
      return true;
    }
  }
  return false;
}

}  // namespace gmg
