#include "app/app.h"

#include <boost/json.hpp>

#include "app/modules.h"
#include "app/site_search_api.h"
#include "app/site_search_sources.h"
#include "auth/auth_api.h"
#include "auth/crypto.h"
#include "http/openapi.h"

namespace gmg {

const char kGmgVersion[] = "0.1.0";

namespace {

// What the server's own routes need.
struct SystemApi {
  Database& db;
  http::Router& router;
};

Result<http::Response> Healthz(SystemApi& api, http::Request&) {
  GMG_ASSIGN_OR_RETURN(int64_t version, SchemaVersion(api.db));
  return http::JsonResponse(200,
                            boost::json::object{{"status", "ok"}, {"schema_version", version}});
}

Result<http::Response> Metrics(SystemApi& api, http::Request&) {
  http::Response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body = api.router.metrics().Render();
  return res;
}

Result<http::Response> OpenApi(SystemApi& api, http::Request&) {
  http::Response res;
  res.body = http::OpenApiDocument(api.router, kGmgVersion);
  return res;
}

constexpr http::RouteRow<SystemApi> kSystemRoutes[] = {
    {"GET", "/healthz", http::Access::kPublic, Healthz, "Liveness and database check", "system"},
    {"GET", "/metrics", http::Access::kMetrics, Metrics,
     "Prometheus metrics (Authorization: Bearer <metrics token>, or an admin)", "system"},
    {"GET", "/api/v1/openapi.json", http::Access::kPublic, OpenApi, "This API as OpenAPI 3.1",
     "system", true},
};

}  // namespace

Result<std::unique_ptr<App>> App::Open(const AppConfig& config) {
  GMG_RETURN_IF_ERROR(InitCrypto());
  std::unique_ptr<App> app(new App());
  app->modules_ = std::make_unique<Modules>(config.auth_http, config.downloads, config.stats_api,
                                            config.notifications, config.auth_limits);
  const std::vector<Module*>& modules = app->modules_->InOrder();
  GMG_RETURN_IF_ERROR(CheckModules(modules));
  GMG_ASSIGN_OR_RETURN(app->db_, OpenDatabase(config.db_path));
  GMG_RETURN_IF_ERROR(Migrate(*app->db_, app->modules_->Migrations()));
  for (Module* m : modules) GMG_RETURN_IF_ERROR(m->Seed(*app->db_));
  // Refreshes the planner's statistics where SQLite judges them stale (cheap when they are not).
  if (app->db_->Dialect() == Dialect::kSqlite) {
    GMG_RETURN_IF_ERROR(app->db_->Write([](Tx& tx) { return tx.ExecScript("PRAGMA optimize"); }));
  }
  for (Module* m : modules) GMG_RETURN_IF_ERROR(m->Start(*app->db_));
  GMG_RETURN_IF_ERROR(app->BuildRouter(config));
  // Any committed write of any instance on this database empties this instance's cache.
  http::Router* router = app->router_.get();
  GMG_ASSIGN_OR_RETURN(app->changes_, app->db_->Subscribe(Database::kDataChannel,
                                                          [router] { router->InvalidateCache(); }));
  return app;
}

AuthService& App::auth() { return modules_->auth().service(); }
GovernanceService& App::governance() { return modules_->governance().service(); }
ActivityService& App::activities() { return modules_->activities().service(); }
CoherenceService& App::coherence() { return modules_->coherence().service(); }
StatsService& App::statistics() { return modules_->statistics().service(); }
GapService& App::gaps() { return modules_->coherence().gaps(); }
NotificationService& App::notifications() { return modules_->notifications().service(); }

std::vector<BackgroundJob> App::BackgroundJobs() {
  std::vector<BackgroundJob> jobs;
  for (Module* m : modules_->InOrder()) {
    for (BackgroundJob& job : m->BackgroundJobs()) jobs.push_back(std::move(job));
  }
  return jobs;
}

Result<int> App::LoadDemoData() {
  int added = 0;
  for (Module* m : modules_->InOrder()) {
    GMG_ASSIGN_OR_RETURN(int n, m->LoadDemoData(*db_));
    added += n;
  }
  return added;
}

http::Admission App::Admit(http::Request& head) {
  http::Admission admission = router_->Admit(head);
  admission.client = ClientAddress(head, auth_http_);
  return admission;
}

Status App::BuildRouter(const AppConfig& config) {
  router_ = std::make_unique<http::Router>();
  http::Router& r = *router_;
  r.SetMetricsToken(config.metrics_token);
  r.SetHttpsPredicate(
      [options = config.auth_http](const http::Request& req) { return OverHttps(req, options); });
  auth_http_ = config.auth_http;

  // The write quota: per signed-in user, else per client address (its /64 for IPv6).
  write_limiter_ = std::make_unique<http::WriteLimiter>(config.write_limit);
  if (write_limiter_->enabled()) {
    r.SetWriteGate([this](const http::Request& req) {
      const Principal& p = req.principal;
      return write_limiter_->Take(
          p.signed_in() && p.user_id > 0
              ? "user:" + std::to_string(p.user_id)
              : "address:" + http::WriteLimitAddressKey(ClientAddress(req, auth_http_)));
    });
  }

  http::AddRoutes(r, std::make_shared<SystemApi>(SystemApi{*db_, r}), kSystemRoutes);

  for (Module* m : modules_->InOrder()) m->AddRoutes(r);
  site_search_ = std::make_unique<SiteSearch>(SiteSearchSources(*modules_));
  AddSiteSearchRoutes(r, *site_search_);

  if (!config.web_dir.empty()) {
    GMG_ASSIGN_OR_RETURN(auto files, http::StaticFiles::Load(config.web_dir));
    web_ = std::make_unique<http::StaticFiles>(std::move(files));
    r.SetFallback([this](const http::Request& req) { return web_->Serve(req); });
  }
  return Ok();
}

}  // namespace gmg
