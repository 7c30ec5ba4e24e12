// SqliteDatabase: the embedded default backend (one file, WAL, foreign keys, busy timeout).
//
// One writer connection behind a mutex (SQLite allows one writer at a time; BEGIN IMMEDIATE
// makes that explicit) and a pool of reader connections that see committed snapshots.
// Prepared statements are cached per connection, the 256 most recently used.
// Thread-safety: all public methods may be called from any thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.h"

namespace gmg {

class SqliteConnection;
struct SqliteSubscribers;

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the file at `path`; ":memory:" gives a private in-memory
  // database (one connection, for tests).
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, int max_readers = 8);
  ~SqliteDatabase() override;

  Status Read(const std::function<Status(Tx&)>& fn) override;
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Backup(const std::string& path) override;
  // A mutex per (file, name) in this process: one process writes a SQLite file.
  Result<std::unique_ptr<NamedLock>> AcquireNamedLock(std::string_view name) override;
  gmg::Dialect Dialect() const override { return gmg::Dialect::kSqlite; }
  // Callbacks run on the writing thread right after a committed Write of this object (see
  // Database::Subscribe); other processes writing the same file are not reported.
  Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel,
                                                  std::function<void()> on_change) override;

  // The most statements any one connection holds prepared now (bounded by the cache's size).
  size_t MaxCachedStatementsForTesting();

 private:
  SqliteDatabase(std::string path, int max_readers);
  Result<std::unique_ptr<SqliteConnection>> Connect(bool writer) const;
  Result<SqliteConnection*> AcquireReader();
  void ReleaseReader(SqliteConnection* c);

  std::string path_;
  bool in_memory_ = false;
  int max_readers_;
  std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;  // all opened
  std::vector<SqliteConnection*> idle_;
  std::shared_ptr<SqliteSubscribers> subscribers_;  // shared with each Subscription
};

}  // namespace gmg
