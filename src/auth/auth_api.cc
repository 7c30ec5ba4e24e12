#include "auth/auth_api.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

#include "core/text.h"
#include "http/json_body.h"
#include "http/paging.h"

namespace gmg {
namespace {

using http::JsonBody;
using http::Request;
using http::Response;

constexpr char kPlainCookieName[] = "gmg_session";
constexpr char kHostCookieName[] = "__Host-gmg_session";

bool FromTrustedProxy(const Request& req, const AuthHttpOptions& options) {
  const auto& proxies = options.trusted_proxies;
  return std::find(proxies.begin(), proxies.end(), req.remote_address) != proxies.end();
}

std::optional<std::string_view> CookieValue(const Request& req, std::string_view name) {
  auto header = req.Header("cookie");
  if (!header) return std::nullopt;
  std::string_view h = *header;
  while (!h.empty()) {
    size_t semi = h.find(';');
    std::string_view part = h.substr(0, semi);
    h = semi == std::string_view::npos ? std::string_view() : h.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return part.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

// `__Host-` requires Secure and Path=/ and forbids Domain (RFC 6265bis 4.1.3.2). A plain-name
// cookie still gets Secure when any peer says X-Forwarded-Proto: https, as before trusted
// proxies existed: believing it can only make the cookie stricter.
std::string SessionCookie(const Request& req, const AuthHttpOptions& options,
                          const std::string& value, int64_t max_age) {
  std::string c = SessionCookieName(req, options) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  auto proto = req.Header("x-forwarded-proto");
  if (OverHttps(req, options) || (proto && EqualsIgnoreCase(Trim(*proto), "https"))) {
    c += "; Secure";
  }
  return c;
}

Result<int64_t> IdParam(const Request& req, std::string_view name) {
  std::string_view s = req.PathParam(name);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
    return MakeError(ErrorCode::kNotFound, "no such resource: " + req.path);
  }
  return id;
}

Response SessionBody(const User& user, const std::string& csrf) {
  return http::JsonResponse(200, boost::json::object{{"user", UserJson(user)}, {"csrf_token", csrf}});
}

Response UserResponse(int status, const User& user) {
  Response r = http::JsonResponse(status, UserJson(user));
  r.SetHeader("ETag", http::VersionETag(user.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/users/" + std::to_string(user.id));
  return r;
}

}  // namespace

bool OverHttps(const Request& req, const AuthHttpOptions& options) {
  if (options.secure_cookies) return true;
  if (!FromTrustedProxy(req, options)) return false;
  auto proto = req.Header("x-forwarded-proto");
  return proto && EqualsIgnoreCase(Trim(*proto), "https");
}


std::string SessionCookieName(const Request& request, const AuthHttpOptions& options) {
  return OverHttps(request, options) ? kHostCookieName : kPlainCookieName;
}

std::string ClientAddress(const Request& request, const AuthHttpOptions& options) {
  if (!FromTrustedProxy(request, options)) return request.remote_address;
  auto forwarded = request.Header("x-forwarded-for");
  if (!forwarded) return request.remote_address;
  // The proxy appends the address it saw last; anything before it the client could have sent.
  std::string_view list = *forwarded;
  size_t comma = list.rfind(',');
  std::string_view last = Trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
  if (last.empty() || last.size() > 64) return request.remote_address;
  return std::string(last);
}

http::Authenticator MakeAuthenticator(AuthService& auth, AuthHttpOptions options) {
  return [&auth, options](const Request& req) -> Result<Principal> {
    if (auto authz = req.Header("authorization")) {
      std::string_view v = *authz;
      if (v.substr(0, 7) != "Bearer ") {
        return MakeError(ErrorCode::kUnauthenticated, "Authorization must be 'Bearer <token>'");
      }
      if (auto p = auth.TokenPrincipal(v.substr(7))) return *p;
      return MakeError(ErrorCode::kUnauthenticated, "the API token is unknown, expired or revoked");
    }
    // Only the name in force: a plain `gmg_session` (which anyone on plain HTTP or a sibling
    // domain could plant) is ignored when the `__Host-` cookie is in force.
    if (auto cookie = CookieValue(req, SessionCookieName(req, options));
        cookie && !cookie->empty()) {
      if (auto p = auth.SessionPrincipal(*cookie)) return *p;
    }
    return Principal{};
  };
}

void AddAuthRoutes(http::Router& router, AuthService& auth, AuthHttpOptions options) {
  using http::Access;

  router.Add({"POST", "/api/v1/session", Access::kPublic,
              [&auth, options](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body.error());
                auto email = body->String("email", true, 254);
                auto password = body->String("password", true, 256);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                auto in = auth.SignIn(*email, *password, ClientAddress(req, options));
                if (!in) return http::ErrorResponse(in.error());
                Response r = SessionBody(in->user, in->csrf_token);
                r.SetHeader("Set-Cookie", SessionCookie(req, options, in->session_token,
                                                        in->expires_at - UnixNow()));
                return r;
              },
              "Sign in with e-mail and password; sets the session cookie", "session"});

  router.Add({"GET", "/api/v1/session", Access::kSignedIn,
              [&auth](Request& req) -> Response {
                auto user = auth.GetUser(req.principal.user_id);
                if (!user) return http::ErrorResponse(user.error());
                return SessionBody(*user, req.principal.csrf_token);
              },
              "Who is signed in, and the CSRF token for this session", "session"});

  router.Add({"DELETE", "/api/v1/session", Access::kSignedIn,
              [&auth, options](Request& req) -> Response {
                if (req.principal.session_id != 0) auth.SignOut(req.principal.session_id);
                Response r = http::NoContent();
                r.SetHeader("Set-Cookie", SessionCookie(req, options, "", 0));
                return r;
              },
              "Sign out", "session"});

  router.Add({"POST", "/api/v1/session/password", Access::kSignedIn,
              [&auth, options](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body.error());
                auto current = body->String("current_password", true, 256);
                auto next = body->String("new_password", true, 256);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                if (auto s = auth.ChangeOwnPassword(req.principal, *current, *next,
                                                    ClientAddress(req, options));
                    !s) {
                  return http::ErrorResponse(s.error());
                }
                return http::NoContent();
              },
              "Change your own password (throttled like sign-in); ends your other sessions and "
              "revokes your API tokens",
              "session"});

  router.Add({"GET", "/api/v1/users", Access::kAdmin,
              [&auth](Request& req) -> Response {
                auto page = http::ParsePage(req);
                if (!page) return http::ErrorResponse(page.error());
                int64_t total = 0;
                auto users = auth.ListUsers(page->limit + 1, page->after, &total);
                if (!users) return http::ErrorResponse(users.error());
                std::optional<int64_t> next;
                if (static_cast<int64_t>(users->size()) > page->limit) {
                  users->pop_back();
                  next = users->back().id;
                }
                boost::json::array items;
                for (const User& u : *users) items.push_back(UserJson(u));
                return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
              },
              "List users", "users"});

  router.Add({"POST", "/api/v1/users", Access::kAdmin,
              [&auth](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body.error());
                NewUser u;
                auto email = body->String("email", true, 254);
                auto name = body->String("name", true, 200);
                auto role = body->String("role", true, 32);
                auto org = body->String("organization_id", false, 32);
                auto password = body->String("password", true, 256);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                if (!ParseRole(*role, &u.role)) {
                  return http::ErrorResponse(FieldError(
                      ErrorCode::kInvalidArgument, "role",
                      "must be one of admin, secretariat, focal_point, member, stakeholder"));
                }
                u.email = *email;
                u.name = *name;
                u.organization_id = org.value_or("");
                u.password = *password;
                auto created = auth.CreateUser(req.principal, u);
                if (!created) return http::ErrorResponse(created.error());
                return UserResponse(201, *created);
              },
              "Create a user", "users"});

  router.Add({"GET", "/api/v1/users/{id}", Access::kSignedIn,
              [&auth](Request& req) -> Response {
                auto id = IdParam(req, "id");
                if (!id) return http::ErrorResponse(id.error());
                if (!req.principal.IsAdmin() && req.principal.user_id != *id) {
                  return http::ErrorResponse(
                      MakeError(ErrorCode::kPermissionDenied, "only administrators see other users"));
                }
                auto user = auth.GetUser(*id);
                if (!user) return http::ErrorResponse(user.error());
                return UserResponse(200, *user);
              },
              "One user (administrators, or the user themself)", "users"});

  router.Add({"PATCH", "/api/v1/users/{id}", Access::kAdmin,
              [&auth](Request& req) -> Response {
                auto id = IdParam(req, "id");
                if (!id) return http::ErrorResponse(id.error());
                auto version = http::IfMatchVersion(req);
                if (!version) return http::ErrorResponse(version.error());
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body.error());
                UserChange c;
                c.name = body->String("name", false, 200);
                auto role = body->String("role", false, 32);
                bool clear_org = body->IsNull("organization_id");
                c.organization_id = body->String("organization_id", false, 32);
                if (clear_org) c.organization_id = "";
                c.active = body->Bool("active", false);
                c.password = body->String("password", false, 256);
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                if (role) {
                  Role r;
                  if (!ParseRole(*role, &r)) {
                    return http::ErrorResponse(FieldError(
                        ErrorCode::kInvalidArgument, "role",
                        "must be one of admin, secretariat, focal_point, member, stakeholder"));
                  }
                  c.role = r;
                }
                auto user = auth.UpdateUser(req.principal, *id, *version, c);
                if (!user) return http::ErrorResponse(user.error());
                return UserResponse(200, *user);
              },
              "Change a user's name, role, organisation, password or active flag (any but the name "
              "ends their sessions and revokes their API tokens)",
              "users"});

  router.Add({"DELETE", "/api/v1/users/{id}", Access::kAdmin,
              [&auth](Request& req) -> Response {
                auto id = IdParam(req, "id");
                if (!id) return http::ErrorResponse(id.error());
                auto user = auth.DeactivateUser(req.principal, *id);
                if (!user) return http::ErrorResponse(user.error());
                return http::NoContent();
              },
              "Deactivate a user (kept in history; sessions end, tokens are revoked)", "users"});

  router.Add({"GET", "/api/v1/tokens", Access::kSignedIn,
              [&auth](Request& req) -> Response {
                auto tokens = auth.ListTokens(req.principal);
                if (!tokens) return http::ErrorResponse(tokens.error());
                return http::JsonResponse(200, http::WholeListBody(*tokens, ApiTokenJson));
              },
              "Your API tokens (never their secrets)", "tokens"});

  router.Add({"POST", "/api/v1/tokens", Access::kSignedIn,
              [&auth](Request& req) -> Response {
                auto body = JsonBody::Parse(req);
                if (!body) return http::ErrorResponse(body.error());
                auto name = body->String("name", true, 100);
                // Any whole number parses; the service answers 422 outside its range.
                auto days = body->Int("expires_in_days", false,
                                      std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max());
                if (auto s = body->Finish(); !s) return http::ErrorResponse(s.error());
                auto created = auth.CreateToken(req.principal, *name, days);
                if (!created) return http::ErrorResponse(created.error());
                boost::json::value v = ApiTokenJson(created->first);
                v.as_object()["token"] = created->second;
                Response r = http::JsonResponse(201, v);
                r.SetHeader("Location", "/api/v1/tokens/" + std::to_string(created->first.id));
                return r;
              },
              "Create an API token (from a session, not with a token), valid 90 days unless "
              "expires_in_days (1-365) says otherwise; the secret is shown once",
              "tokens"});

  router.Add({"DELETE", "/api/v1/tokens/{id}", Access::kSignedIn,
              [&auth](Request& req) -> Response {
                auto id = IdParam(req, "id");
                if (!id) return http::ErrorResponse(id.error());
                if (auto s = auth.RevokeToken(req.principal, *id); !s) {
                  return http::ErrorResponse(s.error());
                }
                return http::NoContent();
              },
              "Revoke an API token (its owner or an administrator)", "tokens"});
}

}  // namespace gmg
