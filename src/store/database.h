// Database: the storage interface every module writes through.
//
// A module never sees a connection: it asks for a read or a write transaction and runs its
// parameterized SQL inside it through Tx. SQL uses `?` placeholders (a PostgreSQL backend
// rewrites them to $n). Write() runs the function in one serializable transaction and commits
// only when it returns Ok; any error (or exception) rolls everything back, so a rejected
// request changes nothing.
// Engines: SqliteDatabase (store/sqlite/, one file, one process) and PostgresDatabase
// (store/postgres/, several processes on one server); store/open.h picks one from a --db value.
// Writes are serialized on both (SQLite: one writer; PostgreSQL: every Write first takes one
// transaction-level advisory lock), so a Write sees every earlier committed Write and never
// fails for a concurrent one. On PostgreSQL a statement error aborts the transaction (later
// statements of it fail too): write ON CONFLICT instead of trying and catching.
// Thread-safety: Database is shared by all server threads; Tx belongs to one call.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace gmg {

// The SQL dialect a database speaks: for the few statements that differ (store/sql.h).
enum class Dialect { kSqlite, kPostgres };

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// Helpers to bind optional text: nullopt/empty → NULL.
SqlValue NullIfEmpty(const std::string& s);
SqlValue OptionalText(const std::optional<std::string>& s);

class Row {
 public:
  explicit Row(std::vector<SqlValue> cols) : cols_(std::move(cols)) {}
  size_t size() const { return cols_.size(); }
  bool IsNull(size_t i) const;
  int64_t Int(size_t i) const;       // NULL → 0
  double Real(size_t i) const;       // NULL → 0
  std::string Text(size_t i) const;  // NULL → ""
  // A text or blob column without copying it (valid while the Row lives); "" otherwise.
  std::string_view Bytes(size_t i) const;
  std::optional<std::string> OptText(size_t i) const;

 private:
  std::vector<SqlValue> cols_;
};

// One row of a QueryEach result, read in place: valid only during the callback.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual bool IsNull(size_t i) const = 0;
  virtual int64_t Int(size_t i) const = 0;            // NULL → 0
  virtual std::string_view Text(size_t i) const = 0;  // text or blob bytes; NULL → ""
  // The value as a Row would hold it (copies text), and the number of columns.
  virtual SqlValue Value(size_t i) const = 0;
  virtual size_t size() const = 0;
};

class Tx {
 public:
  virtual ~Tx() = default;
  // Runs a statement; returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const SqlParams& params = {}) = 0;
  virtual Result<std::vector<Row>> Query(std::string_view sql, const SqlParams& params = {}) = 0;
  // Calls fn for each row without collecting them: for large results (a search's matches, the
  // search catalog's load), where a Row per row cost more than the query. fn's error stops
  // the query and is returned. fn must not run the same statement.
  virtual Status QueryEach(std::string_view sql, const SqlParams& params,
                           const std::function<Status(const RowView&)>& fn) = 0;
  // The first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const SqlParams& params = {});
  // Runs several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  // The dialect of the database this transaction belongs to.
  virtual gmg::Dialect Dialect() const = 0;
  // Asks that subscribers of `channel` (Database::Subscribe) be told once this Write commits;
  // nothing is sent when it rolls back. Every committed Write that changed a row already
  // notifies Database::kDataChannel without asking. kInvalidArgument for a channel name that
  // is not 1-63 of [a-z0-9_]; kFailedPrecondition in a Read.
  virtual Status NotifyChanged(std::string_view channel) = 0;
};

// A subscription to a change channel (Database::Subscribe): its callback runs until this object
// is destroyed; once the destructor returns, the callback is not running and never runs again.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

// A lock held while this object lives (Database::AcquireNamedLock); destroying it releases it.
class NamedLock {
 public:
  virtual ~NamedLock() = default;
};

class Database {
 public:
  virtual ~Database() = default;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A consistent read-only snapshot.
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // One atomic write transaction; committed only when fn returns Ok.
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // A consistent copy of the whole database to a new file.
  virtual Status Backup(const std::string& path) = 0;
  // For the few statements that differ between engines (store/sql.h).
  virtual gmg::Dialect Dialect() const = 0;
  // Waits until no one else holds the lock `name`, then holds it until the returned object is
  // destroyed (for "one import at a time" and jobs one instance must lead). Not re-entrant:
  // acquiring a name this thread already holds waits forever. Hold no transaction open while
  // waiting. The Database must outlive the lock.
  // SQLite: a mutex per name in this process (one process writes a SQLite file).
  // PostgreSQL: a session-level pg_advisory_lock(hashtext(name)) on a connection taken out of
  // the pool for the lock's life, so instances on one server queue for it. If that connection
  // dies (server restart, network), the server releases the lock at once although this object
  // still lives: it then guards nothing; whoever must not run twice should also write its state
  // in one transaction. kUnavailable when the server cannot be reached.
  virtual Result<std::unique_ptr<NamedLock>> AcquireNamedLock(std::string_view name) = 0;

  // Change notification, so that what an instance derives from the database in memory (the
  // router's anonymous response cache) follows writes made by every instance.
  // The channel every committed Write that changed at least one row notifies by itself: no
  // module can forget it, and the CLI, imports and background jobs are covered alike. A Write
  // that changed nothing (or rolled back) notifies nobody.
  static constexpr std::string_view kDataChannel = "gmg_data";
  // Calls on_change after a Write that notified `channel` (Tx::NotifyChanged, or kDataChannel
  // automatically) has committed, on this or (PostgreSQL) any other instance; several commits
  // may be reported by one call. Delivery is at least once and possibly late, never before the
  // commit is visible to a new Read; a spurious call may happen. on_change runs on a thread of
  // the Database's choosing, must be quick and must not destroy its own Subscription.
  // Once Subscribe returns, every later commit is reported. The Database must outlive the
  // Subscription. kInvalidArgument for a bad channel name (as NotifyChanged);
  // kUnavailable when PostgreSQL cannot be reached now.
  // SQLite: on_change runs on the writing thread right after the commit. One process writes a
  // SQLite file; a CLI command writing beside the server is not reported (the server's cache
  // also expires each entry after one second).
  // PostgreSQL: NOTIFY inside the write transaction (the server delivers it at commit only)
  // and LISTEN on a connection of the Subscription's own, read by a thread of its own. When
  // that connection drops, the thread reconnects with back-off (50 ms doubling to 5 s) and
  // then calls on_change once, as notifications may have been missed meanwhile.
  virtual Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel,
                                                          std::function<void()> on_change) = 0;
};

// Whether `channel` is a valid change channel name: 1-63 characters of [a-z0-9_].
inline bool IsValidChannel(std::string_view channel) {
  if (channel.empty() || channel.size() > 63) return false;
  for (char c : channel) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

}  // namespace gmg
