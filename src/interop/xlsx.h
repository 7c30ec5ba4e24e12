// Excel workbooks (libxlsxwriter) for downloads of tables: one or more sheets of typed cells
// (text, numbers, dates, date-times), each sheet with a bold, frozen header row.
// Thread-safety: each call is independent.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace gmg::xlsx {

// One cell. Text is always written as text, never as a formula, whatever it starts with;
// dates and date-times as Excel serial numbers with a date format, so they sort and filter as
// dates; an empty cell writes nothing.
struct Cell {
  enum class Kind { kEmpty, kText, kNumber, kDate, kDateTime };
  Kind kind = Kind::kEmpty;
  std::string text;
  double number = 0;  // kNumber: the value; kDate: days since 1970; kDateTime: unix seconds

  static Cell Empty() { return {}; }
  static Cell Text(std::string s) { return {Kind::kText, std::move(s), 0}; }
  static Cell Number(double v) { return {Kind::kNumber, "", v}; }
  static Cell OfDate(const Date& d) { return {Kind::kDate, "", static_cast<double>(d.days())}; }
  static Cell OfTimestamp(int64_t unix_seconds) {
    return {Kind::kDateTime, "", static_cast<double>(unix_seconds)};
  }
};

// Adds one row; returns false once the sheet is full (Excel's 1,048,576 rows).
using AddRow = std::function<bool(const std::vector<Cell>& row)>;

struct Sheet {
  std::string name;                 // at most 31 characters, none of []:*?/\ (Excel's rule)
  std::vector<std::string> header;  // written in bold, frozen at the top; none when empty
  std::vector<double> widths;       // column widths in characters; missing ones left default
  // Calls add_row for each row, in order. Sheets are produced in the order given, so a later
  // sheet may describe what an earlier one held (its row count).
  std::function<void(const AddRow& add_row)> produce;
};

// The workbook's bytes. Rows go to a temporary file as they are written (libxlsxwriter's
// constant-memory mode), so only the finished file is held in memory. kInvalidArgument when
// there is no sheet; kInternal when the file cannot be written.
Result<std::string> WriteWorkbook(const std::vector<Sheet>& sheets);

// Excel's serial day number of a date (days since 1899-12-30, the 1900 date system).
double ExcelSerial(const Date& d);

}  // namespace gmg::xlsx
