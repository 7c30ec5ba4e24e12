// Copying a whole installation between databases, either engine to either engine
// (`gmg migrate-data`, and PostgreSQL's Backup into a SQLite file).
//
// Tables are found in the source's catalog (sqlite_master, or information_schema for the
// current schema); migration bookkeeping (schema_version, schema_migrations) and derived
// search-index tables (SQLite FTS5 virtual tables and their shadow tables) are left out, as
// are CopyOptions::skip_tables. Columns are copied by name (generated columns are left to the
// destination). Tables go in foreign-key order (parents first, from both sides' catalogs; a
// table's own rows in primary-key order), in multi-row INSERTs, all in ONE destination Write,
// read from ONE source Read (one snapshot). After copying, PostgreSQL identity sequences are
// moved past max(id), and every table is read back inside the same destination transaction:
// rows and a checksum per side must match, else the transaction is rolled back.
//
// Checksum: the sum, modulo 2^256, of SHA-256 over each row's canonical serialisation (values
// as the Row API gives them: NULL, integer, real as %.17g, text/bytes with its length, in the
// source's column order). A sum does not depend on row order, so both engines' orders and
// collations agree; a lost, added, duplicated or changed row changes it.
// Thread-safety: a function of its arguments; the databases serialize their own transactions.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "store/database.h"

namespace gmg {

struct CopyOptions {
  // Rows per INSERT statement (fewer when a table has many columns).
  int batch_rows = 500;
  // Source tables not to copy (derived data the destination rebuilds), besides the built-in
  // exclusions above.
  std::set<std::string> skip_tables;
  // Creates each source table in the destination (columns with the generic type of the
  // source's, primary key kept) instead of requiring it: for a backup into a new file.
  bool create_tables = false;
  // Runs after the copy committed, on the destination (e.g. rebuilding a search index). Its
  // error is the copy's error (the rows stay copied; run it again by hand).
  std::function<Status(Database&)> after_copy;
};

struct TableCopy {
  std::string table;
  int64_t source_rows = 0;
  int64_t destination_rows = 0;
  std::string source_checksum;  // 64 hex digits
  std::string destination_checksum;
  bool matches() const {
    return source_rows == destination_rows && source_checksum == destination_checksum;
  }
};

// Copies every table of `from` into `to`. `to` must hold the same tables (migrated by the
// caller to the same schema) and no rows in any of them (kFailedPrecondition naming a table
// that has some), unless create_tables. `report` (when given) receives one line per table,
// also when the copy fails on a mismatch (kDataLoss-like: kInternal naming the tables).
Status CopyDatabase(Database& from, Database& to, const CopyOptions& options,
                    std::vector<TableCopy>* report = nullptr);

// The checksum and row count of one table, as CopyDatabase computes them.
Result<TableCopy> ChecksumTable(Tx& tx, const std::string& table);

// A consistent copy of `from` into a new SQLite file at `path` (refused when it exists): the
// tables are created from the source's columns (create_tables), so `gmg migrate-data --from
// PATH --to …` restores it into a migrated database.
Status BackupToSqliteFile(Database& from, const std::string& path);

}  // namespace gmg
