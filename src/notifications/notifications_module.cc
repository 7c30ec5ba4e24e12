#include "notifications/notifications_module.h"

#include "notifications/notifications_api.h"
#include "notifications/notifications_migrations.h"

namespace gmg {

const std::vector<Migration>& NotificationModule::Migrations() const {
  return NotificationMigrations();
}

Status NotificationModule::Start(Database& db) {
  GMG_RETURN_IF_ERROR(CheckSmtpConfig(options_.smtp));
  NotificationOptions options;
  options.public_url = options_.public_url;
  service_ = std::make_unique<NotificationService>(db, auth_, std::move(options));
  if (options_.smtp.configured()) {
    smtp_ = std::make_unique<SmtpTransport>(options_.smtp);
    SmtpTransport* smtp = smtp_.get();
    sender_ = std::make_unique<OutboxSender>(
        db, [smtp](const MailMessage& mail) { return smtp->Send(mail); }, options_.retry);
  }
  return Ok();
}

void NotificationModule::AddRoutes(http::Router& router) {
  AddNotificationRoutes(router, {*service_, options_.smtp.configured()});
}

std::vector<BackgroundJob> NotificationModule::BackgroundJobs() {
  std::vector<BackgroundJob> jobs;
  if (sender_) {
    OutboxSender* sender = sender_.get();
    jobs.push_back({"notifications.outbox", std::chrono::seconds(5),
                    [sender](const std::stop_token& stop) -> Status {
                      auto pass = sender->RunOnce(stop);
                      if (!pass.ok()) return std::move(pass).TakeError();
                      return Ok();
                    }});
  }
  NotificationService* service = service_.get();
  jobs.push_back({"notifications.digest", std::chrono::seconds(60),
                  [service](const std::stop_token&) -> Status {
                    auto written = service->QueueDigests();
                    if (!written.ok()) return std::move(written).TakeError();
                    return Ok();
                  }});
  return jobs;
}

Notifier NotificationModule::notifier() {
  return [this](Tx& tx, const NewNotification& n) -> Status {
    if (!service_) {
      return MakeError(ErrorCode::kInternal, "the notifications module has not started");
    }
    return service_->Enqueue(tx, n);
  };
}

}  // namespace gmg
