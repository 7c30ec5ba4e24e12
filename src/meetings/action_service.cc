#include "meetings/action_service.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "core/access_policy.h"
#include "governance/organization_directory.h"
#include "meetings/minutes_service.h"

namespace gmg {
namespace {

constexpr size_t kMaxTitleBytes = 300;
constexpr size_t kMaxDescriptionBytes = 10000;
constexpr size_t kMaxNoteBytes = 10000;

// The columns ActionFromRow reads; the owner's name comes from governance's organisations.
constexpr const char* kSelect =
    "SELECT a.id, a.meeting_id, m.title, a.decision_id, a.initiative_id, a.title, a.description, "
    "a.owner_org, o.name, a.due_date, a.status, "
    "(SELECT count(*) FROM meeting_action_notes n WHERE n.action_id = a.id), "
    "a.created_at, a.updated_at, a.version "
    "FROM meeting_actions a LEFT JOIN meetings m ON m.id = a.meeting_id "
    "LEFT JOIN organizations o ON o.id = a.owner_org ";

bool IsOpenStatus(const std::string& s) { return s == "open" || s == "in_progress"; }

Action ActionFromRow(const Row& r, const std::string& today) {
  Action a;
  a.id = r.Int(0);
  if (!r.IsNull(1)) a.meeting_id = r.Int(1);
  a.meeting_title = r.Text(2);
  if (!r.IsNull(3)) a.decision_id = r.Int(3);
  if (!r.IsNull(4)) a.initiative_id = r.Int(4);
  a.title = r.Text(5);
  a.description = r.Text(6);
  a.owner_org = r.Text(7);
  a.owner_name = r.IsNull(8) ? a.owner_org : r.Text(8);
  a.due_date = r.Text(9);
  a.status = r.Text(10);
  a.overdue = IsOpenStatus(a.status) && a.due_date < today;
  a.notes_count = r.Int(11);
  a.created_at = r.Int(12);
  a.updated_at = r.Int(13);
  a.version = r.Int(14);
  return a;
}

Result<Action> LoadAction(Tx& tx, int64_t id, const std::string& today) {
  GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string(kSelect) + "WHERE a.id = ?", {id}));
  if (!r) return MakeError(ErrorCode::kNotFound, "no action " + std::to_string(id));
  return ActionFromRow(*r, today);
}

boost::json::object ActionAudit(const Action& a) {
  return {{"title", a.title},
          {"owner_org", a.owner_org},
          {"due_date", a.due_date},
          {"status", a.status},
          {"description", a.description}};
}

bool IsOwnerStaff(const Principal& p, const std::string& owner) {
  return p.IsMemberStaff() && p.organization_id == owner;
}

Status CheckMayProgress(const Principal& actor, const std::string& owner) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (actor.IsStaff() || IsOwnerStaff(actor, owner)) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   "only " + owner +
                       "'s focal points and members, the secretariat or an "
                       "administrator update this action");
}

Status CheckStatus(const std::string& status) {
  if (IsActionStatus(status)) return Ok();
  return FieldError(ErrorCode::kFailedPrecondition, "status",
                    "must be open, in_progress, done or dropped", "not_in_list");
}

Status CheckLength(const char* field, const std::string& text, size_t min, size_t max) {
  if (text.size() >= min && text.size() <= max) return Ok();
  return FieldError(ErrorCode::kFailedPrecondition, field,
                    "must be " + std::to_string(min) + " to " + std::to_string(max) + " bytes",
                    "length", {{"max", std::to_string(max)}});
}

Status CheckOwner(Tx& tx, const std::string& org) {
  GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, org));
  if (exists) return Ok();
  return FieldError(ErrorCode::kFailedPrecondition, "owner_org", "no organisation '" + org + "'",
                    "unknown");
}

// Fills in the meeting from the decision and checks that they agree and exist.
Status CheckOrigin(Tx& tx, NewAction& a) {
  if (a.decision_id) {
    GMG_ASSIGN_OR_RETURN(auto d, tx.QueryOne("SELECT meeting_id FROM meeting_decisions "
                                             "WHERE id = ?",
                                             {*a.decision_id}));
    if (!d) {
      return FieldError(ErrorCode::kFailedPrecondition, "decision_id", "no such decision",
                        "unknown");
    }
    if (a.meeting_id && *a.meeting_id != d->Int(0)) {
      return FieldError(ErrorCode::kFailedPrecondition, "decision_id",
                        "is not a decision of meeting " + std::to_string(*a.meeting_id),
                        "not_in_meeting");
    }
    a.meeting_id = d->Int(0);
  }
  if (a.meeting_id) {
    GMG_ASSIGN_OR_RETURN(auto m,
                         tx.QueryOne("SELECT id FROM meetings WHERE id = ?", {*a.meeting_id}));
    if (!m) {
      return FieldError(ErrorCode::kFailedPrecondition, "meeting_id", "no such meeting", "unknown");
    }
  }
  return Ok();
}

SqlValue OptInt(const std::optional<int64_t>& v) { return v ? SqlValue(*v) : SqlValue(nullptr); }

Status NotifyAssigned(const Notifier& notify, Tx& tx, const Action& a) {
  NewNotification n;
  n.kind = NotificationKind::kActionAssigned;
  n.params = {{"action", a.title}, {"due_date", a.due_date}, {"meeting", a.meeting_title}};
  n.link = "/actions/" + std::to_string(a.id);
  n.entity = "action";
  n.entity_id = a.id;
  n.audience.organization_ids = {a.owner_org};
  return notify(tx, n);
}

std::string UserName(const Principal& p) { return p.name.empty() ? p.email : p.name; }

}  // namespace

bool IsActionStatus(const std::string& s) {
  return s == "open" || s == "in_progress" || s == "done" || s == "dropped";
}

ActionService::ActionService(Database& db, Notifier notify, std::function<int64_t()> now,
                             InitiativeCheck initiative_exists)
    : db_(db),
      notify_(std::move(notify)),
      now_(std::move(now)),
      initiative_exists_(std::move(initiative_exists)) {}

std::string ActionService::Today() const { return FormatTimestamp(now_()).substr(0, 10); }

Status ActionService::CheckInitiative(std::optional<int64_t> id) const {
  if (!id) return Ok();
  if (!initiative_exists_) {
    return FieldError(ErrorCode::kFailedPrecondition, "initiative_id",
                      "initiatives are not available here", "unknown");
  }
  GMG_ASSIGN_OR_RETURN(bool exists, initiative_exists_(*id));
  if (!exists) {
    return FieldError(ErrorCode::kFailedPrecondition, "initiative_id", "no such initiative",
                      "unknown");
  }
  return Ok();
}

Result<Action> ActionService::Create(const Principal& actor, const NewAction& in) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "create actions"));
  GMG_RETURN_IF_ERROR(CheckLength("title", in.title, 1, kMaxTitleBytes));
  GMG_RETURN_IF_ERROR(CheckLength("description", in.description, 0, kMaxDescriptionBytes));
  GMG_RETURN_IF_ERROR(CheckStatus(in.status));
  GMG_RETURN_IF_ERROR(CheckInitiative(in.initiative_id));
  int64_t now = now_();
  std::string today = Today();
  Action out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    NewAction a = in;
    GMG_RETURN_IF_ERROR(CheckOwner(tx, a.owner_org));
    GMG_RETURN_IF_ERROR(CheckOrigin(tx, a));
    GMG_ASSIGN_OR_RETURN(
        auto id,
        tx.QueryOne("INSERT INTO meeting_actions (meeting_id, "
                    "decision_id, initiative_id, title, description, "
                    "owner_org, due_date, status, created_at, "
                    "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) "
                    "RETURNING id",
                    {OptInt(a.meeting_id), OptInt(a.decision_id), OptInt(a.initiative_id), a.title,
                     a.description, a.owner_org, a.due_date.ToString(), a.status, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadAction(tx, id->Int(0), today));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "create", "action", std::to_string(out.id), nullptr,
                                    ActionAudit(out)));
    return NotifyAssigned(notify_, tx, out);
  }));
  return out;
}

Result<ActionPage> ActionService::List(const ActionFilter& f) {
  std::string where = "WHERE 1 = 1";
  SqlParams params;
  if (f.organization) {
    where += " AND a.owner_org = ?";
    params.emplace_back(*f.organization);
  }
  if (f.status) {
    where += " AND a.status = ?";
    params.emplace_back(*f.status);
  }
  std::string today = Today();
  if (f.overdue_only) {
    where += " AND a.status IN ('open','in_progress') AND a.due_date < ?";
    params.emplace_back(today);
  }
  if (f.meeting_id) {
    where += " AND a.meeting_id = ?";
    params.emplace_back(*f.meeting_id);
  }
  if (f.initiative_id) {
    where += " AND a.initiative_id = ?";
    params.emplace_back(*f.initiative_id);
  }
  ActionPage page;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto n,
                         tx.QueryOne("SELECT count(*) FROM meeting_actions a " + where, params));
    page.total = n->Int(0);
    SqlParams p = params;
    std::string sql = std::string(kSelect) + where;
    if (f.after_id) {
      sql += " AND a.id > ?";
      p.emplace_back(*f.after_id);
    }
    sql += " ORDER BY a.id LIMIT ?";
    p.emplace_back(f.limit + 1);
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, p));
    for (const Row& r : rows) page.items.push_back(ActionFromRow(r, today));
    return Ok();
  }));
  if (static_cast<int64_t>(page.items.size()) > f.limit) {
    page.items.resize(static_cast<size_t>(f.limit));
    page.next_after_id = page.items.back().id;
  }
  return page;
}

Result<Action> ActionService::Get(const Principal& viewer, int64_t id) {
  GMG_RETURN_IF_ERROR(CheckMaySeeMeetingDrafts(viewer));
  Action out;
  std::string today = Today();
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadAction(tx, id, today));
    return Ok();
  }));
  return out;
}

Result<Action> ActionService::Update(const Principal& actor, int64_t id, int64_t if_version,
                                     const ActionChange& c) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (c.title) GMG_RETURN_IF_ERROR(CheckLength("title", *c.title, 1, kMaxTitleBytes));
  if (c.description) {
    GMG_RETURN_IF_ERROR(CheckLength("description", *c.description, 0, kMaxDescriptionBytes));
  }
  if (c.status) GMG_RETURN_IF_ERROR(CheckStatus(*c.status));
  int64_t now = now_();
  std::string today = Today();
  Action out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Action before, LoadAction(tx, id, today));
    GMG_RETURN_IF_ERROR(CheckMayProgress(actor, before.owner_org));
    if ((c.title || c.description || c.owner_org || c.due_date) && !actor.IsStaff()) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only the secretariat or an administrator changes an action's title, "
                       "description, owner or due date");
    }
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this action"));
    if (c.owner_org) GMG_RETURN_IF_ERROR(CheckOwner(tx, *c.owner_org));
    Action after = before;
    if (c.title) after.title = *c.title;
    if (c.description) after.description = *c.description;
    if (c.owner_org) after.owner_org = *c.owner_org;
    if (c.due_date) after.due_date = c.due_date->ToString();
    if (c.status) after.status = *c.status;
    // A new due date may fall due again: its overdue notice is sent afresh.
    bool renotify = after.due_date != before.due_date;
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE meeting_actions SET title = ?, description = ?, "
                "owner_org = ?, due_date = ?, status = ?, updated_at = ?, "
                "overdue_notified = CASE WHEN ? = 1 THEN 0 "
                "ELSE overdue_notified END, version = version + 1 WHERE id = ?",
                {after.title, after.description, after.owner_org, after.due_date, after.status, now,
                 int64_t{renotify ? 1 : 0}, id}));
    GMG_ASSIGN_OR_RETURN(out, LoadAction(tx, id, today));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "update", "action", std::to_string(id),
                                    ActionAudit(before), ActionAudit(out)));
    if (out.owner_org != before.owner_org) return NotifyAssigned(notify_, tx, out);
    return Ok();
  }));
  return out;
}

Result<std::vector<ActionNote>> ActionService::ListNotes(const Principal& viewer, int64_t id) {
  GMG_RETURN_IF_ERROR(CheckMaySeeMeetingDrafts(viewer));
  std::vector<ActionNote> out;
  std::string today = Today();
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadAction(tx, id, today));
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, action_id, user_name, status, text, "
                                             "created_at FROM meeting_action_notes "
                                             "WHERE action_id = ? ORDER BY id",
                                             {id}));
    for (const Row& r : rows) {
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.OptText(3), r.Text(4), r.Int(5)});
    }
    return Ok();
  }));
  return out;
}

Result<ActionNote> ActionService::AddNote(const Principal& actor, int64_t id,
                                          const std::string& text,
                                          std::optional<std::string> status) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  GMG_RETURN_IF_ERROR(CheckLength("text", text, 1, kMaxNoteBytes));
  if (status) GMG_RETURN_IF_ERROR(CheckStatus(*status));
  int64_t now = now_();
  std::string today = Today();
  ActionNote note{0, id, UserName(actor), status, text, now};
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Action before, LoadAction(tx, id, today));
    GMG_RETURN_IF_ERROR(CheckMayProgress(actor, before.owner_org));
    GMG_ASSIGN_OR_RETURN(
        auto nid, tx.QueryOne("INSERT INTO meeting_action_notes (action_id, "
                              "user_id, user_name, status, text, created_at) "
                              "VALUES (?,?,?,?,?,?) RETURNING id",
                              {id, actor.user_id ? SqlValue(actor.user_id) : SqlValue(nullptr),
                               note.user_name, OptionalText(status), text, now}));
    note.id = nid->Int(0);
    boost::json::object after{{"note_id", note.id}, {"text", text}};
    if (status && *status != before.status) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("UPDATE meeting_actions SET status = ?, updated_at = ?, "
                  "version = version + 1 WHERE id = ?",
                  {*status, now, id}));
      after["status"] = *status;
    } else {
      GMG_RETURN_IF_ERROR(
          tx.Exec("UPDATE meeting_actions SET updated_at = ? WHERE id = ?", {now, id}));
    }
    return RecordAudit(tx, actor, "note", "action", std::to_string(id),
                       boost::json::object{{"status", before.status}}, after);
  }));
  return note;
}

Result<OrganizationActions> ActionService::ForOrganization(const Principal& viewer,
                                                           const std::string& org, int64_t limit) {
  GMG_RETURN_IF_ERROR(CheckMaySeeMeetingDrafts(viewer));
  std::string today = Today();
  OrganizationActions out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    // Two statements (on PostgreSQL each is a round trip). First whether the organisation
    // exists (governance's OrganizationExists, folded in) and both counts, each an index range
    // of (owner_org, status, due_date), the overdue one bounded by due_date.
    GMG_ASSIGN_OR_RETURN(auto n, tx.QueryOne("SELECT (SELECT count(*) FROM organizations "
                                             "WHERE id = ?), (SELECT count(*) FROM "
                                             "meeting_actions WHERE owner_org = ? AND status IN "
                                             "('open', 'in_progress')), (SELECT count(*) FROM "
                                             "meeting_actions WHERE owner_org = ? AND status IN "
                                             "('open', 'in_progress') AND due_date < ?)",
                                             {org, org, org, today}));
    if (n->Int(0) == 0) return MakeError(ErrorCode::kNotFound, "no organisation '" + org + "'");
    out.open_total = n->Int(1);
    out.overdue_total = n->Int(2);
    if (out.open_total == 0) return Ok();
    // Then the page: its ids first, from one index range per status, each in (due date, id)
    // order and cut at `limit`, merged and cut again; only those `limit` rows are joined to
    // their meeting, owner and note count.
    GMG_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("WITH p AS (SELECT id, due_date FROM ("
                 "SELECT * FROM (SELECT id, due_date FROM meeting_actions WHERE owner_org = ? "
                 "AND status = 'open' ORDER BY due_date, id LIMIT ?) AS o UNION ALL "
                 "SELECT * FROM (SELECT id, due_date FROM meeting_actions WHERE owner_org = ? "
                 "AND status = 'in_progress' ORDER BY due_date, id LIMIT ?) AS q) AS u "
                 "ORDER BY due_date, id LIMIT ?) " +
                     std::string(kSelect) + "JOIN p ON p.id = a.id ORDER BY p.due_date, p.id",
                 {org, limit, org, limit, limit}));
    for (const Row& r : rows) out.items.push_back(ActionFromRow(r, today));
    return Ok();
  }));
  return out;
}

Result<int> ActionService::NotifyOverdue(int batch) {
  std::string today = Today();
  int sent = 0;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM meeting_actions "
                                             "WHERE overdue_notified = 0 AND "
                                             "status IN ('open','in_progress') AND due_date < ? "
                                             "ORDER BY id LIMIT ?",
                                             {today, int64_t{batch}}));
    for (const Row& r : rows) {
      // Only the writer that flips the flag sends the notice.
      GMG_ASSIGN_OR_RETURN(int64_t changed,
                           tx.Exec("UPDATE meeting_actions SET overdue_notified = 1 "
                                   "WHERE id = ? AND overdue_notified = 0",
                                   {r.Int(0)}));
      if (changed != 1) continue;
      GMG_ASSIGN_OR_RETURN(Action a, LoadAction(tx, r.Int(0), today));
      NewNotification n;
      n.kind = NotificationKind::kActionOverdue;
      n.params = {{"action", a.title}, {"due_date", a.due_date}};
      n.link = "/actions/" + std::to_string(a.id);
      n.entity = "action";
      n.entity_id = a.id;
      n.audience.organization_ids = {a.owner_org};
      GMG_RETURN_IF_ERROR(notify_(tx, n));
      ++sent;
    }
    return Ok();
  }));
  return sent;
}

}  // namespace gmg
