// HTTP handlers of the coherence module: findings (overlaps) and feedback on them, the model,
// and the check of drafts (docs/coherence.md, docs/api.md). The gaps and mandates routes are
// coherence/coherence_gaps_api.h's.
#pragma once

#include "coherence/coherence_service.h"
#include "http/router.h"

namespace gmg {

void AddCoherenceRoutes(http::Router& router, CoherenceService& coherence);

}  // namespace gmg
