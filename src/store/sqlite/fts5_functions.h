// FTS5 auxiliary functions that every SQLite connection of ours registers.
//
// phrase_stats(fts_table [, weight_of_column_0, weight_of_column_1, …]) returns, for the
// current match, a blob of native doubles: rows in the table, tokens in all rows, the number
// of query phrases, then per phrase the rows containing it, then per phrase its weighted
// occurrences in this row. It gives ranking code outside SQL what FTS5's own bm25() reads,
// except the row's length in tokens: bm25() looks that up in the %_docsize table once per
// match (about 0.6 µs each, measured at 100,000 activities), which a caller that already
// holds the lengths in memory can skip (ActivityTextIndex's SQLite implementation and Bm25()).
// Weights default to 1.0 for columns not given, as in bm25().
// phrase_freqs(fts_table [, weights…]): the last part alone, per phrase its weighted
// occurrences in this row (at most 64 phrases), for a caller that keeps the counts per word
// (counting walks each phrase's rows, as long as the query itself for a common word).
// Thread-safety: per connection, as SQLite is.
#pragma once

#include <string_view>

struct sqlite3;

namespace gmg {

// Registers the functions above on `db`; false when FTS5 is not available.
bool RegisterFts5Functions(sqlite3* db);

}  // namespace gmg
