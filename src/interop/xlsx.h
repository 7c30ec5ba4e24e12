// A one-sheet Excel workbook (libxlsxwriter), for downloads of tables.
// Thread-safety: each call is independent.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace gmg::xlsx {

// Adds one row; returns false once the sheet is full (Excel's 1,048,576 rows).
using AddRow = std::function<bool(const std::vector<std::string>& row)>;

// `produce` calls add_row for each row, in order. Cells that look like whole numbers are
// written as numbers, everything else as text (never as a formula). Returns the file's bytes.
Result<std::string> WriteSheet(const std::string& sheet_name,
                               const std::vector<std::string>& header,
                               const std::function<void(const AddRow& add_row)>& produce);

}  // namespace gmg::xlsx
