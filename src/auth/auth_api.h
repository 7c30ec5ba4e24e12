// HTTP handlers for sign-in, users and API tokens, and the request Authenticator.
//
// The session cookie: plain HTTP (development, tests, the README's curl tour on 127.0.0.1)
// gets `gmg_session`; a request known to have come over HTTPS gets `__Host-gmg_session` with
// `Secure; Path=/` and no Domain, which a sibling subdomain or a man in the middle on plain
// HTTP cannot set or overwrite (cookie tossing, session fixation). A request counts as HTTPS
// when the server runs with `--secure-cookies` (it sits behind TLS), or when it comes from a
// trusted proxy (`--trusted-proxy ADDR`) that says `X-Forwarded-Proto: https`. Only the name
// in force for the request is read; the other is ignored. (Any peer's X-Forwarded-Proto: https
// still adds Secure to the plain name, as before: that can only make the cookie stricter.)
// Thread-safety: the handlers and the Authenticator may run on many threads.
#pragma once

#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "http/router.h"

namespace gmg {

struct AuthHttpOptions {
  // Every request is served over HTTPS: always the `__Host-` cookie.
  bool secure_cookies = false;
  // Peer addresses of reverse proxies whose X-Forwarded-Proto and X-Forwarded-For are believed.
  std::vector<std::string> trusted_proxies;
};

// Whether the client reached us over HTTPS: always with secure_cookies, else when a trusted
// proxy says X-Forwarded-Proto: https.
bool OverHttps(const http::Request& request, const AuthHttpOptions& options);
// The session cookie's name for this request: "__Host-gmg_session" or "gmg_session".
std::string SessionCookieName(const http::Request& request, const AuthHttpOptions& options);
// The client's address: the last X-Forwarded-For entry when the peer is a trusted proxy,
// else the peer's address. What the sign-in throttle counts by.
std::string ClientAddress(const http::Request& request, const AuthHttpOptions& options);

// Resolves the session cookie or an `Authorization: Bearer` token to a Principal.
http::Authenticator MakeAuthenticator(AuthService& auth, const AuthHttpOptions& options = {});
void AddAuthRoutes(http::Router& router, AuthService& auth, AuthHttpOptions options = {});

}  // namespace gmg
