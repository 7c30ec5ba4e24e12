#include "app/app.h"

#include <boost/json.hpp>

#include "activities/activity_api.h"
#include "app/modules.h"
#include "audit/audit_api.h"
#include "auth/auth_api.h"
#include "auth/crypto.h"
#include "governance/governance_api.h"
#include "governance/seed.h"
#include "http/openapi.h"

namespace gmg {

const char kGmgVersion[] = "0.1.0";

Result<std::unique_ptr<App>> App::Open(const AppConfig& config) {
  GMG_RETURN_IF_ERROR(InitCrypto());
  std::unique_ptr<App> app(new App());
  GMG_ASSIGN_OR_RETURN(app->db_, OpenDatabase(config.db_path));
  GMG_RETURN_IF_ERROR(Migrate(*app->db_));
  GMG_RETURN_IF_ERROR(SeedGmg(*app->db_));
  GMG_RETURN_IF_ERROR(SeedThemes(*app->db_));
  // Refreshes the planner's statistics where SQLite judges them stale (cheap when they are not).
  if (app->db_->Dialect() == Dialect::kSqlite) {
    GMG_RETURN_IF_ERROR(app->db_->Write([](Tx& tx) { return tx.ExecScript("PRAGMA optimize"); }));
  }
  app->auth_ = std::make_unique<AuthService>(*app->db_);
  app->governance_ = std::make_unique<GovernanceService>(*app->db_);
  app->activities_ = std::make_unique<ActivityService>(*app->db_);
  GMG_RETURN_IF_ERROR(app->BuildRouter(config));
  return app;
}

http::Admission App::Admit(http::Request& head) {
  http::Admission admission = router_->Admit(head);
  admission.client = ClientAddress(head, auth_http_);
  return admission;
}

Status App::BuildRouter(const AppConfig& config) {
  router_ = std::make_unique<http::Router>();
  http::Router& r = *router_;
  r.SetAuthenticator(MakeAuthenticator(*auth_, config.auth_http));
  r.SetMetricsToken(config.metrics_token);
  r.SetHttpsPredicate([options = config.auth_http](const http::Request& req) { return OverHttps(req, options); });
  auth_http_ = config.auth_http;

  r.Add({"GET", "/healthz", http::Access::kPublic,
         [this](http::Request&) -> http::Response {
           auto version = SchemaVersion(*db_);
           if (!version) return http::ErrorResponse(version.error());
           return http::JsonResponse(200, boost::json::object{{"status", "ok"},
                                                              {"schema_version", *version}});
         },
         "Liveness and database check", "system"});
  r.Add({"GET", "/metrics", http::Access::kMetrics,
         [this](http::Request&) -> http::Response {
           http::Response res;
           res.content_type = "text/plain; version=0.0.4; charset=utf-8";
           res.body = router_->metrics().Render();
           return res;
         },
         "Prometheus metrics (Authorization: Bearer <metrics token>, or an admin)", "system"});
  r.Add({"GET", "/api/v1/openapi.json", http::Access::kPublic,
         [this](http::Request&) -> http::Response {
           http::Response res;
           res.body = http::OpenApiDocument(*router_, kGmgVersion);
           return res;
         },
         "This API as OpenAPI 3.1", "system", /*cacheable=*/true});

  AddAuthRoutes(r, *auth_, config.auth_http);
  AddGovernanceRoutes(r, *governance_);
  AddActivityRoutes(r, *db_, *activities_);
  AddAuditRoutes(r, *db_);

  if (!config.web_dir.empty()) {
    GMG_ASSIGN_OR_RETURN(auto files, http::StaticFiles::Load(config.web_dir));
    web_ = std::make_unique<http::StaticFiles>(std::move(files));
    r.SetFallback([this](const http::Request& req) { return web_->Serve(req); });
  }
  return Ok();
}

}  // namespace gmg
