// GET /api/v1/audit: the audit log for administrators and the secretariat.
#pragma once

#include "http/router.h"
#include "store/database.h"

namespace gmg {

void AddAuditRoutes(http::Router& router, Database& db);

}  // namespace gmg
