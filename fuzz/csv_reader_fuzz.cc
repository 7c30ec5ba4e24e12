// Fuzz target: the CSV reader (interop/csv_reader.h) and the SDMX-CSV reader on top of it
// (interop/sdmx_read.h), as an upload reaches them. Input: the file's bytes.
//
// Checks beyond "no crash, no sanitizer report":
// - Sniff either picks one of , ; TAB | or refuses with kInvalidArgument "not a CSV file: …";
// - Reader: every error is kInvalidArgument with one detail naming line and column; record
//   lines never go back; every field is UTF-8 without NUL; with small limits no field is longer
//   and no record wider than the limits; the records are at most the lines of the text;
// - what was read, written again with RFC 4180 quoting (as the SDMX writers quote), reads back
//   as the same records;
// - DetectFormat answers; ReadSdmxCsv hands the sink one key position per dimension and one
//   attribute per attribute, lines that grow, and stops at once with the sink's error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "interop/csv_reader.h"
#include "interop/sdmx_read.h"
#include "interop/sdmx_text.h"

namespace {

namespace csv = gmg::csv;
namespace sdmx = gmg::sdmx;

using Records = std::vector<std::vector<std::string>>;

bool IsUtf8WithoutNul(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\0') return false;
    size_t len = csv::Utf8SequenceLength(s.substr(i));
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void CheckError(const gmg::Error& e) {
  GMG_FUZZ_CHECK(e.code == gmg::ErrorCode::kInvalidArgument);
  GMG_FUZZ_CHECK(e.details.size() == 1);
  GMG_FUZZ_CHECK(e.details[0].args.size() == 2);
  GMG_FUZZ_CHECK(e.details[0].args[0].first == "line");
  GMG_FUZZ_CHECK(e.message.rfind("line ", 0) == 0);
}

// Reads every record; false (after checking the error) when the reader refused the text.
bool ReadAll(std::string_view text, csv::Dialect dialect, csv::Limits limits, Records* out) {
  csv::Reader reader(text, dialect, limits);
  std::vector<std::string_view> fields;
  int64_t last_line = 0;
  size_t newlines = 0;
  for (char c : text) newlines += (c == '\n' || c == '\r') ? 1 : 0;
  for (size_t n = 0; n <= text.size() + 1; ++n) {
    auto more = reader.Next(&fields);
    if (!more.ok()) {
      CheckError(more.error());
      return false;
    }
    if (!*more) return true;
    GMG_FUZZ_CHECK(!fields.empty() && fields.size() <= limits.max_fields);
    GMG_FUZZ_CHECK(reader.line() > last_line);
    GMG_FUZZ_CHECK(static_cast<size_t>(reader.line()) <= newlines + 1);
    last_line = reader.line();
    for (std::string_view f : fields) {
      GMG_FUZZ_CHECK(f.size() <= limits.max_field_bytes);
      GMG_FUZZ_CHECK(IsUtf8WithoutNul(f));
    }
    if (out != nullptr) out->emplace_back(fields.begin(), fields.end());
  }
  GMG_FUZZ_CHECK(false && "more records than bytes");
  return false;
}

void CheckRoundTrip(const Records& records, char delimiter) {
  std::string text = "\xEF\xBB\xBF";  // the reader skips one BOM: a field may start with another
  for (const auto& record : records) {
    for (size_t i = 0; i < record.size(); ++i) {
      if (i > 0) text += delimiter;
      gmg::sdmx::text::AppendCsv(&text, record[i], delimiter);
    }
    text += '\n';
  }
  Records again;
  GMG_FUZZ_CHECK(ReadAll(text, csv::Dialect{delimiter, true}, csv::Limits{}, &again));
  GMG_FUZZ_CHECK(again == records);
}

void CheckSdmxCsv(std::string_view text, bool stop_early) {
  static const sdmx::DataStructure kStructure = [] {
    sdmx::DataStructure ds;
    ds.dimensions = {{"REF_AREA", "", ""}, {"COUNTERPART_AREA", "", ""}, {"SEX", "", ""}};
    ds.attributes = {{"OBS_STATUS", "", ""}, {"UNIT_MEASURE", "", "", "Series"}};
    return ds;
  }();
  int calls = 0;
  int64_t last_line = 0;
  std::vector<std::string> ignored;
  auto info = sdmx::ReadSdmxCsv(
      text, kStructure,
      [&](const sdmx::ObservationView& o) -> gmg::Status {
        GMG_FUZZ_CHECK(o.key.size() == 3 && o.attributes.size() == 2);
        GMG_FUZZ_CHECK(o.line > last_line);
        last_line = o.line;
        ++calls;
        if (stop_early) return gmg::MakeError(gmg::ErrorCode::kConflict, "stop");
        return gmg::Ok();
      },
      &ignored);
  if (stop_early && calls > 0) {
    GMG_FUZZ_CHECK(calls == 1);
    GMG_FUZZ_CHECK(!info.ok() && info.error().code == gmg::ErrorCode::kConflict);
  }
  if (!info.ok() && info.error().code != gmg::ErrorCode::kConflict) {
    GMG_FUZZ_CHECK(info.error().code == gmg::ErrorCode::kInvalidArgument);
  }
  if (info.ok()) GMG_FUZZ_CHECK(ignored.size() < info->columns.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto dialect = csv::Sniff(text);
  if (!dialect.ok()) {
    GMG_FUZZ_CHECK(dialect.error().code == gmg::ErrorCode::kInvalidArgument);
    GMG_FUZZ_CHECK(dialect.error().message.find("not a CSV file") != std::string::npos);
  } else {
    char d = dialect->delimiter;
    GMG_FUZZ_CHECK(d == ',' || d == ';' || d == '\t' || d == '|');
  }
  csv::Dialect use = dialect.ok() ? *dialect : csv::Dialect{};
  Records records;
  if (ReadAll(text, use, csv::Limits{}, &records)) CheckRoundTrip(records, use.delimiter);
  (void)ReadAll(text, csv::Dialect{';', false}, csv::Limits{8, 4}, nullptr);

  sdmx::InputFormat format = sdmx::DetectFormat(text);
  if (format == sdmx::InputFormat::kSdmxCsv10 || format == sdmx::InputFormat::kSdmxCsv20) {
    CheckSdmxCsv(text, false);
    CheckSdmxCsv(text, true);
  }
  return 0;
}
