// The governance module: the GMG itself, its members and partner organisations, memberships,
// focal points and the chair (governance/governance_service.h), and their routes.
// Thread-safety: see module/module.h.
#pragma once

#include <memory>

#include "governance/governance_service.h"
#include "module/module.h"

namespace gmg {

class GovernanceModule final : public Module {
 public:
  std::string_view Name() const override { return "governance"; }
  std::vector<std::string_view> Dependencies() const override { return {"audit", "auth"}; }
  const std::vector<Migration>& Migrations() const override;
  // The GMG's profile, purposes, members and chair rotation, when the database has none.
  Status Seed(Database& db) override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;

  // After Start.
  GovernanceService& service() { return *service_; }

 private:
  std::unique_ptr<GovernanceService> service_;
};

}  // namespace gmg
