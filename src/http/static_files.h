// StaticFiles: the built web app (web/dist), loaded into memory at start-up.
//
// Serving from a map of known files rules out path traversal by construction. Hashed assets
// under /assets/ are cached by browsers for a year; index.html is revalidated each time (its
// ETag makes that a 304). Paths without a file extension get index.html: the app routes them.
// Thread-safety: immutable after Load().
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "http/message.h"

namespace gmg::http {

class StaticFiles {
 public:
  // Reads every regular file under `dir` (at most 64 MiB in all).
  static Result<StaticFiles> Load(const std::string& dir);
  std::optional<Response> Serve(const Request& request) const;
  size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string etag;
    std::shared_ptr<const std::string> gzipped;  // made at load, for text files of 1 KiB or more
  };
  std::unordered_map<std::string, File> files_;  // by URL path, "/index.html"
};

}  // namespace gmg::http
