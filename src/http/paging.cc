#include "http/paging.h"

#include <boost/json.hpp>
#include <charconv>

namespace gmg::http {

std::string EncodeCursor(int64_t position) {
  std::string cursor = "p";  // (not "p" + …: GCC 12 warns falsely on that form, -Wrestrict)
  cursor += std::to_string(position);
  return cursor;
}

Result<PageRequest> ParsePage(const Request& request) {
  PageRequest page;
  if (auto limit = request.Query("limit")) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || end != limit->data() + limit->size() || n < 1 || n > kMaxPageLimit) {
      return FieldError(ErrorCode::kInvalidArgument, "limit",
                        "must be a whole number from 1 to 500", "out_of_range",
                        {{"min", "1"}, {"max", "500"}});
    }
    page.limit = n;
  }
  if (auto cursor = request.Query("cursor"); cursor && !cursor->empty()) {
    int64_t n = 0;
    auto [end, ec] = cursor->size() > 1 && (*cursor)[0] == 'p'
                         ? std::from_chars(cursor->data() + 1, cursor->data() + cursor->size(), n)
                         : std::from_chars_result{cursor->data(), std::errc::invalid_argument};
    if (ec != std::errc() || end != cursor->data() + cursor->size() || n < 0 ||
        n > kMaxCursorPosition) {
      return FieldError(ErrorCode::kInvalidArgument, "cursor",
                        "is not a cursor this server gave out");
    }
    page.after = n;
  }
  return page;
}

boost::json::object ListBody(boost::json::array items, std::optional<int64_t> next, int64_t total) {
  boost::json::object body;
  body["items"] = std::move(items);
  if (next) {
    body["next_cursor"] = EncodeCursor(*next);
  } else {
    body["next_cursor"] = nullptr;
  }
  body["total"] = total;
  return body;
}

Result<std::vector<std::string>> ListQuery(const Request& request, const char* name,
                                           size_t max_values) {
  constexpr size_t kMaxBytes = 2000;
  std::vector<std::string> out;
  std::string_view raw = request.Query(name).value_or("");
  if (raw.size() > kMaxBytes) {
    return FieldError(ErrorCode::kInvalidArgument, name, "at most 2000 bytes", "too_long",
                      {{"max", std::to_string(kMaxBytes)}});
  }
  while (!raw.empty()) {
    size_t comma = raw.find(',');
    std::string_view v = raw.substr(0, comma);
    if (!v.empty()) out.emplace_back(v);
    raw = comma == std::string_view::npos ? std::string_view() : raw.substr(comma + 1);
  }
  if (out.size() > max_values) {
    return FieldError(ErrorCode::kInvalidArgument, name,
                      "at most " + std::to_string(max_values) + " values", "too_many",
                      {{"max", std::to_string(max_values)}});
  }
  return out;
}

}  // namespace gmg::http
