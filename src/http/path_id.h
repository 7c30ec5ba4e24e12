// A numeric record id from a route's path parameter (`/api/v1/meetings/{id}`).
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "http/message.h"

namespace gmg::http {

// The path parameter `name` as an id > 0; kNotFound ("no such resource: <path>") for anything
// else, so a malformed id answers as an unknown one.
Result<int64_t> PathId(const Request& request, std::string_view name);

}  // namespace gmg::http
