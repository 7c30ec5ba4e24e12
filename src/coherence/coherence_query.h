// What a reader asks of the coherence findings and gaps: the filters of the overlaps list and
// the gap query (plain values the services take), and their parsers from a request's query
// string (coherence/coherence_query_api.h), fuzzed by fuzz/coherence_query_fuzz.cc.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "coherence/overlap_engine.h"
#include "core/date.h"

namespace gmg {

// Filters of the list (all optional; an empty string is no filter).
struct OverlapFilter {
  std::string organization;  // either activity's organisation
  std::string country;       // named by either activity (ISO alpha-2)
  std::string region;        // recorded by either, or one of its countries named
  std::string theme;         // of either activity
  std::optional<coherence::FindingClass> finding_class;
  double min_score = 0;  // probability at least this
  std::optional<Date> from;
  std::optional<Date> to;  // the finding's common period (else either's) overlaps [from, to]
  std::optional<int64_t> cluster;
  // "" (dismissed hidden while current), "none", "any", or a verdict name (then only those,
  // dismissed included).
  std::string feedback;
};

// The most gap cells one answer holds.
inline constexpr int64_t kMaxGapLimit = 5000;

struct GapQuery {
  std::string level = "region";  // "region", "subregion" or "country"
  std::string region;            // M49 code or LDC/LLDC/SIDS: only areas inside it; "" = all
  std::string theme;             // one theme id; "" = every theme with a need table
  int64_t limit = 200;           // 1 to kMaxGapLimit cells, the largest gaps first
};

}  // namespace gmg
