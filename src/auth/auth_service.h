// AuthService: users, sign-in sessions, API tokens and the sign-in rate limit.
//
// Sessions and tokens are random secrets handed to the client once; the database keeps only
// their hashes. Sign-in answers the same 401 for an unknown e-mail and a wrong password and
// spends the same Argon2id work on both (no user enumeration). Every password check (sign-in
// and the current password of a change) is throttled per (address, account) with backoff,
// per account and per address, counted in the database before the hash is computed (see the
// comment block "Password-guessing throttle" in auth_service.cc).
// API tokens live at most AuthLimits::max_token_days, are created only from a cookie session,
// act with their user's current role and organisation, and are revoked when the user's
// password, role or organisation changes or the user is deactivated.
// Thread-safety: all methods may be called concurrently; state lives in the database.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/crypto.h"
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
  std::string language;  // one of kUserLanguages, or "" until the user picks one
};
boost::json::value UserJson(const User& user);

// The languages a user may pick for the web app (the UN's six; the web app has catalogues for
// some of them and falls back to English for the rest).
inline constexpr std::string_view kUserLanguages[] = {"en", "fr", "es", "ar", "zh", "ru"};

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

// The throttle's and the tokens' bounds; the defaults are the documented policy.
struct AuthLimits {
  int64_t session_seconds = int64_t{12} * 3600;
  // Per (address, account): this many failures are free; then each further attempt waits
  // first_backoff_seconds after the last failure, doubling per failure up to
  // max_backoff_seconds. Failures are remembered for pair_memory_seconds (a success from that
  // address forgets them).
  int free_failures_per_pair = 5;
  int64_t first_backoff_seconds = 60;
  int64_t max_backoff_seconds = 3600;
  int64_t pair_memory_seconds = int64_t{24} * 3600;
  // Per account across all addresses, and per address across all accounts: at most this many
  // failures in the window. Neither applies to an address the account signed in from within
  // known_address_seconds (its known-good addresses).
  int max_failures_per_account = 30;
  int64_t account_window_seconds = 3600;
  int max_failures_per_address = 20;
  int64_t address_window_seconds = int64_t{15} * 60;
  int64_t known_address_seconds = int64_t{90} * 86400;
  // API tokens: lifetime when none is asked for, and the longest one may ask for.
  int64_t default_token_days = 90;
  int64_t max_token_days = 365;
  // The Argon2id work of each new password hash (sign-in checks cost what the stored hash
  // says). Tests lower it; see auth/crypto.h.
  PasswordHashCost password_hash = kInteractiveHashCost;
};

// A user a notification may reach (AuthService::UsersFor): what the notifications module
// needs to address and render a message.
struct Recipient {
  int64_t id = 0;
  std::string email;
  std::string name;
  Role role = Role::kMember;
  std::string organization_id;  // "" when none
  std::string language;         // "" until the user picks one
  bool active = true;
};

// Whether an organisation exists, asked inside the caller's transaction. Auth sits below
// governance, which owns organisations: the composition root hands it governance's
// OrganizationExists (governance/organization_directory.h).
using OrganizationCheck = std::function<Result<bool>(Tx& tx, const std::string& id)>;
// Whether organisation `id` is a member of the GMG on `date` (YYYY-MM-DD), asked inside the
// caller's transaction: governance's IsMemberOn.
using MembershipCheck =
    std::function<Result<bool>(Tx& tx, const std::string& id, const std::string& date)>;

class AuthService {
 public:
  AuthService(Database& db, OrganizationCheck organization_exists, MembershipCheck is_member_on,
              AuthLimits limits = {});
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // kUnauthenticated for any wrong pair or a deactivated user; kResourceExhausted (with
  // retry_after_seconds, before any hashing) while the throttle holds this address and account.
  // `address` is the client's address (the proxy's view when behind a trusted one).
  Result<SignedIn> SignIn(const std::string& email, const std::string& password,
                          const std::string& address);
  void SignOut(int64_t session_id);
  // nullopt when the session is unknown or expired, or its user is deactivated; an error only
  // when the database cannot answer (kUnavailable while PostgreSQL is down: a 503, not a 401).
  Result<std::optional<Principal>> SessionPrincipal(std::string_view session_token);
  // nullopt when the token is unknown, expired or revoked, or its user is deactivated; errors as
  // SessionPrincipal. The Principal carries the user's role and organisation as they are now,
  // and (both) outside_gmg set when that organisation is not a member today.
  Result<std::optional<Principal>> TokenPrincipal(std::string_view api_token);

  Result<User> CreateUser(const Principal& actor, const NewUser& user);
  // A new password, role or organisation, or deactivation, also ends the user's sessions and
  // revokes their API tokens. kPreconditionFailed when `if_version` is stale.
  Result<User> UpdateUser(const Principal& actor, int64_t id, int64_t if_version,
                          const UserChange& change);
  Result<User> DeactivateUser(const Principal& actor, int64_t id);
  Result<User> GetUser(int64_t id);
  // The user with this e-mail (compared in lower case, as stored), active or not, or nullopt;
  // read inside the caller's transaction (engagement links stakeholder accounts by e-mail).
  Result<std::optional<User>> FindUserByEmail(Tx& tx, const std::string& email);
  Result<std::vector<User>> ListUsers(int64_t limit, std::optional<int64_t> after_id,
                                      int64_t* total);
  // The active users of organisation `org_id`, by name: for its own focal points and members
  // (e.g. a focal point choosing whom to delegate its stands to), the secretariat and
  // administrators. kNotFound for an unknown organisation, kPermissionDenied for anyone else.
  Result<std::vector<User>> ListOrganizationUsers(const Principal& actor,
                                                  const std::string& org_id);
  // Checks `current` through the same throttle as sign-in (from `address`), then sets the new
  // password, ends the actor's other sessions and revokes all their API tokens.
  // kFailedPrecondition naming current_password or new_password; kResourceExhausted while
  // throttled.
  Status ChangeOwnPassword(const Principal& actor, const std::string& current,
                           const std::string& replacement, const std::string& address);
  // Sets (or, with nullopt, forgets) the actor's own web-app language; audited. Returns the
  // user. kInvalidArgument naming `language` when it is not one of kUserLanguages.
  Result<User> SetOwnLanguage(const Principal& actor, const std::optional<std::string>& language);
  // Creates the first administrator when there is no user at all; returns whether it did.
  Result<bool> EnsureFirstAdmin(const std::string& email, const std::string& password);

  // The ACTIVE users who are any of: focal points and members of `organization_ids` (only
  // their focal points when `focal_points_only`), every admin and secretariat when `staff`,
  // the users `user_ids`. Each once, by id. Read inside the caller's transaction, so a
  // notification written with a change sees the users as that change does (issue 12).
  Result<std::vector<Recipient>> UsersFor(Tx& tx, const std::vector<std::string>& organization_ids,
                                          bool focal_points_only, bool staff,
                                          const std::vector<int64_t>& user_ids) const;

  // Returns the secret once. `expires_in_days` defaults to default_token_days;
  // kFailedPrecondition naming expires_in_days outside 1..max_token_days; kPermissionDenied
  // when the actor authenticated with an API token (a token cannot mint a longer-lived one).
  Result<std::pair<ApiToken, std::string>> CreateToken(const Principal& actor,
                                                       const std::string& name,
                                                       std::optional<int64_t> expires_in_days);
  Result<std::vector<ApiToken>> ListTokens(const Principal& actor);
  Status RevokeToken(const Principal& actor, int64_t id);

  // Replaces the clock (seconds since the epoch), so tests can step past a backoff.
  void SetClockForTesting(std::function<int64_t()> now) { now_ = std::move(now); }

 private:
  Status CheckUserFields(Tx& tx, const std::string& email, Role role, const std::string& org);
  // Sets p.outside_gmg for a focal point or member whose organisation is not a member today.
  Status MarkOutsideGmg(Tx& tx, Principal& p) const;

  OrganizationCheck organization_exists_;
  MembershipCheck is_member_on_;
  // Records one password attempt for (account, address) before its hash is checked, or returns
  // kResourceExhausted with how long to wait. `user_id` (0 when no such user) finds the
  // account's known-good addresses.
  Status ReserveAttempt(Tx& tx, const std::string& account, const std::string& address,
                        int64_t user_id, int64_t now);
  // A correct password from `address`: forgets that pair's failures and remembers the address
  // as known-good for the user.
  Status RecordSuccess(Tx& tx, const std::string& account, const std::string& address,
                       int64_t user_id, int64_t now);

  // A hash at limits_.password_hash of no one's password: an unknown e-mail's sign-in checks
  // against it, so it costs what a real account's does. Made at the process's first sign-in;
  // throws std::runtime_error when it cannot be made (out of memory), and a later call retries.
  const std::string& DummyHash();

  Database& db_;
  AuthLimits limits_;
  std::function<int64_t()> now_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace gmg
