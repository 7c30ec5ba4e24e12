#include "activities/activity_module.h"

#include "activities/activity_api.h"
#include "activities/activity_migrations.h"
#include "activities/demo.h"

namespace gmg {

const std::vector<Migration>& ActivityModule::Migrations() const { return ActivityMigrations(); }

Status ActivityModule::Seed(Database& db) { return SeedThemes(db); }

Status ActivityModule::Start(Database& db) {
  db_ = &db;
  service_ = std::make_unique<ActivityService>(db);
  return Ok();
}

void ActivityModule::AddRoutes(http::Router& router) {
  AddActivityRoutes(router, *db_, *service_, downloads_);
}

Result<int> ActivityModule::LoadDemoData(Database& db) { return LoadDemoActivities(db, *service_); }

}  // namespace gmg
