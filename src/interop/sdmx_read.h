// Readers of SDMX data messages: SDMX-CSV 1.0 (DATAFLOW column), SDMX-CSV 2.0 (STRUCTURE,
// STRUCTURE_ID, ACTION columns) and SDMX-ML 2.1 structure-specific data (streamed with expat:
// memory stays flat whatever the file's size). Each observation goes to an ObservationSink.
//
// Pure: codes are not checked here (the statistics module does, naming line and column).
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "interop/sdmx_model.h"

namespace gmg::sdmx {

enum class InputFormat { kUnknown, kSdmxCsv10, kSdmxCsv20, kSdmxMl21, kPlainCsv, kNotCsv };

// Guesses the format from the first bytes: '<' → SDMX-ML; a CSV whose header starts with
// DATAFLOW → SDMX-CSV 1.0, with STRUCTURE → 2.0; any other CSV → plain; binary → kNotCsv.
InputFormat DetectFormat(std::string_view text);

// What a message names about itself, read from the header row (CSV) or the dataset element.
struct MessageInfo {
  std::string agency;  // from "UNDESA:MIGRANT_STOCK(1.0)"
  std::string id;
  std::string version;
  std::vector<std::string> columns;  // CSV: the header row as written
};

// Reads an SDMX-CSV 1.0 or 2.0 text against `structure`: the header must hold every dimension,
// the time dimension and the primary measure (attribute columns optional, unknown columns
// ignored and listed in *ignored_columns). Errors: kInvalidArgument with line and column for a
// missing column, a row with the wrong number of fields, an unknown ACTION, a STRUCTURE other
// than "dataflow"; the sink's error is returned as it is.
// Details: "column" in these errors is the field number (1-based) of the row; CSV syntax errors
// (from csv::Reader) give the character column. Every error carries one FieldProblem with
// rule and args {line[, column]}. Columns are matched by id, in any order; with labels=both
// ("REF_AREA: Destination" headers) values "BF: Burkina Faso" are cut to their id. 2.0's
// STRUCTURE[;] header and M (merge, read as append) are accepted; ACTION absent or empty =
// Information. Blank lines are skipped.
Result<MessageInfo> ReadSdmxCsv(std::string_view text, const DataStructure& structure,
                                const ObservationSink& sink,
                                std::vector<std::string>* ignored_columns);

// Reads an SDMX-ML 2.1 structure-specific data message (<message:StructureSpecificData>,
// Series/Obs elements with components as attributes, or flat Obs) against `structure`.
// Errors: malformed XML (line and column from expat), a missing dimension attribute (element
// line named), an unknown action, a DOCTYPE (refused: no entities), no DataSet element.
// Components are read from attributes of DataSet (attributes), Series and Obs (an Obs value
// wins); Group elements are not read. In a Delete dataset a missing dimension is a wildcard
// (key position "") and TIME_PERIOD may be absent.
Result<MessageInfo> ReadSdmxMl(std::string_view text, const DataStructure& structure,
                               const ObservationSink& sink);

}  // namespace gmg::sdmx
