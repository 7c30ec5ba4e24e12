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
#include "coherence/need_service.h"
#include "module/module.h"
#include "statistics/stats_service.h"

namespace gmg {

class CoherenceModule final : public Module {
 public:
  // The services it reads through, created by the modules it depends on (valid after their
  // Start, before this one's).
  CoherenceModule(std::function<ActivityService&()> activities, std::function<AuthService&()> auth,
                  std::function<StatsService&()> stats)
      : activities_(std::move(activities)), auth_(std::move(auth)), stats_(std::move(stats)) {}

  std::string_view Name() const override { return "coherence"; }
  std::vector<std::string_view> Dependencies() const override {
    return {"audit", "auth", "governance", "activities", "statistics"};
  }
  const std::vector<Migration>& Migrations() const override;
  // Rows every installation has, once: the members' stated mandates (coherence_mandates) and
  // the default need configuration (coherence_need).
  Status Seed(Database& db) override;
  // Creates the service and reads the stored model; the analysis itself starts with the
  // follow job (or the first request), not here: commands that never serve do not analyse.
  Status Start(Database& db) override;
  void AddRoutes(http::Router& router) override;
  // "coherence.follow", every second: the first analysis, then the activity changes.
  std::vector<BackgroundJob> BackgroundJobs() override;

  // After Start.
  CoherenceService& service() { return *service_; }
  GapService& gaps() { return *gaps_; }

 private:
  std::function<ActivityService&()> activities_;
  std::function<AuthService&()> auth_;
  std::function<StatsService&()> stats_;
  std::unique_ptr<CoherenceService> service_;
  std::unique_ptr<NeedService> need_;
  std::unique_ptr<GapService> gaps_;
  std::unique_ptr<MandateService> mandates_;
};

}  // namespace gmg
