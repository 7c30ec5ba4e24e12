// HTTP handlers of the coherence gaps and the mandate map (docs/api.md, "Coherence"):
//   GET /api/v1/coherence/gaps              public   ?level=region|subregion|country, region,
//                                                     theme, limit → cells ranked by gap, sources
//   GET /api/v1/coherence/mandates          public   ?organization, theme → org × theme: stated
//                                                     vs activities and countries
//   PUT /api/v1/coherence/mandates/{org}    that organisation's focal point, secretariat, admin:
//                                                     {"themes":[…]}, audited
//   GET /api/v1/coherence/need               everyone: which statistics weigh which theme
//   PUT /api/v1/coherence/need               administrators: {indicators, themes}, audited
// The coherence module calls AddGapAndMandateRoutes; the JSON and the table are shared with
// `gmg coherence gaps`.
// Thread-safety: handlers may run on any thread (the services are thread-safe).
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "coherence/gap_service.h"
#include "coherence/mandates.h"
#include "coherence/need_service.h"
#include "http/router.h"

namespace gmg {

void AddGapAndMandateRoutes(http::Router& router, GapService& gaps, MandateService& mandates,
                            NeedService& need);

// {"level","cells":[{theme, area, area_name, need, indicators:[{id,value,year}], coverage,
// weighted_coverage, fair_share, coverage_share, gap}],"total","sources":[{id,name,year,url}],
// "missing":[indicator ids without figures]};
// figures in 0..1 rounded to three decimals.
boost::json::object GapsJson(const GapReport& report);
// The same as a plain-text table for the shell (one line per cell, the sources below).
std::string GapsTable(const GapReport& report);
// {"organization_id","organization_name","themes":[{theme, stated, activities, countries}]}.
boost::json::object MandateJson(const OrganizationMandate& mandate);

}  // namespace gmg
