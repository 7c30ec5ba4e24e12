#include "statistics/infer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifndef GMG_SHARED_DIR
#define GMG_SHARED_DIR "/work/shared"
#endif

namespace gmg::stats {
namespace {

namespace fs = std::filesystem;
using Kind = ColumnRole::Kind;

const fs::path kMigration = fs::path(GMG_SHARED_DIR) / "reference" / "migration";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One observation as the sink saw it, copied.
struct Obs {
  std::vector<std::string> key;
  std::string period;
  std::string value;
  int64_t line = 0;
};

struct Applied {
  Status status;
  std::vector<Obs> obs;
  std::vector<Problem> problems;
  int64_t problem_count = 0;
};

Applied Apply(std::string_view text, const Inference& inf) {
  Applied a;
  a.status = ApplyMapping(
      text, inf.mapping, inf.structure,
      [&](const sdmx::ObservationView& v) {
        Obs o{{v.key.begin(), v.key.end()}, std::string(v.period), std::string(v.value), v.line};
        a.obs.push_back(std::move(o));
        return Ok();
      },
      &a.problems, &a.problem_count);
  return a;
}

std::vector<std::string> DimensionIds(const sdmx::DataStructure& s) {
  std::vector<std::string> ids;
  for (const sdmx::Component& c : s.dimensions) ids.push_back(c.id);
  return ids;
}

bool HasNote(const Inference& inf, std::string_view rule) {
  for (const InferenceNote& n : inf.notes) {
    if (n.rule == rule) return true;
  }
  return false;
}

std::string NoteOf(const Inference& inf, std::string_view rule) {
  for (const InferenceNote& n : inf.notes) {
    if (n.rule == rule) return n.message;
  }
  return "";
}

Inference MustInfer(std::string_view text) {
  Result<Inference> r = InferStructure(text, "TEST", "FLOW");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : Inference{};
}

// ---- The real tables ---------------------------------------------------------------------------

TEST(InferReference, UnDesaWideByOrigin) {
  std::string text = ReadFile(kMigration / "UN_MigrantStockByOriginAndDestination_2019_clean.csv");
  ASSERT_FALSE(text.empty());
  Inference inf = MustInfer(text);
  EXPECT_EQ(DimensionIds(inf.structure),
            (std::vector<std::string>{"REF_AREA", "COUNTERPART_AREA"}));
  const ColumnMapping& m = inf.mapping;
  EXPECT_EQ(m.header_line, 1);
  EXPECT_EQ(m.wide_dimension, "COUNTERPART_AREA");
  ASSERT_EQ(m.columns.size(), 234u);
  EXPECT_EQ(m.roles[0].kind, Kind::kTime);
  EXPECT_EQ(m.roles[1].kind, Kind::kDimension);
  EXPECT_EQ(m.roles[1].dimension, "REF_AREA");
  for (size_t j = 2; j < m.columns.size(); ++j) {
    EXPECT_EQ(m.roles[j].kind, Kind::kWideValues) << m.columns[j];
    EXPECT_EQ(m.roles[j].dimension, "COUNTERPART_AREA");
  }
  const sdmx::Codelist* areas = inf.structure.FindCodelist("CL_AREA");
  ASSERT_NE(areas, nullptr);
  std::set<std::string> codes;
  for (const sdmx::Code& c : areas->codes) codes.insert(c.id);
  for (const char* c : {"BOL", "CIV", "830", "029", "057", "FSM", "HKG", "BES"}) {
    EXPECT_TRUE(codes.count(c)) << c;
  }
  EXPECT_EQ(inf.preview_observations, 1659 * 232);
  EXPECT_NE(NoteOf(inf, "area_names").find("regions"), std::string::npos);
  EXPECT_NE(NoteOf(inf, "missing_markers").find("'..' 341 cells"), std::string::npos)
      << NoteOf(inf, "missing_markers");
  EXPECT_FALSE(HasNote(inf, "unknown_values"));

  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok()) << a.status.error().message;
  EXPECT_EQ(a.problem_count, 0) << (a.problems.empty() ? "" : a.problems[0].message);
  ASSERT_EQ(a.obs.size(), 1659u * 232u);
  // Line 2: 1990, Burundi; first origin Afghanistan.
  EXPECT_EQ(a.obs[0].key, (std::vector<std::string>{"BDI", "AFG"}));
  EXPECT_EQ(a.obs[0].period, "1990");
  EXPECT_EQ(a.obs[0].line, 2);
  size_t missing = 0;
  for (const Obs& o : a.obs) missing += o.value.empty() ? 1 : 0;
  EXPECT_EQ(missing, 341u + 4u);
}

TEST(InferReference, UnhcrLongWithTwoMeasures) {
  std::string text = ReadFile(kMigration / "unhcr_2020.csv");
  ASSERT_FALSE(text.empty());
  Inference inf = MustInfer(text);
  EXPECT_EQ(DimensionIds(inf.structure),
            (std::vector<std::string>{"REF_AREA", "COUNTERPART_AREA", "MEASURE"}));
  const ColumnMapping& m = inf.mapping;
  ASSERT_EQ(m.columns,
            (std::vector<std::string>{"year", "orig", "dest", "refugees", "asylum_seekers"}));
  EXPECT_EQ(m.roles[0].kind, Kind::kTime);
  EXPECT_EQ(m.roles[1].dimension, "COUNTERPART_AREA");
  EXPECT_EQ(m.roles[1].empty_code, "_U");
  EXPECT_EQ(m.roles[2].dimension, "REF_AREA");
  EXPECT_EQ(m.roles[3].kind, Kind::kValue);
  EXPECT_EQ(m.roles[3].measure, "REFUGEES");
  EXPECT_EQ(m.roles[4].measure, "ASYLUM_SEEKERS");
  EXPECT_TRUE(m.wide_dimension.empty());
  const sdmx::Codelist* measures = inf.structure.FindCodelist("CL_MEASURE");
  ASSERT_NE(measures, nullptr);
  EXPECT_EQ(measures->codes.size(), 2u);
  EXPECT_TRUE(HasNote(inf, "empty_codes"));
  EXPECT_FALSE(HasNote(inf, "unknown_values")) << NoteOf(inf, "unknown_values");

  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok()) << a.status.error().message;
  EXPECT_EQ(a.problem_count, 0) << (a.problems.empty() ? "" : a.problems[0].message);
  ASSERT_EQ(a.obs.size(), 93936u * 2u);
  EXPECT_EQ(a.obs[0].key, (std::vector<std::string>{"AFG", "AFG", "REFUGEES"}));
  EXPECT_EQ(a.obs[1].key, (std::vector<std::string>{"AFG", "AFG", "ASYLUM_SEEKERS"}));
  EXPECT_EQ(a.obs[0].period, "1995");
  std::map<std::string, int> special;
  size_t missing = 0;
  for (const Obs& o : a.obs) {
    if (o.key[1] == "_U" || o.key[1] == "XXA" || o.key[1] == "TIB") ++special[o.key[1]];
    if (o.value.empty()) ++missing;
  }
  EXPECT_EQ(special["_U"], 1307 * 2);
  EXPECT_GT(special["XXA"], 0);
  EXPECT_GT(special["TIB"], 0);
  EXPECT_EQ(missing, 12u);  // "NA"
}

// ---- Tricky inputs -----------------------------------------------------------------------------

TEST(Infer, PreambleBomCrlfQuotedNamesAndSemicolons) {
  std::string text =
      "\xEF\xBB\xBFInternational migrant stock; by destination\r\n"
      "Source: a test\r\n"
      "\r\n"
      "Country;Sex;1990;2000\r\n"
      "\"Bolivia (Plurinational State of)\";Male;1 234;..\r\n"
      "\"Bonaire, Sint Eustatius and Saba\";Female;5;-\r\n"
      "Côte d'Ivoire;Total;\"12 345 678\";*\r\n"
      "Note: figures are estimates\r\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(inf.mapping.delimiter, ';');
  EXPECT_EQ(inf.mapping.header_line, 4);
  EXPECT_EQ(inf.mapping.wide_dimension, "TIME_PERIOD");
  EXPECT_EQ(DimensionIds(inf.structure), (std::vector<std::string>{"REF_AREA", "SEX"}));
  EXPECT_TRUE(HasNote(inf, "header_line"));
  EXPECT_TRUE(HasNote(inf, "years_as_columns"));
  EXPECT_TRUE(HasNote(inf, "note_lines"));
  EXPECT_TRUE(inf.mapping.skip_note_lines);
  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok()) << a.status.error().message;
  EXPECT_EQ(a.problem_count, 0) << (a.problems.empty() ? "" : a.problems[0].message);
  ASSERT_EQ(a.obs.size(), 6u);
  EXPECT_EQ(a.obs[0].key, (std::vector<std::string>{"BOL", "M"}));
  EXPECT_EQ(a.obs[0].period, "1990");
  EXPECT_EQ(a.obs[0].value, "1234");
  EXPECT_EQ(a.obs[0].line, 5);
  EXPECT_EQ(a.obs[1].value, "");
  EXPECT_EQ(a.obs[2].key, (std::vector<std::string>{"BES", "F"}));
  EXPECT_EQ(a.obs[4].key, (std::vector<std::string>{"CIV", "_T"}));
  EXPECT_EQ(a.obs[4].value, "12345678");
}

TEST(Infer, ThousandsSeparatorsOnlyBetweenGroupsOfThree) {
  std::string text =
      "year,country,value\n"
      "2000,FR,\"1,234\"\n"
      "2001,FR,\"1,234,567.5\"\n"
      "2002,FR,-12.5\n"
      "2003,FR,\"1,23\"\n"
      "2004,FR,\"12,3456\"\n"
      "2005,FR,1e3\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(inf.mapping.decimal_mark, '.');
  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok());
  std::vector<std::string> values;
  for (const Obs& o : a.obs) values.push_back(o.value);
  EXPECT_EQ(values, (std::vector<std::string>{"1234", "1234567.5", "-12.5", "1e3"}));
  ASSERT_EQ(a.problem_count, 2);
  EXPECT_EQ(a.problems[0].line, 5);
  EXPECT_EQ(a.problems[0].column, "value");
  EXPECT_EQ(a.problems[0].rule, "not_a_number");
  EXPECT_EQ(a.problems[1].line, 6);
}

TEST(Infer, DecimalCommaWithSemicolons) {
  std::string text = "Jahr;Land;Wert\n2019;DE;1,5\n2020;DE;1.234,25\n2021;AT;7\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(inf.mapping.decimal_mark, ',');
  EXPECT_TRUE(HasNote(inf, "number_format"));
  Applied a = Apply(text, inf);
  ASSERT_EQ(a.obs.size(), 3u);
  EXPECT_EQ(a.obs[0].value, "1.5");
  EXPECT_EQ(a.obs[1].value, "1234.25");
  EXPECT_EQ(a.obs[2].key, (std::vector<std::string>{"AUT"}));
}

TEST(Infer, UnknownCountryIsANoteThenAProblem) {
  std::string text =
      "Year,Country,Migrants\n1990,France,10\n1990,Atlantis,20\n1995,Spain,30\n1995,Peru,\n";
  Inference inf = MustInfer(text);
  std::string note = NoteOf(inf, "unknown_values");
  EXPECT_NE(note.find("'Atlantis'"), std::string::npos) << note;
  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok());
  ASSERT_EQ(a.problem_count, 1);
  EXPECT_EQ(a.problems[0].line, 3);
  EXPECT_EQ(a.problems[0].column, "Country");
  EXPECT_EQ(a.problems[0].rule, "unknown_code");
  EXPECT_NE(a.problems[0].message.find("Atlantis"), std::string::npos);
  ASSERT_EQ(a.obs.size(), 3u);  // the empty value is a missing observation
  EXPECT_EQ(a.obs[2].value, "");
}

TEST(Infer, TotalsAndRegionsAreReportedAndKept) {
  std::string text =
      "Year,Destination,Total,France,Spain,Other\n"
      "2019,Germany,100,60,30,10\n"
      "2019,World,500,300,150,50\n"
      "2019,Total,600,360,180,60\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(inf.mapping.wide_dimension, "COUNTERPART_AREA");
  EXPECT_TRUE(HasNote(inf, "total_values")) << NoteOf(inf, "area_names");
  EXPECT_NE(NoteOf(inf, "area_names").find("'World'"), std::string::npos);
  EXPECT_NE(NoteOf(inf, "areas_as_columns").find("'Total'"), std::string::npos);
  Applied a = Apply(text, inf);
  ASSERT_EQ(a.problem_count, 0);
  ASSERT_EQ(a.obs.size(), 12u);
  EXPECT_EQ(a.obs[0].key, (std::vector<std::string>{"DEU", "_T"}));
  EXPECT_EQ(a.obs[3].key, (std::vector<std::string>{"DEU", "_O"}));
  EXPECT_EQ(a.obs[8].key, (std::vector<std::string>{"_T", "_T"}));
}

// The shape of UN DESA's raw tables: sort order, notes, M49 code and type-of-data columns beside
// the destination, then Total, Other North, Other South and the origins.
TEST(Infer, UnDesaRawShape) {
  std::string text =
      "Year,Sort order,\"Major area, region, country or area of destination\",Notes,Code,"
      "Type of data (a),Total,Other North,Other South,Afghanistan,Albania\n"
      "2019,1,WORLD,,900,,271642105,1000,2000,5000,1200\n"
      "2019,2,Sub-Saharan Africa,,947,,23000000,..,..,30,20\n"
      "2019,3,Burundi,1,108,B R,300000,..,..,0,0\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(DimensionIds(inf.structure),
            (std::vector<std::string>{"REF_AREA", "COUNTERPART_AREA"}));
  const ColumnMapping& m = inf.mapping;
  EXPECT_EQ(m.roles[1].kind, Kind::kIgnored);
  EXPECT_EQ(m.roles[2].dimension, "REF_AREA");
  EXPECT_EQ(m.roles[3].kind, Kind::kAttribute);
  EXPECT_EQ(m.roles[4].kind, Kind::kIgnored);
  EXPECT_EQ(m.roles[5].kind, Kind::kAttribute);
  Applied a = Apply(text, inf);
  ASSERT_EQ(a.problem_count, 0) << a.problems[0].message;
  ASSERT_EQ(a.obs.size(), 15u);
  std::vector<std::string> origins;
  for (size_t i = 0; i < 5; ++i) origins.push_back(a.obs[i].key[1]);
  EXPECT_EQ(origins, (std::vector<std::string>{"_T", "_O_NORTH", "_O_SOUTH", "AFG", "ALB"}));
  EXPECT_EQ(a.obs[0].key[0], "001");
  EXPECT_EQ(a.obs[5].key[0], "202");
  EXPECT_EQ(a.obs[10].key[0], "BDI");
}

TEST(Infer, DuplicateHeaderColumnIsReported) {
  std::string text = "year,country,value,value\n2000,FR,1,2\n";
  Inference inf = MustInfer(text);
  EXPECT_TRUE(HasNote(inf, "duplicate_column"));
  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok());
  ASSERT_GE(a.problem_count, 1);
  EXPECT_EQ(a.problems[0].rule, "duplicate_column");
  EXPECT_EQ(a.problems[0].line, 1);
}

TEST(Infer, RefusesWhatIsNotATable) {
  std::string binary("PK\x03\x04\x00\x00\x08\x00", 8);
  Result<Inference> r = InferStructure(binary, "A", "F");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not a CSV file"), std::string::npos) << r.error().message;
  r = InferStructure("", "A", "F");
  EXPECT_FALSE(r.ok());
  r = InferStructure("just one line of prose\nand another\n", "A", "F");
  EXPECT_FALSE(r.ok());
  r = InferStructure("name,colour\nFrance,blue\nSpain,red\n", "A", "F");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no value column"), std::string::npos) << r.error().message;
  r = InferStructure("country,value\nFrance,1\nSpain,2\n", "A", "F");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no time"), std::string::npos) << r.error().message;
}

TEST(Infer, ApplyChecksTheHeaderAndReportsBadRows) {
  std::string text = "year,country,value\n2000,FR,1\n2001,FR,2\n";
  Inference inf = MustInfer(text);
  Applied a = Apply("year,land,value\n2000,FR,1\n", inf);
  ASSERT_FALSE(a.status.ok());
  EXPECT_NE(a.status.error().message.find("'land'"), std::string::npos);
  a = Apply("year,country,value\n20x0,FR,1\n2001,FR\n2002,,3\n2003,FR,\"4\n", inf);
  ASSERT_TRUE(a.status.ok()) << a.status.error().message;
  std::vector<std::string> rules;
  for (const Problem& p : a.problems) rules.push_back(p.rule);
  EXPECT_EQ(rules,
            (std::vector<std::string>{"bad_period", "field_count", "missing_code", "csv_syntax"}));
  EXPECT_EQ(a.problems[0].line, 2);
  EXPECT_EQ(a.problems[1].line, 3);
  EXPECT_EQ(a.problems[2].line, 4);
  EXPECT_TRUE(a.obs.empty());
}

TEST(Infer, ProblemsAreCappedButCounted) {
  std::string text = "year,country,value\n";
  for (int i = 0; i < 50; ++i) text += "2000,FR,x" + std::to_string(i) + "\n";
  text += "2001,FR,1\n";
  Result<Inference> inf = InferStructure("year,country,value\n2000,FR,1\n", "A", "F");
  ASSERT_TRUE(inf.ok());
  std::vector<Problem> problems;
  int64_t count = 0;
  int64_t seen = 0;
  Status s = ApplyMapping(
      text, inf->mapping, inf->structure,
      [&](const sdmx::ObservationView&) {
        ++seen;
        return Ok();
      },
      &problems, &count, 10);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(count, 50);
  EXPECT_EQ(problems.size(), 10u);
  EXPECT_EQ(seen, 1);
}

TEST(Infer, SinkErrorStopsTheRead) {
  std::string text = "year,country,value\n2000,FR,1\n2001,FR,2\n";
  Inference inf = MustInfer(text);
  std::vector<Problem> problems;
  int64_t count = 0;
  int calls = 0;
  Status s = ApplyMapping(
      text, inf.mapping, inf.structure,
      [&](const sdmx::ObservationView&) -> Status {
        ++calls;
        return MakeError(ErrorCode::kInvalidArgument, "stop");
      },
      &problems, &count);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "stop");
  EXPECT_EQ(calls, 1);
}

// A header cell with a no-break space then a space (found by infer_fuzz): trimmed alike when
// inferring and when applying.
TEST(Infer, MixedSpacesAroundHeaderCells) {
  std::string text = "year,country,\xC2\xA0 value \xC2\xA0\n2000,FR,1\n2001,FR,2\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(inf.mapping.columns[2], "value");
  Applied a = Apply(text, inf);
  ASSERT_TRUE(a.status.ok()) << a.status.error().message;
  EXPECT_EQ(a.obs.size(), 2u);
}

TEST(Infer, FlagColumnIsAnAttribute) {
  std::string text = "year,country,value,flag\n2000,FR,1,e\n2001,FR,2,\n2002,FR,3,p\n";
  Inference inf = MustInfer(text);
  ASSERT_EQ(inf.structure.attributes.size(), 1u);
  EXPECT_EQ(inf.structure.attributes[0].id, "FLAG");
  EXPECT_EQ(inf.mapping.roles[3].kind, Kind::kAttribute);
  std::vector<std::string> flags;
  std::vector<Problem> problems;
  int64_t count = 0;
  ASSERT_TRUE(ApplyMapping(
                  text, inf.mapping, inf.structure,
                  [&](const sdmx::ObservationView& v) {
                    flags.emplace_back(v.attributes[0]);
                    return Ok();
                  },
                  &problems, &count)
                  .ok());
  EXPECT_EQ(flags, (std::vector<std::string>{"e", "", "p"}));
}

TEST(Infer, LongTableWithSexAndIsoCodes) {
  std::string text =
      "Period\tReporting country\tCountry of birth\tSex\tObs\n"
      "2019-Q1\tFRA\tDZ\tMales\t10\n"
      "2019-Q1\tFRA\tDZ\tFemales\t12\n"
      "2019Q2\tFRA\t012\tBoth sexes\t22\n";
  Inference inf = MustInfer(text);
  EXPECT_EQ(inf.mapping.delimiter, '\t');
  EXPECT_EQ(DimensionIds(inf.structure),
            (std::vector<std::string>{"REF_AREA", "COUNTERPART_AREA", "SEX"}));
  Applied a = Apply(text, inf);
  ASSERT_EQ(a.problem_count, 0) << a.problems[0].message;
  ASSERT_EQ(a.obs.size(), 3u);
  EXPECT_EQ(a.obs[0].key, (std::vector<std::string>{"FRA", "DZA", "M"}));
  EXPECT_EQ(a.obs[2].key, (std::vector<std::string>{"FRA", "DZA", "_T"}));
  EXPECT_EQ(a.obs[2].period, "2019-Q2");
}

}  // namespace
}  // namespace gmg::stats
