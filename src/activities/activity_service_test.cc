#include "activities/activity_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "app/modules.h"
#include "app/testing.h"
#include "governance/seed.h"
#include "store/test_database.h"

namespace gmg {
namespace {

Principal FocalPoint(const std::string& org) {
  Principal p;
  p.user_id = 0;
  p.email = "fp@" + org;
  p.role = Role::kFocalPoint;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Viewer(Role role, const std::string& org = "") {
  Principal p = FocalPoint(org);
  p.role = role;
  return p;
}

ActivityInput Input(const std::string& org, const std::string& title) {
  ActivityInput in;
  in.organization_id = org;
  in.titles = {{"en", title}};
  in.descriptions = {{"en", "Support to migrant workers and their families."}};
  in.type = "technical_assistance";
  in.themes = {"labour-migration"};
  in.countries = {"MX"};
  in.starts_on = Date::Parse("2020-01-01");
  in.ends_on = Date::Parse("2022-12-31");
  return in;
}

// On both engines.
class ActivityServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) return;
    ASSERT_TRUE(SeedThemes(*db_).ok());
    s_ = std::make_unique<ActivityService>(*db_);
  }
  ErrorCode CreateError(ActivityInput in) {
    Principal actor = FocalPoint(in.organization_id);
    auto r = s_->Create(actor, std::move(in));
    return r.ok() ? ErrorCode::kInternal : r.error().code;
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<ActivityService> s_;
};

TEST_P(ActivityServiceTest, AFocalPointRecordsItsOwnActivitiesOnly) {
  auto ok = s_->Create(FocalPoint("ilo"), Input("ilo", "Fair recruitment corridor"));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->organization_acronym, "ILO");
  auto denied = s_->Create(FocalPoint("iom"), Input("ilo", "Not mine"));
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto member =
      s_->Create(Viewer(Role::kMember, "ilo"), Input("ilo", "Staff are not focal points"));
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
}

TEST_P(ActivityServiceTest, BreakingARuleIs422NamingTheFieldAndChangesNothing) {
  auto bad_dates = Input("ilo", "x");
  bad_dates.ends_on = Date::Parse("2019-01-01");
  auto r = s_->Create(FocalPoint("ilo"), bad_dates);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(r.error().details.at(0).field, "ends_on");
  auto country = Input("ilo", "x");
  country.countries = {"XX"};
  EXPECT_EQ(s_->Create(FocalPoint("ilo"), country).error().details.at(0).field, "countries");
  auto theme = Input("ilo", "x");
  theme.themes = {"space-travel"};
  EXPECT_EQ(s_->Create(FocalPoint("ilo"), theme).error().details.at(0).field, "themes");
  auto currency = Input("ilo", "x");
  currency.budget_amount = 1000;
  currency.budget_currency = "EURO";
  EXPECT_EQ(s_->Create(FocalPoint("ilo"), currency).error().details.at(0).field, "budget");
  auto type = Input("ilo", "x");
  type.type = "party";
  EXPECT_EQ(CreateError(type), ErrorCode::kFailedPrecondition);
  auto partner = Input("ilo", "x");
  partner.partners = {{"unicef", "UNICEF", "implementing"}};
  EXPECT_EQ(s_->Create(FocalPoint("ilo"), partner).error().details.at(0).field, "partners");
  auto page = s_->List(Viewer(Role::kAdmin), {}, 10, 0);
  EXPECT_EQ(page->total, 0);
}

TEST_P(ActivityServiceTest, EveryWritePathStoresTheWorldRegionAsGlobal) {
  // What the demo data and an import hand to InsertInTx/ReplaceInTx, bypassing Create.
  ActivityInput world = Input("undp", "Global and Latin American study");
  world.countries = {};
  world.regions = {"001", "419"};
  world.is_global = false;
  int64_t id = 0;
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(id, s_->InsertInTx(tx, world, 1));
                   return s_->ReindexInTx(tx, {id});
                 })
                  .ok());
  auto stored = s_->Get(Viewer(Role::kAdmin), id);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  EXPECT_TRUE(stored->fields.is_global);
  EXPECT_EQ(stored->fields.regions, (std::vector<std::string>{"419"}));
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   world.regions = {"002", "001"};
                   return s_->ReplaceInTx(tx, id, world, 2);
                 })
                  .ok());
  EXPECT_EQ(s_->Get(Viewer(Role::kAdmin), id)->fields.regions, (std::vector<std::string>{"002"}));
}

TEST_P(ActivityServiceTest, ABulkWriteLeavesStatisticsForEveryTableAPageReads) {
  if (GetParam() != Dialect::kPostgres) return;  // SQLite plans without them
  ActivityInput in = Input("ilo", "Sectors and all");
  int64_t id = 0;
  std::vector<int64_t> ids;
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(id, s_->InsertInTx(tx, in, 1));
                   // As an import's transaction: a thousand ids or more is a bulk write.
                   for (int64_t i = 0; i < 1000; ++i) ids.push_back(id + i);
                   return s_->ReindexInTx(tx, ids);
                 })
                  .ok());
  // reltuples is -1 until a table is analysed or vacuumed (PostgreSQL 14 and later).
  for (const char* table :
       {"activities", "activity_texts", "activity_themes", "activity_purposes",
        "activity_dimensions", "activity_places", "activity_countries", "activity_partners",
        "activity_links", "activity_tags", "activity_sectors", "activity_transactions"}) {
    double tuples = -2;
    ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto row, tx.QueryOne("SELECT reltuples FROM pg_class WHERE relname = ?",
                                               {std::string(table)}));
                     if (row) tuples = row->Real(0);
                     return Ok();
                   })
                    .ok());
    EXPECT_GE(tuples, 0) << table << " has no statistics after a bulk write";
  }
}

// PostgreSQL builds an import's search documents ahead, on another connection, from the
// inputs (DocumentsAhead): what it stores is what the rows give, to the byte, for texts in
// several languages per group, quotes, backslashes and newlines, and partner names in order.
TEST_P(ActivityServiceTest, DocumentsBuiltAheadAreTheOnesTheRowsGive) {
  std::vector<ActivityInput> inputs;
  const char* tricky[] = {R"(O'Brien's "quoted" C:\dir\it's back\\slash)",
                          "l'\u00e9t\u00e9 des travailleurs\naujourd'hui, {brace}, \"x\"",
                          "Los trabajadores: \u00bfremesas? 1.2.3 -3.5e4"};
  for (int i = 0; i < 40; ++i) {
    ActivityInput in = Input(i % 2 ? "ilo" : "iom", "Ahead " + std::to_string(i));
    in.iati_identifier = "XM-AHEAD-" + std::to_string(i);
    in.titles.push_back({"de", std::string("Arbeitsmigration ") + tricky[i % 3]});
    in.titles.push_back({"fr", std::string("Travailleurs migrants ") + tricky[(i + 1) % 3]});
    in.descriptions = {{"pt", "Trabalhadores migrantes e remessas."},
                       {"es", std::string("Remesas y retorno ") + tricky[(i + 2) % 3]},
                       {"en", "Support to migrant workers, their families and recruiters."}};
    in.partners = {{"", std::string("Zeta \"NGO\" ") + tricky[i % 3], "funding"},
                   {"ilo", "ILO", "implementing"}};
    inputs.push_back(std::move(in));
  }
  std::vector<const ActivityInput*> pointers;
  for (const auto& in : inputs) pointers.push_back(&in);
  ActivityInput other = inputs[0];
  other.titles.front().text = "Zanzibar corridor";
  std::vector<int64_t> ids;
  std::unique_ptr<DocumentsAhead> ahead = s_->StartDocumentsAhead();
  EXPECT_EQ(ahead != nullptr, GetParam() == Dialect::kPostgres);
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(ids, s_->InsertManyInTx(tx, pointers, 100, ahead.get()));
                   // A later Add replaces the document: it, not the rows, is stored.
                   if (ahead) ahead->Add(ids[0], other);
                   return s_->ReindexInTx(tx, ids, ahead.get());
                 })
                  .ok());
  ahead.reset();
  auto search = [&](const char* q) {
    ActivityFilter f;
    f.text = q;
    auto r = s_->Search(Principal::Cli(), f, 50, 0);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->total : -1;
  };
  EXPECT_EQ(search("trabalhadores remessas"), 40);
  EXPECT_EQ(search("zanzibar"), GetParam() == Dialect::kPostgres ? 1 : 0);
  if (GetParam() != Dialect::kPostgres) return;
  auto stored = [&]() {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     for (const char* sql :
                          {"SELECT activity_id, CAST(doc AS text), tokens FROM activity_search "
                           "WHERE activity_id <> ? ORDER BY 1",
                           // Each posting without the first activity's entry.
                           "SELECT lexeme, block, CAST(x.e AS text) FROM activity_search_postings, "
                           "LATERAL (SELECT ARRAY(SELECT e FROM unnest(entries) e WHERE e / "
                           "65536 <> ?) AS e) x WHERE cardinality(x.e) > 0 ORDER BY 1, 2"}) {
                       SqlParams p{ids[0]};
                       GMG_RETURN_IF_ERROR(tx.QueryEach(sql, p, [&](const RowView& r) {
                         out.push_back(std::string(r.Text(0)) + "|" + std::string(r.Text(1)) + "|" +
                                       std::string(r.Text(2)));
                         return Ok();
                       }));
                     }
                     return Ok();
                   })
                    .ok());
    return out;
  };
  std::vector<std::string> ahead_built = stored();
  ASSERT_TRUE(db_->Write([&](Tx& tx) { return s_->ReindexInTx(tx, ids); }).ok());
  EXPECT_EQ(search("zanzibar"), 0) << "built from the rows again";
  std::vector<std::string> row_built = stored();
  ASSERT_GT(row_built.size(), 40u);
  ASSERT_EQ(ahead_built.size(), row_built.size());
  for (size_t i = 0; i < row_built.size(); ++i) {
    ASSERT_EQ(ahead_built[i], row_built[i]) << "document or posting " << i;
  }
}

// An activity's rows refer to it and to the registries (themes, organisations) on both
// engines; PostgreSQL checks that once per statement (activities migration 12), SQLite per row.
// A statement naming what is not there is refused whole; an activity is never deleted.
TEST_P(ActivityServiceTest, RowsMustReferToWhatExistsAndActivitiesAreNeverDeleted) {
  auto created = s_->Create(FocalPoint("ilo"), Input("ilo", "Referred to"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  const int64_t id = created->id;
  auto refused = [&](const std::string& sql, SqlParams params) {
    Status s = db_->Write([&](Tx& tx) -> Status {
      GMG_RETURN_IF_ERROR(tx.Exec(sql, params));
      return Ok();
    });
    EXPECT_FALSE(s.ok()) << sql;
    // As each engine's store reports a broken foreign key (store/database.h).
    const ErrorCode code =
        GetParam() == Dialect::kPostgres ? ErrorCode::kFailedPrecondition : ErrorCode::kConflict;
    if (!s.ok()) EXPECT_EQ(s.error().code, code) << s.error().message;
  };
  const std::string themes = "INSERT INTO activity_themes (activity_id, theme_id) VALUES ";
  refused(themes + "(?, 'trafficking'), (?, 'remittances')", {id, id + 1000});
  refused(themes + "(?, 'no-such-theme')", {id});
  refused(
      "INSERT INTO activity_partners (activity_id, organization_id, name, role) VALUES "
      "(?, NULL, 'a', 'funding'), (?, 'no-such-org', 'b', 'funding')",
      {id, id});
  if (GetParam() == Dialect::kPostgres) {  // SQLite's index is an FTS5 table
    refused("INSERT INTO activity_search (activity_id, doc, tokens) VALUES (?, '', 0)",
            {id + 1000});
  }
  refused("UPDATE activity_texts SET activity_id = ? WHERE activity_id = ?", {id + 1000, id});
  refused("DELETE FROM activities WHERE id = ?", {id});
  int64_t themes_now = -1;
  int64_t texts_now = -1;
  ASSERT_TRUE(
      db_->Read([&](Tx& tx) -> Status {
           GMG_ASSIGN_OR_RETURN(auto t, tx.QueryOne("SELECT count(*) FROM activity_themes"));
           themes_now = t->Int(0);
           GMG_ASSIGN_OR_RETURN(auto x, tx.QueryOne("SELECT count(*) FROM activity_texts WHERE "
                                                    "activity_id = ?",
                                                    {id}));
           texts_now = x->Int(0);
           return Ok();
         })
          .ok());
  EXPECT_EQ(themes_now, 1) << "nothing of a refused statement is kept";
  EXPECT_EQ(texts_now, 2);
  auto again = s_->Get(Principal::Cli(), id);
  EXPECT_TRUE(again.ok());
}

TEST_P(ActivityServiceTest, EveryBrokenRuleIsReportedAtOnce) {
  // What an empty form sends: no title, no type, an empty partner row; and dates reversed.
  ActivityInput empty = Input("ilo", "");
  empty.type = "";
  empty.starts_on = Date::Parse("2027-01-01");
  empty.ends_on = Date::Parse("2026-01-01");
  empty.partners = {{"", "", "implementing"}, {"", "UNICEF", "sponsor"}};
  auto r = s_->Create(FocalPoint("ilo"), empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  std::vector<std::string> fields;
  for (const auto& d : r.error().details) fields.push_back(d.field + " " + d.problem);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "titles an activity needs a title",
                        "type must be one of research, data_statistics, technical_assistance, "
                        "training, policy_dialogue, operational_programme, normative, event",
                        "ends_on must not be before starts_on (2027-01-01)",
                        "partners partner 1: needs a name",
                        "partners partner 2: role must be funding, accountable, extending or "
                        "implementing"}));
  EXPECT_NE(r.error().message.find("titles: an activity needs a title; type: "), std::string::npos);
  // Each with a stable code a client translates, and its values.
  std::vector<std::string> rules;
  for (const auto& d : r.error().details) rules.push_back(d.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"required", "required", "before_start", "partner_name",
                                             "partner_role"}));
  EXPECT_EQ(r.error().details[2].args,
            (std::vector<std::pair<std::string, std::string>>{{"start", "2027-01-01"}}));

  // A file's activity with thousands of bad codes keeps the first 50 and counts the rest.
  ActivityInput many = Input("ilo", "Many countries");
  for (int i = 0; i < 2000; ++i) many.countries.push_back("Q" + std::to_string(i));
  auto lots = s_->Create(FocalPoint("ilo"), many);
  ASSERT_FALSE(lots.ok());
  EXPECT_EQ(lots.error().details.size(), 50u);
  EXPECT_NE(lots.error().message.find("; and 1950 more"), std::string::npos);
}

TEST_P(ActivityServiceTest, VisibilityDecidesWhoSeesAnActivity) {
  auto in = Input("unhcr", "Internal planning");
  in.visibility = "organization";
  auto own = s_->Create(FocalPoint("unhcr"), in);
  ASSERT_TRUE(own.ok());
  in.visibility = "members";
  auto members = s_->Create(FocalPoint("unhcr"), in);
  ASSERT_TRUE(members.ok());
  EXPECT_TRUE(s_->Get(Viewer(Role::kMember, "unhcr"), own->id).ok());
  EXPECT_TRUE(s_->Get(Viewer(Role::kSecretariat), own->id).ok());
  EXPECT_EQ(s_->Get(FocalPoint("iom"), own->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(s_->Get(FocalPoint("iom"), members->id).ok());
  EXPECT_EQ(s_->Get(Principal{}, members->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s_->Get(Viewer(Role::kStakeholder), members->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s_->List(Principal{}, {}, 10, 0)->total, 0);
  EXPECT_EQ(s_->List(FocalPoint("iom"), {}, 10, 0)->total, 1);
}

// Regression (issue 7, item 14): "members" visibility let in users of partner organisations
// and of former members. Members means staff of organisations that are GMG members today.
TEST_P(ActivityServiceTest, MembersVisibilityIsForCurrentMembersOnly) {
  ASSERT_TRUE(
      db_->Write([](Tx& tx) -> Status {
           GMG_RETURN_IF_ERROR(tx.Exec(
               "INSERT INTO organizations (id, name, acronym, kind, created_at, updated_at) "
               "VALUES ('ngo-x', 'An NGO', 'NGO', 'partner', 0, 0)"));
           // UNDP left the GMG last year; UNFPA joins next year.
           GMG_RETURN_IF_ERROR(
               tx.Exec("UPDATE memberships SET joined_on = '2006-01-01', left_on = ? WHERE "
                       "organization_id = 'undp'",
                       {Date::Today().AddDays(-365).ToString()}));
           GMG_RETURN_IF_ERROR(
               tx.Exec("UPDATE memberships SET joined_on = ? WHERE organization_id = 'unfpa'",
                       {Date::Today().AddDays(365).ToString()}));
           return Ok();
         })
          .ok());
  auto in = Input("unhcr", "Members only: protection planning");
  in.visibility = "members";
  auto members = s_->Create(FocalPoint("unhcr"), in);
  ASSERT_TRUE(members.ok()) << members.error().message;
  auto own_in = Input("undp", "Members only: UNDP's own");
  own_in.visibility = "members";
  own_in.countries = {"KE"};
  auto own = s_->Create(Viewer(Role::kSecretariat), own_in);
  ASSERT_TRUE(own.ok()) << own.error().message;

  ActivityFilter search;
  search.text = "protection planning";
  auto sees = [&](const Principal& p) {
    int paths = 0;
    paths += s_->Get(p, members->id).ok();
    auto list = s_->List(p, {}, 10, 0);
    for (const Activity& a : list->items) paths += a.id == members->id;
    paths += s_->Search(p, search, 10, 0)->total == 1;
    paths += s_->CountByCountry(p, {})->countries.count("MX");
    paths += s_->CountByCountryInSqlForTesting(p, {})->countries.count("MX");
    int exported = 0;
    EXPECT_TRUE(s_->ForEach(p, {}, [&](const Activity& a) {
                    exported += a.id == members->id;
                    return true;
                  }).ok());
    paths += exported;
    return paths;
  };
  EXPECT_EQ(sees(FocalPoint("iom")), 6) << "a current member, on every path";
  EXPECT_EQ(sees(Viewer(Role::kMember, "iom")), 6);
  EXPECT_EQ(sees(Viewer(Role::kSecretariat)), 6);
  EXPECT_EQ(sees(FocalPoint("ngo-x")), 0) << "a partner, on no path";
  EXPECT_EQ(sees(Viewer(Role::kMember, "undp")), 0) << "a former member";
  EXPECT_EQ(sees(FocalPoint("unfpa")), 0) << "a member from next year";
  EXPECT_EQ(sees(Viewer(Role::kStakeholder, "iom")), 0);
  EXPECT_EQ(sees(Principal{}), 0);
  // Its own organisation sees its own activity, member or not.
  EXPECT_TRUE(s_->Get(FocalPoint("undp"), own->id).ok());
  EXPECT_TRUE(s_->Get(FocalPoint("iom"), own->id).ok());
  EXPECT_EQ(s_->Get(FocalPoint("ngo-x"), own->id).error().code, ErrorCode::kNotFound);
}

TEST_P(ActivityServiceTest, FiltersByRegionPeriodThemeAndScope) {
  ASSERT_TRUE(s_->Create(FocalPoint("ilo"), Input("ilo", "Mexico labour")).ok());
  auto europe = Input("iom", "Return from France");
  europe.countries = {"FR"};
  europe.themes = {"return-reintegration"};
  europe.starts_on = Date::Parse("2010-01-01");
  europe.ends_on = Date::Parse("2011-01-01");
  ASSERT_TRUE(s_->Create(FocalPoint("iom"), europe).ok());
  auto sids = Input("unfpa", "Pacific data");
  sids.countries = {};
  sids.regions = {"SIDS"};
  ASSERT_TRUE(s_->Create(FocalPoint("unfpa"), sids).ok());

  Principal anyone;
  ActivityFilter latin;
  latin.regions = {"419"};
  EXPECT_EQ(s_->List(anyone, latin, 10, 0)->total, 2)
      << "Mexico, and SIDS which include Caribbean states";
  ActivityFilter tuvalu;
  tuvalu.countries = {"TV"};
  auto t = s_->List(anyone, tuvalu, 10, 0);
  ASSERT_EQ(t->total, 1);
  EXPECT_EQ(t->items[0].fields.titles[0].text, "Pacific data");
  ActivityFilter period;
  period.from = Date::Parse("2009-06-01");
  period.to = Date::Parse("2012-01-01");
  EXPECT_EQ(s_->List(anyone, period, 10, 0)->total, 1);
  ActivityFilter theme;
  theme.themes = {"return-reintegration", "remittances"};
  EXPECT_EQ(s_->List(anyone, theme, 10, 0)->total, 1);
  ActivityFilter partners;
  partners.scope = "partners";
  EXPECT_EQ(s_->List(anyone, partners, 10, 0)->total, 0);
  auto world = Input("worldbank", "Remittance prices worldwide");
  world.countries = {};
  world.regions = {"001"};
  auto w = s_->Create(FocalPoint("worldbank"), world);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->fields.is_global) << "the world region is a global activity";
  EXPECT_TRUE(w->fields.regions.empty());
  auto counts = s_->CountByCountry(anyone, {});
  EXPECT_EQ(counts->global, 1);
  EXPECT_EQ(counts->countries.count("DE"), 0u)
      << "a global activity is not counted in every country";
  EXPECT_EQ(counts->countries.at("MX"), 1);
  EXPECT_EQ(counts->countries.at("FR"), 1);
  EXPECT_EQ(counts->countries.count("TV"), 0u) << "a region is not counted in its countries";
  EXPECT_EQ(counts->regions, (std::map<std::string, int64_t>{{"SIDS", 1}}));
  EXPECT_EQ(*s_->CountByCountryInSqlForTesting(anyone, {}), *counts);
}

TEST_P(ActivityServiceTest, FullTextSearchStemsRanksHighlightsAndEscapes) {
  auto a = Input("ilo", "Protecting <migrant> workers");
  ASSERT_TRUE(s_->Create(FocalPoint("ilo"), a).ok());
  auto b = Input("unodc", "Counter-trafficking training");
  b.descriptions = {
      {"en", "Training for prosecutors on trafficking in persons and migrants' rights."}};
  b.themes = {"trafficking"};
  ASSERT_TRUE(s_->Create(FocalPoint("unodc"), b).ok());
  ActivityFilter f;
  f.text = "migrants";
  auto r = s_->Search(Principal{}, f, 10, 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->total, 2);
  EXPECT_EQ(r->hits[0].activity.fields.organization_id, "ilo") << "a title match ranks first";
  EXPECT_EQ(r->hits[0].title_highlighted, "Protecting &lt;<mark>migrant</mark>&gt; workers");
  EXPECT_EQ(r->facets["organization"]["unodc"], 1);
  EXPECT_EQ(r->facets["theme"]["trafficking"], 1);
  f.text = "trafficked prosecutor";
  EXPECT_EQ(s_->Search(Principal{}, f, 10, 0)->total, 1) << "words match by stem";
  f.text = "\"unbalanced OR NEAR(";
  EXPECT_TRUE(s_->Search(Principal{}, f, 10, 0).ok()) << "no FTS syntax reaches SQLite";
  f.text = "!! ?";
  auto all = s_->List(Principal{}, f, 10, 0);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->total, 2) << "text without a word filters nothing, as an empty box";
  EXPECT_EQ(s_->Search(Principal{}, f, 10, 0).error().code, ErrorCode::kInvalidArgument);
}

// A search keeps only the page's hits (a bounded heap) and the words' postings between writes:
// the page, its order and its scores stay those of a service that keeps nothing and of the
// index's own match (taken when another filter is set), page after page, PostgreSQL's stop
// words included, and a write is seen at once.
TEST_P(ActivityServiceTest, KeptPostingsAndTheBoundedPageRankAsTheIndexDoes) {
  const char* titles[] = {"Migrant workers",       "Migrant workers and migrant families",
                          "Labour migration data", "Data on migrant remittances",
                          "Remittances corridor",  "Migrant return"};
  for (int i = 0; i < 12; ++i) {
    auto in = Input(i % 2 ? "ilo" : "iom", titles[i % 6]);
    in.descriptions = {{"en", std::string(static_cast<size_t>(i), 'x') + " migrant " +
                                  (i % 3 ? "data" : "workers")}};
    ASSERT_TRUE(s_->Create(FocalPoint(i % 2 ? "ilo" : "iom"), in).ok());
  }
  auto ranks = [](const Result<SearchResult>& r) {
    std::vector<std::pair<int64_t, double>> out;
    for (const auto& h : r->hits) out.emplace_back(h.activity.id, h.rank);
    return out;
  };
  ActivityFilter f;
  for (const char* text : {"migrant", "migrant data", "remittances", "the migrant", "data x"}) {
    f.text = text;
    SCOPED_TRACE(text);
    auto all = s_->Search(Principal{}, f, 50, 0);
    ASSERT_TRUE(all.ok()) << all.error().message;
    auto again = s_->Search(Principal{}, f, 50, 0);  // the words' postings kept
    ActivityService fresh(*db_);
    auto reference = fresh.Search(Principal{}, f, 50, 0);
    ASSERT_TRUE(again.ok() && reference.ok());
    EXPECT_EQ(ranks(again), ranks(reference));
    EXPECT_EQ(ranks(all), ranks(reference));
    EXPECT_EQ(again->facets, reference->facets);
    ActivityFilter by_index = f;  // every activity is ILO's or IOM's: the same matches
    by_index.organizations = {"ilo", "iom"};
    auto indexed = ActivityService(*db_).Search(Principal{}, by_index, 50, 0);
    ASSERT_TRUE(indexed.ok()) << indexed.error().message;
    EXPECT_EQ(ranks(indexed), ranks(reference));
    // The one search's form: the same page, without facets and marks.
    auto bare =
        s_->Search(Principal{}, f, 50, 0, {.facets = false, .highlights = false, .records = false});
    ASSERT_TRUE(bare.ok());
    EXPECT_EQ(ranks(bare), ranks(reference));
    EXPECT_TRUE(bare->facets.empty());
    for (size_t i = 0; i < bare->hits.size(); ++i) {
      const Activity& lean = bare->hits[i].activity;
      const Activity& whole = reference->hits[i].activity;
      EXPECT_TRUE(bare->hits[i].title_highlighted.empty());
      EXPECT_EQ(lean.fields.titles, whole.fields.titles) << "the texts, in the same order";
      EXPECT_EQ(lean.fields.descriptions, whole.fields.descriptions);
      EXPECT_EQ(lean.fields.organization_id, whole.fields.organization_id);
      EXPECT_TRUE(lean.fields.countries.empty() && lean.fields.themes.empty()) << "no lists";
    }
    // Pages of 4 put together give the whole list, in order.
    std::vector<std::pair<int64_t, double>> paged;
    for (int64_t offset = 0; offset < all->total; offset += 4) {
      auto page = s_->Search(Principal{}, f, 4, offset);
      ASSERT_TRUE(page.ok());
      EXPECT_EQ(page->total, all->total);
      for (auto& p : ranks(page)) paged.push_back(p);
    }
    EXPECT_EQ(paged, ranks(reference));
  }
  // A write changes the counts: the next search ranks with the new ones.
  f.text = "migrant";
  ASSERT_TRUE(s_->Create(FocalPoint("ilo"), Input("ilo", "Another migrant programme")).ok());
  auto after = s_->Search(Principal{}, f, 50, 0);
  ActivityService fresh(*db_);
  auto reference = fresh.Search(Principal{}, f, 50, 0);
  ASSERT_TRUE(after.ok() && reference.ok());
  EXPECT_EQ(after->total, reference->total);
  EXPECT_EQ(ranks(after), ranks(reference));
}

TEST_P(ActivityServiceTest, UpdatesNeedTheCurrentVersionAndArchivingHidesEverywhere) {
  auto a = s_->Create(FocalPoint("ilo"), Input("ilo", "Skills partnership"));
  ASSERT_TRUE(a.ok());
  auto in = a->fields;
  in.titles = {{"en", "Skills partnership, phase 2"}, {"fr", "Partenariat de compétences"}};
  EXPECT_EQ(s_->Update(FocalPoint("ilo"), a->id, a->version + 1, in).error().code,
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(s_->Update(FocalPoint("iom"), a->id, a->version, in).error().code,
            ErrorCode::kPermissionDenied);
  auto b = s_->Update(FocalPoint("ilo"), a->id, a->version, in);
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->fields.titles.size(), 2u);
  ActivityFilter f;
  f.text = "phase";
  EXPECT_EQ(s_->Search(Principal{}, f, 10, 0)->total, 1);
  ASSERT_TRUE(s_->Archive(FocalPoint("ilo"), a->id).ok());
  EXPECT_EQ(s_->Get(Principal{}, a->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(s_->Search(Principal{}, f, 10, 0)->total, 0);
  EXPECT_EQ(s_->List(Principal{}, {}, 10, 0)->total, 0);
}

// PostgreSQL's identities skip the values of rolled-back inserts (a failed or dry-run import
// of a million activities skips a million): the search catalog, which finds entries by id,
// still finds what comes after the gap and holds only live activities.
TEST_P(ActivityServiceTest, SearchFindsActivitiesAfterAGapInTheIds) {
  auto first = s_->Create(FocalPoint("ilo"), Input("ilo", "Before the gap"));
  ASSERT_TRUE(first.ok());
  ActivityFilter f;
  f.text = "gap";
  ASSERT_EQ(s_->Search(Principal{}, f, 10, 0)->total, 1) << "the catalog is loaded";
  for (int i = 0; i < 3; ++i) {
    Status rolled_back = db_->Write([&](Tx& tx) -> Status {
      for (int j = 0; j < 100; ++j) {
        GMG_ASSIGN_OR_RETURN(int64_t id, s_->InsertInTx(tx, Input("ilo", "Never stored"), 0));
        GMG_RETURN_IF_ERROR(s_->ReindexInTx(tx, {id}));
      }
      return MakeError(ErrorCode::kInternal, "rolled back");
    });
    ASSERT_FALSE(rolled_back.ok());
  }
  auto after = s_->Create(FocalPoint("ilo"), Input("ilo", "After the gap"));
  ASSERT_TRUE(after.ok());
  if (GetParam() == Dialect::kPostgres) EXPECT_GT(after->id, first->id + 300);
  auto r = s_->Search(Principal{}, f, 10, 0);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->total, 2);
  f.text = "never stored";
  EXPECT_EQ(s_->Search(Principal{}, f, 10, 0)->total, 0);
  EXPECT_EQ(s_->List(Principal{}, {}, 10, 0)->total, 2) << "totals from the catalog";
}

// Bulk writes (imports): one statement per table for many activities, each stored as a write
// of its own would store it; ids in the inputs' order; partners and links keep their order.
TEST_P(ActivityServiceTest, ManyActivitiesAreWrittenAndReplacedAsOneAtATime) {
  std::vector<ActivityInput> inputs;
  for (int i = 0; i < 5; ++i) {
    ActivityInput in = Input(i % 2 ? "ilo" : "iom", "Bulk " + std::to_string(i));
    in.iati_identifier = i == 2 ? "" : "XM-BULK-" + std::to_string(i);  // one without
    in.source = "iati";
    in.descriptions.push_back({"fr", "Appui aux travailleurs migrants."});
    in.themes = {"remittances", "labour-migration"};
    in.regions = {"SIDS"};
    in.partners = {{"", "Zeta NGO", "funding"},
                   {"ilo", "ILO", "implementing"},
                   {"", "Alpha NGO", "extending"}};
    in.links = {{"https://example.org/z", "Z"}, {"https://example.org/a", ""}};
    in.tags = {{"region-1", "289"}, {"tag-99", "x"}, {"region-1", "289"}};  // one twice
    in.sectors = {{"1", "15190", 60.5, "Facilitation of migration", ""},
                  {"99", "A" + std::to_string(i), std::nullopt, "", "https://example.org/v"}};
    Transaction t;
    t.type = "3";
    t.date = *Date::Parse("2021-02-0" + std::to_string(i + 1));
    t.value = 1000.25 * (i + 1);
    t.currency = "EUR";
    t.provider = {"XM-DAC-7", "10", "", "A donor"};
    t.sectors = {{"1", "15190", "", ""}};
    t.aid_types = {{"2", "1", "", ""}};
    in.transactions = {t, t};
    in.transactions[1].type = "4";
    in.budget_amount = 1234567.89 + i;
    in.budget_currency = "USD";
    in.contact_email = "a@example.org";
    if (i == 4) in.ends_on.reset();
    inputs.push_back(std::move(in));
  }
  std::vector<const ActivityInput*> pointers;
  for (const auto& in : inputs) pointers.push_back(&in);
  std::vector<int64_t> ids;
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   for (const auto& in : inputs) GMG_RETURN_IF_ERROR(s_->ValidateInTx(tx, in));
                   GMG_ASSIGN_OR_RETURN(ids, s_->InsertManyInTx(tx, pointers, 100));
                   return s_->ReindexInTx(tx, ids);
                 })
                  .ok());
  ASSERT_EQ(ids.size(), inputs.size());
  // Each as Create would store it: compared with one written alone.
  ActivityInput alone = inputs[0];
  alone.iati_identifier = "XM-ALONE";
  int64_t alone_id = 0;
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(alone_id, s_->InsertInTx(tx, alone, 100));
                   return Ok();
                 })
                  .ok());
  auto load = [&](std::vector<int64_t> which) {
    std::vector<Activity> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(out, ActivityService::LoadManyInTx(tx, which));
                     return Ok();
                   })
                    .ok());
    return out;
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  std::vector<Activity> stored = load(ids);
  ASSERT_EQ(stored.size(), inputs.size());
  Activity single = load({alone_id}).front();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ActivityInput& f = stored[i].fields;
    EXPECT_EQ(stored[i].id, ids[i]);
    EXPECT_EQ(f.iati_identifier, inputs[i].iati_identifier);
    EXPECT_EQ(f.titles.front().text, "Bulk " + std::to_string(i));
    EXPECT_EQ(f.descriptions.size(), 2u);
    EXPECT_EQ(sorted(f.themes), sorted(single.fields.themes));
    EXPECT_EQ(f.regions, single.fields.regions);
    EXPECT_EQ(f.partners.size(), 3u);
    if (f.partners.size() == 3) {
      EXPECT_EQ(f.partners[0].name, "Zeta NGO") << "partners keep their order";
      EXPECT_EQ(f.partners[1].organization_id, "ilo");
      EXPECT_EQ(f.partners[2].name, "Alpha NGO");
    }
    EXPECT_EQ(f.links.size(), 2u);
    if (f.links.size() == 2) EXPECT_EQ(f.links[0].url, "https://example.org/z");
    EXPECT_EQ(f.tags.size(), 2u);
    EXPECT_EQ(f.sectors, inputs[i].sectors) << "in their order, percentages exactly";
    EXPECT_EQ(f.transactions, inputs[i].transactions);
    EXPECT_EQ(f.budget_amount, inputs[i].budget_amount) << "a real comes back exactly";
    EXPECT_EQ(f.budget_currency, "USD");
    EXPECT_EQ(f.ends_on.has_value(), i != 4);
    EXPECT_EQ(f.source, "iati");
    EXPECT_EQ(stored[i].version, 1);
    EXPECT_EQ(stored[i].created_at, 100);
  }
  // Replaced: every field and child row, the version counts up.
  inputs[1].titles = {{"en", "Bulk one, renamed"}};
  inputs[1].partners = {{"", "Only partner", "funding"}};
  inputs[1].budget_amount.reset();
  inputs[3].themes = {"trafficking"};
  inputs[3].countries = {"FR", "DE"};
  inputs[3].regions.clear();
  inputs[3].sectors = {{"", "72010", 100, "", ""}};
  inputs[3].transactions.pop_back();
  const std::pair<int64_t, const ActivityInput*> replace[] = {{ids[1], &inputs[1]},
                                                              {ids[3], &inputs[3]}};
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(s_->ReplaceManyInTx(tx, replace, 200));
                   return s_->ReindexInTx(tx, {ids[1], ids[3]});
                 })
                  .ok());
  stored = load(ids);
  ASSERT_EQ(stored.size(), inputs.size());
  EXPECT_EQ(stored[1].fields.titles.front().text, "Bulk one, renamed");
  EXPECT_EQ(stored[1].fields.partners.size(), 1u);
  EXPECT_FALSE(stored[1].fields.budget_amount.has_value());
  EXPECT_EQ(stored[1].version, 2);
  EXPECT_EQ(stored[1].updated_at, 200);
  EXPECT_EQ(stored[1].created_at, 100);
  EXPECT_EQ(stored[3].fields.themes, std::vector<std::string>{"trafficking"});
  EXPECT_EQ(sorted(stored[3].fields.countries), (std::vector<std::string>{"DE", "FR"}));
  EXPECT_TRUE(stored[3].fields.regions.empty());
  EXPECT_EQ(stored[3].fields.sectors, inputs[3].sectors);
  EXPECT_EQ(stored[3].fields.transactions, inputs[3].transactions);
  EXPECT_EQ(stored[2].fields.sectors.size(), 2u);
  EXPECT_EQ(stored[2].version, 1) << "the others are untouched";
  EXPECT_EQ(stored[2].fields.partners.size(), 3u);
  // The map and the filters read the covered countries: the region's are gone.
  ActivityFilter sids;
  sids.regions = {"SIDS"};
  auto page = s_->List(Principal::Cli(), sids, 10, 0);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->total, 5) << "four of the five and the one written alone";
}

TEST_P(ActivityServiceTest, BadSectorsAndTransactionsAreRefusedNamingTheRule) {
  if (!db_) GTEST_SKIP();
  ActivityInput in = Input("iom", "Sectors");
  in.sectors = {{"1", "15190", 120, "", ""}, {"1", "", -1, "", ""}, {"1", "15190", 5, "", ""}};
  Transaction t;
  t.type = "14";
  t.date = *Date::Parse("2021-01-01");
  t.currency = "XXQ";
  in.transactions = {t};
  auto r = s_->Create(Principal::Cli(), in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  std::multiset<std::string> rules;
  for (const FieldProblem& p : r.error().details) rules.insert(p.field + ":" + p.rule);
  EXPECT_EQ(rules.count("sectors:out_of_range"), 2u) << r.error().message;  // 120 and -1
  EXPECT_EQ(rules.count("sectors:required"), 1u);
  EXPECT_EQ(rules.count("sectors:duplicate_value"), 1u);
  EXPECT_EQ(rules.count("transactions:out_of_range"), 1u);
  EXPECT_EQ(rules.count("transactions:unknown_currency"), 1u);

  ActivityInput many = Input("iom", "Too many sectors");
  for (size_t i = 0; i <= kMaxSectors; ++i)
    many.sectors.push_back({"99", "S" + std::to_string(i), std::nullopt, "", ""});
  auto too_many = s_->Create(Principal::Cli(), many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().details.at(0).field, "sectors");
  EXPECT_EQ(too_many.error().details.at(0).rule, "too_many");
}

TEST_P(ActivityServiceTest, AnUpdateWithoutSectorsOrTransactionsKeepsTheStoredOnes) {
  if (!db_) GTEST_SKIP();
  ActivityInput in = Input("iom", "Kept");
  in.sectors = {{"1", "15190", std::nullopt, "", ""}};
  Transaction t;
  t.type = "2";
  t.date = *Date::Parse("2021-01-01");
  t.value = 10;
  in.transactions = {t};
  auto created = s_->Create(Principal::Cli(), in);
  ASSERT_TRUE(created.ok()) << created.error().message;
  ActivityInput edit = Input("iom", "Kept, renamed");
  edit.sectors_given = false;
  edit.transactions_given = false;
  auto updated = s_->Update(Principal::Cli(), created->id, created->version, edit);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->fields.sectors, in.sectors);
  EXPECT_EQ(updated->fields.transactions, in.transactions);
  edit.sectors_given = true;  // given, and empty: cleared
  auto cleared = s_->Update(Principal::Cli(), created->id, updated->version, edit);
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(cleared->fields.sectors.empty());
  EXPECT_EQ(cleared->fields.transactions.size(), 1u);
}

// Activities migration 8 moves the sectors kept as tags ("sector-<vocabulary>") into
// activity_sectors and leaves the other tags.
TEST_P(ActivityServiceTest, Migration8CarriesSectorTagsIntoSectors) {
  auto db = OpenEmptyTestDatabase(GetParam());
  if (!db) GTEST_SKIP();
  std::vector<Migration> before;
  for (const Migration& m : AllMigrations()) {
    if (!(m.module == "activities" && m.version >= 8)) before.push_back(m);
  }
  ASSERT_TRUE(Migrate(*db, before).ok());
  ASSERT_TRUE(SeedGmg(*db).ok());
  ASSERT_TRUE(SeedThemes(*db).ok());
  ASSERT_TRUE(
      db->Write([](Tx& tx) -> Status {
          GMG_RETURN_IF_ERROR(tx.Exec(
              "INSERT INTO activities (id, organization_id, title, type, status, "
              "created_at, updated_at) VALUES (1, 'iom', 'Old import', 'research', 2, 1, 1)"));
          for (const char* tag :
               {"sector-1:11110", "sector-99:A1", "tag-99:x", "region-1:289", "sector-2:151"}) {
            std::string t = tag;
            size_t colon = t.find(':');
            GMG_RETURN_IF_ERROR(tx.Exec(
                "INSERT INTO activity_tags (activity_id, vocabulary, code) VALUES (1, ?, ?)",
                {t.substr(0, colon), t.substr(colon + 1)}));
          }
          return Ok();
        }).ok());
  Status migrated = Migrate(*db, AllMigrations());
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  std::optional<Activity> a;
  ASSERT_TRUE(db->Read([&](Tx& tx) -> Status {
                  GMG_ASSIGN_OR_RETURN(a, ActivityService::LoadInTx(tx, 1));
                  return Ok();
                }).ok());
  ASSERT_TRUE(a.has_value());
  std::vector<std::string> sectors;
  for (const Sector& sc : a->fields.sectors) {
    sectors.push_back(sc.vocabulary + ":" + sc.code);
    EXPECT_FALSE(sc.percentage.has_value());
  }
  EXPECT_EQ(sectors, (std::vector<std::string>{"1:11110", "2:151", "99:A1"}));
  auto tags = a->fields.tags;
  std::sort(tags.begin(), tags.end());
  EXPECT_EQ(tags, (std::vector<std::pair<std::string, std::string>>{{"region-1", "289"},
                                                                    {"tag-99", "x"}}));
  EXPECT_EQ(a->fields.reporting_org_type, "");
}

INSTANTIATE_TEST_SUITE_P(Engines, ActivityServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
