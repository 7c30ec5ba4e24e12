// Structure inference and column mappings for plain CSV as agencies publish it (UN DESA's wide
// migrant-stock tables, UNHCR's long tables): which line is the header (preamble lines before
// it skipped), which columns are dimensions, which is time, which hold values, whether the
// table is long (one observation a row) or wide (years or areas as columns), and which columns
// hold countries, recognised by ISO 3166 alpha-2/alpha-3 codes, M49 codes or the names UN DESA
// and UNHCR use (historical entities and regions included, statistics/area_names.h).
//
// A ColumnMapping is what the user confirms and the dataflow keeps: applied to a later upload
// of the same shape, it turns each value cell into one observation, or into a listed problem
// (nothing is dropped silently).
//
// Pure. Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "interop/sdmx_model.h"

namespace gmg::stats {

struct ColumnRole {
  enum class Kind {
    kDimension,   // its values are codes (or names mapped to codes) of `dimension`
    kTime,        // its values are periods ("1990", "2019-Q1")
    kValue,       // long table: the observation value
    kWideValues,  // wide table: the header cell is the code/period of `dimension`, the cell the
                  // value
    kAttribute,   // an observation attribute (e.g. a note or status column)
    kIgnored,     // e.g. a running number, a total column ("Total", "Sort order")
  };
  Kind kind = Kind::kIgnored;
  std::string dimension;  // component id for kDimension / kWideValues / kAttribute; "" otherwise
  std::string measure;    // kValue/kWideValues with several value columns: the MEASURE code
  // kDimension: the code an empty cell stands for ("_U" unknown: UNHCR leaves an unknown origin
  // blank); "" = an empty cell is a problem.
  std::string empty_code;
};

struct ColumnMapping {
  char delimiter = ',';
  int64_t header_line = 1;           // 1-based; lines before it are preamble, skipped
  std::vector<std::string> columns;  // header cells as written
  std::vector<ColumnRole> roles;     // one per column
  // Wide tables: the component the header cells code ("TIME_PERIOD" or a dimension id).
  std::string wide_dimension;
  // Missing markers: a cell equal to one of these is a missing value, not a problem.
  std::vector<std::string> missing_markers = {"..", "-", "*", "", "…", "x", "NA"};
  // Constant dimensions not in the file (e.g. SEX = "_T" when the table has no sex column).
  std::vector<std::pair<std::string, std::string>> constants;
  // Numbers: '.' ("1,234.5": ',' groups thousands) or ',' ("1.234,5", European). Group
  // separators (also space, no-break space, apostrophe) are accepted only between groups of
  // exactly three digits ("1,234,567"; "1,23" is not a number when the decimal mark is '.').
  char decimal_mark = '.';
  // Lines with one non-empty cell (a title, "Note: …", "Source: …") inside or after the table
  // are skipped instead of reported (inference lists them in its notes). Empty lines are
  // always skipped: they hold no value.
  bool skip_note_lines = false;
};

// One thing inference noticed, for the confirmation screen ("column 'Dest' holds 232 area names;
// 3 unknown: 'Channel Islands', …").
struct InferenceNote {
  std::string column;
  std::string rule;     // stable code: "area_names", "unknown_values", "years_as_columns", …
  std::string message;  // English
};

struct Inference {
  sdmx::DataStructure structure;  // dimensions with codelists built from the values found
  ColumnMapping mapping;
  std::vector<InferenceNote> notes;
  int64_t preview_observations = 0;  // how many observations the file would give
};

// Infers from the whole text (so every distinct value is seen and resolved, or reported).
// `agency`/`flow_id` name the structure ("DSD_" + flow_id). Errors: kInvalidArgument "not a
// CSV file …" (binary, no consistent delimiter), no value column found, no time found (names
// what was tried).
Result<Inference> InferStructure(std::string_view text, std::string_view agency,
                                 std::string_view flow_id);

// One problem with one cell or row: nothing of the upload is stored when any exist.
struct Problem {
  int64_t line = 0;
  std::string column;   // header name, or "" for the row as a whole
  std::string rule;     // stable code: "unknown_code", "not_a_number", "duplicate", …
  std::string message;  // English, names the value
};

// Applies `mapping` to `text` against `structure`: each value cell becomes an observation sent
// to `sink` (codes resolved: names and ISO/M49 codes to the structure's codes), or a Problem
// appended to *problems (at most `max_problems` kept; *problem_count counts all). Missing
// markers give missing observations. Errors: kInvalidArgument when the header does not match
// the mapping's columns (names the first difference), or the sink's error.
Status ApplyMapping(std::string_view text, const ColumnMapping& mapping,
                    const sdmx::DataStructure& structure, const sdmx::ObservationSink& sink,
                    std::vector<Problem>* problems, int64_t* problem_count,
                    size_t max_problems = 1000);

}  // namespace gmg::stats
