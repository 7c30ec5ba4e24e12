#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/compression.h"
#include "http/router.h"

namespace gmg::http {
namespace {

std::string ContentTypeFor(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

}  // namespace

Result<StaticFiles> StaticFiles::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "--web " + dir + " is not a directory (build the web app: make build)");
  }
  StaticFiles out;
  size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    File f;
    f.body = buf.str();
    total += f.body.size();
    if (total > 64u << 20) {
      return MakeError(ErrorCode::kFailedPrecondition, "--web " + dir + " holds over 64 MiB");
    }
    f.content_type = ContentTypeFor(it->path().extension().string());
    f.etag = BodyETag(f.body);
    if (f.body.size() >= kMinCompressBytes && Compressible(f.content_type)) {
      f.gzipped = std::make_shared<const std::string>(Gzip(f.body, 9));
    }
    std::string url = "/";
    url += fs::relative(it->path(), dir).generic_string();
    out.files_.emplace(std::move(url), std::move(f));
  }
  if (ec)
    return MakeError(ErrorCode::kFailedPrecondition, "cannot read " + dir + ": " + ec.message());
  if (!out.files_.count("/index.html")) {
    return MakeError(ErrorCode::kFailedPrecondition, "--web " + dir + " has no index.html");
  }
  return out;
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  const std::string& path = request.path;
  auto it = files_.find(path == "/" ? "/index.html" : path);
  if (it == files_.end()) {
    // Client-side routes ("/members/iom") have no extension; real missing files do.
    std::string_view last = std::string_view(path).substr(path.rfind('/') + 1);
    bool api = path.rfind("/api/", 0) == 0;
    if (api || last.find('.') != std::string_view::npos) return std::nullopt;
    it = files_.find("/index.html");
  }
  Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  r.SetHeader("ETag", it->second.etag);
  r.gzipped = it->second.gzipped;
  if (path.rfind("/assets/", 0) == 0) {
    r.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
  }
  return r;
}

}  // namespace gmg::http
