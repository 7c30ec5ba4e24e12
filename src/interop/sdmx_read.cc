#include "interop/sdmx_read.h"

#include <expat.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "interop/csv_reader.h"

namespace gmg::sdmx {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr size_t kXmlChunk = size_t{64} * 1024;

// An error at `line` (and 1-based `column`, 0 = none) with the position also as details, as the
// CSV reader gives them, so an import report can show both the same way.
Error ReadError(int64_t line, int64_t column, const std::string& problem, std::string rule) {
  std::string where = "line " + std::to_string(line);
  std::vector<std::pair<std::string, std::string>> args = {{"line", std::to_string(line)}};
  if (column > 0) {
    where += ", column " + std::to_string(column);
    args.emplace_back("column", std::to_string(column));
  }
  Error error = MakeError(ErrorCode::kInvalidArgument, where + ": " + problem);
  error.details.emplace_back("sdmx", problem, std::move(rule), std::move(args));
  return error;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "ID: Name" (labels=both) → "ID".
std::string_view IdOf(std::string_view labelled) {
  size_t colon = labelled.find(": ");
  return colon == std::string_view::npos ? labelled : labelled.substr(0, colon);
}

// "UNDESA:MIGRANT_STOCK(1.0)" (labels=both may add ": name") into *info.
void ParseStructureId(std::string_view text, MessageInfo* info) {
  text = IdOf(Trim(text));
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    info->id = std::string(text);
    return;
  }
  info->agency = std::string(text.substr(0, colon));
  text.remove_prefix(colon + 1);
  size_t open = text.find('(');
  if (open != std::string_view::npos && text.back() == ')') {
    info->version = std::string(text.substr(open + 1, text.size() - open - 2));
    text = text.substr(0, open);
  }
  info->id = std::string(text);
}

std::optional<Action> ActionOf(std::string_view text) {
  if (text.empty()) return Action::kInformation;
  if (text.size() == 1) {
    switch (text[0]) {
      case 'I':
        return Action::kInformation;
      case 'A':
      case 'M':  // SDMX 3.0 "Merge": an append
        return Action::kAppend;
      case 'R':
        return Action::kReplace;
      case 'D':
        return Action::kDelete;
      default:
        return std::nullopt;
    }
  }
  if (text == "Information") return Action::kInformation;
  if (text == "Append" || text == "Merge") return Action::kAppend;
  if (text == "Replace") return Action::kReplace;
  if (text == "Delete") return Action::kDelete;
  return std::nullopt;
}

// Where each component is in an SDMX-CSV header.
struct CsvColumns {
  int structure = -1;  // DATAFLOW (1.0) or STRUCTURE (2.0)
  int structure_id = -1;
  int action = -1;
  std::vector<int> dimensions;
  int time = -1;
  int value = -1;
  std::vector<int> attributes;
  bool labels = false;
};

Result<CsvColumns> MapHeader(const std::vector<std::string>& header, const DataStructure& ds,
                             std::vector<std::string>* ignored) {
  CsvColumns c;
  c.dimensions.assign(ds.dimensions.size(), -1);
  c.attributes.assign(ds.attributes.size(), -1);
  for (size_t i = 0; i < header.size(); ++i) {
    auto col = static_cast<int>(i);
    std::string_view name = Trim(header[i]);
    if (name.find(": ") != std::string_view::npos) c.labels = true;
    std::string_view id = IdOf(name);
    if (i == 0 && (EqualsIgnoringCase(id, "DATAFLOW") ||
                   EqualsIgnoringCase(id.substr(0, id.find('[')), "STRUCTURE"))) {
      c.structure = col;
    } else if (EqualsIgnoringCase(id, "STRUCTURE_ID")) {
      c.structure_id = col;
    } else if (EqualsIgnoringCase(id, "ACTION")) {
      c.action = col;
    } else if (int d = ds.DimensionIndex(id); d >= 0 && c.dimensions[d] < 0) {
      c.dimensions[d] = col;
    } else if (int a = ds.AttributeIndex(id); a >= 0 && c.attributes[a] < 0) {
      c.attributes[a] = col;
    } else if (id == ds.time_dimension && c.time < 0) {
      c.time = col;
    } else if (id == ds.primary_measure && c.value < 0) {
      c.value = col;
    } else if (ignored != nullptr) {
      ignored->emplace_back(header[i]);
    }
  }
  auto missing = [&](const std::string& what) {
    return ReadError(1, 0, "the header has no column for " + what, "missing_column");
  };
  if (c.structure < 0) return missing("DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (2.0)");
  if (c.structure_id < 0 && EqualsIgnoringCase(IdOf(Trim(header[0])).substr(0, 9), "STRUCTURE")) {
    return missing("STRUCTURE_ID");
  }
  for (size_t d = 0; d < c.dimensions.size(); ++d) {
    if (c.dimensions[d] < 0) return missing("the dimension " + ds.dimensions[d].id);
  }
  if (c.time < 0) return missing("the time dimension " + ds.time_dimension);
  if (c.value < 0) return missing("the measure " + ds.primary_measure);
  return c;
}

}  // namespace

InputFormat DetectFormat(std::string_view text) {
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return InputFormat::kUnknown;
  if (text[first] == '<') return InputFormat::kSdmxMl21;
  auto dialect = csv::Sniff(text);
  if (!dialect.ok()) return InputFormat::kNotCsv;
  csv::Reader reader(text, *dialect);
  std::vector<std::string_view> fields;
  auto more = reader.Next(&fields);
  if (!more.ok() || !*more || fields.empty()) return InputFormat::kPlainCsv;
  std::string_view head = IdOf(Trim(fields[0]));
  if (EqualsIgnoringCase(head, "DATAFLOW")) return InputFormat::kSdmxCsv10;
  if (EqualsIgnoringCase(head.substr(0, head.find('[')), "STRUCTURE")) {
    return InputFormat::kSdmxCsv20;
  }
  return InputFormat::kPlainCsv;
}

Result<MessageInfo> ReadSdmxCsv(std::string_view text, const DataStructure& structure,
                                const ObservationSink& sink,
                                std::vector<std::string>* ignored_columns) {
  GMG_ASSIGN_OR_RETURN(csv::Dialect dialect, csv::Sniff(text));
  csv::Reader reader(text, dialect);
  std::vector<std::string_view> fields;
  MessageInfo info;
  GMG_ASSIGN_OR_RETURN(bool any, reader.Next(&fields));
  if (!any) return ReadError(1, 0, "the file has no header row", "missing_header");
  info.columns.assign(fields.begin(), fields.end());
  GMG_ASSIGN_OR_RETURN(CsvColumns cols, MapHeader(info.columns, structure, ignored_columns));
  const bool v2 = cols.structure_id >= 0;

  std::vector<std::string_view> key(structure.dimensions.size());
  std::vector<std::string_view> attributes(structure.attributes.size());
  ObservationView obs;
  obs.key = key;
  obs.attributes = attributes;
  bool first_row = true;
  for (;;) {
    GMG_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    const int64_t line = reader.line();
    if (fields.size() != info.columns.size()) {
      return ReadError(line, 0,
                       "the row has " + std::to_string(fields.size()) +
                           " fields but the header has " + std::to_string(info.columns.size()),
                       "field_count");
    }
    if (v2 && !EqualsIgnoringCase(Trim(fields[cols.structure]), "dataflow")) {
      return ReadError(line, cols.structure + 1,
                       "STRUCTURE is \"" + std::string(fields[cols.structure].substr(0, 40)) +
                           R"("; only "dataflow" is accepted)",
                       "structure_type");
    }
    if (first_row) {
      ParseStructureId(fields[v2 ? cols.structure_id : cols.structure], &info);
      first_row = false;
    }
    obs.action = Action::kInformation;
    if (cols.action >= 0) {
      auto action = ActionOf(Trim(fields[cols.action]));
      if (!action) {
        return ReadError(line, cols.action + 1,
                         "unknown ACTION \"" + std::string(fields[cols.action].substr(0, 20)) +
                             "\" (I, A, R or D)",
                         "unknown_action");
      }
      obs.action = *action;
    }
    for (size_t d = 0; d < key.size(); ++d) {
      std::string_view v = fields[cols.dimensions[d]];
      key[d] = cols.labels ? IdOf(v) : v;
    }
    for (size_t a = 0; a < attributes.size(); ++a) {
      std::string_view v = cols.attributes[a] < 0 ? std::string_view() : fields[cols.attributes[a]];
      attributes[a] = cols.labels ? IdOf(v) : v;
    }
    obs.period = fields[cols.time];
    obs.value = fields[cols.value];
    obs.line = line;
    GMG_RETURN_IF_ERROR(sink(obs));
  }
  return info;
}

// ---- SDMX-ML 2.1 structure-specific data, streamed with expat -------------------------------

namespace {

std::string_view LocalName(const char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// The state of one read: which element we are in, the values the current DataSet and Series
// give, and the first error.
class MlReader {
 public:
  MlReader(const DataStructure& ds, const ObservationSink& sink)
      : ds_(ds),
        sink_(sink),
        dataset_attrs_(ds.attributes.size()),
        series_key_(ds.dimensions.size()),
        series_attrs_(ds.attributes.size()),
        key_(ds.dimensions.size()),
        attrs_(ds.attributes.size()) {}

  Result<MessageInfo> Read(std::string_view text);

 private:
  const DataStructure& ds_;
  const ObservationSink& sink_;
  XML_Parser parser_ = nullptr;
  std::optional<Error> error_;
  MessageInfo info_;
  bool in_dataset_ = false;
  bool in_series_ = false;
  bool in_structure_usage_ = false;
  bool saw_dataset_ = false;
  Action action_ = Action::kInformation;
  // Values copied from the DataSet and Series elements (expat's strings end with the call).
  std::vector<std::string> dataset_attrs_;
  std::vector<std::string> series_key_;
  std::vector<std::string> series_attrs_;
  std::vector<bool> series_has_key_;
  std::vector<bool> obs_has_key_;
  // The views of the observation being sent.
  std::vector<std::string_view> key_;
  std::vector<std::string_view> attrs_;

  static void XMLCALL OnStart(void* self, const XML_Char* name, const XML_Char** atts) {
    static_cast<MlReader*>(self)->Start(LocalName(name), atts);
  }
  static void XMLCALL OnEnd(void* self, const XML_Char* name) {
    static_cast<MlReader*>(self)->End(LocalName(name));
  }
  static void XMLCALL OnDoctype(void* self, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
                                const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
    static_cast<MlReader*>(self)->Fail("a DOCTYPE is not accepted in an SDMX-ML message",
                                       "doctype");
  }

  int64_t Line() const { return static_cast<int64_t>(XML_GetCurrentLineNumber(parser_)); }
  void Fail(const std::string& problem, std::string rule) {
    if (!error_) error_ = ReadError(Line(), 0, problem, std::move(rule));
    XML_StopParser(parser_, XML_FALSE);
  }
  void Fail(Error error) {
    if (!error_) error_ = std::move(error);
    XML_StopParser(parser_, XML_FALSE);
  }

  void Start(std::string_view name, const XML_Char** atts);
  void End(std::string_view name);
  void StartDataSet(const XML_Char** atts);
  void StartSeries(const XML_Char** atts);
  void StartObs(const XML_Char** atts);
};

void MlReader::Start(std::string_view name, const XML_Char** atts) {
  if (in_series_ || (in_dataset_ && name == "Obs")) {
    if (name == "Obs") StartObs(atts);
    return;
  }
  if (in_dataset_) {
    if (name == "Series") StartSeries(atts);
    return;  // Group and annotations: not read
  }
  if (name == "DataSet") {
    StartDataSet(atts);
  } else if (name == "StructureUsage" || name == "Structure") {
    in_structure_usage_ = true;
  } else if (name == "Ref" && in_structure_usage_ && info_.id.empty()) {
    for (size_t i = 0; atts[i] != nullptr; i += 2) {
      std::string_view k = LocalName(atts[i]);
      if (k == "agencyID") info_.agency = atts[i + 1];
      if (k == "id") info_.id = atts[i + 1];
      if (k == "version") info_.version = atts[i + 1];
    }
  }
}

void MlReader::End(std::string_view name) {
  if (name == "Series") {
    in_series_ = false;
  } else if (name == "DataSet") {
    in_dataset_ = false;
  } else if (name == "Structure" || name == "StructureUsage") {
    in_structure_usage_ = false;
  }
}

void MlReader::StartDataSet(const XML_Char** atts) {
  in_dataset_ = true;
  saw_dataset_ = true;
  action_ = Action::kInformation;
  std::fill(dataset_attrs_.begin(), dataset_attrs_.end(), std::string());
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    std::string_view k(atts[i]);
    if (k == "action") {
      auto action = ActionOf(atts[i + 1]);
      if (!action) {
        return Fail("unknown dataset action \"" +
                        std::string(std::string_view(atts[i + 1]).substr(0, 20)) +
                        "\" (Information, Append, Replace, Delete)",
                    "unknown_action");
      }
      action_ = *action;
    } else if (int a = ds_.AttributeIndex(k); a >= 0) {
      dataset_attrs_[a] = atts[i + 1];
    }
  }
}

void MlReader::StartSeries(const XML_Char** atts) {
  in_series_ = true;
  series_has_key_.assign(series_key_.size(), false);
  for (size_t a = 0; a < series_attrs_.size(); ++a) series_attrs_[a] = dataset_attrs_[a];
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    std::string_view k(atts[i]);
    if (int d = ds_.DimensionIndex(k); d >= 0) {
      series_key_[d] = atts[i + 1];
      series_has_key_[d] = true;
    } else if (int a = ds_.AttributeIndex(k); a >= 0) {
      series_attrs_[a] = atts[i + 1];
    }
  }
}

void MlReader::StartObs(const XML_Char** atts) {
  std::vector<bool>& has = obs_has_key_;
  has.assign(key_.size(), false);
  for (size_t d = 0; d < key_.size(); ++d) {
    if (in_series_ && series_has_key_[d]) {
      key_[d] = series_key_[d];
      has[d] = true;
    }
  }
  for (size_t a = 0; a < attrs_.size(); ++a) {
    attrs_[a] = in_series_ ? series_attrs_[a] : dataset_attrs_[a];
  }
  ObservationView obs;
  bool has_period = false;
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    std::string_view k(atts[i]);
    std::string_view v(atts[i + 1]);
    if (k == ds_.time_dimension) {
      obs.period = v;
      has_period = true;
    } else if (k == ds_.primary_measure) {
      obs.value = v;
    } else if (int d = ds_.DimensionIndex(k); d >= 0) {
      key_[d] = v;
      has[d] = true;
    } else if (int a = ds_.AttributeIndex(k); a >= 0) {
      attrs_[a] = v;
    }
  }
  for (size_t d = 0; d < key_.size(); ++d) {
    if (!has[d] && action_ == Action::kDelete) {
      key_[d] = std::string_view();  // a wildcard: delete whatever the other positions name
    } else if (!has[d]) {
      return Fail("an Obs with no value for the dimension " + ds_.dimensions[d].id +
                      " (neither on it nor on its Series)",
                  "missing_dimension");
    }
  }
  if (!has_period && action_ != Action::kDelete) {
    return Fail("an Obs with no " + ds_.time_dimension, "missing_period");
  }
  obs.key = key_;
  obs.attributes = attrs_;
  obs.action = action_;
  obs.line = Line();
  Status status = sink_(obs);
  if (!status.ok()) Fail(std::move(status).TakeError());
}

Result<MessageInfo> MlReader::Read(std::string_view text) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreate(nullptr), &XML_ParserFree);
  if (!parser) return MakeError(ErrorCode::kInternal, "expat: out of memory");
  parser_ = parser.get();
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &MlReader::OnStart, &MlReader::OnEnd);
  XML_SetStartDoctypeDeclHandler(parser_, &MlReader::OnDoctype);
  size_t pos = 0;
  do {
    size_t n = std::min(kXmlChunk, text.size() - pos);
    bool last = pos + n == text.size();
    if (XML_Parse(parser_, text.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) !=
        XML_STATUS_OK) {
      if (error_) return *std::move(error_);
      auto line = static_cast<int64_t>(XML_GetCurrentLineNumber(parser_));
      auto column = static_cast<int64_t>(XML_GetCurrentColumnNumber(parser_)) + 1;
      return ReadError(line, column,
                       std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser_)),
                       "xml");
    }
    pos += n;
  } while (pos < text.size());
  if (error_) return *std::move(error_);
  if (!saw_dataset_) {
    return ReadError(1, 0, "not an SDMX-ML structure-specific data message: no DataSet element",
                     "no_dataset");
  }
  return std::move(info_);
}

}  // namespace

Result<MessageInfo> ReadSdmxMl(std::string_view text, const DataStructure& structure,
                               const ObservationSink& sink) {
  MlReader reader(structure, sink);
  return reader.Read(text);
}

}  // namespace gmg::sdmx
