#include "store/copy.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/text.h"
#include "store/sqlite/sqlite_database.h"

namespace gmg {
namespace {

// Tables that record which migrations ran: the destination has its own.
const std::set<std::string> kBookkeepingTables = {"schema_version", "schema_migrations"};

std::string Quote(std::string_view identifier) {
  std::string q = "\"";
  for (char c : identifier) {
    q += c;
    if (c == '"') q += '"';
  }
  return q + "\"";
}

struct Column {
  std::string name;
  std::string type;  // as the catalog spells it
  int pk = 0;        // position in the primary key, 0 when not in it
  bool generated = false;
  bool identity = false;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::set<std::string> parents;  // tables its foreign keys point to
};

// ---- catalogs ---------------------------------------------------------------------------

Result<std::vector<std::string>> ListTables(Tx& tx) {
  std::vector<std::string> names;
  if (tx.Dialect() == Dialect::kSqlite) {
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT name, coalesce(sql, '') FROM sqlite_master "
                                  "WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'"));
    std::vector<std::string> virtual_tables;
    for (const auto& r : rows) {
      std::string sql = r.Text(1);
      std::transform(sql.begin(), sql.end(), sql.begin(),
                     [](unsigned char c) { return std::toupper(c); });
      if (sql.rfind("CREATE VIRTUAL TABLE", 0) == 0) virtual_tables.push_back(r.Text(0));
    }
    for (const auto& r : rows) {
      std::string name = r.Text(0);
      bool derived = false;
      for (const auto& v : virtual_tables) {
        // The virtual table itself and its shadow tables (v_data, v_idx, v_content, …).
        if (name == v || name.rfind(v + "_", 0) == 0) derived = true;
      }
      if (!derived) names.push_back(name);
    }
  } else {
    GMG_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"));
    for (const auto& r : rows) names.push_back(r.Text(0));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<Column>> ListColumns(Tx& tx, const std::string& table) {
  std::vector<Column> columns;
  if (tx.Dialect() == Dialect::kSqlite) {
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT name, type, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", {table}));
    for (const auto& r : rows) {
      columns.push_back({r.Text(0), r.Text(1), static_cast<int>(r.Int(2)), r.Int(3) >= 2, false});
    }
  } else {
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                 "  coalesce(array_position(CAST(i.indkey AS int2[]), a.attnum), 0), "
                 "  a.attgenerated = 's', a.attidentity IN ('a', 'd') "
                 "FROM pg_attribute a LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND "
                 "i.indisprimary "
                 "WHERE a.attrelid = to_regclass(quote_ident(CAST(? AS TEXT))) AND a.attnum > 0 "
                 "AND NOT a.attisdropped ORDER BY a.attnum",
                 {table}));
    for (const auto& r : rows) {
      columns.push_back(
          {r.Text(0), r.Text(1), static_cast<int>(r.Int(2)), r.Int(3) != 0, r.Int(4) != 0});
    }
  }
  return columns;
}

Result<std::set<std::string>> ListParents(Tx& tx, const std::string& table) {
  std::set<std::string> parents;
  std::vector<Row> rows;
  if (tx.Dialect() == Dialect::kSqlite) {
    GMG_ASSIGN_OR_RETURN(
        rows, tx.Query("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", {table}));
  } else {
    GMG_ASSIGN_OR_RETURN(
        rows,
        tx.Query("SELECT DISTINCT p.relname FROM pg_constraint c "
                 "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid "
                 "WHERE c.contype = 'f' AND t.relname = CAST(? AS TEXT) "
                 "AND t.relnamespace = to_regnamespace(current_schema())",
                 {table}));
  }
  for (const auto& r : rows) parents.insert(r.Text(0));
  return parents;
}

// The tables to copy, with their columns and foreign keys.
Result<std::map<std::string, Table>> ReadCatalog(Tx& tx, const std::set<std::string>& skip) {
  std::map<std::string, Table> tables;
  GMG_ASSIGN_OR_RETURN(auto names, ListTables(tx));
  for (const auto& name : names) {
    if (kBookkeepingTables.contains(name) || skip.contains(name)) continue;
    Table t{name, {}, {}};
    GMG_ASSIGN_OR_RETURN(t.columns, ListColumns(tx, name));
    GMG_ASSIGN_OR_RETURN(t.parents, ListParents(tx, name));
    tables.emplace(name, std::move(t));
  }
  return tables;
}

// Parents before children (Kahn's algorithm, ties by name); tables in a cycle come last.
std::vector<std::string> ForeignKeyOrder(
    const std::map<std::string, std::set<std::string>>& parents) {
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < parents.size()) {
    bool progress = false;
    for (const auto& entry : parents) {
      const std::string& table = entry.first;  // named: lambdas may not capture a binding (C++17)
      const auto& ps = entry.second;
      if (placed.contains(table)) continue;
      bool ready = std::all_of(ps.begin(), ps.end(), [&](const std::string& p) {
        return p == table || placed.contains(p) || !parents.contains(p);
      });
      if (!ready) continue;
      order.push_back(table);
      placed.insert(table);
      progress = true;
    }
    if (!progress) {
      for (const auto& [table, ps] : parents) {
        if (!placed.contains(table)) order.push_back(table);
      }
      break;
    }
  }
  return order;
}

// ---- checksums ----------------------------------------------------------------------------

class Checksum {
 public:
  void Add(const RowView& row) {
    buffer_.clear();
    for (size_t i = 0; i < row.size(); ++i) Serialize(row.Value(i));
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(buffer_.data()),
                       buffer_.size());
    // sum_ += digest (big-endian 256-bit numbers), carries rippling up.
    unsigned carry = 0;
    for (int i = static_cast<int>(digest.size()) - 1; i >= 0; --i) {
      unsigned v = static_cast<unsigned>(sum_[i]) + digest[i] + carry;
      sum_[i] = static_cast<unsigned char>(v & 0xff);
      carry = v >> 8;
    }
    ++rows_;
  }
  int64_t Rows() const { return rows_; }
  std::string Hex() const {
    return HexOf(std::string_view(reinterpret_cast<const char*>(sum_.data()), sum_.size()));
  }

 private:
  void Serialize(const SqlValue& v) {
    if (std::holds_alternative<std::nullptr_t>(v)) {
      buffer_ += "N;";
    } else if (auto* i = std::get_if<int64_t>(&v)) {
      buffer_ += "I" + std::to_string(*i) + ";";
    } else if (auto* d = std::get_if<double>(&v)) {
      char text[40];
      std::snprintf(text, sizeof text, "R%.17g;", *d);
      buffer_ += text;
    } else {
      const auto& s = std::get<std::string>(v);
      buffer_ += "T" + std::to_string(s.size()) + ":";
      buffer_ += s;
    }
  }
  std::string buffer_;
  std::array<unsigned char, crypto_hash_sha256_BYTES> sum_{};
  int64_t rows_ = 0;
};

std::string SelectList(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& c : columns) list += (list.empty() ? "" : ", ") + Quote(c);
  return list;
}

Result<TableCopy> ChecksumColumns(Tx& tx, const std::string& table,
                                  const std::vector<std::string>& columns) {
  Checksum sum;
  GMG_RETURN_IF_ERROR(tx.QueryEach("SELECT " + SelectList(columns) + " FROM " + Quote(table), {},
                                   [&](const RowView& r) -> Status {
                                     sum.Add(r);
                                     return Ok();
                                   }));
  TableCopy t;
  t.table = table;
  t.source_rows = sum.Rows();
  t.source_checksum = sum.Hex();
  return t;
}

// The copied columns of a table in the canonical (name) order.
std::vector<std::string> CopiedColumns(const Table& t) {
  std::vector<std::string> names;
  for (const auto& c : t.columns) {
    if (!c.generated) names.push_back(c.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ---- copying --------------------------------------------------------------------------------

// The generic type of a catalog type, for creating tables (backups).
std::string GenericType(const std::string& type, Dialect to) {
  std::string t = type;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  bool integer = t.find("int") != std::string::npos || t == "boolean";
  bool real = t.find("real") != std::string::npos || t.find("double") != std::string::npos ||
              t.find("float") != std::string::npos || t.find("numeric") != std::string::npos;
  bool bytes = t == "bytea" || t.find("blob") != std::string::npos;
  if (to == Dialect::kSqlite) return integer ? "INTEGER" : real ? "REAL" : bytes ? "BLOB" : "TEXT";
  return integer ? "BIGINT" : real ? "DOUBLE PRECISION" : bytes ? "BYTEA" : "TEXT";
}

Status CreateTable(Tx& tx, const Table& t) {
  std::string sql = "CREATE TABLE " + Quote(t.name) + " (";
  std::vector<std::pair<int, std::string>> pk;
  bool first = true;
  for (const auto& c : t.columns) {
    if (c.generated) continue;
    sql += (first ? "" : ", ") + Quote(c.name) + " " + GenericType(c.type, tx.Dialect());
    first = false;
    if (c.pk > 0) pk.emplace_back(c.pk, c.name);
  }
  std::sort(pk.begin(), pk.end());
  if (!pk.empty()) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < pk.size(); ++i) sql += (i ? ", " : "") + Quote(pk[i].second);
    sql += ")";
  }
  return tx.ExecScript(sql + ")");
}

// One table's rows, streamed from the source, inserted in multi-row statements.
class TableWriter {
 public:
  TableWriter(Tx& to, const std::string& table, const std::vector<std::string>& columns,
              const std::vector<Column>& destination_columns, int batch_rows)
      : to_(to), columns_(columns.size()) {
    std::map<std::string, const Column*> by_name;
    for (const auto& c : destination_columns) by_name[c.name] = &c;
    bool identity = false;
    for (const auto& name : columns) {
      const Column* c = by_name.at(name);
      identity = identity || c->identity;
      // PostgreSQL: each value cast to its column's type (text arrives untyped, bytea as hex).
      if (to.Dialect() == Dialect::kSqlite) {
        placeholders_.emplace_back("?");
      } else if (c->type == "bytea") {
        placeholders_.emplace_back("decode(CAST(? AS TEXT), 'hex')");
        hex_.insert(placeholders_.size() - 1);
      } else {
        placeholders_.push_back("CAST(? AS " + c->type + ")");
      }
    }
    head_ = "INSERT INTO " + Quote(table) + " (" + SelectList(columns) + ")" +
            (identity && to.Dialect() == Dialect::kPostgres ? " OVERRIDING SYSTEM VALUE" : "") +
            " VALUES ";
    rows_per_statement_ = std::max<size_t>(
        1,
        std::min<size_t>(static_cast<size_t>(batch_rows), 30000 / std::max<size_t>(1, columns_)));
  }

  Status Add(const RowView& row) {
    for (size_t i = 0; i < columns_; ++i) {
      SqlValue v = row.Value(i);
      if (hex_.contains(i)) {
        if (auto* s = std::get_if<std::string>(&v)) v = HexOf(*s);
      }
      params_.push_back(std::move(v));
    }
    if (params_.size() >= rows_per_statement_ * columns_) return Flush();
    return Ok();
  }

  Status Flush() {
    if (params_.empty() || columns_ == 0) return Ok();
    size_t rows = params_.size() / columns_;
    std::string& sql = rows == rows_per_statement_ ? full_sql_ : partial_sql_;
    if (sql.empty() || rows != rows_per_statement_) sql = Statement(rows);
    GMG_RETURN_IF_ERROR(to_.Exec(sql, params_));
    params_.clear();
    return Ok();
  }

 private:
  std::string Statement(size_t rows) const {
    std::string tuple = "(";
    for (size_t i = 0; i < placeholders_.size(); ++i) tuple += (i ? ", " : "") + placeholders_[i];
    tuple += ")";
    std::string sql = head_;
    for (size_t r = 0; r < rows; ++r) sql += (r ? ", " : "") + tuple;
    return sql;
  }

  Tx& to_;
  size_t columns_;
  std::vector<std::string> placeholders_;
  std::set<size_t> hex_;
  std::string head_;
  std::string full_sql_;
  std::string partial_sql_;
  size_t rows_per_statement_;
  SqlParams params_;
};

Status ResetIdentitySequences(Tx& to, const Table& t) {
  for (const auto& c : t.columns) {
    if (!c.identity) continue;
    GMG_RETURN_IF_ERROR(
        to.Query("SELECT setval(pg_get_serial_sequence(CAST(? AS TEXT), CAST(? AS TEXT)), "
                 "coalesce(max(" +
                     Quote(c.name) + "), 0) + 1, false) FROM " + Quote(t.name),
                 {Quote(t.name), c.name}));
  }
  return Ok();
}

Status CopyInTransactions(Tx& from, Tx& to, const CopyOptions& options,
                          std::vector<TableCopy>& report) {
  GMG_ASSIGN_OR_RETURN(auto source, ReadCatalog(from, options.skip_tables));
  std::map<std::string, Table> destination;
  if (options.create_tables) {
    for (const auto& [name, t] : source) GMG_RETURN_IF_ERROR(CreateTable(to, t));
  }
  GMG_ASSIGN_OR_RETURN(destination, ReadCatalog(to, options.skip_tables));
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& [name, t] : source) {
    auto d = destination.find(name);
    if (d == destination.end()) {
      return MakeError(
          ErrorCode::kFailedPrecondition,
          "the destination has no table " + name + " (migrate it to the source's schema first)");
    }
    std::set<std::string> have;
    for (const auto& c : d->second.columns) {
      if (!c.generated) have.insert(c.name);
    }
    for (const auto& c : CopiedColumns(t)) {
      if (!have.contains(c)) {
        std::string problem = "the destination's table " + name;
        problem += " has no column " + c;
        return MakeError(ErrorCode::kFailedPrecondition, std::move(problem));
      }
    }
    GMG_ASSIGN_OR_RETURN(auto any, to.QueryOne("SELECT 1 FROM " + Quote(name) + " LIMIT 1"));
    if (any) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the destination's table " + name +
                           " already holds rows; copy only into an empty database");
    }
    parents[name] = t.parents;
    parents[name].insert(d->second.parents.begin(), d->second.parents.end());
  }
  if (to.Dialect() == Dialect::kSqlite) {
    GMG_RETURN_IF_ERROR(to.ExecScript("PRAGMA defer_foreign_keys = ON"));
  } else {
    GMG_RETURN_IF_ERROR(to.ExecScript("SET CONSTRAINTS ALL DEFERRED"));
  }
  for (const auto& name : ForeignKeyOrder(parents)) {
    const Table& t = source.at(name);
    std::vector<std::string> columns = CopiedColumns(t);
    std::vector<std::pair<int, std::string>> pk;
    for (const auto& c : t.columns) {
      if (c.pk > 0) pk.emplace_back(c.pk, c.name);
    }
    std::sort(pk.begin(), pk.end());
    std::string order;
    for (const auto& [pos, col] : pk) order += (order.empty() ? " ORDER BY " : ", ") + Quote(col);
    TableWriter writer(to, name, columns, destination.at(name).columns, options.batch_rows);
    Checksum sum;
    GMG_RETURN_IF_ERROR(
        from.QueryEach("SELECT " + SelectList(columns) + " FROM " + Quote(name) + order, {},
                       [&](const RowView& r) -> Status {
                         sum.Add(r);
                         return writer.Add(r);
                       }));
    GMG_RETURN_IF_ERROR(writer.Flush());
    if (to.Dialect() == Dialect::kPostgres)
      GMG_RETURN_IF_ERROR(ResetIdentitySequences(to, destination.at(name)));
    GMG_ASSIGN_OR_RETURN(TableCopy copied, ChecksumColumns(to, name, columns));
    TableCopy line{name, sum.Rows(), copied.source_rows, sum.Hex(), copied.source_checksum};
    report.push_back(std::move(line));
  }
  std::string mismatched;
  for (const auto& line : report) {
    if (!line.matches()) mismatched += (mismatched.empty() ? "" : ", ") + line.table;
  }
  if (!mismatched.empty()) {
    return MakeError(ErrorCode::kInternal,
                     "the copy differs from the source in " + mismatched + "; nothing was kept");
  }
  return Ok();
}

}  // namespace

Result<TableCopy> ChecksumTable(Tx& tx, const std::string& table) {
  GMG_ASSIGN_OR_RETURN(auto columns, ListColumns(tx, table));
  if (columns.empty()) return MakeError(ErrorCode::kNotFound, "no table " + table);
  return ChecksumColumns(tx, table, CopiedColumns(Table{table, columns, {}}));
}

Status CopyDatabase(Database& from, Database& to, const CopyOptions& options,
                    std::vector<TableCopy>* report) {
  std::vector<TableCopy> lines;
  Status copied = from.Read([&](Tx& source) -> Status {
    return to.Write([&](Tx& destination) -> Status {
      lines.clear();  // a retried transaction starts over
      return CopyInTransactions(source, destination, options, lines);
    });
  });
  if (report) *report = lines;
  GMG_RETURN_IF_ERROR(copied);
  if (options.after_copy) GMG_RETURN_IF_ERROR(options.after_copy(to));
  return Ok();
}

Status BackupToSqliteFile(Database& from, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec) || ec) {
    return MakeError(ErrorCode::kConflict,
                     path + " already exists; a backup never overwrites a file");
  }
  Status s;
  {
    auto file = SqliteDatabase::Open(path);
    if (!file.ok()) return file.error();
    CopyOptions options;
    options.create_tables = true;
    s = CopyDatabase(from, **file, options);
  }
  if (!s.ok()) std::filesystem::remove(path, ec);
  return s;
}

}  // namespace gmg
