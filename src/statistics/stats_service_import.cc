#include "statistics/stats_service_import.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

#include "interop/csv_reader.h"
#include "interop/sdmx_key.h"
#include "statistics/structure_json.h"

namespace gmg::stats {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

int FindCodelist(const sdmx::DataStructure& s, const std::string& id) {
  if (id.empty()) return -1;
  for (size_t i = 0; i < s.codelists.size(); ++i) {
    if (s.codelists[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s.substr(0, 200)) + "'"; }

}  // namespace

uint32_t TextTable::Intern(std::string_view text) {
  auto it = index_.find(text);
  if (it != index_.end()) return it->second;
  auto id = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(text);
  index_.emplace(std::string(text), id);
  return id;
}

int64_t TextTable::Find(std::string_view text) const {
  auto it = index_.find(text);
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

UploadData::UploadData(sdmx::DataStructure* structure, bool add_codes, size_t max_problems)
    : structure_(structure), add_codes_(add_codes), max_problems_(max_problems) {
  codes_.resize(structure_->codelists.size());
  for (size_t c = 0; c < structure_->codelists.size(); ++c) {
    const auto& codes = structure_->codelists[c].codes;
    codes_[c].reserve(codes.size());
    for (size_t i = 0; i < codes.size(); ++i) {
      codes_[c].emplace(codes[i].id, static_cast<uint32_t>(i));
    }
  }
  for (const auto& d : structure_->dimensions) {
    dimension_codelist_.push_back(FindCodelist(*structure_, d.codelist));
  }
  for (const auto& a : structure_->attributes) {
    attribute_codelist_.push_back(FindCodelist(*structure_, a.codelist));
  }
  key_.resize(structure_->dimensions.size());
  last_code_.resize(key_.size());
  last_index_.assign(key_.size(), UINT32_MAX);
  attrs_.resize(structure_->attributes.size());
}

void UploadData::AddProblem(Problem problem) {
  ++problem_count_;
  if (problems_.size() < max_problems_) problems_.push_back(std::move(problem));
}

bool UploadData::ResolveKey(const sdmx::ObservationView& obs) {
  bool ok = true;
  for (size_t d = 0; d < key_.size(); ++d) {
    std::string_view code = d < obs.key.size() ? Trim(obs.key[d]) : std::string_view();
    if (last_index_[d] != UINT32_MAX && code == last_code_[d]) {
      key_[d] = last_index_[d];
      continue;
    }
    int cl = dimension_codelist_[d];
    const std::string& dimension = structure_->dimensions[d].id;
    if (cl < 0) {
      AddProblem(
          {obs.line, dimension, "unknown_codelist", "dimension " + dimension + " has no codelist"});
      ok = false;
      continue;
    }
    auto it = codes_[cl].find(code);
    if (it == codes_[cl].end() && add_codes_ && IsSdmxId(code) &&
        structure_->codelists[cl].codes.size() >= kMaxCodes) {
      AddProblem({obs.line, dimension, "too_many_codes",
                  "more than " + std::to_string(kMaxCodes) + " codes for " + dimension +
                      ": a codelist holds at most that many"});
      ok = false;
      continue;
    }
    if (it == codes_[cl].end() && add_codes_ && IsSdmxId(code)) {
      auto& codes = structure_->codelists[cl].codes;
      codes.push_back({std::string(code), std::string(code), ""});
      it = codes_[cl].emplace(std::string(code), static_cast<uint32_t>(codes.size() - 1)).first;
    }
    if (it != codes_[cl].end()) {
      key_[d] = it->second;
      last_code_[d].assign(code);
      last_index_[d] = it->second;
      continue;
    }
    AddProblem({obs.line, dimension, code.empty() ? "missing_code" : "unknown_code",
                code.empty() ? "no code for " + dimension
                             : "unknown code " + Quoted(code) + " for " + dimension + " (not in " +
                                   structure_->codelists[cl].id + ")"});
    ok = false;
  }
  return ok;
}

bool UploadData::ResolvePeriod(const sdmx::ObservationView& obs, uint32_t* period) {
  std::string_view text = Trim(obs.period);
  if (text.empty() && obs.action == sdmx::Action::kDelete) {
    *period = kNoPeriod;
    return true;
  }
  // Years, the common case, by a table instead of a hash.
  const bool year =
      text.size() == 4 && text[0] >= '1' && text[0] <= '9' &&
      std::all_of(text.begin() + 1, text.end(), [](char c) { return c >= '0' && c <= '9'; });
  size_t slot = 0;
  if (year) {
    slot = static_cast<size_t>((text[0] - '0') * 1000 + (text[1] - '0') * 100 +
                               (text[2] - '0') * 10 + (text[3] - '0') - 1000);
    if (year_index_.empty()) year_index_.assign(9000, 0);
    if (year_index_[slot]) {
      *period = year_index_[slot] - 1;
      return true;
    }
  }
  int64_t known = periods_.Find(text);
  if (known >= 0) {
    *period = static_cast<uint32_t>(known);
    if (year) year_index_[slot] = *period + 1;
    return true;
  }
  if (!sdmx::ParsePeriod(text).ok()) {
    AddProblem({obs.line, structure_->time_dimension,
                text.empty() ? "missing_period" : "bad_period",
                text.empty() ? "no period" : "not a reporting period: " + Quoted(text)});
    return false;
  }
  *period = periods_.Intern(text);
  if (year) year_index_[slot] = *period + 1;
  return true;
}

bool UploadData::ResolveValue(const sdmx::ObservationView& obs, double* value) {
  std::string_view text = Trim(obs.value);
  if (text.empty() || text == "NaN" || obs.action == sdmx::Action::kDelete) {
    *value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, *value);
  if (ec != std::errc() || ptr != end || !std::isfinite(*value)) {
    AddProblem(
        {obs.line, structure_->primary_measure, "not_a_number", "not a number: " + Quoted(text)});
    return false;
  }
  return true;
}

bool UploadData::ResolveAttributes(const sdmx::ObservationView& obs) {
  bool ok = true;
  for (size_t a = 0; a < attrs_.size(); ++a) {
    std::string_view text = a < obs.attributes.size() ? Trim(obs.attributes[a]) : "";
    if (text.empty()) {
      attrs_[a] = 0;
      continue;
    }
    int cl = attribute_codelist_[a];
    if (cl >= 0 && !codes_[cl].contains(text)) {
      const std::string& id = structure_->attributes[a].id;
      AddProblem({obs.line, id, "unknown_code",
                  "unknown code " + Quoted(text) + " for " + id + " (not in " +
                      structure_->codelists[cl].id + ")"});
      ok = false;
      continue;
    }
    attrs_[a] = 1 + texts_.Intern(text);
  }
  return ok;
}

UploadData::Series& UploadData::SeriesFor() {
  if (last_series_ != UINT32_MAX && key_ == last_key_) return series_[last_series_];
  last_key_ = key_;
  packed_.assign(reinterpret_cast<const char*>(key_.data()), key_.size() * sizeof(uint32_t));
  auto it = series_index_.find(std::string_view(packed_));
  if (it != series_index_.end()) {
    last_series_ = it->second;
    return series_[it->second];
  }
  last_series_ = static_cast<uint32_t>(series_.size());
  series_index_.emplace(packed_, last_series_);
  series_.emplace_back();
  series_.back().key = key_;
  return series_.back();
}

Status UploadData::Add(const sdmx::ObservationView& obs) {
  ++observations_;
  uint32_t period = 0;
  double value = 0;
  bool ok = ResolveKey(obs);
  ok = ResolvePeriod(obs, &period) && ok;
  ok = ResolveValue(obs, &value) && ok;
  ok = ResolveAttributes(obs) && ok;
  if (!ok) return Ok();
  Series& s = SeriesFor();
  bool is_delete = obs.action == sdmx::Action::kDelete;
  if (obs.action != sdmx::Action::kInformation) explicit_actions_ = true;
  if (obs.action == sdmx::Action::kReplace) s.replace = true;
  if (is_delete || !s.actions.empty()) {  // kept only for series with a delete
    s.actions.resize(s.periods.size(), kUpsert);
    s.actions.push_back(is_delete ? kDelete : kUpsert);
  }
  s.periods.push_back(period);
  s.values.push_back(value);
  s.lines.push_back(static_cast<uint32_t>(obs.line));
  s.attributes.insert(s.attributes.end(), attrs_.begin(), attrs_.end());
  return Ok();
}

void UploadData::Finish() {
  const auto& texts = periods_.texts();
  std::vector<uint32_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return texts[a] < texts[b]; });
  std::vector<uint32_t> rank(texts.size());
  for (uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r + 1;  // 0: kNoPeriod first
  const size_t na = attribute_count();
  std::vector<uint32_t> perm;
  for (Series& s : series_) {
    auto rank_of = [&](size_t i) { return s.periods[i] == kNoPeriod ? 0 : rank[s.periods[i]]; };
    bool sorted = true;
    for (size_t i = 1; i < s.periods.size() && sorted; ++i) sorted = rank_of(i - 1) < rank_of(i);
    if (!sorted) {
      perm.resize(s.periods.size());
      std::iota(perm.begin(), perm.end(), 0);
      std::stable_sort(perm.begin(), perm.end(),
                       [&](uint32_t a, uint32_t b) { return rank_of(a) < rank_of(b); });
      Series t;
      t.key = std::move(s.key);
      t.replace = s.replace;
      for (uint32_t i : perm) {
        t.periods.push_back(s.periods[i]);
        t.values.push_back(s.values[i]);
        t.lines.push_back(s.lines[i]);
        if (!s.actions.empty()) t.actions.push_back(s.actions[i]);
        t.attributes.insert(t.attributes.end(), s.attributes.data() + i * na,
                            s.attributes.data() + (i + 1) * na);
      }
      s = std::move(t);
    }
    for (size_t i = 1; i < s.periods.size(); ++i) {
      if (s.periods[i] == kNoPeriod || s.periods[i] != s.periods[i - 1]) continue;
      bool deletes = !s.actions.empty() && (s.actions[i] == kDelete || s.actions[i - 1] == kDelete);
      if (deletes) continue;
      AddProblem({s.lines[i], "", "duplicate",
                  "duplicate observation: " + KeyText(s.key) + " " + texts[s.periods[i]] +
                      " is also on line " + std::to_string(s.lines[i - 1])});
    }
  }
}

std::string UploadData::KeyText(const std::vector<uint32_t>& key) const {
  std::string out;
  for (size_t d = 0; d < key.size(); ++d) {
    if (d) out += '.';
    out += structure_->codelists[dimension_codelist_[d]].codes[key[d]].id;
  }
  return out;
}

Result<sdmx::DataStructure> StructureFromSdmxCsvHeader(std::string_view text,
                                                       std::string_view agency,
                                                       std::string_view flow_id) {
  GMG_ASSIGN_OR_RETURN(csv::Dialect dialect, csv::Sniff(text));
  csv::Reader reader(text, dialect);
  std::vector<std::string_view> header;
  GMG_ASSIGN_OR_RETURN(bool any, reader.Next(&header));
  if (!any) return MakeError(ErrorCode::kInvalidArgument, "line 1: the file is empty");
  sdmx::DataStructure s;
  s.agency = std::string(agency);
  s.id = "DSD_" + std::string(flow_id);
  s.name = std::string(flow_id);
  enum { kDimensions, kBetween, kAttributes } where = kDimensions;
  bool time = false, value = false;
  for (size_t c = 0; c < header.size(); ++c) {
    std::string_view cell = Trim(header[c]);
    cell = Trim(cell.substr(0, cell.find(':')));  // "REF_AREA: Reference area" (labels)
    if (cell == "DATAFLOW" || cell == "STRUCTURE" || cell == "STRUCTURE_ID" || cell == "ACTION") {
      continue;
    }
    std::string id(cell);
    if (id == s.time_dimension) {
      time = true;
      where = kBetween;
      continue;
    }
    if (id == s.primary_measure) {
      value = true;
      where = kAttributes;
      continue;
    }
    if (!IsSdmxId(id)) {
      return MakeError(ErrorCode::kInvalidArgument, "line 1, column " + std::to_string(c + 1) +
                                                        ": " + Quoted(id) + " is not an SDMX id");
    }
    if (where == kDimensions) {
      s.dimensions.push_back({id, id, "CL_" + id, "Observation"});
      s.codelists.push_back({std::string(agency), "CL_" + id, "1.0", id, {}});
    } else if (where == kAttributes) {
      s.attributes.push_back({id, id, "", "Observation"});
    }
    s.concepts.push_back({id, id});
  }
  if (!time || !value) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("line 1: no ") +
                                                      (time ? "OBS_VALUE" : "TIME_PERIOD") +
                                                      " column in the SDMX-CSV header");
  }
  if (s.dimensions.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "line 1: no dimension column before TIME_PERIOD in the SDMX-CSV header");
  }
  s.concepts.push_back({s.time_dimension, "Time period"});
  s.concepts.push_back({s.primary_measure, "Observation value"});
  return s;
}

}  // namespace gmg::stats
