#include "activities/query_terms.h"

#include <gtest/gtest.h>

namespace gmg {
namespace {

const std::vector<std::pair<std::string, std::string>> kThemes = {
    {"remittances", "Remittances"},
    {"labour-migration", "Labour migration"},
    {"refugee-protection", "Refugee protection and asylum"},
};

std::vector<std::string> Codes(const QueryInterpretation& r) {
  std::vector<std::string> out;
  for (const auto& t : r.terms) out.push_back(t.filter + ":" + t.code + "=" + t.words);
  return out;
}

TEST(QueryTermsTest, PlacesAndThemesBecomeFiltersAndTheRestStaysText) {
  QueryTerms terms(kThemes);
  auto r = terms.Interpret("remittances africa");
  EXPECT_EQ(Codes(r),
            (std::vector<std::string>{"theme:remittances=remittances", "region:002=africa"}));
  EXPECT_EQ(r.remaining, "");

  r = terms.Interpret("recruitment fees in South Africa and Lesotho");
  EXPECT_EQ(Codes(r), (std::vector<std::string>{"country:ZA=South Africa", "country:LS=Lesotho"}));
  EXPECT_EQ(r.remaining, "recruitment fees in and");

  r = terms.Interpret("corridor survey");
  EXPECT_TRUE(r.terms.empty());
  EXPECT_EQ(r.remaining, "corridor survey");
}

TEST(QueryTermsTest, NamesInFrenchSpanishAndArabicWithoutAccentsOrCase) {
  QueryTerms terms(kThemes);
  EXPECT_EQ(Codes(terms.Interpret("envois de fonds Afrique de l'Ouest")),
            (std::vector<std::string>{"theme:remittances=envois de fonds",
                                      "region:011=Afrique de l'Ouest"}));
  EXPECT_EQ(Codes(terms.Interpret("REMESAS america latina")),
            (std::vector<std::string>{"theme:remittances=REMESAS", "region:419=america latina"}));
  EXPECT_EQ(Codes(terms.Interpret("Côte d’Ivoire")),
            (std::vector<std::string>{"country:CI=Côte d’Ivoire"}));
  EXPECT_EQ(Codes(terms.Interpret("cote d ivoire")),
            (std::vector<std::string>{"country:CI=cote d ivoire"}));
  EXPECT_EQ(Codes(terms.Interpret("المغرب")), (std::vector<std::string>{"country:MA=المغرب"}));
  EXPECT_EQ(Codes(terms.Interpret("labour-migration")),
            (std::vector<std::string>{"theme:labour-migration=labour-migration"}));
}

TEST(QueryTermsTest, EachCodeOnceAndOnlyLiveThemes) {
  QueryTerms terms(
      std::vector<std::pair<std::string, std::string>>{{"remittances", "Remittances"}});
  auto r = terms.Interpret("Mexico mexique México");
  EXPECT_EQ(r.terms.size(), 1u);
  EXPECT_EQ(r.terms[0].code, "MX");
  // Seeded translations answer only for themes the taxonomy has.
  EXPECT_TRUE(terms.Interpret("apatridie").terms.empty());
}

TEST(QueryTermsTest, FoldIgnoresCaseAccentsAndPunctuation) {
  EXPECT_EQ(QueryTerms::Fold("  Côte d'Ivoire — SÃO Tomé!"), "cote d ivoire sao tome");
  EXPECT_EQ(QueryTerms::Fold("Œuvre"), "oeuvre");
  EXPECT_EQ(QueryTerms::Fold(""), "");
}

TEST(QueryTermsTest, LongQueriesAndOddBytesAreSafe) {
  QueryTerms terms(kThemes);
  std::string many;
  for (int i = 0; i < 100; ++i) many += "word" + std::to_string(i) + " ";
  many += "Mexico";
  auto r = terms.Interpret(many);
  EXPECT_TRUE(r.terms.empty()) << "names after the 64th word stay text";
  EXPECT_NE(r.remaining.find("Mexico"), std::string::npos);
  std::string bytes = "\xff\xfe\xc3 Mexico \xe2\x82";
  EXPECT_EQ(Codes(terms.Interpret(bytes)), (std::vector<std::string>{"country:MX=Mexico"}));
}

}  // namespace
}  // namespace gmg
