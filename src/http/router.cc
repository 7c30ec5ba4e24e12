#include "http/router.h"

#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "core/access_policy.h"
#include "core/text.h"
#include "http/compression.h"

namespace gmg::http {
namespace {

// If-None-Match: a list of ETags or "*", compared weakly (RFC 9110 13.1.2), so the weak form a
// compressed answer carries matches too.
bool NoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  auto strip = [](std::string_view t) {
    t = Trim(t);
    if (t.substr(0, 2) == "W/") t.remove_prefix(2);
    return t;
  };
  std::string_view mine = strip(etag);
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view tag = strip(if_none_match.substr(0, comma));
    if (tag == "*" || tag == mine) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

void AppendVary(Response& response, std::string_view names) {
  auto vary = response.Header("Vary");
  response.SetHeader("Vary", vary && !vary->empty() ? std::string(*vary) + ", " + std::string(names)
                                                    : std::string(names));
}

// Answers to requests with credentials may differ by viewer (a focal point's contacts, private
// activities): no shared cache may store them, and their validators differ from the anonymous
// answer's, so an anonymous If-None-Match never confirms a signed-in answer.
bool Personal(const Request& request) {
  return request.Header("cookie").has_value() || request.Header("authorization").has_value();
}

// gzip for clients that take it (compression.h). A compressed answer's ETag becomes weak:
// its bytes differ from the identity answer's. Streamed bodies are marked here and
// compressed by the server as they go out.
void Compress(const Request& request, Response& response) {
  // Only answers to reads: answers to writes carry fresh secrets (a new API token, the CSRF
  // token at sign-in) beside text the client sent, what a compression side channel (BREACH)
  // needs. They are small anyway.
  if (request.method != "GET") return;
  if (response.status != 200 || response.Header("Content-Encoding") ||
      !Compressible(response.content_type))
    return;
  if (!response.stream && response.body.size() < kMinCompressBytes) return;
  AppendVary(response, "Accept-Encoding");
  if (!AcceptsGzip(request.Header("accept-encoding"))) return;
  if (!response.stream) {
    std::string z = response.gzipped ? *response.gzipped : Gzip(response.body, 1);
    if (z.size() >= response.body.size()) return;
    response.body = std::move(z);
  }
  response.SetHeader("Content-Encoding", "gzip");
  if (auto etag = response.Header("ETag"); etag && etag->substr(0, 2) != "W/") {
    response.SetHeader("ETag", "W/" + std::string(*etag));
  }
}

constexpr int64_t kCacheTtlMs = 1000;
constexpr size_t kCacheMaxEntries = 512;

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool IsWrite(std::string_view method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The coarse gate in front of a route; what a role may do is the access policy's.
bool Allowed(Access access, const Principal& p) {
  switch (access) {
    case Access::kPublic:
      return true;
    case Access::kSignedIn:
      return p.signed_in();
    case Access::kStaff:
      return AccessPolicy::ManagesGmg(p);
    case Access::kAdmin:
    case Access::kMetrics:  // the scraper's bearer secret is checked before this
      return AccessPolicy::Administers(p);
  }
  return false;
}

// Metric indices for requests that match no route.
constexpr size_t kUnmatchedMetric = 0;
constexpr size_t kStaticMetric = 1;

}  // namespace

const char* AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kSignedIn:
      return "signed_in";
    case Access::kStaff:
      return "staff";
    case Access::kAdmin:
      return "admin";
    case Access::kMetrics:
      return "metrics";
  }
  return "public";
}

Router::Router() {
  metrics_.AddRoute("ANY", "unmatched");
  metrics_.AddRoute("GET", "web");
}

void Router::Add(Route route) {
  Compiled c;
  c.segments = SplitPath(route.pattern);
  metrics_.AddRoute(route.method, route.pattern);
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(c));
}

bool Router::PathMatches(size_t route, const std::vector<std::string>& segs,
                         std::vector<std::pair<std::string, std::string>>* params) const {
  const auto& pattern = compiled_[route].segments;
  if (pattern.size() != segs.size()) return false;
  for (size_t k = 0; k < segs.size(); ++k) {
    const std::string& p = pattern[k];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (params) params->emplace_back(p.substr(1, p.size() - 2), segs[k]);
    } else if (p != segs[k]) {
      return false;
    }
  }
  return true;
}

int Router::Match(const Request& request,
                  std::vector<std::pair<std::string, std::string>>* params) const {
  std::vector<std::string> segs = SplitPath(request.path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != request.method) continue;
    params->clear();
    if (PathMatches(i, segs, params)) return static_cast<int>(i);
  }
  params->clear();
  return -1;
}

std::string Router::Allow(const std::string& path) const {
  std::vector<std::string> segs = SplitPath(path);
  std::string allow;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!PathMatches(i, segs, nullptr)) continue;
    if (!allow.empty()) allow += ", ";
    // The server answers HEAD as GET without the body (server.cc).
    allow += routes_[i].method == "GET" ? "GET, HEAD" : routes_[i].method;
  }
  return allow;
}

Response Router::Dispatch(Request& request) {
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  // Admit matched it already when the server asked (the headers came first).
  int index = request.route_index;
  if (index < 0) index = Match(request, &request.path_params);
  std::string allow = index < 0 ? Allow(request.path) : "";
  Response response;
  size_t metric = kUnmatchedMetric;
  bool embeddable = false;
  if (index >= 0) {
    metric = static_cast<size_t>(index) + 2;
    response = Run(index, request);
  } else if (!allow.empty()) {
    response = ErrorResponse(MakeError(ErrorCode::kInvalidArgument,
                                       request.method + " is not allowed on " + request.path));
    response.status = 405;
    response.SetHeader("Allow", allow);
  } else {
    std::optional<Response> file;
    if (request.method == "GET" && fallback_) file = fallback_(request);
    if (file) {
      metric = kStaticMetric;
      response = std::move(*file);
      embeddable = request.path == kEmbeddablePath;
    } else {
      response =
          ErrorResponse(MakeError(ErrorCode::kNotFound, "no such resource: " + request.path));
    }
  }
  Finish(request, response);
  if (embeddable) AllowFraming(response);
  metrics_.Record(metric, response.status, elapsed());
  return response;
}

Response Router::Run(int index, Request& request) {
  const Route& route = routes_[static_cast<size_t>(index)];
  bool anonymous = !request.Header("cookie") && !request.Header("authorization");
  std::string cache_key;
  if (route.cacheable && anonymous && request.method == "GET") {
    // Routes that negotiate their format (the SDMX API) answer the same target differently
    // by Accept: it is part of the key.
    cache_key = request.target;
    if (auto accept = request.Header("accept")) {
      cache_key += '\n';
      cache_key += *accept;
    }
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(cache_key);
    if (it != cache_.end() && it->second->generation == generation_.load() &&
        NowMs() - it->second->stored_at_ms < kCacheTtlMs) {
      return it->second->response;
    }
  }

  if (auto denied = Authorize(route, request)) return std::move(*denied);
  if (write_gate_ && IsWrite(request.method)) {
    if (Status admitted = write_gate_(request); !admitted.ok()) {
      return ErrorResponse(admitted.error());
    }
  }

  // Taken before the handler reads: a write committed (here or, notified, on another instance)
  // while it runs makes this answer stale, and it must not be cached as current.
  uint64_t generation = generation_.load();
  int64_t started_ms = NowMs();
  Response response = Handle(route, request);

  if (IsWrite(request.method) && response.status < 400) {
    generation_.fetch_add(1);
  }
  if (!cache_key.empty() && response.status == 200 && !response.stream) {
    if (!response.Header("ETag")) response.SetHeader("ETag", BodyETag(response.body));
    // Compressed once for all the hits (browsers ask for gzip).
    if (response.body.size() >= kMinCompressBytes && Compressible(response.content_type)) {
      response.gzipped = std::make_shared<const std::string>(Gzip(response.body, 6));
    }
    auto entry = std::make_shared<const CacheEntry>(CacheEntry{generation, started_ms, response});
    std::lock_guard lock(cache_mu_);
    if (cache_.size() >= kCacheMaxEntries) cache_.clear();
    cache_[cache_key] = std::move(entry);
  }
  return response;
}

// The one place a handler's Error becomes the JSON error answer.
Response Router::Handle(const Route& route, Request& request) const {
  try {
    Result<Response> result = route.handler(request);
    if (!result.ok()) return ErrorResponse(result.error());
    return std::move(result).value();
  } catch (const std::exception& e) {
    std::cerr << "error: unhandled exception in " << request.method << " " << route.pattern << ": "
              << e.what() << std::endl;
  } catch (...) {
    std::cerr << "error: unhandled exception in " << request.method << " " << route.pattern
              << std::endl;
  }
  return ErrorResponse(MakeError(ErrorCode::kInternal, "internal error"));
}

std::optional<Response> Router::Authorize(const Route& route, Request& request) const {
  if (route.access == Access::kMetrics && !metrics_token_.empty()) {
    auto auth = request.Header("authorization");
    if (auth && auth->substr(0, 7) == "Bearer " &&
        ConstantTimeEquals(auth->substr(7), metrics_token_)) {
      return std::nullopt;  // the scraper: no user behind it, nothing else to check (a GET)
    }
  }
  if (auth_ && !request.principal_resolved) {
    Result<Principal> who = auth_(request);
    if (!who.ok()) return ErrorResponse(who.error());
    request.principal = std::move(who).value();
  }
  request.principal_resolved = true;
  const Principal& p = request.principal;
  if (!Allowed(route.access, p)) {
    if (!p.signed_in())
      return ErrorResponse(MakeError(ErrorCode::kUnauthenticated, "sign in first"));
    return ErrorResponse(
        MakeError(ErrorCode::kPermissionDenied,
                  std::string("this needs the role ") +
                      (route.access == Access::kStaff ? "admin or secretariat" : "admin")));
  }
  if (IsWrite(request.method) && p.via == AuthVia::kCookie) {
    auto token = request.Header("x-csrf-token");
    if (!token || !ConstantTimeEquals(*token, p.csrf_token)) {
      return ErrorResponse(MakeError(ErrorCode::kPermissionDenied,
                                     "missing or wrong X-CSRF-Token header (sign in again)"));
    }
  }
  return std::nullopt;
}

Admission Router::Admit(Request& head) {
  Admission admission;
  std::vector<std::pair<std::string, std::string>> params;
  int index = Match(head, &params);
  if (index < 0) return admission;  // the default limit; Dispatch answers 404 or 405
  head.route_index = index;
  head.path_params = std::move(params);
  const Route& route = routes_[static_cast<size_t>(index)];
  admission.background = route.background;
  if (route.max_body_bytes == 0 && !route.background) return admission;
  // Before a large body is read, or a place on the background pool taken: only for someone
  // this route admits (a stranger gets 401, not a 429 for the share it could not use).
  if (auto denied = Authorize(route, head)) {
    Finish(head, *denied);
    metrics_.Record(static_cast<size_t>(index) + 2, denied->status, 0);
    admission.reject = std::move(*denied);
    return admission;
  }
  admission.max_body_bytes = route.max_body_bytes;
  return admission;
}

void Router::Finish(const Request& request, Response& response) const {
  bool personal = Personal(request);
  if (request.method == "GET" && response.status == 200 && !response.stream) {
    if (auto etag = response.Header("ETag"); !etag) {
      response.SetHeader("ETag", BodyETag(response.body));
    } else if (personal && etag->substr(0, 2) == "\"v") {
      // A record's version is shared by every viewer; what this viewer sees of it is not.
      std::string mine(etag->substr(0, etag->size() - 1));
      mine += "-" + BodyETag(response.body).substr(1, 12) + "\"";
      response.SetHeader("ETag", std::move(mine));
    }
    auto inm = request.Header("if-none-match");
    auto etag = response.Header("ETag");
    if (inm && etag && NoneMatchHits(*inm, *etag)) {
      response.status = 304;
      response.body.clear();
    }
    if (!response.Header("Cache-Control")) response.SetHeader("Cache-Control", "no-cache");
  }
  if (!response.Header("Cache-Control")) response.SetHeader("Cache-Control", "no-store");
  if (personal) {
    if (auto cc = response.Header("Cache-Control");
        cc && cc->find("private") == std::string_view::npos &&
        cc->find("no-store") == std::string_view::npos) {
      response.SetHeader("Cache-Control", "private, " + std::string(*cc));
    }
  }
  if (request.method == "GET") AppendVary(response, "Cookie, Authorization");
  Compress(request, response);
  ApplySecurityHeaders(response);
  // Only over HTTPS: a browser told so over plain HTTP would refuse a later plain-HTTP setup.
  if (https_ && https_(request))
    response.SetHeader("Strict-Transport-Security", "max-age=31536000");
}

std::string BodyETag(std::string_view body) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  char hex[sizeof hash * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return std::string("\"") + hex + "\"";
}

std::string VersionETag(int64_t version) { return "\"v" + std::to_string(version) + "\""; }

Result<int64_t> IfMatchVersion(const Request& request) {
  auto h = request.Header("if-match");
  if (!h) {
    return FieldError(ErrorCode::kInvalidArgument, "If-Match",
                      "is required: send the ETag you read, so a concurrent change is not lost");
  }
  std::string_view v = *h;
  if (v.size() > 2 && v.substr(0, 2) == "W/") v.remove_prefix(2);
  if (v.size() < 4 || v.front() != '"' || v.back() != '"' || v[1] != 'v') {
    return FieldError(ErrorCode::kInvalidArgument, "If-Match", "is not an ETag of this resource");
  }
  std::string_view digits = v.substr(2, v.size() - 3);
  // `"v7-…"`: the same version as a signed-in viewer saw it (Finish).
  if (size_t dash = digits.find('-'); dash != std::string_view::npos)
    digits = digits.substr(0, dash);
  int64_t version = 0;
  if (digits.empty())
    return FieldError(ErrorCode::kInvalidArgument, "If-Match", "is not an ETag of this resource");
  for (char c : digits) {
    if (c < '0' || c > '9' || version > 1'000'000'000) {
      return FieldError(ErrorCode::kInvalidArgument, "If-Match", "is not an ETag of this resource");
    }
    version = version * 10 + (c - '0');
  }
  return version;
}

Result<std::optional<int64_t>> OptionalIfMatchVersion(const Request& request) {
  if (!request.Header("if-match")) return std::optional<int64_t>();
  GMG_ASSIGN_OR_RETURN(int64_t version, IfMatchVersion(request));
  return std::optional<int64_t>(version);
}

}  // namespace gmg::http
