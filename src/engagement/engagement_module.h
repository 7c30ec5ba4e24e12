// The engagement module: stakeholders, contacts, the interaction log, states' support requests
// and stakeholder accounts (engagement/engagement_service.h), and their routes.
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "auth/auth_service.h"
#include "engagement/engagement_service.h"
#include "governance/governance_service.h"
#include "module/module.h"

namespace gmg {

class EngagementModule final : public Module {
 public:
  // `governance` names GMG members in answers; `auth` finds and names user accounts (linking
  // stakeholder accounts by e-mail).
  EngagementModule(std::function<GovernanceService&()> governance,
                   std::function<AuthService&()> auth, std::function<int64_t()> now = UnixNow);

  std::string_view Name() const override { return "engagement"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  // The regional consultative processes (idempotent).
  Status Seed(Database& db) override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  EngagementService& service() { return *service_; }

 private:
  std::function<GovernanceService&()> governance_;
  std::function<AuthService&()> auth_;
  std::function<int64_t()> now_;
  std::unique_ptr<EngagementService> service_;
};

}  // namespace gmg
