// The research network's and staff exchanges' demonstration set, which `gmg demo load` adds.
// Thread-safety: functions of the services they are given.
#pragma once

#include "core/result.h"
#include "research/exchange_service.h"
#include "research/research_service.h"

namespace gmg {

// Through the services, audited as the CLI: ten "Demo:" institutions across the regions (in
// LDCs, LLDCs and SIDS among them, and two in developed countries), eight researchers (some
// with public profiles), two joint projects and three staff exchanges (proposed, agreed, in
// progress). Once: nothing when a "Demo:" institution exists. Returns how many records it added.
Result<int> LoadDemoResearch(ResearchService& research, ExchangeService& exchanges);

}  // namespace gmg
