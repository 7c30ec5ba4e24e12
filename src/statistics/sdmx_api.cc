#include "statistics/sdmx_api.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <memory>
#include <utility>

#include "core/date.h"
#include "core/text.h"
#include "interop/sdmx_key.h"

namespace gmg {
namespace {

using http::Access;
using http::Request;
using http::Response;
using http::RouteRow;

struct SdmxApi {
  StatsService& stats;
  StatsApiOptions options;
};

// Bounds on what a request may ask, checked before anything is parsed further.
constexpr size_t kMaxSdmxKeyChars = 8192;
constexpr size_t kMaxRefPartChars = 100;
constexpr size_t kMaxPeriodChars = 40;
constexpr size_t kMaxFilters = 50;
constexpr size_t kMaxFilterChars = 4096;
constexpr int kMaxObservationsPerSeries = 1'000'000;

// ---- SDMX errors ---------------------------------------------------------------------------

ErrorCode ErrorCodeOfSdmx(int code) {
  switch (code) {
    case 100:
      return ErrorCode::kNotFound;
    case 150:
      return ErrorCode::kFailedPrecondition;
    case 130:
    case 510:
      return ErrorCode::kPayloadTooLarge;
    default:
      return ErrorCode::kInvalidArgument;
  }
}

}  // namespace

Error SdmxFailure(int code, std::string message) {
  // Carried as an Error until the handler turns it into the SDMX message; the SDMX code rides
  // in a detail so nothing is lost on the way (WithoutSdmxCode drops it for the JSON API).
  Error e = MakeError(ErrorCodeOfSdmx(code), std::move(message));
  e.details.emplace_back(kSdmxCodeField, std::to_string(code));
  return e;
}

Error WithoutSdmxCode(Error e) {
  std::erase_if(e.details, [](const FieldProblem& d) { return d.field == kSdmxCodeField; });
  return e;
}

namespace {

int SdmxCodeOf(const Error& e) {
  for (const auto& d : e.details) {
    if (d.field == kSdmxCodeField) return std::stoi(d.problem);
  }
  switch (e.code) {
    case ErrorCode::kNotFound:
      return 100;
    case ErrorCode::kInvalidArgument:
      return 140;
    case ErrorCode::kFailedPrecondition:
      return 150;
    case ErrorCode::kPayloadTooLarge:
      return 510;
    case ErrorCode::kUnauthenticated:
      return 110;
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

// The error message comes in the family the client asked for: SDMX-JSON when it named JSON,
// else SDMX-ML.
bool WantsJson(const Request& req) {
  auto format = ToLowerAscii(req.Query("format").value_or(""));
  if (!format.empty()) return format.find("json") != std::string::npos;
  return ToLowerAscii(req.Header("accept").value_or("")).find("json") != std::string::npos;
}

Response SdmxErrorResponse(const Request& req, int code, const std::string& message) {
  bool json = WantsJson(req);
  Response r;
  r.status = sdmx::HttpStatusOf(code);
  r.content_type = json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8";
  r.body = sdmx::ErrorMessageBody({code, message}, json);
  r.SetHeader("Vary", "Accept");
  return r;
}

Response SdmxErrorResponse(const Request& req, const Error& e) {
  return SdmxErrorResponse(req, SdmxCodeOf(e), e.message);
}

// Runs a handler body; its Error becomes the SDMX error message (never the JSON error).
template <typename F>
Result<Response> Sdmx(const Request& req, F&& body) {
  Result<Response> r = body();
  if (!r.ok()) return SdmxErrorResponse(req, r.error());
  return r;
}

// ---- Parsing -------------------------------------------------------------------------------

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '@' ||
         c == '$' || c == '.';
}

Status CheckIdPart(std::string_view what, std::string_view part) {
  if (part == "*" || part == "~") return Ok();  // SDMX 2.0 wildcards: any, latest
  if (part.size() > kMaxRefPartChars) {
    return SdmxFailure(140, std::string(what) + " is longer than 100 characters");
  }
  for (char c : part) {
    if (!IsIdChar(c)) {
      return SdmxFailure(140, std::string(what) + " '" + std::string(part) +
                                  "' holds a character other than A-Z, a-z, 0-9, _ - @ $ .");
    }
  }
  return Ok();
}

bool IsAny(std::string_view s) { return s.empty() || s == "*" || s == "all" || s == "ALL"; }
bool IsLatest(std::string_view s) { return IsAny(s) || s == "~" || s == "latest"; }

Result<int> BoundedInt(const Request& req, const char* name, int min, int max) {
  auto v = req.Query(name);
  if (!v || v->empty()) return 0;
  int out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || out < min || out > max) {
    return SdmxFailure(140, std::string(name) + " must be a whole number from " +
                                std::to_string(min) + " to " + std::to_string(max));
  }
  return out;
}

Result<std::optional<std::string>> PeriodParam(const Request& req, const char* name) {
  auto v = req.Query(name);
  if (!v || v->empty()) return std::optional<std::string>();
  if (v->size() > kMaxPeriodChars) {
    return SdmxFailure(140, std::string(name) + " is longer than 40 characters");
  }
  auto p = sdmx::ParsePeriod(*v);
  if (!p.ok()) {
    return SdmxFailure(140, std::string(name) + " '" + std::string(*v) +
                                "' is not a reporting period (2019, 2019-Q3, 2019-07, "
                                "2019-07-14): " +
                                p.error().message);
  }
  return std::optional<std::string>(std::string(*v));
}

Result<sdmx::Detail> DetailParam(const Request& req) {
  std::string d = ToLowerAscii(req.Query("detail").value_or("full"));
  if (d == "full" || d.empty()) return sdmx::Detail::kFull;
  if (d == "dataonly") return sdmx::Detail::kDataOnly;
  if (d == "serieskeysonly") return sdmx::Detail::kSeriesKeysOnly;
  if (d == "nodata") return sdmx::Detail::kNoData;
  return SdmxFailure(140, "detail must be full, dataonly, serieskeysonly or nodata");
}

Status AggregateParams(const Request& req, DataParams* p) {
  if (auto a = req.Query("aggregate"); a && !a->empty()) {
    if (*a != "world" && *a != "region" && *a != "subregion" && *a != "intermediate") {
      return SdmxFailure(140, "aggregate must be world, region, subregion or intermediate");
    }
    p->aggregate = std::string(*a);
  }
  p->aggregate_dimension = std::string(req.Query("aggregate_dimension").value_or(""));
  return CheckIdPart("aggregate_dimension", p->aggregate_dimension);
}

// per_capita=AGENCY,ID[,VERSION] or AGENCY:ID (the form the web app writes),
// per_capita_dimension and per_capita_per.
Status PerCapitaParams(const Request& req, DataParams* p) {
  std::string_view v = req.Query("per_capita").value_or("");
  if (v.empty()) return Ok();
  if (v.size() > 200) return SdmxFailure(140, "per_capita is longer than 200 characters");
  std::string flow(v);
  std::replace(flow.begin(), flow.end(), ':', ',');
  auto ref = ParseFlowRef(flow);
  if (!ref.ok()) return SdmxFailure(140, "per_capita: " + ref.error().message);
  p->per_capita = std::move(ref).value();
  p->per_capita_dimension = std::string(req.Query("per_capita_dimension").value_or(""));
  std::string_view per = req.Query("per_capita_per").value_or("1000");
  if (per != "100" && per != "1000" && per != "100000") {
    return SdmxFailure(140, "per_capita_per must be 100 (percent), 1000 or 100000");
  }
  p->per_capita_per = per == "100" ? 100 : (per == "1000" ? 1000 : 100000);
  return CheckIdPart("per_capita_dimension", p->per_capita_dimension);
}

Status LabelsParam(const Request& req, DataParams* p) {
  std::string labels = ToLowerAscii(req.Query("labels").value_or("id"));
  if (labels != "id" && labels != "both" && !labels.empty()) {
    return SdmxFailure(140, "labels must be id or both");
  }
  p->labels = labels == "both";
  return Ok();
}

Status DimensionAtObservationParam(const Request& req, DataParams* p) {
  std::string_view d = req.Query("dimensionAtObservation").value_or("");
  if (d.empty()) return Ok();
  GMG_RETURN_IF_ERROR(CheckIdPart("dimensionAtObservation", d));
  p->query.dimension_at_observation = std::string(d);
  return Ok();
}

// Seconds east of UTC of "Z", "+01:00", "-0530", " 01:00" (the '+' decoded as a space).
Result<int64_t> ParseOffset(std::string_view s) {
  if (s.empty() || s == "Z" || s == "z") return int64_t{0};
  int sign = (s[0] == '-') ? -1 : 1;
  if (s[0] != '+' && s[0] != '-' && s[0] != ' ') return MakeError(ErrorCode::kInvalidArgument, "");
  s.remove_prefix(1);
  std::string digits;
  for (char c : s) {
    if (c != ':') digits += c;
  }
  if (digits.size() != 4 && digits.size() != 2) return MakeError(ErrorCode::kInvalidArgument, "");
  int hh = 0;
  int mm = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return MakeError(ErrorCode::kInvalidArgument, "");
  }
  hh = std::stoi(digits.substr(0, 2));
  if (digits.size() == 4) mm = std::stoi(digits.substr(2, 2));
  if (hh > 14 || mm > 59) return MakeError(ErrorCode::kInvalidArgument, "");
  return int64_t{sign} * (int64_t{hh} * 3600 + int64_t{mm} * 60);
}

bool TwoDigits(std::string_view s, size_t at, int max, int* out) {
  if (at + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[at])) ||
      !std::isdigit(static_cast<unsigned char>(s[at + 1])))
    return false;
  *out = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return *out <= max;
}

// ---- Flow references -----------------------------------------------------------------------

// Resolves an empty agency (a reference by id alone) to the one agency that provides the id.
Result<StatsFlowRef> Resolve(StatsService& stats, StatsFlowRef ref) {
  if (!ref.agency.empty()) return ref;
  GMG_ASSIGN_OR_RETURN(auto flows, stats.ListFlows());
  std::vector<std::string> agencies;
  for (const auto& f : flows) {
    if (f.id == ref.id && std::find(agencies.begin(), agencies.end(), f.agency) == agencies.end())
      agencies.push_back(f.agency);
  }
  if (agencies.empty()) return SdmxFailure(100, "no dataflow " + ref.id);
  if (agencies.size() > 1) {
    std::string names;
    for (const auto& a : agencies) names += (names.empty() ? "" : ", ") + a;
    return SdmxFailure(140, "several agencies provide a dataflow " + ref.id + " (" + names +
                                "): name one, as " + agencies[0] + "," + ref.id);
  }
  ref.agency = agencies[0];
  return ref;
}

// The writer's header completed with what only the API knows (message id, time, labels).
class HeaderFiller final : public sdmx::DataWriter {
 public:
  HeaderFiller(sdmx::DataWriter& inner, bool labels, bool derived)
      : inner_(inner), labels_(labels), derived_(derived) {}
  bool Begin(const sdmx::DataHeader& header) override {
    sdmx::DataHeader h = header;
    if (h.id.empty()) h.id = MessageId();
    if (h.prepared.empty()) h.prepared = FormatTimestamp(UnixNow());
    h.labels = h.labels || labels_;
    h.derived_column = h.derived_column || derived_;
    return inner_.Begin(h);
  }
  bool Series(const sdmx::SeriesOut& series) override { return inner_.Series(series); }
  bool End() override { return inner_.End(); }

 private:
  // Unique within this process and across restarts: the time in milliseconds and a counter.
  static std::string MessageId() {
    static std::atomic<uint64_t> counter{0};
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return "GMG-" + std::to_string(ms) + "-" + std::to_string(counter.fetch_add(1));
  }
  sdmx::DataWriter& inner_;
  bool labels_;
  bool derived_;
};

// The shared end of both data routes: parameters, format, data, selection, streamed answer.
Result<Response> AnswerData(SdmxApi& api, const Request& req, const StatsFlowRef& ref,
                            std::string_view key, std::vector<sdmx::ComponentFilter> filters) {
  auto format =
      sdmx::ChooseDataFormat(req.Query("format").value_or(""), req.Header("accept").value_or(""));
  if (!format) {
    return SdmxFailure(406,
                       "none of the formats asked for is served: SDMX-CSV 1.0/2.0, SDMX-JSON "
                       "1.0/2.0, SDMX-ML 2.1 structure-specific data, plain CSV");
  }
  GMG_ASSIGN_OR_RETURN(DataParams params, ParseDataParams(req));
  if (key.size() > kMaxSdmxKeyChars)
    return SdmxFailure(140, "the key is longer than 8,192 characters");
  GMG_ASSIGN_OR_RETURN(auto data, LoadStatsData(api.stats, ref, params));
  const sdmx::DataStructure& dsd = data->flow.structure;
  const std::string& at = params.query.dimension_at_observation;
  if (at != "TIME_PERIOD" && at != dsd.time_dimension && at != "AllDimensions") {
    return SdmxFailure(150, "dimensionAtObservation: only " + dsd.time_dimension +
                                " (series) and AllDimensions (flat) are served");
  }
  if (at == dsd.time_dimension) params.query.dimension_at_observation = "TIME_PERIOD";
  auto parsed_key = sdmx::ParseKey(key, dsd.dimensions.size());
  if (!parsed_key.ok()) return SdmxFailure(140, "key: " + parsed_key.error().message);
  params.query.key = std::move(parsed_key).value();
  params.query.filters = std::move(filters);
  params.query.labels = params.labels;
  stats::QueryLimits limits;
  limits.max_observations = api.options.max_answer_observations;
  auto selection = stats::Select(*data, params.query, limits);
  if (!selection.ok()) return selection.error();

  Response r;
  r.content_type = sdmx::DataMediaType(*format);
  r.SetHeader("Vary", "Accept");
  if (*format == sdmx::DataFormat::kSdmxCsv10 || *format == sdmx::DataFormat::kSdmxCsv20 ||
      *format == sdmx::DataFormat::kPlainCsv) {
    r.SetHeader("Content-Disposition",
                "attachment; filename=\"" + data->flow.agency + "_" + data->flow.id + ".csv\"");
  }
  r.stream = [data, sel = std::move(selection).value(), query = std::move(params.query),
              fmt = *format, labels = params.labels,
              derived = params.aggregate.has_value()](const http::BodyWriter& write) {
    auto writer =
        sdmx::NewDataWriter(fmt, [&write](std::string_view piece) { return write(piece); });
    HeaderFiller filler(*writer, labels, derived);
    (void)stats::Emit(*data, sel, query, filler);
  };
  return r;
}

// ---- Data handlers -------------------------------------------------------------------------

Result<Response> DataV1(SdmxApi& api, Request& req) {
  return Sdmx(req, [&]() -> Result<Response> {
    GMG_ASSIGN_OR_RETURN(StatsFlowRef ref, ParseFlowRef(req.PathParam("flow")));
    std::string_view key = req.PathParam("key");
    GMG_ASSIGN_OR_RETURN(auto filters, ParseComponentFilters(req.target));
    return AnswerData(api, req, ref, key, std::move(filters));
  });
}

Result<StatsFlowRef> V2Ref(const Request& req) {
  StatsFlowRef ref{std::string(req.PathParam("agency")), std::string(req.PathParam("id")),
                   std::string(req.PathParam("version"))};
  GMG_RETURN_IF_ERROR(CheckIdPart("agency", ref.agency));
  GMG_RETURN_IF_ERROR(CheckIdPart("id", ref.id));
  GMG_RETURN_IF_ERROR(CheckIdPart("version", ref.version));
  if (ref.id == "*") return SdmxFailure(140, "name one dataflow: the id may not be *");
  if (IsAny(ref.agency)) ref.agency.clear();
  if (IsLatest(ref.version)) ref.version.clear();
  return ref;
}

Result<Response> DataV2(SdmxApi& api, Request& req) {
  return Sdmx(req, [&]() -> Result<Response> {
    GMG_ASSIGN_OR_RETURN(StatsFlowRef ref, V2Ref(req));
    std::string key = V2KeyAsV1(req.PathParam("key"));
    GMG_ASSIGN_OR_RETURN(auto filters, ParseComponentFilters(req.target));
    return AnswerData(api, req, ref, key, std::move(filters));
  });
}

// ---- Structure queries ---------------------------------------------------------------------

Result<sdmx::StructureType> StructureTypeOf(std::string_view type) {
  if (type == "dataflow") return sdmx::StructureType::kDataflow;
  if (type == "datastructure") return sdmx::StructureType::kDataStructure;
  if (type == "codelist") return sdmx::StructureType::kCodelist;
  if (type == "conceptscheme") return sdmx::StructureType::kConceptScheme;
  if (type == "data") {
    return SdmxFailure(140,
                       "a data query is /sdmx/data/{flow}/{key}: the provider position "
                       "after the key is not served");
  }
  return SdmxFailure(100, "no structure type '" + std::string(type) +
                              "': dataflow, datastructure, codelist or conceptscheme");
}

Result<std::string> ReferencesParam(const Request& req) {
  std::string r = ToLowerAscii(req.Query("references").value_or("none"));
  if (r.empty() || r == "none" || r == "parents" || r == "parentsandsiblings")
    return std::string("none");
  if (r == "children") return std::string("children");
  if (r == "all" || r == "descendants") return std::string("all");
  return SdmxFailure(140,
                     "references must be none, parents, parentsandsiblings, children, "
                     "descendants or all");
}

struct StructureMatch {
  std::string agency, id, version;  // "" = any
  bool Hits(std::string_view a, std::string_view i, std::string_view v) const {
    return (agency.empty() || agency == a) && (id.empty() || id == i) &&
           (version.empty() || version == v);
  }
};

// The flow as the answer should hold it: for codelists, only the codelists that match. false
// when nothing of it matches.
bool Pick(const sdmx::Dataflow& flow, sdmx::StructureType type, const StructureMatch& m,
          sdmx::Dataflow* out) {
  const sdmx::DataStructure& s = flow.structure;
  // A structure or codelist saved without an agency is maintained by the dataflow's agency.
  const std::string& dsd_agency = s.agency.empty() ? flow.agency : s.agency;
  auto agency_of = [&](const std::string& a) -> const std::string& {
    return a.empty() ? dsd_agency : a;
  };
  switch (type) {
    case sdmx::StructureType::kDataflow:
      if (!m.Hits(flow.agency, flow.id, flow.version)) return false;
      break;
    case sdmx::StructureType::kDataStructure:
      if (!m.Hits(dsd_agency, s.id, s.version)) return false;
      break;
    case sdmx::StructureType::kConceptScheme: {
      // A data structure's concepts form one scheme, CS_<its id without "DSD_"> (sdmx_write.h).
      std::string_view id = s.id;
      if (id.substr(0, 4) == "DSD_") id.remove_prefix(4);
      if (!m.Hits(dsd_agency, "CS_" + std::string(id), s.version)) return false;
      break;
    }
    case sdmx::StructureType::kCodelist: {
      *out = flow;
      out->structure.codelists.clear();
      for (const auto& cl : s.codelists) {
        if (m.Hits(agency_of(cl.agency), cl.id, cl.version)) out->structure.codelists.push_back(cl);
      }
      return !out->structure.codelists.empty();
    }
  }
  *out = flow;
  return true;
}

Result<Response> AnswerStructures(SdmxApi& api, const Request& req, std::string_view type_name,
                                  StructureMatch match) {
  GMG_ASSIGN_OR_RETURN(sdmx::StructureType type, StructureTypeOf(type_name));
  GMG_RETURN_IF_ERROR(CheckIdPart("agency", match.agency));
  GMG_RETURN_IF_ERROR(CheckIdPart("id", match.id));
  GMG_RETURN_IF_ERROR(CheckIdPart("version", match.version));
  if (IsAny(match.agency)) match.agency.clear();
  if (IsAny(match.id)) match.id.clear();
  if (IsLatest(match.version)) match.version.clear();
  auto format = sdmx::ChooseStructureFormat(req.Query("format").value_or(""),
                                            req.Header("accept").value_or(""));
  if (!format) {
    return SdmxFailure(406,
                       "none of the formats asked for is served: SDMX-ML 2.1, SDMX-JSON "
                       "1.0/2.0 structure messages");
  }
  GMG_ASSIGN_OR_RETURN(std::string references, ReferencesParam(req));
  GMG_ASSIGN_OR_RETURN(auto summaries, api.stats.ListFlows());
  std::vector<sdmx::Dataflow> picked;
  for (const auto& s : summaries) {
    GMG_ASSIGN_OR_RETURN(StatsFlow flow, api.stats.GetFlow({s.agency, s.id, s.version}));
    sdmx::Dataflow out;
    if (Pick(flow.flow, type, match, &out)) picked.push_back(std::move(out));
  }
  if (picked.empty()) return SdmxFailure(100, "no " + std::string(type_name) + " matches");
  std::vector<const sdmx::Dataflow*> flows;
  for (const auto& f : picked) flows.push_back(&f);
  Response r;
  r.content_type = sdmx::StructureMediaType(*format);
  r.SetHeader("Vary", "Accept");
  sdmx::WriteStructures(*format, type, flows, references, [&r](std::string_view piece) {
    r.body.append(piece);
    return true;
  });
  return r;
}

Result<Response> StructureV1(SdmxApi& api, Request& req) {
  return Sdmx(req, [&]() -> Result<Response> {
    return AnswerStructures(api, req, req.PathParam("type"),
                            {std::string(req.PathParam("agency")), std::string(req.PathParam("id")),
                             std::string(req.PathParam("version"))});
  });
}

// ---- Routes --------------------------------------------------------------------------------

// The SDMX REST API at a glance: {method, path, who, handler, summary, tag, cacheable}.
constexpr RouteRow<SdmxApi> kSdmxRoutes[] = {
    {"GET", "/sdmx/data/{flow}", Access::kPublic, DataV1,
     "SDMX 1.5 data of a dataflow: flow = AGENCY,ID[,VERSION] or ID, every series.", "sdmx"},
    {"GET", "/sdmx/data/{flow}/{key}", Access::kPublic, DataV1,
     "SDMX 1.5 data: key '.'-separated codes per dimension, '+' for OR, empty = any, 'all'.",
     "sdmx"},
    {"GET", "/sdmx/v2/data/dataflow/{agency}/{id}/{version}", Access::kPublic, DataV2,
     "SDMX 2.0 data of a dataflow (agency and version may be * or ~), with c[DIM]= filters.",
     "sdmx"},
    {"GET", "/sdmx/v2/data/dataflow/{agency}/{id}/{version}/{key}", Access::kPublic, DataV2,
     "SDMX 2.0 data: key with * wildcards and ',' (or '+') for OR, c[DIM]=op:value filters.",
     "sdmx"},
    {"GET", "/sdmx/{type}", Access::kPublic, StructureV1,
     "SDMX 1.5 structures: type = dataflow, datastructure, codelist or conceptscheme; "
     "references=none|children|all; SDMX-ML 2.1 or SDMX-JSON",
     "sdmx", true},
    {"GET", "/sdmx/{type}/{agency}", Access::kPublic, StructureV1,
     "SDMX 1.5 structures of one agency (all = any)", "sdmx", true},
    {"GET", "/sdmx/{type}/{agency}/{id}", Access::kPublic, StructureV1,
     "SDMX 1.5 structure by agency and id (all = any), latest version", "sdmx", true},
    {"GET", "/sdmx/{type}/{agency}/{id}/{version}", Access::kPublic, StructureV1,
     "SDMX 1.5 structure by agency, id and version (latest, all)", "sdmx", true},
    {"GET", "/sdmx/v2/structure/{type}/{agency}/{id}/{version}", Access::kPublic, StructureV1,
     "SDMX 2.0 structure query: * wildcards, ~ latest; references=none|children|all", "sdmx", true},
};

}  // namespace

Result<StatsFlowRef> ParseFlowRef(std::string_view flow) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() < 4) {
    size_t comma = flow.find(',', start);
    parts.emplace_back(
        flow.substr(start, comma == std::string_view::npos ? flow.npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (parts.size() > 3 || flow.empty()) {
    return SdmxFailure(140, "the flow must be AGENCY,ID[,VERSION] or ID");
  }
  StatsFlowRef ref;
  if (parts.size() == 1) {
    ref.id = parts[0];
  } else {
    ref.agency = parts[0];
    ref.id = parts[1];
    if (parts.size() == 3) ref.version = parts[2];
  }
  GMG_RETURN_IF_ERROR(CheckIdPart("agency", ref.agency));
  GMG_RETURN_IF_ERROR(CheckIdPart("flow id", ref.id));
  GMG_RETURN_IF_ERROR(CheckIdPart("version", ref.version));
  if (ref.id.empty() || ref.id == "*" || ref.id == "all") {
    return SdmxFailure(140, "name one dataflow: the flow id is missing");
  }
  if (IsAny(ref.agency)) ref.agency.clear();
  if (IsLatest(ref.version)) ref.version.clear();
  return ref;
}

Result<int64_t> ParseIsoTimestamp(std::string_view text) {
  const Error bad = SdmxFailure(140, "updatedAfter '" + std::string(text.substr(0, 40)) +
                                         "' is not an ISO 8601 date or date-time "
                                         "(2020-01-31, 2020-01-31T10:00:00Z)");
  if (text.size() > 40 || text.size() < 10) return bad;
  auto date = Date::Parse(text.substr(0, 10));
  if (!date) return bad;
  int64_t seconds = int64_t{date->days()} * 86400;
  std::string_view rest = text.substr(10);
  if (rest.empty()) return seconds;
  if (rest[0] != 'T' && rest[0] != 't') return bad;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!TwoDigits(rest, 1, 23, &hh) || rest.size() < 6 || rest[3] != ':' ||
      !TwoDigits(rest, 4, 59, &mm))
    return bad;
  size_t at = 6;
  if (at < rest.size() && rest[at] == ':') {
    if (!TwoDigits(rest, at + 1, 60, &ss)) return bad;
    at += 3;
    if (at < rest.size() && rest[at] == '.') {
      ++at;
      size_t digits = 0;
      while (at < rest.size() && std::isdigit(static_cast<unsigned char>(rest[at])) && digits < 9) {
        ++at;
        ++digits;
      }
      if (digits == 0) return bad;
    }
  }
  auto offset = ParseOffset(rest.substr(at));
  if (!offset.ok()) return bad;
  return seconds + int64_t{hh} * 3600 + int64_t{mm} * 60 + ss - *offset;
}

Result<DataParams> ParseDataParams(const Request& req) {
  DataParams p;
  GMG_ASSIGN_OR_RETURN(p.query.start_period, PeriodParam(req, "startPeriod"));
  GMG_ASSIGN_OR_RETURN(p.query.end_period, PeriodParam(req, "endPeriod"));
  if (p.query.start_period && p.query.end_period &&
      sdmx::ParsePeriod(*p.query.start_period)->first_day >
          sdmx::ParsePeriod(*p.query.end_period)->last_day) {
    return SdmxFailure(140, "startPeriod is after endPeriod");
  }
  GMG_ASSIGN_OR_RETURN(p.query.first_n,
                       BoundedInt(req, "firstNObservations", 1, kMaxObservationsPerSeries));
  GMG_ASSIGN_OR_RETURN(p.query.last_n,
                       BoundedInt(req, "lastNObservations", 1, kMaxObservationsPerSeries));
  if (auto u = req.Query("updatedAfter"); u && !u->empty()) {
    GMG_ASSIGN_OR_RETURN(p.query.updated_after, ParseIsoTimestamp(*u));
  }
  GMG_ASSIGN_OR_RETURN(p.query.detail, DetailParam(req));
  GMG_RETURN_IF_ERROR(DimensionAtObservationParam(req, &p));
  GMG_RETURN_IF_ERROR(LabelsParam(req, &p));
  GMG_RETURN_IF_ERROR(AggregateParams(req, &p));
  GMG_RETURN_IF_ERROR(PerCapitaParams(req, &p));
  GMG_ASSIGN_OR_RETURN(p.release, BoundedInt(req, "release", 1, 1'000'000'000));
  return p;
}

Result<std::vector<sdmx::ComponentFilter>> ParseComponentFilters(std::string_view target) {
  std::vector<sdmx::ComponentFilter> out;
  size_t q = target.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view qs = target.substr(q + 1);
  while (!qs.empty()) {
    size_t amp = qs.find('&');
    std::string_view pair = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string name;
    std::string value;
    if (!http::PercentDecode(pair.substr(0, eq), false, &name) ||
        (eq != std::string_view::npos && !http::PercentDecode(pair.substr(eq + 1), false, &value)))
      return SdmxFailure(140, "the query string holds a broken %-escape");
    if (name.size() < 3 || name.compare(0, 2, "c[") != 0 || name.back() != ']') continue;
    if (out.size() >= kMaxFilters) return SdmxFailure(140, "more than 50 c[…] filters");
    if (value.size() > kMaxFilterChars) {
      return SdmxFailure(140, name + " is longer than 4,096 characters");
    }
    std::string component = name.substr(2, name.size() - 3);
    GMG_RETURN_IF_ERROR(CheckIdPart(name, component));
    auto f = sdmx::ParseComponentFilter(component, value);
    if (!f.ok()) return SdmxFailure(140, name + ": " + f.error().message);
    out.push_back(std::move(f).value());
  }
  return out;
}

std::string V2KeyAsV1(std::string_view key) {
  if (key.empty() || key == "*") return "all";
  std::string out;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    std::string_view pos =
        key.substr(start, dot == std::string_view::npos ? key.npos : dot - start);
    if (pos != "*") {
      for (char c : pos) out += c == ',' ? '+' : c;
    }
    if (dot == std::string_view::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

namespace {

using SharedData = std::shared_ptr<const stats::FlowData>;

// The current (or release N's) data of `ref`; SDMX 100 when there is none.
Result<SharedData> LoadFlow(StatsService& stats, const StatsFlowRef& ref, int release) {
  GMG_ASSIGN_OR_RETURN(StatsFlowRef resolved, Resolve(stats, ref));
  Result<SharedData> data =
      release > 0 ? stats.AtRelease(resolved, release) : stats.Current(resolved);
  if (!data.ok() && data.error().code == ErrorCode::kNotFound) {
    return SdmxFailure(100, data.error().message);
  }
  return data;
}

// `data` with the regional aggregates of `params` added along `dimension`.
Result<SharedData> Aggregated(SharedData data, const DataParams& params,
                              const std::string& dimension) {
  if (!params.aggregate) return data;
  auto with = stats::WithRegionalAggregates(*data, dimension, *params.aggregate);
  if (!with.ok()) return SdmxFailure(150, with.error().message);
  return SharedData(std::make_shared<const stats::FlowData>(std::move(with).value()));
}

std::string OrRefArea(const std::string& dimension) {
  return dimension.empty() ? "REF_AREA" : dimension;
}

}  // namespace

Result<SharedData> LoadStatsData(StatsService& stats, const StatsFlowRef& ref,
                                 const DataParams& params) {
  GMG_ASSIGN_OR_RETURN(SharedData data, LoadFlow(stats, ref, params.release));
  const std::string dimension = OrRefArea(params.aggregate_dimension);
  GMG_ASSIGN_OR_RETURN(data, Aggregated(std::move(data), params, dimension));
  if (!params.per_capita) return data;
  GMG_ASSIGN_OR_RETURN(SharedData population, LoadFlow(stats, *params.per_capita, 0));
  const std::string population_dimension = OrRefArea(params.per_capita_dimension);
  GMG_ASSIGN_OR_RETURN(population, Aggregated(std::move(population), params, population_dimension));
  auto rates = stats::PerPopulation(*data, dimension, *population, population_dimension,
                                    params.per_capita_per);
  if (!rates.ok()) return SdmxFailure(150, "per_capita: " + rates.error().message);
  return SharedData(std::make_shared<const stats::FlowData>(std::move(rates).value()));
}

void AddSdmxRoutes(http::Router& router, StatsService& stats, const StatsApiOptions& options) {
  http::AddRoutes(router, std::make_shared<SdmxApi>(SdmxApi{stats, options}), kSdmxRoutes);
}

}  // namespace gmg
