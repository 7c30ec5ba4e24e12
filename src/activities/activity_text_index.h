// ActivityTextIndex: the activities module's full-text search, one implementation per engine.
//
// Both engines analyse each text in its language (fr → French, es → Spanish, anything else →
// English; partner names in English) with the same Snowball stemmers, diacritics folded, and
// tag each stem with its language ("fr:refugi"); a query word matches through its stems in all
// three languages, so "migrantes" finds "migrants" in a French text.
// SQLite: an FTS5 table tokenised by gmg_stem (store/sqlite/fts5_functions.h; each text after
// a language mark). PostgreSQL: a tsvector per activity in `activity_search` (GIN index)
// analysed by the gmg_english, gmg_french and gmg_spanish configurations (unaccent, then the
// language's stemmer), titles weighted A and bodies (descriptions, partner names) B.
//
// Ranking is the caller's, in C++, from the same inputs on both engines: for each query word,
// how many indexed activities contain it (`docs`) and, per matching activity, its weighted
// occurrences (title 5, body 1; PostgreSQL stores them per lexeme at write time, in
// `activity_search_postings`, so a search reads one short row per 1,024 activities and query
// lexeme, not each match); the lengths in tokens and the totals come from the
// ActivityCatalog. Bm25() turns them into FTS5's bm25() score. A query is a list of words
// (SearchWords: runs of letters and digits, at most 16), all required, each matched by stem.
// Where the engines' tokenisers still differ (activity_text_index_test.cc names each case),
// the same query can match slightly different sets: PostgreSQL drops a word that is a stop
// word in any of the three languages (LeftOut), its parser splits a few words apart
// (hyphenated compounds, an en dash) where unicode61 does not, and the reverse.
// Thread-safety: stateless; use within one transaction.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "activities/activity.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// The words of a user's query: runs of ASCII letters and digits and non-ASCII bytes, at most
// kMaxSearchWords (so no operator or syntax can be injected into either engine's query
// language).
inline constexpr size_t kMaxSearchWords = 16;
std::vector<std::string> SearchWords(std::string_view text);

// FTS5's bm25() (k1 1.2, b 0.75): `rows` and `tokens` over the whole index, per word the
// activities containing it and its weighted occurrences in this activity of `row_tokens`
// tokens. Negative, lower is better.
double Bm25(double rows, double tokens, std::span<const double> docs, std::span<const double> freqs,
            double row_tokens);

// Bm25() for one query: what depends on the query alone (each word's idf, the average length)
// computed once, so a score per match is a few multiplications. Score() gives exactly Bm25()'s
// value (the same operations in the same order), so ranking does not change.
class Bm25Scorer {
 public:
  Bm25Scorer(double rows, double tokens, std::span<const double> docs);
  double Score(std::span<const double> freqs, double row_tokens) const {
    double norm = kK1 * (1 - kB + kB * row_tokens / avgdl_);
    double score = 0;
    for (size_t i = 0; i < idf_.size() && i < freqs.size(); ++i) {
      double f = freqs[i];
      score += idf_[i] * (f * (kK1 + 1.0)) / (f + norm);
    }
    return -score;
  }

 private:
  static constexpr double kK1 = 1.2;
  static constexpr double kB = 0.75;
  double avgdl_;
  std::vector<double> idf_;
};

// Intersects ascending lists of postings: calls fn(value, at) for each value in every one of
// `lists`, ascending, at[i] being its position in lists[i]. The shortest list leads; each other
// is searched forward from its last match, so the cost follows the shortest. No lists, no call.
template <typename T, typename Fn>
void ForEachInAll(const std::vector<std::span<const T>>& lists, Fn&& fn) {
  if (lists.empty()) return;
  size_t lead = 0;
  for (size_t i = 1; i < lists.size(); ++i) {
    if (lists[i].size() < lists[lead].size()) lead = i;
  }
  std::vector<size_t> at(lists.size(), 0);
  for (size_t k = 0; k < lists[lead].size(); ++k) {
    const T value = lists[lead][k];
    at[lead] = k;
    bool in_all = true;
    for (size_t i = 0; i < lists.size() && in_all; ++i) {
      if (i == lead) continue;
      auto it = std::lower_bound(lists[i].begin() + static_cast<std::ptrdiff_t>(at[i]),
                                 lists[i].end(), value);
      if (it == lists[i].end()) return;  // no later value is in list i either
      at[i] = static_cast<size_t>(it - lists[i].begin());
      in_all = *it == value;
    }
    if (in_all) fn(value, std::span<const size_t>(at));
  }
}

// The HTML of a text whose matches are wrapped in \x01…\x02: escaped, marks as <mark>…</mark>.
std::string MarkedHtml(std::string_view s);

// More conditions a match must meet: `from` is " FROM activities a …" (the activities' alias
// must be `a`), `where` a condition over it, `params` its parameters in order.
struct TextMatchFilter {
  std::string from;
  std::string where;
  SqlParams params;
};

struct TextHighlight {
  std::string title;    // the main title, HTML, matches in <mark>
  std::string snippet;  // about 24 words of the body around the matches, HTML, "…" where cut
};

// Search documents built ahead of Reindex, outside the write transaction, while it goes on
// writing rows: on PostgreSQL building them (to_tsvector in three configurations, tagging)
// took a third of a bulk import's time on the one backend its transaction runs on; another
// connection builds them meanwhile on the machine's other core, from the texts given here,
// with the same expressions as from the stored rows. Made by ActivityTextIndex::
// StartDocumentsAhead for one transaction; a document depends only on an activity's titles,
// descriptions (with their languages) and partner names, so Add them as they are stored.
// Bounded: past kMaxBytes of documents it keeps no more (Reindex builds the rest itself).
// Thread-safety: Add and Take from the writing thread; the building runs on a thread of its own,
// joined by the destructor.
class DocumentsAhead {
 public:
  static constexpr size_t kMaxBytes = size_t{512} << 20;

  struct Document {
    std::string text;    // the engine's own form (PostgreSQL: the tsvector's text)
    int64_t tokens = 0;  // the texts' and partner names' length in tokens
  };

  virtual ~DocumentsAhead() = default;

  // Queues the document of activity `id` as `in` is stored (normalised); a later Add of the
  // same id replaces it.
  virtual void Add(int64_t id, const ActivityInput& in) = 0;

  // The documents of `ids`, once every one queued is built (waits for them), taken out; nullopt
  // when one of `ids` has none (never added, past the bound, or its building failed: the reason
  // is logged), and then nothing is taken.
  virtual std::optional<std::vector<Document>> Take(std::span<const int64_t> ids) = 0;
};

class ActivityTextIndex {
 public:
  virtual ~ActivityTextIndex() = default;

  // The index for `dialect`.
  static std::unique_ptr<ActivityTextIndex> For(Dialect dialect);

  // Indexes `ids` again as they are stored now (archived ones are removed). `bulk` (many
  // rows in one transaction) lets the engine merge and refresh its statistics once. `ahead`,
  // when not null, holds documents built ahead for some of them (StartDocumentsAhead).
  virtual Status Reindex(Tx& tx, const std::vector<int64_t>& ids, bool bulk,
                         DocumentsAhead* ahead) = 0;

  // Documents built ahead on another connection of `db` for a bulk write about to start, or
  // null where the engine builds them as fast within the transaction (SQLite).
  virtual std::unique_ptr<DocumentsAhead> StartDocumentsAhead(Database& db) {
    (void)db;
    return nullptr;
  }
  // Indexes every stored activity from scratch (after a copy between engines).
  virtual Status Rebuild(Tx& tx) = 0;

  // A condition on `a.id` (" IN (…)") selecting the activities that match every word, and
  // its parameters; words must not be empty (words after kMaxSearchWords are left out).
  virtual void AppendIdFilter(const std::vector<std::string>& words, std::string* sql,
                              SqlParams* params) const = 0;

  // The ids AppendIdFilter selects, in no particular order (for a filter applied in memory,
  // where reading them another way than that condition's query is faster).
  virtual Result<std::vector<int64_t>> MatchingIds(Tx& tx,
                                                   const std::vector<std::string>& words) = 0;

  // Calls fn(id, freqs) for each activity matching every word (and `filter`, when given),
  // freqs[i] being word i's weighted occurrences; sets docs[i] to the number of indexed
  // activities that contain word i (whatever the filter), before the first call of fn. When
  // *docs holds one count per word on entry, they are those counts as this index gave them
  // in a transaction that saw the same writes (the caller's cache): an engine that has to
  // walk a word's rows to count them (FTS5) uses them instead. Matches come in ascending id.
  using MatchFn = std::function<Status(int64_t id, std::span<const double> freqs)>;
  virtual Status Match(Tx& tx, const std::vector<std::string>& words, const TextMatchFilter* filter,
                       std::vector<double>* docs, const MatchFn& fn) = 0;

  // Which of `words` this engine leaves out of a match, each true or false: such a word
  // restricts nothing and counts 0 (PostgreSQL: a stop word in one of its configurations;
  // SQLite: none).
  virtual Result<std::vector<bool>> LeftOut(Tx& tx, const std::vector<std::string>& words) = 0;

  // Highlighted title and snippet of `ids` for the query.
  virtual Result<std::map<int64_t, TextHighlight>> Highlight(Tx& tx,
                                                             const std::vector<std::string>& words,
                                                             const std::vector<int64_t>& ids) = 0;

  // For the catalog: a join onto `activities a` giving each indexed activity's length in
  // tokens as column `LengthColumn()`, and its decoding.
  virtual std::string_view LengthJoin() const = 0;
  virtual std::string_view LengthColumn() const = 0;
  virtual uint32_t DecodeLength(const RowView& row, size_t column) const = 0;
};

// The PostgreSQL DDL of the search index (tables and GIN index); SQLite's is its FTS5 table,
// in the activities migrations (1, 2, then 9 below).
extern const std::string_view kActivitySearchPostgresDdl;
// Its per-lexeme document counts (activities migration 5), replaced by per-lexeme postings
// (migration 6: which activities hold each lexeme, and how often).
extern const std::string_view kActivitySearchLexemesPostgresDdl;
extern const std::string_view kActivitySearchPostingsPostgresDdl;
// SQLite's FTS5 table made anew with the gmg_stem tokenizer (each text's words stemmed in its
// language; store/sqlite/fts5_functions.h) and filled from the activities (migration 9).
extern const std::string_view kActivitySearchStemmedSqlite;

}  // namespace gmg
