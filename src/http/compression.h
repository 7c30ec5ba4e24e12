// gzip for responses: what may be compressed, whether the client takes it, and zlib calls.
//
// Router::Finish compresses answers of 1 KiB or more whose type is text (JSON, HTML, CSS,
// JavaScript, CSV, XML, SVG) when the request's Accept-Encoding allows gzip. Static files and
// cached answers carry their compressed body, made once; streamed exports are compressed
// chunk by chunk as they go out (GzipStream). On a slow connection a list page or an export
// is a fifth to a tenth of its size.
// Thread-safety: free functions are pure; a GzipStream belongs to one thread.
#pragma once

#include <zlib.h>

#include <optional>
#include <string>
#include <string_view>

namespace gmg::http {

// Below this size compressing saves less than it costs.
constexpr size_t kMinCompressBytes = 1024;

// Whether a body of this Content-Type is worth compressing (text, not images or archives).
bool Compressible(std::string_view content_type);
// Whether an Accept-Encoding header value allows gzip ("gzip", "gzip;q=0.5", "*"; not q=0).
bool AcceptsGzip(std::optional<std::string_view> accept_encoding);
// The gzip (RFC 1952) form of `data`; level 1 (fastest) to 9 (smallest).
std::string Gzip(std::string_view data, int level);

// Compresses a body that is produced piece by piece.
class GzipStream {
 public:
  explicit GzipStream(int level);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Appends the compressed form of `in` to `out` (possibly nothing yet: zlib buffers).
  void Write(std::string_view in, std::string* out);
  // Appends what zlib still holds and the gzip trailer; call once, at the end.
  void Finish(std::string* out);

 private:
  void Run(std::string_view in, int flush, std::string* out);
  z_stream z_{};
};

}  // namespace gmg::http
