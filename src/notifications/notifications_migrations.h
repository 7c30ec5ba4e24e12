// The notifications module's schema migrations, SQLite and PostgreSQL (store/migrations.h):
// what happened (notification_events: kind, parameters, link, the record it is about), who
// hears of it in the app (notifications: one row per user and event, read or not), how each
// user wants each kind (notification_preferences; notification_settings: the digest hour), and
// the e-mail outbox the sender works through (email_outbox; docs/notifications.md).
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& NotificationMigrations();

}  // namespace gmg
