// App: the one composition root. Config → modules (app/modules.h) → database → migrations →
// seeds → services → routes, each step over every module in dependency order.
// Nothing else constructs long-lived objects.
// Thread-safety: build on one thread; the router it returns is then used by server threads.
#pragma once

#include <memory>
#include <string>

#include "activities/activity_service.h"
#include "activities/download_settings.h"
#include "app/modules.h"
#include "app/site_search.h"
#include "auth/auth_api.h"
#include "auth/auth_service.h"
#include "coherence/coherence_service.h"
#include "coherence/gap_service.h"
#include "core/result.h"
#include "governance/governance_service.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/write_limit.h"
#include "store/database.h"
#include "store/open.h"

namespace gmg {

struct AppConfig {
  std::string db_path = "gmg.db";
  std::string web_dir;        // "" = API only
  AuthHttpOptions auth_http;  // session cookie name and trusted proxies
  // The sign-in throttle, token lifetimes and password hash cost (the defaults are the policy).
  AuthLimits auth_limits;
  // The bearer secret a metrics scraper sends for /metrics; "" = admins only.
  std::string metrics_token;
  // The public address and data licence of downloads (--public-url, --data-licence).
  DownloadSettings downloads;
  // The statistics answers' size limit (--max-answer-observations).
  StatsApiOptions stats_api;
  // E-mail: SMTP server, public address of links, retries (--smtp-…, docs/notifications.md).
  NotificationModuleOptions notifications;
  // The write quota per user or client address (--writes-per-minute, --write-burst; 0 = off).
  http::WriteLimitOptions write_limit;
};

class App {
 public:
  // Opens the database and brings it to the latest schema (refusing a newer one) and seeds
  // the GMG when it is empty.
  static Result<std::unique_ptr<App>> Open(const AppConfig& config);

  Database& db() { return *db_; }
  AuthService& auth();
  GovernanceService& governance();
  ActivityService& activities();
  CoherenceService& coherence();
  StatsService& statistics();
  GapService& gaps();
  NotificationService& notifications();
  // Every module's background jobs (module/module.h), to run while serving.
  std::vector<BackgroundJob> BackgroundJobs();
  // Every module's demo data (`gmg demo load`); how many rows were added.
  Result<int> LoadDemoData();
  http::Router& router() { return *router_; }
  // What the server may accept of a request, from its headers (Router::Admit), with the
  // client's address as its share of the background pool.
  http::Admission Admit(http::Request& head);

 private:
  App() = default;
  Status BuildRouter(const AppConfig& config);

  AuthHttpOptions auth_http_;

  std::unique_ptr<Database> db_;
  std::unique_ptr<Modules> modules_;  // after db_: its services are destroyed before it
  std::unique_ptr<http::StaticFiles> web_;
  std::unique_ptr<http::WriteLimiter> write_limiter_;  // before router_: its write gate uses it
  std::unique_ptr<SiteSearch> site_search_;            // before router_: its route uses it
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<Subscription> changes_;  // last: stopped before the router it invalidates
};

// OpenDatabase(spec), without migrating: store/open.h (a SQLite path or a PostgreSQL URL).

extern const char kGmgVersion[];

}  // namespace gmg
