// The current data of one dataflow, in memory, as every query reads it: a columnar copy of the
// stored series (statistics/stats_store.h), built once per data version and shared read-only
// (std::shared_ptr<const FlowData>) by every request until a new release replaces it.
//
// Pure value. Thread-safety: immutable once built.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "interop/sdmx_model.h"

namespace gmg::stats {

struct FlowData {
  sdmx::Dataflow flow;
  int64_t dataflow_id = 0;
  int64_t data_version = 0;  // stats_dataflows.data_version this copy was built from
  // Every period that occurs, in chronological order; observations refer to them by index.
  std::vector<std::string> periods;

  struct Series {
    // Per dimension, the index of the code in that dimension's codelist
    // (flow.structure.FindCodelist(dimension.codelist)->codes).
    std::vector<uint32_t> key;
    std::vector<uint32_t> period_index;  // ascending
    std::vector<double> values;          // NaN = missing, same length as period_index
    // Observation attributes, observations × structure.attributes.size(), row-major: 0 = none,
    // else 1 + the code's index in the attribute's codelist (uncoded attributes: 1 + index
    // into `free_texts`).
    std::vector<uint32_t> attributes;
    int64_t release_id = 0;  // the release that last changed the series
    int64_t updated_at = 0;  // unix seconds of that release
    bool derived = false;    // computed by GMG Hub (regional aggregate, per-capita figure)
  };
  std::vector<Series> series;  // sorted by key
  std::vector<std::string> free_texts;
};

}  // namespace gmg::stats
