// The research module's schema migrations, SQLite and PostgreSQL (store/migrations.h).
// The module owns these tables; other modules reach their data only through ResearchService.
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& ResearchMigrations();

}  // namespace gmg
