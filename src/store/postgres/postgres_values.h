// The values of PostgreSQL results as the store reads them, without libpq: type oids, the
// binary forms of the types read in binary, hex bytea and integral numerics. Split out of
// postgres_database.cc so that they can be tested and fuzzed (fuzz/postgres_values_fuzz.cc)
// alone: what a server sends is checked for length before it is read.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gmg::postgres {

// Type oids (PostgreSQL's pg_type.dat).
inline constexpr uint32_t kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21,
                          kInt4Oid = 23, kTextOid = 25, kOidOid = 26, kFloat4Oid = 700,
                          kFloat8Oid = 701, kBpcharOid = 1042, kVarcharOid = 1043,
                          kNumericOid = 1700;

// How a column's text form is read into a SqlValue.
enum class ColumnKind { kInt, kBool, kReal, kNumeric, kBytes, kText };
ColumnKind KindOf(uint32_t type);

// A numeric's text (NUL-terminated) as an integer when it is one that fits int64 ("12",
// "-3.000"); nullopt for a fraction, an exponent, NaN, or out of range.
std::optional<int64_t> IntegralNumeric(const char* text);

// The bytes of a bytea's hex text form ("\x0aff", as PostgreSQL ≥ 9 sends it); nullopt when
// `text` is not that form (the old escape format, odd length, a non-hex digit).
std::optional<std::string> DecodeHexBytea(std::string_view text);

// Whether a result column of `type` may be asked for in binary (BinaryValue reads it): bool,
// bytea, int2/4/8, oid, float4/8, text, varchar, bpchar.
bool BinaryReadable(uint32_t type);

// A value sent in binary: integers (int2/4/8, oid, bool) as int64, floats as double, in network
// order, each only when `bytes` is exactly its width; anything else (bytea, the text types, or a
// value of the wrong width) as its bytes.
SqlValue BinaryValue(uint32_t type, std::string_view bytes);

}  // namespace gmg::postgres
