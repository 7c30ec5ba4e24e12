#include "notifications/outbox.h"

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "core/date.h"
#include "store/sql.h"

namespace gmg {
namespace {

// A row taken by a pass: the message, and the row's state before the pass leased it.
struct Claimed {
  MailMessage mail;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;
};

Status ExecStatus(Result<int64_t> changed) {
  if (!changed.ok()) return std::move(changed).TakeError();
  return Ok();
}

// Claims up to `batch` due rows: their next_attempt_at moves to now + lease.
Result<std::vector<Claimed>> Claim(Database& db, const RetryPolicy& policy, int64_t now) {
  std::vector<Claimed> claimed;
  GMG_RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
    claimed.clear();
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT id, created_at, to_address, subject, body, attempts, "
                                  "next_attempt_at FROM email_outbox WHERE status = 'pending' AND "
                                  "next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                                  {now, int64_t{policy.batch}}));
    if (rows.empty()) return Ok();
    boost::json::array ids;
    for (const Row& r : rows) {
      claimed.push_back(
          {{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4)}, r.Int(5), r.Int(6)});
      ids.push_back(r.Int(0));
    }
    return ExecStatus(
        tx.Exec("UPDATE email_outbox SET next_attempt_at = ? WHERE id" +
                    std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers)),
                {now + policy.lease_seconds, boost::json::serialize(ids)}));
  }));
  return claimed;
}

// Gives the rows claimed[from…] back as they were before the pass (attempts unchanged).
Status Release(Database& db, const std::vector<Claimed>& claimed, size_t from) {
  if (from >= claimed.size()) return Ok();
  return db.Write([&](Tx& tx) -> Status {
    for (size_t i = from; i < claimed.size(); ++i) {
      GMG_RETURN_IF_ERROR(ExecStatus(
          tx.Exec("UPDATE email_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending'",
                  {claimed[i].next_attempt_at, claimed[i].mail.id})));
    }
    return Ok();
  });
}

}  // namespace

int64_t RetryDelaySeconds(const RetryPolicy& policy, int64_t attempts) {
  int64_t n = std::clamp<int64_t>(attempts, 0, 40);
  int64_t delay = policy.base_seconds;
  for (int64_t i = 0; i < n && delay < policy.max_seconds; ++i) delay *= 2;
  return std::min(delay, policy.max_seconds);
}

std::function<int64_t()> OutboxSender::UnixNowFunction() { return UnixNow; }

OutboxSender::OutboxSender(Database& db, MailTransport transport, RetryPolicy policy,
                           std::function<int64_t()> now)
    : db_(db), transport_(std::move(transport)), policy_(policy), now_(std::move(now)) {}

Result<OutboxPass> OutboxSender::RunOnce(const std::stop_token& stop) {
  GMG_ASSIGN_OR_RETURN(auto lock, db_.AcquireNamedLock("notifications.outbox"));
  GMG_ASSIGN_OR_RETURN(std::vector<Claimed> claimed, Claim(db_, policy_, now_()));
  OutboxPass pass;
  for (size_t i = 0; i < claimed.size(); ++i) {
    if (stop.stop_requested()) {
      GMG_RETURN_IF_ERROR(Release(db_, claimed, i));
      pass.released = static_cast<int>(claimed.size() - i);
      break;
    }
    const Claimed& c = claimed[i];
    Status sent = transport_(c.mail);
    int64_t now = now_();
    if (sent.ok()) {
      GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
        return ExecStatus(tx.Exec(
            "UPDATE email_outbox SET status = 'sent', sent_at = ?, attempts = ?, last_error = '' "
            "WHERE id = ? AND status = 'pending'",
            {now, c.attempts + 1, c.mail.id}));
      }));
      ++pass.sent;
      continue;
    }
    int64_t attempts = c.attempts + 1;
    bool give_up = attempts >= policy_.max_attempts;
    std::string error = sent.error().message.substr(0, 500);
    GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
      return ExecStatus(tx.Exec(
          "UPDATE email_outbox SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? "
          "WHERE id = ? AND status = 'pending'",
          {attempts, std::string(give_up ? "failed" : "pending"),
           now + RetryDelaySeconds(policy_, attempts), error, c.mail.id}));
    }));
    ++(give_up ? pass.failed : pass.retried);
    if (sent.error().code == ErrorCode::kUnavailable) {
      // The server is not there: the next message would wait out the same time limit.
      GMG_RETURN_IF_ERROR(Release(db_, claimed, i + 1));
      pass.released = static_cast<int>(claimed.size() - i - 1);
      pass.server_unavailable = true;
      break;
    }
  }
  return pass;
}

}  // namespace gmg
