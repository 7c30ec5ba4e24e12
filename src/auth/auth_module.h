// The auth module: users, sessions, API tokens and sign-in throttling (auth/auth_service.h),
// the authenticator the router asks, and the auth routes.
// Thread-safety: see module/module.h.
#pragma once

#include <memory>

#include "auth/auth_api.h"
#include "auth/auth_service.h"
#include "module/module.h"

namespace gmg {

class AuthModule final : public Module {
 public:
  // `organization_exists` and `is_member_on` answer for governance, which sits above auth
  // (auth/auth_service.h).
  AuthModule(AuthHttpOptions options, OrganizationCheck organization_exists,
             MembershipCheck is_member_on, AuthLimits limits = {})
      : options_(std::move(options)),
        organization_exists_(std::move(organization_exists)),
        is_member_on_(std::move(is_member_on)),
        limits_(limits) {}

  std::string_view Name() const override { return "auth"; }
  std::vector<std::string_view> Dependencies() const override { return {"audit"}; }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  // Also makes the router ask this module who a request comes from.
  void AddRoutes(http::Router& router) override;

  // After Start.
  AuthService& service() { return *service_; }

 private:
  AuthHttpOptions options_;
  OrganizationCheck organization_exists_;
  MembershipCheck is_member_on_;
  AuthLimits limits_;
  std::unique_ptr<AuthService> service_;
};

}  // namespace gmg
