// Fuzz target: the search catalog's snapshot decoder (ActivityCatalog::DecodeSnapshot), fed
// the bytes of `activity_catalog_snapshot.data` as they come back from the database. The
// table is derived data that any writer of the database can replace, so the decoder must
// refuse what it does not understand rather than trust counts, indexes or lengths.
//
// Checks beyond "no crash, no sanitizer report, no allocation beyond -rss_limit_mb":
// - a snapshot that decodes has a seq >= 0 and a count >= 0, and encodes again
//   (ReencodeSnapshot) to bytes that decode to the same seq and count and encode to
//   themselves (one canonical form);
// - anything after a snapshot's end makes it undecodable (no trailing garbage accepted).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "activities/activity_catalog.h"
#include "fuzz_check.h"

namespace {

void Check(std::string_view bytes) {
  int64_t seq = -1;
  int64_t count = -1;
  if (!gmg::ActivityCatalog::DecodeSnapshot(bytes, &seq, &count)) return;
  GMG_FUZZ_CHECK(seq >= 0 && count >= 0);
  std::string again = gmg::ActivityCatalog::ReencodeSnapshot(bytes);
  int64_t seq2 = -1;
  int64_t count2 = -1;
  GMG_FUZZ_CHECK(gmg::ActivityCatalog::DecodeSnapshot(again, &seq2, &count2));
  GMG_FUZZ_CHECK(seq2 == seq && count2 == count);
  GMG_FUZZ_CHECK(gmg::ActivityCatalog::ReencodeSnapshot(again) == again);
  GMG_FUZZ_CHECK(!gmg::ActivityCatalog::DecodeSnapshot(again + '\0', &seq2, &count2));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Check(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
