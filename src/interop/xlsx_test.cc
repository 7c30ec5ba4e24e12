#include "interop/xlsx.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <map>

namespace gmg::xlsx {
namespace {

uint32_t Le(const std::string& b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The entries of a ZIP file as name → contents, read from its central directory (stored or
// deflated entries: what libxlsxwriter writes).
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  if (eocd == std::string::npos) return out;
  uint32_t count = Le(zip, eocd + 10, 2);
  size_t at = Le(zip, eocd + 16, 4);
  for (uint32_t i = 0; i < count && at + 46 <= zip.size(); ++i) {
    uint32_t method = Le(zip, at + 10, 2);
    uint32_t size = Le(zip, at + 20, 4);
    uint32_t full = Le(zip, at + 24, 4);
    uint32_t name_len = Le(zip, at + 28, 2);
    uint32_t extra_len = Le(zip, at + 30, 2);
    uint32_t comment_len = Le(zip, at + 32, 2);
    size_t local = Le(zip, at + 42, 4);
    std::string name = zip.substr(at + 46, name_len);
    size_t data_at = local + 30 + Le(zip, local + 26, 2) + Le(zip, local + 28, 2);
    std::string data = zip.substr(data_at, size);
    if (method == 8) {
      std::string inflated(full, '\0');
      z_stream z{};
      inflateInit2(&z, -MAX_WBITS);
      z.next_in = reinterpret_cast<Bytef*>(data.data());
      z.avail_in = static_cast<uInt>(data.size());
      z.next_out = reinterpret_cast<Bytef*>(inflated.data());
      z.avail_out = static_cast<uInt>(inflated.size());
      inflate(&z, Z_FINISH);
      inflateEnd(&z);
      data = std::move(inflated);
    }
    out[name] = std::move(data);
    at += 46 + name_len + extra_len + comment_len;
  }
  return out;
}

TEST(Xlsx, WritesTypedCellsAndSeveralSheets) {
  int rows = 0;
  std::vector<Sheet> sheets = {
      {"Activities",
       {"id", "title", "starts_on", "updated_at", "budget"},
       {8, 40},
       [&](const AddRow& add) {
         add({Cell::Number(7), Cell::Text("=HYPERLINK(\"x\") <&>"),
              Cell::OfDate(*Date::Parse("2025-01-15")), Cell::OfTimestamp(86400 + 3600),
              Cell::Number(250000.5)});
         add({Cell::Number(8), Cell::Empty(), Cell::Empty(), Cell::Empty(), Cell::Empty()});
         rows = 2;
       }},
      {"About", {}, {}, [&](const AddRow& add) {
         add({Cell::Text("Rows"), Cell::Number(rows)});
       }}};
  auto bytes = WriteWorkbook(sheets);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto files = Unzip(*bytes);
  ASSERT_TRUE(files.count("xl/workbook.xml"));
  EXPECT_NE(files["xl/workbook.xml"].find("name=\"Activities\""), std::string::npos);
  EXPECT_NE(files["xl/workbook.xml"].find("name=\"About\""), std::string::npos);
  const std::string& s1 = files["xl/worksheets/sheet1.xml"];
  // Text stays text (escaped, no formula element); numbers are numbers.
  EXPECT_NE(s1.find("<t>=HYPERLINK(\"x\") &lt;&amp;&gt;</t>"), std::string::npos) << s1;
  EXPECT_EQ(s1.find("<f>"), std::string::npos);
  EXPECT_NE(s1.find("<v>7</v>"), std::string::npos);
  EXPECT_NE(s1.find("<v>250000.5</v>"), std::string::npos);
  // 2025-01-15 is Excel serial 45672; 1970-01-02 01:00 is 25570 + 1/24.
  EXPECT_NE(s1.find("<v>45672</v>"), std::string::npos) << s1;
  EXPECT_NE(s1.find("<v>25570.04166666"), std::string::npos) << s1;
  EXPECT_NE(s1.find("<pane "), std::string::npos) << "header row frozen";
  // The date cells carry a style whose number format is a date.
  EXPECT_NE(files["xl/styles.xml"].find("formatCode=\"yyyy-mm-dd\""), std::string::npos);
  EXPECT_NE(files["xl/styles.xml"].find("formatCode=\"yyyy-mm-dd hh:mm:ss\""), std::string::npos);
  // The second sheet was produced after the first and saw its row count.
  const std::string& s2 = files["xl/worksheets/sheet2.xml"];
  EXPECT_NE(s2.find("Rows"), std::string::npos);
  EXPECT_NE(s2.find("<v>2</v>"), std::string::npos) << s2;
}

TEST(Xlsx, ExcelSerialOfKnownDates) {
  EXPECT_EQ(ExcelSerial(*Date::Parse("1970-01-01")), 25569);
  EXPECT_EQ(ExcelSerial(*Date::Parse("2000-01-01")), 36526);
}

TEST(Xlsx, RefusesNoSheetAndBadSheetNames) {
  EXPECT_EQ(WriteWorkbook({}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(WriteWorkbook({{"a/b", {}, {}, nullptr}}).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gmg::xlsx
