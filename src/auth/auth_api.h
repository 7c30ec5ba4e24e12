// HTTP handlers for sign-in, users and API tokens, and the request Authenticator.
#pragma once

#include "auth/auth_service.h"
#include "http/router.h"

namespace gmg {

// Resolves the `gmg_session` cookie or an `Authorization: Bearer` token to a Principal.
http::Authenticator MakeAuthenticator(AuthService& auth);
void AddAuthRoutes(http::Router& router, AuthService& auth);

}  // namespace gmg
