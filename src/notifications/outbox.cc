#include "notifications/outbox.h"

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "core/date.h"
#include "store/sql.h"

namespace gmg {

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

Result<OutboxPass> OutboxSender::RunOnce() {
  GMG_ASSIGN_OR_RETURN(auto lock, db_.AcquireNamedLock("notifications.outbox"));
  struct Claimed {
    MailMessage mail;
    int64_t attempts = 0;
  };
  std::vector<Claimed> claimed;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    claimed.clear();
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT id, created_at, to_address, subject, body, attempts FROM "
                                  "email_outbox WHERE status = 'pending' AND next_attempt_at <= ? "
                                  "ORDER BY next_attempt_at, id LIMIT ?",
                                  {now, int64_t{policy_.batch}}));
    if (rows.empty()) return Ok();
    boost::json::array ids;
    for (const Row& r : rows) {
      claimed.push_back({{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4)}, r.Int(5)});
      ids.push_back(r.Int(0));
    }
    auto leased = tx.Exec("UPDATE email_outbox SET next_attempt_at = ? WHERE id" +
                              std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers)),
                          {now + policy_.lease_seconds, boost::json::serialize(ids)});
    if (!leased.ok()) return std::move(leased).TakeError();
    return Ok();
  }));
  OutboxPass pass;
  for (const Claimed& c : claimed) {
    Status sent = transport_(c.mail);
    int64_t now = now_();
    if (sent.ok()) {
      GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
        auto marked = tx.Exec(
            "UPDATE email_outbox SET status = 'sent', sent_at = ?, attempts = ?, last_error = '' "
            "WHERE id = ? AND status = 'pending'",
            {now, c.attempts + 1, c.mail.id});
        if (!marked.ok()) return std::move(marked).TakeError();
        return Ok();
      }));
      ++pass.sent;
      continue;
    }
    int64_t attempts = c.attempts + 1;
    bool give_up = attempts >= policy_.max_attempts;
    std::string error = sent.error().message.substr(0, 500);
    GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
      auto changed = tx.Exec(
          "UPDATE email_outbox SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ? "
          "WHERE id = ? AND status = 'pending'",
          {attempts, std::string(give_up ? "failed" : "pending"),
           now + RetryDelaySeconds(policy_, attempts), error, c.mail.id});
      if (!changed.ok()) return std::move(changed).TakeError();
      return Ok();
    }));
    ++(give_up ? pass.failed : pass.retried);
  }
  return pass;
}

}  // namespace gmg
