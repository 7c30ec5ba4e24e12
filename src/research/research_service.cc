#include "research/research_service.h"

#include <algorithm>
#include <set>

#include "audit/audit_log.h"
#include "governance/organization_directory.h"
#include "research/development_groups.h"
#include "research/research_json.h"
#include "research/research_text.h"

namespace gmg {
namespace {

constexpr size_t kMaxThemes = 20;
constexpr size_t kMaxThemeBytes = 80;
constexpr size_t kMaxLanguages = 10;
constexpr size_t kMaxProjectOrganizations = 20;
constexpr size_t kSnippetBytes = 200;

constexpr char kInstitutionColumns[] =
    "i.id, i.name, i.country, i.type, i.website, i.added_by_org, i.created_at, i.updated_at, "
    "(SELECT COUNT(*) FROM researchers r WHERE r.institution_id = i.id), i.version";
constexpr char kResearcherColumns[] =
    "r.id, r.name, r.institution_id, i.name, i.country, r.email, r.themes, r.languages, "
    "r.public_profile, r.added_by_org, r.created_at, r.updated_at, r.version";
constexpr char kProjectColumns[] =
    "id, title, summary, started_on, ended_on, status, created_at, updated_at, version";

Institution InstitutionFromRow(const Row& r) {
  return Institution{.id = r.Int(0),
                     .name = r.Text(1),
                     .country = r.Text(2),
                     .type = r.Text(3),
                     .website = r.Text(4),
                     .added_by_organization = r.Text(5),
                     .researchers_count = r.Int(8),
                     .created_at = r.Int(6),
                     .updated_at = r.Int(7),
                     .version = r.Int(9)};
}

Researcher ResearcherFromRow(const Row& r, bool with_email) {
  return Researcher{.id = r.Int(0),
                    .name = r.Text(1),
                    .institution_id = r.Int(2),
                    .institution_name = r.Text(3),
                    .country = r.Text(4),
                    .email = with_email ? r.Text(5) : "",
                    .themes = SplitLines(r.Text(6)),
                    .languages = SplitLines(r.Text(7)),
                    .public_profile = r.Int(8) != 0,
                    .added_by_organization = r.Text(9),
                    .created_at = r.Int(10),
                    .updated_at = r.Int(11),
                    .version = r.Int(12)};
}

std::string Today(int64_t now) {
  return Date::FromDays(static_cast<int32_t>(now / 86400)).ToString();
}

// --- Who may change what -----------------------------------------------------------------

Status SignedIn(const Principal& actor) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  return Ok();
}

Status CheckMayAdd(const Principal& actor, std::string_view what) {
  GMG_RETURN_IF_ERROR(SignedIn(actor));
  if (actor.IsStaff() || IsMemberFocalPoint(actor)) return Ok();
  return MakeError(
      ErrorCode::kPermissionDenied,
      "only a member's focal point, the secretariat or an administrator adds " + std::string(what));
}

Status CheckMayEditAdded(const Principal& actor, const std::string& added_by,
                         std::string_view what) {
  GMG_RETURN_IF_ERROR(SignedIn(actor));
  if (actor.IsStaff()) return Ok();
  if (IsMemberFocalPoint(actor) && !added_by.empty() && actor.organization_id == added_by) {
    return Ok();
  }
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the focal point of the organisation that added this " + std::string(what) +
                       ", the secretariat or an administrator edits it");
}

Status CheckMayEditProject(const Principal& actor, const ResearchProject& project) {
  GMG_RETURN_IF_ERROR(SignedIn(actor));
  if (actor.IsStaff()) return Ok();
  const auto& orgs = project.organizations;
  if (IsMemberFocalPoint(actor) &&
      std::find(orgs.begin(), orgs.end(), actor.organization_id) != orgs.end()) {
    return Ok();
  }
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the focal points of the project's organisations, the secretariat or an "
                   "administrator edit a research project");
}

// --- Validation ---------------------------------------------------------------------------

Status CheckInstitution(const InstitutionFields& f) {
  GMG_RETURN_IF_ERROR(CheckText("name", f.name, 300, true));
  if (FindDevelopmentGroups(f.country) == nullptr) {
    return Invalid("country", "is not an ISO 3166 alpha-3 country code", "unknown_country",
                   {{"value", f.country}});
  }
  if (std::find(std::begin(kInstitutionTypes), std::end(kInstitutionTypes), f.type) ==
      std::end(kInstitutionTypes)) {
    return Invalid("type", "must be one of the institution types", "not_in_list",
                   {{"value", f.type}});
  }
  return CheckWebAddress("website", f.website);
}

bool IsLanguageCode(std::string_view code) {
  return code.size() == 2 &&
         std::all_of(code.begin(), code.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

Status CheckResearcher(const ResearcherFields& f) {
  GMG_RETURN_IF_ERROR(CheckText("name", f.name, 300, true));
  if (!f.email.empty()) GMG_RETURN_IF_ERROR(CheckEmailAddress("email", f.email));
  GMG_RETURN_IF_ERROR(CheckList("themes", f.themes, kMaxThemes, kMaxThemeBytes));
  if (f.languages.size() > kMaxLanguages) {
    return Invalid("languages", "at most 10 languages", "too_many", {{"max", "10"}});
  }
  std::set<std::string> seen;
  for (const std::string& lang : f.languages) {
    if (!IsLanguageCode(lang)) {
      return Invalid("languages", "holds \"" + lang + "\", not a two-letter language code",
                     "invalid_language", {{"value", lang}});
    }
    if (!seen.insert(lang).second) {
      return Invalid("languages", "gives " + lang + " twice", "duplicate_language",
                     {{"value", lang}});
    }
  }
  return Ok();
}

Status CheckProject(const ProjectFields& f) {
  GMG_RETURN_IF_ERROR(CheckText("title", f.title, 300, true));
  GMG_RETURN_IF_ERROR(CheckText("summary", f.summary, 20000, false));
  GMG_RETURN_IF_ERROR(CheckPeriod(f.started_on, f.ended_on));
  if (std::find(std::begin(kProjectStatuses), std::end(kProjectStatuses), f.status) ==
      std::end(kProjectStatuses)) {
    return Invalid("status", "must be planned, active or completed", "not_in_list",
                   {{"value", f.status}});
  }
  if (f.organizations.empty()) {
    return Invalid("organizations", "must name at least one GMG member", "required");
  }
  if (f.organizations.size() > kMaxProjectOrganizations) {
    return Invalid("organizations", "at most 20 organisations", "too_many", {{"max", "20"}});
  }
  if (f.institutions.size() > kMaxProjectInstitutions) {
    return Invalid("institutions", "at most 50 institutions", "too_many", {{"max", "50"}});
  }
  GMG_RETURN_IF_ERROR(CheckNoDuplicates("organizations", f.organizations));
  std::vector<std::string> ids;
  for (int64_t id : f.institutions) ids.push_back(std::to_string(id));
  return CheckNoDuplicates("institutions", ids);
}

// Each organisation a GMG member today, each institution existing.
Status CheckProjectLinks(Tx& tx, const ProjectFields& f, const std::string& today) {
  GMG_ASSIGN_OR_RETURN(std::set<std::string> members, ListMemberIdsOn(tx, today));
  for (const std::string& org : f.organizations) {
    if (!members.contains(org)) {
      return Invalid("organizations", "\"" + org + "\" is not a GMG member organisation",
                     "not_gmg_member", {{"value", org}});
    }
  }
  for (int64_t id : f.institutions) {
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT id FROM research_institutions WHERE id = ?", {id}));
    if (!row) {
      return Invalid("institutions", "no institution " + std::to_string(id), "unknown_institution",
                     {{"value", std::to_string(id)}});
    }
  }
  return Ok();
}

// --- Loading ------------------------------------------------------------------------------

Result<Institution> LoadInstitution(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kInstitutionColumns +
                                                 " FROM research_institutions i WHERE i.id = ?",
                                             {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no such institution");
  return InstitutionFromRow(*row);
}

Result<Researcher> LoadResearcher(Tx& tx, int64_t id, bool with_email) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kResearcherColumns +
                                                 " FROM researchers r JOIN research_institutions "
                                                 "i ON i.id = r.institution_id WHERE r.id = ?",
                                             {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no such researcher");
  return ResearcherFromRow(*row, with_email);
}

Result<ResearchProject> LoadProject(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kProjectColumns +
                                                 " FROM research_projects WHERE id = ?",
                                             {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no such research project");
  ResearchProject p{.id = row->Int(0),
                    .title = row->Text(1),
                    .summary = row->Text(2),
                    .started_on = row->Text(3),
                    .ended_on = row->OptText(4),
                    .status = row->Text(5),
                    .organizations = {},
                    .institutions = {},
                    .created_at = row->Int(6),
                    .updated_at = row->Int(7),
                    .version = row->Int(8)};
  GMG_ASSIGN_OR_RETURN(auto orgs, tx.Query("SELECT organization_id FROM "
                                           "research_project_organizations WHERE project_id = ? "
                                           "ORDER BY organization_id",
                                           {id}));
  for (const Row& r : orgs) p.organizations.push_back(r.Text(0));
  GMG_ASSIGN_OR_RETURN(auto insts, tx.Query("SELECT institution_id FROM "
                                            "research_project_institutions WHERE project_id = ? "
                                            "ORDER BY institution_id",
                                            {id}));
  for (const Row& r : insts) p.institutions.push_back(r.Int(0));
  return p;
}

Status StoreProjectLinks(Tx& tx, int64_t id, const ProjectFields& f) {
  GMG_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM research_project_organizations WHERE project_id = ?", {id}));
  GMG_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM research_project_institutions WHERE project_id = ?", {id}));
  for (const std::string& org : f.organizations) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO research_project_organizations (project_id, "
                "organization_id) VALUES (?, ?)",
                {id, org}));
  }
  for (int64_t inst : f.institutions) {
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO research_project_institutions (project_id, "
                "institution_id) VALUES (?, ?)",
                {id, inst}));
  }
  return Ok();
}

void Count(GroupCounts& counts, const std::string& iso3) {
  ++counts.total;
  const DevelopmentGroups* g = FindDevelopmentGroups(iso3);
  if (g == nullptr) return;
  counts.developing += g->developing ? 1 : 0;
  counts.ldc += g->ldc ? 1 : 0;
  counts.lldc += g->lldc ? 1 : 0;
  counts.sids += g->sids ? 1 : 0;
}

ResearchHit Hit(std::string kind, int64_t id, const std::string& title, const std::string& text,
                std::string_view needle) {
  bool in_title = ContainsFolded(title, needle);
  std::string snippet = in_title || text.empty() ? title : text;
  return ResearchHit{.kind = std::move(kind),
                     .id = id,
                     .title = title,
                     .snippet = Truncate(snippet, kSnippetBytes),
                     .score = in_title ? 2.0 : 1.0};
}

}  // namespace

bool SeesResearchContacts(const Principal& p) { return p.IsStaff() || p.IsMemberStaff(); }

bool IsMemberFocalPoint(const Principal& p) {
  return p.role == Role::kFocalPoint && p.IsMemberStaff();
}

ResearchService::ResearchService(Database& db, std::function<int64_t()> now)
    : db_(db), now_(std::move(now)) {}

// --- Institutions -------------------------------------------------------------------------

Result<std::vector<Institution>> ResearchService::ListInstitutions(const InstitutionFilter& f) {
  std::vector<Institution> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    std::string sql = std::string("SELECT ") + kInstitutionColumns +
                      " FROM research_institutions i WHERE (CAST(? AS TEXT) = '' OR i.country = ?) "
                      "AND (CAST(? AS TEXT) = '' OR i.type = ?) ORDER BY i.name, i.id";
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {f.country, f.country, f.type, f.type}));
    for (const Row& r : rows) out.push_back(InstitutionFromRow(r));
    return Ok();
  }));
  return out;
}

Result<Institution> ResearchService::GetInstitution(int64_t id) {
  Institution out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadInstitution(tx, id));
    return Ok();
  }));
  return out;
}

Result<Institution> ResearchService::CreateInstitution(const Principal& actor,
                                                       const InstitutionFields& f) {
  GMG_RETURN_IF_ERROR(CheckMayAdd(actor, "institutions"));
  GMG_RETURN_IF_ERROR(CheckInstitution(f));
  Institution out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    int64_t now = now_();
    std::string added_by = actor.IsStaff() ? "" : actor.organization_id;
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO research_institutions (name, country, type, "
                                     "website, added_by_org, created_at, updated_at) VALUES "
                                     "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                     {f.name, f.country, f.type, f.website, added_by, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadInstitution(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "research_institution", std::to_string(out.id), nullptr,
                       InstitutionJson(out));
  }));
  return out;
}

Result<Institution> ResearchService::UpdateInstitution(const Principal& actor, int64_t id,
                                                       std::optional<int64_t> if_version,
                                                       const InstitutionFields& f) {
  GMG_RETURN_IF_ERROR(SignedIn(actor));
  Institution out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Institution before, LoadInstitution(tx, id));
    GMG_RETURN_IF_ERROR(CheckMayEditAdded(actor, before.added_by_organization, "institution"));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this institution"));
    GMG_RETURN_IF_ERROR(CheckInstitution(f));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE research_institutions SET name = ?, country = ?, "
                "type = ?, website = ?, version = version + 1, updated_at = ? WHERE id = ?",
                {f.name, f.country, f.type, f.website, now_(), id}));
    GMG_ASSIGN_OR_RETURN(out, LoadInstitution(tx, id));
    return RecordAudit(tx, actor, "update", "research_institution", std::to_string(id),
                       InstitutionJson(before), InstitutionJson(out));
  }));
  return out;
}

// --- Researchers --------------------------------------------------------------------------

Result<std::vector<Researcher>> ResearchService::ListResearchers(const Principal& viewer,
                                                                 int64_t institution_id) {
  bool insider = SeesResearchContacts(viewer);
  std::vector<Researcher> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    std::string sql = std::string("SELECT ") + kResearcherColumns +
                      " FROM researchers r JOIN research_institutions i ON i.id = "
                      "r.institution_id WHERE (CAST(? AS BIGINT) = 0 OR r.institution_id = ?)" +
                      (insider ? "" : " AND r.public_profile = 1") + " ORDER BY r.name, r.id";
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {institution_id, institution_id}));
    for (const Row& r : rows) out.push_back(ResearcherFromRow(r, insider));
    return Ok();
  }));
  return out;
}

Result<Researcher> ResearchService::GetResearcher(const Principal& viewer, int64_t id) {
  bool insider = SeesResearchContacts(viewer);
  Researcher out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadResearcher(tx, id, insider));
    return Ok();
  }));
  if (!insider && !out.public_profile) {
    return MakeError(ErrorCode::kNotFound, "no such researcher");
  }
  return out;
}

Result<Researcher> ResearchService::CreateResearcher(const Principal& actor,
                                                     const ResearcherFields& f) {
  GMG_RETURN_IF_ERROR(CheckMayAdd(actor, "researchers"));
  GMG_RETURN_IF_ERROR(CheckResearcher(f));
  Researcher out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto inst, tx.QueryOne("SELECT id FROM research_institutions WHERE id = ?",
                                                {f.institution_id}));
    if (!inst) {
      return Invalid("institution_id", "no such institution", "unknown_institution",
                     {{"value", std::to_string(f.institution_id)}});
    }
    int64_t now = now_();
    std::string added_by = actor.IsStaff() ? "" : actor.organization_id;
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO researchers (name, institution_id, email, themes, languages, "
                    "public_profile, added_by_org, created_at, updated_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {f.name, f.institution_id, f.email, JoinLines(f.themes), JoinLines(f.languages),
                     int64_t{f.public_profile ? 1 : 0}, added_by, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadResearcher(tx, row->Int(0), true));
    return RecordAudit(tx, actor, "create", "researcher", std::to_string(out.id), nullptr,
                       ResearcherJson(out));
  }));
  return out;
}

Result<Researcher> ResearchService::UpdateResearcher(const Principal& actor, int64_t id,
                                                     std::optional<int64_t> if_version,
                                                     const ResearcherFields& f) {
  GMG_RETURN_IF_ERROR(SignedIn(actor));
  Researcher out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Researcher before, LoadResearcher(tx, id, true));
    GMG_RETURN_IF_ERROR(CheckMayEditAdded(actor, before.added_by_organization, "researcher"));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this researcher"));
    GMG_RETURN_IF_ERROR(CheckResearcher(f));
    GMG_ASSIGN_OR_RETURN(auto inst, tx.QueryOne("SELECT id FROM research_institutions WHERE id = ?",
                                                {f.institution_id}));
    if (!inst) {
      return Invalid("institution_id", "no such institution", "unknown_institution",
                     {{"value", std::to_string(f.institution_id)}});
    }
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE researchers SET name = ?, institution_id = ?, email = ?, themes = ?, "
                "languages = ?, public_profile = ?, version = version + 1, updated_at = ? "
                "WHERE id = ?",
                {f.name, f.institution_id, f.email, JoinLines(f.themes), JoinLines(f.languages),
                 int64_t{f.public_profile ? 1 : 0}, now_(), id}));
    GMG_ASSIGN_OR_RETURN(out, LoadResearcher(tx, id, true));
    return RecordAudit(tx, actor, "update", "researcher", std::to_string(id),
                       ResearcherJson(before), ResearcherJson(out));
  }));
  return out;
}

// --- Projects -----------------------------------------------------------------------------

Result<std::vector<ResearchProject>> ResearchService::ListProjects() {
  std::vector<ResearchProject> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM research_projects "
                                             "ORDER BY started_on DESC, id DESC"));
    for (const Row& r : rows) {
      GMG_ASSIGN_OR_RETURN(auto p, LoadProject(tx, r.Int(0)));
      out.push_back(std::move(p));
    }
    return Ok();
  }));
  return out;
}

Result<ResearchProject> ResearchService::GetProject(int64_t id) {
  ResearchProject out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadProject(tx, id));
    return Ok();
  }));
  return out;
}

Result<ResearchProject> ResearchService::CreateProject(const Principal& actor,
                                                       const ProjectFields& given) {
  GMG_RETURN_IF_ERROR(CheckMayAdd(actor, "research projects"));
  ProjectFields f = given;
  std::sort(f.organizations.begin(), f.organizations.end());
  std::sort(f.institutions.begin(), f.institutions.end());
  GMG_RETURN_IF_ERROR(CheckProject(f));
  if (!actor.IsStaff() &&
      !std::binary_search(f.organizations.begin(), f.organizations.end(), actor.organization_id)) {
    return FieldError(ErrorCode::kPermissionDenied, "organizations",
                      "a focal point creates projects its own organisation is part of",
                      "not_own_organization", {{"value", actor.organization_id}});
  }
  ResearchProject out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    int64_t now = now_();
    GMG_RETURN_IF_ERROR(CheckProjectLinks(tx, f, Today(now)));
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO research_projects (title, summary, started_on, "
                              "ended_on, status, created_at, updated_at) VALUES "
                              "(?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {f.title, f.summary, f.started_on, OptionalText(f.ended_on), f.status,
                               now, now}));
    int64_t id = row->Int(0);
    GMG_RETURN_IF_ERROR(StoreProjectLinks(tx, id, f));
    GMG_ASSIGN_OR_RETURN(out, LoadProject(tx, id));
    return RecordAudit(tx, actor, "create", "research_project", std::to_string(id), nullptr,
                       ProjectJson(out));
  }));
  return out;
}

Result<ResearchProject> ResearchService::UpdateProject(const Principal& actor, int64_t id,
                                                       std::optional<int64_t> if_version,
                                                       const ProjectFields& given) {
  GMG_RETURN_IF_ERROR(SignedIn(actor));
  ProjectFields f = given;
  std::sort(f.organizations.begin(), f.organizations.end());
  std::sort(f.institutions.begin(), f.institutions.end());
  ResearchProject out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(ResearchProject before, LoadProject(tx, id));
    GMG_RETURN_IF_ERROR(CheckMayEditProject(actor, before));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this research project"));
    GMG_RETURN_IF_ERROR(CheckProject(f));
    if (!actor.IsStaff() && !std::binary_search(f.organizations.begin(), f.organizations.end(),
                                                actor.organization_id)) {
      return FieldError(ErrorCode::kPermissionDenied, "organizations",
                        "a focal point keeps its own organisation in the project",
                        "not_own_organization", {{"value", actor.organization_id}});
    }
    // A focal point adds organisations but takes none out: removing another co-owner is the
    // secretariat's (one partner must not drop the others from a joint project).
    if (!actor.IsStaff()) {
      for (const std::string& org : before.organizations) {
        if (!std::binary_search(f.organizations.begin(), f.organizations.end(), org)) {
          return FieldError(ErrorCode::kPermissionDenied, "organizations",
                            "only the secretariat removes " + org + " from the project",
                            "not_own_organization", {{"value", org}});
        }
      }
    }
    int64_t now = now_();
    GMG_RETURN_IF_ERROR(CheckProjectLinks(tx, f, Today(now)));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE research_projects SET title = ?, summary = ?, "
                "started_on = ?, ended_on = ?, status = ?, version = version + 1, "
                "updated_at = ? WHERE id = ?",
                {f.title, f.summary, f.started_on, OptionalText(f.ended_on), f.status, now, id}));
    GMG_RETURN_IF_ERROR(StoreProjectLinks(tx, id, f));
    GMG_ASSIGN_OR_RETURN(out, LoadProject(tx, id));
    return RecordAudit(tx, actor, "update", "research_project", std::to_string(id),
                       ProjectJson(before), ProjectJson(out));
  }));
  return out;
}

// --- Share and search ---------------------------------------------------------------------

Result<NetworkShare> ResearchService::Share() {
  NetworkShare out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto insts, tx.Query("SELECT country FROM research_institutions"));
    for (const Row& r : insts) Count(out.institutions, r.Text(0));
    GMG_ASSIGN_OR_RETURN(auto people,
                         tx.Query("SELECT i.country FROM researchers r JOIN "
                                  "research_institutions i ON i.id = r.institution_id"));
    for (const Row& r : people) Count(out.researchers, r.Text(0));
    return Ok();
  }));
  return out;
}

Result<std::vector<ResearchHit>> ResearchService::Search(const Principal& viewer,
                                                         std::string_view query, int64_t limit,
                                                         ResearchSearchKinds kinds) {
  GMG_ASSIGN_OR_RETURN(std::string needle, CheckSearch(query, limit));
  std::string like = LikePattern(needle);
  bool insider = SeesResearchContacts(viewer);
  std::vector<ResearchHit> hits;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    if (kinds.institutions) {
      GMG_ASSIGN_OR_RETURN(auto insts,
                           tx.Query("SELECT id, name, country FROM research_institutions WHERE "
                                    "LOWER(name) LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
                                    {like, limit}));
      for (const Row& r : insts) {
        hits.push_back(Hit("institution", r.Int(0), r.Text(1), "", needle));
      }
    }
    if (kinds.researchers) {
      GMG_ASSIGN_OR_RETURN(
          auto people,
          tx.Query(std::string("SELECT id, name, themes FROM researchers WHERE (LOWER(name) LIKE ? "
                               "ESCAPE '\\' OR LOWER(themes) LIKE ? ESCAPE '\\')") +
                       (insider ? "" : " AND public_profile = 1") + " ORDER BY id LIMIT ?",
                   {like, like, limit}));
      for (const Row& r : people) {
        hits.push_back(Hit("researcher", r.Int(0), r.Text(1), r.Text(2), needle));
      }
    }
    if (kinds.projects) {
      GMG_ASSIGN_OR_RETURN(auto projects,
                           tx.Query("SELECT id, title, summary FROM research_projects WHERE "
                                    "LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(summary) LIKE ? "
                                    "ESCAPE '\\' ORDER BY id LIMIT ?",
                                    {like, like, limit}));
      for (const Row& r : projects) {
        hits.push_back(Hit("research_project", r.Int(0), r.Text(1), r.Text(2), needle));
      }
    }
    return Ok();
  }));
  std::stable_sort(hits.begin(), hits.end(),
                   [](const ResearchHit& a, const ResearchHit& b) { return a.score > b.score; });
  if (hits.size() > static_cast<size_t>(limit)) hits.resize(static_cast<size_t>(limit));
  return hits;
}

}  // namespace gmg
