// The training module: the GMG's joint training and capacity-building activities (courses,
// sessions, registrations with a wait list, attendance, reports; training/training_service.h)
// and their routes.
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "governance/governance_service.h"
#include "module/module.h"
#include "training/training_service.h"

namespace gmg {

class TrainingModule final : public Module {
 public:
  // `governance` names organisations in answers (governance's service, wired by app/).
  explicit TrainingModule(std::function<GovernanceService&()> governance,
                          std::function<int64_t()> now = UnixNow);

  std::string_view Name() const override { return "training"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  TrainingService& service() { return *service_; }

 private:
  std::function<GovernanceService&()> governance_;
  std::function<int64_t()> now_;
  std::unique_ptr<TrainingService> service_;
};

}  // namespace gmg
