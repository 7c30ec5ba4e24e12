// The library module's schema (library/library_service.h), both dialects.
// Thread-safety: immutable data.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& LibraryMigrations();

}  // namespace gmg
