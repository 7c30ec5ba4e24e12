#include "auth/auth_api.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <limits>

#include "core/access_policy.h"
#include "core/text.h"
#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"

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

Response SessionBody(const User& user, const std::string& csrf) {
  return http::JsonResponse(200,
                            boost::json::object{{"user", UserJson(user)}, {"csrf_token", csrf}});
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

http::Authenticator MakeAuthenticator(AuthService& auth, const AuthHttpOptions& options) {
  return [&auth, options](const Request& req) -> Result<Principal> {
    if (auto authz = req.Header("authorization")) {
      std::string_view v = *authz;
      if (v.substr(0, 7) != "Bearer ") {
        return MakeError(ErrorCode::kUnauthenticated, "Authorization must be 'Bearer <token>'");
      }
      GMG_ASSIGN_OR_RETURN(auto p, auth.TokenPrincipal(v.substr(7)));
      if (p) return *p;
      return MakeError(ErrorCode::kUnauthenticated, "the API token is unknown, expired or revoked");
    }
    // Only the name in force: a plain `gmg_session` (which anyone on plain HTTP or a sibling
    // domain could plant) is ignored when the `__Host-` cookie is in force.
    if (auto cookie = CookieValue(req, SessionCookieName(req, options));
        cookie && !cookie->empty()) {
      GMG_ASSIGN_OR_RETURN(auto p, auth.SessionPrincipal(*cookie));
      if (p) return *p;
    }
    return Principal{};
  };
}

namespace {

using http::Access;
using http::RouteRow;

// What the handlers of this file need: the service and how the server is reached.
struct AuthApi {
  AuthService& auth;
  AuthHttpOptions options;
};

// Sign-in and the session.

Result<Response> SignIn(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto email = body.String("email", true, 254);
  auto password = body.String("password", true, 256);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto in,
                       api.auth.SignIn(*email, *password, ClientAddress(req, api.options)));
  Response r = SessionBody(in.user, in.csrf_token);
  r.SetHeader("Set-Cookie",
              SessionCookie(req, api.options, in.session_token, in.expires_at - UnixNow()));
  return r;
}

Result<Response> GetSession(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto user, api.auth.GetUser(req.principal.user_id));
  return SessionBody(user, req.principal.csrf_token);
}

Result<Response> SignOut(AuthApi& api, Request& req) {
  if (req.principal.session_id != 0) api.auth.SignOut(req.principal.session_id);
  Response r = http::NoContent();
  r.SetHeader("Set-Cookie", SessionCookie(req, api.options, "", 0));
  return r;
}

// {"language": "fr"} or {"language": null}; answers like GET /session.
Result<Response> UpdateSession(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  bool clear = body.IsNull("language");
  auto language = body.String("language", !clear, 8);
  GMG_RETURN_IF_ERROR(body.Finish());
  if (clear) language.reset();
  GMG_ASSIGN_OR_RETURN(auto user, api.auth.SetOwnLanguage(req.principal, language));
  return SessionBody(user, req.principal.csrf_token);
}

Result<Response> ChangeOwnPassword(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto current = body.String("current_password", true, 256);
  auto next = body.String("new_password", true, 256);
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_RETURN_IF_ERROR(
      api.auth.ChangeOwnPassword(req.principal, *current, *next, ClientAddress(req, api.options)));
  return http::NoContent();
}

// Users.

Error UnknownRole() {
  return FieldError(ErrorCode::kInvalidArgument, "role",
                    "must be one of admin, secretariat, focal_point, member, stakeholder",
                    "not_in_list");
}

Result<Response> ListUsers(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  int64_t total = 0;
  GMG_ASSIGN_OR_RETURN(auto users, api.auth.ListUsers(page.limit + 1, page.after, &total));
  std::optional<int64_t> next;
  if (static_cast<int64_t>(users.size()) > page.limit) {
    users.pop_back();
    next = users.back().id;
  }
  boost::json::array items;
  for (const User& u : users) items.push_back(UserJson(u));
  return http::JsonResponse(200, http::ListBody(std::move(items), next, total));
}

Result<NewUser> ReadNewUser(JsonBody& body) {
  NewUser u;
  auto email = body.String("email", true, 254);
  auto name = body.String("name", true, 200);
  auto role = body.String("role", true, 32);
  auto org = body.String("organization_id", false, 32);
  auto password = body.String("password", true, 256);
  GMG_RETURN_IF_ERROR(body.Finish());
  if (!ParseRole(*role, &u.role)) return UnknownRole();
  u.email = *email;
  u.name = *name;
  u.organization_id = org.value_or("");
  u.password = *password;
  return u;
}

Result<Response> CreateUser(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(NewUser u, ReadNewUser(body));
  GMG_ASSIGN_OR_RETURN(auto created, api.auth.CreateUser(req.principal, u));
  return UserResponse(201, created);
}

Result<Response> GetUser(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  if (!AccessPolicy::MayManageUser(req.principal, id)) {
    return MakeError(ErrorCode::kPermissionDenied, "only administrators see other users");
  }
  GMG_ASSIGN_OR_RETURN(auto user, api.auth.GetUser(id));
  return UserResponse(200, user);
}

Result<UserChange> ReadUserChange(JsonBody& body) {
  UserChange c;
  c.name = body.String("name", false, 200);
  auto role = body.String("role", false, 32);
  bool clear_org = body.IsNull("organization_id");
  c.organization_id = body.String("organization_id", false, 32);
  if (clear_org) c.organization_id = "";
  c.active = body.Bool("active", false);
  c.password = body.String("password", false, 256);
  GMG_RETURN_IF_ERROR(body.Finish());
  if (role) {
    Role r;
    if (!ParseRole(*role, &r)) return UnknownRole();
    c.role = r;
  }
  return c;
}

Result<Response> UpdateUser(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(int64_t version, http::IfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(UserChange c, ReadUserChange(body));
  GMG_ASSIGN_OR_RETURN(auto user, api.auth.UpdateUser(req.principal, id, version, c));
  return UserResponse(200, user);
}

Result<Response> DeactivateUser(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_RETURN_IF_ERROR(api.auth.DeactivateUser(req.principal, id));
  return http::NoContent();
}

// {id, name, role} of each active user of the organisation: enough to choose a colleague (no
// e-mail addresses).
Result<Response> ListOrganizationUsers(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(
      auto users, api.auth.ListOrganizationUsers(req.principal, std::string(req.PathParam("id"))));
  return http::JsonResponse(
      200, http::WholeListBody(users, [](const User& u) {
        return boost::json::object{{"id", u.id}, {"name", u.name}, {"role", RoleName(u.role)}};
      }));
}

// API tokens.

Result<Response> ListTokens(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto tokens, api.auth.ListTokens(req.principal));
  return http::JsonResponse(200, http::WholeListBody(tokens, ApiTokenJson));
}

Result<Response> CreateToken(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto name = body.String("name", true, 100);
  // Any whole number parses; the service answers 422 outside its range.
  auto days = body.Int("expires_in_days", false, std::numeric_limits<int64_t>::min(),
                       std::numeric_limits<int64_t>::max());
  GMG_RETURN_IF_ERROR(body.Finish());
  GMG_ASSIGN_OR_RETURN(auto created, api.auth.CreateToken(req.principal, *name, days));
  boost::json::value v = ApiTokenJson(created.first);
  v.as_object()["token"] = created.second;
  Response r = http::JsonResponse(201, v);
  r.SetHeader("Location", "/api/v1/tokens/" + std::to_string(created.first.id));
  return r;
}

Result<Response> RevokeToken(AuthApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_RETURN_IF_ERROR(api.auth.RevokeToken(req.principal, id));
  return http::NoContent();
}

// The auth API at a glance: {method, path, who, handler, summary, tag}.
constexpr RouteRow<AuthApi> kRoutes[] = {
    {"POST", "/api/v1/session", Access::kPublic, SignIn,
     "Sign in with e-mail and password; sets the session cookie", "session"},
    {"GET", "/api/v1/session", Access::kSignedIn, GetSession,
     "Who is signed in, and the CSRF token for this session", "session"},
    {"DELETE", "/api/v1/session", Access::kSignedIn, SignOut, "Sign out", "session"},
    {"PATCH", "/api/v1/session", Access::kSignedIn, UpdateSession,
     "Remember your web-app language ({\"language\": \"fr\"}: en, fr, es, ar, zh, ru; null "
     "to follow the browser again)",
     "session"},
    {"POST", "/api/v1/session/password", Access::kSignedIn, ChangeOwnPassword,
     "Change your own password (throttled like sign-in); ends your other sessions and "
     "revokes your API tokens",
     "session"},
    {"GET", "/api/v1/users", Access::kAdmin, ListUsers, "List users", "users"},
    {"POST", "/api/v1/users", Access::kAdmin, CreateUser, "Create a user", "users"},
    {"GET", "/api/v1/users/{id}", Access::kSignedIn, GetUser,
     "One user (administrators, or the user themself)", "users"},
    {"PATCH", "/api/v1/users/{id}", Access::kAdmin, UpdateUser,
     "Change a user's name, role, organisation, password or active flag (any but the name "
     "ends their sessions and revokes their API tokens)",
     "users"},
    {"DELETE", "/api/v1/users/{id}", Access::kAdmin, DeactivateUser,
     "Deactivate a user (kept in history; sessions end, tokens are revoked)", "users"},
    {"GET", "/api/v1/organizations/{id}/users", Access::kSignedIn, ListOrganizationUsers,
     "The active users of an organisation ({id, name, role}, by name): for its own focal "
     "points and members, the secretariat and administrators",
     "users"},
    {"GET", "/api/v1/tokens", Access::kSignedIn, ListTokens,
     "Your API tokens (never their secrets)", "tokens"},
    {"POST", "/api/v1/tokens", Access::kSignedIn, CreateToken,
     "Create an API token (from a session, not with a token), valid 90 days unless "
     "expires_in_days (1-365) says otherwise; the secret is shown once",
     "tokens"},
    {"DELETE", "/api/v1/tokens/{id}", Access::kSignedIn, RevokeToken,
     "Revoke an API token (its owner or an administrator)", "tokens"},
};

}  // namespace

void AddAuthRoutes(http::Router& router, AuthService& auth, AuthHttpOptions options) {
  http::AddRoutes(router, std::make_shared<AuthApi>(AuthApi{auth, std::move(options)}), kRoutes);
}

}  // namespace gmg
