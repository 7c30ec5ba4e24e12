#include "coherence/text_features.h"

#include <gtest/gtest.h>

#include <algorithm>
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

}  // namespace
}  // namespace gmg::coherence
