// The activities module: the activity map (activities/activity_service.h), its search, IATI
// import and export, the demo activities, and their routes.
// Thread-safety: see module/module.h.
#pragma once

#include <memory>

#include "activities/activity_service.h"
#include "activities/download_settings.h"
#include "module/module.h"

namespace gmg {

class ActivityModule final : public Module {
 public:
  // `downloads`: the public address and data licence the downloads carry (`gmg serve`).
  explicit ActivityModule(DownloadSettings downloads = {}) : downloads_(std::move(downloads)) {}

  std::string_view Name() const override { return "activities"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  // The GMG's themes, when the database has none.
  Status Seed(Database& db) override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // The demo activities (activities/demo.h).
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  ActivityService& service() { return *service_; }

 private:
  DownloadSettings downloads_;
  Database* db_ = nullptr;
  std::unique_ptr<ActivityService> service_;
};

}  // namespace gmg
