#include "governance/governance_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <map>

#include "audit/audit_log.h"
#include "core/access_policy.h"
#include "core/text.h"
#include "governance/governance_json.h"

namespace gmg {
namespace {

// A broken rule of no single field (a limit, a clash with history): the message as given, and
// one detail with an empty field that carries the rule code a client translates.
Error RuleError(ErrorCode code, std::string message, const char* rule,
                std::vector<std::pair<std::string, std::string>> args = {}) {
  Error e = MakeError(code, message);
  e.details.emplace_back("", std::move(message), rule, std::move(args));
  return e;
}

constexpr char kOrgColumns[] =
    "id, name, acronym, mandate, website, iati_org_id, executive_head_title, version, updated_at, "
    "kind";

Organization OrgFromRow(const Row& r) {
  Organization o;
  o.id = r.Text(0);
  o.name = r.Text(1);
  o.acronym = r.Text(2);
  o.mandate = r.Text(3);
  o.website = r.OptText(4);
  o.iati_org_id = r.OptText(5);
  o.executive_head_title = r.OptText(6);
  o.version = r.Int(7);
  o.updated_at = r.Int(8);
  o.kind = r.Text(9);
  return o;
}

Membership MembershipFromRow(const Row& r) {
  Membership m;
  m.id = r.Int(0);
  m.joined_on = *Date::Parse(r.Text(1));
  if (!r.IsNull(2)) m.left_on = Date::Parse(r.Text(2));
  m.note = r.Text(3);
  return m;
}

FocalPoint FocalPointFromRow(const Row& r) {
  FocalPoint f;
  f.id = r.Int(0);
  f.organization_id = r.Text(1);
  f.name = r.Text(2);
  f.title = r.Text(3);
  f.email = r.Text(4);
  f.phone = r.Text(5);
  f.since = r.Int(6);
  f.version = r.Int(7);
  return f;
}

// Status and dates from the membership history (oldest first).
void ApplyMemberships(Organization* org, const std::vector<Membership>& ms, Date today) {
  if (org->kind == "partner") {
    org->status = MemberStatus::kPartner;
    return;
  }
  org->status = MemberStatus::kFormer;
  if (ms.empty()) return;
  const Membership& latest = ms.back();
  org->member_since = latest.joined_on;
  org->left_on = latest.left_on;
  if (latest.joined_on > today) {
    org->status = MemberStatus::kIncoming;
  } else if (!latest.left_on || *latest.left_on >= today) {
    org->status = MemberStatus::kCurrent;
  }
}

Result<std::vector<Membership>> LoadMemberships(Tx& tx, const std::string& org_id) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, joined_on, left_on, note FROM memberships "
                                           "WHERE organization_id = ? ORDER BY joined_on, id",
                                           {org_id}));
  std::vector<Membership> out;
  for (const Row& r : rows) out.push_back(MembershipFromRow(r));
  return out;
}

Result<Organization> LoadOrganization(Tx& tx, const std::string& id, Date today, bool detail) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kOrgColumns + " FROM organizations WHERE id = ?", {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no organisation '" + id + "'");
  Organization org = OrgFromRow(*row);
  GMG_ASSIGN_OR_RETURN(auto ms, LoadMemberships(tx, id));
  ApplyMemberships(&org, ms, today);
  if (detail) {
    org.memberships = std::move(ms);
    GMG_ASSIGN_OR_RETURN(auto fps, tx.Query("SELECT id, organization_id, name, title, email, "
                                            "phone, since, version FROM focal_points WHERE "
                                            "organization_id = ? AND archived_at IS NULL "
                                            "ORDER BY id",
                                            {id}));
    for (const Row& r : fps) org.focal_points.push_back(FocalPointFromRow(r));
  }
  return org;
}

bool ValidOrgId(const std::string& id) {
  if (id.size() < 2 || id.size() > 32 || !std::islower(static_cast<unsigned char>(id[0]))) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

Status CheckWebsite(const std::optional<std::string>& w) {
  if (!w || w->empty()) return Ok();
  if (w->rfind("https://", 0) != 0 && w->rfind("http://", 0) != 0) {
    return FieldError(ErrorCode::kFailedPrecondition, "website",
                      "must start with https:// or http://", "invalid_url", {{"value", *w}});
  }
  if (w->find_first_of(" \"<>") != std::string::npos) {
    return FieldError(ErrorCode::kFailedPrecondition, "website", "is not a valid address",
                      "invalid_url", {{"value", *w}});
  }
  return Ok();
}

Status CheckIatiOrgId(const std::optional<std::string>& id) {
  if (!id || id->empty()) return Ok();
  bool ok = std::all_of(id->begin(), id->end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == ':';
  });
  if (!ok) {
    return FieldError(ErrorCode::kFailedPrecondition, "iati_org_id",
                      "must be an IATI organisation identifier such as XM-DAC-47066",
                      "invalid_iati_org_id");
  }
  return Ok();
}

Status CheckEmail(const std::string& e) {
  size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find(' ') != std::string::npos) {
    return FieldError(ErrorCode::kFailedPrecondition, "email", "is not an e-mail address",
                      "invalid_email");
  }
  return Ok();
}

Result<FocalPoint> LoadFocalPoint(Tx& tx, const std::string& org_id, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, organization_id, name, title, email, "
                                             "phone, since, version FROM focal_points WHERE id = ? "
                                             "AND organization_id = ? AND archived_at IS NULL",
                                             {id, org_id}));
  if (!row)
    return MakeError(ErrorCode::kNotFound,
                     "no focal point " + std::to_string(id) + " of " + org_id);
  return FocalPointFromRow(*row);
}

Status RequireOrganization(Tx& tx, const std::string& id, const char* field) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM organizations WHERE id = ?", {id}));
  if (!row)
    return FieldError(ErrorCode::kFailedPrecondition, field, "is not a known organisation: " + id,
                      "unknown_organization", {{"value", id}});
  return Ok();
}

// The organisation's representation (its GET) includes focal points and memberships, so a
// change to either is a new version of the organisation: its ETag changes.
Status TouchOrganization(Tx& tx, const std::string& id) {
  GMG_RETURN_IF_ERROR(
      tx.Exec("UPDATE organizations SET version = version + 1, updated_at = ? WHERE id = ?",
              {UnixNow(), id}));
  return Ok();
}

std::string OrderJson(const std::vector<std::string>& order) {
  boost::json::array a;
  for (const auto& id : order) a.push_back(boost::json::value(id));
  return boost::json::serialize(a);
}

RotationPlan PlanFromRow(const Row& r) {
  RotationPlan p;
  p.id = r.Int(0);
  p.starts_on = *Date::Parse(r.Text(1));
  p.term_months = static_cast<int>(r.Int(2));
  boost::json::value order = boost::json::parse(r.Text(3));
  for (const auto& v : order.as_array()) p.order.emplace_back(v.as_string());
  p.created_at = r.Int(4);
  p.withdrawn_at = r.IsNull(5) ? 0 : r.Int(5);
  return p;
}

ChairOverride OverrideFromRow(const Row& r) {
  ChairOverride o;
  o.id = r.Int(0);
  o.starts_on = *Date::Parse(r.Text(1));
  o.ends_on = *Date::Parse(r.Text(2));
  o.organization_id = r.Text(3);
  o.reason = r.Text(4);
  o.created_at = r.Int(5);
  return o;
}

constexpr char kPlanColumns[] =
    "SELECT id, starts_on, term_months, order_json, created_at, withdrawn_at "
    "FROM chair_rotations ";
constexpr char kPlanOrder[] = " ORDER BY starts_on DESC, id DESC";
constexpr char kOverrideQuery[] =
    "SELECT id, starts_on, ends_on, organization_id, reason, created_at FROM chair_overrides "
    "WHERE archived_at IS NULL ORDER BY starts_on";

// Plans in force, overrides and memberships read in `tx`, with `extra` (a plan being
// previewed) added when not null.
Result<ChairRotation> LoadRotationIn(Tx& tx, const RotationPlan* extra) {
  std::vector<RotationPlan> plans;
  std::vector<ChairOverride> overrides;
  std::vector<MembershipSpan> spans;
  GMG_ASSIGN_OR_RETURN(
      auto ps, tx.Query(std::string(kPlanColumns) + "WHERE withdrawn_at IS NULL" + kPlanOrder));
  for (const Row& r : ps) plans.push_back(PlanFromRow(r));
  if (extra) plans.push_back(*extra);
  GMG_ASSIGN_OR_RETURN(auto os, tx.Query(kOverrideQuery));
  for (const Row& r : os) overrides.push_back(OverrideFromRow(r));
  GMG_ASSIGN_OR_RETURN(auto ms,
                       tx.Query("SELECT organization_id, joined_on, left_on FROM memberships"));
  for (const Row& r : ms) {
    MembershipSpan s{r.Text(0), *Date::Parse(r.Text(1)), std::nullopt};
    if (!r.IsNull(2)) s.left_on = Date::Parse(r.Text(2));
    spans.push_back(std::move(s));
  }
  return ChairRotation(std::move(plans), std::move(overrides), std::move(spans));
}

// Normalises the order's ids (trimmed, lower-case) and checks a plan about to be added.
Status CheckNewPlan(Tx& tx, RotationPlan* plan) {
  if (plan->order.empty())
    return FieldError(ErrorCode::kFailedPrecondition, "order", "must name at least one member",
                      "required");
  std::vector<std::string> seen;
  for (auto& id : plan->order) {
    id = ToLowerAscii(Trim(id));
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
      return FieldError(ErrorCode::kFailedPrecondition, "order", "names " + id + " twice",
                        "duplicate_value", {{"value", id}});
    }
    seen.push_back(id);
    GMG_RETURN_IF_ERROR(RequireOrganization(tx, id, "order"));
  }
  GMG_ASSIGN_OR_RETURN(
      auto latest,
      tx.QueryOne("SELECT max(starts_on) FROM chair_rotations WHERE withdrawn_at IS NULL"));
  if (latest && !latest->IsNull(0) && plan->starts_on.ToString() <= latest->Text(0)) {
    return FieldError(ErrorCode::kFailedPrecondition, "starts_on",
                      "must be after the latest plan's start (" + latest->Text(0) +
                          "): a new plan changes the rotation from then on, never the past",
                      "after_latest_plan", {{"date", latest->Text(0)}});
  }
  return Ok();
}

}  // namespace

const char* MemberStatusName(MemberStatus s) {
  switch (s) {
    case MemberStatus::kCurrent:
      return "current";
    case MemberStatus::kFormer:
      return "former";
    case MemberStatus::kIncoming:
      return "incoming";
    case MemberStatus::kPartner:
      return "partner";
  }
  return "former";
}

Status CheckCanEditOrganization(const Principal& actor, const std::string& org_id) {
  return AccessPolicy::CheckMayChange(actor, org_id, "may change this");
}

Result<About> GovernanceService::GetAbout() {
  About a;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto profile, tx.Query("SELECT key, value FROM gmg_profile"));
    for (const Row& r : profile) {
      if (r.Text(0) == "name") a.name = r.Text(1);
      if (r.Text(0) == "summary") a.summary = r.Text(1);
    }
    GMG_ASSIGN_OR_RETURN(auto ps,
                         tx.Query("SELECT number, title, text FROM purposes ORDER BY number"));
    for (const Row& r : ps)
      a.purposes.push_back({static_cast<int>(r.Int(0)), r.Text(1), r.Text(2)});
    GMG_ASSIGN_OR_RETURN(auto is, tx.Query("SELECT position, title, text FROM current_issues "
                                           "ORDER BY position"));
    for (const Row& r : is) a.issues.push_back({static_cast<int>(r.Int(0)), r.Text(1), r.Text(2)});
    GMG_ASSIGN_OR_RETURN(auto hs, tx.Query("SELECT date, date_label, title, text FROM "
                                           "history_events ORDER BY date, id"));
    for (const Row& r : hs) {
      a.history.push_back({*Date::Parse(r.Text(0)), r.Text(1), r.Text(2), r.Text(3)});
    }
    return Ok();
  }));
  return a;
}

Result<std::vector<Organization>> GovernanceService::ListOrganizations(const std::string& status,
                                                                       Date today) {
  std::vector<Organization> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query(std::string("SELECT ") + kOrgColumns +
                                  " FROM organizations ORDER BY lower(acronym), acronym"));
    GMG_ASSIGN_OR_RETURN(auto ms, tx.Query("SELECT id, joined_on, left_on, note, organization_id "
                                           "FROM memberships ORDER BY joined_on, id"));
    std::map<std::string, std::vector<Membership>> by_org;
    for (const Row& r : ms) by_org[r.Text(4)].push_back(MembershipFromRow(r));
    for (const Row& r : rows) {
      Organization org = OrgFromRow(r);
      ApplyMemberships(&org, by_org[org.id], today);
      bool keep = status == "all" ||
                  (status == "current" && org.status == MemberStatus::kCurrent) ||
                  (status == "former" && org.status == MemberStatus::kFormer) ||
                  (status == "partner" && org.status == MemberStatus::kPartner);
      if (keep) out.push_back(std::move(org));
    }
    return Ok();
  }));
  return out;
}

Result<Organization> GovernanceService::GetOrganization(const std::string& id, Date today) {
  Organization out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadOrganization(tx, id, today, /*detail=*/true));
    return Ok();
  }));
  return out;
}

Result<Organization> GovernanceService::AdmitOrganization(const Principal& actor,
                                                          const NewOrganization& in) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "admits members"));
  if (!ValidOrgId(in.id)) {
    return FieldError(ErrorCode::kFailedPrecondition, "id",
                      "must be 2-32 lower-case letters, digits or '-', starting with a letter "
                      "(the acronym, e.g. 'unicef')",
                      "invalid_org_id", {{"min", "2"}, {"max", "32"}});
  }
  GMG_RETURN_IF_ERROR(CheckWebsite(in.website));
  GMG_RETURN_IF_ERROR(CheckIatiOrgId(in.iati_org_id));
  Organization out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto existing,
                         tx.QueryOne("SELECT 1 FROM organizations WHERE id = ?", {in.id}));
    if (existing) {
      return FieldError(ErrorCode::kConflict, "id",
                        "organisation '" + in.id + "' exists; re-admit it through its memberships",
                        "already_exists", {{"value", in.id}});
    }
    if (in.iati_org_id && !in.iati_org_id->empty()) {
      GMG_ASSIGN_OR_RETURN(
          auto dup,
          tx.QueryOne("SELECT id FROM organizations WHERE iati_org_id = ?", {*in.iati_org_id}));
      if (dup)
        return FieldError(ErrorCode::kConflict, "iati_org_id", "is already used by " + dup->Text(0),
                          "already_used", {{"by", dup->Text(0)}});
    }
    int64_t now = UnixNow();
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO organizations (id, name, acronym, mandate, website, iati_org_id, "
                "executive_head_title, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                {in.id, in.name, in.acronym, in.mandate, OptionalText(in.website),
                 OptionalText(in.iati_org_id), OptionalText(in.executive_head_title), now, now}));
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO memberships (organization_id, joined_on, note) VALUES (?,?,?)",
                {in.id, in.joined_on.ToString(), std::string("admitted")}));
    GMG_ASSIGN_OR_RETURN(out, LoadOrganization(tx, in.id, Date::Today(), true));
    return RecordAudit(tx, actor, "admit", "organization", in.id, nullptr,
                       OrganizationJson(out, true, true));
  }));
  return out;
}

Result<Organization> GovernanceService::UpdateOrganization(const Principal& actor,
                                                           const std::string& id,
                                                           int64_t if_version,
                                                           const OrganizationChange& c) {
  GMG_RETURN_IF_ERROR(CheckCanEditOrganization(actor, id));
  if (!AccessPolicy::ManagesGmg(actor)) {
    if (c.name)
      return FieldError(ErrorCode::kPermissionDenied, "name",
                        "only the secretariat changes an organisation's name", "secretariat_only");
    if (c.acronym)
      return FieldError(ErrorCode::kPermissionDenied, "acronym",
                        "only the secretariat changes an acronym", "secretariat_only");
    if (c.iati_org_id)
      return FieldError(ErrorCode::kPermissionDenied, "iati_org_id",
                        "only the secretariat changes the IATI identifier", "secretariat_only");
  }
  GMG_RETURN_IF_ERROR(CheckWebsite(c.website));
  GMG_RETURN_IF_ERROR(CheckIatiOrgId(c.iati_org_id));
  Organization after;
  Date today = Date::Today();
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Organization before, LoadOrganization(tx, id, today, true));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this organisation"));
    Organization next = before;
    auto clearable = [](const std::optional<std::string>& v, std::optional<std::string>* field) {
      if (!v) return;
      if (v->empty()) {
        field->reset();
      } else {
        *field = *v;
      }
    };
    if (c.name) next.name = *c.name;
    if (c.acronym) next.acronym = *c.acronym;
    if (c.mandate) next.mandate = *c.mandate;
    clearable(c.website, &next.website);
    clearable(c.iati_org_id, &next.iati_org_id);
    clearable(c.executive_head_title, &next.executive_head_title);
    if (next.iati_org_id && next.iati_org_id != before.iati_org_id) {
      GMG_ASSIGN_OR_RETURN(
          auto dup, tx.QueryOne("SELECT id FROM organizations WHERE iati_org_id = ? AND id <> ?",
                                {*next.iati_org_id, id}));
      if (dup)
        return FieldError(ErrorCode::kConflict, "iati_org_id", "is already used by " + dup->Text(0),
                          "already_used", {{"by", dup->Text(0)}});
    }
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE organizations SET name = ?, acronym = ?, mandate = ?, website = ?, iati_org_id = "
        "?, "
        "executive_head_title = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {next.name, next.acronym, next.mandate, OptionalText(next.website),
         OptionalText(next.iati_org_id), OptionalText(next.executive_head_title), UnixNow(), id}));
    GMG_ASSIGN_OR_RETURN(after, LoadOrganization(tx, id, today, true));
    return RecordAudit(tx, actor, "update", "organization", id,
                       OrganizationJson(before, false, false),
                       OrganizationJson(after, false, false));
  }));
  return after;
}

Result<Membership> GovernanceService::Readmit(const Principal& actor, const std::string& org_id,
                                              Date joined_on, const std::string& note) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "admits members"));
  Membership out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadOrganization(tx, org_id, Date::Today(), false).ok()
                            ? Ok()
                            : MakeError(ErrorCode::kNotFound, "no organisation '" + org_id + "'"));
    GMG_ASSIGN_OR_RETURN(auto ms, LoadMemberships(tx, org_id));
    for (const Membership& m : ms) {
      if (!m.left_on) {
        return RuleError(ErrorCode::kConflict,
                         org_id + " is a member already (since " + m.joined_on.ToString() +
                             "); record its leaving first",
                         "already_member", {{"since", m.joined_on.ToString()}});
      }
      if (joined_on <= *m.left_on) {
        return FieldError(
            ErrorCode::kFailedPrecondition, "joined_on",
            "must be after the end of the previous membership (" + m.left_on->ToString() + ")",
            "after_previous_membership", {{"date", m.left_on->ToString()}});
      }
    }
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO memberships (organization_id, joined_on, note) "
                                     "VALUES (?,?,?) RETURNING id",
                                     {org_id, joined_on.ToString(), note}));
    out = Membership{row->Int(0), joined_on, std::nullopt, note};
    GMG_RETURN_IF_ERROR(TouchOrganization(tx, org_id));
    return RecordAudit(tx, actor, "readmit", "organization", org_id, nullptr, MembershipJson(out));
  }));
  return out;
}

Result<Membership> GovernanceService::EndMembership(const Principal& actor,
                                                    const std::string& org_id, int64_t if_version,
                                                    int64_t membership_id, Date left_on,
                                                    const std::string& note) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "records a member leaving"));
  Membership out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto version,
                         tx.QueryOne("SELECT version FROM organizations WHERE id = ?", {org_id}));
    if (!version) return MakeError(ErrorCode::kNotFound, "no organisation '" + org_id + "'");
    GMG_RETURN_IF_ERROR(CheckVersion(version->Int(0), if_version, "this organisation"));
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT id, joined_on, left_on, note FROM memberships "
                                     "WHERE id = ? AND organization_id = ?",
                                     {membership_id, org_id}));
    if (!row)
      return MakeError(ErrorCode::kNotFound,
                       "no membership " + std::to_string(membership_id) + " of " + org_id);
    Membership before = MembershipFromRow(*row);
    if (before.left_on) {
      return RuleError(ErrorCode::kConflict,
                       "this membership already ended on " + before.left_on->ToString() +
                           "; history is not rewritten",
                       "membership_ended", {{"date", before.left_on->ToString()}});
    }
    if (left_on < before.joined_on) {
      return FieldError(
          ErrorCode::kFailedPrecondition, "left_on",
          "must not be before the membership began (" + before.joined_on.ToString() + ")",
          "before_start", {{"start", before.joined_on.ToString()}});
    }
    out = before;
    out.left_on = left_on;
    if (!note.empty()) out.note = before.note.empty() ? note : before.note + "; " + note;
    GMG_RETURN_IF_ERROR(tx.Exec("UPDATE memberships SET left_on = ?, note = ? WHERE id = ?",
                                {left_on.ToString(), out.note, membership_id}));
    GMG_RETURN_IF_ERROR(TouchOrganization(tx, org_id));
    return RecordAudit(tx, actor, "end_membership", "organization", org_id, MembershipJson(before),
                       MembershipJson(out));
  }));
  return out;
}

Result<std::vector<FocalPoint>> GovernanceService::ListFocalPoints(const std::string& org_id) {
  GMG_ASSIGN_OR_RETURN(Organization org, GetOrganization(org_id, Date::Today()));
  return org.focal_points;
}

Result<FocalPoint> GovernanceService::GetFocalPoint(const std::string& org_id, int64_t id) {
  FocalPoint out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadFocalPoint(tx, org_id, id));
    return Ok();
  }));
  return out;
}

Result<FocalPoint> GovernanceService::AddFocalPoint(const Principal& actor,
                                                    const std::string& org_id,
                                                    const FocalPointFields& f) {
  GMG_RETURN_IF_ERROR(CheckCanEditOrganization(actor, org_id));
  GMG_RETURN_IF_ERROR(CheckEmail(*f.email));
  FocalPoint out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto org,
                         tx.QueryOne("SELECT 1 FROM organizations WHERE id = ?", {org_id}));
    if (!org) return MakeError(ErrorCode::kNotFound, "no organisation '" + org_id + "'");
    GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM focal_points WHERE "
                                                 "organization_id = ? AND archived_at IS NULL",
                                                 {org_id}));
    if (count->Int(0) >= 50) {
      return RuleError(ErrorCode::kFailedPrecondition,
                       "an organisation may list at most 50 focal points", "focal_point_limit",
                       {{"max", "50"}});
    }
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO focal_points (organization_id, name, title, "
                                     "email, phone, since) VALUES (?,?,?,?,?,?) RETURNING id",
                                     {org_id, *f.name, f.title.value_or(""), *f.email,
                                      f.phone.value_or(""), UnixNow()}));
    GMG_ASSIGN_OR_RETURN(out, LoadFocalPoint(tx, org_id, row->Int(0)));
    GMG_RETURN_IF_ERROR(TouchOrganization(tx, org_id));
    return RecordAudit(tx, actor, "create", "focal_point", std::to_string(out.id), nullptr,
                       FocalPointJson(out, true));
  }));
  return out;
}

Result<FocalPoint> GovernanceService::UpdateFocalPoint(const Principal& actor,
                                                       const std::string& org_id, int64_t id,
                                                       int64_t if_version,
                                                       const FocalPointFields& f) {
  GMG_RETURN_IF_ERROR(CheckCanEditOrganization(actor, org_id));
  if (f.email) GMG_RETURN_IF_ERROR(CheckEmail(*f.email));
  FocalPoint out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(FocalPoint before, LoadFocalPoint(tx, org_id, id));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this focal point"));
    FocalPoint next = before;
    if (f.name) next.name = *f.name;
    if (f.title) next.title = *f.title;
    if (f.email) next.email = *f.email;
    if (f.phone) next.phone = *f.phone;
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE focal_points SET name = ?, title = ?, email = ?, phone = ?, "
                "version = version + 1 WHERE id = ?",
                {next.name, next.title, next.email, next.phone, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadFocalPoint(tx, org_id, id));
    GMG_RETURN_IF_ERROR(TouchOrganization(tx, org_id));
    return RecordAudit(tx, actor, "update", "focal_point", std::to_string(id),
                       FocalPointJson(before, true), FocalPointJson(out, true));
  }));
  return out;
}

Status GovernanceService::ArchiveFocalPoint(const Principal& actor, const std::string& org_id,
                                            int64_t id) {
  GMG_RETURN_IF_ERROR(CheckCanEditOrganization(actor, org_id));
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(FocalPoint before, LoadFocalPoint(tx, org_id, id));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE focal_points SET archived_at = ?, version = version + 1 WHERE id = ?",
                {UnixNow(), id}));
    GMG_RETURN_IF_ERROR(TouchOrganization(tx, org_id));
    return RecordAudit(tx, actor, "archive", "focal_point", std::to_string(id),
                       FocalPointJson(before, true), nullptr);
  });
}

Result<ChairRotation> GovernanceService::LoadRotation() {
  std::optional<ChairRotation> rotation;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(rotation, LoadRotationIn(tx, nullptr));
    return Ok();
  }));
  return std::move(*rotation);
}

Result<std::vector<RotationPlan>> GovernanceService::ListRotationPlans() {
  std::vector<RotationPlan> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto ps, tx.Query(std::string(kPlanColumns) + kPlanOrder));
    for (const Row& r : ps) out.push_back(PlanFromRow(r));
    return Ok();
  }));
  return out;
}

Result<RotationPlan> GovernanceService::AddRotationPlan(const Principal& actor,
                                                        const RotationPlan& plan) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(actor, "changes the rotation"));
  RotationPlan out = plan;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(CheckNewPlan(tx, &out));
    out.created_at = UnixNow();
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO chair_rotations (starts_on, term_months, "
                                     "order_json, created_at) VALUES (?,?,?,?) RETURNING id",
                                     {out.starts_on.ToString(), int64_t{out.term_months},
                                      OrderJson(out.order), out.created_at}));
    out.id = row->Int(0);
    return RecordAudit(tx, actor, "create", "chair_rotation", std::to_string(out.id), nullptr,
                       RotationPlanJson(out));
  }));
  return out;
}

Result<std::vector<ChairTerm>> GovernanceService::PreviewRotationPlan(const Principal& actor,
                                                                      const RotationPlan& plan,
                                                                      Date from, Date to) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(actor, "changes the rotation"));
  std::vector<ChairTerm> terms;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    RotationPlan candidate = plan;
    GMG_RETURN_IF_ERROR(CheckNewPlan(tx, &candidate));
    GMG_ASSIGN_OR_RETURN(auto rotation, LoadRotationIn(tx, &candidate));
    terms = rotation.Schedule(from, to);
    return Ok();
  }));
  return terms;
}

Result<RotationPlan> GovernanceService::WithdrawRotationPlan(const Principal& actor, int64_t id,
                                                             Date today) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(actor, "changes the rotation"));
  RotationPlan out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string(kPlanColumns) + "WHERE id = ?", {id}));
    if (!row) return MakeError(ErrorCode::kNotFound, "no rotation plan " + std::to_string(id));
    RotationPlan before = PlanFromRow(*row);
    if (before.withdrawn_at != 0)
      return RuleError(ErrorCode::kConflict, "this plan was already withdrawn", "plan_withdrawn");
    if (!(today < before.starts_on)) {
      return RuleError(ErrorCode::kConflict,
                       "this plan started on " + before.starts_on.ToString() +
                           "; only a plan that has not started can be withdrawn",
                       "plan_started", {{"date", before.starts_on.ToString()}});
    }
    out = before;
    out.withdrawn_at = UnixNow();
    GMG_RETURN_IF_ERROR(tx.Exec("UPDATE chair_rotations SET withdrawn_at = ? WHERE id = ?",
                                {out.withdrawn_at, id}));
    return RecordAudit(tx, actor, "withdraw", "chair_rotation", std::to_string(id),
                       RotationPlanJson(before), RotationPlanJson(out));
  }));
  return out;
}

Result<std::vector<ChairOverride>> GovernanceService::ListOverrides() {
  std::vector<ChairOverride> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto os, tx.Query(kOverrideQuery));
    for (const Row& r : os) out.push_back(OverrideFromRow(r));
    return Ok();
  }));
  return out;
}

Result<ChairOverride> GovernanceService::AddOverride(const Principal& actor,
                                                     const ChairOverride& o) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(actor, "sets chair overrides"));
  if (o.ends_on < o.starts_on) {
    return FieldError(ErrorCode::kFailedPrecondition, "ends_on", "must not be before starts_on",
                      "before_start", {{"start", o.starts_on.ToString()}});
  }
  ChairOverride out = o;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(RequireOrganization(tx, o.organization_id, "organization_id"));
    GMG_ASSIGN_OR_RETURN(
        auto clash, tx.QueryOne("SELECT id, starts_on, ends_on FROM chair_overrides "
                                "WHERE archived_at IS NULL AND starts_on <= ? AND ends_on >= ?",
                                {o.ends_on.ToString(), o.starts_on.ToString()}));
    if (clash) {
      return RuleError(ErrorCode::kConflict,
                       "overlaps override " + clash->Text(0) + " (" + clash->Text(1) + " to " +
                           clash->Text(2) + "); archive that one first",
                       "override_overlaps", {{"from", clash->Text(1)}, {"to", clash->Text(2)}});
    }
    out.created_at = UnixNow();
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO chair_overrides (starts_on, ends_on, organization_id, "
                              "reason, created_at) VALUES (?,?,?,?,?) RETURNING id",
                              {o.starts_on.ToString(), o.ends_on.ToString(), o.organization_id,
                               o.reason, out.created_at}));
    out.id = row->Int(0);
    return RecordAudit(tx, actor, "create", "chair_override", std::to_string(out.id), nullptr,
                       OverrideJson(out));
  }));
  return out;
}

Status GovernanceService::ArchiveOverride(const Principal& actor, int64_t id) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckAdministers(actor, "sets chair overrides"));
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT id, starts_on, ends_on, organization_id, reason, created_at "
                              "FROM chair_overrides WHERE id = ? AND archived_at IS NULL",
                              {id}));
    if (!row) return MakeError(ErrorCode::kNotFound, "no override " + std::to_string(id));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE chair_overrides SET archived_at = ? WHERE id = ?", {UnixNow(), id}));
    return RecordAudit(tx, actor, "archive", "chair_override", std::to_string(id),
                       OverrideJson(OverrideFromRow(*row)), nullptr);
  });
}

}  // namespace gmg
