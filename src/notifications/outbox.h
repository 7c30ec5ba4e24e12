// OutboxSender: sends the e-mail outbox (email_outbox rows written by NotificationService)
// through a MailTransport (SMTP in production, a recorder in tests).
//
// One pass (RunOnce): take the named lock "notifications.outbox" (so one instance sends at a
// time, on PostgreSQL across instances too); claim the due pending rows in one transaction
// (their next_attempt_at moves a lease ahead, so a crash mid-send leaves them to be retried
// after the lease, never lost); hand each to the transport; then, per row, in its own
// transaction: accepted → status 'sent' with sent_at; refused → attempts + 1, last_error, and
// next_attempt_at = now + RetryDelaySeconds(attempts), or status 'failed' once attempts reach
// max_attempts. A row is marked sent only after the server accepted it, so delivery is at
// least once: a crash between acceptance and the mark repeats that one message (with the
// same Message-ID).
// The pass stops at the first message the transport could not hand over for want of a server
// (kUnavailable: connection refused, a timeout, TLS, authentication): that attempt is recorded
// as above, and the rows claimed after it are released untouched (their attempts and
// next_attempt_at as before the pass, so the next pass takes them in order). An unreachable
// server thus costs one attempt per pass, at most the transport's time limit, never one per
// queued message: it cannot hold a pass, or the server's shutdown that waits for it, for
// minutes. Likewise once the server is stopping (RunOnce's stop token): the message being
// handed over finishes, the rest are released. Any other refusal concerns its message alone
// and the pass goes on.
// Thread-safety: RunOnce may run on several threads or instances; the lock serialises them.
#pragma once

#include <cstdint>
#include <functional>
#include <stop_token>

#include "core/date.h"
#include "core/result.h"
#include "notifications/smtp.h"
#include "store/database.h"

namespace gmg {

struct RetryPolicy {
  // Delay after the n-th failed attempt: base_seconds × 2^n, at most max_seconds (the
  // documented policy: 2, 4, 8 … minutes, capped at 6 hours).
  int64_t base_seconds = 60;
  int64_t max_seconds = int64_t{6} * 3600;
  // A row is 'failed' after this many attempts (kept, shown to administrators).
  int max_attempts = 10;
  // How long a claimed row is left to its sender before another pass may take it again.
  int64_t lease_seconds = 300;
  // Rows per pass.
  int batch = 50;
};

// Seconds to wait after the `attempts`-th failed attempt (attempts ≥ 1).
int64_t RetryDelaySeconds(const RetryPolicy& policy, int64_t attempts);

struct OutboxPass {
  int sent = 0;
  int retried = 0;   // failed this time, will be tried again
  int failed = 0;    // failed for good this time
  int released = 0;  // claimed, then left untouched: the server was unavailable, or stop
  bool server_unavailable = false;  // the pass stopped at a kUnavailable from the transport
};

class OutboxSender {
 public:
  OutboxSender(Database& db, MailTransport transport, RetryPolicy policy = {},
               std::function<int64_t()> now = UnixNowFunction());
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // One pass over the due rows (see above). Errors of the database only; a refused message is
  // recorded on its row. Once `stop` is requested (the server stopping) no further message is
  // handed over: the rest of the batch is released untouched, as for an unavailable server.
  Result<OutboxPass> RunOnce(const std::stop_token& stop = {});

  // The default clock as a function value (core/date.h UnixNow).
  static std::function<int64_t()> UnixNowFunction();

 private:
  Database& db_;
  MailTransport transport_;
  RetryPolicy policy_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
