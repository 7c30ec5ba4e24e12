#include "meetings/minutes_service.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "core/access_policy.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace {

constexpr size_t kMaxDecisionBytes = 10000;
constexpr size_t kMaxCommentBytes = 20000;

Error Conflict(std::string message, const char* rule) {
  Error e = MakeError(ErrorCode::kConflict, std::move(message));
  e.details.emplace_back("status", e.message, rule);
  return e;
}

Error Stale() {
  return MakeError(ErrorCode::kPreconditionFailed,
                   "these minutes were changed by someone else since you read them; reload and "
                   "try again");
}

Error Locked(int64_t approved_at) {
  std::string day = FormatTimestamp(approved_at).substr(0, 10);
  return Conflict("minutes approved on " + day + " are locked", "minutes_locked");
}

Status CheckText(const std::string& text) {
  if (text.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "text", "must not be empty", "required");
  }
  if (text.size() > kMaxMinutesBytes) {
    return FieldError(ErrorCode::kFailedPrecondition, "text",
                      "minutes may be at most 200 KB of Markdown", "too_long",
                      {{"max", std::to_string(kMaxMinutesBytes)}});
  }
  return Ok();
}

// The meeting's title, or kNotFound.
Result<std::string> MeetingTitle(Tx& tx, int64_t meeting_id) {
  GMG_ASSIGN_OR_RETURN(auto row,
                       tx.QueryOne("SELECT title FROM meetings WHERE id = ?", {meeting_id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no meeting " + std::to_string(meeting_id));
  return row->Text(0);
}

constexpr const char* kMinutesColumns =
    "SELECT meeting_id, status, comments_until, approved_at, approved_by, current_version, "
    "version FROM meeting_minutes WHERE meeting_id = ?";

Minutes MinutesFromRow(const Row& r) {
  Minutes m;
  m.meeting_id = r.Int(0);
  m.status = r.Text(1);
  if (!r.IsNull(2)) m.comments_until = r.Int(2);
  if (!r.IsNull(3)) m.approved_at = r.Int(3);
  if (!r.IsNull(4)) m.approved_by = r.Int(4);
  m.current_version = r.Int(5);
  m.version = r.Int(6);
  return m;
}

Result<std::optional<Minutes>> FindMinutes(Tx& tx, int64_t meeting_id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(kMinutesColumns, {meeting_id}));
  if (!row) return std::optional<Minutes>();
  return std::optional<Minutes>(MinutesFromRow(*row));
}

// The minutes with their current text and version list, or kNotFound.
Result<Minutes> LoadMinutes(Tx& tx, int64_t meeting_id) {
  GMG_RETURN_IF_ERROR(MeetingTitle(tx, meeting_id));
  GMG_ASSIGN_OR_RETURN(auto found, FindMinutes(tx, meeting_id));
  if (!found) {
    return MakeError(ErrorCode::kNotFound,
                     "meeting " + std::to_string(meeting_id) + " has no minutes yet");
  }
  Minutes m = std::move(*found);
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT number, user_name, note, created_at, text "
                                           "FROM meeting_minutes_versions WHERE meeting_id = ? "
                                           "ORDER BY number",
                                           {meeting_id}));
  for (const Row& r : rows) {
    m.versions.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3)});
    if (r.Int(0) == m.current_version) m.text = r.Text(4);
  }
  return m;
}

boost::json::object MinutesAudit(const Minutes& m) {
  boost::json::object o{{"status", m.status}, {"current_version", m.current_version}};
  if (m.comments_until) o["comments_until"] = FormatTimestamp(*m.comments_until);
  if (m.approved_at) o["approved_at"] = FormatTimestamp(*m.approved_at);
  return o;
}

boost::json::object DecisionAudit(const Decision& d) {
  boost::json::object o{{"meeting_id", d.meeting_id}, {"text", d.text}};
  o["agenda_item_id"] = d.agenda_item_id ? boost::json::value(*d.agenda_item_id) : nullptr;
  return o;
}

Status CheckStaff(const Principal& actor, std::string_view what) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  return AccessPolicy::CheckManagesGmg(actor, what);
}

// Member organisations that are members today.
Result<std::vector<std::string>> CurrentMembers(Tx& tx, int64_t now) {
  std::string today = FormatTimestamp(now).substr(0, 10);
  GMG_ASSIGN_OR_RETURN(auto ids, ListOrganizationIds(tx, std::string("member")));
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    GMG_ASSIGN_OR_RETURN(bool member, IsMemberOn(tx, id, today));
    if (member) out.push_back(id);
  }
  return out;
}

Status CheckAgendaItem(Tx& tx, int64_t meeting_id, int64_t item) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT meeting_id FROM meeting_agenda_items "
                                             "WHERE id = ?",
                                             {item}));
  if (!row || row->Int(0) != meeting_id) {
    return FieldError(ErrorCode::kFailedPrecondition, "agenda_item_id",
                      "is not an agenda item of meeting " + std::to_string(meeting_id),
                      "not_in_meeting");
  }
  return Ok();
}

Result<Decision> LoadDecision(Tx& tx, int64_t meeting_id, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT id, meeting_id, agenda_item_id, text, "
                                           "created_at FROM meeting_decisions "
                                           "WHERE id = ? AND meeting_id = ?",
                                           {id, meeting_id}));
  if (!r) {
    return MakeError(ErrorCode::kNotFound, "no decision " + std::to_string(id) + " of meeting " +
                                               std::to_string(meeting_id));
  }
  Decision d{r->Int(0), r->Int(1), std::nullopt, r->Text(3), r->Int(4)};
  if (!r->IsNull(2)) d.agenda_item_id = r->Int(2);
  return d;
}

}  // namespace

Status CheckMaySeeMeetingDrafts(const Principal& viewer) {
  if (!viewer.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (viewer.IsStaff() || viewer.IsMemberStaff()) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the secretariat and members' staff see this before it is approved");
}

Status CheckMaySeeMinutesVersion(const Principal& viewer, const Minutes& minutes, int64_t number) {
  if (minutes.status != "approved") return CheckMaySeeMeetingDrafts(viewer);
  if (number == minutes.current_version) return Ok();
  if (!viewer.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (viewer.IsStaff() || viewer.IsMemberStaff()) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   "only the secretariat and members' staff see earlier versions of approved "
                   "minutes; the approved text is version " +
                       std::to_string(minutes.current_version));
}

MinutesService::MinutesService(Database& db, Notifier notify, std::function<int64_t()> now)
    : db_(db), notify_(std::move(notify)), now_(std::move(now)) {}

Result<Minutes> MinutesService::Get(const Principal& viewer, int64_t meeting_id) {
  Minutes out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadMinutes(tx, meeting_id));
    return Ok();
  }));
  if (Status insider = CheckMaySeeMeetingDrafts(viewer); !insider.ok()) {
    if (out.status != "approved") return insider.error();
    // A reader outside the GMG gets the approved text and its own version, not the history.
    std::erase_if(out.versions,
                  [&](const MinutesVersionInfo& v) { return v.number != out.current_version; });
  }
  return out;
}

Result<Minutes> MinutesService::Save(const Principal& actor, int64_t meeting_id,
                                     std::optional<int64_t> if_version, const std::string& text,
                                     const std::string& note) {
  GMG_RETURN_IF_ERROR(CheckStaff(actor, "write minutes"));
  GMG_RETURN_IF_ERROR(CheckText(text));
  int64_t now = now_();
  Minutes out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(MeetingTitle(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(auto found, FindMinutes(tx, meeting_id));
    boost::json::value before = nullptr;
    int64_t number = 1;
    if (found) {
      if (found->status == "approved") return Locked(found->approved_at.value_or(0));
      if (!if_version) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "If-Match: required (the minutes' ETag) to save a new version");
      }
      if (*if_version != found->version) return Stale();
      before = MinutesAudit(*found);
      number = found->current_version + 1;
      GMG_RETURN_IF_ERROR(
          tx.Exec("UPDATE meeting_minutes SET current_version = ?, "
                  "version = version + 1 WHERE meeting_id = ?",
                  {number, meeting_id}));
    } else {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO meeting_minutes (meeting_id, status, "
                  "current_version, version) VALUES (?, 'draft', 1, 1)",
                  {meeting_id}));
    }
    GMG_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO meeting_minutes_versions (meeting_id, number, text, "
        "user_id, user_name, note, created_at) VALUES (?,?,?,?,?,?,?)",
        {meeting_id, number, text, actor.user_id ? SqlValue(actor.user_id) : SqlValue(nullptr),
         actor.name.empty() ? actor.email : actor.name, note, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadMinutes(tx, meeting_id));
    boost::json::object after = MinutesAudit(out);
    after["note"] = note;
    return RecordAudit(tx, actor, found ? "new_version" : "create", "minutes",
                       std::to_string(meeting_id), before, after);
  }));
  return out;
}

Result<MinutesVersion> MinutesService::GetVersion(const Principal& viewer, int64_t meeting_id,
                                                  int64_t number) {
  MinutesVersion v;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(MeetingTitle(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(auto found, FindMinutes(tx, meeting_id));
    if (!found) {
      return MakeError(ErrorCode::kNotFound,
                       "meeting " + std::to_string(meeting_id) + " has no minutes yet");
    }
    // Checked before the version is looked up, so an outsider learns nothing of the history
    // (not even how many versions there are).
    GMG_RETURN_IF_ERROR(CheckMaySeeMinutesVersion(viewer, *found, number));
    GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT number, text, user_name, note, created_at "
                                             "FROM meeting_minutes_versions "
                                             "WHERE meeting_id = ? AND number = ?",
                                             {meeting_id, number}));
    if (!r) {
      return MakeError(ErrorCode::kNotFound, "the minutes of meeting " +
                                                 std::to_string(meeting_id) + " have no version " +
                                                 std::to_string(number));
    }
    v = {r->Int(0), r->Text(1), r->Text(2), r->Text(3), r->Int(4)};
    return Ok();
  }));
  return v;
}

Result<Minutes> MinutesService::Circulate(const Principal& actor, int64_t meeting_id,
                                          int64_t if_version, int64_t comments_until) {
  GMG_RETURN_IF_ERROR(CheckStaff(actor, "circulate minutes"));
  int64_t now = now_();
  if (comments_until < now + kMinCommentPeriodSeconds) {
    return FieldError(ErrorCode::kFailedPrecondition, "comments_until",
                      "must be at least one hour from now", "too_soon",
                      {{"min", FormatTimestamp(now + kMinCommentPeriodSeconds)}});
  }
  Minutes out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(std::string title, MeetingTitle(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(Minutes before, LoadMinutes(tx, meeting_id));
    if (before.status == "approved") return Locked(before.approved_at.value_or(0));
    if (before.version != if_version) return Stale();
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE meeting_minutes SET status = 'circulated', "
                "comments_until = ?, version = version + 1 WHERE meeting_id = ?",
                {comments_until, meeting_id}));
    GMG_ASSIGN_OR_RETURN(out, LoadMinutes(tx, meeting_id));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "circulate", "minutes", std::to_string(meeting_id),
                                    MinutesAudit(before), MinutesAudit(out)));
    NewNotification n;
    n.kind = NotificationKind::kMinutesCirculated;
    n.params = {{"meeting", title}, {"comments_until", FormatTimestamp(comments_until)}};
    n.link = "/meetings/" + std::to_string(meeting_id);
    n.entity = "minutes";
    n.entity_id = meeting_id;
    GMG_ASSIGN_OR_RETURN(n.audience.organization_ids, CurrentMembers(tx, now));
    n.audience.staff = true;
    return notify_(tx, n);
  }));
  return out;
}

Result<Minutes> MinutesService::Approve(const Principal& actor, int64_t meeting_id,
                                        int64_t if_version) {
  GMG_RETURN_IF_ERROR(CheckStaff(actor, "approve minutes"));
  int64_t now = now_();
  Minutes out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Minutes before, LoadMinutes(tx, meeting_id));
    if (before.status == "approved") return Locked(before.approved_at.value_or(0));
    if (before.version != if_version) return Stale();
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE meeting_minutes SET status = 'approved', approved_at = ?, "
                "approved_by = ?, version = version + 1 WHERE meeting_id = ?",
                {now, actor.user_id ? SqlValue(actor.user_id) : SqlValue(nullptr), meeting_id}));
    GMG_ASSIGN_OR_RETURN(out, LoadMinutes(tx, meeting_id));
    return RecordAudit(tx, actor, "approve", "minutes", std::to_string(meeting_id),
                       MinutesAudit(before), MinutesAudit(out));
  }));
  return out;
}

Result<std::vector<MinutesComment>> MinutesService::ListComments(const Principal& viewer,
                                                                 int64_t meeting_id) {
  GMG_RETURN_IF_ERROR(CheckMaySeeMeetingDrafts(viewer));
  std::vector<MinutesComment> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadMinutes(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, version, user_name, organization_id, "
                                             "text, created_at FROM meeting_minutes_comments "
                                             "WHERE meeting_id = ? ORDER BY id",
                                             {meeting_id}));
    for (const Row& r : rows) {
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
    }
    return Ok();
  }));
  return out;
}

Result<MinutesComment> MinutesService::AddComment(const Principal& actor, int64_t meeting_id,
                                                  const std::string& text) {
  GMG_RETURN_IF_ERROR(CheckMaySeeMeetingDrafts(actor));
  if (text.empty() || text.size() > kMaxCommentBytes) {
    return FieldError(ErrorCode::kFailedPrecondition, "text", "must be 1 to 20,000 bytes", "length",
                      {{"max", std::to_string(kMaxCommentBytes)}});
  }
  int64_t now = now_();
  MinutesComment c;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Minutes m, LoadMinutes(tx, meeting_id));
    if (m.status == "approved") return Locked(m.approved_at.value_or(0));
    if (m.status != "circulated") {
      return Conflict("these minutes are not circulated for comments", "not_circulated");
    }
    if (now > m.comments_until.value_or(0)) {
      return Conflict("comments closed at " + FormatTimestamp(m.comments_until.value_or(0)),
                      "comments_closed");
    }
    c = {0,
         m.current_version,
         actor.name.empty() ? actor.email : actor.name,
         actor.organization_id,
         text,
         now};
    GMG_ASSIGN_OR_RETURN(auto id,
                         tx.QueryOne("INSERT INTO meeting_minutes_comments (meeting_id, "
                                     "version, user_id, user_name, organization_id, "
                                     "text, created_at) VALUES (?,?,?,?,?,?,?) "
                                     "RETURNING id",
                                     {meeting_id, c.version,
                                      actor.user_id ? SqlValue(actor.user_id) : SqlValue(nullptr),
                                      c.user_name, NullIfEmpty(c.organization_id), text, now}));
    c.id = id->Int(0);
    return RecordAudit(tx, actor, "comment", "minutes", std::to_string(meeting_id), nullptr,
                       boost::json::object{{"comment_id", c.id}, {"text", text}});
  }));
  return c;
}

Result<std::vector<Decision>> MinutesService::ListDecisions(int64_t meeting_id) {
  std::vector<Decision> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(MeetingTitle(tx, meeting_id));
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, meeting_id, agenda_item_id, text, "
                                             "created_at FROM meeting_decisions "
                                             "WHERE meeting_id = ? ORDER BY id",
                                             {meeting_id}));
    for (const Row& r : rows) {
      Decision d{r.Int(0), r.Int(1), std::nullopt, r.Text(3), r.Int(4)};
      if (!r.IsNull(2)) d.agenda_item_id = r.Int(2);
      out.push_back(std::move(d));
    }
    return Ok();
  }));
  return out;
}

namespace {
Status CheckDecisionText(const std::string& text) {
  if (text.empty() || text.size() > kMaxDecisionBytes) {
    return FieldError(ErrorCode::kFailedPrecondition, "text", "must be 1 to 10,000 bytes", "length",
                      {{"max", std::to_string(kMaxDecisionBytes)}});
  }
  return Ok();
}
}  // namespace

Result<Decision> MinutesService::AddDecision(const Principal& actor, int64_t meeting_id,
                                             std::optional<int64_t> agenda_item_id,
                                             const std::string& text) {
  GMG_RETURN_IF_ERROR(CheckStaff(actor, "record decisions"));
  GMG_RETURN_IF_ERROR(CheckDecisionText(text));
  int64_t now = now_();
  Decision d{0, meeting_id, agenda_item_id, text, now};
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(MeetingTitle(tx, meeting_id));
    if (agenda_item_id) GMG_RETURN_IF_ERROR(CheckAgendaItem(tx, meeting_id, *agenda_item_id));
    GMG_ASSIGN_OR_RETURN(
        auto id,
        tx.QueryOne("INSERT INTO meeting_decisions (meeting_id, "
                    "agenda_item_id, text, created_at) "
                    "VALUES (?,?,?,?) RETURNING id",
                    {meeting_id, agenda_item_id ? SqlValue(*agenda_item_id) : SqlValue(nullptr),
                     text, now}));
    d.id = id->Int(0);
    return RecordAudit(tx, actor, "create", "decision", std::to_string(d.id), nullptr,
                       DecisionAudit(d));
  }));
  return d;
}

Result<Decision> MinutesService::UpdateDecision(const Principal& actor, int64_t meeting_id,
                                                int64_t id, std::optional<int64_t> agenda_item_id,
                                                bool clear_agenda_item,
                                                std::optional<std::string> text) {
  GMG_RETURN_IF_ERROR(CheckStaff(actor, "change decisions"));
  if (text) GMG_RETURN_IF_ERROR(CheckDecisionText(*text));
  Decision out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Decision before, LoadDecision(tx, meeting_id, id));
    out = before;
    if (agenda_item_id) {
      GMG_RETURN_IF_ERROR(CheckAgendaItem(tx, meeting_id, *agenda_item_id));
      out.agenda_item_id = agenda_item_id;
    }
    if (clear_agenda_item) out.agenda_item_id.reset();
    if (text) out.text = *text;
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE meeting_decisions SET agenda_item_id = ?, text = ? "
        "WHERE id = ?",
        {out.agenda_item_id ? SqlValue(*out.agenda_item_id) : SqlValue(nullptr), out.text, id}));
    return RecordAudit(tx, actor, "update", "decision", std::to_string(id), DecisionAudit(before),
                       DecisionAudit(out));
  }));
  return out;
}

Status MinutesService::DeleteDecision(const Principal& actor, int64_t meeting_id, int64_t id) {
  GMG_RETURN_IF_ERROR(CheckStaff(actor, "delete decisions"));
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Decision before, LoadDecision(tx, meeting_id, id));
    GMG_ASSIGN_OR_RETURN(auto n, tx.QueryOne("SELECT count(*) FROM meeting_actions "
                                             "WHERE decision_id = ?",
                                             {id}));
    if (n->Int(0) > 0) {
      return Conflict(std::to_string(n->Int(0)) + " action(s) refer to this decision",
                      "decision_has_actions");
    }
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM meeting_decisions WHERE id = ?", {id}));
    return RecordAudit(tx, actor, "delete", "decision", std::to_string(id), DecisionAudit(before),
                       nullptr);
  });
}

}  // namespace gmg
