// The positions module (issue 12): common positions drafted by a lead organisation, their
// versions and comments, endorsement rounds (consensus or silence procedure) with each member's
// stand and delegations, closed exactly once at the deadline by an in-process job
// (positions/position_service.h, docs/positions.md), and their routes.
// Thread-safety: see module/module.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "auth/auth_service.h"
#include "governance/governance_service.h"
#include "module/module.h"
#include "notifications/notification.h"
#include "positions/position_service.h"

namespace gmg {

class PositionsModule final : public Module {
 public:
  // `notify` records notifications in the writer's transaction (notifications/notification.h);
  // `governance` and `auth` are those modules' services (valid after their Start): the current
  // members on a date, the users a focal point delegates to. `now` is the clock (UTC seconds).
  PositionsModule(Notifier notify, std::function<GovernanceService&()> governance,
                  std::function<AuthService&()> auth, std::function<int64_t()> now = UnixNow);

  std::string_view Name() const override { return "positions"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // "positions.rounds" every 5 s: closes due rounds, sends the 48-hour reminders. Safe on
  // every instance: each close and reminder is one conditional UPDATE.
  std::vector<BackgroundJob> BackgroundJobs() override;
  // "Demo:" positions: one adopted with its history, one in consultation with comments, one
  // in a silence-procedure round with stands (one by a delegate). Once per database.
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  PositionService& service() { return *service_; }

 private:
  Notifier notify_;
  std::function<GovernanceService&()> governance_;
  std::function<AuthService&()> auth_;
  std::function<int64_t()> now_;
  std::unique_ptr<PositionService> service_;
};

}  // namespace gmg
