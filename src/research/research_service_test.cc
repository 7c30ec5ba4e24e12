#include "research/research_service.h"

#include <gtest/gtest.h>

#include "app/testing.h"
#include "research/exchange_service.h"
#include "research/research_demo.h"

namespace gmg {
namespace {

constexpr int64_t kNow = 1796122800;  // 2026-12-01T11:00:00Z

Principal StaffOf(const std::string& org, Role role) {
  Principal p;
  p.user_id = 7;
  p.email = "someone@" + org + ".int";
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}

Principal Secretariat() { return StaffOf("", Role::kSecretariat); }
Principal FocalPoint(const std::string& org) { return StaffOf(org, Role::kFocalPoint); }

const FieldProblem& Broken(const Error& e) {
  static const FieldProblem kNone("", "");
  return e.details.empty() ? kNone : e.details.front();
}

class ResearchServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    service_ = std::make_unique<ResearchService>(*db_, [] { return kNow; });
  }
  int64_t Count(const std::string& sql) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }
  Institution Add(const std::string& name, const std::string& country,
                  const Principal& by = Secretariat()) {
    auto i = service_->CreateInstitution(
        by, {.name = name, .country = country, .type = "university", .website = ""});
    EXPECT_TRUE(i.ok()) << (i.ok() ? "" : i.error().message);
    return i.ok() ? *i : Institution{};
  }
  ProjectFields Project(std::vector<std::string> orgs) {
    return ProjectFields{.title = "Fair recruitment costs",
                         .summary = "A survey",
                         .started_on = "2026-01-01",
                         .ended_on = "2026-12-31",
                         .status = "active",
                         .organizations = std::move(orgs),
                         .institutions = {}};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<ResearchService> service_;
};

TEST_P(ResearchServiceTest, AnEmptyNetworkReportsNoneOfNone) {
  auto share = service_->Share();
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(share->institutions.total, 0);
  EXPECT_EQ(share->institutions.developing, 0);
  EXPECT_EQ(share->researchers.total, 0);
}

TEST_P(ResearchServiceTest, CountsInstitutionsAndResearchersByDevelopmentGroup) {
  Institution nepal = Add("Kathmandu institute", "NPL");
  Add("Suva university", "FJI");
  Institution berlin = Add("Berlin institute", "DEU");
  Add("La Paz institute", "BOL");
  for (int64_t inst : {nepal.id, nepal.id, berlin.id}) {
    ASSERT_TRUE(
        service_->CreateResearcher(Secretariat(), {.name = "R", .institution_id = inst}).ok());
  }
  auto share = service_->Share();
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(share->institutions.total, 4);
  EXPECT_EQ(share->institutions.developing, 3);
  EXPECT_EQ(share->institutions.ldc, 1);
  EXPECT_EQ(share->institutions.lldc, 2);  // Nepal, Bolivia
  EXPECT_EQ(share->institutions.sids, 1);
  EXPECT_EQ(share->researchers.total, 3);
  EXPECT_EQ(share->researchers.developing, 2);
  EXPECT_EQ(share->researchers.ldc, 2);
  EXPECT_EQ(share->researchers.sids, 0);
}

TEST_P(ResearchServiceTest, RefusesUnknownCountriesAndTypesAndChangesNothing) {
  auto bad = service_->CreateInstitution(Secretariat(),
                                         {.name = "X", .country = "XYZ", .type = "university"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Broken(bad.error()).field, "country");
  EXPECT_EQ(Broken(bad.error()).rule, "unknown_country");
  auto lower = service_->CreateInstitution(Secretariat(),
                                           {.name = "X", .country = "npl", .type = "university"});
  EXPECT_EQ(Broken(lower.error()).rule, "unknown_country");
  auto type = service_->CreateInstitution(Secretariat(),
                                          {.name = "X", .country = "NPL", .type = "college"});
  EXPECT_EQ(Broken(type.error()).rule, "not_in_list");
  auto url = service_->CreateInstitution(
      Secretariat(), {.name = "X", .country = "NPL", .type = "ngo", .website = "ftp://x"});
  EXPECT_EQ(Broken(url.error()).rule, "invalid_url");
  auto empty =
      service_->CreateInstitution(Secretariat(), {.name = "", .country = "NPL", .type = "ngo"});
  EXPECT_EQ(Broken(empty.error()).rule, "required");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM research_institutions"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'research_institution'"), 0);
}

TEST_P(ResearchServiceTest, FocalPointsAddAndEditTheirOwnOthersAre403) {
  Institution mine = Add("IOM partner", "KEN", FocalPoint("iom"));
  EXPECT_EQ(mine.added_by_organization, "iom");
  InstitutionFields change{.name = "Renamed", .country = "KEN", .type = "ngo"};
  EXPECT_TRUE(service_->UpdateInstitution(FocalPoint("iom"), mine.id, std::nullopt, change).ok());
  auto other = service_->UpdateInstitution(FocalPoint("unhcr"), mine.id, std::nullopt, change);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  auto member = service_->CreateInstitution(StaffOf("iom", Role::kMember), change);
  EXPECT_EQ(member.error().code, ErrorCode::kPermissionDenied);
  auto nobody = service_->CreateInstitution(Principal{}, change);
  EXPECT_EQ(nobody.error().code, ErrorCode::kUnauthenticated);
  Principal former = FocalPoint("iom");
  former.outside_gmg = true;
  EXPECT_EQ(service_->CreateInstitution(former, change).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->UpdateInstitution(Secretariat(), mine.id, std::nullopt, change).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'research_institution'"), 3);
}

// Two editors of one record: the second, holding the version it read before the first saved,
// is refused (412 through the API) and changes nothing; each update bumps the version.
TEST_P(ResearchServiceTest, AStaleVersionIsRefusedAndChangesNothing) {
  Institution inst = Add("IOM partner", "KEN", FocalPoint("iom"));
  EXPECT_EQ(inst.version, 1);
  InstitutionFields first{.name = "First", .country = "KEN", .type = "ngo"};
  auto saved = service_->UpdateInstitution(FocalPoint("iom"), inst.id, 1, first);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(saved->version, 2);
  InstitutionFields second{.name = "Second", .country = "KEN", .type = "ngo"};
  auto stale = service_->UpdateInstitution(Secretariat(), inst.id, 1, second);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(service_->GetInstitution(inst.id)->name, "First");
  // A stranger learns nothing from the version: permission is checked first.
  EXPECT_EQ(service_->UpdateInstitution(FocalPoint("unhcr"), inst.id, 1, second).error().code,
            ErrorCode::kPermissionDenied);

  auto person = service_->CreateResearcher(Secretariat(), {.name = "R", .institution_id = inst.id});
  ASSERT_TRUE(person.ok());
  ResearcherFields renamed{.name = "R2", .institution_id = inst.id};
  EXPECT_EQ(service_->UpdateResearcher(Secretariat(), person->id, 1, renamed)->version, 2);
  EXPECT_EQ(service_->UpdateResearcher(Secretariat(), person->id, 1, renamed).error().code,
            ErrorCode::kPreconditionFailed);

  auto project = service_->CreateProject(FocalPoint("iom"), Project({"iom"}));
  ASSERT_TRUE(project.ok());
  EXPECT_EQ(service_->UpdateProject(FocalPoint("iom"), project->id, 1, Project({"iom"}))->version,
            2);
  EXPECT_EQ(
      service_->UpdateProject(FocalPoint("iom"), project->id, 1, Project({"iom"})).error().code,
      ErrorCode::kPreconditionFailed);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'update'"), 3);
}

TEST_P(ResearchServiceTest, OutsidersSeeOnlyPublicProfilesAndNoEmail) {
  Institution i = Add("Suva university", "FJI");
  auto open = service_->CreateResearcher(Secretariat(), {.name = "Open",
                                                         .institution_id = i.id,
                                                         .email = "open@example.org",
                                                         .themes = {"climate mobility"},
                                                         .languages = {"en", "fj"},
                                                         .public_profile = true});
  ASSERT_TRUE(open.ok());
  auto hidden = service_->CreateResearcher(
      Secretariat(), {.name = "Hidden", .institution_id = i.id, .email = "hidden@example.org"});
  ASSERT_TRUE(hidden.ok());
  auto anonymous = service_->ListResearchers(Principal{}, 0);
  ASSERT_TRUE(anonymous.ok());
  ASSERT_EQ(anonymous->size(), 1u);
  EXPECT_EQ((*anonymous)[0].name, "Open");
  EXPECT_EQ((*anonymous)[0].email, "");
  EXPECT_EQ((*anonymous)[0].country, "FJI");
  EXPECT_EQ(service_->GetResearcher(Principal{}, hidden->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->ListResearchers(StaffOf("", Role::kStakeholder), 0)->size(), 1u);
  auto insider = service_->ListResearchers(StaffOf("unhcr", Role::kMember), i.id);
  ASSERT_TRUE(insider.ok());
  ASSERT_EQ(insider->size(), 2u);
  EXPECT_EQ((*insider)[0].email, "hidden@example.org");
  EXPECT_EQ(service_->GetResearcher(Secretariat(), hidden->id)->email, "hidden@example.org");
}

TEST_P(ResearchServiceTest, RefusesBadResearchers) {
  Institution i = Add("Suva university", "FJI");
  auto check = [&](const ResearcherFields& f, const std::string& field, const std::string& rule) {
    auto r = service_->CreateResearcher(Secretariat(), f);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(Broken(r.error()).field, field);
    EXPECT_EQ(Broken(r.error()).rule, rule);
  };
  check({.name = "R", .institution_id = 999}, "institution_id", "unknown_institution");
  check({.name = "R", .institution_id = i.id, .email = "no-at"}, "email", "invalid_email");
  check({.name = "R", .institution_id = i.id, .languages = {"eng"}}, "languages",
        "invalid_language");
  check({.name = "R", .institution_id = i.id, .languages = {"en", "en"}}, "languages",
        "duplicate_language");
  check({.name = "R", .institution_id = i.id, .themes = {"a", "a"}}, "themes", "duplicate_value");
  check({.name = "R", .institution_id = i.id, .themes = std::vector<std::string>(21, "x")},
        "themes", "too_many");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM researchers"), 0);
}

TEST_P(ResearchServiceTest, ProjectsAreEditedByTheirOrganisationsFocalPointsOnly) {
  Institution i = Add("Kathmandu institute", "NPL");
  ProjectFields f = Project({"iom", "ilo"});
  f.institutions = {i.id};
  auto p = service_->CreateProject(FocalPoint("iom"), f);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->organizations, (std::vector<std::string>{"ilo", "iom"}));
  EXPECT_EQ(p->institutions, (std::vector<int64_t>{i.id}));
  f.title = "Renamed";
  EXPECT_TRUE(service_->UpdateProject(FocalPoint("ilo"), p->id, std::nullopt, f).ok());
  auto outsider = service_->UpdateProject(FocalPoint("unhcr"), p->id, std::nullopt, f);
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      service_->UpdateProject(StaffOf("iom", Role::kMember), p->id, std::nullopt, f).error().code,
      ErrorCode::kPermissionDenied);
  // A focal point cannot take its own organisation out, nor start a project without it.
  ProjectFields without = Project({"ilo"});
  EXPECT_EQ(service_->UpdateProject(FocalPoint("iom"), p->id, std::nullopt, without).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->CreateProject(FocalPoint("unhcr"), Project({"iom"})).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->UpdateProject(Secretariat(), p->id, std::nullopt, without).ok());
  EXPECT_EQ(service_->GetProject(p->id)->organizations, (std::vector<std::string>{"ilo"}));
}

TEST_P(ResearchServiceTest, AFocalPointAddsOrganisationsButRemovesNoOther) {
  auto p = service_->CreateProject(FocalPoint("iom"), Project({"iom", "ilo"}));
  ASSERT_TRUE(p.ok()) << p.error().message;
  // The ILO's focal point drops the IOM: refused, nothing changed.
  auto dropped = service_->UpdateProject(FocalPoint("ilo"), p->id, std::nullopt, Project({"ilo"}));
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Broken(dropped.error()).field, "organizations");
  EXPECT_EQ(Broken(dropped.error()).rule, "not_own_organization");
  EXPECT_EQ(Broken(dropped.error()).args,
            (std::vector<std::pair<std::string, std::string>>{{"value", "iom"}}));
  // Nor by swapping it for another.
  EXPECT_EQ(
      Broken(
          service_->UpdateProject(FocalPoint("ilo"), p->id, std::nullopt, Project({"ilo", "unhcr"}))
              .error())
          .rule,
      "not_own_organization");
  EXPECT_EQ(service_->GetProject(p->id)->organizations, (std::vector<std::string>{"ilo", "iom"}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'research_project'"), 1);
  // Adding one is any co-owner's.
  auto added = service_->UpdateProject(FocalPoint("ilo"), p->id, std::nullopt,
                                       Project({"ilo", "iom", "unhcr"}));
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->organizations, (std::vector<std::string>{"ilo", "iom", "unhcr"}));
  // Removing one is the secretariat's.
  auto removed =
      service_->UpdateProject(Secretariat(), p->id, std::nullopt, Project({"ilo", "unhcr"}));
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  EXPECT_EQ(removed->organizations, (std::vector<std::string>{"ilo", "unhcr"}));
}

TEST_P(ResearchServiceTest, RefusesBadProjects) {
  auto check = [&](const ProjectFields& f, const std::string& field, const std::string& rule) {
    auto r = service_->CreateProject(Secretariat(), f);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(Broken(r.error()).field, field) << r.error().message;
    EXPECT_EQ(Broken(r.error()).rule, rule);
  };
  check(Project({}), "organizations", "required");
  check(Project({"nobody"}), "organizations", "not_gmg_member");
  check(Project({"iom", "iom"}), "organizations", "duplicate_value");
  ProjectFields backwards = Project({"iom"});
  backwards.ended_on = "2025-01-01";
  check(backwards, "ended_on", "before_start");
  ProjectFields status = Project({"iom"});
  status.status = "paused";
  check(status, "status", "not_in_list");
  ProjectFields unknown = Project({"iom"});
  unknown.institutions = {42};
  check(unknown, "institutions", "unknown_institution");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM research_projects"), 0);
}

TEST_P(ResearchServiceTest, SearchFindsWhatTheViewerMaySee) {
  Institution i = Add("Pacific Centre for Climate Mobility", "FJI");
  ASSERT_TRUE(service_
                  ->CreateResearcher(Secretariat(),
                                     {.name = "Hidden climate expert", .institution_id = i.id})
                  .ok());
  ASSERT_TRUE(service_->CreateProject(Secretariat(), Project({"iom"})).ok());
  auto anonymous = service_->Search(Principal{}, "CLIMATE", 10);
  ASSERT_TRUE(anonymous.ok());
  ASSERT_EQ(anonymous->size(), 1u);
  EXPECT_EQ((*anonymous)[0].kind, "institution");
  EXPECT_EQ(service_->Search(Secretariat(), "climate", 10)->size(), 2u);
  // Only the kinds asked (the one search's "person" and "research").
  auto people = service_->Search(Secretariat(), "climate", 10,
                                 {.institutions = false, .researchers = true, .projects = false});
  ASSERT_EQ(people->size(), 1u);
  EXPECT_EQ((*people)[0].kind, "researcher");
  auto rest = service_->Search(Secretariat(), "climate", 10,
                               {.institutions = true, .researchers = false, .projects = true});
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].kind, "institution");
  EXPECT_EQ(service_->Search(Secretariat(), "100%", 10)->size(), 0u);
  EXPECT_EQ(service_->Search(Secretariat(), "recruitment", 10)->front().kind, "research_project");
  EXPECT_EQ(service_->Search(Secretariat(), "", 10).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Search(Secretariat(), "x", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Search(Secretariat(), "x", 101).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Search(Secretariat(), std::string(201, 'x'), 10).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(ResearchServiceTest, DemoLoadsOnceWithDevelopingCountriesLabelled) {
  ExchangeService exchanges(
      *db_,
      [](int64_t) -> Result<std::optional<ExchangeUserRef>> {
        return std::optional<ExchangeUserRef>(ExchangeUserRef{});
      },
      [] { return kNow; });
  auto added = LoadDemoResearch(*service_, exchanges);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*added, 10 + 8 + 2 + 3);
  auto again = LoadDemoResearch(*service_, exchanges);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto institutions = service_->ListInstitutions({});
  ASSERT_TRUE(institutions.ok());
  for (const Institution& i : *institutions) {
    EXPECT_TRUE(i.name.starts_with("Demo:")) << i.name;
  }
  auto share = service_->Share();
  EXPECT_EQ(share->institutions.total, 10);
  EXPECT_EQ(share->institutions.developing, 8);
  EXPECT_GE(share->institutions.ldc, 2);
  EXPECT_GE(share->institutions.sids, 2);
  auto list = exchanges.List(Secretariat(), "");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ResearchServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
