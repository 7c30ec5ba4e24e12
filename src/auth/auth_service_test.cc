#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include "store/testing.h"

namespace gmg {
namespace {

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting();
    auth_ = std::make_unique<AuthService>(*db_);
    ASSERT_TRUE(*auth_->EnsureFirstAdmin("admin@localhost", "admin-password-1"));
    NewUser fp{"fp@iom.int", "Focal Point", Role::kFocalPoint, "iom", "focal-point-pass"};
    auto u = auth_->CreateUser(Principal::Cli(), fp);
    ASSERT_TRUE(u.ok()) << u.error().message;
    focal_point_id_ = u->id;
  }

  int64_t AuditCount(const std::string& action) {
    int64_t n = 0;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
      GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT count(*) FROM audit_log WHERE action = ?", {action}));
      n = r->Int(0);
      return Ok();
    }).ok());
    return n;
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<AuthService> auth_;
  int64_t focal_point_id_ = 0;
};

TEST_F(AuthServiceTest, SignsInAndResolvesTheSession) {
  auto in = auth_->SignIn("FP@iom.int ", "focal-point-pass", "10.0.0.1");
  ASSERT_TRUE(in.ok()) << in.error().message;
  auto p = auth_->SessionPrincipal(in->session_token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->role, Role::kFocalPoint);
  EXPECT_EQ(p->organization_id, "iom");
  EXPECT_EQ(p->csrf_token, in->csrf_token);
  EXPECT_FALSE(auth_->SessionPrincipal("not-a-session"));
  auth_->SignOut(p->session_id);
  EXPECT_FALSE(auth_->SessionPrincipal(in->session_token));
  EXPECT_EQ(AuditCount("sign_in"), 1);
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownUserLookTheSame) {
  auto wrong = auth_->SignIn("fp@iom.int", "nope", "10.0.0.2");
  auto unknown = auth_->SignIn("nobody@iom.int", "nope", "10.0.0.3");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthServiceTest, RateLimitsAnAccountAfterFiveFailures) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(auth_->SignIn("fp@iom.int", "wrong", "10.0.1." + std::to_string(i)).error().code,
              ErrorCode::kUnauthenticated);
  }
  auto limited = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.2.1");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kResourceExhausted);
  EXPECT_GT(limited.error().retry_after_seconds, 0);
}

TEST_F(AuthServiceTest, RateLimitsAnAddressAcrossAccounts) {
  for (int i = 0; i < 20; ++i) {
    (void)auth_->SignIn("user" + std::to_string(i) + "@x.org", "wrong", "10.9.9.9");
  }
  auto limited = auth_->SignIn("admin@localhost", "admin-password-1", "10.9.9.9");
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, ErrorCode::kResourceExhausted);
  EXPECT_TRUE(auth_->SignIn("admin@localhost", "admin-password-1", "10.9.9.10").ok());
}

TEST_F(AuthServiceTest, DeactivatingAUserEndsSessionsAndTokens) {
  auto in = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.0.1");
  ASSERT_TRUE(in.ok());
  Principal fp = *auth_->SessionPrincipal(in->session_token);
  auto token = auth_->CreateToken(fp, "script", 30);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(auth_->TokenPrincipal(token->second));
  ASSERT_TRUE(auth_->DeactivateUser(Principal::Cli(), focal_point_id_).ok());
  EXPECT_FALSE(auth_->SessionPrincipal(in->session_token));
  EXPECT_FALSE(auth_->TokenPrincipal(token->second));
  EXPECT_EQ(auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.0.1").error().code,
            ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, TokensAreStoredHashedAndCanBeRevokedOnlyByTheirOwner) {
  auto in = auth_->SignIn("fp@iom.int", "focal-point-pass", "10.0.0.1");
  Principal fp = *auth_->SessionPrincipal(in->session_token);
  auto token = auth_->CreateToken(fp, "nightly import", std::nullopt);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->second.substr(0, 4), "gmg_");
  bool stored_plain = true;
  ASSERT_TRUE(db_->Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT count(*) FROM api_tokens WHERE token_hash = ?", {token->second}));
    stored_plain = r->Int(0) > 0;
    return Ok();
  }).ok());
  EXPECT_FALSE(stored_plain);

  auto admin_in = auth_->SignIn("admin@localhost", "admin-password-1", "10.0.0.1");
  Principal admin = *auth_->SessionPrincipal(admin_in->session_token);
  Principal other = fp;
  other.user_id = admin.user_id;
  other.role = Role::kMember;
  EXPECT_EQ(auth_->RevokeToken(other, token->first.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(auth_->TokenPrincipal(token->second));
  ASSERT_TRUE(auth_->RevokeToken(fp, token->first.id).ok());
  EXPECT_FALSE(auth_->TokenPrincipal(token->second));
}

TEST_F(AuthServiceTest, ValidatesNewUsers) {
  NewUser no_org{"x@y.org", "X", Role::kFocalPoint, "", "long-enough-pw"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), no_org).error().details[0].field, "organization_id");
  NewUser bad_org{"x@y.org", "X", Role::kMember, "unicef", "long-enough-pw"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), bad_org).error().code, ErrorCode::kFailedPrecondition);
  NewUser weak{"x@y.org", "X", Role::kStakeholder, "", "short"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), weak).error().details[0].field, "password");
  NewUser dup{"FP@IOM.INT", "X", Role::kStakeholder, "", "long-enough-pw"};
  EXPECT_EQ(auth_->CreateUser(Principal::Cli(), dup).error().code, ErrorCode::kConflict);
}

TEST_F(AuthServiceTest, TheLastAdministratorCannotBeDemoted) {
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

}  // namespace
}  // namespace gmg
