// ActivityTextIndex on SQLite: the FTS5 table `activities_fts` (title, body), rowid = activity
// id, tokenised 'gmg_stem remove_diacritics 2' (each text's words stemmed in its language;
// store/sqlite/fts5_functions.h). Match reads FTS5's own statistics
// through phrase_stats() (store/sqlite/fts5_functions.h); lengths come from %_docsize.
#include <cstring>

#include "activities/activity_text_index.h"
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

// The rows of activities `a` to index: title = the titles, body = descriptions and partner
// names, each list joined by newlines, each text after the language mark of its language
// (partner names: English), as PostgreSQL analyses them.
constexpr char kIndexRows[] =
    "INSERT INTO activities_fts (rowid, title, body) SELECT a.id, "
    "(SELECT group_concat(char(31) || t.lang || char(31) || t.text, char(10)) FROM "
    "activity_texts t WHERE t.activity_id = a.id AND t.field = 'title'), "
    "coalesce((SELECT group_concat(char(31) || t.lang || char(31) || t.text, char(10)) FROM "
    "activity_texts t WHERE t.activity_id = a.id AND t.field = 'description'), '') || char(10) "
    "|| char(31) || 'en' || char(31) || coalesce((SELECT group_concat(name, char(10)) FROM "
    "activity_partners p WHERE p.activity_id = a.id), '') "
    "FROM activities a WHERE a.archived_at IS NULL";

const std::string kStemmedIndex =
    std::string(
        "DROP TABLE activities_fts;"
        "CREATE VIRTUAL TABLE activities_fts USING fts5(title, body, tokenize = 'gmg_stem "
        "remove_diacritics 2');") +
    kIndexRows + ";INSERT INTO activities_fts (activities_fts) VALUES ('optimize');";

// %_docsize holds one SQLite varint per column: the column's length in tokens.
uint32_t SumVarints(std::string_view blob) {
  uint64_t total = 0;
  uint64_t value = 0;
  int bytes = 0;
  for (unsigned char c : blob) {
    if (bytes == 8) {  // the ninth byte of a varint carries 8 bits
      value = (value << 8) | c;
    } else {
      value = (value << 7) | (c & 0x7f);
    }
    if (bytes == 8 || (c & 0x80) == 0) {
      total += value;
      value = 0;
      bytes = 0;
    } else {
      ++bytes;
    }
  }
  return static_cast<uint32_t>(total);
}

class SqliteTextIndex final : public ActivityTextIndex {
 public:
  Status Reindex(Tx& tx, const std::vector<int64_t>& ids, bool bulk,
                 DocumentsAhead* /*ahead*/) override {
    if (ids.empty()) return Ok();
    std::string json = sql::JsonIdList(ids);
    // A bulk write merges the index once, at the end, into one segment ('optimize'), instead
    // of merging as it goes: as fast, and a search then opens one b-tree per term, not one
    // per flush (a highlight query took 0.1 ms with 7 segments, 0.012 ms with one).
    if (bulk) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO activities_fts (activities_fts, rank) VALUES ('automerge', 0)"));
    }
    GMG_RETURN_IF_ERROR(tx.Exec(
        "DELETE FROM activities_fts WHERE rowid IN (SELECT value FROM json_each(?))", {json}));
    // One statement for all: FTS5 keeps the new terms in memory and writes them once.
    GMG_RETURN_IF_ERROR(
        tx.Exec(std::string(kIndexRows) + " AND a.id IN (SELECT value FROM json_each(?))", {json}));
    if (!bulk) return Ok();
    // Merge, restore FTS5's default merging, and give the query planner fresh statistics for
    // the tables whose indexes it chooses between (0.1 s at 100,000 activities; without them
    // lists took 70 ms).
    return tx.ExecScript(
        "INSERT INTO activities_fts (activities_fts) VALUES ('optimize');"
        "INSERT INTO activities_fts (activities_fts, rank) VALUES ('automerge', 4);"
        "ANALYZE activities; ANALYZE activity_themes; ANALYZE activity_countries;");
  }

  Status Rebuild(Tx& tx) override {
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM activities_fts"));
    GMG_RETURN_IF_ERROR(tx.Exec(kIndexRows));
    return tx.ExecScript("INSERT INTO activities_fts (activities_fts) VALUES ('optimize')");
  }

  void AppendIdFilter(const std::vector<std::string>& words, std::string* sql,
                      SqlParams* params) const override {
    *sql += " IN (SELECT rowid FROM activities_fts WHERE activities_fts MATCH ?)";
    params->emplace_back(FtsQuery(words));
  }

  // The rows of the FTS5 table are the activities that are not archived: no join needed.
  Result<std::vector<int64_t>> MatchingIds(Tx& tx, const std::vector<std::string>& words) override {
    std::vector<int64_t> ids;
    GMG_RETURN_IF_ERROR(
        tx.QueryEach("SELECT rowid FROM activities_fts WHERE activities_fts MATCH ?",
                     {FtsQuery(words)}, [&](const RowView& r) {
                       ids.push_back(r.Int(0));
                       return Ok();
                     }));
    return ids;
  }

  Result<std::vector<bool>> LeftOut(Tx& /*tx*/, const std::vector<std::string>& words) override {
    return std::vector<bool>(words.size(), false);
  }

  Status Match(Tx& tx, const std::vector<std::string>& words, const TextMatchFilter* filter,
               std::vector<double>* docs, const MatchFn& fn) override {
    // With the counts known, phrase_freqs (this row's frequencies only); else phrase_stats,
    // which counts each word's rows once per query, at its first row.
    const bool known = docs->size() == words.size();
    if (!known) docs->assign(words.size(), 0.0);
    std::vector<double> freqs(words.size());
    auto at = [](std::string_view blob, size_t i) {
      double d;
      std::memcpy(&d, blob.data() + i * sizeof(double), sizeof d);
      return d;
    };
    // The title weighs five times the body, as bm25(activities_fts, 5.0, 1.0).
    auto take = [&](const RowView& r) -> Status {
      std::string_view blob = r.Text(1);
      size_t n = blob.size() / sizeof(double);
      if (known) {
        if (n != words.size()) return Ok();
        for (size_t i = 0; i < words.size(); ++i) freqs[i] = at(blob, i);
        return fn(r.Int(0), freqs);
      }
      if (n != 3 + 2 * words.size()) return Ok();
      for (size_t i = 0; i < words.size(); ++i) {
        (*docs)[i] = at(blob, 3 + i);
        freqs[i] = at(blob, 3 + words.size() + i);
      }
      return fn(r.Int(0), freqs);
    };
    std::string query = FtsQuery(words);
    std::string stats =
        known ? "phrase_freqs(activities_fts, 5.0, 1.0)" : "phrase_stats(activities_fts, 5.0, 1.0)";
    if (filter == nullptr) {
      return tx.QueryEach(
          "SELECT rowid, " + stats + " FROM activities_fts WHERE activities_fts MATCH ?", {query},
          take);
    }
    std::string from = filter->from;
    from.replace(from.find(" FROM activities a"), 18,
                 " FROM activities_fts f JOIN activities a ON a.id = f.rowid");
    SqlParams p{query};
    p.insert(p.end(), filter->params.begin(), filter->params.end());
    return tx.QueryEach(
        "SELECT a.id, " + stats + from + " WHERE activities_fts MATCH ? AND " + filter->where, p,
        take);
  }

  Result<std::map<int64_t, TextHighlight>> Highlight(Tx& tx, const std::vector<std::string>& words,
                                                     const std::vector<int64_t>& ids) override {
    std::map<int64_t, TextHighlight> out;
    if (ids.empty()) return out;
    // FTS5 seeks each of these rowids within the match.
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT rowid, highlight(activities_fts, 0, char(1), char(2)), "
                 "snippet(activities_fts, 1, char(1), char(2), '…', 24) FROM activities_fts "
                 "WHERE activities_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
                 {FtsQuery(words), sql::JsonIdList(ids)}));
    for (const Row& r : rows) {
      std::string title = WithoutLanguageMarks(r.Text(1));
      if (auto nl = title.find('\n'); nl != std::string::npos) title.resize(nl);
      out[r.Int(0)] = {MarkedHtml(title), MarkedHtml(WithoutLanguageMarks(r.Text(2)))};
    }
    return out;
  }

  std::string_view LengthJoin() const override {
    return " JOIN activities_fts_docsize d ON d.id = a.id";
  }
  std::string_view LengthColumn() const override { return "d.sz"; }
  uint32_t DecodeLength(const RowView& row, size_t column) const override {
    return SumVarints(row.Text(column));
  }
};

}  // namespace

const std::string_view kActivitySearchStemmedSqlite = kStemmedIndex;

std::unique_ptr<ActivityTextIndex> MakeSqliteTextIndex() {
  return std::make_unique<SqliteTextIndex>();
}

}  // namespace gmg
