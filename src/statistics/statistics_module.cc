#include "statistics/statistics_module.h"

#include "statistics/statistics_migrations.h"
#include "statistics/stats_routes.h"

namespace gmg {
namespace {

struct DemoFlow {
  const char* agency;
  const char* id;
  const char* name;
  const char* description;
  DemoTable (*table)();
};

constexpr DemoFlow kDemoFlows[] = {
    {"UNDESA", "MIGRANT_STOCK", "International migrant stock by destination and origin",
     "Source: United Nations, Department of Economic and Social Affairs, Population Division "
     "(2019). International Migrant Stock 2019 (United Nations database, "
     "POP/DB/MIG/Stock/Rev.2019), by destination and origin, both sexes, 1990-2019.",
     DemoMigrantStock},
    {"UNHCR", "REFUGEES", "Refugees and asylum-seekers by origin and country of asylum",
     "Source: UNHCR Refugee Population Statistics Database "
     "(https://www.unhcr.org/refugee-statistics/), refugees and asylum-seekers under UNHCR's "
     "mandate by country of origin and country of asylum, 1995-2020.",
     DemoRefugees},
};

}  // namespace

const std::vector<Migration>& StatisticsModule::Migrations() const {
  return StatisticsMigrations();
}

Status StatisticsModule::Start(Database& db) {
  StatsService::Options options;
  AuthService& auth = auth_();
  options.user_name = [&auth](int64_t user_id) {
    auto user = auth.GetUser(user_id);
    return user.ok() ? user->name : std::string();
  };
  service_ = std::make_unique<StatsService>(db, std::move(options));
  return Ok();
}

void StatisticsModule::AddRoutes(http::Router& router) { AddStatsRoutes(router, *service_, api_); }

Result<int> StatisticsModule::LoadDemoData(Database& /*db*/) {
  int loaded = 0;
  for (const DemoFlow& demo : kDemoFlows) {
    StatsFlowRef ref{demo.agency, demo.id, ""};
    auto existing = service_->GetFlow(ref);
    if (existing.ok()) continue;
    if (existing.error().code != ErrorCode::kNotFound) return existing.error();
    DemoTable table = demo.table();
    StatsImportRequest request;
    request.flow = ref;
    request.name = demo.name;
    request.description = demo.description;
    request.data = table.bytes;
    request.file_name = std::string(table.file_name);
    request.infer = true;
    request.note = "gmg demo load";
    GMG_ASSIGN_OR_RETURN(auto report, service_->Import(Principal::Cli(), request));
    if (!report.applied) {
      std::string first = report.problems.empty()
                              ? std::string()
                              : ": line " + std::to_string(report.problems[0].line) + ", " +
                                    report.problems[0].column + ": " + report.problems[0].message;
      return MakeError(ErrorCode::kInternal,
                       "the demo table " + std::string(table.file_name) + " was refused with " +
                           std::to_string(report.problem_count) + " problems" + first);
    }
    ++loaded;
  }
  return loaded;
}

}  // namespace gmg
