#include "http/compression.h"

#include <stdexcept>

#include "core/text.h"

namespace gmg::http {

bool Compressible(std::string_view content_type) {
  std::string_view type = Trim(content_type.substr(0, content_type.find(';')));
  return type.rfind("text/", 0) == 0 || type == "application/json" || type == "application/xml" ||
         type == "application/javascript" || type == "image/svg+xml";
}

bool AcceptsGzip(std::optional<std::string_view> accept_encoding) {
  if (!accept_encoding) return false;
  std::optional<bool> star;  // what "*" says, when gzip is not named
  std::string_view rest = *accept_encoding;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    bool named = EqualsIgnoreCase(coding, "gzip");
    if (!named && coding != "*") continue;
    // "q=0", "q=0.0", "q=0.000" refuse; any other weight, or none, accepts.
    bool accepted = true;
    if (semi != std::string_view::npos) {
      std::string_view param = Trim(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        accepted = Trim(param.substr(2)).find_first_not_of("0.") != std::string_view::npos;
      }
    }
    if (named) return accepted;
    star = accepted;
  }
  return star.value_or(false);
}

std::string Gzip(std::string_view data, int level) {
  GzipStream z(level);
  std::string out;
  z.Write(data, &out);
  z.Finish(&out);
  return out;
}

GzipStream::GzipStream(int level) {
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: deflateInit2 failed");
  }
}

GzipStream::~GzipStream() { deflateEnd(&z_); }

void GzipStream::Write(std::string_view in, std::string* out) { Run(in, Z_NO_FLUSH, out); }

void GzipStream::Finish(std::string* out) { Run({}, Z_FINISH, out); }

void GzipStream::Run(std::string_view in, int flush, std::string* out) {
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z_.avail_in = static_cast<uInt>(in.size());
  for (;;) {
    size_t used = out->size();
    size_t room = deflateBound(&z_, z_.avail_in) + 64;
    out->resize(used + room);
    z_.next_out = reinterpret_cast<Bytef*>(out->data() + used);
    z_.avail_out = static_cast<uInt>(room);
    int rc = deflate(&z_, flush);
    out->resize(used + room - z_.avail_out);
    if (rc == Z_STREAM_ERROR) throw std::runtime_error("zlib: deflate failed");
    if (flush == Z_FINISH ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) return;
  }
}

}  // namespace gmg::http
