#include "auth/auth_module.h"

#include "auth/auth_migrations.h"

namespace gmg {

const std::vector<Migration>& AuthModule::Migrations() const { return AuthMigrations(); }

Status AuthModule::Start(Database& db) {
  service_ = std::make_unique<AuthService>(db, organization_exists_, is_member_on_, limits_);
  return Ok();
}

void AuthModule::AddRoutes(http::Router& router) {
  router.SetAuthenticator(MakeAuthenticator(*service_, options_));
  AddAuthRoutes(router, *service_, options_);
}

}  // namespace gmg
