// Fuzz target: RFC 3339 instants (core/date.h ParseTimestamp, FormatTimestamp), as the API
// reads a round's deadline, a consultation's end or a comment period's end. Input: the text;
// its first 8 bytes are also read as an instant (any int64) to format.
//
// Checks beyond "no crash, no sanitizer report":
// - an accepted text is an instant in [kMinTimestamp, kMaxTimestamp] (1900-2200 UTC) that
//   formats as YYYY-MM-DDTHH:MM:SSZ and parses back to itself; a text already in that form
//   (upper-case T and Z, no fraction) formats back to the same text;
// - a refused text is kInvalidArgument with one of the two documented messages;
// - any int64 formats as YYYY-MM-DDTHH:MM:SSZ (a real date and time of day, years 0000-9999):
//   inside the range it parses back to itself, outside it is refused as out of range.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/date.h"
#include "fuzz_check.h"

namespace {

constexpr std::string_view kMalformed =
    "must be an instant like 2026-12-10T16:00:00Z or 2026-12-10T17:00:00+01:00";
constexpr std::string_view kOutOfRange =
    "must be an instant between 1900-01-01T00:00:00Z and 2200-12-31T23:59:59Z";

bool Digit(char c) { return c >= '0' && c <= '9'; }

// YYYY-MM-DDTHH:MM:SSZ with a real day (Date::Parse for 1900-2200) and time of day.
void CheckShape(const std::string& s) {
  GMG_FUZZ_CHECK(s.size() == 20);
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) GMG_FUZZ_CHECK(Digit(s[i]));
  GMG_FUZZ_CHECK(s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
                 s[19] == 'Z');
  GMG_FUZZ_CHECK(s.substr(11, 2) <= "23" && s.substr(14, 2) <= "59" && s.substr(17, 2) <= "59");
  GMG_FUZZ_CHECK(s.substr(5, 2) >= "01" && s.substr(5, 2) <= "12");
  GMG_FUZZ_CHECK(s.substr(8, 2) >= "01" && s.substr(8, 2) <= "31");
  std::string_view year = std::string_view(s).substr(0, 4);
  if (year >= "1900" && year <= "2200") GMG_FUZZ_CHECK(gmg::Date::Parse(s.substr(0, 10)));
}

bool Canonical(std::string_view text) {
  return text.size() == 20 && text[10] == 'T' && text[19] == 'Z';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = gmg::ParseTimestamp(text);
  if (t.ok()) {
    GMG_FUZZ_CHECK(*t >= gmg::kMinTimestamp && *t <= gmg::kMaxTimestamp);
    std::string formatted = gmg::FormatTimestamp(*t);
    CheckShape(formatted);
    auto again = gmg::ParseTimestamp(formatted);
    GMG_FUZZ_CHECK(again.ok() && *again == *t);
    if (Canonical(text)) GMG_FUZZ_CHECK(formatted == text);
  } else {
    GMG_FUZZ_CHECK(t.error().code == gmg::ErrorCode::kInvalidArgument);
    GMG_FUZZ_CHECK(t.error().message == kMalformed || t.error().message == kOutOfRange);
  }

  if (size >= sizeof(int64_t)) {
    int64_t instant = 0;
    std::memcpy(&instant, data, sizeof instant);
    std::string formatted = gmg::FormatTimestamp(instant);
    CheckShape(formatted);
    auto back = gmg::ParseTimestamp(formatted);
    if (instant >= gmg::kMinTimestamp && instant <= gmg::kMaxTimestamp) {
      GMG_FUZZ_CHECK(back.ok() && *back == instant);
    } else {
      GMG_FUZZ_CHECK(!back.ok() && back.error().message == kOutOfRange);
    }
  }
  return 0;
}
