#include "coherence/coherence_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/testing.h"

namespace gmg {
namespace {

Principal FocalPoint(const std::string& org) {
  Principal p;
  p.user_id = 7;
  p.email = "fp@" + org;
  p.role = Role::kFocalPoint;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() {
  Principal p;
  p.user_id = 3;
  p.email = "sec@gmg";
  p.role = Role::kSecretariat;
  p.via = AuthVia::kToken;
  return p;
}

ActivityInput Training(const std::string& org, const std::string& country) {
  ActivityInput in;
  in.organization_id = org;
  in.titles = {{"en", "Training border officials on counter-trafficking in " + country}};
  in.descriptions = {{"en",
                      "Training courses for border guards and immigration officials on how to "
                      "identify and refer victims of trafficking in persons at border crossings."}};
  in.type = "training";
  in.themes = {"trafficking"};
  in.countries = {country};
  in.starts_on = Date::Parse("2024-01-01");
  in.ends_on = Date::Parse("2025-12-31");
  return in;
}

ActivityInput Unrelated(const std::string& org) {
  ActivityInput in;
  in.organization_id = org;
  in.titles = {{"en", "Household survey of remittance flows"}};
  in.descriptions = {{"en", "A statistical survey measuring remittances sent home by workers."}};
  in.type = "data_statistics";
  in.themes = {"labour-migration"};
  in.countries = {"PH"};
  in.starts_on = Date::Parse("2019-01-01");
  in.ends_on = Date::Parse("2019-06-30");
  return in;
}

bool Lists(const OverlapPage& page, int64_t a, int64_t b) {
  return std::any_of(page.items.begin(), page.items.end(), [&](const Overlap& o) {
    return o.finding.a == std::min(a, b) && o.finding.b == std::max(a, b);
  });
}

// On both engines.
class CoherenceServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP() << "engine not available";
    ASSERT_TRUE(SeedThemes(*db_).ok());
    activities_ = std::make_unique<ActivityService>(*db_);
    coherence_ = std::make_unique<CoherenceService>(
        *db_, *activities_, [](int64_t id) { return "User " + std::to_string(id); });
    ASSERT_TRUE(coherence_->LoadModel().ok());
  }
  int64_t Create(ActivityInput in) {
    const Principal actor = FocalPoint(in.organization_id);
    auto a = activities_->Create(actor, std::move(in));
    EXPECT_TRUE(a.ok()) << a.error().message;
    return a.ok() ? a->id : 0;
  }
  OverlapPage List(const Principal& viewer, OverlapFilter filter = {}) {
    auto page = coherence_->Overlaps(viewer, filter, 100, 0);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? *page : OverlapPage{};
  }
  void Analyse() {
    Status s = coherence_->AnalyseNow();
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  void Follow() {
    Status s = coherence_->Follow();
    ASSERT_TRUE(s.ok()) << s.error().message;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<ActivityService> activities_;
  std::unique_ptr<CoherenceService> coherence_;
};

TEST_P(CoherenceServiceTest, TwoOrganisationsOverlappingWorkIsAFindingTheirOwnFirst) {
  int64_t iom = Create(Training("iom", "NG"));
  int64_t unodc = Create(Training("unodc", "NG"));
  int64_t ilo = Create(Training("ilo", "KE"));
  int64_t unhcr = Create(Training("unhcr", "KE"));
  Create(Unrelated("worldbank"));
  EXPECT_FALSE(coherence_->AnalysisStatus().ready);
  Analyse();
  CoherenceStatus status = coherence_->AnalysisStatus();
  EXPECT_TRUE(status.ready);
  EXPECT_EQ(status.activities, 5u);

  OverlapPage all = List(Secretariat());
  EXPECT_TRUE(Lists(all, iom, unodc));
  EXPECT_TRUE(Lists(all, ilo, unhcr));
  EXPECT_FALSE(Lists(all, iom, iom));
  for (const Overlap& o : all.items) {
    EXPECT_NE(o.a.record.organization_id, o.b.record.organization_id);
    EXPECT_FALSE(o.summary.empty());
    EXPECT_EQ(o.finding.contributions.size(), size_t{coherence::kComparisonCount});
  }
  auto one = coherence_->GetFinding(Secretariat(), unodc, iom);
  ASSERT_TRUE(one.ok()) << one.error().message;
  EXPECT_EQ(one->finding.finding_class, coherence::FindingClass::kDuplication);
  EXPECT_EQ(one->a.organization_name, "IOM");
  EXPECT_GT(one->finding.probability, 0.5);

  // A focal point of UNHCR sees the pairs of its own organisation first.
  OverlapPage mine = List(FocalPoint("unhcr"));
  ASSERT_FALSE(mine.items.empty());
  EXPECT_TRUE(mine.items.front().a.record.organization_id == "unhcr" ||
              mine.items.front().b.record.organization_id == "unhcr");

  OverlapFilter kenya;
  kenya.country = "KE";
  OverlapPage in_kenya = List(Secretariat(), kenya);
  EXPECT_TRUE(Lists(in_kenya, ilo, unhcr));
  EXPECT_FALSE(Lists(in_kenya, iom, unodc));
  // Paging: one at a time, the same total.
  auto first = coherence_->Overlaps(Secretariat(), {}, 1, 0);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->total, all.total);
  EXPECT_EQ(first->next_offset, all.total > 1 ? std::optional<int64_t>(1) : std::nullopt);
}

TEST_P(CoherenceServiceTest, PagesOfOneOrTwoMakeTheWholeListOwnFirst) {
  for (const char* org : {"iom", "unodc", "ilo"}) Create(Training(org, "NG"));
  for (const char* org : {"iom", "unhcr", "ilo"}) Create(Training(org, "KE"));
  Analyse();
  const Principal unhcr = FocalPoint("unhcr");
  OverlapPage whole = List(unhcr);
  ASSERT_GE(whole.total, 6);  // three pairs in each country at least
  ASSERT_EQ(std::ssize(whole.items), whole.total);
  auto own = [](const Overlap& o) {
    return o.a.record.organization_id == "unhcr" || o.b.record.organization_id == "unhcr";
  };
  auto first_other = std::find_if_not(whole.items.begin(), whole.items.end(), own);
  EXPECT_GE(first_other - whole.items.begin(), 2);  // with IOM and ILO in Kenya at least
  EXPECT_TRUE(std::none_of(first_other, whole.items.end(), own));
  EXPECT_GE(whole.items.end() - first_other, 3);  // the three pairs in Nigeria at least
  for (int64_t limit : {1, 2, 4}) {
    std::vector<Overlap> paged;
    std::optional<int64_t> offset = 0;
    while (offset) {
      auto page = coherence_->Overlaps(unhcr, {}, limit, *offset);
      ASSERT_TRUE(page.ok());
      EXPECT_EQ(page->total, whole.total);
      EXPECT_LE(std::ssize(page->items), limit);
      paged.insert(paged.end(), page->items.begin(), page->items.end());
      offset = page->next_offset;
    }
    ASSERT_EQ(paged.size(), whole.items.size()) << "limit " << limit;
    for (size_t i = 0; i < paged.size(); ++i) {
      EXPECT_EQ(paged[i].finding.a, whole.items[i].finding.a) << "limit " << limit << " #" << i;
      EXPECT_EQ(paged[i].finding.b, whole.items[i].finding.b) << "limit " << limit << " #" << i;
    }
  }
  auto beyond = coherence_->Overlaps(unhcr, {}, 5, whole.total);
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, whole.total);
  // An offset so large that offset + limit would overflow is refused before any arithmetic.
  auto absurd = coherence_->Overlaps(unhcr, {}, 500, INT64_MAX - 10);
  ASSERT_FALSE(absurd.ok());
  EXPECT_EQ(absurd.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(CoherenceServiceTest, AViewerWhoMayNotSeeOneActivityDoesNotGetTheFinding) {
  int64_t iom = Create(Training("iom", "NG"));
  ActivityInput hidden = Training("unodc", "NG");
  hidden.visibility = "organization";
  int64_t unodc = Create(hidden);
  Analyse();
  EXPECT_TRUE(coherence_->GetFinding(Secretariat(), iom, unodc).ok());
  EXPECT_TRUE(coherence_->GetFinding(FocalPoint("unodc"), iom, unodc).ok());
  auto other = coherence_->GetFinding(FocalPoint("ilo"), iom, unodc);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(Lists(List(FocalPoint("ilo")), iom, unodc));
  EXPECT_FALSE(Lists(List(FocalPoint("iom")), iom, unodc)) << "IOM may not see UNODC's";
  auto feedback = coherence_->SetFeedback(FocalPoint("iom"), iom, unodc, "unrelated", "");
  ASSERT_FALSE(feedback.ok());
  EXPECT_EQ(feedback.error().code, ErrorCode::kNotFound);
}

TEST_P(CoherenceServiceTest, FeedbackIsForEitherOrganisationOnAFindingWithAKnownVerdict) {
  int64_t iom = Create(Training("iom", "NG"));
  int64_t unodc = Create(Training("unodc", "NG"));
  int64_t survey = Create(Unrelated("worldbank"));
  Analyse();
  auto third = coherence_->SetFeedback(FocalPoint("ilo"), iom, unodc, "unrelated", "");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kPermissionDenied);
  auto none = coherence_->SetFeedback(FocalPoint("iom"), iom, survey, "unrelated", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  auto bad = coherence_->SetFeedback(FocalPoint("iom"), iom, unodc, "maybe", "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_EQ(bad.error().details.size(), 1u);
  EXPECT_EQ(bad.error().details[0].rule, "not_in_list");

  auto given = coherence_->SetFeedback(FocalPoint("unodc"), unodc, iom, "complementary", "joint");
  ASSERT_TRUE(given.ok()) << given.error().message;
  ASSERT_TRUE(given->feedback.has_value());
  EXPECT_EQ(given->feedback->verdict, coherence::Verdict::kComplementary);
  EXPECT_EQ(given->feedback->by, "User 7");
  auto read = coherence_->GetFinding(FocalPoint("ilo"), iom, unodc);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->feedback.has_value());
  EXPECT_EQ(read->feedback->comment, "joint");
  // Audited in the same transaction.
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(auto n, tx.QueryOne("SELECT count(*) FROM audit_log WHERE "
                                                            "entity = 'coherence_feedback'"));
                   EXPECT_EQ(n->Int(0), 1);
                   return Ok();
                 })
                  .ok());
  auto cleared = coherence_->ClearFeedback(Secretariat(), iom, unodc);
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->feedback.has_value());
}

TEST_P(CoherenceServiceTest, ADismissedFindingStaysHiddenUntilAnActivityChanges) {
  ActivityInput first = Training("iom", "NG");
  int64_t iom = Create(first);
  int64_t unodc = Create(Training("unodc", "NG"));
  Analyse();
  ASSERT_TRUE(coherence_->SetFeedback(FocalPoint("iom"), iom, unodc, "dismissed", "").ok());
  EXPECT_FALSE(Lists(List(Secretariat()), iom, unodc));
  OverlapFilter dismissed;
  dismissed.feedback = "dismissed";
  EXPECT_TRUE(Lists(List(Secretariat(), dismissed), iom, unodc));
  Follow();
  EXPECT_FALSE(Lists(List(Secretariat()), iom, unodc)) << "nothing changed";

  first.descriptions = {{"en", first.descriptions[0].text + " Now with a refresher course."}};
  ASSERT_TRUE(activities_->Update(FocalPoint("iom"), iom, 1, first).ok());
  Follow();
  OverlapPage again = List(Secretariat());
  ASSERT_TRUE(Lists(again, iom, unodc)) << "the activity changed since the dismissal";
  auto shown = coherence_->GetFinding(Secretariat(), iom, unodc);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->finding.version_a == 2 || shown->finding.version_b == 2, true);
}

TEST_P(CoherenceServiceTest, FollowsCreatedAndArchivedActivitiesIncrementally) {
  int64_t iom = Create(Training("iom", "NG"));
  Create(Unrelated("worldbank"));
  Analyse();
  EXPECT_EQ(List(Secretariat()).total, 0);
  int64_t unodc = Create(Training("unodc", "NG"));
  EXPECT_FALSE(Lists(List(Secretariat()), iom, unodc)) << "not yet followed";
  Follow();
  EXPECT_TRUE(Lists(List(Secretariat()), iom, unodc));
  EXPECT_EQ(coherence_->AnalysisStatus().activities, 3u);
  ASSERT_TRUE(activities_->Archive(FocalPoint("unodc"), unodc).ok());
  Follow();
  EXPECT_FALSE(Lists(List(Secretariat()), iom, unodc));
  EXPECT_EQ(coherence_->AnalysisStatus().activities, 2u);
}

TEST_P(CoherenceServiceTest, EstimateFitsTheModelFromTheVerdictsAndKeepsIt) {
  int64_t iom = Create(Training("iom", "NG"));
  int64_t unodc = Create(Training("unodc", "NG"));
  int64_t ilo = Create(Training("ilo", "KE"));
  int64_t unhcr = Create(Training("unhcr", "KE"));
  Create(Unrelated("worldbank"));
  Analyse();
  auto before = coherence_->Model();
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->estimated_at, 0);
  EXPECT_EQ(before->model.labels_used, 0);
  EXPECT_EQ(coherence_->Estimate(FocalPoint("iom")).error().code, ErrorCode::kPermissionDenied);

  ASSERT_TRUE(
      coherence_->SetFeedback(FocalPoint("iom"), iom, unodc, "confirmed_duplication", "").ok());
  ASSERT_TRUE(coherence_->SetFeedback(FocalPoint("ilo"), ilo, unhcr, "unrelated", "").ok());
  auto after = coherence_->Estimate(Secretariat());
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->model.labels_used, 2);
  EXPECT_GT(after->estimated_at, 0);
  bool changed = after->model.prior_weight != before->model.prior_weight;
  for (size_t i = 0; i < after->model.levels.size() && i < before->model.levels.size(); ++i) {
    changed = changed || after->model.levels[i].m != before->model.levels[i].m ||
              after->model.levels[i].u != before->model.levels[i].u;
  }
  EXPECT_TRUE(changed) << "the weights moved";

  // Stored: another instance starts with it.
  CoherenceService other(*db_, *activities_, nullptr);
  ASSERT_TRUE(other.LoadModel().ok());
  auto loaded = other.Model();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->model.labels_used, 2);
  EXPECT_EQ(loaded->model.prior_weight, after->model.prior_weight);
}

TEST_P(CoherenceServiceTest, CheckFindsTheLikelyOverlapsOfADraft) {
  int64_t iom = Create(Training("iom", "NG"));
  Create(Unrelated("worldbank"));
  DraftCheck draft{Training("", "NG"), 0};
  draft.draft.organization_id.clear();
  auto before = coherence_->Check(FocalPoint("unodc"), {draft});
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 1u);
  EXPECT_TRUE(before->front().empty()) << "no analysis yet";
  Analyse();
  auto answer = coherence_->Check(FocalPoint("unodc"), {draft});
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  ASSERT_EQ(answer->size(), 1u);
  ASSERT_FALSE(answer->front().empty());
  const Overlap& o = answer->front().front();
  EXPECT_TRUE(o.a.record.id == iom || o.b.record.id == iom);
  // Its own organisation's activities are not overlaps of a draft.
  auto own = coherence_->Check(FocalPoint("iom"), {draft});
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(own->front().empty());
  Principal stakeholder = FocalPoint("");
  stakeholder.role = Role::kStakeholder;
  EXPECT_EQ(coherence_->Check(stakeholder, {draft}).error().code, ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Engines, CoherenceServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
