#include "statistics/stats_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <memory>
#include <utility>

#include "core/date.h"
#include "core/text.h"
#include "http/checked_text.h"
#include "http/json_body.h"
#include "interop/sdmx_key.h"
#include "interop/xlsx.h"
#include "statistics/sdmx_api.h"
#include "statistics/stats_json.h"
#include "statistics/structure_json.h"

namespace gmg {
namespace {

using http::Access;
using http::Request;
using http::Response;
using http::RouteRow;

struct StatsApi {
  StatsService& stats;
  StatsApiOptions options;
};

constexpr size_t kMaxStatsKeyChars = 8192;

// The dataflow of the path: agency upper case (the organisation's id), the latest version.
Result<StatsFlowRef> PathRef(const Request& req) {
  StatsFlowRef ref{std::string(req.PathParam("agency")), std::string(req.PathParam("id")), ""};
  for (char& c : ref.agency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto* part : {&ref.agency, &ref.id}) {
    bool ok = !part->empty() && part->size() <= 100;
    for (char c : *part) {
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    }
    if (!ok) {
      return MakeError(ErrorCode::kNotFound, "no such dataflow: " + ref.agency + "/" + ref.id);
    }
  }
  return ref;
}

Result<bool> Flag(const Request& req, const char* name) {
  auto v = req.Query(name);
  if (!v || v->empty() || *v == "0" || *v == "false") return false;
  if (*v == "1" || *v == "true") return true;
  return FieldError(ErrorCode::kInvalidArgument, name, "must be 1, 0, true or false", "wrong_type",
                    {{"type", "boolean"}});
}

// ---- Reading data --------------------------------------------------------------------------

struct Selected {
  std::shared_ptr<const stats::FlowData> data;
  stats::Selection selection;
};

// The data of the path under the query's filters (key=, startPeriod, endPeriod, lastN,
// aggregate, release, c[…]); errors as the JSON API gives them. No observation matching is an
// empty selection, not an error.
Result<Selected> SelectData(StatsApi& api, const Request& req) {
  GMG_ASSIGN_OR_RETURN(StatsFlowRef ref, PathRef(req));
  auto params = ParseDataParams(req);
  if (!params.ok()) return WithoutSdmxCode(params.error());
  if (auto n = req.Query("lastN"); n && !n->empty()) {
    int v = 0;
    auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), v);
    if (ec != std::errc() || end != n->data() + n->size() || v < 1 || v > 1'000'000) {
      return FieldError(ErrorCode::kInvalidArgument, "lastN",
                        "must be a whole number from 1 to "
                        "1000000",
                        "out_of_range", {{"min", "1"}, {"max", "1000000"}});
    }
    params->query.last_n = v;
  }
  auto filters = ParseComponentFilters(req.target);
  if (!filters.ok()) return WithoutSdmxCode(filters.error());
  params->query.filters = std::move(filters).value();
  std::string_view key = req.Query("key").value_or("");
  if (key.size() > kMaxStatsKeyChars) {
    return FieldError(ErrorCode::kInvalidArgument, "key", "is longer than 8192 characters",
                      "too_long", {{"max", "8192"}});
  }
  auto data = LoadStatsData(api.stats, ref, *params);
  if (!data.ok()) return WithoutSdmxCode(data.error());
  auto parsed = sdmx::ParseKey(key, (*data)->flow.structure.dimensions.size());
  if (!parsed.ok()) {
    return FieldError(ErrorCode::kInvalidArgument, "key", parsed.error().message, "invalid_key");
  }
  params->query.key = std::move(parsed).value();
  stats::QueryLimits limits;
  limits.max_observations = api.options.max_answer_observations;
  auto selection = stats::Select(**data, params->query, limits);
  if (!selection.ok()) {
    if (selection.error().code == ErrorCode::kNotFound) return Selected{*data, {}};
    return WithoutSdmxCode(selection.error());
  }
  return Selected{*data, std::move(selection).value()};
}

Result<Response> GetData(StatsApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(Selected s, SelectData(api, req));
  int64_t cells = StatsChartCells(*s.data, s.selection);
  if (cells > api.options.max_answer_observations) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "the answer would hold " + std::to_string(cells) +
                         " cells (series × periods), over the limit of " +
                         std::to_string(api.options.max_answer_observations) +
                         ": narrow the key (fewer codes per dimension) or the periods "
                         "(startPeriod, endPeriod, lastN)");
  }
  Response r;
  r.body = StatsChartDataJson(*s.data, s.selection);
  return r;
}

// One row of the Data sheet per observation: code and name of each dimension, period, value.
std::vector<std::string> XlsxHeader(const sdmx::DataStructure& dsd) {
  std::vector<std::string> h;
  for (const auto& d : dsd.dimensions) {
    h.push_back(d.id);
    h.push_back(d.name.empty() ? d.id + " (name)" : d.name);
  }
  h.push_back(dsd.time_dimension);
  h.push_back(dsd.primary_measure);
  h.emplace_back("Derived by GMG Hub");
  return h;
}

bool XlsxRows(const stats::FlowData& data, const stats::Selection& sel, const xlsx::AddRow& add_row,
              int64_t* rows) {
  using xlsx::Cell;
  const sdmx::DataStructure& dsd = data.flow.structure;
  std::vector<const sdmx::Codelist*> codelists;
  for (const auto& d : dsd.dimensions) codelists.push_back(dsd.FindCodelist(d.codelist));
  std::vector<Cell> row;
  for (const auto& item : sel.items) {
    const auto& series = data.series[item.series];
    std::vector<Cell> key;
    for (size_t d = 0; d < dsd.dimensions.size(); ++d) {
      const sdmx::Codelist* cl = codelists[d];
      uint32_t c = series.key[d];
      bool known = cl != nullptr && c < cl->codes.size();
      key.push_back(Cell::Text(known ? cl->codes[c].id : ""));
      key.push_back(Cell::Text(known ? cl->codes[c].name : ""));
    }
    auto one = [&](uint32_t i) {
      row = key;
      row.push_back(Cell::Text(data.periods[series.period_index[i]]));
      double v = series.values[i];
      row.push_back(std::isfinite(v) ? Cell::Number(v) : Cell::Empty());
      row.push_back(Cell::Text(series.derived ? "yes" : ""));
      if (!add_row(row)) return false;
      ++*rows;
      return true;
    };
    if (item.only.empty()) {
      for (uint32_t i = item.begin; i < item.end; ++i) {
        if (!one(i)) return false;
      }
    } else {
      for (uint32_t i : item.only) {
        if (!one(i)) return false;
      }
    }
  }
  return true;
}

Result<Response> GetDataXlsx(StatsApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(Selected s, SelectData(api, req));
  const stats::FlowData& data = *s.data;
  const sdmx::Dataflow& flow = data.flow;
  int64_t rows = 0;
  bool complete = true;
  int64_t extracted_at = UnixNow();
  std::vector<xlsx::Sheet> sheets = {
      {"Data",
       XlsxHeader(flow.structure),
       {},
       [&](const xlsx::AddRow& add_row) {
         complete = XlsxRows(data, s.selection, add_row, &rows);
       }},
      {"About", {}, {26, 100}, [&](const xlsx::AddRow& add) {
         using xlsx::Cell;
         auto pair = [&](const char* k, Cell v) { add({Cell::Text(k), std::move(v)}); };
         pair("Dataflow", Cell::Text(flow.name));
         pair("Reference", Cell::Text(flow.agency + ":" + flow.id + "(" + flow.version + ")"));
         pair("Description", Cell::Text(flow.description));
         pair("Query", Cell::Text(req.target));
         pair("Extracted at (UTC)", Cell::OfTimestamp(extracted_at));
         pair("Observations", Cell::Number(static_cast<double>(rows)));
         if (!complete) {
           pair("Note", Cell::Text("Cut at Excel's row limit: download SDMX-CSV for all rows"));
         }
       }}};
  GMG_ASSIGN_OR_RETURN(std::string workbook, xlsx::WriteWorkbook(sheets));
  Response r;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.SetHeader("Content-Disposition",
              "attachment; filename=\"" + flow.agency + "_" + flow.id + ".xlsx\"");
  r.body = std::move(workbook);
  return r;
}

// ---- Dataflows -----------------------------------------------------------------------------

Result<Response> ListFlows(StatsApi& api, Request& /*req*/) {
  GMG_ASSIGN_OR_RETURN(auto flows, api.stats.ListFlows());
  boost::json::array items;
  for (const auto& f : flows) items.push_back(StatsFlowSummaryJson(f));
  return http::JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

Result<Response> GetFlow(StatsApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(StatsFlowRef ref, PathRef(req));
  GMG_ASSIGN_OR_RETURN(StatsFlow flow, api.stats.GetFlow(ref));
  return http::JsonResponse(200, StatsFlowJson(flow));
}

Result<Response> SaveFlow(StatsApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(StatsFlowRef ref, PathRef(req));
  GMG_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(req));
  std::optional<std::string> name = body.String("name", true, 200);
  std::optional<std::string> description = body.String("description", false, 4000, true);
  const boost::json::value* structure = body.Raw("structure");
  const boost::json::value* mapping = body.Raw("mapping");
  GMG_RETURN_IF_ERROR(body.Finish());
  if (structure == nullptr || structure->is_null()) {
    return FieldError(ErrorCode::kInvalidArgument, "structure", "is required", "required");
  }
  GMG_ASSIGN_OR_RETURN(sdmx::DataStructure dsd, stats::StructureFromJson(*structure));
  std::optional<stats::ColumnMapping> columns;
  if (mapping != nullptr && !mapping->is_null()) {
    GMG_ASSIGN_OR_RETURN(columns, stats::MappingFromJson(*mapping));
  }
  GMG_ASSIGN_OR_RETURN(StatsFlow flow, api.stats.SaveFlow(req.principal, ref, name.value_or(""),
                                                          description.value_or(""), dsd, columns));
  return http::JsonResponse(200, StatsFlowJson(flow));
}

Result<Response> DeleteFlow(StatsApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(StatsFlowRef ref, PathRef(req));
  GMG_RETURN_IF_ERROR(api.stats.DeleteFlow(req.principal, ref));
  return http::NoContent();
}

Result<Response> Upload(StatsApi& api, Request& req) {
  GMG_ASSIGN_OR_RETURN(StatsImportRequest import, ParseUploadRequest(req));
  import.data = req.Body();
  if (import.data.empty()) {
    return FieldError(ErrorCode::kInvalidArgument, "body", "is empty: send the file's bytes",
                      "required");
  }
  GMG_ASSIGN_OR_RETURN(StatsImportReport report, api.stats.Import(req.principal, import));
  return http::JsonResponse(200, StatsImportReportJson(report));
}

// The statistics JSON API at a glance:
// {method, path, who, handler, summary, tag, cacheable, max_body_bytes, background}.
constexpr RouteRow<StatsApi> kStatsRoutes[] = {
    {"GET", "/api/v1/stats/flows", Access::kPublic, ListFlows,
     "Dataflows: name, provider, series and observations, periods, current release", "statistics",
     true},
    {"GET", "/api/v1/stats/flows/{agency}/{id}", Access::kPublic, GetFlow,
     "One dataflow: structure (dimensions, attributes, codelists), column mapping, releases",
     "statistics", true},
    {"PUT", "/api/v1/stats/flows/{agency}/{id}", Access::kSignedIn, SaveFlow,
     "Create a dataflow or confirm its structure and column mapping {name, description, "
     "structure, mapping}: staff of the agency's organisation, secretariat, admin",
     "statistics"},
    {"DELETE", "/api/v1/stats/flows/{agency}/{id}", Access::kAdmin, DeleteFlow,
     "Delete a dataflow with its history", "statistics"},
    {"POST", "/api/v1/stats/flows/{agency}/{id}/uploads", Access::kSignedIn, Upload,
     "Upload a file (SDMX-CSV 1.0/2.0, SDMX-ML 2.1, plain CSV; raw body up to 1 GiB) as a "
     "release, all-or-nothing: ?infer=1 (plain CSV), dry_run=1, merge=1, name, file_name, note; "
     "answers the import report",
     "statistics", false, kMaxStatsUploadBytes, true},
    {"GET", "/api/v1/stats/flows/{agency}/{id}/data", Access::kPublic, GetData,
     "Data for charts: periods once, each series' values aligned to them (key, startPeriod, "
     "endPeriod, lastN, aggregate, aggregate_dimension, release, c[DIM])",
     "statistics"},
    {"GET", "/api/v1/stats/flows/{agency}/{id}/data.xlsx", Access::kPublic, GetDataXlsx,
     "The same data as an Excel workbook, one observation a row", "statistics", false, 0, true},
};

}  // namespace

Result<StatsImportRequest> ParseUploadRequest(const Request& req) {
  StatsImportRequest r;
  GMG_ASSIGN_OR_RETURN(r.flow, PathRef(req));
  GMG_ASSIGN_OR_RETURN(r.infer, Flag(req, "infer"));
  GMG_ASSIGN_OR_RETURN(r.dry_run, Flag(req, "dry_run"));
  GMG_ASSIGN_OR_RETURN(bool merge, Flag(req, "merge"));
  r.replace = !merge;
  GMG_ASSIGN_OR_RETURN(r.name, http::CheckedText("name", req.Query("name"), 200, false));
  GMG_ASSIGN_OR_RETURN(r.file_name,
                       http::CheckedText("file_name", req.Query("file_name"), 255, false));
  GMG_ASSIGN_OR_RETURN(r.note, http::CheckedText("note", req.Query("note"), 2000, false));
  return r;
}

void AddStatsJsonRoutes(http::Router& router, StatsService& stats, const StatsApiOptions& options) {
  http::AddRoutes(router, std::make_shared<StatsApi>(StatsApi{stats, options}), kStatsRoutes);
}

void AddStatsRoutes(http::Router& router, StatsService& stats, StatsApiOptions options) {
  AddSdmxRoutes(router, stats, options);
  AddStatsJsonRoutes(router, stats, options);
}

}  // namespace gmg
