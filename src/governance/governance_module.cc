#include "governance/governance_module.h"

#include "governance/governance_api.h"
#include "governance/governance_migrations.h"
#include "governance/seed.h"

namespace gmg {

const std::vector<Migration>& GovernanceModule::Migrations() const {
  return GovernanceMigrations();
}

Status GovernanceModule::Seed(Database& db) {
  GMG_RETURN_IF_ERROR(SeedGmg(db));
  return Ok();
}

Status GovernanceModule::Start(Database& db) {
  service_ = std::make_unique<GovernanceService>(db);
  return Ok();
}

void GovernanceModule::AddRoutes(http::Router& router) { AddGovernanceRoutes(router, *service_); }

}  // namespace gmg
