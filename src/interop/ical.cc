#include "interop/ical.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "interop/time_zone.h"

namespace gmg::ical {
namespace {

constexpr size_t kMaxLine = 75;  // octets, without the CRLF
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

enum class Mode { kText, kUri };

// Bytes copied as they are, in runs: printable ASCII, less what TEXT escapes.
constexpr std::array<bool, 256> PlainTable(Mode mode) {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7F; ++c) t[c] = true;
  if (mode == Mode::kText) t['\\'] = t[';'] = t[','] = false;
  return t;
}
constexpr std::array<bool, 256> kPlainText = PlainTable(Mode::kText);
constexpr std::array<bool, 256> kPlainUri = PlainTable(Mode::kUri);

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629), or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c1 < lo || c1 > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    auto ck = static_cast<unsigned char>(s[i + k]);
    if (ck < 0x80 || ck > 0xBF) return 0;
  }
  return n;
}

// Appends content lines to one string, folding them at 75 octets.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  // A property name with its parameters and ':' (ASCII, shorter than a line).
  void Begin(std::string_view name) {
    out_->append(name);
    len_ = name.size();
  }
  void End() {
    out_->append("\r\n", 2);
    len_ = 0;
  }
  void Line(std::string_view line) {
    out_->append(line);
    out_->append("\r\n", 2);
    len_ = 0;
  }
  // ASCII that needs no escaping (numbers, dates, zone names), folded.
  void Ascii(std::string_view s) { Value(s, Mode::kUri); }
  void Text(std::string_view s) { Value(s, Mode::kText); }
  void Uri(std::string_view s) { Value(s, Mode::kUri); }
  void Property(std::string_view name, std::string_view text) {
    Begin(name);
    Text(text);
    End();
  }

 private:
  void Fold() {
    out_->append("\r\n ", 3);
    len_ = 1;
  }
  void Unit(std::string_view unit) {
    if (len_ + unit.size() > kMaxLine) Fold();
    out_->append(unit);
    len_ += unit.size();
  }
  void Value(std::string_view s, Mode mode) {
    const std::array<bool, 256>& plain = mode == Mode::kText ? kPlainText : kPlainUri;
    size_t i = 0;
    while (i < s.size()) {
      if (len_ >= kMaxLine) Fold();
      size_t limit = std::min(s.size(), i + (kMaxLine - len_));
      size_t j = i;
      while (j < limit && plain[static_cast<unsigned char>(s[j])]) ++j;
      if (j > i) {
        out_->append(s.data() + i, j - i);
        len_ += j - i;
        i = j;
        continue;
      }
      i = Special(s, i, mode);
    }
  }
  // Writes the unit starting at s[i] that is not plain; returns the next index.
  size_t Special(std::string_view s, size_t i, Mode mode) {
    char c = s[i];
    bool text = mode == Mode::kText;
    if (c == '\\' || c == ';' || c == ',') {
      const char pair[2] = {'\\', c};
      Unit(std::string_view(pair, 2));
      return i + 1;
    }
    if (c == '\r' || c == '\n') {
      if (text) Unit("\\n");
      return i + ((c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1);
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {  // a control character
      if (text) Unit(c == '\t' ? "\t" : " ");
      return i + 1;
    }
    size_t n = Utf8Length(s, i);
    if (n == 0) {
      Unit(kReplacement);
      return i + 1;
    }
    Unit(s.substr(i, n));
    return i + n;
  }

  std::string* out_;
  size_t len_ = 0;
};

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void Put2(char* p, int64_t v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

// "YYYYMMDDTHHMMSS" for `t` seconds since 1970 on some clock (UTC or local wall time).
void AppendDateTime(std::string* out, int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  // Howard Hinnant's civil_from_days.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  y = std::clamp<int64_t>(y, 0, 9999);
  char buf[15];
  Put2(buf, y / 100);
  Put2(buf + 2, y % 100);
  Put2(buf + 4, m);
  Put2(buf + 6, d);
  buf[8] = 'T';
  Put2(buf + 9, secs / 3600);
  Put2(buf + 11, secs / 60 % 60);
  Put2(buf + 13, secs % 60);
  out->append(buf, sizeof buf);
}

void AppendUtc(Writer* w, std::string* out, std::string_view name, int64_t t) {
  w->Begin(name);
  AppendDateTime(out, t);
  out->push_back('Z');
  w->End();
}

// "+0100", "-0500", "+003408" (seconds only when not zero).
void AppendOffset(std::string* out, int32_t offset) {
  out->push_back(offset < 0 ? '-' : '+');
  int64_t a = offset < 0 ? -int64_t{offset} : offset;
  char buf[6];
  Put2(buf, a / 3600 % 100);
  Put2(buf + 2, a / 60 % 60);
  Put2(buf + 4, a % 60);
  out->append(buf, a % 60 == 0 ? 4 : 6);
}

bool IsPlainZoneName(std::string_view zone) {
  if (zone.empty() || zone.size() > 40) return false;  // DTSTART;TZID=…:… fits a line
  return std::all_of(zone.begin(), zone.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '_' || c == '+' || c == '-';
  });
}

struct Zone {
  std::string_view name;
  int64_t from = 0, to = 0;
  std::vector<tz::ZonePeriod> periods;

  // The offset in force at `utc` (periods are sorted, the first begins before the range).
  int32_t OffsetAt(int64_t utc) const {
    auto it = std::upper_bound(periods.begin(), periods.end(), utc,
                               [](int64_t t, const tz::ZonePeriod& p) { return t < p.begins_utc; });
    if (it != periods.begin()) --it;
    return it->offset_after;
  }
};

// When the range starts in summer time, the standard period before it comes first too: readers
// (python3-icalendar's VTIMEZONE reader, Outlook) take the zone's standard offset from a
// STANDARD component. A few steps back at most (zones on permanent summer time have none).
Status StartWithStandardTime(Zone* z) {
  for (int step = 0; step < 4 && z->periods.front().daylight; ++step) {
    int64_t before = z->periods.front().begins_utc - 1;
    GMG_ASSIGN_OR_RETURN(auto earlier, tz::Periods(z->name, before, before));
    if (earlier.front().begins_utc >= z->periods.front().begins_utc) break;
    z->periods.insert(z->periods.begin(), earlier.front());
  }
  return Ok();
}

Result<std::vector<Zone>> CollectZones(std::span<const Event> events) {
  std::vector<Zone> zones;
  for (const Event& e : events) {
    if (e.ends_at < e.starts_at) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "event " + std::string(e.uid) + " ends before it starts");
    }
    if (e.time_zone.empty()) continue;
    auto it = std::find_if(zones.begin(), zones.end(),
                           [&](const Zone& z) { return z.name == e.time_zone; });
    if (it == zones.end()) {
      if (!IsPlainZoneName(e.time_zone)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "\"" + std::string(e.time_zone) + "\" is not a time-zone name");
      }
      zones.push_back(Zone{e.time_zone, e.starts_at, e.ends_at, {}});
      continue;
    }
    it->from = std::min(it->from, e.starts_at);
    it->to = std::max(it->to, e.ends_at);
  }
  for (Zone& z : zones) {
    GMG_ASSIGN_OR_RETURN(z.periods, tz::Periods(z.name, z.from, z.to));
    GMG_RETURN_IF_ERROR(StartWithStandardTime(&z));
  }
  return zones;
}

void WriteTimeZone(Writer* w, std::string* out, const Zone& zone) {
  w->Line("BEGIN:VTIMEZONE");
  w->Begin("TZID:");
  w->Ascii(zone.name);
  w->End();
  for (const tz::ZonePeriod& p : zone.periods) {
    std::string_view kind = p.daylight ? "DAYLIGHT" : "STANDARD";
    w->Begin("BEGIN:");
    w->Ascii(kind);
    w->End();
    // DTSTART is the wall-clock time of the transition on the clock before it.
    w->Begin("DTSTART:");
    AppendDateTime(out, p.begins_utc + p.offset_before);
    w->End();
    w->Begin("TZOFFSETFROM:");
    AppendOffset(out, p.offset_before);
    w->End();
    w->Begin("TZOFFSETTO:");
    AppendOffset(out, p.offset_after);
    w->End();
    if (!p.abbreviation.empty()) w->Property("TZNAME:", p.abbreviation);
    w->Begin("END:");
    w->Ascii(kind);
    w->End();
  }
  w->Line("END:VTIMEZONE");
}

std::string_view StatusName(EventStatus s) {
  switch (s) {
    case EventStatus::kConfirmed:
      return "CONFIRMED";
    case EventStatus::kTentative:
      return "TENTATIVE";
    case EventStatus::kCancelled:
      return "CANCELLED";
  }
  return "CONFIRMED";
}

void WriteTime(Writer* w, std::string* out, std::string_view name, int64_t utc, const Zone* zone) {
  w->Begin(name);
  if (zone == nullptr) {
    out->push_back(':');
    AppendDateTime(out, utc);
    out->push_back('Z');
  } else {
    w->Ascii(";TZID=");
    w->Ascii(zone->name);
    w->Ascii(":");
    AppendDateTime(out, utc + zone->OffsetAt(utc));  // 15 octets: the names are short
  }
  w->End();
}

void WriteEvent(Writer* w, std::string* out, const Event& e, const Zone* zone, int64_t stamp) {
  w->Line("BEGIN:VEVENT");
  w->Property("UID:", e.uid);
  AppendUtc(w, out, "DTSTAMP:", stamp);
  WriteTime(w, out, "DTSTART", e.starts_at, zone);
  WriteTime(w, out, "DTEND", e.ends_at, zone);
  w->Property("SUMMARY:", e.summary);
  if (!e.location.empty()) w->Property("LOCATION:", e.location);
  if (!e.description.empty()) w->Property("DESCRIPTION:", e.description);
  if (!e.url.empty()) {
    w->Begin("URL:");
    w->Uri(e.url);
    w->End();
  }
  w->Begin("STATUS:");
  w->Ascii(StatusName(e.status));
  w->End();
  w->Begin("SEQUENCE:");
  AppendInt(out, e.sequence);
  w->End();
  AppendUtc(w, out, "LAST-MODIFIED:", e.last_modified);
  if (!e.chair.empty()) w->Property("X-GMG-CHAIR:", e.chair);
  w->Line("END:VEVENT");
}

size_t EstimateSize(std::span<const Event> events, const std::vector<Zone>& zones) {
  size_t n = 512;
  for (const Zone& z : zones) n += 128 + z.periods.size() * 160;
  for (const Event& e : events) {
    size_t text = e.uid.size() + e.summary.size() + e.location.size() + e.description.size() +
                  e.url.size() + e.chair.size() + 2 * e.time_zone.size();
    n += 330 + text + text / 8;
  }
  return n;
}

}  // namespace

Result<std::string> WriteCalendar(const Calendar& calendar, std::span<const Event> events) {
  GMG_ASSIGN_OR_RETURN(std::vector<Zone> zones, CollectZones(events));
  std::string out;
  out.reserve(EstimateSize(events, zones));
  Writer w(&out);
  w.Line("BEGIN:VCALENDAR");
  w.Line("VERSION:2.0");
  w.Property("PRODID:", calendar.product);
  w.Line("CALSCALE:GREGORIAN");
  w.Line("METHOD:PUBLISH");
  if (!calendar.name.empty()) w.Property("X-WR-CALNAME:", calendar.name);
  for (const Zone& z : zones) WriteTimeZone(&w, &out, z);
  const Zone* last = nullptr;
  for (const Event& e : events) {
    const Zone* zone = nullptr;
    if (!e.time_zone.empty()) {
      if (last == nullptr || last->name != e.time_zone) {
        last = &*std::find_if(zones.begin(), zones.end(),
                              [&](const Zone& z) { return z.name == e.time_zone; });
      }
      zone = last;
    }
    WriteEvent(&w, &out, e, zone, calendar.stamp);
  }
  w.Line("END:VCALENDAR");
  return out;
}

std::string EscapeText(std::string_view text) {
  // Written as one very long property and unfolded: the same code path as the writer.
  std::string out;
  Writer w(&out);
  w.Text(text);
  std::string unfolded = Unfold(out);
  return unfolded;
}

std::string Unfold(std::string_view ical) {
  std::string out;
  out.reserve(ical.size());
  for (size_t i = 0; i < ical.size(); ++i) {
    if (ical[i] == '\r' && i + 2 < ical.size() && ical[i + 1] == '\n' &&
        (ical[i + 2] == ' ' || ical[i + 2] == '\t')) {
      i += 2;
      continue;
    }
    out.push_back(ical[i]);
  }
  return out;
}

}  // namespace gmg::ical
