#include "core/stem.h"

#include <gtest/gtest.h>

#include <string>

namespace gmg {
namespace {

TEST(StemTest, StemsPerLanguageAndFoldsAccents) {
  EXPECT_EQ(Stem("fr", "réfugiés"), Stem("fr", "réfugié"));
  EXPECT_EQ(Stem("fr", "réfugiés").find("é"), std::string::npos);
  EXPECT_EQ(Stem("fr", "nationaux"), "national");
  EXPECT_EQ(Stem("en", "trainings"), Stem("en", "training"));
  EXPECT_EQ(Stem("es", "refugiados"), Stem("es", "refugiado"));
  EXPECT_EQ(Stem("es", "políticas"), Stem("es", "político"));
  // No stemmer for the language: the word itself, accents folded.
  EXPECT_EQ(Stem("xx", "café"), "cafe");
  EXPECT_EQ(FoldAccents("œuvre à Genève"), "oeuvre a Geneve");
}

TEST(StemTest, AStemmerGivesWhatStemGivesBeforeAndAfterItStartsAfresh) {
  Stemmer french("fr");
  EXPECT_EQ(french("réfugiés"), Stem("fr", "réfugiés"));
  EXPECT_EQ(french("réfugiés"), Stem("fr", "réfugiés")) << "kept";
  for (size_t i = 0; i < Stemmer::kMaxKept + 10; ++i) {
    std::string word = "mot" + std::to_string(i) + "s";
    ASSERT_EQ(french(word), Stem("fr", word)) << word;
  }
  EXPECT_EQ(french("travailleurs"), "travailleur");
  Stemmer none("xx");
  EXPECT_EQ(none("café"), "cafe");
}

}  // namespace
}  // namespace gmg
