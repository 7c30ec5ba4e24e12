#include "coherence/text_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace gmg::coherence {
namespace {

bool SharesConcept(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  for (uint32_t x : a) {
    if ((x & kConceptBit) != 0 && std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

TEST(TextFeaturesTest, TokeniseLowercasesSplitsApostrophesAndDropsOneLetterWords) {
  auto words = Tokenise("L'Organisation Internationale des MIGRATIONS (OIM), 2024 — Été!");
  std::vector<std::string> expected = {"organisation", "internationale", "des", "migrations",
                                       "oim",          "2024",           "été"};
  EXPECT_EQ(words, expected);
  EXPECT_TRUE(Tokenise("").empty());
  EXPECT_TRUE(Tokenise("  ,;: a ").empty());
}

TEST(TextFeaturesTest, NormalisesLanguageTags) {
  EXPECT_EQ(NormaliseLang("fr-FR"), "fr");
  EXPECT_EQ(NormaliseLang(""), "en");
}

TEST(TextFeaturesTest, ConceptTokensJoinTheThreeLanguages) {
  auto en = TextTerms("en", "Counter human trafficking at the border");
  auto fr = TextTerms("fr", "Lutte contre la traite des personnes à la frontière");
  auto es = TextTerms("es", "Lucha contra la trata de personas en la frontera");
  EXPECT_TRUE(SharesConcept(en, fr));
  EXPECT_TRUE(SharesConcept(en, es));
  EXPECT_TRUE(SharesConcept(fr, es));
  auto remit_en = TextTerms("en", "Lowering the cost of remittances");
  auto remit_fr = TextTerms("fr", "Réduire le coût des envois de fonds");
  EXPECT_TRUE(SharesConcept(remit_en, remit_fr));
  EXPECT_FALSE(SharesConcept(remit_en, en));
}

TEST(TextFeaturesTest, TermsStayTheSameAfterAFloodOfRareWords) {
  // The stem cache keeps a slot per word's hash: a hundred thousand distinct words (more than
  // its slots) take every slot, and a text's terms are still what they were, whether its words
  // were cached before the flood (this thread) or never (a new thread, flood first).
  const std::string text = "Training border officials on counter-trafficking in Nigeria";
  std::string flood;
  for (int i = 0; i < 100000; ++i) flood += " zq" + std::to_string(i) + "x";
  auto before = TextTerms("en", text);
  auto flooded = TextTerms("en", flood);
  EXPECT_GE(flooded.size(), 100000U);
  EXPECT_EQ(TextTerms("en", text), before);
  std::vector<uint32_t> flood_first, after;
  std::thread([&] {
    flood_first = TextTerms("en", flood);
    after = TextTerms("en", text);
  }).join();
  EXPECT_EQ(after, before);
  EXPECT_EQ(flood_first, flooded);
}

TEST(TextFeaturesTest, ManyLanguagesKeepABoundedNumberOfStemCaches) {
  // The language comes from the data: a file in hundreds of made-up languages must not make a
  // stem cache (a megabyte) for each, on every thread (fuzzing found it).
  const std::string text = "Training border officials on counter-trafficking in Nigeria";
  std::vector<uint32_t> before;
  std::vector<uint32_t> after;
  std::vector<uint32_t> made_up_before;
  std::vector<uint32_t> made_up_after;
  size_t most = 0;
  std::thread([&] {
    before = TextTerms("en", text);
    made_up_before = TextTerms("q0", text);
    for (int k = 0; k < 300; ++k) {
      std::string lang = {static_cast<char>('a' + k % 26), static_cast<char>('0' + k / 26)};
      TextTerms(lang, text);
      most = std::max(most, StemCachesOfThisThread());
    }
    after = TextTerms("en", text);
    made_up_after = TextTerms("q0", text);
  }).join();
  EXPECT_LE(most, kMaxCachedLanguages);
  EXPECT_EQ(after, before);
  EXPECT_EQ(made_up_after, made_up_before);
  EXPECT_EQ(Stem("q0", "réfugiés"), "refugies");  // no stemmer: the word, folded
}

TEST(TextFeaturesTest, CosineOfIdenticalDifferentAndEmptyTexts) {
  auto a = AnalyseTexts({{"en", "Training border officials on trafficking"}},
                        {{"en", "Workshops for border police in Lagos on victim identification."}});
  auto b = AnalyseTexts({{"en", "Training border officials on trafficking"}},
                        {{"en", "Workshops for border police in Lagos on victim identification."}});
  auto c = AnalyseTexts({{"en", "Household survey of remittance costs"}}, {});
  auto empty = AnalyseTexts({}, {{"en", ""}});
  EXPECT_NEAR(Cosine(a, b), 1.0, 1e-9);
  EXPECT_LT(Cosine(a, c), 0.2);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(Cosine(a, empty), 0);
  EXPECT_EQ(TextSimilarity(empty, empty), 0);
}

TEST(TextFeaturesTest, TranslationsAreSimilarThroughConcepts) {
  auto en =
      AnalyseTexts({{"en", "Training border officials on counter-trafficking"}},
                   {{"en",
                     "Capacity building for border police and prosecutors on the identification of "
                     "victims of human trafficking and the protection of children."}});
  auto fr = AnalyseTexts(
      {{"fr", "Formation des agents des frontières à la lutte contre la traite"}},
      {{"fr",
        "Renforcement des capacités de la police des frontières et des procureurs pour "
        "l'identification des victimes de la traite des personnes et la protection des "
        "enfants."}});
  auto unrelated = AnalyseTexts({{"fr", "Enquête sur le coût des envois de fonds"}},
                                {{"fr", "Une enquête auprès des ménages sur les transferts."}});
  EXPECT_EQ(fr.lang, "fr");
  EXPECT_GE(TextSimilarity(en, fr), 0.4);
  EXPECT_LT(TextSimilarity(en, unrelated), 0.2);
}

// Vectors built by hand: terms drawn from a small range (so that texts share many, and term 0
// and terms whose home slots collide occur), some concept terms, two languages.
TextVector RandomVector(std::mt19937& rng, size_t size, const char* lang) {
  std::uniform_int_distribution<uint32_t> term(0, 300);
  std::uniform_real_distribution<float> weight(0.1F, 3.0F);
  std::vector<uint32_t> terms;
  for (size_t k = 0; k < size; ++k) {
    uint32_t t = term(rng);
    terms.push_back(t % 5 == 1 ? t | kConceptBit : t);
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  TextVector v;
  v.lang = lang;
  double sum = 0;
  double concept_sum = 0;
  for (uint32_t t : terms) {
    float w = weight(rng);
    v.terms.push_back({t, w});
    sum += double{w} * w;
    if ((t & kConceptBit) != 0) concept_sum += double{w} * w;
  }
  v.norm = std::sqrt(sum);
  v.concept_norm = std::sqrt(concept_sum);
  return v;
}

TEST(TextFeaturesTest, TermTableGivesTextSimilarityToTheLastBit) {
  std::mt19937 rng(7);
  TermTable table;
  for (int round = 0; round < 300; ++round) {
    TextVector a = RandomVector(rng, round % 90, round % 3 == 0 ? "fr" : "en");
    table.Reset(a);
    for (int k = 0; k < 20; ++k) {
      TextVector b = RandomVector(rng, (round * 7 + k) % 120, k % 4 == 0 ? "fr" : "en");
      double expected = TextSimilarity(a, b);
      double got = table.Similarity(b);
      ASSERT_EQ(std::bit_cast<uint64_t>(got), std::bit_cast<uint64_t>(expected))
          << "round " << round << " text " << k << ": " << got << " != " << expected;
    }
  }
  // Term 0 in its home slot, the next slots empty: found, not overwritten by an empty slot.
  TextVector zero;
  zero.lang = "en";
  zero.terms = {{0, 2.0F}};
  zero.norm = 2.0;
  table.Reset(zero);
  EXPECT_DOUBLE_EQ(table.Similarity(zero), 1.0);
  // Real texts, and the empty one.
  auto en = AnalyseTexts({{"en", "Training border officials on counter-trafficking"}}, {});
  auto fr = AnalyseTexts({{"fr", "Formation des agents des frontières contre la traite"}}, {});
  auto empty = AnalyseTexts({}, {});
  table.Reset(en);
  EXPECT_EQ(table.Similarity(fr), TextSimilarity(en, fr));
  EXPECT_GT(table.Similarity(fr), 0);
  EXPECT_EQ(table.Similarity(empty), 0);
  table.Reset(empty);
  EXPECT_EQ(table.Similarity(en), 0);
}

TEST(TextFeaturesTest, TermTableMergesATextWhoseTermsShareTheirHome) {
  // Nine terms whose homes agree in every table up to 65,536 slots (the top 16 bits of the
  // multiplicative hash): no window of four holds them, so the table keeps the text and merges
  // rather than doubling until they part.
  std::vector<uint32_t> crowded;
  for (uint32_t t = 1; crowded.size() < 9; ++t) {
    if (((uint64_t{t} * 0x9e3779b97f4a7c15ULL) >> 48) == 0x1234) crowded.push_back(t);
  }
  TextVector a;
  a.lang = "en";
  double sum = 0;
  for (uint32_t t : crowded) {
    a.terms.push_back({t, 1.5F});
    sum += 1.5 * 1.5;
  }
  a.norm = std::sqrt(sum);
  std::mt19937 rng(11);
  TextVector b = RandomVector(rng, 40, "en");
  b.terms.push_back(
      {crowded[0], 2.0F});  // shares one of them (b keeps its norm: the same for both)
  std::sort(b.terms.begin(), b.terms.end(),
            [](const TermWeight& x, const TermWeight& y) { return x.term < y.term; });
  b.terms.erase(
      std::unique(b.terms.begin(), b.terms.end(),
                  [](const TermWeight& x, const TermWeight& y) { return x.term == y.term; }),
      b.terms.end());
  TermTable table;
  table.Reset(a);
  EXPECT_EQ(table.Similarity(a), TextSimilarity(a, a));
  EXPECT_EQ(table.Similarity(b), TextSimilarity(a, b));
  EXPECT_GT(table.Similarity(b), 0);
  // A cap of one slot per term: every text of more than 16 terms is merged, to the same value.
  TextVector c = RandomVector(rng, 200, "fr");
  table.Reset(c, 1);
  EXPECT_EQ(table.Similarity(b), TextSimilarity(c, b));
  EXPECT_EQ(table.Similarity(c), TextSimilarity(c, c));
}

}  // namespace
}  // namespace gmg::coherence
