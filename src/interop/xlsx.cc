#include "interop/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gmg::xlsx {
namespace {

bool IsWholeNumber(const std::string& s) {
  if (s.empty() || s.size() > 15) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!(s[i] >= '0' && s[i] <= '9') && !(i == 0 && s[i] == '-' && s.size() > 1)) return false;
  }
  return !(s.size() > 1 && s[0] == '0');
}

}  // namespace

Result<std::string> WriteSheet(const std::string& sheet_name,
                               const std::vector<std::string>& header,
                               const std::function<void(const AddRow& add_row)>& produce) {
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
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
  }
  worksheet_freeze_panes(ws, 1, 0);
  lxw_row_t r = 1;
  produce([&](const std::vector<std::string>& row) {
    if (r >= 1'048'575) return false;
    for (size_t c = 0; c < row.size(); ++c) {
      const std::string& v = row[c];
      if (v.empty()) continue;
      if (IsWholeNumber(v)) {
        worksheet_write_number(ws, r, static_cast<lxw_col_t>(c), std::strtod(v.c_str(), nullptr),
                               nullptr);
      } else {
        // Written as text, never as a formula, whatever it starts with.
        worksheet_write_string(ws, r, static_cast<lxw_col_t>(c), v.c_str(), nullptr);
      }
    }
    ++r;
    return true;
  });
  if (workbook_close(wb) != LXW_NO_ERROR)
    return MakeError(ErrorCode::kInternal, "cannot write the workbook");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace gmg::xlsx
