#include "research/research_module.h"

#include "research/research_api.h"
#include "research/research_demo.h"
#include "research/research_migrations.h"

namespace gmg {

ResearchModule::ResearchModule(std::function<Result<bool>(int64_t)> user_exists,
                               std::function<int64_t()> now)
    : user_exists_(std::move(user_exists)), now_(std::move(now)) {}

const std::vector<Migration>& ResearchModule::Migrations() const { return ResearchMigrations(); }

Status ResearchModule::Start(Database& db) {
  research_ = std::make_unique<ResearchService>(db, now_);
  exchanges_ = std::make_unique<ExchangeService>(db, user_exists_, now_);
  return Ok();
}

void ResearchModule::AddRoutes(http::Router& router) {
  AddResearchRoutes(router, *research_, *exchanges_);
}

Result<int> ResearchModule::LoadDemoData(Database& /*db*/) {
  return LoadDemoResearch(*research_, *exchanges_);
}

}  // namespace gmg
