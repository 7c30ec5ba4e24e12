// CheckedText: a short text that arrives outside a JSON body — a query parameter or a header,
// such as the title and file name of a raw upload — checked as JsonBody checks its strings, and
// the UTF-8 primitives that check needs (also used to clean file names).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg::http {

// One code point decoded from the front of a UTF-8 text.
struct CodePoint {
  char32_t value = 0;
  // Bytes it takes; 0 when the front is not well-formed UTF-8 (a stray or missing continuation
  // byte, an overlong form, a surrogate, beyond U+10FFFF) or the text is empty.
  size_t length = 0;
};
CodePoint DecodeUtf8(std::string_view text);

// C0 controls, DEL and the C1 controls (U+0080–U+009F).
bool IsControlCharacter(char32_t c);
// Invisible characters that change how a text reads without showing: the Unicode format
// characters (general category Cf: U+200E/F marks, U+202A–U+202E embeddings and overrides,
// U+2066–U+2069 isolates, zero-width characters, U+FEFF, soft hyphen, tags …) and the line and
// paragraph separators U+2028/U+2029. "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
bool IsFormatCharacter(char32_t c);

// The text `value` of the parameter or header `field`, trimmed of ASCII white space, when it is
// well-formed UTF-8 without control characters and at most `max_bytes` long. Failures name
// `field`: kInvalidArgument (400, rule `required`) when `required` and absent or empty;
// kFailedPrecondition (422) with rule `not_utf8`, `control_characters` or `too_long` {max}.
// An absent optional text is "".
Result<std::string> CheckedText(std::string_view field, std::optional<std::string_view> value,
                                size_t max_bytes, bool required);

}  // namespace gmg::http
