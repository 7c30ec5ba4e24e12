#include "http/checked_text.h"

#include <gtest/gtest.h>

namespace gmg::http {
namespace {

TEST(DecodeUtf8Test, DecodesWellFormedAndRefusesTheRest) {
  EXPECT_EQ(DecodeUtf8("a").value, U'a');
  EXPECT_EQ(DecodeUtf8("é").length, 2U);
  EXPECT_EQ(DecodeUtf8("会").value, U'会');
  EXPECT_EQ(DecodeUtf8("😀").length, 4U);
  EXPECT_EQ(DecodeUtf8("\u202E").value, U'\u202E');
  for (std::string_view bad : {"", "\x80", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                               "\xf4\x90\x80\x80", "\xc3", "\xe4\xbc", "\xc3(", "\xff"}) {
    EXPECT_EQ(DecodeUtf8(bad).length, 0U) << testing::PrintToString(std::string(bad));
  }
}

TEST(CharacterClassTest, ControlsAndFormatCharacters) {
  for (char32_t c : {U'\0', U'\t', U'\n', U'\x1f', U'\x7f', U'\u0085', U'\u009f'}) {
    EXPECT_TRUE(IsControlCharacter(c)) << static_cast<uint32_t>(c);
  }
  EXPECT_FALSE(IsControlCharacter(U' '));
  EXPECT_FALSE(IsControlCharacter(U'\u00a0'));
  for (char32_t c : {U'\u200E', U'\u200F', U'\u202A', U'\u202E', U'\u2066', U'\u2069', U'\uFEFF',
                     U'\u200B', U'\u00AD', U'\u2028', U'\u2029', U'\U000E0001'}) {
    EXPECT_TRUE(IsFormatCharacter(c)) << static_cast<uint32_t>(c);
  }
  for (char32_t c : {U'a', U'é', U'\u2010', U'\u202F', U'\u2065', U'会'}) {
    EXPECT_FALSE(IsFormatCharacter(c)) << static_cast<uint32_t>(c);
  }
}

// Security review of issue 12: a raw upload's title and file name are checked as text.
TEST(CheckedTextTest, RefusesWhatIsNotTextWith422NamingTheField) {
  EXPECT_EQ(*CheckedText("title", "  Background note ", 300, true), "Background note");
  EXPECT_EQ(*CheckedText("title", "Zürich 会议 😀", 300, true), "Zürich 会议 😀");
  EXPECT_EQ(*CheckedText("file_name", std::nullopt, 255, false), "");
  auto missing = CheckedText("title", std::nullopt, 300, true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().details.at(0).rule, "required");
  struct Case {
    std::string text;
    const char* rule;
  };
  for (const Case& c : {Case{"a\x01b", "control_characters"}, Case{"a\nb", "control_characters"},
                        Case{"a\u0085b", "control_characters"}, Case{"a\x7f", "control_characters"},
                        Case{"caf\xe9", "not_utf8"}, Case{"\xc0\xae\xc0\xae", "not_utf8"},
                        Case{std::string(301, 'x'), "too_long"}}) {
    auto r = CheckedText("title", c.text, 300, true);
    ASSERT_FALSE(r.ok()) << c.rule;
    EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(r.error().details.at(0).field, "title");
    EXPECT_EQ(r.error().details.at(0).rule, c.rule);
  }
  EXPECT_TRUE(CheckedText("title", std::string(300, 'x'), 300, true).ok());
}

}  // namespace
}  // namespace gmg::http
