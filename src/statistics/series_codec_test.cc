#include "statistics/series_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "statistics/stats_service_import.h"

namespace gmg::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Decoded {
  std::vector<std::string> periods;
  std::vector<double> values;
  std::vector<std::string> attributes;  // "" = none
};

Decoded RoundTrip(const std::string& blob, size_t attribute_count) {
  TextTable periods, texts;
  SeriesOut out;
  Status s = DecodeSeries(
      blob, [&](std::string_view p) { return periods.Intern(p); },
      [&](std::string_view t) { return texts.Intern(t); }, &out);
  EXPECT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(out.attribute_count, attribute_count);
  Decoded d;
  for (uint32_t p : out.periods) d.periods.push_back(periods.texts()[p]);
  d.values = out.values;
  for (uint32_t a : out.attributes) d.attributes.push_back(a ? texts.texts()[a - 1] : "");
  return d;
}

void ExpectSameValues(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i])) {
      EXPECT_TRUE(std::isnan(b[i])) << i;
    } else {
      EXPECT_EQ(a[i], b[i]) << i;
    }
  }
}

TEST(SeriesCodecTest, YearsAndIntegersRoundTripCompactly) {
  std::vector<std::string> table = {"2019", "1990", "1995", "2000"};
  std::vector<uint32_t> periods = {1, 2, 3, 0};
  std::vector<double> values = {1200, kNaN, -3, 4'500'000'000};
  std::string blob = EncodeSeries({periods, values, {}, 0}, table, {});
  EXPECT_LT(blob.size(), 24u) << "years as deltas, integers as varints";
  Decoded d = RoundTrip(blob, 0);
  EXPECT_EQ(d.periods, (std::vector<std::string>{"1990", "1995", "2000", "2019"}));
  ExpectSameValues(d.values, values);
  EXPECT_EQ(*SeriesObservations(blob), 4);
}

TEST(SeriesCodecTest, OtherPeriodsFractionsAndAttributesRoundTrip) {
  std::vector<std::string> table = {"2019-Q1", "2019-Q2", "2019-07"};
  std::vector<std::string> texts = {"A", "E", "provisional, see note"};
  std::vector<uint32_t> periods = {0, 1, 2};
  std::vector<double> values = {0.5, kNaN, 1e300};
  std::vector<uint32_t> attributes = {1, 0, 0, 3, 2, 1};  // two attributes an observation
  std::string blob = EncodeSeries({periods, values, attributes, 2}, table, texts);
  Decoded d = RoundTrip(blob, 2);
  EXPECT_EQ(d.periods, (std::vector<std::string>{"2019-Q1", "2019-Q2", "2019-07"}));
  ExpectSameValues(d.values, values);
  EXPECT_EQ(d.attributes,
            (std::vector<std::string>{"A", "", "", "provisional, see note", "E", "A"}));
}

TEST(SeriesCodecTest, EqualSeriesGiveEqualBytesWhateverTheCallersTables) {
  std::vector<std::string> t1 = {"2000", "2001", "X"};
  std::vector<std::string> t2 = {"X", "2001", "2000"};
  std::vector<double> values = {1, 2};
  std::string a = EncodeSeries({std::vector<uint32_t>{0, 1}, values, {}, 0}, t1, {});
  std::string b = EncodeSeries({std::vector<uint32_t>{2, 1}, values, {}, 0}, t2, {});
  EXPECT_EQ(a, b);
  std::string c =
      EncodeSeries({std::vector<uint32_t>{2, 1}, std::vector<double>{1, 3}, {}, 0}, t2, {});
  EXPECT_NE(a, c);
}

TEST(SeriesCodecTest, AnEmptySeriesRoundTrips) {
  std::string blob = EncodeSeries({{}, {}, {}, 1}, {}, {});
  Decoded d = RoundTrip(blob, 1);
  EXPECT_TRUE(d.periods.empty());
  EXPECT_TRUE(d.values.empty());
}

TEST(SeriesCodecTest, CorruptBytesAreAnErrorNeverACrash) {
  std::vector<std::string> table = {"2019-Q1", "2019-Q2"};
  std::vector<std::string> texts = {"A"};
  std::string blob = EncodeSeries(
      {std::vector<uint32_t>{0, 1}, std::vector<double>{0.25, 7}, std::vector<uint32_t>{1, 0}, 1},
      table, texts);
  TextTable periods, attrs;
  auto p = [&](std::string_view s) { return periods.Intern(s); };
  auto t = [&](std::string_view s) { return attrs.Intern(s); };
  SeriesOut out;
  for (size_t cut = 0; cut < blob.size(); ++cut) {
    EXPECT_FALSE(DecodeSeries(blob.substr(0, cut), p, t, &out).ok()) << "truncated at " << cut;
  }
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0xff);
    (void)DecodeSeries(bad, p, t, &out);  // any answer but a crash (ASan)
  }
  EXPECT_EQ(DecodeSeries(blob + "x", p, t, &out).error().code, ErrorCode::kInternal);
  EXPECT_FALSE(DecodeSeries("", p, t, &out).ok());
}

}  // namespace
}  // namespace gmg::stats
