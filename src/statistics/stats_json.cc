#include "statistics/stats_json.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <vector>

#include "core/date.h"
#include "statistics/structure_json.h"

namespace gmg {
namespace {

boost::json::value TimeOrNull(int64_t unix_seconds) {
  if (unix_seconds <= 0) return nullptr;
  return boost::json::value(FormatTimestamp(unix_seconds));
}

// Calls f(observation index) for each observation an item of a selection keeps.
template <typename F>
void ForEachKept(const stats::Selection::Item& item, F&& f) {
  if (item.only.empty()) {
    for (uint32_t i = item.begin; i < item.end; ++i) f(i);
  } else {
    for (uint32_t i : item.only) f(i);
  }
}

void AppendString(std::string& out, std::string_view s) {
  out += boost::json::serialize(boost::json::string_view(s.data(), s.size()));
}

void AppendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

const sdmx::Codelist* CodelistOf(const stats::FlowData& data, size_t dimension) {
  const sdmx::DataStructure& s = data.flow.structure;
  return s.FindCodelist(s.dimensions[dimension].codelist);
}

std::string_view CodeId(const sdmx::Codelist* cl, uint32_t index) {
  if (cl == nullptr || index >= cl->codes.size()) return {};
  return cl->codes[index].id;
}
std::string_view CodeName(const sdmx::Codelist* cl, uint32_t index) {
  if (cl == nullptr || index >= cl->codes.size()) return {};
  return cl->codes[index].name;
}

// Which periods the selection holds, and each one's column in the answer (-1 = none).
std::vector<int32_t> PeriodColumns(const stats::FlowData& data, const stats::Selection& sel,
                                   size_t* count) {
  std::vector<int32_t> column(data.periods.size(), -1);
  for (const auto& item : sel.items) {
    const auto& series = data.series[item.series];
    ForEachKept(item, [&](uint32_t i) { column[series.period_index[i]] = 0; });
  }
  int32_t next = 0;
  for (int32_t& c : column) {
    if (c == 0) c = next++;
  }
  *count = static_cast<size_t>(next);
  return column;
}

void AppendDimensions(std::string& out, const stats::FlowData& data, const stats::Selection& sel) {
  const sdmx::DataStructure& s = data.flow.structure;
  out += "\"dimensions\":[";
  for (size_t d = 0; d < s.dimensions.size(); ++d) {
    const sdmx::Codelist* cl = CodelistOf(data, d);
    std::vector<bool> used(cl ? cl->codes.size() : 0, false);
    for (const auto& item : sel.items) {
      uint32_t code = data.series[item.series].key[d];
      if (code < used.size()) used[code] = true;
    }
    if (d > 0) out += ',';
    out += "{\"id\":";
    AppendString(out, s.dimensions[d].id);
    out += ",\"name\":";
    AppendString(out, s.dimensions[d].name);
    out += ",\"values\":[";
    bool first = true;
    for (uint32_t c = 0; c < used.size(); ++c) {
      if (!used[c]) continue;
      if (!first) out += ',';
      first = false;
      out += "{\"id\":";
      AppendString(out, CodeId(cl, c));
      out += ",\"name\":";
      AppendString(out, CodeName(cl, c));
      out += '}';
    }
    out += "]}";
  }
  out += ']';
}

void AppendSeries(std::string& out, const stats::FlowData& data, const stats::Selection& sel,
                  const std::vector<int32_t>& column, size_t periods) {
  const size_t dims = data.flow.structure.dimensions.size();
  std::vector<const sdmx::Codelist*> codelists;
  for (size_t d = 0; d < dims; ++d) codelists.push_back(CodelistOf(data, d));
  std::vector<double> row(periods);
  out += "\"series\":[";
  for (size_t k = 0; k < sel.items.size(); ++k) {
    const auto& item = sel.items[k];
    const auto& series = data.series[item.series];
    if (k > 0) out += ',';
    out += "{\"key\":[";
    for (size_t d = 0; d < dims; ++d) {
      if (d > 0) out += ',';
      AppendString(out, CodeId(codelists[d], series.key[d]));
    }
    out += "],\"names\":[";
    for (size_t d = 0; d < dims; ++d) {
      if (d > 0) out += ',';
      AppendString(out, CodeName(codelists[d], series.key[d]));
    }
    out += "],\"derived\":";
    out += series.derived ? "true" : "false";
    out += ",\"values\":[";
    std::fill(row.begin(), row.end(), NAN);
    ForEachKept(item, [&](uint32_t i) {
      row[static_cast<size_t>(column[series.period_index[i]])] = series.values[i];
    });
    for (size_t p = 0; p < periods; ++p) {
      if (p > 0) out += ',';
      AppendNumber(out, row[p]);
    }
    out += "]}";
  }
  out += ']';
}

}  // namespace

boost::json::object StatsReleaseJson(const StatsRelease& r) {
  return {{"number", r.number},
          {"status", r.status},
          {"provider", r.provider},
          {"file_name", r.file_name},
          {"sha256", r.sha256},
          {"format", r.format},
          {"observations", r.observations},
          {"changed", r.changed},
          {"user_name", r.user_name},
          {"created_at", FormatTimestamp(r.created_at)},
          {"note", r.note}};
}

boost::json::object StatsFlowSummaryJson(const StatsFlowSummary& s) {
  boost::json::object o{{"agency", s.agency},
                        {"id", s.id},
                        {"version", s.version},
                        {"name", s.name},
                        {"description", s.description},
                        {"provider", s.provider},
                        {"series", s.series},
                        {"observations", s.observations},
                        {"first_period", s.first_period},
                        {"last_period", s.last_period},
                        {"updated_at", TimeOrNull(s.updated_at)}};
  o["current"] = s.current ? boost::json::value(StatsReleaseJson(*s.current)) : nullptr;
  return o;
}

boost::json::object StatsFlowJson(const StatsFlow& f) {
  boost::json::object o = StatsFlowSummaryJson(f.summary);
  o["structure"] = stats::StructureToJson(f.flow.structure);
  o["mapping"] = f.mapping ? stats::MappingToJson(*f.mapping) : boost::json::value(nullptr);
  boost::json::array releases;
  for (const auto& r : f.releases) releases.push_back(StatsReleaseJson(r));
  o["releases"] = std::move(releases);
  return o;
}

boost::json::object StatsInferenceJson(const stats::Inference& i) {
  boost::json::array notes;
  for (const auto& n : i.notes) {
    notes.push_back({{"column", n.column}, {"rule", n.rule}, {"message", n.message}});
  }
  return {{"structure", stats::StructureToJson(i.structure)},
          {"mapping", stats::MappingToJson(i.mapping)},
          {"notes", std::move(notes)},
          {"preview_observations", i.preview_observations}};
}

boost::json::object StatsImportReportJson(const StatsImportReport& r) {
  boost::json::array problems;
  for (const auto& p : r.problems) {
    problems.push_back(
        {{"line", p.line}, {"column", p.column}, {"rule", p.rule}, {"message", p.message}});
  }
  boost::json::array ignored;
  for (const auto& c : r.ignored_columns) ignored.emplace_back(c);
  boost::json::object o{{"format", r.format},
                        {"applied", r.applied},
                        {"rows", r.rows},
                        {"observations", r.observations},
                        {"added", r.added},
                        {"replaced", r.replaced},
                        {"deleted", r.deleted},
                        {"unchanged", r.unchanged},
                        {"series", r.series},
                        {"problems", std::move(problems)},
                        {"problem_count", r.problem_count},
                        {"ignored_columns", std::move(ignored)}};
  o["inference"] =
      r.inference ? boost::json::value(StatsInferenceJson(*r.inference)) : boost::json::value();
  o["release"] = r.release ? boost::json::value(StatsReleaseJson(*r.release)) : nullptr;
  return o;
}

int64_t StatsChartCells(const stats::FlowData& data, const stats::Selection& selection) {
  size_t periods = 0;
  (void)PeriodColumns(data, selection, &periods);
  return static_cast<int64_t>(periods) * static_cast<int64_t>(selection.items.size());
}

std::string StatsChartDataJson(const stats::FlowData& data, const stats::Selection& selection) {
  size_t periods = 0;
  std::vector<int32_t> column = PeriodColumns(data, selection, &periods);
  std::string out = "{\"periods\":[";
  bool first = true;
  for (size_t p = 0; p < data.periods.size(); ++p) {
    if (column[p] < 0) continue;
    if (!first) out += ',';
    first = false;
    AppendString(out, data.periods[p]);
  }
  out += "],";
  AppendDimensions(out, data, selection);
  out += ',';
  AppendSeries(out, data, selection, column, periods);
  out += ",\"observations\":" + std::to_string(selection.observations) + "}";
  return out;
}

}  // namespace gmg
