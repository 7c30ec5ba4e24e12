#include "audit/audit_module.h"

#include "audit/audit_api.h"
#include "audit/audit_migrations.h"

namespace gmg {

const std::vector<Migration>& AuditModule::Migrations() const { return AuditMigrations(); }

Status AuditModule::Start(Database& db) {
  db_ = &db;
  return Ok();
}

void AuditModule::AddRoutes(http::Router& router) { AddAuditRoutes(router, *db_); }

}  // namespace gmg
