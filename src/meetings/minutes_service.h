// MinutesService: the minutes of a meeting and the decisions recorded against its agenda
// (issue 12; docs/meetings.md "Minutes").
//
// Minutes go draft → circulated (comments until a deadline) → approved (locked). Every saved
// text is a new numbered version kept with who saved it, when and why (a note); versions are
// never changed. Rules kept here, each refused with nothing changed:
//   - only staff (secretariat, admin) save, circulate, approve, and record decisions;
//   - text is Markdown of at most 200 KiB (422);
//   - circulation needs a comment deadline at least one hour ahead of the clock (422);
//   - comments: staff and member staff (focal points, members), only while circulated and
//     until comments_until inclusive (409 after);
//   - once approved, any change is refused: 409 "minutes approved on <date> are locked";
//   - a decision's agenda item belongs to the same meeting (422).
// Reading: decisions and the approved text of approved minutes (their current version) are
// public; drafts, circulated minutes, every earlier version (the history a diff is made of)
// and every comment only for signed-in staff and member staff (401 anonymous, 403 others). A
// reader outside the GMG gets approved minutes with only their current version listed. Circulation
// notifies (kMinutesCirculated) every current member organisation's focal points and members, and
// the staff, in the same transaction. Every write is one transaction with its audit row (entities
// "minutes", "decision"). Thread-safety: stateless over the Database; any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "notifications/notification.h"
#include "store/database.h"

namespace gmg {

inline constexpr size_t kMaxMinutesBytes = size_t{200} * 1024;
inline constexpr int64_t kMinCommentPeriodSeconds = 3600;

struct MinutesVersionInfo {
  int64_t number = 0;
  std::string user_name;
  std::string note;
  int64_t created_at = 0;
};

struct Minutes {
  int64_t meeting_id = 0;
  std::string status;  // draft|circulated|approved
  std::optional<int64_t> comments_until;
  std::optional<int64_t> approved_at;
  std::optional<int64_t> approved_by;
  int64_t current_version = 0;
  std::string text;                          // of the current version
  std::vector<MinutesVersionInfo> versions;  // oldest first
  int64_t version = 1;                       // the ETag's version
};

struct MinutesVersion {
  int64_t number = 0;
  std::string text;
  std::string user_name;
  std::string note;
  int64_t created_at = 0;
};

struct MinutesComment {
  int64_t id = 0;
  int64_t version = 0;  // the minutes version it was made on
  std::string user_name;
  std::string organization_id;
  std::string text;
  int64_t created_at = 0;
};

struct Decision {
  int64_t id = 0;
  int64_t meeting_id = 0;
  std::optional<int64_t> agenda_item_id;
  std::string text;
  int64_t created_at = 0;
};

// Whether `viewer` may read what is not public in the meetings module (drafts, comments,
// actions): staff and member staff. kUnauthenticated for anonymous, kPermissionDenied otherwise.
Status CheckMaySeeMeetingDrafts(const Principal& viewer);

// Whether `viewer` may read version `number` of `minutes`: the approved (current) version of
// approved minutes for anyone; any other version as CheckMaySeeMeetingDrafts. Decided before
// the version is looked up.
Status CheckMaySeeMinutesVersion(const Principal& viewer, const Minutes& minutes, int64_t number);

class MinutesService {
 public:
  MinutesService(Database& db, Notifier notify, std::function<int64_t()> now = UnixNow);

  // kNotFound for an unknown meeting or one without minutes; access as above.
  Result<Minutes> Get(const Principal& viewer, int64_t meeting_id);
  // A new version. `if_version` (the minutes' ETag) is required once minutes exist
  // (kPreconditionFailed when stale; kInvalidArgument when missing).
  Result<Minutes> Save(const Principal& actor, int64_t meeting_id,
                       std::optional<int64_t> if_version, const std::string& text,
                       const std::string& note);
  Result<MinutesVersion> GetVersion(const Principal& viewer, int64_t meeting_id, int64_t number);
  Result<Minutes> Circulate(const Principal& actor, int64_t meeting_id, int64_t if_version,
                            int64_t comments_until);
  Result<Minutes> Approve(const Principal& actor, int64_t meeting_id, int64_t if_version);
  Result<std::vector<MinutesComment>> ListComments(const Principal& viewer, int64_t meeting_id);
  Result<MinutesComment> AddComment(const Principal& actor, int64_t meeting_id,
                                    const std::string& text);

  // Decisions: public read; staff write. kNotFound for an unknown meeting or decision.
  Result<std::vector<Decision>> ListDecisions(int64_t meeting_id);
  Result<Decision> AddDecision(const Principal& actor, int64_t meeting_id,
                               std::optional<int64_t> agenda_item_id, const std::string& text);
  // Fields left nullopt are kept; `clear_agenda_item` detaches it.
  Result<Decision> UpdateDecision(const Principal& actor, int64_t meeting_id, int64_t id,
                                  std::optional<int64_t> agenda_item_id, bool clear_agenda_item,
                                  std::optional<std::string> text);
  // kConflict while actions refer to it.
  Status DeleteDecision(const Principal& actor, int64_t meeting_id, int64_t id);

 private:
  Database& db_;
  Notifier notify_;
  std::function<int64_t()> now_;
};

}  // namespace gmg
