#include "coherence/coherence_module.h"

#include "coherence/coherence_api.h"
#include "coherence/coherence_gaps_api.h"
#include "coherence/coherence_migrations.h"

namespace gmg {

const std::vector<Migration>& CoherenceModule::Migrations() const { return CoherenceMigrations(); }

Status CoherenceModule::Seed(Database& db) {
  // The members' stated mandates (coherence/mandates.h) and the default need configuration
  // (coherence/need_service.h), once.
  return db.Write([](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(SeedMandates(tx));
    return SeedNeed(tx);
  });
}

Status CoherenceModule::Start(Database& db) {
  AuthService& auth = auth_();
  service_ = std::make_unique<CoherenceService>(db, activities_(), [&auth](int64_t user_id) {
    auto user = auth.GetUser(user_id);
    return user.ok() ? user->name : std::string();
  });
  need_ = std::make_unique<NeedService>(db, stats_());
  gaps_ =
      std::make_unique<GapService>(activities_(), [need = need_.get()] { return need->Table(); });
  mandates_ = std::make_unique<MandateService>(db, activities_());
  return service_->LoadModel();
}

void CoherenceModule::AddRoutes(http::Router& router) {
  AddCoherenceRoutes(router, *service_);
  AddGapAndMandateRoutes(router, *gaps_, *mandates_, *need_);
}

std::vector<BackgroundJob> CoherenceModule::BackgroundJobs() {
  return {{"coherence.follow", std::chrono::seconds(1),
           [service = service_.get()](const std::stop_token&) { return service->Follow(); }}};
}

}  // namespace gmg
