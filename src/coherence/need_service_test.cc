#include "coherence/need_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/testing.h"

namespace gmg {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Principal Admin() {
  Principal p = Principal::Cli();
  p.role = Role::kAdmin;
  return p;
}

// On both engines: the two public tables imported as a statistician would (inference), then the
// default need configuration read from them.
class NeedServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    ASSERT_TRUE(SeedThemes(*db_).ok());
    ASSERT_TRUE(db_->Write([](Tx& tx) { return SeedNeed(tx); }).ok());
    stats_ = std::make_unique<StatsService>(*db_, StatsService::Options{});
    need_ = std::make_unique<NeedService>(*db_, *stats_);
  }
  void Load(const std::string& file, const std::string& agency, const std::string& id) {
    const std::string text = ReadFile(fs::path(GMG_SHARED_DIR) / "reference" / "migration" / file);
    ASSERT_FALSE(text.empty()) << file;
    StatsImportRequest request;
    request.flow = {agency, id, ""};
    request.data = text;
    request.file_name = file;
    request.infer = true;
    auto report = stats_->Import(Admin(), request);
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_TRUE(report->applied) << file << ": " << report->problem_count << " problems";
  }
  int64_t Value(const coherence::NeedTable& t, const char* indicator, const char* iso2) {
    auto o = t.Value(static_cast<size_t>(t.IndexOf(indicator)), iso2);
    return o ? o->value : -1;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<StatsService> stats_;
  std::unique_ptr<NeedService> need_;
};

TEST_P(NeedServiceTest, WithoutStatisticsEveryIndicatorIsMissing) {
  auto table = need_->Table();
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(table->missing.size(), 5u);
  EXPECT_TRUE(table->sources.empty());
  EXPECT_TRUE(table->WeightsOf("refugee-protection").empty());
}

TEST_P(NeedServiceTest, ThePublishedFiguresComeOutOfTheDataflows) {
  Load("UN_MigrantStockByOriginAndDestination_2019_clean.csv", "UNDESA", "MIGRANT_STOCK");
  Load("unhcr_2020.csv", "UNHCR", "REFUGEES");
  auto table = need_->Table();
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_TRUE(table->missing.empty());
  ASSERT_EQ(table->sources.size(), 2u);
  EXPECT_EQ(table->sources[0].id, "UNDESA:MIGRANT_STOCK");
  EXPECT_EQ(table->sources[0].year, 2019);
  EXPECT_EQ(table->sources[1].id, "UNHCR:REFUGEES");
  EXPECT_EQ(table->sources[1].year, 2020);
  // UNHCR 2020: Türkiye hosts the most refugees; refugees from Syria are hosted elsewhere.
  EXPECT_EQ(Value(*table, "unhcr_refugees", "TR"), 3579531);
  EXPECT_EQ(Value(*table, "unhcr_asylum_seekers", "TR"), 328257);
  EXPECT_EQ(Value(*table, "unhcr_refugees", "DE"), 1146682);
  EXPECT_EQ(Value(*table, "unhcr_refugees", "UG"), 1359458);
  EXPECT_EQ(Value(*table, "unhcr_asylum_seekers", "US"), 847610);
  EXPECT_EQ(Value(*table, "unhcr_refugees_abroad", "SY"), 6616983);
  // UN DESA 2019: migrants in the United States (known origins), emigrants from Mexico; names the
  // table spells its own way ("Côte d'Ivoire", "China, Hong Kong SAR") are resolved.
  EXPECT_EQ(Value(*table, "undesa_migrant_stock", "US"), 48065741);
  EXPECT_EQ(Value(*table, "undesa_emigrants", "MX"), 11796491);
  EXPECT_GT(Value(*table, "undesa_migrant_stock", "CI"), 2000000);
  EXPECT_GT(Value(*table, "undesa_migrant_stock", "HK"), 2000000);
  // Absent from a source: no value, not a zero.
  EXPECT_EQ(Value(*table, "unhcr_refugees", "KP"), -1);
}

TEST_P(NeedServiceTest, OnlyAnAdministratorChangesTheConfigurationAudited) {
  coherence::NeedConfig config = coherence::DefaultNeedConfig();
  config.themes["diaspora"] = {{"undesa_emigrants", 2}};
  Principal fp;
  fp.user_id = 7;
  fp.role = Role::kFocalPoint;
  fp.organization_id = "unhcr";
  fp.via = AuthVia::kToken;
  auto denied = need_->SetConfig(fp, config);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  config.themes["astrology"] = {{"undesa_emigrants", 1}};
  auto unknown = need_->SetConfig(Admin(), config);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().details.at(0).field, "themes.astrology");
  config.themes.erase("astrology");
  ASSERT_TRUE(need_->SetConfig(Admin(), config).ok());
  auto stored = need_->Config();
  ASSERT_TRUE(stored.ok());
  EXPECT_DOUBLE_EQ(stored->themes.at("diaspora").at(0).weight, 2);
  int64_t audited = 0;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT count(*) FROM audit_log "
                                                            "WHERE entity = 'coherence_need'"));
                   audited = r->Int(0);
                   return Ok();
                 })
                  .ok());
  EXPECT_EQ(audited, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, NeedServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
