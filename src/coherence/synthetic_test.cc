#include "coherence/synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "activities/demo.h"
#include "activities/iati_mapping.h"
#include "app/testing.h"
#include "coherence/text_features.h"
#include "interop/iati.h"

namespace gmg::coherence {
namespace {

std::string Xml(const SyntheticCorpus& corpus) {
  std::string xml;
  WriteIati(
      corpus, [&](std::string_view piece) { xml.append(piece); }, "2026-11-30T00:00:00Z");
  return xml;
}

// One record as the IATI file writes it.
std::string XmlOf(const Record& r) {
  SyntheticCorpus one;
  one.records = {r};
  return Xml(one);
}

bool Overlaps(const Record& a, const Record& b) {
  return a.starts_on && b.starts_on && a.ends_on && b.ends_on && *a.starts_on <= *b.ends_on &&
         *b.starts_on <= *a.ends_on;
}

bool SharePlace(const Record& a, const Record& b) {
  auto share = [](const std::vector<std::string>& x, const std::vector<std::string>& y) {
    for (const auto& v : x)
      if (std::find(y.begin(), y.end(), v) != y.end()) return true;
    return false;
  };
  return (a.is_global && b.is_global) || share(a.countries, b.countries) ||
         share(a.regions, b.regions);
}

TEST(SyntheticTest, TheSameSeedGivesTheSameCorpusAndAnotherSeedAnother) {
  SyntheticCorpus a = Generate(500, 7);
  SyntheticCorpus b = Generate(500, 7);
  SyntheticCorpus c = Generate(500, 8);
  EXPECT_EQ(Xml(a), Xml(b));
  EXPECT_EQ(LabelsCsv(a, false), LabelsCsv(b, false));
  EXPECT_NE(Xml(a), Xml(c));
}

TEST(SyntheticTest, HasNRecordsWithIdsOneToNAndThePlantedCounts) {
  SyntheticCorpus corpus = Generate(1000, 3);
  ASSERT_EQ(corpus.records.size(), 1000u);
  for (size_t i = 0; i < corpus.records.size(); ++i)
    EXPECT_EQ(corpus.records[i].id, static_cast<int64_t>(i + 1));
  std::map<std::string, int> per_category;
  for (const PlantedPair& p : corpus.pairs) per_category[p.category]++;
  for (std::string_view category : kPlantedCategories)
    EXPECT_EQ(per_category[std::string(category)], 10) << category;  // 1 % of 1000
  // Tiny corpora still plant one pair of each when they can, and never more records than n.
  EXPECT_EQ(Generate(10, 1).pairs.size(), 5u);
  EXPECT_EQ(Generate(10, 1).records.size(), 10u);
  EXPECT_TRUE(Generate(3, 1).pairs.empty());
  EXPECT_EQ(Generate(3, 1).records.size(), 3u);
}

TEST(SyntheticTest, PlantedPairsAreWhatTheirCategorySays) {
  SyntheticCorpus corpus = Generate(2000, 11);
  std::set<int64_t> seen;
  for (const PlantedPair& p : corpus.pairs) {
    ASSERT_LT(p.a, p.b);
    EXPECT_TRUE(seen.insert(p.a).second && seen.insert(p.b).second) << "a record in two pairs";
    const Record& a = corpus.records[static_cast<size_t>(p.a - 1)];
    const Record& b = corpus.records[static_cast<size_t>(p.b - 1)];
    SCOPED_TRACE(p.category + " " + a.titles[0].text + " | " + b.titles[0].text);
    EXPECT_NE(a.organization_id, b.organization_id);
    EXPECT_TRUE(SharePlace(a, b));
    EXPECT_TRUE(Overlaps(a, b));
    std::string_view expected = ExpectedClassOf(p.category);
    if (expected == "duplication") {
      EXPECT_EQ(a.type, b.type);
      EXPECT_EQ(a.themes, b.themes);
      EXPECT_EQ(a.sectors, b.sectors);
      EXPECT_EQ(a.countries, b.countries);
    }
    if (p.category == "near_identical" || p.category == "paraphrase") {
      EXPECT_EQ(a.titles[0].lang, b.titles[0].lang);
    }
    if (p.category == "paraphrase") {
      EXPECT_NE(a.descriptions[0].text, b.descriptions[0].text);
    }
    if (p.category == "two_languages") {
      EXPECT_NE(a.titles[0].lang, b.titles[0].lang);
      EXPECT_TRUE(a.titles[0].lang == "en" || b.titles[0].lang == "en");
    }
    if (p.category == "synergy" || p.category == "decoy") {
      EXPECT_NE(a.type, b.type);
      EXPECT_EQ(a.themes.front(), b.themes.front()) << "the same topic";
    }
    if (p.category == "decoy") {
      EXPECT_EQ(a.themes, b.themes);
    }
  }
}

// The project's name at the end of a title, "" when it has none.
std::string ProjectOf(const Record& r) {
  const std::string& t = r.titles[0].text;
  size_t open = t.rfind(" (");
  while (open != std::string::npos) {
    std::string name = t.substr(open + 2, t.find(')', open) - open - 2);
    if (name.size() == 7 && std::all_of(name.begin(), name.end(), ::isupper)) return name;
    open = open == 0 ? std::string::npos : t.rfind(" (", open - 1);
  }
  return "";
}

TEST(SyntheticTest, EveryProjectNameIsOneTermInEveryLanguage) {
  std::set<std::string> names;
  for (uint32_t i = 0; i < kProjectNameCount; ++i) {
    std::string name = ProjectName(i);
    ASSERT_EQ(name.size(), 7U);
    names.insert(name);
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* lang : {"en", "fr", "es"}) ASSERT_EQ(Stem(lang, lower), lower) << lang;
  }
  EXPECT_EQ(names.size(), kProjectNameCount);
  EXPECT_EQ(ProjectName(kProjectNameCount), ProjectName(0));
}

TEST(SyntheticTest, PlantedPairsShareAProjectsNameAsTheirCategorySays) {
  SyntheticCorpus corpus = Generate(6000, 11);
  std::map<std::string, int> uses;
  for (const Record& r : corpus.records) {
    std::string name = ProjectOf(r);
    ASSERT_FALSE(name.empty()) << r.titles[0].text;
    ++uses[name];
  }
  std::map<std::string, std::pair<int, int>> same;  // category -> {sharing, pairs}
  size_t sharing = 0;
  for (const PlantedPair& p : corpus.pairs) {
    const Record& a = corpus.records[static_cast<size_t>(p.a - 1)];
    const Record& b = corpus.records[static_cast<size_t>(p.b - 1)];
    EXPECT_EQ(ProjectOf(a) == ProjectOf(b), p.same_project) << p.category;
    same[p.category].first += p.same_project ? 1 : 0;
    same[p.category].second += 1;
    sharing += p.same_project ? 1 : 0;
  }
  // 60 pairs per category: shares of 0.75, 0.5 and 0.25, never all or none.
  for (std::string_view c : kPlantedCategories) {
    auto [n, pairs] = same[std::string(c)];
    double expected = SameProjectShare(c) * pairs;
    EXPECT_GT(n, 0) << c;
    EXPECT_LT(n, pairs) << c;
    EXPECT_NEAR(n, expected, 12) << c;
  }
  // Names other than the shared ones rarely meet (274,625 of them for 6,000 records).
  size_t repeated = 0;
  for (const auto& [name, n] : uses) repeated += n > 1 ? n - 1 : 0;
  EXPECT_GE(repeated, sharing);
  EXPECT_LE(repeated, sharing + 150);
}

TEST(SyntheticTest, WithoutProjectNamesTheCorpusIsTheSameRecordForRecord) {
  SyntheticCorpus with = Generate(1000, 4);
  SyntheticCorpus without = Generate(1000, 4, {.project_names = false});
  ASSERT_EQ(with.records.size(), without.records.size());
  EXPECT_EQ(LabelsCsv(with, false), LabelsCsv(without, false));
  for (const PlantedPair& p : without.pairs) EXPECT_FALSE(p.same_project);
  for (size_t i = 0; i < with.records.size(); ++i) {
    Record a = with.records[i];
    const Record& b = without.records[i];
    EXPECT_EQ(ProjectOf(b), "");
    std::string suffix = " (" + ProjectOf(a) + ")";
    size_t at = a.titles[0].text.find(suffix);
    ASSERT_NE(at, std::string::npos) << a.titles[0].text;
    a.titles[0].text.erase(at, suffix.size());
    EXPECT_EQ(XmlOf(a), XmlOf(b)) << i;  // every field the file holds
  }
}

TEST(SyntheticTest, TextsComeInThreeLanguagesWithTheirCountryNames) {
  SyntheticCorpus corpus = Generate(3000, 5);
  std::map<std::string, int> langs;
  bool french_nigeria = false;
  for (const Record& r : corpus.records) {
    langs[r.titles[0].lang]++;
    if (r.titles[0].lang == "fr" && r.titles[0].text.find("Nigéria") != std::string::npos)
      french_nigeria = true;
    EXPECT_FALSE(r.titles[0].text.empty());
    EXPECT_EQ(r.titles[0].text.find('{'), std::string::npos) << "an unfilled slot";
  }
  EXPECT_GT(langs["en"], 1500);
  EXPECT_GT(langs["fr"], 300);
  EXPECT_GT(langs["es"], 200);
  EXPECT_TRUE(french_nigeria);
}

TEST(SyntheticTest, LabelsNameThePairsByIdOrByIatiIdentifier) {
  SyntheticCorpus corpus = Generate(200, 2);
  std::istringstream ids(LabelsCsv(corpus, false));
  std::istringstream iati(LabelsCsv(corpus, true));
  std::string line_ids, line_iati;
  std::getline(ids, line_ids);
  std::getline(iati, line_iati);
  EXPECT_EQ(line_ids, "a,b,category,expected_class");
  EXPECT_EQ(line_iati, line_ids);
  for (const PlantedPair& p : corpus.pairs) {
    ASSERT_TRUE(std::getline(ids, line_ids));
    ASSERT_TRUE(std::getline(iati, line_iati));
    const Record& a = corpus.records[static_cast<size_t>(p.a - 1)];
    EXPECT_EQ(line_ids, std::to_string(p.a) + "," + std::to_string(p.b) + "," + p.category + "," +
                            std::string(ExpectedClassOf(p.category)));
    EXPECT_EQ(line_iati.rfind(SyntheticIatiIdentifier(a, 2) + ",", 0), 0u) << line_iati;
  }
  EXPECT_FALSE(std::getline(ids, line_ids));
  EXPECT_EQ(SyntheticIatiIdentifier(corpus.records[0], 2).rfind("XM-", 0), 0u);
}

TEST(SyntheticTest, TheFileIsIati203AndImportsEveryActivity) {
  SyntheticCorpus corpus = Generate(300, 9);
  std::string xml = Xml(corpus);
  auto parsed = iati::Parse(xml);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->version, "2.03");
  ASSERT_EQ(parsed->activities.size(), 300u);

  std::unique_ptr<Database> db = OpenSeededDatabaseForTesting();
  ASSERT_TRUE(SeedThemes(*db).ok());
  ActivityService activities(*db);
  auto report = ImportIati(*db, activities, Principal::Cli(), xml, false);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->created, 300);
  EXPECT_EQ(report->skipped, 0);
  // The labels' identifiers are the stored activities'.
  std::set<std::string> stored;
  for (const ImportItem& item : report->items) stored.insert(item.iati_identifier);
  for (const PlantedPair& p : corpus.pairs) {
    EXPECT_TRUE(stored.count(
        SyntheticIatiIdentifier(corpus.records[static_cast<size_t>(p.a - 1)], corpus.seed)));
  }
  // A member's activity, as the activity map would take it (partners join the registry on
  // import, under a name the import chooses).
  const Record* member = nullptr;
  for (const Record& r : corpus.records)
    if (r.organization_id == "iom") member = &r;
  ASSERT_NE(member, nullptr);
  ActivityInput in = InputOf(*member, corpus.seed);
  EXPECT_TRUE(stored.count(in.iati_identifier));
  in.iati_identifier += "-input";  // a new activity, not the imported one
  Status valid = db->Read([&](Tx& tx) { return activities.ValidateInTx(tx, in); });
  EXPECT_TRUE(valid.ok()) << valid.error().message;
}

// `gmg demo load` gives real findings: the demo set's three planted overlaps across
// organisations are found, as what they are (the coherence module builds its records from the
// activities much as this does).
TEST(SyntheticTest, TheDemoSetsOverlapsAreFindings) {
  std::unique_ptr<Database> db = OpenSeededDatabaseForTesting();
  ASSERT_TRUE(SeedThemes(*db).ok());
  ActivityService activities(*db);
  ASSERT_TRUE(LoadDemoActivities(*db, activities).ok());
  std::vector<Record> records;
  std::map<std::string, int64_t> id_of;  // by title
  Status listed = activities.ForEach(Principal::Cli(), {}, [&](const Activity& a) {
    const ActivityInput& f = a.fields;
    Record r;
    r.id = a.id;
    r.version = a.version;
    r.organization_id = f.organization_id;
    r.type = f.type;
    r.themes = f.themes;
    r.countries = f.countries;
    r.regions = f.regions;
    r.is_global = f.is_global;
    r.starts_on = f.starts_on;
    r.ends_on = f.ends_on;
    for (const Partner& p : f.partners) r.partners.push_back(p.organization_id);
    r.budget = f.budget_amount;
    r.currency = f.budget_currency;
    for (const auto& t : f.titles) r.titles.push_back({t.lang, t.text});
    for (const auto& t : f.descriptions) r.descriptions.push_back({t.lang, t.text});
    id_of[f.titles.front().text] = a.id;
    records.push_back(std::move(r));
    return true;
  });
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  OverlapEngine engine;
  engine.Analyse(std::move(records));
  auto finding = [&](const char* a, const char* b) {
    auto ia = id_of.find(std::string("[Demo] ") + a);
    auto ib = id_of.find(std::string("[Demo] ") + b);
    EXPECT_TRUE(ia != id_of.end() && ib != id_of.end()) << a << " / " << b;
    if (ia == id_of.end() || ib == id_of.end()) return std::string("missing");
    auto f = engine.FindingOf(ia->second, ib->second);
    return f ? std::string(FindingClassName(f->finding_class)) : std::string("none");
  };
  EXPECT_EQ(finding("Training border officials on counter-trafficking in Nigeria",
                    "Counter-trafficking training for border and immigration officers, Nigeria"),
            "duplication");
  EXPECT_EQ(finding("Labour migration from Nepal: recruitment costs and outcomes",
                    "Technical assistance to Nepal's labour migration governance"),
            "synergy");
  EXPECT_EQ(finding("Displacement tracking in Burkina Faso",
                    "Suivi des personnes déplacées internes au Burkina Faso"),
            "duplication");
}

}  // namespace
}  // namespace gmg::coherence
