// The initiatives module: major initiatives the GMG contributes to, members' contributions and
// the meetings and positions linked to each (initiatives/initiative_service.h), and their routes.
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "governance/governance_service.h"
#include "initiatives/initiative_service.h"
#include "initiatives/link_describer.h"
#include "module/module.h"

namespace gmg {

class InitiativeModule final : public Module {
 public:
  // `governance` names organisations in answers; `link_target` says whether a meeting or
  // position exists, `describer` (outliving the module) names them for a viewer, and `demo`
  // finds the demo's meetings and positions and records follow-up actions (the meetings and
  // positions modules' services, wired by app/).
  InitiativeModule(std::function<GovernanceService&()> governance, LinkTarget link_target,
                   LinkDescriber& describer, InitiativeDemoSources demo,
                   std::function<int64_t()> now = UnixNow);

  std::string_view Name() const override { return "initiatives"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance", "meetings", "positions"};
  }
  const std::vector<Migration>& Migrations() const override;
  // The two initiatives of the Terms of Reference, as records of history (idempotent).
  Status Seed(Database& db) override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  InitiativeService& service() { return *service_; }

 private:
  std::function<GovernanceService&()> governance_;
  LinkTarget link_target_;
  LinkDescriber& describer_;
  InitiativeDemoSources demo_;
  std::function<int64_t()> now_;
  std::unique_ptr<InitiativeService> service_;
};

}  // namespace gmg
