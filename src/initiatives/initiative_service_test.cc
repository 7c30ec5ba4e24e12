#include "initiatives/initiative_service.h"

#include <gtest/gtest.h>

#include <set>

#include "app/testing.h"
#include "initiatives/initiative_json.h"
#include "initiatives/initiative_seed.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796122800;  // 2026-12-01T11:00:00Z

Principal StaffOf(const std::string& org, Role role) {
  Principal p;
  p.email = "someone@" + org + ".int";
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() { return StaffOf("", Role::kSecretariat); }

const FieldProblem& Broken(const Error& e) {
  static const FieldProblem kNone("", "");
  return e.details.empty() ? kNone : e.details.front();
}

class InitiativeServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    ASSERT_TRUE(SeedInitiatives(*db_, kNow).ok());
    auto target = [this](std::string_view kind, int64_t id) -> Result<bool> {
      asked_.emplace_back(std::string(kind), id);
      return (kind == "meeting" ? meetings_ : positions_).contains(id);
    };
    service_ = std::make_unique<InitiativeService>(*db_, target, [this] { return now_; });
  }
  int64_t AuditRows(const std::string& entity) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto r,
                         tx.QueryOne("SELECT count(*) FROM audit_log WHERE entity = ?", {entity}));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }
  NewContribution Paper(const std::string& org) {
    return NewContribution{.organization_id = org,
                           .kind = "paper",
                           .title = "A paper",
                           .description = "",
                           .url = "https://example.org/paper.pdf",
                           .date = "2006-07-01"};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<InitiativeService> service_;
  int64_t now_ = kNow;
  std::set<int64_t> meetings_{7, 8};
  std::set<int64_t> positions_{3};
  std::vector<std::pair<std::string, int64_t>> asked_;
};

TEST_P(InitiativeServiceTest, SeedsTheTwoInitiativesOnceAsHistory) {
  auto again = SeedInitiatives(*db_, kNow + 100);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto all = service_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].slug, "gcim-follow-up");  // oldest start first (2005)
  EXPECT_EQ((*all)[1].slug, "hld-2006");
  EXPECT_EQ((*all)[1].status, "concluded");
  EXPECT_EQ((*all)[1].title,
            "High-level Dialogue on International Migration and Development (2006)");
  EXPECT_EQ((*all)[0].created_at, kNow);
  EXPECT_EQ((*all)[0].contributions_count, 0);
}

TEST_P(InitiativeServiceTest, CreatesAndEditsWithTheVersionAndAudits) {
  NewInitiative n{.slug = "gfmd",
                  .title = "Global Forum",
                  .description = "d",
                  .started_on = "2007-07-09",
                  .ended_on = std::nullopt,
                  .status = "open"};
  EXPECT_EQ(service_->Create(StaffOf("iom", Role::kFocalPoint), n).error().code,
            ErrorCode::kPermissionDenied);
  auto created = service_->Create(Secretariat(), n);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(service_->Create(Secretariat(), n).error().code, ErrorCode::kConflict);
  n.slug = "Bad Slug";
  EXPECT_EQ(Broken(service_->Create(Secretariat(), n).error()).field, "slug");

  now_ = kNow + 60;
  InitiativeChange c;
  c.status = "concluded";
  c.ended_on = "2007-07-10";
  auto updated = service_->Update(Secretariat(), "gfmd", 1, c);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->updated_at, kNow + 60);
  EXPECT_EQ(*updated->ended_on, "2007-07-10");
  EXPECT_EQ(service_->Update(Secretariat(), "gfmd", 1, c).error().code,
            ErrorCode::kPreconditionFailed);
  InitiativeChange backwards;
  backwards.ended_on = "2007-01-01";
  auto refused = service_->Update(Secretariat(), std::to_string(created->id), 2, backwards);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(refused.error()).rule, "before_start");
  InitiativeChange clear;
  clear.ended_on = "";
  EXPECT_FALSE(service_->Update(Secretariat(), "gfmd", 2, clear)->ended_on.has_value());
  EXPECT_EQ(AuditRows("initiative"), 3);
  EXPECT_EQ(service_->Get("nothing").error().code, ErrorCode::kNotFound);
}

TEST_P(InitiativeServiceTest, MemberStaffContributeForTheirOwnOrganisationOnly) {
  auto own = service_->AddContribution(StaffOf("iom", Role::kFocalPoint), "hld-2006", Paper("iom"));
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(own->created_at, kNow);
  auto implied = service_->AddContribution(StaffOf("ilo", Role::kMember), "hld-2006", Paper(""));
  ASSERT_TRUE(implied.ok());
  EXPECT_EQ(implied->organization_id, "ilo");
  auto other =
      service_->AddContribution(StaffOf("iom", Role::kFocalPoint), "hld-2006", Paper("unhcr"));
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  auto stakeholder =
      service_->AddContribution(StaffOf("iom", Role::kStakeholder), "hld-2006", Paper("iom"));
  EXPECT_EQ(stakeholder.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->AddContribution(Secretariat(), "hld-2006", Paper("unhcr")).ok());
  auto unknown = service_->AddContribution(Secretariat(), "hld-2006", Paper("nobody"));
  EXPECT_EQ(Broken(unknown.error()).rule, "unknown_organization");
  EXPECT_EQ(Broken(other.error()).rule, "not_own_organization");
  EXPECT_EQ(service_->Get("hld-2006")->contributions_count, 3);
  EXPECT_EQ(AuditRows("contribution"), 3);

  // Removing: the contributing organisation or staff, nobody else.
  EXPECT_EQ(service_->DeleteContribution(StaffOf("unhcr", Role::kFocalPoint), "hld-2006", own->id)
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(
      service_->DeleteContribution(StaffOf("iom", Role::kMember), "hld-2006", own->id).ok());
  EXPECT_EQ(service_->DeleteContribution(Secretariat(), "hld-2006", own->id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(AuditRows("contribution"), 4);
}

TEST_P(InitiativeServiceTest, ChecksKindDateAndUrl) {
  NewContribution c = Paper("iom");
  c.kind = "speech";
  EXPECT_EQ(Broken(service_->AddContribution(Secretariat(), "hld-2006", c).error()).field, "kind");
  c = Paper("iom");
  c.date = "2006-02-30";
  EXPECT_EQ(Broken(service_->AddContribution(Secretariat(), "hld-2006", c).error()).field, "date");
  for (const char* bad : {"javascript:alert(1)", "ftp://example.org/x", "https://",
                          "http://exa mple.org", "https://user@host/x", "data:text/html,x"}) {
    c = Paper("iom");
    c.url = bad;
    auto refused = service_->AddContribution(Secretariat(), "hld-2006", c);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition) << bad;
    EXPECT_EQ(Broken(refused.error()).field, "url") << bad;
  }
  EXPECT_TRUE(CheckContributionUrl("").ok());
  EXPECT_TRUE(CheckContributionUrl("http://example.org").ok());
  EXPECT_EQ(service_->Get("hld-2006")->contributions_count, 0);
}

TEST_P(InitiativeServiceTest, LinksAreValidatedThroughTheInjectedTargetAndReplaced) {
  InitiativeLinks links{.meetings = {8, 7}, .positions = {3}};
  auto linked = service_->SetLinks(Secretariat(), "hld-2006", links);
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  EXPECT_EQ(linked->meeting_ids, (std::vector<int64_t>{7, 8}));
  EXPECT_EQ(linked->position_ids, (std::vector<int64_t>{3}));
  EXPECT_EQ(asked_.size(), 3u);

  auto unknown = service_->SetLinks(Secretariat(), "hld-2006", {.meetings = {7, 99}});
  EXPECT_EQ(unknown.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(unknown.error()).field, "meetings");
  EXPECT_EQ(Broken(unknown.error()).rule, "unknown_meeting");
  EXPECT_EQ(Broken(unknown.error()).args,
            (std::vector<std::pair<std::string, std::string>>{{"value", "99"}}));
  EXPECT_EQ(service_->Get("hld-2006")->meeting_ids.size(), 2u);  // nothing changed
  auto twice = service_->SetLinks(Secretariat(), "hld-2006", {.positions = {3, 3}});
  EXPECT_EQ(Broken(twice.error()).rule, "duplicate_value");
  EXPECT_EQ(service_->SetLinks(StaffOf("iom", Role::kFocalPoint), "hld-2006", links).error().code,
            ErrorCode::kPermissionDenied);

  auto replaced = service_->SetLinks(Secretariat(), "hld-2006", {.meetings = {8}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->meeting_ids, (std::vector<int64_t>{8}));
  EXPECT_TRUE(replaced->position_ids.empty());
  EXPECT_EQ(AuditRows("initiative"), 2);
}

TEST_P(InitiativeServiceTest, DemoDataIsLabelledAndLoadedOnce) {
  std::vector<std::string> follow_ups;
  InitiativeDemoSources demo{
      .demo_items = [](std::string_view kind) -> Result<std::vector<int64_t>> {
        return kind == "meeting" ? std::vector<int64_t>{7, 8} : std::vector<int64_t>{3};
      },
      .add_follow_up = [&](int64_t, const std::string& title, const std::string&,
                           const std::string&, const std::string&) -> Status {
        follow_ups.push_back(title);
        return Ok();
      }};
  auto added = LoadDemoInitiatives(*service_, demo, kNow);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_GE(*added, 6);
  auto linked = service_->Get("demo-migration-data");
  ASSERT_TRUE(linked.ok());
  EXPECT_TRUE(linked->title.starts_with("Demo:"));
  EXPECT_EQ(linked->meeting_ids, (std::vector<int64_t>{7, 8}));
  EXPECT_EQ(linked->position_ids, (std::vector<int64_t>{3}));
  ASSERT_EQ(follow_ups.size(), 3u);
  for (const std::string& title : follow_ups) EXPECT_TRUE(title.starts_with("Demo:")) << title;
  auto contributions = service_->ListContributions("hld-2006");
  ASSERT_TRUE(contributions.ok());
  std::set<std::string> kinds;
  std::set<std::string> orgs;
  for (const Contribution& c : *contributions) {
    EXPECT_TRUE(c.title.starts_with("Demo:")) << c.title;
    kinds.insert(c.kind);
    orgs.insert(c.organization_id);
  }
  EXPECT_GE(orgs.size(), 3u);
  EXPECT_EQ(*LoadDemoInitiatives(*service_, demo, kNow), 0);
  EXPECT_EQ(follow_ups.size(), 3u);
}

// Answers like the meetings and positions modules would: meeting 8 and position 3 exist,
// position 3 only for insiders; counts its calls.
class FakeDescriber final : public LinkDescriber {
 public:
  Result<std::map<int64_t, LinkedItem>> Meetings(const Principal&,
                                                 const std::vector<int64_t>& ids) override {
    ++meeting_calls;
    std::map<int64_t, LinkedItem> out;
    for (int64_t id : ids) {
      if (id == 8) out[id] = LinkedItem{8, "Working level", kNow, "held"};
    }
    return out;
  }
  Result<std::map<int64_t, LinkedItem>> Positions(const Principal& viewer,
                                                  const std::vector<int64_t>& ids) override {
    ++position_calls;
    std::map<int64_t, LinkedItem> out;
    for (int64_t id : ids) {
      if (id == 3 && viewer.signed_in()) {
        out[id] = LinkedItem{3, "Draft position", std::nullopt, "draft"};
      }
    }
    return out;
  }
  int meeting_calls = 0;
  int position_calls = 0;
};

TEST_P(InitiativeServiceTest, LinksAreNamedForTheViewerInOneReadPerKindAndBumpTheVersion) {
  FakeDescriber describer;
  service_ = std::make_unique<InitiativeService>(
      *db_, [](std::string_view, int64_t) -> Result<bool> { return true; }, [this] { return now_; },
      &describer);
  auto before = service_->Get("hld-2006");
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(
      service_->SetLinks(Secretariat(), "hld-2006", {.meetings = {7, 8}, .positions = {3}}).ok());
  auto other = service_->SetLinks(Secretariat(), "gcim-follow-up", {.meetings = {8}});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->version, 2);
  auto after = service_->Get("hld-2006");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->version, before->version + 1);

  auto all = service_->List();
  ASSERT_TRUE(all.ok());
  auto names = service_->DescribeLinks(Secretariat(), *all);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(describer.meeting_calls, 1);
  EXPECT_EQ(describer.position_calls, 1);
  EXPECT_EQ(names->meetings.size(), 1u);  // 7 no longer exists: left out
  EXPECT_EQ(names->meetings.at(8).title, "Working level");
  EXPECT_EQ(names->positions.at(3).title, "Draft position");

  auto anonymous = service_->DescribeLinks(Principal{}, {*after});
  ASSERT_TRUE(anonymous.ok());
  EXPECT_TRUE(anonymous->positions.empty());
  auto json = InitiativeJson(*after, &*anonymous);
  const auto& links = json.at("links").as_object();
  EXPECT_EQ(links.at("meetings").as_array().size(), 1u);
  EXPECT_EQ(links.at("meetings").as_array()[0].as_object().at("title").as_string(),
            "Working level");
  EXPECT_TRUE(links.at("positions").as_array().empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, InitiativeServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
