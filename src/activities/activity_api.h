// HTTP handlers of the activity map: activities, search, map counts, downloads, themes and
// the codelists the forms need.
#pragma once

#include "activities/activity_service.h"
#include "activities/download_settings.h"
#include "http/router.h"

namespace gmg {

// `downloads`: the public address and licence the CSV, Excel and IATI downloads carry.
void AddActivityRoutes(http::Router& router, Database& db, ActivityService& activities,
                       const DownloadSettings& downloads = {});

// Reads the filter query parameters shared by list, search, map and downloads
// (organization, theme, country, region, type, status: comma-separated or repeated;
// from, to, scope, q, sort).
Result<ActivityFilter> ParseActivityFilter(const http::Request& request);

}  // namespace gmg
