// The text pieces of the training catalogue's search (TrainingService::Search): splitting a
// query into words, the LIKE pattern of a word, and a snippet around a match. Fuzzed by
// fuzz/training_text_fuzz.cc.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gmg {

// The longest snippet, in bytes, before the "…" marks.
inline constexpr size_t kTrainingSnippetBytes = 160;

// The lower-case (ASCII) words of `query`, separated by ASCII white space; none is empty.
std::vector<std::string> TrainingQueryWords(std::string_view query);
// "%word%" for `LIKE … ESCAPE '\'`, with %, _ and \ of the word escaped.
std::string TrainingLikePattern(std::string_view word);
// At most kTrainingSnippetBytes of `text` from a little before byte `at` (clamped to the text),
// cut on UTF-8 character boundaries, with "…" where text was left out.
std::string TrainingSnippet(std::string_view text, size_t at);

}  // namespace gmg
