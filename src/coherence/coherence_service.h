// CoherenceService: the overlaps among the members' activities, as each viewer may see them,
// people's verdicts on them, and the model that scores them.
//
// It holds one OverlapEngine (coherence/overlap_engine.h) over every activity of the activity
// map, read through ActivityService (never its tables). Findings are derived and live in
// memory only:
//   - the first full analysis runs in the background (StartAnalysis; the module's follow job
//     starts it when the server starts, and any request does if none has); until it is done
//     lists answer empty with the status "analysing";
//   - then Follow (a background job, every second) reads the activity change log after the
//     last entry it applied (ActivityService::ChangesSinceInTx) and re-scores only what
//     changed (Upsert/Remove); a bulk write, or a log pruned past it, starts a new full
//     analysis, built aside while the current engine keeps answering, then swapped in.
// Requests never wait for an analysis: they read the engine under a shared lock; only an
// incremental update (milliseconds) or the swap holds it exclusively.
//
// Visibility: a viewer gets a finding only when it may see both activities (AccessPolicy::MaySee
// with ActivityService::AudienceOf, read per request). The viewer's own organisation's
// findings come first, then the rest, each best first (probability, then ids).
//
// Feedback (coherence_feedback, one row per pair): a verdict (confirmed_duplication,
// complementary, unrelated, dismissed) and a comment, given by the focal point of either
// organisation, the secretariat or an administrator who may see both activities, on a pair that
// is a finding now. It keeps the activities' versions it was given on: a dismissed finding is
// hidden from lists (unless asked for) until either activity's version changes. Every write is
// validated, transactional and audited (entity "coherence_feedback", id "a-b").
//
// The model (coherence_model, one row): the weights the engine scores with. Loaded at Start;
// Estimate (secretariat, administrator) re-fits it over the corpus and every verdict
// (coherence::Estimate), stores it, audited, and re-scores.
//
// Errors: kNotFound for a pair that is not a finding now or that the viewer may not see (the
// same answer, so as not to tell one from the other); kPermissionDenied for a writer who is
// none of the above; kFailedPrecondition (rule "not_in_list", field "verdict") for an unknown
// verdict; kFailedPrecondition (rule "analysing") for Estimate before the first analysis.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "activities/activity_service.h"
#include "coherence/coherence_query.h"
#include "coherence/overlap_engine.h"
#include "core/date.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

// What the lists and the sentence need of an activity beyond its engine Record.
struct OverlapActivity {
  coherence::Record record;
  std::string organization_name;  // the acronym when it has one
  std::string contact_email;
  std::string visibility;
};

struct OverlapFeedback {
  coherence::Verdict verdict = coherence::Verdict::kUnrelated;
  std::string comment;
  int64_t user_id = 0;
  std::string by;  // the user's name, "" when unknown
  int64_t version_a = 0;
  int64_t version_b = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// One finding as a viewer sees it.
struct Overlap {
  coherence::Finding finding;
  int64_t cluster_size = 2;  // activities in its cluster (connected findings)
  OverlapActivity a;         // finding.a
  OverlapActivity b;
  std::string summary;  // coherence::Describe, English
  std::optional<OverlapFeedback> feedback;
};

struct CoherenceStatus {
  bool ready = false;       // the first analysis is done
  int64_t analysed_at = 0;  // Unix seconds of the last full analysis; 0 before
  int64_t updated_at = 0;   // of the last change applied (full or incremental)
  size_t activities = 0;
  size_t findings = 0;
};

struct OverlapPage {
  std::vector<Overlap> items;
  int64_t total = 0;
  std::optional<int64_t> next_offset;
  CoherenceStatus status;
};

struct CoherenceModel {
  coherence::Model model;
  int64_t estimated_at = 0;  // 0: never estimated (the defaults)
  std::optional<int64_t> estimated_by;
  CoherenceStatus status;
};

// One draft's likely overlaps (Check).
struct DraftCheck {
  ActivityInput draft;
  int64_t activity_id = 0;  // the activity being edited (left out of its own answer); 0 = new
};

class CoherenceService {
 public:
  // The display name of a user (feedback's "by"); "" when unknown.
  using UserNames = std::function<std::string(int64_t user_id)>;
  static constexpr size_t kCheckLimit = 5;
  static constexpr size_t kMaxDrafts = 100;
  static constexpr size_t kMaxCommentBytes = 2000;

  CoherenceService(Database& db, ActivityService& activities, UserNames user_names,
                   coherence::Options options = {});
  // Stops a running analysis (it gives up while reading the activities; an engine analysis
  // under way, seconds at most, finishes first) and waits for it.
  ~CoherenceService();
  CoherenceService(const CoherenceService&) = delete;
  CoherenceService& operator=(const CoherenceService&) = delete;

  // Reads the stored model (the defaults when none): at Start.
  Status LoadModel();
  // Starts a full analysis in the background unless one is running.
  void StartAnalysis();
  // Runs a full analysis now, on this thread (the CLI; tests).
  Status AnalyseNow();
  // Applies the activity changes since the last applied entry (the background job); starts
  // the first analysis when there is none yet.
  Status Follow();
  CoherenceStatus AnalysisStatus() const;

  Result<OverlapPage> Overlaps(const Principal& viewer, const OverlapFilter& filter, int64_t limit,
                               int64_t offset);
  // One finding (either order of a, b).
  Result<Overlap> GetFinding(const Principal& viewer, int64_t a, int64_t b);
  // `verdict` by its name; `comment` at most kMaxCommentBytes (the API checks). Returns the
  // finding with its feedback.
  Result<Overlap> SetFeedback(const Principal& actor, int64_t a, int64_t b,
                              std::string_view verdict, const std::string& comment);
  // Withdraws the pair's feedback (none is fine); returns the finding.
  Result<Overlap> ClearFeedback(const Principal& actor, int64_t a, int64_t b);

  Result<CoherenceModel> Model();
  Result<CoherenceModel> Estimate(const Principal& actor);

  // The likely overlaps of each draft (at most kCheckLimit each, other organisations' activities
  // the viewer may see); for focal points, members, the secretariat and administrators. A draft
  // without an organisation is taken as the viewer's own. Empty answers until the first
  // analysis is done.
  Result<std::vector<std::vector<Overlap>>> Check(const Principal& viewer,
                                                  const std::vector<DraftCheck>& drafts);

 private:
  // The engine and what the lists need beside it; swapped whole after a full analysis.
  struct State;
  struct FindingsCache;

  using FeedbackMap = std::map<std::pair<int64_t, int64_t>, OverlapFeedback>;

  // A full analysis: reads every activity, analyses aside, swaps in.
  Status RunAnalysis();
  // Applies the change log after seq_ (and a model another instance estimated).
  Status CatchUp();
  Status RefreshModelInTx(Tx& tx);
  // The state's findings, sorted, with their clusters' sizes (built once per change).
  static std::shared_ptr<const FindingsCache> Cached(const State& state);
  // The finding of the pair if `viewer` sees both activities, with its feedback; else
  // kNotFound.
  Result<Overlap> VisibleFinding(Tx& tx, const Principal& viewer, int64_t a, int64_t b);
  // Fills each feedback's "by" (outside the engine's lock).
  void NameAuthors(std::vector<Overlap>* overlaps) const;
  static Result<FeedbackMap> LoadFeedback(Tx& tx, std::optional<std::pair<int64_t, int64_t>> pair);
  static Status SaveModelInTx(Tx& tx, const Principal& actor, const coherence::Model& model,
                              int64_t now);

  Database& db_;
  ActivityService& activities_;
  UserNames user_names_;
  coherence::Options options_;

  mutable std::shared_mutex mu_;  // guards state_ and model_
  std::unique_ptr<State> state_;  // nullptr until the first analysis
  coherence::Model model_;
  int64_t model_estimated_at_ = 0;
  std::optional<int64_t> model_estimated_by_;

  std::mutex follow_mu_;  // one Follow or swap at a time
  int64_t seq_ = -1;      // the newest change-log entry applied (under follow_mu_)

  std::mutex thread_mu_;
  std::thread analysis_;
  std::atomic<bool> analysing_{false};
  std::atomic<bool> stopping_{false};  // set by the destructor
};

}  // namespace gmg
