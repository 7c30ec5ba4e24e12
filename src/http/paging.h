// Cursor paging for list routes: `?limit=` (1-500, default 100) and `?cursor=` (opaque), and
// the list body `{"items":[…],"next_cursor":…,"total":N}`.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>

#include "core/result.h"
#include "http/message.h"

namespace gmg::http {

// The largest cursor position accepted: far beyond any row id or offset, and low enough that
// a route's `after + limit` (or any small sum of positions) cannot overflow int64_t.
constexpr int64_t kMaxCursorPosition = int64_t{1} << 62;

struct PageRequest {
  int64_t limit = 100;
  // Position after which to continue (an id or offset the route chose), nullopt at the start.
  std::optional<int64_t> after;
};

// kInvalidArgument (naming the field) for a limit outside 1-500 or a cursor that is not
// "p<position>" with 0 <= position <= kMaxCursorPosition.
Result<PageRequest> ParsePage(const Request& request);
std::string EncodeCursor(int64_t position);
// `next` is the position to continue after, or nullopt on the last page.
boost::json::object ListBody(boost::json::array items, std::optional<int64_t> next, int64_t total);

// A list answered whole (small by nature: tokens, rotation plans, themes), in the list shape.
template <typename Records, typename ToJson>
boost::json::object WholeListBody(const Records& records, ToJson to_json) {
  boost::json::array items;
  for (const auto& r : records) items.push_back(to_json(r));
  auto total = static_cast<int64_t>(items.size());
  return ListBody(std::move(items), std::nullopt, total);
}

}  // namespace gmg::http
