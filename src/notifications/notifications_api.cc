#include "notifications/notifications_api.h"

#include <boost/json.hpp>
#include <memory>

#include "core/date.h"
#include "http/json_body.h"
#include "http/paging.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

constexpr size_t kMaxReadIds = 500;

boost::json::object NotificationJson(const Notification& n) {
  return {{"id", n.id},
          {"kind", NotificationKindName(n.kind)},
          {"title", n.text.subject},
          {"body", n.text.body},
          {"link", n.link},
          {"read", n.read},
          {"created_at", FormatTimestamp(n.created_at)}};
}

boost::json::value OptionalTime(const std::optional<int64_t>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatTimestamp(*t));
}

Result<bool> UnreadFlag(const Request& req) {
  auto v = req.Query("unread");
  if (!v || *v == "0" || *v == "false") return false;
  if (*v == "1" || *v == "true") return true;
  return FieldError(ErrorCode::kInvalidArgument, "unread", "must be 1, 0, true or false",
                    "not_in_list");
}

Result<Response> ListNotifications(NotificationApiContext& c, Request& req) {
  GMG_ASSIGN_OR_RETURN(bool unread, UnreadFlag(req));
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  GMG_ASSIGN_OR_RETURN(auto result, c.service.List(req.principal, unread, page.limit, page.after));
  boost::json::array items;
  for (const Notification& n : result.items) items.push_back(NotificationJson(n));
  Response r = http::JsonResponse(200, http::ListBody(std::move(items), result.next, result.total));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Result<Response> CountNotifications(NotificationApiContext& c, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t unread, c.service.UnreadCount(req.principal));
  Response r = http::JsonResponse(200, boost::json::object{{"unread", unread}});
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Result<Response> MarkRead(NotificationApiContext& c, Request& req) {
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  std::optional<bool> all = body.Bool("all", false);
  const boost::json::value* raw = body.Raw("ids");
  GMG_RETURN_IF_ERROR(body.Finish());
  std::vector<int64_t> ids;
  if (raw != nullptr) {
    if (!raw->is_array() || raw->as_array().size() > kMaxReadIds) {
      return FieldError(ErrorCode::kInvalidArgument, "ids",
                        "must be a list of at most 500 notification ids", "invalid_list",
                        {{"max", "500"}});
    }
    for (const auto& v : raw->as_array()) {
      if (!v.is_int64() || v.as_int64() <= 0) {
        return FieldError(ErrorCode::kInvalidArgument, "ids", "must hold positive whole numbers",
                          "invalid_list");
      }
      ids.push_back(v.as_int64());
    }
  }
  bool everything = all.value_or(false);
  if (!everything && raw == nullptr) {
    return FieldError(ErrorCode::kInvalidArgument, "ids", "give ids, or all: true", "required");
  }
  GMG_ASSIGN_OR_RETURN(int64_t changed, c.service.MarkRead(req.principal, ids, everything));
  GMG_ASSIGN_OR_RETURN(int64_t unread, c.service.UnreadCount(req.principal));
  return http::JsonResponse(200, boost::json::object{{"marked", changed}, {"unread", unread}});
}

Result<Response> GetPreferences(NotificationApiContext& c, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto p, c.service.GetPreferences(req.principal));
  Response r = http::JsonResponse(200, PreferencesJson(p));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

Result<Response> PutPreferences(NotificationApiContext& c, Request& req) {
  GMG_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(req));
  const boost::json::value* kinds = body.Raw("kinds");
  std::optional<int64_t> hour = body.Int("digest_hour", false, 0, 23);
  GMG_RETURN_IF_ERROR(body.Finish());
  PreferencesChange change;
  if (hour) change.digest_hour = static_cast<int>(*hour);
  if (kinds != nullptr) {
    if (!kinds->is_object()) {
      return FieldError(ErrorCode::kInvalidArgument, "kinds", "must be an object of kind: channel",
                        "invalid_type");
    }
    // Bounded before any work: there are only so many kinds to choose for.
    if (kinds->as_object().size() > kNotificationKindCount) {
      return FieldError(ErrorCode::kFailedPrecondition, "kinds",
                        "names at most " + std::to_string(kNotificationKindCount) +
                            " kinds of notification (there are no more)",
                        "too_many", {{"max", std::to_string(kNotificationKindCount)}});
    }
    Error problems = MakeError(ErrorCode::kInvalidArgument, "kinds: unknown kinds or channels");
    for (const auto& [name, value] : kinds->as_object()) {
      std::string field = "kinds." + std::string(name);
      NotificationKind kind;
      Channel channel;
      if (!ParseNotificationKind(std::string(name), &kind)) {
        problems.details.emplace_back(field, "is not a kind of notification", "unknown_field");
      } else if (!value.is_string() || !ParseChannel(std::string(value.as_string()), &channel)) {
        problems.details.emplace_back(field, "must be inapp, email, digest or none", "not_in_list");
      } else {
        change.kinds[kind] = channel;
      }
    }
    if (!problems.details.empty()) return problems;
  }
  GMG_ASSIGN_OR_RETURN(auto p, c.service.SetPreferences(req.principal, change));
  return http::JsonResponse(200, PreferencesJson(p));
}

boost::json::array OutboxItemsJson(const std::vector<OutboxItem>& items) {
  boost::json::array out;
  for (const OutboxItem& o : items) {
    out.push_back(boost::json::object{
        {"id", o.id},
        {"user_id", o.user_id},
        {"to", o.to_address},
        {"subject", o.subject},
        {"attempts", o.attempts},
        {"last_error", o.last_error},
        {"next_attempt_at",
         o.status == "pending" ? OptionalTime(o.next_attempt_at) : boost::json::value(nullptr)},
        {"digest_date",
         o.digest_date.empty() ? boost::json::value(nullptr) : boost::json::value(o.digest_date)},
        {"created_at", FormatTimestamp(o.created_at)}});
  }
  return out;
}

Result<Response> GetOutbox(NotificationApiContext& c, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto s, c.service.Outbox(req.principal, 100));
  Response r = http::JsonResponse(
      200, boost::json::object{{"smtp_configured", c.smtp_configured},
                               {"pending", s.pending},
                               {"sent", s.sent},
                               {"failed", s.failed},
                               {"oldest_pending_at", OptionalTime(s.oldest_pending_at)},
                               {"failed_items", OutboxItemsJson(s.failed_items)},
                               {"retrying_items", OutboxItemsJson(s.retrying_items)}});
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

constexpr RouteRow<NotificationApiContext> kRoutes[] = {
    {"GET", "/api/v1/notifications", Access::kSignedIn, ListNotifications,
     "Your notifications, newest first (?unread=1, ?limit=&cursor=), in your language",
     "notifications"},
    {"GET", "/api/v1/notifications/count", Access::kSignedIn, CountNotifications,
     "How many of your notifications are unread ({unread}; for the bell)", "notifications"},
    {"POST", "/api/v1/notifications/read", Access::kSignedIn, MarkRead,
     "Mark your notifications read ({ids:[…]} or {all:true})", "notifications"},
    {"GET", "/api/v1/notifications/preferences", Access::kSignedIn, GetPreferences,
     "Your channel per kind (inapp, email, digest, none) and digest hour (UTC)", "notifications"},
    {"PUT", "/api/v1/notifications/preferences", Access::kSignedIn, PutPreferences,
     "Change your channels ({kinds:{round_opened:\"email\",…}, digest_hour})", "notifications"},
    {"GET", "/api/v1/notifications/outbox", Access::kAdmin, GetOutbox,
     "The e-mail outbox: pending, sent, failed counts and failed messages with their errors",
     "notifications"},
};

}  // namespace

void AddNotificationRoutes(http::Router& router, NotificationApiContext context) {
  http::AddRoutes(router, std::make_shared<NotificationApiContext>(context), kRoutes);
}

}  // namespace gmg
