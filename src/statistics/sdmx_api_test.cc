#include "statistics/sdmx_api.h"

#include <gtest/gtest.h>

#include <string>

namespace gmg {
namespace {

int SdmxCode(const Error& e) {
  for (const auto& d : e.details) {
    if (d.field == kSdmxCodeField) return std::stoi(d.problem);
  }
  return 0;
}

http::Request Get(std::string target) {
  http::Request r;
  r.method = "GET";
  r.target = target;
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) EXPECT_TRUE(http::ParseQueryString(target.substr(q + 1), &r.query));
  return r;
}

TEST(SdmxFlowRefTest, ReadsAgencyIdVersionOrTheIdAlone) {
  auto full = ParseFlowRef("UNDESA,MIGRANT_STOCK,1.0");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->agency, "UNDESA");
  EXPECT_EQ(full->id, "MIGRANT_STOCK");
  EXPECT_EQ(full->version, "1.0");
  auto two = ParseFlowRef("UNHCR,REFUGEES");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->version, "");
  auto latest = ParseFlowRef("ALL,REFUGEES,latest");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->agency, "") << "any agency";
  EXPECT_EQ(latest->version, "");
  auto id = ParseFlowRef("REFUGEES");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->agency, "");
  EXPECT_EQ(id->id, "REFUGEES");
  for (const char* bad : {"", "A,B,C,D", "A,,1.0", "A,B<script>", "A,all", ","}) {
    auto r = ParseFlowRef(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(SdmxCode(r.error()), 140) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(ParseFlowRef(std::string(101, 'A') + ",X").ok()) << "parts are bounded";
}

TEST(SdmxUpdatedAfterTest, ReadsIso8601DatesAndDateTimes) {
  EXPECT_EQ(*ParseIsoTimestamp("1970-01-02"), 86400);
  EXPECT_EQ(*ParseIsoTimestamp("2020-01-31T10:00:00Z"), 1580464800);
  EXPECT_EQ(*ParseIsoTimestamp("2020-01-31T10:00Z"), 1580464800);
  EXPECT_EQ(*ParseIsoTimestamp("2020-01-31T11:00:00+01:00"), 1580464800);
  EXPECT_EQ(*ParseIsoTimestamp("2020-01-31T11:00:00 01:00"), 1580464800)
      << "a '+' the query decoding made a space";
  EXPECT_EQ(*ParseIsoTimestamp("2020-01-31T05:30:00.250-0430"), 1580464800);
  EXPECT_EQ(*ParseIsoTimestamp("2020-01-31T10:00:00"), 1580464800) << "no offset: UTC";
  for (const char* bad : {"", "yesterday", "2020-02-30", "2020-01-31T25:00:00Z",
                          "2020-01-31 10:00:00", "2020-01-31T10:00:00+25:00",
                          "2020-01-31T10:00:00.Z", "2020-01-31T10:00:00Zjunk",
                          "2020-01-31T10:00:00+01:00:00:00:00:00:00:00:00:00:00:00:00"}) {
    auto r = ParseIsoTimestamp(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(SdmxComponentFiltersTest, ReadsCFiltersFromTheRawQueryWherePlusIsAnd) {
  auto f = ParseComponentFilters(
      "/sdmx/v2/data/dataflow/A/B/1.0?c[TIME_PERIOD]=ge:2000+le:2010&format=csv&c%5BREF_AREA%5D=BF,ML");
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->size(), 2u);
  EXPECT_EQ((*f)[0].component, "TIME_PERIOD");
  ASSERT_EQ((*f)[0].any_of.size(), 1u);
  EXPECT_EQ((*f)[0].any_of[0].size(), 2u) << "ge AND le";
  EXPECT_EQ((*f)[1].component, "REF_AREA");
  EXPECT_EQ((*f)[1].any_of.size(), 2u) << "BF OR ML";
  EXPECT_TRUE(ParseComponentFilters("/sdmx/data/X")->empty());
  std::string many = "/x?";
  for (int i = 0; i < 51; ++i) many += "c[SEX]=F&";
  auto too_many = ParseComponentFilters(many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(SdmxCode(too_many.error()), 140);
  EXPECT_FALSE(ParseComponentFilters("/x?c[SEX]=" + std::string(5000, 'F')).ok());
  EXPECT_FALSE(ParseComponentFilters("/x?c[SEX]=zz:F").ok()) << "unknown operator";
  EXPECT_FALSE(ParseComponentFilters("/x?c[S%ZZ]=F").ok()) << "broken escape";
  EXPECT_FALSE(ParseComponentFilters("/x?c[S<X]=F").ok()) << "component id characters";
}

TEST(SdmxV2KeyTest, WildcardsAndCommasBecomeV1Syntax) {
  EXPECT_EQ(V2KeyAsV1("*"), "all");
  EXPECT_EQ(V2KeyAsV1(""), "all");
  EXPECT_EQ(V2KeyAsV1("A.*.BF,ML"), "A..BF+ML");
  EXPECT_EQ(V2KeyAsV1("*.*"), ".");
  EXPECT_EQ(V2KeyAsV1("A+B.C"), "A+B.C");
}

TEST(SdmxDataParamsTest, EveryBoundIsCheckedAndNamed) {
  auto ok = ParseDataParams(Get(
      "/sdmx/data/X?startPeriod=2000&endPeriod=2010-Q2&firstNObservations=3&lastNObservations=2"
      "&detail=serieskeysonly&updatedAfter=2020-01-01&labels=both&aggregate=region"
      "&aggregate_dimension=COUNTERPART_AREA&release=4&dimensionAtObservation=AllDimensions"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*ok->query.start_period, "2000");
  EXPECT_EQ(*ok->query.end_period, "2010-Q2");
  EXPECT_EQ(ok->query.first_n, 3);
  EXPECT_EQ(ok->query.last_n, 2);
  EXPECT_EQ(ok->query.detail, sdmx::Detail::kSeriesKeysOnly);
  EXPECT_EQ(ok->query.updated_after, 1577836800);
  EXPECT_TRUE(ok->labels);
  EXPECT_EQ(*ok->aggregate, "region");
  EXPECT_EQ(ok->aggregate_dimension, "COUNTERPART_AREA");
  EXPECT_EQ(ok->release, 4);
  EXPECT_EQ(ok->query.dimension_at_observation, "AllDimensions");

  for (const char* bad :
       {"startPeriod=soon", "endPeriod=2019-13", "startPeriod=2011&endPeriod=2010",
        "firstNObservations=0", "lastNObservations=-1", "lastNObservations=1000001",
        "firstNObservations=3x", "detail=everything", "labels=names", "aggregate=galaxy",
        "aggregate_dimension=A%3CB", "release=0", "release=99999999999",
        "updatedAfter=last-week", "dimensionAtObservation=A%20B",
        "startPeriod=20000000000000000000000000000000000000000000"}) {
    auto r = ParseDataParams(Get(std::string("/sdmx/data/X?") + bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(SdmxCode(r.error()), 140) << bad;
    EXPECT_EQ(WithoutSdmxCode(r.error()).details.size(), 0u) << "the JSON API's error";
  }
}

}  // namespace
}  // namespace gmg
