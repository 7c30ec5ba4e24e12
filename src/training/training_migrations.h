// The training module's schema migrations, SQLite and PostgreSQL (store/migrations.h).
// The module owns these tables; other modules reach their data only through TrainingService.
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& TrainingMigrations();

}  // namespace gmg
