// Checks and text helpers shared by the research network and the staff exchanges: each check
// returns kFailedPrecondition naming the field and a rule code (the `problem.<rule>` messages
// of the web app), or Ok.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace gmg {

Error Invalid(std::string field, std::string problem, std::string rule,
              std::vector<std::pair<std::string, std::string>> args = {});

// At most `max` bytes, no control characters other than newline and tab; not empty when
// `required`.
Status CheckText(const char* field, std::string_view value, size_t max, bool required);
// "" or an absolute http(s) address with a host, at most 2,000 bytes, no spaces.
Status CheckWebAddress(const char* field, std::string_view url);
// One address: something@host, at most 254 bytes, no spaces.
Status CheckEmailAddress(const char* field, std::string_view email);
// At most `max_items` entries, each 1..`max_bytes` bytes of text without control characters,
// none twice.
Status CheckList(const char* field, const std::vector<std::string>& items, size_t max_items,
                 size_t max_bytes);
// kFailedPrecondition "duplicate_value" naming the first value given twice.
Status CheckNoDuplicates(const char* field, const std::vector<std::string>& items);
// started_on a real YYYY-MM-DD date; ended_on, when given, one too and not before it.
Status CheckPeriod(const std::string& started_on, const std::optional<std::string>& ended_on);

// Lists stored one item a line (items hold no control characters).
std::string JoinLines(const std::vector<std::string>& items);
std::vector<std::string> SplitLines(std::string_view text);

// The query folded to ASCII lower case, trimmed; kInvalidArgument ("q" or "limit") when empty,
// over 200 bytes, or a limit outside 1..100.
Result<std::string> CheckSearch(std::string_view query, int64_t limit);
// A LIKE pattern matching `needle` anywhere, with %, _ and \ escaped by '\'.
std::string LikePattern(std::string_view needle);
// Whether `text`, folded to ASCII lower case, holds `needle` (already folded).
bool ContainsFolded(std::string_view text, std::string_view needle);
// At most `max` bytes, cut at a UTF-8 character boundary, with "…" when cut.
std::string Truncate(std::string_view text, size_t max);

}  // namespace gmg
