// Throughput of the SDMX formats alone (measures; never passes or fails on time): the writers
// of every data format to a sink that only counts bytes, then csv::Reader and ReadSdmxCsv over
// the SDMX-CSV 1.0 text, on the issue 11 shape: 235 destinations x 235 origins x 3 sexes x
// YEARS years (default 60: 9,940,500 observations). docs/sdmx-formats.md has the figures.
//
//   gmg_sdmx_formats_bench [YEARS] [write-only]
//
// write-only skips the read (which keeps the SDMX-CSV text in memory), so that the peak RSS
// (/usr/bin/time -v) shows the writers' own memory: flat, whatever the size.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "interop/csv_reader.h"
#include "interop/sdmx_read.h"
#include "interop/sdmx_write.h"

namespace gmg::sdmx {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Cube {
  Dataflow flow;
  std::vector<std::string> areas;
  std::vector<std::string> periods;
};

Cube MakeCube(int years) {
  Cube c;
  c.flow.agency = "UNDESA";
  c.flow.id = "MIGRANT_STOCK";
  c.flow.structure.dimensions = {
      {"REF_AREA", "", ""}, {"COUNTERPART_AREA", "", ""}, {"SEX", "", ""}};
  c.flow.structure.attributes = {{"OBS_STATUS", "", ""}};
  for (int i = 0; i < 235; ++i) c.areas.push_back("A" + std::to_string(100 + i));
  for (int y = 0; y < years; ++y) c.periods.push_back(std::to_string(1960 + y));
  return c;
}

const char* NameOf(DataFormat format) {
  switch (format) {
    case DataFormat::kSdmxCsv10:
      return "SDMX-CSV 1.0";
    case DataFormat::kSdmxCsv20:
      return "SDMX-CSV 2.0";
    case DataFormat::kSdmxJson10:
      return "SDMX-JSON 1.0";
    case DataFormat::kSdmxJson20:
      return "SDMX-JSON 2.0";
    case DataFormat::kSdmxMl21:
      return "SDMX-ML 2.1";
    case DataFormat::kPlainCsv:
      return "plain CSV";
  }
  return "?";
}

// Writes the whole cube; `keep` (if not null) receives the text.
void Write(const Cube& c, DataFormat format, std::string* keep) {
  size_t bytes = 0;
  auto writer = NewDataWriter(format, [&](std::string_view piece) {
    bytes += piece.size();
    if (keep != nullptr) keep->append(piece);
    return true;
  });
  DataHeader header;
  header.flow = &c.flow;
  header.id = "BENCH";
  header.prepared = "2026-11-30T00:00:00Z";
  header.periods = c.periods;
  std::vector<std::string_view> no_attributes = {""};
  std::vector<ObservationOut> obs;
  for (const std::string& p : c.periods) obs.push_back({p, 0, no_attributes});
  static const char* kSexes[] = {"T", "F", "M"};
  auto start = Clock::now();
  int64_t n = 0;
  writer->Begin(header);
  for (const std::string& a : c.areas) {
    for (const std::string& b : c.areas) {
      for (const char* s : kSexes) {
        std::string_view key[3] = {a, b, s};
        for (size_t i = 0; i < obs.size(); ++i) obs[i].value = 1000.0 + (n + i) % 977 * 1.5;
        writer->Series({key, obs, false});
        n += static_cast<int64_t>(obs.size());
      }
    }
  }
  writer->End();
  double s = Seconds(start);
  std::printf("write %-30s %10lld obs %8.1f MB %7.3f s %6.2f M obs/s\n", NameOf(format),
              static_cast<long long>(n), static_cast<double>(bytes) / 1e6, s,
              static_cast<double>(n) / s / 1e6);
}

void Read(const Cube& c, const std::string& text) {
  auto dialect = csv::Sniff(text);
  csv::Reader reader(text, *dialect);
  std::vector<std::string_view> fields;
  int64_t rows = 0;
  auto start = Clock::now();
  while (*reader.Next(&fields)) ++rows;
  double s = Seconds(start);
  std::printf("csv::Reader   %10lld rows %7.3f s %6.2f M rows/s %6.0f MB/s\n",
              static_cast<long long>(rows), s, static_cast<double>(rows) / s / 1e6,
              static_cast<double>(text.size()) / s / 1e6);
  int64_t seen = 0;
  start = Clock::now();
  auto info = ReadSdmxCsv(
      text, c.flow.structure,
      [&](const ObservationView&) {
        ++seen;
        return Ok();
      },
      nullptr);
  s = Seconds(start);
  std::printf("ReadSdmxCsv   %10lld obs  %7.3f s %6.2f M obs/s (%s)\n",
              static_cast<long long>(seen), s, static_cast<double>(seen) / s / 1e6,
              info.ok() ? "ok" : info.error().message.c_str());
}

}  // namespace
}  // namespace gmg::sdmx

int main(int argc, char** argv) {
  using gmg::sdmx::DataFormat;
  int years = argc > 1 ? std::atoi(argv[1]) : 60;
  gmg::sdmx::Cube cube = gmg::sdmx::MakeCube(years > 0 ? years : 60);
  for (DataFormat f : {DataFormat::kSdmxCsv10, DataFormat::kSdmxCsv20, DataFormat::kSdmxJson10,
                       DataFormat::kSdmxJson20, DataFormat::kSdmxMl21, DataFormat::kPlainCsv}) {
    gmg::sdmx::Write(cube, f, nullptr);
  }
  if (argc > 2 && std::string(argv[2]) == "write-only") return 0;
  std::string text;  // SDMX-CSV 1.0 again, kept to be read back (slower: the string grows)
  gmg::sdmx::Write(cube, DataFormat::kSdmxCsv10, &text);
  gmg::sdmx::Read(cube, text);
  return 0;
}
