// The coherence module's schema migrations, SQLite and PostgreSQL (store/migrations.h):
// people's verdicts on findings (coherence_feedback), the estimated model (coherence_model) and
// the organisations' stated mandates (coherence_mandates). Findings themselves are derived and
// kept in memory (coherence/coherence_service.h).
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& CoherenceMigrations();

}  // namespace gmg
