// Fuzz target: HTTP/1.1 request parsing as the server does it. Input: the raw bytes a client
// sends; http::ParseRequestForFuzzing feeds them to the server's Beast parser with the
// server's limits and checks, then converts the message to an http::Request.
//
// Checks beyond "no crash, no sanitizer report", for every request that is accepted:
// - the path is decoded, starts with '/', holds no NUL; header names are lower-case;
// - a Transfer-Encoding other than exactly "chunked" was refused (RFC 9112 section 6.3; issue
//   7, defect 12: "chunked, identity" or "xchunked" must not leave the body to be read as a
//   second request);
// - a Content-Length, when there is one and no Transfer-Encoding, is the body's size (a list
//   of one number repeated, "0,00", is read as that number).
#include <cctype>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/text.h"
#include "fuzz_check.h"
#include "http/message.h"
#include "http/server.h"

namespace {

namespace http = gmg::http;

bool IsLowerName(std::string_view name) {
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A Content-Length value: a number, or a list of the same number ("5, 5", which RFC 9110
// section 8.6 lets a recipient read as 5). nullopt when it is neither.
std::optional<uint64_t> ContentLength(std::string_view value) {
  std::optional<uint64_t> length;
  while (true) {
    size_t comma = value.find(',');
    std::string_view item = gmg::Trim(value.substr(0, comma));
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) return std::nullopt;
    if (length && *length != n) return std::nullopt;
    length = n;
    if (comma == std::string_view::npos) return length;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = http::ParseRequestForFuzzing(bytes);
  if (!parsed.ok()) return 0;
  const http::Request& request = *parsed;

  GMG_FUZZ_CHECK(!request.method.empty());
  GMG_FUZZ_CHECK(!request.path.empty() && request.path[0] == '/');
  GMG_FUZZ_CHECK(request.path.find('\0') == std::string::npos);
  for (const auto& [name, value] : request.headers) GMG_FUZZ_CHECK(IsLowerName(name));

  std::string_view body = request.Body();
  // Every Transfer-Encoding line (a second one would add a coding after "chunked").
  int te_lines = 0;
  for (const auto& [name, value] : request.headers) {
    if (name != "transfer-encoding") continue;
    ++te_lines;
    GMG_FUZZ_CHECK(gmg::EqualsIgnoreCase(gmg::Trim(value), "chunked"));
  }
  GMG_FUZZ_CHECK(te_lines <= 1);
  auto te = request.Header("transfer-encoding");
  if (auto cl = request.Header("content-length"); cl && !te) {
    auto length = ContentLength(*cl);
    GMG_FUZZ_CHECK(length.has_value());
    GMG_FUZZ_CHECK(*length == body.size());
  }
  return 0;
}
