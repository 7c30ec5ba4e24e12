#include "coherence/coherence_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <iostream>

#include "audit/audit_log.h"
#include "coherence/coherence_json.h"
#include "coherence/record_of.h"
#include "core/access_policy.h"
#include "core/codelists.h"

namespace gmg {

using coherence::Record;

namespace {

// More changes than this at once are analysed whole (aside) rather than one by one.
constexpr size_t kMaxIncremental = 2000;
// Candidates asked of the engine per draft before visibility leaves at most kCheckLimit.
constexpr size_t kCheckCandidates = 25;

// A list's page size and where it may start: offset + limit never overflows.
constexpr int64_t kMaxListLimit = 500;
constexpr int64_t kMaxListOffset = int64_t{1} << 40;

// The page [offset, offset + limit) of a list whose viewer's own findings come first, kept as
// the matches go by (in order) without holding every match: of the viewer's own, those on the
// page; of the others, the first offset + limit (the page may start among them).
class OwnFirstPage {
 public:
  OwnFirstPage(int64_t limit, int64_t offset) : limit_(limit), offset_(offset) {}
  void Add(const coherence::FindingBrief* f, bool own) {
    if (own) {
      if (own_total_ >= offset_ && own_total_ < offset_ + limit_) own_page_.push_back(f);
      ++own_total_;
    } else {
      if (rest_total_ < offset_ + limit_) rest_head_.push_back(f);
      ++rest_total_;
    }
  }
  int64_t total() const { return own_total_ + rest_total_; }
  // The page, own findings first.
  std::vector<const coherence::FindingBrief*> Take() {
    std::vector<const coherence::FindingBrief*> page = std::move(own_page_);
    for (auto i = static_cast<size_t>(std::max<int64_t>(0, offset_ - own_total_));
         i < rest_head_.size() && std::ssize(page) < limit_; ++i) {
      page.push_back(rest_head_[i]);
    }
    return page;
  }

 private:
  int64_t limit_;
  int64_t offset_;
  int64_t own_total_ = 0;
  int64_t rest_total_ = 0;
  std::vector<const coherence::FindingBrief*> own_page_;
  std::vector<const coherence::FindingBrief*> rest_head_;
};

// Reads every activity for the analysis: sees all, changes nothing.
Principal AnalysisReader() {
  Principal p;
  p.email = "coherence";
  p.name = "coherence analysis";
  p.role = Role::kAdmin;
  p.via = AuthVia::kCli;
  return p;
}

std::string PairId(int64_t a, int64_t b) { return std::to_string(a) + "-" + std::to_string(b); }

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool NamesPlace(const Record& r, const std::string& country, const std::string& region) {
  if (!country.empty() && !Contains(r.countries, country)) return false;
  if (region.empty()) return true;
  if (Contains(r.regions, region)) return true;
  const RegionRecord* known = FindRegion(region);
  if (known == nullptr) return false;
  return std::any_of(r.countries.begin(), r.countries.end(),
                     [&](const std::string& c) { return Contains(known->countries, c); });
}

// Whether [from, to] (either end open) meets [lo, hi] (either end open).
bool Meets(const std::optional<Date>& from, const std::optional<Date>& to,
           const std::optional<Date>& lo, const std::optional<Date>& hi) {
  if (from && hi && *hi < *from) return false;
  if (to && lo && *to < *lo) return false;
  return true;
}

// The finding's common period meets the filter's (else either activity's period does).
bool MatchesPeriod(const OverlapFilter& f, const Record& a, const Record& b) {
  if (!f.from && !f.to) return true;
  if (auto common = coherence::CommonPeriod(a, b)) {
    return Meets(f.from, f.to, common->first, common->second);
  }
  return Meets(f.from, f.to, a.starts_on, a.ends_on) || Meets(f.from, f.to, b.starts_on, b.ends_on);
}

// A dismissal given on the activities as they are now (a is the finding's a).
bool DismissedNow(const Record& a, const Record& b, const OverlapFeedback* fb) {
  return fb != nullptr && fb->verdict == coherence::Verdict::kDismissed &&
         fb->version_a == a.version && fb->version_b == b.version;
}

bool MatchesFeedback(const OverlapFilter& filter, const Record& a, const Record& b,
                     const OverlapFeedback* fb) {
  if (filter.feedback.empty()) return !DismissedNow(a, b, fb);
  if (filter.feedback == "none") return fb == nullptr;
  if (filter.feedback == "any") return fb != nullptr && !DismissedNow(a, b, fb);
  return fb != nullptr && filter.feedback == coherence::VerdictName(fb->verdict);
}

// An activity in at least one finding, as the list reads it (FindingsCache).
struct Member {
  const Record* record = nullptr;  // the engine's; as the cache, valid until the next change
  std::string_view organization;   // record->organization_id
  Visibility visibility = Visibility::kOrganization;
  bool listed = false;  // the service has its card (else no one sees it, as State::Sees)
};

// Whether the finding `f` of the activities a (f.a) and b (f.b) passes the list's filter. Reads
// the records only for the filters that need them.
bool Matches(const OverlapFilter& filter, const coherence::FindingBrief& f, const Member& a,
             const Member& b, const OverlapFeedback* fb) {
  if (filter.finding_class && f.finding_class != *filter.finding_class) return false;
  if (f.probability < filter.min_score) return false;
  if (filter.cluster && f.cluster != *filter.cluster) return false;
  if (!filter.organization.empty() && a.organization != filter.organization &&
      b.organization != filter.organization) {
    return false;
  }
  const Record& ra = *a.record;
  const Record& rb = *b.record;
  if ((!filter.country.empty() || !filter.region.empty()) &&
      !NamesPlace(ra, filter.country, filter.region) &&
      !NamesPlace(rb, filter.country, filter.region)) {
    return false;
  }
  if (!filter.theme.empty() && !Contains(ra.themes, filter.theme) &&
      !Contains(rb.themes, filter.theme)) {
    return false;
  }
  return MatchesPeriod(filter, ra, rb) && MatchesFeedback(filter, ra, rb, fb);
}

// What the lists need of an activity beside its Record (kept by the service, not the engine).
struct Card {
  std::string organization_name;
  std::string contact_email;
  std::string visibility;
};

Card CardOf(const Activity& a) {
  return {a.organization_acronym.empty() ? a.organization_name : a.organization_acronym,
          a.fields.contact_email, a.fields.visibility};
}

}  // namespace

// Every finding in brief, best first, and the activities in them, built on the first list after
// a change (State::Changed drops it) so that a list walks two flat arrays: 48 bytes a finding and
// 32 an activity, where whole Findings were about a kilobyte each (13.4 million of them at a
// million activities).
struct CoherenceService::FindingsCache {
  // A finding and its two activities' places in `members`.
  struct Entry {
    coherence::FindingBrief brief;
    uint32_t a = 0;
    uint32_t b = 0;
  };
  std::vector<Member> members;                         // the activities in findings
  std::vector<Entry> findings;                         // best first
  std::unordered_map<int64_t, int64_t> cluster_sizes;  // cluster → activities in it
  int64_t SizeOf(int64_t cluster) const {
    auto it = cluster_sizes.find(cluster);
    return it == cluster_sizes.end() ? 2 : it->second;
  }
};

struct CoherenceService::State {
  explicit State(const coherence::Options& options) : engine(options) {}
  coherence::OverlapEngine engine;
  std::unordered_map<int64_t, Card> cards;
  int64_t analysed_at = 0;
  int64_t updated_at = 0;
  int64_t model_at = 0;  // estimated_at of the model the engine scored with (0: defaults)
  mutable std::mutex cache_mu;
  mutable std::shared_ptr<const FindingsCache> cache;  // reset by every change

  void Changed() {
    std::lock_guard lock(cache_mu);
    cache.reset();
  }
  bool Sees(const Audience& audience, int64_t id) const {
    auto it = cards.find(id);
    const Record* r = engine.Find(id);
    return it != cards.end() && r != nullptr &&
           AccessPolicy::MaySee(audience, it->second.visibility, r->organization_id);
  }
  OverlapActivity ActivityOf(int64_t id) const {
    OverlapActivity out;
    if (const Record* r = engine.Find(id)) out.record = *r;
    if (auto it = cards.find(id); it != cards.end()) {
      out.organization_name = it->second.organization_name;
      out.contact_email = it->second.contact_email;
      out.visibility = it->second.visibility;
    }
    return out;
  }
  Overlap ViewOf(const coherence::Finding& f, int64_t cluster_size,
                 std::optional<OverlapFeedback> feedback) const {
    Overlap o{f, cluster_size, ActivityOf(f.a), ActivityOf(f.b), "", std::move(feedback)};
    o.summary = coherence::Describe(f, o.a.record, o.b.record);
    return o;
  }
};

CoherenceService::CoherenceService(Database& db, ActivityService& activities, UserNames user_names,
                                   coherence::Options options)
    : db_(db),
      activities_(activities),
      user_names_(std::move(user_names)),
      options_(options),
      model_(coherence::Model::Defaults()) {}

CoherenceService::~CoherenceService() {
  stopping_ = true;  // a running analysis stops reading the activities and gives up
  std::lock_guard lock(thread_mu_);
  if (analysis_.joinable()) analysis_.join();
}

std::shared_ptr<const CoherenceService::FindingsCache> CoherenceService::Cached(
    const State& state) {
  std::lock_guard lock(state.cache_mu);
  if (state.cache) return state.cache;
  auto cache = std::make_shared<FindingsCache>();
  std::vector<coherence::FindingBrief> briefs = state.engine.Briefs();
  std::unordered_map<int64_t, uint32_t> place;  // activity id → its place in members
  auto member = [&](int64_t id, int64_t cluster) {
    auto [it, added] = place.try_emplace(id, static_cast<uint32_t>(cache->members.size()));
    if (!added) return it->second;
    const Record* r = state.engine.Find(id);
    auto card = state.cards.find(id);
    const bool listed = card != state.cards.end();
    std::optional<Visibility> v;
    if (listed) v = ParseVisibility(card->second.visibility);
    cache->members.push_back(
        {r, r->organization_id, v.value_or(Visibility::kOrganization), listed});
    ++cache->cluster_sizes[cluster];
    return it->second;
  };
  cache->findings.reserve(briefs.size());
  for (const coherence::FindingBrief& f : briefs) {
    cache->findings.push_back({f, member(f.a, f.cluster), member(f.b, f.cluster)});
  }
  state.cache = cache;
  return cache;
}

// --- The model ----------------------------------------------------------------------------

Status CoherenceService::LoadModel() {
  return db_.Read([&](Tx& tx) { return RefreshModelInTx(tx); });
}

Status CoherenceService::RefreshModelInTx(Tx& tx) {
  GMG_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT model, estimated_at, estimated_by FROM coherence_model"));
  if (!row) return Ok();
  {
    std::shared_lock lock(mu_);
    if (row->Int(1) == model_estimated_at_) return Ok();
  }
  GMG_ASSIGN_OR_RETURN(coherence::Model model, ModelFromText(row->Text(0)));
  std::unique_lock lock(mu_);
  model_ = std::move(model);
  model_estimated_at_ = row->Int(1);
  model_estimated_by_ = row->IsNull(2) ? std::nullopt : std::optional<int64_t>(row->Int(2));
  return Ok();  // CatchUp re-scores (a full analysis aside) when the engine's model is older
}

Status CoherenceService::SaveModelInTx(Tx& tx, const Principal& actor,
                                       const coherence::Model& model, int64_t now) {
  GMG_ASSIGN_OR_RETURN(auto before, tx.QueryOne("SELECT model FROM coherence_model"));
  boost::json::value before_json;
  if (before) before_json = boost::json::parse(before->Text(0));
  std::optional<int64_t> by;
  if (actor.user_id > 0) by = actor.user_id;
  GMG_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO coherence_model (id, model, labels_used, estimated_at, estimated_by) "
      "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET model = excluded.model, "
      "labels_used = excluded.labels_used, estimated_at = excluded.estimated_at, "
      "estimated_by = excluded.estimated_by",
      {ModelText(model), int64_t{model.labels_used}, now, by ? SqlValue(*by) : SqlValue(nullptr)}));
  return RecordAudit(tx, actor, "estimate", "coherence_model", "1", before_json,
                     boost::json::parse(ModelText(model)));
}

Result<CoherenceModel> CoherenceService::Model() {
  GMG_RETURN_IF_ERROR(LoadModel());
  CoherenceModel out;
  {
    std::shared_lock lock(mu_);
    out.model = model_;
    out.estimated_at = model_estimated_at_;
    out.estimated_by = model_estimated_by_;
  }
  out.status = AnalysisStatus();
  return out;
}

Result<CoherenceModel> CoherenceService::Estimate(const Principal& actor) {
  GMG_RETURN_IF_ERROR(AccessPolicy::CheckManagesGmg(actor, "re-estimates the coherence model"));
  std::vector<Record> records;
  coherence::Model start;
  {
    std::shared_lock lock(mu_);
    if (!state_) {
      return FieldError(ErrorCode::kFailedPrecondition, "",
                        "the first analysis is still running; try again in a moment", "analysing");
    }
    records.reserve(state_->cards.size());
    for (const auto& [id, card] : state_->cards) {
      if (const Record* r = state_->engine.Find(id)) records.push_back(*r);
    }
    start = model_;
  }
  std::vector<coherence::Label> labels;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(FeedbackMap feedback, LoadFeedback(tx, std::nullopt));
    for (const auto& [pair, fb] : feedback) labels.push_back({pair.first, pair.second, fb.verdict});
    return Ok();
  }));
  coherence::Model fitted = coherence::Estimate(records, labels, start, options_);
  const int64_t now = UnixNow();
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) { return SaveModelInTx(tx, actor, fitted, now); }));
  bool analysed = false;
  {
    std::unique_lock lock(mu_);
    model_ = std::move(fitted);
    model_estimated_at_ = now;
    model_estimated_by_ = actor.user_id > 0 ? std::optional<int64_t>(actor.user_id) : std::nullopt;
    analysed = state_ != nullptr;
  }
  if (analysed) StartAnalysis();  // re-scores aside with the new model
  return Model();
}

// --- Following the activity map ----------------------------------------------------------

void CoherenceService::StartAnalysis() {
  std::lock_guard lock(thread_mu_);
  if (analysing_.exchange(true)) return;
  if (analysis_.joinable()) analysis_.join();
  analysis_ = std::thread([this] {
    Status s = RunAnalysis();
    if (s.ok()) s = CatchUp();
    if (!s.ok()) std::cerr << "gmg: coherence analysis: " << s.error().message << "\n";
    analysing_ = false;
  });
}

Status CoherenceService::AnalyseNow() {
  GMG_RETURN_IF_ERROR(RunAnalysis());
  return CatchUp();
}

Status CoherenceService::RunAnalysis() {
  int64_t seq = 0;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(RefreshModelInTx(tx));
    GMG_ASSIGN_OR_RETURN(auto changes, ActivityService::ChangesSinceInTx(tx, -1));
    seq = changes.seq;
    return Ok();
  }));
  auto state = std::make_unique<State>(options_);
  std::vector<Record> records;
  GMG_RETURN_IF_ERROR(
      activities_.ForEach(AnalysisReader(), ActivityFilter{}, [&](const Activity& a) {
        records.push_back(RecordOf(a));
        state->cards[a.id] = CardOf(a);
        return !stopping_;
      }));
  if (stopping_) return MakeError(ErrorCode::kUnavailable, "the server is stopping");
  coherence::Model model;
  int64_t model_at = 0;
  {
    std::shared_lock lock(mu_);
    model = model_;
    model_at = model_estimated_at_;
  }
  state->engine.SetModel(std::move(model));
  state->engine.Analyse(std::move(records));
  state->model_at = model_at;
  state->analysed_at = state->updated_at = UnixNow();
  std::lock_guard follow(follow_mu_);
  std::unique_lock lock(mu_);
  state_ = std::move(state);  // estimated meanwhile? CatchUp, next, starts another analysis
  seq_ = seq;
  return Ok();
}

Status CoherenceService::Follow() {
  {
    std::lock_guard follow(follow_mu_);
    if (seq_ < 0) {
      StartAnalysis();
      return Ok();
    }
  }
  return CatchUp();
}

Status CoherenceService::CatchUp() {
  std::lock_guard follow(follow_mu_);
  if (seq_ < 0) return Ok();
  ActivityService::Changes changes;
  std::vector<Activity> loaded;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(RefreshModelInTx(tx));
    GMG_ASSIGN_OR_RETURN(changes, ActivityService::ChangesSinceInTx(tx, seq_));
    if (changes.everything || changes.ids.size() > kMaxIncremental) return Ok();
    GMG_ASSIGN_OR_RETURN(loaded, ActivityService::LoadManyInTx(tx, changes.ids));
    return Ok();
  }));
  bool model_changed = false;
  {
    std::shared_lock lock(mu_);
    model_changed = state_ && state_->model_at != model_estimated_at_;
  }
  // Re-scoring with another model is a full analysis, built aside while the engine in place
  // keeps answering (started from the follow job; within an analysis it is the next one's).
  if (model_changed || changes.everything || changes.ids.size() > kMaxIncremental) {
    StartAnalysis();  // keeps seq_: the analysis sets it when it swaps in
    return Ok();
  }
  if (!changes.ids.empty()) {
    std::unordered_map<int64_t, const Activity*> by_id;
    for (const Activity& a : loaded) by_id[a.id] = &a;
    std::unique_lock lock(mu_);
    for (int64_t id : changes.ids) {
      auto it = by_id.find(id);
      if (it == by_id.end() || it->second->archived_at) {
        state_->engine.Remove(id);
        state_->cards.erase(id);
      } else {
        state_->engine.Upsert(RecordOf(*it->second));
        state_->cards[id] = CardOf(*it->second);
      }
    }
    state_->updated_at = UnixNow();
    state_->Changed();
  }
  seq_ = changes.seq;
  return Ok();
}

CoherenceStatus CoherenceService::AnalysisStatus() const {
  CoherenceStatus s;
  std::shared_lock lock(mu_);
  if (!state_) return s;
  coherence::Stats stats = state_->engine.stats();
  s.ready = true;
  s.analysed_at = state_->analysed_at;
  s.updated_at = state_->updated_at;
  s.activities = stats.records;
  s.findings = stats.findings;
  return s;
}

// --- Reading findings ---------------------------------------------------------------------

Result<CoherenceService::FeedbackMap> CoherenceService::LoadFeedback(
    Tx& tx, std::optional<std::pair<int64_t, int64_t>> pair) {
  std::string sql =
      "SELECT activity_a, activity_b, verdict, comment, user_id, version_a, version_b, "
      "created_at, updated_at FROM coherence_feedback";
  SqlParams params;
  if (pair) {
    sql += " WHERE activity_a = ? AND activity_b = ?";
    params = {pair->first, pair->second};
  }
  GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  FeedbackMap out;
  for (const Row& r : rows) {
    auto verdict = coherence::ParseVerdict(r.Text(2));
    if (!verdict) continue;  // a verdict this version does not know
    out[{r.Int(0), r.Int(1)}] = {*verdict, r.Text(3), r.Int(4), "",
                                 r.Int(5), r.Int(6),  r.Int(7), r.Int(8)};
  }
  return out;
}

void CoherenceService::NameAuthors(std::vector<Overlap>* overlaps) const {
  std::unordered_map<int64_t, std::string> names;
  for (Overlap& o : *overlaps) {
    if (!o.feedback || !user_names_) continue;
    auto [it, added] = names.try_emplace(o.feedback->user_id);
    if (added) it->second = user_names_(o.feedback->user_id);
    o.feedback->by = it->second;
  }
}

Result<OverlapPage> CoherenceService::Overlaps(const Principal& viewer, const OverlapFilter& filter,
                                               int64_t limit, int64_t offset) {
  if (limit < 1 || limit > kMaxListLimit || offset < 0 || offset > kMaxListOffset) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "limit must be 1-500 and offset 0-" + std::to_string(kMaxListOffset));
  }
  Audience audience;
  FeedbackMap feedback;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(audience, ActivityService::AudienceOf(tx, viewer));
    GMG_ASSIGN_OR_RETURN(feedback, LoadFeedback(tx, std::nullopt));
    return Ok();
  }));
  OverlapPage page;
  {
    std::shared_lock lock(mu_);
    if (state_) {
      auto cache = Cached(*state_);
      OwnFirstPage own_first(limit, offset);
      auto sees = [&](const Member& m) {
        return m.listed && AccessPolicy::MaySee(audience, m.visibility, m.organization);
      };
      for (const FindingsCache::Entry& e : cache->findings) {
        const Member& a = cache->members[e.a];
        const Member& b = cache->members[e.b];
        if (!sees(a) || !sees(b)) continue;
        auto fb = feedback.empty() ? feedback.end() : feedback.find({e.brief.a, e.brief.b});
        if (!Matches(filter, e.brief, a, b, fb == feedback.end() ? nullptr : &fb->second)) continue;
        own_first.Add(&e.brief, !viewer.organization_id.empty() &&
                                    (a.organization == viewer.organization_id ||
                                     b.organization == viewer.organization_id));
      }
      page.total = own_first.total();
      for (const coherence::FindingBrief* brief : own_first.Take()) {
        std::optional<coherence::Finding> f = state_->engine.FindingOf(brief->a, brief->b);
        if (!f) continue;  // cannot be: the cache is dropped at every change, under mu_
        auto fb = feedback.find({f->a, f->b});
        page.items.push_back(state_->ViewOf(
            *f, cache->SizeOf(f->cluster),
            fb == feedback.end() ? std::nullopt : std::optional<OverlapFeedback>(fb->second)));
      }
      if (offset + limit < page.total) page.next_offset = offset + limit;
    }
  }
  page.status = AnalysisStatus();
  if (!page.status.ready) StartAnalysis();
  NameAuthors(&page.items);
  return page;
}

Result<Overlap> CoherenceService::VisibleFinding(Tx& tx, const Principal& viewer, int64_t a,
                                                 int64_t b) {
  const int64_t lo = std::min(a, b);
  const int64_t hi = std::max(a, b);
  const Error not_found = MakeError(ErrorCode::kNotFound, "no such finding: " + PairId(lo, hi));
  GMG_ASSIGN_OR_RETURN(Audience audience, ActivityService::AudienceOf(tx, viewer));
  GMG_ASSIGN_OR_RETURN(FeedbackMap feedback, LoadFeedback(tx, std::pair{lo, hi}));
  std::optional<OverlapFeedback> fb;
  if (auto it = feedback.find({lo, hi}); it != feedback.end()) fb = it->second;
  std::shared_lock lock(mu_);
  if (!state_ || lo == hi) return not_found;
  std::optional<coherence::Finding> f = state_->engine.FindingOf(lo, hi);
  if (!f || !state_->Sees(audience, lo) || !state_->Sees(audience, hi)) return not_found;
  auto cache = Cached(*state_);
  return state_->ViewOf(*f, cache->SizeOf(f->cluster), std::move(fb));
}

Result<Overlap> CoherenceService::GetFinding(const Principal& viewer, int64_t a, int64_t b) {
  Overlap out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, VisibleFinding(tx, viewer, a, b));
    return Ok();
  }));
  std::vector<Overlap> one{std::move(out)};
  NameAuthors(&one);
  return std::move(one.front());
}

// --- Feedback -----------------------------------------------------------------------------

namespace {

Status CheckMayGiveFeedback(const Principal& actor, const Overlap& o) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (AccessPolicy::MayChange(actor, o.a.record.organization_id) ||
      AccessPolicy::MayChange(actor, o.b.record.organization_id)) {
    return Ok();
  }
  return MakeError(ErrorCode::kPermissionDenied,
                   "only a focal point of " + o.a.record.organization_id + " or " +
                       o.b.record.organization_id +
                       ", the secretariat or an administrator gives feedback on this finding");
}

boost::json::value FeedbackAuditJson(const std::optional<OverlapFeedback>& fb) {
  if (!fb) return nullptr;
  return {{"verdict", coherence::VerdictName(fb->verdict)},
          {"comment", fb->comment},
          {"version_a", fb->version_a},
          {"version_b", fb->version_b}};
}

}  // namespace

Result<Overlap> CoherenceService::SetFeedback(const Principal& actor, int64_t a, int64_t b,
                                              std::string_view verdict,
                                              const std::string& comment) {
  const int64_t lo = std::min(a, b);
  const int64_t hi = std::max(a, b);
  Overlap out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, VisibleFinding(tx, actor, lo, hi));
    GMG_RETURN_IF_ERROR(CheckMayGiveFeedback(actor, out));
    std::optional<coherence::Verdict> v = coherence::ParseVerdict(verdict);
    if (!v) {
      return FieldError(ErrorCode::kFailedPrecondition, "verdict",
                        "must be confirmed_duplication, complementary, unrelated or dismissed",
                        "not_in_list");
    }
    if (comment.size() > kMaxCommentBytes) {
      return FieldError(ErrorCode::kFailedPrecondition, "comment",
                        "must be at most " + std::to_string(kMaxCommentBytes) + " bytes",
                        "too_long", {{"max", std::to_string(kMaxCommentBytes)}});
    }
    const int64_t now = UnixNow();
    std::optional<OverlapFeedback> before = out.feedback;
    OverlapFeedback after{*v,
                          comment,
                          actor.user_id,
                          "",
                          out.finding.version_a,
                          out.finding.version_b,
                          before ? before->created_at : now,
                          now};
    GMG_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO coherence_feedback (activity_a, activity_b, verdict, comment, version_a, "
        "version_b, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (activity_a, activity_b) DO UPDATE SET verdict = excluded.verdict, "
        "comment = excluded.comment, version_a = excluded.version_a, "
        "version_b = excluded.version_b, user_id = excluded.user_id, "
        "updated_at = excluded.updated_at",
        {lo, hi, std::string(coherence::VerdictName(*v)), comment, after.version_a, after.version_b,
         actor.user_id, now, now}));
    out.feedback = after;
    return RecordAudit(tx, actor, "update", "coherence_feedback", PairId(lo, hi),
                       FeedbackAuditJson(before), FeedbackAuditJson(after));
  }));
  std::vector<Overlap> one{std::move(out)};
  NameAuthors(&one);
  return std::move(one.front());
}

Result<Overlap> CoherenceService::ClearFeedback(const Principal& actor, int64_t a, int64_t b) {
  const int64_t lo = std::min(a, b);
  const int64_t hi = std::max(a, b);
  Overlap out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, VisibleFinding(tx, actor, lo, hi));
    GMG_RETURN_IF_ERROR(CheckMayGiveFeedback(actor, out));
    if (!out.feedback) return Ok();
    GMG_RETURN_IF_ERROR(tx.Exec(
        "DELETE FROM coherence_feedback WHERE activity_a = ? AND activity_b = ?", {lo, hi}));
    GMG_RETURN_IF_ERROR(RecordAudit(tx, actor, "delete", "coherence_feedback", PairId(lo, hi),
                                    FeedbackAuditJson(out.feedback), nullptr));
    out.feedback.reset();
    return Ok();
  }));
  return out;
}

// --- Drafts -------------------------------------------------------------------------------

Result<std::vector<std::vector<Overlap>>> CoherenceService::Check(
    const Principal& viewer, const std::vector<DraftCheck>& drafts) {
  if (!viewer.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (viewer.role == Role::kStakeholder) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "only focal points, members, the secretariat and administrators check "
                     "drafts for overlaps");
  }
  if (drafts.size() > kMaxDrafts) {
    return FieldError(ErrorCode::kInvalidArgument, "activities",
                      "at most " + std::to_string(kMaxDrafts) + " drafts at once", "too_many",
                      {{"max", std::to_string(kMaxDrafts)}});
  }
  Audience audience;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(audience, ActivityService::AudienceOf(tx, viewer));
    return Ok();
  }));
  std::vector<std::vector<Overlap>> out(drafts.size());
  std::shared_lock lock(mu_);
  if (!state_) return out;
  for (size_t i = 0; i < drafts.size(); ++i) {
    Record draft = RecordOf(drafts[i].draft, drafts[i].activity_id, 0);
    if (draft.organization_id.empty()) draft.organization_id = viewer.organization_id;
    const OverlapActivity mine{draft, draft.organization_id, drafts[i].draft.contact_email,
                               drafts[i].draft.visibility};
    for (const coherence::Finding& f : state_->engine.Check(draft, kCheckCandidates)) {
      const int64_t other = f.a == draft.id ? f.b : f.a;
      if (!state_->Sees(audience, other)) continue;
      Overlap o{f, 2, mine, state_->ActivityOf(other), "", std::nullopt};
      if (f.a == other) std::swap(o.a, o.b);
      o.summary = coherence::Describe(f, o.a.record, o.b.record);
      out[i].push_back(std::move(o));
      if (out[i].size() == kCheckLimit) break;
    }
  }
  return out;
}

}  // namespace gmg
