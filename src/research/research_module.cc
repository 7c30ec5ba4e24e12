#include "research/research_module.h"

#include "research/research_api.h"
#include "research/research_demo.h"
#include "research/research_migrations.h"

namespace gmg {

ResearchModule::ResearchModule(ExchangeUserLookup users, std::function<int64_t()> now)
    : users_(std::move(users)), now_(std::move(now)) {}

const std::vector<Migration>& ResearchModule::Migrations() const { return ResearchMigrations(); }

Status ResearchModule::Start(Database& db) {
  research_ = std::make_unique<ResearchService>(db, now_);
  exchanges_ = std::make_unique<ExchangeService>(db, users_, now_);
  return Ok();
}

void ResearchModule::AddRoutes(http::Router& router) {
  AddResearchRoutes(router, *research_, *exchanges_);
}

Result<int> ResearchModule::LoadDemoData(Database& /*db*/) {
  return LoadDemoResearch(*research_, *exchanges_);
}

}  // namespace gmg
