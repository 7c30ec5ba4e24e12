#include "governance/organization_directory.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"

namespace gmg {

Result<std::vector<OrganizationRef>> ListOrganizationRefs(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, iati_org_id FROM organizations"));
  std::vector<OrganizationRef> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back({r.Text(0), r.OptText(1)});
  return out;
}

Result<std::optional<std::string>> FindOrganizationByIatiId(Tx& tx,
                                                            const std::string& iati_org_id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM organizations WHERE "
                                             "lower(iati_org_id) = lower(?) ORDER BY id LIMIT 1",
                                             {iati_org_id}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Result<std::vector<std::string>> ListOrganizationIds(Tx& tx,
                                                     const std::optional<std::string>& kind) {
  GMG_ASSIGN_OR_RETURN(auto rows,
                       kind ? tx.Query("SELECT id FROM organizations WHERE kind = ?", {*kind})
                            : tx.Query("SELECT id FROM organizations"));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const Row& r : rows) out.push_back(r.Text(0));
  return out;
}

namespace {
// Members on a date (two parameters: the date twice).
constexpr const char* kIsMemberOnSql =
    "o.kind = 'member' AND EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.id "
    "AND m.joined_on <= ? AND (m.left_on IS NULL OR m.left_on >= ?))";
}  // namespace

Result<bool> IsMemberOn(Tx& tx, const std::string& id, const std::string& date) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT 1 FROM organizations o WHERE o.id = ? AND ") + kIsMemberOnSql,
                  {id, date, date}));
  return row.has_value();
}

Result<std::set<std::string>> ListMemberIdsOn(Tx& tx, const std::string& date) {
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query(std::string("SELECT o.id FROM organizations o WHERE ") + kIsMemberOnSql,
                          {date, date}));
  std::set<std::string> out;
  for (const Row& r : rows) out.insert(r.Text(0));
  return out;
}

Result<bool> OrganizationExists(Tx& tx, const std::string& id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM organizations WHERE id = ?", {id}));
  return row.has_value();
}

Status AddPartnerOrganization(Tx& tx, const Principal& actor, const NewPartner& partner,
                              int64_t now) {
  GMG_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO organizations (id, name, acronym, kind, iati_org_id, created_at, updated_at) "
      "VALUES (?, ?, ?, 'partner', ?, ?, ?)",
      {partner.id, partner.name, partner.acronym, NullIfEmpty(partner.iati_org_id), now, now}));
  return RecordAudit(tx, actor, "create", "organization", partner.id, nullptr,
                     boost::json::object{{"kind", "partner"},
                                         {"name", partner.name},
                                         {"iati_org_id", partner.iati_org_id},
                                         {"from", partner.source}});
}

}  // namespace gmg
