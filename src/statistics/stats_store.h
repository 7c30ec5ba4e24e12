// The statistics module's SQL (statistics migration 1): rows of stats_dataflows,
// stats_releases and stats_series, read and written inside the caller's transaction. Used by
// StatsService only (statistics/stats_service.h); portable SQL, both engines.
// Thread-safety: stateless functions over a Tx.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/database.h"

namespace gmg::stats {

struct FlowRow {
  int64_t id = 0;
  std::string agency, flow_id, version, name, description, provider;
  std::string structure;  // JSON text
  std::string mapping;    // JSON text, "" none
  int64_t data_version = 0;
  int64_t created_at = 0, updated_at = 0;
};

struct ReleaseRow {
  int64_t id = 0;
  int64_t dataflow_id = 0;
  int number = 0;
  std::string provider, file_name, sha256, format;
  int64_t observations = 0, changed = 0;
  int64_t user_id = 0;  // 0 = none (the shell)
  std::string note;
  std::string report;  // JSON text
  int64_t created_at = 0;
};

// The id and data version of a dataflow, as FindFlow picks it, without its structure: what a
// cached reader needs to know that its copy is still the stored one.
struct FlowVersion {
  int64_t id = 0;
  int64_t data_version = 0;
};
Result<std::optional<FlowVersion>> FindFlowVersion(Tx& tx, std::string_view agency,
                                                   std::string_view flow_id,
                                                   std::string_view version);
// The dataflow `agency:flow_id(version)`; version "" or "latest" picks the highest (numeric
// parts compared as numbers: 1.10 after 1.9). nullopt when none.
Result<std::optional<FlowRow>> FindFlow(Tx& tx, std::string_view agency, std::string_view flow_id,
                                        std::string_view version);
// Every dataflow, by agency, id and version.
Result<std::vector<FlowRow>> ListFlowRows(Tx& tx);
// Inserts a dataflow (id, created_at and updated_at set from the row; returns the id).
Result<int64_t> InsertFlow(Tx& tx, const FlowRow& row);
// Updates name, description, structure, mapping and updated_at.
Status UpdateFlow(Tx& tx, const FlowRow& row);
// Deletes the dataflow with its releases and series.
Status DeleteFlowRows(Tx& tx, int64_t dataflow_id);

// Releases of a dataflow, newest first.
Result<std::vector<ReleaseRow>> ListReleases(Tx& tx, int64_t dataflow_id);
// The newest release of each dataflow (one query), in no order.
Result<std::vector<ReleaseRow>> LatestReleases(Tx& tx);
Result<int64_t> InsertRelease(Tx& tx, const ReleaseRow& row);
// Sets data_version = data_version + 1 and updated_at.
Status BumpDataVersion(Tx& tx, int64_t dataflow_id, int64_t now);

struct SeriesRow {
  std::string key;
  int valid_from = 0;
  std::string data;  // series_codec bytes
  int64_t observations = 0;
};

// The series versions valid right after release `number` (0 = the current ones), each passed
// to `fn` (views valid during the call).
Status ForEachSeries(Tx& tx, int64_t dataflow_id, int number,
                     const std::function<Status(std::string_view key, int valid_from,
                                                std::string_view data, int64_t observations)>& fn);
// Marks the current versions of `keys` replaced by release `number` (valid_to = number).
Status CloseSeries(Tx& tx, int64_t dataflow_id, const std::vector<std::string>& keys, int number);
// Writes new current versions (valid_from = number), many rows a statement.
Status InsertSeries(Tx& tx, int64_t dataflow_id, int number, const std::vector<SeriesRow>& rows);

}  // namespace gmg::stats
