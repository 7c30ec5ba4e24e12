// Opening the database a --db / GMG_DB value names: the composition root's one way in.
//
// A value starting with `postgresql://` or `postgres://` is a libpq URL
// (postgresql://user:password@host:5432/dbname?sslmode=…): PostgresDatabase. Anything else is
// a SQLite file path (created when missing): SqliteDatabase.
// Thread-safety: a function of its argument.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace gmg {

// Whether `spec` names a PostgreSQL database.
bool IsPostgresSpec(const std::string& spec);

// The engine's database. Errors: SQLite's own (a file that cannot be opened); PostgreSQL
// kUnavailable naming host:port/dbname and libpq's reason (unreachable, password refused, no
// such database). The URL's password never appears in a message.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& spec);

// `spec` fit for messages and logs: a PostgreSQL URL without its password.
std::string DescribeDatabase(const std::string& spec);

}  // namespace gmg
