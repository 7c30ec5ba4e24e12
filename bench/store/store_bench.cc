// Store round trips and copies, SQLite vs PostgreSQL (measures; never passes or fails on time).
//
//   gmg_store_bench SQLITE_DIR [POSTGRES_ADMIN_URL] [ROWS]
//
// 1. Write round trip: one Write() updating one row (SQLite: a WAL file, synchronous=FULL;
//    PostgreSQL: the advisory lock, the update, the commit), 2,000 times, p50/p99/mean.
// 2. Read round trip: one Read() selecting one row by key, 5,000 times.
// 3. CopyDatabase of ROWS rows (default 100,000, 6 columns) SQLite → PostgreSQL and back.
// The PostgreSQL database `gmg_bench_store` is created through the admin URL and dropped after.
#include <libpq-fe.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "store/copy.h"
#include "store/open.h"

namespace gmg {
namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

void Report(const char* engine, const char* what, std::vector<double> us) {
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  std::printf("| %-10s | %-22s | %8.1f | %8.1f | %8.1f |\n", engine, what, us[us.size() / 2],
              us[us.size() * 99 / 100], sum / static_cast<double>(us.size()));
}

bool Check(const Status& s, const char* what) {
  if (!s.ok()) std::fprintf(stderr, "%s: %s\n", what, s.error().message.c_str());
  return s.ok();
}

bool RoundTrips(Database& db, const char* engine) {
  if (!Check(db.Write([](Tx& tx) -> Status {
        GMG_RETURN_IF_ERROR(
            tx.ExecScript("CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT)"));
        return tx.Exec("INSERT INTO counters VALUES ('c', 0)").ok()
                   ? Ok()
                   : Status(MakeError(ErrorCode::kInternal, "insert"));
      }),
             "setup")) {
    return false;
  }
  std::vector<double> writes, reads;
  for (int i = 0; i < 2000; ++i) {
    auto t0 = Clock::now();
    Status s = db.Write([](Tx& tx) -> Status {
      GMG_RETURN_IF_ERROR(tx.Exec("UPDATE counters SET value = value + ? WHERE name = ?",
                                  {int64_t{1}, std::string("c")}));
      return Ok();
    });
    writes.push_back(Micros(Clock::now() - t0));
    if (!Check(s, "write")) return false;
  }
  for (int i = 0; i < 5000; ++i) {
    auto t0 = Clock::now();
    Status s = db.Read([](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(
          auto row, tx.QueryOne("SELECT value FROM counters WHERE name = ?", {std::string("c")}));
      return row ? Ok() : Status(MakeError(ErrorCode::kNotFound, "row"));
    });
    reads.push_back(Micros(Clock::now() - t0));
    if (!Check(s, "read")) return false;
  }
  // The same read with a new SQL text each time: what the statement cache saves.
  std::vector<double> fresh;
  for (int i = 0; i < 2000; ++i) {
    std::string sql =
        "SELECT value FROM counters WHERE name = ? AND " + std::to_string(i) + " >= 0";
    auto t0 = Clock::now();
    Status s = db.Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, {std::string("c")}));
      return row ? Ok() : Status(MakeError(ErrorCode::kNotFound, "row"));
    });
    fresh.push_back(Micros(Clock::now() - t0));
    if (!Check(s, "read")) return false;
  }
  Report(engine, "Write round trip (µs)", writes);
  Report(engine, "Read round trip (µs)", reads);
  Report(engine, "Read, SQL not cached", fresh);
  return true;
}

long MaxRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// QueryEach over 1,000,000 rows of ~100 bytes: time, and how much the peak memory grew.
bool Stream(Database& db) {
  long before = MaxRssKb();
  int64_t rows = 0, bytes = 0;
  auto t0 = Clock::now();
  Status s = db.Read([&](Tx& tx) {
    return tx.QueryEach(
        "SELECT n, repeat('x', 90) || CAST(n AS TEXT) FROM generate_series(1, ?) AS n",
        {int64_t{1000000}}, [&](const RowView& r) -> Status {
          rows += r.Int(0) > 0;
          bytes += static_cast<int64_t>(r.Text(1).size());
          return Ok();
        });
  });
  double secs = Micros(Clock::now() - t0) / 1e6;
  if (!Check(s, "stream")) return false;
  std::printf(
      "\nQueryEach over %lld rows (%lld MB of text): %.2f s, %.0f rows/s, peak RSS +%ld MB\n",
      static_cast<long long>(rows), static_cast<long long>(bytes >> 20), secs, rows / secs,
      (MaxRssKb() - before) / 1024);
  return true;
}

Status CreateRows(Database& db, int rows) {
  return db.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(tx.ExecScript(
        "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL, title TEXT, amount REAL, "
        "created_at INTEGER, flag INTEGER)"));
    for (int i = 1; i <= rows; ++i) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                  {int64_t{i}, "XM-" + std::to_string(i * 7919 % 1000003),
                   "Labour migration programme number " + std::to_string(i) + " in the region",
                   i * 1.25, int64_t{1700000000} + i, int64_t{i % 2}}));
    }
    return Ok();
  });
}

Status Admin(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  Status s;
  if (PQstatus(c) != CONNECTION_OK) {
    s = MakeError(ErrorCode::kUnavailable, PQerrorMessage(c));
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
      s = MakeError(ErrorCode::kInternal, PQresultErrorMessage(r));
    PQclear(r);
  }
  PQfinish(c);
  return s;
}

std::string WithDatabase(const std::string& url, const std::string& name) {
  size_t slash = url.find('/', url.find("://") + 3);
  size_t query = url.find('?');
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gmg_store_bench SQLITE_DIR [POSTGRES_ADMIN_URL] [ROWS]\n");
    return 2;
  }
  std::filesystem::path dir = argv[1];
  std::string admin = argc > 2 ? argv[2] : "";
  int rows = argc > 3 ? std::stoi(argv[3]) : 100000;
  std::filesystem::create_directories(dir);
  for (const char* f : {"rt.db", "rt.db-wal", "rt.db-shm", "src.db", "src.db-wal", "src.db-shm",
                        "back.db", "back.db-wal", "back.db-shm"}) {
    std::filesystem::remove(dir / f);
  }
  std::printf("| engine     | measure                |      p50 |      p99 |     mean |\n");
  std::printf("|------------|------------------------|----------|----------|----------|\n");
  {
    auto db = OpenDatabase((dir / "rt.db").string());
    if (!db.ok() || !RoundTrips(**db, "SQLite")) return 1;
  }
  if (admin.empty()) return 0;
  std::string pg_url = WithDatabase(admin, "gmg_bench_store");
  if (!Check(Admin(admin, "DROP DATABASE IF EXISTS gmg_bench_store WITH (FORCE)"), "drop") ||
      !Check(Admin(admin, "CREATE DATABASE gmg_bench_store"), "create")) {
    return 1;
  }
  int rc = 0;
  {
    auto pg = OpenDatabase(pg_url);
    if (!pg.ok() || !RoundTrips(**pg, "PostgreSQL")) rc = 1;
    if (rc == 0 && !Stream(**pg)) rc = 1;
    if (pg.ok() && rc == 0) {
      // The copy: the round-trip table is dropped, so only `items` moves.
      (void)(*pg)->Write([](Tx& tx) { return tx.ExecScript("DROP TABLE counters"); });
      auto src = OpenDatabase((dir / "src.db").string());
      auto back = OpenDatabase((dir / "back.db").string());
      if (!Check(CreateRows(**src, rows), "rows") ||
          !Check((*pg)->Write([](Tx& tx) {
            return tx.ExecScript(
                "CREATE TABLE items (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                "code TEXT NOT NULL, title TEXT, amount DOUBLE PRECISION, created_at BIGINT, "
                "flag BIGINT)");
          }),
                 "pg table") ||
          !Check((*back)->Write([](Tx& tx) {
            return tx.ExecScript(
                "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL, title TEXT, "
                "amount REAL, created_at INTEGER, flag INTEGER)");
          }),
                 "back table")) {
        rc = 1;
      } else {
        std::vector<TableCopy> report;
        auto t0 = Clock::now();
        Status there = CopyDatabase(**src, **pg, {}, &report);
        double s1 = Micros(Clock::now() - t0) / 1e6;
        t0 = Clock::now();
        Status home = there.ok() ? CopyDatabase(**pg, **back, {}, &report) : there;
        double s2 = Micros(Clock::now() - t0) / 1e6;
        if (!Check(home, "copy")) {
          rc = 1;
        } else {
          std::printf(
              "\n| copy (%d rows, 6 columns, checksums included) | seconds | rows/s "
              "|\n|---|---|---|\n",
              rows);
          std::printf("| SQLite → PostgreSQL | %.2f | %.0f |\n", s1, rows / s1);
          std::printf("| PostgreSQL → SQLite | %.2f | %.0f |\n", s2, rows / s2);
        }
      }
    }
  }
  (void)Admin(admin, "DROP DATABASE IF EXISTS gmg_bench_store WITH (FORCE)");
  return rc;
}

}  // namespace
}  // namespace gmg

int main(int argc, char** argv) { return gmg::Main(argc, argv); }
