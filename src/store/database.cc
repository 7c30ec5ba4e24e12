#include "store/database.h"

namespace gmg {

SqlValue NullIfEmpty(const std::string& s) {
  if (s.empty()) return nullptr;
  return s;
}

SqlValue OptionalText(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return *s;
}

bool Row::IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(cols_.at(i)); }

int64_t Row::Int(size_t i) const {
  const SqlValue& v = cols_.at(i);
  if (auto* p = std::get_if<int64_t>(&v)) return *p;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
  return 0;
}

double Row::Real(size_t i) const {
  const SqlValue& v = cols_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return 0;
}

std::string Row::Text(size_t i) const {
  const SqlValue& v = cols_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

std::string_view Row::Bytes(size_t i) const {
  if (auto* s = std::get_if<std::string>(&cols_.at(i))) return *s;
  return {};
}

std::optional<std::string> Row::OptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, const SqlParams& params) {
  GMG_ASSIGN_OR_RETURN(auto rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.front()));
}

}  // namespace gmg
