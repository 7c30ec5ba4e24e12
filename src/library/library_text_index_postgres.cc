// LibraryTextIndex on PostgreSQL: `library_search` holds a tsvector per item that is not
// withdrawn (GIN index), its lexemes tagged with their language as the activities' index does
// (activities/activity_text_index_postgres.cc: "en:", "fr:", "es:"), titles weighted A, bodies
// B. A query word's lexemes are read once per query (to_tsvector of the word in each of the
// three configurations); a word that is a stop word in any of them is left out, as the
// activities do. The match is a tsquery built here from those lexemes, quoted and cast, so no
// user text reaches the query syntax. Per match, each word's weighted occurrences are read
// from the matching rows' lexemes (unnest), and each word's document count with one count per
// word over the index (GIN).
#include <algorithm>
#include <boost/json.hpp>
#include <unordered_map>

#include "activities/tagged_lexemes.h"
#include "library/library_text_index.h"
#include "store/sql.h"

namespace gmg {
namespace {

using tagged::Lexemes;
using tagged::LexemesOf;
using tagged::Tagged;
using tagged::Untranslated;
using tagged::WithEllipses;

// `text` analysed in the configuration of the item's language.
std::string InLanguage(const std::string& text) {
  return "CASE i.language WHEN 'fr' THEN " + Tagged("gmg_french", text) + " WHEN 'es' THEN " +
         Tagged("gmg_spanish", text) + " ELSE " + Tagged("gmg_english", text) + " END";
}

std::string ConfigOf(const std::string& lang_column) {
  return "CAST(CASE " + lang_column +
         " WHEN 'fr' THEN 'gmg_french' WHEN 'es' THEN 'gmg_spanish' ELSE 'gmg_english' END AS "
         "regconfig)";
}

class PostgresLibraryIndex final : public LibraryTextIndex {
 public:
  Status Reindex(Tx& tx, const std::vector<int64_t>& ids) override {
    if (ids.empty()) return Ok();
    std::string json = sql::JsonIdList(ids);
    std::string in(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kIntegers));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM library_search WHERE item_id" + in, {json}));
    std::string authors =
        "coalesce((SELECT string_agg(a.name, E'\\n') FROM library_item_authors a WHERE "
        "a.item_id = i.id), '')";
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO library_search (item_id, doc) SELECT i.id, setweight(" +
                    InLanguage("i.title") + ", 'A') || setweight(" + InLanguage("i.abstract") +
                    ", 'B') || setweight(" + Tagged("gmg_english", authors) +
                    ", 'B') FROM library_items i WHERE i.status <> 'withdrawn' AND i.id" + in,
                {json}));
    return Ok();
  }

  Status Match(Tx& tx, const std::vector<std::string>& words, std::vector<double>* docs,
               const MatchFn& fn) override {
    const size_t n = words.size();
    docs->assign(n, 0.0);
    GMG_ASSIGN_OR_RETURN(Lexemes lexemes, LexemesOf(tx, words));
    for (size_t i = 0; i < n; ++i) {
      if (lexemes.of_word[i].empty()) (*docs)[i] = -1;
    }
    if (!lexemes.any) return Ok();
    GMG_RETURN_IF_ERROR(CountDocs(tx, lexemes, docs));
    return Matches(tx, lexemes, n, fn);
  }

  // Each word's document count: one pass over the GIN index's matches of any word.
  static Status CountDocs(Tx& tx, const Lexemes& lexemes, std::vector<double>* docs) {
    const size_t n = lexemes.of_word.size();
    std::string counts;
    SqlParams p;
    std::vector<size_t> counted;
    for (size_t i = 0; i < n; ++i) {
      if (lexemes.of_word[i].empty()) continue;
      counts += std::string(counts.empty() ? "" : ", ") +
                "count(*) FILTER (WHERE doc @@ CAST(? AS tsquery))";
      p.emplace_back(lexemes.Word(i));
      counted.push_back(i);
    }
    p.emplace_back(lexemes.All(" | "));
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + counts +
                                                   " FROM library_search WHERE doc @@ CAST(? AS "
                                                   "tsquery)",
                                               p));
    for (size_t k = 0; k < counted.size(); ++k) {
      (*docs)[counted[k]] = static_cast<double>(row->Int(k));
    }
    return Ok();
  }

  // Calls fn for each item holding every word with lexemes, with the words' occurrences.
  static Status Matches(Tx& tx, const Lexemes& lexemes, size_t n, const MatchFn& fn) {
    // The matches and, per match, the weighted occurrences of each query lexeme.
    std::unordered_map<std::string, std::vector<size_t>> words_of;
    boost::json::array all;
    for (size_t i = 0; i < n; ++i) {
      for (const auto& l : lexemes.of_word[i]) {
        auto& list = words_of[l];
        if (list.empty()) all.emplace_back(l);
        if (std::find(list.begin(), list.end(), i) == list.end()) list.push_back(i);
      }
    }
    std::vector<double> freqs(n, 0.0);
    int64_t current = -1;
    auto flush = [&] {
      if (current >= 0) fn(current, freqs);
      std::fill(freqs.begin(), freqs.end(), 0.0);
    };
    GMG_RETURN_IF_ERROR(tx.QueryEach(
        "SELECT s.item_id, u.lexeme, cardinality(u.weights) + 4 * "
        "cardinality(array_positions(u.weights, 'A')) FROM library_search s, unnest(s.doc) u "
        "WHERE s.doc @@ CAST(? AS tsquery) AND u.lexeme" +
            std::string(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kTexts)) +
            " ORDER BY s.item_id",
        {lexemes.All(" & "), boost::json::serialize(all)}, [&](const RowView& r) -> Status {
          if (r.Int(0) != current) {
            flush();
            current = r.Int(0);
          }
          auto it = words_of.find(std::string(r.Text(1)));
          if (it != words_of.end()) {
            for (size_t i : it->second) freqs[i] += static_cast<double>(r.Int(2));
          }
          return Ok();
        }));
    flush();
    return Ok();
  }

  Result<std::map<int64_t, TextHighlight>> Highlight(Tx& tx, const std::vector<std::string>& words,
                                                     const std::vector<int64_t>& ids) override {
    std::map<int64_t, TextHighlight> out;
    if (ids.empty() || words.empty()) return out;
    GMG_ASSIGN_OR_RETURN(Lexemes lexemes, LexemesOf(tx, words));
    for (auto& word : lexemes.of_word) {
      for (auto& l : word) l.erase(0, 3);  // untagged: ts_headline compares plain stems
    }
    std::string query = lexemes.All(" | ");
    std::string in(sql::InJsonList(Dialect::kPostgres, sql::ListOf::kIntegers));
    if (query.empty()) {
      GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, title FROM library_items WHERE id" + in,
                                               {sql::JsonIdList(ids)}));
      for (const Row& r : rows) out[r.Int(0)] = {MarkedHtml(r.Text(1)), ""};
      return out;
    }
    auto headline = [&](const char* column) {
      return "ts_headline(" + ConfigOf("language") + ", translate(" + column +
             R"(, '<>&', E'\x03\x04\x05'), CAST(? AS tsquery), CAST(? AS TEXT)))";
    };
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT id, " + headline("title") + ", " + headline("abstract") +
                     ", abstract FROM library_items WHERE id" + in,
                 {query, "StartSel=\"\x01\", StopSel=\"\x02\", HighlightAll=true", query,
                  "StartSel=\"\x01\", StopSel=\"\x02\", MaxWords=24, MinWords=12, ShortWord=2",
                  sql::JsonIdList(ids)}));
    for (const Row& r : rows) {
      out[r.Int(0)] = {MarkedHtml(Untranslated(r.Text(1))),
                       MarkedHtml(WithEllipses(Untranslated(r.Text(2)), r.Text(3)))};
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<LibraryTextIndex> MakePostgresLibraryIndex() {
  return std::make_unique<PostgresLibraryIndex>();
}

}  // namespace gmg
