// The coherence module: overlaps (likely duplication and synergies) between the organisations'
// activities, people's verdicts on them, the model that scores them, and the check of drafts
// (coherence/coherence_service.h), with their tables and routes.
// Thread-safety: see module/module.h.
#pragma once

#include <memory>

#include "activities/activity_service.h"
#include "auth/auth_service.h"
#include "coherence/coherence_service.h"
#include "coherence/gap_service.h"
#include "coherence/mandates.h"
#include "module/module.h"

namespace gmg {

class CoherenceModule final : public Module {
 public:
  // The services it reads through, created by the modules it depends on (valid after their
  // Start, before this one's).
  CoherenceModule(std::function<ActivityService&()> activities, std::function<AuthService&()> auth)
      : activities_(std::move(activities)), auth_(std::move(auth)) {}

  std::string_view Name() const override { return "coherence"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance", "activities"};
  }
  const std::vector<Migration>& Migrations() const override;
  // Rows every installation has: the members' stated mandates (coherence_mandates), once.
  Status Seed(Database& db) override;
  // Creates the service and reads the stored model; the analysis itself starts with the
  // follow job (or the first request), not here: commands that never serve do not analyse.
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // "coherence.follow", every second: the first analysis, then the activity changes.
  std::vector<BackgroundJob> BackgroundJobs() override;

  // After Start.
  CoherenceService& service() { return *service_; }

 private:
  std::function<ActivityService&()> activities_;
  std::function<AuthService&()> auth_;
  std::unique_ptr<CoherenceService> service_;
  // Gaps and mandates (H4).
  std::unique_ptr<GapService> gaps_;
  std::unique_ptr<MandateService> mandates_;
};

}  // namespace gmg
