#include "audit/audit_api.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "core/date.h"
#include "http/paging.h"

namespace gmg {
namespace {

boost::json::value ParsedOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return boost::json::value(text);
  return v;
}

}  // namespace

void AddAuditRoutes(http::Router& router, Database& db) {
  router.Add({"GET", "/api/v1/audit", http::Access::kStaff,
              [&db](http::Request& req) -> http::Response {
                auto page = http::ParsePage(req);
                if (!page) return http::ErrorResponse(page.error());
                AuditQuery q;
                q.entity = std::string(req.Query("entity").value_or(""));
                q.entity_id = std::string(req.Query("entity_id").value_or(""));
                q.actor = std::string(req.Query("actor").value_or(""));
                q.limit = page->limit;
                q.before_id = page->after;
                auto result = ListAudit(db, q);
                if (!result) return http::ErrorResponse(result.error());
                boost::json::array items;
                for (const AuditEntry& e : result->entries) {
                  boost::json::object actor{{"email", e.actor_email}};
                  if (e.actor_user_id) {
                    actor["id"] = *e.actor_user_id;
                  } else {
                    actor["id"] = nullptr;
                  }
                  items.push_back({{"id", e.id},
                                   {"at", FormatTimestamp(e.at)},
                                   {"actor", std::move(actor)},
                                   {"action", e.action},
                                   {"entity", e.entity},
                                   {"entity_id", e.entity_id},
                                   {"before", ParsedOrNull(e.before_json)},
                                   {"after", ParsedOrNull(e.after_json)}});
                }
                std::optional<int64_t> next;
                if (result->more) next = result->entries.back().id;
                return http::JsonResponse(200, http::ListBody(std::move(items), next, result->total));
              },
              "The audit log, newest first (?entity=&entity_id=&actor=)", "audit"});
}

}  // namespace gmg
