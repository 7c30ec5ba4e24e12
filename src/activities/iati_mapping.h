// IATI ↔ GMG Hub activities: the import (a file, all-or-nothing) and the export mapping.
//
// Import rules: reporting-org is matched to an organisation by IATI identifier ("XM-DAC-47066"
// and "47066" are the same); an organisation that is not in the registry joins it as a partner.
// DAC 5-digit sectors and SDG targets (as sectors or tags) map onto themes (table in
// iati_mapping.cc); other classifications are kept as tags. An activity with no migration
// theme is skipped (a whole agency file holds much more than migration work). The same
// iati-identifier updates the stored activity instead of duplicating it. Unknown country,
// region, status or currency codes, and end dates before start dates, reject the whole file
// naming the line. A focal point may import only activities its own organisation reports.
// Thread-safety: stateless over the Database.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "activities/activity_service.h"
#include "core/principal.h"
#include "core/result.h"
#include "interop/iati.h"

namespace gmg {

struct ImportItem {
  int line = 0;
  std::string iati_identifier;
  std::string action;  // "created", "updated", "skipped"
  int64_t activity_id = 0;
  std::string reason;
};

struct ImportReport {
  std::string file_version;
  bool dry_run = false;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t skipped = 0;
  std::vector<ImportItem> items;
  std::vector<iati::Warning> warnings;
};

Result<ImportReport> ImportIati(Database& db, ActivityService& activities, const Principal& actor,
                                std::string_view xml, bool dry_run);

// The themes an IATI sector or tag maps onto (empty when none); exposed for tests.
std::vector<std::string> ThemesForCode(const std::string& vocabulary, const std::string& code,
                                       bool is_tag);

// Streams the activities under `filter` as IATI 2.03 XML to `sink`.
Status ExportIati(Database& db, ActivityService& activities, const Principal& viewer,
                  const ActivityFilter& filter, const std::function<bool(std::string_view)>& sink);

}  // namespace gmg
