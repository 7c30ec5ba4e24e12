// Cursor paging for list routes: `?limit=` (1-500, default 100) and `?cursor=` (opaque), and
// the list body `{"items":[…],"next_cursor":…,"total":N}`.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace gmg::http {

// The largest position a cursor may carry: far above any id or offset this server gives out,
// and far enough below INT64_MAX that position + limit cannot overflow.
inline constexpr int64_t kMaxCursorPosition = int64_t{1} << 50;
inline constexpr int64_t kMaxPageLimit = 500;

struct PageRequest {
  int64_t limit = 100;
  // Position after which to continue (an id or offset the route chose), nullopt at the start.
  std::optional<int64_t> after;
};

// kInvalidArgument (400, naming `limit` or `cursor`) for a limit outside 1-500 or a cursor that
// is not "p" and a whole number from 0 to kMaxCursorPosition.
Result<PageRequest> ParsePage(const Request& request);
std::string EncodeCursor(int64_t position);
// `next` is the position to continue after, or nullopt on the last page.
boost::json::object ListBody(boost::json::array items, std::optional<int64_t> next, int64_t total);

// `?name=a,b,c`: the comma-separated values, empty ones skipped (an absent parameter: none).
// kInvalidArgument naming `name` for more than 2000 bytes (`too_long` {max}) or more than
// `max_values` values (`too_many` {max}).
Result<std::vector<std::string>> ListQuery(const Request& request, const char* name,
                                           size_t max_values);

// A list answered whole (small by nature: tokens, rotation plans, themes), in the list shape.
template <typename Records, typename ToJson>
boost::json::object WholeListBody(const Records& records, ToJson to_json) {
  boost::json::array items;
  for (const auto& r : records) items.push_back(to_json(r));
  auto total = static_cast<int64_t>(items.size());
  return ListBody(std::move(items), std::nullopt, total);
}

}  // namespace gmg::http
