// AuditLog: every write to GMG Hub, who made it, when, and the record before and after.
//
// Record() is called by each service inside the same transaction as the change, so an entry
// exists exactly when the change was committed. Entries are never updated or deleted.
// Secrets (password hashes, token hashes) are never passed in.
// Thread-safety: stateless functions over a Tx/Database.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// `before`/`after` may be null (creation / archive without an after state).
Status RecordAudit(Tx& tx, const Principal& actor, std::string_view action, std::string_view entity,
                   std::string_view entity_id, const boost::json::value& before,
                   const boost::json::value& after);

struct AuditEntry {
  int64_t id = 0;
  int64_t at = 0;
  std::optional<int64_t> actor_user_id;
  std::string actor_email;
  std::string action;
  std::string entity;
  std::string entity_id;
  std::string before_json;  // "" when none
  std::string after_json;
};

struct AuditQuery {
  std::string entity;     // "" = any
  std::string entity_id;  // "" = any
  std::string actor;      // actor e-mail, "" = any
  int64_t limit = 100;
  std::optional<int64_t> before_id;  // paging: entries older than this id
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  int64_t total = 0;
  bool more = false;
};

// Newest first. Only admin and secretariat may read it (checked by the route).
Result<AuditPage> ListAudit(Database& db, const AuditQuery& query);

// The kinds of record the log holds entries about ("activity", "organization", "user", ...),
// in name order: what AuditQuery::entity can usefully be (a kind with no entry is not listed).
// A skip scan of the (entity, entity_id, id) index, one probe per kind, so its cost does not grow
// with the log (counting entries per kind would read every entry).
Result<std::vector<std::string>> ListAuditEntities(Database& db);

}  // namespace gmg
