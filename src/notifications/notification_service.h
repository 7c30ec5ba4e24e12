// NotificationService: what people hear of, in the app and by e-mail (issue 12).
//
// Enqueue (the Notifier of notifications/notification.h) runs inside the caller's write
// transaction: it records the event, expands the audience into active users (through
// AuthService::UsersFor, in the same transaction), and per user and by that user's preference
// for the kind writes an inbox row (every channel but "none") and, for "email", an outbox row
// with the e-mail rendered in the user's language. So an acknowledged change never loses its
// notification, and a rolled-back one leaves nothing. The outbox is sent by OutboxSender
// (notifications/outbox.h); "digest" kinds are gathered once a day by QueueDigests.
// In-app reads render each notification in the reader's current language. Every user reads
// and changes only their own notifications and preferences; changes are audited.
// Thread-safety: all methods may be called concurrently; state lives in the database.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_service.h"
#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "notifications/notification.h"
#include "notifications/notification_text.h"
#include "store/database.h"

namespace gmg {

// How a user wants a kind: in the app only, also by e-mail at once, also in the daily digest,
// or not at all (not even in the app).
enum class Channel { kInApp, kEmail, kDigest, kNone };
const char* ChannelName(Channel channel);
bool ParseChannel(const std::string& name, Channel* channel);
// Without a stored preference: round_opened, round_deadline_soon, round_outcome and
// action_assigned by e-mail, the others in the app only.
Channel DefaultChannel(NotificationKind kind);

inline constexpr NotificationKind kAllNotificationKinds[] = {
    NotificationKind::kRoundOpened,    NotificationKind::kRoundDeadlineSoon,
    NotificationKind::kRoundOutcome,   NotificationKind::kMinutesCirculated,
    NotificationKind::kActionAssigned, NotificationKind::kActionOverdue,
};

// The digest goes out at the first run of the digest job on or after this UTC hour.
inline constexpr int kDefaultDigestHour = 7;

struct NotificationOptions {
  // "https://hub.example.org" (--public-url) or "": e-mails then carry the bare path.
  std::string public_url;
  std::function<int64_t()> now = UnixNow;
};

// One notification as its reader sees it.
struct Notification {
  int64_t id = 0;
  NotificationKind kind = NotificationKind::kRoundOpened;
  RenderedText text;  // title (subject) and body in the reader's language
  std::string link;   // app path
  bool read = false;
  int64_t created_at = 0;
};

struct NotificationPage {
  std::vector<Notification> items;
  int64_t total = 0;
  std::optional<int64_t> next;  // continue with ids below this one
};

struct Preferences {
  std::map<NotificationKind, Channel> kinds;  // every kind, stored or default
  int digest_hour = kDefaultDigestHour;
};

// The preferences as the API answers them and the audit log records them:
// {"kinds": {kind: channel, …}, "digest_hour": h}.
boost::json::object PreferencesJson(const Preferences& p);

struct PreferencesChange {
  std::map<NotificationKind, Channel> kinds;  // only the kinds to change
  std::optional<int> digest_hour;             // 0-23
};

struct OutboxItem {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string to_address;
  std::string subject;
  std::string body;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;
  std::string status;  // pending | sent | failed
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  std::string digest_date;  // "" unless a digest
};

struct OutboxSummary {
  int64_t pending = 0;
  int64_t sent = 0;
  int64_t failed = 0;
  std::optional<int64_t> oldest_pending_at;
  std::vector<OutboxItem> failed_items;    // newest first
  std::vector<OutboxItem> retrying_items;  // pending after a failed attempt, newest first
};

class NotificationService {
 public:
  NotificationService(Database& db, std::function<AuthService&()> auth,
                      NotificationOptions options = {});
  NotificationService(const NotificationService&) = delete;
  NotificationService& operator=(const NotificationService&) = delete;

  // The Notifier (notification.h): records `n` in `tx`. kInvalidArgument for an empty
  // audience, a link not starting with "/", or a parameter that is not valid UTF-8.
  Status Enqueue(Tx& tx, const NewNotification& n);

  // The actor's notifications, newest first; `before_id` continues a page. kUnauthenticated
  // when nobody is signed in.
  Result<NotificationPage> List(const Principal& actor, bool unread_only, int64_t limit,
                                std::optional<int64_t> before_id);
  Result<int64_t> UnreadCount(const Principal& actor);
  // Marks the actor's `ids` (others' ids are ignored), or all when `all`, read; returns how many
  // changed (audited when any did).
  Result<int64_t> MarkRead(const Principal& actor, const std::vector<int64_t>& ids, bool all);

  Result<Preferences> GetPreferences(const Principal& actor);
  // kFailedPrecondition naming digest_hour outside 0-23. Audited.
  Result<Preferences> SetPreferences(const Principal& actor, const PreferencesChange& change);

  // Admin only (kPermissionDenied otherwise): counts, and the newest `limit` failed rows and
  // pending rows that failed at least once (with their last_error).
  Result<OutboxSummary> Outbox(const Principal& actor, int64_t limit);

  // Writes today's digest e-mail (outbox row with digest_date) for every active user who has a
  // kind set to "digest", whose digest hour has come, who has none today and who has
  // notifications of those kinds since the last one. Returns how many were written. At most
  // one per user and UTC day, whatever runs it and how often (UNIQUE (user_id, digest_date)).
  Result<int> QueueDigests();

  const NotificationOptions& options() const { return options_; }

 private:
  Result<std::string> UserLanguage(int64_t user_id);
  Result<std::map<int64_t, std::map<NotificationKind, Channel>>> StoredChannels(
      Tx& tx, const std::vector<int64_t>& user_ids);
  // Writes `user`'s digest of `kinds` for `today` if there is anything to say; returns 0 or 1.
  Result<int64_t> QueueDigest(Tx& tx, const Recipient& user, const std::vector<std::string>& kinds,
                              int64_t now, const std::string& today);

  Database& db_;
  std::function<AuthService&()> auth_;
  NotificationOptions options_;
};

}  // namespace gmg
