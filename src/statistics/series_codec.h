// The stored form of one series version (stats_series.data): its observations' periods,
// values and attribute values, compact and self-contained (a blob names its own period and
// attribute texts, so it decodes without the structure that wrote it).
//
// Layout (all numbers unsigned LEB128 unless said): format byte 1; n observations; attribute
// count A; a period mode byte — 0: every period a year "YYYY", stored as the first year and
// zigzag deltas; 1: texts, a table of the distinct periods then one index each; a value mode
// byte — 0: every value integral (|v| < 2^53) or missing, zigzag(v) + 1 each, 0 = missing;
// 1: 8-byte little-endian IEEE doubles; then the attribute texts table and n × A numbers
// (0 = none, else 1 + index into that table). Equal inputs give equal bytes, so a stored
// series is "unchanged" exactly when its bytes are.
//
// Pure. Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gmg::stats {

// One series as the import holds it: observations in the order to store (the caller sorts
// them by period), periods and attribute values as indices into tables the caller owns.
struct SeriesIn {
  std::span<const uint32_t> periods;     // index into period_texts, one per observation
  std::span<const double> values;        // NaN = missing
  std::span<const uint32_t> attributes;  // n × attribute_count: 0 none, else 1 + text index
  size_t attribute_count = 0;
};

std::string EncodeSeries(const SeriesIn& series, std::span<const std::string> period_texts,
                         std::span<const std::string> attribute_texts);

// Interns a text into the caller's table and returns its index.
using Interner = std::function<uint32_t(std::string_view)>;

// A decoded series: periods and attribute values as the interners numbered them.
struct SeriesOut {
  std::vector<uint32_t> periods;
  std::vector<double> values;
  std::vector<uint32_t> attributes;  // n × attribute_count: 0 none, else 1 + interned index
  size_t attribute_count = 0;
};

// kInternal "corrupt series data: …" for bytes EncodeSeries did not write.
Status DecodeSeries(std::string_view blob, const Interner& period, const Interner& text,
                    SeriesOut* out);

// The number of observations a blob holds, without decoding it (kInternal when corrupt).
Result<int64_t> SeriesObservations(std::string_view blob);

}  // namespace gmg::stats
