#include "interop/sdmx_read.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gmg::sdmx {
namespace {

DataStructure MigrantStock() {
  DataStructure ds;
  ds.agency = "UNDESA";
  ds.id = "DSD_MIGRANT_STOCK";
  ds.dimensions = {{"REF_AREA", "Destination", "CL_AREA"},
                   {"COUNTERPART_AREA", "Origin", "CL_AREA"},
                   {"SEX", "Sex", "CL_SEX"}};
  ds.attributes = {{"OBS_STATUS", "Observation status", "CL_OBS_STATUS"},
                   {"UNIT_MEASURE", "Unit", "", "Series"}};
  return ds;
}

// An observation as the sink saw it, copied: "key|period|value|attributes|action|line".
std::string Flat(const ObservationView& o) {
  std::string s;
  for (size_t i = 0; i < o.key.size(); ++i) s += (i ? "." : "") + std::string(o.key[i]);
  s += "|" + std::string(o.period) + "|" + std::string(o.value) + "|";
  for (size_t i = 0; i < o.attributes.size(); ++i) {
    s += (i ? "," : "") + std::string(o.attributes[i]);
  }
  static constexpr const char* kActions[] = {"I", "A", "R", "D"};
  s += std::string("|") + kActions[static_cast<int>(o.action)] + "|" + std::to_string(o.line);
  return s;
}

struct Collected {
  Result<MessageInfo> info = MessageInfo{};
  std::vector<std::string> observations;
  std::vector<std::string> ignored;
};

Collected ReadCsv(std::string_view text) {
  Collected c;
  DataStructure ds = MigrantStock();
  c.info = ReadSdmxCsv(
      text, ds,
      [&](const ObservationView& o) {
        c.observations.push_back(Flat(o));
        return Ok();
      },
      &c.ignored);
  return c;
}

Collected ReadMl(std::string_view text) {
  Collected c;
  DataStructure ds = MigrantStock();
  c.info = ReadSdmxMl(text, ds, [&](const ObservationView& o) {
    c.observations.push_back(Flat(o));
    return Ok();
  });
  return c;
}

TEST(SdmxDetect, FormatsFromTheFirstBytes) {
  EXPECT_EQ(DetectFormat("\xEF\xBB\xBF  <?xml version=\"1.0\"?><a/>"), InputFormat::kSdmxMl21);
  EXPECT_EQ(DetectFormat("DATAFLOW,REF_AREA\nX,BF\n"), InputFormat::kSdmxCsv10);
  EXPECT_EQ(DetectFormat("STRUCTURE;STRUCTURE_ID;ACTION\n"), InputFormat::kSdmxCsv20);
  EXPECT_EQ(DetectFormat("STRUCTURE[;],STRUCTURE_ID\n"), InputFormat::kSdmxCsv20);
  EXPECT_EQ(DetectFormat("Year,Dest,Value\n"), InputFormat::kPlainCsv);
  EXPECT_EQ(DetectFormat(std::string_view("PK\x03\x04\0\0", 6)), InputFormat::kNotCsv);
  EXPECT_EQ(DetectFormat(" \n"), InputFormat::kUnknown);
}

TEST(SdmxCsv, Reads10WithDataflowColumn) {
  auto c = ReadCsv(
      "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS,COMMENT\r\n"
      "UNDESA:MIGRANT_STOCK(1.0),BF,ML,T,2019,1234,A,first\r\n"
      "UNDESA:MIGRANT_STOCK(1.0),BF,ML,F,2019,,M,\r\n"
      "\r\n");
  ASSERT_TRUE(c.info.ok()) << c.info.error().message;
  EXPECT_EQ(c.info->agency, "UNDESA");
  EXPECT_EQ(c.info->id, "MIGRANT_STOCK");
  EXPECT_EQ(c.info->version, "1.0");
  EXPECT_EQ(c.info->columns.size(), 8U);
  EXPECT_EQ(c.ignored, std::vector<std::string>{"COMMENT"});
  EXPECT_EQ(c.observations,
            (std::vector<std::string>{"BF.ML.T|2019|1234|A,|I|2", "BF.ML.F|2019||M,|I|3"}));
}

TEST(SdmxCsv, Reads20WithActionsAnyColumnOrderAndLabels) {
  auto c = ReadCsv(
      "STRUCTURE;STRUCTURE_ID;ACTION;TIME_PERIOD;SEX: Sex;REF_AREA;COUNTERPART_AREA;OBS_VALUE;"
      "UNIT_MEASURE\n"
      "dataflow;UNHCR:REFUGEES(2.0);R;2020;T: Total;BF: Burkina Faso;ML;10;PS\n"
      "DATAFLOW;UNHCR:REFUGEES(2.0);D;2021;M;BF;ML;;\n"
      "dataflow;UNHCR:REFUGEES(2.0);;2022;M;BF;ML;5;\n");
  ASSERT_TRUE(c.info.ok()) << c.info.error().message;
  EXPECT_EQ(c.info->agency, "UNHCR");
  EXPECT_EQ(c.info->id, "REFUGEES");
  EXPECT_EQ(c.info->version, "2.0");
  EXPECT_TRUE(c.ignored.empty());
  EXPECT_EQ(c.observations,
            (std::vector<std::string>{"BF.ML.T|2020|10|,PS|R|2", "BF.ML.M|2021||,|D|3",
                                      "BF.ML.M|2022|5|,|I|4"}));
}

TEST(SdmxCsv, ErrorsNameLineAndColumn) {
  const std::string head =
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,COUNTERPART_AREA,SEX,"
      "TIME_PERIOD,OBS_VALUE\n";
  EXPECT_EQ(ReadCsv(head + "dataflow,A:B(1.0),X,BF,ML,T,2019,1\n").info.error().message,
            "line 2, column 3: unknown ACTION \"X\" (I, A, R or D)");
  EXPECT_EQ(ReadCsv(head + "datastructure,A:B(1.0),A,BF,ML,T,2019,1\n").info.error().message,
            "line 2, column 1: STRUCTURE is \"datastructure\"; only \"dataflow\" is accepted");
  EXPECT_EQ(ReadCsv(head + "dataflow,A:B(1.0),A,BF,ML,T,2019\n").info.error().message,
            "line 2: the row has 7 fields but the header has 8");
  EXPECT_EQ(
      ReadCsv("STRUCTURE,STRUCTURE_ID,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\n").info.error().message,
      "line 1: the header has no column for the dimension COUNTERPART_AREA");
  EXPECT_EQ(ReadCsv("DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,OBS_VALUE\n").info.error().message,
            "line 1: the header has no column for the time dimension TIME_PERIOD");
  EXPECT_EQ(ReadCsv("STRUCTURE,REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE\n")
                .info.error()
                .message,
            "line 1: the header has no column for STRUCTURE_ID");
  EXPECT_EQ(ReadCsv("REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE\n").info.error().message,
            "line 1: the header has no column for DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (2.0)");
  // CSV syntax errors come from the reader, with the character column.
  EXPECT_EQ(ReadCsv(head + "dataflow,\"A:B(1.0),A,BF,ML,T,2019,1\n").info.error().message,
            "line 2, column 10: unterminated quoted field");
}

TEST(SdmxCsv, TheSinksErrorStopsTheRead) {
  DataStructure ds = MigrantStock();
  int calls = 0;
  auto r = ReadSdmxCsv(
      "DATAFLOW,REF_AREA,COUNTERPART_AREA,SEX,TIME_PERIOD,OBS_VALUE\nX,BF,ML,T,2019,1\n"
      "X,BF,ML,T,2020,2\n",
      ds,
      [&](const ObservationView& o) -> Status {
        ++calls;
        return MakeError(ErrorCode::kFailedPrecondition, "stop at " + std::to_string(o.line));
      },
      nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().message, "stop at 2");
  EXPECT_EQ(calls, 1);
}

constexpr std::string_view kMlHead = R"xml(<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNDESA:MIGRANT_STOCK(1.0):ObsLevelDim:TIME_PERIOD">
<message:Header>
<message:ID>IREF0001</message:ID><message:Test>false</message:Test>
<message:Prepared>2020-01-15T10:00:00Z</message:Prepared><message:Sender id="UNDESA"/>
<message:Structure structureID="UNDESA_MIGRANT_STOCK_1_0" namespace="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=UNDESA:MIGRANT_STOCK(1.0)" dimensionAtObservation="TIME_PERIOD">
<common:StructureUsage><Ref agencyID="UNDESA" id="MIGRANT_STOCK" version="1.0"/></common:StructureUsage>
</message:Structure>
</message:Header>
)xml";

TEST(SdmxMl, ReadsSeriesAndObs) {
  std::string text(kMlHead);
  text +=
      R"xml(<message:DataSet ss:structureRef="UNDESA_MIGRANT_STOCK_1_0" xsi:type="ns1:DataSetType" action="Replace" UNIT_MEASURE="PS">
<Series REF_AREA="BF" COUNTERPART_AREA="ML" SEX="T">
<Obs TIME_PERIOD="2015" OBS_VALUE="1200"/>
<Obs TIME_PERIOD="2019" OBS_VALUE="1234" OBS_STATUS="E"/>
</Series>
<Series REF_AREA="BF" COUNTERPART_AREA="CI" SEX="F" UNIT_MEASURE="TPS"><Obs TIME_PERIOD="2019" OBS_VALUE="NaN"/></Series>
</message:DataSet>
</message:StructureSpecificData>
)xml";
  auto c = ReadMl(text);
  ASSERT_TRUE(c.info.ok()) << c.info.error().message;
  EXPECT_EQ(c.info->agency, "UNDESA");
  EXPECT_EQ(c.info->id, "MIGRANT_STOCK");
  EXPECT_EQ(c.info->version, "1.0");
  EXPECT_EQ(c.observations,
            (std::vector<std::string>{"BF.ML.T|2015|1200|,PS|R|12", "BF.ML.T|2019|1234|E,PS|R|13",
                                      "BF.CI.F|2019|NaN|,TPS|R|15"}));
}

TEST(SdmxMl, ReadsFlatObservationsAndDeletes) {
  std::string text(kMlHead);
  text += R"xml(<message:DataSet action="Delete">
<Obs REF_AREA="BF" COUNTERPART_AREA="ML" SEX="T" TIME_PERIOD="2015"/>
<Obs REF_AREA="BF" SEX="T"/>
</message:DataSet>
<message:DataSet>
<Obs REF_AREA="NE" COUNTERPART_AREA="ML" SEX="M" TIME_PERIOD="2016" OBS_VALUE="7"/>
</message:DataSet>
</message:StructureSpecificData>)xml";
  auto c = ReadMl(text);
  ASSERT_TRUE(c.info.ok()) << c.info.error().message;
  EXPECT_EQ(c.observations, (std::vector<std::string>{"BF.ML.T|2015||,|D|11", "BF..T|||,|D|12",
                                                      "NE.ML.M|2016|7|,|I|15"}));
}

TEST(SdmxMl, Errors) {
  auto ml = [](std::string_view body) {
    return ReadMl(std::string(kMlHead) + std::string(body)).info.error().message;
  };
  EXPECT_EQ(ml("<message:DataSet><Series REF_AREA=\"BF\" SEX=\"T\">\n<Obs TIME_PERIOD=\"2019\"/>"
               "</Series></message:DataSet></message:StructureSpecificData>"),
            "line 11: an Obs with no value for the dimension COUNTERPART_AREA (neither on it nor "
            "on its Series)");
  EXPECT_EQ(ml("<message:DataSet action=\"Upsert\"></message:DataSet>"
               "</message:StructureSpecificData>"),
            "line 10: unknown dataset action \"Upsert\" (Information, Append, Replace, Delete)");
  EXPECT_EQ(ml("<message:DataSet>\n<Series REF_AREA=\"BF\" SEX=\"T\"></Obs>"),
            "line 11, column 33: malformed XML: mismatched tag");
  EXPECT_EQ(ml("<message:DataSet><Obs REF_AREA=\"BF\" COUNTERPART_AREA=\"ML\" SEX=\"T\"/>"
               "</message:DataSet></message:StructureSpecificData>"),
            "line 10: an Obs with no TIME_PERIOD");
  EXPECT_EQ(ReadMl("").info.error().message, "line 1, column 1: malformed XML: no element found");
  EXPECT_EQ(ReadMl("<a><b/></a>").info.error().message,
            "line 1: not an SDMX-ML structure-specific data message: no DataSet element");
  EXPECT_EQ(ReadMl("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").info.error().message,
            "line 1: a DOCTYPE is not accepted in an SDMX-ML message");
}

}  // namespace
}  // namespace gmg::sdmx
