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

boost::json::object EntryJson(const AuditEntry& e) {
  boost::json::object actor{{"email", e.actor_email}};
  if (e.actor_user_id) {
    actor["id"] = *e.actor_user_id;
  } else {
    actor["id"] = nullptr;
  }
  return {{"id", e.id},
          {"at", FormatTimestamp(e.at)},
          {"actor", std::move(actor)},
          {"action", e.action},
          {"entity", e.entity},
          {"entity_id", e.entity_id},
          {"before", ParsedOrNull(e.before_json)},
          {"after", ParsedOrNull(e.after_json)}};
}

Result<http::Response> ListAuditLog(Database& db, http::Request& req) {
  GMG_ASSIGN_OR_RETURN(auto page, http::ParsePage(req));
  AuditQuery q;
  q.entity = std::string(req.Query("entity").value_or(""));
  q.entity_id = std::string(req.Query("entity_id").value_or(""));
  q.actor = std::string(req.Query("actor").value_or(""));
  q.limit = page.limit;
  q.before_id = page.after;
  GMG_ASSIGN_OR_RETURN(auto result, ListAudit(db, q));
  boost::json::array items;
  for (const AuditEntry& e : result.entries) items.push_back(EntryJson(e));
  std::optional<int64_t> next;
  if (result.more) next = result.entries.back().id;
  return http::JsonResponse(200, http::ListBody(std::move(items), next, result.total));
}

Result<http::Response> ListEntities(Database& db, http::Request&) {
  GMG_ASSIGN_OR_RETURN(auto kinds, ListAuditEntities(db));
  boost::json::array items;
  for (const auto& k : kinds) items.push_back(boost::json::object{{"entity", k}});
  auto total = static_cast<int64_t>(items.size());
  return http::JsonResponse(200, http::ListBody(std::move(items), std::nullopt, total));
}

constexpr http::RouteRow<Database> kRoutes[] = {
    {"GET", "/api/v1/audit", http::Access::kStaff, ListAuditLog,
     "The audit log, newest first (?entity=&entity_id=&actor=)", "audit"},
    {"GET", "/api/v1/audit/entities", http::Access::kStaff, ListEntities,
     "The kinds of record the audit log has entries about (for its entity filter)", "audit"},
};

}  // namespace

void AddAuditRoutes(http::Router& router, Database& db) { http::AddRoutes(router, db, kRoutes); }

}  // namespace gmg
