// The SDMX REST API (v1.5 and v2.0 data and structure queries) over StatsService: the request
// parsed and every bound checked, the format negotiated (format= or Accept; 406 when nothing
// acceptable), the selection made (statistics/stats_query.h), then the answer streamed through
// an sdmx::DataWriter. Errors are SDMX error messages with their SDMX code and HTTP status
// (100 → 404, 140 → 400, 150 → 403, 406, 510 → 413 with a hint). Anonymous; docs/api.md.
//
// Thread-safety: handlers are reentrant; the data they stream is immutable FlowData.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/router.h"
#include "interop/sdmx_write.h"
#include "statistics/stats_query.h"
#include "statistics/stats_routes.h"
#include "statistics/stats_service.h"

namespace gmg {

void AddSdmxRoutes(http::Router& router, StatsService& stats, const StatsApiOptions& options);

// An SDMX failure as an Error: the ErrorCode nearest the SDMX code (100 kNotFound, 140
// kInvalidArgument, 150 kFailedPrecondition, 510 kPayloadTooLarge), the SDMX code itself in a
// detail of field kSdmxCodeField, which the SDMX routes answer with (sdmx::HttpStatusOf) and
// WithoutSdmxCode drops for the JSON API.
inline constexpr const char* kSdmxCodeField = "sdmx_code";
Error SdmxFailure(int code, std::string message);
Error WithoutSdmxCode(Error e);

// A v1.5 flow reference: "AGENCY,ID,VERSION", "AGENCY,ID" or "ID" (agency "" = whichever
// agency provides ID; version "" = the latest). SDMX 140 for anything else.
Result<StatsFlowRef> ParseFlowRef(std::string_view flow);

// updatedAfter: ISO 8601 "2020-01-31", "2020-01-31T10:00:00Z", "…T10:00:00.123+01:00" (a
// space where '+' was, as query decoding makes of it) → unix seconds. kInvalidArgument.
Result<int64_t> ParseIsoTimestamp(std::string_view text);

// The query parameters every data query shares, read and bounded (not yet the key).
struct DataParams {
  stats::DataQuery query;                // periods, firstN/lastN, updatedAfter, detail, …
  std::optional<std::string> aggregate;  // world|region|subregion|intermediate
  std::string aggregate_dimension;       // "" = REF_AREA
  int release = 0;                       // 0 = current data
  bool labels = false;                   // labels=both
  // per_capita=AGENCY,ID[,VERSION] (or AGENCY:ID): values per 1,000 population of that flow.
  std::optional<StatsFlowRef> per_capita;
  std::string per_capita_dimension;  // the population flow's area dimension; "" = REF_AREA
  int per_capita_per = 1000;         // per_capita_per=100 (percent), 1000, 100000
};
// kInvalidArgument naming the parameter and the bound it broke.
Result<DataParams> ParseDataParams(const http::Request& request);

// The data a query reads: current, or as it was after release N, with regional aggregates
// (derived series) when asked, and per 1,000 population when `per_capita` names a population
// flow, per `per_capita_per` people (its current data, aggregated to the same regions first, so a
// region's rate is its sum over its population's sum; stats_query.h: PerPopulation). SDMX 100 when
// no such dataflow or release (the population flow included); SDMX 140 when a flow id alone names
// flows of several agencies; SDMX 150 when the aggregate dimension is not a country dimension
// or either area dimension does not exist.
Result<std::shared_ptr<const stats::FlowData>> LoadStatsData(StatsService& stats,
                                                             const StatsFlowRef& ref,
                                                             const DataParams& params);

// The `c[COMPONENT]=…` filters of a v2.0 query, read from the raw query string (where '+' is
// the AND of conditions, not a space). At most 50 filters of 4,096 characters each.
Result<std::vector<sdmx::ComponentFilter>> ParseComponentFilters(std::string_view target);

// A v2.0 key ("A.*.BF,ML" or "*") as a v1.5 key ("A..BF+ML", "all").
std::string V2KeyAsV1(std::string_view key);

}  // namespace gmg
