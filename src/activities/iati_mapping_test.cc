#include "activities/iati_mapping.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/testing.h"

#ifndef GMG_SHARED_DIR
#define GMG_SHARED_DIR "/work/shared"
#endif

namespace gmg {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string OfficialExample() {
  return ReadFile(std::string(GMG_SHARED_DIR) + "/reference/iati/example-activity-2.03.xml");
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// The official example with one of its sectors made the DAC umbrella code for migration.
std::string MigrationExample() {
  return Replace(OfficialExample(), R"(<sector vocabulary="2" code="111" percentage="50" />)",
                 R"(<sector vocabulary="1" code="15190" percentage="50" />)");
}

std::string Activity(const std::string& id, const std::string& org_ref,
                     const std::string& extra = "") {
  return R"(<iati-activity default-currency="USD"><iati-identifier>)" + id + R"(</iati-identifier>
  <reporting-org ref=")" +
         org_ref + R"(" type="40"><narrative>Reporter )" + org_ref + R"(</narrative></reporting-org>
  <title><narrative>Remittance corridors )" +
         id + R"(</narrative></title>
  <description type="1"><narrative>Lowering the cost of sending money home.</narrative></description>
  <participating-org role="4" ref="XM-DAC-47066"><narrative>IOM</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2021-01-01"/><activity-date type="3" iso-date="2023-12-31"/>
  <recipient-country code="MX"/>
  <sector vocabulary="1" code="24050"/>
  <tag vocabulary="3" code="10.c"><narrative>SDG 10.c</narrative></tag>
  )" + extra +
         R"(
  <budget type="1" status="1"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/><value value-date="2021-01-01">1000</value></budget>
  <budget type="1" status="1"><period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/><value value-date="2022-01-01">2500.5</value></budget>
</iati-activity>)";
}

std::string File(const std::string& activities) {
  return R"(<?xml version="1.0" encoding="UTF-8"?><iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z">)" +
         activities + "</iati-activities>";
}

class IatiMappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting();
    ASSERT_TRUE(SeedThemes(*db_).ok());
    s_ = std::make_unique<ActivityService>(*db_);
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
  std::unique_ptr<Database> db_;
  std::unique_ptr<ActivityService> s_;
};

TEST_F(IatiMappingTest, MapsSectorsAndSdgTargetsOntoThemes) {
  EXPECT_EQ(ThemesForCode("1", "24050", false), std::vector<std::string>{"remittances"});
  EXPECT_EQ(ThemesForCode("", "15190", false).size(), 2u);
  EXPECT_EQ(ThemesForCode("3", "8.7", true), std::vector<std::string>{"trafficking"});
  EXPECT_EQ(ThemesForCode("8", "10.7", false), std::vector<std::string>{"migration-management"});
  EXPECT_TRUE(ThemesForCode("1", "11110", false).empty());
  EXPECT_TRUE(ThemesForCode("99", "24050", false).empty()) << "an own vocabulary is not DAC";
}

TEST_F(IatiMappingTest, ImportsTheOfficialExampleOnlyWhenItIsAboutMigration) {
  auto plain = ImportIati(*db_, *s_, Principal::Cli(), OfficialExample(), false);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->file_version, "2.03");
  EXPECT_EQ(plain->skipped, 1);
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 0);

  auto r = ImportIati(*db_, *s_, Principal::Cli(), MigrationExample(), false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->created, 1);
  auto a = s_->Get(Principal::Cli(), r->items[0].activity_id);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->fields.iati_identifier, "AA-AAA-123456789-ABC123");
  EXPECT_EQ(a->fields.countries, (std::vector<std::string>{"AF", "AG"}));
  EXPECT_EQ(a->fields.status, 2);
  EXPECT_FALSE(a->organization_is_member) << "the example's reporter is not a GMG member";
  EXPECT_EQ(Count("SELECT count(*) FROM organizations WHERE kind = 'partner'"), 1);
}

TEST_F(IatiMappingTest, MatchesMembersByIatiIdentifierAndReimportUpdates) {
  auto first = ImportIati(*db_, *s_, Principal::Cli(),
                          File(Activity("XM-DAC-47066-R1", "XM-DAC-47066")), false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto a = s_->Get(Principal::Cli(), first->items[0].activity_id);
  EXPECT_EQ(a->fields.organization_id, "iom");
  EXPECT_EQ(a->fields.themes, (std::vector<std::string>{"remittances"}));
  EXPECT_DOUBLE_EQ(*a->fields.budget_amount, 3500.5);
  EXPECT_EQ(a->fields.budget_currency, "USD");
  EXPECT_EQ(a->fields.starts_on->ToString(), "2021-01-01");
  EXPECT_EQ(a->fields.partners.at(0).organization_id, "iom");
  auto again =
      ImportIati(*db_, *s_, Principal::Cli(), File(Activity("XM-DAC-47066-R1", "47066")), false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1) << "the same activity again changes nothing";
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 1);
  auto changed =
      ImportIati(*db_, *s_, Principal::Cli(),
                 File(Replace(Activity("XM-DAC-47066-R1", "47066"), ">2500.5<", ">2600<")), false);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->updated, 1);
  EXPECT_EQ(changed->items.at(0).changed, std::vector<std::string>{"budget"});
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 1);
  auto wb = ImportIati(*db_, *s_, Principal::Cli(), File(Activity("44001-P123", "44001")), false);
  ASSERT_TRUE(wb.ok());
  EXPECT_EQ(s_->Get(Principal::Cli(), wb->items[0].activity_id)->fields.organization_id,
            "worldbank");
}

TEST_F(IatiMappingTest, ABadActivityRejectsTheWholeFileNamingItsLine) {
  std::string good = Activity("XM-DAC-47066-G1", "XM-DAC-47066");
  std::string bad =
      Activity("XM-DAC-47066-B1", "XM-DAC-47066", R"(<recipient-country code="ZZ"/>)");
  auto r = ImportIati(*db_, *s_, Principal::Cli(), File(good + "\n" + bad), false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("line "), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("ZZ"), std::string::npos) << r.error().message;
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 0) << "all or nothing";
  auto dates = ImportIati(
      *db_, *s_, Principal::Cli(),
      File(Replace(good, R"(iso-date="2023-12-31")", R"(iso-date="2020-12-31")")), false);
  ASSERT_FALSE(dates.ok());
  EXPECT_NE(dates.error().message.find("before start"), std::string::npos) << dates.error().message;
  auto currency = ImportIati(
      *db_, *s_, Principal::Cli(),
      File(Replace(good, R"(default-currency="USD")", R"(default-currency="XYZ")")), false);
  ASSERT_FALSE(currency.ok());
  EXPECT_NE(currency.error().message.find("ISO 4217"), std::string::npos)
      << currency.error().message;
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 0);
}

// The value of `name` among a detail's or row's args, "" when absent.
std::string Arg(const std::vector<std::pair<std::string, std::string>>& args,
                const std::string& name) {
  for (const auto& [n, v] : args) {
    if (n == name) return v;
  }
  return "";
}

// Issue 9: what an import says to a person carries a rule code a client translates, on both
// engines (the import reads and writes the store).
class IatiImportRulesTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    ASSERT_TRUE(SeedThemes(*db_).ok());
    s_ = std::make_unique<ActivityService>(*db_);
  }
  // The one detail of a refused import.
  FieldProblem Refusal(const std::string& xml, const Principal& actor = Principal::Cli()) {
    auto r = ImportIati(*db_, *s_, actor, xml, true);
    EXPECT_FALSE(r.ok());
    if (r.ok() || r.error().details.empty()) return {"", ""};
    EXPECT_EQ(r.error().details.size(), 1u) << r.error().message;
    return r.error().details[0];
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<ActivityService> s_;
};

TEST_P(IatiImportRulesTest, SkippedAndKeptRowsAndWarningsCarryRuleCodes) {
  auto plain = ImportIati(*db_, *s_, Principal::Cli(), OfficialExample(), true);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_EQ(plain->items.size(), 1u);
  EXPECT_EQ(plain->items[0].action, "skipped");
  EXPECT_EQ(plain->items[0].rule, "no_migration_theme");
  EXPECT_FALSE(plain->items[0].reason.empty()) << "the English reason stays for the CLI";

  std::string odd = Activity("XM-DAC-47066-W1", "XM-DAC-47066", R"(<tag code="x1"/>)");
  auto warned = ImportIati(*db_, *s_, Principal::Cli(), File(odd), false);
  ASSERT_TRUE(warned.ok()) << warned.error().message;
  ASSERT_FALSE(warned->warnings.empty());
  for (const auto& w : warned->warnings) EXPECT_FALSE(w.rule.empty()) << w.message;
  EXPECT_EQ(warned->items.at(0).rule, "") << "a created row needs no reason";
  ASSERT_TRUE(s_->Archive(Principal::Cli(), warned->items.at(0).activity_id).ok());
  auto kept = ImportIati(*db_, *s_, Principal::Cli(), File(odd), true);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->items.at(0).action, "kept_archived");
  EXPECT_EQ(kept->items.at(0).rule, "archived");
}

TEST_P(IatiImportRulesTest, EveryRefusalNamesItsRuleLineAndIdentifier) {
  std::string good = Activity("XM-DAC-47066-G1", "XM-DAC-47066");
  FieldProblem country = Refusal(File(
      "\n" + Activity("XM-DAC-47066-B1", "XM-DAC-47066", R"(<recipient-country code="ZZ"/>)")));
  EXPECT_EQ(country.field, "recipient-country");
  EXPECT_EQ(country.rule, "unknown_country");
  EXPECT_EQ(Arg(country.args, "value"), "ZZ");
  EXPECT_EQ(Arg(country.args, "line"), "2");
  EXPECT_EQ(Arg(country.args, "identifier"), "XM-DAC-47066-B1");

  struct Case {
    std::string from, to;
    const char* rule;
  };
  const std::vector<Case> cases = {
      {R"(iso-date="2023-12-31")", R"(iso-date="2020-12-31")", "before_start"},
      {R"(default-currency="USD")", R"(default-currency="XYZ")", "unknown_currency"},
      {R"(default-currency="USD")", "", "no_currency"},
      {R"(<activity-status code="2"/>)", R"(<activity-status code="8"/>)", "unknown_code"},
      {R"(role="4")", R"(role="7")", "unknown_code"},
      {R"(<recipient-country code="MX"/>)", R"(<recipient-region code="999" vocabulary="2"/>)",
       "unknown_region"},
      {"<title><narrative>Remittance corridors XM-DAC-47066-G1</narrative></title>", "",
       "required"},
      {R"(<recipient-country code="MX"/>)",
       "<contact-info><email>" + std::string(260, 'a') + "@x.org</email></contact-info>",
       "invalid_email"},
  };
  for (const Case& c : cases) {
    std::string xml = Replace(good, c.from, c.to);
    ASSERT_NE(xml, good) << c.rule;
    FieldProblem d = Refusal(File(xml));
    EXPECT_EQ(d.rule, c.rule) << d.problem;
    EXPECT_EQ(Arg(d.args, "line"), "1") << c.rule;
    EXPECT_EQ(Arg(d.args, "identifier"), "XM-DAC-47066-G1") << c.rule;
  }

  Principal fp;
  fp.role = Role::kFocalPoint;
  fp.organization_id = "unhcr";
  fp.email = "fp@unhcr.org";
  FieldProblem other = Refusal(File(good), fp);
  EXPECT_EQ(other.rule, "not_own_organization");
  EXPECT_EQ(Arg(other.args, "value"), "XM-DAC-47066");
  FieldProblem prefix = Refusal(File(Activity("OTHER-1", "XM-DAC-41121")), fp);
  EXPECT_EQ(prefix.rule, "identifier_prefix");
  EXPECT_EQ(Arg(prefix.args, "prefix"), "XM-DAC-41121-");
  FieldProblem not_xml = Refusal("hello");
  EXPECT_EQ(not_xml.rule, "not_xml");
  EXPECT_EQ(Arg(not_xml.args, "column"), "1");
}

INSTANTIATE_TEST_SUITE_P(Engines, IatiImportRulesTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

TEST_F(IatiMappingTest, AFocalPointImportsOnlyItsOwnOrganisationsActivities) {
  Principal fp;
  fp.role = Role::kFocalPoint;
  fp.organization_id = "unhcr";
  fp.email = "fp@unhcr.org";
  auto r = ImportIati(*db_, *s_, fp, File(Activity("XM-DAC-47066-X", "XM-DAC-47066")), false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(
      ImportIati(*db_, *s_, fp, File(Activity("XM-DAC-41121-X", "XM-DAC-41121")), false).ok());
}

// Regression (issue 7, defect 6): a re-import made private activities public, revived archived
// ones and dropped what was recorded by hand.
TEST_F(IatiMappingTest, AReimportKeepsWhatTheFileDoesNotSayAndReportsWhatChanged) {
  const std::string file =
      File(Activity("XM-DAC-47066-K1", "XM-DAC-47066", R"(<sector vocabulary="1" code="11110"/>)"));
  auto first = ImportIati(*db_, *s_, Principal::Cli(), file, false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  int64_t id = first->items.at(0).activity_id;
  auto imported = s_->Get(Principal::Cli(), id);
  ASSERT_TRUE(imported.ok());
  ASSERT_EQ(imported->fields.sectors.size(), 2u) << "24050 and 11110, as the file gave them";
  // By hand: private, a contact, a link, purposes, a dimension, another type.
  ActivityInput edit = imported->fields;
  edit.visibility = "organization";
  edit.contact_name = "R. Corridor";
  edit.contact_email = "corridors@iom.int";
  edit.links = {{"https://example.org/hand-made", "Recorded by hand"}};
  edit.purposes = {3, 7};
  edit.dimensions = {"human_rights"};
  edit.type = "research";
  ASSERT_TRUE(s_->Update(Principal::Cli(), id, imported->version, edit).ok());
  auto by_hand = s_->Get(Principal::Cli(), id);
  ASSERT_TRUE(by_hand.ok());

  const std::string retitled =
      Replace(file, "Remittance corridors XM-DAC-47066-K1", "Cheaper remittance corridors");
  for (bool dry_run : {true, false}) {
    auto again = ImportIati(*db_, *s_, Principal::Cli(), retitled, dry_run);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->updated, 1);
    ASSERT_EQ(again->items.size(), 1u);
    EXPECT_EQ(again->items[0].action, "updated");
    EXPECT_EQ(again->items[0].activity_id, id);
    EXPECT_EQ(again->items[0].changed, std::vector<std::string>{"titles"})
        << "dry run: " << dry_run;
  }
  auto after = s_->Get(Principal::Cli(), id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->fields.titles.at(0).text, "Cheaper remittance corridors");
  EXPECT_EQ(after->fields.visibility, "organization");
  EXPECT_FALSE(s_->Get(Principal{}, id).ok()) << "still private";
  EXPECT_EQ(after->fields.contact_name, "R. Corridor");
  EXPECT_EQ(after->fields.contact_email, "corridors@iom.int");
  ASSERT_EQ(after->fields.links.size(), 1u);
  EXPECT_EQ(after->fields.links[0].url, "https://example.org/hand-made");
  EXPECT_EQ(after->fields.purposes, (std::vector<int>{3, 7}));
  EXPECT_EQ(after->fields.dimensions, std::vector<std::string>{"human_rights"});
  EXPECT_EQ(after->fields.type, "research");
  EXPECT_EQ(after->fields.tags, by_hand->fields.tags);
  EXPECT_EQ(after->fields.sectors, by_hand->fields.sectors);

  // A file that leaves parts out keeps them; the same file again changes nothing.
  std::string sparse = Replace(Replace(retitled, R"(<activity-status code="2"/>)", ""),
                               R"(<recipient-country code="MX"/>)", "");
  auto kept = ImportIati(*db_, *s_, Principal::Cli(), sparse, false);
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->unchanged, 1);
  EXPECT_EQ(kept->items.at(0).action, "unchanged");
  EXPECT_EQ(s_->Get(Principal::Cli(), id)->version, after->version) << "not written";
  EXPECT_EQ(s_->Get(Principal::Cli(), id)->fields.countries, std::vector<std::string>{"MX"});

  // Archived stays archived, and untouched.
  ASSERT_TRUE(s_->Archive(Principal::Cli(), id).ok());
  auto archived = ImportIati(*db_, *s_, Principal::Cli(), file, false);
  ASSERT_TRUE(archived.ok()) << archived.error().message;
  EXPECT_EQ(archived->kept_archived, 1);
  EXPECT_EQ(archived->items.at(0).action, "kept_archived");
  EXPECT_EQ(Count("SELECT count(*) FROM activities WHERE archived_at IS NULL"), 0);
  EXPECT_FALSE(s_->Get(Principal::Cli(), id).ok()) << "archived";
  EXPECT_EQ(s_->List(Principal::Cli(), {}, 10, 0)->total, 0);
}

// Regression (issue 7, item 14): a focal point learnt whether another organisation's private
// activity had an identifier by importing it ("belongs to another organisation's activity").
TEST_F(IatiMappingTest, AFocalPointCannotProbeAnotherOrganisationsIdentifiers) {
  auto secret = ImportIati(*db_, *s_, Principal::Cli(),
                           File(Activity("XM-DAC-41302-SECRET", "XM-DAC-41302")), false);
  ASSERT_TRUE(secret.ok()) << secret.error().message;
  auto stored = s_->Get(Principal::Cli(), secret->items.at(0).activity_id);
  ActivityInput hide = stored->fields;
  hide.visibility = "organization";
  ASSERT_TRUE(s_->Update(Principal::Cli(), stored->id, stored->version, hide).ok());

  Principal fp;
  fp.role = Role::kFocalPoint;
  fp.organization_id = "unhcr";
  auto probe = [&](const std::string& identifier) {
    auto r = ImportIati(*db_, *s_, fp, File(Activity(identifier, "XM-DAC-41121")), true);
    if (r.ok()) return std::string("imported");
    std::string message = r.error().message;
    message.replace(message.find(identifier), identifier.size(), "ID");
    return std::to_string(static_cast<int>(r.error().code)) + " " + message;
  };
  std::string exists = probe("XM-DAC-41302-SECRET");
  std::string absent = probe("XM-DAC-41302-NOSUCH");
  EXPECT_NE(exists, "imported");
  EXPECT_EQ(exists, absent) << "the same answer whether it exists or not";
  EXPECT_NE(exists.find("must begin with your organisation's IATI identifier"), std::string::npos)
      << exists;
  EXPECT_EQ(probe("XM-DAC-41121-OWN"), "imported");
  EXPECT_EQ(probe("41121-OWN"), "imported") << "the short form of the same organisation";
  EXPECT_EQ(Count("SELECT count(*) FROM activities WHERE iati_identifier = 'XM-DAC-41302-SECRET' "
                  "AND organization_id = 'ilo'"),
            1);
}

// Regression (issue 7, defect 7): report rows are bounded; every activity is still counted.
TEST_F(IatiMappingTest, TheReportKeepsTheFirstRowsAndCountsAll) {
  std::string activities;
  size_t n = ImportReport::kMaxItems + 5;
  for (size_t i = 0; i < n; ++i) {
    activities += "<iati-activity><iati-identifier>X-" + std::to_string(i) +
                  "</iati-identifier><x/></iati-activity>\n";
  }
  auto r = ImportIati(*db_, *s_, Principal::Cli(), File(activities), true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->skipped, static_cast<int64_t>(n));
  EXPECT_EQ(r->items_total, static_cast<int64_t>(n));
  EXPECT_EQ(r->items.size(), ImportReport::kMaxItems);
  EXPECT_EQ(r->items.back().iati_identifier, "X-" + std::to_string(ImportReport::kMaxItems - 1));
  EXPECT_EQ(r->warnings.size(), 1000u);
  EXPECT_GT(r->warnings_total, static_cast<int64_t>(n));
}

TEST_F(IatiMappingTest, ADryRunReportsAndChangesNothing) {
  auto r = ImportIati(
      *db_, *s_, Principal::Cli(),
      File(Activity("XM-DAC-47066-D", "XM-DAC-47066") + Activity("NEW-ORG-1", "NEW-ORG")), true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->created, 2);
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM organizations WHERE kind = 'partner'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'import'"), 0);
}

// A file is decided and written a chunk at a time: what crosses chunks, and an identifier
// repeated within one (its second occurrence updates the first), behave as if each activity
// were stored as soon as it was read.
TEST_F(IatiMappingTest, ALargeFileIsImportedInFileOrderAcrossChunks) {
  const int n = 1100;
  std::string activities;
  for (int i = 0; i < n; ++i) {
    activities += Activity("XM-DAC-47066-C" + std::to_string(i), "XM-DAC-47066");
    if (i == 7) {
      activities +=
          Activity("XM-DAC-47066-C3", "XM-DAC-47066", R"(<recipient-country code="FR"/>)");
    }
  }
  auto first = ImportIati(*db_, *s_, Principal::Cli(), File(activities), false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->created, n);
  EXPECT_EQ(first->updated, 1);
  ASSERT_EQ(first->items.size(), static_cast<size_t>(n + 1));
  EXPECT_EQ(first->items[8].iati_identifier, "XM-DAC-47066-C3");
  EXPECT_EQ(first->items[8].action, "updated");
  EXPECT_EQ(first->items[8].changed, std::vector<std::string>{"countries"});
  EXPECT_EQ(first->items[8].activity_id, first->items[3].activity_id);
  for (size_t i = 1; i < first->items.size(); ++i) {
    if (i == 8) continue;
    EXPECT_EQ(first->items[i].action, "created");
    EXPECT_GT(first->items[i].activity_id, first->items[i == 9 ? 7 : i - 1].activity_id)
        << "ids follow the file";
  }
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), n);
  EXPECT_EQ(Count("SELECT count(*) FROM activity_places"), n + 1);
  EXPECT_EQ(Count("SELECT count(*) FROM activity_partners"), n);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'import'"), 1);
  // The same file again: C3 loses France at its first occurrence and gains it at its second.
  auto again = ImportIati(*db_, *s_, Principal::Cli(), File(activities), false);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 2);
  EXPECT_EQ(again->unchanged, n - 1);
  EXPECT_EQ(again->items[3].action, "updated");
  EXPECT_EQ(again->items[8].action, "updated");
  EXPECT_EQ(again->items[1000].action, "unchanged");
  ActivityFilter search;
  search.text = "C1099";
  auto found = s_->Search(Principal::Cli(), search, 10, 0);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->total, 1) << "the search index has the last chunk";
}

// An error after the first chunk rejects the whole file, earlier chunks too.
TEST_F(IatiMappingTest, AnErrorInALaterChunkRollsBackTheEarlierOnes) {
  std::string activities;
  for (int i = 0; i < 700; ++i)
    activities += Activity("XM-DAC-47066-E" + std::to_string(i), "XM-DAC-47066");
  activities += Activity("XM-DAC-47066-BAD", "XM-DAC-47066", R"(<recipient-country code="QQ"/>)");
  auto r = ImportIati(*db_, *s_, Principal::Cli(), File(activities), false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("XM-DAC-47066-BAD"), std::string::npos) << r.error().message;
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 0);
}

TEST_F(IatiMappingTest, ExportValidatesAgainstTheOfficialSchemaAndRoundTrips) {
  ASSERT_TRUE(ImportIati(*db_, *s_, Principal::Cli(), MigrationExample(), false).ok());
  ActivityInput manual;
  manual.organization_id = "ilo";
  manual.titles = {{"en", "Fair recruitment <pilot> & \"more\""}, {"fr", "Recrutement équitable"}};
  manual.type = "technical_assistance";
  manual.themes = {"labour-migration", "human-rights"};
  manual.countries = {"NP", "QA"};
  manual.regions = {"145", "LDC"};
  manual.starts_on = Date::Parse("2021-01-01");
  manual.ends_on = Date::Parse("2024-12-31");
  manual.budget_amount = 12345;
  manual.budget_currency = "CHF";
  manual.partners = {{"iom", "IOM", "implementing"}, {"", "A trade union", "funding"}};
  manual.links = {{"https://example.org/report?a=1&b=2", "Report"}};
  ASSERT_TRUE(s_->Create(Principal::Cli(), manual).ok());
  ActivityInput bare;
  bare.organization_id = "undesa";
  bare.titles = {{"en", "No dates, no places"}};
  bare.type = "research";
  ASSERT_TRUE(s_->Create(Principal::Cli(), bare).ok());

  std::string xml;
  ASSERT_TRUE(ExportIati(*db_, *s_, Principal::Cli(), {}, [&](std::string_view p) {
                xml.append(p);
                return true;
              }).ok());
  std::string path = (std::filesystem::temp_directory_path() / "gmg-export-test.xml").string();
  std::ofstream(path, std::ios::binary) << xml;
  std::string schema = std::string(GMG_SHARED_DIR) + "/reference/iati/iati-activities-schema.xsd";
  std::string cmd =
      "xmllint --noout --schema '" + schema + "' '" + path + "' 2>/tmp/gmg-export-test.log";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << ReadFile("/tmp/gmg-export-test.log");

  auto parsed = iati::Parse(xml);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->activities.size(), 3u);
  EXPECT_EQ(parsed->activities[0].iati_identifier, "AA-AAA-123456789-ABC123");
  EXPECT_EQ(parsed->activities[1].reporting_org.ref, "XM-DAC-41302");
  EXPECT_EQ(parsed->activities[1].titles.at(0).text, "Fair recruitment <pilot> & \"more\"");
  std::filesystem::remove(path);
}

// Exports what `viewer` sees as one string.
std::string ExportAll(Database& db, ActivityService& s) {
  std::string xml;
  EXPECT_TRUE(ExportIati(db, s, Principal::Cli(), {}, [&](std::string_view p) {
                xml.append(p);
                return true;
              }).ok());
  return xml;
}

// 0 when xmllint validates `xml` against the 2.03 schema (the log names what is wrong).
int Xsd(const std::string& xml) {
  std::string path = (std::filesystem::temp_directory_path() / "gmg-export-rt.xml").string();
  std::ofstream(path, std::ios::binary) << xml;
  std::string schema = std::string(GMG_SHARED_DIR) + "/reference/iati/iati-activities-schema.xsd";
  std::string cmd =
      "xmllint --noout --schema '" + schema + "' '" + path + "' 2>/tmp/gmg-export-rt.log";
  int status = std::system(cmd.c_str());
  std::filesystem::remove(path);
  return status;
}

// The official example, made about migration as MigrationExample does, goes in and comes out
// with the publisher's sectors and transaction as they were.
TEST_F(IatiMappingTest, TheOfficialExampleRoundTripsItsSectorsAndTransactions) {
  auto original = iati::Parse(MigrationExample());
  ASSERT_TRUE(original.ok());
  auto r = ImportIati(*db_, *s_, Principal::Cli(), MigrationExample(), false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->created, 1);
  std::string xml = ExportAll(*db_, *s_);
  EXPECT_EQ(Xsd(xml), 0) << ReadFile("/tmp/gmg-export-rt.log");
  EXPECT_EQ(xml.find("=\"\""), std::string::npos) << "no empty attribute";
  auto back = iati::Parse(xml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  const iati::Activity& a = original->activities.at(0);
  const iati::Activity& b = back->activities.at(0);
  // The example has its own vocabulary-99 sector: our themes go as tags, not as sectors.
  ASSERT_EQ(b.sectors.size(), a.sectors.size());
  for (size_t i = 0; i < a.sectors.size(); ++i) {
    EXPECT_EQ(b.sectors[i].vocabulary, a.sectors[i].vocabulary) << i;
    EXPECT_EQ(b.sectors[i].code, a.sectors[i].code) << i;
    EXPECT_EQ(b.sectors[i].percentage, a.sectors[i].percentage) << i;
    EXPECT_EQ(b.sectors[i].vocabulary_uri, a.sectors[i].vocabulary_uri) << i;
    EXPECT_EQ(b.sectors[i].narratives.size(), a.sectors[i].narratives.size()) << i;
  }
  bool theme_tag = std::any_of(b.tags.begin(), b.tags.end(), [](const iati::Coded& t) {
    return t.vocabulary == "99" && t.code == "migration-management";
  });
  EXPECT_TRUE(theme_tag);
  ASSERT_EQ(b.transactions.size(), a.transactions.size());
  const iati::Transaction& o = a.transactions.at(0);
  const iati::Transaction& t = b.transactions.at(0);
  EXPECT_EQ(t.ref, o.ref);
  EXPECT_EQ(t.humanitarian, o.humanitarian);
  EXPECT_EQ(t.type, o.type);
  EXPECT_EQ(t.date, o.date);
  EXPECT_EQ(t.value, o.value);
  EXPECT_EQ(t.currency, o.currency);
  EXPECT_EQ(t.value_date, o.value_date);
  EXPECT_EQ(t.descriptions.at(0).text, o.descriptions.at(0).text);
  EXPECT_EQ(t.provider.ref, o.provider.ref);
  EXPECT_EQ(t.provider.type, o.provider.type);
  EXPECT_EQ(t.provider.activity_id, o.provider.activity_id);
  EXPECT_EQ(t.provider.names.at(0).text, o.provider.names.at(0).text);
  EXPECT_EQ(t.receiver.ref, o.receiver.ref);
  EXPECT_EQ(t.receiver.type, o.receiver.type);
  EXPECT_EQ(t.receiver.activity_id, o.receiver.activity_id);
  EXPECT_EQ(t.disbursement_channel, o.disbursement_channel);
  ASSERT_EQ(t.sectors.size(), o.sectors.size());
  EXPECT_EQ(t.sectors[0].vocabulary, o.sectors[0].vocabulary);
  EXPECT_EQ(t.sectors[0].code, o.sectors[0].code);
  EXPECT_EQ(t.recipient_country, o.recipient_country);
  EXPECT_EQ(t.recipient_region.code, o.recipient_region.code);
  EXPECT_EQ(t.recipient_region.vocabulary, o.recipient_region.vocabulary);
  EXPECT_EQ(t.flow_type, o.flow_type);
  EXPECT_EQ(t.finance_type, o.finance_type);
  ASSERT_EQ(t.aid_types.size(), o.aid_types.size());
  for (size_t i = 0; i < o.aid_types.size(); ++i) {
    EXPECT_EQ(t.aid_types[i].code, o.aid_types[i].code);
    EXPECT_EQ(t.aid_types[i].vocabulary, o.aid_types[i].vocabulary);
  }
  EXPECT_EQ(t.tied_status, o.tied_status);
  // The reporting organisation (a partner here) keeps the type its file gave.
  EXPECT_EQ(b.reporting_org.type, "40");

  // The same file again changes nothing.
  auto again = ImportIati(*db_, *s_, Principal::Cli(), MigrationExample(), false);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->unchanged, 1);
}

// What a real IOM activity showed: DAC 72010 in, only our themes out, and type="" written for
// a reporting organisation that gave no type.
TEST_F(IatiMappingTest, ADacSectorGoesOutAsItCameWithOurThemesBesideIt) {
  std::string iom = Replace(
      Activity("XM-DAC-47066-IDP", "XM-DAC-47066"), R"(<sector vocabulary="1" code="24050"/>)",
      R"(<sector code="72010" percentage="100"><narrative>Material relief</narrative></sector>)");
  iom = Replace(iom, R"(type="40")", "");
  std::string partner = Replace(Activity("XX-NOTYPE-1", "XX-NOTYPE"), R"( type="40")", "");
  ASSERT_TRUE(ImportIati(*db_, *s_, Principal::Cli(), File(iom + partner), false).ok());
  std::string xml = ExportAll(*db_, *s_);
  EXPECT_EQ(xml.find("=\"\""), std::string::npos) << xml;
  auto back = iati::Parse(xml);
  ASSERT_TRUE(back.ok()) << back.error().message;
  const iati::Activity* idp = nullptr;
  const iati::Activity* other = nullptr;
  for (const auto& a : back->activities) {
    if (a.iati_identifier == "XM-DAC-47066-IDP") idp = &a;
    if (a.iati_identifier == "XX-NOTYPE-1") other = &a;
  }
  ASSERT_TRUE(idp && other);
  ASSERT_GE(idp->sectors.size(), 1u);
  EXPECT_EQ(idp->sectors[0].code, "72010");
  EXPECT_EQ(idp->sectors[0].vocabulary, "");
  EXPECT_EQ(idp->sectors[0].percentage, 100);
  EXPECT_EQ(idp->sectors[0].narratives.at(0).text, "Material relief");
  // Our themes as their own vocabulary-99 block, summing to 100.
  double sum = 0;
  std::vector<std::string> themes;
  for (const auto& sc : idp->sectors) {
    if (sc.vocabulary == "99") {
      sum += sc.percentage;
      themes.push_back(sc.code);
    }
  }
  EXPECT_EQ(themes, (std::vector<std::string>{"internal-displacement", "refugee-protection",
                                              "remittances"}));  // SDG 10.c too
  EXPECT_DOUBLE_EQ(sum, 100);
  EXPECT_EQ(idp->reporting_org.type, "40") << "a member is multilateral";
  EXPECT_EQ(other->reporting_org.type, "") << "none given, none invented";
}

TEST_F(IatiMappingTest, AReimportWithOtherSectorsOrTransactionsUpdatesThem) {
  const std::string paid =
      R"(<transaction><transaction-type code="3"/><transaction-date iso-date="2021-06-01"/><value>900</value></transaction>)";
  std::string first =
      Activity("XM-DAC-47066-S", "XM-DAC-47066",
               R"(<sector vocabulary="99" code="X1"><narrative>Own</narrative></sector>)");
  ASSERT_TRUE(ImportIati(*db_, *s_, Principal::Cli(), File(first), false).ok());
  std::string second =
      Replace(Replace(first, R"(code="X1")", R"(code="X2")"), "</budget>\n</iati-activity>",
              "</budget>\n" + paid + "</iati-activity>");
  auto r = ImportIati(*db_, *s_, Principal::Cli(), File(second), false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->updated, 1);
  const auto& changed = r->items.at(0).changed;
  EXPECT_NE(std::find(changed.begin(), changed.end(), "sectors"), changed.end());
  EXPECT_NE(std::find(changed.begin(), changed.end(), "transactions"), changed.end());
  auto stored = s_->Get(Principal::Cli(), r->items[0].activity_id);
  ASSERT_TRUE(stored.ok());
  const ActivityInput& f = stored->fields;
  ASSERT_EQ(f.sectors.size(), 2u);
  EXPECT_EQ(f.sectors[0].code, "24050");  // every vocabulary kept, in the file's order
  EXPECT_EQ(f.sectors[1].code, "X2");
  EXPECT_EQ(f.sectors[1].narrative, "Own");
  ASSERT_EQ(f.transactions.size(), 1u);
  EXPECT_EQ(f.transactions[0].value, 900);
  EXPECT_EQ(f.transactions[0].currency, "USD") << "the activity's default-currency";
  EXPECT_TRUE(f.tags.end() ==
              std::find_if(f.tags.begin(), f.tags.end(),
                           [](const auto& t) { return t.first.rfind("sector-", 0) == 0; }))
      << "no sector tags any more";
  // A file that says nothing of transactions keeps the stored ones.
  auto third = ImportIati(*db_, *s_, Principal::Cli(), File(first), false);
  ASSERT_TRUE(third.ok());
  auto kept = s_->Get(Principal::Cli(), r->items[0].activity_id);
  EXPECT_EQ(kept->fields.transactions.size(), 1u);
  EXPECT_EQ(kept->fields.sectors.at(1).code, "X1");
}

}  // namespace
}  // namespace gmg
