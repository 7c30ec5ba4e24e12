#include "positions/positions_module.h"

#include "positions/position_api.h"
#include "positions/positions_demo.h"
#include "positions/positions_migrations.h"

namespace gmg {

PositionsModule::PositionsModule(Notifier notify, std::function<GovernanceService&()> governance,
                                 std::function<AuthService&()> auth, std::function<int64_t()> now)
    : notify_(std::move(notify)),
      governance_(std::move(governance)),
      auth_(std::move(auth)),
      now_(std::move(now)) {}

const std::vector<Migration>& PositionsModule::Migrations() const { return PositionsMigrations(); }

Status PositionsModule::Start(Database& db) {
  service_ = std::make_unique<PositionService>(db, notify_, governance_, auth_, now_);
  return Ok();
}

void PositionsModule::AddRoutes(http::Router& router) { AddPositionRoutes(router, *service_); }

std::vector<BackgroundJob> PositionsModule::BackgroundJobs() {
  PositionService* s = service_.get();
  return {{"positions.rounds", std::chrono::seconds(5),
           [s](const std::stop_token&) { return s->RunJobs(); }}};
}

Result<int> PositionsModule::LoadDemoData(Database& db) {
  return LoadDemoPositions(db, *service_, auth_(), now_());
}

}  // namespace gmg
