#include "statistics/stats_store.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/text.h"
#include "store/sql.h"

namespace gmg::stats {
namespace {

constexpr std::string_view kFlowColumns =
    "id, agency, flow_id, version, name, description, provider, structure, mapping, "
    "data_version, created_at, updated_at";

FlowRow FlowFrom(const Row& r) {
  return FlowRow{r.Int(0),  r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                 r.Text(6), r.Text(7), r.Text(8), r.Int(9),  r.Int(10), r.Int(11)};
}

constexpr std::string_view kReleaseColumns =
    "id, dataflow_id, number, provider, file_name, sha256, format, observations, changed, "
    "user_id, note, report, created_at";

ReleaseRow ReleaseFrom(const Row& r) {
  ReleaseRow out;
  out.id = r.Int(0);
  out.dataflow_id = r.Int(1);
  out.number = static_cast<int>(r.Int(2));
  out.provider = r.Text(3);
  out.file_name = r.Text(4);
  out.sha256 = r.Text(5);
  out.format = r.Text(6);
  out.observations = r.Int(7);
  out.changed = r.Int(8);
  out.user_id = r.Int(9);
  out.note = r.Text(10);
  out.report = r.Text(11);
  out.created_at = r.Int(12);
  return out;
}

// Version order: numeric parts as numbers ("1.10" after "1.9"), others as text.
bool VersionLess(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    auto cut = [](std::string_view& s) {
      size_t dot = s.find('.');
      std::string_view part = s.substr(0, dot);
      s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
      return part;
    };
    std::string_view pa = cut(a), pb = cut(b);
    bool na = !pa.empty() && std::all_of(pa.begin(), pa.end(), IsAsciiDigit);
    bool nb = !pb.empty() && std::all_of(pb.begin(), pb.end(), IsAsciiDigit);
    if (na && nb && pa.size() != pb.size()) return pa.size() < pb.size();
    if (pa != pb) return pa < pb;
  }
  return false;
}

// The status of a statement's result (its row count unused).
Status Done(const Result<int64_t>& r) {
  if (!r.ok()) return r.error();
  return Ok();
}

}  // namespace

Result<std::optional<FlowVersion>> FindFlowVersion(Tx& tx, std::string_view agency,
                                                   std::string_view flow_id,
                                                   std::string_view version) {
  std::optional<FlowVersion> best;
  std::string best_version;
  const bool exact = !version.empty() && version != "latest";
  GMG_RETURN_IF_ERROR(tx.QueryEach(
      "SELECT id, data_version, version FROM stats_dataflows WHERE agency = ? AND flow_id = ?",
      {std::string(agency), std::string(flow_id)}, [&](const RowView& r) -> Status {
        const std::string_view v = r.Text(2);
        if (exact ? v == version : (!best || VersionLess(best_version, std::string(v)))) {
          best = FlowVersion{r.Int(0), r.Int(1)};
          best_version = std::string(v);
        }
        return Ok();
      }));
  return best;
}

Result<std::optional<FlowRow>> FindFlow(Tx& tx, std::string_view agency, std::string_view flow_id,
                                        std::string_view version) {
  if (!version.empty() && version != "latest") {
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne(std::string("SELECT ") + std::string(kFlowColumns) +
                                  " FROM stats_dataflows WHERE agency = ? AND "
                                  "flow_id = ? AND version = ?",
                              {std::string(agency), std::string(flow_id), std::string(version)}));
    if (!row) return std::optional<FlowRow>();
    return std::optional<FlowRow>(FlowFrom(*row));
  }
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + std::string(kFlowColumns) +
                                               " FROM stats_dataflows WHERE agency = ? AND "
                                               "flow_id = ?",
                                           {std::string(agency), std::string(flow_id)}));
  std::optional<FlowRow> best;
  for (const Row& r : rows) {
    FlowRow f = FlowFrom(r);
    if (!best || VersionLess(best->version, f.version)) best = std::move(f);
  }
  return best;
}

Result<std::vector<FlowRow>> ListFlowRows(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + std::string(kFlowColumns) +
                                           " FROM stats_dataflows ORDER BY agency, flow_id, "
                                           "version"));
  std::vector<FlowRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(FlowFrom(r));
  return out;
}

Result<int64_t> InsertFlow(Tx& tx, const FlowRow& f) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("INSERT INTO stats_dataflows (agency, flow_id, version, name, description, "
                  "provider, structure, mapping, data_version, created_at, updated_at) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
                  {f.agency, f.flow_id, f.version, f.name, f.description, f.provider, f.structure,
                   f.mapping, f.created_at, f.updated_at}));
  if (!row) return MakeError(ErrorCode::kInternal, "inserting a dataflow returned no id");
  return row->Int(0);
}

Status UpdateFlow(Tx& tx, const FlowRow& f) {
  return Done(
      tx.Exec("UPDATE stats_dataflows SET name = ?, description = ?, structure = ?, mapping = ?, "
              "updated_at = ? WHERE id = ?",
              {f.name, f.description, f.structure, f.mapping, f.updated_at, f.id}));
}

Status DeleteFlowRows(Tx& tx, int64_t dataflow_id) {
  GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM stats_series WHERE dataflow_id = ?", {dataflow_id}));
  GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM stats_releases WHERE dataflow_id = ?", {dataflow_id}));
  return Done(tx.Exec("DELETE FROM stats_dataflows WHERE id = ?", {dataflow_id}));
}

Result<std::vector<ReleaseRow>> ListReleases(Tx& tx, int64_t dataflow_id) {
  GMG_ASSIGN_OR_RETURN(auto rows,
                       tx.Query(std::string("SELECT ") + std::string(kReleaseColumns) +
                                    " FROM stats_releases WHERE dataflow_id = ? ORDER BY number "
                                    "DESC",
                                {dataflow_id}));
  std::vector<ReleaseRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ReleaseFrom(r));
  return out;
}

Result<std::vector<ReleaseRow>> LatestReleases(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(std::string("SELECT ") + std::string(kReleaseColumns) +
               " FROM stats_releases r WHERE number = (SELECT max(number) FROM stats_releases m "
               "WHERE m.dataflow_id = r.dataflow_id)"));
  std::vector<ReleaseRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(ReleaseFrom(r));
  return out;
}

Result<int64_t> InsertRelease(Tx& tx, const ReleaseRow& r) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne("INSERT INTO stats_releases (dataflow_id, number, provider, file_name, sha256, "
                  "format, observations, changed, user_id, note, report, created_at) VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  {r.dataflow_id, int64_t{r.number}, r.provider, r.file_name, r.sha256, r.format,
                   r.observations, r.changed, r.user_id ? SqlValue(r.user_id) : SqlValue(nullptr),
                   r.note, r.report, r.created_at}));
  if (!row) return MakeError(ErrorCode::kInternal, "inserting a release returned no id");
  return row->Int(0);
}

Status BumpDataVersion(Tx& tx, int64_t dataflow_id, int64_t now) {
  return Done(
      tx.Exec("UPDATE stats_dataflows SET data_version = data_version + 1, updated_at = ? "
              "WHERE id = ?",
              {now, dataflow_id}));
}

Status ForEachSeries(Tx& tx, int64_t dataflow_id, int number,
                     const std::function<Status(std::string_view key, int valid_from,
                                                std::string_view data, int64_t observations)>& fn) {
  auto each = [&fn](const RowView& r) {
    return fn(r.Text(0), static_cast<int>(r.Int(1)), r.Text(2), r.Int(3));
  };
  if (number == 0) {
    return tx.QueryEach(
        "SELECT series_key, valid_from, data, observations FROM stats_series "
        "WHERE dataflow_id = ? AND valid_to IS NULL",
        {dataflow_id}, each);
  }
  return tx.QueryEach(
      "SELECT series_key, valid_from, data, observations FROM stats_series "
      "WHERE dataflow_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
      {dataflow_id, int64_t{number}, int64_t{number}}, each);
}

Status CloseSeries(Tx& tx, int64_t dataflow_id, const std::vector<std::string>& keys, int number) {
  constexpr size_t kChunk = 5000;
  const std::string sql =
      "UPDATE stats_series SET valid_to = ? WHERE dataflow_id = ? AND valid_to IS NULL AND "
      "series_key" +
      std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kTexts));
  for (size_t begin = 0; begin < keys.size(); begin += kChunk) {
    boost::json::array list;
    size_t end = std::min(keys.size(), begin + kChunk);
    list.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) list.emplace_back(keys[i]);
    GMG_RETURN_IF_ERROR(tx.Exec(sql, {int64_t{number}, dataflow_id, boost::json::serialize(list)}));
  }
  return Ok();
}

Status InsertSeries(Tx& tx, int64_t dataflow_id, int number, const std::vector<SeriesRow>& rows) {
  // Blobs go as text parameters: SQLite keeps the bytes (CAST AS BLOB), PostgreSQL receives
  // them as hex (decode). 100 rows a statement: a round trip per 100 on PostgreSQL.
  constexpr size_t kPerStatement = 100;
  const bool postgres = tx.Dialect() == Dialect::kPostgres;
  const std::string one =
      std::string("(?, ?, ?, ") + (postgres ? "decode(?, 'hex')" : "CAST(? AS BLOB)") + ", ?)";
  for (size_t begin = 0; begin < rows.size(); begin += kPerStatement) {
    size_t end = std::min(rows.size(), begin + kPerStatement);
    std::string sql =
        "INSERT INTO stats_series (dataflow_id, series_key, valid_from, data, observations) "
        "VALUES ";
    SqlParams params;
    params.reserve((end - begin) * 5);
    for (size_t i = begin; i < end; ++i) {
      if (i > begin) sql += ", ";
      sql += one;
      params.emplace_back(dataflow_id);
      params.emplace_back(rows[i].key);
      params.emplace_back(int64_t{number});
      params.emplace_back(postgres ? HexOf(rows[i].data) : rows[i].data);
      params.emplace_back(rows[i].observations);
    }
    GMG_RETURN_IF_ERROR(tx.Exec(sql, params));
  }
  return Ok();
}

}  // namespace gmg::stats
