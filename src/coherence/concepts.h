// A small glossary of migration-domain terms in English, French and Spanish, each mapped to a
// language-independent concept token ("trafficking", "border", …), so that a French and an
// English text on the same work share tokens in the overlap engine's text vectors.
//
// The glossary is data (concepts.cc); text_features.cc stems its phrases with the same analyser
// as the texts and matches them on the stemmed token stream. Thread-safety: read-only data.
#pragma once

#include <span>
#include <string_view>

namespace gmg::coherence {

struct GlossaryTerm {
  std::string_view concept_id;  // language-independent token, e.g. "trafficking"
  std::string_view lang;        // "en", "fr", "es"
  std::string_view phrase;      // one to three words as written, e.g. "envois de fonds"
};

// Every term of the glossary (about 200), grouped by concept.
std::span<const GlossaryTerm> Glossary();

}  // namespace gmg::coherence
