#include "core/stem.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

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

TEST(StemTest, ByteSequencesThatAreNotUtf8DecodeAsTheReplacementCharacter) {
  auto first = [](std::string_view s, size_t expected_next) {
    size_t i = 0;
    char32_t cp = NextCodePoint(s, i);
    EXPECT_EQ(i, expected_next) << s;
    return cp;
  };
  EXPECT_EQ(first("\xc3\xa8", 2), U'\u00e8');
  EXPECT_EQ(first("\xf0\x9f\x98\x80", 4), U'\U0001f600');
  EXPECT_EQ(first("\xc0\x80", 2), 0xFFFDU) << "overlong NUL";
  EXPECT_EQ(first("\xf0\x80\x80\x80", 4), 0xFFFDU) << "overlong NUL";
  EXPECT_EQ(first("\xe0\x80\xaf", 3), 0xFFFDU) << "overlong '/'";
  EXPECT_EQ(first("\xed\xa0\x80", 3), 0xFFFDU) << "surrogate";
  EXPECT_EQ(first("\xf4\x90\x80\x80", 4), 0xFFFDU) << "past U+10FFFF";
  EXPECT_EQ(first("\xc3", 1), 0xFFFDU) << "cut";
  EXPECT_EQ(first("\xc3x", 1), 0xFFFDU) << "not a continuation";
  // What SQLite's unicode61 gives for "è" then three stray continuation bytes: the stem holds no
  // NUL (FTS5 keeps terms NUL-terminated: a NUL inside one broke its index).
  for (const char* lang : {"en", "fr", "es"}) {
    EXPECT_EQ(Stem(lang, "\xf0\x80\x80\x80"), "\xef\xbf\xbd") << lang;
  }
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
