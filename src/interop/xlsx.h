// A one-sheet Excel workbook (libxlsxwriter), for downloads of tables.
// Thread-safety: each call is independent.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace gmg::xlsx {

// Rows come from `next_row`, which fills `row` and returns false when there are no more.
// Cells that look like whole numbers are written as numbers. Returns the file's bytes.
Result<std::string> WriteSheet(const std::string& sheet_name, const std::vector<std::string>& header,
                               const std::function<bool(std::vector<std::string>& row)>& next_row);

}  // namespace gmg::xlsx
