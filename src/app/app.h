// App: the one composition root. Config → database → migrations → seed → services → routes.
// Nothing else constructs long-lived objects.
// Thread-safety: build on one thread; the router it returns is then used by server threads.
#pragma once

#include <memory>
#include <string>

#include "activities/activity_service.h"
#include "auth/auth_api.h"
#include "auth/auth_service.h"
#include "core/result.h"
#include "governance/governance_service.h"
#include "http/router.h"
#include "http/static_files.h"
#include "store/database.h"
#include "store/open.h"

namespace gmg {

struct AppConfig {
  std::string db_path = "gmg.db";
  std::string web_dir;  // "" = API only
  AuthHttpOptions auth_http;  // session cookie name and trusted proxies
  // The bearer secret a metrics scraper sends for /metrics; "" = admins only.
  std::string metrics_token;
};

class App {
 public:
  // Opens the database and brings it to the latest schema (refusing a newer one) and seeds
  // the GMG when it is empty.
  static Result<std::unique_ptr<App>> Open(const AppConfig& config);

  Database& db() { return *db_; }
  AuthService& auth() { return *auth_; }
  GovernanceService& governance() { return *governance_; }
  ActivityService& activities() { return *activities_; }
  http::Router& router() { return *router_; }
  // What the server may accept of a request, from its headers (Router::Admit), with the
  // client's address as its share of the background pool.
  http::Admission Admit(http::Request& head);

 private:
  App() = default;
  Status BuildRouter(const AppConfig& config);

  AuthHttpOptions auth_http_;

  std::unique_ptr<Database> db_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<GovernanceService> governance_;
  std::unique_ptr<ActivityService> activities_;
  std::unique_ptr<http::StaticFiles> web_;
  std::unique_ptr<http::Router> router_;
};

// OpenDatabase(spec), without migrating: store/open.h (a SQLite path or a PostgreSQL URL).

extern const char kGmgVersion[];

}  // namespace gmg
