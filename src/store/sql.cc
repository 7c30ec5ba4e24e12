#include "store/sql.h"

namespace gmg::sql {

std::string_view InJsonList(Dialect dialect, ListOf of) {
  if (dialect == Dialect::kSqlite) return " IN (SELECT value FROM json_each(?))";
  if (of == ListOf::kIntegers) {
    return " IN (SELECT CAST(value AS bigint) FROM json_array_elements_text(CAST(? AS json)))";
  }
  return " IN (SELECT value FROM json_array_elements_text(CAST(? AS json)))";
}

std::string_view JsonListRows(Dialect dialect, ListOf of) {
  if (dialect == Dialect::kSqlite) return "(SELECT value FROM json_each(?))";
  if (of == ListOf::kIntegers) {
    return "(SELECT CAST(value AS bigint) AS value FROM json_array_elements_text(CAST(? AS json)))";
  }
  return "(SELECT value FROM json_array_elements_text(CAST(? AS json)))";
}

}  // namespace gmg::sql
