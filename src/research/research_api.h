// HTTP handlers for the research network and the staff exchanges (docs/api.md "Research network
// and staff exchanges", docs/research.md).
#pragma once

#include "http/router.h"
#include "research/exchange_service.h"
#include "research/research_service.h"

namespace gmg {

void AddResearchRoutes(http::Router& router, ResearchService& research, ExchangeService& exchanges);

}  // namespace gmg
