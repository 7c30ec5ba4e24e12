// Fuzz target: the values of PostgreSQL results as the store reads them
// (store/postgres/postgres_values.h): binary integers and floats, hex bytea, integral numerics.
// A server's reply is trusted for its framing (libpq) but not for what a value holds.
//
// The first byte picks a type oid; the rest is a value. Checks beyond "no crash, no sanitizer
// report":
// - a binary value of a fixed-width type is a number exactly when it has that width, and an
//   integer encodes back to the same bytes; anything else comes back as its bytes;
// - a hex bytea that decodes is half as long (less "\x") and encodes back to the same hex
//   (lower-cased);
// - an integral numeric is read only from text without an exponent or NaN.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "store/postgres/postgres_values.h"

namespace {

using namespace gmg::postgres;  // NOLINT(google-build-using-namespace): a test's oids

constexpr uint32_t kTypes[] = {kBoolOid,   kByteaOid,  kInt8Oid,    kInt2Oid,
                               kInt4Oid,   kTextOid,   kOidOid,     kFloat4Oid,
                               kFloat8Oid, kBpcharOid, kVarcharOid, kNumericOid};

size_t WidthOf(uint32_t type) {
  switch (type) {
    case kBoolOid:
      return 1;
    case kInt2Oid:
      return 2;
    case kInt4Oid:
    case kOidOid:
    case kFloat4Oid:
      return 4;
    case kInt8Oid:
    case kFloat8Oid:
      return 8;
    default:
      return 0;
  }
}

void CheckBinary(uint32_t type, std::string_view bytes) {
  gmg::SqlValue v = BinaryValue(type, bytes);
  const size_t width = WidthOf(type);
  if (width == 0 || bytes.size() != width) {
    GMG_FUZZ_CHECK(std::holds_alternative<std::string>(v) && std::get<std::string>(v) == bytes);
    return;
  }
  if (type == kFloat4Oid || type == kFloat8Oid) {
    GMG_FUZZ_CHECK(std::holds_alternative<double>(v));
    return;
  }
  GMG_FUZZ_CHECK(std::holds_alternative<int64_t>(v));
  auto n = static_cast<uint64_t>(std::get<int64_t>(v));
  if (type == kBoolOid) {
    GMG_FUZZ_CHECK(n == (bytes[0] != 0 ? 1U : 0U));
    return;
  }
  for (size_t i = 0; i < width; ++i) {
    GMG_FUZZ_CHECK(static_cast<char>((n >> (8 * (width - 1 - i))) & 0xff) == bytes[i]);
  }
}

void CheckHex(std::string_view text) {
  auto bytes = DecodeHexBytea(text);
  if (!bytes) return;
  GMG_FUZZ_CHECK(bytes->size() * 2 + 2 == text.size());
  static const char kDigits[] = "0123456789abcdef";
  std::string hex = "\\x";
  for (char c : *bytes) {
    hex += kDigits[static_cast<unsigned char>(c) >> 4];
    hex += kDigits[static_cast<unsigned char>(c) & 0xf];
  }
  for (size_t i = 2; i < text.size(); ++i) {
    char c = text[i];
    GMG_FUZZ_CHECK(hex[i] == (c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c));
  }
}

void CheckNumeric(std::string_view text) {
  std::string terminated(text.substr(0, text.find('\0')));
  if (!IntegralNumeric(terminated.c_str())) return;
  GMG_FUZZ_CHECK(terminated.find_first_of("eEN") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint32_t type = kTypes[data[0] % std::size(kTypes)];
  std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  CheckBinary(type, value);
  BinaryReadable(type);
  KindOf(type);
  CheckHex(value);
  CheckNumeric(value);
  return 0;
}
