// What the PostgreSQL text index (activity_text_index_postgres.cc) reads back from the server
// in its own forms, parsed here: the postings of a word (a bigint[] in array_send's binary form)
// and the lexemes of a document (a tsvector's text form). Both come from our own database, but
// any writer of it may have changed them: every count and length is checked before use, and
// both are fuzzed (fuzz/postgres_postings_fuzz.cc).
//
// A posting entry is id * kEntryShift + weighted occurrences (5 per occurrence in a title, 1 in
// a body, at most 65535), as activities migration 6 stores them.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace gmg {

inline constexpr int64_t kPostingEntryShift = 65536;

// One activity holding a word: its id and the word's weighted occurrences in it.
struct TextPosting {
  int64_t id = 0;
  double freq = 0;
};

// Appends the entries of a bigint[] sent in array_send's binary form to `out`, decoded (id =
// entry / kPostingEntryShift, freq = entry % kPostingEntryShift). The form: dimensions, a
// has-nulls flag, the element type (int8, oid 20), per dimension its length and lower bound,
// then per element its length (8) and value, all in network order; an empty array is sent
// with 0 dimensions and nothing after the element type, and appends nothing. kInternal (with
// part of the array possibly appended) for anything else: another type, nulls, more
// dimensions, a dimension of length 0, a length that is not the bytes that follow.
Status AppendPostingEntries(std::string_view sent, std::vector<TextPosting>* out);

// The binary form AppendPostingEntries reads, of `entries` (tests and the fuzz target).
std::string SendPostingEntries(const std::vector<int64_t>& entries);

// Calls fn(lexeme, weighted occurrences) for each lexeme of `doc`, a tsvector's text form:
// "'lex':1A,5 'other':2" (a quote or backslash in a lexeme doubled, weight D not written, a
// lexeme without positions counted 0). The occurrences: every position, plus 4 more for each of
// weight A. kInternal at the first thing that is not this form (fn may have been called).
Status ForEachTsvectorLexeme(std::string_view doc,
                             const std::function<void(const std::string&, int64_t)>& fn);

}  // namespace gmg
