// Output helpers shared by the SDMX writers (sdmx_write.cc, sdmx_write_structure.cc): a buffer
// that hands ~64 KiB pieces to a Sink, and appenders for escaped JSON, XML and CSV text and
// shortest round-trip numbers. Internal to gmg_interop.
//
// Pure. Thread-safety: an OutBuffer belongs to one thread.
#pragma once

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "interop/sdmx_model.h"

namespace gmg::sdmx::text {

inline constexpr size_t kPieceBytes = size_t{64} * 1024;

class OutBuffer {
 public:
  explicit OutBuffer(Sink sink) : sink_(std::move(sink)) { buf_.reserve(kPieceBytes + 4096); }

  std::string& buf() { return buf_; }
  // Sends the buffer when it holds a piece's worth; false once the sink has refused.
  bool MaybeFlush() { return buf_.size() < kPieceBytes ? ok_ : Flush(); }
  bool Flush() {
    if (ok_ && !buf_.empty()) ok_ = sink_(buf_);
    buf_.clear();
    return ok_;
  }
  bool ok() const { return ok_; }

 private:
  Sink sink_;
  std::string buf_;
  bool ok_ = true;
};

// `v` in the shortest form that reads back as the same double ("1234", "0.1", "1e+21").
inline void AppendNumber(std::string* out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, ec == std::errc() ? end : buf);
}

inline void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, ec == std::errc() ? end : buf);
}

// A JSON string literal, quotes included.
inline void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// Text escaped for XML element content and attribute values (double-quoted).
inline void AppendXml(std::string* out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append("&quot;");
        break;
      case '\n':
        out->append("&#10;");
        break;
      case '\r':
        out->append("&#13;");
        break;
      case '\t':
        out->append("&#9;");
        break;
      default:
        // Other control characters cannot appear in XML 1.0 at all.
        if (static_cast<unsigned char>(c) >= 0x20) out->push_back(c);
    }
  }
}

// A CSV field, quoted (RFC 4180) only when it holds the delimiter, a quote or a line break.
inline void AppendCsv(std::string* out, std::string_view s, char delimiter = ',') {
  bool quote = false;
  for (char c : s) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace gmg::sdmx::text
