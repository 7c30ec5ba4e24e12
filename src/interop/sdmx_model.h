// The SDMX information model GMG Hub speaks, reduced to what statistics on migration need:
// dataflows, their data structure (dimensions, time, attributes, measure), codelists and
// concepts; observations as read from a file (views, for speed) and as written to an answer.
//
// Pure values shared by the readers and writers (interop/sdmx_csv.h, sdmx_ml.h, sdmx_json.h)
// and the statistics module. Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gmg::sdmx {

struct Code {
  std::string id;      // "BF", "202" (M49), "T"
  std::string name;    // English name
  std::string parent;  // hierarchical codelists (M49 area → region); "" = top
};

struct Codelist {
  std::string agency;  // "GMG", "UNDESA"
  std::string id;      // "CL_AREA"
  std::string version = "1.0";
  std::string name;
  std::vector<Code> codes;
};

struct Concept {
  std::string id;  // "REF_AREA"
  std::string name;
};

enum class Role { kDimension, kAttribute };

struct Component {
  std::string id;        // concept id: "REF_AREA", "COUNTERPART_AREA", "SEX", "OBS_STATUS"
  std::string name;      // English
  std::string codelist;  // id of a Codelist in the structure; "" = uncoded (free text)
  // Attributes only: where the value is attached: "Observation" (default), "Series", "DataSet".
  std::string attachment = "Observation";
};

struct DataStructure {
  std::string agency;
  std::string id;  // "DSD_MIGRANT_STOCK"
  std::string version = "1.0";
  std::string name;
  std::vector<Component> dimensions;  // the series key, in key order; time is not among them
  std::string time_dimension = "TIME_PERIOD";
  std::vector<Component> attributes;  // e.g. OBS_STATUS, UNIT_MEASURE, UNIT_MULT
  std::string primary_measure = "OBS_VALUE";
  std::vector<Codelist> codelists;  // every codelist a component names
  std::vector<Concept> concepts;    // every component's concept, time and measure included

  // Index of the dimension `id` in `dimensions`, or -1.
  int DimensionIndex(std::string_view id) const;
  int AttributeIndex(std::string_view id) const;
  const Codelist* FindCodelist(std::string_view id) const;
};

struct Dataflow {
  std::string agency;  // maintenance agency, upper case: "UNDESA", "UNHCR", "WB", "GMG"
  std::string id;      // "MIGRANT_STOCK"
  std::string version = "1.0";
  std::string name;
  std::string description;
  DataStructure structure;
};

// SDMX-CSV 2.0's ACTION column (and SDMX-ML's dataset action): I (information: merge, as A),
// A append/merge, R replace the series named, D delete the observations (or series) named.
enum class Action { kInformation, kAppend, kReplace, kDelete };

// One observation as a reader found it, as views into the reader's buffer (valid only during
// the sink call). `key` has one entry per dimension in DataStructure::dimensions order,
// `attributes` one per DataStructure::attributes ("" = not given). `value` is the text as
// written ("" = missing); the sink parses it so the report can name line and column.
struct ObservationView {
  std::span<const std::string_view> key;
  std::string_view period;
  std::string_view value;
  std::span<const std::string_view> attributes;
  Action action = Action::kAppend;
  int64_t line = 0;  // 1-based line (CSV) or line of the element (XML)
};

// Called once per observation. An error stops the read and is returned by the reader.
using ObservationSink = std::function<Status(const ObservationView&)>;

// ---- Answers -------------------------------------------------------------------------------

// One observation of an answer. `value` NaN = missing (written empty / "NaN" / null).
struct ObservationOut {
  std::string_view period;
  double value = 0;
  std::span<const std::string_view> attributes;  // per DataStructure::attributes, "" = none
};

struct SeriesOut {
  std::span<const std::string_view> key;  // codes, per DataStructure::dimensions
  std::span<const ObservationOut> observations;
  bool derived = false;  // a regional aggregate or per-capita figure computed by GMG Hub
};

enum class Detail { kFull, kDataOnly, kSeriesKeysOnly, kNoData };

// What a writer needs before the first series (SDMX-JSON indexes values by position).
struct DataHeader {
  const Dataflow* flow = nullptr;
  std::string id;        // message id
  std::string prepared;  // ISO 8601 UTC time the answer was made
  // The codes of each dimension that occur in the answer, in the order the series come, and
  // every period that occurs, in chronological order.
  std::vector<std::vector<std::string>> dimension_values;
  std::vector<std::string> periods;
  Detail detail = Detail::kFull;
  // "TIME_PERIOD" (series, the default) or "AllDimensions" (flat observations).
  std::string dimension_at_observation = "TIME_PERIOD";
  bool labels = false;  // SDMX-CSV 2.0 labels=both: "code: name" in dimension columns
  // CSV formats: a last column DERIVED, "true" on the rows of SeriesOut::derived series (set
  // it when the answer may hold aggregates). SDMX-JSON marks derived series with the
  // annotation GMG_DERIVED whatever this says; SDMX-ML does not mark them.
  bool derived_column = false;
};

// Where a writer's bytes go, in pieces of up to ~64 KiB; returns false to stop (client gone).
using Sink = std::function<bool(std::string_view)>;

// Writes one data message. Begin, then Series for each series in DataHeader's order, then End.
// Each returns false when the sink refused (stop writing). Memory is flat: a writer keeps only
// its output buffer, never the message.
class DataWriter {
 public:
  virtual ~DataWriter() = default;
  virtual bool Begin(const DataHeader& header) = 0;
  virtual bool Series(const SeriesOut& series) = 0;
  virtual bool End() = 0;
};

enum class DataFormat {
  kSdmxCsv10,   // application/vnd.sdmx.data+csv;version=1.0.0
  kSdmxCsv20,   // application/vnd.sdmx.data+csv;version=2.0.0
  kSdmxJson10,  // application/vnd.sdmx.data+json;version=1.0.0
  kSdmxJson20,  // application/vnd.sdmx.data+json;version=2.0.0
  kSdmxMl21,    // application/vnd.sdmx.structurespecificdata+xml;version=2.1
  kPlainCsv,    // text/csv, one observation a row, code and name columns, for spreadsheets
};

}  // namespace gmg::sdmx
