#include "http/path_id.h"

#include <charconv>
#include <string>

namespace gmg::http {

Result<int64_t> PathId(const Request& request, std::string_view name) {
  std::string_view s = request.PathParam(name);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) {
    return MakeError(ErrorCode::kNotFound, "no such resource: " + request.path);
  }
  return id;
}

}  // namespace gmg::http
