#include "audit/audit_log.h"

#include <boost/json.hpp>
#include <cstdint>

#include "core/date.h"

namespace gmg {

Status RecordAudit(Tx& tx, const Principal& actor, std::string_view action, std::string_view entity,
                   std::string_view entity_id, const boost::json::value& before,
                   const boost::json::value& after) {
  SqlValue actor_id = nullptr;
  if (actor.user_id != 0) actor_id = actor.user_id;
  SqlValue b = nullptr, a = nullptr;
  if (!before.is_null()) b = boost::json::serialize(before);
  if (!after.is_null()) a = boost::json::serialize(after);
  std::string who = actor.signed_in() ? actor.email : "anonymous";
  GMG_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO audit_log (at, actor_user_id, actor_email, action, entity, entity_id, "
              "before_json, after_json) VALUES (?,?,?,?,?,?,?,?)",
              {UnixNow(), actor_id, who, std::string(action), std::string(entity),
               std::string(entity_id), b, a}));
  return Ok();
}

namespace {

SqlParams Concat(SqlParams a, const SqlParams& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

Result<AuditPage> ListAudit(Database& db, const AuditQuery& q) {
  AuditPage page;
  // Portable SQL (docs/architecture.md): positional `?` only, so each filter is bound twice.
  std::string where =
      " WHERE (CAST(? AS TEXT) = '' OR entity = ?) AND "
      "(CAST(? AS TEXT) = '' OR entity_id = ?) AND "
      "(CAST(? AS TEXT) = '' OR lower(actor_email) = lower(?))";
  SqlParams filters = {q.entity, q.entity, q.entity_id, q.entity_id, q.actor, q.actor};
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto count,
                         tx.QueryOne("SELECT count(*) FROM audit_log" + where, filters));
    page.total = count->Int(0);
    GMG_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT id, at, actor_user_id, actor_email, action, entity, entity_id, "
                            "before_json, after_json FROM audit_log" +
                                where + " AND id < ? ORDER BY id DESC LIMIT ?",
                            Concat(filters, {q.before_id ? *q.before_id : INT64_MAX,
                                             static_cast<int64_t>(q.limit + 1)})));
    for (const Row& r : rows) {
      AuditEntry e;
      e.id = r.Int(0);
      e.at = r.Int(1);
      if (!r.IsNull(2)) e.actor_user_id = r.Int(2);
      e.actor_email = r.Text(3);
      e.action = r.Text(4);
      e.entity = r.Text(5);
      e.entity_id = r.Text(6);
      e.before_json = r.Text(7);
      e.after_json = r.Text(8);
      page.entries.push_back(std::move(e));
    }
    return Ok();
  }));
  if (static_cast<int64_t>(page.entries.size()) > q.limit) {
    page.entries.pop_back();
    page.more = true;
  }
  return page;
}

Result<std::vector<std::string>> ListAuditEntities(Database& db) {
  std::vector<std::string> out;
  // Each step asks the index for the next name after the last one: neither engine skips through
  // an index for SELECT DISTINCT (500,000 entries: 1.4 ms this way, 150 ms by GROUP BY on
  // PostgreSQL).
  GMG_RETURN_IF_ERROR(db.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("WITH RECURSIVE kinds(entity) AS ("
                 "SELECT min(entity) FROM audit_log UNION ALL "
                 "SELECT (SELECT min(entity) FROM audit_log WHERE entity > kinds.entity) "
                 "FROM kinds WHERE kinds.entity IS NOT NULL) "
                 "SELECT entity FROM kinds WHERE entity IS NOT NULL",
                 {}));
    for (const Row& r : rows) out.push_back(r.Text(0));
    return Ok();
  }));
  return out;
}

}  // namespace gmg
