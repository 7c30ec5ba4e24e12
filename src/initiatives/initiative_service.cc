#include "initiatives/initiative_service.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "audit/audit_log.h"
#include "governance/organization_directory.h"
#include "initiatives/initiative_json.h"

namespace gmg {
namespace {

constexpr size_t kMaxLinksPerKind = 200;
constexpr size_t kMaxUrlBytes = 2000;
constexpr char kInitiativeColumns[] =
    "i.id, i.slug, i.title, i.description, i.started_on, i.ended_on, i.status, i.version, "
    "i.created_at, i.updated_at, "
    "(SELECT COUNT(*) FROM initiative_contributions c WHERE c.initiative_id = i.id)";
constexpr char kContributionColumns[] =
    "id, initiative_id, organization_id, kind, title, description, url, date, user_id, created_at";

Error Invalid(std::string field, std::string problem, std::string rule,
              std::vector<std::pair<std::string, std::string>> args = {}) {
  return FieldError(ErrorCode::kFailedPrecondition, std::move(field), std::move(problem),
                    std::move(rule), std::move(args));
}

Initiative InitiativeFromRow(const Row& r) {
  Initiative i;
  i.id = r.Int(0);
  i.slug = r.Text(1);
  i.title = r.Text(2);
  i.description = r.Text(3);
  i.started_on = r.Text(4);
  i.ended_on = r.OptText(5);
  i.status = r.Text(6);
  i.version = r.Int(7);
  i.created_at = r.Int(8);
  i.updated_at = r.Int(9);
  i.contributions_count = r.Int(10);
  return i;
}

Contribution ContributionFromRow(const Row& r) {
  Contribution c;
  c.id = r.Int(0);
  c.initiative_id = r.Int(1);
  c.organization_id = r.Text(2);
  c.kind = r.Text(3);
  c.title = r.Text(4);
  c.description = r.Text(5);
  c.url = r.Text(6);
  c.date = r.Text(7);
  if (!r.IsNull(8)) c.user_id = r.Int(8);
  c.created_at = r.Int(9);
  return c;
}

std::optional<int64_t> NumericRef(std::string_view ref) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec != std::errc() || end != ref.data() + ref.size() || id <= 0) return std::nullopt;
  return id;
}

Status LoadLinks(Tx& tx, Initiative& i) {
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT kind, target_id FROM initiative_links "
                                           "WHERE initiative_id = ? ORDER BY kind, target_id",
                                           {i.id}));
  for (const Row& r : rows) {
    (r.Text(0) == "meeting" ? i.meeting_ids : i.position_ids).push_back(r.Int(1));
  }
  return Ok();
}

Result<Initiative> LoadInitiative(Tx& tx, std::string_view ref) {
  std::optional<int64_t> id = NumericRef(ref);
  std::string sql = std::string("SELECT ") + kInitiativeColumns + " FROM initiatives i WHERE " +
                    (id ? "i.id = ?" : "i.slug = ?");
  SqlParams params;
  if (id) {
    params.emplace_back(*id);
  } else {
    params.emplace_back(std::string(ref));
  }
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(sql, params));
  if (!row) return MakeError(ErrorCode::kNotFound, "no such initiative: " + std::string(ref));
  Initiative i = InitiativeFromRow(*row);
  GMG_RETURN_IF_ERROR(LoadLinks(tx, i));
  return i;
}

bool ValidSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 80 || slug.front() == '-') return false;
  return std::all_of(slug.begin(), slug.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  });
}

Status CheckStatus(std::string_view status) {
  if (status != "open" && status != "concluded") {
    return Invalid("status", "must be open or concluded", "not_in_list");
  }
  return Ok();
}

Status CheckDates(const std::string& started_on, const std::optional<std::string>& ended_on) {
  auto start = Date::Parse(started_on);
  if (!start)
    return Invalid("started_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  if (!ended_on) return Ok();
  auto end = Date::Parse(*ended_on);
  if (!end) return Invalid("ended_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  if (*end < *start) {
    return Invalid("ended_on", "must not be before started_on", "before_start",
                   {{"start", started_on}});
  }
  return Ok();
}

Status CheckInitiative(const Initiative& i) {
  if (i.title.empty()) return Invalid("title", "must not be empty", "required");
  GMG_RETURN_IF_ERROR(CheckStatus(i.status));
  return CheckDates(i.started_on, i.ended_on);
}

Status CheckContribution(const NewContribution& c) {
  if (c.kind != "paper" && c.kind != "event" && c.kind != "commitment") {
    return Invalid("kind", "must be paper, event or commitment", "not_in_list");
  }
  if (c.title.empty()) return Invalid("title", "must not be empty", "required");
  if (!Date::Parse(c.date)) {
    return Invalid("date", "must be a real date written YYYY-MM-DD", "invalid_date");
  }
  return CheckContributionUrl(c.url);
}

// Staff for any organisation; member staff for their own, while it is a member.
Status CheckMayContributeFor(Tx& tx, const Principal& actor, const std::string& org,
                             const std::string& today) {
  if (actor.IsStaff()) return Ok();
  if (!actor.IsMemberStaff() || actor.organization_id != org) {
    return FieldError(ErrorCode::kPermissionDenied, "organization_id",
                      "a focal point or member adds contributions for its own organisation only",
                      "not_own_organization", {{"value", org}});
  }
  GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, org, today));
  if (!member) {
    return FieldError(ErrorCode::kPermissionDenied, "organization_id",
                      "only current GMG members contribute", "not_a_member");
  }
  return Ok();
}

std::vector<int64_t> Sorted(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

Status CheckContributionUrl(std::string_view url) {
  if (url.empty()) return Ok();
  if (url.size() > kMaxUrlBytes) {
    return Invalid("url", "must be at most 2000 bytes", "too_long", {{"max", "2000"}});
  }
  size_t scheme_end = 0;
  if (url.starts_with("https://")) {
    scheme_end = 8;
  } else if (url.starts_with("http://")) {
    scheme_end = 7;
  } else {
    return Invalid("url", "must be an http:// or https:// address", "invalid_url",
                   {{"value", std::string(url)}});
  }
  bool clean = std::none_of(url.begin(), url.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u <= 0x20 || u == 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\';
  });
  std::string_view rest = url.substr(scheme_end);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (!clean || host.empty() || host.front() == ':' || host.find('@') != std::string_view::npos) {
    return Invalid("url", "must be an http:// or https:// address with a host", "invalid_url",
                   {{"value", std::string(url)}});
  }
  return Ok();
}

InitiativeService::InitiativeService(Database& db, LinkTarget link_target,
                                     std::function<int64_t()> now, LinkDescriber* describer)
    : db_(db), link_target_(std::move(link_target)), now_(std::move(now)), describer_(describer) {}

Result<std::vector<Initiative>> InitiativeService::List() {
  std::vector<Initiative> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kInitiativeColumns +
                                             " FROM initiatives i ORDER BY i.started_on, i.id"));
    for (const Row& r : rows) {
      out.push_back(InitiativeFromRow(r));
      GMG_RETURN_IF_ERROR(LoadLinks(tx, out.back()));
    }
    return Ok();
  }));
  return out;
}

Result<Initiative> InitiativeService::Get(std::string_view ref) {
  Initiative out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadInitiative(tx, ref));
    return Ok();
  }));
  return out;
}

Result<int64_t> InitiativeService::Resolve(std::string_view ref) {
  GMG_ASSIGN_OR_RETURN(Initiative i, Get(ref));
  return i.id;
}

Result<LinkNames> InitiativeService::DescribeLinks(const Principal& viewer,
                                                   const std::vector<Initiative>& initiatives) {
  LinkNames out;
  if (describer_ == nullptr) return out;
  std::set<int64_t> meetings;
  std::set<int64_t> positions;
  for (const Initiative& i : initiatives) {
    meetings.insert(i.meeting_ids.begin(), i.meeting_ids.end());
    positions.insert(i.position_ids.begin(), i.position_ids.end());
  }
  if (!meetings.empty()) {
    GMG_ASSIGN_OR_RETURN(out.meetings,
                         describer_->Meetings(viewer, {meetings.begin(), meetings.end()}));
  }
  if (!positions.empty()) {
    GMG_ASSIGN_OR_RETURN(out.positions,
                         describer_->Positions(viewer, {positions.begin(), positions.end()}));
  }
  return out;
}

Result<Initiative> InitiativeService::Create(const Principal& actor, const NewInitiative& n) {
  if (!actor.IsStaff()) {
    return MakeError(ErrorCode::kPermissionDenied, "only the secretariat creates initiatives");
  }
  if (!ValidSlug(n.slug)) {
    return Invalid("slug", "must be 1-80 lower-case letters, digits and hyphens", "invalid_slug",
                   {{"max", "80"}});
  }
  Initiative draft;
  draft.title = n.title;
  draft.status = n.status;
  draft.started_on = n.started_on;
  draft.ended_on = n.ended_on;
  GMG_RETURN_IF_ERROR(CheckInitiative(draft));
  Initiative out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto dup,
                         tx.QueryOne("SELECT id FROM initiatives WHERE slug = ?", {n.slug}));
    if (dup) {
      return FieldError(ErrorCode::kConflict, "slug", "is already used", "already_exists",
                        {{"value", n.slug}});
    }
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO initiatives (slug, title, description, started_on, "
                              "ended_on, status, version, created_at, updated_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
                              {n.slug, n.title, n.description, n.started_on,
                               OptionalText(n.ended_on), n.status, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadInitiative(tx, std::to_string(row->Int(0))));
    return RecordAudit(tx, actor, "create", "initiative", std::to_string(out.id), nullptr,
                       InitiativeJson(out));
  }));
  return out;
}

Result<Initiative> InitiativeService::Update(const Principal& actor, std::string_view ref,
                                             int64_t if_version, const InitiativeChange& c) {
  if (!actor.IsStaff()) {
    return MakeError(ErrorCode::kPermissionDenied, "only the secretariat edits initiatives");
  }
  Initiative out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Initiative before, LoadInitiative(tx, ref));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this initiative"));
    Initiative next = before;
    if (c.title) next.title = *c.title;
    if (c.description) next.description = *c.description;
    if (c.started_on) next.started_on = *c.started_on;
    if (c.status) next.status = *c.status;
    if (c.ended_on) {
      next.ended_on = c.ended_on->empty() ? std::nullopt : c.ended_on;
    }
    GMG_RETURN_IF_ERROR(CheckInitiative(next));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE initiatives SET title = ?, description = ?, started_on = ?, ended_on = ?, "
                "status = ?, version = version + 1, updated_at = ? WHERE id = ?",
                {next.title, next.description, next.started_on, OptionalText(next.ended_on),
                 next.status, now_(), before.id}));
    GMG_ASSIGN_OR_RETURN(out, LoadInitiative(tx, std::to_string(before.id)));
    return RecordAudit(tx, actor, "update", "initiative", std::to_string(out.id),
                       InitiativeJson(before), InitiativeJson(out));
  }));
  return out;
}

Status InitiativeService::CheckLinks(const InitiativeLinks& links) {
  auto check = [&](const std::vector<int64_t>& ids, const char* field,
                   std::string_view kind) -> Status {
    if (ids.size() > kMaxLinksPerKind) {
      return Invalid(field, "at most 200 links", "too_many", {{"max", "200"}});
    }
    std::set<int64_t> seen;
    for (int64_t id : ids) {
      if (!seen.insert(id).second) {
        return Invalid(field, "lists " + std::to_string(id) + " twice", "duplicate_value",
                       {{"value", std::to_string(id)}});
      }
      GMG_ASSIGN_OR_RETURN(bool exists, link_target_(kind, id));
      if (!exists) {
        return Invalid(field, "no " + std::string(kind) + " " + std::to_string(id),
                       "unknown_" + std::string(kind), {{"value", std::to_string(id)}});
      }
    }
    return Ok();
  };
  GMG_RETURN_IF_ERROR(check(links.meetings, "meetings", "meeting"));
  return check(links.positions, "positions", "position");
}

Result<Initiative> InitiativeService::SetLinks(const Principal& actor, std::string_view ref,
                                               const InitiativeLinks& links) {
  if (!actor.IsStaff()) {
    return MakeError(ErrorCode::kPermissionDenied, "only the secretariat links initiatives");
  }
  GMG_RETURN_IF_ERROR(Get(ref));
  // Asked before the transaction: the targets' modules read in transactions of their own.
  GMG_RETURN_IF_ERROR(CheckLinks(links));
  Initiative out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Initiative before, LoadInitiative(tx, ref));
    GMG_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM initiative_links WHERE initiative_id = ?", {before.id}));
    auto insert = [&](const std::vector<int64_t>& ids, const char* kind) -> Status {
      for (int64_t id : Sorted(ids)) {
        GMG_RETURN_IF_ERROR(tx.Exec(
            "INSERT INTO initiative_links (initiative_id, kind, target_id) VALUES (?, ?, ?)",
            {before.id, std::string(kind), id}));
      }
      return Ok();
    };
    GMG_RETURN_IF_ERROR(insert(links.meetings, "meeting"));
    GMG_RETURN_IF_ERROR(insert(links.positions, "position"));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE initiatives SET version = version + 1, updated_at = ? WHERE id = ?",
                {now_(), before.id}));
    GMG_ASSIGN_OR_RETURN(out, LoadInitiative(tx, std::to_string(before.id)));
    return RecordAudit(tx, actor, "link", "initiative", std::to_string(out.id),
                       InitiativeJson(before), InitiativeJson(out));
  }));
  return out;
}

Result<std::vector<Contribution>> InitiativeService::ListContributions(std::string_view ref) {
  std::vector<Contribution> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Initiative i, LoadInitiative(tx, ref));
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query(std::string("SELECT ") + kContributionColumns +
                                      " FROM initiative_contributions WHERE initiative_id = ? "
                                      "ORDER BY date, id",
                                  {i.id}));
    for (const Row& r : rows) out.push_back(ContributionFromRow(r));
    return Ok();
  }));
  return out;
}

Result<Contribution> InitiativeService::AddContribution(const Principal& actor,
                                                        std::string_view ref,
                                                        const NewContribution& given) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  NewContribution c = given;
  if (c.organization_id.empty()) c.organization_id = actor.organization_id;
  if (c.organization_id.empty()) {
    return Invalid("organization_id", "is required", "required");
  }
  GMG_RETURN_IF_ERROR(CheckContribution(c));
  Contribution out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Initiative i, LoadInitiative(tx, ref));
    int64_t now = now_();
    if (actor.IsStaff()) {
      GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, c.organization_id));
      if (!exists) {
        return Invalid("organization_id", "no such organisation", "unknown_organization",
                       {{"value", c.organization_id}});
      }
    }
    GMG_RETURN_IF_ERROR(
        CheckMayContributeFor(tx, actor, c.organization_id,
                              Date::FromDays(static_cast<int32_t>(now / 86400)).ToString()));
    SqlValue user = nullptr;
    if (actor.user_id > 0) user = actor.user_id;
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO initiative_contributions (initiative_id, organization_id, kind, "
            "title, description, url, date, user_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {i.id, c.organization_id, c.kind, c.title, c.description, c.url, c.date, user, now}));
    out = Contribution{.id = row->Int(0),
                       .initiative_id = i.id,
                       .organization_id = c.organization_id,
                       .kind = c.kind,
                       .title = c.title,
                       .description = c.description,
                       .url = c.url,
                       .date = c.date,
                       .created_at = now};
    if (actor.user_id > 0) out.user_id = actor.user_id;
    return RecordAudit(tx, actor, "create", "contribution", std::to_string(out.id), nullptr,
                       ContributionJson(out, ""));
  }));
  return out;
}

Status InitiativeService::DeleteContribution(const Principal& actor, std::string_view ref,
                                             int64_t id) {
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Initiative i, LoadInitiative(tx, ref));
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kContributionColumns +
                                                   " FROM initiative_contributions "
                                                   "WHERE id = ? AND initiative_id = ?",
                                               {id, i.id}));
    if (!row) return MakeError(ErrorCode::kNotFound, "no such contribution");
    Contribution before = ContributionFromRow(*row);
    if (!actor.IsStaff() &&
        !(actor.IsMemberStaff() && actor.organization_id == before.organization_id)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or the contributing organisation removes it");
    }
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM initiative_contributions WHERE id = ?", {id}));
    return RecordAudit(tx, actor, "delete", "contribution", std::to_string(id),
                       ContributionJson(before, ""), nullptr);
  });
}

}  // namespace gmg
