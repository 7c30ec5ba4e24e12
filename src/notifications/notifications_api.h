// The notifications JSON API (docs/api.md "Notifications"): one's own notifications (list,
// unread count for the bell, mark read), one's own preferences, and the administrators' view
// of the e-mail outbox. Writes are CSRF-checked by the router and audited by the service.
// Thread-safety: handlers are reentrant.
#pragma once

#include "http/router.h"
#include "notifications/notification_service.h"

namespace gmg {

struct NotificationApiContext {
  NotificationService& service;
  bool smtp_configured = false;
};

// Adds /api/v1/notifications…; the context's service must outlive the router.
void AddNotificationRoutes(http::Router& router, NotificationApiContext context);

}  // namespace gmg
