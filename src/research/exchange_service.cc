#include "research/exchange_service.h"

#include <algorithm>
#include <span>

#include "audit/audit_log.h"
#include "governance/organization_directory.h"
#include "research/research_json.h"
#include "research/research_text.h"

namespace gmg {
namespace {

constexpr size_t kExchangeSnippetBytes = 200;
constexpr char kColumns[] =
    "id, kind, from_org, to_org, person_name, user_id, started_on, ended_on, purpose, status, "
    "proposed_by_org, version, created_at, updated_at";

StaffExchange FromRow(const Row& r) {
  StaffExchange e{.id = r.Int(0),
                  .kind = r.Text(1),
                  .from_organization = r.Text(2),
                  .to_organization = r.Text(3),
                  .person_name = r.Text(4),
                  .user_id = std::nullopt,
                  .started_on = r.Text(6),
                  .ended_on = r.Text(7),
                  .purpose = r.Text(8),
                  .status = r.Text(9),
                  .proposed_by_organization = r.Text(10),
                  .version = r.Int(11),
                  .created_at = r.Int(12),
                  .updated_at = r.Int(13)};
  if (!r.IsNull(5)) e.user_id = r.Int(5);
  return e;
}

Status CheckMaySee(const Principal& viewer) {
  if (!viewer.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (SeesResearchContacts(viewer)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   "staff exchanges are seen by the GMG's members and secretariat only");
}

Status CheckMayChange(const Principal& actor, const std::string& from, const std::string& to) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (actor.IsStaff()) return Ok();
  if (IsMemberFocalPoint(actor) && (actor.organization_id == from || actor.organization_id == to)) {
    return Ok();
  }
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the focal point of the sending or receiving organisation, the "
                   "secretariat or an administrator records a staff exchange");
}

// An agreement takes both sides: the proposing organisation's focal point does not agree on
// its own; the other side's focal point or the secretariat does.
Status CheckMayAgree(const Principal& actor, const StaffExchange& e) {
  if (actor.IsStaff() || e.proposed_by_organization.empty()) return Ok();
  if (actor.organization_id != e.proposed_by_organization) return Ok();
  std::string other =
      e.proposed_by_organization == e.from_organization ? e.to_organization : e.from_organization;
  return FieldError(ErrorCode::kPermissionDenied, "status",
                    "the exchange was proposed by " + e.proposed_by_organization +
                        "; the other organisation (" + other + ") or the secretariat agrees to it",
                    "other_party_agrees", {{"value", other}});
}

// `user_id` may name only an account of one of the two organisations (the secretariat and
// administrators: any account). Any other id gets the very answer of an id that names no
// account, so the field tells nobody which accounts exist.
Status CheckUser(const ExchangeUserLookup& users, const Principal& actor, const ExchangeFields& f) {
  if (!f.user_id) return Ok();
  GMG_ASSIGN_OR_RETURN(std::optional<ExchangeUserRef> user, users(*f.user_id));
  bool linkable = user && (actor.IsStaff() || (!user->organization_id.empty() &&
                                               (user->organization_id == f.from_organization ||
                                                user->organization_id == f.to_organization)));
  if (linkable) return Ok();
  return Invalid("user_id", "no such user", "unknown_user",
                 {{"value", std::to_string(*f.user_id)}});
}

bool InList(std::span<const std::string_view> list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Status CheckExchange(const StaffExchange& e) {
  if (!InList(kExchangeKinds, e.kind)) {
    return Invalid("kind", "must be transfer, secondment or loan", "not_in_list",
                   {{"value", e.kind}});
  }
  GMG_RETURN_IF_ERROR(CheckText("person_name", e.person_name, 200, true));
  GMG_RETURN_IF_ERROR(CheckText("purpose", e.purpose, 4000, false));
  if (!Date::Parse(e.ended_on)) {
    return Invalid("ended_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  }
  GMG_RETURN_IF_ERROR(CheckPeriod(e.started_on, e.ended_on));
  if (!InList(kExchangeStatuses, e.status)) {
    return Invalid("status", "is not an exchange status", "not_in_list", {{"value", e.status}});
  }
  return Ok();
}

Status CheckOrganizations(Tx& tx, const ExchangeFields& f, const std::string& today) {
  if (f.from_organization.empty()) {
    return Invalid("from_organization", "is required", "required");
  }
  if (f.to_organization.empty()) return Invalid("to_organization", "is required", "required");
  if (f.from_organization == f.to_organization) {
    return Invalid("to_organization", "must differ from the sending organisation",
                   "same_organization", {{"value", f.to_organization}});
  }
  for (const auto& [field, org] : {std::pair{"from_organization", f.from_organization},
                                   std::pair{"to_organization", f.to_organization}}) {
    GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, org, today));
    if (!member) {
      return Invalid(field, "\"" + org + "\" is not a GMG member organisation", "not_gmg_member",
                     {{"value", org}});
    }
  }
  return Ok();
}

Result<StaffExchange> Load(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kColumns + " FROM staff_exchanges WHERE id = ?", {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no such staff exchange");
  return FromRow(*row);
}

}  // namespace

bool IsExchangeTransition(std::string_view from, std::string_view to) {
  return std::any_of(std::begin(kExchangeTransitions), std::end(kExchangeTransitions),
                     [&](const auto& t) { return t.first == from && t.second == to; });
}

ExchangeService::ExchangeService(Database& db, ExchangeUserLookup users,
                                 std::function<int64_t()> now)
    : db_(db), users_(std::move(users)), now_(std::move(now)) {}

Result<std::vector<StaffExchange>> ExchangeService::List(const Principal& viewer,
                                                         const std::string& organization) {
  GMG_RETURN_IF_ERROR(CheckMaySee(viewer));
  std::vector<StaffExchange> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(std::string("SELECT ") + kColumns +
                     " FROM staff_exchanges WHERE (CAST(? AS TEXT) = '' OR from_org = ? OR "
                     "to_org = ?) ORDER BY started_on DESC, id DESC",
                 {organization, organization, organization}));
    for (const Row& r : rows) out.push_back(FromRow(r));
    return Ok();
  }));
  return out;
}

Result<StaffExchange> ExchangeService::Get(const Principal& viewer, int64_t id) {
  GMG_RETURN_IF_ERROR(CheckMaySee(viewer));
  StaffExchange out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, Load(tx, id));
    return Ok();
  }));
  return out;
}

Result<StaffExchange> ExchangeService::Create(const Principal& actor, const ExchangeFields& f) {
  GMG_RETURN_IF_ERROR(CheckMayChange(actor, f.from_organization, f.to_organization));
  StaffExchange e{.kind = f.kind,
                  .from_organization = f.from_organization,
                  .to_organization = f.to_organization,
                  .person_name = f.person_name,
                  .user_id = f.user_id,
                  .started_on = f.started_on,
                  .ended_on = f.ended_on,
                  .purpose = f.purpose,
                  .status = "proposed",
                  .proposed_by_organization = actor.IsStaff() ? "" : actor.organization_id};
  GMG_RETURN_IF_ERROR(CheckExchange(e));
  GMG_RETURN_IF_ERROR(CheckUser(users_, actor, f));
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    int64_t now = now_();
    GMG_RETURN_IF_ERROR(
        CheckOrganizations(tx, f, Date::FromDays(static_cast<int32_t>(now / 86400)).ToString()));
    SqlValue user = nullptr;
    if (f.user_id) user = *f.user_id;
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO staff_exchanges (kind, from_org, to_org, person_name, user_id, "
            "started_on, ended_on, purpose, status, proposed_by_org, version, "
            "created_at, updated_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
            {e.kind, e.from_organization, e.to_organization, e.person_name, user, e.started_on,
             e.ended_on, e.purpose, e.status, e.proposed_by_organization, now, now}));
    GMG_ASSIGN_OR_RETURN(e, Load(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "staff_exchange", std::to_string(e.id), nullptr,
                       ExchangeJson(e));
  }));
  return e;
}

Result<StaffExchange> ExchangeService::Update(const Principal& actor, int64_t id,
                                              std::optional<int64_t> if_version,
                                              const ExchangeChange& c) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  StaffExchange out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(StaffExchange before, Load(tx, id));
    GMG_RETURN_IF_ERROR(CheckMayChange(actor, before.from_organization, before.to_organization));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this exchange"));
    StaffExchange next = before;
    if (c.kind) next.kind = *c.kind;
    if (c.person_name) next.person_name = *c.person_name;
    if (c.started_on) next.started_on = *c.started_on;
    if (c.ended_on) next.ended_on = *c.ended_on;
    if (c.purpose) next.purpose = *c.purpose;
    if (c.status && *c.status != before.status) {
      if (!InList(kExchangeStatuses, *c.status)) {
        return Invalid("status", "is not an exchange status", "not_in_list",
                       {{"value", *c.status}});
      }
      if (!IsExchangeTransition(before.status, *c.status)) {
        return Invalid("status", "cannot go from " + before.status + " to " + *c.status,
                       "invalid_transition", {{"from", before.status}, {"to", *c.status}});
      }
      if (before.status == "proposed" && *c.status == "agreed") {
        GMG_RETURN_IF_ERROR(CheckMayAgree(actor, before));
      }
      next.status = *c.status;
    }
    GMG_RETURN_IF_ERROR(CheckExchange(next));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE staff_exchanges SET kind = ?, person_name = ?, "
                "started_on = ?, ended_on = ?, purpose = ?, status = ?, "
                "version = version + 1, updated_at = ? WHERE id = ?",
                {next.kind, next.person_name, next.started_on, next.ended_on, next.purpose,
                 next.status, now_(), id}));
    GMG_ASSIGN_OR_RETURN(out, Load(tx, id));
    return RecordAudit(tx, actor, "update", "staff_exchange", std::to_string(id),
                       ExchangeJson(before), ExchangeJson(out));
  }));
  return out;
}

Result<std::vector<ResearchHit>> ExchangeService::Search(const Principal& viewer,
                                                         std::string_view query, int64_t limit) {
  GMG_ASSIGN_OR_RETURN(std::string needle, CheckSearch(query, limit));
  std::vector<ResearchHit> hits;
  if (!SeesResearchContacts(viewer)) return hits;
  std::string like = LikePattern(needle);
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT id, person_name, purpose, from_org, to_org FROM staff_exchanges WHERE "
                 "LOWER(person_name) LIKE ? ESCAPE '\\' OR LOWER(purpose) LIKE ? ESCAPE '\\' OR "
                 "LOWER(from_org) LIKE ? ESCAPE '\\' OR LOWER(to_org) LIKE ? ESCAPE '\\' "
                 "ORDER BY id LIMIT ?",
                 {like, like, like, like, limit}));
    for (const Row& r : rows) {
      std::string title = r.Text(1) + " (" + r.Text(3) + " \xE2\x86\x92 " + r.Text(4) + ")";
      bool in_title = ContainsFolded(r.Text(1), needle);
      hits.push_back(
          ResearchHit{.kind = "staff_exchange",
                      .id = r.Int(0),
                      .title = title,
                      .snippet = Truncate(in_title ? title : r.Text(2), kExchangeSnippetBytes),
                      .score = in_title ? 2.0 : 1.0});
    }
    return Ok();
  }));
  std::stable_sort(hits.begin(), hits.end(),
                   [](const ResearchHit& a, const ResearchHit& b) { return a.score > b.score; });
  return hits;
}

}  // namespace gmg
