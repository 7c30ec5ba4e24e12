#include "statistics/series_codec.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

namespace gmg::stats {
namespace {

constexpr uint8_t kFormat = 1;
constexpr uint8_t kYears = 0, kPeriodTexts = 1;
constexpr uint8_t kIntegers = 0, kDoubles = 1;
constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t Zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t Unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

void PutText(std::string& out, std::string_view text) {
  PutVarint(out, text.size());
  out.append(text);
}

bool IsYear(std::string_view p) {
  return p.size() == 4 && p[0] >= '1' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
         p[2] <= '9' && p[3] >= '0' && p[3] <= '9';
}

int64_t YearOf(std::string_view p) {
  return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

bool AllIntegral(std::span<const double> values) {
  for (double v : values) {
    if (std::isnan(v)) continue;
    if (!std::isfinite(v) || std::fabs(v) >= kMaxExactInteger || v != std::trunc(v)) return false;
  }
  return true;
}

// Numbers texts in order of first use: a blob holds only the texts its series uses.
class LocalTable {
 public:
  uint32_t Index(uint32_t global) {
    auto [it, added] = index_.try_emplace(global, static_cast<uint32_t>(order_.size()));
    if (added) order_.push_back(global);
    return it->second;
  }
  const std::vector<uint32_t>& order() const { return order_; }

 private:
  std::unordered_map<uint32_t, uint32_t> index_;
  std::vector<uint32_t> order_;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : p_(bytes) {}
  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= p_.size()) return false;
      auto b = static_cast<uint8_t>(p_[pos_++]);
      result |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool Byte(uint8_t* b) {
    if (pos_ >= p_.size()) return false;
    *b = static_cast<uint8_t>(p_[pos_++]);
    return true;
  }
  bool Text(std::string_view* text) {
    uint64_t n = 0;
    if (!Varint(&n) || n > p_.size() - pos_) return false;
    *text = p_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool Double(double* d) {
    if (p_.size() - pos_ < 8) return false;
    uint64_t bits = 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<uint8_t>(p_[pos_ + i]);
    std::memcpy(d, &bits, sizeof bits);
    pos_ += 8;
    return true;
  }
  size_t remaining() const { return p_.size() - pos_; }

 private:
  std::string_view p_;
  size_t pos_ = 0;
};

Error Corrupt(std::string_view what) {
  return MakeError(ErrorCode::kInternal, "corrupt series data: " + std::string(what));
}

void EncodePeriods(std::string& out, std::span<const uint32_t> periods,
                   std::span<const std::string> texts) {
  bool years = true;
  for (uint32_t p : periods) years = years && IsYear(texts[p]);
  if (years) {
    out.push_back(static_cast<char>(kYears));
    int64_t previous = 0;
    for (uint32_t p : periods) {
      int64_t year = YearOf(texts[p]);
      PutVarint(out, Zigzag(year - previous));
      previous = year;
    }
    return;
  }
  out.push_back(static_cast<char>(kPeriodTexts));
  LocalTable table;
  std::vector<uint32_t> local;
  local.reserve(periods.size());
  for (uint32_t p : periods) local.push_back(table.Index(p));
  PutVarint(out, table.order().size());
  for (uint32_t global : table.order()) PutText(out, texts[global]);
  for (uint32_t l : local) PutVarint(out, l);
}

void EncodeValues(std::string& out, std::span<const double> values) {
  if (AllIntegral(values)) {
    out.push_back(static_cast<char>(kIntegers));
    for (double v : values) {
      PutVarint(out, std::isnan(v) ? 0 : Zigzag(static_cast<int64_t>(v)) + 1);
    }
    return;
  }
  out.push_back(static_cast<char>(kDoubles));
  for (double v : values) {
    uint64_t bits = 0;
    if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();  // one NaN pattern
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  }
}

void EncodeAttributes(std::string& out, std::span<const uint32_t> attributes,
                      std::span<const std::string> texts) {
  LocalTable table;
  std::vector<uint32_t> local;
  local.reserve(attributes.size());
  for (uint32_t a : attributes) local.push_back(a == 0 ? 0 : 1 + table.Index(a - 1));
  PutVarint(out, table.order().size());
  for (uint32_t global : table.order()) PutText(out, texts[global]);
  for (uint32_t l : local) PutVarint(out, l);
}

Status DecodePeriods(Reader& in, size_t n, const Interner& period, SeriesOut* out) {
  uint8_t mode = 0;
  if (!in.Byte(&mode)) return Corrupt("no period mode");
  out->periods.resize(n);
  if (mode == kYears) {
    int64_t year = 0, cached_year = -1;
    uint32_t cached = 0;
    char text[4];
    for (size_t i = 0; i < n; ++i) {
      uint64_t delta = 0;
      if (!in.Varint(&delta)) return Corrupt("truncated periods");
      year += Unzigzag(delta);
      if (year < 1000 || year > 9999) return Corrupt("year out of range");
      if (year != cached_year) {
        int64_t y = year;
        for (int k = 3; k >= 0; --k, y /= 10) text[k] = static_cast<char>('0' + y % 10);
        cached = period(std::string_view(text, 4));
        cached_year = year;
      }
      out->periods[i] = cached;
    }
    return Ok();
  }
  if (mode != kPeriodTexts) return Corrupt("unknown period mode");
  uint64_t distinct = 0;
  if (!in.Varint(&distinct) || distinct > in.remaining()) return Corrupt("bad period table");
  std::vector<uint32_t> ids(distinct);
  for (auto& id : ids) {
    std::string_view text;
    if (!in.Text(&text)) return Corrupt("truncated period table");
    id = period(text);
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t l = 0;
    if (!in.Varint(&l) || l >= ids.size()) return Corrupt("bad period index");
    out->periods[i] = ids[l];
  }
  return Ok();
}

Status DecodeValues(Reader& in, size_t n, SeriesOut* out) {
  uint8_t mode = 0;
  if (!in.Byte(&mode)) return Corrupt("no value mode");
  out->values.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (mode == kIntegers) {
      uint64_t v = 0;
      if (!in.Varint(&v)) return Corrupt("truncated values");
      out->values[i] =
          v == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(Unzigzag(v - 1));
    } else if (mode == kDoubles) {
      if (!in.Double(&out->values[i])) return Corrupt("truncated values");
    } else {
      return Corrupt("unknown value mode");
    }
  }
  return Ok();
}

Status DecodeAttributes(Reader& in, size_t n, const Interner& text, SeriesOut* out) {
  uint64_t distinct = 0;
  if (!in.Varint(&distinct) || distinct > in.remaining()) return Corrupt("bad attribute table");
  std::vector<uint32_t> ids(distinct);
  for (auto& id : ids) {
    std::string_view t;
    if (!in.Text(&t)) return Corrupt("truncated attribute table");
    id = text(t);
  }
  out->attributes.resize(n * out->attribute_count);
  for (auto& a : out->attributes) {
    uint64_t l = 0;
    if (!in.Varint(&l) || l > ids.size()) return Corrupt("bad attribute index");
    a = l == 0 ? 0 : 1 + ids[l - 1];
  }
  return Ok();
}

}  // namespace

std::string EncodeSeries(const SeriesIn& series, std::span<const std::string> period_texts,
                         std::span<const std::string> attribute_texts) {
  std::string out;
  out.reserve(8 + series.periods.size() * 4);
  out.push_back(static_cast<char>(kFormat));
  PutVarint(out, series.periods.size());
  PutVarint(out, series.attribute_count);
  EncodePeriods(out, series.periods, period_texts);
  EncodeValues(out, series.values);
  EncodeAttributes(out, series.attributes, attribute_texts);
  return out;
}

Status DecodeSeries(std::string_view blob, const Interner& period, const Interner& text,
                    SeriesOut* out) {
  Reader in(blob);
  uint8_t format = 0;
  uint64_t n = 0, attribute_count = 0;
  if (!in.Byte(&format) || format != kFormat) return Corrupt("unknown format");
  if (!in.Varint(&n) || n > in.remaining()) return Corrupt("bad observation count");
  if (!in.Varint(&attribute_count) || attribute_count > 1000) {
    return Corrupt("bad attribute count");
  }
  out->attribute_count = attribute_count;
  GMG_RETURN_IF_ERROR(DecodePeriods(in, n, period, out));
  GMG_RETURN_IF_ERROR(DecodeValues(in, n, out));
  GMG_RETURN_IF_ERROR(DecodeAttributes(in, n, text, out));
  if (in.remaining() != 0) return Corrupt("trailing bytes");
  return Ok();
}

Result<int64_t> SeriesObservations(std::string_view blob) {
  Reader in(blob);
  uint8_t format = 0;
  uint64_t n = 0;
  if (!in.Byte(&format) || format != kFormat || !in.Varint(&n)) return Corrupt("no header");
  return static_cast<int64_t>(n);
}

}  // namespace gmg::stats
