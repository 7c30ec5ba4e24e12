#include "notifications/notification_service.h"

#include <boost/json.hpp>
#include <set>

#include "audit/audit_log.h"
#include "core/date.h"
#include "store/sql.h"

namespace gmg {
namespace {

constexpr const char* kChannelNames[] = {"inapp", "email", "digest", "none"};

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates).
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;  // continuation bytes
    uint32_t cp = c;
    if (c >= 0x80) {
      if ((c >> 5) == 0x6) {
        n = 1;
        cp = c & 0x1F;
      } else if ((c >> 4) == 0xE) {
        n = 2;
        cp = c & 0x0F;
      } else if ((c >> 3) == 0x1E) {
        n = 3;
        cp = c & 0x07;
      } else {
        return false;
      }
    }
    if (i + n >= s.size() && n > 0) return false;
    for (size_t k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::map<std::string, std::string> ParamsFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [key, value] : v.as_object()) {
    if (value.is_string()) out.emplace(std::string(key), std::string(value.as_string()));
  }
  return out;
}

OutboxItem OutboxItemFromRow(const Row& r) {
  OutboxItem o;
  o.id = r.Int(0);
  o.user_id = r.Int(1);
  o.to_address = r.Text(2);
  o.subject = r.Text(3);
  o.body = r.Text(4);
  o.attempts = r.Int(5);
  o.next_attempt_at = r.Int(6);
  o.status = r.Text(7);
  o.last_error = r.Text(8);
  o.created_at = r.Int(9);
  if (!r.IsNull(10)) o.sent_at = r.Int(10);
  o.digest_date = r.Text(11);
  return o;
}

Status RequireSignedIn(const Principal& actor) {
  if (!actor.signed_in() || actor.user_id <= 0) {
    return MakeError(ErrorCode::kUnauthenticated, "sign in to read your notifications");
  }
  return Ok();
}

}  // namespace

boost::json::object PreferencesJson(const Preferences& p) {
  boost::json::object kinds;
  for (const auto& [kind, channel] : p.kinds)
    kinds[NotificationKindName(kind)] = ChannelName(channel);
  return {{"kinds", std::move(kinds)}, {"digest_hour", p.digest_hour}};
}

const char* ChannelName(Channel channel) { return kChannelNames[static_cast<int>(channel)]; }

bool ParseChannel(const std::string& name, Channel* channel) {
  for (int i = 0; i < 4; ++i) {
    if (name == kChannelNames[i]) {
      *channel = static_cast<Channel>(i);
      return true;
    }
  }
  return false;
}

Channel DefaultChannel(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kRoundOpened:
    case NotificationKind::kRoundDeadlineSoon:
    case NotificationKind::kRoundOutcome:
    case NotificationKind::kActionAssigned:
      return Channel::kEmail;
    case NotificationKind::kMinutesCirculated:
    case NotificationKind::kActionOverdue:
      return Channel::kInApp;
  }
  return Channel::kInApp;
}

NotificationService::NotificationService(Database& db, std::function<AuthService&()> auth,
                                         NotificationOptions options)
    : db_(db), auth_(std::move(auth)), options_(std::move(options)) {
  if (!options_.now) options_.now = UnixNow;
}

Result<std::map<int64_t, std::map<NotificationKind, Channel>>> NotificationService::StoredChannels(
    Tx& tx, const std::vector<int64_t>& user_ids) {
  std::map<int64_t, std::map<NotificationKind, Channel>> out;
  GMG_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT user_id, kind, channel FROM notification_preferences WHERE user_id" +
                   std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers)),
               {sql::JsonIdList(user_ids)}));
  for (const Row& r : rows) {
    NotificationKind kind;
    Channel channel;
    if (ParseNotificationKind(r.Text(1), &kind) && ParseChannel(r.Text(2), &channel)) {
      out[r.Int(0)][kind] = channel;
    }
  }
  return out;
}

Status NotificationService::Enqueue(Tx& tx, const NewNotification& n) {
  const NotificationAudience& a = n.audience;
  if (a.organization_ids.empty() && !a.staff && a.user_ids.empty()) {
    return FieldError(ErrorCode::kInvalidArgument, "audience", "names nobody", "required");
  }
  if (n.link.empty() || n.link[0] != '/' || n.link.size() > 500) {
    return FieldError(ErrorCode::kInvalidArgument, "link",
                      "must be a path of the web app starting with /", "invalid_link");
  }
  boost::json::object params;
  for (const auto& [key, value] : n.params) {
    if (!ValidUtf8(value) || !ValidUtf8(key)) {
      return FieldError(ErrorCode::kInvalidArgument, "params." + key, "must be UTF-8 text",
                        "invalid_utf8");
    }
    params[key] = value;
  }
  int64_t now = options_.now();
  GMG_ASSIGN_OR_RETURN(
      auto event,
      tx.QueryOne("INSERT INTO notification_events (kind, params, link, entity, entity_id, "
                  "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  {std::string(NotificationKindName(n.kind)), boost::json::serialize(params),
                   n.link, n.entity, n.entity_id, now}));
  int64_t event_id = event->Int(0);
  GMG_ASSIGN_OR_RETURN(auto users, auth_().UsersFor(tx, a.organization_ids, a.focal_points_only,
                                                    a.staff, a.user_ids));
  if (users.empty()) return Ok();
  std::vector<int64_t> ids;
  for (const Recipient& u : users) ids.push_back(u.id);
  GMG_ASSIGN_OR_RETURN(auto stored, StoredChannels(tx, ids));
  std::string link = AbsoluteLink(options_.public_url, n.link);
  std::string preferences_link = AbsoluteLink(options_.public_url, kPreferencesPath);
  for (const Recipient& u : users) {
    Channel channel = DefaultChannel(n.kind);
    if (auto it = stored.find(u.id); it != stored.end()) {
      if (auto c = it->second.find(n.kind); c != it->second.end()) channel = c->second;
    }
    if (channel == Channel::kNone) continue;
    GMG_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO notifications (user_id, event_id, read_at, created_at) VALUES (?, ?, NULL, ?)",
        {u.id, event_id, now}));
    if (channel != Channel::kEmail) continue;
    std::string_view language = MessageLanguage(u.language);
    RenderedText mail = RenderEmail(RenderNotification(n.kind, n.params, language), u.name, link,
                                    preferences_link, language);
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO email_outbox (user_id, to_address, subject, body, created_at, "
                "attempts, next_attempt_at, status, last_error) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, 'pending', '')",
                {u.id, u.email, mail.subject, mail.body, now, now}));
  }
  return Ok();
}

Result<std::string> NotificationService::UserLanguage(int64_t user_id) {
  GMG_ASSIGN_OR_RETURN(User user, auth_().GetUser(user_id));
  return std::string(MessageLanguage(user.language));
}

Result<NotificationPage> NotificationService::List(const Principal& actor, bool unread_only,
                                                   int64_t limit,
                                                   std::optional<int64_t> before_id) {
  GMG_RETURN_IF_ERROR(RequireSignedIn(actor));
  GMG_ASSIGN_OR_RETURN(std::string language, UserLanguage(actor.user_id));
  std::string filter = " WHERE n.user_id = ?";
  if (unread_only) filter += " AND n.read_at IS NULL";
  NotificationPage page;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto count, tx.QueryOne("SELECT count(*) FROM notifications n" + filter, {actor.user_id}));
    page.total = count->Int(0);
    GMG_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT n.id, e.kind, e.params, e.link, n.read_at, n.created_at "
                            "FROM notifications n JOIN notification_events e ON e.id = n.event_id" +
                                filter + " AND n.id < ? ORDER BY n.id DESC LIMIT ?",
                            {actor.user_id, before_id.value_or(INT64_MAX), limit + 1}));
    for (const Row& r : rows) {
      if (static_cast<int64_t>(page.items.size()) == limit) {
        page.next = page.items.back().id;
        break;
      }
      Notification item;
      item.id = r.Int(0);
      ParseNotificationKind(r.Text(1), &item.kind);
      item.text = RenderNotification(item.kind, ParamsFromJson(r.Text(2)), language);
      item.link = r.Text(3);
      item.read = !r.IsNull(4);
      item.created_at = r.Int(5);
      page.items.push_back(std::move(item));
    }
    return Ok();
  }));
  return page;
}

Result<int64_t> NotificationService::UnreadCount(const Principal& actor) {
  GMG_RETURN_IF_ERROR(RequireSignedIn(actor));
  int64_t unread = 0;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT count(*) FROM notifications WHERE user_id = ? AND "
                                     "read_at IS NULL",
                                     {actor.user_id}));
    unread = row->Int(0);
    return Ok();
  }));
  return unread;
}

Result<int64_t> NotificationService::MarkRead(const Principal& actor,
                                              const std::vector<int64_t>& ids, bool all) {
  GMG_RETURN_IF_ERROR(RequireSignedIn(actor));
  int64_t changed = 0;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    int64_t now = options_.now();
    std::string sql = "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL";
    SqlParams params{now, actor.user_id};
    if (!all) {
      sql += " AND id" + std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers));
      params.emplace_back(sql::JsonIdList(ids));
    }
    GMG_ASSIGN_OR_RETURN(changed, tx.Exec(sql, params));
    if (changed == 0) return Ok();
    boost::json::object after{{"read", changed}};
    if (all) {
      after["all"] = true;
    } else {
      after["ids"] = boost::json::array(ids.begin(), ids.end());
    }
    return RecordAudit(tx, actor, "read", "notifications", std::to_string(actor.user_id), nullptr,
                       after);
  }));
  return changed;
}

Result<Preferences> NotificationService::GetPreferences(const Principal& actor) {
  GMG_RETURN_IF_ERROR(RequireSignedIn(actor));
  Preferences p;
  for (NotificationKind k : kAllNotificationKinds) p.kinds[k] = DefaultChannel(k);
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto stored, StoredChannels(tx, {actor.user_id}));
    for (const auto& [kind, channel] : stored[actor.user_id]) p.kinds[kind] = channel;
    GMG_ASSIGN_OR_RETURN(auto hour,
                         tx.QueryOne("SELECT digest_hour FROM notification_settings WHERE "
                                     "user_id = ?",
                                     {actor.user_id}));
    if (hour) p.digest_hour = static_cast<int>(hour->Int(0));
    return Ok();
  }));
  return p;
}

Result<Preferences> NotificationService::SetPreferences(const Principal& actor,
                                                        const PreferencesChange& change) {
  GMG_RETURN_IF_ERROR(RequireSignedIn(actor));
  if (change.digest_hour && (*change.digest_hour < 0 || *change.digest_hour > 23)) {
    return FieldError(ErrorCode::kFailedPrecondition, "digest_hour",
                      "must be an hour from 0 to 23 (UTC)", "out_of_range",
                      {{"min", "0"}, {"max", "23"}});
  }
  GMG_ASSIGN_OR_RETURN(Preferences before, GetPreferences(actor));
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    for (const auto& [kind, channel] : change.kinds) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO notification_preferences (user_id, kind, channel) VALUES (?, ?, ?) "
                  "ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel",
                  {actor.user_id, std::string(NotificationKindName(kind)),
                   std::string(ChannelName(channel))}));
    }
    if (change.digest_hour) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO notification_settings (user_id, digest_hour) VALUES (?, ?) "
                  "ON CONFLICT (user_id) DO UPDATE SET digest_hour = excluded.digest_hour",
                  {actor.user_id, int64_t{*change.digest_hour}}));
    }
    Preferences after = before;
    for (const auto& [kind, channel] : change.kinds) after.kinds[kind] = channel;
    if (change.digest_hour) after.digest_hour = *change.digest_hour;
    return RecordAudit(tx, actor, "update", "notification_preferences",
                       std::to_string(actor.user_id), PreferencesJson(before),
                       PreferencesJson(after));
  }));
  return GetPreferences(actor);
}

Result<OutboxSummary> NotificationService::Outbox(const Principal& actor, int64_t limit) {
  if (!actor.IsAdmin()) {
    return MakeError(ErrorCode::kPermissionDenied, "only an administrator reads the outbox");
  }
  OutboxSummary s;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto counts,
                         tx.Query("SELECT status, count(*), min(created_at) FROM email_outbox "
                                  "GROUP BY status"));
    for (const Row& r : counts) {
      if (r.Text(0) == "pending") {
        s.pending = r.Int(1);
        s.oldest_pending_at = r.Int(2);
      } else if (r.Text(0) == "sent") {
        s.sent = r.Int(1);
      } else if (r.Text(0) == "failed") {
        s.failed = r.Int(1);
      }
    }
    const std::string select =
        "SELECT id, user_id, to_address, subject, body, attempts, next_attempt_at, status, "
        "last_error, created_at, sent_at, digest_date FROM email_outbox WHERE ";
    GMG_ASSIGN_OR_RETURN(auto failed,
                         tx.Query(select + "status = 'failed' ORDER BY id DESC LIMIT ?", {limit}));
    for (const Row& r : failed) s.failed_items.push_back(OutboxItemFromRow(r));
    GMG_ASSIGN_OR_RETURN(
        auto retrying,
        tx.Query(select + "status = 'pending' AND attempts > 0 ORDER BY id DESC LIMIT ?", {limit}));
    for (const Row& r : retrying) s.retrying_items.push_back(OutboxItemFromRow(r));
    return Ok();
  }));
  return s;
}

Result<int64_t> NotificationService::QueueDigest(Tx& tx, const Recipient& user,
                                                 const std::vector<std::string>& kinds, int64_t now,
                                                 const std::string& today) {
  // The window: from the last digest's time (inclusive) to this second (exclusive), so a
  // notification written in the digest's own second goes into the next one, never in none.
  GMG_ASSIGN_OR_RETURN(auto last, tx.QueryOne("SELECT max(created_at) FROM email_outbox WHERE "
                                              "user_id = ? AND digest_date IS NOT NULL",
                                              {user.id}));
  int64_t since = last && !last->IsNull(0) ? last->Int(0) : now - 86400;
  boost::json::array kind_list(kinds.begin(), kinds.end());
  GMG_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT e.kind, e.params, e.link FROM notifications n JOIN notification_events e "
               "ON e.id = n.event_id WHERE n.user_id = ? AND n.created_at >= ? AND "
               "n.created_at < ? AND e.kind" +
                   std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kTexts)) +
                   " ORDER BY n.id",
               {user.id, since, now, boost::json::serialize(kind_list)}));
  if (rows.empty()) return int64_t{0};
  std::string_view language = MessageLanguage(user.language);
  std::vector<DigestItem> items;
  for (const Row& r : rows) {
    NotificationKind kind;
    if (!ParseNotificationKind(r.Text(0), &kind)) continue;
    items.push_back({RenderNotification(kind, ParamsFromJson(r.Text(1)), language),
                     AbsoluteLink(options_.public_url, r.Text(2))});
  }
  RenderedText mail =
      RenderDigest(items, user.name, AbsoluteLink(options_.public_url, kPreferencesPath), language);
  return tx.Exec(
      "INSERT INTO email_outbox (user_id, to_address, subject, body, created_at, attempts, "
      "next_attempt_at, status, last_error, digest_date) "
      "VALUES (?, ?, ?, ?, ?, 0, ?, 'pending', '', ?) ON CONFLICT (user_id, digest_date) DO "
      "NOTHING",
      {user.id, user.email, mail.subject, mail.body, now, now, today});
}

Result<int> NotificationService::QueueDigests() {
  int64_t now = options_.now();
  std::string today = Date::FromDays(static_cast<int32_t>(now / 86400)).ToString();
  int hour = static_cast<int>((now % 86400) / 3600);
  int written = 0;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    // Users with a digest kind, whose hour has come and who have no digest today.
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT p.user_id, p.kind FROM notification_preferences p "
                 "LEFT JOIN notification_settings s ON s.user_id = p.user_id "
                 "WHERE p.channel = 'digest' AND COALESCE(s.digest_hour, ?) <= ? "
                 "AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.user_id = p.user_id AND "
                 "o.digest_date = ?) ORDER BY p.user_id, p.kind",
                 {int64_t{kDefaultDigestHour}, int64_t{hour}, today}));
    std::map<int64_t, std::vector<std::string>> kinds;
    for (const Row& r : rows) kinds[r.Int(0)].push_back(r.Text(1));
    if (kinds.empty()) return Ok();
    std::vector<int64_t> ids;
    for (const auto& [id, k] : kinds) ids.push_back(id);
    GMG_ASSIGN_OR_RETURN(auto users, auth_().UsersFor(tx, {}, false, false, ids));
    for (const Recipient& user : users) {
      GMG_ASSIGN_OR_RETURN(int64_t added, QueueDigest(tx, user, kinds[user.id], now, today));
      written += static_cast<int>(added);
    }
    return Ok();
  }));
  return written;
}

}  // namespace gmg
