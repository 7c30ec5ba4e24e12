#include "store/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/sqlite/fts5_functions.h"

namespace gmg {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) {
    // Constraints are the schema's last line of defence; services check first, so reaching
    // one means a concurrent write or a rule the service missed: report it as a conflict.
    return MakeError(ErrorCode::kConflict, msg);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return MakeError(ErrorCode::kResourceExhausted, "database busy: " + msg);
  }
  return MakeError(ErrorCode::kInternal, msg);
}

SqlValue ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      return std::string(bytes ? bytes : "", static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
    }
  }
}

}  // namespace

// One sqlite3 handle and its statement cache. Used by one thread at a time.
constexpr size_t kStatementCacheSize = 256;

class SqliteConnection final : public Tx {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : lru_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  sqlite3* handle() const { return db_; }

  Result<int64_t> Exec(std::string_view sql, const SqlParams& params) override {
    GMG_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "exec");
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Result<std::vector<Row>> Query(std::string_view sql, const SqlParams& params) override {
    GMG_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    std::vector<Row> rows;
    int n = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<SqlValue> cols;
      cols.reserve(n);
      for (int i = 0; i < n; ++i) cols.push_back(ColumnValue(stmt, i));
      rows.emplace_back(std::move(cols));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "query");
    return rows;
  }

  Status QueryEach(std::string_view sql, const SqlParams& params,
                   const std::function<Status(const RowView&)>& fn) override {
    GMG_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    struct View final : RowView {
      sqlite3_stmt* stmt;
      explicit View(sqlite3_stmt* s) : stmt(s) {}
      int Col(size_t i) const { return static_cast<int>(i); }
      bool IsNull(size_t i) const override {
        return sqlite3_column_type(stmt, Col(i)) == SQLITE_NULL;
      }
      int64_t Int(size_t i) const override { return sqlite3_column_int64(stmt, Col(i)); }
      std::string_view Text(size_t i) const override {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, Col(i)));
        return bytes ? std::string_view(bytes,
                                        static_cast<size_t>(sqlite3_column_bytes(stmt, Col(i))))
                     : std::string_view();
      }
      SqlValue Value(size_t i) const override { return ColumnValue(stmt, Col(i)); }
      size_t size() const override { return static_cast<size_t>(sqlite3_column_count(stmt)); }
    } view(stmt);
    // Reset however fn leaves (an error, an exception): the statement stays cached.
    struct Reset {
      sqlite3_stmt* stmt;
      ~Reset() { sqlite3_reset(stmt); }
    } reset{stmt};
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      GMG_RETURN_IF_ERROR(fn(view));
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, rc, "query");
    return Ok();
  }

  gmg::Dialect Dialect() const override { return gmg::Dialect::kSqlite; }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return MakeError(ErrorCode::kInternal, "sql script: " + msg);
    }
    return Ok();
  }

  Status NotifyChanged(std::string_view channel) override {
    if (!IsValidChannel(channel)) {
      return MakeError(ErrorCode::kInvalidArgument, "change channel: not 1-63 of [a-z0-9_]");
    }
    if (!in_write_) {
      return MakeError(ErrorCode::kFailedPrecondition, "NotifyChanged in a read transaction");
    }
    for (const auto& c : notified_) {
      if (c == channel) return Ok();
    }
    notified_.emplace_back(channel);
    return Ok();
  }
  // Whether the current transaction is a Write (the writer connection also serves the reads of
  // a :memory: database).
  void set_in_write(bool in_write) { in_write_ = in_write; }
  // The channels asked for since the last call (Tx::NotifyChanged).
  std::vector<std::string> TakeNotified() { return std::exchange(notified_, {}); }

 private:
  bool in_write_ = false;
  std::vector<std::string> notified_;

  Result<sqlite3_stmt*> Prepare(std::string_view sql, const SqlParams& params) {
    sqlite3_stmt* stmt = nullptr;
    auto it = index_.find(sql);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);  // most recently used first
      stmt = it->second->second;
      sqlite3_clear_bindings(stmt);
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
      lru_.emplace_front(std::string(sql), stmt);
      index_.emplace(lru_.front().first, lru_.begin());
      Evict();
    }
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return MakeError(ErrorCode::kInternal, "sql parameter count mismatch");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      const SqlValue& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::nullptr_t>(v)) {
        rc = sqlite3_bind_null(stmt, idx);
      } else if (auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, idx, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, idx, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text64(stmt, idx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return stmt;
  }

  // Finalizes the least recently used statements beyond the cache's size, skipping any still
  // running (a QueryEach whose callback prepares others).
  void Evict() {
    auto it = lru_.end();
    while (lru_.size() > kStatementCacheSize && it != lru_.begin()) {
      --it;
      if (sqlite3_stmt_busy(it->second) != 0) continue;
      sqlite3_finalize(it->second);
      index_.erase(it->first);
      it = lru_.erase(it);
    }
  }

  sqlite3* db_;
  // Prepared statements by SQL text, most recently used first, at most kStatementCacheSize:
  // texts vary with the filters a client sends (list lengths, sort orders), so an unbounded
  // cache would grow with every new combination. Looked up by string_view into the list's
  // strings (stable in a list): no allocation per statement on the hot path.
  std::list<std::pair<std::string, sqlite3_stmt*>> lru_;
  std::unordered_map<std::string_view, std::list<std::pair<std::string, sqlite3_stmt*>>::iterator>
      index_;

 public:
  size_t CachedStatements() const { return lru_.size(); }
};

// The callbacks of Subscribe, by id. A recursive mutex, held while callbacks run: a callback
// may write (and so fire again on its thread), and a Subscription's destructor on another
// thread waits until its callback has returned.
struct SqliteSubscribers {
  std::recursive_mutex mu;
  uint64_t next_id = 0;
  std::map<uint64_t, std::pair<std::string, std::function<void()>>> callbacks;

  void Fire(const std::vector<std::string>& channels) {
    std::lock_guard lock(mu);
    for (auto& [id, sub] : callbacks) {
      if (std::find(channels.begin(), channels.end(), sub.first) == channels.end()) continue;
      try {
        sub.second();
      } catch (...) {
        // A subscriber's failure must not fail the committed write.
      }
    }
  }
};

namespace {

// Runs fn between BEGIN and COMMIT on `c`; rolls back on error or exception.
Status RunTransaction(SqliteConnection& c, const char* begin,
                      const std::function<Status(Tx&)>& fn) {
  GMG_RETURN_IF_ERROR(c.ExecScript(begin));
  Status s;
  try {
    s = fn(c);
  } catch (...) {
    (void)c.ExecScript("ROLLBACK");
    throw;
  }
  if (!s.ok()) {
    (void)c.ExecScript("ROLLBACK");
    return s;
  }
  Status commit = c.ExecScript("COMMIT");
  if (!commit.ok()) (void)c.ExecScript("ROLLBACK");
  return commit;
}

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, int max_readers)
    : path_(std::move(path)),
      in_memory_(path_ == ":memory:"),
      max_readers_(max_readers),
      subscribers_(std::make_shared<SqliteSubscribers>()) {}

SqliteDatabase::~SqliteDatabase() = default;

Result<std::unique_ptr<SqliteConnection>> SqliteDatabase::Connect(bool writer) const {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (writer) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, "cannot open database " + path_);
    sqlite3_close_v2(db);
    return e;
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  // Reads go through a memory map (no read() per page) and a 32 MB page cache per connection:
  // the activity map's filters and searches touch many pages of a database of hundreds of MB.
  // The writer may cache up to 256 MB (allocated only when used): a bulk import writes more
  // pages than 32 MB hold, and spilling them to the WAL mid-transaction, then reading them
  // back from it, cost 14 % of a 100,000-activity import.
  // synchronous=FULL: in WAL mode each commit fsyncs the WAL before it is acknowledged, so an
  // acknowledged write survives power loss, not only a crash (NORMAL may lose the last commits).
  // It costs one fsync per write transaction; bulk imports are one transaction. The hidden
  // GMG_SQLITE_SYNCHRONOUS=NORMAL exists only so bench/soak/writes.mjs can measure that cost.
  const char* sync_env = std::getenv("GMG_SQLITE_SYNCHRONOUS");
  std::string synchronous = sync_env && std::string(sync_env) == "NORMAL" ? "NORMAL" : "FULL";
  std::string pragmas =
      "PRAGMA foreign_keys=ON; PRAGMA synchronous=" + synchronous +
      "; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768; PRAGMA mmap_size=1073741824;";
  if (writer && !in_memory_) pragmas += "PRAGMA journal_mode=WAL; PRAGMA cache_size=-262144;";
  // A file that is not a database fails here, with SQLite's own words.
  GMG_RETURN_IF_ERROR(conn->ExecScript(pragmas));
  if (!RegisterFts5Functions(db)) return MakeError(ErrorCode::kInternal, "this SQLite has no FTS5");
  return conn;
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             int max_readers) {
  // Memory statistics cost a global mutex on every allocation; nothing here reads them.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(path, max_readers));
  GMG_ASSIGN_OR_RETURN(db->writer_, db->Connect(/*writer=*/true));
  return db;
}

Result<SqliteConnection*> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(pool_mu_);
  for (;;) {
    if (!idle_.empty()) {
      SqliteConnection* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    if (static_cast<int>(readers_.size()) < max_readers_) {
      GMG_ASSIGN_OR_RETURN(auto conn, Connect(/*writer=*/false));
      readers_.push_back(std::move(conn));
      return readers_.back().get();
    }
    pool_cv_.wait(lock);
  }
}

void SqliteDatabase::ReleaseReader(SqliteConnection* c) {
  {
    std::lock_guard lock(pool_mu_);
    idle_.push_back(c);
  }
  pool_cv_.notify_one();
}

Status SqliteDatabase::Read(const std::function<Status(Tx&)>& fn) {
  if (in_memory_) {
    std::lock_guard lock(write_mu_);
    return RunTransaction(*writer_, "BEGIN", fn);
  }
  GMG_ASSIGN_OR_RETURN(SqliteConnection * c, AcquireReader());
  struct Release {
    SqliteDatabase* db;
    SqliteConnection* c;
    ~Release() { db->ReleaseReader(c); }
  } release{this, c};
  return RunTransaction(*c, "BEGIN", fn);
}

Status SqliteDatabase::Write(const std::function<Status(Tx&)>& fn) {
  std::vector<std::string> notified;
  {
    std::lock_guard lock(write_mu_);
    (void)writer_->TakeNotified();  // left by a transaction that threw
    sqlite3_int64 before = sqlite3_total_changes64(writer_->handle());
    writer_->set_in_write(true);
    Status s;
    try {
      s = RunTransaction(*writer_, "BEGIN IMMEDIATE", fn);
    } catch (...) {
      writer_->set_in_write(false);
      throw;
    }
    writer_->set_in_write(false);
    notified = writer_->TakeNotified();
    if (!s.ok()) return s;
    if (sqlite3_total_changes64(writer_->handle()) != before) {
      notified.emplace_back(kDataChannel);
    }
  }
  // After the write lock is released: a callback may read, or write itself.
  if (!notified.empty()) subscribers_->Fire(notified);
  return Ok();
}

namespace {

class SqliteSubscription final : public Subscription {
 public:
  SqliteSubscription(std::shared_ptr<SqliteSubscribers> subs, uint64_t id)
      : subs_(std::move(subs)), id_(id) {}
  ~SqliteSubscription() override {
    std::lock_guard lock(subs_->mu);
    subs_->callbacks.erase(id_);
  }

 private:
  std::shared_ptr<SqliteSubscribers> subs_;
  uint64_t id_;
};

}  // namespace

Result<std::unique_ptr<Subscription>> SqliteDatabase::Subscribe(std::string_view channel,
                                                                std::function<void()> on_change) {
  if (!IsValidChannel(channel)) {
    return MakeError(ErrorCode::kInvalidArgument, "change channel: not 1-63 of [a-z0-9_]");
  }
  std::lock_guard lock(subscribers_->mu);
  uint64_t id = ++subscribers_->next_id;
  subscribers_->callbacks.emplace(id, std::make_pair(std::string(channel), std::move(on_change)));
  return std::unique_ptr<Subscription>(new SqliteSubscription(subscribers_, id));
}

size_t SqliteDatabase::MaxCachedStatementsForTesting() {
  size_t most = writer_->CachedStatements();
  std::lock_guard lock(pool_mu_);
  for (const auto& r : readers_) most = std::max(most, r->CachedStatements());
  return most;
}

namespace {

// Names held in this process, keyed by file and name.
struct NamedLocks {
  std::mutex mu;
  std::condition_variable released;
  std::set<std::string> held;
};

NamedLocks& ProcessNamedLocks() {
  static auto* locks = new NamedLocks();  // never destroyed: locks may outlive main()
  return *locks;
}

class ProcessNamedLock final : public NamedLock {
 public:
  explicit ProcessNamedLock(std::string key) : key_(std::move(key)) {}
  ~ProcessNamedLock() override {
    NamedLocks& locks = ProcessNamedLocks();
    {
      std::lock_guard lock(locks.mu);
      locks.held.erase(key_);
    }
    locks.released.notify_all();
  }

 private:
  std::string key_;
};

}  // namespace

Result<std::unique_ptr<NamedLock>> SqliteDatabase::AcquireNamedLock(std::string_view name) {
  // A private in-memory database is its own: key it by this object, not by ":memory:".
  std::string key = (in_memory_ ? std::to_string(reinterpret_cast<uintptr_t>(this)) : path_);
  key += '\0';
  key += name;
  NamedLocks& locks = ProcessNamedLocks();
  std::unique_lock lock(locks.mu);
  locks.released.wait(lock, [&] { return !locks.held.contains(key); });
  locks.held.insert(key);
  return std::unique_ptr<NamedLock>(new ProcessNamedLock(std::move(key)));
}

Status SqliteDatabase::Backup(const std::string& path) {
  std::lock_guard lock(write_mu_);
  sqlite3_stmt* stmt = nullptr;
  sqlite3* h = writer_->handle();
  int rc = sqlite3_prepare_v2(h, "VACUUM INTO ?", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(stmt, 1, path.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(stmt);
  }
  Status s;
  if (rc != SQLITE_DONE) s = SqliteError(h, rc, "backup to " + path);
  sqlite3_finalize(stmt);
  return s;
}

}  // namespace gmg
