// The audit module: the append-only audit log (audit/audit_log.h) and its read route.
// Other modules append through AppendAudit(Tx&, …) in their own transactions.
// Thread-safety: see module/module.h.
#pragma once

#include "module/module.h"

namespace gmg {

class AuditModule final : public Module {
 public:
  std::string_view Name() const override { return "audit"; }
  std::vector<std::string_view> Dependencies() const override { return {}; }
  const std::vector<Migration>& Migrations() const override;
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;

 private:
  Database* db_ = nullptr;
};

}  // namespace gmg
