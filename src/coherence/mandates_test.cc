#include "coherence/mandates.h"

#include <gtest/gtest.h>

#include "app/testing.h"
#include "coherence/gap_service.h"
#include "core/codelists.h"

namespace gmg {
namespace {

Principal As(Role role, const std::string& org = "") {
  Principal p;
  p.user_id = 0;
  p.email = "someone@" + (org.empty() ? std::string("gmg.org") : org);
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

ActivityInput Activity(const std::string& org, const std::string& theme,
                       std::vector<std::string> countries, std::vector<std::string> regions = {}) {
  ActivityInput in;
  in.organization_id = org;
  in.titles = {{"en", "Work on " + theme}};
  in.type = "technical_assistance";
  in.themes = {theme};
  in.countries = std::move(countries);
  in.regions = std::move(regions);
  in.starts_on = Date::Parse("2024-01-01");
  in.ends_on = Date::Parse("2025-12-31");
  return in;
}

// On both engines. The mandates table is coherence migration 1's (Migrate creates it); the
// seed is the coherence module's, called here as the module's Seed calls it.
class MandateServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    ASSERT_TRUE(SeedThemes(*db_).ok());
    ASSERT_TRUE(db_->Write([](Tx& tx) { return SeedMandates(tx); }).ok());
    activities_ = std::make_unique<ActivityService>(*db_);
    mandates_ = std::make_unique<MandateService>(*db_, *activities_);
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
  const MandateTheme* ThemeOf(const OrganizationMandate& m, const std::string& theme) {
    for (const auto& t : m.themes) {
      if (t.theme == theme) return &t;
    }
    return nullptr;
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<ActivityService> activities_;
  std::unique_ptr<MandateService> mandates_;
};

TEST_P(MandateServiceTest, SeedingStatesTheMembersThemesOnce) {
  const int64_t seeded = Count("SELECT count(*) FROM coherence_mandates");
  EXPECT_GT(seeded, 40);
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates WHERE organization_id = 'unhcr' AND "
                  "theme_id = 'refugee-protection'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates WHERE organization_id = 'unodc'"), 2);
  ASSERT_TRUE(db_->Write([](Tx& tx) { return SeedMandates(tx); }).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates"), seeded);
  // An organisation that cleared its list keeps it cleared at the next start.
  ASSERT_TRUE(mandates_->SetStatedThemes(As(Role::kSecretariat), "unodc", {}).ok());
  ASSERT_TRUE(db_->Write([](Tx& tx) { return SeedMandates(tx); }).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates WHERE organization_id = 'unodc'"), 0);
}

TEST_P(MandateServiceTest, TheOwnFocalPointEditsAndTheEditIsAudited) {
  const int64_t audits = Count("SELECT count(*) FROM audit_log");
  auto edited =
      mandates_->SetStatedThemes(As(Role::kFocalPoint, "unhcr"), "unhcr",
                                 {"statelessness", "refugee-protection", "statelessness"});
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  EXPECT_EQ(edited->organization_id, "unhcr");
  EXPECT_EQ(edited->organization_name, "UNHCR");
  EXPECT_TRUE(ThemeOf(*edited, "statelessness")->stated);
  EXPECT_TRUE(ThemeOf(*edited, "refugee-protection")->stated);
  EXPECT_FALSE(ThemeOf(*edited, "internal-displacement")->stated);
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates WHERE organization_id = 'unhcr'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'coherence_mandate' AND "
                  "entity_id = 'unhcr' AND action = 'update'"),
            1);
}

TEST_P(MandateServiceTest, AnotherAgencysFocalPointIsRefusedAndChangesNothing) {
  const int64_t before = Count("SELECT count(*) FROM coherence_mandates");
  auto denied = mandates_->SetStatedThemes(As(Role::kFocalPoint, "iom"), "unhcr", {"diaspora"});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto member = mandates_->SetStatedThemes(As(Role::kMember, "unhcr"), "unhcr", {"diaspora"});
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
  auto nobody = mandates_->SetStatedThemes(Principal{}, "unhcr", {"diaspora"});
  EXPECT_EQ(nobody.error().code, ErrorCode::kUnauthenticated);
  auto unknown = mandates_->SetStatedThemes(As(Role::kAdmin), "no-such-org", {"diaspora"});
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates"), before);
}

TEST_P(MandateServiceTest, AnUnknownThemeIs422NamingFieldAndRule) {
  const int64_t before = Count("SELECT count(*) FROM coherence_mandates");
  auto bad = mandates_->SetStatedThemes(As(Role::kFocalPoint, "unhcr"), "unhcr",
                                        {"refugee-protection", "astrology"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_EQ(bad.error().details.size(), 1u);
  EXPECT_EQ(bad.error().details[0].field, "themes");
  EXPECT_EQ(bad.error().details[0].rule, "unknown_theme");
  ASSERT_EQ(bad.error().details[0].args.size(), 1u);
  EXPECT_EQ(bad.error().details[0].args[0].second, "astrology");
  EXPECT_EQ(Count("SELECT count(*) FROM coherence_mandates"), before);
}

TEST_P(MandateServiceTest, TheMapCountsActivitiesAndCountriesAsTheViewerSeesThem) {
  ActivityInput open = Activity("unhcr", "refugee-protection", {"TR", "KE"});
  ActivityInput closed = Activity("unhcr", "refugee-protection", {"UG"});
  closed.visibility = "organization";
  ASSERT_TRUE(activities_->Create(As(Role::kFocalPoint, "unhcr"), open).ok());
  ASSERT_TRUE(activities_->Create(As(Role::kFocalPoint, "unhcr"), closed).ok());
  ASSERT_TRUE(
      activities_->Create(As(Role::kFocalPoint, "unhcr"), Activity("unhcr", "diaspora", {"MX"}))
          .ok());

  auto anonymous = mandates_->List(Principal{});
  ASSERT_TRUE(anonymous.ok()) << anonymous.error().message;
  EXPECT_EQ(anonymous->size(), 10u);  // the ten members
  const OrganizationMandate* unhcr = nullptr;
  for (const auto& m : *anonymous) {
    if (m.organization_id == "unhcr") unhcr = &m;
  }
  ASSERT_NE(unhcr, nullptr);
  const MandateTheme* protection = ThemeOf(*unhcr, "refugee-protection");
  ASSERT_NE(protection, nullptr);
  EXPECT_TRUE(protection->stated);
  EXPECT_EQ(protection->activities, 1);
  EXPECT_EQ(protection->countries, 2);
  const MandateTheme* diaspora = ThemeOf(*unhcr, "diaspora");
  EXPECT_FALSE(diaspora->stated);  // working outside its stated mandate
  EXPECT_EQ(diaspora->activities, 1);

  auto own = mandates_->List(As(Role::kMember, "unhcr"), "unhcr", "refugee-protection");
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  ASSERT_EQ(own->front().themes.size(), 1u);
  EXPECT_EQ(own->front().themes[0].activities, 2);
  EXPECT_EQ(own->front().themes[0].countries, 3);

  EXPECT_EQ(mandates_->List(Principal{}, "no-such-org").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(mandates_->List(Principal{}, "", "astrology").error().code,
            ErrorCode::kInvalidArgument);
}

// Need figures for every country (the statistics module's part is need_service_test.cc):
// refugees and asylum-seekers, Türkiye's the largest.
coherence::NeedTable EveryCountryHasFigures() {
  coherence::NeedTable t;
  t.config = coherence::DefaultNeedConfig();
  t.values.resize(t.config.indicators.size());
  int64_t n = 0;
  for (const auto& c : AllCountries()) {
    const int64_t v = std::string_view(c.iso2) == "TR" ? 3579531 : 1000 + (n++ * 7919) % 100000;
    t.values[static_cast<size_t>(t.IndexOf("unhcr_refugees"))][c.iso2] = {v, 2020};
    t.values[static_cast<size_t>(t.IndexOf("unhcr_asylum_seekers"))][c.iso2] = {v / 10, 2020};
  }
  return t;
}

TEST_P(MandateServiceTest, GapsCountTheActivitiesCoveringEachArea) {
  GapService gaps(*activities_,
                  [] { return Result<coherence::NeedTable>(EveryCountryHasFigures()); });
  const Principal fp = As(Role::kFocalPoint, "unhcr");
  ASSERT_TRUE(activities_->Create(fp, Activity("unhcr", "refugee-protection", {"TR"})).ok());
  ASSERT_TRUE(activities_->Create(fp, Activity("unhcr", "refugee-protection", {"TR", "KE"})).ok());
  // Recorded for Eastern Africa (014): counts half in Kenya, fully in Africa.
  ASSERT_TRUE(activities_->Create(fp, Activity("unhcr", "refugee-protection", {}, {"014"})).ok());

  GapQuery by_country;
  by_country.level = "country";
  by_country.theme = "refugee-protection";
  by_country.limit = GapService::kMaxLimit;
  auto countries = gaps.Gaps(Principal{}, by_country);
  ASSERT_TRUE(countries.ok()) << countries.error().message;
  EXPECT_GT(countries->total, 150);
  auto cell = [](const GapReport& r, const std::string& area) {
    for (const auto& c : r.cells) {
      if (c.area == area) return c;
    }
    ADD_FAILURE() << "no cell " << area;
    return coherence::GapCell{};
  };
  EXPECT_EQ(cell(*countries, "TR").coverage, 2);
  EXPECT_EQ(cell(*countries, "KE").coverage, 1);
  EXPECT_DOUBLE_EQ(cell(*countries, "KE").weighted_coverage, 1.5);
  EXPECT_DOUBLE_EQ(cell(*countries, "UG").weighted_coverage, 0.5);
  EXPECT_DOUBLE_EQ(cell(*countries, "TR").need, 1.0);
  EXPECT_DOUBLE_EQ(cell(*countries, "TR").gap, 0.0);

  GapQuery africa = by_country;
  africa.region = "002";
  africa.limit = 5;
  auto in_africa = gaps.Gaps(Principal{}, africa);
  ASSERT_TRUE(in_africa.ok());
  EXPECT_EQ(in_africa->cells.size(), 5u);
  EXPECT_GT(in_africa->total, 40);
  for (const auto& c : in_africa->cells) EXPECT_EQ(FindCountry(c.area)->region, std::string("002"));

  GapQuery by_region;
  by_region.theme = "refugee-protection";
  auto regions = gaps.Gaps(Principal{}, by_region);
  ASSERT_TRUE(regions.ok()) << regions.error().message;
  EXPECT_EQ(regions->level, "region");
  EXPECT_EQ(regions->total, 5);
  EXPECT_EQ(cell(*regions, "002").coverage, 2);  // TR+KE and Eastern Africa
  EXPECT_EQ(cell(*regions, "142").coverage, 2);  // Türkiye is in Western Asia
  EXPECT_EQ(cell(*regions, "150").coverage, 0);

  GapQuery bad;
  bad.level = "galaxy";
  EXPECT_EQ(gaps.Gaps(Principal{}, bad).error().details[0].field, "level");
  bad = GapQuery{};
  bad.region = "999";
  EXPECT_EQ(gaps.Gaps(Principal{}, bad).error().details[0].field, "region");
  bad = GapQuery{};
  bad.theme = "astrology";
  EXPECT_EQ(gaps.Gaps(Principal{}, bad).error().details[0].rule, "unknown_theme");
}

INSTANTIATE_TEST_SUITE_P(Engines, MandateServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
