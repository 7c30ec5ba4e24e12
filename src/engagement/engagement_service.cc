#include "engagement/engagement_service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "audit/audit_log.h"
#include "core/codelists.h"
#include "engagement/engagement_json.h"
#include "engagement/engagement_rules.h"
#include "governance/organization_directory.h"

namespace gmg {
namespace engagement {

Error Invalid(std::string field, std::string problem, std::string rule, Args args) {
  return FieldError(ErrorCode::kFailedPrecondition, std::move(field), std::move(problem),
                    std::move(rule), std::move(args));
}

Error Denied(std::string message) {
  return MakeError(ErrorCode::kPermissionDenied, std::move(message));
}

Result<std::optional<int64_t>> LinkedStakeholder(Tx& tx, const Principal& p) {
  if (p.role != Role::kStakeholder || p.user_id <= 0) return std::optional<int64_t>();
  GMG_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT stakeholder_id FROM stakeholder_accounts WHERE user_id = ?",
                            {p.user_id}));
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(row->Int(0));
}

namespace {

constexpr char kStakeholderColumns[] =
    "id, kind, name, country, region, website, description, version, created_at, updated_at";

Stakeholder StakeholderFromRow(const Row& r) {
  return Stakeholder{.id = r.Int(0),
                     .kind = r.Text(1),
                     .name = r.Text(2),
                     .country = r.Text(3),
                     .region = r.Text(4),
                     .website = r.Text(5),
                     .description = r.Text(6),
                     .version = r.Int(7),
                     .created_at = r.Int(8),
                     .updated_at = r.Int(9)};
}

}  // namespace

Result<Stakeholder> LoadStakeholder(Tx& tx, int64_t id) {
  GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kStakeholderColumns +
                                                 " FROM stakeholders WHERE id = ?",
                                             {id}));
  if (!row) return MakeError(ErrorCode::kNotFound, "no stakeholder " + std::to_string(id));
  return StakeholderFromRow(*row);
}

std::string DayOf(int64_t now) { return Date::FromUnix(now).ToString(); }

}  // namespace engagement

using engagement::Denied;
using engagement::InList;
using engagement::Invalid;
using engagement::IsInsider;
using engagement::LinkedStakeholder;
using engagement::LoadStakeholder;

namespace {

constexpr size_t kMaxUrlBytes = 2000;
constexpr size_t kMaxParties = 50;
constexpr size_t kMaxSearchWords = 8;
constexpr size_t kMaxSearchWordBytes = 64;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status CheckWebsite(std::string_view url) {
  if (url.empty()) return Ok();
  if (url.size() > kMaxUrlBytes) {
    return Invalid("website", "must be at most 2000 bytes", "too_long", {{"max", "2000"}});
  }
  size_t scheme_end = url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0;
  bool clean = std::none_of(url.begin(), url.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u <= 0x20 || u == 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\';
  });
  std::string_view rest = url.substr(scheme_end);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (scheme_end == 0 || !clean || host.empty() || host.find('@') != std::string_view::npos) {
    return Invalid("website", "must be an http:// or https:// address with a host", "invalid_url",
                   {{"value", std::string(url)}});
  }
  return Ok();
}

// Fills a state's name and region from the codelist; checks the kind, the country and the rest.
Status Complete(Stakeholder& s) {
  if (!InList(s.kind, kStakeholderKinds)) {
    return Invalid("kind", "must be one of the stakeholder kinds", "not_in_list",
                   {{"value", s.kind}});
  }
  s.country = Upper(s.country);
  const CountryRecord* country = nullptr;
  if (!s.country.empty()) {
    country = FindCountryByIso3(s.country);
    if (country == nullptr) {
      return Invalid("country", "is not an ISO 3166 alpha-3 country code", "unknown_country",
                     {{"value", s.country}});
    }
  } else if (s.kind == "state") {
    return Invalid("country", "a state needs its ISO 3166 alpha-3 code", "required");
  }
  if (s.kind == "state" && s.name.empty()) s.name = country->name;
  if (s.kind == "state" && s.region.empty()) s.region = country->region_name;
  if (s.name.empty()) return Invalid("name", "must not be empty", "required");
  return CheckWebsite(s.website);
}

Status CheckUnique(Tx& tx, const Stakeholder& s) {
  GMG_ASSIGN_OR_RETURN(auto same_name,
                       tx.QueryOne("SELECT id FROM stakeholders WHERE lower(name) = lower(?) "
                                   "AND id <> ?",
                                   {s.name, s.id}));
  if (same_name) {
    return FieldError(ErrorCode::kConflict, "name", "another stakeholder has this name",
                      "already_exists", {{"value", s.name}});
  }
  if (s.kind != "state") return Ok();
  GMG_ASSIGN_OR_RETURN(auto same_state,
                       tx.QueryOne("SELECT id FROM stakeholders WHERE kind = 'state' AND "
                                   "country = ? AND id <> ?",
                                   {s.country, s.id}));
  if (same_state) {
    return FieldError(ErrorCode::kConflict, "country", "this state is already a stakeholder",
                      "already_exists", {{"value", s.country}});
  }
  return Ok();
}

Contact ContactFromRow(const Row& r) {
  return Contact{.id = r.Int(0),
                 .stakeholder_id = r.Int(1),
                 .name = r.Text(2),
                 .title = r.Text(3),
                 .email = r.Text(4),
                 .phone = r.Text(5),
                 .created_at = r.Int(6)};
}

Status CheckContact(const NewContact& c) {
  if (c.name.empty()) return Invalid("name", "must not be empty", "required");
  if (!c.email.empty()) {
    size_t at = c.email.find('@');
    bool ok = at != std::string::npos && at > 0 && c.email.find('.', at) != std::string::npos &&
              c.email.find_first_of(" \t<>\"") == std::string::npos;
    if (!ok) return Invalid("email", "is not an e-mail address", "invalid_email");
  }
  bool phone_ok = std::all_of(c.phone.begin(), c.phone.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) || ch == ' ' || ch == '+' || ch == '(' ||
           ch == ')' || ch == '-' || ch == '.';
  });
  if (!phone_ok) {
    return Invalid("phone", "may hold only digits, spaces and + ( ) - .", "invalid_phone");
  }
  return Ok();
}

// What `viewer` may see of interactions, as SQL over alias `i` and its parameters.
struct InteractionScope {
  std::string sql;  // "" = everything
  SqlParams params;
};

Result<InteractionScope> ScopeOf(Tx& tx, const Principal& viewer) {
  if (IsInsider(viewer)) return InteractionScope{};
  GMG_ASSIGN_OR_RETURN(auto linked, LinkedStakeholder(tx, viewer));
  if (!linked) return InteractionScope{.sql = "i.visibility = 'public'", .params = {}};
  return InteractionScope{
      .sql =
          "(i.visibility = 'public' OR (i.visibility = 'shared' AND EXISTS (SELECT 1 FROM "
          "stakeholder_interaction_parties p WHERE p.interaction_id = i.id AND "
          "p.stakeholder_id = ?)))",
      .params = {*linked}};
}

Status LoadParties(Tx& tx, Interaction& i) {
  GMG_ASSIGN_OR_RETURN(auto parties, tx.Query("SELECT stakeholder_id FROM "
                                              "stakeholder_interaction_parties WHERE "
                                              "interaction_id = ? ORDER BY stakeholder_id",
                                              {i.id}));
  for (const Row& r : parties) i.stakeholder_ids.push_back(r.Int(0));
  GMG_ASSIGN_OR_RETURN(auto members, tx.Query("SELECT organization_id FROM "
                                              "stakeholder_interaction_members WHERE "
                                              "interaction_id = ? ORDER BY organization_id",
                                              {i.id}));
  for (const Row& r : members) i.organization_ids.push_back(r.Text(0));
  return Ok();
}

constexpr char kInteractionColumns[] =
    "i.id, i.date, i.kind, i.summary, i.visibility, i.created_at";

Interaction InteractionFromRow(const Row& r) {
  return Interaction{.id = r.Int(0),
                     .date = r.Text(1),
                     .kind = r.Text(2),
                     .summary = r.Text(3),
                     .visibility = r.Text(4),
                     .created_at = r.Int(5)};
}

Status CheckInteraction(const NewInteraction& n) {
  if (!Date::Parse(n.date)) {
    return Invalid("date", "must be a real date written YYYY-MM-DD", "invalid_date");
  }
  if (!InList(n.kind, kInteractionKinds)) {
    return Invalid("kind", "must be one of the interaction kinds", "not_in_list",
                   {{"value", n.kind}});
  }
  if (!InList(n.visibility, kInteractionVisibilities)) {
    return Invalid("visibility", "must be internal, shared or public", "not_in_list",
                   {{"value", n.visibility}});
  }
  if (n.summary.empty()) return Invalid("summary", "must not be empty", "required");
  if (n.stakeholder_ids.empty()) {
    return Invalid("stakeholders", "name at least one stakeholder", "required");
  }
  if (n.stakeholder_ids.size() > kMaxParties || n.organization_ids.size() > kMaxParties) {
    return Invalid(n.stakeholder_ids.size() > kMaxParties ? "stakeholders" : "members",
                   "at most 50", "too_many", {{"max", "50"}});
  }
  std::set<int64_t> ids(n.stakeholder_ids.begin(), n.stakeholder_ids.end());
  if (ids.size() != n.stakeholder_ids.size()) {
    return Invalid("stakeholders", "names a stakeholder twice", "duplicate_value");
  }
  std::set<std::string> orgs(n.organization_ids.begin(), n.organization_ids.end());
  if (orgs.size() != n.organization_ids.size()) {
    return Invalid("members", "names a member twice", "duplicate_value");
  }
  return Ok();
}

Status CheckParties(Tx& tx, const NewInteraction& n) {
  for (int64_t id : n.stakeholder_ids) {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM stakeholders WHERE id = ?", {id}));
    if (!row) {
      return Invalid("stakeholders", "no stakeholder " + std::to_string(id), "unknown_stakeholder",
                     {{"value", std::to_string(id)}});
    }
  }
  for (const std::string& org : n.organization_ids) {
    GMG_ASSIGN_OR_RETURN(bool exists, OrganizationExists(tx, org));
    if (!exists) {
      return Invalid("members", "no such organisation", "unknown_organization", {{"value", org}});
    }
  }
  return Ok();
}

// Lower-cased words of a search, bounded.
std::vector<std::string> SearchWords(std::string_view query) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && words.size() < kMaxSearchWords) {
      words.push_back(Lower(word.substr(0, kMaxSearchWordBytes)));
    }
    word.clear();
  };
  for (char c : query) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return words;
}

// The LIKE pattern for a word, its % and _ escaped with '!'.
std::string LikePattern(std::string_view word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out + "%";
}

std::string Snippet(const std::string& text, const std::vector<std::string>& words) {
  constexpr size_t kLength = 160;
  std::string lower = Lower(text);
  size_t at = std::string::npos;
  for (const std::string& w : words) at = std::min(at, lower.find(w));
  size_t start = at == std::string::npos || at < 40 ? 0 : at - 40;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  size_t end = std::min(text.size(), start + kLength);
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return (start > 0 ? "…" : "") + text.substr(start, end - start) + (end < text.size() ? "…" : "");
}

double Score(const std::string& title, const std::string& body,
             const std::vector<std::string>& words) {
  double score = 0;
  std::string t = Lower(title);
  std::string b = Lower(body);
  for (const std::string& w : words) {
    if (t.find(w) != std::string::npos) score += 2;
    if (b.find(w) != std::string::npos) score += 1;
  }
  return score;
}

}  // namespace

bool IsAllowedTransition(std::string_view from, std::string_view to) {
  struct Step {
    std::string_view from;
    std::string_view to;
  };
  static constexpr Step kSteps[] = {
      {"received", "routed"},      {"routed", "in_progress"}, {"routed", "answered"},
      {"in_progress", "answered"}, {"answered", "closed"},    {"received", "closed"},
      {"routed", "closed"},        {"in_progress", "closed"},
  };
  return std::any_of(std::begin(kSteps), std::end(kSteps),
                     [&](const Step& s) { return s.from == from && s.to == to; });
}

EngagementService::EngagementService(Database& db, AccountFinder accounts,
                                     std::function<int64_t()> now)
    : db_(db), accounts_(std::move(accounts)), now_(std::move(now)) {}

// --- Stakeholders ---------------------------------------------------------------------------

Result<std::vector<Stakeholder>> EngagementService::ListStakeholders(const StakeholderFilter& f) {
  if (!f.kind.empty() && !InList(f.kind, kStakeholderKinds)) {
    return Invalid("kind", "must be one of the stakeholder kinds", "not_in_list",
                   {{"value", f.kind}});
  }
  std::string sql =
      std::string("SELECT ") + engagement::kStakeholderColumns + " FROM stakeholders WHERE 1 = 1";
  SqlParams params;
  if (!f.kind.empty()) {
    sql += " AND kind = ?";
    params.emplace_back(f.kind);
  }
  if (!f.region.empty()) {
    sql += " AND region = ?";
    params.emplace_back(f.region);
  }
  for (const std::string& w : SearchWords(f.query)) {
    sql +=
        " AND (lower(name) LIKE ? ESCAPE '!' OR lower(description) LIKE ? ESCAPE '!' OR "
        "lower(region) LIKE ? ESCAPE '!' OR lower(country) LIKE ? ESCAPE '!')";
    for (int i = 0; i < 4; ++i) params.emplace_back(LikePattern(w));
  }
  sql += " ORDER BY lower(name), id";
  std::vector<Stakeholder> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const Row& r : rows) out.push_back(engagement::StakeholderFromRow(r));
    return Ok();
  }));
  return out;
}

Result<Stakeholder> EngagementService::GetStakeholder(int64_t id) {
  Stakeholder out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(out, LoadStakeholder(tx, id));
    return Ok();
  }));
  return out;
}

Result<std::vector<std::string>> EngagementService::ListRegions() {
  std::vector<std::string> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT DISTINCT region FROM stakeholders WHERE "
                                             "region <> '' ORDER BY region"));
    for (const Row& r : rows) out.push_back(r.Text(0));
    return Ok();
  }));
  return out;
}

Result<Stakeholder> EngagementService::CreateStakeholder(const Principal& actor,
                                                         const NewStakeholder& n) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator adds stakeholders");
  Stakeholder s{.kind = n.kind,
                .name = n.name,
                .country = n.country,
                .region = n.region,
                .website = n.website,
                .description = n.description};
  GMG_RETURN_IF_ERROR(Complete(s));
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(CheckUnique(tx, s));
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(
        auto row,
        tx.QueryOne("INSERT INTO stakeholders (kind, name, country, region, website, "
                    "description, version, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
                    {s.kind, s.name, s.country, s.region, s.website, s.description, now, now}));
    GMG_ASSIGN_OR_RETURN(s, LoadStakeholder(tx, row->Int(0)));
    return RecordAudit(tx, actor, "create", "stakeholder", std::to_string(s.id), nullptr,
                       StakeholderJson(s));
  }));
  return s;
}

Result<Stakeholder> EngagementService::UpdateStakeholder(const Principal& actor, int64_t id,
                                                         int64_t if_version,
                                                         const StakeholderChange& c) {
  if (!actor.IsStaff())
    return Denied("only the secretariat or an administrator edits stakeholders");
  Stakeholder out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(Stakeholder before, LoadStakeholder(tx, id));
    GMG_RETURN_IF_ERROR(CheckVersion(before.version, if_version, "this stakeholder"));
    Stakeholder next = before;
    if (c.name) next.name = *c.name;
    if (c.country) next.country = *c.country;
    if (c.region) next.region = *c.region;
    if (c.website) next.website = *c.website;
    if (c.description) next.description = *c.description;
    GMG_RETURN_IF_ERROR(Complete(next));
    GMG_RETURN_IF_ERROR(CheckUnique(tx, next));
    GMG_RETURN_IF_ERROR(tx.Exec(
        "UPDATE stakeholders SET name = ?, country = ?, region = ?, website = ?, "
        "description = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {next.name, next.country, next.region, next.website, next.description, now_(), id}));
    GMG_ASSIGN_OR_RETURN(out, LoadStakeholder(tx, id));
    return RecordAudit(tx, actor, "update", "stakeholder", std::to_string(id),
                       StakeholderJson(before), StakeholderJson(out));
  }));
  return out;
}

// --- Contacts -------------------------------------------------------------------------------

Result<std::vector<Contact>> EngagementService::ListContacts(const Principal& viewer,
                                                             int64_t stakeholder_id) {
  if (!viewer.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  if (!IsInsider(viewer)) return Denied("contacts are shown to GMG members' staff only");
  std::vector<Contact> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadStakeholder(tx, stakeholder_id));
    GMG_ASSIGN_OR_RETURN(auto rows,
                         tx.Query("SELECT id, stakeholder_id, name, title, email, phone, "
                                  "created_at FROM stakeholder_contacts WHERE stakeholder_id = ? "
                                  "ORDER BY name, id",
                                  {stakeholder_id}));
    for (const Row& r : rows) out.push_back(ContactFromRow(r));
    return Ok();
  }));
  return out;
}

Result<Contact> EngagementService::AddContact(const Principal& actor, int64_t stakeholder_id,
                                              const NewContact& c) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator adds contacts");
  GMG_RETURN_IF_ERROR(CheckContact(c));
  Contact out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadStakeholder(tx, stakeholder_id));
    int64_t now = now_();
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO stakeholder_contacts "
                                     "(stakeholder_id, name, title, email, phone, "
                                     "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                     {stakeholder_id, c.name, c.title, c.email, c.phone, now}));
    out = Contact{.id = row->Int(0),
                  .stakeholder_id = stakeholder_id,
                  .name = c.name,
                  .title = c.title,
                  .email = c.email,
                  .phone = c.phone,
                  .created_at = now};
    return RecordAudit(tx, actor, "create", "stakeholder_contact", std::to_string(out.id), nullptr,
                       ContactJson(out));
  }));
  return out;
}

Status EngagementService::DeleteContact(const Principal& actor, int64_t stakeholder_id,
                                        int64_t contact_id) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator removes contacts");
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, stakeholder_id, name, title, email, "
                                               "phone, created_at FROM stakeholder_contacts "
                                               "WHERE id = ? AND stakeholder_id = ?",
                                               {contact_id, stakeholder_id}));
    if (!row) return MakeError(ErrorCode::kNotFound, "no such contact");
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM stakeholder_contacts WHERE id = ?", {contact_id}));
    return RecordAudit(tx, actor, "delete", "stakeholder_contact", std::to_string(contact_id),
                       ContactJson(ContactFromRow(*row)), nullptr);
  });
}

// --- Interactions ---------------------------------------------------------------------------

Result<std::vector<Interaction>> EngagementService::ListInteractions(const Principal& viewer,
                                                                     int64_t stakeholder_id,
                                                                     int64_t limit) {
  if (limit < 1 || limit > 500) {
    return FieldError(ErrorCode::kInvalidArgument, "limit", "must be 1-500", "out_of_range",
                      {{"min", "1"}, {"max", "500"}});
  }
  std::vector<Interaction> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(InteractionScope scope, ScopeOf(tx, viewer));
    std::string sql = std::string("SELECT ") + kInteractionColumns +
                      " FROM stakeholder_interactions i WHERE 1 = 1";
    SqlParams params = scope.params;
    if (!scope.sql.empty()) sql += " AND " + scope.sql;
    if (stakeholder_id > 0) {
      sql +=
          " AND EXISTS (SELECT 1 FROM stakeholder_interaction_parties q WHERE "
          "q.interaction_id = i.id AND q.stakeholder_id = ?)";
      params.emplace_back(stakeholder_id);
    }
    sql += " ORDER BY i.date DESC, i.id DESC LIMIT ?";
    params.emplace_back(limit);
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const Row& r : rows) {
      out.push_back(InteractionFromRow(r));
      GMG_RETURN_IF_ERROR(LoadParties(tx, out.back()));
    }
    return Ok();
  }));
  return out;
}

Result<Interaction> EngagementService::LogInteraction(const Principal& actor,
                                                      const NewInteraction& n) {
  if (!actor.signed_in()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  bool own_member = std::find(n.organization_ids.begin(), n.organization_ids.end(),
                              actor.organization_id) != n.organization_ids.end();
  if (!actor.IsStaff() && !(actor.IsMemberStaff() && own_member)) {
    return Denied(
        "only the secretariat, or a GMG member's staff for an interaction their organisation "
        "took part in, logs interactions");
  }
  GMG_RETURN_IF_ERROR(CheckInteraction(n));
  Interaction out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(CheckParties(tx, n));
    int64_t now = now_();
    SqlValue user = nullptr;
    if (actor.user_id > 0) user = actor.user_id;
    GMG_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("INSERT INTO stakeholder_interactions (date, "
                                     "kind, summary, visibility, user_id, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                                     {n.date, n.kind, n.summary, n.visibility, user, now}));
    int64_t id = row->Int(0);
    for (int64_t s : n.stakeholder_ids) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO stakeholder_interaction_parties "
                  "(interaction_id, stakeholder_id) VALUES (?, ?)",
                  {id, s}));
    }
    for (const std::string& org : n.organization_ids) {
      GMG_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO stakeholder_interaction_members "
                  "(interaction_id, organization_id) VALUES (?, ?)",
                  {id, org}));
    }
    out = Interaction{.id = id,
                      .date = n.date,
                      .kind = n.kind,
                      .summary = n.summary,
                      .visibility = n.visibility,
                      .created_at = now};
    GMG_RETURN_IF_ERROR(LoadParties(tx, out));
    return RecordAudit(tx, actor, "create", "stakeholder_interaction", std::to_string(id), nullptr,
                       InteractionJson(out));
  }));
  return out;
}

Status EngagementService::DeleteInteraction(const Principal& actor, int64_t id) {
  if (!actor.IsStaff()) {
    return Denied("only the secretariat or an administrator removes interactions");
  }
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto row, tx.QueryOne(std::string("SELECT ") + kInteractionColumns +
                                                   " FROM stakeholder_interactions i "
                                                   "WHERE i.id = ?",
                                               {id}));
    if (!row) return MakeError(ErrorCode::kNotFound, "no such interaction");
    Interaction before = InteractionFromRow(*row);
    GMG_RETURN_IF_ERROR(LoadParties(tx, before));
    for (const char* table :
         {"stakeholder_interaction_parties", "stakeholder_interaction_members"}) {
      GMG_RETURN_IF_ERROR(
          tx.Exec(std::string("DELETE FROM ") + table + " WHERE interaction_id = ?", {id}));
    }
    GMG_RETURN_IF_ERROR(tx.Exec("DELETE FROM stakeholder_interactions WHERE id = ?", {id}));
    return RecordAudit(tx, actor, "delete", "stakeholder_interaction", std::to_string(id),
                       InteractionJson(before), nullptr);
  });
}

// --- Accounts -------------------------------------------------------------------------------

Result<std::vector<StakeholderAccount>> EngagementService::ListAccounts(const Principal& actor,
                                                                        int64_t stakeholder_id) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator sees accounts");
  std::vector<StakeholderAccount> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadStakeholder(tx, stakeholder_id));
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT user_id FROM stakeholder_accounts WHERE "
                                             "stakeholder_id = ? ORDER BY user_id",
                                             {stakeholder_id}));
    for (const Row& r : rows)
      out.push_back({.user_id = r.Int(0), .stakeholder_id = stakeholder_id});
    return Ok();
  }));
  return out;
}

Result<StakeholderAccount> EngagementService::LinkAccount(const Principal& actor,
                                                          int64_t stakeholder_id,
                                                          const std::string& email) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator links accounts");
  StakeholderAccount out;
  GMG_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    GMG_RETURN_IF_ERROR(LoadStakeholder(tx, stakeholder_id));
    GMG_ASSIGN_OR_RETURN(auto account, accounts_(tx, email));
    if (!account) {
      return Invalid("email", "no user has this e-mail", "unknown_user", {{"value", email}});
    }
    if (account->role != Role::kStakeholder) {
      return Invalid("email", "only an account with the stakeholder role can be linked",
                     "not_a_stakeholder_account", {{"value", email}});
    }
    GMG_ASSIGN_OR_RETURN(auto linked, tx.QueryOne("SELECT stakeholder_id FROM "
                                                  "stakeholder_accounts WHERE user_id = ?",
                                                  {account->user_id}));
    if (linked) {
      return FieldError(ErrorCode::kConflict, "email", "this account is already linked",
                        "already_exists", {{"value", email}});
    }
    GMG_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO stakeholder_accounts (user_id, stakeholder_id, "
                "created_at) VALUES (?, ?, ?)",
                {account->user_id, stakeholder_id, now_()}));
    out = StakeholderAccount{.user_id = account->user_id,
                             .email = account->email,
                             .name = account->name,
                             .stakeholder_id = stakeholder_id};
    return RecordAudit(tx, actor, "link", "stakeholder_account", std::to_string(account->user_id),
                       nullptr, AccountJson(out));
  }));
  return out;
}

Status EngagementService::UnlinkAccount(const Principal& actor, int64_t stakeholder_id,
                                        int64_t user_id) {
  if (!actor.IsStaff()) return Denied("only the secretariat or an administrator unlinks accounts");
  return db_.Write([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(int64_t removed, tx.Exec("DELETE FROM stakeholder_accounts WHERE "
                                                  "user_id = ? AND stakeholder_id = ?",
                                                  {user_id, stakeholder_id}));
    if (removed == 0) return MakeError(ErrorCode::kNotFound, "no such linked account");
    return RecordAudit(tx, actor, "unlink", "stakeholder_account", std::to_string(user_id),
                       AccountJson({.user_id = user_id, .stakeholder_id = stakeholder_id}),
                       nullptr);
  });
}

Result<std::optional<Stakeholder>> EngagementService::StakeholderOf(const Principal& viewer) {
  std::optional<Stakeholder> out;
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(auto linked, LinkedStakeholder(tx, viewer));
    if (linked) {
      GMG_ASSIGN_OR_RETURN(out, LoadStakeholder(tx, *linked));
    }
    return Ok();
  }));
  return out;
}

// --- Search ---------------------------------------------------------------------------------

Result<std::vector<EngagementHit>> EngagementService::Search(const Principal& viewer,
                                                             std::string_view query,
                                                             int64_t limit) {
  if (limit < 1 || limit > 100) {
    return FieldError(ErrorCode::kInvalidArgument, "limit", "must be 1-100", "out_of_range",
                      {{"min", "1"}, {"max", "100"}});
  }
  std::vector<std::string> words = SearchWords(query);
  std::vector<EngagementHit> hits;
  if (words.empty()) return hits;
  GMG_ASSIGN_OR_RETURN(auto stakeholders, ListStakeholders({.query = std::string(query)}));
  for (const Stakeholder& s : stakeholders) {
    hits.push_back({.kind = "stakeholder",
                    .id = s.id,
                    .title = s.name,
                    .snippet = Snippet(s.description.empty() ? s.name : s.description, words),
                    .score = Score(s.name, s.description + " " + s.region, words)});
  }
  GMG_RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    GMG_ASSIGN_OR_RETURN(InteractionScope scope, ScopeOf(tx, viewer));
    std::string sql = std::string("SELECT ") + kInteractionColumns +
                      " FROM stakeholder_interactions i WHERE 1 = 1";
    SqlParams params = scope.params;
    if (!scope.sql.empty()) sql += " AND " + scope.sql;
    for (const std::string& w : words) {
      sql += " AND lower(i.summary) LIKE ? ESCAPE '!'";
      params.emplace_back(LikePattern(w));
    }
    sql += " ORDER BY i.date DESC, i.id DESC LIMIT ?";
    params.emplace_back(limit);
    GMG_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const Row& r : rows) {
      Interaction i = InteractionFromRow(r);
      hits.push_back({.kind = "interaction",
                      .id = i.id,
                      .title = i.date + " " + i.kind,
                      .snippet = Snippet(i.summary, words),
                      .score = Score("", i.summary, words)});
    }
    return Ok();
  }));
  std::stable_sort(hits.begin(), hits.end(), [](const EngagementHit& a, const EngagementHit& b) {
    return a.score > b.score;
  });
  if (hits.size() > static_cast<size_t>(limit)) hits.resize(static_cast<size_t>(limit));
  return hits;
}

}  // namespace gmg
