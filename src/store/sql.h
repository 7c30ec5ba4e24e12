// SQL that differs between the engines, in one place, so that module code stays portable.
//
// Modules write their SQL once with `?` placeholders and portable forms: `ON CONFLICT … DO
// NOTHING/UPDATE` (not `INSERT OR …`), `RETURNING id` (not last_insert_rowid()), times and
// dates computed in C++ (not strftime/now()), `lower(x) = lower(?)` where case must not
// matter. What cannot be written once comes from here, chosen by the transaction's dialect.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "store/database.h"

namespace gmg::sql {

enum class ListOf { kIntegers, kTexts };

// " IN (…)" over a list bound as ONE parameter, a JSON array (e.g. `[1,2,3]` or `["a","b"]`):
// one SQL text whatever the list's length, so statement caches hold one statement.
// SQLite: json_each(?); PostgreSQL: json_array_elements_text(CAST(? AS json)), cast to bigint
// for integers.
std::string_view InJsonList(Dialect dialect, ListOf of);

// A subquery yielding the JSON array's elements as one column named `value`, for INSERT …
// SELECT value FROM <this>.
std::string_view JsonListRows(Dialect dialect, ListOf of);

}  // namespace gmg::sql
