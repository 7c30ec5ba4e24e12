#include "auth/auth_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <stdexcept>

#include "audit/audit_log.h"
#include "auth/crypto.h"
#include "core/access_policy.h"
#include "core/date.h"
#include "store/sql.h"

namespace gmg {
namespace {

// A broken rule of no single field (a limit, wrong credentials): the message as given, and one
// detail with an empty field that carries the rule code a client translates.
Error RuleError(ErrorCode code, std::string message, const char* rule,
                std::vector<std::pair<std::string, std::string>> args = {}) {
  Error e = MakeError(code, message);
  e.details.emplace_back("", std::move(message), rule, std::move(args));
  return e;
}

constexpr char kUserColumns[] =
    "id, email, name, role, organization_id, active, version, created_at, language";
// The index of a column selected right after kUserColumns.
constexpr int kAfterUserColumns = 9;

User UserFromRow(const Row& r) {
  User u;
  u.id = r.Int(0);
  u.email = r.Text(1);
  u.name = r.Text(2);
  ParseRole(r.Text(3), &u.role);
  u.organization_id = r.Text(4);
  u.active = r.Int(5) != 0;
  u.version = r.Int(6);
  u.created_at = r.Int(7);
  if (!r.IsNull(8)) u.language = r.Text(8);
  return u;
}

std::string NormalizeEmail(std::string_view email) {
  std::string out;
  for (char c : email) {
    if (!std::isspace(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

bool LooksLikeEmail(const std::string& e) {
  size_t at = e.find('@');
  return at != std::string::npos && at > 0 && at + 1 < e.size() &&
         e.find('@', at + 1) == std::string::npos && e.size() <= 254;
}

ApiToken TokenFromRow(const Row& r) {
  ApiToken t;
  t.id = r.Int(0);
  t.user_id = r.Int(1);
  t.name = r.Text(2);
  t.prefix = r.Text(3);
  t.created_at = r.Int(4);
  if (!r.IsNull(5)) t.expires_at = r.Int(5);
  if (!r.IsNull(6)) t.last_used_at = r.Int(6);
  if (!r.IsNull(7)) t.revoked_at = r.Int(7);
  return t;
}

Principal PrincipalFromRow(const Row& r, AuthVia via) {
  Principal p;
  p.user_id = r.Int(0);
  p.email = r.Text(1);
  p.name = r.Text(2);
  ParseRole(r.Text(3), &p.role);
  p.organization_id = r.Text(4);
  p.via = via;
  return p;
}

Result<User> LoadUser(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(
      auto row,
      tx.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no user " + std::to_string(id));
  return UserFromRow(*row);
}

// Revokes every live API token of the user; returns how many.
Result<int64_t> RevokeUserTokens(Tx& tx, int64_t user_id, int64_t now) {
  return tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                 {now, user_id});
}

// Seconds to wait while the failures recorded for `column` = `key` in the last `window` seconds
// reach `cap`: until the oldest failure whose leaving brings the count below the cap leaves.
// 0 when under the cap. `column` is "account" or "address" (never input).
Result<int64_t> CapWait(Tx& tx, const char* column, const std::string& key, int cap, int64_t window,
                        int64_t now) {
  std::string where = std::string(" FROM sign_in_attempts WHERE ") + column + " = ? AND at > ?";
  GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*)" + where, {key, now - window}));
  int64_t n = count->Int(0);
  if (n < cap) return int64_t{0};
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT at" + where + " ORDER BY at LIMIT 1 OFFSET ?",
                                             {key, now - window, n - cap}));
  int64_t leaves = row ? row->Int(0) + window : now + 1;
  return std::max<int64_t>(1, leaves - now);
}

// Another active administrator besides `id`?
Result<bool> HasOtherAdmin(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT count(*) FROM users WHERE role = 'admin' "
                                             "AND active = 1 AND id <> ?",
                                             {id}));
  return row->Int(0) > 0;
}

}  // namespace

boost::json::value UserJson(const User& u) {
  boost::json::object o{{"id", u.id},         {"email", u.email},
                        {"name", u.name},     {"role", RoleName(u.role)},
                        {"active", u.active}, {"created_at", FormatTimestamp(u.created_at)}};
  if (u.organization_id.empty()) {
    o["organization_id"] = nullptr;
  } else {
    o["organization_id"] = u.organization_id;
  }
  if (u.language.empty()) {
    o["language"] = nullptr;
  } else {
    o["language"] = u.language;
  }
  return o;
}

boost::json::value ApiTokenJson(const ApiToken& t) {
  auto ts = [](const std::optional<int64_t>& v) -> boost::json::value {
    if (!v) return nullptr;
    return boost::json::value(FormatTimestamp(*v));
  };
  return boost::json::object{{"id", t.id},
                             {"name", t.name},
                             {"prefix", t.prefix},
                             {"created_at", FormatTimestamp(t.created_at)},
                             {"expires_at", ts(t.expires_at)},
                             {"last_used_at", ts(t.last_used_at)},
                             {"revoked_at", ts(t.revoked_at)}};
}

AuthService::AuthService(Database& db, OrganizationCheck organization_exists,
                         MembershipCheck is_member_on, AuthLimits limits)
    : organization_exists_(std::move(organization_exists)),
      is_member_on_(std::move(is_member_on)),
      db_(db),
      limits_(limits),
      now_(UnixNow) {}

const std::string& AuthService::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto hash = HashPassword("not a real password", limits_.password_hash);
    // Thrown, call_once stays undone (the next sign-in tries again) and the router answers 500:
    // never a quick refusal that would tell an unknown e-mail from a known one.
    if (!hash) throw std::runtime_error(hash.error().message);
    dummy_hash_ = *std::move(hash);
  });
  return dummy_hash_;
}

// Password-guessing throttle (issue 7, defects 9 and 10).
//
// Every password check — sign-in, and the current password of a password change — first
// reserves one attempt row (account, address, time) in a write transaction that also checks
// the limits below; only then is the Argon2id hash computed. A wrong password leaves the row as
// a failure; a correct one deletes the pair's rows. Because the check and the reservation are
// one serialized transaction, concurrent attempts cannot slip past a limit (before, the
// counters were read, the hash computed, and the failure written afterwards).
//
// The limits, and why:
// - Per (address, account), with exponential backoff: 5 free failures, then each attempt waits
//   1 min after the last failure, doubling per further failure, at most 1 h; failures are
//   remembered 24 h. This is what bounds guessing (about 30 a day per address and account) and
//   it never locks anyone out for good: it only slows the address that keeps failing.
// - Per account across addresses: at most 30 failures per hour; per address across accounts:
//   at most 20 per 15 min (password spraying). These catch distributed guessing.
// - Known-good addresses: an address the account signed in from successfully within 90 days is
//   exempt from the per-account and per-address caps (not from its own pair backoff). So a
//   stranger who fails on purpose can delay a user only on addresses the user never used;
//   the user's own machine (or office) still gets in with the right password. Before, 5
//   requests from anywhere locked any account, the administrator's included, for 15 minutes.
// - Unknown e-mails are throttled exactly like known ones (nothing to learn from the answers).
// - Refused attempts answer 429 with Retry-After (the longest wait that applies), cost no
//   hash and are not counted; an in-flight reservation counts as a failure until it resolves,
//   and a crash mid-check leaves it counted (fails safe).
Status AuthService::ReserveAttempt(Tx& tx, const std::string& account, const std::string& address,
                                   int64_t user_id, int64_t now) {
  const AuthLimits& l = limits_;
  int64_t memory =
      std::max({l.pair_memory_seconds, l.account_window_seconds, l.address_window_seconds});
  GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM sign_in_attempts WHERE at <= ?", {now - memory}));
  int64_t wait = 0;

  GMG_ASSIGN_OR_RETURN(auto pair, tx.QueryOne("SELECT count(*), max(at) FROM sign_in_attempts "
                                              "WHERE account = ? AND address = ? AND at > ?",
                                              {account, address, now - l.pair_memory_seconds}));
  int64_t pair_failures = pair->Int(0);
  if (pair_failures >= l.free_failures_per_pair) {
    int64_t excess = std::min<int64_t>(pair_failures - l.free_failures_per_pair, 30);
    int64_t backoff = std::min(l.max_backoff_seconds, l.first_backoff_seconds << excess);
    wait = std::max(wait, pair->Int(1) + backoff - now);
  }

  GMG_ASSIGN_OR_RETURN(auto known, tx.QueryOne("SELECT 1 FROM sign_in_addresses WHERE user_id = ? "
                                               "AND address = ? AND last_success_at > ?",
                                               {user_id, address, now - l.known_address_seconds}));
  if (!known) {
    GMG_ASSIGN_OR_RETURN(
        int64_t account_wait,
        CapWait(tx, "account", account, l.max_failures_per_account, l.account_window_seconds, now));
    GMG_ASSIGN_OR_RETURN(
        int64_t address_wait,
        CapWait(tx, "address", address, l.max_failures_per_address, l.address_window_seconds, now));
    wait = std::max({wait, account_wait, address_wait});
  }
  if (wait > 0) {
    Error e = RuleError(ErrorCode::kResourceExhausted,
                        "too many failed password attempts; try again later", "too_many_attempts");
    e.retry_after_seconds = static_cast<int>(std::min<int64_t>(wait, 86400));
    return e;
  }
  GMG_RETURN_IF_ERROR(tx.Exec("INSERT INTO sign_in_attempts (account, address, at) VALUES (?,?,?)",
                              {account, address, now}));
  return Ok();
}

Status AuthService::RecordSuccess(Tx& tx, const std::string& account, const std::string& address,
                                  int64_t user_id, int64_t now) {
  GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM sign_in_attempts WHERE account = ? AND address = ?",
                              {account, address}));
  GMG_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM sign_in_addresses WHERE user_id = ? AND "
              "last_success_at <= ?",
              {user_id, now - limits_.known_address_seconds}));
  GMG_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO sign_in_addresses (user_id, address, last_success_at) VALUES (?,?,?) "
      "ON CONFLICT (user_id, address) DO UPDATE SET last_success_at = excluded.last_success_at",
      {user_id, address, now}));
  return Ok();
}

Result<SignedIn> AuthService::SignIn(const std::string& raw_email, const std::string& password,
                                     const std::string& address) {
  std::string email = NormalizeEmail(raw_email);
  int64_t now = now_();

  // Read the user and reserve the attempt in one write transaction, before any hashing.
  std::optional<Row> user_row;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(user_row, tx.QueryOne(std::string("SELECT ") + kUserColumns +
                                                   ", password_hash FROM users WHERE email = ?",
                                               {email}));
    return ReserveAttempt(tx, email, address, user_row ? user_row->Int(0) : 0, now);
  }));

  // The same Argon2id work whether or not the account exists; the dummy hash is made by the
  // process's first sign-in of either kind, so that one costs the same too.
  const std::string& dummy = DummyHash();
  bool ok = VerifyPassword(password, user_row ? user_row->Text(kAfterUserColumns) : dummy);
  if (!ok || !user_row || user_row->Int(5) == 0) {
    // The reservation stays: it is the failure.
    return RuleError(ErrorCode::kUnauthenticated, "wrong e-mail or password", "wrong_credentials");
  }

  SignedIn out;
  out.user = UserFromRow(*user_row);
  out.session_token = RandomToken(32);
  out.csrf_token = RandomToken(24);
  out.expires_at = now + limits_.session_seconds;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(RecordSuccess(tx, email, address, out.user.id, now));
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE expires_at <= ?", {now}));
    GMG_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, ip) "
        "VALUES (?,?,?,?,?,?)",
        {HashToken(out.session_token), out.user.id, out.csrf_token, now, out.expires_at, address}));
    Principal actor;
    actor.user_id = out.user.id;
    actor.email = out.user.email;
    actor.role = out.user.role;
    return RecordAudit(tx, actor, "sign_in", "user", std::to_string(out.user.id), nullptr,
                       boost::json::object{{"address", address}});
  }));
  return out;
}

void AuthService::SignOut(int64_t session_id) {
  (void)db_.Write([&](Tx& tx) -> Status {
    return tx.Exec("DELETE FROM sessions WHERE id = ?", {session_id}).ok()
               ? Ok()
               : MakeError(ErrorCode::kInternal, "sign-out failed");
  });
}

Status AuthService::MarkOutsideGmg(Tx& tx, Principal& p) const {
  if ((p.role != Role::kFocalPoint && p.role != Role::kMember) || p.organization_id.empty()) {
    return Ok();
  }
  GMG_ASSIGN_OR_RETURN(bool member,
                       is_member_on_(tx, p.organization_id, Date::FromUnix(now_()).ToString()));
  p.outside_gmg = !member;
  return Ok();
}

Result<std::optional<Principal>> AuthService::SessionPrincipal(std::string_view token) {
  std::optional<Principal> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT u.id, u.email, u.name, u.role, u.organization_id, "
                              "s.csrf_token, s.id FROM sessions s JOIN users u ON u.id = s.user_id "
                              "WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
                              {HashToken(token), now_()}));
    if (row) {
      out = PrincipalFromRow(*row, AuthVia::kCookie);
      out->csrf_token = row->Text(5);
      out->session_id = row->Int(6);
      GMG_RETURN_IF_ERROR(MarkOutsideGmg(tx, *out));
    }
    return Ok();
  }));
  return out;
}

Result<std::optional<Principal>> AuthService::TokenPrincipal(std::string_view token) {
  std::optional<Principal> out;
  int64_t now = now_();
  int64_t token_id = 0, last_used = 0;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne(
            "SELECT u.id, u.email, u.name, u.role, u.organization_id, t.id, "
            "coalesce(t.last_used_at, 0) FROM api_tokens t JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND "
            "u.active = 1",
            {HashToken(token), now}));
    if (row) {
      out = PrincipalFromRow(*row, AuthVia::kToken);
      token_id = row->Int(5);
      last_used = row->Int(6);
      GMG_RETURN_IF_ERROR(MarkOutsideGmg(tx, *out));
    }
    return Ok();
  }));
  // Last use is kept to the minute: not a write on every request.
  if (out && now - last_used >= 60) {
    (void)db_.Write([&](Tx& tx) -> Status {
      GMG_RETURN_IF_ERROR(
          tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, token_id}));
      return Ok();
    });
  }
  return out;
}

Status AuthService::CheckUserFields(Tx& tx, const std::string& email, Role role,
                                    const std::string& org) {
  if (!LooksLikeEmail(email)) {
    return FieldError(ErrorCode::kFailedPrecondition, "email", "is not an e-mail address",
                      "invalid_email");
  }
  if ((role == Role::kFocalPoint || role == Role::kMember) && org.empty()) {
    return FieldError(ErrorCode::kFailedPrecondition, "organization_id",
                      "is required for the roles focal_point and member", "required_for_role");
  }
  if (!org.empty()) {
    GMG_ASSIGN_OR_RETURN(bool exists, organization_exists_(tx, org));
    if (!exists) {
      return FieldError(ErrorCode::kFailedPrecondition, "organization_id",
                        "is not a known organisation: " + org, "unknown_organization",
                        {{"value", org}});
    }
  }
  return Ok();
}

Result<User> AuthService::CreateUser(const Principal& actor, const NewUser& in) {
  std::string email = NormalizeEmail(in.email);
  GMG_RETURN_IF_ERROR(CheckPasswordRules(in.password, "password"));
  GMG_ASSIGN_OR_RETURN(std::string hash, HashPassword(in.password, limits_.password_hash));
  User out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(CheckUserFields(tx, email, in.role, in.organization_id));
    GMG_ASSIGN_OR_RETURN(auto existing,
                         tx.QueryOne("SELECT 1 FROM users WHERE email = ?", {email}));
    if (existing) {
      return FieldError(ErrorCode::kConflict, "email", "a user with this e-mail already exists",
                        "already_exists", {{"value", email}});
    }
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO users (email, name, role, organization_id, password_hash, "
                    "created_at, updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
                    {email, in.name, std::string(RoleName(in.role)),
                     NullIfEmpty(in.organization_id), hash, now, now}));
    GMG_ASSIGN_OR_RETURN(out, LoadUser(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "user", std::to_string(out.id), nullptr, UserJson(out));
  }));
  return out;
}

Result<User> AuthService::UpdateUser(const Principal& actor, int64_t id, int64_t if_version,
                                     const UserChange& c) {
  std::optional<std::string> hash;
  if (c.password) {
    GMG_RETURN_IF_ERROR(CheckPasswordRules(*c.password, "password"));
    GMG_ASSIGN_OR_RETURN(hash, HashPassword(*c.password, limits_.password_hash));
  }
  User after;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(User before, LoadUser(tx, id));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this user"));
    User next = before;
    if (c.name) next.name = *c.name;
    if (c.role) next.role = *c.role;
    if (c.organization_id) next.organization_id = *c.organization_id;
    if (c.active) next.active = *c.active;
    GMG_RETURN_IF_ERROR(CheckUserFields(tx, next.email, next.role, next.organization_id));
    bool loses_admin =
        before.role == Role::kAdmin && before.active && (next.role != Role::kAdmin || !next.active);
    if (loses_admin) {
      GMG_ASSIGN_OR_RETURN(bool other, HasOtherAdmin(tx, id));
      if (!other) {
        return RuleError(ErrorCode::kFailedPrecondition,
                         "this is the last active administrator; make another one first",
                         "last_admin");
      }
    }
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE users SET name = ?, role = ?, organization_id = ?, active = ?, "
                "password_hash = coalesce(?, password_hash), version = version + 1, updated_at = ? "
                "WHERE id = ?",
                {next.name, std::string(RoleName(next.role)), NullIfEmpty(next.organization_id),
                 static_cast<int64_t>(next.active), OptionalText(hash), now_(), id}));
    int64_t tokens_revoked = 0;
    if (hash || !next.active || next.role != before.role ||
        next.organization_id != before.organization_id) {
      // Credentials or rights changed: existing sign-ins must start again, and no token made
      // under the old ones lives on (a reactivated or re-promoted user starts with none).
      GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE user_id = ?", {id}));
      GMG_ASSIGN_OR_RETURN(tokens_revoked, RevokeUserTokens(tx, id, now_()));
    }
    GMG_ASSIGN_OR_RETURN(after, LoadUser(tx, id));
    boost::json::value after_json = UserJson(after);
    if (hash) after_json.as_object()["password"] = "changed";
    if (tokens_revoked > 0) after_json.as_object()["api_tokens_revoked"] = tokens_revoked;
    return RecordAudit(tx, actor, "update", "user", std::to_string(id), UserJson(before),
                       after_json);
  }));
  return after;
}

Result<User> AuthService::DeactivateUser(const Principal& actor, int64_t id) {
  GMG_ASSIGN_OR_RETURN(User u, GetUser(id));
  UserChange c;
  c.active = false;
  return UpdateUser(actor, id, u.version, c);
}

Result<std::optional<User>> AuthService::FindUserByEmail(Tx& tx, const std::string& email) {
  GMG_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?",
                            {NormalizeEmail(email)}));
  if (!row) return std::optional<User>();
  return std::optional<User>(UserFromRow(*row));
}

Result<User> AuthService::GetUser(int64_t id) {
  User out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadUser(tx, id));
    return Ok();
  }));
  return out;
}

Result<std::vector<User>> AuthService::ListUsers(int64_t limit, std::optional<int64_t> after_id,
                                                 int64_t* total) {
  std::vector<User> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM users"));
    *total = count->Int(0);
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                                 " FROM users WHERE id > ? ORDER BY id LIMIT ?",
                                             {after_id.value_or(0), limit}));
    for (const Row& r : rows) out.push_back(UserFromRow(r));
    return Ok();
  }));
  return out;
}

Result<std::vector<User>> AuthService::ListOrganizationUsers(const Principal& actor,
                                                             const std::string& org_id) {
  bool own_staff = (actor.role == Role::kFocalPoint || actor.role == Role::kMember) &&
                   !actor.organization_id.empty() && actor.organization_id == org_id;
  std::vector<User> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(bool exists, organization_exists_(tx, org_id));
    if (!exists) return MakeError(ErrorCode::kNotFound, "no organisation " + org_id);
    if (!actor.IsStaff() && !own_staff) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "only " + org_id +
                           "'s focal points and members, the secretariat or an administrator "
                           "see its users");
    }
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kUserColumns +
                                                 " FROM users WHERE organization_id = ? AND "
                                                 "active = 1 ORDER BY name, id",
                                             {org_id}));
    for (const Row& r : rows) out.push_back(UserFromRow(r));
    return Ok();
  }));
  return out;
}

Result<User> AuthService::SetOwnLanguage(const Principal& actor,
                                         const std::optional<std::string>& language) {
  if (language && std::find(std::begin(kUserLanguages), std::end(kUserLanguages), *language) ==
                      std::end(kUserLanguages)) {
    return FieldError(ErrorCode::kInvalidArgument, "language",
                      "must be one of en, fr, es, ar, zh, ru, or null", "not_in_list");
  }
  User after;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(User before, LoadUser(tx, actor.user_id));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE users SET language = ?, version = version + 1, updated_at = ? WHERE id = ?",
                {OptionalText(language), now_(), actor.user_id}));
    GMG_ASSIGN_OR_RETURN(after, LoadUser(tx, actor.user_id));
    auto language_json = [](const User& u) -> boost::json::value {
      if (u.language.empty()) return boost::json::object{{"language", nullptr}};
      return boost::json::object{{"language", u.language}};
    };
    return RecordAudit(tx, actor, "update", "user", std::to_string(actor.user_id),
                       language_json(before), language_json(after));
  }));
  return after;
}

Status AuthService::ChangeOwnPassword(const Principal& actor, const std::string& current,
                                      const std::string& replacement, const std::string& address) {
  // The new password's rules first: a weak choice should not spend a guess.
  GMG_RETURN_IF_ERROR(CheckPasswordRules(replacement, "new_password"));
  std::string account = NormalizeEmail(actor.email);
  int64_t now = now_();
  std::string stored;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT password_hash FROM users WHERE id = ?", {actor.user_id}));
    if (row) stored = row->Text(0);
    return ReserveAttempt(tx, account, address, actor.user_id, now);
  }));
  if (stored.empty() || !VerifyPassword(current, stored)) {
    return FieldError(ErrorCode::kFailedPrecondition, "current_password", "is not your password",
                      "wrong_password");
  }
  GMG_ASSIGN_OR_RETURN(std::string hash, HashPassword(replacement, limits_.password_hash));
  return db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(RecordSuccess(tx, account, address, actor.user_id, now));
    GMG_RETURN_IF_ERROR(
        tx.Exec("UPDATE users SET password_hash = ?, version = version + 1, "
                "updated_at = ? WHERE id = ?",
                {hash, now, actor.user_id}));
    // Other sign-ins end; this one stays. Every API token goes: one may have leaked with the
    // old password.
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM sessions WHERE user_id = ? AND id <> ?",
                                {actor.user_id, actor.session_id}));
    GMG_ASSIGN_OR_RETURN(int64_t revoked, RevokeUserTokens(tx, actor.user_id, now));
    return RecordAudit(tx, actor, "change_password", "user", std::to_string(actor.user_id), nullptr,
                       boost::json::object{{"api_tokens_revoked", revoked}});
  });
}

Result<bool> AuthService::EnsureFirstAdmin(const std::string& email, const std::string& password) {
  int64_t users = 0;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT count(*) FROM users"));
    users = row->Int(0);
    return Ok();
  }));
  if (users > 0) return false;
  NewUser admin;
  admin.email = email;
  admin.name = "Administrator";
  admin.role = Role::kAdmin;
  admin.password = password;
  GMG_RETURN_IF_ERROR(CreateUser(Principal::Cli(), admin));
  return true;
}

Result<std::pair<ApiToken, std::string>> AuthService::CreateToken(
    const Principal& actor, const std::string& name, std::optional<int64_t> expires_in_days) {
  // A token minting tokens could outlive itself (and a stolen one its revocation): tokens are
  // made only from a session, which needed the password.
  if (actor.via == AuthVia::kToken) {
    return RuleError(ErrorCode::kPermissionDenied,
                     "API tokens are created from a signed-in session, not with an API token",
                     "session_required");
  }
  int64_t days = expires_in_days.value_or(limits_.default_token_days);
  if (days < 1 || days > limits_.max_token_days) {
    std::string max = std::to_string(limits_.max_token_days);
    return FieldError(ErrorCode::kFailedPrecondition, "expires_in_days",
                      "must be between 1 and " + max + " days", "out_of_range",
                      {{"min", "1"}, {"max", max}});
  }
  std::string secret = "gmg_" + RandomToken(32);
  ApiToken t;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT count(*) FROM api_tokens WHERE "
                                                 "user_id = ? AND revoked_at IS NULL AND "
                                                 "expires_at > ?",
                                                 {actor.user_id, now}));
    if (count->Int(0) >= 50) {
      return RuleError(ErrorCode::kFailedPrecondition,
                       "you have 50 active tokens; revoke some before creating more", "token_limit",
                       {{"max", "50"}});
    }
    int64_t expires = now + days * 86400;
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, "
                    "expires_at) VALUES (?,?,?,?,?,?) RETURNING id, user_id, name, prefix, "
                    "created_at, expires_at, last_used_at, revoked_at",
                    {actor.user_id, name, HashToken(secret), secret.substr(0, 10), now, expires}));
    t = TokenFromRow(*row);
    return RecordAudit(tx, actor, "create", "api_token", std::to_string(t.id), nullptr,
                       ApiTokenJson(t));
  }));
  return std::make_pair(t, secret);
}

Result<std::vector<ApiToken>> AuthService::ListTokens(const Principal& actor) {
  std::vector<ApiToken> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT id, user_id, name, prefix, created_at, expires_at, "
                                  "last_used_at, revoked_at FROM api_tokens WHERE user_id = ? "
                                  "ORDER BY id DESC",
                                  {actor.user_id}));
    for (const Row& r : rows) out.push_back(TokenFromRow(r));
    return Ok();
  }));
  return out;
}

Status AuthService::RevokeToken(const Principal& actor, int64_t id) {
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, user_id, name, prefix, created_at, "
                                               "expires_at, last_used_at, revoked_at FROM "
                                               "api_tokens WHERE id = ?",
                                               {id}));
    // Another user's token is reported as missing, not forbidden: ids reveal nothing.
    if (!row || !AccessPolicy::MayManageUser(actor, row->Int(1))) {
      return MakeError(ErrorCode::kNotFound, "no token " + std::to_string(id));
    }
    ApiToken before = TokenFromRow(*row);
    if (before.revoked_at) return Ok();
    GMG_RETURN_IF_ERROR(tx.Exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", {now_(), id}));
    ApiToken after = before;
    after.revoked_at = now_();
    return RecordAudit(tx, actor, "revoke", "api_token", std::to_string(id), ApiTokenJson(before),
                       ApiTokenJson(after));
  });
}

Result<std::vector<Recipient>> AuthService::UsersFor(
    Tx& tx, const std::vector<std::string>& organization_ids, bool focal_points_only, bool staff,
    const std::vector<int64_t>& user_ids) const {
  boost::json::array orgs(organization_ids.begin(), organization_ids.end());
  boost::json::array ids(user_ids.begin(), user_ids.end());
  std::string org_roles = focal_points_only ? "('focal_point')" : "('focal_point','member')";
  std::string sql =
      "SELECT id, email, name, role, organization_id, language FROM users WHERE active = 1 AND "
      "((organization_id" +
      std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kTexts)) + " AND role IN " +
      org_roles + ") OR (CAST(? AS BIGINT) = 1 AND role IN ('admin','secretariat')) OR id" +
      std::string(sql::InJsonList(tx.Dialect(), sql::ListOf::kIntegers)) + ") ORDER BY id";
  GMG_ASSIGN_OR_RETURN(auto rows,
                       tx.Query(sql, {boost::json::serialize(orgs), int64_t{staff ? 1 : 0},
                                      boost::json::serialize(ids)}));
  std::vector<Recipient> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    Recipient u;
    u.id = r.Int(0);
    u.email = r.Text(1);
    u.name = r.Text(2);
    ParseRole(r.Text(3), &u.role);
    u.organization_id = r.Text(4);
    u.language = r.Text(5);
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace gmg
