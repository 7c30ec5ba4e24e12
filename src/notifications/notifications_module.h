// The notifications module: in-app notifications and e-mail for what the other modules report
// through their Notifier (notifications/notification.h), with its tables (notifications
// migration 1), routes (notifications/notifications_api.h), the outbox sender and the daily
// digest as background jobs (docs/notifications.md).
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "auth/auth_service.h"
#include "module/module.h"
#include "notifications/notification.h"
#include "notifications/notification_service.h"
#include "notifications/outbox.h"
#include "notifications/smtp.h"

namespace gmg {

struct NotificationModuleOptions {
  // E-mail links under this address (--public-url); "" = bare paths.
  std::string public_url;
  // The SMTP server (gmg serve --smtp-…); url "" = none: mail stays pending in the outbox.
  SmtpConfig smtp;
  RetryPolicy retry;
};

class NotificationModule final : public Module {
 public:
  // `auth`: the users an audience names (valid after auth's Start).
  NotificationModule(std::function<AuthService&()> auth, NotificationModuleOptions options = {})
      : auth_(std::move(auth)), options_(std::move(options)) {}

  std::string_view Name() const override { return "notifications"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // "notifications.outbox" every 5 s (only with SMTP configured) and "notifications.digest"
  // every minute.
  std::vector<BackgroundJob> BackgroundJobs() override;

  // After Start.
  NotificationService& service() { return *service_; }
  // What meetings and positions are handed: NotificationService::Enqueue. Valid after Start
  // (the function reaches the service when called, so it may be taken before).
  Notifier notifier();

 private:
  std::function<AuthService&()> auth_;
  NotificationModuleOptions options_;
  std::unique_ptr<NotificationService> service_;
  std::unique_ptr<SmtpTransport> smtp_;
  std::unique_ptr<OutboxSender> sender_;
};

}  // namespace gmg
