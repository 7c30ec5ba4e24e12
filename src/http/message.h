// Request and Response: the server's own HTTP types, free of Beast, so handlers are plain
// functions that tests call directly.
// Thread-safety: plain values owned by one request.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/principal.h"
#include "core/result.h"

namespace boost::json {
class value;
}

namespace gmg::http {

// A request body kept in a temporary file (a large upload), mapped read-only: its pages are
// the kernel's page cache, not the process's memory. The file has no name left on disk.
class BodyFile {
 public:
  // Maps the whole of the open file `fd` (which may then be closed). kInternal when mmap fails.
  static Result<std::shared_ptr<const BodyFile>> Map(int fd);
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  BodyFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_;
  size_t size_;
};

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // path and query as sent
  std::string path;                                          // decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;    // decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;                                          // small bodies; see Body()
  std::shared_ptr<const BodyFile> body_file;  // large uploads (routes with a larger limit)
  std::string remote_address;
  // Filled by the router: `{id}` segments of the matched route, and who is asking.
  std::vector<std::pair<std::string, std::string>> path_params;
  // The index of the matched route once Router::Admit has matched it (then path_params are
  // set too), so Dispatch does not match again; -1 until then.
  int route_index = -1;
  Principal principal;
  // True once the router has resolved `principal` (for a large upload: from the headers,
  // before the body was read), so it is not looked up twice.
  bool principal_resolved = false;

  // First header / query parameter / path parameter of that name, or nullopt.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
  // The body, wherever it is kept.
  std::string_view Body() const { return body_file ? body_file->view() : std::string_view(body); }
};

// Writes a streamed body piece by piece; returns false to stop (the client went away).
using BodyWriter = std::function<bool(std::string_view)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is produced by this function after the headers are sent (chunked
  // transfer encoding) instead of `body`: exports of any size without holding them.
  std::function<void(const BodyWriter&)> stream;
  // The body gzip-compressed, when made ahead (static files, cached answers); Router::Finish
  // sends it to clients that accept gzip.
  std::shared_ptr<const std::string> gzipped;

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;  // case-insensitive
};

// What the server may do with a request whose headers it has read, decided (by the router)
// before the body is read: how large a body to accept, where to handle it, or an answer now.
struct Admission {
  size_t max_body_bytes = 0;  // 0: the server's default limit
  bool background = false;    // seconds of work (an import, an Excel file): the background pool
  // Whose share of the background pool it takes: the client's address ("" = the peer's; behind
  // a trusted proxy, the address the proxy forwards).
  std::string client;
  std::optional<Response> reject;
};

// The headers every answer carries, the server's own early answers (400, 413, 429) included:
// nosniff, frame denial, no referrer, the content security policy.
void ApplySecurityHeaders(Response& response);
// The web app's page other sites may frame (a chart embedded in a report): the one path whose
// answer carries no frame denial (`frame-ancestors *`, no X-Frame-Options); the rest of the
// policy stands. The router applies it to this path's static answer only.
inline constexpr const char* kEmbeddablePath = "/embed/stats";
void AllowFraming(Response& response);

// The most field details an error answer lists; beyond it, `details_total` gives the count.
inline constexpr size_t kMaxErrorDetails = 20;

// Helpers every handler uses.
Response JsonResponse(int status, const boost::json::value& body);
// The one error answer: {"error": {code, message, details[≤ kMaxErrorDetails], details_total
// (only when more were found)}}, its status by the code, Retry-After / WWW-Authenticate.
Response ErrorResponse(const Error& error);
// The error response of a failed Result.
template <typename T>
Response ErrorResponse(const Result<T>& failed) {
  return ErrorResponse(failed.error());
}
Response NoContent();
// Decodes %XX and (in queries) '+'; false when the encoding is broken.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);
// Splits "a=1&b=2" into decoded pairs; false when an escape is broken.
bool ParseQueryString(std::string_view qs, std::vector<std::pair<std::string, std::string>>* out);

}  // namespace gmg::http
