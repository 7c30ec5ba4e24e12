// Fuzz target: the IATI reader, whole-document (iati::Parse) and streaming (iati::ParseEach),
// and the writer on what was read. Input: the bytes of an upload.
//
// Checks beyond "no crash, no sanitizer report":
// - every activity read has an iati-identifier (a missing one is a fatal error by contract);
// - ParseEach stops at once when its callback fails, and hands that error back as is;
// - a limit of one activity refuses exactly the inputs that hold more than one;
// - the version read is one of those the reader accepts;
// - what the writer makes of the activities read is read back: as many activities, same
//   identifiers (an export must be importable again), and each with no more transactions
//   and sectors than were read (one whose required code is only characters XML forbids is
//   left out, never written empty);
// - the writer never writes an empty attribute (`=""`).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "interop/iati.h"

namespace {

using gmg::ErrorCode;
using gmg::Status;
namespace iati = gmg::iati;

constexpr char kStopMessage[] = "fuzz: stop after the first activity";

std::string WriteAll(const std::vector<iati::Activity>& activities) {
  std::string out;
  iati::Writer writer([&](std::string_view piece) { out.append(piece); }, "2026-11-29T00:00:00Z");
  for (const auto& a : activities) writer.Write(a);
  writer.Finish();
  return out;
}

void CheckStreamingStops(std::string_view xml, const gmg::Result<iati::ParseResult>& whole) {
  iati::ParseSummary summary;
  int handed = 0;
  Status s = iati::ParseEach(xml, {}, &summary, [&](iati::Activity&&) -> Status {
    ++handed;
    return gmg::MakeError(ErrorCode::kFailedPrecondition, kStopMessage);
  });
  GMG_FUZZ_CHECK(handed <= 1);
  if (whole.ok() && !whole->activities.empty()) {
    GMG_FUZZ_CHECK(!s.ok() && s.error().message == kStopMessage && handed == 1);
  }
  if (whole.ok() && whole->activities.empty()) GMG_FUZZ_CHECK(s.ok() && handed == 0);
}

void CheckActivityLimit(std::string_view xml, const gmg::Result<iati::ParseResult>& whole) {
  iati::ParseLimits one;
  one.max_activities = 1;
  auto limited = iati::Parse(xml, one);
  if (!whole.ok()) {
    GMG_FUZZ_CHECK(!limited.ok());
    return;
  }
  GMG_FUZZ_CHECK(limited.ok() == (whole->activities.size() <= 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  auto whole = iati::Parse(xml);
  CheckStreamingStops(xml, whole);
  CheckActivityLimit(xml, whole);
  if (!whole.ok()) {
    GMG_FUZZ_CHECK(whole.error().code == ErrorCode::kInvalidArgument);
    return 0;
  }
  const std::string& v = whole->version;
  GMG_FUZZ_CHECK(v.empty() || v == "2.01" || v == "2.02" || v == "2.03");
  for (const auto& a : whole->activities) GMG_FUZZ_CHECK(!a.iati_identifier.empty());

  std::string written = WriteAll(whole->activities);
  auto again = iati::Parse(written);
  if (!again.ok()) std::fprintf(stderr, "re-read failed: %s\n", again.error().message.c_str());
  GMG_FUZZ_CHECK(again.ok());
  GMG_FUZZ_CHECK(again->activities.size() == whole->activities.size());
  GMG_FUZZ_CHECK(written.find("=\"\"") == std::string::npos);
  for (size_t i = 0; i < again->activities.size(); ++i) {
    const iati::Activity& read = whole->activities[i];
    const iati::Activity& back = again->activities[i];
    GMG_FUZZ_CHECK(back.iati_identifier == read.iati_identifier);
    GMG_FUZZ_CHECK(back.transactions.size() <= read.transactions.size());
    size_t coded = 0;
    for (const auto& s : read.sectors) coded += s.code.empty() ? 0 : 1;
    GMG_FUZZ_CHECK(back.sectors.size() <= coded);
  }
  return 0;
}
