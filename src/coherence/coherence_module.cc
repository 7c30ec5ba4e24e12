#include "coherence/coherence_module.h"

#include "coherence/coherence_api.h"
#include "coherence/coherence_migrations.h"

namespace gmg {

const std::vector<Migration>& CoherenceModule::Migrations() const { return CoherenceMigrations(); }

Status CoherenceModule::Seed(Database& /*db*/) {
  // The mandates' seed (coherence/mandates.h: SeedMandates(Tx&)) is called from here.
  return Ok();
}

Status CoherenceModule::Start(Database& db) {
  AuthService& auth = auth_();
  service_ = std::make_unique<CoherenceService>(db, activities_(), [&auth](int64_t user_id) {
    auto user = auth.GetUser(user_id);
    return user.ok() ? user->name : std::string();
  });
  return service_->LoadModel();
}

void CoherenceModule::AddRoutes(http::Router& router) {
  AddCoherenceRoutes(router, *service_);
  // The gaps and mandates routes (coherence/coherence_gaps_api.h: AddGapAndMandateRoutes) are
  // added here beside these.
}

std::vector<BackgroundJob> CoherenceModule::BackgroundJobs() {
  return {{"coherence.follow", std::chrono::seconds(1),
           [service = service_.get()] { return service->Follow(); }}};
}

}  // namespace gmg
