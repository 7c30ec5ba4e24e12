#include "statistics/stats_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <future>
#include <map>
#include <numeric>
#include <unordered_set>

#include "audit/audit_log.h"
#include "auth/crypto.h"
#include "core/access_policy.h"
#include "core/date.h"
#include "governance/organization_directory.h"
#include "interop/sdmx_read.h"
#include "statistics/series_codec.h"
#include "statistics/stats_service_import.h"
#include "statistics/stats_store.h"
#include "statistics/structure_json.h"

namespace gmg {
namespace {

using stats::FlowRow;
using stats::ReleaseRow;
using stats::UploadData;

std::string FlowLabel(const std::string& agency, const std::string& id,
                      const std::string& version) {
  return agency + ":" + id + "(" + version + ")";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Error NoSuchFlow(const StatsFlowRef& ref) {
  return MakeError(
      ErrorCode::kNotFound,
      "no dataflow " + ref.agency + ":" + ref.id +
          (ref.version.empty() || ref.version == "latest" ? "" : "(" + ref.version + ")"));
}

std::string FormatName(sdmx::InputFormat format) {
  switch (format) {
    case sdmx::InputFormat::kSdmxCsv10:
      return "sdmx-csv-1.0";
    case sdmx::InputFormat::kSdmxCsv20:
      return "sdmx-csv-2.0";
    case sdmx::InputFormat::kSdmxMl21:
      return "sdmx-ml-2.1";
    case sdmx::InputFormat::kPlainCsv:
      return "csv";
    default:
      return "unknown";
  }
}

boost::json::object ParseObject(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

int64_t IntField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}

std::string TextField(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

StatsRelease ToRelease(const ReleaseRow& r, bool current, const StatsService::Options& options) {
  StatsRelease out;
  out.id = r.id;
  out.number = r.number;
  out.status = current ? "current" : "superseded";
  out.provider = r.provider;
  out.file_name = r.file_name;
  out.sha256 = r.sha256;
  out.format = r.format;
  out.observations = r.observations;
  out.changed = r.changed;
  out.user_id = r.user_id;
  if (r.user_id && options.user_name) out.user_name = options.user_name(r.user_id);
  out.created_at = r.created_at;
  out.note = r.note;
  return out;
}

StatsFlowSummary SummaryOf(const FlowRow& f, const ReleaseRow* latest,
                           const StatsService::Options& options) {
  StatsFlowSummary s;
  s.agency = f.agency;
  s.id = f.flow_id;
  s.version = f.version;
  s.name = f.name;
  s.description = f.description;
  s.provider = f.provider;
  s.updated_at = f.updated_at;
  if (latest) {
    boost::json::object report = ParseObject(latest->report);
    s.series = IntField(report, "series");
    s.observations = latest->observations;
    s.first_period = TextField(report, "first_period");
    s.last_period = TextField(report, "last_period");
    s.current = ToRelease(*latest, true, options);
  }
  return s;
}

// The structure dimension codes of a stored key ("BF.ML.T"), as indices; false when a code is
// not in the structure.
bool SplitKey(std::string_view key, const std::vector<stats::TextIndex>& codes,
              std::vector<uint32_t>* out) {
  out->clear();
  size_t d = 0;
  while (d < codes.size()) {
    size_t dot = key.find('.');
    std::string_view code = key.substr(0, dot);
    auto it = codes[d].find(code);
    if (it == codes[d].end()) return false;
    out->push_back(it->second);
    ++d;
    if (dot == std::string_view::npos) break;
    key.remove_prefix(dot + 1);
  }
  return d == codes.size() && out->size() == codes.size();
}

const sdmx::Codelist* CodelistOf(const sdmx::DataStructure& s, const std::string& id) {
  for (const auto& cl : s.codelists) {
    if (cl.id == id) return &cl;
  }
  return nullptr;
}

// The dataflow's data right after release `number` (0 = now), in memory (stats::FlowData).
Result<std::shared_ptr<const stats::FlowData>> BuildFlowData(Tx& tx, const FlowRow& row,
                                                             int number) {
  auto data = std::make_shared<stats::FlowData>();
  GMG_ASSIGN_OR_RETURN(auto structure, stats::StructureFromText(row.structure));
  data->flow = {row.agency, row.flow_id,     row.version,
                row.name,   row.description, std::move(structure)};
  data->dataflow_id = row.id;
  data->data_version = row.data_version;
  const sdmx::DataStructure& s = data->flow.structure;
  GMG_ASSIGN_OR_RETURN(auto releases, stats::ListReleases(tx, row.id));
  std::unordered_map<int, std::pair<int64_t, int64_t>> release_of;  // number → id, time
  for (const auto& r : releases) release_of[r.number] = {r.id, r.created_at};

  std::vector<stats::TextIndex> codes(s.dimensions.size());
  for (size_t d = 0; d < s.dimensions.size(); ++d) {
    const sdmx::Codelist* cl = CodelistOf(s, s.dimensions[d].codelist);
    if (!cl) continue;
    for (size_t i = 0; i < cl->codes.size(); ++i) {
      codes[d].emplace(cl->codes[i].id, static_cast<uint32_t>(i));
    }
  }
  stats::TextTable periods, texts;
  stats::Interner period = [&](std::string_view p) { return periods.Intern(p); };
  stats::Interner text = [&](std::string_view t) { return texts.Intern(t); };
  stats::SeriesOut decoded;
  GMG_RETURN_IF_ERROR(stats::ForEachSeries(
      tx, row.id, number,
      [&](std::string_view key, int valid_from, std::string_view blob, int64_t) -> Status {
        stats::FlowData::Series series;
        if (!SplitKey(key, codes, &series.key)) {
          return MakeError(ErrorCode::kInternal, "stored series " + std::string(key) + " of " +
                                                     row.agency + ":" + row.flow_id +
                                                     " has a code its structure lacks");
        }
        GMG_RETURN_IF_ERROR(stats::DecodeSeries(blob, period, text, &decoded));
        series.period_index = std::move(decoded.periods);
        series.values = std::move(decoded.values);
        series.attributes = std::move(decoded.attributes);
        auto it = release_of.find(valid_from);
        if (it != release_of.end()) {
          series.release_id = it->second.first;
          series.updated_at = it->second.second;
        }
        data->series.push_back(std::move(series));
        return Ok();
      }));

  // Periods in chronological (text) order; each series' observations are already in it.
  const auto& ptexts = periods.texts();
  std::vector<uint32_t> order(ptexts.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return ptexts[a] < ptexts[b]; });
  std::vector<uint32_t> rank(ptexts.size());
  for (uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  data->periods.reserve(order.size());
  for (uint32_t i : order) data->periods.push_back(ptexts[i]);

  // Attribute values: coded → 1 + code index; free text → 1 + index into free_texts.
  const size_t na = s.attributes.size();
  std::vector<std::vector<uint32_t>> attribute_value(na);  // per attribute: text → value
  stats::TextTable free_texts;
  auto value_of = [&](size_t a, uint32_t t) -> uint32_t {
    auto& cache = attribute_value[a];
    if (cache.size() <= t) cache.resize(texts.texts().size(), UINT32_MAX);
    if (cache[t] != UINT32_MAX) return cache[t];
    const std::string& v = texts.texts()[t];
    uint32_t out = 0;
    const sdmx::Codelist* cl = CodelistOf(s, s.attributes[a].codelist);
    if (cl) {
      for (size_t i = 0; i < cl->codes.size(); ++i) {
        if (cl->codes[i].id == v) out = static_cast<uint32_t>(i + 1);
      }
    }
    if (!cl || out == 0) out = 1 + free_texts.Intern(v);
    return cache[t] = out;
  };
  for (auto& series : data->series) {
    for (auto& p : series.period_index) p = rank[p];
    if (series.attributes.size() != series.values.size() * na)
      series.attributes.assign(series.values.size() * na, 0);
    for (size_t i = 0; i < series.attributes.size(); ++i) {
      if (series.attributes[i]) series.attributes[i] = value_of(i % na, series.attributes[i] - 1);
    }
  }
  data->free_texts = free_texts.texts();
  std::sort(data->series.begin(), data->series.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  return std::shared_ptr<const stats::FlowData>(std::move(data));
}

// ---- Import ------------------------------------------------------------------------------

struct OldSeries {
  int valid_from = 0;
  std::string data;
  int64_t observations = 0;
  bool seen = false;
};

// What a release changes, computed against the stored current series.
struct Changes {
  int64_t added = 0, replaced = 0, deleted = 0, unchanged = 0;
  int64_t series = 0, observations = 0;  // in the dataflow after the release
  std::string first_period, last_period;
  std::vector<std::string> closed;        // keys whose current version ends
  std::vector<stats::SeriesRow> inserts;  // new current versions
};

// A series being built: periods and attribute texts as UploadData's tables number them.
struct Work {
  std::vector<uint32_t> periods;
  std::vector<double> values;
  std::vector<uint32_t> attributes;
};

bool SameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

class ChangeBuilder {
 public:
  ChangeBuilder(UploadData& up, bool replace_all) : up_(up), replace_all_(replace_all) {}

  Status Load(Tx& tx, int64_t dataflow_id) {
    if (dataflow_id == 0) return Ok();
    return stats::ForEachSeries(
        tx, dataflow_id, 0,
        [&](std::string_view key, int valid_from, std::string_view data, int64_t n) -> Status {
          old_.emplace(std::string(key), OldSeries{valid_from, std::string(data), n, false});
          return Ok();
        });
  }

  Status Build(Changes* out) {
    out_ = out;
    for (auto& s : up_.series()) GMG_RETURN_IF_ERROR(One(s));
    for (auto& [key, old] : old_) {
      if (old.seen) continue;
      if (replace_all_) {
        out_->deleted += old.observations;
        out_->closed.push_back(key);
        continue;
      }
      Work w;
      GMG_RETURN_IF_ERROR(Decode(old.data, &w));
      Count(w);
      out_->unchanged += old.observations;
    }
    return Ok();
  }

 private:
  Status Decode(std::string_view blob, Work* w) {
    stats::SeriesOut o;
    GMG_RETURN_IF_ERROR(stats::DecodeSeries(
        blob, [&](std::string_view p) { return up_.periods().Intern(p); },
        [&](std::string_view t) { return up_.texts().Intern(t); }, &o));
    w->periods = std::move(o.periods);
    w->values = std::move(o.values);
    w->attributes = std::move(o.attributes);
    if (w->attributes.size() != w->values.size() * na()) {
      w->attributes.assign(w->values.size() * na(), 0);
    }
    return Ok();
  }

  size_t na() const { return up_.attribute_count(); }

  void Count(const Work& w) {
    if (w.periods.empty()) return;
    ++out_->series;
    out_->observations += static_cast<int64_t>(w.periods.size());
    const auto& texts = up_.periods().texts();
    const std::string& first = texts[w.periods.front()];
    const std::string& last = texts[w.periods.back()];
    if (out_->first_period.empty() || first < out_->first_period) out_->first_period = first;
    if (last > out_->last_period) out_->last_period = last;
  }

  bool PeriodLess(uint32_t a, uint32_t b) const {
    if (a == b) return false;
    const auto& texts = up_.periods().texts();
    return texts[a] < texts[b];
  }

  void Emit(Work& out, uint32_t period, double value, const uint32_t* attributes) const {
    out.periods.push_back(period);
    out.values.push_back(value);
    out.attributes.insert(out.attributes.end(), attributes, attributes + na());
  }

  // The series after the upload: the stored one (unless replaced) with the file's rows
  // applied in line order, by a merge of the two period-sorted lists.
  Work Apply(UploadData::Series& s, const Work& base) const {
    const size_t a = na();
    const size_t ns = s.periods.size();
    if (base.periods.empty() && s.actions.empty()) {  // a new or replaced series: as read
      return Work{std::move(s.periods), std::move(s.values), std::move(s.attributes)};
    }
    Work out;
    size_t i = 0, j = 0;
    const size_t nb = base.periods.size();
    auto is_delete = [&](size_t k) {
      return !s.actions.empty() && s.actions[k] == UploadData::kDelete;
    };
    // A whole-series delete (no period) sorts first: the stored observations go.
    while (j < ns && s.periods[j] == UploadData::kNoPeriod) {
      if (is_delete(j)) i = nb;
      ++j;
    }
    while (i < nb || j < ns) {
      if (j == ns || (i < nb && PeriodLess(base.periods[i], s.periods[j]))) {
        Emit(out, base.periods[i], base.values[i], base.attributes.data() + i * a);
        ++i;
        continue;
      }
      const uint32_t period = s.periods[j];
      // The state of this period: the stored observation if any, then each file row in turn.
      bool present = i < nb && base.periods[i] == period;
      double value = present ? base.values[i] : 0;
      const uint32_t* attributes = present ? base.attributes.data() + i * a : nullptr;
      if (present) ++i;
      for (; j < ns && s.periods[j] == period; ++j) {
        present = !is_delete(j);
        value = s.values[j];
        attributes = s.attributes.data() + j * a;
      }
      if (present) Emit(out, period, value, attributes);
    }
    return out;
  }

  std::string Encode(const Work& w) {
    return stats::EncodeSeries({w.periods, w.values, w.attributes, na()}, up_.periods().texts(),
                               up_.texts().texts());
  }

  // Counts observations added, replaced, deleted and unchanged between two versions (both
  // sorted by period).
  void Compare(const Work& before, const Work& after) {
    const size_t a = na();
    size_t i = 0, j = 0;
    while (i < before.periods.size() || j < after.periods.size()) {
      if (j == after.periods.size() ||
          (i < before.periods.size() && PeriodLess(before.periods[i], after.periods[j]))) {
        ++out_->deleted;
        ++i;
      } else if (i == before.periods.size() || PeriodLess(after.periods[j], before.periods[i])) {
        ++out_->added;
        ++j;
      } else {
        bool same =
            SameValue(before.values[i], after.values[j]) &&
            std::equal(before.attributes.data() + i * a, before.attributes.data() + (i + 1) * a,
                       after.attributes.data() + j * a);
        ++(same ? out_->unchanged : out_->replaced);
        ++i;
        ++j;
      }
    }
  }

  Status One(UploadData::Series& s) {
    std::string key = up_.KeyText(s.key);
    auto it = old_.find(key);
    OldSeries* old = it == old_.end() ? nullptr : &it->second;
    Work before;
    if (old) {
      old->seen = true;
      if (!replace_all_ && !s.replace) GMG_RETURN_IF_ERROR(Decode(old->data, &before));
    }
    Work after = Apply(s, before);
    // The file's copy is no longer needed: free it as we go.
    s = UploadData::Series{};
    std::string blob = after.periods.empty() ? std::string() : Encode(after);
    Count(after);
    if (old && blob == old->data) {
      out_->unchanged += static_cast<int64_t>(after.periods.size());
      return Ok();
    }
    if (old) {
      if (before.periods.empty() && old->observations > 0) {
        GMG_RETURN_IF_ERROR(Decode(old->data, &before));
      }
      Compare(before, after);
      out_->closed.push_back(key);
    } else {
      out_->added += static_cast<int64_t>(after.periods.size());
    }
    if (!after.periods.empty()) {
      out_->inserts.push_back(
          {std::move(key), 0, std::move(blob), static_cast<int64_t>(after.periods.size())});
    }
    return Ok();
  }

  UploadData& up_;
  bool replace_all_;
  std::unordered_map<std::string, OldSeries> old_;
  Changes* out_ = nullptr;
};

// A structure the stored one may become: the same dimensions (ids and order), every stored
// code kept. kConflict naming what changed.
Status CheckCompatible(const sdmx::DataStructure& stored, const sdmx::DataStructure& next) {
  auto ids = [](const sdmx::DataStructure& s) {
    std::string out;
    for (const auto& d : s.dimensions) out += d.id + ".";
    return out;
  };
  if (ids(stored) != ids(next)) {
    return MakeError(ErrorCode::kConflict,
                     "the dataflow holds data: its dimensions may not change (stored " +
                         ids(stored) + " given " + ids(next) + ")");
  }
  // Stored observations keep their attributes by position: once there are data the
  // attributes stay as they are (the history would lose or mislabel their values).
  auto attributes = [](const sdmx::DataStructure& s) {
    std::string out;
    for (const auto& a : s.attributes) out += a.id + ".";
    return out;
  };
  if (attributes(stored) != attributes(next)) {
    return MakeError(ErrorCode::kConflict,
                     "the dataflow holds data: its attributes may not change (stored " +
                         attributes(stored) + " given " + attributes(next) + ")");
  }
  for (size_t d = 0; d < stored.dimensions.size(); ++d) {
    const sdmx::Codelist* a = CodelistOf(stored, stored.dimensions[d].codelist);
    const sdmx::Codelist* b = CodelistOf(next, next.dimensions[d].codelist);
    if (!a) continue;
    std::unordered_set<std::string> have;
    if (b) {
      for (const auto& c : b->codes) have.insert(c.id);
    }
    for (const auto& c : a->codes) {
      if (!have.contains(c.id)) {
        return MakeError(ErrorCode::kConflict, "the dataflow holds data: code " + c.id + " of " +
                                                   stored.dimensions[d].id + " may not be removed");
      }
    }
  }
  return Ok();
}

// The stored structure with the codes of `inferred` it lacks added (same dimensions).
sdmx::DataStructure WithCodesOf(sdmx::DataStructure stored, const sdmx::DataStructure& inferred) {
  for (size_t d = 0; d < stored.dimensions.size() && d < inferred.dimensions.size(); ++d) {
    const sdmx::Codelist* from = CodelistOf(inferred, inferred.dimensions[d].codelist);
    sdmx::Codelist* to = nullptr;
    for (auto& cl : stored.codelists) {
      if (cl.id == stored.dimensions[d].codelist) to = &cl;
    }
    if (!from || !to) continue;
    std::unordered_set<std::string> have;
    for (const auto& c : to->codes) have.insert(c.id);
    for (const auto& c : from->codes) {
      if (have.insert(c.id).second) to->codes.push_back(c);
    }
  }
  return stored;
}

struct ImportPlan {
  std::optional<FlowRow> flow;  // stored, when it exists
  std::string provider;
  sdmx::InputFormat format = sdmx::InputFormat::kUnknown;
  sdmx::DataStructure structure;
  std::optional<stats::ColumnMapping> mapping;
  bool add_codes = false;
  bool save_structure = false;  // store structure and mapping with the release
};

// An SDMX message names its dataflow: it must be the one uploaded to (its last row's name, for
// SDMX-CSV; ids compared as written, a message without a name is taken as meant).
Status CheckNamedFlow(const sdmx::MessageInfo& info, const StatsFlowRef& flow) {
  if (info.id.empty()) return Ok();
  if (info.id == flow.id && (info.agency.empty() || info.agency == flow.agency)) return Ok();
  const std::string named = (info.agency.empty() ? "" : info.agency + ":") + info.id;
  return MakeError(ErrorCode::kInvalidArgument, "the file is for the dataflow " + named + ", not " +
                                                    flow.agency + ":" + flow.id);
}

}  // namespace

StatsService::StatsService(Database& db, Options options) : db_(db), options_(std::move(options)) {}

Result<std::vector<StatsFlowSummary>> StatsService::ListFlows() {
  std::vector<StatsFlowSummary> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto flows, stats::ListFlowRows(tx));
    GMG_ASSIGN_OR_RETURN(auto latest, stats::LatestReleases(tx));
    std::unordered_map<int64_t, const ReleaseRow*> by_flow;
    for (const auto& r : latest) by_flow[r.dataflow_id] = &r;
    for (const auto& f : flows) {
      auto it = by_flow.find(f.id);
      out.push_back(SummaryOf(f, it == by_flow.end() ? nullptr : it->second, options_));
    }
    return Ok();
  }));
  return out;
}

Result<StatsFlow> StatsService::GetFlow(const StatsFlowRef& ref) {
  StatsFlow out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, stats::FindFlow(tx, ref.agency, ref.id, ref.version));
    if (!row) return NoSuchFlow(ref);
    GMG_ASSIGN_OR_RETURN(auto releases, stats::ListReleases(tx, row->id));
    out.summary = SummaryOf(*row, releases.empty() ? nullptr : &releases.front(), options_);
    GMG_ASSIGN_OR_RETURN(auto structure, stats::StructureFromText(row->structure));
    out.flow = {row->agency, row->flow_id,     row->version,
                row->name,   row->description, std::move(structure)};
    if (!row->mapping.empty()) {
      GMG_ASSIGN_OR_RETURN(out.mapping, stats::MappingFromText(row->mapping));
    }
    for (size_t i = 0; i < releases.size(); ++i) {
      out.releases.push_back(ToRelease(releases[i], i == 0, options_));
    }
    return Ok();
  }));
  return out;
}

namespace {

// Who provides a dataflow of `agency`: the organisation whose id is the agency in lower case.
Result<std::string> ProviderOf(Tx& tx, const std::string& agency) {
  std::string provider = Lower(agency);
  GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, provider));
  if (!exists) {
    return FieldError(ErrorCode::kFailedPrecondition, "agency",
                      "no organisation '" + provider + "' for the agency " + agency,
                      "unknown_agency");
  }
  return provider;
}

Status CheckRef(const StatsFlowRef& ref) {
  if (!stats::IsSdmxId(ref.agency)) {
    return FieldError(ErrorCode::kInvalidArgument, "agency", "not an SDMX id", "invalid");
  }
  if (!stats::IsSdmxId(ref.id)) {
    return FieldError(ErrorCode::kInvalidArgument, "id", "not an SDMX id", "invalid");
  }
  return Ok();
}

}  // namespace

Result<StatsImportReport> StatsService::Import(const Principal& who,
                                               const StatsImportRequest& request) {
  GMG_RETURN_IF_ERROR(CheckRef(request.flow));
  if (static_cast<int64_t>(request.data.size()) > options_.max_upload_bytes) {
    return MakeError(ErrorCode::kPayloadTooLarge,
                     "the file has " + std::to_string(request.data.size()) + " bytes; at most " +
                         std::to_string(options_.max_upload_bytes));
  }
  // Who may, and what the dataflow is now.
  ImportPlan plan;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        plan.flow, stats::FindFlow(tx, request.flow.agency, request.flow.id, request.flow.version));
    if (plan.flow) {
      plan.provider = plan.flow->provider;
    } else {
      GMG_ASSIGN_OR_RETURN(plan.provider, ProviderOf(tx, request.flow.agency));
    }
    return Ok();
  }));
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckMayProvideData(
      who, plan.provider, "upload data to " + request.flow.agency + "'s dataflows"));
  // The hash of the bytes, beside the reading.
  auto sha = std::async(std::launch::async, [data = request.data] { return Sha256Hex(data); });

  StatsImportReport report;
  plan.format = sdmx::DetectFormat(request.data);
  report.format = FormatName(plan.format);
  if (plan.format == sdmx::InputFormat::kNotCsv || plan.format == sdmx::InputFormat::kUnknown) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a CSV or SDMX file (SDMX-CSV 1.0/2.0, SDMX-ML 2.1 or plain CSV)");
  }
  std::optional<sdmx::DataStructure> stored;
  if (plan.flow) {
    GMG_ASSIGN_OR_RETURN(stored, stats::StructureFromText(plan.flow->structure));
  }
  if (plan.format == sdmx::InputFormat::kPlainCsv) {
    if (request.mapping && request.structure) {
      plan.structure = *request.structure;
      plan.mapping = *request.mapping;
      plan.save_structure = true;
    } else if (request.infer) {
      GMG_ASSIGN_OR_RETURN(auto inference, stats::InferStructure(request.data, request.flow.agency,
                                                                 request.flow.id));
      plan.mapping = inference.mapping;
      plan.structure = inference.structure;
      if (stored) plan.structure = WithCodesOf(*stored, inference.structure);
      plan.save_structure = true;
      report.inference = std::move(inference);
    } else if (plan.flow && !plan.flow->mapping.empty()) {
      plan.structure = *stored;
      GMG_ASSIGN_OR_RETURN(plan.mapping, stats::MappingFromText(plan.flow->mapping));
    } else {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "a plain CSV needs a column mapping: infer one (--infer, infer=1) or save "
                       "the dataflow's structure and mapping first");
    }
  } else if (stored) {
    plan.structure = *stored;
  } else if (request.structure) {
    plan.structure = *request.structure;
    plan.save_structure = true;
  } else if (plan.format == sdmx::InputFormat::kSdmxMl21) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "an SDMX-ML upload to a new dataflow needs its structure first");
  } else {
    GMG_ASSIGN_OR_RETURN(plan.structure, stats::StructureFromSdmxCsvHeader(
                                             request.data, request.flow.agency, request.flow.id));
    plan.add_codes = true;
    plan.save_structure = true;
  }
  GMG_RETURN_IF_ERROR(stats::ClaimStructure(&plan.structure, request.flow.agency));
  if (!plan.add_codes) GMG_RETURN_IF_ERROR(stats::ValidateStructure(plan.structure));
  if (plan.mapping) GMG_RETURN_IF_ERROR(stats::MappingFitsStructure(*plan.mapping, plan.structure));
  if (stored && plan.save_structure && plan.flow->data_version > 0) {
    GMG_RETURN_IF_ERROR(CheckCompatible(*stored, plan.structure));
  }

  // Read every observation, grouped per series.
  UploadData up(&plan.structure, plan.add_codes, static_cast<size_t>(options_.max_problems));
  int64_t last_line = -1;
  sdmx::ObservationSink sink = [&](const sdmx::ObservationView& obs) {
    if (obs.line != last_line) {
      ++report.rows;
      last_line = obs.line;
    }
    return up.Add(obs);
  };
  if (plan.format == sdmx::InputFormat::kPlainCsv) {
    std::vector<stats::Problem> problems;
    int64_t count = 0;
    GMG_RETURN_IF_ERROR(stats::ApplyMapping(request.data, *plan.mapping, plan.structure, sink,
                                            &problems, &count,
                                            static_cast<size_t>(options_.max_problems)));
    for (auto& p : problems) up.AddProblem(std::move(p));
    up.CountMoreProblems(count - static_cast<int64_t>(problems.size()));
    for (size_t c = 0; c < plan.mapping->roles.size() && c < plan.mapping->columns.size(); ++c) {
      if (plan.mapping->roles[c].kind == stats::ColumnRole::Kind::kIgnored) {
        report.ignored_columns.push_back(plan.mapping->columns[c]);
      }
    }
  } else if (plan.format == sdmx::InputFormat::kSdmxMl21) {
    auto read = sdmx::ReadSdmxMl(request.data, plan.structure, sink);
    if (!read.ok()) return read.error();
    GMG_RETURN_IF_ERROR(CheckNamedFlow(*read, request.flow));
  } else {
    auto read = sdmx::ReadSdmxCsv(request.data, plan.structure, sink, &report.ignored_columns);
    if (!read.ok()) return read.error();
    GMG_RETURN_IF_ERROR(CheckNamedFlow(*read, request.flow));
  }
  up.Finish();
  report.observations = up.observations();
  report.series = static_cast<int64_t>(up.series().size());
  report.problems = up.problems();
  std::stable_sort(
      report.problems.begin(), report.problems.end(),
      [](const stats::Problem& a, const stats::Problem& b) { return a.line < b.line; });
  report.problem_count = up.problem_count();
  if (plan.add_codes) GMG_RETURN_IF_ERROR(stats::ValidateStructure(plan.structure));
  if (report.problem_count > 0) return report;

  const bool replace_all = request.replace && !up.explicit_actions();
  const int64_t now = UnixNow();
  const std::string label =
      FlowLabel(request.flow.agency, request.flow.id,
                plan.flow ? plan.flow->version
                          : (request.flow.version.empty() || request.flow.version == "latest"
                                 ? "1.0"
                                 : request.flow.version));
  auto compute = [&](Tx& tx, int64_t dataflow_id, Changes* changes) -> Status {
    ChangeBuilder builder(up, replace_all);
    GMG_RETURN_IF_ERROR(builder.Load(tx, dataflow_id));
    return builder.Build(changes);
  };
  auto fill = [&report](const Changes& c) {
    report.added = c.added;
    report.replaced = c.replaced;
    report.deleted = c.deleted;
    report.unchanged = c.unchanged;
  };
  if (request.dry_run) {
    Changes changes;
    GMG_RETURN_IF_ERROR(
        db_.Read([&](Tx& tx) { return compute(tx, plan.flow ? plan.flow->id : 0, &changes); }));
    fill(changes);
    return report;
  }
  std::string sha256 = sha.get();
  StatsRelease release;
  int64_t written_flow = 0;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto current, stats::FindFlow(tx, request.flow.agency, request.flow.id,
                                                       request.flow.version));
    if (current.has_value() != plan.flow.has_value() ||
        (current && current->structure != plan.flow->structure)) {
      return MakeError(ErrorCode::kConflict,
                       "the dataflow changed during the upload; upload again");
    }
    FlowRow row;
    if (current) {
      row = *current;
    } else {
      row.agency = request.flow.agency;
      row.flow_id = request.flow.id;
      row.version = request.flow.version.empty() || request.flow.version == "latest"
                        ? "1.0"
                        : request.flow.version;
      row.name = request.name.empty() ? request.flow.id : request.name;
      row.description = request.description;
      row.provider = plan.provider;
      row.created_at = now;
    }
    row.updated_at = now;
    if (plan.save_structure || !current) {
      row.structure = stats::StructureToText(plan.structure);
      if (plan.mapping) row.mapping = stats::MappingToText(*plan.mapping);
    }
    if (current) {
      GMG_RETURN_IF_ERROR(stats::UpdateFlow(tx, row));
    } else {
      GMG_ASSIGN_OR_RETURN(row.id, stats::InsertFlow(tx, row));
    }
    written_flow = row.id;
    Changes changes;
    GMG_RETURN_IF_ERROR(compute(tx, current ? current->id : 0, &changes));
    fill(changes);
    GMG_ASSIGN_OR_RETURN(auto last, tx.QueryOne("SELECT coalesce(max(number), 0) FROM "
                                                "stats_releases WHERE dataflow_id = ?",
                                                {row.id}));
    const int number = static_cast<int>(last->Int(0)) + 1;
    GMG_RETURN_IF_ERROR(stats::CloseSeries(tx, row.id, changes.closed, number));
    GMG_RETURN_IF_ERROR(stats::InsertSeries(tx, row.id, number, changes.inserts));
    ReleaseRow r;
    r.dataflow_id = row.id;
    r.number = number;
    r.provider = plan.provider;
    r.file_name = request.file_name;
    r.sha256 = sha256;
    r.format = report.format;
    r.observations = changes.observations;
    r.changed = changes.added + changes.replaced + changes.deleted;
    r.user_id = who.user_id;
    r.note = request.note;
    r.created_at = now;
    boost::json::object summary{{"rows", report.rows},
                                {"observations_read", report.observations},
                                {"added", changes.added},
                                {"replaced", changes.replaced},
                                {"deleted", changes.deleted},
                                {"unchanged", changes.unchanged},
                                {"series", changes.series},
                                {"first_period", changes.first_period},
                                {"last_period", changes.last_period}};
    r.report = boost::json::serialize(summary);
    GMG_ASSIGN_OR_RETURN(r.id, stats::InsertRelease(tx, r));
    GMG_RETURN_IF_ERROR(stats::BumpDataVersion(tx, row.id, now));
    summary["number"] = number;
    summary["file_name"] = r.file_name;
    summary["sha256"] = r.sha256;
    summary["format"] = r.format;
    summary["observations"] = r.observations;
    GMG_RETURN_IF_ERROR(RecordAudit(tx, who, "import", "stats_dataflow", label, nullptr, summary));
    release = ToRelease(r, true, options_);
    return Ok();
  }));
  {
    std::lock_guard lock(cache_mutex_);
    cache_.erase(written_flow);
  }
  report.applied = true;
  report.release = std::move(release);
  return report;
}

Result<StatsFlow> StatsService::SaveFlow(const Principal& who, const StatsFlowRef& ref,
                                         const std::string& name, const std::string& description,
                                         const sdmx::DataStructure& structure,
                                         const std::optional<stats::ColumnMapping>& mapping) {
  GMG_RETURN_IF_ERROR(CheckRef(ref));
  if (name.size() > 500) {
    return FieldError(ErrorCode::kInvalidArgument, "name", "at most 500 characters", "too_long");
  }
  if (description.size() > 20000) {
    return FieldError(ErrorCode::kInvalidArgument, "description", "at most 20,000 characters",
                      "too_long");
  }
  sdmx::DataStructure s = structure;
  GMG_RETURN_IF_ERROR(stats::ClaimStructure(&s, ref.agency));
  GMG_RETURN_IF_ERROR(stats::ValidateStructure(s));
  if (mapping) GMG_RETURN_IF_ERROR(stats::MappingFitsStructure(*mapping, s));
  const int64_t now = UnixNow();
  int64_t flow_id = 0;
  StatsFlowRef saved = ref;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto current, stats::FindFlow(tx, ref.agency, ref.id, ref.version));
    FlowRow row;
    if (current) {
      row = *current;
    } else {
      GMG_ASSIGN_OR_RETURN(row.provider, ProviderOf(tx, ref.agency));
      row.agency = ref.agency;
      row.flow_id = ref.id;
      row.version = ref.version.empty() || ref.version == "latest" ? "1.0" : ref.version;
      row.created_at = now;
    }
    GMG_RETURN_IF_ERROR(AccessPolicy::CheckMayProvideData(who, row.provider,
                                                          "edit " + ref.agency + "'s dataflows"));
    boost::json::value before = nullptr;
    if (current) {
      before = boost::json::object{{"name", current->name},
                                   {"description", current->description},
                                   {"structure", ParseObject(current->structure)}};
      GMG_ASSIGN_OR_RETURN(auto stored, stats::StructureFromText(current->structure));
      if (current->data_version > 0) GMG_RETURN_IF_ERROR(CheckCompatible(stored, s));
    }
    row.name = name.empty() ? ref.id : name;
    row.description = description;
    row.structure = stats::StructureToText(s);
    row.mapping = mapping ? stats::MappingToText(*mapping) : std::string();
    row.updated_at = now;
    if (current) {
      GMG_RETURN_IF_ERROR(stats::UpdateFlow(tx, row));
    } else {
      GMG_ASSIGN_OR_RETURN(row.id, stats::InsertFlow(tx, row));
    }
    flow_id = row.id;
    saved.version = row.version;
    boost::json::object after{{"name", row.name},
                              {"description", row.description},
                              {"structure", stats::StructureToJson(s)}};
    return RecordAudit(tx, who, current ? "update" : "create", "stats_dataflow",
                       FlowLabel(row.agency, row.flow_id, row.version), before, after);
  }));
  {
    std::lock_guard lock(cache_mutex_);
    cache_.erase(flow_id);
  }
  return GetFlow(saved);
}

Status StatsService::DeleteFlow(const Principal& who, const StatsFlowRef& ref) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(who, "delete dataflows"));
  int64_t flow_id = 0;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto current, stats::FindFlow(tx, ref.agency, ref.id, ref.version));
    if (!current) return NoSuchFlow(ref);
    flow_id = current->id;
    GMG_RETURN_IF_ERROR(stats::DeleteFlowRows(tx, current->id));
    boost::json::object before{{"name", current->name},
                               {"provider", current->provider},
                               {"data_version", current->data_version}};
    return RecordAudit(tx, who, "delete", "stats_dataflow",
                       FlowLabel(current->agency, current->flow_id, current->version), before,
                       nullptr);
  }));
  std::lock_guard lock(cache_mutex_);
  cache_.erase(flow_id);
  return Ok();
}

Result<std::shared_ptr<const stats::FlowData>> StatsService::Current(const StatsFlowRef& ref) {
  std::shared_ptr<const stats::FlowData> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    // The cheap check first: the id and data version only, not the structure's JSON.
    GMG_ASSIGN_OR_RETURN(auto stored, stats::FindFlowVersion(tx, ref.agency, ref.id, ref.version));
    if (!stored) return NoSuchFlow(ref);
    {
      std::lock_guard lock(cache_mutex_);
      auto it = cache_.find(stored->id);
      if (it != cache_.end() && it->second->data_version == stored->data_version) {
        out = it->second;
      }
    }
    if (out) return Ok();
    GMG_ASSIGN_OR_RETURN(auto row, stats::FindFlow(tx, ref.agency, ref.id, ref.version));
    if (!row) return NoSuchFlow(ref);
    GMG_ASSIGN_OR_RETURN(out, BuildFlowData(tx, *row, 0));
    std::lock_guard lock(cache_mutex_);
    auto& slot = cache_[row->id];
    if (!slot || slot->data_version <= out->data_version) slot = out;
    return Ok();
  }));
  return out;
}

Result<std::shared_ptr<const stats::FlowData>> StatsService::AtRelease(const StatsFlowRef& ref,
                                                                       int number) {
  std::shared_ptr<const stats::FlowData> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, stats::FindFlow(tx, ref.agency, ref.id, ref.version));
    if (!row) return NoSuchFlow(ref);
    GMG_ASSIGN_OR_RETURN(auto exists,
                         tx.QueryOne("SELECT 1 FROM stats_releases WHERE dataflow_id = ? AND "
                                     "number = ?",
                                     {row->id, int64_t{number}}));
    if (!exists) {
      return MakeError(ErrorCode::kNotFound, "no release " + std::to_string(number) + " of " +
                                                 row->agency + ":" + row->flow_id);
    }
    GMG_ASSIGN_OR_RETURN(out, BuildFlowData(tx, *row, number));
    return Ok();
  }));
  return out;
}

Result<std::vector<std::pair<std::string, double>>> StatsService::LatestByArea(
    const StatsFlowRef& ref, const std::string& area_dimension,
    const std::vector<std::pair<std::string, std::string>>& fixed_codes) {
  GMG_ASSIGN_OR_RETURN(auto data, Current(ref));
  const sdmx::DataStructure& s = data->flow.structure;
  auto dimension_index = [&](const std::string& id) -> int {
    for (size_t d = 0; d < s.dimensions.size(); ++d) {
      if (s.dimensions[d].id == id) return static_cast<int>(d);
    }
    return -1;
  };
  int area = dimension_index(area_dimension);
  if (area < 0) {
    return FieldError(ErrorCode::kInvalidArgument, "area_dimension",
                      "no dimension " + area_dimension + " in " + ref.agency + ":" + ref.id,
                      "unknown_dimension");
  }
  std::vector<std::pair<int, uint32_t>> fixed;
  for (const auto& fixed_code : fixed_codes) {
    const std::string& dimension = fixed_code.first;
    const std::string& code = fixed_code.second;
    int d = dimension_index(dimension);
    const sdmx::Codelist* cl = d < 0 ? nullptr : CodelistOf(s, s.dimensions[d].codelist);
    if (!cl) {
      return FieldError(ErrorCode::kInvalidArgument, "fixed_codes",
                        "no dimension " + dimension + " in " + ref.agency + ":" + ref.id,
                        "unknown_dimension");
    }
    auto it = std::find_if(cl->codes.begin(), cl->codes.end(),
                           [&](const sdmx::Code& c) { return c.id == code; });
    if (it == cl->codes.end()) return std::vector<std::pair<std::string, double>>();
    fixed.emplace_back(d, static_cast<uint32_t>(it - cl->codes.begin()));
  }
  std::vector<const stats::FlowData::Series*> matching;
  uint32_t latest = 0;
  bool any = false;
  for (const auto& series : data->series) {
    bool ok = std::all_of(fixed.begin(), fixed.end(),
                          [&](const auto& f) { return series.key[f.first] == f.second; });
    if (!ok) continue;
    matching.push_back(&series);
    for (size_t i = 0; i < series.values.size(); ++i) {
      if (std::isnan(series.values[i])) continue;
      if (!any || series.period_index[i] > latest) latest = series.period_index[i];
      any = true;
    }
  }
  std::vector<std::pair<std::string, double>> out;
  if (!any) return out;
  const sdmx::Codelist* areas = CodelistOf(s, s.dimensions[area].codelist);
  std::map<uint32_t, double> sums;
  for (const auto* series : matching) {
    auto it = std::lower_bound(series->period_index.begin(), series->period_index.end(), latest);
    if (it == series->period_index.end() || *it != latest) continue;
    double v = series->values[it - series->period_index.begin()];
    if (!std::isnan(v)) sums[series->key[area]] += v;
  }
  for (const auto& [code, sum] : sums) out.emplace_back(areas->codes[code].id, sum);
  return out;
}

}  // namespace gmg
