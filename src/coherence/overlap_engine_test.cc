#include "coherence/overlap_engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace gmg::coherence {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Record MakeRecord(int64_t id, std::string org, std::string type, std::string title,
                  std::string description, std::string lang = "en") {
  Record r;
  r.id = id;
  r.version = 1;
  r.organization_id = std::move(org);
  r.type = std::move(type);
  r.themes = {"counter-trafficking"};
  r.countries = {"NG"};
  r.starts_on = D("2024-01-01");
  r.ends_on = D("2025-12-31");
  r.titles = {{lang, std::move(title)}};
  r.descriptions = {{lang, std::move(description)}};
  return r;
}

Record BorderTraining(int64_t id, std::string org) {
  Record r = MakeRecord(id, std::move(org), "training",
                        "Training border officials on counter-trafficking in Nigeria",
                        "Workshops for border police and prosecutors in Lagos and Kano on the "
                        "identification and referral of victims of human trafficking.");
  r.sectors = {"1:15190"};
  return r;
}

TEST(OverlapScoreTest, NearIdenticalActivitiesAreDuplication) {
  Record a = BorderTraining(1, "iom");
  Record b = BorderTraining(2, "unodc");
  b.titles[0].text = "Training of border officials on counter-trafficking, Nigeria";
  auto f = ScorePair(a, b, Model::Defaults());
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->finding_class, FindingClass::kDuplication);
  EXPECT_GT(f->probability, 0.9);
  EXPECT_GT(f->text_similarity, 0.8);
  ASSERT_EQ(f->contributions.size(), static_cast<size_t>(kComparisonCount));
  double sum = Model::Defaults().prior_weight;
  for (int k = 0; k < kComparisonCount; ++k) {
    EXPECT_EQ(f->contributions[k].comparison, static_cast<Comparison>(k));
    sum += f->contributions[k].weight;
  }
  EXPECT_NEAR(sum, f->weight, 1e-9);
  EXPECT_EQ(f->contributions[0].level, "same_country");
  EXPECT_EQ(f->contributions[3].level, "same");
  EXPECT_EQ(f->contributions[6].level, "unknown");  // no partners: says nothing
  EXPECT_EQ(f->contributions[6].weight, 0);
  EXPECT_EQ(f->shared_countries, std::vector<std::string>{"NG"});
  EXPECT_EQ(f->overlap_from, D("2024-01-01"));
  EXPECT_EQ(f->overlap_to, D("2025-12-31"));
}

TEST(OverlapScoreTest, SameWorkInEnglishAndFrenchWithTheSameCodesIsDuplication) {
  Record en = BorderTraining(1, "iom");
  Record fr = MakeRecord(2, "unodc", "training",
                         "Formation des agents des frontières à la lutte contre la traite au "
                         "Nigeria",
                         "Ateliers pour la police des frontières et les procureurs à Lagos et Kano "
                         "sur l'identification et l'orientation des victimes de la traite des "
                         "personnes.",
                         "fr");
  fr.sectors = {"1:15190"};
  auto f = ScorePair(en, fr, Model::Defaults());
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->finding_class, FindingClass::kDuplication);
  EXPECT_GT(f->probability, 0.5);
  EXPECT_GE(f->text_similarity, 0.2);
}

TEST(OverlapScoreTest, SameWorkInEnglishAndSpanishIsDuplicationButADecoyIsNot) {
  auto make = [](int64_t id, std::string org, std::string lang, std::string title,
                 std::string description) {
    Record r = MakeRecord(id, std::move(org), "technical_assistance", std::move(title),
                          std::move(description), std::move(lang));
    r.themes = {"labour-migration"};
    r.countries = {"GT"};
    r.sectors = {"1:16020"};
    return r;
  };
  Record en = make(1, "ilo", "en", "Fair recruitment of migrant workers in Guatemala",
                   "Support to the Ministry of Labour to regulate private recruitment agencies, "
                   "reduce recruitment fees and protect seasonal migrant workers.");
  Record es = make(2, "iom", "es", "Contratación equitativa de trabajadores migrantes en Guatemala",
                   "Apoyo al Ministerio de Trabajo para regular las agencias privadas de "
                   "contratación, reducir las tarifas y proteger a los trabajadores temporeros.");
  Record decoy = make(3, "unicef", "en", "Birth registration campaign in Guatemala",
                      "Mobile civil registration units visit rural municipalities to register "
                      "children and issue birth certificates.");
  auto f = ScorePair(en, es, Model::Defaults());
  ASSERT_TRUE(f);
  EXPECT_EQ(f->finding_class, FindingClass::kDuplication);
  EXPECT_GT(f->probability, 0.9);
  EXPECT_LE(f->text_similarity, 0.75 + 1e-9);  // concepts alone: at most 0.75
  auto g = ScorePair(en, decoy, Model::Defaults());
  ASSERT_TRUE(g);
  EXPECT_LT(g->probability, 0.5);
  EXPECT_EQ(g->contributions[4].level, "lt20");
  // The engine meets the two-language pair through its blocks (same codes).
  OverlapEngine engine;
  engine.Analyse({en, es, decoy});
  ASSERT_EQ(engine.Findings().size(), 1U);
  EXPECT_EQ(engine.Findings()[0].b, 2);
}

TEST(OverlapScoreTest, ResearchAndTechnicalAssistanceOnTheSameWorkIsSynergy) {
  Record research =
      MakeRecord(1, "unhcr", "research", "Study of trafficking routes and victims in Nigeria",
                 "Research on the routes of human trafficking, the profile of "
                 "victims and the response of border police in Nigeria.");
  Record assistance = MakeRecord(2, "unodc", "technical_assistance",
                                 "Technical assistance to border police against trafficking",
                                 "Advice to the border police of Nigeria on the response to human "
                                 "trafficking routes and the referral of victims.");
  auto f = ScorePair(research, assistance, Model::Defaults());
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->finding_class, FindingClass::kSynergy);
  EXPECT_GT(f->probability, 0.5);
  EXPECT_EQ(f->contributions[3].level, "complementary");
}

TEST(OverlapScoreTest, DecoyOfTheSamePlaceAndThemeIsNoFinding) {
  Record a = BorderTraining(1, "iom");
  Record decoy = MakeRecord(2, "ilo", "event", "Annual conference on fair recruitment",
                            "A regional meeting of employers' federations about recruitment fees "
                            "and labour inspection.");
  auto f = ScorePair(a, decoy, Model::Defaults());
  ASSERT_TRUE(f.has_value());
  EXPECT_LT(f->probability, 0.5);
  // Even of the same type, unrelated texts are not enough.
  decoy.type = "training";
  decoy.sectors = {"1:15190"};
  f = ScorePair(a, decoy, Model::Defaults());
  ASSERT_TRUE(f.has_value());
  EXPECT_LT(f->probability, 0.5);
}

TEST(OverlapScoreTest, SameOrganisationIsNeverAFinding) {
  EXPECT_FALSE(ScorePair(BorderTraining(1, "iom"), BorderTraining(2, "iom"), Model::Defaults()));
}

TEST(OverlapScoreTest, LevelsAndComplementaryTypes) {
  EXPECT_EQ(LevelsOf(Comparison::kPlaces).front(), "same_country");
  EXPECT_EQ(LevelsOf(Comparison::kText).back(), "empty");
  EXPECT_TRUE(AreComplementaryTypes("technical_assistance", "research"));
  EXPECT_TRUE(AreComplementaryTypes("training", "operational_programme"));
  EXPECT_FALSE(AreComplementaryTypes("training", "event"));
  EXPECT_FALSE(AreComplementaryTypes("training", "training"));
  EXPECT_EQ(ParseVerdict("dismissed"), Verdict::kDismissed);
  EXPECT_FALSE(ParseVerdict("maybe"));
  Model m = Model::Defaults();
  EXPECT_GT(m.WeightOf(Comparison::kPlaces, "same_country"), 0);
  EXPECT_LT(m.WeightOf(Comparison::kPlaces, "none"), 0);
  EXPECT_EQ(m.WeightOf(Comparison::kPlaces, "unknown"), 0);
  EXPECT_EQ(m.WeightOf(Comparison::kPlaces, "nonsense"), 0);
}

// A random corpus with planted near-duplicates, translations and complementary pairs over a
// few places, themes and years (and some global or placeless records).
std::vector<Record> RandomCorpus(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  // Words made of syllables: a vocabulary large enough that unrelated texts share little.
  static const char* const kSyllables[] = {"ka", "ro", "mi",  "te",  "lu",  "sa",  "po", "ni",
                                           "ve", "da", "gor", "lin", "bar", "tum", "sel"};
  std::vector<std::string> words;
  for (size_t a = 0; a < std::size(kSyllables); ++a) {
    for (size_t b = 0; b < std::size(kSyllables); ++b) {
      words.push_back(std::string(kSyllables[a]) + kSyllables[b] + "n");
    }
  }
  static const char* const kTypes[] = {"research",
                                       "data_statistics",
                                       "technical_assistance",
                                       "training",
                                       "policy_dialogue",
                                       "operational_programme",
                                       "normative",
                                       "event"};
  static const char* const kCountries[] = {"NG", "GH", "SN", "ML", "NE", "MA"};
  static const char* const kThemes[] = {"counter-trafficking", "labour-migration",
                                        "refugee-protection", "remittances"};
  static const char* const kOrgs[] = {"iom", "unhcr", "ilo", "unodc", "undp", "unicef"};
  auto pick = [&](auto& array) {
    return array[std::uniform_int_distribution<size_t>(0, std::size(array) - 1)(rng)];
  };
  auto sentence = [&](int count) {
    std::string s;
    for (int k = 0; k < count; ++k) {
      s += std::string(k ? " " : "") +
           words[std::uniform_int_distribution<size_t>(0, words.size() - 1)(rng)];
    }
    return s;
  };
  std::vector<Record> out;
  while (out.size() < n) {
    Record r;
    r.id = static_cast<int64_t>(out.size()) + 1;
    r.version = 1;
    r.organization_id = pick(kOrgs);
    r.type = pick(kTypes);
    r.themes = {pick(kThemes)};
    if (rng() % 3 == 0) r.themes.push_back(pick(kThemes));
    int place = static_cast<int>(rng() % 20);
    if (place == 0) {
      r.is_global = true;
    } else if (place == 1) {
      r.regions = {"002"};
    } else if (place > 2) {
      r.countries = {pick(kCountries)};
    }
    int year = 2018 + static_cast<int>(rng() % 6);
    r.starts_on = Date::FromCivil(year, 1 + rng() % 12, 1);
    r.ends_on = r.starts_on->AddMonths(6 + static_cast<int>(rng() % 30));
    r.titles = {{"en", sentence(4)}};
    r.descriptions = {{"en", sentence(12)}};
    if (rng() % 2 == 0) r.sectors = {std::string("1:1519") + std::to_string(rng() % 3)};
    if (rng() % 3 == 0) r.partners = {pick(kOrgs)};
    if (rng() % 2 == 0) {
      r.budget = 10000.0 * (1 + rng() % 100);
      r.currency = "USD";
    }
    out.push_back(r);
    // A planted twin: another organisation, the same work (sometimes edited, re-typed,
    // moved or given no texts).
    if (rng() % 4 == 0 && out.size() < n) {
      Record twin = r;
      twin.id = static_cast<int64_t>(out.size()) + 1;
      twin.organization_id = pick(kOrgs);
      int variant = static_cast<int>(rng() % 5);
      if (variant == 1) twin.titles[0].text += " " + sentence(2);
      if (variant == 2) twin.type = pick(kTypes);
      if (variant == 3) twin.countries = {pick(kCountries)};
      if (variant == 4) twin.descriptions.clear();
      out.push_back(twin);
    }
  }
  return out;
}

std::set<std::pair<int64_t, int64_t>> PairsOf(const std::vector<Finding>& findings) {
  std::set<std::pair<int64_t, int64_t>> out;
  for (const auto& f : findings) out.emplace(f.a, f.b);
  return out;
}

TEST(OverlapEngineTest, FindingsEqualBruteForceScoringOnARandomCorpus) {
  auto corpus = RandomCorpus(300, 7);
  Options options;
  options.threads = 2;
  OverlapEngine engine(options);
  engine.Analyse(corpus);
  std::set<std::pair<int64_t, int64_t>> expected;
  std::map<std::pair<int64_t, int64_t>, double> probability;
  for (size_t i = 0; i < corpus.size(); ++i) {
    for (size_t j = i + 1; j < corpus.size(); ++j) {
      auto f = ScorePair(corpus[i], corpus[j], Model::Defaults());
      if (f && f->probability >= options.min_probability) {
        expected.emplace(f->a, f->b);
        probability[{f->a, f->b}] = f->probability;
      }
    }
  }
  auto findings = engine.Findings();
  ASSERT_GT(expected.size(), 20U);
  EXPECT_EQ(PairsOf(findings), expected);  // recall and precision 1.0 against brute force
  auto got = PairsOf(findings);
  for (const auto& p : expected) {
    if (got.contains(p)) continue;
    auto f = *ScorePair(corpus[p.first - 1], corpus[p.second - 1], Model::Defaults());
    std::string levels;
    for (const auto& c : f.contributions) levels += c.level + " ";
    ADD_FAILURE() << "missed " << p.first << "-" << p.second << " p=" << f.probability << " "
                  << levels << " sim=" << f.text_similarity;
  }
  for (const auto& f : findings) {
    EXPECT_NEAR(f.probability, (probability[{f.a, f.b}]), 1e-9);
    EXPECT_LT(f.a, f.b);
  }
  EXPECT_TRUE(std::is_sorted(findings.begin(), findings.end(), [](const auto& x, const auto& y) {
    return x.probability > y.probability;
  }));
  Stats stats = engine.stats();
  EXPECT_EQ(stats.records, 300U);
  EXPECT_EQ(stats.findings, findings.size());
  EXPECT_LT(stats.candidates, 300U * 299U / 2);  // blocking spared some pairs
}

TEST(OverlapEngineTest, BriefsAreTheFindingsInTheirOrderAfterAnalysisAndUpserts) {
  auto corpus = RandomCorpus(300, 7);
  OverlapEngine engine;
  engine.Analyse(corpus);
  engine.Upsert(BorderTraining(1, "iom"));
  engine.Upsert(BorderTraining(2, "unodc"));
  engine.Remove(3);
  auto findings = engine.Findings();
  auto briefs = engine.Briefs();
  ASSERT_GT(findings.size(), 20U);
  ASSERT_EQ(briefs.size(), findings.size());
  size_t with_period = 0;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    EXPECT_EQ(briefs[i].a, f.a);
    EXPECT_EQ(briefs[i].b, f.b);
    EXPECT_EQ(briefs[i].probability, f.probability);  // the same sum, not merely near
    EXPECT_EQ(briefs[i].cluster, f.cluster);
    EXPECT_EQ(briefs[i].finding_class, f.finding_class);
    auto common = CommonPeriod(*engine.Find(f.a), *engine.Find(f.b));
    EXPECT_EQ(common.has_value(), f.overlap_from.has_value());
    if (!common) continue;
    ++with_period;
    EXPECT_EQ(common->first, *f.overlap_from);
    EXPECT_EQ(common->second, *f.overlap_to);
  }
  EXPECT_GT(with_period, 0U);
}

TEST(OverlapEngineTest, CommonPeriodIsTheOverlapOfTwoPeriodsOrNone) {
  Record a = BorderTraining(1, "iom");
  Record b = BorderTraining(2, "unodc");
  a.starts_on = Date::Parse("2024-01-01");
  a.ends_on = Date::Parse("2024-12-31");
  b.starts_on = Date::Parse("2024-06-01");
  b.ends_on = Date::Parse("2025-12-31");
  auto common = CommonPeriod(a, b);
  ASSERT_TRUE(common.has_value());
  EXPECT_EQ(common->first.ToString(), "2024-06-01");
  EXPECT_EQ(common->second.ToString(), "2024-12-31");
  b.starts_on = Date::Parse("2025-01-01");
  EXPECT_FALSE(CommonPeriod(a, b).has_value());
  b.starts_on.reset();
  b.ends_on = Date::Parse("2024-03-01");  // one date: the year up to it
  common = CommonPeriod(a, b);
  ASSERT_TRUE(common.has_value());
  EXPECT_EQ(common->first.ToString(), "2024-01-01");
  EXPECT_EQ(common->second.ToString(), "2024-03-01");
  a.starts_on.reset();
  a.ends_on.reset();
  EXPECT_FALSE(CommonPeriod(a, b).has_value());
}

TEST(OverlapEngineTest, ClustersAreConnectedFindingsNamedByTheirSmallestId) {
  OverlapEngine engine;
  engine.Analyse({BorderTraining(5, "iom"), BorderTraining(3, "unodc"), BorderTraining(9, "ilo"),
                  MakeRecord(4, "undp", "research", "Household survey of remittances", "")});
  auto findings = engine.Findings();
  ASSERT_EQ(findings.size(), 3U);
  for (const auto& f : findings) EXPECT_EQ(f.cluster, 3);
  EXPECT_TRUE(engine.FindingOf(9, 5).has_value());
  EXPECT_FALSE(engine.FindingOf(4, 5).has_value());
}

TEST(OverlapEngineTest, UpsertAndRemoveUpdateFindingsAndClusters) {
  OverlapEngine engine;
  engine.Analyse({BorderTraining(1, "iom"), BorderTraining(2, "unodc"),
                  MakeRecord(3, "ilo", "event", "Conference on fair recruitment",
                             "Employers discuss recruitment fees.")});
  ASSERT_EQ(engine.Findings().size(), 1U);
  // Record 3 becomes the same work: it joins the cluster of 1.
  auto now = engine.Upsert(BorderTraining(3, "ilo"));
  EXPECT_EQ(now.size(), 2U);
  EXPECT_EQ(engine.Findings().size(), 3U);
  EXPECT_EQ(engine.FindingOf(2, 3)->cluster, 1);
  // Record 1 moves to another country and theme with other texts: its findings go.
  Record moved = MakeRecord(1, "iom", "research", "Remittance costs in Morocco",
                            "A survey of money transfer operators.");
  moved.countries = {"MA"};
  moved.themes = {"remittances"};
  moved.version = 2;
  EXPECT_TRUE(engine.Upsert(moved).empty());
  EXPECT_FALSE(engine.FindingOf(1, 2).has_value());
  EXPECT_EQ(engine.FindingOf(2, 3)->cluster, 2);
  EXPECT_EQ(engine.Find(1)->version, 2);
  // A new record is compared too.
  EXPECT_EQ(engine.Upsert(BorderTraining(10, "unicef")).size(), 2U);
  engine.Remove(2);
  EXPECT_EQ(engine.Find(2), nullptr);
  EXPECT_FALSE(engine.FindingOf(2, 3).has_value());
  EXPECT_EQ(engine.FindingOf(3, 10)->cluster, 3);
  engine.Remove(12345);  // unknown: nothing
  EXPECT_EQ(engine.stats().records, 3U);
  EXPECT_EQ(engine.stats().findings, 1U);
}

TEST(OverlapEngineTest, UpsertsKeepFindingsAndClustersAsAFreshAnalysisHasThem) {
  auto corpus = RandomCorpus(200, 11);
  for (size_t i = 0; i < corpus.size(); i += 2) corpus[i].countries = {"NG"};  // denser
  Options options;
  options.threads = 1;
  OverlapEngine engine(options);
  engine.Analyse(corpus);
  // Edits that keep, add and drop findings: a word more, another type, another country, a
  // copy of another record's work, and new records.
  for (size_t i = 0; i < 60; ++i) {
    Record& r = corpus[(i * 37) % corpus.size()];
    r.version++;
    if (i % 4 == 0) r.titles[0].text += " update";
    if (i % 4 == 1) r.type = i % 8 == 1 ? "training" : "research";
    if (i % 4 == 2) r.countries = {i % 8 == 2 ? "NG" : "MX"};
    if (i % 4 == 3) {
      Record copy = corpus[(i * 53 + 1) % corpus.size()];
      copy.id = r.id;
      copy.version = r.version;
      copy.organization_id = r.organization_id;
      r = copy;
    }
    engine.Upsert(r);
    if (i % 10 == 9) {
      Record added = corpus[i];
      added.id = static_cast<int64_t>(corpus.size()) + 1;
      added.organization_id = added.organization_id == "iom" ? "ilo" : "iom";
      corpus.push_back(added);
      engine.Upsert(added);
    }
  }
  OverlapEngine fresh(options);
  fresh.Analyse(corpus);
  auto got = engine.Findings();
  auto want = fresh.Findings();
  ASSERT_EQ(PairsOf(got), PairsOf(want));
  std::map<std::pair<int64_t, int64_t>, int64_t> cluster;
  for (const auto& f : want) cluster[{f.a, f.b}] = f.cluster;
  for (const auto& f : got) EXPECT_EQ(f.cluster, (cluster[{f.a, f.b}])) << f.a << "-" << f.b;
}

TEST(OverlapEngineTest, CheckLeavesOutTheDraftsOwnOrganisationAndId) {
  OverlapEngine engine;
  engine.Analyse({BorderTraining(1, "iom"), BorderTraining(2, "unodc"), BorderTraining(3, "ilo")});
  Record draft = BorderTraining(0, "iom");
  auto found = engine.Check(draft, 5);
  ASSERT_EQ(found.size(), 2U);  // unodc and ilo, not iom's own record 1
  for (const auto& f : found) {
    EXPECT_EQ(f.a, 0);
    EXPECT_NE(f.b, 1);
  }
  draft.id = 2;  // an edit of record 2 (unodc's): not compared with itself
  draft.organization_id = "unodc";
  found = engine.Check(draft, 5);
  ASSERT_EQ(found.size(), 2U);
  for (const auto& f : found) EXPECT_TRUE(f.a != 2 || f.b != 2);
  EXPECT_EQ(engine.Check(draft, 1).size(), 1U);
  EXPECT_EQ(engine.Findings().size(), 3U);  // Check changes nothing
}

TEST(OverlapEngineTest, CheckFindsADraftWithOnlyATitleAndDescription) {
  OverlapEngine engine;
  engine.Analyse({BorderTraining(1, "iom"), BorderTraining(2, "unodc")});
  // What a focal point has typed so far: the texts, nothing else (no places, themes, dates).
  Record draft;
  draft.organization_id = "ilo";
  draft.titles = BorderTraining(0, "ilo").titles;
  draft.descriptions = BorderTraining(0, "ilo").descriptions;
  auto found = engine.Check(draft, 5);
  ASSERT_EQ(found.size(), 2U);
  EXPECT_LT(found[0].probability, Options{}.min_probability);  // weaker than a finding
  EXPECT_GE(found[0].probability, Options{}.check_min_probability);
  EXPECT_EQ(found[0].contributions[0].level, "unknown");  // places say nothing yet
  // An unrelated text is still nothing.
  draft.titles[0].text = "Census of livestock";
  draft.descriptions[0].text = "Counting cattle and goats in the highlands.";
  EXPECT_TRUE(engine.Check(draft, 5).empty());
}

TEST(OverlapEngineTest, EstimateMovesWeightsTowardsTheLabels) {
  auto corpus = RandomCorpus(200, 11);
  Model start = Model::Defaults();
  // People call every pair of the same country "unrelated".
  std::vector<Label> labels;
  for (size_t i = 0; i + 1 < corpus.size() && labels.size() < 30; ++i) {
    const auto& a = corpus[i];
    const auto& b = corpus[i + 1];
    if (a.organization_id != b.organization_id && !a.countries.empty() &&
        a.countries == b.countries) {
      labels.push_back({a.id, b.id, Verdict::kUnrelated});
    }
  }
  labels.push_back({1, 99999, Verdict::kUnrelated});  // not in the corpus: not used
  ASSERT_GT(labels.size(), 3U);
  Model without = Estimate(corpus, {}, start);
  Model with = Estimate(corpus, labels, start);
  EXPECT_EQ(without.labels_used, 0);
  EXPECT_EQ(with.labels_used, static_cast<int>(labels.size()) - 1);
  EXPECT_LT(with.WeightOf(Comparison::kPlaces, "same_country"),
            without.WeightOf(Comparison::kPlaces, "same_country"));
  // Probabilities stay probabilities, even where every verdict lands on one level.
  for (const auto& l : with.levels) {
    EXPECT_GT(l.m, 0);
    EXPECT_GT(l.u, 0);
    EXPECT_LE(l.m, 1) << ComparisonName(l.comparison) << " " << l.level;
    EXPECT_LE(l.u, 1) << ComparisonName(l.comparison) << " " << l.level;
  }
  // The defaults are kept beside the estimate; unknown levels still weigh nothing.
  for (const auto& l : with.levels) {
    if (l.comparison == Comparison::kPlaces && l.level == "same_country") {
      EXPECT_EQ(l.default_m, 0.85);
    }
  }
  EXPECT_EQ(with.WeightOf(Comparison::kPlaces, "unknown"), 0);
  // Confirmed duplicates push the other way.
  for (auto& l : labels) l.verdict = Verdict::kConfirmedDuplication;
  Model confirmed = Estimate(corpus, labels, start);
  EXPECT_GT(confirmed.WeightOf(Comparison::kPlaces, "same_country"),
            with.WeightOf(Comparison::kPlaces, "same_country"));
  // The engine takes the new model and re-scores.
  OverlapEngine engine;
  engine.Analyse(corpus);
  engine.SetModel(with);
  EXPECT_EQ(engine.model().labels_used, with.labels_used);
  EXPECT_EQ(engine.stats().records, corpus.size());
}

TEST(OverlapEngineTest, DescribeNamesSharedCountryThemePeriodAndSimilarity) {
  Record a = BorderTraining(1, "iom");
  Record b = BorderTraining(2, "unodc");
  a.partners = {"ecowas"};
  b.partners = {"ecowas"};
  auto f = ScorePair(a, b, Model::Defaults());
  ASSERT_TRUE(f);
  std::string text = Describe(*f, a, b);
  EXPECT_EQ(text,
            "Both train on counter trafficking in Nigeria, 2024\u20132025; titles and descriptions "
            "1.00 similar; both with partner ecowas.");
  Record research = MakeRecord(3, "unhcr", "research", "Study of trafficking routes", "");
  auto g = ScorePair(a, research, Model::Defaults());
  std::string synergy = Describe(*g, a, research);
  EXPECT_NE(synergy.find("Training (iom) and research (unhcr)"), std::string::npos) << synergy;
}

TEST(OverlapEngineTest, BadInputNeitherCrashesNorBlowsUp) {
  std::vector<Record> corpus;
  // Empty texts, one-word titles, no places, no dates, global activities, no themes.
  Record empty;
  empty.id = 1;
  empty.organization_id = "a";
  corpus.push_back(empty);
  Record one_word = empty;
  one_word.id = 2;
  one_word.organization_id = "b";
  one_word.titles = {{"en", "Trafficking"}};
  corpus.push_back(one_word);
  Record global = BorderTraining(3, "c");
  global.countries.clear();
  global.is_global = true;
  corpus.push_back(global);
  Record global2 = global;
  global2.id = 4;
  global2.organization_id = "d";
  corpus.push_back(global2);
  Record no_dates = BorderTraining(5, "e");
  no_dates.starts_on.reset();
  no_dates.ends_on.reset();
  corpus.push_back(no_dates);
  Record odd = BorderTraining(6, "f");
  odd.titles = {{"ar", "\xD8\xAA\xD8\xAF\xD8\xB1\xD9\x8A\xD8\xA8"},
                {"", "\xff\xfe broken utf-8 \xc3"}};
  odd.budget = -5;
  odd.type = "unheard-of";
  corpus.push_back(odd);
  OverlapEngine engine;
  engine.Analyse(corpus);
  for (const auto& f : engine.Findings()) {
    EXPECT_GE(f.probability, 0.5);
    EXPECT_FALSE(Describe(f, *engine.Find(f.a), *engine.Find(f.b)).empty());
  }
  // The two global records of the same work meet.
  ASSERT_TRUE(engine.FindingOf(3, 4).has_value());
  EXPECT_EQ(engine.FindingOf(3, 4)->contributions[0].level, "both_global");
  EXPECT_TRUE(engine.Check(empty, 5).empty());
}

TEST(OverlapEngineTest, TenThousandActivitiesOfOneOrganisationInOneCountryStayLinear) {
  std::vector<Record> corpus;
  for (int64_t id = 1; id <= 10000; ++id) {
    Record r = BorderTraining(id, "iom");
    r.titles[0].text += " " + std::to_string(id);
    corpus.push_back(std::move(r));
  }
  Record other = BorderTraining(20000, "unodc");
  corpus.push_back(other);
  Options options;
  options.max_block = 2000;
  OverlapEngine engine(options);
  engine.Analyse(corpus);
  Stats stats = engine.stats();
  EXPECT_GE(stats.oversized_blocks, 1U);
  EXPECT_LE(stats.candidates, 20U * corpus.size());
  // Every finding is with the other organisation's record.
  for (const auto& f : engine.Findings()) EXPECT_EQ(f.b, 20000);
}

TEST(OverlapEngineTest, OversizedBlocksOfManyOrganisationsAreSplitByType) {
  std::vector<Record> corpus;
  static const char* const kTypes[] = {"research", "training", "event", "normative"};
  for (int64_t id = 1; id <= 3000; ++id) {
    Record r = MakeRecord(id, "org" + std::to_string(id % 50), kTypes[id % 4],
                          "Activity number " + std::to_string(id), "");
    corpus.push_back(std::move(r));
  }
  Options options;
  options.max_block = 200;
  OverlapEngine engine(options);
  engine.Analyse(corpus);
  Stats stats = engine.stats();
  EXPECT_GE(stats.oversized_blocks, 1U);
  // 750 of each type > 200, all of one sector and year: each record meets at most its 200
  // nearest by start date in each type group it looks into (research: research only).
  EXPECT_LE(stats.candidates, options.max_block * corpus.size());
  EXPECT_LT(stats.candidates, corpus.size() * (corpus.size() - 1) / 2 / 5);
}

// A word of letters only, one per number ("project names" the stemmer leaves alone).
std::string NameOf(int64_t n) {
  std::string name = "zq";
  for (; n > 0; n /= 10) name += static_cast<char>('b' + n % 10);
  return name;
}

TEST(OverlapEngineTest, APairLostInAnOversizedBlockMeetsThroughTheRareWordItShares) {
  // A thousand activities of one place, theme, type, sector and start day, texts alike but for
  // each one's project name: every common word is too frequent to follow in the text index,
  // and the block's window by start day holds neither of the pair (one starts before all the
  // others, one after). Only the project name they share brings them together.
  std::vector<Record> corpus;
  for (int64_t id = 1; id <= 1000; ++id) {
    Record r = BorderTraining(id, "org" + std::to_string(id % 50));
    r.titles[0].text += " " + NameOf(id);
    r.starts_on = D("2024-02-01");
    corpus.push_back(std::move(r));
  }
  Record a = BorderTraining(5001, "iom");
  a.titles[0].text += " " + NameOf(777777);
  Record b = a;
  b.id = 5002;
  b.organization_id = "unodc";
  b.starts_on = D("2024-03-01");
  corpus.push_back(a);
  corpus.push_back(b);
  Options options;
  options.max_block = 100;
  OverlapEngine engine(options);
  engine.Analyse(corpus);
  EXPECT_GE(engine.stats().oversized_blocks, 1U);
  auto found = engine.FindingOf(5001, 5002);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->finding_class, FindingClass::kDuplication);
  // And a draft of the same text (Check) meets the first from its side only, as an
  // edit re-scores one record from its side (Upsert).
  Record draft = b;
  draft.id = 0;
  draft.organization_id = "ilo";
  auto checked = engine.Check(draft, 1000);
  EXPECT_TRUE(std::any_of(checked.begin(), checked.end(),
                          [](const Finding& f) { return f.a == 5001 || f.b == 5001; }));
  b.version = 2;
  b.descriptions[0].text += " Second phase.";
  auto upserted = engine.Upsert(b);
  EXPECT_TRUE(std::any_of(upserted.begin(), upserted.end(),
                          [](const Finding& f) { return f.a == 5001 || f.b == 5001; }));
}

TEST(OverlapEngineTest, GlobalActivitiesAreBlockedByThemeAndYear) {
  std::vector<Record> corpus;
  for (int64_t id = 1; id <= 4000; ++id) {
    Record r = MakeRecord(id, "org" + std::to_string(id % 40), "research",
                          "Global study " + std::to_string(id), "");
    r.countries.clear();
    r.is_global = true;
    r.themes = {"theme" + std::to_string(id % 10)};
    corpus.push_back(std::move(r));
  }
  OverlapEngine engine;
  engine.Analyse(corpus);
  EXPECT_LE(engine.stats().candidates, 400U * corpus.size());
  EXPECT_LT(engine.stats().candidates, corpus.size() * (corpus.size() - 1) / 2 / 5);
}

}  // namespace
}  // namespace gmg::coherence
