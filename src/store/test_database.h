// Test helper: a fresh, empty database of either engine, for suites that run on both
// (INSTANTIATE_TEST_SUITE_P(Engines, X, ::testing::Values(Dialect::kSqlite,
// Dialect::kPostgres), EngineName)).
//
// SQLite: a private `:memory:` database. PostgreSQL: a new database `gmg_t_<pid>_<n>` created
// through the admin URL in GMG_TEST_PG_URL (e.g. postgresql://gmg:pw@127.0.0.1:54321/postgres)
// and dropped when the returned object is destroyed. Without GMG_TEST_PG_URL a PostgreSQL
// request records a skip and returns nullptr (call it from SetUp: the test body then does not
// run); with GMG_REQUIRE_PG=1 (CI) it records a fatal failure instead. A server that cannot be
// reached is always a failure.
// Thread-safety: one test at a time creates databases; the returned Database is thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace gmg {

// "sqlite" / "postgres", for parameterised test names.
inline std::string EngineName(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::kSqlite ? "sqlite" : "postgres";
}

// GMG_TEST_PG_URL, or "" when unset.
inline std::string TestPostgresAdminUrl() {
  const char* url = std::getenv("GMG_TEST_PG_URL");
  return url ? url : "";
}

// `url` with its database name replaced by `dbname` (keeps user, password, host, query).
inline std::string WithDatabaseName(const std::string& url, const std::string& dbname) {
  size_t authority = url.find("://");
  size_t start = authority == std::string::npos ? 0 : authority + 3;
  size_t slash = url.find('/', start);
  size_t query = url.find('?', start);
  if (slash == std::string::npos || (query != std::string::npos && slash > query)) {
    std::string base = url.substr(0, query);
    return base + "/" + dbname + (query == std::string::npos ? "" : url.substr(query));
  }
  size_t end = query == std::string::npos ? url.size() : query;
  return url.substr(0, slash + 1) + dbname + url.substr(end);
}

// Runs statements one by one, each outside any transaction, on one admin connection (CREATE
// and DROP DATABASE refuse to run in a transaction block); stops at the first that fails. The
// server's notices ("does not exist, skipping") are not printed.
inline Status RunAdminStatements(const std::string& admin_url,
                                 std::initializer_list<std::string> statements) {
  PGconn* conn = PQconnectdb(admin_url.c_str());
  Status s;
  if (PQstatus(conn) != CONNECTION_OK) {
    s = MakeError(ErrorCode::kUnavailable, "cannot reach the test server " +
                                               pg::DescribeTarget(admin_url) + ": " +
                                               PQerrorMessage(conn));
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    for (const std::string& sql : statements) {
      PGresult* res = PQexec(conn, sql.c_str());
      if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        s = MakeError(ErrorCode::kInternal, sql + ": " + PQresultErrorMessage(res));
      }
      PQclear(res);
      if (!s.ok()) break;
    }
  }
  PQfinish(conn);
  return s;
}

// Drops database `name` if it exists, ending its sessions.
inline Status DropTestDatabase(const std::string& admin_url, const std::string& name) {
  return RunAdminStatements(admin_url, {"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"});
}

// Creates database `name` afresh (one left by an earlier run is dropped), a copy of
// `template_db` (no session may be connected to it) or, when that is empty, of the server's
// default, empty template.
inline Status RecreateTestDatabase(const std::string& admin_url, const std::string& name,
                                   const std::string& template_db = "") {
  return RunAdminStatements(
      admin_url, {"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)",
                  "CREATE DATABASE " + name +
                      (template_db.empty() ? std::string() : " TEMPLATE " + template_db)});
}

// A database of either engine that removes itself (PostgreSQL: DROP DATABASE) when destroyed.
class TestDatabase final : public Database {
 public:
  TestDatabase(std::unique_ptr<Database> inner, std::string spec, std::string admin_url,
               std::string dbname)
      : inner_(std::move(inner)),
        spec_(std::move(spec)),
        admin_url_(std::move(admin_url)),
        dbname_(std::move(dbname)) {}
  ~TestDatabase() override {
    inner_.reset();  // closes the pool's connections first
    if (!dbname_.empty()) {
      Status dropped = DropTestDatabase(admin_url_, dbname_);
      EXPECT_TRUE(dropped.ok()) << dropped.error().message;
    }
  }

  Status Read(const std::function<Status(Tx&)>& fn) override { return inner_->Read(fn); }
  Status Write(const std::function<Status(Tx&)>& fn) override { return inner_->Write(fn); }
  Status Backup(const std::string& path) override { return inner_->Backup(path); }
  Result<std::unique_ptr<NamedLock>> AcquireNamedLock(std::string_view name) override {
    return inner_->AcquireNamedLock(name);
  }
  gmg::Dialect Dialect() const override { return inner_->Dialect(); }
  Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel,
                                                  std::function<void()> on_change) override {
    return inner_->Subscribe(channel, std::move(on_change));
  }

  // What OpenDatabase() takes to open this database again: ":memory:" (a different, empty
  // one) or the PostgreSQL URL (the same one: a second "instance").
  const std::string& spec() const { return spec_; }
  Database& inner() { return *inner_; }

 private:
  std::unique_ptr<Database> inner_;
  std::string spec_;
  std::string admin_url_;
  std::string dbname_;
};

// Records a skip (or, with GMG_REQUIRE_PG=1, a fatal failure) when PostgreSQL is not
// configured; returns whether it is.
inline bool PostgresConfiguredOrSkip() {
  if (!TestPostgresAdminUrl().empty()) return true;
  const char* require = std::getenv("GMG_REQUIRE_PG");
  if (require && std::string(require) == "1") {
    GTEST_MESSAGE_("GMG_REQUIRE_PG=1 but GMG_TEST_PG_URL is unset",
                   ::testing::TestPartResult::kFatalFailure);
  } else {
    GTEST_MESSAGE_("PostgreSQL tests need GMG_TEST_PG_URL (scripts/pg-cluster.sh start DIR)",
                   ::testing::TestPartResult::kSkip);
  }
  return false;
}

// A new PostgreSQL database gmg_t_<pid>_<n>, a copy of database `template_db` (CREATE
// DATABASE … TEMPLATE; no session may be connected to it), or of the server's default, empty
// template when `template_db` is empty. nullptr, with a skip or failure recorded, as above.
inline std::unique_ptr<TestDatabase> NewPostgresTestDatabase(const std::string& template_db = "") {
  if (!PostgresConfiguredOrSkip()) return nullptr;
  static std::atomic<int> counter{0};
  std::string admin = TestPostgresAdminUrl();
  std::string dbname = "gmg_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  Status created = RecreateTestDatabase(admin, dbname, template_db);
  if (!created.ok()) {
    GTEST_MESSAGE_(created.error().message.c_str(), ::testing::TestPartResult::kFatalFailure);
    return nullptr;
  }
  std::string url = WithDatabaseName(admin, dbname);
  auto db = PostgresDatabase::Open(url);
  if (!db.ok()) {
    GTEST_MESSAGE_(db.error().message.c_str(), ::testing::TestPartResult::kFatalFailure);
    (void)DropTestDatabase(admin, dbname);
    return nullptr;
  }
  return std::make_unique<TestDatabase>(std::move(db).value(), url, admin, dbname);
}

inline std::unique_ptr<TestDatabase> OpenEmptyTestDatabase(Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    auto db = SqliteDatabase::Open(":memory:");
    EXPECT_TRUE(db.ok()) << db.error().message;
    if (!db.ok()) return nullptr;
    return std::make_unique<TestDatabase>(std::move(db).value(), ":memory:", "", "");
  }
  return NewPostgresTestDatabase();
}

}  // namespace gmg
