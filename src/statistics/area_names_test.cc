#include "statistics/area_names.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "interop/csv_reader.h"

#ifndef GMG_SHARED_DIR
#define GMG_SHARED_DIR "/work/shared"
#endif

namespace gmg::stats {
namespace {

namespace fs = std::filesystem;

const fs::path kMigration = fs::path(GMG_SHARED_DIR) / "reference" / "migration";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string CodeOf(std::string_view text) {
  std::optional<Area> a = ResolveArea(text);
  return a ? a->code : "<none>";
}

TEST(AreaNames, CodesInEveryForm) {
  EXPECT_EQ(CodeOf("BF"), "BFA");
  EXPECT_EQ(CodeOf("bfa"), "BFA");
  EXPECT_EQ(CodeOf("854"), "BFA");
  EXPECT_EQ(CodeOf("4"), "AFG");
  EXPECT_EQ(CodeOf("004"), "AFG");
  EXPECT_EQ(CodeOf("NA"), "NAM");  // Namibia's alpha-2 code, not a missing marker here
  EXPECT_EQ(CodeOf("202"), "202");
  EXPECT_EQ(CodeOf("Burkina Faso"), "BFA");
}

TEST(AreaNames, NamesIgnoreCaseAccentsAndPunctuation) {
  EXPECT_EQ(CodeOf("Côte d'Ivoire"), "CIV");
  EXPECT_EQ(CodeOf("COTE D’IVOIRE"), "CIV");
  EXPECT_EQ(CodeOf("Cote dIvoire"), "CIV");
  EXPECT_EQ(CodeOf("Bolivia (Plurinational State of)"), "BOL");
  EXPECT_EQ(CodeOf("  bolivia  plurinational state of "), "BOL");
  EXPECT_EQ(CodeOf("Bosnia & Herzegovina"), "BIH");
  EXPECT_EQ(CodeOf("Réunion"), "REU");
  EXPECT_EQ(CodeOf("Reunion"), "REU");
  EXPECT_EQ(CodeOf("Türkiye"), "TUR");
  EXPECT_EQ(CodeOf("Turkey"), "TUR");
  EXPECT_EQ(CodeOf("Bahamas (the)"), "BHS");
  EXPECT_EQ(CodeOf("Sudan 2"), "SDN");  // a footnote mark after the name
  EXPECT_EQ(CodeOf("China, Hong Kong SAR"), "HKG");
  EXPECT_EQ(CodeOf("Atlantis"), "<none>");
  EXPECT_EQ(CodeOf(""), "<none>");
  EXPECT_EQ(NormaliseAreaName("Côte d’Ivoire & the  Islands*"), "cote divoire and islands");
}

TEST(AreaNames, RegionsHistoricalAndSpecialCodes) {
  std::optional<Area> micronesia = ResolveArea("Micronesia");  // the M49 sub-region
  ASSERT_TRUE(micronesia);
  EXPECT_EQ(micronesia->code, "057");
  EXPECT_TRUE(micronesia->region);
  EXPECT_EQ(CodeOf("Micronesia (Fed. States of)"), "FSM");
  EXPECT_EQ(CodeOf("Sub-Saharan Africa"), "202");
  EXPECT_EQ(CodeOf("Latin America and the Caribbean"), "419");
  EXPECT_EQ(CodeOf("World"), "001");
  EXPECT_EQ(CodeOf("Less developed regions"), "902");
  std::optional<Area> scg = ResolveArea("Serbia and Montenegro");
  ASSERT_TRUE(scg);
  EXPECT_EQ(scg->code, "SCG");
  EXPECT_TRUE(scg->historical);
  EXPECT_EQ(CodeOf("Netherlands Antilles"), "ANT");
  EXPECT_EQ(CodeOf("Soviet Union"), "SUN");
  EXPECT_EQ(CodeOf("USSR"), "SUN");
  EXPECT_EQ(CodeOf("Yugoslavia"), "YUG");
  EXPECT_EQ(CodeOf("Czechoslovakia"), "CSK");
  EXPECT_EQ(CodeOf("Sudan [former]"), "736");
  EXPECT_EQ(CodeOf("Channel Islands"), "830");
  EXPECT_EQ(CodeOf("Kosovo (under UNSC res. 1244)"), "XKX");
  EXPECT_EQ(CodeOf("XXA"), "XXA");  // UNHCR: stateless
  EXPECT_EQ(CodeOf("Stateless"), "XXA");
  EXPECT_EQ(CodeOf("TIB"), "TIB");  // UNHCR: Tibetan
  std::optional<Area> unknown = ResolveArea("UKN");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->code, "_U");
  EXPECT_TRUE(unknown->non_area);
  EXPECT_EQ(CodeOf("Various/unknown"), "_U");
  EXPECT_EQ(CodeOf("Total"), "_T");
  EXPECT_EQ(CodeOf("Other South"), "_O_SOUTH");
  EXPECT_EQ(CodeOf("Other North"), "_O_NORTH");
  EXPECT_EQ(CodeOf("Other"), "_O");
}

TEST(AreaNames, NoNameBelongsToTwoAreas) {
  EXPECT_EQ(AreaNameCollisions(), std::vector<std::string>{});
  std::set<std::string> codes;
  for (const Area& a : AllAreas()) EXPECT_TRUE(codes.insert(a.code).second) << a.code;
  EXPECT_GT(AllAreas().size(), 300u);
}

// Every origin and destination name of UN DESA's table and every code of UNHCR's resolves.
TEST(AreaNames, EveryNameOfTheReferenceTablesResolves) {
  std::string desa = ReadFile(kMigration / "UN_MigrantStockByOriginAndDestination_2019_clean.csv");
  std::string unhcr = ReadFile(kMigration / "unhcr_2020.csv");
  ASSERT_FALSE(desa.empty());
  ASSERT_FALSE(unhcr.empty());
  std::set<std::string> unresolved;
  size_t names = 0;
  auto check = [&](std::string_view text, bool desa_shape) {
    csv::Reader reader(text, csv::Dialect{});
    std::vector<std::string_view> fields;
    bool header = true;
    while (true) {
      Result<bool> more = reader.Next(&fields);
      ASSERT_TRUE(more.ok());
      if (!*more) break;
      std::vector<std::string_view> cells;
      if (desa_shape) {
        if (header)
          cells.assign(fields.begin() + 2, fields.end());
        else
          cells.push_back(fields[1]);
      } else if (!header) {
        cells = {fields[1], fields[2]};
      }
      header = false;
      for (std::string_view c : cells) {
        if (c.empty()) continue;  // UNHCR's blank origin: inference reads it as _U
        ++names;
        if (!ResolveArea(c)) unresolved.insert(std::string(c));
      }
    }
  };
  check(desa, true);
  check(unhcr, false);
  EXPECT_EQ(unresolved, std::set<std::string>{});
  EXPECT_GT(names, 180000u);
}

}  // namespace
}  // namespace gmg::stats
