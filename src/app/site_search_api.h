// GET /api/v1/search/all: the one search (app/site_search.h) over HTTP.
#pragma once

#include "app/site_search.h"
#include "http/router.h"

namespace gmg {

// `search` must outlive the router.
void AddSiteSearchRoutes(http::Router& router, const SiteSearch& search);

}  // namespace gmg
