// JSON forms of a data structure (sdmx::DataStructure) and of a column mapping
// (stats::ColumnMapping): how stats_dataflows keeps them, and the bodies of the statistics
// API (statistics/stats_api.h). Field names as in the C++ structs (snake_case); a column
// role's kind as a lower-case string: "dimension", "time", "value", "wide_values",
// "attribute", "ignored"; a mapping's delimiter and decimal mark as one-character strings.
//
// Reading validates: kInvalidArgument naming the field ("dimensions[1].codelist: no codelist
// 'CL_SEX' in the structure").
// Pure. Thread-safety: reentrant.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "interop/sdmx_model.h"
#include "statistics/infer.h"

namespace gmg::stats {

boost::json::value StructureToJson(const sdmx::DataStructure& structure);
Result<sdmx::DataStructure> StructureFromJson(const boost::json::value& json);

boost::json::value MappingToJson(const ColumnMapping& mapping);
// Checks the mapping's own shape (one role per column, known kinds); MappingFitsStructure
// checks it against a structure.
Result<ColumnMapping> MappingFromJson(const boost::json::value& json);

// The rules a structure keeps: ids of [A-Za-z0-9_@$-] (1-100 characters), dimensions (at
// least one) and attributes unique and not the time dimension or the primary measure, every
// codelist a component names present, codes unique and of the same characters, a parent code
// present in its codelist and no cycle of parents, names without characters XML cannot carry
// (controls, U+FFFE, U+FFFF), at most kMaxCodes codes a codelist and kMaxStructureCodes in all,
// kMaxComponents of each component.
// kInvalidArgument naming the field.
Status ValidateStructure(const sdmx::DataStructure& structure);

// The most codes one codelist, and the most dimensions, attributes or codelists one structure,
// may hold: a structure is parsed for every structure query, so its size is bounded.
inline constexpr size_t kMaxCodes = 20000;
inline constexpr size_t kMaxStructureCodes = 50000;
inline constexpr size_t kMaxComponents = 50;

// Makes `agency` the maintainer of the structure and of each codelist (filling those left
// empty): a dataflow publishes its structure under its own agency only. kFailedPrecondition
// (rule "other_agency", the field named) when one names another agency — one agency may not
// publish a codelist or structure in another's name.
Status ClaimStructure(sdmx::DataStructure* structure, const std::string& agency);
// Every dimension, attribute and wide dimension a mapping's roles name exists in the
// structure (or is its time dimension); constants name dimensions. kInvalidArgument naming
// the field ("roles[3].dimension").
Status MappingFitsStructure(const ColumnMapping& mapping, const sdmx::DataStructure& structure);

// Whether `id` is a valid SDMX id or code ([A-Za-z0-9_@$-]+, 1-100 characters).
bool IsSdmxId(std::string_view id);

// Text forms (stored in stats_dataflows). Parsing errors as above, "structure: not JSON" too.
std::string StructureToText(const sdmx::DataStructure& structure);
Result<sdmx::DataStructure> StructureFromText(std::string_view text);
std::string MappingToText(const ColumnMapping& mapping);
Result<ColumnMapping> MappingFromText(std::string_view text);

}  // namespace gmg::stats

namespace gmg {
// The service and API code (namespace gmg) names them unqualified.
using stats::MappingFromJson;
using stats::MappingToJson;
using stats::StructureFromJson;
using stats::StructureToJson;
}  // namespace gmg
