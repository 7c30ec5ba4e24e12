// SQL that differs between the engines, in one place, so that module code stays portable.
//
// Modules write their SQL once with `?` placeholders and portable forms: `ON CONFLICT … DO
// NOTHING/UPDATE` (not `INSERT OR …`), `RETURNING id` (not last_insert_rowid()), times and
// dates computed in C++ (not strftime/now()), `lower(x) = lower(?)` where case must not
// matter. What cannot be written once comes from here, chosen by the transaction's dialect.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/database.h"

namespace gmg::sql {

enum class ListOf { kIntegers, kTexts };

// " IN (…)" over a list bound as ONE parameter, a JSON array (e.g. `[1,2,3]` or `["a","b"]`):
// one SQL text whatever the list's length, so statement caches hold one statement.
// SQLite: json_each(?); PostgreSQL: json_array_elements_text(CAST(? AS json)), cast to bigint
// for integers.
std::string_view InJsonList(Dialect dialect, ListOf of);

// The JSON array parameter for InJsonList(…, ListOf::kIntegers) and JsonListRows: `[1,2,3]`.
std::string JsonIdList(std::span<const int64_t> ids);

// A subquery yielding the JSON array's elements as one column named `value`, for INSERT …
// SELECT value FROM <this>.
std::string_view JsonListRows(Dialect dialect, ListOf of);

// The type of a column of JsonRows.
enum class Column { kInteger, kReal, kText };

// A subquery yielding the rows of a JSON array of arrays bound as ONE parameter, e.g.
// `[[1,"a",null],[2,"b",2.5]]`: one row per inner array, with its position `ord` (0, 1, …)
// and its elements as columns c0, c1, … of the given types (JSON null → NULL; a real is
// written as its shortest round-trip decimal and read back exactly). For
//   INSERT INTO t (x, y) SELECT c0, c1 FROM <this> ORDER BY ord
// with any number of rows in one statement and one SQL text: on PostgreSQL one round trip,
// where a statement per row costs one each (bulk writes, e.g. an IATI import).
// SQLite: json_each(?) with json_extract; PostgreSQL: json_array_elements(CAST(? AS json))
// WITH ORDINALITY with ->> and a cast per typed column.
std::string JsonRows(Dialect dialect, std::span<const Column> columns);

// PostgreSQL only: a list bound as one parameter in an array's text form, for CAST(? AS
// text[]) (where a plan must see an array, e.g. `= ANY (…)`). `array` starts as "{"; each call
// adds `element` quoted, `"` and `\` escaped; close it with '}'.
void AppendArrayElement(std::string* array, std::string_view element);

}  // namespace gmg::sql
