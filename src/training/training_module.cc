#include "training/training_module.h"

#include "training/training_api.h"
#include "training/training_demo.h"
#include "training/training_migrations.h"

namespace gmg {

TrainingModule::TrainingModule(std::function<GovernanceService&()> governance,
                               std::function<int64_t()> now)
    : governance_(std::move(governance)), now_(std::move(now)) {}

const std::vector<Migration>& TrainingModule::Migrations() const { return TrainingMigrations(); }

Status TrainingModule::Start(Database& db) {
  service_ = std::make_unique<TrainingService>(db, now_);
  return Ok();
}

void TrainingModule::AddRoutes(http::Router& router) {
  AddTrainingRoutes(router, *service_, governance_);
}

Result<int> TrainingModule::LoadDemoData(Database& db) { return LoadDemoTraining(db, now_()); }

}  // namespace gmg
