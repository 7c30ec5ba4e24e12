#include "engagement/engagement_module.h"

#include "engagement/engagement_api.h"
#include "engagement/engagement_migrations.h"
#include "engagement/engagement_seed.h"

namespace gmg {

EngagementModule::EngagementModule(std::function<GovernanceService&()> governance,
                                   std::function<AuthService&()> auth, std::function<int64_t()> now)
    : governance_(std::move(governance)), auth_(std::move(auth)), now_(std::move(now)) {}

const std::vector<Migration>& EngagementModule::Migrations() const {
  return EngagementMigrations();
}

Status EngagementModule::Seed(Database& db) {
  GMG_RETURN_IF_ERROR(SeedStakeholders(db, now_()));
  return Ok();
}

Status EngagementModule::Start(Database& db) {
  auto finder = [this](Tx& tx, const std::string& email) -> Result<std::optional<AccountRef>> {
    GMG_ASSIGN_OR_RETURN(auto user, auth_().FindUserByEmail(tx, email));
    if (!user) return std::optional<AccountRef>();
    return std::optional<AccountRef>(AccountRef{.user_id = user->id,
                                                .email = user->email,
                                                .name = user->name,
                                                .role = user->role,
                                                .active = user->active});
  };
  service_ = std::make_unique<EngagementService>(db, finder, now_);
  return Ok();
}

void EngagementModule::AddRoutes(http::Router& router) {
  AddEngagementRoutes(router, *service_, governance_, auth_);
}

Result<int> EngagementModule::LoadDemoData(Database& /*db*/) {
  return LoadDemoEngagement(*service_, now_());
}

}  // namespace gmg
