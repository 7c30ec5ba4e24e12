#include "store/postgres/postgres_values.h"

#include <bit>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace gmg::postgres {

namespace {

// The value of a hex digit, or -1.
constexpr int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The first n (≤ 8) bytes of `bytes` (at least n) as a big-endian (network order) integer.
uint64_t BigEndian(std::string_view bytes, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

}  // namespace

ColumnKind KindOf(uint32_t type) {
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return ColumnKind::kInt;
    case kBoolOid:
      return ColumnKind::kBool;
    case kFloat4Oid:
    case kFloat8Oid:
      return ColumnKind::kReal;
    case kNumericOid:
      return ColumnKind::kNumeric;
    case kByteaOid:
      return ColumnKind::kBytes;
    default:
      return ColumnKind::kText;
  }
}

std::optional<int64_t> IntegralNumeric(const char* text) {
  if (std::strpbrk(text, ".eEN")) {  // fraction, exponent, NaN
    // "12.000" is integral too.
    const char* dot = std::strchr(text, '.');
    if (!dot || std::strpbrk(text, "eEN")) return std::nullopt;
    for (const char* p = dot + 1; *p; ++p) {
      if (*p != '0') return std::nullopt;
    }
  }
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (errno == ERANGE || end == text) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<std::string> DecodeHexBytea(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out((text.size() - 2) / 2, '\0');
  bool ok = true;
  for (size_t i = 0, j = 2; i < out.size(); ++i, j += 2) {
    int hi = HexValue(text[j]);
    int lo = HexValue(text[j + 1]);
    ok &= hi >= 0 && lo >= 0;
    out[i] = static_cast<char>((static_cast<unsigned>(hi) << 4) | static_cast<unsigned>(lo & 0xf));
  }
  if (!ok) return std::nullopt;
  return out;
}

bool BinaryReadable(uint32_t type) {
  switch (type) {
    case kBoolOid:
    case kByteaOid:
    case kInt8Oid:
    case kInt2Oid:
    case kInt4Oid:
    case kTextOid:
    case kOidOid:
    case kFloat4Oid:
    case kFloat8Oid:
    case kBpcharOid:
    case kVarcharOid:
      return true;
    default:
      return false;
  }
}

SqlValue BinaryValue(uint32_t type, std::string_view bytes) {
  const size_t len = bytes.size();
  switch (type) {
    case kInt2Oid:
      if (len == 2) return static_cast<int64_t>(static_cast<int16_t>(BigEndian(bytes, 2)));
      break;
    case kInt4Oid:
      if (len == 4) return static_cast<int64_t>(static_cast<int32_t>(BigEndian(bytes, 4)));
      break;
    case kOidOid:
      if (len == 4) return static_cast<int64_t>(BigEndian(bytes, 4));
      break;
    case kInt8Oid:
      if (len == 8) return static_cast<int64_t>(BigEndian(bytes, 8));
      break;
    case kBoolOid:
      if (len == 1) return static_cast<int64_t>(bytes[0] != 0 ? 1 : 0);
      break;
    case kFloat4Oid:
      if (len == 4) {
        return static_cast<double>(
            std::bit_cast<float>(static_cast<uint32_t>(BigEndian(bytes, 4))));
      }
      break;
    case kFloat8Oid:
      if (len == 8) return std::bit_cast<double>(BigEndian(bytes, 8));
      break;
    default:
      break;
  }
  return std::string(bytes);
}

}  // namespace gmg::postgres
