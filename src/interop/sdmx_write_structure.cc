// WriteStructures: SDMX-ML 2.1 Structure messages and SDMX-JSON 1.0/2.0 structure messages
// for dataflows, their data structures, codelists and concept schemes (interop/sdmx_write.h).
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/date.h"
#include "interop/sdmx_text.h"
#include "interop/sdmx_write.h"

namespace gmg::sdmx {

namespace {

using text::AppendInt;
using text::AppendJsonString;
using text::AppendXml;
using text::OutBuffer;

constexpr std::string_view kUrnFlow = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=";
constexpr std::string_view kUrnDsd = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=";
constexpr std::string_view kUrnList = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=";
constexpr std::string_view kUrnCode = "urn:sdmx:org.sdmx.infomodel.codelist.Code=";
constexpr std::string_view kUrnScheme = "urn:sdmx:org.sdmx.infomodel.conceptscheme.ConceptScheme=";
constexpr std::string_view kUrnConcept = "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=";

// "A:ID(V)"
std::string Ref(std::string_view agency, std::string_view id, std::string_view version) {
  std::string r(agency);
  r += ':';
  r += id;
  r += '(';
  r += version;
  r += ')';
  return r;
}

// A codelist with the agency that maintains it (its own, else its structure's).
struct ListRef {
  const Codelist* list;
  std::string agency;
};

// A data structure's concept scheme: "CS_" + the structure's id without "DSD_", holding every
// component's concept (those the structure lists, then any component left out).
struct Scheme {
  std::string agency;
  std::string id;
  std::string version;
  std::string name;
  std::vector<Concept> concepts;
};

Scheme SchemeOf(const DataStructure& ds) {
  Scheme s;
  s.agency = ds.agency;
  std::string_view base = ds.id;
  if (base.substr(0, 4) == "DSD_") base.remove_prefix(4);
  s.id = "CS_" + std::string(base);
  s.version = ds.version;
  s.name = "Concepts of " + (ds.name.empty() ? ds.id : ds.name);
  s.concepts = ds.concepts;
  std::set<std::string> have;
  for (const Concept& c : s.concepts) have.insert(c.id);
  auto add = [&](const std::string& id, const std::string& name) {
    if (have.insert(id).second) s.concepts.push_back(Concept{id, name.empty() ? id : name});
  };
  for (const Component& c : ds.dimensions) add(c.id, c.name);
  add(ds.time_dimension, "Time period");
  add(ds.primary_measure, "Observation value");
  for (const Component& c : ds.attributes) add(c.id, c.name);
  return s;
}

// What one message holds, each structure once.
struct Selection {
  std::vector<const Dataflow*> flows;
  std::vector<const DataStructure*> structures;
  std::vector<ListRef> codelists;
  std::vector<Scheme> schemes;
};

Selection Select(StructureType type, const std::vector<const Dataflow*>& flows,
                 std::string_view references) {
  bool children = references == "children" || references == "descendants" || references == "all";
  bool parents = references == "parents" || references == "all";
  bool want_flows =
      type == StructureType::kDataflow || (type == StructureType::kDataStructure && parents);
  bool want_dsds =
      type == StructureType::kDataStructure || (type == StructureType::kDataflow && children);
  bool want_lists =
      type == StructureType::kCodelist || (type != StructureType::kConceptScheme && children);
  bool want_schemes =
      type == StructureType::kConceptScheme || (type != StructureType::kCodelist && children);
  Selection s;
  std::set<std::tuple<std::string, std::string, std::string>> seen_dsd;
  std::set<std::tuple<std::string, std::string, std::string>> seen_list;
  for (const Dataflow* f : flows) {
    if (f == nullptr) continue;
    const DataStructure& ds = f->structure;
    if (want_flows) s.flows.push_back(f);
    if (!seen_dsd.emplace(ds.agency, ds.id, ds.version).second) continue;
    if (want_dsds) s.structures.push_back(&ds);
    if (want_schemes) s.schemes.push_back(SchemeOf(ds));
    if (!want_lists) continue;
    for (const Codelist& list : ds.codelists) {
      std::string agency = list.agency.empty() ? ds.agency : list.agency;
      if (seen_list.emplace(agency, list.id, list.version).second) {
        s.codelists.push_back(ListRef{&list, agency});
      }
    }
  }
  return s;
}

bool IsSeriesAttachment(const Component& c) { return c.attachment == "Series"; }

// ---- SDMX-ML 2.1 ---------------------------------------------------------------------------

class MlStructureWriter {
 public:
  explicit MlStructureWriter(const Sink& sink) : out_(sink) {}

  void Write(const Selection& s) {
    std::string& b = out_.buf();
    b += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<message:Structure "
         "xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" "
         "xmlns:structure=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure\" "
         "xmlns:common=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\">\n"
         "<message:Header>\n<message:ID>STRUCTURE</message:ID>\n<message:Test>false</message:Test>"
         "\n<message:Prepared>";
    b += FormatTimestamp(UnixNow());
    b += "</message:Prepared>\n<message:Sender id=\"GMG\"/>\n</message:Header>\n"
         "<message:Structures>\n";
    // The order of SDMX-ML 2.1's Structures: Dataflows, Codelists, Concepts, DataStructures.
    if (!s.flows.empty()) {
      b += "<structure:Dataflows>\n";
      for (const Dataflow* f : s.flows) Flow(*f);
      b += "</structure:Dataflows>\n";
    }
    if (!s.codelists.empty()) {
      b += "<structure:Codelists>\n";
      for (const ListRef& l : s.codelists) List(l);
      b += "</structure:Codelists>\n";
    }
    if (!s.schemes.empty()) {
      b += "<structure:Concepts>\n";
      for (const Scheme& c : s.schemes) ConceptScheme(c);
      b += "</structure:Concepts>\n";
    }
    if (!s.structures.empty()) {
      b += "<structure:DataStructures>\n";
      for (const DataStructure* ds : s.structures) Structure(*ds);
      b += "</structure:DataStructures>\n";
    }
    out_.buf() += "</message:Structures>\n</message:Structure>\n";
    out_.Flush();
  }

 private:
  OutBuffer out_;

  void Attr(std::string_view name, std::string_view value) {
    std::string& b = out_.buf();
    b += ' ';
    b += name;
    b += "=\"";
    AppendXml(&b, value);
    b += '"';
  }

  // ` id="…" urn="…" agencyID="…" version="…"` of a maintainable artefact.
  void Maintainable(std::string_view urn_prefix, std::string_view agency, std::string_view id,
                    std::string_view version) {
    Attr("id", id);
    Attr("urn", std::string(urn_prefix) + Ref(agency, id, version));
    Attr("agencyID", agency);
    Attr("version", version);
    Attr("isFinal", "true");
  }

  void Text(std::string_view element, std::string_view text) {
    if (text.empty()) return;
    std::string& b = out_.buf();
    b += '<';
    b += element;
    b += " xml:lang=\"en\">";
    AppendXml(&b, text);
    b += "</";
    b += element;
    b += ">\n";
  }

  void Flow(const Dataflow& f) {
    std::string& b = out_.buf();
    b += "<structure:Dataflow";
    Maintainable(kUrnFlow, f.agency, f.id, f.version);
    b += ">\n";
    Text("common:Name", f.name.empty() ? f.id : f.name);
    Text("common:Description", f.description);
    b += "<structure:Structure><Ref";
    Attr("agencyID", f.structure.agency);
    Attr("id", f.structure.id);
    Attr("version", f.structure.version);
    b += " package=\"datastructure\" class=\"DataStructure\"/></structure:Structure>\n"
         "</structure:Dataflow>\n";
    out_.MaybeFlush();
  }

  void List(const ListRef& l) {
    std::string& b = out_.buf();
    const Codelist& list = *l.list;
    b += "<structure:Codelist";
    Maintainable(kUrnList, l.agency, list.id, list.version);
    b += ">\n";
    Text("common:Name", list.name.empty() ? list.id : list.name);
    std::string code_urn = std::string(kUrnCode) + Ref(l.agency, list.id, list.version) + ".";
    for (const Code& code : list.codes) {
      b += "<structure:Code";
      Attr("id", code.id);
      Attr("urn", code_urn + code.id);
      b += ">\n";
      Text("common:Name", code.name.empty() ? code.id : code.name);
      if (!code.parent.empty()) {
        b += "<structure:Parent><Ref";
        Attr("id", code.parent);
        b += "/></structure:Parent>\n";
      }
      b += "</structure:Code>\n";
      out_.MaybeFlush();
    }
    b += "</structure:Codelist>\n";
  }

  void ConceptScheme(const Scheme& s) {
    std::string& b = out_.buf();
    b += "<structure:ConceptScheme";
    Maintainable(kUrnScheme, s.agency, s.id, s.version);
    b += ">\n";
    Text("common:Name", s.name);
    std::string urn = std::string(kUrnConcept) + Ref(s.agency, s.id, s.version) + ".";
    for (const Concept& c : s.concepts) {
      b += "<structure:Concept";
      Attr("id", c.id);
      Attr("urn", urn + c.id);
      b += ">\n";
      Text("common:Name", c.name.empty() ? c.id : c.name);
      b += "</structure:Concept>\n";
    }
    b += "</structure:ConceptScheme>\n";
    out_.MaybeFlush();
  }

  void ConceptIdentity(const DataStructure& ds, const Scheme& scheme, std::string_view id) {
    std::string& b = out_.buf();
    b += "<structure:ConceptIdentity><Ref";
    Attr("id", id);
    Attr("maintainableParentID", scheme.id);
    Attr("maintainableParentVersion", scheme.version);
    Attr("agencyID", ds.agency);
    b += " package=\"conceptscheme\" class=\"Concept\"/></structure:ConceptIdentity>\n";
  }

  void Representation(const DataStructure& ds, const Component& c) {
    std::string& b = out_.buf();
    b += "<structure:LocalRepresentation>";
    const Codelist* list = ds.FindCodelist(c.codelist);
    if (list != nullptr) {
      b += "<structure:Enumeration><Ref";
      Attr("id", list->id);
      Attr("version", list->version);
      Attr("agencyID", list->agency.empty() ? ds.agency : list->agency);
      b += R"( package="codelist" class="Codelist"/></structure:Enumeration>)";
    } else {
      b += "<structure:TextFormat textType=\"String\"/>";
    }
    b += "</structure:LocalRepresentation>\n";
  }

  void Structure(const DataStructure& ds) {
    Scheme scheme = SchemeOf(ds);
    std::string& b = out_.buf();
    b += "<structure:DataStructure";
    Maintainable(kUrnDsd, ds.agency, ds.id, ds.version);
    b += ">\n";
    Text("common:Name", ds.name.empty() ? ds.id : ds.name);
    b += "<structure:DataStructureComponents>\n<structure:DimensionList "
         "id=\"DimensionDescriptor\">\n";
    for (size_t d = 0; d < ds.dimensions.size(); ++d) {
      b += "<structure:Dimension";
      Attr("id", ds.dimensions[d].id);
      Attr("position", std::to_string(d + 1));
      b += ">\n";
      ConceptIdentity(ds, scheme, ds.dimensions[d].id);
      Representation(ds, ds.dimensions[d]);
      b += "</structure:Dimension>\n";
    }
    b += "<structure:TimeDimension";
    Attr("id", ds.time_dimension);
    Attr("position", std::to_string(ds.dimensions.size() + 1));
    b += ">\n";
    ConceptIdentity(ds, scheme, ds.time_dimension);
    b += "<structure:LocalRepresentation><structure:TextFormat "
         "textType=\"ObservationalTimePeriod\"/>"
         "</structure:LocalRepresentation>\n</structure:TimeDimension>\n</"
         "structure:DimensionList>\n";
    if (!ds.attributes.empty()) {
      b += "<structure:AttributeList id=\"AttributeDescriptor\">\n";
      for (const Component& a : ds.attributes) Attribute(ds, scheme, a);
      b += "</structure:AttributeList>\n";
    }
    b += "<structure:MeasureList id=\"MeasureDescriptor\">\n<structure:PrimaryMeasure";
    Attr("id", ds.primary_measure);
    b += ">\n";
    ConceptIdentity(ds, scheme, ds.primary_measure);
    b += "</structure:PrimaryMeasure>\n</structure:MeasureList>\n"
         "</structure:DataStructureComponents>\n</structure:DataStructure>\n";
    out_.MaybeFlush();
  }

  void Attribute(const DataStructure& ds, const Scheme& scheme, const Component& a) {
    std::string& b = out_.buf();
    b += "<structure:Attribute";
    Attr("id", a.id);
    b += " assignmentStatus=\"Conditional\">\n";
    ConceptIdentity(ds, scheme, a.id);
    Representation(ds, a);
    b += "<structure:AttributeRelationship>";
    if (a.attachment == "DataSet") {
      b += "<structure:None/>";
    } else if (IsSeriesAttachment(a)) {
      for (const Component& d : ds.dimensions) {
        b += "<structure:Dimension><Ref";
        Attr("id", d.id);
        b += "/></structure:Dimension>";
      }
    } else {
      b += "<structure:PrimaryMeasure><Ref";
      Attr("id", ds.primary_measure);
      b += "/></structure:PrimaryMeasure>";
    }
    b += "</structure:AttributeRelationship>\n</structure:Attribute>\n";
  }
};

// ---- SDMX-JSON 1.0 and 2.0 ---------------------------------------------------------------------

class JsonStructureWriter {
 public:
  JsonStructureWriter(int version, const Sink& sink) : version_(version), out_(sink) {}

  void Write(const Selection& s) {
    std::string& b = out_.buf();
    b += "{\"meta\":{";
    if (version_ == 2) {
      b += "\"schema\":\"https://raw.githubusercontent.com/sdmx-twg/sdmx-json/v2.0.0/"
           "structure-message/tools/schemas/2.0.0/sdmx-json-structure-schema.json\",";
    }
    b += R"("id":"STRUCTURE","test":false,"prepared":)";
    AppendJsonString(&b, FormatTimestamp(UnixNow()));
    b += R"(,"contentLanguages":["en"],"sender":{"id":"GMG","name":"GMG Hub"}},)"
         "\"data\":{";
    bool first = true;
    auto section = [&](std::string_view name) {
      if (!first) b += ',';
      first = false;
      AppendJsonString(&b, name);
      b += ":[";
    };
    if (!s.flows.empty()) {
      section("dataflows");
      for (size_t i = 0; i < s.flows.size(); ++i) Flow(*s.flows[i], i);
      b += ']';
    }
    if (!s.structures.empty()) {
      section("dataStructures");
      for (size_t i = 0; i < s.structures.size(); ++i) Structure(*s.structures[i], i);
      b += ']';
    }
    if (!s.codelists.empty()) {
      section("codelists");
      for (size_t i = 0; i < s.codelists.size(); ++i) List(s.codelists[i], i);
      b += ']';
    }
    if (!s.schemes.empty()) {
      section("conceptSchemes");
      for (size_t i = 0; i < s.schemes.size(); ++i) ConceptScheme(s.schemes[i], i);
      b += ']';
    }
    out_.buf() += "}}";
    out_.Flush();
  }

 private:
  int version_;
  OutBuffer out_;

  void Field(std::string_view name, std::string_view value) {
    std::string& b = out_.buf();
    if (b.back() != '{') b += ',';
    AppendJsonString(&b, name);
    b += ':';
    AppendJsonString(&b, value);
  }

  void Name(std::string_view name) {
    Field("name", name);
    if (version_ == 2) {
      out_.buf() += R"(,"names":{"en":)";
      AppendJsonString(&out_.buf(), name);
      out_.buf() += '}';
    }
  }

  void Open(size_t index) { out_.buf() += index > 0 ? ",{" : "{"; }

  void Maintainable(std::string_view urn_prefix, std::string_view agency, std::string_view id,
                    std::string_view version, std::string_view name) {
    Field("id", id);
    Field("version", version);
    Field("agencyID", agency);
    Field("urn", std::string(urn_prefix) + Ref(agency, id, version));
    if (version_ == 1) out_.buf() += ",\"isFinal\":true";
    Name(name.empty() ? id : name);
  }

  void Flow(const Dataflow& f, size_t index) {
    Open(index);
    Maintainable(kUrnFlow, f.agency, f.id, f.version, f.name);
    if (!f.description.empty()) Field("description", f.description);
    const DataStructure& ds = f.structure;
    Field("structure", std::string(kUrnDsd) + Ref(ds.agency, ds.id, ds.version));
    out_.buf() += '}';
    out_.MaybeFlush();
  }

  void List(const ListRef& l, size_t index) {
    const Codelist& list = *l.list;
    Open(index);
    Maintainable(kUrnList, l.agency, list.id, list.version, list.name);
    out_.buf() += ",\"codes\":[";
    std::string code_urn = std::string(kUrnCode) + Ref(l.agency, list.id, list.version) + ".";
    for (size_t i = 0; i < list.codes.size(); ++i) {
      const Code& code = list.codes[i];
      Open(i);
      Field("id", code.id);
      Field("urn", code_urn + code.id);
      Name(code.name.empty() ? code.id : code.name);
      if (!code.parent.empty()) Field("parent", code.parent);
      out_.buf() += '}';
      out_.MaybeFlush();
    }
    out_.buf() += "]}";
  }

  void ConceptScheme(const Scheme& s, size_t index) {
    Open(index);
    Maintainable(kUrnScheme, s.agency, s.id, s.version, s.name);
    out_.buf() += ",\"concepts\":[";
    std::string urn = std::string(kUrnConcept) + Ref(s.agency, s.id, s.version) + ".";
    for (size_t i = 0; i < s.concepts.size(); ++i) {
      Open(i);
      Field("id", s.concepts[i].id);
      Field("urn", urn + s.concepts[i].id);
      Name(s.concepts[i].name.empty() ? s.concepts[i].id : s.concepts[i].name);
      out_.buf() += '}';
    }
    out_.buf() += "]}";
    out_.MaybeFlush();
  }

  // ,"conceptIdentity":"urn…","localRepresentation":{…}
  void Identity(const DataStructure& ds, const Scheme& scheme, std::string_view id) {
    Field("conceptIdentity", std::string(kUrnConcept) + Ref(ds.agency, scheme.id, scheme.version) +
                                 "." + std::string(id));
  }

  void Representation(const DataStructure& ds, const Component* c) {
    std::string& b = out_.buf();
    b += ",\"localRepresentation\":{";
    const Codelist* list = c != nullptr ? ds.FindCodelist(c->codelist) : nullptr;
    if (list != nullptr) {
      Field("enumeration",
            std::string(kUrnList) +
                Ref(list->agency.empty() ? ds.agency : list->agency, list->id, list->version));
    } else {
      b += "\"textFormat\":{";
      Field("textType", c == nullptr ? "ObservationalTimePeriod" : "String");
      b += '}';
    }
    b += '}';
  }

  void Structure(const DataStructure& ds, size_t index) {
    Scheme scheme = SchemeOf(ds);
    Open(index);
    Maintainable(kUrnDsd, ds.agency, ds.id, ds.version, ds.name);
    std::string& b = out_.buf();
    b += ",\"dataStructureComponents\":{\"attributeList\":{\"id\":\"AttributeDescriptor\","
         "\"attributes\":[";
    for (size_t i = 0; i < ds.attributes.size(); ++i) Attribute(ds, scheme, ds.attributes[i], i);
    b += R"(]},"dimensionList":{"id":"DimensionDescriptor","dimensions":[)";
    for (size_t d = 0; d < ds.dimensions.size(); ++d) {
      Open(d);
      Field("id", ds.dimensions[d].id);
      b += ",\"position\":";
      AppendInt(&b, static_cast<int64_t>(d));
      Field("type", "Dimension");
      Identity(ds, scheme, ds.dimensions[d].id);
      Representation(ds, &ds.dimensions[d]);
      b += '}';
    }
    b += "],\"timeDimensions\":[{";
    Field("id", ds.time_dimension);
    b += ",\"position\":";
    AppendInt(&b, static_cast<int64_t>(ds.dimensions.size()));
    Field("type", "TimeDimension");
    Identity(ds, scheme, ds.time_dimension);
    Representation(ds, nullptr);
    b += R"(}]},"measureList":{"id":"MeasureDescriptor",)";
    b += version_ == 1 ? "\"primaryMeasure\":{" : "\"measures\":[{";
    Field("id", ds.primary_measure);
    Identity(ds, scheme, ds.primary_measure);
    b += version_ == 1 ? "}}}}" : "}]}}}";
    out_.MaybeFlush();
  }

  void Attribute(const DataStructure& ds, const Scheme& scheme, const Component& a, size_t index) {
    std::string& b = out_.buf();
    Open(index);
    Field("id", a.id);
    Field("assignmentStatus", "Conditional");
    Identity(ds, scheme, a.id);
    Representation(ds, &a);
    b += ",\"attributeRelationship\":{";
    if (a.attachment == "DataSet") {
      b += version_ == 1 ? "\"none\":{}" : "\"dataflow\":{}";
    } else if (IsSeriesAttachment(a)) {
      b += "\"dimensions\":[";
      for (size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (d > 0) b += ',';
        AppendJsonString(&b, ds.dimensions[d].id);
      }
      b += ']';
    } else if (version_ == 1) {
      b += "\"primaryMeasure\":";
      AppendJsonString(&b, ds.primary_measure);
    } else {
      b += "\"observation\":{}";
    }
    b += "}}";
  }
};

}  // namespace

void WriteStructures(StructureFormat format, StructureType type,
                     const std::vector<const Dataflow*>& flows, std::string_view references,
                     const Sink& sink) {
  Selection selection = Select(type, flows, references);
  if (format == StructureFormat::kSdmxMl21) {
    MlStructureWriter(sink).Write(selection);
  } else {
    JsonStructureWriter(format == StructureFormat::kSdmxJson20 ? 2 : 1, sink).Write(selection);
  }
}

}  // namespace gmg::sdmx
