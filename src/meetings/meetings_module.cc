#include "meetings/meetings_module.h"

#include "meetings/meetings_migrations.h"

namespace gmg {

MeetingsModule::MeetingsModule(Notifier notify, std::function<GovernanceService&()> governance,
                               std::function<int64_t()> now)
    : notify_(std::move(notify)), governance_(std::move(governance)), now_(std::move(now)) {}

const std::vector<Migration>& MeetingsModule::Migrations() const { return MeetingsMigrations(); }

Status MeetingsModule::Start(Database& db) {
  db_ = &db;
  return Ok();
}

void MeetingsModule::AddRoutes(http::Router& /*router*/) {}

}  // namespace gmg
