#include "initiatives/initiative_module.h"

#include "initiatives/initiative_api.h"
#include "initiatives/initiative_migrations.h"
#include "initiatives/initiative_seed.h"

namespace gmg {

InitiativeModule::InitiativeModule(std::function<GovernanceService&()> governance,
                                   LinkTarget link_target, LinkDescriber& describer,
                                   InitiativeDemoSources demo, std::function<int64_t()> now)
    : governance_(std::move(governance)),
      link_target_(std::move(link_target)),
      describer_(describer),
      demo_(std::move(demo)),
      now_(std::move(now)) {}

const std::vector<Migration>& InitiativeModule::Migrations() const {
  return InitiativeMigrations();
}

Status InitiativeModule::Seed(Database& db) {
  GMG_RETURN_IF_ERROR(SeedInitiatives(db, now_()));
  return Ok();
}

Status InitiativeModule::Start(Database& db) {
  service_ = std::make_unique<InitiativeService>(db, link_target_, now_, &describer_);
  return Ok();
}

void InitiativeModule::AddRoutes(http::Router& router) {
  AddInitiativeRoutes(router, *service_, governance_);
}

Result<int> InitiativeModule::LoadDemoData(Database& /*db*/) {
  return LoadDemoInitiatives(*service_, demo_, now_());
}

}  // namespace gmg
