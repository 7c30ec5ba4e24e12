// JSON of the statistics JSON API (docs/api.md "Statistics"): dataflow summaries and details,
// releases, import reports with their inference, and a selection of data as the web app's
// charts read it (periods once, each series' values aligned to them). Structures and column
// mappings are statistics/structure_json.h's (the same JSON the PUT takes back).
//
// Pure. Thread-safety: reentrant.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "statistics/flow_data.h"
#include "statistics/infer.h"
#include "statistics/stats_query.h"
#include "statistics/stats_service.h"

namespace gmg {

// Release {number, status, provider, file_name, sha256, format, observations, changed,
// user_name, created_at (ISO 8601), note}.
boost::json::object StatsReleaseJson(const StatsRelease& r);
// FlowSummary {agency, id, version, name, description, provider, series, observations,
// first_period, last_period, updated_at (ISO 8601, null before any data), current: Release|null}.
boost::json::object StatsFlowSummaryJson(const StatsFlowSummary& s);
// Flow: the summary's fields, structure, mapping (null when none) and releases, newest first.
boost::json::object StatsFlowJson(const StatsFlow& f);
// Inference {structure, mapping, notes: [{column, rule, message}], preview_observations}.
boost::json::object StatsInferenceJson(const stats::Inference& i);
// ImportReport {format, applied, inference|null, rows, observations, added, replaced, deleted,
// unchanged, series, problems: [{line, column, rule, message}], problem_count,
// ignored_columns, release|null}.
boost::json::object StatsImportReportJson(const StatsImportReport& r);

// The chart data of a selection, written as JSON text: {periods: [...], dimensions: [{id,
// name, values: [{id, name}]}], series: [{key: [codes], names: [names], derived, values:
// [number|null, ... one per period]}], observations}. `dimensions` lists, per dimension, the
// codes the selection holds, in codelist order.
std::string StatsChartDataJson(const stats::FlowData& data, const stats::Selection& selection);
// The number of cells StatsChartDataJson writes (series × periods of the selection), which
// bounds its size even when the selection's observations are few and sparse.
int64_t StatsChartCells(const stats::FlowData& data, const stats::Selection& selection);

}  // namespace gmg
