#include "statistics/stats_query.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace gmg::stats {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// What a writer received, as owned copies.
struct RecordingWriter : sdmx::DataWriter {
  struct Obs {
    std::string period;
    double value = 0;
    std::vector<std::string> attributes;
  };
  struct Got {
    std::vector<std::string> key;
    std::vector<Obs> observations;
    bool derived = false;
  };
  sdmx::DataHeader header;
  std::vector<Got> series;
  bool ended = false;
  int stop_after = -1;  // refuse the series after this many

  bool Begin(const sdmx::DataHeader& h) override {
    header = h;
    return true;
  }
  bool Series(const sdmx::SeriesOut& s) override {
    if (stop_after >= 0 && static_cast<int>(series.size()) >= stop_after) return false;
    Got got{{s.key.begin(), s.key.end()}, {}, s.derived};
    for (const auto& o : s.observations) {
      got.observations.push_back(
          {std::string(o.period), o.value,
           std::vector<std::string>(o.attributes.begin(), o.attributes.end())});
    }
    series.push_back(std::move(got));
    return true;
  }
  bool End() override {
    ended = true;
    return true;
  }
  std::vector<std::string> Keys() const {
    std::vector<std::string> keys;
    for (const auto& s : series) {
      std::string k;
      for (const auto& c : s.key) k += (k.empty() ? "" : ".") + c;
      keys.push_back(k);
    }
    return keys;
  }
};

sdmx::Codelist Codes(const std::string& id, const std::vector<std::string>& codes) {
  sdmx::Codelist list{"GMG", id, "1.0", id, {}};
  for (const auto& c : codes) list.codes.push_back({c, c, ""});
  return list;
}

// Migrant stock by destination × origin × sex, 2000–2005, with an OBS_STATUS attribute.
// Areas: BFA, MLI, FRA, DEU, USA (ISO alpha-3). Every (destination, origin ≠ destination, sex)
// has a series; values = 1000·dest + 100·origin + 10·sex + year offset; FRA→BFA misses 2003.
FlowData MigrantStock() {
  FlowData data;
  data.flow.agency = "UNDESA";
  data.flow.id = "MIGRANT_STOCK";
  auto& s = data.flow.structure;
  s.dimensions = {{"REF_AREA", "Destination", "CL_AREA", ""},
                  {"COUNTERPART_AREA", "Origin", "CL_AREA", ""},
                  {"SEX", "Sex", "CL_SEX", ""}};
  s.attributes = {{"OBS_STATUS", "Status", "CL_OBS_STATUS", "Observation"}};
  s.codelists = {Codes("CL_AREA", {"BFA", "MLI", "FRA", "DEU", "USA"}),
                 Codes("CL_SEX", {"F", "M", "_T"}), Codes("CL_OBS_STATUS", {"A", "E"})};
  data.periods = {"2000", "2001", "2002", "2003", "2004", "2005"};
  for (uint32_t dest = 0; dest < 5; ++dest) {
    for (uint32_t orig = 0; orig < 5; ++orig) {
      if (orig == dest) continue;
      for (uint32_t sex = 0; sex < 3; ++sex) {
        FlowData::Series series;
        series.key = {dest, orig, sex};
        for (uint32_t p = 0; p < 6; ++p) {
          series.period_index.push_back(p);
          double v = 1000.0 * dest + 100.0 * orig + 10.0 * sex + p;
          if (dest == 2 && orig == 0 && p == 3) v = kMissing;
          series.values.push_back(v);
          series.attributes.push_back(p == 5 ? 2 : 1);  // 2005 estimated
        }
        series.release_id = 1;
        series.updated_at = dest == 4 ? 2000 : 1000;
        data.series.push_back(std::move(series));
      }
    }
  }
  return data;
}

sdmx::KeyFilter KeyOf(std::vector<std::vector<std::string>> positions) {
  return sdmx::KeyFilter{std::move(positions)};
}

sdmx::ComponentFilter Filter(std::string component,
                             std::vector<std::vector<sdmx::Condition>> any_of) {
  return sdmx::ComponentFilter{std::move(component), std::move(any_of)};
}

RecordingWriter Query(const FlowData& data, const DataQuery& query) {
  RecordingWriter writer;
  auto selection = Select(data, query, {});
  EXPECT_TRUE(selection.ok()) << (selection.ok() ? "" : selection.error().message);
  if (selection.ok()) {
    EXPECT_TRUE(Emit(data, *selection, query, writer));
  }
  return writer;
}

TEST(StatsQuery, OneSeriesByItsFullKey) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"FRA"}, {"MLI"}, {"M"}});
  auto w = Query(data, query);
  ASSERT_EQ(w.Keys(), std::vector<std::string>{"FRA.MLI.M"});
  ASSERT_EQ(w.series[0].observations.size(), 6u);
  EXPECT_EQ(w.series[0].observations[1].period, "2001");
  EXPECT_EQ(w.series[0].observations[1].value, 2111);
  EXPECT_EQ(w.series[0].observations[5].attributes, std::vector<std::string>{"E"});
  EXPECT_EQ(w.series[0].observations[0].attributes, std::vector<std::string>{"A"});
  EXPECT_FALSE(w.series[0].derived);
  EXPECT_TRUE(w.ended);
  EXPECT_EQ(w.header.flow, &data.flow);
  EXPECT_EQ(w.header.dimension_values,
            (std::vector<std::vector<std::string>>{{"FRA"}, {"MLI"}, {"M"}}));
  EXPECT_EQ(w.header.periods, data.periods);
  EXPECT_FALSE(w.header.prepared.empty());
}

TEST(StatsQuery, OrAndWildcardPositionsComeInSeriesOrder) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"MLI", "BFA"}, {}, {"_T"}});
  auto w = Query(data, query);
  EXPECT_EQ(w.Keys(),
            (std::vector<std::string>{"BFA.MLI._T", "BFA.FRA._T", "BFA.DEU._T", "BFA.USA._T",
                                      "MLI.BFA._T", "MLI.FRA._T", "MLI.DEU._T", "MLI.USA._T"}));
  EXPECT_EQ(w.header.dimension_values[0], (std::vector<std::string>{"BFA", "MLI"}));
  EXPECT_EQ(w.header.dimension_values[1],
            (std::vector<std::string>{"MLI", "FRA", "DEU", "USA", "BFA"}));
  EXPECT_EQ(w.header.dimension_values[2], std::vector<std::string>{"_T"});

  // A wildcard first position: every destination with origin FRA, women.
  query.key = KeyOf({{}, {"FRA"}, {"F"}});
  EXPECT_EQ(Query(data, query).Keys(),
            (std::vector<std::string>{"BFA.FRA.F", "MLI.FRA.F", "DEU.FRA.F", "USA.FRA.F"}));
  // An empty key is everything.
  query.key = {};
  EXPECT_EQ(Query(data, query).series.size(), data.series.size());
}

TEST(StatsQuery, StartAndEndPeriodCompareFirstAndLastDays) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"BFA"}, {"MLI"}, {"F"}});
  query.start_period = "2001-Q2";  // 2001 starts before 1 April 2001: out
  query.end_period = "2004";
  auto w = Query(data, query);
  ASSERT_EQ(w.series.size(), 1u);
  std::vector<std::string> periods;
  for (const auto& o : w.series[0].observations) periods.push_back(o.period);
  EXPECT_EQ(periods, (std::vector<std::string>{"2002", "2003", "2004"}));
  EXPECT_EQ(w.header.periods, periods);

  query.start_period = "2001-01";
  query.end_period = "2001-12-31";
  ASSERT_EQ(Query(data, query).series[0].observations.size(), 1u);

  query.start_period = "2019-13";
  auto bad = Select(data, query, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("startPeriod"), std::string::npos);
}

TEST(StatsQuery, FirstAndLastObservations) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"BFA"}, {"MLI"}, {"F"}});
  auto periods = [&] {
    std::vector<std::string> out;
    auto w = Query(data, query);
    for (const auto& o : w.series.at(0).observations) out.push_back(o.period);
    return out;
  };
  query.last_n = 2;
  EXPECT_EQ(periods(), (std::vector<std::string>{"2004", "2005"}));
  query.last_n = 0;
  query.first_n = 2;
  EXPECT_EQ(periods(), (std::vector<std::string>{"2000", "2001"}));
  query.last_n = 1;
  EXPECT_EQ(periods(), (std::vector<std::string>{"2000", "2001", "2005"}));
  query.first_n = 10;
  EXPECT_EQ(periods().size(), 6u);
  // Counted after the other filters.
  query.first_n = 0;
  query.last_n = 2;
  query.end_period = "2002";
  EXPECT_EQ(periods(), (std::vector<std::string>{"2001", "2002"}));
}

TEST(StatsQuery, TimeFilterOperators) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"BFA"}, {"MLI"}, {"F"}});
  auto periods = [&] {
    std::vector<std::string> out;
    auto w = Query(data, query);
    for (const auto& o : w.series.at(0).observations) out.push_back(o.period);
    return out;
  };
  query.filters = {Filter("TIME_PERIOD", {{{sdmx::Op::kGe, "2002"}, {sdmx::Op::kLt, "2004"}}})};
  EXPECT_EQ(periods(), (std::vector<std::string>{"2002", "2003"}));
  // Alternatives that keep observations apart.
  query.filters = {Filter("TIME_PERIOD", {{{sdmx::Op::kEq, "2000"}}, {{sdmx::Op::kGt, "2003"}}})};
  EXPECT_EQ(periods(), (std::vector<std::string>{"2000", "2004", "2005"}));
  query.filters = {Filter("TIME_PERIOD", {{{sdmx::Op::kNe, "2001"}}})};
  EXPECT_EQ(periods(), (std::vector<std::string>{"2000", "2002", "2003", "2004", "2005"}));
  query.last_n = 2;  // lastN over a selection with holes
  EXPECT_EQ(periods(), (std::vector<std::string>{"2004", "2005"}));
  query.last_n = 0;
  query.filters = {Filter("TIME_PERIOD", {{{sdmx::Op::kGe, "not-a-year"}}})};
  auto bad = Select(data, query, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(StatsQuery, DimensionAndAttributeFilters) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.filters = {Filter("REF_AREA", {{{sdmx::Op::kEq, "USA"}}}),
                   Filter("COUNTERPART_AREA", {{{sdmx::Op::kEq, "BFA"}}, {{sdmx::Op::kEq, "MLI"}}}),
                   Filter("SEX", {{{sdmx::Op::kNe, "_T"}}})};
  EXPECT_EQ(Query(data, query).Keys(),
            (std::vector<std::string>{"USA.BFA.F", "USA.BFA.M", "USA.MLI.F", "USA.MLI.M"}));
  // A filter and a key on the same dimension: both apply.
  query.key = KeyOf({{"USA", "FRA"}, {"MLI"}, {}});
  EXPECT_EQ(Query(data, query).Keys(), (std::vector<std::string>{"USA.MLI.F", "USA.MLI.M"}));

  query = {};
  query.key = KeyOf({{"BFA"}, {"MLI"}, {"F"}});
  query.filters = {Filter("OBS_STATUS", {{{sdmx::Op::kEq, "E"}}})};
  auto w = Query(data, query);
  ASSERT_EQ(w.series.at(0).observations.size(), 1u);
  EXPECT_EQ(w.series[0].observations[0].period, "2005");
  EXPECT_EQ(w.header.periods, std::vector<std::string>{"2005"});

  query.filters = {Filter("COLOUR", {{{sdmx::Op::kEq, "RED"}}})};
  auto bad = Select(data, query, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("COLOUR"), std::string::npos);
}

TEST(StatsQuery, UpdatedAfterKeepsSeriesChangedLater) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.updated_after = 1500;
  auto w = Query(data, query);
  EXPECT_EQ(w.series.size(), 4u * 3u);
  for (const auto& s : w.series) EXPECT_EQ(s.key[0], "USA");
}

TEST(StatsQuery, NothingMatchesIsNotFound) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"XYZ"}, {}, {}});
  auto r = Select(data, query, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  query.key = KeyOf({{"BFA"}, {"BFA"}, {"F"}});  // no such series
  EXPECT_EQ(Select(data, query, {}).error().code, ErrorCode::kNotFound);
  query.key = {};
  query.start_period = "2010";
  EXPECT_EQ(Select(data, query, {}).error().code, ErrorCode::kNotFound);
}

TEST(StatsQuery, KeyOfTheWrongLengthIsInvalid) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"BFA"}, {"MLI"}});
  auto r = Select(data, query, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("2 positions"), std::string::npos);
}

TEST(StatsQuery, TooLargeAnswersNameTheCountAndHowToNarrow) {
  FlowData data = MigrantStock();
  DataQuery query;
  auto r = Select(data, query, QueryLimits{100});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_NE(r.error().message.find("360 observations"), std::string::npos);
  EXPECT_NE(r.error().message.find("100"), std::string::npos);
  EXPECT_NE(r.error().message.find("startPeriod"), std::string::npos);
  // Series keys only: the limit counts series.
  query.detail = sdmx::Detail::kSeriesKeysOnly;
  ASSERT_TRUE(Select(data, query, QueryLimits{100}).ok());
}

TEST(StatsQuery, DetailLevels) {
  FlowData data = MigrantStock();
  DataQuery query;
  query.key = KeyOf({{"BFA"}, {"MLI"}, {}});
  query.detail = sdmx::Detail::kSeriesKeysOnly;
  auto w = Query(data, query);
  ASSERT_EQ(w.series.size(), 3u);
  EXPECT_TRUE(w.series[0].observations.empty());
  EXPECT_EQ(w.header.detail, sdmx::Detail::kSeriesKeysOnly);
  query.detail = sdmx::Detail::kDataOnly;
  w = Query(data, query);
  ASSERT_EQ(w.series[0].observations.size(), 6u);
  EXPECT_TRUE(w.series[0].observations[0].attributes.empty());
}

TEST(StatsQuery, EmitStopsWhenTheWriterRefuses) {
  FlowData data = MigrantStock();
  DataQuery query;
  auto selection = Select(data, query, {});
  ASSERT_TRUE(selection.ok());
  RecordingWriter writer;
  writer.stop_after = 2;
  EXPECT_FALSE(Emit(data, *selection, query, writer));
  EXPECT_EQ(writer.series.size(), 2u);
  EXPECT_FALSE(writer.ended);
}

TEST(StatsQuery, RegionalAggregatesSumCountriesAndSkipMissing) {
  FlowData data = MigrantStock();
  auto r = WithRegionalAggregates(data, "COUNTERPART_AREA", "region");
  ASSERT_TRUE(r.ok()) << r.error().message;
  DataQuery query;
  query.key = KeyOf({{"FRA"}, {}, {"F"}});
  auto w = Query(*r, query);
  // Origins of France: BFA, MLI (Africa 002), DEU (Europe 150), USA (Americas 019).
  EXPECT_EQ(w.Keys(), (std::vector<std::string>{"FRA.BFA.F", "FRA.MLI.F", "FRA.DEU.F", "FRA.USA.F",
                                                "FRA.002.F", "FRA.019.F", "FRA.150.F"}));
  const auto& africa = w.series[4];
  EXPECT_TRUE(africa.derived);
  ASSERT_EQ(africa.observations.size(), 6u);
  // 2000: FRA←BFA (2000) + FRA←MLI (2100); 2003: FRA←BFA is missing, so MLI's alone.
  EXPECT_EQ(africa.observations[0].value, 2000 + 2100);
  EXPECT_EQ(africa.observations[3].value, 2103);
  EXPECT_EQ(africa.observations[0].attributes, std::vector<std::string>{""});
  EXPECT_FALSE(w.series[0].derived);
  // No country of Oceania: no Oceania series; the codelist names the regions.
  query.key = KeyOf({{"FRA"}, {"009"}, {"F"}});
  EXPECT_EQ(Select(*r, query, {}).error().code, ErrorCode::kNotFound);
  const auto* areas = r->flow.structure.FindCodelist("CL_AREA");
  ASSERT_NE(areas, nullptr);
  bool named = false;
  for (const auto& c : areas->codes) named = named || (c.id == "002" && c.name == "Africa");
  EXPECT_TRUE(named);

  auto world = WithRegionalAggregates(data, "REF_AREA", "world");
  ASSERT_TRUE(world.ok());
  query.key = KeyOf({{"001"}, {"BFA"}, {"_T"}});
  auto ww = Query(*world, query);
  ASSERT_EQ(ww.series.size(), 1u);
  // Every destination but BFA itself: MLI, FRA, DEU, USA, women+men+total code 2 → 20 each.
  EXPECT_EQ(ww.series[0].observations[0].value, 1020 + 2020 + 3020 + 4020);
}

TEST(StatsQuery, RegionalAggregatesOverM49CodesAndNonCountryDimensions) {
  FlowData data = MigrantStock();
  data.flow.structure.codelists[0] = Codes("CL_AREA", {"854", "466", "250", "276", "840"});
  auto r = WithRegionalAggregates(data, "REF_AREA", "subregion");
  ASSERT_TRUE(r.ok()) << r.error().message;
  DataQuery query;
  query.key = KeyOf({{"202"}, {"250"}, {"M"}});  // Sub-Saharan Africa ← France
  auto w = Query(*r, query);
  ASSERT_EQ(w.series.size(), 1u);
  EXPECT_EQ(w.series[0].observations[0].value, 0 + 200 + 10 + 1000 + 200 + 10);

  auto bad = WithRegionalAggregates(data, "SEX", "region");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(WithRegionalAggregates(data, "REF_AREA", "galaxy").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(WithRegionalAggregates(data, "NOPE", "world").error().code,
            ErrorCode::kInvalidArgument);
}

TEST(StatsQuery, PerPopulationDividesByTheTotalPopulation) {
  FlowData data = MigrantStock();
  FlowData population;
  auto& s = population.flow.structure;
  s.dimensions = {{"SEX", "Sex", "CL_SEX", ""}, {"REF_AREA", "Area", "CL_AREA", ""}};
  s.codelists = {Codes("CL_AREA", {"FRA", "MLI"}), Codes("CL_SEX", {"F", "_T"})};
  population.periods = {"2000", "2001"};
  population.series.push_back({{0, 0}, {0, 1}, {1000, 1000}, {}, 1, 1, false});   // FRA women
  population.series.push_back({{1, 0}, {0, 1}, {64000, 2000}, {}, 1, 1, false});  // FRA total
  population.series.push_back({{1, 1}, {1}, {0}, {}, 1, 1, false});               // MLI 2001: 0
  auto r = PerPopulation(data, "REF_AREA", population, "REF_AREA");
  ASSERT_TRUE(r.ok()) << r.error().message;
  DataQuery query;
  query.key = KeyOf({{"FRA"}, {"MLI"}, {"F"}});
  auto w = Query(*r, query);
  ASSERT_EQ(w.series.size(), 1u);
  EXPECT_TRUE(w.series[0].derived);
  EXPECT_DOUBLE_EQ(w.series[0].observations[0].value, 2100 * 1000.0 / 64000);
  EXPECT_DOUBLE_EQ(w.series[0].observations[1].value, 2101 * 1000.0 / 2000);
  EXPECT_TRUE(std::isnan(w.series[0].observations[2].value));  // no population for 2002
  query.key = KeyOf({{"MLI"}, {"FRA"}, {"F"}});
  w = Query(*r, query);
  EXPECT_TRUE(std::isnan(w.series.at(0).observations[1].value));  // a zero population
  // A population coded M49 (France 250) serves data coded ISO alpha-3.
  population.flow.structure.codelists[0] = Codes("CL_AREA", {"250", "466"});
  r = PerPopulation(data, "REF_AREA", population, "REF_AREA");
  ASSERT_TRUE(r.ok());
  query.key = KeyOf({{"FRA"}, {"MLI"}, {"F"}});
  w = Query(*r, query);
  EXPECT_DOUBLE_EQ(w.series.at(0).observations[0].value, 2100 * 1000.0 / 64000);
  // The share in percent.
  r = PerPopulation(data, "REF_AREA", population, "REF_AREA", 100.0);
  ASSERT_TRUE(r.ok());
  w = Query(*r, query);
  EXPECT_DOUBLE_EQ(w.series.at(0).observations[0].value, 2100 * 100.0 / 64000);
  EXPECT_EQ(PerPopulation(data, "REF_AREA", population, "AREA").error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gmg::stats
