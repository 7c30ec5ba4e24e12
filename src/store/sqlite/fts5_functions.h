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
//
// The tokenizer "gmg_stem" (tokenize = 'gmg_stem remove_diacritics 2'; its arguments go to
// unicode61, whose tokens it stems): each word becomes its Snowball stem (core/stem.h) tagged
// with its language, "fr:refugi", as PostgreSQL's indexes tag their lexemes
// (activities/tagged_lexemes.h). A document's text says its language with language marks
// (kLanguageMarkByte, below): the words after a mark are stemmed in its language ("fr", "es"; any
// other code, and text before the first mark, in English, as PostgreSQL's gmg_english). A query's
// word becomes its stems in English, French and Spanish at one position (FTS5's colocated
// synonyms: any of them matches), so "migrantes" finds "migrants" in a French text and
// "migrant" in an English one, and a word matches in a text of any of the three languages.
// highlight() and snippet() return the marks with the text: WithoutLanguageMarks.
// Thread-safety: per connection, as SQLite is.
#pragma once

#include <string>
#include <string_view>

struct sqlite3;

namespace gmg {

// Registers the functions and the tokenizer above on `db`; false when FTS5 is not available.
bool RegisterFts5Functions(sqlite3* db);

// A language mark: U+001F, the language's code (at most 16 bytes, none U+001F; "" = English),
// U+001F. SQL that fills an FTS5 table writes char(31) || lang || char(31) before each text.
// (No stored text holds U+001F: the API refuses control characters, XML 1.0 cannot carry it.)
inline constexpr char kLanguageMarkByte = '\x1f';

// `text` without its language marks (a lone U+001F stays: it is no mark).
std::string WithoutLanguageMarks(std::string_view text);

}  // namespace gmg
