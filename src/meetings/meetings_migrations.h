// The meetings module's schema migrations, SQLite and PostgreSQL (store/migrations.h): series,
// meetings, agenda items, papers, attendance, minutes (with versions and comments), decisions,
// actions and their progress notes (docs/meetings.md). The module owns these tables; other
// modules reach their data only through its C++ interface.
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& MeetingsMigrations();

}  // namespace gmg
