#include "interop/sdmx_write.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "interop/sdmx_read.h"
#include "interop/sdmx_text.h"

namespace gmg::sdmx {
namespace {

namespace json = boost::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Dataflow MigrantStock() {
  Dataflow f;
  f.agency = "UNDESA";
  f.id = "MIGRANT_STOCK";
  f.name = "International migrant stock";
  f.description = "Migrants by destination, origin and sex";
  DataStructure& ds = f.structure;
  ds.agency = "UNDESA";
  ds.id = "DSD_MIGRANT_STOCK";
  ds.name = "Migrant stock";
  ds.dimensions = {{"REF_AREA", "Destination", "CL_AREA"},
                   {"COUNTERPART_AREA", "Origin", "CL_AREA"},
                   {"SEX", "Sex", "CL_SEX"}};
  ds.attributes = {{"OBS_STATUS", "Observation status", "CL_OBS_STATUS"},
                   {"UNIT_MEASURE", "Unit of measure", "", "Series"}};
  ds.codelists = {
      {"UNDESA",
       "CL_AREA",
       "1.0",
       "Areas",
       {{"BF", "Burkina Faso", "202"},
        {"ML", "Mali", "202"},
        {"CI", "C\xC3\xB4te d'Ivoire", "202"},
        {"KR", "Korea, Republic of", ""},
        {"202", "Sub-Saharan Africa", ""}}},
      {"", "CL_SEX", "1.0", "Sex", {{"T", "Total", ""}, {"F", "Female", ""}, {"M", "Male", ""}}},
      {"SDMX",
       "CL_OBS_STATUS",
       "2.2",
       "Observation status",
       {{"A", "Normal value", ""}, {"E", "Estimated value", ""}}}};
  return f;
}

// Two series as a query would give them: BF←ML total (2 years) and BF←KR female (derived).
struct Answer {
  Dataflow flow = MigrantStock();
  std::vector<std::string_view> key1 = {"BF", "ML", "T"};
  std::vector<std::string_view> key2 = {"BF", "KR", "F"};
  std::vector<std::string_view> attrs_a = {"A", "PS"};
  std::vector<std::string_view> attrs_e = {"E", "PS"};
  std::vector<std::string_view> none = {"", ""};
  std::vector<ObservationOut> obs1 = {{"2015", 1200, attrs_a}, {"2019", 1234.5, attrs_e}};
  std::vector<ObservationOut> obs2 = {{"2019", kNaN, none}};
  std::vector<SeriesOut> series = {{key1, obs1, false}, {key2, obs2, true}};

  DataHeader Header() const {
    DataHeader h;
    h.flow = &flow;
    h.id = "IREF-1";
    h.prepared = "2026-11-30T12:00:00Z";
    h.dimension_values = {{"BF"}, {"ML", "KR"}, {"T", "F"}};
    h.periods = {"2015", "2019"};
    return h;
  }
};

std::string Write(DataFormat format, const Answer& a, const DataHeader& header,
                  size_t* pieces = nullptr) {
  std::string out;
  auto writer = NewDataWriter(format, [&](std::string_view piece) {
    out += piece;
    if (pieces != nullptr) ++*pieces;
    return true;
  });
  EXPECT_TRUE(writer->Begin(header));
  for (const SeriesOut& s : a.series) EXPECT_TRUE(writer->Series(s));
  EXPECT_TRUE(writer->End());
  return out;
}

std::string Write(DataFormat format, const Answer& a) { return Write(format, a, a.Header()); }

TEST(SdmxWriteCsv, Sdmx10) {
  Answer a;
  EXPECT_EQ(Write(DataFormat::kSdmxCsv10, a),
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE\n"
            "UNDESA:MIGRANT_STOCK(1.0),BF,ML,T,2015,1200,A,PS\n"
            "UNDESA:MIGRANT_STOCK(1.0),BF,ML,T,2019,1234.5,E,PS\n"
            "UNDESA:MIGRANT_STOCK(1.0),BF,KR,F,2019,,,\n");
}

TEST(SdmxWriteCsv, Sdmx20WithLabelsAndTheDerivedColumn) {
  Answer a;
  DataHeader h = a.Header();
  h.labels = true;
  h.derived_column = true;
  EXPECT_EQ(Write(DataFormat::kSdmxCsv20, a, h),
            "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA: Destination,COUNTERPART_AREA: Origin,"
            "SEX: Sex,TIME_PERIOD: Time period,OBS_VALUE: Observation value,"
            "OBS_STATUS: Observation status,UNIT_MEASURE: Unit of measure,DERIVED\n"
            "dataflow,UNDESA:MIGRANT_STOCK(1.0): International migrant stock,I,"
            "BF: Burkina Faso,ML: Mali,T: Total,2015,1200,A: Normal value,PS,\n"
            "dataflow,UNDESA:MIGRANT_STOCK(1.0): International migrant stock,I,"
            "BF: Burkina Faso,ML: Mali,T: Total,2019,1234.5,E: Estimated value,PS,\n"
            "dataflow,UNDESA:MIGRANT_STOCK(1.0): International migrant stock,I,"
            "BF: Burkina Faso,\"KR: Korea, Republic of\",F: Female,2019,,,,true\n");
}

TEST(SdmxWriteCsv, PlainHasCodeAndNameColumnsAndABom) {
  Answer a;
  std::string csv = Write(DataFormat::kPlainCsv, a);
  EXPECT_EQ(csv,
            "\xEF\xBB\xBFREF_AREA,Destination,COUNTERPART_AREA,Origin,SEX,Sex,TIME_PERIOD,"
            "OBS_VALUE,OBS_STATUS,Observation status,UNIT_MEASURE\n"
            "BF,Burkina Faso,ML,Mali,T,Total,2015,1200,A,Normal value,PS\n"
            "BF,Burkina Faso,ML,Mali,T,Total,2019,1234.5,E,Estimated value,PS\n"
            "BF,Burkina Faso,KR,\"Korea, Republic of\",F,Female,2019,,,,\n");
}

TEST(SdmxWriteCsv, PlainNeutralisesTextASpreadsheetWouldTakeForAFormulaButNotNumbers) {
  Answer a;
  for (auto& cl : a.flow.structure.codelists) {
    for (auto& code : cl.codes) {
      if (code.id == "BF") code.name = "=HYPERLINK(\"http://evil.example\")";
      if (code.id == "ML") code.name = "@SUM(1+1)";
    }
  }
  a.obs1[0].value = -5;
  std::string csv = Write(DataFormat::kPlainCsv, a);
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil.example\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'@SUM(1+1),"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",2015,-5,"), std::string::npos) << csv;
  // SDMX-CSV is data for programs: as written.
  EXPECT_EQ(Write(DataFormat::kSdmxCsv10, a).find('\''), std::string::npos);
}

TEST(SdmxWriteCsv, SeriesKeysOnly) {
  Answer a;
  DataHeader h = a.Header();
  h.detail = Detail::kSeriesKeysOnly;
  EXPECT_EQ(Write(DataFormat::kSdmxCsv10, a, h),
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX\n"
            "UNDESA:MIGRANT_STOCK(1.0),BF,ML,T\nUNDESA:MIGRANT_STOCK(1.0),BF,KR,F\n");
  h.detail = Detail::kNoData;
  EXPECT_EQ(Write(DataFormat::kSdmxCsv10, a, h),
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,UNIT_MEASURE\n"
            "UNDESA:MIGRANT_STOCK(1.0),BF,ML,T,PS\nUNDESA:MIGRANT_STOCK(1.0),BF,KR,F,\n");
}

// What a reader gives back from a written message, one line per observation.
std::vector<std::string> ReadBack(std::string_view text, const DataStructure& ds, bool xml) {
  std::vector<std::string> got;
  ObservationSink sink = [&](const ObservationView& o) {
    std::string s;
    for (auto k : o.key) s += std::string(k) + ".";
    s += std::string(o.period) + "=" + std::string(o.value);
    for (auto v : o.attributes) s += "," + std::string(v);
    got.push_back(s);
    return Ok();
  };
  auto info = xml ? ReadSdmxMl(text, ds, sink) : ReadSdmxCsv(text, ds, sink, nullptr);
  EXPECT_TRUE(info.ok()) << info.error().message;
  if (info.ok()) {
    EXPECT_EQ(info->agency, "UNDESA");
    EXPECT_EQ(info->id, "MIGRANT_STOCK");
    EXPECT_EQ(info->version, "1.0");
  }
  return got;
}

const std::vector<std::string> kReadBack = {"BF.ML.T.2015=1200,A,PS", "BF.ML.T.2019=1234.5,E,PS",
                                            "BF.KR.F.2019=,,"};

TEST(SdmxWrite, WhatIsWrittenReadsBack) {
  Answer a;
  const DataStructure& ds = a.flow.structure;
  EXPECT_EQ(ReadBack(Write(DataFormat::kSdmxCsv10, a), ds, false), kReadBack);
  EXPECT_EQ(ReadBack(Write(DataFormat::kSdmxCsv20, a), ds, false), kReadBack);
  DataHeader labelled = a.Header();
  labelled.labels = true;
  EXPECT_EQ(ReadBack(Write(DataFormat::kSdmxCsv20, a, labelled), ds, false), kReadBack);
  std::vector<std::string> ml = ReadBack(Write(DataFormat::kSdmxMl21, a), ds, true);
  ASSERT_EQ(ml.size(), 3U);
  EXPECT_EQ(ml[0], kReadBack[0]);
  EXPECT_EQ(ml[1], kReadBack[1]);
  EXPECT_EQ(ml[2], "BF.KR.F.2019=NaN,,");  // SDMX-ML writes a missing value as NaN
  DataHeader flat = a.Header();
  flat.dimension_at_observation = "AllDimensions";
  std::string flat_ml = Write(DataFormat::kSdmxMl21, a, flat);
  EXPECT_NE(flat_ml.find("dimensionAtObservation=\"AllDimensions\""), std::string::npos);
  EXPECT_EQ(flat_ml.find("<Series"), std::string::npos);
  EXPECT_EQ(ReadBack(flat_ml, ds, true).size(), 3U);
}

TEST(SdmxWriteMl, IsWellFormedAndStructureSpecific) {
  Answer a;
  a.flow.name = "Stock <&> \"quotes\"";
  std::vector<std::string_view> odd = {"x<&\"y", "PS"};
  a.obs2[0].attributes = odd;
  std::string xml = Write(DataFormat::kSdmxMl21, a);
  pugi::xml_document doc;
  auto parsed = doc.load_string(xml.c_str());
  ASSERT_TRUE(parsed) << parsed.description();
  pugi::xml_node root = doc.child("message:StructureSpecificData");
  ASSERT_TRUE(root);
  EXPECT_STREQ(root.child("message:Header").child_value("message:ID"), "IREF-1");
  pugi::xml_node ds = root.child("message:DataSet");
  EXPECT_STREQ(ds.attribute("ss:structureRef").value(), "UNDESA_MIGRANT_STOCK_1_0");
  pugi::xml_node series = ds.child("Series");
  EXPECT_STREQ(series.attribute("UNIT_MEASURE").value(), "PS");
  EXPECT_STREQ(series.child("Obs").attribute("OBS_VALUE").value(), "1200");
  EXPECT_STREQ(series.next_sibling("Series").child("Obs").attribute("OBS_STATUS").value(),
               "x<&\"y");
}

json::value WriteJson(DataFormat format, const Answer& a, const DataHeader& h) {
  std::string text = Write(format, a, h);
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return v;
}

TEST(SdmxWriteJson, Version10SeriesKeyedByIndexes) {
  Answer a;
  json::value v = WriteJson(DataFormat::kSdmxJson10, a, a.Header());
  EXPECT_EQ(v.at_pointer("/header/id"), "IREF-1");
  const json::object& series = v.at_pointer("/dataSets/0/series").as_object();
  ASSERT_EQ(series.size(), 2U);
  EXPECT_EQ(v.at_pointer("/dataSets/0/series/0:0:0/observations/0/0").to_number<double>(), 1200);
  EXPECT_EQ(v.at_pointer("/dataSets/0/series/0:0:0/observations/1/0").to_number<double>(), 1234.5);
  // Observation attribute OBS_STATUS: index into its values; UNIT_MEASURE on the series.
  EXPECT_EQ(v.at_pointer("/dataSets/0/series/0:0:0/observations/1/1"), 1);
  EXPECT_EQ(v.at_pointer("/dataSets/0/series/0:0:0/attributes/0"), 0);
  EXPECT_TRUE(v.at_pointer("/dataSets/0/series/0:1:1/observations/1/0").is_null());
  EXPECT_EQ(v.at_pointer("/dataSets/0/series/0:1:1/annotations/0"), 0);
  EXPECT_EQ(v.at_pointer("/structure/annotations/0/id"), "GMG_DERIVED");
  EXPECT_EQ(v.at_pointer("/structure/dimensions/series/1/id"), "COUNTERPART_AREA");
  EXPECT_EQ(v.at_pointer("/structure/dimensions/series/1/keyPosition"), 1);
  EXPECT_EQ(v.at_pointer("/structure/dimensions/series/1/values/1/name"), "Korea, Republic of");
  EXPECT_EQ(v.at_pointer("/structure/dimensions/observation/0/id"), "TIME_PERIOD");
  EXPECT_EQ(v.at_pointer("/structure/dimensions/observation/0/role"), "time");
  EXPECT_EQ(v.at_pointer("/structure/dimensions/observation/0/values/1/start"),
            "2019-01-01T00:00:00Z");
  EXPECT_EQ(v.at_pointer("/structure/dimensions/observation/0/values/1/end"),
            "2019-12-31T23:59:59Z");
  EXPECT_EQ(v.at_pointer("/structure/attributes/observation/0/values/1/name"), "Estimated value");
  EXPECT_EQ(v.at_pointer("/structure/attributes/series/0/values/0/name"), "PS");
}

TEST(SdmxWriteJson, Version20AndFlat) {
  Answer a;
  DataHeader h = a.Header();
  h.dimension_at_observation = "AllDimensions";
  json::value v = WriteJson(DataFormat::kSdmxJson20, a, h);
  EXPECT_EQ(v.at_pointer("/meta/id"), "IREF-1");
  EXPECT_EQ(v.at_pointer("/data/dataSets/0/structure"), 0);
  const json::object& obs = v.at_pointer("/data/dataSets/0/observations").as_object();
  ASSERT_EQ(obs.size(), 3U);
  EXPECT_EQ(v.at_pointer("/data/dataSets/0/observations/0:0:0:1/0").to_number<double>(), 1234.5);
  // Flat: every attribute at observation level (OBS_STATUS, UNIT_MEASURE).
  EXPECT_EQ(v.at_pointer("/data/dataSets/0/observations/0:0:0:1/1"), 1);
  EXPECT_EQ(v.at_pointer("/data/dataSets/0/observations/0:0:0:1/2"), 0);
  EXPECT_EQ(v.at_pointer("/data/structures/0/dimensions/series").as_array().size(), 0U);
  EXPECT_EQ(v.at_pointer("/data/structures/0/dimensions/observation/3/id"), "TIME_PERIOD");
  EXPECT_EQ(v.at_pointer("/data/structures/0/dimensions/observation/0/names/en"), "Destination");
  EXPECT_EQ(v.at_pointer("/data/structures/0/measures/observation/0/id"), "OBS_VALUE");
  EXPECT_EQ(v.at_pointer("/data/structures/0/attributes/observation/1/values/0/value"), "PS");
}

TEST(SdmxWrite, AnEmptyAnswerIsAWellFormedMessageInEveryFormat) {
  Answer a;
  a.series.clear();
  DataHeader h = a.Header();
  h.dimension_values = {{}, {}, {}};
  h.periods.clear();
  for (DataFormat f : {DataFormat::kSdmxJson10, DataFormat::kSdmxJson20}) {
    json::value v = WriteJson(f, a, h);
    const json::value& ds = f == DataFormat::kSdmxJson10 ? v.at_pointer("/dataSets/0")
                                                         : v.at_pointer("/data/dataSets/0");
    EXPECT_TRUE(ds.at("series").as_object().empty());
    const json::value& st = f == DataFormat::kSdmxJson10 ? v.at_pointer("/structure")
                                                         : v.at_pointer("/data/structures/0");
    EXPECT_TRUE(st.at("annotations").as_array().empty());  // nothing derived
  }
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(Write(DataFormat::kSdmxMl21, a, h).c_str()));
  EXPECT_EQ(Write(DataFormat::kSdmxCsv10, a, h),
            "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
            "UNIT_MEASURE\n");
}

TEST(SdmxWrite, BigAnswersGoOutInPiecesAndStopWhenTheSinkRefuses) {
  Answer a;
  std::vector<std::string> periods;
  for (int y = 1000; y < 9000; ++y) periods.push_back(std::to_string(y));
  std::vector<ObservationOut> many;
  for (const std::string& p : periods) many.push_back({p, 1.5, a.attrs_a});
  a.series = {{a.key1, many, false}};
  size_t pieces = 0;
  std::string csv = Write(DataFormat::kSdmxCsv10, a, a.Header(), &pieces);
  EXPECT_GT(csv.size(), 3 * text::kPieceBytes);
  EXPECT_GE(pieces, 4U);

  int calls = 0;
  auto writer = NewDataWriter(DataFormat::kSdmxCsv20, [&](std::string_view) {
    ++calls;
    return false;
  });
  EXPECT_TRUE(writer->Begin(a.Header()));  // the header alone is under a piece
  EXPECT_FALSE(writer->Series(a.series[0]));
  EXPECT_FALSE(writer->Series(a.series[0]));
  EXPECT_FALSE(writer->End());
  EXPECT_EQ(calls, 1);
}

TEST(SdmxFormat, ChooseDataFormat) {
  using F = DataFormat;
  EXPECT_EQ(ChooseDataFormat("csvfile", "application/json"), F::kSdmxCsv10);
  EXPECT_EQ(ChooseDataFormat("CSV", ""), F::kSdmxCsv10);
  EXPECT_EQ(ChooseDataFormat("sdmx-csv2", ""), F::kSdmxCsv20);
  EXPECT_EQ(ChooseDataFormat("jsondata", ""), F::kSdmxJson10);
  EXPECT_EQ(ChooseDataFormat("sdmx-json2", ""), F::kSdmxJson20);
  EXPECT_EQ(ChooseDataFormat("structurespecificdata", ""), F::kSdmxMl21);
  EXPECT_EQ(ChooseDataFormat("plaincsv", ""), F::kPlainCsv);
  EXPECT_EQ(ChooseDataFormat("genericdata", ""), std::nullopt);
  EXPECT_EQ(ChooseDataFormat("", ""), F::kSdmxJson10);
  EXPECT_EQ(ChooseDataFormat("", "*/*"), F::kSdmxJson10);
  EXPECT_EQ(ChooseDataFormat("", "text/csv"), F::kSdmxCsv10);
  EXPECT_EQ(ChooseDataFormat("", "application/vnd.sdmx.data+csv;version=2.0.0"), F::kSdmxCsv20);
  EXPECT_EQ(ChooseDataFormat("", "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8"),
            F::kSdmxCsv10);
  EXPECT_EQ(ChooseDataFormat("", "application/vnd.sdmx.data+json;version=2.0.0"), F::kSdmxJson20);
  EXPECT_EQ(ChooseDataFormat("", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"),
            F::kSdmxMl21);
  EXPECT_EQ(
      ChooseDataFormat("", "application/vnd.sdmx.genericdata+xml;version=2.1, text/csv;q=0.5"),
      F::kSdmxCsv10);
  EXPECT_EQ(ChooseDataFormat("", "text/csv;q=0.4, application/vnd.sdmx.data+json;q=0.9"),
            F::kSdmxJson10);
  EXPECT_EQ(ChooseDataFormat("", "text/csv;q=0, application/xml"), F::kSdmxMl21);
  EXPECT_EQ(ChooseDataFormat("", "image/png"), std::nullopt);
  EXPECT_EQ(ChooseDataFormat("", "application/vnd.sdmx.data+csv;version=3.0.0"), std::nullopt);
}

TEST(SdmxFormat, ChooseStructureFormatAndMediaTypes) {
  using S = StructureFormat;
  EXPECT_EQ(ChooseStructureFormat("", ""), S::kSdmxMl21);
  EXPECT_EQ(ChooseStructureFormat("sdmx-json", ""), S::kSdmxJson10);
  EXPECT_EQ(ChooseStructureFormat("", "application/vnd.sdmx.structure+json;version=2.0.0"),
            S::kSdmxJson20);
  EXPECT_EQ(ChooseStructureFormat("", "application/vnd.sdmx.structure+xml;version=2.1"),
            S::kSdmxMl21);
  EXPECT_EQ(ChooseStructureFormat("", "text/csv"), std::nullopt);
  EXPECT_EQ(StructureMediaType(S::kSdmxJson10),
            "application/vnd.sdmx.structure+json; version=1.0.0; charset=utf-8");
  EXPECT_EQ(DataMediaType(DataFormat::kSdmxCsv20),
            "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8");
  EXPECT_EQ(DataMediaType(DataFormat::kPlainCsv), "text/csv; charset=utf-8");
}

std::string Structures(StructureFormat format, StructureType type, std::string_view refs,
                       const std::vector<const Dataflow*>& flows) {
  std::string out;
  WriteStructures(format, type, flows, refs, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

TEST(SdmxStructures, Ml21WithReferences) {
  Dataflow f = MigrantStock();
  Dataflow g = MigrantStock();
  g.id = "MIGRANT_STOCK_SHARE";  // same structure: written once
  std::string xml =
      Structures(StructureFormat::kSdmxMl21, StructureType::kDataflow, "all", {&f, &g});
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  pugi::xml_node s = doc.child("message:Structure").child("message:Structures");
  ASSERT_TRUE(s);
  EXPECT_STREQ(s.first_child().name(), "structure:Dataflows");  // the schema's order
  EXPECT_EQ(std::distance(s.child("structure:Dataflows").children().begin(),
                          s.child("structure:Dataflows").children().end()),
            2);
  pugi::xml_node flow = s.child("structure:Dataflows").child("structure:Dataflow");
  EXPECT_STREQ(flow.attribute("urn").value(),
               "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNDESA:MIGRANT_STOCK(1.0)");
  EXPECT_STREQ(flow.child_value("common:Name"), "International migrant stock");
  EXPECT_STREQ(flow.child("structure:Structure").child("Ref").attribute("id").value(),
               "DSD_MIGRANT_STOCK");
  pugi::xml_node lists = s.child("structure:Codelists");
  EXPECT_EQ(std::distance(lists.children().begin(), lists.children().end()), 3);
  pugi::xml_node bf = lists.child("structure:Codelist").child("structure:Code");
  EXPECT_STREQ(bf.attribute("id").value(), "BF");
  EXPECT_STREQ(bf.child("structure:Parent").child("Ref").attribute("id").value(), "202");
  pugi::xml_node scheme = s.child("structure:Concepts").child("structure:ConceptScheme");
  EXPECT_STREQ(scheme.attribute("id").value(), "CS_MIGRANT_STOCK");
  EXPECT_EQ(std::distance(scheme.children("structure:Concept").begin(),
                          scheme.children("structure:Concept").end()),
            7);  // 3 dimensions, time, measure, 2 attributes
  pugi::xml_node dsd = s.child("structure:DataStructures").child("structure:DataStructure");
  pugi::xml_node dims =
      dsd.child("structure:DataStructureComponents").child("structure:DimensionList");
  EXPECT_STREQ(dims.child("structure:TimeDimension").attribute("position").value(), "4");
  EXPECT_STREQ(dims.child("structure:Dimension")
                   .child("structure:LocalRepresentation")
                   .child("structure:Enumeration")
                   .child("Ref")
                   .attribute("id")
                   .value(),
               "CL_AREA");

  std::string only = Structures(StructureFormat::kSdmxMl21, StructureType::kDataflow, "none", {&f});
  EXPECT_EQ(only.find("<structure:Codelists>"), std::string::npos);
  std::string lists_only =
      Structures(StructureFormat::kSdmxMl21, StructureType::kCodelist, "none", {&f});
  EXPECT_EQ(lists_only.find("<structure:Dataflows>"), std::string::npos);
  EXPECT_NE(lists_only.find("id=\"CL_SEX\""), std::string::npos);
  EXPECT_NE(lists_only.find("agencyID=\"SDMX\""), std::string::npos);
}

TEST(SdmxStructures, Json) {
  Dataflow f = MigrantStock();
  for (auto format : {StructureFormat::kSdmxJson10, StructureFormat::kSdmxJson20}) {
    std::string text = Structures(format, StructureType::kDataStructure, "children", {&f});
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    ASSERT_FALSE(ec) << text;
    EXPECT_FALSE(v.at_pointer("/data").as_object().contains("dataflows"));
    EXPECT_EQ(v.at_pointer("/data/dataStructures/0/id"), "DSD_MIGRANT_STOCK");
    EXPECT_EQ(v.at_pointer("/data/dataStructures/0/dataStructureComponents/dimensionList/"
                           "dimensions/2/localRepresentation/enumeration"),
              "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=UNDESA:CL_SEX(1.0)");
    EXPECT_EQ(v.at_pointer("/data/dataStructures/0/dataStructureComponents/attributeList/"
                           "attributes/1/attributeRelationship/dimensions/0"),
              "REF_AREA");
    EXPECT_EQ(v.at_pointer("/data/codelists/0/codes/2/name"), "C\xC3\xB4te d'Ivoire");
    EXPECT_EQ(v.at_pointer("/data/conceptSchemes/0/concepts/0/id"), "REF_AREA");
  }
}

TEST(SdmxErrors, StatusesAndBodies) {
  EXPECT_EQ(HttpStatusOf(100), 404);
  EXPECT_EQ(HttpStatusOf(110), 401);
  EXPECT_EQ(HttpStatusOf(130), 413);
  EXPECT_EQ(HttpStatusOf(140), 400);
  EXPECT_EQ(HttpStatusOf(150), 403);
  EXPECT_EQ(HttpStatusOf(406), 406);
  EXPECT_EQ(HttpStatusOf(500), 500);
  EXPECT_EQ(HttpStatusOf(503), 503);
  EXPECT_EQ(HttpStatusOf(510), 413);
  SdmxError e{140, "the key has 4 positions but the dataflow has 3 dimensions <&>"};
  json::value v = json::parse(ErrorMessageBody(e, true));
  EXPECT_EQ(v.at_pointer("/errors/0/code"), 140);
  EXPECT_EQ(v.at_pointer("/errors/0/title"), "Syntax error");
  EXPECT_EQ(v.at_pointer("/errors/0/detail"), json::value(e.message));
  pugi::xml_document doc;
  std::string xml = ErrorMessageBody(e, false);
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  pugi::xml_node m = doc.child("message:Error").child("message:ErrorMessage");
  EXPECT_STREQ(m.attribute("code").value(), "140");
  EXPECT_EQ(std::string(m.child_value("common:Text")), "Syntax error: " + e.message);
}

}  // namespace
}  // namespace gmg::sdmx
