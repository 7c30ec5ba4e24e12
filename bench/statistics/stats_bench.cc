// gmg_stats_bench: the statistics module measured at 10 million observations (issue 11, "Speed";
// docs/performance.md "Statistics (issue 11)"), and plain PostgreSQL 15 on the same data.
//
//  1. Generates a dataflow of real shape as SDMX-CSV 1.0: destinations × origins × sexes ×
//     years (default 235 × 235 × 3 × 60 = 9,940,500 observations; ISO 3166 alpha-3 codes,
//     values from a seeded hash, so the same arguments give the same file).
//  2. Ingest: StatsService::Import of that file into a fresh SQLite database (observations/s),
//     and, with --pg, into a fresh PostgreSQL database.
//  3. Queries on the current data as a request sees it (StatsService::Current + Select + Emit
//     into an SDMX-CSV writer whose bytes are counted, not kept): one series (p50/p95), one
//     destination × all origins × all years (sex total; and all sexes), and the full export
//     (observations/s, peak RSS above the resident data: flat memory means a small figure).
//  4. With --pg: the same observations COPYed into a plain table (ref_area, counterpart_area,
//     sex, time_period, obs_value) with a b-tree on the series key and period, the same three
//     queries as plain SQL through libpq (prepared statements, every row read), COPY TO STDOUT
//     for the export; the ratios.
// Prints a Markdown table and writes everything as JSON (--json). Measures; never fails on time.
//
//   gmg_stats_bench --dir DIR [--areas 235] [--origins 235] [--sexes 3] [--years 60]
//       [--seed 1] [--queries 1000] [--pg POSTGRES_ADMIN_URL] [--module no] [--json out.json]
#include <libpq-fe.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/codelists.h"
#include "interop/sdmx_read.h"
#include "interop/sdmx_write.h"
#include "statistics/flow_data.h"
#include "statistics/stats_query.h"
#include "statistics/stats_service.h"

namespace {

using gmg::stats::DataQuery;
using gmg::stats::FlowData;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}
double Micros(Clock::time_point from) {
  return std::chrono::duration<double, std::micro>(Clock::now() - from).count();
}

// A field of /proc/self/status in MiB ("VmHWM", "VmRSS"), -1 when unreadable.
double StatusMiB(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atof(line.c_str() + field.size() + 1) / 1024;
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux: "5" to clear_refs), so the next peak is the step's.
void ResetPeak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

double LoadAverage() {
  double one = -1;
  std::ifstream("/proc/loadavg") >> one;
  return one;
}

struct Percentiles {
  double p50 = 0, p95 = 0, max = 0;
  size_t count = 0;
};
Percentiles Of(std::vector<double> us) {
  if (us.empty()) return {};
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    return us[std::min(us.size() - 1, static_cast<size_t>(q * us.size()))];
  };
  return {at(0.5), at(0.95), us.back(), us.size()};
}
boost::json::object Json(const Percentiles& p) {
  return {{"p50_us", p.p50}, {"p95_us", p.p95}, {"max_us", p.max}, {"count", p.count}};
}

struct Args {
  std::string dir;
  size_t areas = 235, origins = 235, sexes = 3, years = 60;
  uint64_t seed = 1;
  size_t queries = 1000;
  std::string pg;          // admin URL ("" = no PostgreSQL)
  bool no_module = false;  // queries on a FlowData built directly (no StatsService import)
  std::string json;
};

bool Parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--dir") {
      a.dir = v;
    } else if (k == "--areas") {
      a.areas = std::stoull(v);
    } else if (k == "--origins") {
      a.origins = std::stoull(v);
    } else if (k == "--sexes") {
      a.sexes = std::stoull(v);
    } else if (k == "--years") {
      a.years = std::stoull(v);
    } else if (k == "--seed") {
      a.seed = std::stoull(v);
    } else if (k == "--queries") {
      a.queries = std::stoull(v);
    } else if (k == "--pg") {
      a.pg = v;
    } else if (k == "--module") {
      a.no_module = v == "no";
    } else if (k == "--json") {
      a.json = v;
    } else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return false;
    }
  }
  return !a.dir.empty() && a.areas > 0 && a.origins > 0 && a.sexes > 0 && a.sexes <= 3 &&
         a.years > 0 && a.years <= 200;
}

// ---- The data ------------------------------------------------------------------------------

struct Shape {
  std::vector<std::string> areas;  // destinations are areas[0, n), origins areas[0, m)
  size_t destinations = 0, origins = 0;
  std::vector<std::string> sexes;
  std::vector<std::string> years;
  uint64_t seed = 1;
  size_t Observations() const { return destinations * origins * sexes.size() * years.size(); }
};

Shape ShapeOf(const Args& a) {
  Shape s;
  size_t n = std::max(a.areas, a.origins);
  for (const auto& c : gmg::AllCountries()) {
    if (s.areas.size() == n) break;
    s.areas.emplace_back(c.iso3);
  }
  for (size_t i = s.areas.size(); i < n; ++i)
    s.areas.push_back(std::string("Z").append(std::to_string(100 + i)));
  s.destinations = a.areas;
  s.origins = a.origins;
  s.sexes = std::vector<std::string>{"F", "M", "_T"};
  s.sexes.resize(a.sexes);
  for (size_t y = 0; y < a.years; ++y) s.years.push_back(std::to_string(1961 + y));
  s.seed = a.seed;
  return s;
}

// A migrant stock figure: seeded, deterministic, mostly small, sometimes large.
uint64_t Value(const Shape& s, size_t d, size_t o, size_t x, size_t y) {
  uint64_t h = s.seed * 0x9E3779B97F4A7C15ULL ^ (d * 1000003 + o * 10007 + x * 101 + y);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return (h % 1000) * ((h >> 20) % 7 == 0 ? 997 : 1);
}

// The flow: the agency is an organisation's id in upper case (StatsService's rule).
const char kAgency[] = "UNDESA";
const char kFlowId[] = "BENCH_MIGRANT_STOCK";
const char kDataflow[] = "UNDESA:BENCH_MIGRANT_STOCK(1.0)";

// Writes the SDMX-CSV 1.0 file, series after series (as a statistics office would export it).
bool Generate(const Shape& s, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  std::string buf = "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE\n";
  buf.reserve(1 << 20);
  for (size_t d = 0; d < s.destinations; ++d) {
    for (size_t o = 0; o < s.origins; ++o) {
      for (size_t x = 0; x < s.sexes.size(); ++x) {
        for (size_t y = 0; y < s.years.size(); ++y) {
          buf += kDataflow;
          buf += ',';
          buf += s.areas[d];
          buf += ',';
          buf += s.areas[o];
          buf += ',';
          buf += s.sexes[x];
          buf += ',';
          buf += s.years[y];
          buf += ',';
          buf += std::to_string(Value(s, d, o, x, y));
          buf += '\n';
        }
        if (buf.size() > (1 << 20) - 4096) {
          std::fwrite(buf.data(), 1, buf.size(), f);
          buf.clear();
        }
      }
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  return std::fclose(f) == 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

gmg::sdmx::DataStructure StructureOf(const Shape& s) {
  gmg::sdmx::DataStructure st;
  st.agency = kAgency;
  st.id = "DSD_MIGRANT_STOCK";
  st.name = "Migrant stock (generated)";
  st.dimensions = {{"REF_AREA", "Destination", "CL_AREA", ""},
                   {"COUNTERPART_AREA", "Origin", "CL_AREA", ""},
                   {"SEX", "Sex", "CL_SEX", ""}};
  gmg::sdmx::Codelist areas{kAgency, "CL_AREA", "1.0", "Areas", {}};
  for (const auto& a : s.areas) {
    const auto* c = gmg::FindCountryByIso3(a);
    areas.codes.push_back({a, c != nullptr ? c->name : a, ""});
  }
  gmg::sdmx::Codelist sexes{kAgency, "CL_SEX", "1.0", "Sex", {}};
  for (const auto& x : s.sexes) sexes.codes.push_back({x, x, ""});
  st.codelists = {areas, sexes};
  st.concepts = {{"REF_AREA", "Destination"},
                 {"COUNTERPART_AREA", "Origin"},
                 {"SEX", "Sex"},
                 {"TIME_PERIOD", "Year"},
                 {"OBS_VALUE", "Migrant stock"}};
  return st;
}

// The columnar data straight from the generator: what StatsService::Current holds for it.
std::shared_ptr<const FlowData> BuildFlowData(const Shape& s) {
  auto data = std::make_shared<FlowData>();
  data->flow.agency = kAgency;
  data->flow.id = kFlowId;
  data->flow.structure = StructureOf(s);
  data->periods = s.years;
  data->series.reserve(s.destinations * s.origins * s.sexes.size());
  for (size_t d = 0; d < s.destinations; ++d) {
    for (size_t o = 0; o < s.origins; ++o) {
      for (size_t x = 0; x < s.sexes.size(); ++x) {
        FlowData::Series series;
        series.key = {static_cast<uint32_t>(d), static_cast<uint32_t>(o), static_cast<uint32_t>(x)};
        for (size_t y = 0; y < s.years.size(); ++y) {
          series.period_index.push_back(static_cast<uint32_t>(y));
          series.values.push_back(static_cast<double>(Value(s, d, o, x, y)));
        }
        data->series.push_back(std::move(series));
      }
    }
  }
  return data;
}

// ---- Queries through the engine ----------------------------------------------------------

struct Answer {
  int64_t observations = 0;
  int64_t bytes = 0;
  bool ok = false;
};

// Select + Emit into SDMX-CSV 1.0, the bytes counted and dropped.
Answer Ask(const FlowData& data, const DataQuery& query) {
  Answer answer;
  auto selection = gmg::stats::Select(data, query, {std::numeric_limits<int64_t>::max()});
  if (!selection.ok()) {
    std::fprintf(stderr, "query: %s\n", selection.error().message.c_str());
    return answer;
  }
  auto writer = gmg::sdmx::NewDataWriter(gmg::sdmx::DataFormat::kSdmxCsv10,
                                         [&answer](std::string_view bytes) {
                                           answer.bytes += static_cast<int64_t>(bytes.size());
                                           return true;
                                         });
  answer.ok = gmg::stats::Emit(data, *selection, query, *writer);
  answer.observations = selection->observations;
  return answer;
}

DataQuery KeyQuery(std::vector<std::vector<std::string>> positions) {
  DataQuery q;
  q.key.positions = std::move(positions);
  return q;
}

using DataSource = std::function<std::shared_ptr<const FlowData>()>;

boost::json::object EngineQueries(const Shape& s, const DataSource& current, size_t n) {
  std::mt19937_64 rng(s.seed);
  auto pick = [&](size_t bound) { return static_cast<size_t>(rng() % bound); };
  const std::string total = s.sexes.back();
  std::vector<double> one, one_current, one_select, one_writer_setup, dest, dest_all;
  int64_t one_obs = 0, dest_obs = 0;
  for (size_t i = 0; i < n; ++i) {
    auto q = KeyQuery({{s.areas[pick(s.destinations)]},
                       {s.areas[pick(s.origins)]},
                       {s.sexes[pick(s.sexes.size())]}});
    auto t0 = Clock::now();
    auto data = current();
    Answer a = Ask(*data, q);
    one.push_back(Micros(t0));
    one_obs += a.observations;
    // The parts: Current() alone, Select alone, and a writer's Begin + End with no series.
    t0 = Clock::now();
    data = current();
    one_current.push_back(Micros(t0));
    t0 = Clock::now();
    auto selection = gmg::stats::Select(*data, q, {});
    one_select.push_back(Micros(t0));
    t0 = Clock::now();
    auto writer = gmg::sdmx::NewDataWriter(gmg::sdmx::DataFormat::kSdmxCsv10,
                                           [](std::string_view) { return true; });
    gmg::sdmx::DataHeader header;
    header.flow = &data->flow;
    writer->Begin(header);
    writer->End();
    one_writer_setup.push_back(Micros(t0));
  }
  for (size_t i = 0; i < std::max<size_t>(n / 5, 10); ++i) {
    auto q = KeyQuery({{s.areas[pick(s.destinations)]}, {}, {total}});
    auto t0 = Clock::now();
    auto data = current();
    Answer a = Ask(*data, q);
    dest.push_back(Micros(t0));
    dest_obs += a.observations;
    q = KeyQuery({{s.areas[pick(s.destinations)]}, {}, {}});
    t0 = Clock::now();
    data = current();
    Ask(*data, q);
    dest_all.push_back(Micros(t0));
  }
  boost::json::object out;
  out["one_series"] = Json(Of(one));
  out["one_series"].as_object()["observations_per_answer"] =
      static_cast<double>(one_obs) / static_cast<double>(one.size());
  out["one_series_current_only"] = Json(Of(one_current));
  out["one_series_select_only"] = Json(Of(one_select));
  out["one_series_csv_writer_setup_only"] = Json(Of(one_writer_setup));
  out["destination_all_origins_years"] = Json(Of(dest));
  out["destination_all_origins_years"].as_object()["observations_per_answer"] =
      static_cast<double>(dest_obs) / static_cast<double>(dest.size());
  out["destination_all_origins_sexes_years"] = Json(Of(dest_all));
  return out;
}

// Regional aggregates (aggregate=region over the origins): the derived copy of the whole flow,
// then one destination × all origin regions × all years on it.
boost::json::object EngineAggregates(const Shape& s, const DataSource& current) {
  auto data = current();
  auto t0 = Clock::now();
  auto derived = gmg::stats::WithRegionalAggregates(*data, "COUNTERPART_AREA", "region");
  double seconds = Seconds(t0);
  if (!derived.ok()) return {{"error", derived.error().message}};
  size_t added = derived->series.size() - data->series.size();
  t0 = Clock::now();
  Answer a = Ask(*derived, KeyQuery({{s.areas[0]}, {}, {s.sexes.back()}}));
  return {{"with_regional_aggregates_seconds", seconds},
          {"derived_series", added},
          {"destination_query_on_it_us", Micros(t0)},
          {"destination_query_observations", a.observations}};
}

boost::json::object EngineExport(const DataSource& current) {
  auto data = current();
  double rss_before = StatusMiB("VmRSS");
  ResetPeak();
  auto t0 = Clock::now();
  Answer a = Ask(*data, DataQuery{});
  double seconds = Seconds(t0);
  double peak = StatusMiB("VmHWM");
  return {{"observations", a.observations},
          {"bytes", a.bytes},
          {"seconds", seconds},
          {"observations_per_second", static_cast<double>(a.observations) / seconds},
          {"rss_before_mib", rss_before},
          {"peak_rss_mib", peak},
          {"peak_over_before_mib", peak - rss_before},
          {"ok", a.ok}};
}

// The reader alone (interop/sdmx_read.h): every observation's value parsed, nothing kept —
// the part of an import that is not grouping, encoding and storing.
boost::json::object ReadOnly(const Shape& s, const std::string& bytes) {
  int64_t n = 0;
  double sum = 0;
  auto t0 = Clock::now();
  auto read = gmg::sdmx::ReadSdmxCsv(
      bytes, StructureOf(s),
      [&](const gmg::sdmx::ObservationView& o) -> gmg::Status {
        ++n;
        sum += std::strtod(std::string(o.value).c_str(), nullptr);
        return gmg::Ok();
      },
      nullptr);
  double seconds = Seconds(t0);
  if (!read.ok()) return {{"error", read.error().message}};
  return {{"seconds", seconds},
          {"observations", n},
          {"observations_per_second", static_cast<double>(n) / seconds},
          {"checksum", sum}};
}

// ---- Ingest through the module -------------------------------------------------------------

struct Module {
  std::unique_ptr<gmg::App> app;
  std::unique_ptr<gmg::StatsService> stats;
};

gmg::StatsFlowRef FlowRef() { return {kAgency, kFlowId, "1.0"}; }

// A fresh database (a SQLite path or a PostgreSQL URL), the flow's structure saved, then the
// file imported as one release: wall time, peak RSS, the report's counts, and the first
// Current() (the columnar copy built from the stored series).
boost::json::object Ingest(const Shape& s, const std::string& db_spec, const std::string& bytes,
                           Module& module) {
  gmg::AppConfig config;
  config.db_path = db_spec;
  auto app = gmg::App::Open(config);
  if (!app.ok()) return {{"error", "open: " + app.error().message}};
  module.app = std::move(app).value();
  gmg::StatsService::Options options;
  options.max_upload_bytes = 1LL << 40;
  module.stats = std::make_unique<gmg::StatsService>(module.app->db(), options);
  const auto who = gmg::Principal::Cli();
  auto saved = module.stats->SaveFlow(who, FlowRef(), "Migrant stock (generated)",
                                      "gmg_stats_bench", StructureOf(s), std::nullopt);
  if (!saved.ok()) return {{"error", "save flow: " + saved.error().message}};
  gmg::StatsImportRequest request;
  request.flow = FlowRef();
  request.data = bytes;
  request.file_name = "migrant_stock.csv";
  double rss_before = StatusMiB("VmRSS");
  ResetPeak();
  auto t0 = Clock::now();
  auto report = module.stats->Import(who, request);
  double seconds = Seconds(t0);
  double peak = StatusMiB("VmHWM");
  if (!report.ok()) return {{"error", "import: " + report.error().message}};
  boost::json::object out{
      {"seconds", seconds},
      {"observations", report->observations},
      {"observations_per_second", static_cast<double>(report->observations) / seconds},
      {"applied", report->applied},
      {"series", report->series},
      {"problem_count", report->problem_count},
      {"format", report->format},
      {"rss_before_mib", rss_before},
      {"peak_rss_mib", peak},
      {"file_mib", static_cast<double>(bytes.size()) / (1 << 20)}};
  if (!report->problems.empty()) out["first_problem"] = report->problems.front().message;
  t0 = Clock::now();
  auto current = module.stats->Current(FlowRef());
  out["first_current_seconds"] = Seconds(t0);
  if (!current.ok()) {
    out["error"] = "current: " + current.error().message;
  } else {
    out["current_observations"] = [&] {
      int64_t n = 0;
      for (const auto& series : (*current)->series) n += static_cast<int64_t>(series.values.size());
      return n;
    }();
  }
  return out;
}

// ---- Plain PostgreSQL ------------------------------------------------------------------------

std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t slash = url.find('/', url.find("://") + 3);
  size_t query = url.find('?');
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

bool Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) std::fprintf(stderr, "postgres: %s: %s", sql.c_str(), PQresultErrorMessage(r));
  PQclear(r);
  return ok;
}

// A fresh database `name` on the cluster of the admin URL.
bool CreateDatabase(const std::string& admin, const std::string& name) {
  PGconn* a = PQconnectdb(admin.c_str());
  bool ok = PQstatus(a) == CONNECTION_OK &&
            Exec(a, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") &&
            Exec(a, "CREATE DATABASE " + name);
  if (!ok) std::fprintf(stderr, "postgres: %s", PQerrorMessage(a));
  PQfinish(a);
  return ok;
}

// COPY of the generated file into the plain table, the DATAFLOW column cut off line by line.
bool CopyIn(PGconn* c, const std::string& file) {
  PGresult* r = PQexec(c,
                       "COPY obs (ref_area, counterpart_area, sex, time_period, obs_value) FROM "
                       "STDIN (FORMAT csv, HEADER true)");
  bool ok = PQresultStatus(r) == PGRES_COPY_IN;
  PQclear(r);
  if (!ok) return false;
  std::ifstream in(file, std::ios::binary);
  std::string line, chunk;
  chunk.reserve(1 << 20);
  while (ok && std::getline(in, line)) {
    size_t comma = line.find(',');
    chunk.append(line, comma + 1, std::string::npos);
    chunk += '\n';
    if (chunk.size() > (1 << 20) - 256) {
      ok = PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size())) == 1;
      chunk.clear();
    }
  }
  if (ok && !chunk.empty())
    ok = PQputCopyData(c, chunk.data(), static_cast<int>(chunk.size())) == 1;
  ok = PQputCopyEnd(c, ok ? nullptr : "bench aborted") == 1 && ok;
  r = PQgetResult(c);
  ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) std::fprintf(stderr, "postgres copy: %s", PQresultErrorMessage(r));
  PQclear(r);
  while ((r = PQgetResult(c)) != nullptr) PQclear(r);
  return ok;
}

volatile size_t g_sink = 0;  // keeps the reads of the rows

// Runs a prepared statement and reads every value of every row; the row count, -1 on error.
int64_t Fetch(PGconn* c, const char* name, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* r =
      PQexecPrepared(c, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "postgres %s: %s", name, PQresultErrorMessage(r));
    PQclear(r);
    return -1;
  }
  int rows = PQntuples(r), cols = PQnfields(r);
  size_t touched = 0;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) touched += static_cast<size_t>(PQgetlength(r, i, j));
  }
  PQclear(r);
  g_sink = g_sink + touched;
  return rows;
}

boost::json::object Postgres(const Shape& s, const std::string& admin, const std::string& file,
                             size_t n) {
  boost::json::object out;
  if (!CreateDatabase(admin, "gmg_bench_stats_plain")) {
    return {{"error", "cannot create the database"}};
  }
  PGconn* c = PQconnectdb(WithDatabase(admin, "gmg_bench_stats_plain").c_str());
  auto fail = [&](const char* what) {
    PQfinish(c);
    return boost::json::object{{"error", what}};
  };
  if (PQstatus(c) != CONNECTION_OK) return fail("connect");
  if (!Exec(c,
            "CREATE TABLE obs (ref_area TEXT NOT NULL, counterpart_area TEXT NOT NULL, "
            "sex TEXT NOT NULL, time_period TEXT NOT NULL, obs_value DOUBLE PRECISION)")) {
    return fail("create table");
  }
  auto t0 = Clock::now();
  if (!CopyIn(c, file)) return fail("copy");
  double copy_s = Seconds(t0);
  t0 = Clock::now();
  if (!Exec(c, "CREATE INDEX obs_key ON obs (ref_area, counterpart_area, sex, time_period)") ||
      !Exec(c, "ANALYZE obs")) {
    return fail("index");
  }
  double index_s = Seconds(t0);
  const double obs = static_cast<double>(s.Observations());
  out["copy_seconds"] = copy_s;
  out["index_seconds"] = index_s;
  out["copy_observations_per_second"] = obs / copy_s;
  out["load_observations_per_second"] = obs / (copy_s + index_s);
  PGresult* r = PQprepare(c, "one",
                          "SELECT time_period, obs_value FROM obs WHERE ref_area = $1 AND "
                          "counterpart_area = $2 AND sex = $3 ORDER BY time_period",
                          3, nullptr);
  PQclear(r);
  r = PQprepare(c, "dest",
                "SELECT counterpart_area, time_period, obs_value FROM obs WHERE ref_area = $1 "
                "AND sex = $2 ORDER BY counterpart_area, time_period",
                2, nullptr);
  PQclear(r);
  r = PQprepare(c, "dest_all",
                "SELECT counterpart_area, sex, time_period, obs_value FROM obs WHERE ref_area = "
                "$1 ORDER BY counterpart_area, sex, time_period",
                1, nullptr);
  PQclear(r);
  std::mt19937_64 rng(s.seed);
  auto pick = [&](size_t bound) { return static_cast<size_t>(rng() % bound); };
  std::vector<double> one, dest, dest_all;
  for (size_t i = 0; i < n; ++i) {
    auto t = Clock::now();
    if (Fetch(c, "one",
              {s.areas[pick(s.destinations)], s.areas[pick(s.origins)],
               s.sexes[pick(s.sexes.size())]}) < 0) {
      return fail("one series");
    }
    one.push_back(Micros(t));
  }
  for (size_t i = 0; i < std::max<size_t>(n / 5, 10); ++i) {
    auto t = Clock::now();
    if (Fetch(c, "dest", {s.areas[pick(s.destinations)], s.sexes.back()}) < 0) {
      return fail("destination");
    }
    dest.push_back(Micros(t));
    t = Clock::now();
    if (Fetch(c, "dest_all", {s.areas[pick(s.destinations)]}) < 0) return fail("destination");
    dest_all.push_back(Micros(t));
  }
  out["one_series"] = Json(Of(one));
  out["destination_all_origins_years"] = Json(Of(dest));
  out["destination_all_origins_sexes_years"] = Json(Of(dest_all));
  // The export: COPY TO STDOUT as CSV, rows counted (PostgreSQL's fastest way out).
  t0 = Clock::now();
  r = PQexec(c, "COPY obs TO STDOUT (FORMAT csv)");
  if (PQresultStatus(r) != PGRES_COPY_OUT) return fail("copy out");
  PQclear(r);
  int64_t rows = 0, bytes = 0;
  char* buf = nullptr;
  int len = 0;
  while ((len = PQgetCopyData(c, &buf, 0)) > 0) {
    ++rows;
    bytes += len;
    PQfreemem(buf);
  }
  while ((r = PQgetResult(c)) != nullptr) PQclear(r);
  double export_s = Seconds(t0);
  out["export"] = {{"observations", rows},
                   {"bytes", bytes},
                   {"seconds", export_s},
                   {"observations_per_second", static_cast<double>(rows) / export_s}};
  PQfinish(c);
  return out;
}

// ---- Report --------------------------------------------------------------------------------

double At(const boost::json::value& v, std::initializer_list<const char*> path) {
  const boost::json::value* at = &v;
  for (const char* p : path) {
    if (!at->is_object() || !at->as_object().contains(p)) return -1;
    at = &at->as_object().at(p);
  }
  return at->is_number() ? at->to_number<double>() : -1;
}

void PrintTable(const boost::json::object& r) {
  boost::json::value v = r;
  std::printf("\n| measure | GMG Hub | target | PostgreSQL 15 (plain table) | ratio |\n");
  std::printf("|---|---|---|---|---|\n");
  auto num = [](double x) {
    if (x < 0) return std::string("—");
    char buf[48];
    std::snprintf(buf, sizeof buf, x >= 100 ? "%.0f" : (x >= 10 ? "%.1f" : "%.2f"), x);
    std::string digits = buf, out;
    size_t dot = digits.find('.');
    size_t int_len = dot == std::string::npos ? digits.size() : dot;
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && i < int_len && (int_len - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  };
  auto row = [&](const char* what, double ours, const char* target, double theirs,
                 bool lower_is_better) {
    std::string ratio = "—";
    if (ours > 0 && theirs > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f×", lower_is_better ? theirs / ours : ours / theirs);
      ratio = buf;
    }
    std::printf("| %s | %s | %s | %s | %s |\n", what, num(ours).c_str(), target,
                num(theirs).c_str(), ratio.c_str());
  };
  row("ingest SDMX-CSV → SQLite (obs/s)", At(v, {"ingest_sqlite", "observations_per_second"}),
      "≥ 1,000,000", At(v, {"postgres", "load_observations_per_second"}), false);
  row("… of which the SDMX-CSV reader alone, values parsed (obs/s)",
      At(v, {"read_only", "observations_per_second"}), "—", -1, false);
  row("ingest SDMX-CSV → PostgreSQL via the module (obs/s)",
      At(v, {"ingest_postgres", "observations_per_second"}), "—", -1, false);
  row("one series, p50 (µs)", At(v, {"queries", "one_series", "p50_us"}), "< 1,000",
      At(v, {"postgres", "one_series", "p50_us"}), true);
  row("… of which StatsService::Current() alone, p50 (µs)",
      At(v, {"queries", "one_series_current_only", "p50_us"}), "—", -1, true);
  row("… of which Select alone, p50 (µs)", At(v, {"queries", "one_series_select_only", "p50_us"}),
      "—", -1, true);
  row("… of which the SDMX-CSV writer's Begin+End with no series, p50 (µs)",
      At(v, {"queries", "one_series_csv_writer_setup_only", "p50_us"}), "—", -1, true);
  row("one series, p95 (µs)", At(v, {"queries", "one_series", "p95_us"}), "—",
      At(v, {"postgres", "one_series", "p95_us"}), true);
  row("one destination × all origins × all years, p50 (µs)",
      At(v, {"queries", "destination_all_origins_years", "p50_us"}), "< 10,000",
      At(v, {"postgres", "destination_all_origins_years", "p50_us"}), true);
  row("… × all sexes too, p50 (µs)",
      At(v, {"queries", "destination_all_origins_sexes_years", "p50_us"}), "—",
      At(v, {"postgres", "destination_all_origins_sexes_years", "p50_us"}), true);
  row("WithRegionalAggregates(origins, region) over the whole flow (s)",
      At(v, {"aggregates", "with_regional_aggregates_seconds"}), "—", -1, true);
  row("full SDMX-CSV export (obs/s)", At(v, {"export", "observations_per_second"}), "≥ 2,000,000",
      At(v, {"postgres", "export", "observations_per_second"}), false);
  std::printf(
      "| export peak RSS over the resident data (MiB) | %.0f (resident %.0f) | flat | | |\n",
      At(v, {"export", "peak_over_before_mib"}), At(v, {"export", "rss_before_mib"}));
  std::printf("| SQLite import: peak RSS (MiB; file %.0f MiB) | %s | | | |\n",
              At(v, {"ingest_sqlite", "file_mib"}),
              num(At(v, {"ingest_sqlite", "peak_rss_mib"})).c_str());
  std::printf("| first Current() after the import, SQLite / PostgreSQL (s) | %s / %s | | | |\n",
              num(At(v, {"ingest_sqlite", "first_current_seconds"})).c_str(),
              num(At(v, {"ingest_postgres", "first_current_seconds"})).c_str());
  std::printf("| PostgreSQL plain: COPY / CREATE INDEX (s) | | | %s / %s | |\n",
              num(At(v, {"postgres", "copy_seconds"})).c_str(),
              num(At(v, {"postgres", "index_seconds"})).c_str());
  std::printf("\nQueries on: %s\n",
              r.contains("queries_on") ? r.at("queries_on").as_string().c_str() : "?");
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!Parse(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: gmg_stats_bench --dir DIR [--areas 235] [--origins 235] [--sexes 3] "
                 "[--years 60] [--seed 1] [--queries 1000] [--pg ADMIN_URL] [--module no] "
                 "[--json FILE]\n");
    return 2;
  }
  std::filesystem::create_directories(args.dir);
  Shape shape = ShapeOf(args);
  boost::json::object result;
  result["shape"] = {{"destinations", shape.destinations},   {"origins", shape.origins},
                     {"sexes", shape.sexes.size()},          {"years", shape.years.size()},
                     {"observations", shape.Observations()}, {"seed", shape.seed}};
  result["load_average_start"] = LoadAverage();
  const std::string file = (std::filesystem::path(args.dir) / "migrant_stock.csv").string();
  auto t0 = Clock::now();
  if (!Generate(shape, file)) {
    std::fprintf(stderr, "cannot write %s\n", file.c_str());
    return 1;
  }
  result["generate"] = {
      {"seconds", Seconds(t0)}, {"bytes", std::filesystem::file_size(file)}, {"file", file}};
  std::fprintf(stderr, "generated %zu observations in %.1f s\n", shape.Observations(), Seconds(t0));

  // Ingest into SQLite through the module; the queries then read its Current().
  std::string bytes = ReadFile(file);
  Module sqlite;
  std::shared_ptr<const FlowData> direct;
  DataSource current;
  if (!args.no_module) {
    result["load_average_ingest"] = LoadAverage();
    const auto db = (std::filesystem::path(args.dir) / "stats.db").string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    result["read_only"] = ReadOnly(shape, bytes);
    result["ingest_sqlite"] = Ingest(shape, db, bytes, sqlite);
    std::fprintf(stderr, "SQLite ingest: %s\n",
                 boost::json::serialize(result["ingest_sqlite"]).c_str());
  }
  if (sqlite.stats != nullptr && !result["ingest_sqlite"].as_object().contains("error")) {
    current = [&sqlite] { return sqlite.stats->Current(FlowRef()).value(); };
    result["queries_on"] = "StatsService::Current() after the SQLite import";
  } else {
    t0 = Clock::now();
    direct = BuildFlowData(shape);
    result["flow_data_built_directly_seconds"] = Seconds(t0);
    current = [&direct] { return direct; };
    result["queries_on"] = "FlowData built directly from the generator (no module import)";
  }
  result["load_average_queries"] = LoadAverage();
  result["queries"] = EngineQueries(shape, current, args.queries);
  std::fprintf(stderr, "queries done\n");
  result["aggregates"] = EngineAggregates(shape, current);
  result["load_average_export"] = LoadAverage();
  result["export"] = EngineExport(current);
  std::fprintf(stderr, "export done\n");
  sqlite = {};
  direct.reset();
  if (!args.pg.empty()) {
    result["load_average_postgres"] = LoadAverage();
    result["postgres"] = Postgres(shape, args.pg, file, args.queries);
    std::fprintf(stderr, "postgres done\n");
    if (!args.no_module && CreateDatabase(args.pg, "gmg_bench_stats_module")) {
      Module pg;
      result["load_average_ingest_postgres"] = LoadAverage();
      result["ingest_postgres"] =
          Ingest(shape, WithDatabase(args.pg, "gmg_bench_stats_module"), bytes, pg);
      std::fprintf(stderr, "PostgreSQL ingest: %s\n",
                   boost::json::serialize(result["ingest_postgres"]).c_str());
    }
  }
  result["load_average_end"] = LoadAverage();
  std::printf("## Statistics: %zu observations (%zu × %zu × %zu × %zu, seed %llu)\n",
              shape.Observations(), shape.destinations, shape.origins, shape.sexes.size(),
              shape.years.size(), static_cast<unsigned long long>(shape.seed));
  PrintTable(result);
  std::printf("\nload average (1 min): start %.2f, queries %.2f, export %.2f, end %.2f\n",
              At(result, {"load_average_start"}), At(result, {"load_average_queries"}),
              At(result, {"load_average_export"}), At(result, {"load_average_end"}));
  if (!args.json.empty()) {
    std::ofstream(args.json) << boost::json::serialize(result) << "\n";
  }
  return 0;
}
