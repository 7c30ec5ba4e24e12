// The positions module's schema migrations, SQLite and PostgreSQL (store/migrations.h): common
// positions, their versions and comments, endorsement rounds, stands and delegations
// (docs/positions.md). The module owns these tables; other modules reach their data only
// through its C++ interface.
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& PositionsMigrations();

}  // namespace gmg
