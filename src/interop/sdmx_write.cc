#include "interop/sdmx_write.h"

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/date.h"
#include "interop/sdmx_key.h"
#include "interop/sdmx_text.h"

namespace gmg::sdmx {

namespace {

using text::AppendCsv;
using text::AppendInt;
using text::AppendJsonString;
using text::AppendNumber;
using text::AppendXml;
using text::OutBuffer;

constexpr std::string_view kSenderId = "GMG";
constexpr std::string_view kSenderName = "GMG Hub";

// Series and DataSet attributes are written once per series; Observation ones per observation.
bool SeriesLevel(const Component& c) {
  return c.attachment == "Series" || c.attachment == "DataSet";
}

// The value of attribute `a` for a whole series: the first observation's that is not empty.
std::string_view SeriesAttribute(const SeriesOut& s, size_t a) {
  for (const ObservationOut& o : s.observations) {
    if (a < o.attributes.size() && !o.attributes[a].empty()) return o.attributes[a];
  }
  return {};
}

std::string_view AttributeOf(const ObservationOut& o, size_t a) {
  return a < o.attributes.size() ? o.attributes[a] : std::string_view();
}

// Code → name of one component's codelist (views into the flow, which outlives the writer).
class CodeNames {
 public:
  CodeNames() = default;  // no names: codes are written alone
  CodeNames(const DataStructure& ds, const Component& c) {
    if (const Codelist* list = ds.FindCodelist(c.codelist)) {
      names_.reserve(list->codes.size());
      for (const Code& code : list->codes) names_.emplace(code.id, code.name);
    }
  }
  bool coded() const { return !names_.empty(); }
  std::string_view Name(std::string_view code) const {
    auto it = names_.find(code);
    return it == names_.end() ? std::string_view() : it->second;
  }

 private:
  std::unordered_map<std::string_view, std::string_view> names_;
};

std::vector<CodeNames> NamesOf(const DataStructure& ds, const std::vector<Component>& components) {
  std::vector<CodeNames> names;
  names.reserve(components.size());
  for (const Component& c : components) names.emplace_back(ds, c);
  return names;
}

// "UNDESA:MIGRANT_STOCK(1.0)"
std::string FlowRef(const Dataflow& flow) {
  return flow.agency + ":" + flow.id + "(" + flow.version + ")";
}

const Dataflow& FlowOf(const DataHeader& header) {
  static const Dataflow kNone;
  return header.flow != nullptr ? *header.flow : kNone;
}

// A text cell of the plain CSV, which spreadsheets open: one that a spreadsheet would take for
// a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, as
// the activities' CSV does. SDMX-CSV is data for programs and is written as it is.
void AppendSpreadsheetText(std::string* b, std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    std::string safe = "'";
    safe += text;
    AppendCsv(b, safe);
    return;
  }
  AppendCsv(b, text);
}

// ---- CSV: SDMX-CSV 1.0, 2.0 and plain --------------------------------------------------------

enum class CsvKind { kSdmx10, kSdmx20, kPlain };

class CsvWriter : public DataWriter {
 public:
  CsvWriter(CsvKind kind, Sink sink) : kind_(kind), out_(std::move(sink)) {}

  bool Begin(const DataHeader& header) override {
    flow_ = &FlowOf(header);
    const DataStructure& ds = flow_->structure;
    detail_ = header.detail;
    labels_ = header.labels && kind_ != CsvKind::kPlain;
    derived_column_ = header.derived_column;
    // Names are written only with labels, or in the plain CSV's name columns: building the maps
    // costs more than a one-series answer's every other step.
    if (labels_ || kind_ == CsvKind::kPlain) {
      dim_names_ = NamesOf(ds, ds.dimensions);
      attr_names_ = NamesOf(ds, ds.attributes);
    } else {
      dim_names_.assign(ds.dimensions.size(), CodeNames());
      attr_names_.assign(ds.attributes.size(), CodeNames());
    }
    for (size_t a = 0; a < ds.attributes.size(); ++a) {
      bool series = SeriesLevel(ds.attributes[a]);
      if (detail_ == Detail::kFull || (detail_ == Detail::kNoData && series)) {
        attributes_.push_back(a);
      }
    }
    observations_ = detail_ == Detail::kFull || detail_ == Detail::kDataOnly;
    WriteStructureValue();
    WriteHeaderRow();
    return out_.MaybeFlush();
  }

  bool Series(const SeriesOut& s) override {
    if (!out_.ok()) return false;
    std::string& b = out_.buf();
    prefix_ = structure_value_;
    for (size_t d = 0; d < s.key.size(); ++d) {
      if (d > 0 || !prefix_.empty()) prefix_ += ',';
      AppendCoded(&prefix_, s.key[d], dim_names_.size() > d ? &dim_names_[d] : nullptr);
    }
    std::string_view derived = s.derived ? ",true" : ",";
    if (!observations_) {
      b += prefix_;
      for (size_t a : attributes_) {
        b += ',';
        AppendCoded(&b, SeriesAttribute(s, a), &attr_names_[a]);
      }
      if (derived_column_) b += derived;
      b += '\n';
      return out_.MaybeFlush();
    }
    prefix_ += ',';
    for (const ObservationOut& o : s.observations) {
      b += prefix_;
      AppendCsv(&b, o.period);
      b += ',';
      if (!std::isnan(o.value)) AppendNumber(&b, o.value);
      for (size_t a : attributes_) {
        b += ',';
        AppendCoded(&b, AttributeOf(o, a), &attr_names_[a]);
      }
      if (derived_column_) b += derived;
      b += '\n';
      if (!out_.MaybeFlush()) return false;
    }
    return out_.ok();
  }

  bool End() override { return out_.Flush(); }

 private:
  CsvKind kind_;
  OutBuffer out_;
  const Dataflow* flow_ = nullptr;
  Detail detail_ = Detail::kFull;
  bool labels_ = false;
  bool derived_column_ = false;
  bool observations_ = true;
  std::vector<size_t> attributes_;  // the attribute columns written, by index
  std::vector<CodeNames> dim_names_;
  std::vector<CodeNames> attr_names_;
  std::string structure_value_;  // "UNDESA:MIGRANT_STOCK(1.0)" or "dataflow,…,I"
  std::string prefix_;           // the row's start, the same for a whole series

  // "BF", "BF: Burkina Faso" (labels) or "BF,Burkina Faso" (plain: code and name columns).
  void AppendCoded(std::string* b, std::string_view code, const CodeNames* names) const {
    if (kind_ == CsvKind::kPlain) {
      AppendSpreadsheetText(b, code);
      if (names != nullptr && names->coded()) {
        *b += ',';
        AppendSpreadsheetText(b, names->Name(code));
      }
      return;
    }
    std::string_view name = labels_ && names != nullptr && !code.empty() ? names->Name(code) : "";
    if (name.empty()) return AppendCsv(b, code);
    std::string labelled(code);
    labelled += ": ";
    labelled += name;
    AppendCsv(b, labelled);
  }

  void WriteStructureValue() {
    std::string ref = FlowRef(*flow_);
    if (labels_ && !flow_->name.empty()) ref += ": " + flow_->name;
    structure_value_.clear();
    if (kind_ == CsvKind::kSdmx10) {
      AppendCsv(&structure_value_, ref);
    } else if (kind_ == CsvKind::kSdmx20) {
      structure_value_ = "dataflow,";
      AppendCsv(&structure_value_, ref);
      structure_value_ += ",I";
    }
  }

  void AppendColumn(const Component& c, const CodeNames* names) {
    std::string& b = out_.buf();
    if (!b.empty() && b.back() != '\n' && b != "\xEF\xBB\xBF") b += ',';
    if (kind_ == CsvKind::kPlain) {
      AppendCsv(&b, c.id);
      if (names != nullptr && names->coded()) {
        b += ',';
        AppendSpreadsheetText(&b, c.name.empty() ? c.id + "_NAME" : c.name);
      }
      return;
    }
    AppendCsv(&b, labels_ && !c.name.empty() ? c.id + ": " + c.name : c.id);
  }

  void WriteHeaderRow() {
    const DataStructure& ds = flow_->structure;
    std::string& b = out_.buf();
    if (kind_ == CsvKind::kSdmx10) b += "DATAFLOW";
    if (kind_ == CsvKind::kSdmx20) b += "STRUCTURE,STRUCTURE_ID,ACTION";
    if (kind_ == CsvKind::kPlain) b += "\xEF\xBB\xBF";  // spreadsheets read UTF-8 by it
    for (size_t d = 0; d < ds.dimensions.size(); ++d)
      AppendColumn(ds.dimensions[d], &dim_names_[d]);
    if (observations_) {
      AppendColumn(Component{ds.time_dimension, "Time period", ""}, nullptr);
      AppendColumn(Component{ds.primary_measure, "Observation value", ""}, nullptr);
    }
    for (size_t a : attributes_) AppendColumn(ds.attributes[a], &attr_names_[a]);
    if (derived_column_) b += ",DERIVED";
    b += '\n';
  }
};

// ---- SDMX-JSON 1.0 and 2.0 data messages -----------------------------------------------------

// The values of one component in the order of their first use (JSON refers to them by index).
class ValueIndex {
 public:
  int IndexOf(std::string_view v) {
    auto it = index_.find(std::string(v));
    if (it != index_.end()) return it->second;
    auto i = static_cast<int>(values_.size());
    values_.emplace_back(v);
    index_.emplace(values_.back(), i);
    return i;
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::unordered_map<std::string, int> index_;
  std::vector<std::string> values_;
};

class JsonWriter : public DataWriter {
 public:
  JsonWriter(int version, Sink sink) : version_(version), out_(std::move(sink)) {}

  bool Begin(const DataHeader& header) override {
    flow_ = &FlowOf(header);
    const DataStructure& ds = flow_->structure;
    detail_ = header.detail;
    flat_ = header.dimension_at_observation == "AllDimensions";
    dims_.resize(ds.dimensions.size());
    for (size_t d = 0; d < dims_.size() && d < header.dimension_values.size(); ++d) {
      for (const std::string& code : header.dimension_values[d]) dims_[d].IndexOf(code);
    }
    for (const std::string& p : header.periods) periods_.IndexOf(p);
    attrs_.resize(ds.attributes.size());
    for (size_t a = 0; a < ds.attributes.size(); ++a) {
      if (detail_ == Detail::kDataOnly || detail_ == Detail::kSeriesKeysOnly) continue;
      bool series = SeriesLevel(ds.attributes[a]) && !flat_;
      if (series) series_attrs_.push_back(a);
      if (!series && detail_ == Detail::kFull) obs_attrs_.push_back(a);
    }
    observations_ = detail_ == Detail::kFull || detail_ == Detail::kDataOnly;
    WriteOpening(header);
    return out_.MaybeFlush();
  }

  bool Series(const SeriesOut& s) override {
    if (!out_.ok()) return false;
    key_.clear();
    for (size_t d = 0; d < s.key.size() && d < dims_.size(); ++d) {
      if (d > 0) key_ += ':';
      AppendInt(&key_, dims_[d].IndexOf(s.key[d]));
    }
    if (s.derived) derived_used_ = true;
    return flat_ ? FlatSeries(s) : NestedSeries(s);
  }

  bool End() override {
    std::string& b = out_.buf();
    b += "}}]";
    if (version_ == 1) {
      b += ",\"structure\":";
      WriteStructure();
      b += '}';
    } else {
      b += ",\"structures\":[";
      WriteStructure();
      b += "]}}";
    }
    return out_.Flush();
  }

 private:
  int version_;
  OutBuffer out_;
  const Dataflow* flow_ = nullptr;
  Detail detail_ = Detail::kFull;
  bool flat_ = false;
  bool observations_ = true;
  bool first_ = true;  // no series (or flat observation) written yet
  bool derived_used_ = false;
  std::vector<ValueIndex> dims_;
  ValueIndex periods_;
  std::vector<ValueIndex> attrs_;
  std::vector<size_t> series_attrs_;
  std::vector<size_t> obs_attrs_;
  std::string key_;

  void Separator() {
    if (!first_) out_.buf() += ',';
    first_ = false;
  }

  void AppendAttributeIndex(size_t a, std::string_view value) {
    if (value.empty()) {
      out_.buf() += "null";
    } else {
      AppendInt(&out_.buf(), attrs_[a].IndexOf(value));
    }
  }

  void AppendObservation(const ObservationOut& o) {
    std::string& b = out_.buf();
    b += '[';
    if (std::isnan(o.value)) {
      b += "null";
    } else {
      AppendNumber(&b, o.value);
    }
    for (size_t a : obs_attrs_) {
      b += ',';
      AppendAttributeIndex(a, AttributeOf(o, a));
    }
    b += ']';
  }

  bool NestedSeries(const SeriesOut& s) {
    std::string& b = out_.buf();
    Separator();
    AppendJsonString(&b, key_);
    b += ":{";
    if (detail_ != Detail::kSeriesKeysOnly && detail_ != Detail::kDataOnly) {
      b += "\"attributes\":[";
      for (size_t i = 0; i < series_attrs_.size(); ++i) {
        if (i > 0) b += ',';
        AppendAttributeIndex(series_attrs_[i], SeriesAttribute(s, series_attrs_[i]));
      }
      b += "],";
    }
    if (s.derived) b += "\"annotations\":[0],";
    b += "\"observations\":{";
    if (observations_) {
      bool first = true;
      for (const ObservationOut& o : s.observations) {
        if (!first) b += ',';
        first = false;
        b += '"';
        AppendInt(&b, periods_.IndexOf(o.period));
        b += "\":";
        AppendObservation(o);
        if (!out_.MaybeFlush()) return false;
      }
    }
    b += "}}";
    return out_.MaybeFlush();
  }

  bool FlatSeries(const SeriesOut& s) {
    if (!observations_) return out_.ok();
    for (const ObservationOut& o : s.observations) {
      std::string& b = out_.buf();
      Separator();
      b += '"';
      b += key_;
      if (!key_.empty()) b += ':';
      AppendInt(&b, periods_.IndexOf(o.period));
      b += "\":";
      AppendObservation(o);
      if (!out_.MaybeFlush()) return false;
    }
    return out_.ok();
  }

  void WriteOpening(const DataHeader& header) {
    std::string& b = out_.buf();
    if (version_ == 1) {
      b += R"({"header":{"id":)";
    } else {
      b += "{\"meta\":{\"schema\":\"https://raw.githubusercontent.com/sdmx-twg/sdmx-json/v2.0.0/"
           "data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json\",\"id\":";
    }
    AppendJsonString(&b, header.id);
    b += R"(,"test":false,"prepared":)";
    AppendJsonString(&b, header.prepared);
    if (version_ == 2) b += R"(,"contentLanguages":["en"])";
    b += R"(,"sender":{"id":)";
    AppendJsonString(&b, kSenderId);
    b += ",\"name\":";
    AppendJsonString(&b, kSenderName);
    b += "}}";
    b += version_ == 1 ? ",\"dataSets\":[{" : R"(,"data":{"dataSets":[{"structure":0,)";
    b += R"("action":"Information",)";
    b += flat_ ? "\"observations\":{" : "\"series\":{";
  }

  // "name" (and in 2.0 "names": {"en": …}) of a component, code or structure.
  void AppendName(std::string_view name) {
    std::string& b = out_.buf();
    b += "\"name\":";
    AppendJsonString(&b, name);
    if (version_ == 2) {
      b += R"(,"names":{"en":)";
      AppendJsonString(&b, name);
      b += '}';
    }
  }

  void AppendComponentHead(const Component& c, size_t key_position, bool with_position) {
    std::string& b = out_.buf();
    b += "{\"id\":";
    AppendJsonString(&b, c.id);
    b += ',';
    AppendName(c.name.empty() ? c.id : c.name);
    if (with_position) {
      b += ",\"keyPosition\":";
      AppendInt(&b, static_cast<int64_t>(key_position));
    }
  }

  void AppendCodedValues(const DataStructure& ds, const Component& c,
                         const std::vector<std::string>& values) {
    CodeNames names(ds, c);
    std::string& b = out_.buf();
    b += ",\"values\":[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) b += ',';
      b += '{';
      if (names.coded() || version_ == 1) {
        b += "\"id\":";
        AppendJsonString(&b, values[i]);
        b += ',';
        std::string_view name = names.Name(values[i]);
        AppendName(name.empty() ? values[i] : name);
      } else {
        b += "\"value\":";
        AppendJsonString(&b, values[i]);
      }
      b += '}';
    }
    b += "]}";
  }

  void AppendTimeDimension(const DataStructure& ds) {
    std::string& b = out_.buf();
    AppendComponentHead(Component{ds.time_dimension, "Time period", ""}, ds.dimensions.size(),
                        true);
    b += version_ == 1 ? R"(,"role":"time")" : R"(,"roles":["TIME_PERIOD"])";
    b += ",\"values\":[";
    const auto& periods = periods_.values();
    for (size_t i = 0; i < periods.size(); ++i) {
      if (i > 0) b += ',';
      b += "{\"id\":";
      AppendJsonString(&b, periods[i]);
      b += ',';
      AppendName(periods[i]);
      if (auto range = ParsePeriod(periods[i]); range.ok()) {
        b += ",\"start\":";
        AppendJsonString(
            &b, Date::FromDays(static_cast<int32_t>(range->first_day)).ToString() + "T00:00:00Z");
        b += ",\"end\":";
        AppendJsonString(
            &b, Date::FromDays(static_cast<int32_t>(range->last_day)).ToString() + "T23:59:59Z");
      }
      b += '}';
    }
    b += "]}";
  }

  void AppendDimensions(const DataStructure& ds) {
    std::string& b = out_.buf();
    b += R"("dimensions":{"dataSet":[],"series":[)";
    if (!flat_) AppendDimensionList(ds);
    b += "],\"observation\":[";
    if (flat_) {
      AppendDimensionList(ds);
      if (!ds.dimensions.empty()) b += ',';
    }
    AppendTimeDimension(ds);
    b += "]}";
  }

  void AppendDimensionList(const DataStructure& ds) {
    for (size_t d = 0; d < ds.dimensions.size(); ++d) {
      if (d > 0) out_.buf() += ',';
      AppendComponentHead(ds.dimensions[d], d, true);
      AppendCodedValues(ds, ds.dimensions[d], dims_[d].values());
    }
  }

  void AppendAttributeList(const DataStructure& ds, const std::vector<size_t>& which) {
    for (size_t i = 0; i < which.size(); ++i) {
      if (i > 0) out_.buf() += ',';
      AppendComponentHead(ds.attributes[which[i]], 0, false);
      AppendCodedValues(ds, ds.attributes[which[i]], attrs_[which[i]].values());
    }
  }

  void WriteStructure() {
    const DataStructure& ds = flow_->structure;
    std::string& b = out_.buf();
    b += '{';
    AppendName(flow_->name.empty() ? flow_->id : flow_->name);
    b += ',';
    AppendDimensions(ds);
    b += R"(,"attributes":{"dataSet":[],"series":[)";
    AppendAttributeList(ds, series_attrs_);
    b += "],\"observation\":[";
    AppendAttributeList(ds, obs_attrs_);
    b += "]}";
    if (version_ == 2) {
      b += R"(,"measures":{"observation":[)";
      AppendComponentHead(Component{ds.primary_measure, "Observation value", ""}, 0, false);
      b += "}]},\"dataSets\":[0]";
    }
    b += ",\"annotations\":[";
    if (derived_used_) {
      b += R"({"id":"GMG_DERIVED","type":"GMG_DERIVED",)";
      b += "\"title\":";
      AppendJsonString(&b, "Computed by GMG Hub (regional aggregate or indicator)");
      b += '}';
    }
    b += "]}";
  }
};

// ---- SDMX-ML 2.1 structure-specific data ------------------------------------------------------

class MlWriter : public DataWriter {
 public:
  explicit MlWriter(Sink sink) : out_(std::move(sink)) {}

  bool Begin(const DataHeader& header) override {
    flow_ = &FlowOf(header);
    const DataStructure& ds = flow_->structure;
    detail_ = header.detail;
    flat_ = header.dimension_at_observation == "AllDimensions";
    for (size_t a = 0; a < ds.attributes.size(); ++a) {
      if (detail_ == Detail::kDataOnly || detail_ == Detail::kSeriesKeysOnly) continue;
      bool series = SeriesLevel(ds.attributes[a]) && !flat_;
      if (series) series_attrs_.push_back(a);
      if (!series && detail_ == Detail::kFull) obs_attrs_.push_back(a);
    }
    observations_ = detail_ == Detail::kFull || detail_ == Detail::kDataOnly;
    WriteOpening(header);
    return out_.MaybeFlush();
  }

  bool Series(const SeriesOut& s) override {
    if (!out_.ok()) return false;
    const DataStructure& ds = flow_->structure;
    std::string& b = out_.buf();
    key_attrs_.clear();
    for (size_t d = 0; d < s.key.size() && d < ds.dimensions.size(); ++d) {
      AppendAttribute(&key_attrs_, ds.dimensions[d].id, s.key[d]);
    }
    if (!flat_) {
      b += "<Series";
      b += key_attrs_;
      for (size_t a : series_attrs_)
        AppendAttribute(&b, ds.attributes[a].id, SeriesAttribute(s, a));
      if (!observations_ || s.observations.empty()) {
        b += "/>\n";
        return out_.MaybeFlush();
      }
      b += ">\n";
    }
    if (observations_) {
      for (const ObservationOut& o : s.observations) {
        b += "<Obs";
        if (flat_) b += key_attrs_;
        AppendAttribute(&b, ds.time_dimension, o.period);
        b += ' ';
        b += ds.primary_measure;
        b += "=\"";
        if (std::isnan(o.value)) {
          b += "NaN";
        } else {
          AppendNumber(&b, o.value);
        }
        b += '"';
        for (size_t a : obs_attrs_) AppendAttribute(&b, ds.attributes[a].id, AttributeOf(o, a));
        b += "/>\n";
        if (!out_.MaybeFlush()) return false;
      }
    }
    if (!flat_) b += "</Series>\n";
    return out_.MaybeFlush();
  }

  bool End() override {
    out_.buf() += "</message:DataSet>\n</message:StructureSpecificData>\n";
    return out_.Flush();
  }

 private:
  OutBuffer out_;
  const Dataflow* flow_ = nullptr;
  Detail detail_ = Detail::kFull;
  bool flat_ = false;
  bool observations_ = true;
  std::vector<size_t> series_attrs_;
  std::vector<size_t> obs_attrs_;
  std::string key_attrs_;  // ` REF_AREA="BF" …` of the current series

  static void AppendAttribute(std::string* b, std::string_view name, std::string_view value) {
    if (value.empty()) return;
    *b += ' ';
    *b += name;
    *b += "=\"";
    AppendXml(b, value);
    *b += '"';
  }

  void WriteOpening(const DataHeader& header) {
    const Dataflow& f = *flow_;
    std::string level = flat_ ? "AllDimensions" : f.structure.time_dimension;
    std::string ns = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=" + FlowRef(f) +
                     ":ObsLevelDim:" + level;
    std::string structure_id = f.agency + "_" + f.id + "_" + f.version;
    for (char& c : structure_id) {
      if (c == '.') c = '_';
    }
    std::string& b = out_.buf();
    b += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<message:StructureSpecificData "
         "xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" "
         "xmlns:ss=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific\" "
         "xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:ns1=\"";
    AppendXml(&b, ns);
    b += "\">\n<message:Header>\n<message:ID>";
    AppendXml(&b, header.id);
    b += "</message:ID>\n<message:Test>false</message:Test>\n<message:Prepared>";
    AppendXml(&b, header.prepared);
    b += "</message:Prepared>\n<message:Sender id=\"";
    b += kSenderId;
    b += "\"/>\n<message:Structure structureID=\"";
    AppendXml(&b, structure_id);
    b += "\" namespace=\"";
    AppendXml(&b, ns);
    b += "\" dimensionAtObservation=\"";
    AppendXml(&b, level);
    b += "\">\n<common:StructureUsage><Ref agencyID=\"";
    AppendXml(&b, f.agency);
    b += "\" id=\"";
    AppendXml(&b, f.id);
    b += "\" version=\"";
    AppendXml(&b, f.version);
    b += "\"/></common:StructureUsage>\n</message:Structure>\n</message:Header>\n"
         "<message:DataSet ss:structureRef=\"";
    AppendXml(&b, structure_id);
    b += "\" xsi:type=\"ns1:DataSetType\" ss:dataScope=\"DataStructure\" action=\"Information\">\n";
  }
};

// ---- Content negotiation ------------------------------------------------------------------------

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct MediaRange {
  std::string type;     // "application/vnd.sdmx.data+csv", lower case
  std::string version;  // "" when not given
  double q = 1;
};

// The media ranges of an Accept header, in order, without those of q=0.
std::vector<MediaRange> ParseAccept(std::string_view accept) {
  std::vector<MediaRange> ranges;
  size_t start = 0;
  while (start <= accept.size() && ranges.size() < 64) {
    size_t comma = accept.find(',', start);
    if (comma == std::string_view::npos) comma = accept.size();
    std::string_view item = accept.substr(start, comma - start);
    start = comma + 1;
    MediaRange range;
    size_t semi = item.find(';');
    range.type = Lower(TrimSpaces(item.substr(0, semi)));
    while (semi != std::string_view::npos) {
      size_t next = item.find(';', semi + 1);
      std::string_view param = TrimSpaces(item.substr(semi + 1, next - semi - 1));
      semi = next;
      size_t eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      std::string name = Lower(TrimSpaces(param.substr(0, eq)));
      std::string_view value = TrimSpaces(param.substr(eq + 1));
      if (name == "version") range.version = std::string(value);
      if (name == "q") {
        char* end = nullptr;
        std::string v(value);
        range.q = std::strtod(v.c_str(), &end);
        if (end == v.c_str() || !(range.q >= 0 && range.q <= 1)) range.q = 0;
      }
    }
    if (!range.type.empty() && range.q > 0) ranges.push_back(std::move(range));
  }
  return ranges;
}

// The major version asked for: "1.0.0", "1.0", "1" → 1; "2.0.0" → 2; "" → `absent`.
int MajorVersion(const std::string& version, int absent) {
  if (version.empty()) return absent;
  return version[0] == '2' ? 2 : (version[0] == '1' ? 1 : 0);
}

std::optional<DataFormat> DataFormatOfRange(const MediaRange& r) {
  const std::string& t = r.type;
  if (t == "application/vnd.sdmx.data+csv") {
    int v = MajorVersion(r.version, 1);
    if (v == 1) return DataFormat::kSdmxCsv10;
    if (v == 2) return DataFormat::kSdmxCsv20;
    return std::nullopt;
  }
  if (t == "application/vnd.sdmx.data+json") {
    int v = MajorVersion(r.version, 1);
    if (v == 1) return DataFormat::kSdmxJson10;
    if (v == 2) return DataFormat::kSdmxJson20;
    return std::nullopt;
  }
  if (t == "application/vnd.sdmx.structurespecificdata+xml") {
    if (r.version.empty() || r.version == "2.1") return DataFormat::kSdmxMl21;
    return std::nullopt;
  }
  if (t == "text/csv" || t == "text/*") return DataFormat::kSdmxCsv10;
  if (t == "application/json") return DataFormat::kSdmxJson10;
  if (t == "application/xml" || t == "text/xml") return DataFormat::kSdmxMl21;
  if (t == "*/*" || t == "application/*") return DataFormat::kSdmxJson10;
  return std::nullopt;
}

std::optional<StructureFormat> StructureFormatOfRange(const MediaRange& r) {
  const std::string& t = r.type;
  if (t == "application/vnd.sdmx.structure+json") {
    int v = MajorVersion(r.version, 1);
    if (v == 1) return StructureFormat::kSdmxJson10;
    if (v == 2) return StructureFormat::kSdmxJson20;
    return std::nullopt;
  }
  if (t == "application/vnd.sdmx.structure+xml") {
    if (r.version.empty() || r.version == "2.1") return StructureFormat::kSdmxMl21;
    return std::nullopt;
  }
  if (t == "application/json") return StructureFormat::kSdmxJson10;
  if (t == "application/xml" || t == "text/xml" || t == "*/*" || t == "application/*") {
    return StructureFormat::kSdmxMl21;
  }
  return std::nullopt;
}

// The acceptable format of the range with the highest q (the first among equals).
template <typename Format, typename Map>
std::optional<Format> Negotiate(std::string_view accept, Format fallback, Map map) {
  if (TrimSpaces(accept).empty()) return fallback;
  std::optional<Format> best;
  double best_q = 0;
  for (const MediaRange& r : ParseAccept(accept)) {
    auto format = map(r);
    if (format && r.q > best_q) {
      best = format;
      best_q = r.q;
    }
  }
  return best;
}

const char* ErrorTitle(int code) {
  switch (code) {
    case 100:
      return "No results found";
    case 110:
      return "Unauthorized";
    case 130:
      return "Response too large due to client request";
    case 140:
      return "Syntax error";
    case 150:
      return "Semantic error";
    case 406:
      return "Not acceptable";
    case 501:
      return "Not implemented";
    case 503:
      return "Service unavailable";
    case 510:
      return "Response size exceeds service limit";
    default:
      return "Internal server error";
  }
}

}  // namespace

std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, Sink sink) {
  switch (format) {
    case DataFormat::kSdmxCsv10:
      return std::make_unique<CsvWriter>(CsvKind::kSdmx10, std::move(sink));
    case DataFormat::kSdmxCsv20:
      return std::make_unique<CsvWriter>(CsvKind::kSdmx20, std::move(sink));
    case DataFormat::kPlainCsv:
      return std::make_unique<CsvWriter>(CsvKind::kPlain, std::move(sink));
    case DataFormat::kSdmxJson10:
      return std::make_unique<JsonWriter>(1, std::move(sink));
    case DataFormat::kSdmxJson20:
      return std::make_unique<JsonWriter>(2, std::move(sink));
    case DataFormat::kSdmxMl21:
      return std::make_unique<MlWriter>(std::move(sink));
  }
  return nullptr;
}

std::string DataMediaType(DataFormat format) {
  switch (format) {
    case DataFormat::kSdmxCsv10:
      return "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8";
    case DataFormat::kSdmxCsv20:
      return "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8";
    case DataFormat::kSdmxJson10:
      return "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8";
    case DataFormat::kSdmxJson20:
      return "application/vnd.sdmx.data+json; version=2.0.0; charset=utf-8";
    case DataFormat::kSdmxMl21:
      return "application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8";
    case DataFormat::kPlainCsv:
      return "text/csv; charset=utf-8";
  }
  return "application/octet-stream";
}

std::optional<DataFormat> ChooseDataFormat(std::string_view format_param, std::string_view accept) {
  if (!format_param.empty()) {
    std::string f = Lower(TrimSpaces(format_param));
    if (f == "csvfile" || f == "csv" || f == "sdmx-csv") return DataFormat::kSdmxCsv10;
    if (f == "sdmx-csv2" || f == "csv2" || f == "csvfile2") return DataFormat::kSdmxCsv20;
    if (f == "jsondata" || f == "sdmx-json" || f == "json") return DataFormat::kSdmxJson10;
    if (f == "sdmx-json2" || f == "json2" || f == "jsondata2") return DataFormat::kSdmxJson20;
    if (f == "structurespecificdata" || f == "xml" || f == "sdmx-ml") return DataFormat::kSdmxMl21;
    if (f == "plaincsv") return DataFormat::kPlainCsv;
    return std::nullopt;
  }
  return Negotiate(accept, DataFormat::kSdmxJson10, &DataFormatOfRange);
}

std::optional<StructureFormat> ChooseStructureFormat(std::string_view format_param,
                                                     std::string_view accept) {
  if (!format_param.empty()) {
    std::string f = Lower(TrimSpaces(format_param));
    if (f == "sdmx-json" || f == "json" || f == "jsonstructure")
      return StructureFormat::kSdmxJson10;
    if (f == "sdmx-json2" || f == "json2") return StructureFormat::kSdmxJson20;
    if (f == "xml" || f == "sdmx-ml" || f == "structure") return StructureFormat::kSdmxMl21;
    return std::nullopt;
  }
  return Negotiate(accept, StructureFormat::kSdmxMl21, &StructureFormatOfRange);
}

std::string StructureMediaType(StructureFormat format) {
  switch (format) {
    case StructureFormat::kSdmxMl21:
      return "application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8";
    case StructureFormat::kSdmxJson10:
      return "application/vnd.sdmx.structure+json; version=1.0.0; charset=utf-8";
    case StructureFormat::kSdmxJson20:
      return "application/vnd.sdmx.structure+json; version=2.0.0; charset=utf-8";
  }
  return "application/octet-stream";
}

int HttpStatusOf(int sdmx_code) {
  switch (sdmx_code) {
    case 100:
      return 404;
    case 110:
      return 401;
    case 130:
    case 510:
      return 413;
    case 140:
      return 400;
    case 150:
      return 403;
    case 406:
      return 406;
    case 501:
      return 501;
    case 503:
      return 503;
    default:
      return 500;
  }
}

std::string ErrorMessageBody(const SdmxError& error, bool json) {
  std::string b;
  if (json) {
    b += R"({"errors":[{"code":)";
    AppendInt(&b, error.code);
    b += ",\"title\":";
    AppendJsonString(&b, ErrorTitle(error.code));
    b += ",\"detail\":";
    AppendJsonString(&b, error.message);
    b += "}]}";
    return b;
  }
  b += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<message:Error xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" "
       "xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\">\n"
       "<message:ErrorMessage code=\"";
  AppendInt(&b, error.code);
  b += "\">\n<common:Text xml:lang=\"en\">";
  AppendXml(&b, ErrorTitle(error.code));
  b += ": ";
  AppendXml(&b, error.message);
  b += "</common:Text>\n</message:ErrorMessage>\n</message:Error>\n";
  return b;
}

}  // namespace gmg::sdmx
