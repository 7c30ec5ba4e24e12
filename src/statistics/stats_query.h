// The query engine: which series and observations of a FlowData an SDMX data query selects,
// derived regional aggregates along the UN M49 hierarchy and per-capita figures, and the
// answer written through an sdmx::DataWriter.
//
// Pure (no database). Thread-safety: reentrant over immutable FlowData.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "interop/sdmx_key.h"
#include "interop/sdmx_model.h"
#include "statistics/flow_data.h"

namespace gmg::stats {

struct DataQuery {
  sdmx::KeyFilter key;                         // v1.5 key (empty positions = any)
  std::vector<sdmx::ComponentFilter> filters;  // v2.0 c[…]; dimension, attribute or TIME_PERIOD
  std::optional<std::string> start_period;     // inclusive, by the period's first day
  std::optional<std::string> end_period;       // inclusive, by the period's last day
  int first_n = 0;                             // firstNObservations per series (0 = all)
  int last_n = 0;                              // lastNObservations per series
  int64_t updated_after = 0;                   // unix seconds; series changed after it
  sdmx::Detail detail = sdmx::Detail::kFull;
  std::string dimension_at_observation = "TIME_PERIOD";
  bool labels = false;  // SDMX-CSV 2.0 labels=both (copied into the DataHeader)
};

struct QueryLimits {
  int64_t max_observations = 5'000'000;  // larger answers: kPayloadTooLarge with a hint
};

// The selection: series (indices into FlowData::series, in their order) and, per series, the
// half-open range of its observations kept. Filters that keep observations apart (c[…] on an
// attribute, `ne:` on the time) list the kept ones in `only` (ascending, inside [begin, end));
// `only` empty = all of [begin, end). Every item keeps at least one observation.
struct Selection {
  struct Item {
    uint32_t series = 0;
    uint32_t begin = 0;
    uint32_t end = 0;
    std::vector<uint32_t> only;
  };
  std::vector<Item> items;
  int64_t observations = 0;
};

// Errors: kInvalidArgument (a filter on an unknown component, a bad period: names them),
// kNotFound "no observations match" (SDMX 100), kPayloadTooLarge with a hint naming the count,
// the limit and how to narrow (SDMX 510).
Result<Selection> Select(const FlowData& data, const DataQuery& query, const QueryLimits& limits);

// Writes the selection: Begin (header filled from the selection), each series, End. Returns
// false when the writer's sink stopped.
bool Emit(const FlowData& data, const Selection& selection, const DataQuery& query,
          sdmx::DataWriter& writer);

// A copy of `data` with derived series added: for the dimension `dimension` (a country
// dimension, codes ISO 3166 alpha-3 or M49), the sum of its countries for each M49 region at
// `level` ("world", "region", "subregion", "intermediate"), coded with the M49 region code and
// marked derived. kInvalidArgument when the dimension is not a country dimension.
Result<FlowData> WithRegionalAggregates(const FlowData& data, const std::string& dimension,
                                        const std::string& level);

// Per-capita figures and shares: each observation divided by the population of the same area
// and period in `population` (a flow with an area dimension `population_area_dimension` and a
// population value), times `per` (1,000: per thousand people; 100: the share in percent).
// Observations without a population (or a zero one) become missing; every series is marked derived.
// Areas match as countries whatever their coding (ISO 3166 alpha-3 or alpha-2, M49), other codes as
// written; where the population flow has several series for an area, the one whose other codes are
// totals (_T, T, _Z, TOTAL) is used. kInvalidArgument when either dimension does not exist.
Result<FlowData> PerPopulation(const FlowData& data, const std::string& area_dimension,
                               const FlowData& population,
                               const std::string& population_area_dimension, double per = 1000.0);

}  // namespace gmg::stats
