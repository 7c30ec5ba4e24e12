// Builds the OpenAPI 3.1 document from the router's route table, so it lists every route.
#pragma once

#include <string>

#include "http/router.h"

namespace gmg::http {

std::string OpenApiDocument(const Router& router, const std::string& version);

}  // namespace gmg::http
