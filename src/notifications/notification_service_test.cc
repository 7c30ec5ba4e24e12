#include "notifications/notification_service.h"

#include <gtest/gtest.h>

#include "app/testing.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace {

// 2026-11-30 05:00 UTC.
constexpr int64_t kMorning = 1796014800;

// On both engines (store/test_database.h), with an injected clock.
class NotificationServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    auth_ = std::make_unique<AuthService>(*db_, OrganizationExists, IsMemberOn,
                                          AuthLimits{.password_hash = kMinimumHashCost});
    NotificationOptions options;
    options.public_url = "https://hub.example.org";
    options.now = [this] { return now_; };
    service_ = std::make_unique<NotificationService>(
        *db_, [this]() -> AuthService& { return *auth_; }, options);
    fp_iom_ = AddUser("fp@iom.int", "Amina Diallo", Role::kFocalPoint, "iom", "fr");
    member_iom_ = AddUser("member@iom.int", "Luis Pérez", Role::kMember, "iom", "es");
    fp_unhcr_ = AddUser("fp@unhcr.org", "Layla Haddad", Role::kFocalPoint, "unhcr", "ar");
    secretariat_ = AddUser("sec@gmg.org", "Sam Jones", Role::kSecretariat, "", "");
    stakeholder_ = AddUser("civil@example.org", "Chris Ng", Role::kStakeholder, "", "");
    Principal gone = AddUser("gone@iom.int", "Former Staff", Role::kMember, "iom", "");
    ASSERT_TRUE(auth_->DeactivateUser(Principal::Cli(), gone.user_id).ok());
  }

  Principal AddUser(const std::string& email, const std::string& name, Role role,
                    const std::string& org, const std::string& language) {
    NewUser u{email, name, role, org, "a long enough password 1"};
    auto created = auth_->CreateUser(Principal::Cli(), u);
    EXPECT_TRUE(created.ok()) << created.error().message;
    Principal p;
    p.user_id = created->id;
    p.email = email;
    p.name = name;
    p.role = role;
    p.organization_id = org;
    p.via = AuthVia::kToken;
    if (!language.empty()) {
      EXPECT_TRUE(auth_->SetOwnLanguage(p, language).ok());
    }
    return p;
  }

  int64_t Count(const std::string& sql, SqlParams params = {}) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, params));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }

  Status Enqueue(const NewNotification& n) {
    return db_->Write([&](Tx& tx) { return service_->Enqueue(tx, n); });
  }

  static NewNotification RoundOpened(NotificationAudience audience) {
    NewNotification n;
    n.kind = NotificationKind::kRoundOpened;
    n.params = {{"position", "Migrant workers' rights"},
                {"deadline", "2026-12-10T16:00:00Z"},
                {"rule", "consensus"}};
    n.link = "/positions/7";
    n.entity = "position";
    n.entity_id = 7;
    n.audience = std::move(audience);
    return n;
  }

  std::vector<std::string> OutboxSubjectsTo(const std::string& email) {
    std::vector<std::string> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto rows,
                                          tx.Query("SELECT subject FROM email_outbox WHERE "
                                                   "to_address = ? ORDER BY id",
                                                   {email}));
                     for (const Row& r : rows) out.push_back(r.Text(0));
                     return Ok();
                   })
                    .ok());
    return out;
  }

  int64_t now_ = kMorning;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<NotificationService> service_;
  Principal fp_iom_, member_iom_, fp_unhcr_, secretariat_, stakeholder_;
};

TEST_P(NotificationServiceTest, EnqueueInARolledBackTransactionLeavesNothing) {
  Status s = db_->Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(service_->Enqueue(tx, RoundOpened({{"iom", "unhcr"}, false, true, {}})));
    return MakeError(ErrorCode::kConflict, "the change this reports was refused");
  });
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count("SELECT count(*) FROM notification_events"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM notifications"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM email_outbox"), 0);
}

TEST_P(NotificationServiceTest, AudienceExpandsToActiveUsersOnce) {
  // iom's staff, all staff, and the secretariat named again: each once; the deactivated iom
  // member and the stakeholder are not reached.
  ASSERT_TRUE(
      Enqueue(RoundOpened({{"iom"}, false, true, {secretariat_.user_id, fp_iom_.user_id}})).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM notification_events"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM notifications"), 3);  // fp, member, secretariat
  EXPECT_EQ(Count("SELECT count(*) FROM notifications WHERE user_id = ?", {fp_iom_.user_id}), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM notifications WHERE user_id = ?", {fp_unhcr_.user_id}), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM notifications WHERE user_id = ?", {stakeholder_.user_id}),
            0);
  // round_opened goes by e-mail by default, rendered in each user's language.
  EXPECT_EQ(OutboxSubjectsTo("fp@iom.int"),
            std::vector<std::string>{"Cycle d'approbation ouvert : Migrant workers' rights"});
  EXPECT_EQ(OutboxSubjectsTo("member@iom.int"),
            std::vector<std::string>{"Ronda de respaldo abierta: Migrant workers' rights"});
  EXPECT_EQ(OutboxSubjectsTo("sec@gmg.org"),
            std::vector<std::string>{"Endorsement round opened: Migrant workers' rights"});
  EXPECT_EQ(Count("SELECT count(*) FROM email_outbox WHERE status = 'pending' AND "
                  "next_attempt_at = ? AND body LIKE ?",
                  {kMorning, std::string("%https://hub.example.org/positions/7%")}),
            3);
}

TEST_P(NotificationServiceTest, FocalPointsOnlyAndArabic) {
  ASSERT_TRUE(Enqueue(RoundOpened({{"iom", "unhcr"}, true, false, {}})).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM notifications"), 2);
  EXPECT_EQ(OutboxSubjectsTo("fp@unhcr.org"),
            std::vector<std::string>{"بدء جولة اعتماد: Migrant workers' rights"});
  EXPECT_TRUE(OutboxSubjectsTo("member@iom.int").empty());
}

TEST_P(NotificationServiceTest, RefusesAnEmptyAudienceAndALinkThatIsNotAPath) {
  Status empty = Enqueue(RoundOpened({}));
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.error().details[0].field, "audience");
  NewNotification n = RoundOpened({{"iom"}, false, false, {}});
  n.link = "https://elsewhere.example/positions/7";
  EXPECT_EQ(Enqueue(n).error().details[0].field, "link");
  n.link = "/positions/7";
  n.params["position"] = std::string("\xC3\x28");
  EXPECT_EQ(Enqueue(n).error().details[0].field, "params.position");
  EXPECT_EQ(Count("SELECT count(*) FROM notification_events"), 0);
}

TEST_P(NotificationServiceTest, PreferencesChooseTheChannel) {
  auto defaults = service_->GetPreferences(fp_iom_);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->kinds.size(), 6u);
  EXPECT_EQ(defaults->kinds[NotificationKind::kRoundOpened], Channel::kEmail);
  EXPECT_EQ(defaults->kinds[NotificationKind::kActionAssigned], Channel::kEmail);
  EXPECT_EQ(defaults->kinds[NotificationKind::kMinutesCirculated], Channel::kInApp);
  EXPECT_EQ(defaults->digest_hour, kDefaultDigestHour);

  int64_t audit_before = Count("SELECT count(*) FROM audit_log");
  PreferencesChange in_app;
  in_app.kinds[NotificationKind::kRoundOpened] = Channel::kInApp;
  ASSERT_TRUE(service_->SetPreferences(fp_iom_, in_app).ok());
  PreferencesChange nothing;
  nothing.kinds[NotificationKind::kRoundOpened] = Channel::kNone;
  nothing.digest_hour = 18;
  auto changed = service_->SetPreferences(member_iom_, nothing);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->digest_hour, 18);
  EXPECT_EQ(changed->kinds[NotificationKind::kRoundOpened], Channel::kNone);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'notification_preferences'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audit_before + 2);
  PreferencesChange bad;
  bad.digest_hour = 24;
  EXPECT_EQ(service_->SetPreferences(fp_iom_, bad).error().details[0].field, "digest_hour");

  ASSERT_TRUE(Enqueue(RoundOpened({{"iom"}, false, false, {}})).ok());
  // In the app only: an inbox row, no e-mail. None: neither.
  EXPECT_EQ(Count("SELECT count(*) FROM notifications WHERE user_id = ?", {fp_iom_.user_id}), 1);
  EXPECT_TRUE(OutboxSubjectsTo("fp@iom.int").empty());
  EXPECT_EQ(Count("SELECT count(*) FROM notifications WHERE user_id = ?", {member_iom_.user_id}),
            0);
  EXPECT_TRUE(OutboxSubjectsTo("member@iom.int").empty());
  // Someone else's preferences are untouched.
  EXPECT_EQ(service_->GetPreferences(fp_unhcr_)->kinds[NotificationKind::kRoundOpened],
            Channel::kEmail);
}

TEST_P(NotificationServiceTest, InboxIsOnesOwnInOnesLanguage) {
  ASSERT_TRUE(Enqueue(RoundOpened({{"iom"}, false, false, {}})).ok());
  now_ += 60;
  NewNotification minutes;
  minutes.kind = NotificationKind::kMinutesCirculated;
  minutes.params = {{"meeting", "Principals, Geneva"}, {"comments_until", "2026-12-07T17:00:00Z"}};
  minutes.link = "/meetings/3";
  minutes.audience.organization_ids = {"iom", "unhcr"};
  ASSERT_TRUE(Enqueue(minutes).ok());

  auto page = service_->List(fp_iom_, false, 1, std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].kind, NotificationKind::kMinutesCirculated);  // newest first
  EXPECT_EQ(page->items[0].text.subject,
            "Procès-verbal diffusé pour observations : Principals, Geneva");
  EXPECT_EQ(page->items[0].link, "/meetings/3");
  ASSERT_TRUE(page->next.has_value());
  auto rest = service_->List(fp_iom_, false, 1, page->next);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].kind, NotificationKind::kRoundOpened);
  EXPECT_FALSE(rest->next.has_value());

  EXPECT_EQ(*service_->UnreadCount(fp_iom_), 2);
  // Another user's ids are ignored; one's own are marked and audited.
  int64_t theirs = service_->List(fp_unhcr_, false, 10, std::nullopt)->items[0].id;
  EXPECT_EQ(*service_->MarkRead(fp_iom_, {theirs}, false), 0);
  EXPECT_EQ(*service_->UnreadCount(fp_unhcr_), 1);
  EXPECT_EQ(*service_->MarkRead(fp_iom_, {page->items[0].id}, false), 1);
  EXPECT_EQ(*service_->UnreadCount(fp_iom_), 1);
  auto unread = service_->List(fp_iom_, true, 10, std::nullopt);
  ASSERT_EQ(unread->items.size(), 1u);
  EXPECT_EQ(unread->items[0].kind, NotificationKind::kRoundOpened);
  EXPECT_EQ(*service_->MarkRead(fp_iom_, {}, true), 1);
  EXPECT_EQ(*service_->UnreadCount(fp_iom_), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'notifications'"), 2);
  EXPECT_EQ(service_->List(Principal(), false, 10, std::nullopt).error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(NotificationServiceTest, DigestOncePerDay) {
  PreferencesChange digest;
  digest.kinds[NotificationKind::kMinutesCirculated] = Channel::kDigest;
  ASSERT_TRUE(service_->SetPreferences(fp_iom_, digest).ok());
  NewNotification minutes;
  minutes.kind = NotificationKind::kMinutesCirculated;
  minutes.params = {{"meeting", "Working level, New York"},
                    {"comments_until", "2026-12-07T17:00:00Z"}};
  minutes.link = "/meetings/4";
  minutes.audience.user_ids = {fp_iom_.user_id};
  ASSERT_TRUE(Enqueue(minutes).ok());
  now_ += 600;
  minutes.params["meeting"] = "Principals, Geneva";
  ASSERT_TRUE(Enqueue(minutes).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM email_outbox"), 0);  // not sent at once

  now_ = kMorning + 3600;  // 06:00: before the digest hour (07:00)
  EXPECT_EQ(*service_->QueueDigests(), 0);
  now_ = kMorning + 3 * 3600;  // 08:00
  EXPECT_EQ(*service_->QueueDigests(), 1);
  EXPECT_EQ(*service_->QueueDigests(), 0);  // once a day, however often it runs
  now_ += 3600;
  ASSERT_TRUE(Enqueue(minutes).ok());
  EXPECT_EQ(*service_->QueueDigests(), 0);  // still today
  auto subjects = OutboxSubjectsTo("fp@iom.int");
  ASSERT_EQ(subjects.size(), 1u);
  EXPECT_EQ(subjects[0], "GMG Hub : votre résumé quotidien (2)");
  EXPECT_EQ(Count("SELECT count(*) FROM email_outbox WHERE digest_date = '2026-11-30' AND "
                  "body LIKE ? AND body LIKE ?",
                  {std::string("%Working level, New York%"),
                   std::string("%https://hub.example.org/meetings/4%")}),
            1);

  now_ = kMorning + 86400 + 3 * 3600;  // the next day, 08:00: only what came since
  EXPECT_EQ(*service_->QueueDigests(), 1);
  subjects = OutboxSubjectsTo("fp@iom.int");
  ASSERT_EQ(subjects.size(), 2u);
  EXPECT_EQ(subjects[1], "GMG Hub : votre résumé quotidien (1)");
  now_ = kMorning + 2 * 86400 + 3 * 3600;  // nothing new: no digest
  EXPECT_EQ(*service_->QueueDigests(), 0);
}

TEST_P(NotificationServiceTest, OutboxIsForAdministrators) {
  ASSERT_TRUE(Enqueue(RoundOpened({{"iom"}, false, false, {}})).ok());
  EXPECT_EQ(service_->Outbox(secretariat_, 10).error().code, ErrorCode::kPermissionDenied);
  auto summary = service_->Outbox(Principal::Cli(), 10);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->pending, 2);
  EXPECT_EQ(summary->sent, 0);
  EXPECT_EQ(summary->oldest_pending_at, kMorning);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotificationServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
