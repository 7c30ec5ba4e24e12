// GapService: the coherence gaps as a viewer sees them — need from the statistics dataflows the
// need configuration names (coherence/indicators.h, read through a NeedProvider), coverage from
// the activity map the viewer may see (ActivityService), weighed by coherence/gaps.h.
// docs/coherence-gaps.md has the formulas.
//
// Levels: "region" (the five UN M49 regions), "subregion" (M49 sub-regions) and "country".
// A country's coverage: activities naming it; those recorded only for a region containing it
// count at kWiderRegionWeight. A region's: every activity covering any of its countries
// (ActivityFilter's region filter), however recorded. Global ones count kGlobalWeight
// everywhere. The scales and fair shares are over every area of the level; the `region`
// filter only selects which cells are answered.
// Thread-safety: any thread (no state of its own).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "activities/activity_service.h"
#include "coherence/coherence_query.h"
#include "coherence/gaps.h"
#include "core/principal.h"
#include "core/result.h"

namespace gmg {

struct GapReport {
  std::string level;
  std::vector<coherence::Source> sources;  // the dataflows the need figures came from
  std::vector<std::string> missing;        // indicators whose dataflow is not (yet) loaded
  std::vector<coherence::GapCell> cells;   // ranked, at most the query's limit
  int64_t total = 0;                       // cells before the limit
};

class GapService {
 public:
  static constexpr int64_t kMaxLimit = kMaxGapLimit;

  // The need figures as they are now (the configuration read from the database, the values
  // from the statistics module).
  using NeedProvider = std::function<Result<coherence::NeedTable>()>;

  GapService(ActivityService& activities, NeedProvider need)
      : activities_(activities), need_(std::move(need)) {}
  GapService(const GapService&) = delete;
  GapService& operator=(const GapService&) = delete;

  // kInvalidArgument naming the field for an unknown level, region or theme (a theme of the
  // taxonomy that is archived or has no need figures is unknown here) or a limit out of range.
  // With no statistics loaded every theme lacks figures: the report is empty and names the
  // missing indicators.
  Result<GapReport> Gaps(const Principal& viewer, const GapQuery& query);

 private:
  Result<std::vector<std::string>> Themes(const coherence::NeedTable& need,
                                          const std::string& only);
  Result<coherence::GapInput> CountryInput(const Principal& viewer,
                                           const std::vector<std::string>& themes);
  Result<coherence::GapInput> RegionInput(const Principal& viewer, const std::string& level,
                                          const std::vector<std::string>& themes);

  ActivityService& activities_;
  NeedProvider need_;
};

}  // namespace gmg
