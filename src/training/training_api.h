// HTTP handlers for the training catalogue, sessions, registrations, attendance and the report
// (docs/api.md "Training").
#pragma once

#include <functional>

#include "governance/governance_service.h"
#include "http/router.h"
#include "training/training_service.h"

namespace gmg {

// `governance` names the co-organising organisations in answers.
void AddTrainingRoutes(http::Router& router, TrainingService& training,
                       std::function<GovernanceService&()> governance);

}  // namespace gmg
