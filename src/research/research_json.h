// JSON of the research network and the staff exchanges (docs/api.md "Research network and
// staff exchanges", docs/research.md).
// Thread-safety: pure functions.
#pragma once

#include <boost/json/object.hpp>

#include "research/exchange_service.h"
#include "research/research_service.h"

namespace gmg {

// With the country's groups: {developing, ldc, lldc, sids} (research/development_groups.h).
boost::json::object InstitutionJson(const Institution& institution);
// email only when the researcher holds one the viewer may see (the service blanks it).
boost::json::object ResearcherJson(const Researcher& researcher);
boost::json::object ProjectJson(const ResearchProject& project);
boost::json::object ExchangeJson(const StaffExchange& exchange);
// {institutions: {total, developing: {count, share}, ldc: …, lldc: …, sids: …}, researchers: …};
// share is count / total, 0 when total is 0.
boost::json::object ShareJson(const NetworkShare& share);
boost::json::object HitJson(const ResearchHit& hit);

}  // namespace gmg
