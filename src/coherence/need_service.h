// NeedService: which statistics measure the need of which theme (the need configuration, one
// row of coherence_need, coherence migration 2), and the figures it names, read from the
// statistics module's dataflows (StatsService) for each gaps answer.
//
// Everyone reads the configuration; only administrators change it (audited, entity
// "coherence_need"). A new installation starts with coherence::DefaultNeedConfig (SeedNeed).
// Thread-safety: any thread (no state of its own; StatsService keeps the data in memory).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>

#include "activities/activity_service.h"
#include "coherence/indicators.h"
#include "core/principal.h"
#include "core/result.h"
#include "statistics/stats_service.h"
#include "store/database.h"

namespace gmg {

// Writes the default configuration when coherence_need holds no row; inside the caller's
// transaction. Idempotent.
Status SeedNeed(Tx& tx);

// The configuration as JSON ({indicators:[{id,name,agency,flow_id,area_dimension,
// filters:{DIM:code}}], themes:{theme:[{indicator,weight}]}}) and back; kInvalidArgument naming
// the field for a wrong shape (coherence::ValidateNeedConfig checks the values).
boost::json::object NeedConfigJson(const coherence::NeedConfig& config);
Result<coherence::NeedConfig> ParseNeedConfig(const boost::json::value& json);

// The figures of each indicator of `config` from the statistics: per country (ISO alpha-2; area
// codes ISO 3166 alpha-3 or alpha-2, other codes such as M49 regions are skipped), the sum over
// the series that match its filters (a series whose other area dimensions hold a region, a
// numeric M49 code, is skipped so regions are not counted twice) at the dataflow's latest
// period with figures. An indicator whose dataflow or dimension is missing is listed in
// `missing` with no figures.
Result<coherence::NeedTable> ReadNeedTable(StatsService& stats,
                                           const coherence::NeedConfig& config);

class NeedService {
 public:
  NeedService(Database& db, StatsService& stats) : db_(db), stats_(stats) {}
  NeedService(const NeedService&) = delete;
  NeedService& operator=(const NeedService&) = delete;

  // The stored configuration (the default when none is stored).
  Result<coherence::NeedConfig> Config();
  // Replaces the configuration: kUnauthenticated, kPermissionDenied (administrators only),
  // kInvalidArgument naming the field (ValidateNeedConfig; a theme not in the taxonomy).
  Result<coherence::NeedConfig> SetConfig(const Principal& who,
                                          const coherence::NeedConfig& config);
  // The configuration's figures now.
  Result<coherence::NeedTable> Table();
  StatsService& stats() { return stats_; }

 private:
  Database& db_;
  StatsService& stats_;
};

}  // namespace gmg
