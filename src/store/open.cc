#include "store/open.h"

#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace gmg {

bool IsPostgresSpec(const std::string& spec) {
  return spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& spec) {
  if (IsPostgresSpec(spec)) {
    GMG_ASSIGN_OR_RETURN(auto db, PostgresDatabase::Open(spec));
    return std::unique_ptr<Database>(std::move(db));
  }
  GMG_ASSIGN_OR_RETURN(auto db, SqliteDatabase::Open(spec));
  return std::unique_ptr<Database>(std::move(db));
}

std::string DescribeDatabase(const std::string& spec) {
  if (IsPostgresSpec(spec)) return "postgresql://" + pg::DescribeTarget(spec);
  return spec;
}

}  // namespace gmg
