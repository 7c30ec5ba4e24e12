// One upload's observations as StatsService::Import holds them before writing: grouped per
// series in compact columns (period index, value, line, attribute indices: ~16 bytes an
// observation, no object per observation), codes checked against the structure, every bad
// cell a Problem naming line and column, duplicates found once each series is sorted.
//
// Pure (no database). Thread-safety: one upload, one thread.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "interop/sdmx_model.h"
#include "statistics/infer.h"

namespace gmg::stats {

// Heterogeneous lookup of std::string keys by std::string_view.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using TextIndex = std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>>;

// Texts numbered in order of first use.
class TextTable {
 public:
  uint32_t Intern(std::string_view text);
  // The index of `text`, or -1.
  int64_t Find(std::string_view text) const;
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  std::vector<std::string> texts_;
  TextIndex index_;
};

class UploadData {
 public:
  static constexpr uint32_t kNoPeriod = std::numeric_limits<uint32_t>::max();
  enum ObsAction : uint8_t { kUpsert = 0, kDelete = 1 };

  struct Series {
    std::vector<uint32_t> key;         // per dimension, index of the code in its codelist
    std::vector<uint32_t> periods;     // into period_table(); kNoPeriod: a whole-series delete
    std::vector<double> values;        // NaN = missing
    std::vector<uint32_t> lines;       // where each observation was read
    std::vector<uint32_t> attributes;  // n × attribute count: 0 none, else 1 + text index
    std::vector<uint8_t> actions;      // empty = all kUpsert
    bool replace = false;              // an R row names it: its file rows replace it whole
  };

  // `structure` must outlive this. With `add_codes` (a new dataflow whose structure came from
  // an SDMX-CSV header), an unknown dimension code is added to its codelist instead of being
  // a problem.
  UploadData(sdmx::DataStructure* structure, bool add_codes, size_t max_problems);

  // The ObservationSink: row problems are recorded, never returned.
  Status Add(const sdmx::ObservationView& obs);
  // Appends a problem (kept while under the limit; every one counted).
  void AddProblem(Problem problem);
  // Counts problems found (and not kept) elsewhere.
  void CountMoreProblems(int64_t n) { problem_count_ += n > 0 ? n : 0; }
  // Sorts each series' observations by period and reports duplicate observations.
  void Finish();

  std::vector<Series>& series() { return series_; }
  TextTable& periods() { return periods_; }
  TextTable& texts() { return texts_; }
  const std::vector<Problem>& problems() const { return problems_; }
  int64_t problem_count() const { return problem_count_; }
  int64_t observations() const { return observations_; }
  // Whether any row carried an explicit R or D action (then the file does not replace the
  // whole dataflow's data: it edits the series it names).
  bool explicit_actions() const { return explicit_actions_; }
  // The series key as stored: codes joined by '.'.
  std::string KeyText(const std::vector<uint32_t>& key) const;
  size_t attribute_count() const { return structure_->attributes.size(); }

 private:
  bool ResolveKey(const sdmx::ObservationView& obs);
  bool ResolvePeriod(const sdmx::ObservationView& obs, uint32_t* period);
  bool ResolveValue(const sdmx::ObservationView& obs, double* value);
  bool ResolveAttributes(const sdmx::ObservationView& obs);
  Series& SeriesFor();

  sdmx::DataStructure* structure_;
  bool add_codes_;
  size_t max_problems_;
  std::vector<int> dimension_codelist_;  // index into structure_->codelists
  std::vector<int> attribute_codelist_;  // -1 uncoded
  std::vector<TextIndex> codes_;         // per codelist: code → index
  std::vector<Series> series_;
  std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> series_index_;
  TextTable periods_, texts_;
  std::vector<Problem> problems_;
  int64_t problem_count_ = 0;
  int64_t observations_ = 0;
  bool explicit_actions_ = false;
  // Rows come grouped more often than not: the previous row's codes and series, reused.
  std::vector<std::string> last_code_;
  std::vector<uint32_t> last_index_;
  std::vector<uint32_t> last_key_;
  std::vector<uint32_t> year_index_;  // year - 1000 → 1 + period index, 0 = not seen yet
  uint32_t last_series_ = UINT32_MAX;
  // Per observation scratch.
  std::vector<uint32_t> key_;
  std::string packed_;
  std::vector<uint32_t> attrs_;
};

// A structure for a new dataflow from an SDMX-CSV header: the columns before TIME_PERIOD are
// its dimensions, those after OBS_VALUE its (uncoded) attributes; codelists CL_<dimension>
// start empty (UploadData with add_codes fills them). kInvalidArgument naming a missing
// TIME_PERIOD or OBS_VALUE column, or a column that is not an SDMX id.
Result<sdmx::DataStructure> StructureFromSdmxCsvHeader(std::string_view text,
                                                       std::string_view agency,
                                                       std::string_view flow_id);

}  // namespace gmg::stats
