#include "store/sql.h"

namespace gmg::sql {

void AppendArrayElement(std::string* array, std::string_view element) {
  if (array->size() > 1) *array += ',';
  *array += '"';
  for (size_t from = 0; from < element.size();) {
    size_t special = element.find_first_of("\"\\", from);
    if (special == std::string_view::npos) special = element.size();
    array->append(element.substr(from, special - from));
    if (special < element.size()) {
      *array += '\\';
      *array += element[special];
    }
    from = special + 1;
  }
  *array += '"';
}

std::string JsonIdList(std::span<const int64_t> ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  out += ']';
  return out;
}

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

std::string JsonRows(Dialect dialect, std::span<const Column> columns) {
  std::string sql = "(SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string n = std::to_string(i);
    if (dialect == Dialect::kSqlite) {
      const std::string element = "json_extract(value, '$[" + n + "]')";
      switch (columns[i]) {
        case Column::kInteger:
          sql += "CAST(" + element + " AS INTEGER)";
          break;
        case Column::kReal:
          sql += "CAST(" + element + " AS REAL)";
          break;
        case Column::kText:
          sql += element;
          break;
      }
    } else {
      const std::string element = "r.e ->> " + n;
      switch (columns[i]) {
        case Column::kInteger:
          sql += "CAST(" + element + " AS bigint)";
          break;
        case Column::kReal:
          sql += "CAST(" + element + " AS double precision)";
          break;
        case Column::kText:
          sql += element;
          break;
      }
    }
    sql += " AS c" + n + ", ";
  }
  if (dialect == Dialect::kSqlite) return sql + "key AS ord FROM json_each(?))";
  return sql +
         "r.ord - 1 AS ord FROM json_array_elements(CAST(? AS json)) WITH ORDINALITY AS r(e, ord))";
}

}  // namespace gmg::sql
