#include "statistics/sdmx_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "app/testing.h"
#include "statistics/stats_routes.h"

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
  for (const char* bad :
       {"", "yesterday", "2020-02-30", "2020-01-31T25:00:00Z", "2020-01-31 10:00:00",
        "2020-01-31T10:00:00+25:00", "2020-01-31T10:00:00.Z", "2020-01-31T10:00:00Zjunk",
        "2020-01-31T10:00:00+01:00:00:00:00:00:00:00:00:00:00:00:00"}) {
    auto r = ParseIsoTimestamp(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(SdmxComponentFiltersTest, ReadsCFiltersFromTheRawQueryWherePlusIsAnd) {
  auto f = ParseComponentFilters(
      "/sdmx/v2/data/dataflow/A/B/"
      "1.0?c[TIME_PERIOD]=ge:2000+le:2010&format=csv&c%5BREF_AREA%5D=BF,ML");
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
  auto ok = ParseDataParams(
      Get("/sdmx/data/X?startPeriod=2000&endPeriod=2010-Q2&firstNObservations=3&lastNObservations=2"
          "&detail=serieskeysonly&updatedAfter=2020-01-01&labels=both&aggregate=region"
          "&aggregate_dimension=COUNTERPART_AREA&release=4&dimensionAtObservation=AllDimensions"
          "&per_capita=UNDESA:POPULATION&per_capita_dimension=AREA&per_capita_per=100"));
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
  ASSERT_TRUE(ok->per_capita.has_value());
  EXPECT_EQ(ok->per_capita->agency, "UNDESA");
  EXPECT_EQ(ok->per_capita->id, "POPULATION");
  EXPECT_EQ(ok->per_capita_dimension, "AREA");
  EXPECT_EQ(ok->per_capita_per, 100);

  for (const char* bad : {"startPeriod=soon",
                          "endPeriod=2019-13",
                          "startPeriod=2011&endPeriod=2010",
                          "firstNObservations=0",
                          "lastNObservations=-1",
                          "lastNObservations=1000001",
                          "firstNObservations=3x",
                          "detail=everything",
                          "labels=names",
                          "aggregate=galaxy",
                          "aggregate_dimension=A%3CB",
                          "release=0",
                          "release=99999999999",
                          "updatedAfter=last-week",
                          "dimensionAtObservation=A%20B",
                          "per_capita=A,B,C,D",
                          "per_capita=UNDESA:%3Cx%3E",
                          "per_capita=UNDESA:POP&per_capita_dimension=A%20B",
                          "per_capita=U:P&per_capita_per=7",
                          "startPeriod=20000000000000000000000000000000000000000000"}) {
    auto r = ParseDataParams(Get(std::string("/sdmx/data/X?") + bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(SdmxCode(r.error()), 140) << bad;
    EXPECT_EQ(WithoutSdmxCode(r.error()).details.size(), 0u) << "the JSON API's error";
  }
}

}  // namespace
}  // namespace gmg

namespace gmg {
namespace {

// The routes over a real StatsService (both engines), with an answer limit of 5 observations.
class StatsRoutesTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    stats_ = std::make_unique<StatsService>(*db_, StatsService::Options{});
    StatsApiOptions options;
    options.max_answer_observations = 5;
    AddStatsRoutes(router_, *stats_, options);
    sdmx::DataStructure dsd;
    dsd.agency = "IOM";
    dsd.id = "DSD_SMALL";
    dsd.dimensions = {{"REF_AREA", "Area", "CL_AREA"}, {"SEX", "Sex", "CL_SEX"}};
    dsd.codelists = {
        {"IOM", "CL_AREA", "1.0", "Areas", {{"BF", "Burkina Faso", ""}, {"ML", "Mali", ""}}},
        {"IOM", "CL_SEX", "1.0", "Sex", {{"F", "Female", ""}, {"M", "Male", ""}}}};
    auto saved =
        stats_->SaveFlow(Principal::Cli(), {"IOM", "SMALL", ""}, "Small", "", dsd, std::nullopt);
    ASSERT_TRUE(saved.ok()) << saved.error().message;
    std::string csv = "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\n";
    for (const char* area : {"BF", "ML"}) {
      for (const char* sex : {"F", "M"}) {
        for (const char* year : {"2000", "2001"}) {
          csv += std::string("IOM:SMALL(1.0),") + area + "," + sex + "," + year + ",1\n";
        }
      }
    }
    StatsImportRequest request;
    request.flow = {"IOM", "SMALL", ""};
    request.data = csv;
    request.file_name = "small.csv";
    auto report = stats_->Import(Principal::Cli(), request);
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_TRUE(report->applied);
  }

  // The answer, its streamed body produced.
  http::Response Ask(const std::string& target, const std::string& accept = "") {
    http::Request r = Get(target);
    if (!accept.empty()) r.headers.emplace_back("accept", accept);
    http::Response res = router_.Dispatch(r);
    if (res.stream) {
      res.stream([&res](std::string_view piece) {
        res.body.append(piece);
        return true;
      });
    }
    return res;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<StatsService> stats_;
  http::Router router_;
};

TEST_P(StatsRoutesTest, AnswersOverTheLimitAre413WithSdmx510AndAHint) {
  http::Response ok = Ask("/sdmx/data/IOM,SMALL/BF.?format=csvfile");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(std::count(ok.body.begin(), ok.body.end(), '\n'), 1 + 4) << ok.body;
  http::Response big = Ask("/sdmx/data/IOM,SMALL/all?format=jsondata");
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_NE(big.body.find("510"), std::string::npos) << big.body;
  EXPECT_NE(big.body.find('8'), std::string::npos) << "names the count: " << big.body;
  EXPECT_NE(big.body.find('5'), std::string::npos) << "names the limit: " << big.body;
  http::Response xml = Ask("/sdmx/v2/data/dataflow/IOM/SMALL/1.0/*.*");
  EXPECT_EQ(xml.status, 413);
  EXPECT_NE(xml.body.find("<"), std::string::npos) << "SDMX-ML error: " << xml.body;
  http::Response chart = Ask("/api/v1/stats/flows/IOM/SMALL/data");
  EXPECT_EQ(chart.status, 413) << chart.body;
  EXPECT_NE(chart.body.find("payload_too_large"), std::string::npos) << chart.body;
  EXPECT_EQ(Ask("/api/v1/stats/flows/IOM/SMALL/data?key=ML.F").status, 200);
}

TEST_P(StatsRoutesTest, NegotiatesTheFormatAndAnswersSdmxErrors) {
  EXPECT_EQ(Ask("/sdmx/data/IOM,SMALL/BF.F", "image/png").status, 406);
  http::Response csv = Ask("/sdmx/data/IOM,SMALL/BF.F", "text/csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.content_type.find("csv"), std::string::npos) << csv.content_type;
  http::Response missing = Ask("/sdmx/data/IOM,NOPE/all?format=jsondata");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("100"), std::string::npos) << missing.body;
  http::Response bad_key = Ask("/sdmx/data/IOM,SMALL/BF.F.X?format=jsondata");
  EXPECT_EQ(bad_key.status, 400);
  EXPECT_NE(bad_key.body.find("140"), std::string::npos) << bad_key.body;
  http::Response structure = Ask("/sdmx/codelist/IOM/CL_SEX?format=sdmx-json");
  EXPECT_EQ(structure.status, 200) << structure.body;
  EXPECT_NE(structure.body.find("Female"), std::string::npos);
  EXPECT_EQ(structure.body.find("Burkina"), std::string::npos) << "only CL_SEX";
  http::Response flows = Ask("/api/v1/stats/flows");
  EXPECT_EQ(flows.status, 200);
  EXPECT_NE(flows.body.find("\"SMALL\""), std::string::npos) << flows.body;
}

INSTANTIATE_TEST_SUITE_P(Engines, StatsRoutesTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
