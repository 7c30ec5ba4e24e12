// Router: the whole API declared as data, and the request pipeline around each handler.
//
// Each Route names its method, path template (`/api/v1/organizations/{id}`), who may call it,
// the handler and a summary (the OpenAPI document is generated from this table). Dispatch()
// runs, in order: match → who is asking (the Authenticator) → access check → CSRF check for
// cookie-authenticated writes → the write gate (the write quota) → handler → If-None-Match →
// security headers → metrics. A
// handler returns Result<Response>: its Error becomes the JSON error answer here, in one place
// (ErrorResponse); an exception becomes 500. Modules declare their routes as a table of
// RouteRow (below), each row pointing at a named handler function. Anonymous GETs of routes marked
// `cacheable` are answered from a small in-memory cache that any successful write empties, and so
// does InvalidateCache() (the App calls it on every committed write of any instance sharing the
// database); entries also expire after one second, the safety net for a lost notification or a
// CLI writing a SQLite file beside the server. Thread-safety:
// routes are added before serving; Dispatch() may run on many threads.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/principal.h"
#include "core/result.h"
#include "http/message.h"
#include "http/metrics.h"

namespace gmg::http {

enum class Access {
  kPublic,    // anyone, signed in or not
  kSignedIn,  // any signed-in user
  kStaff,     // admin or secretariat
  kAdmin,
  // The monitoring scraper: `Authorization: Bearer <metrics token>` (SetMetricsToken), or an
  // admin. Nobody else: the metrics count sign-in failures and requests by route.
  kMetrics,
};
const char* AccessName(Access access);

// Success is the answer; an Error is answered by the router through ErrorResponse.
using Handler = std::function<Result<Response>(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kPublic;
  Handler handler;
  std::string summary;
  std::string tag;
  bool cacheable = false;
  // A body larger than the server's default (1 MiB), up to this many bytes: an upload. It is
  // accepted only from a sender the route admits, decided from the headers (Router::Admit).
  size_t max_body_bytes = 0;
  // Seconds of work (an import, an Excel file): handled on the server's background pool.
  bool background = false;
};

// One row of a module's route table: a Route whose handler is a plain function of the module's
// context (its service, or a small struct of what its handlers need). Tables are constant
// arrays, so the whole API of a module reads at a glance.
// Fields in the order a row reads; the padding a reordering would save is a few bytes a row.
template <typename Context>
struct RouteRow {  // NOLINT(clang-analyzer-optin.performance.Padding)
  const char* method;
  const char* pattern;
  Access access;
  Result<Response> (*handler)(Context&, Request&);
  const char* summary;
  const char* tag;
  bool cacheable = false;
  size_t max_body_bytes = 0;
  bool background = false;
};

// Resolves credentials to a Principal: an anonymous Principal when none were sent; an error
// (401) when a bearer token is wrong. A stale cookie is treated as no cookie on public routes.
using Authenticator = std::function<Result<Principal>(const Request&)>;

class Router {
 public:
  Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void Add(Route route);
  void SetAuthenticator(Authenticator auth) { auth_ = std::move(auth); }
  // The secret a scraper sends for Access::kMetrics routes; "" (the default) admits admins only.
  void SetMetricsToken(std::string token) { metrics_token_ = std::move(token); }
  // Whether a request reached us over HTTPS: such answers carry Strict-Transport-Security.
  void SetHttpsPredicate(std::function<bool(const Request&)> https) { https_ = std::move(https); }
  // Called for every write (POST, PUT, PATCH, DELETE) a route admits, after the access and CSRF
  // checks and before the handler (request.principal is set): an Error stops the request there
  // and is the answer (the write quota's 429, app/app.cc). Unset: every write goes on.
  void SetWriteGate(std::function<Status(const Request&)> gate) { write_gate_ = std::move(gate); }
  // Called for GET requests no route matches (the web app's files); nullopt means 404.
  void SetFallback(std::function<std::optional<Response>(const Request&)> fallback) {
    fallback_ = std::move(fallback);
  }

  Response Dispatch(Request& request);
  // Decides from the headers alone, before the body is read, what the server may accept: the
  // route's body limit and pool. For a route with a larger body limit or on the background
  // pool the sender is authenticated and checked now, and refused (401, 403) without reading
  // the body or queueing.
  Admission Admit(Request& head);

  const std::vector<Route>& routes() const { return routes_; }
  Metrics& metrics() { return metrics_; }
  // Empties the anonymous response cache (from any thread, lock-free): the App calls it when
  // the database reports a committed write of any instance (Database::Subscribe). An answer
  // whose handler was running meanwhile is not kept.
  void InvalidateCache() { generation_.fetch_add(1); }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{id}" for parameters
  };
  // The index of the route of the request's method and path, with its path parameters in
  // *params; -1 when none.
  int Match(const Request& request, std::vector<std::pair<std::string, std::string>>* params) const;
  // The methods routes have for `path` ("GET, HEAD, POST": the Allow header of a 405); empty
  // when no route has the path (a 404).
  std::string Allow(const std::string& path) const;
  // Whether route `route`'s pattern matches the path's segments; appends the parameters it met
  // to *params when given (also on a mismatch after some: the caller clears).
  bool PathMatches(size_t route, const std::vector<std::string>& segs,
                   std::vector<std::pair<std::string, std::string>>* params) const;
  Response Run(int index, Request& request);
  // Runs the handler: its Error, or an exception (500), becomes the error answer.
  Response Handle(const Route& route, Request& request) const;
  // Who is asking, whether the route admits them, and the CSRF check: nullopt when the request
  // may go on, else the answer. Sets request.principal once.
  std::optional<Response> Authorize(const Route& route, Request& request) const;
  void Finish(const Request& request, Response& response) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
  Authenticator auth_;
  std::string metrics_token_;
  std::function<bool(const Request&)> https_;
  std::function<Status(const Request&)> write_gate_;
  std::function<std::optional<Response>(const Request&)> fallback_;
  Metrics metrics_;

  struct CacheEntry {
    uint64_t generation;
    int64_t stored_at_ms;
    Response response;
  };
  std::atomic<uint64_t> generation_{0};
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::shared_ptr<const CacheEntry>> cache_;
};

// Adds every row of `rows`, its handler bound to `context`. The context must outlive the router
// unless it is owned through the shared_ptr overload.
template <typename Context, size_t N>
void AddRoutes(Router& router, std::shared_ptr<Context> context,
               const RouteRow<Context> (&rows)[N]) {
  for (const RouteRow<Context>& row : rows) {
    auto fn = row.handler;
    router.Add({row.method, row.pattern, row.access,
                [context, fn](Request& request) { return fn(*context, request); }, row.summary,
                row.tag, row.cacheable, row.max_body_bytes, row.background});
  }
}
template <typename Context, size_t N>
void AddRoutes(Router& router, Context& context, const RouteRow<Context> (&rows)[N]) {
  AddRoutes(router, std::shared_ptr<Context>(std::shared_ptr<void>(), &context), rows);
}

// Strong ETag of a body (hash), for GET responses without a version of their own.
std::string BodyETag(std::string_view body);
// `"v<version>"`: the ETag of a versioned record; If-Match must echo it.
std::string VersionETag(int64_t version);
// Reads If-Match as a version; kInvalidArgument when missing or not one of ours.
Result<int64_t> IfMatchVersion(const Request& request);
// As IfMatchVersion, but nullopt when If-Match is absent: for the older PUTs where a write
// without it still replaces whatever is stored (last write wins).
Result<std::optional<int64_t>> OptionalIfMatchVersion(const Request& request);

}  // namespace gmg::http
