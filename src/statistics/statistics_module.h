// The statistics module: SDMX dataflows, their releases and data (statistics/stats_service.h),
// with their tables (statistics migration 1), routes (statistics/stats_routes.h) and the demo
// dataflows (UN DESA's international migrant stock, UNHCR's refugee population statistics).
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "auth/auth_service.h"
#include "module/module.h"
#include "statistics/stats_routes.h"
#include "statistics/stats_service.h"

namespace gmg {

class StatisticsModule final : public Module {
 public:
  // `auth`: the service that names the users who uploaded releases (valid after auth's Start).
  // `api`: the answers' size limit (gmg serve --max-answer-observations).
  StatisticsModule(std::function<AuthService&()> auth, StatsApiOptions api)
      : auth_(std::move(auth)), api_(api) {}

  std::string_view Name() const override { return "statistics"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // UNDESA:MIGRANT_STOCK and UNHCR:REFUGEES from the tables embedded in the binary
  // (data/statistics/), through inference and import, once: 0 when they are already there.
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  StatsService& service() { return *service_; }

 private:
  std::function<AuthService&()> auth_;
  StatsApiOptions api_;
  std::unique_ptr<StatsService> service_;
};

// The demo tables as embedded (statistics/demo_data.cc): file name and bytes.
struct DemoTable {
  std::string_view file_name;
  std::string_view bytes;
};
DemoTable DemoMigrantStock();
DemoTable DemoRefugees();

}  // namespace gmg
