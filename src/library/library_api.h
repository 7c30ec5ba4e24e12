// The library's HTTP routes (docs/api.md "Library"), as a route table.
// Thread-safety: the handlers are as thread-safe as the service.
#pragma once

#include "http/router.h"
#include "library/library_service.h"

namespace gmg {

void AddLibraryRoutes(http::Router& router, LibraryService& library);

}  // namespace gmg
