#include "activities/activity_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "activities/activity_service.h"
#include "app/legacy_schema_testing.h"
#include "app/testing.h"

namespace gmg {
namespace {

Principal FocalPoint(const std::string& org) {
  Principal p;
  p.email = "fp@" + org;
  p.role = Role::kFocalPoint;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Staff() {
  Principal p = FocalPoint("");
  p.role = Role::kSecretariat;
  return p;
}

ActivityInput Input(const std::string& org, const std::string& title,
                    const std::string& description) {
  ActivityInput in;
  in.organization_id = org;
  in.titles = {{"en", title}};
  in.descriptions = {{"en", description}};
  in.type = "research";
  in.themes = {"labour-migration"};
  in.countries = {"MX"};
  return in;
}

ActivityFilter Text(const std::string& q) {
  ActivityFilter f;
  f.text = q;
  return f;
}

TEST(ActivityCatalogTest, SearchRanksExactlyAsFts5Bm25) {
  auto db = OpenSeededDatabaseForTesting();
  ASSERT_TRUE(SeedThemes(*db).ok());
  ActivityService s(*db);
  // Lengths and term frequencies that differ, so every part of the formula counts; more
  // matches than the batches a search reads the catalog in (ForEachFound).
  const char* orgs[] = {"ilo", "iom", "unhcr", "undp"};
  for (int i = 0; i < 300; ++i) {
    std::string title = (i % 3 == 0 ? "Migrant workers " : "Labour ") +
                        std::string(i % 5 == 0 ? "migrant rights" : "mobility");
    std::string body;
    for (int k = 0; k < i % 40; ++k)
      body += k % 4 == 0 ? "migrants and workers " : "regional dialogue on services ";
    ASSERT_TRUE(
        s.Create(FocalPoint(orgs[i % 4]), Input(orgs[i % 4], title + " " + std::to_string(i), body))
            .ok());
  }
  for (const char* q :
       {"migrant", "migrant workers", "dialogue services", "labour mobility migrant"}) {
    auto r = s.Search(Staff(), Text(q), 100, 0);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_GT(r->total, 0) << q;
    std::map<int64_t, double> expected;
    ASSERT_TRUE(db->Read([&](Tx& tx) -> Status {
                    std::string fts;
                    for (const char* w = q; *w;) {
                      const char* e = w;
                      while (*e && *e != ' ') ++e;
                      fts += (fts.empty() ? "\"" : " \"") + std::string(w, e) + "\"";
                      w = *e ? e + 1 : e;
                    }
                    GMG_ASSIGN_OR_RETURN(
                        auto rows, tx.Query("SELECT rowid, bm25(activities_fts, 5.0, 1.0) FROM "
                                            "activities_fts WHERE activities_fts MATCH ?",
                                            {fts}));
                    for (const Row& row : rows) expected[row.Int(0)] = row.Real(1);
                    return Ok();
                  }).ok());
    ASSERT_EQ(static_cast<size_t>(r->total), expected.size()) << q;
    double previous = -1e300;
    for (const SearchHit& h : r->hits) {
      EXPECT_NEAR(h.rank, expected.at(h.activity.id), 1e-9) << q << ", activity " << h.activity.id;
      EXPECT_GE(h.rank, previous) << "best first";
      previous = h.rank;
    }
  }
}

TEST(ActivityCatalogTest, FacetsAndVisibilityCountOnlyWhatTheViewerMaySee) {
  auto db = OpenSeededDatabaseForTesting();
  ASSERT_TRUE(SeedThemes(*db).ok());
  ActivityService s(*db);
  auto mine = Input("unhcr", "Asylum registration", "Registration of asylum seekers");
  mine.visibility = "organization";
  mine.themes = {"refugee-protection"};
  mine.countries = {"KE"};
  ASSERT_TRUE(s.Create(FocalPoint("unhcr"), mine).ok());
  auto members = Input("iom", "Asylum and return counselling", "Counselling on asylum and return");
  members.visibility = "members";
  members.themes = {"return-reintegration", "refugee-protection"};
  ASSERT_TRUE(s.Create(FocalPoint("iom"), members).ok());
  ASSERT_TRUE(s.Create(FocalPoint("ilo"),
                       Input("ilo", "Asylum seekers' right to work", "Labour market access"))
                  .ok());

  auto anonymous = s.Search(Principal{}, Text("asylum"), 10, 0);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->total, 1);
  EXPECT_EQ(anonymous->facets["theme"].count("refugee-protection"), 0u)
      << "no count betrays a hidden activity";
  auto iom = s.Search(FocalPoint("iom"), Text("asylum"), 10, 0);
  EXPECT_EQ(iom->total, 2);
  EXPECT_EQ(iom->facets["theme"]["refugee-protection"], 1);
  EXPECT_EQ(iom->facets["organization"]["iom"], 1);
  auto unhcr = s.Search(FocalPoint("unhcr"), Text("asylum"), 10, 0);
  EXPECT_EQ(unhcr->total, 3);
  EXPECT_EQ(unhcr->facets["theme"]["refugee-protection"], 2);
  EXPECT_EQ(unhcr->facets["country"]["KE"], 1);
  EXPECT_EQ(unhcr->facets["status"]["2"], 3);
  EXPECT_EQ(unhcr->facets["type"]["research"], 3);

  // With another filter, SQL filters and the catalog still counts.
  ActivityFilter f = Text("asylum");
  f.themes = {"refugee-protection"};
  auto filtered = s.Search(Staff(), f, 10, 0);
  EXPECT_EQ(filtered->total, 2);
  EXPECT_EQ(filtered->facets["theme"]["return-reintegration"], 1);
  EXPECT_EQ(filtered->facets["theme"].count("labour-migration"), 0u)
      << "the ILO activity is filtered out";
}

TEST(ActivityCatalogTest, ActivitiesIndexedBeforeVersion3AreFoundAfterMigrating) {
  ASSERT_TRUE(InitCrypto().ok());
  auto opened = SqliteDatabase::Open(":memory:");
  ASSERT_TRUE(opened.ok());
  std::unique_ptr<Database> db = std::move(opened).value();
  // A version-2 database with an activity in the old full-text table.
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status { return CreateLegacySchemaForTesting(tx, 2); }).ok());
  ASSERT_TRUE(SeedGmg(*db).ok());
  ASSERT_TRUE(SeedThemes(*db).ok());
  ActivityService s(*db);
  ASSERT_TRUE(
      db->Write([&](Tx& tx) -> Status {
          // The rows as that version stored them (today's service writes later columns).
          const int64_t id = 1;
          GMG_RETURN_IF_ERROR(tx.ExecScript(
              "INSERT INTO activities (id, organization_id, title, lang, type, status, "
              "created_at, updated_at) VALUES (1, 'iom', 'Diaspora bonds', 'en', 'research', 2, "
              "1, 1);"
              "INSERT INTO activity_texts (activity_id, field, lang, text) VALUES "
              "(1, 'title', 'en', 'Diaspora bonds'), (1, 'description', 'en', "
              "'Diaspora investment');"
              "INSERT INTO activity_themes (activity_id, theme_id) VALUES (1, "
              "'labour-migration');"
              "INSERT INTO activity_places (activity_id, kind, code) VALUES (1, 'country', "
              "'MX');"
              "INSERT INTO activity_countries (activity_id, country) VALUES (1, 'MX');"));
          GMG_RETURN_IF_ERROR(tx.Exec(
              "INSERT INTO activities_fts (rowid, title, body, visibility, organization_id, "
              "type, status) VALUES (?, 'Diaspora bonds', 'Diaspora investment', "
              "'public', 'iom', 'research', 2)",
              {id}));
          return Ok();
        }).ok());
  ASSERT_TRUE(Migrate(*db).ok());
  auto r = s.Search(Principal{}, Text("diaspora"), 10, 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->total, 1);
  EXPECT_EQ(r->facets["organization"]["iom"], 1);
  EXPECT_EQ(r->hits.at(0).title_highlighted, "<mark>Diaspora</mark> bonds");
}

// On both engines: the catalog's text filter (ActivityTextIndex::MatchingIds) and SQL's
// (AppendIdFilter) are two implementations on PostgreSQL.
class CatalogAgainstSqlTest : public ::testing::TestWithParam<Dialect> {};

TEST_P(CatalogAgainstSqlTest, MapCountsEqualTheSqlAnswerForEveryFilterAndViewer) {
  auto db = OpenSeededDatabaseForTesting(GetParam());
  if (!db) return;
  ASSERT_TRUE(SeedThemes(*db).ok());
  ActivityService s(*db);
  const char* orgs[] = {"ilo", "iom", "unhcr", "undp", "unodc"};
  const char* types[] = {"research", "training", "technical_assistance"};
  const char* themes[] = {"labour-migration", "remittances", "trafficking", "refugee-protection"};
  const char* countries[] = {"MX", "NP", "KE", "TR", "PH", "GT"};
  const char* regions[] = {"419", "002", "001", "145"};
  const char* visibilities[] = {"public", "members", "organization"};
  for (int i = 0; i < 60; ++i) {
    const char* org = orgs[i % 5];
    ActivityInput in =
        Input(org, (i % 4 == 0 ? "Migrant workers " : "Dialogue ") + std::to_string(i), "Text");
    in.type = types[i % 3];
    in.status = 1 + i % 4;
    in.themes = {themes[i % 4]};
    if (i % 3 == 0) in.themes.push_back(themes[(i + 1) % 4]);
    in.countries.clear();
    if (i % 5 != 4) in.countries.push_back(countries[i % 6]);
    if (i % 4 == 1) in.countries.push_back(countries[(i + 2) % 6]);
    if (i % 7 == 3 || i % 5 == 4) in.regions.push_back(regions[i % 4]);
    in.starts_on = i % 6 == 0 ? std::nullopt : Date::Parse(std::to_string(2015 + i % 9) + "-03-01");
    in.ends_on = i % 5 == 0 ? std::nullopt : Date::Parse(std::to_string(2024 + i % 3) + "-06-30");
    in.visibility = visibilities[i % 3];
    auto created = s.Create(FocalPoint(org), in);
    ASSERT_TRUE(created.ok()) << i << ": " << created.error().message;
    if (i % 11 == 10) {
      ASSERT_TRUE(s.Archive(FocalPoint(org), created->id).ok());
    }
  }
  // A partner (not a GMG member) with work of its own, for the scope filter.
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
                  GMG_RETURN_IF_ERROR(
                      tx.Exec("INSERT INTO organizations (id, name, acronym, kind, created_at, "
                              "updated_at) VALUES ('ngo-x', 'An NGO', 'NGO', 'partner', 0, 0)"));
                  return Ok();
                }).ok());
  for (const char* country : {"MX", "KE"}) {
    ASSERT_TRUE(s.Create(Staff(), Input("ngo-x", "Migrant shelters", "Text")).ok());
    auto in = Input("ngo-x", "Border monitoring", "Text");
    in.countries = {country};
    ASSERT_TRUE(s.Create(Staff(), in).ok());
  }
  // UNODC left the GMG: its staff see "members" activities no longer, its own still.
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
                  GMG_RETURN_IF_ERROR(tx.Exec(
                      "UPDATE memberships SET joined_on = '2006-01-01', left_on = '2020-12-31' "
                      "WHERE organization_id = 'unodc'"));
                  return Ok();
                }).ok());
  Principal member_of_unhcr = FocalPoint("unhcr");
  member_of_unhcr.role = Role::kMember;
  std::vector<std::pair<std::string, Principal>> viewers = {
      {"anonymous", Principal{}},
      {"iom focal point", FocalPoint("iom")},
      {"unhcr member", member_of_unhcr},
      {"staff", Staff()},
      {"partner focal point", FocalPoint("ngo-x")},
      {"former member", FocalPoint("unodc")}};
  std::vector<std::pair<std::string, ActivityFilter>> filters;
  auto add = [&](std::string name, auto change) {
    ActivityFilter f;
    change(f);
    filters.emplace_back(std::move(name), f);
  };
  add("none", [](ActivityFilter&) {});
  add("organisation", [](ActivityFilter& f) { f.organizations = {"iom"}; });
  add("organisations", [](ActivityFilter& f) { f.organizations = {"ilo", "unhcr", "nobody"}; });
  add("type", [](ActivityFilter& f) { f.types = {"research"}; });
  add("statuses", [](ActivityFilter& f) { f.statuses = {2, 3}; });
  add("theme", [](ActivityFilter& f) { f.themes = {"labour-migration"}; });
  add("themes", [](ActivityFilter& f) { f.themes = {"remittances", "trafficking"}; });
  add("country", [](ActivityFilter& f) { f.countries = {"MX"}; });
  add("countries", [](ActivityFilter& f) { f.countries = {"NP", "KE", "FR"}; });
  add("region", [](ActivityFilter& f) { f.regions = {"419"}; });
  add("africa and a country", [](ActivityFilter& f) {
    f.regions = {"002"};
    f.countries = {"TR"};
  });
  add("unknown region", [](ActivityFilter& f) { f.regions = {"999"}; });
  add("from", [](ActivityFilter& f) { f.from = Date::Parse("2025-01-01"); });
  add("to", [](ActivityFilter& f) { f.to = Date::Parse("2018-12-31"); });
  add("period", [](ActivityFilter& f) {
    f.from = Date::Parse("2019-01-01");
    f.to = Date::Parse("2020-12-31");
  });
  add("text", [](ActivityFilter& f) { f.text = "migrant workers"; });
  add("text matching nothing", [](ActivityFilter& f) { f.text = "zanzibar"; });
  add("text with a word indexed in no language",
      [](ActivityFilter& f) { f.text = "the dialogue"; });
  add("text of such words only", [](ActivityFilter& f) { f.text = "the of"; });
  add("text of two words, one in few", [](ActivityFilter& f) { f.text = "workers 12"; });
  add("theme, region, period", [](ActivityFilter& f) {
    f.themes = {"labour-migration", "refugee-protection"};
    f.regions = {"419", "145"};
    f.from = Date::Parse("2022-01-01");
  });
  add("organisation and text", [](ActivityFilter& f) {
    f.organizations = {"ilo"};
    f.text = "migrant";
  });
  add("text without a word", [](ActivityFilter& f) { f.text = "!!"; });
  add("members", [](ActivityFilter& f) { f.scope = "members"; });
  add("partners", [](ActivityFilter& f) { f.scope = "partners"; });
  add("partners among organisations", [](ActivityFilter& f) {
    f.scope = "partners";
    f.organizations = {"ilo", "ngo-x"};
  });
  add("members among a partner", [](ActivityFilter& f) {
    f.scope = "members";
    f.organizations = {"ngo-x"};
  });
  // A list's total comes from the catalog once it is loaded, from SQL before: `fresh` never
  // loads its catalog.
  ActivityService fresh(*db);
  for (const auto& [who, viewer] : viewers) {
    for (const auto& [name, filter] : filters) {
      auto memory = s.CountByCountry(viewer, filter);
      auto sql = s.CountByCountryInSqlForTesting(viewer, filter);
      ASSERT_TRUE(memory.ok() && sql.ok()) << who << ", " << name;
      EXPECT_EQ(*memory, *sql) << who << ", filter: " << name;
      // And its page is read along the sort's index (a filter keeping a steady share), not
      // driven from the filter's lists: the same rows.
      // By start, the page itself comes from the catalog: the same rows in the same order,
      // ties by id, open starts last, on a later page too.
      for (const char* sort : {"", "-starts_on", "starts_on", "title"}) {
        ActivityFilter sorted = filter;
        sorted.sort = sort;
        const int64_t offset = std::string_view(sort).ends_with("starts_on") ? 3 : 0;
        auto listed = s.List(viewer, sorted, 5, offset);
        auto listed_by_sql = fresh.List(viewer, sorted, 5, offset);
        ASSERT_TRUE(listed.ok() && listed_by_sql.ok()) << who << ", " << name;
        EXPECT_EQ(listed->total, listed_by_sql->total) << who << ", filter: " << name;
        EXPECT_EQ(listed->next_offset, listed_by_sql->next_offset) << who << ", filter: " << name;
        std::vector<int64_t> a, b;
        for (const auto& x : listed->items) a.push_back(x.id);
        for (const auto& x : listed_by_sql->items) b.push_back(x.id);
        EXPECT_EQ(a, b) << who << ", filter: " << name << ", sort: " << sort;
      }
    }
  }
  auto all = s.CountByCountry(Staff(), {});
  EXPECT_FALSE(all->countries.empty()) << "the comparison compared something";
  EXPECT_FALSE(all->regions.empty()) << "and regions";
  EXPECT_GT(all->global, 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogAgainstSqlTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

// Two services over one file, as a server and `gmg import` in another process are.
class TwoProcessesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/catalog-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
    auto a = SqliteDatabase::Open(path_);
    ASSERT_TRUE(a.ok());
    db_a_ = std::move(a).value();
    ASSERT_TRUE(InitCrypto().ok());
    ASSERT_TRUE(Migrate(*db_a_).ok());
    ASSERT_TRUE(SeedGmg(*db_a_).ok());
    ASSERT_TRUE(SeedThemes(*db_a_).ok());
    auto b = SqliteDatabase::Open(path_);
    ASSERT_TRUE(b.ok());
    db_b_ = std::move(b).value();
    a_ = std::make_unique<ActivityService>(*db_a_);
    b_ = std::make_unique<ActivityService>(*db_b_);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    db_a_.reset();
    db_b_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
  std::unique_ptr<Database> db_a_, db_b_;
  std::unique_ptr<ActivityService> a_, b_;
};

TEST_F(TwoProcessesTest, SearchFollowsWritesMadeElsewhere) {
  auto first = b_->Create(FocalPoint("ilo"),
                          Input("ilo", "Remittance corridors", "Costs of sending money home"));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(a_->Search(Principal{}, Text("remittance"), 10, 0)->total, 1) << "loads what is there";

  ActivityInput changed = first->fields;
  changed.themes = {"remittances"};
  changed.visibility = "members";
  ASSERT_TRUE(b_->Update(FocalPoint("ilo"), first->id, first->version, changed).ok());
  EXPECT_EQ(a_->Search(Principal{}, Text("remittance"), 10, 0)->total, 0) << "now for members only";
  auto staff = a_->Search(Staff(), Text("remittance"), 10, 0);
  EXPECT_EQ(staff->facets["theme"]["remittances"], 1);
  EXPECT_EQ(staff->facets["theme"].count("labour-migration"), 0u);

  ASSERT_TRUE(
      b_->Create(FocalPoint("iom"), Input("iom", "Remittance literacy", "Financial literacy"))
          .ok());
  EXPECT_EQ(a_->Search(Staff(), Text("remittance"), 10, 0)->total, 2);
  ASSERT_TRUE(b_->Archive(FocalPoint("ilo"), first->id).ok());
  auto after = a_->Search(Staff(), Text("remittance"), 10, 0);
  EXPECT_EQ(after->total, 1);
  EXPECT_EQ(after->facets["organization"].count("ilo"), 0u);
}

TEST_F(TwoProcessesTest, ReloadsWhenTheLogNoLongerReachesBack) {
  ASSERT_TRUE(
      b_->Create(FocalPoint("ilo"), Input("ilo", "Skills passport", "Recognition of skills")).ok());
  ASSERT_TRUE(
      b_->Create(FocalPoint("iom"), Input("iom", "Skills mobility", "Skills partnerships")).ok());
  ASSERT_EQ(a_->Search(Principal{}, Text("skills"), 10, 0)->facets["type"]["research"], 2);
  // Another writer changes both, but the log was pruned past the first change: only a full
  // reload sees both.
  ASSERT_TRUE(
      db_b_
          ->Write([](Tx& tx) -> Status {
            GMG_RETURN_IF_ERROR(tx.Exec("UPDATE activities SET type = 'training'"));
            GMG_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO activity_changes (seq, activity_id) "
                "SELECT max(seq) + 5, (SELECT max(id) FROM activities) FROM activity_changes"));
            GMG_RETURN_IF_ERROR(
                tx.Exec("DELETE FROM activity_changes WHERE seq < (SELECT max(seq) FROM "
                        "activity_changes)"));
            return Ok();
          })
          .ok());
  auto r = a_->Search(Principal{}, Text("skills"), 10, 0);
  EXPECT_EQ(r->facets["type"]["training"], 2);
  EXPECT_EQ(r->facets["type"].count("research"), 0u);
}

// Posting lists follow writes made through another service (one by one, and made anew after
// many changes at once), on both engines: counts, totals and pages stay the SQL answer.
class PostingListsTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) return;
    ASSERT_TRUE(SeedThemes(*db_).ok());
  }

  // What `reader` answers from its catalog against SQL's answer, for several viewers and
  // filters.
  void ExpectTheSqlAnswer(ActivityService& reader, const std::string& when) {
    ActivityService fresh(*db_);  // never loads its catalog: totals and pages from SQL
    Principal member_of_iom = FocalPoint("iom");
    member_of_iom.role = Role::kMember;
    std::vector<std::pair<std::string, Principal>> viewers = {
        {"anonymous", Principal{}},
        {"ilo focal point", FocalPoint("ilo")},
        {"iom member", member_of_iom},
        {"staff", Staff()}};
    std::vector<std::pair<std::string, ActivityFilter>> filters(7);
    filters[0].first = "none";
    filters[1] = {"theme and country", {}};
    filters[1].second.themes = {"remittances"};
    filters[1].second.countries = {"KE"};
    filters[2] = {"organisations and type", {}};
    filters[2].second.organizations = {"ilo", "unhcr"};
    filters[2].second.types = {"training"};
    filters[3] = {"statuses and region", {}};
    filters[3].second.statuses = {1, 3};
    filters[3].second.regions = {"419"};
    filters[4] = {"themes and period", {}};
    filters[4].second.themes = {"labour-migration", "trafficking"};
    filters[4].second.from = Date::Parse("2021-01-01");
    filters[5] = {"a value nobody has", {}};
    filters[5].second.countries = {"FR"};
    filters[6] = {"members", {}};
    filters[6].second.scope = "members";
    for (const auto& [who, viewer] : viewers) {
      for (const auto& [name, filter] : filters) {
        std::string where = when + ", " + who + ", " + name;
        auto memory = reader.CountByCountry(viewer, filter);
        auto sql = reader.CountByCountryInSqlForTesting(viewer, filter);
        ASSERT_TRUE(memory.ok() && sql.ok()) << where;
        EXPECT_EQ(*memory, *sql) << where;
        for (const char* sort : {"", "-starts_on"}) {
          ActivityFilter sorted = filter;
          sorted.sort = sort;
          auto listed = reader.List(viewer, sorted, 4, 1);
          auto by_sql = fresh.List(viewer, sorted, 4, 1);
          ASSERT_TRUE(listed.ok() && by_sql.ok()) << where;
          EXPECT_EQ(listed->total, by_sql->total) << where << ", sort " << sort;
          std::vector<int64_t> a, b;
          for (const auto& x : listed->items) a.push_back(x.id);
          for (const auto& x : by_sql->items) b.push_back(x.id);
          EXPECT_EQ(a, b) << where << ", sort " << sort;
        }
      }
    }
  }

  std::unique_ptr<Database> db_;
};

TEST_P(PostingListsTest, FollowWritesOneByOneAndManyAtOnce) {
  if (!db_) return;
  ActivityService writer(*db_);
  ActivityService reader(*db_);
  const char* orgs[] = {"ilo", "iom", "unhcr"};
  const char* types[] = {"research", "training"};
  const char* themes[] = {"labour-migration", "remittances", "trafficking"};
  const char* countries[] = {"MX", "KE", "GT", "NP"};
  const char* visibilities[] = {"public", "members", "organization"};
  std::vector<Activity> made;
  auto input = [&](int i) {
    const char* org = orgs[i % 3];
    ActivityInput in = Input(org, "Activity " + std::to_string(i), "Text");
    in.type = types[i % 2];
    in.status = 1 + i % 4;
    in.themes = {themes[i % 3]};
    if (i % 4 == 0) in.themes.push_back(themes[(i + 1) % 3]);
    in.countries = {countries[i % 4]};
    if (i % 5 == 1) in.countries.push_back(countries[(i + 1) % 4]);
    if (i % 7 == 2) in.regions = {"001"};
    in.starts_on = Date::Parse(std::to_string(2015 + i % 9) + "-03-01");
    in.visibility = visibilities[i % 3];
    return in;
  };
  for (int i = 0; i < 40; ++i) {
    auto created = writer.Create(Staff(), input(i));
    ASSERT_TRUE(created.ok()) << created.error().message;
    made.push_back(*created);
  }
  ExpectTheSqlAnswer(reader, "loaded");

  // A few changes: the reader edits its lists one by one.
  for (int i = 0; i < 5; ++i) {
    auto updated = writer.Update(Staff(), made[i].id, made[i].version, input(i + 7));
    ASSERT_TRUE(updated.ok()) << updated.error().message;
    made[i] = *updated;
  }
  ASSERT_TRUE(writer.Archive(Staff(), made[5].id).ok());
  ASSERT_TRUE(writer.Create(Staff(), input(41)).ok());
  ExpectTheSqlAnswer(reader, "a few changes");

  // More changes than are applied one by one before the reader looks again.
  for (int k = 0; k < 80; ++k) {
    const size_t i = 6 + static_cast<size_t>(k) % 30;
    auto updated = writer.Update(Staff(), made[i].id, made[i].version, input(k + 3));
    ASSERT_TRUE(updated.ok()) << updated.error().message;
    made[i] = *updated;
  }
  ASSERT_TRUE(writer.Archive(Staff(), made[37].id).ok());
  ExpectTheSqlAnswer(reader, "many changes");
}

TEST_P(PostingListsTest, SnapshotIsUsedWhileTheLogReachesItAndIgnoredOtherwise) {
  if (!db_) return;
  ActivityService writer(*db_);
  std::vector<Activity> made;
  for (int i = 0; i < 12; ++i) {
    ActivityInput in = Input(i % 2 ? "ilo" : "iom", "Activity " + std::to_string(i), "Text");
    in.countries = {i % 3 ? "KE" : "MX"};
    in.visibility = i % 4 == 3 ? "members" : "public";
    auto created = writer.Create(Staff(), in);
    ASSERT_TRUE(created.ok()) << created.error().message;
    made.push_back(*created);
  }
  std::unique_ptr<ActivityTextIndex> index = ActivityTextIndex::For(GetParam());
  // A catalog synced in a fresh read, as a starting server's.
  auto fresh = [&](bool* from_tables) {
    auto c = std::make_unique<ActivityCatalog>();
    EXPECT_TRUE(db_->Read([&](Tx& tx) { return c->Sync(tx, *index); }).ok());
    *from_tables = c->LoadedFromTables();
    return c;
  };
  auto by_country = [&](const ActivityCatalog& c) {
    return c.Read().CountByCountry(Audience{}, ActivityFilter{}, nullptr);
  };
  bool from_tables = false;
  auto first = fresh(&from_tables);
  EXPECT_TRUE(from_tables) << "no snapshot yet";
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return first->SaveSnapshot(tx); }).ok());
  const auto expected = by_country(*first);
  EXPECT_EQ(expected.countries.at("KE"), 6);

  auto restored = fresh(&from_tables);
  EXPECT_FALSE(from_tables) << "from the snapshot";
  EXPECT_EQ(by_country(*restored), expected);
  EXPECT_EQ(restored->Read().Count(), first->Read().Count());
  EXPECT_EQ(restored->Read().TotalTokens(), first->Read().TotalTokens());
  Audience staff;
  staff.sees_all = true;
  ActivityFilter in_mexico;
  in_mexico.countries = {"MX"};
  EXPECT_EQ(restored->Read().Count(staff, in_mexico, nullptr), 4);
  // The stored bytes decode, and encode again to themselves; cut short, they do not decode.
  std::string bytes;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(auto row,
                                        tx.QueryOne("SELECT data FROM activity_catalog_snapshot"));
                   if (!row) return MakeError(ErrorCode::kNotFound, "no snapshot");
                   bytes = std::string(row->Text(0));
                   return Ok();
                 })
                  .ok());
  int64_t seq = 0;
  int64_t count = 0;
  ASSERT_TRUE(ActivityCatalog::DecodeSnapshot(bytes, &seq, &count));
  EXPECT_EQ(count, 12);
  EXPECT_EQ(ActivityCatalog::ReencodeSnapshot(bytes), bytes);
  EXPECT_FALSE(ActivityCatalog::DecodeSnapshot(bytes.substr(0, bytes.size() - 1), &seq, &count));

  // Changes after the snapshot are applied on top of it.
  ActivityInput moved = made[0].fields;
  moved.countries = {"KE"};
  ASSERT_TRUE(writer.Update(Staff(), made[0].id, made[0].version, moved).ok());
  ASSERT_TRUE(writer.Archive(Staff(), made[1].id).ok());
  auto later = fresh(&from_tables);
  EXPECT_FALSE(from_tables);
  EXPECT_EQ(later->Read().Count(staff, in_mexico, nullptr), 3);
  EXPECT_EQ(later->Read().Count(), 11);
  auto sql = writer.CountByCountryInSqlForTesting(Principal{}, {});
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(by_country(*later), *sql);

  // Bytes it does not understand: the tables are read.
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(
                       tx.Exec("UPDATE activity_catalog_snapshot SET data = data || data"));
                   return Ok();
                 })
                  .ok());
  auto garbled = fresh(&from_tables);
  EXPECT_TRUE(from_tables);
  EXPECT_EQ(by_country(*garbled), *sql);

  // A bulk write after the snapshot: it no longer follows the log, the tables are read.
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return later->SaveSnapshot(tx); }).ok());
  ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(tx.Exec("UPDATE activities SET type = 'training'"));
                   GMG_RETURN_IF_ERROR(
                       tx.Exec("INSERT INTO activity_changes (activity_id) VALUES (NULL)"));
                   return Ok();
                 })
                  .ok());
  auto after_bulk = fresh(&from_tables);
  EXPECT_TRUE(from_tables);
  ActivityFilter training;
  training.types = {"training"};
  EXPECT_EQ(after_bulk->Read().Count(staff, training, nullptr), 11);
  // And an older catalog never overwrites a newer snapshot.
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return after_bulk->SaveSnapshot(tx); }).ok());
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return first->SaveSnapshot(tx); }).ok());
  auto newest = fresh(&from_tables);
  EXPECT_FALSE(from_tables);
  EXPECT_EQ(newest->Read().Count(staff, training, nullptr), 11);
}

TEST_P(PostingListsTest, SnapshotInPartsIsReadWholeOrNotAtAll) {
  if (!db_) return;
  ActivityService writer(*db_);
  for (int i = 0; i < 12; ++i) {
    ActivityInput in = Input(i % 2 ? "ilo" : "iom", "Activity " + std::to_string(i), "Text");
    in.countries = {i % 3 ? "KE" : "MX"};
    ASSERT_TRUE(writer.Create(Staff(), in).ok());
  }
  std::unique_ptr<ActivityTextIndex> index = ActivityTextIndex::For(GetParam());
  auto fresh = [&](bool* from_tables) {
    auto c = std::make_unique<ActivityCatalog>();
    EXPECT_TRUE(db_->Read([&](Tx& tx) { return c->Sync(tx, *index); }).ok());
    *from_tables = c->LoadedFromTables();
    return c;
  };
  auto exec = [&](const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                     GMG_RETURN_IF_ERROR(tx.Exec(sql));
                     return Ok();
                   })
                    .ok())
        << sql;
  };
  auto parts = [&] {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto row, tx.QueryOne("SELECT count(*) FROM activity_catalog_snapshot"));
                     n = row->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  };
  bool from_tables = false;
  auto first = fresh(&from_tables);
  const auto expected = first->Read().CountByCountry(Audience{}, ActivityFilter{}, nullptr);
  // Parts of 64 bytes or a little more: the header and a few entries, then a few entries each.
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return first->SaveSnapshot(tx, 64); }).ok());
  const int64_t many = parts();
  EXPECT_GE(many, 3);
  auto restored = fresh(&from_tables);
  EXPECT_FALSE(from_tables) << "read from " << many << " parts";
  EXPECT_EQ(restored->Read().CountByCountry(Audience{}, ActivityFilter{}, nullptr), expected);
  EXPECT_EQ(restored->Read().Count(), 12);
  EXPECT_EQ(restored->Read().TotalTokens(), first->Read().TotalTokens());

  // A part missing, or of another seq: the tables are read.
  exec("DELETE FROM activity_catalog_snapshot WHERE part = 2");
  EXPECT_TRUE(fresh(&from_tables) != nullptr && from_tables) << "a part missing";
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return first->SaveSnapshot(tx, 64); }).ok());
  EXPECT_FALSE(fresh(&from_tables) != nullptr && from_tables);
  exec("UPDATE activity_catalog_snapshot SET seq = seq - 1 WHERE part = 2");
  EXPECT_TRUE(fresh(&from_tables) != nullptr && from_tables) << "parts of two seqs";
  // Saved again in one part, the parts beyond it are deleted.
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return first->SaveSnapshot(tx); }).ok());
  EXPECT_EQ(parts(), 1);
  auto whole = fresh(&from_tables);
  EXPECT_FALSE(from_tables);
  EXPECT_EQ(whole->Read().CountByCountry(Audience{}, ActivityFilter{}, nullptr), expected);
}

TEST_P(PostingListsTest, RegionsAreCountedApartFromTheirCountriesAndFiltersStillReadThem) {
  if (!db_) return;
  ActivityService writer(*db_);
  ActivityService reader(*db_);
  auto add = [&](const char* org, std::vector<std::string> countries,
                 std::vector<std::string> regions, const char* theme) {
    ActivityInput in = Input(org, std::string("Place test ") + org, "Text");
    in.countries = std::move(countries);
    in.regions = std::move(regions);
    in.themes = {theme};
    auto made = writer.Create(Staff(), in);
    ASSERT_TRUE(made.ok()) << made.error().message;
  };
  add("ilo", {}, {"002"}, "remittances");       // Africa
  add("iom", {}, {"002"}, "labour-migration");  // Africa, another theme
  add("unhcr", {"KE"}, {}, "remittances");      // Kenya by name
  add("undp", {"MX"}, {"142"}, "remittances");  // Mexico and Asia
  add("unodc", {}, {}, "remittances");          // nowhere: global (is_global)
  ASSERT_TRUE(writer
                  .Create(Staff(),
                          [] {
                            ActivityInput in = Input("ilo", "Worldwide", "Text");
                            in.countries = {};
                            in.regions = {"001"};  // the world: stored as global
                            return in;
                          }())
                  .ok());

  auto both = [&](const ActivityFilter& f, const std::string& name) {
    auto memory = reader.CountByCountry(Principal{}, f);
    auto sql = reader.CountByCountryInSqlForTesting(Principal{}, f);
    EXPECT_TRUE(memory.ok() && sql.ok()) << name;
    if (memory.ok() && sql.ok()) {
      EXPECT_EQ(*memory, *sql) << name;
    }
    return memory.ok() ? *memory : ActivityMapCounts{};
  };
  using Counts = std::map<std::string, int64_t>;
  auto all = both({}, "none");
  EXPECT_EQ(all.countries, (Counts{{"KE", 1}, {"MX", 1}}))
      << "no African or Asian country is counted for a regional activity";
  EXPECT_EQ(all.regions, (Counts{{"002", 2}, {"142", 1}}));
  EXPECT_EQ(all.global, 1) << "the activity with no place is not global; 001 is";

  ActivityFilter africa;
  africa.regions = {"002"};
  auto in_africa = both(africa, "africa");
  EXPECT_EQ(in_africa.countries, (Counts{{"KE", 1}}));
  EXPECT_EQ(in_africa.regions, (Counts{{"002", 2}}));
  EXPECT_EQ(in_africa.global, 0);

  ActivityFilter africa_remittances = africa;
  africa_remittances.themes = {"remittances"};
  auto narrowed = both(africa_remittances, "africa, remittances");
  EXPECT_EQ(narrowed.regions, (Counts{{"002", 1}})) << "the filters apply to regional ones";
  EXPECT_EQ(narrowed.countries, (Counts{{"KE", 1}}));

  // A country's filter still finds the activities of its regions (docs/activities.md).
  ActivityFilter kenya;
  kenya.countries = {"KE"};
  EXPECT_EQ(reader.List(Principal{}, kenya, 10, 0)->total, 3);
  auto in_kenya = both(kenya, "kenya");
  EXPECT_EQ(in_kenya.countries, (Counts{{"KE", 1}}));
  EXPECT_EQ(in_kenya.regions, (Counts{{"002", 2}}));
}

TEST_P(PostingListsTest, SnapshotOfTheFormatBeforeRegionsIsIgnoredAndRebuilt) {
  if (!db_) return;
  ActivityService writer(*db_);
  ActivityInput regional = Input("ilo", "Regional", "Text");
  regional.countries = {};
  regional.regions = {"002"};
  ASSERT_TRUE(writer.Create(Staff(), regional).ok());
  ASSERT_TRUE(writer.Create(Staff(), Input("iom", "Mexico", "Text")).ok());
  std::unique_ptr<ActivityTextIndex> index = ActivityTextIndex::For(GetParam());
  auto fresh = [&](bool* from_tables) {
    auto c = std::make_unique<ActivityCatalog>();
    EXPECT_TRUE(db_->Read([&](Tx& tx) { return c->Sync(tx, *index); }).ok());
    *from_tables = c->LoadedFromTables();
    return c;
  };
  auto tag = [&]() {
    std::string out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto row, tx.QueryOne("SELECT data FROM activity_catalog_snapshot"));
                     std::string data = row->Text(0);
                     out = data.substr(0, data.find('\n'));
                     return Ok();
                   })
                    .ok());
    return out;
  };
  bool from_tables = false;
  auto first = fresh(&from_tables);
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return first->SaveSnapshot(tx); }).ok());
  EXPECT_EQ(tag(), "gmg-activity-catalog-2");
  const ActivityMapCounts expected = first->Read().CountByCountry(Audience{}, {}, nullptr);
  EXPECT_EQ(expected.regions, (std::map<std::string, int64_t>{{"002", 1}}));
  EXPECT_EQ(expected.countries, (std::map<std::string, int64_t>{{"MX", 1}}));
  auto restored = fresh(&from_tables);
  EXPECT_FALSE(from_tables) << "version 2 is read";
  EXPECT_EQ(restored->Read().CountByCountry(Audience{}, {}, nullptr), expected);

  // The same snapshot under version 1's tag, as a server before regions wrote it (at the same
  // seq, so only its format stands in the way): ignored, the tables read.
  const std::string retag =
      GetParam() == Dialect::kPostgres
          ? "UPDATE activity_catalog_snapshot SET data = "
            "convert_to('gmg-activity-catalog-1' || chr(10), 'UTF8') || substring(data from 24)"
          : "UPDATE activity_catalog_snapshot SET data = "
            "CAST('gmg-activity-catalog-1' || char(10) AS BLOB) || substr(data, 24)";
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(tx.Exec(retag));
                   return Ok();
                 })
                  .ok());
  EXPECT_EQ(tag(), "gmg-activity-catalog-1");
  auto old = fresh(&from_tables);
  EXPECT_TRUE(from_tables) << "a version 1 snapshot is not used";
  EXPECT_EQ(old->Read().CountByCountry(Audience{}, {}, nullptr), expected);
  // And saving again writes version 2, which the next start reads.
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return old->SaveSnapshot(tx); }).ok());
  EXPECT_EQ(tag(), "gmg-activity-catalog-2");
  auto again = fresh(&from_tables);
  EXPECT_FALSE(from_tables);
  EXPECT_EQ(again->Read().CountByCountry(Audience{}, {}, nullptr), expected);
}

INSTANTIATE_TEST_SUITE_P(Engines, PostingListsTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
