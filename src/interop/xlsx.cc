#include "interop/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gmg::xlsx {
namespace {

// 1970-01-01 is Excel serial 25569 (the 1900 system, counting Lotus's phantom 29 Feb 1900).
constexpr double kUnixEpochSerial = 25569;

struct Formats {
  lxw_format* bold;
  lxw_format* date;
  lxw_format* date_time;
};

Formats AddFormats(lxw_workbook* wb) {
  Formats f{workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
  format_set_bold(f.bold);
  format_set_num_format(f.date, "yyyy-mm-dd");
  format_set_num_format(f.date_time, "yyyy-mm-dd hh:mm:ss");
  return f;
}

void WriteCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, const Formats& f) {
  switch (cell.kind) {
    case Cell::Kind::kEmpty:
      return;
    case Cell::Kind::kText:
      // Written as text, never as a formula, whatever it starts with.
      if (!cell.text.empty()) worksheet_write_string(ws, r, c, cell.text.c_str(), nullptr);
      return;
    case Cell::Kind::kNumber:
      worksheet_write_number(ws, r, c, cell.number, nullptr);
      return;
    case Cell::Kind::kDate:
      worksheet_write_number(ws, r, c, cell.number + kUnixEpochSerial, f.date);
      return;
    case Cell::Kind::kDateTime:
      worksheet_write_number(ws, r, c, cell.number / 86400.0 + kUnixEpochSerial, f.date_time);
      return;
  }
}

void WriteSheet(lxw_worksheet* ws, const Sheet& sheet, const Formats& f) {
  for (size_t c = 0; c < sheet.widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), sheet.widths[c],
                         nullptr);
  }
  lxw_row_t r = 0;
  if (!sheet.header.empty()) {
    for (size_t c = 0; c < sheet.header.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), f.bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    r = 1;
  }
  if (!sheet.produce) return;
  sheet.produce([&](const std::vector<Cell>& row) {
    if (r >= LXW_ROW_MAX - 1) return false;
    for (size_t c = 0; c < row.size() && c < LXW_COL_MAX; ++c) {
      WriteCell(ws, r, static_cast<lxw_col_t>(c), row[c], f);
    }
    ++r;
    return true;
  });
}

// Excel's rule for sheet names, checked here so a bad name is an error value, not a warning
// libxlsxwriter prints.
bool IsSheetName(const std::string& name) {
  return !name.empty() && name.size() <= 31 && name.find_first_of("[]:*?/\\") == std::string::npos;
}

}  // namespace

double ExcelSerial(const Date& d) { return d.days() + kUnixEpochSerial; }

Result<std::string> WriteWorkbook(const std::vector<Sheet>& sheets) {
  if (sheets.empty()) return MakeError(ErrorCode::kInvalidArgument, "a workbook needs a sheet");
  std::string path = (std::filesystem::temp_directory_path() / "gmg-xlsx-XXXXXX").string();
  int fd = ::mkstemp(path.data());
  if (fd < 0)
    return MakeError(ErrorCode::kInternal, "cannot create a temporary file for the workbook");
  ::close(fd);
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::filesystem::remove(path); }
  } cleanup{path};

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;  // rows go to disk as they are written
  options.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return MakeError(ErrorCode::kInternal, "cannot start the workbook");
  Formats formats = AddFormats(wb);
  // Every sheet is added first (their order in the file), then filled one after the other: in
  // constant-memory mode each sheet streams its own rows.
  std::vector<lxw_worksheet*> worksheets;
  for (const auto& s : sheets) {
    lxw_worksheet* ws = IsSheetName(s.name) ? workbook_add_worksheet(wb, s.name.c_str()) : nullptr;
    if (!ws) {
      workbook_close(wb);
      return MakeError(ErrorCode::kInvalidArgument, "not a valid sheet name: " + s.name);
    }
    worksheets.push_back(ws);
  }
  for (size_t i = 0; i < sheets.size(); ++i) WriteSheet(worksheets[i], sheets[i], formats);
  if (workbook_close(wb) != LXW_NO_ERROR)
    return MakeError(ErrorCode::kInternal, "cannot write the workbook");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace gmg::xlsx
