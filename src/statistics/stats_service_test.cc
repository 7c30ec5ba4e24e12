#include "statistics/stats_service.h"

#include <gtest/gtest.h>

#include <cmath>

#include "app/testing.h"
#include "statistics/structure_json.h"

namespace gmg {
namespace {

Principal MemberOf(const std::string& org, Role role = Role::kMember) {
  Principal p;
  p.user_id = 0;
  p.email = "someone@" + org + ".int";
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Admin() {
  Principal p;
  p.email = "admin@gmg.org";
  p.role = Role::kAdmin;
  p.via = AuthVia::kToken;
  return p;
}

constexpr std::string_view kStock10 =
    "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
    "UNDESA:STOCK(1.0),BFA,F,2000,100,A\n"
    "UNDESA:STOCK(1.0),BFA,F,1990,90,A\n"
    "UNDESA:STOCK(1.0),BFA,M,1990,80,\n"
    "UNDESA:STOCK(1.0),BFA,M,2000,85,E\n"
    "UNDESA:STOCK(1.0),MLI,F,2000,7.5,\n";

const StatsFlowRef kStock{"UNDESA", "STOCK", ""};

// On both engines (store/test_database.h).
class StatsServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    service_ = std::make_unique<StatsService>(*db_, StatsService::Options{});
  }

  Result<StatsImportReport> Upload(std::string_view data, const Principal& who, bool replace = true,
                                   bool dry_run = false, StatsFlowRef ref = kStock) {
    StatsImportRequest r;
    r.flow = ref;
    r.name = "Migrant stock";
    r.data = data;
    r.file_name = "stock.csv";
    r.replace = replace;
    r.dry_run = dry_run;
    return service_->Import(who, r);
  }

  StatsImportReport MustUpload(std::string_view data, bool replace = true) {
    auto report = Upload(data, MemberOf("undesa"), replace);
    EXPECT_TRUE(report.ok()) << report.error().message;
    if (!report.ok()) return {};
    EXPECT_TRUE(report->applied);
    for (const auto& p : report->problems)
      ADD_FAILURE() << p.line << " " << p.column << " " << p.message;
    return *report;
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }

  // "KEY PERIOD=VALUE …" of every observation, series by series.
  static std::string Describe(const stats::FlowData& data) {
    std::string out;
    const auto& s = data.flow.structure;
    for (const auto& series : data.series) {
      for (size_t d = 0; d < series.key.size(); ++d) {
        const sdmx::Codelist* cl = s.FindCodelist(s.dimensions[d].codelist);
        out += (d ? "." : "") + cl->codes[series.key[d]].id;
      }
      for (size_t i = 0; i < series.values.size(); ++i) {
        double v = series.values[i];
        out += " " + data.periods[series.period_index[i]] + "=" +
               (std::isnan(v) ? std::string("NaN") : std::to_string(static_cast<int64_t>(v * 10)));
      }
      out += ";";
    }
    return out;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<StatsService> service_;
};

TEST_P(StatsServiceTest, AnSdmxCsvUploadCreatesTheFlowWithCodesSeenAndReadsBackSorted) {
  StatsImportReport report = MustUpload(kStock10);
  EXPECT_EQ(report.format, "sdmx-csv-1.0");
  EXPECT_EQ(report.observations, 5);
  EXPECT_EQ(report.series, 3);
  EXPECT_EQ(report.added, 5);
  ASSERT_TRUE(report.release.has_value());
  EXPECT_EQ(report.release->number, 1);
  EXPECT_EQ(report.release->observations, 5);
  EXPECT_EQ(report.release->sha256.size(), 64u);

  auto data = service_->Current(kStock);
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ((*data)->periods, (std::vector<std::string>{"1990", "2000"}));
  EXPECT_EQ(Describe(**data), "BFA.F 1990=900 2000=1000;BFA.M 1990=800 2000=850;MLI.F 2000=75;");
  const auto& series = (*data)->series[1];
  ASSERT_EQ(series.attributes.size(), 2u);
  EXPECT_EQ(series.attributes[0], 0u);
  EXPECT_EQ((*data)->free_texts[series.attributes[1] - 1], "E");

  auto flow = service_->GetFlow(kStock);
  ASSERT_TRUE(flow.ok());
  EXPECT_EQ(flow->summary.provider, "undesa");
  EXPECT_EQ(flow->summary.series, 3);
  EXPECT_EQ(flow->summary.first_period, "1990");
  EXPECT_EQ(flow->summary.last_period, "2000");
  EXPECT_EQ(flow->flow.structure.dimensions.size(), 2u);
  EXPECT_EQ(flow->releases.size(), 1u);
  EXPECT_EQ(flow->releases[0].status, "current");
  auto list = service_->ListFlows();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].observations, 5);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'stats_dataflow'"), 1);
}

TEST_P(StatsServiceTest, AReUploadReplacesTheDataKeepsHistoryAndRewritesOnlyChangedSeries) {
  MustUpload(kStock10);
  // BFA.F unchanged; BFA.M one value changed and one gone; MLI.F gone; MLI.M new.
  StatsImportReport second = MustUpload(
      "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
      "UNDESA:STOCK(1.0),BFA,F,1990,90,A\n"
      "UNDESA:STOCK(1.0),BFA,F,2000,100,A\n"
      "UNDESA:STOCK(1.0),BFA,M,2000,86,E\n"
      "UNDESA:STOCK(1.0),MLI,M,2000,3,\n");
  EXPECT_EQ(second.release->number, 2);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(second.replaced, 1);
  EXPECT_EQ(second.deleted, 2);
  EXPECT_EQ(second.added, 1);
  EXPECT_EQ(second.release->changed, 4);
  EXPECT_EQ(second.release->observations, 4);
  EXPECT_EQ(Count("SELECT count(*) FROM stats_series WHERE valid_from = 2"), 2)
      << "BFA.M and MLI.M only";
  EXPECT_EQ(Count("SELECT count(*) FROM stats_series WHERE valid_to = 2"), 2) << "BFA.M, MLI.F";
  EXPECT_EQ(Count("SELECT count(*) FROM stats_series WHERE valid_to IS NULL"), 3);

  auto now = service_->Current(kStock);
  EXPECT_EQ(Describe(**now), "BFA.F 1990=900 2000=1000;BFA.M 2000=860;MLI.M 2000=30;");
  auto before = service_->AtRelease(kStock, 1);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Describe(**before), "BFA.F 1990=900 2000=1000;BFA.M 1990=800 2000=850;MLI.F 2000=75;");
  EXPECT_EQ(service_->AtRelease(kStock, 3).error().code, ErrorCode::kNotFound);
  auto flow = service_->GetFlow(kStock);
  ASSERT_EQ(flow->releases.size(), 2u);
  EXPECT_EQ(flow->releases[0].status, "current");
  EXPECT_EQ(flow->releases[1].status, "superseded");

  // The same file again: a release that changes nothing.
  StatsImportReport third = MustUpload(
      "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
      "UNDESA:STOCK(1.0),MLI,M,2000,3,\n"
      "UNDESA:STOCK(1.0),BFA,M,2000,86,E\n"
      "UNDESA:STOCK(1.0),BFA,F,2000,100,A\n"
      "UNDESA:STOCK(1.0),BFA,F,1990,90,A\n");
  EXPECT_EQ(third.unchanged, 4);
  EXPECT_EQ(third.release->changed, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM stats_series"), 5);
}

TEST_P(StatsServiceTest, MergeAndTheActionsOfSdmxCsv2EditOnlyWhatTheyName) {
  MustUpload(kStock10);
  // Merge (no ACTION, replace=false): one value changed, one added; the rest stays.
  StatsImportReport merged = MustUpload(
      "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\n"
      "UNDESA:STOCK(1.0),MLI,F,2000,8\n"
      "UNDESA:STOCK(1.0),MLI,F,2010,9\n",
      /*replace=*/false);
  EXPECT_EQ(merged.replaced, 1);
  EXPECT_EQ(merged.added, 1);
  EXPECT_EQ(merged.deleted, 0);
  EXPECT_EQ(merged.release->observations, 6);
  EXPECT_EQ(Describe(**service_->Current(kStock)),
            "BFA.F 1990=900 2000=1000;BFA.M 1990=800 2000=850;MLI.F 2000=80 2010=90;");

  // SDMX-CSV 2.0: A appends, R replaces a series whole, D deletes an observation.
  StatsImportReport actions = MustUpload(
      "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
      "dataflow,UNDESA:STOCK(1.0),A,BFA,F,2010,110,A\n"
      "dataflow,UNDESA:STOCK(1.0),R,BFA,M,2010,95,\n"
      "dataflow,UNDESA:STOCK(1.0),D,MLI,F,2000,,\n");
  EXPECT_EQ(actions.format, "sdmx-csv-2.0");
  EXPECT_EQ(Describe(**service_->Current(kStock)),
            "BFA.F 1990=900 2000=1000 2010=1100;BFA.M 2010=950;MLI.F 2010=90;");
  EXPECT_EQ(actions.added, 2);
  EXPECT_EQ(actions.deleted, 3);
}

TEST_P(StatsServiceTest, AnSdmxMlAppendMergesIntoTheStoredSeries) {
  MustUpload(kStock10);
  StatsImportReport ml = MustUpload(
      R"xml(<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
<message:Header><message:ID>T1</message:ID><message:Prepared>2020-01-15T10:00:00Z</message:Prepared></message:Header>
<message:DataSet ss:structureRef="UNDESA_STOCK_1_0" action="Append">
<Series REF_AREA="MLI" SEX="F"><Obs TIME_PERIOD="2000" OBS_VALUE="8"/><Obs TIME_PERIOD="2010" OBS_VALUE="9" OBS_STATUS="E"/></Series>
</message:DataSet>
</message:StructureSpecificData>
)xml");
  EXPECT_EQ(ml.format, "sdmx-ml-2.1");
  EXPECT_EQ(ml.replaced, 1);
  EXPECT_EQ(ml.added, 1);
  EXPECT_EQ(ml.unchanged, 4) << "the other series stay: Append is explicit";
  EXPECT_EQ(Describe(**service_->Current(kStock)),
            "BFA.F 1990=900 2000=1000;BFA.M 1990=800 2000=850;MLI.F 2000=80 2010=90;");
  // The secretariat may upload for any agency.
  Principal secretariat;
  secretariat.role = Role::kSecretariat;
  secretariat.email = "sec@gmg.org";
  EXPECT_TRUE(Upload(kStock10, secretariat)->applied);
}

TEST_P(StatsServiceTest, ARefusedUploadNamesLineAndColumnAndChangesNothing) {
  MustUpload(kStock10);
  int64_t audits = Count("SELECT count(*) FROM audit_log");
  auto before = service_->Current(kStock);
  auto report = Upload(
      "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE,OBS_STATUS\n"
      "UNDESA:STOCK(1.0),BFA,F,2000,101,A\n"
      "UNDESA:STOCK(1.0),XXX,F,2000,5,\n"
      "UNDESA:STOCK(1.0),BFA,M,2000,lots,\n"
      "UNDESA:STOCK(1.0),BFA,F,2000,102,A\n"
      "UNDESA:STOCK(1.0),BFA,F,20X0,1,A\n",
      MemberOf("undesa"));
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->applied);
  EXPECT_FALSE(report->release.has_value());
  ASSERT_EQ(report->problem_count, 4);
  std::vector<std::string> seen;
  for (const auto& p : report->problems) {
    seen.push_back(std::to_string(p.line) + " " + p.column + " " + p.rule);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"3 REF_AREA unknown_code", "4 OBS_VALUE not_a_number",
                                            "5  duplicate", "6 TIME_PERIOD bad_period"}));
  EXPECT_EQ(Count("SELECT count(*) FROM stats_releases"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits);
  auto after = service_->Current(kStock);
  EXPECT_EQ(after->get(), before->get()) << "the data version did not move";

  // Not a CSV at all: an error, nothing stored.
  std::string binary("\x00\x01\x02\xff", 4);
  EXPECT_EQ(Upload(binary, MemberOf("undesa")).error().code, ErrorCode::kInvalidArgument);
  // A dry run reports and stores nothing.
  auto dry = Upload("DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\nUNDESA:STOCK(1.0),BFA,F,2020,1\n",
                    MemberOf("undesa"), /*replace=*/false, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok());
  EXPECT_FALSE(dry->applied);
  EXPECT_EQ(dry->added, 1);
  EXPECT_EQ(dry->unchanged, 5);
  EXPECT_EQ(Count("SELECT count(*) FROM stats_releases"), 1);
}

TEST_P(StatsServiceTest, OnlyTheAgencysPeopleTheSecretariatAndAdminsUpload) {
  EXPECT_EQ(Upload(kStock10, MemberOf("unhcr")).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Upload(kStock10, Principal{}).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(Upload(kStock10, MemberOf("undesa", Role::kStakeholder)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Upload(kStock10, MemberOf("undesa"), true, false, {"NOSUCHORG", "X", ""}).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Count("SELECT count(*) FROM stats_dataflows"), 0);
  EXPECT_TRUE(Upload(kStock10, MemberOf("undesa", Role::kFocalPoint)).ok());
  EXPECT_EQ(Upload(kStock10, MemberOf("unhcr", Role::kFocalPoint)).error().code,
            ErrorCode::kPermissionDenied);

  auto flow = service_->GetFlow(kStock);
  EXPECT_EQ(
      service_->SaveFlow(MemberOf("unhcr"), kStock, "x", "", flow->flow.structure, std::nullopt)
          .error()
          .code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->DeleteFlow(MemberOf("undesa"), kStock).error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->DeleteFlow(Admin(), kStock).ok());
  EXPECT_EQ(service_->GetFlow(kStock).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Current(kStock).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM stats_series"), 0);
}

TEST_P(StatsServiceTest, SavingAFlowChecksItsStructureAndKeepsDimensionsOnceItHoldsData) {
  sdmx::DataStructure s;
  s.id = "DSD_STOCK";
  s.dimensions = {{"REF_AREA", "Area", "CL_AREA", "Observation"}};
  s.codelists = {{"UNDESA", "CL_AREA", "1.0", "Areas", {{"BFA", "Burkina Faso", ""}}}};
  auto saved =
      service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "From a survey", s, std::nullopt);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->summary.description, "From a survey");
  EXPECT_EQ(saved->flow.structure.agency, "UNDESA");

  auto broken = s;
  broken.dimensions[0].codelist = "CL_NONE";
  auto refused = service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", broken, std::nullopt);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().details.at(0).field, "dimensions[0].codelist");

  ASSERT_TRUE(Upload("DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nUNDESA:STOCK(1.0),BFA,2000,1\n",
                     MemberOf("undesa"))
                  ->applied);
  auto more = s;
  more.codelists[0].codes.push_back({"MLI", "Mali", ""});
  EXPECT_TRUE(service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", more, std::nullopt).ok());
  auto other = more;
  other.dimensions[0].id = "COUNTERPART_AREA";
  EXPECT_EQ(
      service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", other, std::nullopt).error().code,
      ErrorCode::kConflict);
  auto fewer = s;
  fewer.codelists[0].codes = {{"MLI", "Mali", ""}};
  EXPECT_EQ(
      service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", fewer, std::nullopt).error().code,
      ErrorCode::kConflict);
}

TEST_P(StatsServiceTest, CurrentIsCachedUntilAnyInstanceWritesARelease) {
  MustUpload(kStock10);
  auto first = service_->Current(kStock);
  auto again = service_->Current(kStock);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->get(), again->get()) << "served from memory";
  // Another instance (its own service over the same database) writes a release.
  StatsService other(*db_, StatsService::Options{});
  StatsImportRequest r;
  r.flow = kStock;
  r.data = "DATAFLOW,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\nUNDESA:STOCK(1.0),BFA,F,2010,1\n";
  r.replace = false;
  ASSERT_TRUE(other.Import(MemberOf("undesa"), r)->applied);
  auto fresh = service_->Current(kStock);
  EXPECT_NE(fresh->get(), first->get());
  EXPECT_GT((*fresh)->data_version, (*first)->data_version);
  EXPECT_EQ((*fresh)->periods.back(), "2010");
  EXPECT_EQ((*first)->periods.back(), "2000") << "readers keep the copy they hold";

  auto latest = service_->LatestByArea(kStock, "REF_AREA", {{"SEX", "F"}});
  ASSERT_TRUE(latest.ok()) << latest.error().message;
  EXPECT_EQ(*latest, (std::vector<std::pair<std::string, double>>{{"BFA", 1}}));
}

TEST_P(StatsServiceTest, APlainCsvIsInferredImportedAndItsMappingReused) {
  constexpr std::string_view kLong =
      "year,orig,dest,refugees,asylum_seekers\n"
      "2019,AFG,PAK,100,5\n"
      "2019,AFG,IRN,50,..\n"
      "2020,AFG,PAK,110,6\n";
  StatsImportRequest r;
  r.flow = {"UNHCR", "REFUGEES", ""};
  r.data = kLong;
  r.file_name = "unhcr.csv";
  r.infer = true;
  auto report = service_->Import(MemberOf("unhcr"), r);
  ASSERT_TRUE(report.ok()) << report.error().message;
  for (const auto& p : report->problems)
    ADD_FAILURE() << p.line << " " << p.column << " " << p.message;
  EXPECT_TRUE(report->applied);
  EXPECT_EQ(report->format, "csv");
  ASSERT_TRUE(report->inference.has_value());
  EXPECT_EQ(report->observations, 6);
  auto flow = service_->GetFlow(r.flow);
  ASSERT_TRUE(flow->mapping.has_value()) << "the inferred mapping is kept";

  // The next upload of the same shape needs no inference.
  r.infer = false;
  r.data =
      "year,orig,dest,refugees,asylum_seekers\n"
      "2021,AFG,PAK,120,7\n";
  r.replace = false;
  auto next = service_->Import(MemberOf("unhcr"), r);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_TRUE(next->applied);
  EXPECT_EQ(next->added, 2);
  EXPECT_EQ((*service_->Current(r.flow))->periods.back(), "2021");
}

// What a security review found: one agency publishing a structure or codelist in another's
// name, a file for another dataflow, unbounded codelists, names XML cannot carry, cycles of
// parents, attributes changed under stored data.
TEST_P(StatsServiceTest, AStructureIsPublishedOnlyUnderItsOwnAgencyAndWithinBounds) {
  sdmx::DataStructure s;
  s.id = "DSD_STOCK";
  s.dimensions = {{"REF_AREA", "Area", "CL_AREA", "Observation"}};
  s.codelists = {{"UNHCR", "CL_AREA", "1.0", "Areas", {{"BFA", "Burkina Faso", ""}}}};
  auto spoof = service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", s, std::nullopt);
  ASSERT_FALSE(spoof.ok());
  EXPECT_EQ(spoof.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(spoof.error().details.at(0).field, "codelists[0].agency");
  s.codelists[0].agency = "";
  s.agency = "UNHCR";
  EXPECT_EQ(service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", s, std::nullopt)
                .error()
                .details.at(0)
                .rule,
            "other_agency");
  s.agency = "";

  auto named = s;
  named.codelists[0].codes[0].name = "Burkina \x07 Faso";
  EXPECT_EQ(service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", named, std::nullopt)
                .error()
                .details.at(0)
                .field,
            "codelists[0].codes[0].name");
  named.codelists[0].codes[0].name = "Burkina \xEF\xBF\xBE";  // U+FFFE
  EXPECT_FALSE(
      service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", named, std::nullopt).ok());
  auto cycle = s;
  cycle.codelists[0].codes = {{"A", "A", "B"}, {"B", "B", "A"}};
  EXPECT_EQ(service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", cycle, std::nullopt)
                .error()
                .details.at(0)
                .field,
            "codelists[0].codes[0].parent");
  auto huge = s;
  for (size_t i = 0; i <= stats::kMaxCodes; ++i) {
    huge.codelists[0].codes.push_back({"C" + std::to_string(i), "", ""});
  }
  EXPECT_EQ(service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", huge, std::nullopt)
                .error()
                .details.at(0)
                .field,
            "codelists[0].codes");

  // A file for another dataflow is refused, whichever its rows.
  auto other = Upload("DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\nUNHCR:REFUGEES(1.0),AFG,2020,1\n",
                      MemberOf("undesa"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("UNHCR:REFUGEES"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM stats_dataflows"), 0);

  // A new dataflow's codelists built from an SDMX-CSV stop at the bound, as problems.
  std::string many = "DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE\n";
  for (size_t i = 0; i <= stats::kMaxCodes; ++i) {
    many += "UNDESA:STOCK(1.0),C" + std::to_string(i) + ",2020,1\n";
  }
  auto bounded = Upload(many, MemberOf("undesa"));
  ASSERT_TRUE(bounded.ok()) << bounded.error().message;
  EXPECT_FALSE(bounded->applied);
  ASSERT_FALSE(bounded->problems.empty());
  EXPECT_EQ(bounded->problems[0].rule, "too_many_codes");

  // Attributes stay as they are once the dataflow holds data.
  MustUpload(kStock10);
  auto stored = service_->GetFlow(kStock);
  ASSERT_TRUE(stored.ok());
  auto fewer = stored->flow.structure;
  fewer.attributes.clear();
  EXPECT_EQ(
      service_->SaveFlow(MemberOf("undesa"), kStock, "Stock", "", fewer, std::nullopt).error().code,
      ErrorCode::kConflict);
}

INSTANTIATE_TEST_SUITE_P(Engines, StatsServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
