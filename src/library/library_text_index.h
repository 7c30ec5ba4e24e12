// LibraryTextIndex: the library's full-text index, one implementation per engine, built on the
// activities' search machinery (activities/activity_text_index.h: SearchWords, Bm25Scorer,
// MarkedHtml) so that both modules tokenise, stem and rank alike.
//
// An item's text is its title (weight 5) and its body (abstract and authors, weight 1).
// SQLite: the FTS5 table `library_fts` (tokenizer gmg_stem: unicode61 tokens, diacritics
// folded, stemmed as PostgreSQL stems them: the title and abstract in the item's language,
// tagged with it); a match's statistics come from FTS5's own through phrase_stats().
// PostgreSQL: `library_search`, a tsvector per item (GIN), its title and abstract analysed with
// the configuration of the item's language (gmg_french for fr, gmg_spanish for es, gmg_english
// otherwise, the activities' configurations with unaccent), each lexeme tagged with that
// language ("fr:migr"); a query word matches through its stem in each of the three languages.
// Both give, per query word, how many indexed items hold it and, per match, the word's
// weighted occurrences: the caller scores with Bm25Scorer from the same inputs on both
// engines (lengths in tokens are stored with each item: TokensOf). The differences between the
// engines' stemmers are the activities' (activity_text_index.h).
// Thread-safety: stateless; use within one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "activities/activity_text_index.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// Tokens as FTS5's unicode61 counts them for ASCII text (runs of letters and digits; a
// non-ASCII byte counts as a letter): an item's length for BM25, the same on both engines.
int64_t TokensOf(std::string_view text);

class LibraryTextIndex {
 public:
  virtual ~LibraryTextIndex() = default;

  static std::unique_ptr<LibraryTextIndex> For(Dialect dialect);

  // Indexes `ids` again as stored now (withdrawn items are removed from the index).
  virtual Status Reindex(Tx& tx, const std::vector<int64_t>& ids) = 0;

  // Calls fn(id, freqs) for each item matching every word (ascending id), freqs[i] being word
  // i's weighted occurrences; before the first call, sets docs to one count per word: the
  // number of indexed items holding word i, or -1 for a word the engine leaves out
  // (PostgreSQL: a stop word in one of its configurations), which then restricts nothing and
  // has freqs 0. `words` must not be empty.
  using MatchFn = std::function<void(int64_t id, std::span<const double> freqs)>;
  virtual Status Match(Tx& tx, const std::vector<std::string>& words, std::vector<double>* docs,
                       const MatchFn& fn) = 0;

  // The title (whole) and about 24 words of the abstract around the matches, HTML, matches in
  // <mark>, of `ids`.
  virtual Result<std::map<int64_t, TextHighlight>> Highlight(Tx& tx,
                                                             const std::vector<std::string>& words,
                                                             const std::vector<int64_t>& ids) = 0;
};

// SQLite's FTS5 table made anew with the gmg_stem tokenizer and filled from the items (library
// migration 4; migration 1 made it with FTS5's English-only porter tokenizer).
extern const std::string_view kLibraryStemmedIndexSqlite;

// Indexes every stored item from scratch (after a copy between engines: `gmg migrate-data`).
Status RebuildLibraryIndex(Tx& tx);

// The tables a copy of an installation skips: PostgreSQL's index (derived from the items; the
// copy then calls RebuildLibraryIndex; SQLite's FTS5 tables are left out by the copier itself)
// and `library_state`, whose one row (the write counter the search cache follows) the
// destination's migration already made.
inline std::set<std::string> LibraryDerivedTables() { return {"library_search", "library_state"}; }

}  // namespace gmg
