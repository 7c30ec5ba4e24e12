// StatsService: the statistics module's service. Dataflows (structure, column mapping,
// provenance), releases (each upload is one, all-or-nothing; a re-upload replaces the current
// data and keeps the previous release in history), and the current data of each dataflow in
// memory for queries (statistics/flow_data.h), rebuilt when its data version changes.
//
// Owns the tables stats_dataflows, stats_releases, stats_series (statistics migration 1).
// Who may do what (core/access_policy.h): everyone, signed in or not, reads dataflows, data and
// provenance; a member or focal point of the organisation whose agency a dataflow has, the
// secretariat and administrators upload and edit it; a member creates dataflows only under its
// own organisation's agency (organization id upper case: "UNDESA", "UNHCR", "WORLDBANK").
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/principal.h"
#include "core/result.h"
#include "interop/sdmx_model.h"
#include "statistics/flow_data.h"
#include "statistics/infer.h"
#include "store/database.h"

namespace gmg {

struct StatsFlowRef {
  std::string agency;
  std::string id;
  std::string version;  // "" or "latest" = the highest version
};

struct StatsRelease {
  int64_t id = 0;
  int number = 0;            // 1, 2, 3 … within the dataflow
  std::string status;        // "current" | "superseded"
  std::string provider;      // organisation id that provided it
  std::string file_name;     // as uploaded
  std::string sha256;        // of the uploaded bytes
  std::string format;        // "sdmx-csv-1.0", "sdmx-csv-2.0", "sdmx-ml-2.1", "csv"
  int64_t observations = 0;  // in the dataflow after this release
  int64_t changed = 0;       // observations added, replaced or deleted by it
  int64_t user_id = 0;
  std::string user_name;
  int64_t created_at = 0;  // unix seconds
  std::string note;
};

struct StatsFlowSummary {
  std::string agency, id, version, name, description;
  std::string provider;  // organisation id
  int64_t series = 0;
  int64_t observations = 0;
  std::string first_period, last_period;
  int64_t updated_at = 0;
  std::optional<StatsRelease> current;
};

struct StatsFlow {
  StatsFlowSummary summary;
  sdmx::Dataflow flow;                          // structure, codelists, concepts
  std::optional<stats::ColumnMapping> mapping;  // saved by a confirmed inference
  std::vector<StatsRelease> releases;           // newest first
};

struct StatsImportRequest {
  StatsFlowRef flow;        // created when it does not exist (name below)
  std::string name;         // new dataflow's name ("" = the id)
  std::string description;  // new dataflow's description (its source, say)
  std::string_view data;    // the file's bytes (must outlive the call)
  std::string file_name;
  bool infer = false;    // plain CSV: infer structure and mapping (else the saved mapping)
  bool dry_run = false;  // validate and report; store nothing
  std::optional<stats::ColumnMapping> mapping;   // a confirmed (possibly edited) mapping
  std::optional<sdmx::DataStructure> structure;  // a confirmed (possibly edited) structure
  std::string note;
  // Plain CSV and SDMX-CSV 1.0 without ACTION: replace the whole dataflow's data (true, the
  // default: a re-upload of a release) or merge into it (false).
  bool replace = true;
};

struct StatsImportReport {
  std::string format;
  bool applied = false;                       // false for a dry run or when problems were found
  std::optional<stats::Inference> inference;  // when inferred
  int64_t rows = 0;
  int64_t observations = 0;  // read from the file
  int64_t added = 0, replaced = 0, deleted = 0, unchanged = 0;
  int64_t series = 0;
  std::vector<stats::Problem> problems;  // first 1,000
  int64_t problem_count = 0;
  std::vector<std::string> ignored_columns;
  std::optional<StatsRelease> release;  // when applied
};

class StatsService {
 public:
  struct Options {
    int64_t max_upload_bytes = 1LL << 30;  // 1 GiB
    int max_problems = 1000;
    // The name of a user (releases name who uploaded them); none: releases carry no name.
    std::function<std::string(int64_t)> user_name;
  };
  StatsService(Database& db, Options options);

  Result<std::vector<StatsFlowSummary>> ListFlows();
  // kNotFound when no such dataflow.
  Result<StatsFlow> GetFlow(const StatsFlowRef& ref);

  // Reads, validates and (unless dry_run or any problem) stores one upload as one release in
  // one transaction, audited. Errors: kUnauthenticated, kPermissionDenied (not the agency's
  // organisation), kInvalidArgument (not a CSV/SDMX file, missing columns: line and column
  // named), kFailedPrecondition (a plain CSV without a saved or given mapping and infer=false).
  // Problems with rows do not fail the call: the report lists them and applied is false.
  Result<StatsImportReport> Import(const Principal& who, const StatsImportRequest& request);

  // Creates a dataflow, or changes its name, description, structure and column mapping (the
  // confirmation step of an inferred upload), audited. Once the dataflow holds data its
  // dimensions (ids and order) may not change: kConflict; codes may be added, names changed.
  // kInvalidArgument names the field (a codelist a component names is missing, duplicate
  // codes, a mapping whose columns do not fit the structure).
  Result<StatsFlow> SaveFlow(const Principal& who, const StatsFlowRef& ref, const std::string& name,
                             const std::string& description, const sdmx::DataStructure& structure,
                             const std::optional<stats::ColumnMapping>& mapping);
  // Deletes a dataflow with its history (administrators only; audited).
  Status DeleteFlow(const Principal& who, const StatsFlowRef& ref);

  // The current data, from memory when its data version is the stored one (one indexed read),
  // else rebuilt from the stored series. kNotFound when no such dataflow.
  Result<std::shared_ptr<const stats::FlowData>> Current(const StatsFlowRef& ref);
  // The data as it was right after release `number` (history). kNotFound.
  Result<std::shared_ptr<const stats::FlowData>> AtRelease(const StatsFlowRef& ref, int number);

  // Flows other modules read (coherence gaps): the current value of each area for a flow's
  // latest period, summed over the other dimensions as the caller filters. Implemented with
  // Current().
  Result<std::vector<std::pair<std::string, double>>> LatestByArea(
      const StatsFlowRef& ref, const std::string& area_dimension,
      const std::vector<std::pair<std::string, std::string>>& fixed_codes);

 private:
  Database& db_;
  Options options_;
  std::mutex cache_mutex_;
  // Current data by dataflow id; an entry is used while its data_version is the stored one.
  std::unordered_map<int64_t, std::shared_ptr<const stats::FlowData>> cache_;
};

}  // namespace gmg
