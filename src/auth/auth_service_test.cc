#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "app/legacy_schema_testing.h"
#include "app/testing.h"
#include "auth/crypto.h"
#include "core/date.h"
#include "core/text.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace {

// On both engines (store/test_database.h).
class AuthServiceTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    auth_ = std::make_unique<AuthService>(*db_, OrganizationExists, IsMemberOn,
                                          AuthLimits{.password_hash = kMinimumHashCost});
    // A clock the tests step, so backoffs and expiries are checked without waiting.
    auth_->SetClockForTesting([this] { return clock_; });
    ASSERT_TRUE(*auth_->EnsureFirstAdmin("admin@localhost", "admin-password-1"));
    NewUser fp{"fp@iom.int", "Focal Point", Role::kFocalPoint, "iom", "focal-point-pass"};
    auto u = auth_->CreateUser(Principal::Cli(), fp);
    ASSERT_TRUE(u.ok()) << u.error().message;
    focal_point_id_ = u->id;
  }

  int64_t AuditCount(const std::string& action) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto r,
                         tx.QueryOne("SELECT count(*) FROM audit_log WHERE action = ?", {action}));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }

  // Who a session or API token stands for (nullopt: nobody); the lookup itself must work.
  std::optional<Principal> SessionOf(std::string_view token) {
    auto p = auth_->SessionPrincipal(token);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? *p : std::nullopt;
  }
  std::optional<Principal> TokenOf(std::string_view token) {
    auto p = auth_->TokenPrincipal(token);
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? *p : std::nullopt;
  }

  // Signs in the focal point from `address` and returns the session's Principal.
  Principal SignInFocalPoint(const std::string& address, std::string* session_token = nullptr) {
    auto in = auth_->SignIn("fp@iom.int", "focal-point-pass", address);
    EXPECT_TRUE(in.ok()) << in.error().message;
    if (session_token) *session_token = in->session_token;
    return *SessionOf(in->session_token);
  }

  ErrorCode SignInCode(const std::string& email, const std::string& password,
                       const std::string& address) {
    auto in = auth_->SignIn(email, password, address);
    return in.ok() ? static_cast<ErrorCode>(-1) : in.error().code;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<AuthService> auth_;
  int64_t focal_point_id_ = 0;
  int64_t clock_ = UnixNow();
};

constexpr auto kSignedIn = static_cast<ErrorCode>(-1);

// A stored file's fingerprint and the hex every store writes: the known SHA-256 test vectors.
TEST(CryptoTest, Sha256HexAndHexOfGiveTheKnownDigits) {
  ASSERT_TRUE(InitCrypto().ok());
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexOf(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexOf(""), "");
}

TEST_P(AuthServiceTest, SignsInAndResolvesTheSession) {
  auto in = auth_->SignIn("FP@iom.int ", "focal-point-pass", "10.0.0.1");
  ASSERT_TRUE(in.ok()) << in.error().message;
  auto p = SessionOf(in->session_token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->role, Role::kFocalPoint);
  EXPECT_EQ(p->organization_id, "iom");
  EXPECT_EQ(p->csrf_token, in->csrf_token);
  EXPECT_FALSE(SessionOf("not-a-session"));
  auth_->SignOut(p->session_id);
  EXPECT_FALSE(SessionOf(in->session_token));
  EXPECT_EQ(AuditCount("sign_in"), 1);
}

// A session ends at its lifetime (AuthLimits::session_seconds), whatever it was used for.
TEST_P(AuthServiceTest, ASessionEndsAtTheEndOfItsLifetime) {
  std::string token;
  SignInFocalPoint("10.0.0.1", &token);
  clock_ += AuthLimits{}.session_seconds - 1;
  EXPECT_TRUE(SessionOf(token));
  clock_ += 1;
  EXPECT_FALSE(SessionOf(token));
}

// The fixture hashes at the minimum cost (hundreds of users); the policy is libsodium's
// interactive cost, and the cost travels in the stored hash, so either kind signs in.
TEST_P(AuthServiceTest, PasswordsAreHashedAtTheCostTheLimitsSay) {
  auto stored = [&](const std::string& email) {
    std::string hash;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto r,
                         tx.QueryOne("SELECT password_hash FROM users WHERE email = ?", {email}));
                     hash = r->Text(0);
                     return Ok();
                   })
                    .ok());
    return hash;
  };
  EXPECT_TRUE(stored("fp@iom.int").starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
  EXPECT_EQ(AuthLimits{}.password_hash.passes, kInteractiveHashCost.passes);
  EXPECT_EQ(AuthLimits{}.password_hash.memory_bytes, kInteractiveHashCost.memory_bytes);
  AuthService policy(*db_, OrganizationExists, IsMemberOn);
  NewUser user{"policy@iom.int", "Policy", Role::kMember, "iom", "a-policy-password"};
  ASSERT_TRUE(policy.CreateUser(Principal::Cli(), user).ok());
  EXPECT_TRUE(stored("policy@iom.int").starts_with("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_TRUE(auth_->SignIn("policy@iom.int", "a-policy-password", "10.0.0.9").ok());
  EXPECT_TRUE(policy.SignIn("fp@iom.int", "focal-point-pass", "10.0.0.9").ok());
}

TEST_P(AuthServiceTest, WrongPasswordAndUnknownUserLookTheSame) {
  auto wrong = auth_->SignIn("fp@iom.int", "nope", "10.0.0.2");
  auto unknown = auth_->SignIn("nobody@iom.int", "nope", "10.0.0.3");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

// Issue 7 defect 10: five wrong passwords from anywhere used to lock the account for everyone.
TEST_P(AuthServiceTest, ThrottlesAnAddressAndAccountWithBackoffNotALockOfTheAccount) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignInCode("fp@iom.int", "wrong", "10.0.1.1"), ErrorCode::kUnauthenticated);
  }
  auto limited = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.1.1");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(limited.error().retry_after_seconds, 60);
  // Another address is not held back by the first one's failures.
  EXPECT_EQ(SignInCode("fp@iom.int", "focal-point-pass", "10.0.2.1"), kSignedIn);

  // The wait doubles with each further failure: 60 s, then 120 s.
  clock_ += 60;
  EXPECT_EQ(SignInCode("fp@iom.int", "wrong", "10.0.1.1"), ErrorCode::kUnauthenticated);
  auto again = auth_->SignIn("fp@iom.int", "wrong", "10.0.1.1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().retry_after_seconds, 120);
  clock_ += 120;
  EXPECT_EQ(SignInCode("fp@iom.int", "focal-point-pass", "10.0.1.1"), kSignedIn);
  // A success from that address forgets its failures.
  EXPECT_EQ(SignInCode("fp@iom.int", "wrong", "10.0.1.1"), ErrorCode::kUnauthenticated);
  EXPECT_EQ(SignInCode("fp@iom.int", "focal-point-pass", "10.0.1.1"), kSignedIn);
}

TEST_P(AuthServiceTest, CapsFailuresPerAccountAcrossAddressesButLetsKnownAddressesIn) {
  (void)SignInFocalPoint("10.7.0.1");  // the user's own machine
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(SignInCode("fp@iom.int", "wrong", "10.8.0." + std::to_string(i)),
              ErrorCode::kUnauthenticated);
  }
  auto stranger = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.9.0.1");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, ErrorCode::kResourceExhausted);
  EXPECT_GT(stranger.error().retry_after_seconds, 3000);
  EXPECT_EQ(SignInCode("fp@iom.int", "focal-point-pass", "10.7.0.1"), kSignedIn);
  // The administrator is not touched by the focal point's failures.
  EXPECT_EQ(SignInCode("admin@localhost", "admin-password-1", "10.9.0.1"), kSignedIn);
  clock_ += 3601;
  EXPECT_EQ(SignInCode("fp@iom.int", "focal-point-pass", "10.9.0.1"), kSignedIn);
}

TEST_P(AuthServiceTest, RateLimitsAnAddressAcrossAccounts) {
  ASSERT_TRUE(auth_->SignIn("fp@iom.int", "focal-point-pass", "10.9.9.9").ok());
  for (int i = 0; i < 20; ++i) {
    (void)auth_->SignIn("user" + std::to_string(i) + "@x.org", "wrong", "10.9.9.9");
  }
  auto limited = auth_->SignIn("admin@localhost", "admin-password-1", "10.9.9.9");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kResourceExhausted);
  EXPECT_TRUE(auth_->SignIn("admin@localhost", "admin-password-1", "10.9.9.10").ok());
  // The focal point signed in from this address before: it is known-good for that account.
  EXPECT_TRUE(auth_->SignIn("fp@iom.int", "focal-point-pass", "10.9.9.9").ok());
}

// Issue 7 defect 10: the counters were read, Argon2 run, and the failure written after, so
// concurrent guesses all passed a limit of five.
TEST_P(AuthServiceTest, CountsEachAttemptBeforeHashingSoConcurrentGuessesCannotPassTheLimit) {
  constexpr int kThreads = 12;
  std::atomic<int> hashed{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto r = auth_->SignIn("fp@iom.int", "guess-" + std::to_string(i), "10.6.6.6");
      if (!r.ok() && r.error().code == ErrorCode::kUnauthenticated) ++hashed;
      if (!r.ok() && r.error().code == ErrorCode::kResourceExhausted) ++refused;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(hashed.load(), 5);
  EXPECT_EQ(refused.load(), kThreads - 5);
}

// Issue 7 defect 9: the current password of a password change could be guessed without limit.
TEST_P(AuthServiceTest, ChangePasswordCountsWrongCurrentPasswordsInTheSignInThrottle) {
  Principal fp = SignInFocalPoint("10.5.0.1");
  for (int i = 0; i < 5; ++i) {
    auto s =
        auth_->ChangeOwnPassword(fp, "guess-" + std::to_string(i), "a-new-password-1", "10.5.0.1");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().details[0].field, "current_password");
  }
  auto limited = auth_->ChangeOwnPassword(fp, "focal-point-pass", "a-new-password-1", "10.5.0.1");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kResourceExhausted);
  EXPECT_GT(limited.error().retry_after_seconds, 0);
  // The same limiter: sign-in from that address waits too.
  EXPECT_EQ(SignInCode("fp@iom.int", "focal-point-pass", "10.5.0.1"),
            ErrorCode::kResourceExhausted);
  clock_ += 60;
  EXPECT_TRUE(
      auth_->ChangeOwnPassword(fp, "focal-point-pass", "a-new-password-1", "10.5.0.1").ok());
  // A weak new password is refused before any guess is spent.
  EXPECT_EQ(auth_->ChangeOwnPassword(fp, "x", "short", "10.5.0.1").error().details[0].field,
            "new_password");
}

// Issue 7 defect 8: tokens survived a password change and an administrator's reset.
TEST_P(AuthServiceTest, ChangingOwnPasswordRevokesTokensAndOtherSessionsButKeepsThisOne) {
  std::string here, there;
  Principal fp = SignInFocalPoint("10.0.0.1", &here);
  (void)SignInFocalPoint("10.0.0.2", &there);
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(
      auth_->ChangeOwnPassword(fp, "focal-point-pass", "a-new-password-1", "10.0.0.1").ok());
  EXPECT_TRUE(SessionOf(here));
  EXPECT_FALSE(SessionOf(there));
  EXPECT_FALSE(TokenOf(token->second));
  EXPECT_TRUE((*auth_->ListTokens(fp))[0].revoked_at);
}

TEST_P(AuthServiceTest, AnAdministratorsPasswordResetRevokesTheUsersTokens) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  auto user = auth_->GetUser(focal_point_id_);
  UserChange reset;
  reset.password = "reset-by-admin-1";
  ASSERT_TRUE(auth_->UpdateUser(Principal::Cli(), focal_point_id_, user->version, reset).ok());
  EXPECT_FALSE(TokenOf(token->second));
}

TEST_P(AuthServiceTest, RoleOrOrganisationChangeRevokesTokensAndATokenActsWithTheCurrentRole) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  // Changed behind the service's back: the token still acts with the user as they are now.
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(
                       tx.Exec("UPDATE users SET role = 'member', organization_id = 'unhcr' "
                               "WHERE id = ?",
                               {focal_point_id_}));
                   return Ok();
                 })
                  .ok());
  auto now = TokenOf(token->second);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->role, Role::kMember);
  EXPECT_EQ(now->organization_id, "unhcr");

  auto user = auth_->GetUser(focal_point_id_);
  UserChange moved;
  moved.organization_id = "iom";
  ASSERT_TRUE(auth_->UpdateUser(Principal::Cli(), focal_point_id_, user->version, moved).ok());
  EXPECT_FALSE(TokenOf(token->second));
}

// A focal point keeps signing in after its organisation leaves the GMG, but the Principal says
// so: services then refuse it the views kept for the members' staff (Principal::IsMemberStaff).
TEST_P(AuthServiceTest, AFocalPointOfAnOrganisationThatLeftIsMarkedOutsideTheGmg) {
  std::string session;
  Principal fp = SignInFocalPoint("10.0.0.1", &session);
  EXPECT_FALSE(fp.outside_gmg);
  EXPECT_TRUE(fp.IsMemberStaff());
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  std::string yesterday = Date::FromUnix(clock_).AddDays(-1).ToString();
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   GMG_RETURN_IF_ERROR(
                       tx.Exec("UPDATE memberships SET left_on = ? WHERE "
                               "organization_id = 'iom' AND left_on IS NULL",
                               {yesterday}));
                   return Ok();
                 })
                  .ok());
  auto by_session = SessionOf(session);
  ASSERT_TRUE(by_session);
  EXPECT_TRUE(by_session->outside_gmg);
  EXPECT_FALSE(by_session->IsMemberStaff());
  EXPECT_EQ(by_session->organization_id, "iom") << "still its own organisation's user";
  auto by_token = TokenOf(token->second);
  ASSERT_TRUE(by_token);
  EXPECT_TRUE(by_token->outside_gmg);
}

TEST_P(AuthServiceTest, ReactivatingAUserDoesNotReviveTheirTokens) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(auth_->DeactivateUser(Principal::Cli(), focal_point_id_).ok());
  auto user = auth_->GetUser(focal_point_id_);
  UserChange back;
  back.active = true;
  ASSERT_TRUE(auth_->UpdateUser(Principal::Cli(), focal_point_id_, user->version, back).ok());
  EXPECT_FALSE(TokenOf(token->second));
}

// Issue 7 defect 8: tokens could be made without an expiry, and by another token.
TEST_P(AuthServiceTest, TokensLiveAtMostAYearAndNinetyDaysByDefault) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  auto plain = auth_->CreateToken(fp, "default", std::nullopt);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->first.expires_at, clock_ + 90 * 86400);
  EXPECT_TRUE(auth_->CreateToken(fp, "a year", 365).ok());
  for (int64_t days : {int64_t{366}, int64_t{0}, int64_t{-1}, int64_t{1} << 62}) {
    auto r = auth_->CreateToken(fp, "too long", days);
    ASSERT_FALSE(r.ok()) << days;
    EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(r.error().details[0].field, "expires_in_days");
  }
  clock_ += 90 * 86400;
  EXPECT_FALSE(TokenOf(plain->second));
}

TEST_P(AuthServiceTest, ATokenCannotMintTokens) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  Principal via_token = *TokenOf(token->second);
  auto minted = auth_->CreateToken(via_token, "child", 365);
  ASSERT_FALSE(minted.ok());
  EXPECT_EQ(minted.error().code, ErrorCode::kPermissionDenied);
}

TEST(AuthMigrationTest, TokensWithoutExpiryGetAYearWhenMigratingToVersion4) {
  ASSERT_TRUE(InitCrypto().ok());
  auto opened = SqliteDatabase::Open(":memory:");
  ASSERT_TRUE(opened.ok());
  std::unique_ptr<Database> db = std::move(opened).value();
  ASSERT_TRUE(db->Write([](Tx& tx) -> Status {
                  GMG_RETURN_IF_ERROR(CreateLegacySchemaForTesting(tx, 3));
                  GMG_RETURN_IF_ERROR(tx.ExecScript(
                      "INSERT INTO users (id, email, name, role, password_hash, created_at, "
                      "updated_at) VALUES (1, 'a@b.org', 'A', 'admin', 'x', 0, 0);"
                      "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, "
                      "expires_at) VALUES (1, 'forever', 'h1', 'gmg_', 0, NULL), "
                      "(1, 'ten years', 'h2', 'gmg_', 0, 4000000000), (1, 'a week', 'h3', "
                      "'gmg_', 0, 1000)"));
                  return Ok();
                }).ok());
  ASSERT_TRUE(Migrate(*db).ok());
  int64_t limit = UnixNow() + 365 * 86400;
  ASSERT_TRUE(db->Read([&](Tx& tx) -> Status {
                  GMG_ASSIGN_OR_RETURN(
                      auto rows, tx.Query("SELECT name, expires_at FROM api_tokens ORDER BY id"));
                  EXPECT_FALSE(rows[0].IsNull(1));
                  EXPECT_LE(rows[0].Int(1), limit);
                  EXPECT_LE(rows[1].Int(1), limit);
                  EXPECT_EQ(rows[2].Int(1), 1000);
                  return Ok();
                }).ok());
}

TEST_P(AuthServiceTest, DeactivatingAUserEndsSessionsAndTokens) {
  auto in = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.0.1");
  ASSERT_TRUE(in.ok());
  Principal fp = *SessionOf(in->session_token);
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(TokenOf(token->second));
  ASSERT_TRUE(auth_->DeactivateUser(Principal::Cli(), focal_point_id_).ok());
  EXPECT_FALSE(SessionOf(in->session_token));
  EXPECT_FALSE(TokenOf(token->second));
  EXPECT_EQ(auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.0.1").error().code,
            ErrorCode::kUnauthenticated);
}

TEST_P(AuthServiceTest, TokensAreStoredHashedAndCanBeRevokedOnlyByTheirOwner) {
  auto in = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.0.1");
  Principal fp = *SessionOf(in->session_token);
  auto token = auth_->CreateToken(fp, "nightly import", std::nullopt);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->second.substr(0, 4), "gmg_");
  bool stored_plain = true;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
                   GMG_ASSIGN_OR_RETURN(
                       auto r, tx.QueryOne("SELECT count(*) FROM api_tokens WHERE token_hash = ?",
                                           {token->second}));
                   stored_plain = r->Int(0) > 0;
                   return Ok();
                 })
                  .ok());
  EXPECT_FALSE(stored_plain);

  auto admin_in = auth_->SignIn("admin@localhost", "admin-password-1", "10.0.0.1");
  Principal admin = *SessionOf(admin_in->session_token);
  Principal other = fp;
  other.user_id = admin.user_id;
  other.role = Role::kMember;
  EXPECT_EQ(auth_->RevokeToken(other, token->first.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(TokenOf(token->second));
  ASSERT_TRUE(auth_->RevokeToken(fp, token->first.id).ok());
  EXPECT_FALSE(TokenOf(token->second));
}

TEST_P(AuthServiceTest, RemembersTheLanguageAUserPicksAndForgetsItOnRequest) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  EXPECT_EQ(auth_->GetUser(focal_point_id_)->language, "");
  int64_t audits = AuditCount("update");

  auto set = auth_->SetOwnLanguage(fp, std::string("fr"));
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->language, "fr");
  EXPECT_EQ(auth_->GetUser(focal_point_id_)->language, "fr");
  EXPECT_EQ(UserJson(*set).as_object().at("language").as_string(), "fr");
  EXPECT_EQ(AuditCount("update"), audits + 1);

  auto cleared = auth_->SetOwnLanguage(fp, std::nullopt);
  ASSERT_TRUE(cleared.ok()) << cleared.error().message;
  EXPECT_EQ(cleared->language, "");
  EXPECT_TRUE(UserJson(*cleared).as_object().at("language").is_null());
}

TEST_P(AuthServiceTest, RefusesALanguageOutsideTheUnSix) {
  Principal fp = SignInFocalPoint("10.0.0.1");
  for (const char* bad : {"de", "", "FR", "fr-FR"}) {
    auto r = auth_->SetOwnLanguage(fp, std::string(bad));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    ASSERT_EQ(r.error().details.size(), 1u);
    EXPECT_EQ(r.error().details[0].field, "language");
  }
  EXPECT_EQ(auth_->GetUser(focal_point_id_)->language, "");
}

TEST_P(AuthServiceTest, ValidatesNewUsers) {
  NewUser no_org{"x@y.org", "X", Role::kFocalPoint, "", "long-enough-pw"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), no_org).error().details[0].field,
            "organization_id");
  NewUser bad_org{"x@y.org", "X", Role::kMember, "unicef", "long-enough-pw"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), bad_org).error().code,
            ErrorCode::kFailedPrecondition);
  NewUser weak{"x@y.org", "X", Role::kStakeholder, "", "short"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), weak).error().details[0].field, "password");
  NewUser dup{"FP@IOM.INT", "X", Role::kStakeholder, "", "long-enough-pw"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), dup).error().code, ErrorCode::kConflict);
}

TEST_P(AuthServiceTest, TheLastAdministratorCannotBeDemoted) {
  auto admin = auth_->GetUser(1);
  ASSERT_TRUE(admin.ok());
  UserChange c;
  c.role = Role::kMember;
  auto r = auth_->UpdateUser(Principal::Cli(), admin->id, admin->version, c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  UserChange stale;
  stale.name = "New";
  EXPECT_EQ(auth_->UpdateUser(Principal::Cli(), admin->id, admin->version + 5, stale).error().code,
            ErrorCode::kPreconditionFailed);
}

// The one detail of a refusal (its rule code and args).
template <typename T>
FieldProblem Broken(const Result<T>& r) {
  EXPECT_FALSE(r.ok());
  if (r.ok() || r.error().details.empty()) return {"", "(no detail)"};
  EXPECT_EQ(r.error().details.size(), 1u) << r.error().message;
  return r.error().details[0];
}

std::string Arg(const FieldProblem& d, const std::string& name) {
  for (const auto& [n, v] : d.args) {
    if (n == name) return v;
  }
  return "";
}

// Issue 9: every refusal a person sees carries a rule code (docs/api.md lists them).
TEST_P(AuthServiceTest, EveryRefusalCarriesARuleCode) {
  FieldProblem weak = Broken(
      auth_->CreateUser(Principal::Cli(), {"x@y.org", "X", Role::kStakeholder, "", "short"}));
  EXPECT_EQ(weak.field, "password");
  EXPECT_EQ(weak.rule, "too_short");
  EXPECT_EQ(Arg(weak, "min"), "10");
  FieldProblem long_pw = Broken(auth_->CreateUser(
      Principal::Cli(), {"x@y.org", "X", Role::kStakeholder, "", std::string(300, 'p')}));
  EXPECT_EQ(long_pw.rule, "too_long");
  EXPECT_EQ(Arg(long_pw, "max"), "256");
  EXPECT_EQ(Broken(auth_->CreateUser(Principal::Cli(),
                                     {"no-at", "X", Role::kStakeholder, "", "long-enough-pw"}))
                .rule,
            "invalid_email");
  EXPECT_EQ(Broken(auth_->CreateUser(Principal::Cli(),
                                     {"x@y.org", "X", Role::kFocalPoint, "", "long-enough-pw"}))
                .rule,
            "required_for_role");
  FieldProblem org = Broken(auth_->CreateUser(
      Principal::Cli(), {"x@y.org", "X", Role::kMember, "nobody", "long-enough-pw"}));
  EXPECT_EQ(org.rule, "unknown_organization");
  EXPECT_EQ(Arg(org, "value"), "nobody");
  EXPECT_EQ(Broken(auth_->CreateUser(Principal::Cli(),
                                     {"FP@IOM.INT", "X", Role::kStakeholder, "", "long-enough-pw"}))
                .rule,
            "already_exists");
  auto admin = auth_->GetUser(1);
  UserChange demote;
  demote.role = Role::kMember;
  demote.organization_id = "iom";
  FieldProblem last =
      Broken(auth_->UpdateUser(Principal::Cli(), admin->id, admin->version, demote));
  EXPECT_EQ(last.field, "");
  EXPECT_EQ(last.rule, "last_admin");

  Principal fp = SignInFocalPoint("10.0.0.1");
  EXPECT_EQ(Broken(auth_->SetOwnLanguage(fp, std::string("de"))).rule, "not_in_list");
  EXPECT_EQ(
      Broken(auth_->ChangeOwnPassword(fp, "wrong-password", "new-password-1", "10.0.0.1")).rule,
      "wrong_password");
  FieldProblem days = Broken(auth_->CreateToken(fp, "t", 0));
  EXPECT_EQ(days.rule, "out_of_range");
  EXPECT_EQ(Arg(days, "min"), "1");
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(Broken(auth_->CreateToken(*TokenOf(token->second), "child", 30)).rule,
            "session_required");
  FieldProblem wrong = Broken(auth_->SignIn("fp@iom.int", "not-the-password", "10.0.0.9"));
  EXPECT_EQ(wrong.rule, "wrong_credentials");
}

TEST_P(AuthServiceTest, AnOrganisationsActiveUsersAreListedForItsOwnStaffAndTheSecretariat) {
  NewUser member{"m@iom.int", "Amal Member", Role::kMember, "iom", "member-password-1"};
  auto m = auth_->CreateUser(Principal::Cli(), member);
  ASSERT_TRUE(m.ok()) << m.error().message;
  NewUser gone{"gone@iom.int", "Gone", Role::kMember, "iom", "member-password-2"};
  auto g = auth_->CreateUser(Principal::Cli(), gone);
  ASSERT_TRUE(g.ok());
  ASSERT_TRUE(auth_->DeactivateUser(Principal::Cli(), g->id).ok());
  NewUser other{"fp@unhcr.org", "UNHCR FP", Role::kFocalPoint, "unhcr", "unhcr-password-1"};
  ASSERT_TRUE(auth_->CreateUser(Principal::Cli(), other).ok());

  Principal fp = SignInFocalPoint("10.0.0.1");
  auto users = auth_->ListOrganizationUsers(fp, "iom");
  ASSERT_TRUE(users.ok()) << users.error().message;
  std::vector<std::string> names;
  for (const User& u : *users) names.push_back(u.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Amal Member", "Focal Point"}));  // by name

  Principal secretariat;
  secretariat.role = Role::kSecretariat;
  EXPECT_TRUE(auth_->ListOrganizationUsers(secretariat, "iom").ok());
  EXPECT_EQ(auth_->ListOrganizationUsers(fp, "unhcr").error().code, ErrorCode::kPermissionDenied);
  Principal stakeholder;
  stakeholder.role = Role::kStakeholder;
  stakeholder.organization_id = "iom";
  EXPECT_EQ(auth_->ListOrganizationUsers(stakeholder, "iom").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(auth_->ListOrganizationUsers(secretariat, "no-such-org").error().code,
            ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthServiceTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
