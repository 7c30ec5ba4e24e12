// The meetings module (issue 12): meeting series with recurrence rules, meetings with their
// agendas, papers and attendance (meetings/meeting_service.h), and the minutes, decisions and
// actions built on the same tables, with their routes (docs/meetings.md).
// Thread-safety: see module/module.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "governance/governance_service.h"
#include "meetings/action_service.h"
#include "meetings/meeting_service.h"
#include "meetings/minutes_service.h"
#include "module/module.h"
#include "notifications/notification.h"

namespace gmg {

class MeetingsModule final : public Module {
 public:
  // `notify` records notifications in the writer's transaction (notifications/notification.h);
  // `governance` is the governance module's service (valid after its Start): the chair on a
  // date, the ToR purposes. `now` is the clock (UTC seconds) every service of the module uses.
  // `initiative_exists`: whether an action's initiative exists (the initiatives module's
  // service, which comes later; wired by app/).
  MeetingsModule(Notifier notify, std::function<GovernanceService&()> governance,
                 std::function<int64_t()> now = UnixNow, InitiativeCheck initiative_exists = {});

  std::string_view Name() const override { return "meetings"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  std::vector<BackgroundJob> BackgroundJobs() override;
  // The demo series and meetings (meetings/meeting_demo.h), then their minutes, decisions and
  // actions (meetings/minutes_demo.h).
  Result<int> LoadDemoData(Database& db) override;

  // After Start: the minutes and decisions, and the actions (the initiatives module creates
  // and lists follow-up actions through actions()).
  MinutesService& minutes() { return *minutes_; }
  ActionService& actions() { return *actions_; }

  // After Start.
  MeetingService& service() { return *service_; }
  const Notifier& notifier() const { return notify_; }
  const std::function<int64_t()>& clock() const { return now_; }

 private:
  Notifier notify_;
  std::function<GovernanceService&()> governance_;
  std::function<int64_t()> now_;
  InitiativeCheck initiative_exists_;
  std::unique_ptr<MinutesService> minutes_;
  std::unique_ptr<ActionService> actions_;
  std::unique_ptr<MeetingService> service_;
  Database* db_ = nullptr;  // the iCalendar feeds read it (meetings/ical_feed.h)
};

}  // namespace gmg
