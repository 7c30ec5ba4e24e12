#include "store/sqlite/fts5_functions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/stem.h"
#include "store/sqlite/sqlite_database.h"

// The gmg_stem tokenizer: documents stemmed in the language of their marks, queries in all
// three languages, positions kept for highlight().
namespace gmg {
namespace {

#define MARK(lang) "\x1f" lang "\x1f"

class StemTokenizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = SqliteDatabase::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Write([](Tx& tx) -> Status {
                     GMG_RETURN_IF_ERROR(tx.ExecScript(
                         "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'gmg_stem "
                         "remove_diacritics 2');"
                         "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');"));
                     for (const char* body : {
                              MARK("fr") "Protection des réfugiés",                 // 1
                              MARK("en") "Refugee protection",                      // 2
                              MARK("es") "Derechos de los trabajadores migrantes",  // 3
                              MARK("en") "Migrant workers' rights\n" MARK(
                                  "fr") "Droits des travailleurs migrants",  // 4
                              "Trainings for border officials",              // 5: no mark
                              MARK("ar") "Mobilité\x1f"
                                         "fr",  // 6: a lone U+001F
                          }) {
                       GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO t (body) VALUES (?)", {body}));
                     }
                     return Ok();
                   })
                    .ok());
  }

  std::set<int64_t> Match(const std::string& query) {
    std::set<int64_t> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto rows,
                                          tx.Query("SELECT rowid FROM t WHERE t MATCH ?", {query}));
                     for (const Row& r : rows) out.insert(r.Int(0));
                     return Ok();
                   })
                    .ok())
        << query;
    return out;
  }

  std::set<std::string> Terms() {
    std::set<std::string> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT term FROM v"));
                     for (const Row& r : rows) out.insert(std::string(r.Text(0)));
                     return Ok();
                   })
                    .ok());
    return out;
  }

  std::unique_ptr<SqliteDatabase> db_;
};

TEST_F(StemTokenizerTest, EachTextIsStemmedInTheLanguageOfItsMark) {
  std::set<std::string> terms = Terms();
  for (auto [lang, word] : {std::pair{"fr", "refugies"},
                            {"en", "refugee"},
                            {"es", "trabajadores"},
                            {"en", "workers"},
                            {"fr", "travailleurs"},
                            {"fr", "droits"},
                            {"en", "trainings"},
                            {"en", "mobilite"},
                            {"en", "fr"}}) {
    std::string term = std::string(lang) + ":" + Stem(lang, word);
    EXPECT_TRUE(terms.contains(term)) << term;
  }
  // Nothing of another language, and no mark read as a word ("ar" in row 6 is a mark).
  EXPECT_FALSE(terms.contains("en:refugi")) << "row 1 is French only";
  EXPECT_FALSE(terms.contains("en:ar"));
  EXPECT_FALSE(terms.contains("fr:ar"));
  for (const std::string& term : terms) EXPECT_EQ(term[2], ':') << term;
}

TEST_F(StemTokenizerTest, AQueryWordMatchesThroughItsStemInEachLanguage) {
  EXPECT_EQ(Match("\"réfugié\""), (std::set<int64_t>{1}));
  EXPECT_EQ(Match("\"refugees\""), (std::set<int64_t>{2}));
  EXPECT_EQ(Match("\"trabajador\""), (std::set<int64_t>{3}));
  EXPECT_EQ(Match("\"travailleur\""), (std::set<int64_t>{4}));
  // Spanish "migrantes" is "migrant" in English and French as well.
  EXPECT_EQ(Match("\"migrantes\""), (std::set<int64_t>{3, 4}));
  EXPECT_EQ(Match("\"training\""), (std::set<int64_t>{5}));
  EXPECT_EQ(Match("\"droit\" \"migrant\""), (std::set<int64_t>{4}));
  EXPECT_EQ(Match("\"border officials\""), (std::set<int64_t>{5}));
  EXPECT_TRUE(Match("\"ar\"").empty()) << "a mark is not text";
}

TEST_F(StemTokenizerTest, HighlightsKeepTheirPlaceAndLoseTheMarks) {
  std::string marked;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(
                       auto row, tx.QueryOne("SELECT highlight(t, 0, '[', ']') FROM t WHERE t "
                                             "MATCH ? AND rowid = 4",
                                             {"\"droits\""}));
                   marked = row ? std::string(row->Text(0)) : "";
                   return Ok();
                 })
                  .ok());
  EXPECT_EQ(WithoutLanguageMarks(marked),
            "Migrant workers' rights\n[Droits] des travailleurs migrants");
  EXPECT_EQ(WithoutLanguageMarks(MARK("fr") "a" MARK("") "b\x1f"
                                                         "c"),
            "ab\x1f"
            "c");
  EXPECT_EQ(WithoutLanguageMarks("\x1f"
                                 "a very long language code\x1f"),
            "\x1f"
            "a very long language code\x1f");
}

}  // namespace
}  // namespace gmg
