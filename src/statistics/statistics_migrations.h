// The statistics module's schema migrations, SQLite and PostgreSQL (store/migrations.h):
// dataflows with their structure and column mapping (stats_dataflows), releases, one per
// applied upload (stats_releases), and the versions of each series (stats_series: a series
// row is valid from the release that wrote it until the release that replaced or deleted it).
// Thread-safety: a constant list.
#pragma once

#include <vector>

#include "store/migrations.h"

namespace gmg {

const std::vector<Migration>& StatisticsMigrations();

}  // namespace gmg
