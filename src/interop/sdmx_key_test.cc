#include "interop/sdmx_key.h"

#include <gtest/gtest.h>

#include "core/date.h"

namespace gmg::sdmx {
namespace {

using Positions = std::vector<std::vector<std::string>>;

int64_t Day(int y, unsigned m, unsigned d) { return Date::FromCivil(y, m, d).days(); }

TEST(SdmxKey, AllAndEmptyMatchEverything) {
  for (std::string_view key : {"", "all", "..", "*.*.*", ".*."}) {
    auto f = ParseKey(key, 3);
    ASSERT_TRUE(f.ok()) << key;
    EXPECT_EQ(f->positions, Positions(3)) << key;
  }
}

TEST(SdmxKey, CodesAndOrLists) {
  auto f = ParseKey("BF+ML..T", 3);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->positions, (Positions{{"BF", "ML"}, {}, {"T"}}));
  // SDMX REST 2.0 separates alternatives with ','.
  auto v2 = ParseKey("BF,ML.*.F", 3);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->positions, (Positions{{"BF", "ML"}, {}, {"F"}}));
  EXPECT_EQ(ParseKey("A_1@x$-9", 1)->positions, (Positions{{"A_1@x$-9"}}));
}

TEST(SdmxKey, ErrorsNameThePosition) {
  EXPECT_EQ(ParseKey("BF.ML.T.X", 3).error().message,
            "the key has 4 positions but the dataflow has 3 dimensions");
  EXPECT_EQ(ParseKey("BF", 2).error().message,
            "the key has 1 position but the dataflow has 2 dimensions");
  EXPECT_EQ(ParseKey("BF+.ML", 2).error().message,
            "the key has an empty code at position 4 (dimension 1)");
  EXPECT_EQ(ParseKey("BF.+ML", 2).error().message,
            "the key has an empty code at position 4 (dimension 2)");
  EXPECT_EQ(ParseKey("BF.M L", 2).error().message,
            "the key has a character not allowed in a code at position 5 (dimension 2)");
  EXPECT_EQ(ParseKey("x", 0).error().code, ErrorCode::kInvalidArgument);
  std::string many = "A";
  for (int i = 0; i < 1000; ++i) many += "+A";
  EXPECT_EQ(ParseKey(many, 1).error().message, "the key names more than 1000 codes");
}

TEST(SdmxFilter, ParsesOperatorsAlternativesAndConjunctions) {
  auto f = ParseComponentFilter("TIME_PERIOD", "ge:2000+le:2010,eq:2015");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->component, "TIME_PERIOD");
  ASSERT_EQ(f->any_of.size(), 2U);
  ASSERT_EQ(f->any_of[0].size(), 2U);
  EXPECT_EQ(f->any_of[0][0].op, Op::kGe);
  EXPECT_EQ(f->any_of[0][0].value, "2000");
  EXPECT_EQ(f->any_of[0][1].op, Op::kLe);
  EXPECT_EQ(f->any_of[1][0].op, Op::kEq);
  auto codes = ParseComponentFilter("REF_AREA", "BF,ML");
  ASSERT_TRUE(codes.ok());
  EXPECT_TRUE(Matches(*codes, "BF"));
  EXPECT_TRUE(Matches(*codes, "ML"));
  EXPECT_FALSE(Matches(*codes, "NE"));
}

TEST(SdmxFilter, Errors) {
  EXPECT_EQ(ParseComponentFilter("REF_AREA", "xx:BF").error().message,
            "c[REF_AREA]: unknown operator \"xx\" (eq, ne, lt, le, gt, ge, co, nc, sw, ew)");
  EXPECT_EQ(ParseComponentFilter("REF_AREA", "").error().message,
            "the filter c[REF_AREA] has no value");
  EXPECT_EQ(ParseComponentFilter("REF_AREA", "BF,,ML").error().message,
            "c[REF_AREA]: a filter condition has an empty value");
  EXPECT_EQ(ParseComponentFilter("REF_AREA", "ge:").error().message,
            "c[REF_AREA]: a filter condition has an empty value");
  EXPECT_FALSE(ParseComponentFilter("", "BF").ok());
  EXPECT_FALSE(ParseComponentFilter("A B", "BF").ok());
  std::string many = "A";
  for (int i = 0; i < 1000; ++i) many += ",A";
  EXPECT_EQ(ParseComponentFilter("X", many).error().message,
            "the filter c[X] has more than 1000 conditions");
}

TEST(SdmxFilter, MatchesEachOperator) {
  auto match = [](std::string_view value, std::string_view filter) {
    auto f = ParseComponentFilter("C", filter);
    EXPECT_TRUE(f.ok()) << filter;
    return f.ok() && Matches(*f, value);
  };
  EXPECT_TRUE(match("BF", "eq:BF"));
  EXPECT_TRUE(match("BF", "ne:ML"));
  EXPECT_FALSE(match("BF", "ne:BF"));
  EXPECT_TRUE(match("9", "lt:10"));  // numbers compare as numbers
  EXPECT_FALSE(match("9", "gt:10"));
  EXPECT_TRUE(match("B", "gt:A"));
  EXPECT_TRUE(match("10", "le:10"));
  EXPECT_TRUE(match("10", "ge:10"));
  EXPECT_TRUE(match("Burkina Faso", "co:kina"));
  EXPECT_TRUE(match("Mali", "nc:kina"));
  EXPECT_TRUE(match("Burkina Faso", "sw:Bur"));
  EXPECT_TRUE(match("Burkina Faso", "ew:Faso"));
  EXPECT_FALSE(match("Faso", "ew:Burkina Faso"));
  EXPECT_TRUE(match("2005", "ge:2000+le:2010"));
  EXPECT_FALSE(match("2011", "ge:2000+le:2010"));
  EXPECT_TRUE(match("2015", "ge:2000+le:2010,eq:2015"));
}

TEST(SdmxPeriod, EachFrequency) {
  auto range = [](std::string_view p) {
    auto r = ParsePeriod(p);
    EXPECT_TRUE(r.ok()) << p;
    return r.ok() ? std::pair{r->first_day, r->last_day} : std::pair<int64_t, int64_t>{};
  };
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(range("2019"), P(Day(2019, 1, 1), Day(2019, 12, 31)));
  EXPECT_EQ(range("2019-A1"), P(Day(2019, 1, 1), Day(2019, 12, 31)));
  EXPECT_EQ(range("2019-S2"), P(Day(2019, 7, 1), Day(2019, 12, 31)));
  EXPECT_EQ(range("2019-T2"), P(Day(2019, 5, 1), Day(2019, 8, 31)));
  EXPECT_EQ(range("2019-Q1"), P(Day(2019, 1, 1), Day(2019, 3, 31)));
  EXPECT_EQ(range("2020-M02"), P(Day(2020, 2, 1), Day(2020, 2, 29)));
  EXPECT_EQ(range("2019-02"), P(Day(2019, 2, 1), Day(2019, 2, 28)));
  EXPECT_EQ(range("2019-07-14"), P(Day(2019, 7, 14), Day(2019, 7, 14)));
  EXPECT_EQ(range("2019-D195"), P(Day(2019, 7, 14), Day(2019, 7, 14)));
  EXPECT_EQ(range("2020-D366"), P(Day(2020, 12, 31), Day(2020, 12, 31)));
  // ISO weeks: 2019-W01 starts on Monday 31 December 2018; 2020 has 53 weeks.
  EXPECT_EQ(range("2019-W01"), P(Day(2018, 12, 31), Day(2019, 1, 6)));
  EXPECT_EQ(range("2020-W53"), P(Day(2020, 12, 28), Day(2021, 1, 3)));
  EXPECT_EQ(range("1000"), P(Day(1000, 1, 1), Day(1000, 12, 31)));
}

TEST(SdmxPeriod, RefusesWhatIsNotAPeriod) {
  for (std::string_view p :
       {"",          "19",      "0999",      "2019-",        "2019-13",  "2019-Q5",
        "2019-Q0",   "2019-S3", "2019-M13",  "2019-W53",     "2019-W00", "2019-02-29",
        "2019-D366", "2019-A2", "2019-07-1", "2019/07",      "abcd",     "2019-X1",
        "2019-Q1x",  "20191",   "2019-M1",   "2019-07-14T00"}) {
    auto r = ParsePeriod(p);
    ASSERT_FALSE(r.ok()) << p;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(ParsePeriod("2019-13").error().message,
            "\"2019-13\" is not an SDMX reporting period (2019, 2019-Q3, 2019-07, 2019-W05, "
            "2019-07-14…)");
}

}  // namespace
}  // namespace gmg::sdmx
