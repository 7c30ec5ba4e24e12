#include "statistics/structure_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gmg::stats {
namespace {

sdmx::DataStructure Sample() {
  sdmx::DataStructure s;
  s.agency = "UNDESA";
  s.id = "DSD_MIGRANT_STOCK";
  s.name = "Migrant stock";
  s.dimensions = {{"REF_AREA", "Destination", "CL_AREA", "Observation"},
                  {"SEX", "Sex", "CL_SEX", "Observation"}};
  s.attributes = {{"OBS_STATUS", "Status", "", "Observation"}};
  s.codelists = {{"UNDESA",
                  "CL_AREA",
                  "1.0",
                  "Areas",
                  {{"002", "Africa", ""}, {"BFA", "Burkina Faso", "002"}}},
                 {"UNDESA", "CL_SEX", "1.0", "Sex", {{"F", "Female", ""}, {"M", "Male", ""}}}};
  s.concepts = {{"REF_AREA", "Destination"}, {"SEX", "Sex"}};
  return s;
}

std::string ErrorField(const Error& e) { return e.details.empty() ? "" : e.details[0].field; }

TEST(StructureJsonTest, AStructureRoundTrips) {
  sdmx::DataStructure s = Sample();
  auto back = StructureFromText(StructureToText(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(StructureToText(*back), StructureToText(s));
  EXPECT_EQ(back->codelists[0].codes[1].parent, "002");
  EXPECT_EQ(back->attributes[0].attachment, "Observation");
}

TEST(StructureJsonTest, BrokenStructuresNameTheField) {
  auto field_of = [](const boost::json::value& v) {
    auto r = StructureFromJson(v);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string("(accepted)") : ErrorField(r.error());
  };
  boost::json::value good = StructureToJson(Sample());
  auto with = [&](auto change) {
    boost::json::value v = good;
    change(v.as_object());
    return v;
  };
  EXPECT_EQ(field_of(with(
                [](auto& o) { o["dimensions"].as_array()[1].as_object()["codelist"] = "CL_X"; })),
            "dimensions[1].codelist");
  EXPECT_EQ(
      field_of(with([](auto& o) { o["dimensions"].as_array()[0].as_object()["id"] = "SEX"; })),
      "dimensions[1].id");
  EXPECT_EQ(field_of(with([](auto& o) {
              o["codelists"].as_array()[1].as_object()["codes"].as_array()[1].as_object()["id"] =
                  "F";
            })),
            "codelists[1].codes[1].id");
  EXPECT_EQ(
      field_of(with([](auto& o) {
        o["codelists"].as_array()[0].as_object()["codes"].as_array()[1].as_object()["parent"] =
            "999";
      })),
      "codelists[0].codes[1].parent");
  EXPECT_EQ(field_of(with([](auto& o) { o["dimensions"] = boost::json::array(); })), "dimensions");
  EXPECT_EQ(field_of(with([](auto& o) { o["id"] = "has space"; })), "id");
  EXPECT_EQ(field_of(with([](auto& o) { o["attributes"] = 3; })), "attributes");
  EXPECT_EQ(field_of(with(
                [](auto& o) { o["attributes"].as_array()[0].as_object()["attachment"] = "Row"; })),
            "attributes[0].attachment");
  EXPECT_EQ(field_of(with([](auto& o) { o.erase("id"); })), "id");
  EXPECT_EQ(field_of(boost::json::value(5)), "(body)");
  EXPECT_FALSE(StructureFromText("{not json").ok());
}

ColumnMapping SampleMapping() {
  ColumnMapping m;
  m.delimiter = ';';
  m.header_line = 3;
  m.columns = {"Year", "Dest", "Female", "Male", "Notes"};
  m.roles = {{ColumnRole::Kind::kTime, "", "", ""},
             {ColumnRole::Kind::kDimension, "REF_AREA", "", "_U"},
             {ColumnRole::Kind::kWideValues, "SEX", "F", ""},
             {ColumnRole::Kind::kWideValues, "SEX", "M", ""},
             {ColumnRole::Kind::kAttribute, "OBS_STATUS", "", ""}};
  m.wide_dimension = "SEX";
  m.missing_markers = {"..", ""};
  m.decimal_mark = ',';
  m.skip_note_lines = true;
  return m;
}

TEST(StructureJsonTest, AMappingRoundTripsAndFitsItsStructure) {
  ColumnMapping m = SampleMapping();
  auto back = MappingFromText(MappingToText(m));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(MappingToText(*back), MappingToText(m));
  EXPECT_EQ(back->delimiter, ';');
  EXPECT_EQ(back->roles[2].kind, ColumnRole::Kind::kWideValues);
  EXPECT_EQ(back->roles[2].measure, "F");
  EXPECT_EQ(back->roles[1].empty_code, "_U");
  EXPECT_EQ(back->decimal_mark, ',');
  EXPECT_TRUE(back->skip_note_lines);
  EXPECT_TRUE(MappingFitsStructure(*back, Sample()).ok());
  auto json = MappingToJson(m);
  EXPECT_EQ(json.at("roles").at(0).at("kind"), "time");
}

TEST(StructureJsonTest, BrokenMappingsNameTheField) {
  boost::json::value good = MappingToJson(SampleMapping());
  auto field_of = [&](auto change) {
    boost::json::value v = good;
    change(v.as_object());
    auto r = MappingFromJson(v);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string("(accepted)") : ErrorField(r.error());
  };
  EXPECT_EQ(field_of([](auto& o) { o["roles"].as_array()[0].as_object()["kind"] = "year"; }),
            "roles[0].kind");
  EXPECT_EQ(field_of([](auto& o) { o["roles"].as_array().pop_back(); }), "roles");
  EXPECT_EQ(field_of([](auto& o) { o["delimiter"] = "::"; }), "delimiter");
  EXPECT_EQ(field_of([](auto& o) { o["header_line"] = 0; }), "header_line");

  ColumnMapping m = SampleMapping();
  m.roles[1].dimension = "COUNTERPART_AREA";
  EXPECT_EQ(ErrorField(MappingFitsStructure(m, Sample()).error()), "roles[1].dimension");
  m = SampleMapping();
  m.constants = {{"AGE", "_T"}};
  EXPECT_EQ(ErrorField(MappingFitsStructure(m, Sample()).error()), "constants[0].dimension");
}

}  // namespace
}  // namespace gmg::stats
