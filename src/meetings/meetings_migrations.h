// The meetings module's schema migrations, SQLite and PostgreSQL (store/migrations.h): series,
// meetings, agenda items, papers, attendance, minutes (with versions and comments), decisions,
// actions and their progress notes (docs/meetings.md). The module owns these tables; other
// modules reach their data only through its C++ interface.
// Thread-safety: a constant list.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& MeetingsMigrations();

// The tables a copy of an installation skips: `meetings_search_state`, whose one row the
// destination's migration made and whose counter the copied rows' triggers raise.
inline std::set<std::string> MeetingsDerivedTables() { return {"meetings_search_state"}; }

}  // namespace gmg
