#include "coherence/coherence_module.h"

#include "coherence/coherence_api.h"
#include "coherence/coherence_gaps_api.h"
#include "coherence/coherence_migrations.h"

namespace gmg {

const std::vector<Migration>& CoherenceModule::Migrations() const { return CoherenceMigrations(); }

Status CoherenceModule::Seed(Database& db) {
  // Gaps and mandates (H4): the members' stated mandates, once (coherence/mandates.h).
  return db.Write([](Tx& tx) { return SeedMandates(tx); });
}

Status CoherenceModule::Start(Database& db) {
  AuthService& auth = auth_();
  service_ = std::make_unique<CoherenceService>(db, activities_(), [&auth](int64_t user_id) {
    auto user = auth.GetUser(user_id);
    return user.ok() ? user->name : std::string();
  });
  // Gaps and mandates (H4).
  gaps_ = std::make_unique<GapService>(activities_());
  mandates_ = std::make_unique<MandateService>(db, activities_());
  return service_->LoadModel();
}

void CoherenceModule::AddRoutes(http::Router& router) {
  AddCoherenceRoutes(router, *service_);
  // Gaps and mandates (H4).
  AddGapAndMandateRoutes(router, *gaps_, *mandates_);
}

std::vector<BackgroundJob> CoherenceModule::BackgroundJobs() {
  return {{"coherence.follow", std::chrono::seconds(1),
           [service = service_.get()] { return service->Follow(); }}};
}

}  // namespace gmg
