// The research module: the GMG's joint research network (institutions, researchers, joint
// projects, its share in developing countries; research/research_service.h) and the staff
// exchanges between members (research/exchange_service.h), and their routes. One module for
// both: they share the members' focal-point rules, the text checks and a demo set.
// Thread-safety: see module/module.h.
#pragma once

#include <functional>
#include <memory>

#include "module/module.h"
#include "research/exchange_service.h"
#include "research/research_service.h"

namespace gmg {

class ResearchModule final : public Module {
 public:
  // `users` finds an account by id (auth's service, wired by app/).
  explicit ResearchModule(ExchangeUserLookup users, std::function<int64_t()> now = UnixNow);

  std::string_view Name() const override { return "research"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance"};
  }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  Result<int> LoadDemoData(Database& db) override;

  // After Start.
  ResearchService& service() { return *research_; }
  ExchangeService& exchanges() { return *exchanges_; }

 private:
  ExchangeUserLookup users_;
  std::function<int64_t()> now_;
  std::unique_ptr<ResearchService> research_;
  std::unique_ptr<ExchangeService> exchanges_;
};

}  // namespace gmg
