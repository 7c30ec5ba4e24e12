// Fuzz target: the iCalendar writer (interop/ical.h) with arbitrary text fields. Input: up to
// five fields separated by NUL bytes (summary, location, description, chair, url); two events,
// one in Europe/Zurich and one in UTC.
//
// Checks beyond "no crash, no sanitizer report":
// - every line ends in CRLF and is at most 75 octets; no line starts inside a UTF-8 sequence;
// - the whole output is valid UTF-8 (bytes that were not are replaced, never passed through);
// - unfolding gives back "SUMMARY:" + EscapeText(summary) (and so for the other TEXT fields);
// - unescaping EscapeText(s) gives s back when s is valid UTF-8 with no control character
//   other than LF and TAB.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "interop/ical.h"

namespace {

namespace ical = gmg::ical;

size_t Utf8Length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) {
    auto ck = static_cast<unsigned char>(s[i + k]);
    if ((ck & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (ck & 0x3F);
  }
  bool shortest = (n == 2 && cp >= 0x80) || (n == 3 && cp >= 0x800) || (n == 4 && cp >= 0x10000);
  if (!shortest || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool PlainText(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) return false;
  }
  return ValidUtf8(s);
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      out.push_back(s[i] == 'n' ? '\n' : s[i]);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void CheckLines(const std::string& out) {
  GMG_FUZZ_CHECK(out.size() >= 2 && out.substr(out.size() - 2) == "\r\n");
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find("\r\n", start);
    GMG_FUZZ_CHECK(end != std::string::npos);
    std::string_view line(out.data() + start, end - start);
    GMG_FUZZ_CHECK(line.size() <= 75);
    GMG_FUZZ_CHECK(line.find('\r') == std::string_view::npos);
    GMG_FUZZ_CHECK(line.find('\n') == std::string_view::npos);
    GMG_FUZZ_CHECK(!line.empty());
    auto first = static_cast<unsigned char>(line[0] == ' ' && line.size() > 1 ? line[1] : line[0]);
    GMG_FUZZ_CHECK(!(first >= 0x80 && first < 0xC0));
    start = end + 2;
  }
}

bool HasLine(const std::string& unfolded, const std::string& line) {
  return unfolded.find("\r\n" + line + "\r\n") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> f;
  for (size_t start = 0; f.size() < 5;) {
    size_t end = input.find('\0', start);
    f.push_back(input.substr(start, end == std::string_view::npos ? input.npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  f.resize(5);

  ical::Event a;
  a.uid = "meeting-1@gmg-hub";
  a.starts_at = 1806051600;  // 2027-03-28T01:00:00Z, as Zurich's clocks go forward
  a.ends_at = a.starts_at + 7200;
  a.time_zone = "Europe/Zurich";
  a.summary = f[0];
  a.location = f[1];
  a.description = f[2];
  a.chair = f[3];
  a.url = f[4];
  ical::Event b = a;
  b.uid = "meeting-2@gmg-hub";
  b.time_zone = "";
  std::vector<ical::Event> events = {a, b};
  auto out = ical::WriteCalendar(ical::Calendar{f[0]}, events);
  GMG_FUZZ_CHECK(out.ok());
  CheckLines(*out);
  GMG_FUZZ_CHECK(ValidUtf8(*out));

  std::string unfolded = ical::Unfold(*out);
  GMG_FUZZ_CHECK(HasLine(unfolded, "SUMMARY:" + ical::EscapeText(f[0])));
  if (!f[1].empty()) GMG_FUZZ_CHECK(HasLine(unfolded, "LOCATION:" + ical::EscapeText(f[1])));
  if (!f[2].empty()) GMG_FUZZ_CHECK(HasLine(unfolded, "DESCRIPTION:" + ical::EscapeText(f[2])));
  if (!f[3].empty()) GMG_FUZZ_CHECK(HasLine(unfolded, "X-GMG-CHAIR:" + ical::EscapeText(f[3])));
  for (std::string_view s : f) {
    std::string escaped = ical::EscapeText(s);
    GMG_FUZZ_CHECK(ValidUtf8(escaped));
    if (PlainText(s)) GMG_FUZZ_CHECK(Unescape(escaped) == s);
  }
  return 0;
}
