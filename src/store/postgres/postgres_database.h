// PostgresDatabase: the PostgreSQL 15 backend (libpq), for installations that outgrow one
// machine: several `gmg serve` instances share one server.
//
// A bounded pool of connections (8 by default): a call takes an idle connection, opens one when
// fewer than the bound exist, else waits for one. Each connection caches its prepared
// statements, the 256 most recently used (named gmg_s<n>, PQprepare/PQexecPrepared). A query
// (SELECT or WITH) is described once when prepared; when it returns bytea and only types read
// from binary (integers, bool, floats, text, bytea), its results come in binary: the same
// values as the text form, half the bytes of a bytea and no hex to make or read.
// Transactions (docs in store/database.h):
//   Write: READ COMMITTED, whose first statement takes pg_advisory_xact_lock(kWriteLockKey):
//          writes are serialized across every instance, as SQLite's one writer serializes them
//          in one process, so no serialization failure ever needs a retry. One Write per
//          process waits for that lock at a time (a mutex), so waiting writers do not hold the
//          pool's connections.
//   Read:  REPEATABLE READ READ ONLY: one snapshot for the whole function.
// SQL uses `?` placeholders, rewritten to $1, $2, … outside string literals, quoted
// identifiers, dollar-quoted strings and comments (so PostgreSQL's jsonb `?` operators cannot
// be written; use jsonb_exists()). Parameters: int64 → int8, double → float8, text untyped
// (the server infers its type from the context: write CAST(? AS TEXT) where it cannot), NULL.
// Results are read by column type: smallint/integer/bigint/boolean/oid → int64, real/double →
// double, numeric → int64 when integral else double, bytea → its bytes, everything else text.
// Unlike SQLite, a failed statement aborts the whole transaction: every later statement of it
// returns the first error again, and the transaction is rolled back.
// Errors: a lost connection (server restart, killed backend, network) → kUnavailable; the
// connection is dropped and a later call connects anew (a transaction whose BEGIN fails on a
// dead pooled connection is retried once on a fresh one, nothing had run, and the other idle
// connections are dropped: after a server restart, the first call already succeeds). A lost
// connection during COMMIT leaves the outcome unknown to the caller (kUnavailable either way).
// Unique violation → kConflict; foreign key and check violations → kFailedPrecondition;
// serialization failure, deadlock, lock timeout → kResourceExhausted; anything else kInternal with
// the SQLSTATE. Messages name host:port/database and libpq's reason, never the password.
// Thread-safety: all public methods may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace gmg {

class PgConnection;

namespace pg {

// `sql` with each `?` outside quotes and comments replaced by $1, $2, …; `*count` (when given)
// receives how many there were. Never fails: an unterminated literal or comment keeps its
// `?`s as they are (the server will report the syntax error).
std::string RewritePlaceholders(std::string_view sql, int* count = nullptr);

// The connection URL or keyword string with its password removed, and "host:port/dbname" for
// messages.
std::string DescribeTarget(const std::string& conninfo);

}  // namespace pg

class PostgresDatabase final : public Database {
 public:
  // The advisory lock key every Write takes first (an arbitrary constant: "GMG write").
  static constexpr int64_t kWriteLockKey = 0x474d4757;

  // Connects once to check the URL (postgresql://user:pass@host:port/db or a libpq keyword
  // string). kUnavailable naming host:port/db and libpq's reason when the server is
  // unreachable, refuses the password, or has no such database.
  static Result<std::unique_ptr<PostgresDatabase>> Open(const std::string& conninfo,
                                                        int max_connections = 8);
  ~PostgresDatabase() override;

  Status Read(const std::function<Status(Tx&)>& fn) override;
  Status Write(const std::function<Status(Tx&)>& fn) override;
  // A consistent copy (one REPEATABLE READ snapshot) into a new SQLite file at `path`: every
  // table of the public schema with its columns, primary keys and rows (see store/copy.h);
  // `gmg migrate-data --from FILE --to …` restores it.
  Status Backup(const std::string& path) override;
  Result<std::unique_ptr<NamedLock>> AcquireNamedLock(std::string_view name) override;
  gmg::Dialect Dialect() const override { return gmg::Dialect::kPostgres; }
  // NOTIFY at commit; each Subscription LISTENs on a connection and a thread of its own (not
  // taken from the pool), reconnecting as store/database.h says. Its destructor wakes the
  // thread through a pipe and joins it: prompt, except while a reconnect attempt is under way
  // to an unreachable host (bounded by the connect timeout, 10 s).
  Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel,
                                                  std::function<void()> on_change) override;

  // "host:port/dbname", for messages.
  const std::string& target() const { return target_; }
  size_t MaxCachedStatementsForTesting();
  // How many cached statements, over the idle connections, have their results in binary.
  size_t BinaryStatementsForTesting();
  // The server process id of one pooled connection (opening one if none is idle); for tests
  // that kill it.
  Result<int> SomeBackendPidForTesting();

 private:
  class PooledLock;
  class Listener;
  PostgresDatabase(std::string conninfo, int max_connections);
  Result<std::unique_ptr<PgConnection>> Connect() const;
  Result<std::unique_ptr<PgConnection>> Acquire();
  void Release(std::unique_ptr<PgConnection> c);
  // Closes every idle connection (after one was found dead: a server restart kills them all).
  void DropIdle();
  Status Run(bool write, const std::function<Status(Tx&)>& fn);

  std::string conninfo_;
  std::string target_;
  int max_connections_;
  std::mutex write_mu_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  int open_ = 0;  // connections in existence (idle or in use)
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

}  // namespace gmg
