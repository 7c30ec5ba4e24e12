// AuthService: users, sign-in sessions, API tokens and the sign-in rate limit.
//
// Sessions and tokens are random secrets handed to the client once; the database keeps only
// their hashes. Sign-in answers the same 401 for an unknown e-mail and a wrong password and
// spends the same Argon2id work on both (no user enumeration). Failed sign-ins are counted
// in the database per account and per address (so several instances share the limit).
// Thread-safety: all methods may be called concurrently; state lives in the database.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.h"
#include "core/result.h"
#include "store/database.h"

namespace gmg {

struct User {
  int64_t id = 0;
  std::string email;
  std::string name;
  Role role = Role::kMember;
  std::string organization_id;  // "" when none
  bool active = true;
  int64_t version = 1;
  int64_t created_at = 0;
};
boost::json::value UserJson(const User& user);

struct NewUser {
  std::string email;
  std::string name;
  Role role = Role::kMember;
  std::string organization_id;
  std::string password;
};

struct UserChange {
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<std::string> organization_id;  // "" clears it
  std::optional<bool> active;
  std::optional<std::string> password;
};

struct SignedIn {
  User user;
  std::string session_token;  // goes into the cookie
  std::string csrf_token;
  int64_t expires_at = 0;
};

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string prefix;  // first characters, to recognise it
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};
boost::json::value ApiTokenJson(const ApiToken& token);

struct AuthLimits {
  int64_t session_seconds = 12 * 3600;
  int max_failures_per_account = 5;
  int max_failures_per_address = 20;
  int64_t failure_window_seconds = 15 * 60;
};

class AuthService {
 public:
  explicit AuthService(Database& db, AuthLimits limits = {}) : db_(db), limits_(limits) {}
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // kUnauthenticated for any wrong pair or a deactivated user; kResourceExhausted (with
  // retry_after_seconds) once the account or the address had too many failures.
  Result<SignedIn> SignIn(const std::string& email, const std::string& password,
                          const std::string& address);
  void SignOut(int64_t session_id);
  // nullopt when the token is unknown, expired, or its user is deactivated.
  std::optional<Principal> SessionPrincipal(std::string_view session_token);
  std::optional<Principal> TokenPrincipal(std::string_view api_token);

  Result<User> CreateUser(const Principal& actor, const NewUser& user);
  Result<User> UpdateUser(const Principal& actor, int64_t id, int64_t if_version,
                          const UserChange& change);
  Result<User> DeactivateUser(const Principal& actor, int64_t id);
  Result<User> GetUser(int64_t id);
  Result<std::vector<User>> ListUsers(int64_t limit, std::optional<int64_t> after_id,
                                      int64_t* total);
  Status ChangeOwnPassword(const Principal& actor, const std::string& current,
                           const std::string& replacement);
  // Creates the first administrator when there is no user at all; returns whether it did.
  Result<bool> EnsureFirstAdmin(const std::string& email, const std::string& password);

  // Returns the secret once.
  Result<std::pair<ApiToken, std::string>> CreateToken(const Principal& actor,
                                                       const std::string& name,
                                                       std::optional<int> expires_in_days);
  Result<std::vector<ApiToken>> ListTokens(const Principal& actor);
  Status RevokeToken(const Principal& actor, int64_t id);

 private:
  Status CheckUserFields(Tx& tx, const std::string& email, Role role, const std::string& org);

  Database& db_;
  AuthLimits limits_;
};

}  // namespace gmg
