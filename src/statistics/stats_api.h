// The statistics JSON API the web app uses (docs/api.md "Statistics"): dataflows (list,
// detail with structure, mapping and provenance), saving a dataflow's structure and column
// mapping (the confirmation of an inferred upload), deleting one, uploads (raw file bodies up
// to 1 GiB on the background pool; ImportReport), and data as compact JSON for charts or as an
// Excel workbook. Reads are public; writes are CSRF-checked by the router and audited by
// StatsService, which decides who may write what.
//
// Thread-safety: handlers are reentrant.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "http/router.h"
#include "statistics/stats_routes.h"
#include "statistics/stats_service.h"

namespace gmg {

void AddStatsJsonRoutes(http::Router& router, StatsService& stats, const StatsApiOptions& options);

// The largest upload accepted (the route's body limit): 1 GiB.
inline constexpr size_t kMaxStatsUploadBytes = size_t{1} << 30;

// The upload's query flags (infer, dry_run, merge, name, file_name, note) as an import request
// for the dataflow of the path (the body is set by the caller). kInvalidArgument names the
// parameter: a flag other than 1/0/true/false, a name over 200 bytes, a file name over 255, a
// note over 2,000.
Result<StatsImportRequest> ParseUploadRequest(const http::Request& request);

}  // namespace gmg
