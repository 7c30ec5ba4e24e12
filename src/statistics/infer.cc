#include "statistics/infer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.h"
#include "interop/csv_reader.h"
#include "statistics/area_names.h"

namespace gmg::stats {
namespace {

using Kind = ColumnRole::Kind;

constexpr size_t kSampleRecords = 200;    // records looked at to find the header line
constexpr size_t kMaxDistinct = 5000;     // distinct values kept per column while inferring
constexpr size_t kMaxCodedValues = 1000;  // more distinct texts than this: an attribute
constexpr size_t kListed = 8;             // values named in one note
// A column is one of values when this share of its cells (missing markers aside) are numbers:
// the others are reported as problems on upload, not taken as a reason to make it a dimension.
constexpr double kNumericShare = 0.6;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// ---- Cells: trimming, numbers, periods -----------------------------------------------------

// Strips spaces, tabs, line ends and no-break spaces (C2 A0, as spreadsheets write them), in
// any mix, from both ends.
std::string_view TrimCell(std::string_view s) {
  for (;;) {
    if (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
      s.remove_prefix(1);
    } else if (s.substr(0, 2) == "\xC2\xA0") {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    char c = s.empty() ? 'x' : s.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

// The length of a group separator at s[i] (',' or '.' — whichever is not the decimal mark —
// space, apostrophe, no-break space C2 A0, narrow no-break space E2 80 AF), 0 if none.
size_t GroupSeparatorAt(std::string_view s, size_t i, char decimal_mark) {
  char c = s[i];
  if (c == (decimal_mark == '.' ? ',' : '.') || c == ' ' || c == '\'') return 1;
  if (s.substr(i, 2) == "\xC2\xA0") return 2;
  if (s.substr(i, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

// Parses a number cell as people write them: optional sign, digits with group separators only
// between groups of exactly three digits (one kind of separator per number), an optional
// decimal part, an optional exponent (not with separators). Writes the plain form ("-1234.5")
// to *out. False when it is not a number.
bool NormaliseNumber(std::string_view cell, char decimal_mark, std::string* out) {
  std::string_view s = TrimCell(cell);
  out->clear();
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    if (s[i] == '-') *out += '-';
    ++i;
  }
  size_t group = 0;      // digits in the current group
  size_t groups = 0;     // groups closed by a separator
  std::string_view sep;  // the separator in use
  size_t int_digits = 0;
  while (i < s.size()) {
    if (IsAsciiDigit(s[i])) {
      *out += s[i++];
      ++group;
      ++int_digits;
      continue;
    }
    size_t n = GroupSeparatorAt(s, i, decimal_mark);
    if (n == 0) break;
    std::string_view this_sep = s.substr(i, n);
    if (group == 0 || (groups == 0 && group > 3) || (groups > 0 && group != 3)) return false;
    if (!sep.empty() && sep != this_sep) return false;
    sep = this_sep;
    ++groups;
    group = 0;
    i += n;
  }
  if (int_digits == 0 && (i >= s.size() || s[i] != decimal_mark)) return false;
  if (groups > 0 && group != 3) return false;
  if (i < s.size() && s[i] == decimal_mark) {
    ++i;
    size_t frac = 0;
    if (int_digits == 0) *out += '0';  // ".5" → "0.5"
    *out += '.';
    while (i < s.size() && IsAsciiDigit(s[i])) {
      *out += s[i++];
      ++frac;
    }
    if (frac == 0 && int_digits == 0) return false;
    if (frac == 0) out->pop_back();
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E') && groups == 0) {
    *out += 'e';
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) *out += s[i++];
    size_t exp = 0;
    while (i < s.size() && IsAsciiDigit(s[i]) && exp < 4) {
      *out += s[i++];
      ++exp;
    }
    if (exp == 0) return false;
  }
  return i == s.size();
}

bool InRange(std::string_view digits, int lo, int hi) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v >= lo && v <= hi;
}

// Normalises a period cell to SDMX's form: "1990", "1990-05", "1990-05-31", "1990-Q1",
// "1990-S2", "1990-W07" ("1990Q1" and "1990.0" are read too). False when it is not a period.
bool NormalisePeriod(std::string_view cell, std::string* out) {
  std::string_view s = TrimCell(cell);
  if (s.size() < 4 || !IsAsciiDigits(s.substr(0, 4))) return false;
  std::string_view year = s.substr(0, 4);
  std::string_view rest = s.substr(4);
  out->assign(year);
  if (rest.empty() || rest == ".0") return true;
  if (rest[0] == '-') rest.remove_prefix(1);
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4') {
    *out += "-Q";
    *out += rest[1];
    return true;
  }
  if (rest.size() == 2 && (rest[0] == 'S' || rest[0] == 's') &&
      (rest[1] == '1' || rest[1] == '2')) {
    *out += "-S";
    *out += rest[1];
    return true;
  }
  if (rest.size() == 3 && (rest[0] == 'W' || rest[0] == 'w') && IsAsciiDigits(rest.substr(1)) &&
      InRange(rest.substr(1), 1, 53)) {
    *out += "-W";
    out->append(rest.substr(1));
    return true;
  }
  if (rest.size() == 2 && IsAsciiDigits(rest) && InRange(rest, 1, 12)) {
    *out += '-';
    out->append(rest);
    return true;
  }
  if (rest.size() == 5 && IsAsciiDigits(rest.substr(0, 2)) && rest[2] == '-' &&
      IsAsciiDigits(rest.substr(3)) && InRange(rest.substr(0, 2), 1, 12) &&
      InRange(rest.substr(3), 1, 31)) {
    *out += '-';
    out->append(rest);
    return true;
  }
  return false;
}

// A period a statistics table plausibly holds (a year 1800..2100, or a finer period).
bool LooksLikePeriod(std::string_view cell) {
  std::string p;
  return NormalisePeriod(cell, &p) && InRange(std::string_view(p).substr(0, 4), 1800, 2100);
}

bool IsMissing(std::string_view cell, const std::vector<std::string>& markers) {
  std::string_view t = TrimCell(cell);
  return std::any_of(markers.begin(), markers.end(), [&](const std::string& m) { return t == m; });
}

// ---- Names and codes ------------------------------------------------------------------------

// An SDMX id from a header or a value: upper-case letters, digits and '_'.
std::string SdmxId(std::string_view text) {
  std::string id;
  for (char c : NormaliseAreaName(text)) {
    if (c == ' ') {
      if (!id.empty() && id.back() != '_') id += '_';
    } else {
      id += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  if (id.size() > 50) id.resize(50);
  if (!id.empty() && IsAsciiDigit(id[0])) id = "C_" + id;
  return id;
}

bool NameHas(std::string_view header, std::initializer_list<std::string_view> words) {
  std::string n = " " + NormaliseAreaName(header) + " ";
  for (std::string_view w : words) {
    if (n.find(" " + std::string(w) + " ") != std::string::npos) return true;
    if (n.find(" " + std::string(w)) != std::string::npos && w.size() >= 4) return true;
  }
  return false;
}

bool TimeNamed(std::string_view h) {
  return NameHas(h, {"year", "years", "time", "period", "date", "time period", "annee", "ano",
                     "jahr", "anio"});
}
bool OriginNamed(std::string_view h) {
  return NameHas(h, {"orig", "origin", "from", "nationality", "citizenship", "birth", "source"});
}
bool DestinationNamed(std::string_view h) {
  return NameHas(h, {"dest", "destination", "asylum", "host", "residence", "to", "reporting"});
}
bool CodeNamed(std::string_view h) {
  return NameHas(h, {"code", "id", "sort", "order", "index", "no", "number", "row", "rank"});
}

// A header naming areas: numbers in such a column are M49 codes, not counts.
bool AreaNamed(std::string_view h) {
  return OriginNamed(h) || DestinationNamed(h) ||
         NameHas(h, {"m49", "iso", "iso3", "country", "area", "region", "location"});
}

// A header naming flags or notes about the values: an attribute, not a dimension.
bool AttributeNamed(std::string_view h) {
  return NameHas(h, {"flag", "flags", "status", "note", "notes", "footnote", "footnotes", "comment",
                     "comments", "remark", "remarks", "type of data"});
}

// SEX values to SDMX's CL_SEX codes.
std::optional<std::string> SexCode(std::string_view value) {
  std::string n = NormaliseAreaName(value);
  if (n == "m" || n == "male" || n == "males" || n == "men" || n == "man") return "M";
  if (n == "f" || n == "female" || n == "females" || n == "women" || n == "woman") return "F";
  if (n == "t" || n == "total" || n == "both sexes" || n == "both" || n == "all") return "_T";
  return std::nullopt;
}

std::string Quoted(const std::vector<std::string>& values, size_t total) {
  std::string out;
  for (size_t i = 0; i < values.size() && i < kListed; ++i) {
    out += (i ? ", '" : "'") + values[i] + "'";
  }
  if (total > kListed) out += ", … (" + std::to_string(total) + " in all)";
  return out;
}

// ---- Reading --------------------------------------------------------------------------------

csv::Dialect DialectOf(std::string_view text, char delimiter) {
  csv::Dialect d;
  d.delimiter = delimiter;
  d.bom = text.substr(0, 3) == kBom;
  return d;
}

// A header found among the first records.
struct HeaderGuess {
  int64_t line = 0;
  size_t record = 0;  // index among the sample
  std::vector<std::string> cells;
};

struct SampleRecord {
  int64_t line;
  std::vector<std::string> cells;
};

size_t NonEmpty(const std::vector<std::string>& cells) {
  return static_cast<size_t>(
      std::count_if(cells.begin(), cells.end(), [](const std::string& c) { return !c.empty(); }));
}

Result<HeaderGuess> FindHeader(const std::vector<SampleRecord>& sample) {
  std::map<size_t, size_t> widths;  // field count → records
  for (const SampleRecord& r : sample) {
    if (NonEmpty(r.cells) >= 2) ++widths[r.cells.size()];
  }
  if (widths.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a table: no line has two or more cells (is the delimiter right?)");
  }
  size_t width = 0, most = 0;
  for (auto [w, n] : widths) {
    if (n >= most) {
      width = w;
      most = n;
    }
  }
  for (size_t i = 0; i < sample.size(); ++i) {
    const SampleRecord& r = sample[i];
    if (r.cells.size() != width) continue;
    size_t filled = NonEmpty(r.cells);
    if (filled < 2 || filled * 2 < width) continue;
    return HeaderGuess{r.line, i, r.cells};
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "no header line found in the first " + std::to_string(sample.size()) + " lines");
}

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// What one column holds, over every data row.
struct ColumnStats {
  int64_t cells = 0;
  int64_t empty = 0;
  int64_t missing = 0;        // a missing marker (empty included)
  int64_t numeric = 0;        // a number with '.' as decimal mark
  int64_t numeric_comma = 0;  // a number with ',' as decimal mark
  int64_t comma_decimal = 0;  // "1,5": ',' that can only be a decimal mark
  int64_t grouped = 0;        // "1,234": group separators
  int64_t periods = 0;
  // Trimmed non-empty text → count.
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> distinct;
  std::vector<std::string> order;  // distinct values in order of appearance
  bool overflow = false;
  size_t max_distinct = kMaxDistinct;
  std::map<std::string, int64_t> markers;  // missing markers seen (empty included) → count
};

// Counts one cell into the column's statistics; `scratch` is reused between calls.
void Observe(std::string_view raw, const std::vector<std::string>& markers, ColumnStats* st,
             std::string* scratch) {
  std::string_view cell = TrimCell(raw);
  ++st->cells;
  if (IsMissing(cell, markers)) {
    ++st->missing;
    ++st->markers[std::string(cell)];
  }
  if (cell.empty()) {
    ++st->empty;
    return;
  }
  bool dot = NormaliseNumber(cell, '.', scratch);
  if (dot) ++st->numeric;
  // Without ',' or '.', both readings agree: one parse is enough (most cells).
  bool marks = cell.find_first_of(",.") != std::string_view::npos;
  if (marks ? NormaliseNumber(cell, ',', scratch) : dot) {
    ++st->numeric_comma;
    if (!dot) ++st->comma_decimal;
  }
  if (dot && cell.find_first_of(", '") != std::string_view::npos) ++st->grouped;
  if (cell.size() >= 4 && cell.size() <= 10 && LooksLikePeriod(cell)) ++st->periods;
  if (st->overflow) return;
  auto it = st->distinct.find(cell);
  if (it != st->distinct.end()) {
    ++it->second;
    return;
  }
  it = st->distinct.emplace(std::string(cell), 1).first;
  st->order.push_back(it->first);
  if (st->distinct.size() > st->max_distinct) st->overflow = true;
}

// ---- Inference --------------------------------------------------------------------------------

struct Context {
  ColumnMapping mapping;
  std::vector<ColumnStats> stats;
  std::vector<InferenceNote> notes;
  int64_t rows = 0;
  int64_t note_lines = 0;
  std::vector<int64_t> note_line_numbers;
  int64_t ragged = 0;
  std::vector<int64_t> ragged_lines;
  int64_t value_cells = 0;
};

void Note(Context* cx, std::string column, std::string rule, std::string message) {
  cx->notes.push_back({std::move(column), std::move(rule), std::move(message)});
}

std::string Lines(const std::vector<int64_t>& lines, int64_t total) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + std::to_string(lines[i]);
  if (total > static_cast<int64_t>(lines.size())) out += ", …";
  return out;
}

// Reads every record after the header into the column statistics.
Status ScanData(std::string_view text, const csv::Dialect& dialect, Context* cx) {
  csv::Reader reader(text, dialect);
  std::vector<std::string_view> fields;
  size_t width = cx->mapping.columns.size();
  cx->stats.assign(width, ColumnStats{});
  // Memory stays bounded however wide the table: at most ~2 million distinct values in all.
  size_t cap = std::max<size_t>(kMaxCodedValues + 1, std::min(kMaxDistinct, 2000000 / width));
  for (ColumnStats& st : cx->stats) st.max_distinct = cap;
  std::string scratch;
  for (;;) {
    Result<bool> more = reader.Next(&fields);
    if (!more.ok()) return std::move(more).TakeError();
    if (!*more) break;
    if (reader.line() <= cx->mapping.header_line) continue;
    auto filled = static_cast<size_t>(std::count_if(
        fields.begin(), fields.end(), [](std::string_view f) { return !TrimCell(f).empty(); }));
    if (filled == 0) continue;
    if (filled == 1 && !TrimCell(fields[0]).empty() && width > 2) {
      ++cx->note_lines;
      if (cx->note_line_numbers.size() < kListed) cx->note_line_numbers.push_back(reader.line());
      continue;
    }
    if (fields.size() != width) {
      ++cx->ragged;
      if (cx->ragged_lines.size() < kListed) cx->ragged_lines.push_back(reader.line());
      continue;
    }
    ++cx->rows;
    for (size_t j = 0; j < width; ++j) {
      Observe(fields[j], cx->mapping.missing_markers, &cx->stats[j], &scratch);
    }
  }
  return Ok();
}

// A column's share of non-missing cells that are numbers.
double NumericShare(const ColumnStats& st) {
  int64_t present = st.cells - st.missing;
  if (present <= 0) return st.cells > 0 ? 1.0 : 0.0;
  return static_cast<double>(std::max(st.numeric, st.numeric_comma)) / static_cast<double>(present);
}

struct AreaHits {
  size_t distinct = 0;
  size_t resolved = 0;
  std::vector<std::string> unknown;
};

AreaHits AreaHitsOf(const ColumnStats& st) {
  AreaHits h;
  for (const std::string& v : st.order) {
    ++h.distinct;
    if (ResolveArea(v)) {
      ++h.resolved;
    } else {
      h.unknown.push_back(v);
    }
  }
  return h;
}

// Most distinct values are areas: 80%, or half when the header names areas ("Country").
bool IsAreaColumn(const ColumnStats& st, std::string_view header) {
  if (st.overflow || st.order.empty()) return false;
  AreaHits h = AreaHitsOf(st);
  return h.resolved * 10 >= h.distinct * 8 || (AreaNamed(header) && h.resolved * 2 >= h.distinct);
}

struct Plan {
  std::vector<size_t> area_columns;  // long: columns of area names/codes
  std::vector<size_t> wide;          // wide: the value columns
  std::string wide_kind;             // "", "time", "area"
  int time_column = -1;
  std::vector<size_t> values;  // long: value columns
  std::vector<size_t> other_dims;
  std::vector<size_t> attributes;
  std::vector<std::pair<size_t, std::string>> ignored;  // column, why
};

// Wide tables: header cells that are periods, or areas, over numeric columns.
void FindWide(const Context& cx, Plan* plan) {
  const std::vector<std::string>& header = cx.mapping.columns;
  std::vector<size_t> period_cols, area_cols;
  size_t real_areas = 0;
  for (size_t j = 0; j < header.size(); ++j) {
    if (NumericShare(cx.stats[j]) < kNumericShare) continue;
    if (LooksLikePeriod(header[j])) {
      period_cols.push_back(j);
    } else if (std::optional<Area> a = ResolveArea(header[j]); a && !TimeNamed(header[j])) {
      area_cols.push_back(j);
      if (!a->non_area) ++real_areas;
    }
  }
  if (period_cols.size() >= 2 && period_cols.size() >= area_cols.size()) {
    plan->wide = period_cols;
    plan->wide_kind = "time";
  } else if (area_cols.size() >= 3 && real_areas >= 2) {
    plan->wide = area_cols;
    plan->wide_kind = "area";
  }
}

void ClassifyColumns(const Context& cx, Plan* plan) {
  const std::vector<std::string>& header = cx.mapping.columns;
  std::vector<bool> taken(header.size(), false);
  for (size_t j : plan->wide) taken[j] = true;
  // Time: a column of periods, a named one first.
  if (plan->wide_kind != "time") {
    int best = -1;
    for (size_t j = 0; j < header.size(); ++j) {
      const ColumnStats& st = cx.stats[j];
      int64_t present = st.cells - st.empty;
      if (taken[j] || present == 0 || st.periods * 100 < present * 95) continue;
      if (best < 0 || (TimeNamed(header[j]) && !TimeNamed(header[best])))
        best = static_cast<int>(j);
    }
    if (best >= 0) {
      plan->time_column = best;
      taken[best] = true;
    }
  }
  for (size_t j = 0; j < header.size(); ++j) {
    if (taken[j]) continue;
    const ColumnStats& st = cx.stats[j];
    if (st.cells == st.empty) {
      plan->ignored.emplace_back(j, "it is empty");
    } else if (IsAreaColumn(st, header[j]) &&
               (NumericShare(st) < kNumericShare || AreaNamed(header[j]))) {
      plan->area_columns.push_back(j);
    } else if (!AttributeNamed(header[j]) && NumericShare(st) >= kNumericShare) {
      if (CodeNamed(header[j])) {
        plan->ignored.emplace_back(j, "its numbers look like codes or row numbers");
      } else if (plan->wide_kind.empty()) {
        plan->values.push_back(j);
      } else {
        plan->ignored.emplace_back(j, "a number column beside the wide value columns");
      }
    } else if (!AttributeNamed(header[j]) && !st.overflow &&
               st.distinct.size() <= kMaxCodedValues) {
      plan->other_dims.push_back(j);
    } else {  // flags, notes, or too many different texts to code
      plan->attributes.push_back(j);
    }
  }
}

// ---- The structure ------------------------------------------------------------------------------

sdmx::Codelist& AddCodelist(sdmx::DataStructure* s, const std::string& id,
                            const std::string& name) {
  s->codelists.push_back({s->agency, id, "1.0", name, {}});
  return s->codelists.back();
}

void AddCode(sdmx::Codelist* cl, const std::string& id, const std::string& name) {
  for (const sdmx::Code& c : cl->codes) {
    if (c.id == id) return;
  }
  cl->codes.push_back({id, name, ""});
}

std::string UniqueId(std::string id, const std::set<std::string>& used) {
  if (id.empty()) id = "DIM";
  std::string base = id;
  for (int n = 2; used.count(id) != 0; ++n) id = base + "_" + std::to_string(n);
  return id;
}

// Area dimension ids: the destination REF_AREA, the origin COUNTERPART_AREA. `wide_area` is
// true when header cells are areas too (they take the role the row column does not).
std::vector<std::string> AreaIds(const Context& cx, const Plan& plan, bool wide_area,
                                 std::string* wide_id) {
  const std::vector<std::string>& header = cx.mapping.columns;
  std::vector<std::string> ids(plan.area_columns.size());
  std::vector<std::string> roles = {"REF_AREA", "COUNTERPART_AREA"};
  size_t n = plan.area_columns.size();
  auto origin = [&](size_t i) { return OriginNamed(header[plan.area_columns[i]]); };
  if (wide_area) {
    if (n == 0) {
      *wide_id = "REF_AREA";
      return ids;
    }
    bool row_is_origin = origin(0) && !DestinationNamed(header[plan.area_columns[0]]);
    ids[0] = row_is_origin ? "COUNTERPART_AREA" : "REF_AREA";
    *wide_id = row_is_origin ? "REF_AREA" : "COUNTERPART_AREA";
    for (size_t i = 1; i < n; ++i) ids[i] = "AREA_" + std::to_string(i + 2);
    return ids;
  }
  if (n == 1) {
    ids[0] = "REF_AREA";
  } else if (n >= 2) {
    size_t ref = 0, counterpart = 1;
    if (origin(0) && !origin(1)) std::swap(ref, counterpart);
    ids[ref] = "REF_AREA";
    ids[counterpart] = "COUNTERPART_AREA";
    for (size_t i = 2; i < n; ++i) ids[i] = "AREA_" + std::to_string(i + 1);
  }
  return ids;
}

void NoteAreas(const ColumnStats& st, const std::string& column, const std::string& dim,
               Context* cx) {
  std::vector<std::string> regions, historical, special, unknown;
  size_t areas = 0;
  for (const std::string& v : st.order) {
    std::optional<Area> a = ResolveArea(v);
    if (!a) {
      unknown.push_back(v);
      continue;
    }
    ++areas;
    if (a->region) regions.push_back(v);
    if (a->historical) historical.push_back(v);
    if (a->non_area) special.push_back(v + " (" + a->code + ")");
  }
  std::string msg = "column '" + column + "' holds " + std::to_string(areas) + " areas, as " + dim;
  if (!regions.empty()) {
    msg += "; " + std::to_string(regions.size()) +
           " are regions or aggregates (kept, coded by M49): " + Quoted(regions, regions.size());
  }
  if (!historical.empty()) {
    msg += "; " + std::to_string(historical.size()) +
           " are historical entities: " + Quoted(historical, historical.size());
  }
  Note(cx, column, "area_names", msg);
  if (!special.empty()) {
    Note(cx, column, "total_values",
         "column '" + column + "' holds totals or non-areas, kept with SDMX's special codes: " +
             Quoted(special, special.size()));
  }
  if (!unknown.empty()) {
    Note(cx, column, "unknown_values",
         std::to_string(unknown.size()) + " values of column '" + column +
             "' are no area GMG Hub knows: " + Quoted(unknown, unknown.size()) +
             " (each row holding one is a problem on upload: correct the name or use an ISO "
             "3166 or M49 code)");
  }
}

void AddAreaDimension(const std::string& id, const std::string& name, sdmx::DataStructure* s) {
  s->dimensions.push_back({id, name, "CL_AREA", "Observation"});
}

// Codes of a coded dimension that is not an area: SEX gets SDMX's M/F/_T.
void FillCodes(const ColumnStats& st, const std::string& dim, sdmx::Codelist* cl) {
  for (const std::string& v : st.order) {
    std::optional<std::string> sex = dim == "SEX" ? SexCode(v) : std::nullopt;
    std::string id = sex ? *sex : SdmxId(v);
    if (id.empty()) id = "C_" + std::to_string(cl->codes.size() + 1);
    std::string name = sex ? (*sex == "M" ? "Male" : *sex == "F" ? "Female" : "Total") : v;
    AddCode(cl, id, name);
  }
}

std::string PeriodRange(const ColumnStats& st) {
  std::string lo, hi, p;
  for (const std::string& v : st.order) {
    if (!NormalisePeriod(v, &p)) continue;
    if (lo.empty() || p < lo) lo = p;
    if (hi.empty() || p > hi) hi = p;
  }
  return lo.empty() ? "" : lo + " … " + hi;
}

void NoteValues(const Plan& plan, Context* cx) {
  std::map<std::string, int64_t> markers;
  int64_t grouped = 0;
  int64_t comma_decimal = 0, numeric = 0, numeric_comma = 0;
  std::vector<size_t> cols = plan.values;
  cols.insert(cols.end(), plan.wide.begin(), plan.wide.end());
  for (size_t j : cols) {
    const ColumnStats& st = cx->stats[j];
    for (const auto& [m, n] : st.markers) markers[m] += n;
    grouped += st.grouped;
    comma_decimal += st.comma_decimal;
    numeric += st.numeric;
    numeric_comma += st.numeric_comma;
    cx->value_cells += st.cells;
  }
  if (comma_decimal > 0 && numeric_comma > numeric) cx->mapping.decimal_mark = ',';
  if (!markers.empty()) {
    std::string msg = "missing values (kept as missing observations): ";
    bool first = true;
    for (const auto& [m, n] : markers) {
      msg += (first ? "" : ", ") + (m.empty() ? std::string("empty") : "'" + m + "'") + " " +
             std::to_string(n) + " cells";
      first = false;
    }
    Note(cx, "", "missing_markers", msg);
  }
  if (cx->mapping.decimal_mark == ',') {
    Note(cx, "", "number_format",
         "numbers use ',' as the decimal mark (\"1,5\"); '.' and spaces group thousands");
  } else if (grouped > 0) {
    Note(cx, "", "number_format",
         std::to_string(grouped) +
             " numbers have thousands separators (\"1,234\"): read as whole numbers; "
             "a separator must sit between groups of three digits");
  }
}

Status BuildStructure(const Plan& plan, std::string_view agency, std::string_view flow_id,
                      Context* cx, sdmx::DataStructure* s) {
  const std::vector<std::string>& header = cx->mapping.columns;
  ColumnMapping& m = cx->mapping;
  m.roles.assign(header.size(), ColumnRole{});
  s->agency = std::string(agency);
  s->id = "DSD_" + std::string(flow_id);
  s->name = std::string(flow_id);
  bool wide_area = plan.wide_kind == "area";
  std::string wide_id;
  std::vector<std::string> area_ids = AreaIds(*cx, plan, wide_area, &wide_id);
  std::set<std::string> used = {"TIME_PERIOD", "OBS_VALUE", "MEASURE"};
  bool any_area = !plan.area_columns.empty() || wide_area;
  sdmx::Codelist* areas = nullptr;
  if (any_area) areas = &AddCodelist(s, "CL_AREA", "Areas (ISO 3166, M49)");
  // REF_AREA first, COUNTERPART_AREA second, then other areas, then other dimensions.
  std::vector<std::pair<std::string, std::string>> area_dims;  // id, name
  for (size_t i = 0; i < plan.area_columns.size(); ++i) {
    size_t j = plan.area_columns[i];
    area_dims.emplace_back(area_ids[i], header[j]);
    m.roles[j] = {Kind::kDimension, area_ids[i], "", ""};
    const ColumnStats& st = cx->stats[j];
    for (const std::string& v : st.order) {
      if (std::optional<Area> a = ResolveArea(v)) AddCode(areas, a->code, a->name);
    }
    if (st.empty > 0) {
      m.roles[j].empty_code = "_U";
      AddCode(areas, "_U", "Unknown");
      Note(cx, header[j], "empty_codes",
           std::to_string(st.empty) + " empty cells in column '" + header[j] +
               "': read as _U (unknown), as UNHCR leaves an unknown origin blank");
    }
    NoteAreas(st, header[j], area_ids[i], cx);
  }
  if (wide_area) {
    area_dims.emplace_back(wide_id, "Area named by the header");
    m.wide_dimension = wide_id;
    std::vector<std::string> names;
    for (size_t j : plan.wide) {
      std::optional<Area> a = ResolveArea(header[j]);
      AddCode(areas, a->code, a->name);
      m.roles[j] = {Kind::kWideValues, wide_id, "", ""};
      names.push_back(header[j]);
    }
    Note(cx, "", "areas_as_columns",
         std::to_string(plan.wide.size()) + " columns are areas (" + Quoted(names, names.size()) +
             "): a wide table, one observation per cell, the "
             "header cell coding " +
             wide_id);
  }
  std::sort(area_dims.begin(), area_dims.end());  // AREA_n < COUNTERPART_AREA < REF_AREA
  std::reverse(area_dims.begin(), area_dims.end());
  std::stable_partition(area_dims.begin(), area_dims.end(), [](const auto& d) {
    return d.first == "REF_AREA" || d.first == "COUNTERPART_AREA";
  });
  for (const auto& [id, name] : area_dims) {
    std::string label = id == "REF_AREA"           ? "Reference area (" + name + ")"
                        : id == "COUNTERPART_AREA" ? "Counterpart area (" + name + ")"
                                                   : name;
    AddAreaDimension(id, label, s);
    used.insert(id);
  }
  if (areas) {
    std::sort(areas->codes.begin(), areas->codes.end(),
              [](const sdmx::Code& a, const sdmx::Code& b) { return a.id < b.id; });
  }
  for (size_t j : plan.other_dims) {
    std::string id =
        UniqueId(NameHas(header[j], {"sex", "gender"}) ? "SEX" : SdmxId(header[j]), used);
    used.insert(id);
    sdmx::Codelist& cl = AddCodelist(s, "CL_" + id, header[j]);
    FillCodes(cx->stats[j], id, &cl);
    s->dimensions.push_back({id, header[j], cl.id, "Observation"});
    m.roles[j] = {Kind::kDimension, id, "", ""};
    if (cx->stats[j].empty > 0) {
      m.roles[j].empty_code = "_U";
      AddCode(&cl, "_U", "Unknown");
    }
    Note(cx, header[j], "dimension",
         "column '" + header[j] + "' is dimension " + id + " with " +
             std::to_string(cl.codes.size()) +
             " codes: " + Quoted(cx->stats[j].order, cx->stats[j].order.size()));
  }
  if (plan.wide_kind == "time") {
    m.wide_dimension = "TIME_PERIOD";
    std::vector<std::string> years;
    for (size_t j : plan.wide) {
      m.roles[j] = {Kind::kWideValues, "TIME_PERIOD", "", ""};
      years.push_back(header[j]);
    }
    Note(cx, "", "years_as_columns",
         std::to_string(plan.wide.size()) + " columns are periods (" + Quoted(years, years.size()) +
             "): a wide table, one observation per cell");
  } else {
    m.roles[plan.time_column] = {Kind::kTime, "", "", ""};
    Note(cx, header[plan.time_column], "time",
         "column '" + header[plan.time_column] + "' holds the periods (" +
             PeriodRange(cx->stats[plan.time_column]) + ")");
  }
  if (plan.values.size() >= 2) {
    sdmx::Codelist& cl = AddCodelist(s, "CL_MEASURE", "Measures");
    std::vector<std::string> codes;
    for (size_t j : plan.values) {
      std::string id = SdmxId(header[j]);
      if (id.empty()) id = "M" + std::to_string(j + 1);
      id = UniqueId(id, std::set<std::string>(codes.begin(), codes.end()));
      codes.push_back(id);
      AddCode(&cl, id, header[j]);
      m.roles[j] = {Kind::kValue, "", id, ""};
    }
    s->dimensions.push_back({"MEASURE", "Measure", "CL_MEASURE", "Observation"});
    Note(cx, "", "measures",
         std::to_string(plan.values.size()) +
             " value columns, told apart by dimension MEASURE: " + Quoted(codes, codes.size()));
  } else if (plan.values.size() == 1) {
    m.roles[plan.values[0]] = {Kind::kValue, "", "", ""};
  }
  for (size_t j : plan.attributes) {
    std::string id = UniqueId(SdmxId(header[j]), used);
    used.insert(id);
    s->attributes.push_back({id, header[j], "", "Observation"});
    m.roles[j] = {Kind::kAttribute, id, "", ""};
    Note(cx, header[j], "attribute",
         "column '" + header[j] + "' holds free text (" +
             (cx->stats[j].overflow
                  ? std::string("over ") + std::to_string(cx->stats[j].max_distinct)
                  : std::to_string(cx->stats[j].distinct.size())) +
             " different values): kept as attribute " + id);
  }
  for (const auto& [j, why] : plan.ignored) {
    m.roles[j] = {Kind::kIgnored, "", "", ""};
    Note(cx, header[j], "ignored_column", "column '" + header[j] + "' is ignored: " + why);
  }
  for (const sdmx::Component& c : s->dimensions) s->concepts.push_back({c.id, c.name});
  s->concepts.push_back({"TIME_PERIOD", "Time period"});
  s->concepts.push_back({"OBS_VALUE", "Observation value"});
  for (const sdmx::Component& c : s->attributes) s->concepts.push_back({c.id, c.name});
  return Ok();
}

void NoteLines(Context* cx) {
  if (cx->mapping.header_line > 1) {
    Note(cx, "", "header_line",
         "the header is line " + std::to_string(cx->mapping.header_line) +
             "; lines before it "
             "(titles, notes) are skipped");
  }
  if (cx->mapping.delimiter != ',') {
    std::string d = cx->mapping.delimiter == '\t' ? "TAB" : std::string(1, cx->mapping.delimiter);
    Note(cx, "", "delimiter", "cells are separated by '" + d + "'");
  }
  if (cx->note_lines > 0) {
    cx->mapping.skip_note_lines = true;
    Note(cx, "", "note_lines",
         std::to_string(cx->note_lines) +
             " lines hold a single cell (titles, notes, sources): "
             "skipped; lines " +
             Lines(cx->note_line_numbers, cx->note_lines));
  }
  if (cx->ragged > 0) {
    Note(cx, "", "ragged_rows",
         std::to_string(cx->ragged) + " lines have another number of cells than the header (" +
             std::to_string(cx->mapping.columns.size()) + "): each is a problem on upload; lines " +
             Lines(cx->ragged_lines, cx->ragged));
  }
  std::map<std::string, int> seen;
  for (const std::string& h : cx->mapping.columns) {
    if (!h.empty() && ++seen[h] == 2) {
      Note(cx, h, "duplicate_column",
           "the header names column '" + h + "' more than once: a problem on upload");
    }
  }
}

}  // namespace

Result<Inference> InferStructure(std::string_view text, std::string_view agency,
                                 std::string_view flow_id) {
  Result<csv::Dialect> dialect = csv::Sniff(text);
  if (!dialect.ok()) return std::move(dialect).TakeError();
  std::vector<SampleRecord> sample;
  {
    csv::Reader reader(text, *dialect);
    std::vector<std::string_view> fields;
    while (sample.size() < kSampleRecords) {
      Result<bool> more = reader.Next(&fields);
      if (!more.ok()) return std::move(more).TakeError();
      if (!*more) break;
      SampleRecord r{reader.line(), {}};
      for (std::string_view f : fields) r.cells.emplace_back(TrimCell(f));
      sample.push_back(std::move(r));
    }
  }
  Result<HeaderGuess> header = FindHeader(sample);
  if (!header.ok()) return std::move(header).TakeError();
  Context cx;
  cx.mapping.delimiter = dialect->delimiter;
  cx.mapping.header_line = header->line;
  cx.mapping.columns = header->cells;
  GMG_RETURN_IF_ERROR(ScanData(text, *dialect, &cx));
  if (cx.rows == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no data rows after the header (line " + std::to_string(header->line) + ")");
  }
  Plan plan;
  FindWide(cx, &plan);
  ClassifyColumns(cx, &plan);
  if (plan.values.empty() && plan.wide.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no value column found: no column holds numbers (missing markers aside), "
                     "and no header cells are years or areas over columns of numbers");
  }
  if (plan.wide_kind != "time" && plan.time_column < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no time found: no column holds periods (years such as 1990, or 1990-Q1, "
                     "1990-05), and the header cells are not years");
  }
  Inference inf;
  NoteLines(&cx);
  GMG_RETURN_IF_ERROR(BuildStructure(plan, agency, flow_id, &cx, &inf.structure));
  NoteValues(plan, &cx);
  inf.mapping = std::move(cx.mapping);
  inf.notes = std::move(cx.notes);
  inf.preview_observations = cx.value_cells;
  return inf;
}

// ---- Applying a mapping -----------------------------------------------------------------------

namespace {

// Resolves the cells of one dimension to the codes of its codelist.
class CodeResolver {
 public:
  CodeResolver(const sdmx::Codelist* codelist, std::string dimension)
      : dimension_(std::move(dimension)) {
    if (codelist == nullptr) return;
    area_ = codelist->id == "CL_AREA" || dimension_.find("AREA") != std::string::npos;
    for (const sdmx::Code& c : codelist->codes) {
      ids_.emplace(c.id, c.id);
      names_.emplace(NormaliseAreaName(c.name), c.id);
    }
    coded_ = true;
  }

  // The code of `cell`, or nullptr. The pointer stays valid for the resolver's life.
  const std::string* Resolve(std::string_view cell) {
    auto hit = cache_.find(cell);
    if (hit != cache_.end()) return hit->second ? &*hit->second : nullptr;
    if (cache_.size() > 100000) cache_.clear();  // bounded: a file of all-different names
    auto [it, inserted] = cache_.emplace(std::string(cell), Lookup(cell));
    return it->second ? &*it->second : nullptr;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::optional<std::string> Lookup(std::string_view cell) const {
    if (!coded_) return std::string(cell);
    if (auto it = ids_.find(std::string(cell)); it != ids_.end()) return it->second;
    if (area_) {
      std::optional<Area> a = ResolveArea(cell);
      if (a && ids_.count(a->code) != 0) return a->code;
    }
    if (auto it = names_.find(NormaliseAreaName(cell)); it != names_.end()) return it->second;
    if (dimension_ == "SEX") {
      if (std::optional<std::string> s = SexCode(cell); s && ids_.count(*s) != 0) return *s;
    }
    if (auto it = ids_.find(SdmxId(cell)); it != ids_.end()) return it->second;
    return std::nullopt;
  }

  std::string dimension_;
  bool area_ = false;
  bool coded_ = false;
  std::unordered_map<std::string, std::string> ids_;
  std::unordered_map<std::string, std::string> names_;
  std::unordered_map<std::string, std::optional<std::string>, Hash, std::equal_to<>> cache_;
};

class Applier {
 public:
  Applier(const ColumnMapping& m, const sdmx::DataStructure& s, const sdmx::ObservationSink& sink,
          std::vector<Problem>* problems, int64_t* count, size_t max_problems)
      : m_(m), s_(s), sink_(sink), problems_(problems), count_(count), max_(max_problems) {}

  Status Run(std::string_view text);

 private:
  void Report(int64_t line, std::string column, std::string rule, std::string message) {
    ++*count_;
    if (problems_->size() < max_) {
      problems_->push_back({line, std::move(column), std::move(rule), std::move(message)});
    }
  }
  Status Prepare(const std::vector<std::string_view>& header, int64_t line);
  Status Row(const std::vector<std::string_view>& fields, int64_t line);
  bool RowKey(const std::vector<std::string_view>& fields, int64_t line);

  struct Column {
    Kind kind = Kind::kIgnored;
    int key_index = -1;        // kDimension: slot in the key
    int attribute_index = -1;  // kAttribute
    CodeResolver* resolver = nullptr;
    const std::string* empty_code = nullptr;
    std::string wide_code;     // kWideValues: the code or period the header names
    bool wide_period = false;  // kWideValues: wide_code is a period (else a code of the key)
    std::string measure;       // kValue with MEASURE
  };

  const ColumnMapping& m_;
  const sdmx::DataStructure& s_;
  const sdmx::ObservationSink& sink_;
  std::vector<Problem>* problems_;
  int64_t* count_;
  size_t max_;
  std::vector<Column> columns_;
  std::vector<std::unique_ptr<CodeResolver>> resolvers_;
  std::vector<std::string_view> key_;
  std::vector<std::string_view> attributes_;
  std::vector<std::string> constants_;  // owned codes of mapping.constants
  int wide_key_index_ = -1;
  int measure_index_ = -1;
  int time_column_ = -1;
  std::string period_;
  std::string number_;
};

Status Applier::Prepare(const std::vector<std::string_view>& header, int64_t line) {
  if (header.size() != m_.columns.size() || m_.roles.size() != m_.columns.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "line " + std::to_string(line) + ": the header has " +
                         std::to_string(header.size()) + " columns, the mapping " +
                         std::to_string(m_.columns.size()));
  }
  for (size_t j = 0; j < header.size(); ++j) {
    if (TrimCell(header[j]) != TrimCell(m_.columns[j])) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "line " + std::to_string(line) + ", column " + std::to_string(j + 1) +
                           ": the header says '" + std::string(TrimCell(header[j])) +
                           "', the mapping '" + m_.columns[j] + "'");
    }
  }
  key_.assign(s_.dimensions.size(), std::string_view());
  attributes_.assign(s_.attributes.size(), std::string_view());
  measure_index_ = s_.DimensionIndex("MEASURE");
  std::map<std::string, int> seen;
  columns_.assign(header.size(), Column{});
  std::vector<bool> keyed(s_.dimensions.size(), false);
  for (size_t j = 0; j < header.size(); ++j) {
    const ColumnRole& role = m_.roles[j];
    Column& c = columns_[j];
    c.kind = role.kind;
    std::string name(TrimCell(header[j]));
    if (!name.empty() && ++seen[name] == 2 && role.kind != Kind::kIgnored) {
      Report(line, name, "duplicate_column", "the header names column '" + name + "' twice");
    }
    auto fail = [&](const std::string& why) {
      std::string message = "the mapping of column '" + name + "' ";
      message += why;
      return MakeError(ErrorCode::kInvalidArgument, message);
    };
    switch (role.kind) {
      case Kind::kDimension: {
        c.key_index = s_.DimensionIndex(role.dimension);
        if (c.key_index < 0) return fail("names no dimension of the structure");
        keyed[c.key_index] = true;
        const sdmx::Codelist* cl = s_.FindCodelist(s_.dimensions[c.key_index].codelist);
        resolvers_.push_back(std::make_unique<CodeResolver>(cl, role.dimension));
        c.resolver = resolvers_.back().get();
        if (!role.empty_code.empty()) c.empty_code = &role.empty_code;
        break;
      }
      case Kind::kTime:
        time_column_ = static_cast<int>(j);
        break;
      case Kind::kValue:
        c.measure = role.measure;
        if (measure_index_ >= 0 && c.measure.empty()) return fail("gives no MEASURE code");
        break;
      case Kind::kWideValues: {
        c.measure = role.measure;
        if (role.dimension == s_.time_dimension || role.dimension == "TIME_PERIOD") {
          if (!NormalisePeriod(name, &c.wide_code)) return fail("is not a period");
          c.wide_period = true;
          break;
        }
        int k = s_.DimensionIndex(role.dimension);
        if (k < 0) return fail("names no dimension of the structure");
        wide_key_index_ = k;
        keyed[k] = true;
        CodeResolver r(s_.FindCodelist(s_.dimensions[k].codelist), role.dimension);
        const std::string* code = r.Resolve(name);
        if (code == nullptr) return fail("is no code of " + role.dimension);
        c.wide_code = *code;
        break;
      }
      case Kind::kAttribute:
        c.attribute_index = s_.AttributeIndex(role.dimension);
        if (c.attribute_index < 0) return fail("names no attribute of the structure");
        break;
      case Kind::kIgnored:
        break;
    }
  }
  if (measure_index_ >= 0) keyed[measure_index_] = true;
  constants_.reserve(m_.constants.size());
  for (const auto& [dim, code] : m_.constants) {
    int k = s_.DimensionIndex(dim);
    if (k < 0) return MakeError(ErrorCode::kInvalidArgument, "constant of unknown " + dim);
    constants_.push_back(code);
    key_[k] = constants_.back();
    keyed[k] = true;
  }
  bool wide_time = m_.wide_dimension == "TIME_PERIOD" || m_.wide_dimension == s_.time_dimension;
  if (time_column_ < 0 && !wide_time) {
    return MakeError(ErrorCode::kInvalidArgument, "the mapping gives no time column");
  }
  for (size_t k = 0; k < keyed.size(); ++k) {
    if (!keyed[k]) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the mapping gives no column for dimension " + s_.dimensions[k].id);
    }
  }
  return Ok();
}

// Fills the key from the row's dimension cells; false (problems reported) when one fails.
bool Applier::RowKey(const std::vector<std::string_view>& fields, int64_t line) {
  bool ok = true;
  for (size_t j = 0; j < fields.size(); ++j) {
    Column& c = columns_[j];
    if (c.kind == Kind::kAttribute) {
      attributes_[c.attribute_index] = TrimCell(fields[j]);
      continue;
    }
    if (c.kind != Kind::kDimension) continue;
    std::string_view cell = TrimCell(fields[j]);
    if (cell.empty()) {
      if (c.empty_code != nullptr) {
        key_[c.key_index] = *c.empty_code;
        continue;
      }
      Report(line, m_.columns[j], "missing_code", "no code given");
      ok = false;
      continue;
    }
    const std::string* code = c.resolver->Resolve(cell);
    if (code == nullptr) {
      Report(line, m_.columns[j], "unknown_code",
             "'" + std::string(cell) + "' is no code of " + s_.dimensions[c.key_index].id);
      ok = false;
      continue;
    }
    key_[c.key_index] = *code;
  }
  if (time_column_ >= 0) {
    std::string_view cell = TrimCell(fields[time_column_]);
    if (!NormalisePeriod(cell, &period_)) {
      Report(line, m_.columns[time_column_], "bad_period",
             "'" + std::string(cell) + "' is not a period (1990, 1990-Q1, 1990-05, 1990-05-31)");
      ok = false;
    }
  }
  return ok;
}

Status Applier::Row(const std::vector<std::string_view>& fields, int64_t line) {
  if (!RowKey(fields, line)) return Ok();
  sdmx::ObservationView obs;
  obs.key = key_;
  obs.attributes = attributes_;
  obs.line = line;
  for (size_t j = 0; j < fields.size(); ++j) {
    const Column& c = columns_[j];
    if (c.kind != Kind::kValue && c.kind != Kind::kWideValues) continue;
    if (c.kind == Kind::kWideValues) {
      if (c.wide_period) {
        obs.period = c.wide_code;
      } else {
        key_[wide_key_index_] = c.wide_code;
        obs.period = period_;
      }
    } else {
      obs.period = period_;
    }
    if (measure_index_ >= 0 && !c.measure.empty()) key_[measure_index_] = c.measure;
    std::string_view cell = TrimCell(fields[j]);
    if (IsMissing(cell, m_.missing_markers)) {
      obs.value = std::string_view();
    } else if (NormaliseNumber(cell, m_.decimal_mark, &number_)) {
      obs.value = number_;
    } else {
      Report(line, m_.columns[j], "not_a_number",
             "'" + std::string(cell) + "' is not a number (nor a missing marker)");
      continue;
    }
    GMG_RETURN_IF_ERROR(sink_(obs));
  }
  return Ok();
}

bool BlankRecord(const std::vector<std::string_view>& fields) {
  return std::all_of(fields.begin(), fields.end(),
                     [](std::string_view f) { return TrimCell(f).empty(); });
}

Status Applier::Run(std::string_view text) {
  csv::Reader reader(text, DialectOf(text, m_.delimiter));
  std::vector<std::string_view> fields;
  bool header_seen = false;
  for (;;) {
    Result<bool> more = reader.Next(&fields);
    if (!more.ok()) {
      Report(reader.line(), "", "csv_syntax", more.error().message + " (reading stopped there)");
      break;
    }
    if (!*more) break;
    int64_t line = reader.line();
    if (!header_seen) {
      if (line < m_.header_line) continue;
      header_seen = true;
      GMG_RETURN_IF_ERROR(Prepare(fields, line));
      continue;
    }
    if (BlankRecord(fields)) continue;
    if (fields.size() != m_.columns.size()) {
      auto filled = static_cast<size_t>(std::count_if(
          fields.begin(), fields.end(), [](std::string_view f) { return !TrimCell(f).empty(); }));
      if (m_.skip_note_lines && filled == 1 && !TrimCell(fields[0]).empty()) continue;
      Report(line, "", "field_count",
             "the line has " + std::to_string(fields.size()) + " cells, the header " +
                 std::to_string(m_.columns.size()));
      continue;
    }
    if (m_.skip_note_lines && m_.columns.size() > 2 && !TrimCell(fields[0]).empty() &&
        std::all_of(fields.begin() + 1, fields.end(),
                    [](std::string_view f) { return TrimCell(f).empty(); })) {
      continue;
    }
    GMG_RETURN_IF_ERROR(Row(fields, line));
  }
  if (!header_seen) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the text ends before the header line " + std::to_string(m_.header_line));
  }
  return Ok();
}

}  // namespace

Status ApplyMapping(std::string_view text, const ColumnMapping& mapping,
                    const sdmx::DataStructure& structure, const sdmx::ObservationSink& sink,
                    std::vector<Problem>* problems, int64_t* problem_count, size_t max_problems) {
  *problem_count = 0;
  Applier applier(mapping, structure, sink, problems, problem_count, max_problems);
  return applier.Run(text);
}

}  // namespace gmg::stats
