// Fuzz target: the SDMX-ML 2.1 structure-specific data reader (interop/sdmx_read.h, expat),
// as an upload reaches it. Input: the message's bytes.
//
// Checks beyond "no crash, no sanitizer report":
// - every observation the sink sees has one key position per dimension and one attribute per
//   attribute of the structure and a line >= 1 that never goes back; every error is
//   kInvalidArgument naming a line, or the sink's own;
// - a sink that fails stops the read at once, and its error is what the reader returns;
// - what was read (up to 200 observations), written again as SDMX-ML by the writer of
//   answers (interop/sdmx_write.h), reads back as the same keys, periods and attributes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "interop/sdmx_read.h"
#include "interop/sdmx_write.h"

namespace {

namespace sdmx = gmg::sdmx;

const sdmx::Dataflow& Flow() {
  static const sdmx::Dataflow kFlow = [] {
    sdmx::Dataflow f;
    f.agency = "UNDESA";
    f.id = "MIGRANT_STOCK";
    f.structure.dimensions = {{"REF_AREA", "", ""}, {"COUNTERPART_AREA", "", ""}, {"SEX", "", ""}};
    f.structure.attributes = {{"OBS_STATUS", "", ""}, {"OBS_CONF", "", ""}};
    return f;
  }();
  return kFlow;
}

struct Observation {
  std::vector<std::string> key;
  std::string period;
  std::vector<std::string> attributes;
  bool operator==(const Observation&) const = default;
};

// Reads `text`; the sink fails at observation `fail_at` (0 = never).
gmg::Result<sdmx::MessageInfo> Read(std::string_view text, int fail_at,
                                    std::vector<Observation>* seen) {
  int64_t last_line = 0;
  int calls = 0;
  auto info = sdmx::ReadSdmxMl(text, Flow().structure, [&](const sdmx::ObservationView& o) {
    GMG_FUZZ_CHECK(o.key.size() == 3 && o.attributes.size() == 2);
    GMG_FUZZ_CHECK(o.line >= 1 && o.line >= last_line);
    last_line = o.line;
    GMG_FUZZ_CHECK(++calls != fail_at + 1 || fail_at == 0);
    if (calls == fail_at) return gmg::Status(gmg::MakeError(gmg::ErrorCode::kConflict, "stop"));
    bool full = !o.period.empty();
    for (std::string_view k : o.key) full = full && !k.empty();
    if (seen != nullptr && full && seen->size() < 200) {
      seen->push_back({{o.key.begin(), o.key.end()},
                       std::string(o.period),
                       {o.attributes.begin(), o.attributes.end()}});
    }
    return gmg::Ok();
  });
  if (fail_at > 0 && calls >= fail_at) {
    GMG_FUZZ_CHECK(!info.ok() && info.error().code == gmg::ErrorCode::kConflict);
  } else if (!info.ok()) {
    GMG_FUZZ_CHECK(info.error().code == gmg::ErrorCode::kInvalidArgument);
    GMG_FUZZ_CHECK(info.error().message.rfind("line ", 0) == 0);
  }
  return info;
}

void CheckRewrite(const std::vector<Observation>& observations) {
  std::string xml;
  auto writer = sdmx::NewDataWriter(sdmx::DataFormat::kSdmxMl21, [&](std::string_view piece) {
    xml += piece;
    return true;
  });
  sdmx::DataHeader header;
  header.flow = &Flow();
  header.id = "FUZZ";
  header.prepared = "2026-11-30T00:00:00Z";
  GMG_FUZZ_CHECK(writer->Begin(header));
  for (const Observation& o : observations) {
    std::vector<std::string_view> key(o.key.begin(), o.key.end());
    std::vector<std::string_view> attributes(o.attributes.begin(), o.attributes.end());
    sdmx::ObservationOut out{o.period, std::numeric_limits<double>::quiet_NaN(), attributes};
    GMG_FUZZ_CHECK(writer->Series(sdmx::SeriesOut{key, {&out, 1}, false}));
  }
  GMG_FUZZ_CHECK(writer->End());
  std::vector<Observation> again;
  auto info = Read(xml, 0, &again);
  if (!info.ok()) std::fprintf(stderr, "%s\n%s\n", info.error().message.c_str(), xml.c_str());
  GMG_FUZZ_CHECK(info.ok());
  GMG_FUZZ_CHECK(again == observations);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<Observation> seen;
  auto info = Read(text, 0, &seen);
  if (info.ok()) CheckRewrite(seen);
  (void)Read(text, 1, nullptr);
  (void)Read(text, 3, nullptr);
  return 0;
}
