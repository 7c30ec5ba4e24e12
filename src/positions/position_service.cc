#include "positions/position_service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "governance/organization_directory.h"
#include "store/sql.h"

namespace gmg {
namespace {

namespace json = boost::json;
using positions::Tally;

constexpr char kPositionCols[] =
    "id, title, themes, lead_org, status, current_version, consultation_until, adopted_at, "
    "withdrawn_at, withdrawn_reason, version, created_at, updated_at";
constexpr char kRoundCols[] =
    "id, position_id, version_number, rule, electorate, opened_at, deadline, status, outcome, "
    "tally, closed_at, closed_by, reminded";
constexpr size_t kMaxTitle = 300;

template <typename T>
Status StatusOf(Result<T> r) {
  if (!r.ok()) return std::move(r).TakeError();
  return Ok();
}
constexpr size_t kMaxComment = 10000;
constexpr size_t kMaxReason = 4000;
constexpr size_t kMaxThemes = 20;

std::optional<int64_t> OptInt(const Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return r.Int(i);
}

std::vector<std::string> ParseList(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

std::string ListText(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return json::serialize(a);
}

Position PositionFromRow(const Row& r) {
  Position p;
  p.id = r.Int(0);
  p.title = r.Text(1);
  p.themes = ParseList(r.Text(2));
  p.lead_org = r.Text(3);
  p.status = r.Text(4);
  p.current_version = r.Int(5);
  p.consultation_until = OptInt(r, 6);
  p.adopted_at = OptInt(r, 7);
  p.withdrawn_at = OptInt(r, 8);
  p.withdrawn_reason = r.Text(9);
  p.version = r.Int(10);
  p.created_at = r.Int(11);
  p.updated_at = r.Int(12);
  return p;
}

json::object PositionAudit(const Position& p) {
  return {{"title", p.title},     {"lead_org", p.lead_org},
          {"status", p.status},   {"current_version", p.current_version},
          {"version", p.version}, {"withdrawn_reason", p.withdrawn_reason}};
}

Round RoundFromRow(const Row& r) {
  Round x;
  x.id = r.Int(0);
  x.position_id = r.Int(1);
  x.version_number = r.Int(2);
  x.rule = r.Text(3);
  x.electorate = ParseList(r.Text(4));
  x.opened_at = r.Int(5);
  x.deadline = r.Int(6);
  x.status = r.Text(7);
  x.outcome = r.OptText(8);
  if (!r.IsNull(9)) x.tally = positions::TallyFromJson(r.Text(9));
  x.closed_at = OptInt(r, 10);
  x.closed_by = r.OptText(11);
  x.reminded = r.Int(12) != 0;
  return x;
}

// Public: adopted, or withdrawn after it was adopted (a withdrawn draft stays with insiders).
bool IsPublic(const Position& p) {
  return p.status == "adopted" || (p.status == "withdrawn" && p.adopted_at.has_value());
}
// The same as a WHERE condition on positions.
constexpr const char* kPublicWhere =
    " AND (status = 'adopted' OR (status = 'withdrawn' AND adopted_at IS NOT NULL))";
bool IsEditable(std::string_view status) { return status == "draft" || status == "consultation"; }
bool IsFocalPointOf(const Principal& p, const std::string& org) {
  return p.role == Role::kFocalPoint && !org.empty() && p.organization_id == org;
}

// The principal that closes a round at its deadline (the audit log's actor).
Principal Scheduler() {
  Principal p = Principal::Cli();
  p.email = "scheduler";
  p.name = "scheduler";
  return p;
}

Error Denied(const std::string& what) { return MakeError(ErrorCode::kPermissionDenied, what); }

Status CheckMayEdit(const Principal& actor, const Position& p) {
  if (actor.IsStaff() || (actor.IsMemberStaff() && actor.organization_id == p.lead_org)) {
    return Ok();
  }
  return Denied("only the secretariat or " + p.lead_org +
                "'s focal points and members edit this position");
}

Status CheckLeadsRounds(const Principal& actor, const Position& p, std::string_view what) {
  if (actor.IsStaff() || IsFocalPointOf(actor, p.lead_org)) return Ok();
  return Denied("only the secretariat or " + p.lead_org + "'s focal point " + std::string(what));
}

Result<Position> LoadPosition(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kPositionCols + " FROM positions WHERE id = ?", {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no position " + std::to_string(id));
  return PositionFromRow(*row);
}

Result<std::string> CurrentText(Tx& tx, const Position& p) {
  GMG_ASSIGN_OR_RETURN(auto row,
                       tx.QueryOne("SELECT text FROM position_versions WHERE position_id = ? AND "
                                   "number = ?",
                                   {p.id, p.current_version}));
  return row ? row->Text(0) : std::string();
}

Result<std::map<std::string, positions::Stand>> StandMap(Tx& tx, int64_t round_id) {
  std::map<std::string, positions::Stand> out;
  GMG_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT organization_id, stand FROM position_stands WHERE round_id = ?",
                          {round_id}));
  for (const Row& r : rows) {
    if (auto s = positions::ParseStand(r.Text(1))) out.emplace(r.Text(0), *s);
  }
  return out;
}

Result<Round> LoadRound(Tx& tx, int64_t position_id, int64_t round_id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRoundCols +
                                                 " FROM position_rounds WHERE id = ? AND "
                                                 "position_id = ?",
                                             {round_id, position_id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no round " + std::to_string(round_id));
  Round r = RoundFromRow(*row);
  GMG_ASSIGN_OR_RETURN(auto stands,
                       tx.Query("SELECT organization_id, stand, reason, user_id, user_name, "
                                "as_delegate, created_at FROM position_stands WHERE round_id = ? "
                                "ORDER BY organization_id",
                                {round_id}));
  for (const Row& s : stands) {
    r.stands.push_back(
        {s.Text(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4), s.Int(5) != 0, s.Int(6)});
  }
  return r;
}

std::string TallyLabel(const Tally& t) {
  return std::to_string(t.endorse) + "/" + std::to_string(t.object) + "/" +
         std::to_string(t.abstain);
}

Status CheckText(const char* field, const std::string& text, size_t max, bool allow_empty) {
  if (!allow_empty && text.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, field, "must not be empty", "required");
  }
  if (text.size() > max) {
    return FieldError(ErrorCode::kFailedPrecondition, field,
                      "must be at most " + std::to_string(max) + " bytes", "too_long",
                      {{"max", std::to_string(max)}});
  }
  return Ok();
}

Status CheckThemes(const std::vector<std::string>& themes) {
  if (themes.size() > kMaxThemes) {
    return FieldError(ErrorCode::kFailedPrecondition, "themes", "at most 20 themes", "too_many",
                      {{"max", "20"}});
  }
  for (const auto& t : themes) GMG_RETURN_IF_ERROR(CheckText("themes", t, 64, false));
  return Ok();
}

Status InsertVersion(Tx& tx, const Principal& actor, int64_t position_id, int64_t number,
                     const std::string& title, const std::string& text, const std::string& note,
                     int64_t now) {
  return StatusOf(
      tx.Exec("INSERT INTO position_versions (position_id, number, title, text, user_id, "
              "user_name, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {position_id, number, title, text,
               actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr),
               actor.name.empty() ? actor.email : actor.name, note, now}));
}

}  // namespace

PositionService::PositionService(Database& db, Notifier notify,
                                 std::function<GovernanceService&()> governance,
                                 std::function<AuthService&()> auth, std::function<int64_t()> now)
    : db_(db),
      notify_(std::move(notify)),
      governance_(std::move(governance)),
      auth_(std::move(auth)),
      now_(std::move(now)) {}

bool PositionService::IsInsider(const Principal& viewer) {
  return viewer.IsStaff() || viewer.IsMemberStaff();
}

Result<PositionService::Members> PositionService::LoadMembers() {
  GMG_ASSIGN_OR_RETURN(auto orgs, governance_().ListOrganizations("all", Date::FromUnix(now_())));
  Members m;
  for (const Organization& o : orgs) {
    m.names.emplace(o.id, o.name);
    if (o.status == MemberStatus::kCurrent) m.current.insert(o.id);
  }
  return m;
}

Result<std::set<std::string>> PositionService::CurrentMembers(Tx& tx) const {
  return ListMemberIdsOn(tx, Date::FromUnix(now_()).ToString());
}

Result<Position> PositionService::LoadVisible(Tx& tx, const Principal& viewer, int64_t id) {
  auto p = LoadPosition(tx, id);
  if (p.ok() && !IsPublic(*p) && !IsInsider(viewer)) {
    return MakeError(ErrorCode::kNotFound, "no position " + std::to_string(id));
  }
  return p;
}

// --- Positions ----------------------------------------------------------------------------

Result<PositionPage> PositionService::List(const Principal& viewer, const PositionFilter& f) {
  GMG_RETURN_IF_ERROR(StatusOf(CloseDueRounds()));
  std::string where = " WHERE 1 = 1";
  SqlParams params;
  if (!f.status.empty()) {
    where += " AND status = ?";
    params.emplace_back(f.status);
  }
  if (!IsInsider(viewer)) where += kPublicWhere;
  PositionPage page;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto total, tx.QueryOne("SELECT count(*) FROM positions" + where, params));
    page.total = total->Int(0);
    SqlParams p = params;
    std::string sql = std::string("SELECT ") + kPositionCols + " FROM positions" + where;
    if (f.before_id) {
      sql += " AND id < ?";
      p.emplace_back(*f.before_id);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    p.emplace_back(f.limit + 1);
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
    for (const Row& r : rows) page.items.push_back(PositionFromRow(r));
    return Ok();
  }));
  if (static_cast<int64_t>(page.items.size()) > f.limit) {
    page.items.resize(static_cast<size_t>(f.limit));
    page.more = true;
  }
  return page;
}

Result<Position> PositionService::Get(const Principal& viewer, int64_t id) {
  GMG_RETURN_IF_ERROR(CloseIfDue(id));
  Position out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadVisible(tx, viewer, id));
    GMG_ASSIGN_OR_RETURN(out.text, CurrentText(tx, out));
    return Ok();
  }));
  return out;
}

Result<Position> PositionService::Create(const Principal& actor, const NewPosition& in) {
  if (!IsInsider(actor)) {
    return Denied("only the secretariat, focal points and members draft positions");
  }
  std::string lead = in.lead_org.empty() ? actor.organization_id : in.lead_org;
  if (!actor.IsStaff() && lead != actor.organization_id) {
    return Denied("a focal point or member drafts positions for its own organisation only");
  }
  if (lead.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "lead_org", "is required", "required");
  }
  GMG_RETURN_IF_ERROR(CheckText("title", in.title, kMaxTitle, false));
  GMG_RETURN_IF_ERROR(CheckText("text", in.text, kMaxPositionTextBytes, false));
  GMG_RETURN_IF_ERROR(CheckText("note", in.note, 1000, true));
  GMG_RETURN_IF_ERROR(CheckThemes(in.themes));
  GMG_ASSIGN_OR_RETURN(Members members, LoadMembers());
  if (!members.names.contains(lead)) {
    return FieldError(ErrorCode::kFailedPrecondition, "lead_org", "no such organisation: " + lead,
                      "unknown");
  }
  int64_t now = now_();
  Position out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO positions (title, themes, lead_org, status, "
                                     "current_version, created_at, updated_at) VALUES (?, ?, ?, "
                                     "'draft', 1, ?, ?) RETURNING id",
                                     {in.title, ListText(in.themes), lead, now, now}));
    int64_t id = row->Int(0);
    GMG_RETURN_IF_ERROR(InsertVersion(tx, actor, id, 1, in.title, in.text, in.note, now));
    GMG_ASSIGN_OR_RETURN(out, LoadPosition(tx, id));
    out.text = in.text;
    return RecordAudit(tx, actor, "create", "position", std::to_string(id), nullptr,
                       PositionAudit(out));
  }));
  return out;
}

Result<Position> PositionService::Update(const Principal& actor, int64_t id, int64_t if_version,
                                         const PositionChange& change) {
  if (change.title) GMG_RETURN_IF_ERROR(CheckText("title", *change.title, kMaxTitle, false));
  if (change.themes) GMG_RETURN_IF_ERROR(CheckThemes(*change.themes));
  if (change.status && *change.status != "consultation") {
    return FieldError(ErrorCode::kFailedPrecondition, "status",
                      "may only be set to consultation here (rounds and withdrawal have routes "
                      "of their own)",
                      "not_in_list");
  }
  int64_t now = now_();
  if (change.status && !change.consultation_until) {
    return FieldError(ErrorCode::kFailedPrecondition, "consultation_until",
                      "is required to start a consultation", "required");
  }
  if (change.consultation_until && *change.consultation_until <= now) {
    return FieldError(ErrorCode::kFailedPrecondition, "consultation_until", "must be in the future",
                      "in_past");
  }
  Position out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position before, LoadVisible(tx, actor, id));
    GMG_RETURN_IF_ERROR(CheckMayEdit(actor, before));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this position"));
    if (!IsEditable(before.status)) {
      return MakeError(ErrorCode::kConflict, "a position in " + before.status +
                                                 " cannot be edited (only draft or consultation)");
    }
    Position after = before;
    if (change.title) after.title = *change.title;
    if (change.themes) after.themes = *change.themes;
    if (change.status) after.status = *change.status;
    if (change.consultation_until) {
      if (after.status != "consultation") {
        return FieldError(ErrorCode::kFailedPrecondition, "consultation_until",
                          "needs status consultation", "needs_consultation");
      }
      after.consultation_until = change.consultation_until;
    }
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE positions SET title = ?, themes = ?, status = ?, consultation_until = ?, "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {after.title, ListText(after.themes), after.status,
         after.consultation_until ? SqlValue(*after.consultation_until) : nullptr, now, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadPosition(tx, id));
    GMG_ASSIGN_OR_RETURN(out.text, CurrentText(tx, out));
    return RecordAudit(tx, actor, "update", "position", std::to_string(id), PositionAudit(before),
                       PositionAudit(out));
  }));
  return out;
}

Result<Position> PositionService::Withdraw(const Principal& actor, int64_t id,
                                           const std::string& reason) {
  GMG_RETURN_IF_ERROR(CheckText("reason", reason, kMaxReason, false));
  int64_t now = now_();
  Position out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position before, LoadVisible(tx, actor, id));
    GMG_RETURN_IF_ERROR(CheckLeadsRounds(actor, before, "withdraws a position"));
    if (before.status == "withdrawn") {
      return MakeError(ErrorCode::kConflict, "the position is already withdrawn");
    }
    std::string by = actor.name.empty() ? actor.email : actor.name;
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE position_rounds SET status = 'cancelled', closed_at = ?, "
                "closed_by = ? WHERE position_id = ? AND status = 'open'",
                {now, by, id}));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE positions SET status = 'withdrawn', withdrawn_at = ?, "
                "withdrawn_reason = ?, version = version + 1, updated_at = ? "
                "WHERE id = ?",
                {now, reason, now, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadPosition(tx, id));
    GMG_ASSIGN_OR_RETURN(out.text, CurrentText(tx, out));
    return RecordAudit(tx, actor, "withdraw", "position", std::to_string(id), PositionAudit(before),
                       PositionAudit(out));
  }));
  return out;
}

// --- Versions and comments ------------------------------------------------------------------

Result<std::vector<PositionVersion>> PositionService::ListVersions(const Principal& viewer,
                                                                   int64_t id) {
  std::vector<PositionVersion> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadVisible(tx, viewer, id));
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT number, title, text, user_name, note, "
                                             "created_at FROM position_versions WHERE "
                                             "position_id = ? ORDER BY number",
                                             {id}));
    for (const Row& r : rows) {
      out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
    }
    return Ok();
  }));
  return out;
}

Result<PositionVersion> PositionService::GetVersion(const Principal& viewer, int64_t id,
                                                    int64_t number) {
  GMG_ASSIGN_OR_RETURN(auto all, ListVersions(viewer, id));
  for (auto& v : all) {
    if (v.number == number) return std::move(v);
  }
  return MakeError(ErrorCode::kNotFound, "no version " + std::to_string(number));
}

Result<PositionVersion> PositionService::AddVersion(const Principal& actor, int64_t id,
                                                    const std::string& title,
                                                    const std::string& text,
                                                    const std::string& note) {
  GMG_RETURN_IF_ERROR(CheckText("title", title, kMaxTitle, false));
  GMG_RETURN_IF_ERROR(CheckText("text", text, kMaxPositionTextBytes, false));
  GMG_RETURN_IF_ERROR(CheckText("note", note, 1000, true));
  int64_t now = now_();
  PositionVersion out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position before, LoadVisible(tx, actor, id));
    GMG_RETURN_IF_ERROR(CheckMayEdit(actor, before));
    if (!IsEditable(before.status)) {
      return MakeError(ErrorCode::kConflict, "a position in " + before.status +
                                                 " cannot be edited (only draft or consultation)");
    }
    int64_t number = before.current_version + 1;
    GMG_RETURN_IF_ERROR(InsertVersion(tx, actor, id, number, title, text, note, now));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE positions SET title = ?, current_version = ?, "
                "version = version + 1, updated_at = ? WHERE id = ?",
                {title, number, now, id}));
    out = {number, title, text, actor.name.empty() ? actor.email : actor.name, note, now};
    return RecordAudit(tx, actor, "new_version", "position", std::to_string(id),
                       PositionAudit(before),
                       json::object{{"version", number}, {"title", title}, {"note", note}});
  }));
  return out;
}

Result<std::vector<PositionComment>> PositionService::ListComments(const Principal& viewer,
                                                                   int64_t id) {
  if (!IsInsider(viewer)) {
    return Denied("comments are for the secretariat, focal points and members");
  }
  std::vector<PositionComment> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadVisible(tx, viewer, id));
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, version, user_name, organization_id, "
                                             "text, created_at FROM position_comments WHERE "
                                             "position_id = ? ORDER BY id",
                                             {id}));
    for (const Row& r : rows) {
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
    }
    return Ok();
  }));
  return out;
}

Result<PositionComment> PositionService::AddComment(const Principal& actor, int64_t id,
                                                    const std::string& text) {
  if (!IsInsider(actor)) {
    return Denied("only the secretariat, focal points and members comment on positions");
  }
  GMG_RETURN_IF_ERROR(CheckText("text", text, kMaxComment, false));
  int64_t now = now_();
  PositionComment out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position p, LoadVisible(tx, actor, id));
    if (p.status != "consultation" || (p.consultation_until && now >= *p.consultation_until)) {
      return MakeError(ErrorCode::kConflict, "comments are taken only while in consultation");
    }
    std::string name = actor.name.empty() ? actor.email : actor.name;
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO position_comments (position_id, version, user_id, user_name, "
            "organization_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {id, p.current_version, actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr),
             name, NullIfEmpty(actor.organization_id), text, now}));
    out = {row->Int(0), p.current_version, name, actor.organization_id, text, now};
    return RecordAudit(tx, actor, "comment", "position", std::to_string(id), nullptr,
                       json::object{{"comment", out.id}, {"version", out.version}});
  }));
  return out;
}

// --- Rounds ---------------------------------------------------------------------------------

Result<std::vector<Round>> PositionService::ListRounds(const Principal& viewer, int64_t id) {
  GMG_RETURN_IF_ERROR(CloseIfDue(id));
  std::vector<Round> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadVisible(tx, viewer, id));
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT id FROM position_rounds WHERE position_id = ? ORDER BY id DESC", {id}));
    for (const Row& r : rows) {
      GMG_ASSIGN_OR_RETURN(Round round, LoadRound(tx, id, r.Int(0)));
      out.push_back(std::move(round));
    }
    return Ok();
  }));
  return out;
}

Result<Round> PositionService::GetRound(const Principal& viewer, int64_t id, int64_t round_id) {
  GMG_RETURN_IF_ERROR(CloseIfDue(id));
  Round out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadVisible(tx, viewer, id));
    GMG_ASSIGN_OR_RETURN(out, LoadRound(tx, id, round_id));
    return Ok();
  }));
  return out;
}

Result<Round> PositionService::OpenRound(const Principal& actor, int64_t id,
                                         const std::string& rule_name, int64_t deadline) {
  auto rule = positions::ParseRule(rule_name);
  if (!rule) {
    return FieldError(ErrorCode::kFailedPrecondition, "rule", "must be consensus or silence",
                      "not_in_list");
  }
  int64_t now = now_();
  if (deadline <= now) {
    return FieldError(ErrorCode::kFailedPrecondition, "deadline", "is in the past", "in_past");
  }
  if (deadline < now + kMinRoundLeadSeconds) {
    return FieldError(ErrorCode::kFailedPrecondition, "deadline", "must be at least one hour ahead",
                      "too_soon", {{"min_seconds", std::to_string(kMinRoundLeadSeconds)}});
  }
  if (deadline - now > kMaxRoundLeadSeconds) {
    return FieldError(ErrorCode::kFailedPrecondition, "deadline",
                      "must be at most a year (366 days) ahead", "too_late",
                      {{"max_seconds", std::to_string(kMaxRoundLeadSeconds)}});
  }
  Round out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position p, LoadVisible(tx, actor, id));
    GMG_RETURN_IF_ERROR(CheckLeadsRounds(actor, p, "opens an endorsement round"));
    GMG_ASSIGN_OR_RETURN(auto current, CurrentMembers(tx));
    std::vector<std::string> electorate(current.begin(), current.end());
    GMG_ASSIGN_OR_RETURN(auto open, tx.QueryOne("SELECT id FROM position_rounds WHERE "
                                                "position_id = ? AND status = 'open'",
                                                {id}));
    if (open) {
      return MakeError(ErrorCode::kConflict,
                       "round " + std::to_string(open->Int(0)) +
                           " is still open on this position: close or cancel it first");
    }
    if (p.status == "adopted" || p.status == "withdrawn") {
      return MakeError(ErrorCode::kConflict, "the position is " + p.status);
    }
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "INSERT INTO position_rounds (position_id, version_number, rule, electorate, "
            "opened_at, opened_by, deadline, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open') "
            "RETURNING id",
            {id, p.current_version, std::string(positions::RuleName(*rule)), ListText(electorate),
             now, actor.user_id > 0 ? SqlValue(actor.user_id) : SqlValue(nullptr), deadline}));
    int64_t round_id = row->Int(0);
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE positions SET status = 'endorsement', version = version "
                "+ 1, updated_at = ? WHERE id = ?",
                {now, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadRound(tx, id, round_id));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "open", "round", std::to_string(round_id), nullptr,
                                    json::object{{"position", id},
                                                 {"rule", out.rule},
                                                 {"deadline", FormatTimestamp(deadline)},
                                                 {"electorate", ListText(electorate)}}));
    NewNotification n;
    n.kind = NotificationKind::kRoundOpened;
    n.params = {{"position", p.title}, {"deadline", FormatTimestamp(deadline)}, {"rule", out.rule}};
    n.link = "/positions/" + std::to_string(id);
    n.entity = "position";
    n.entity_id = id;
    n.audience.organization_ids = electorate;
    n.audience.staff = true;
    return notify_(tx, n);
  }));
  return out;
}

Result<Round> PositionService::CancelRound(const Principal& actor, int64_t id, int64_t round_id) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator cancels a round");
  int64_t now = now_();
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position p, LoadPosition(tx, id));
    GMG_RETURN_IF_ERROR(LoadRound(tx, id, round_id));
    std::string by = actor.name.empty() ? actor.email : actor.name;
    GMG_ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE position_rounds SET status = 'cancelled', "
                                            "closed_at = ?, closed_by = ? WHERE id = ? AND "
                                            "status = 'open'",
                                            {now, by, round_id}));
    if (n == 0) return MakeError(ErrorCode::kConflict, "the round is not open");
    std::string back = p.consultation_until ? "consultation" : "draft";
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE positions SET status = ?, version = version + 1, "
                "updated_at = ? WHERE id = ?",
                {back, now, id}));
    return RecordAudit(tx, actor, "cancel", "round", std::to_string(round_id),
                       json::object{{"status", "open"}}, json::object{{"status", "cancelled"}});
  }));
  return GetRound(actor, id, round_id);
}

Result<bool> PositionService::CloseInTx(Tx& tx, int64_t round_id,
                                        const std::set<std::string>& current, bool early) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRoundCols +
                                                 " FROM position_rounds WHERE id = ?",
                                             {round_id}));
  if (!row) return false;
  Round r = RoundFromRow(*row);
  int64_t now = now_();
  if (r.status != "open") return false;
  auto rule = positions::ParseRule(r.rule).value_or(positions::Rule::kConsensus);
  GMG_ASSIGN_OR_RETURN(auto stands, StandMap(tx, round_id));
  Tally tally = positions::Count(r.electorate, current, stands);
  if (early ? (rule != positions::Rule::kConsensus || !positions::AllStood(tally))
            : r.deadline > now) {
    return false;
  }
  bool adopted = positions::Adopted(rule, tally);
  std::string outcome = adopted ? "adopted" : "not_adopted";
  std::string closed_by = early ? "all_stands" : "deadline";
  // The one statement that decides who closes it: only the caller whose UPDATE changed the row
  // goes on to record the outcome.
  GMG_ASSIGN_OR_RETURN(int64_t changed,
                       tx.Exec("UPDATE position_rounds SET status = 'closed', outcome = ?, "
                               "tally = ?, closed_at = ?, closed_by = ? WHERE id = ? AND "
                               "status = 'open'",
                               {outcome, positions::TallyToJson(tally), now, closed_by, round_id}));
  if (changed != 1) return false;
  GMG_ASSIGN_OR_RETURN(Position p, LoadPosition(tx, r.position_id));
  GMG_RETURN_IF_ERROR(
      tx.Exec("UPDATE positions SET status = ?, adopted_at = ?, version = "
              "version + 1, updated_at = ? WHERE id = ?",
              {outcome, adopted ? SqlValue(now) : SqlValue(nullptr), now, p.id}));
  GMG_RETURN_IF_ERROR(RecordAudit(
      tx, Scheduler(), "close", "round", std::to_string(round_id), json::object{{"status", "open"}},
      json::object{{"status", "closed"},
                   {"outcome", outcome},
                   {"tally", json::parse(positions::TallyToJson(tally))},
                   {"closed_by", closed_by}}));
  NewNotification n;
  n.kind = NotificationKind::kRoundOutcome;
  n.params = {{"position", p.title}, {"outcome", outcome}, {"tally", TallyLabel(tally)}};
  n.link = "/positions/" + std::to_string(p.id);
  n.entity = "position";
  n.entity_id = p.id;
  n.audience.organization_ids = r.electorate;
  n.audience.staff = true;
  GMG_RETURN_IF_ERROR(notify_(tx, n));
  return true;
}

Status PositionService::CloseIfDue(int64_t position_id) {
  int64_t now = now_();
  std::optional<int64_t> due;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM position_rounds WHERE "
                                               "position_id = ? AND status = 'open' AND "
                                               "deadline <= ?",
                                               {position_id, now}));
    if (row) due = row->Int(0);
    return Ok();
  }));
  if (!due) return Ok();
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto current, CurrentMembers(tx));
    return StatusOf(CloseInTx(tx, *due, current, false));
  });
}

Result<int> PositionService::CloseDueRounds() {
  int64_t now = now_();
  std::vector<int64_t> due;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM position_rounds WHERE status = "
                                             "'open' AND deadline <= ? ORDER BY deadline, id",
                                             {now}));
    for (const Row& r : rows) due.push_back(r.Int(0));
    return Ok();
  }));
  int closed = 0;
  for (int64_t id : due) {
    bool mine = false;
    GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto current, CurrentMembers(tx));
      GMG_ASSIGN_OR_RETURN(mine, CloseInTx(tx, id, current, false));
      return Ok();
    }));
    if (mine) ++closed;
  }
  return closed;
}

Result<int> PositionService::SendReminders() {
  int64_t now = now_();
  std::vector<int64_t> soon;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM position_rounds WHERE status = "
                                             "'open' AND reminded = 0 AND deadline > ? AND "
                                             "deadline <= ? ORDER BY id",
                                             {now, now + kReminderBeforeSeconds}));
    for (const Row& r : rows) soon.push_back(r.Int(0));
    return Ok();
  }));
  if (soon.empty()) return 0;
  int sent = 0;
  for (int64_t id : soon) {
    GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(int64_t changed,
                           tx.Exec("UPDATE position_rounds SET reminded = 1 WHERE id = ? AND "
                                   "reminded = 0 AND status = 'open'",
                                   {id}));
      if (changed != 1) return Ok();
      ++sent;
      GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kRoundCols +
                                                     " FROM position_rounds WHERE id = ?",
                                                 {id}));
      Round r = RoundFromRow(*row);
      GMG_ASSIGN_OR_RETURN(auto stands, StandMap(tx, id));
      GMG_ASSIGN_OR_RETURN(Position p, LoadPosition(tx, r.position_id));
      GMG_ASSIGN_OR_RETURN(auto current, CurrentMembers(tx));
      NewNotification n;
      n.kind = NotificationKind::kRoundDeadlineSoon;
      n.params = {{"position", p.title}, {"deadline", FormatTimestamp(r.deadline)}};
      n.link = "/positions/" + std::to_string(p.id);
      n.entity = "position";
      n.entity_id = p.id;
      for (const auto& org : r.electorate) {
        if (current.contains(org) && !stands.contains(org)) {
          n.audience.organization_ids.push_back(org);
        }
      }
      if (n.audience.organization_ids.empty()) return Ok();
      return notify_(tx, n);
    }));
  }
  return sent;
}

Status PositionService::RunJobs() {
  GMG_RETURN_IF_ERROR(CloseDueRounds());
  return StatusOf(SendReminders());
}

// --- Stands ---------------------------------------------------------------------------------

Result<Round> PositionService::TakeStand(const Principal& actor, int64_t id, int64_t round_id,
                                         const std::string& organization_id,
                                         const std::string& stand_name, const std::string& reason) {
  auto stand = positions::ParseStand(stand_name);
  if (!stand) {
    return FieldError(ErrorCode::kFailedPrecondition, "stand", "must be endorse, object or abstain",
                      "not_in_list");
  }
  if (*stand == positions::Stand::kObject && reason.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "reason", "an objection needs a reason",
                      "required");
  }
  GMG_RETURN_IF_ERROR(CheckText("reason", reason, kMaxReason, true));
  std::string org = organization_id.empty() ? actor.organization_id : organization_id;
  if (org.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "organization_id",
                      "names the organisation you stand for", "required");
  }
  // A stand after the deadline closes the round first (no job needed) and is then refused.
  GMG_RETURN_IF_ERROR(CloseIfDue(id));
  int64_t now = now_();
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Position p, LoadVisible(tx, actor, id));
    GMG_ASSIGN_OR_RETURN(Round r, LoadRound(tx, id, round_id));
    GMG_ASSIGN_OR_RETURN(auto current, CurrentMembers(tx));
    if (std::find(r.electorate.begin(), r.electorate.end(), org) == r.electorate.end()) {
      return Denied(org + " is not in this round's electorate (the members when it opened)");
    }
    if (!current.contains(org)) {
      return Denied(org + " is no longer a member of the GMG");
    }
    bool as_delegate = false;
    if (!IsFocalPointOf(actor, org)) {
      GMG_ASSIGN_OR_RETURN(auto d, tx.QueryOne("SELECT id FROM position_delegations WHERE "
                                               "organization_id = ? AND delegate_user_id = ? AND "
                                               "revoked_at IS NULL AND (round_id IS NULL OR "
                                               "round_id = ?)",
                                               {org, actor.user_id, round_id}));
      if (!d || actor.user_id <= 0 || actor.organization_id != org) {
        return Denied("only " + org + "'s focal point, or a user it delegated, stands for it");
      }
      as_delegate = true;
    }
    if (r.status != "open" || r.deadline <= now) {
      return MakeError(ErrorCode::kConflict, "the round is " +
                                                 std::string(r.status == "open" ? "past its "
                                                                                  "deadline"
                                                                                : r.status) +
                                                 ": no more stands");
    }
    std::string name = actor.name.empty() ? actor.email : actor.name;
    GMG_ASSIGN_OR_RETURN(
        int64_t n, tx.Exec("INSERT INTO position_stands (round_id, organization_id, stand, "
                           "reason, user_id, user_name, as_delegate, created_at) VALUES (?, ?, ?, "
                           "?, ?, ?, ?, ?) ON CONFLICT (round_id, organization_id) DO NOTHING",
                           {round_id, org, std::string(positions::StandName(*stand)), reason,
                            actor.user_id, name, int64_t{as_delegate ? 1 : 0}, now}));
    if (n == 0) {
      return MakeError(ErrorCode::kConflict, org + " has already stood in this round");
    }
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "stand", "stand",
                                    std::to_string(round_id) + "/" + org, nullptr,
                                    json::object{{"position", p.id},
                                                 {"stand", positions::StandName(*stand)},
                                                 {"reason", reason},
                                                 {"as_delegate", as_delegate}}));
    return StatusOf(CloseInTx(tx, round_id, current, /*early=*/true));
  }));
  return GetRound(actor, id, round_id);
}

Result<std::vector<std::string>> PositionService::StandableFor(const Principal& actor,
                                                               const Round& round) {
  std::vector<std::string> out;
  if (round.status != "open" || round.deadline <= now_() || !actor.IsMemberStaff()) return out;
  const std::string& org = actor.organization_id;
  if (std::find(round.electorate.begin(), round.electorate.end(), org) == round.electorate.end()) {
    return out;
  }
  GMG_ASSIGN_OR_RETURN(Members members, LoadMembers());
  if (!members.current.contains(org)) return out;
  bool may = IsFocalPointOf(actor, org);
  if (!may) {
    GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto d, tx.QueryOne("SELECT id FROM position_delegations WHERE "
                                               "organization_id = ? AND delegate_user_id = ? AND "
                                               "revoked_at IS NULL AND (round_id IS NULL OR "
                                               "round_id = ?)",
                                               {org, actor.user_id, round.id}));
      may = d.has_value();
      return Ok();
    }));
  }
  if (may) out.push_back(org);
  return out;
}

// --- Delegations ----------------------------------------------------------------------------

Result<std::vector<Delegation>> PositionService::ListDelegations(const Principal& viewer,
                                                                 const std::string& org_id) {
  if (!viewer.IsStaff() && !(viewer.IsMemberStaff() && viewer.organization_id == org_id)) {
    return Denied("only " + org_id +
                  "'s focal points and members, or the secretariat, see its "
                  "delegations");
  }
  std::vector<Delegation> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, organization_id, delegate_user_id, "
                                             "granted_by, round_id, created_at, revoked_at FROM "
                                             "position_delegations WHERE organization_id = ? "
                                             "ORDER BY id DESC",
                                             {org_id}));
    for (const Row& r : rows) {
      out.push_back(
          {r.Int(0), r.Text(1), r.Int(2), "", r.Int(3), OptInt(r, 4), r.Int(5), OptInt(r, 6)});
    }
    return Ok();
  }));
  for (Delegation& d : out) {
    auto user = auth_().GetUser(d.delegate_user_id);
    d.delegate_name = user.ok() ? user->name : "";
  }
  return out;
}

Result<Delegation> PositionService::Delegate(const Principal& actor, const std::string& org_id,
                                             int64_t delegate_user_id,
                                             std::optional<int64_t> round_id) {
  if (!IsFocalPointOf(actor, org_id)) {
    return Denied("only " + org_id + "'s focal point delegates its stands");
  }
  auto user = auth_().GetUser(delegate_user_id);
  if (!user.ok() || !user->active || user->organization_id != org_id ||
      user->role != Role::kMember) {
    return FieldError(ErrorCode::kFailedPrecondition, "delegate_user_id",
                      "must be an active member user of " + org_id, "not_a_member_user");
  }
  int64_t now = now_();
  Delegation out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    if (round_id) {
      GMG_ASSIGN_OR_RETURN(
          auto r, tx.QueryOne("SELECT status FROM position_rounds WHERE id = ?", {*round_id}));
      if (!r || r->Text(0) != "open") {
        return FieldError(ErrorCode::kFailedPrecondition, "round_id", "must be an open round",
                          "not_open");
      }
    }
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO position_delegations (organization_id, "
                              "delegate_user_id, granted_by, round_id, created_at) VALUES (?, ?, "
                              "?, ?, ?) RETURNING id",
                              {org_id, delegate_user_id, actor.user_id,
                               round_id ? SqlValue(*round_id) : SqlValue(nullptr), now}));
    out = {row->Int(0), org_id, delegate_user_id, user->name, actor.user_id, round_id, now, {}};
    return RecordAudit(tx, actor, "create", "delegation", std::to_string(out.id), nullptr,
                       json::object{{"organization_id", org_id},
                                    {"delegate_user_id", delegate_user_id},
                                    {"round_id", round_id ? json::value(*round_id) : nullptr}});
  }));
  return out;
}

Result<Delegation> PositionService::RevokeDelegation(const Principal& actor,
                                                     const std::string& org_id,
                                                     int64_t delegation_id) {
  if (!IsFocalPointOf(actor, org_id) && !actor.IsStaff()) {
    return Denied("only " + org_id + "'s focal point or the secretariat revokes its delegations");
  }
  int64_t now = now_();
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT revoked_at FROM position_delegations "
                                               "WHERE id = ? AND organization_id = ?",
                                               {delegation_id, org_id}));
    if (!row) {
      return MakeError(ErrorCode::kNotFound, "no delegation " + std::to_string(delegation_id));
    }
    if (!row->IsNull(0)) return MakeError(ErrorCode::kConflict, "already revoked");
    GMG_RETURN_IF_ERROR(tx.Exec("UPDATE position_delegations SET revoked_at = ? WHERE id = ?",
                                {now, delegation_id}));
    return RecordAudit(tx, actor, "revoke", "delegation", std::to_string(delegation_id),
                       json::object{{"revoked_at", nullptr}}, json::object{{"revoked_at", now}});
  }));
  GMG_ASSIGN_OR_RETURN(auto all, ListDelegations(actor, org_id));
  for (auto& d : all) {
    if (d.id == delegation_id) return std::move(d);
  }
  return MakeError(ErrorCode::kNotFound, "no delegation " + std::to_string(delegation_id));
}

Result<std::vector<Position>> PositionService::GetMany(const Principal& viewer,
                                                       const std::vector<int64_t>& ids) {
  std::vector<Position> out;
  if (ids.empty()) return out;
  GMG_RETURN_IF_ERROR(StatusOf(CloseDueRounds()));
  json::array list;
  for (int64_t id : ids) list.emplace_back(id);
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    std::string query = std::string("SELECT ") + kPositionCols + " FROM positions WHERE id" +
                        std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers));
    if (!IsInsider(viewer)) query += kPublicWhere;
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(query + " ORDER BY id", {json::serialize(list)}));
    for (const Row& r : rows) out.push_back(PositionFromRow(r));
    return Ok();
  }));
  return out;
}

}  // namespace gmg
