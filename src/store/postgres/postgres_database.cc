#include "store/postgres/postgres_database.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <list>
#include <optional>
#include <thread>
#include <unordered_map>

#include "store/copy.h"
#include "store/postgres/postgres_values.h"

namespace gmg {

// ---------------------------------------------------------------------------------------------
// Placeholders and targets

namespace pg {
namespace {

// The end of a dollar-quote tag starting at sql[i] == '$' ("$tag$" or "$$"), or npos.
size_t DollarTagEnd(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])))
    return std::string_view::npos;
  while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_' ||
                            static_cast<unsigned char>(sql[j]) >= 0x80)) {
    ++j;
  }
  if (j < sql.size() && sql[j] == '$') return j + 1;
  return std::string_view::npos;
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  // Copies sql[i, end) unchanged and moves i there.
  auto copy_to = [&](size_t end) {
    end = std::min(end, sql.size());
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {
      // A string literal; E'…' allows backslash escapes. '' is a quote inside it.
      bool backslashes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < sql.size()) {
        if (backslashes && sql[j] == '\\') {
          j += 2;
          continue;
        }
        if (sql[j] == '\'') {
          if (j + 1 < sql.size() && sql[j + 1] == '\'') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      copy_to(j + 1);
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == '"') {
          if (j + 1 < sql.size() && sql[j + 1] == '"') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      copy_to(j + 1);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      copy_to(j == std::string_view::npos ? sql.size() : j + 1);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      // Block comments nest in PostgreSQL.
      int depth = 0;
      size_t j = i;
      while (j < sql.size()) {
        if (sql[j] == '/' && j + 1 < sql.size() && sql[j + 1] == '*') {
          ++depth;
          j += 2;
          continue;
        }
        if (sql[j] == '*' && j + 1 < sql.size() && sql[j + 1] == '/') {
          j += 2;
          if (--depth == 0) break;
          continue;
        }
        ++j;
      }
      copy_to(j);
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      size_t tag_end = DollarTagEnd(sql, i);
      if (tag_end == std::string_view::npos) {
        copy_to(i + 1);
        continue;
      }
      std::string_view tag = sql.substr(i, tag_end - i);
      size_t close = sql.find(tag, tag_end);
      copy_to(close == std::string_view::npos ? sql.size() : close + tag.size());
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
      ++i;
    } else {
      // Plain text up to the next character that may start something.
      size_t j = sql.find_first_of("'\"-/$?", i + 1);
      copy_to(j == std::string_view::npos ? sql.size() : j);
    }
  }
  if (count) *count = n;
  return out;
}

std::string DescribeTarget(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    if (err) PQfreemem(err);
    return "(an unreadable PostgreSQL URL)";
  }
  std::string host = "localhost", port = "5432", dbname, user;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string_view k = o->keyword;
    if (k == "host" || (k == "hostaddr" && host == "localhost")) host = o->val;
    if (k == "port") port = o->val;
    if (k == "dbname") dbname = o->val;
    if (k == "user") user = o->val;
  }
  PQconninfoFree(opts);
  if (dbname.empty()) dbname = user;
  return host + ":" + port + "/" + dbname;
}

}  // namespace pg

namespace {

using postgres::BinaryReadable;
using postgres::BinaryValue;
using postgres::ColumnKind;
using postgres::DecodeHexBytea;
using postgres::IntegralNumeric;
using postgres::kByteaOid;
using postgres::kFloat8Oid;
using postgres::KindOf;
using postgres::kInt8Oid;

// The password of `conninfo` (to scrub from messages), or "".
std::string PasswordOf(const std::string& conninfo) {
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr);
  std::string pw;
  for (PQconninfoOption* o = opts; o && o->keyword; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val) pw = o->val;
  }
  if (opts) PQconninfoFree(opts);
  return pw;
}

// An unreachable server: the client may retry soon (503 with Retry-After).
Error Unavailable(std::string message) {
  Error e = MakeError(ErrorCode::kUnavailable, std::move(message));
  e.retry_after_seconds = 1;
  return e;
}

// libpq's message on one line, without the password.
std::string Scrub(std::string msg, const std::string& password) {
  for (char& c : msg) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  for (size_t at; (at = msg.find("  ")) != std::string::npos;) msg.erase(at, 1);
  if (password.size() >= 1) {
    for (size_t at; (at = msg.find(password)) != std::string::npos;)
      msg.replace(at, password.size(), "***");
  }
  return msg;
}

// The bytes of a bytea column's text form: hex ("\x…", as PostgreSQL ≥ 9 sends it) decoded
// by DecodeHexBytea in one tight loop (PQunescapeBytea also handles the escape format and
// whitespace per character, and copies once more); anything else (the old escape format)
// through libpq.
std::string DecodeBytea(const char* text, size_t len) {
  if (auto hex = DecodeHexBytea(std::string_view(text, len))) return *std::move(hex);
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
  if (!raw) return std::string(text, len);
  std::string out(reinterpret_cast<char*>(raw), n);
  PQfreemem(raw);
  return out;
}

// Whether `sql` is a query (SELECT or WITH first), whose columns may call for ReadInBinary.
bool ReturnsRows(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  auto starts = [&](std::string_view word) {
    if (sql.size() - i < word.size()) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
    }
    return true;
  };
  return starts("SELECT") || starts("WITH");
}

// A value of a column sent in binary (its type BinaryReadable).
SqlValue BinaryValueAt(const PGresult* res, int row, int col) {
  return BinaryValue(
      PQftype(res, col),
      std::string_view(PQgetvalue(res, row, col), static_cast<size_t>(PQgetlength(res, row, col))));
}

// Whether the results described by `described` come in binary (see Prepared::binary).
bool ReadInBinary(const PGresult* described) {
  bool bytea = false;
  for (int i = 0; i < PQnfields(described); ++i) {
    if (!BinaryReadable(PQftype(described, i))) return false;
    bytea |= PQftype(described, i) == kByteaOid;
  }
  return bytea;
}

SqlValue ValueAt(const PGresult* res, int row, int col, ColumnKind kind) {
  if (PQgetisnull(res, row, col)) return nullptr;
  if (PQfformat(res, col) == 1) return BinaryValueAt(res, row, col);
  const char* text = PQgetvalue(res, row, col);
  auto len = static_cast<size_t>(PQgetlength(res, row, col));
  switch (kind) {
    case ColumnKind::kInt:
      return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
    case ColumnKind::kBool:
      return static_cast<int64_t>(text[0] == 't' ? 1 : 0);
    case ColumnKind::kReal:
      return std::strtod(text, nullptr);
    case ColumnKind::kNumeric:
      if (auto v = IntegralNumeric(text)) return *v;
      return std::strtod(text, nullptr);
    case ColumnKind::kBytes:
      return DecodeBytea(text, len);
    case ColumnKind::kText:
      return std::string(text, len);
  }
  return nullptr;
}

std::vector<ColumnKind> KindsOf(const PGresult* res) {
  std::vector<ColumnKind> kinds(static_cast<size_t>(PQnfields(res)));
  for (size_t i = 0; i < kinds.size(); ++i) kinds[i] = KindOf(PQftype(res, static_cast<int>(i)));
  return kinds;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Parameters in libpq's arrays: integers and doubles binary (network order), text as text.
class BoundParams {
 public:
  explicit BoundParams(const SqlParams& params) {
    size_t n = params.size();
    types_.resize(n);
    values_.resize(n);
    lengths_.resize(n);
    formats_.resize(n);
    binary_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const SqlValue& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) {
        types_[i] = 0;
        values_[i] = nullptr;
      } else if (auto* x = std::get_if<int64_t>(&v)) {
        types_[i] = kInt8Oid;
        Put(i, static_cast<uint64_t>(*x));
      } else if (auto* d = std::get_if<double>(&v)) {
        types_[i] = kFloat8Oid;
        uint64_t bits;
        std::memcpy(&bits, d, sizeof bits);
        Put(i, bits);
      } else {
        const auto& s = std::get<std::string>(v);
        types_[i] = 0;  // untyped: the server infers it from where it is used
        values_[i] = s.c_str();
        lengths_[i] = static_cast<int>(s.size());
      }
    }
  }
  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void Put(size_t i, uint64_t host) {
    for (int b = 0; b < 8; ++b) binary_[i][b] = static_cast<char>(host >> (56 - 8 * b));
    values_[i] = binary_[i].data();
    lengths_[i] = 8;
    formats_[i] = 1;
  }
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<std::array<char, 8>> binary_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// One connection

constexpr size_t kPgStatementCacheSize = 256;
constexpr size_t kMaxEvicted = 32;
constexpr int kCursorBatchRows = 1000;

class PgConnection final : public Tx {
 public:
  PgConnection(PGconn* conn, std::string target, std::string password)
      : conn_(conn), target_(std::move(target)), password_(std::move(password)) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  size_t CachedStatements() const { return lru_.size(); }
  size_t BinaryStatements() const {
    return static_cast<size_t>(
        std::count_if(lru_.begin(), lru_.end(), [](const auto& e) { return e.second.binary; }));
  }
  int BackendPid() const { return PQbackendPID(conn_); }

  // Transaction control (no parameters, not cached).
  // Also frees the statements evicted since the last transaction, in the same round trip.
  Status Begin(bool write) {
    aborted_.reset();
    write_ = write;
    notified_.clear();
    // BEGIN first: in one simple query, the isolation level must come before any statement.
    std::string sql = write ? "BEGIN ISOLATION LEVEL READ COMMITTED; "
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ";
    for (const auto& name : evicted_) sql += "DEALLOCATE " + name + "; ";
    evicted_.clear();
    if (write) {
      sql +=
          "SELECT pg_advisory_xact_lock(" + std::to_string(PostgresDatabase::kWriteLockKey) + ")";
    }
    return Simple(sql);
  }
  Status Commit() {
    if (aborted_) {
      Error e = *aborted_;
      (void)Rollback();
      return e;
    }
    // The notifications go in the same round trip as COMMIT; the server delivers them at
    // commit only. kDataChannel only when the transaction wrote: it then has a transaction id
    // (the advisory lock alone does not assign one).
    std::string sql;
    if (write_) {
      for (const auto& channel : notified_) sql += "SELECT pg_notify('" + channel + "', ''); ";
      sql += "SELECT pg_notify('" + std::string(Database::kDataChannel) +
             "', '') WHERE pg_current_xact_id_if_assigned() IS NOT NULL; ";
    }
    notified_.clear();
    sql += "COMMIT";
    ResultPtr res(PQexec(conn_, sql.c_str()));
    if (Status s = Check(res.get(), "commit"); !s.ok()) {
      (void)Rollback();  // a failed notify leaves the transaction open (harmless otherwise)
      return s;
    }
    // COMMIT of a transaction the server had aborted answers ROLLBACK.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      return MakeError(ErrorCode::kInternal, "commit: the server rolled the transaction back");
    }
    return Ok();
  }
  Status Rollback() {
    aborted_.reset();
    if (broken()) return Ok();
    return Simple("ROLLBACK");
  }
  // Runs `sql` (one or more statements, no parameters); the last result must succeed.
  Status Simple(const std::string& sql) {
    ResultPtr res(PQexec(conn_, sql.c_str()));
    return Check(res.get(), "sql");
  }

  Result<int64_t> Exec(std::string_view sql, const SqlParams& params) override {
    GMG_ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
    const char* changed = PQcmdTuples(res.get());
    return static_cast<int64_t>(*changed ? std::strtoll(changed, nullptr, 10) : 0);
  }

  Result<std::vector<Row>> Query(std::string_view sql, const SqlParams& params) override {
    GMG_ASSIGN_OR_RETURN(ResultPtr res, Run(sql, params));
    std::vector<ColumnKind> kinds = KindsOf(res.get());
    int rows = PQntuples(res.get());
    std::vector<Row> out;
    out.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<SqlValue> cols;
      cols.reserve(kinds.size());
      for (size_t c = 0; c < kinds.size(); ++c)
        cols.push_back(ValueAt(res.get(), r, static_cast<int>(c), kinds[c]));
      out.emplace_back(std::move(cols));
    }
    return out;
  }

  // Streams through a cursor, kCursorBatchRows at a time: memory stays bounded however many
  // rows match, and fn may run other statements on this transaction between rows.
  Status QueryEach(std::string_view sql, const SqlParams& params,
                   const std::function<Status(const RowView&)>& fn) override {
    if (aborted_) return *aborted_;
    std::string cursor = "gmg_c" + std::to_string(++cursors_);
    int count = 0;
    std::string declare =
        "DECLARE " + cursor + " NO SCROLL CURSOR FOR " + pg::RewritePlaceholders(sql, &count);
    if (count != static_cast<int>(params.size())) {
      return MakeError(ErrorCode::kInternal, "sql parameter count mismatch");
    }
    BoundParams bound(params);
    ResultPtr declared(PQexecParams(conn_, declare.c_str(), bound.size(), bound.types(),
                                    bound.values(), bound.lengths(), bound.formats(), 0));
    GMG_RETURN_IF_ERROR(Check(declared.get(), "query"));
    std::string fetch = "FETCH FORWARD " + std::to_string(kCursorBatchRows) + " FROM " + cursor;
    Status result = Ok();
    bool exhausted = false;
    while (result.ok() && !exhausted) {
      ResultPtr batch(PQexec(conn_, fetch.c_str()));
      if (Status s = Check(batch.get(), "query"); !s.ok()) return s;  // the transaction is aborted
      int rows = PQntuples(batch.get());
      exhausted = rows < kCursorBatchRows;
      View view(batch.get());
      for (int r = 0; r < rows && result.ok(); ++r) {
        view.row = r;
        result = fn(view);
      }
    }
    // An exhausted cursor holds nothing more and ends with the transaction: no round trip to
    // close it. One stopped early is closed now.
    if (!exhausted && !aborted_ && !broken()) (void)Simple("CLOSE " + cursor);
    return result;
  }

  Status ExecScript(std::string_view sql) override {
    if (aborted_) return *aborted_;
    return Simple(std::string(sql));
  }

  Status NotifyChanged(std::string_view channel) override {
    if (!IsValidChannel(channel)) {
      return MakeError(ErrorCode::kInvalidArgument, "change channel: not 1-63 of [a-z0-9_]");
    }
    if (!write_) {
      return MakeError(ErrorCode::kFailedPrecondition, "NotifyChanged in a read transaction");
    }
    if (aborted_) return *aborted_;
    if (std::find(notified_.begin(), notified_.end(), channel) == notified_.end()) {
      notified_.emplace_back(channel);
    }
    return Ok();
  }

  PGconn* raw() const { return conn_; }

  gmg::Dialect Dialect() const override { return gmg::Dialect::kPostgres; }

 private:
  // Reads one row of a fetched batch in place.
  struct View final : RowView {
    const PGresult* res;
    int row = 0;
    std::vector<ColumnKind> kinds;
    mutable std::vector<std::optional<std::string>> decoded;  // bytea of the current row
    mutable int decoded_row = -1;
    explicit View(const PGresult* r) : res(r), kinds(KindsOf(r)), decoded(kinds.size()) {}
    int Col(size_t i) const { return static_cast<int>(i); }
    bool IsNull(size_t i) const override { return PQgetisnull(res, row, Col(i)) != 0; }
    int64_t Int(size_t i) const override {
      if (IsNull(i)) return 0;
      const char* text = PQgetvalue(res, row, Col(i));
      switch (kinds.at(i)) {
        case ColumnKind::kBool:
          return text[0] == 't' ? 1 : 0;
        case ColumnKind::kReal:
          return static_cast<int64_t>(std::strtod(text, nullptr));
        case ColumnKind::kNumeric:
          if (auto v = IntegralNumeric(text)) return *v;
          return static_cast<int64_t>(std::strtod(text, nullptr));
        default:
          return static_cast<int64_t>(std::strtoll(text, nullptr, 10));
      }
    }
    std::string_view Text(size_t i) const override {
      if (IsNull(i)) return {};
      const char* text = PQgetvalue(res, row, Col(i));
      auto len = static_cast<size_t>(PQgetlength(res, row, Col(i)));
      if (kinds.at(i) != ColumnKind::kBytes) return std::string_view(text, len);
      if (decoded_row != row) {
        for (auto& d : decoded) d.reset();
        decoded_row = row;
      }
      if (!decoded[i]) decoded[i] = DecodeBytea(text, len);
      return *decoded[i];
    }
    SqlValue Value(size_t i) const override { return ValueAt(res, row, Col(i), kinds.at(i)); }
    size_t size() const override { return kinds.size(); }
  };

  // Runs one statement through the statement cache.
  Result<ResultPtr> Run(std::string_view sql, const SqlParams& params) {
    if (aborted_) return *aborted_;
    BoundParams bound(params);
    GMG_ASSIGN_OR_RETURN(const Prepared* stmt, Prepare(sql, bound));
    if (stmt->params != static_cast<int>(params.size())) {
      return MakeError(ErrorCode::kInternal, "sql parameter count mismatch");
    }
    ResultPtr res(PQexecPrepared(conn_, stmt->name.c_str(), bound.size(), bound.values(),
                                 bound.lengths(), bound.formats(), stmt->binary ? 1 : 0));
    Status s = Check(res.get(), "sql");
    if (!s.ok()) {
      // "cached plan must not change result type": a table changed under a cached SELECT *.
      // This transaction is lost; the next one prepares the statement afresh.
      const char* state = res ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : nullptr;
      auto it = index_.find(key_);
      if (state && std::string_view(state) == "0A000" && it != index_.end()) Forget(it->second);
      return std::move(s).TakeError();
    }
    return res;
  }

  struct Prepared {
    std::string name;
    int params = 0;
    // Its results come in binary: it returns bytea, and only types BinaryValueAt reads. A
    // bytea's text form is hex, twice its size, and slow to make and read: the 21 MB catalog
    // snapshot of 1,000,000 activities took 740-890 ms so, 200 ms in binary.
    bool binary = false;
  };
  using Lru = std::list<std::pair<std::string, Prepared>>;

  // A statement is prepared with its parameters' types (int8, float8, or left to the server
  // for text and NULL), so the cache key is the SQL text plus those types: a binary int8 must
  // never meet a parameter the server typed as integer.
  Result<const Prepared*> Prepare(std::string_view sql, const BoundParams& bound) {
    key_.assign(sql);
    key_ += '\0';
    for (int i = 0; i < bound.size(); ++i) {
      Oid t = bound.types()[i];
      key_ += t == kInt8Oid ? 'i' : t == kFloat8Oid ? 'd' : 'u';
    }
    auto it = index_.find(key_);
    if (it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return &it->second->second;
    }
    GMG_RETURN_IF_ERROR(Evict());
    Prepared p;
    p.name = "gmg_s" + std::to_string(++statements_);
    std::string text = pg::RewritePlaceholders(sql, &p.params);
    if (p.params != bound.size())
      return MakeError(ErrorCode::kInternal, "sql parameter count mismatch");
    ResultPtr res(PQprepare(conn_, p.name.c_str(), text.c_str(), bound.size(), bound.types()));
    GMG_RETURN_IF_ERROR(Check(res.get(), "prepare"));
    if (ReturnsRows(sql)) {  // one more round trip, once per statement and connection
      ResultPtr described(PQdescribePrepared(conn_, p.name.c_str()));
      GMG_RETURN_IF_ERROR(Check(described.get(), "prepare"));
      p.binary = ReadInBinary(described.get());
    }
    lru_.emplace_front(key_, std::move(p));
    index_.emplace(lru_.front().first, lru_.begin());
    return &lru_.front().second;
  }

  // Keeps the cache below its bound. Evicted statements are freed on the server with the next
  // BEGIN (no round trip of their own), or at once when many piled up in one long transaction
  // (DEALLOCATE works in a transaction; statements never run here: results are read whole or
  // by cursor).
  Status Evict() {
    while (lru_.size() >= kPgStatementCacheSize) Forget(std::prev(lru_.end()));
    if (evicted_.size() >= kMaxEvicted) {
      std::string sql;
      for (const auto& name : evicted_) sql += "DEALLOCATE " + name + "; ";
      evicted_.clear();
      GMG_RETURN_IF_ERROR(Simple(sql));
    }
    return Ok();
  }

  void Forget(Lru::iterator it) {
    evicted_.push_back(it->second.name);
    index_.erase(it->first);
    lru_.erase(it);
  }

  // The error of a result (null when libpq had no memory or lost the connection), recorded as
  // the transaction's abort reason.
  Status Check(const PGresult* res, std::string_view what) {
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE) return Ok();
    Error e = ErrorOf(res, what);
    aborted_ = e;
    return e;
  }

  Error ErrorOf(const PGresult* res, std::string_view what) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state ? state : "";
    std::string reason = res ? PQresultErrorMessage(res) : "";
    if (reason.empty()) reason = PQerrorMessage(conn_);
    reason = Scrub(reason, password_);
    bool lost = PQstatus(conn_) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 ||
                sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" ||
                (sqlstate.empty() && res == nullptr);
    if (lost) {
      broken_ = true;
      return Unavailable("lost the connection to PostgreSQL at " + target_ + " (" + reason +
                         "); try again");
    }
    std::string msg = std::string(what) + ": " + reason + " [SQLSTATE " + sqlstate + "]";
    if (sqlstate == "23505") return MakeError(ErrorCode::kConflict, msg);
    if (sqlstate == "23503" || sqlstate == "23514")
      return MakeError(ErrorCode::kFailedPrecondition, msg);
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
      return MakeError(ErrorCode::kResourceExhausted, "database busy: " + msg);
    }
    return MakeError(ErrorCode::kInternal, msg);
  }

  PGconn* conn_;
  std::string target_;
  std::string password_;
  bool broken_ = false;
  bool write_ = false;                 // the current transaction is a Write
  std::vector<std::string> notified_;  // channels to notify at commit (valid names)
  std::optional<Error> aborted_;       // the first error of the current transaction
  uint64_t statements_ = 0;
  uint64_t cursors_ = 0;
  std::string key_;  // scratch for cache lookups; the key of the last statement prepared or run
  std::vector<std::string> evicted_;  // names still prepared on the server
  // Prepared statements by SQL text, most recently used first (see SqliteConnection).
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;
};

// ---------------------------------------------------------------------------------------------
// The pool

PostgresDatabase::PostgresDatabase(std::string conninfo, int max_connections)
    : conninfo_(std::move(conninfo)),
      target_(pg::DescribeTarget(conninfo_)),
      max_connections_(std::max(1, max_connections)) {}

PostgresDatabase::~PostgresDatabase() = default;

Result<std::unique_ptr<PgConnection>> PostgresDatabase::Connect() const {
  // connect_timeout bounds an unreachable host; the application name shows in pg_stat_activity;
  // text is UTF-8 and times UTC whatever the server's defaults (times are integers computed in
  // C++ anyway). The URL comes last, so what it says wins.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding",
                        "options",         "dbname",           nullptr};
  const char* vals[] = {"10", "gmg", "UTF8", "-c TimeZone=UTC", conninfo_.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, vals, /*expand_dbname=*/1);
  std::string password = PasswordOf(conninfo_);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string reason = conn ? PQerrorMessage(conn) : "out of memory";
    PQfinish(conn);
    return Unavailable("cannot connect to PostgreSQL at " + target_ + ": " +
                       Scrub(reason, password));
  }
  return std::make_unique<PgConnection>(conn, target_, password);
}

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& conninfo,
                                                                 int max_connections) {
  std::unique_ptr<PostgresDatabase> db(new PostgresDatabase(conninfo, max_connections));
  GMG_ASSIGN_OR_RETURN(auto first, db->Connect());
  db->open_ = 1;
  db->idle_.push_back(std::move(first));
  return db;
}

Result<std::unique_ptr<PgConnection>> PostgresDatabase::Acquire() {
  std::unique_lock lock(pool_mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    if (open_ < max_connections_) {
      ++open_;
      lock.unlock();
      auto c = Connect();
      if (!c.ok()) {
        lock.lock();
        --open_;
        pool_cv_.notify_one();
      }
      return c;
    }
    pool_cv_.wait(lock);
  }
}

void PostgresDatabase::Release(std::unique_ptr<PgConnection> c) {
  {
    std::lock_guard lock(pool_mu_);
    if (c->broken()) {
      --open_;  // dropped; the next Acquire connects anew
      c.reset();
    } else {
      idle_.push_back(std::move(c));
    }
  }
  pool_cv_.notify_one();
}

void PostgresDatabase::DropIdle() {
  std::vector<std::unique_ptr<PgConnection>> dropped;
  {
    std::lock_guard lock(pool_mu_);
    dropped.swap(idle_);
    open_ -= static_cast<int>(dropped.size());
  }
  pool_cv_.notify_all();
}

Status PostgresDatabase::Run(bool write, const std::function<Status(Tx&)>& fn) {
  std::unique_ptr<PgConnection> c;
  // A pooled connection may have died while idle (a server restart): its BEGIN fails before
  // anything ran. The other idle ones most likely died with it: they are dropped, and one
  // fresh connection is tried.
  for (int attempt = 0;; ++attempt) {
    GMG_ASSIGN_OR_RETURN(c, Acquire());
    Status begun = c->Begin(write);
    if (begun.ok()) break;
    bool lost = c->broken();
    if (!lost) (void)c->Rollback();
    Release(std::move(c));
    if (!lost || attempt == 1) return begun;
    DropIdle();
  }
  struct Returner {
    PostgresDatabase* db;
    std::unique_ptr<PgConnection>& c;
    ~Returner() { db->Release(std::move(c)); }
  } returner{this, c};
  Status s;
  try {
    s = fn(*c);
  } catch (...) {
    (void)c->Rollback();
    throw;
  }
  if (!s.ok()) {
    (void)c->Rollback();
    return s;
  }
  return c->Commit();
}

Status PostgresDatabase::Read(const std::function<Status(Tx&)>& fn) { return Run(false, fn); }

Status PostgresDatabase::Write(const std::function<Status(Tx&)>& fn) {
  std::lock_guard lock(write_mu_);
  return Run(true, fn);
}

size_t PostgresDatabase::MaxCachedStatementsForTesting() {
  std::lock_guard lock(pool_mu_);
  size_t most = 0;
  for (const auto& c : idle_) most = std::max(most, c->CachedStatements());
  return most;
}

size_t PostgresDatabase::BinaryStatementsForTesting() {
  std::lock_guard lock(pool_mu_);
  size_t all = 0;
  for (const auto& c : idle_) all += c->BinaryStatements();
  return all;
}

Result<int> PostgresDatabase::SomeBackendPidForTesting() {
  GMG_ASSIGN_OR_RETURN(auto c, Acquire());
  int pid = c->BackendPid();
  Release(std::move(c));
  return pid;
}

// ---------------------------------------------------------------------------------------------
// Named locks and backups

// Holds a pooled connection with a session-level advisory lock until destroyed.
class PostgresDatabase::PooledLock final : public NamedLock {
 public:
  PooledLock(PostgresDatabase* db, std::unique_ptr<PgConnection> c, std::string key)
      : db_(db), c_(std::move(c)), key_(std::move(key)) {}
  ~PooledLock() override {
    // A dead connection already lost the lock with its session.
    if (!c_->broken()) (void)c_->Simple("SELECT pg_advisory_unlock(hashtext(" + key_ + "))");
    db_->Release(std::move(c_));
  }

 private:
  PostgresDatabase* db_;
  std::unique_ptr<PgConnection> c_;
  std::string key_;  // the name as a quoted literal
};

Result<std::unique_ptr<NamedLock>> PostgresDatabase::AcquireNamedLock(std::string_view name) {
  std::string literal = "'";
  for (char ch : name) {
    literal += ch;
    if (ch == '\'') literal += '\'';
  }
  literal += "'";
  // As in Run(): a connection that died while idle is replaced once.
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<PgConnection> c;
    GMG_ASSIGN_OR_RETURN(c, Acquire());
    Status locked = c->Simple("SELECT pg_advisory_lock(hashtext(" + literal + "))");
    if (locked.ok()) {
      return std::unique_ptr<NamedLock>(new PooledLock(this, std::move(c), std::move(literal)));
    }
    bool lost = c->broken();
    Release(std::move(c));
    if (!lost || attempt == 1) return locked.error();
    DropIdle();
  }
}

// ---------------------------------------------------------------------------------------------
// Change notification

constexpr int kListenRetryFirstMs = 50;
constexpr int kListenRetryMaxMs = 5000;

// LISTENs on a connection of its own, on a thread of its own (Database::Subscribe).
class PostgresDatabase::Listener final : public Subscription {
 public:
  Listener(PostgresDatabase* db, std::string channel, std::function<void()> on_change)
      : db_(db), channel_(std::move(channel)), on_change_(std::move(on_change)) {}
  ~Listener() override {
    if (thread_.joinable()) {
      char byte = 0;
      while (::write(wake_[1], &byte, 1) < 0 && errno == EINTR) {
      }
      thread_.join();
    }
    for (int fd : wake_) {
      if (fd >= 0) ::close(fd);
    }
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Connects and LISTENs now (so that every later commit is reported), then starts the thread.
  Status Start() {
    if (::pipe2(wake_, O_CLOEXEC) != 0) {
      return MakeError(ErrorCode::kInternal, std::string("pipe: ") + std::strerror(errno));
    }
    GMG_ASSIGN_OR_RETURN(conn_, Listen());
    thread_ = std::thread([this] { Loop(); });
    return Ok();
  }

 private:
  Result<std::unique_ptr<PgConnection>> Listen() {
    GMG_ASSIGN_OR_RETURN(auto c, db_->Connect());
    GMG_RETURN_IF_ERROR(c->Simple("LISTEN " + channel_));
    return c;
  }

  // Whether the wake-up pipe was written within `ms` milliseconds (-1: without limit), or
  // `fd` (when >= 0) became readable first (then *ready is set).
  bool WaitWake(int fd, int ms, bool* ready) {
    pollfd fds[2] = {{wake_[0], POLLIN, 0}, {fd, POLLIN, 0}};
    int n = ::poll(fds, fd >= 0 ? 2 : 1, ms);
    if (n < 0) return false;  // EINTR: the caller loops
    if (fds[0].revents != 0) return true;
    if (ready) *ready = fd >= 0 && fds[1].revents != 0;
    return false;
  }

  void Fire() {
    try {
      on_change_();
    } catch (...) {
      // The subscriber's failure must not end the listening.
    }
  }

  void Loop() {
    int retry_ms = kListenRetryFirstMs;
    for (;;) {
      if (!conn_) {
        if (WaitWake(-1, retry_ms, nullptr)) return;
        auto c = Listen();
        if (!c.ok()) {
          retry_ms = std::min(retry_ms * 2, kListenRetryMaxMs);
          continue;
        }
        conn_ = std::move(c).value();
        retry_ms = kListenRetryFirstMs;
        Fire();  // notifications may have been missed while disconnected
        continue;
      }
      PGconn* raw = conn_->raw();
      bool readable = false;
      if (WaitWake(PQsocket(raw), -1, &readable)) return;
      if (!readable) continue;
      bool alive = PQconsumeInput(raw) == 1;
      bool notified = false;
      while (PGnotify* n = PQnotifies(raw)) {
        notified = true;
        PQfreemem(n);
      }
      if (notified) Fire();
      if (!alive || PQstatus(raw) != CONNECTION_OK) conn_.reset();  // reconnect after retry_ms
    }
  }

  PostgresDatabase* db_;
  std::string channel_;  // a valid channel name, so a plain identifier
  std::function<void()> on_change_;
  std::unique_ptr<PgConnection> conn_;  // null while disconnected; the thread's once started
  int wake_[2] = {-1, -1};
  std::thread thread_;
};

Result<std::unique_ptr<Subscription>> PostgresDatabase::Subscribe(std::string_view channel,
                                                                  std::function<void()> on_change) {
  if (!IsValidChannel(channel)) {
    return MakeError(ErrorCode::kInvalidArgument, "change channel: not 1-63 of [a-z0-9_]");
  }
  auto listener = std::make_unique<Listener>(this, std::string(channel), std::move(on_change));
  GMG_RETURN_IF_ERROR(listener->Start());
  return std::unique_ptr<Subscription>(std::move(listener));
}

Status PostgresDatabase::Backup(const std::string& path) { return BackupToSqliteFile(*this, path); }

}  // namespace gmg
