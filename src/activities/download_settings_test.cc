#include "activities/download_settings.h"

#include <gtest/gtest.h>

namespace gmg {
namespace {

std::string ErrorOf(std::string_view url, std::string_view licence) {
  auto s = MakeDownloadSettings(url, licence);
  return s ? "" : s.error().message;
}

TEST(DownloadSettingsTest, NothingGivenKeepsLinksRelativeAndSaysNoLicence) {
  auto s = MakeDownloadSettings("", "");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->public_url, "");
  EXPECT_EQ(s->data_licence, kNoLicenceStated);
  EXPECT_FALSE(s->licence_configured);
  EXPECT_EQ(s->Link("/activities/7"), "/activities/7");
}

TEST(DownloadSettingsTest, PublicUrlMakesAbsoluteLinksWithoutDoubleSlash) {
  auto s = MakeDownloadSettings("https://hub.example.org/", "");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->public_url, "https://hub.example.org");
  EXPECT_EQ(s->Link("/activities/7"), "https://hub.example.org/activities/7");
  auto under_path = MakeDownloadSettings("http://127.0.0.1:8080/gmg", "");
  ASSERT_TRUE(under_path);
  EXPECT_EQ(under_path->Link("/activities/7"), "http://127.0.0.1:8080/gmg/activities/7");
}

TEST(DownloadSettingsTest, PublicUrlRefusalsNameTheFlagAndTheProblem) {
  EXPECT_NE(ErrorOf("ftp://hub.example.org", "").find("--public-url"), std::string::npos);
  EXPECT_NE(ErrorOf("hub.example.org", "").find("https://"), std::string::npos);
  EXPECT_NE(ErrorOf("javascript:alert(1)", "").find("https://"), std::string::npos);
  EXPECT_NE(ErrorOf("https://", "").find("no host"), std::string::npos);
  EXPECT_NE(ErrorOf("https:///activities", "").find("no host"), std::string::npos);
  EXPECT_NE(ErrorOf("https://hub.example.org/?a=1", "").find("query"), std::string::npos);
  EXPECT_NE(ErrorOf("https://hub.example.org/#top", "").find("fragment"), std::string::npos);
  EXPECT_NE(ErrorOf("https://me:pw@hub.example.org", "").find("user name"), std::string::npos);
  EXPECT_NE(ErrorOf("https://hub example.org", "").find("space"), std::string::npos);
  EXPECT_NE(ErrorOf("https://hub.example.org\r\nX: y", "").find("control"), std::string::npos);
  std::string longest = "https://" + std::string(kMaxPublicUrlLength - 8, 'a');
  EXPECT_EQ(ErrorOf(longest, ""), "");
  EXPECT_NE(ErrorOf(longest + "a", "").find("longer than 200"), std::string::npos);
}

TEST(DownloadSettingsTest, LicenceIsTrimmedAndKept) {
  auto s = MakeDownloadSettings("", "  CC BY 4.0 https://creativecommons.org/licenses/by/4.0/ ");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->data_licence, "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/");
  EXPECT_TRUE(s->licence_configured);
}

TEST(DownloadSettingsTest, LicenceRefusalsNameTheFlagAndTheProblem) {
  EXPECT_NE(ErrorOf("", "CC").find("--data-licence"), std::string::npos);
  EXPECT_NE(ErrorOf("", "    ").find("shorter than 3"), std::string::npos);
  EXPECT_EQ(ErrorOf("", "ODC"), "");
  EXPECT_EQ(ErrorOf("", std::string(kMaxDataLicenceLength, 'x')), "");
  EXPECT_NE(ErrorOf("", std::string(kMaxDataLicenceLength + 1, 'x')).find("longer than 300"),
            std::string::npos);
  EXPECT_NE(ErrorOf("", "CC BY\r\nSet-Cookie: x").find("printable ASCII"), std::string::npos);
  EXPECT_NE(ErrorOf("", "Licence \xC3\xA9tatique").find("printable ASCII"), std::string::npos);
  EXPECT_NE(ErrorOf("", "CC\tBY").find("printable ASCII"), std::string::npos);
}

TEST(DownloadSettingsTest, BothCheckedTheFirstFaultReported) {
  EXPECT_NE(ErrorOf("nope", "x").find("--public-url"), std::string::npos);
  EXPECT_NE(ErrorOf("https://hub.example.org", "x").find("--data-licence"), std::string::npos);
}

}  // namespace
}  // namespace gmg
