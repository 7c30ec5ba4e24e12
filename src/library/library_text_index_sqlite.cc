// LibraryTextIndex on SQLite: the FTS5 table `library_fts` (title, body), rowid = item id,
// tokenised 'gmg_stem remove_diacritics 2': the title and abstract stemmed in the item's
// language, the authors in English (language marks: store/sqlite/fts5_functions.h), as
// PostgreSQL analyses them.
#include <cstring>

#include "library/library_text_index.h"
#include "store/sql.h"
#include "store/sqlite/fts5_functions.h"

namespace gmg {
namespace {

// Each word quoted: no operator or syntax error can be injected; all words required.
std::string FtsQuery(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) {
    if (!q.empty()) q += ' ';
    q += '"' + w + '"';
  }
  return q;
}

// The rows of items `i` to index: the title, and the abstract then the authors (one per line),
// after the language marks of the item's language and of English.
constexpr char kIndexRows[] =
    "INSERT INTO library_fts (rowid, title, body) SELECT i.id, char(31) || i.language || "
    "char(31) || i.title, char(31) || i.language || char(31) || i.abstract || char(10) || "
    "char(31) || 'en' || char(31) || coalesce((SELECT group_concat(a.name, char(10)) FROM "
    "library_item_authors a WHERE a.item_id = i.id), '') FROM library_items i WHERE "
    "i.status <> 'withdrawn'";

const std::string kStemmedIndex =
    std::string(
        "DROP TABLE library_fts;"
        "CREATE VIRTUAL TABLE library_fts USING fts5(title, body, tokenize = 'gmg_stem "
        "remove_diacritics 2');") +
    kIndexRows + ";";

class SqliteLibraryIndex final : public LibraryTextIndex {
 public:
  Status Reindex(Tx& tx, const std::vector<int64_t>& ids) override {
    if (ids.empty()) return Ok();
    std::string json = sql::JsonIdList(ids);
    GMG_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM library_fts WHERE rowid IN (SELECT value FROM json_each(?))", {json}));
    GMG_RETURN_IF_ERROR(
        tx.Exec(std::string(kIndexRows) + " AND i.id IN (SELECT value FROM json_each(?))", {json}));
    return Ok();
  }

  Status Match(Tx& tx, const std::vector<std::string>& words, std::vector<double>* docs,
               const MatchFn& fn) override {
    const size_t n = words.size();
    docs->assign(n, 0.0);
    std::vector<double> freqs(n);
    auto take = [&](const RowView& r) -> Status {
      std::string_view blob = r.Text(1);
      auto at = [&](size_t i) {
        double d;
        std::memcpy(&d, blob.data() + i * sizeof(double), sizeof d);
        return d;
      };
      if (blob.size() / sizeof(double) != 3 + 2 * n) return Ok();
      for (size_t i = 0; i < n; ++i) {
        (*docs)[i] = at(3 + i);
        freqs[i] = at(3 + n + i);
      }
      fn(r.Int(0), freqs);
      return Ok();
    };
    // The title weighs five times the body, as bm25(library_fts, 5.0, 1.0).
    return tx.QueryEach(
        "SELECT rowid, phrase_stats(library_fts, 5.0, 1.0) FROM library_fts WHERE library_fts "
        "MATCH ?",
        {FtsQuery(words)}, take);
  }

  Result<std::map<int64_t, TextHighlight>> Highlight(Tx& tx, const std::vector<std::string>& words,
                                                     const std::vector<int64_t>& ids) override {
    std::map<int64_t, TextHighlight> out;
    if (ids.empty() || words.empty()) return out;
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT rowid, highlight(library_fts, 0, char(1), char(2)), "
                 "snippet(library_fts, 1, char(1), char(2), '…', 24) FROM library_fts "
                 "WHERE library_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                 {FtsQuery(words), sql::JsonIdList(ids)}));
    for (const Row& r : rows) {
      out[r.Int(0)] = {MarkedHtml(WithoutLanguageMarks(r.Text(1))),
                       MarkedHtml(WithoutLanguageMarks(r.Text(2)))};
    }
    return out;
  }
};

}  // namespace

const std::string_view kLibraryStemmedIndexSqlite = kStemmedIndex;

std::unique_ptr<LibraryTextIndex> MakeSqliteLibraryIndex() {
  return std::make_unique<SqliteLibraryIndex>();
}

}  // namespace gmg
