#include "activities/activity_json.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <initializer_list>
#include <optional>

#include "http/json_body.h"

namespace gmg {
namespace {

boost::json::array Texts(const std::vector<LocalizedText>& texts) {
  boost::json::array out;
  for (const auto& t : texts) out.push_back({{"lang", t.lang}, {"text", t.text}});
  return out;
}

template <typename T>
boost::json::array Strings(const std::vector<T>& v) {
  boost::json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

// [{lang,text}] or a plain string (taken as English).
bool ReadTexts(const boost::json::value* v, std::vector<LocalizedText>* out) {
  if (v == nullptr || v->is_null()) return true;
  if (v->is_string()) {
    out->push_back({"en", std::string(v->as_string())});
    return true;
  }
  if (!v->is_array() || v->as_array().size() > 10) return false;
  for (const auto& item : v->as_array()) {
    if (!item.is_object()) return false;
    const auto* lang = item.as_object().if_contains("lang");
    const auto* text = item.as_object().if_contains("text");
    if (!lang || !text || !lang->is_string() || !text->is_string()) return false;
    out->push_back({std::string(lang->as_string()), std::string(text->as_string())});
  }
  return true;
}

// Whole amounts as integers ("2500000", not "2.5E6"), others as decimals.
boost::json::value AmountJson(double amount) {
  if (amount == std::floor(amount) && std::fabs(amount) < 9e15) return static_cast<int64_t>(amount);
  return amount;
}

boost::json::value DateOrNull(const std::optional<Date>& d) {
  return d ? boost::json::value(d->ToString()) : boost::json::value(nullptr);
}

boost::json::array SectorsJson(const std::vector<Sector>& sectors) {
  boost::json::array out;
  for (const Sector& s : sectors) {
    out.push_back({{"vocabulary", s.vocabulary},
                   {"code", s.code},
                   {"percentage",
                    s.percentage ? boost::json::value(*s.percentage) : boost::json::value(nullptr)},
                   {"narrative", s.narrative},
                   {"vocabulary_uri", s.vocabulary_uri}});
  }
  return out;
}

boost::json::array CodesJson(const std::vector<TransactionCode>& codes) {
  boost::json::array out;
  for (const auto& c : codes) {
    out.push_back({{"vocabulary", c.vocabulary},
                   {"code", c.code},
                   {"vocabulary_uri", c.vocabulary_uri},
                   {"narrative", c.narrative}});
  }
  return out;
}

boost::json::value OrgJson(const TransactionOrg& org) {
  if (org.empty()) return nullptr;
  return boost::json::object{
      {"ref", org.ref}, {"type", org.type}, {"activity_id", org.activity_id}, {"name", org.name}};
}

boost::json::array TransactionsJson(const std::vector<Transaction>& transactions) {
  boost::json::array out;
  for (const Transaction& t : transactions) {
    out.push_back({{"type", t.type},
                   {"date", t.date.ToString()},
                   {"value", AmountJson(t.value)},
                   {"currency", t.currency},
                   {"value_date", DateOrNull(t.value_date)},
                   {"ref", t.ref},
                   {"humanitarian", t.humanitarian},
                   {"description", t.description},
                   {"provider", OrgJson(t.provider)},
                   {"receiver", OrgJson(t.receiver)},
                   {"disbursement_channel", t.disbursement_channel},
                   {"sectors", CodesJson(t.sectors)},
                   {"recipient_country", t.recipient_country},
                   {"recipient_region", t.recipient_region},
                   {"recipient_region_vocabulary", t.recipient_region_vocabulary},
                   {"flow_type", t.flow_type},
                   {"finance_type", t.finance_type},
                   {"aid_types", CodesJson(t.aid_types)},
                   {"tied_status", t.tied_status}});
  }
  return out;
}

// Reads {key: string} members of `o` into the strings of `fields`; false when one is there but
// not a string (null counts as absent) or longer than `max`.
bool ReadStrings(const boost::json::object& o,
                 std::initializer_list<std::pair<const char*, std::string*>> fields, size_t max) {
  for (const auto& [key, out] : fields) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_string() || v->as_string().size() > max) return false;
    *out = std::string(v->as_string());
  }
  return true;
}

// Whether every member of `o` is one of `keys` (a misspelt field is refused, not dropped).
bool OnlyKeys(const boost::json::object& o, std::initializer_list<std::string_view> keys) {
  return std::all_of(o.begin(), o.end(), [&](const auto& kv) {
    return std::find(keys.begin(), keys.end(), std::string_view(kv.key())) != keys.end();
  });
}

// [{vocabulary?, code, percentage?, narrative?, vocabulary_uri?}]; at most kMaxSectors + 1 kept
// (the service reports "too many").
bool ReadSectors(const boost::json::value& v, std::vector<Sector>* out) {
  if (!v.is_array() || v.as_array().size() > kMaxSectors + 1) return false;
  for (const auto& item : v.as_array()) {
    const auto* o = item.if_object();
    if (!o || !OnlyKeys(*o, {"vocabulary", "code", "percentage", "narrative", "vocabulary_uri"}))
      return false;
    Sector s;
    if (!ReadStrings(*o,
                     {{"vocabulary", &s.vocabulary},
                      {"code", &s.code},
                      {"narrative", &s.narrative},
                      {"vocabulary_uri", &s.vocabulary_uri}},
                     2000)) {
      return false;
    }
    if (const auto* p = o->if_contains("percentage"); p && !p->is_null()) {
      if (!p->is_number()) return false;
      s.percentage = p->to_number<double>();
    }
    out->push_back(std::move(s));
  }
  return true;
}

bool ReadCodes(const boost::json::value* v, std::vector<TransactionCode>* out) {
  if (v == nullptr || v->is_null()) return true;
  if (!v->is_array() || v->as_array().size() > 21) return false;
  for (const auto& item : v->as_array()) {
    const auto* o = item.if_object();
    if (!o || !OnlyKeys(*o, {"vocabulary", "code", "vocabulary_uri", "narrative"})) return false;
    TransactionCode c;
    if (!ReadStrings(*o,
                     {{"vocabulary", &c.vocabulary},
                      {"code", &c.code},
                      {"vocabulary_uri", &c.vocabulary_uri},
                      {"narrative", &c.narrative}},
                     2000)) {
      return false;
    }
    out->push_back(std::move(c));
  }
  return true;
}

bool ReadOrg(const boost::json::value* v, TransactionOrg* org) {
  if (v == nullptr || v->is_null()) return true;
  const auto* o = v->if_object();
  return o && OnlyKeys(*o, {"ref", "type", "activity_id", "name"}) &&
         ReadStrings(*o,
                     {{"ref", &org->ref},
                      {"type", &org->type},
                      {"activity_id", &org->activity_id},
                      {"name", &org->name}},
                     2000);
}

std::optional<Date> ReadDate(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return Date::Parse(std::string(v->as_string()));
}

// One transaction as TransactionsJson writes it: type, date and value required.
bool ReadTransaction(const boost::json::value& item, Transaction* t) {
  const auto* o = item.if_object();
  if (!o) return false;
  const auto* value = o->if_contains("value");
  std::optional<Date> date = ReadDate(o->if_contains("date"));
  if (!value || !value->is_number() || !date) return false;
  t->value = value->to_number<double>();
  t->date = *date;
  if (const auto* vd = o->if_contains("value_date"); vd && !vd->is_null()) {
    t->value_date = ReadDate(vd);
    if (!t->value_date) return false;
  }
  static constexpr std::string_view kKeys[] = {"type",
                                               "date",
                                               "value",
                                               "currency",
                                               "value_date",
                                               "ref",
                                               "humanitarian",
                                               "description",
                                               "provider",
                                               "receiver",
                                               "disbursement_channel",
                                               "sectors",
                                               "recipient_country",
                                               "recipient_region",
                                               "recipient_region_vocabulary",
                                               "flow_type",
                                               "finance_type",
                                               "aid_types",
                                               "tied_status"};
  bool known = std::all_of(o->begin(), o->end(), [](const auto& kv) {
    return std::find(std::begin(kKeys), std::end(kKeys), std::string_view(kv.key())) !=
           std::end(kKeys);
  });
  return known &&
         ReadStrings(*o,
                     {{"type", &t->type},
                      {"currency", &t->currency},
                      {"ref", &t->ref},
                      {"humanitarian", &t->humanitarian},
                      {"description", &t->description},
                      {"disbursement_channel", &t->disbursement_channel},
                      {"recipient_country", &t->recipient_country},
                      {"recipient_region", &t->recipient_region},
                      {"recipient_region_vocabulary", &t->recipient_region_vocabulary},
                      {"flow_type", &t->flow_type},
                      {"finance_type", &t->finance_type},
                      {"tied_status", &t->tied_status}},
                     4000) &&
         ReadOrg(o->if_contains("provider"), &t->provider) &&
         ReadOrg(o->if_contains("receiver"), &t->receiver) &&
         ReadCodes(o->if_contains("sectors"), &t->sectors) &&
         ReadCodes(o->if_contains("aid_types"), &t->aid_types);
}

}  // namespace

boost::json::value ActivityJson(const Activity& a) {
  const ActivityInput& f = a.fields;
  boost::json::array partners, links, tags;
  for (const auto& p : f.partners) {
    boost::json::object o{{"name", p.name}, {"role", p.role}};
    o["organization_id"] = p.organization_id.empty() ? boost::json::value(nullptr)
                                                     : boost::json::value(p.organization_id);
    partners.push_back(std::move(o));
  }
  for (const auto& l : f.links) links.push_back({{"url", l.url}, {"title", l.title}});
  for (const auto& [voc, code] : f.tags) tags.push_back({{"vocabulary", voc}, {"code", code}});
  boost::json::object o{
      {"id", a.id},
      {"organization",
       {{"id", f.organization_id},
        {"name", a.organization_name},
        {"acronym", a.organization_acronym},
        {"is_member", a.organization_is_member}}},
      {"title", f.titles.empty() ? std::string() : f.titles.front().text},
      {"titles", Texts(f.titles)},
      {"descriptions", Texts(f.descriptions)},
      {"type", f.type},
      {"themes", Strings(f.themes)},
      {"purposes", Strings(f.purposes)},
      {"dimensions", Strings(f.dimensions)},
      {"countries", Strings(f.countries)},
      {"regions", Strings(f.regions)},
      {"is_global", f.is_global},
      {"starts_on",
       f.starts_on ? boost::json::value(f.starts_on->ToString()) : boost::json::value(nullptr)},
      {"ends_on",
       f.ends_on ? boost::json::value(f.ends_on->ToString()) : boost::json::value(nullptr)},
      {"status", f.status},
      {"status_name", ActivityStatusName(f.status)},
      {"budget", f.budget_amount ? boost::json::value({{"amount", AmountJson(*f.budget_amount)},
                                                       {"currency", f.budget_currency}})
                                 : boost::json::value(nullptr)},
      {"partners", std::move(partners)},
      {"contact", {{"name", f.contact_name}, {"email", f.contact_email}}},
      {"links", std::move(links)},
      {"visibility", f.visibility},
      {"iati_identifier", f.iati_identifier.empty() ? boost::json::value(nullptr)
                                                    : boost::json::value(f.iati_identifier)},
      {"source", f.source},
      {"tags", std::move(tags)},
      {"sectors", SectorsJson(f.sectors)},
      {"transactions", TransactionsJson(f.transactions)},
      {"version", a.version},
      {"created_at", FormatTimestamp(a.created_at)},
      {"updated_at", FormatTimestamp(a.updated_at)}};
  return o;
}

boost::json::value ThemeJson(const Theme& t) {
  return boost::json::object{{"id", t.id},
                             {"name", t.name},
                             {"description", t.description},
                             {"position", t.position},
                             {"archived", t.archived},
                             {"version", t.version}};
}

Result<ActivityInput> ActivityInputFromJson(std::string_view text) {
  GMG_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::ParseText(text));
  ActivityInput in;
  std::vector<FieldProblem> problems;
  auto problem = [&](const char* f, const char* p) {
    problems.emplace_back(f, p, "wrong_type",
                          std::vector<std::pair<std::string, std::string>>{{"type", "shape"}});
  };

  // An empty organisation or type is a broken rule (422, reported with every other), not a
  // malformed body: a form sends them empty until chosen.
  in.organization_id = body.String("organization_id", true, 32, true).value_or("");
  if (!ReadTexts(body.Raw("titles"), &in.titles))
    problem("titles", "must be a list of {lang, text}");
  if (!ReadTexts(body.Raw("descriptions"), &in.descriptions))
    problem("descriptions", "must be a list of {lang, text}");
  in.type = body.String("type", true, 40, true).value_or("");
  in.themes = body.StringArray("themes", false, 30).value_or(std::vector<std::string>{});
  if (const auto* p = body.Raw("purposes"); p && !p->is_null()) {
    if (!p->is_array() || p->as_array().size() > 12) {
      problem("purposes", "must be a list of purpose numbers 1-12");
    } else {
      for (const auto& n : p->as_array()) {
        if (!n.is_int64()) {
          problem("purposes", "must be a list of purpose numbers 1-12");
          break;
        }
        in.purposes.push_back(static_cast<int>(n.as_int64()));
      }
    }
  }
  in.dimensions = body.StringArray("dimensions", false, 4).value_or(std::vector<std::string>{});
  in.countries = body.StringArray("countries", false, 250).value_or(std::vector<std::string>{});
  in.regions = body.StringArray("regions", false, 50).value_or(std::vector<std::string>{});
  in.is_global = body.Bool("is_global", false).value_or(false);
  in.starts_on = body.DateField("starts_on", false);
  in.ends_on = body.DateField("ends_on", false);
  in.status = static_cast<int>(body.Int("status", false, 1, 6).value_or(2));
  if (const auto* b = body.Raw("budget"); b && !b->is_null()) {
    const auto* amount = b->is_object() ? b->as_object().if_contains("amount") : nullptr;
    const auto* currency = b->is_object() ? b->as_object().if_contains("currency") : nullptr;
    if (!amount || !currency || !amount->is_number() || !currency->is_string() ||
        b->as_object().size() != 2) {
      problem("budget", "must be {amount, currency}");
    } else {
      in.budget_amount = amount->to_number<double>();
      in.budget_currency = std::string(currency->as_string());
    }
  }
  if (const auto* p = body.Raw("partners"); p && !p->is_null()) {
    bool ok = p->is_array() && p->as_array().size() <= 50;
    if (ok) {
      for (const auto& item : p->as_array()) {
        const auto* o = item.if_object();
        const auto* name = o ? o->if_contains("name") : nullptr;
        const auto* role = o ? o->if_contains("role") : nullptr;
        const auto* org = o ? o->if_contains("organization_id") : nullptr;
        if (!name || !role || !name->is_string() || !role->is_string() ||
            (org && !org->is_string() && !org->is_null())) {
          ok = false;
          break;
        }
        in.partners.push_back({org && org->is_string() ? std::string(org->as_string()) : "",
                               std::string(name->as_string()), std::string(role->as_string())});
      }
    }
    if (!ok) problem("partners", "must be a list of {organization_id?, name, role}");
  }
  if (const auto* c = body.Raw("contact"); c && !c->is_null()) {
    const auto* o = c->if_object();
    const auto* name = o ? o->if_contains("name") : nullptr;
    const auto* email = o ? o->if_contains("email") : nullptr;
    if (!o || (name && !name->is_string()) || (email && !email->is_string())) {
      problem("contact", "must be {name?, email?}");
    } else {
      if (name) in.contact_name = std::string(name->as_string());
      if (email) in.contact_email = std::string(email->as_string());
    }
  }
  if (const auto* l = body.Raw("links"); l && !l->is_null()) {
    bool ok = l->is_array() && l->as_array().size() <= 20;
    if (ok) {
      for (const auto& item : l->as_array()) {
        const auto* o = item.if_object();
        const auto* url = o ? o->if_contains("url") : nullptr;
        const auto* title = o ? o->if_contains("title") : nullptr;
        if (!url || !url->is_string() || (title && !title->is_string())) {
          ok = false;
          break;
        }
        in.links.push_back(
            {std::string(url->as_string()), title ? std::string(title->as_string()) : ""});
      }
    }
    if (!ok) problem("links", "must be a list of {url, title?}");
  }
  in.visibility = body.String("visibility", false, 20).value_or("public");
  in.sectors_given = body.Has("sectors");
  if (const auto* v = body.Raw("sectors"); v && !v->is_null()) {
    if (!ReadSectors(*v, &in.sectors))
      problem("sectors", "must be a list of {vocabulary, code, percentage?, narrative?}");
  }
  in.transactions_given = body.Has("transactions");
  if (const auto* v = body.Raw("transactions"); v && !v->is_null()) {
    bool ok = v->is_array() && v->as_array().size() <= kMaxTransactions + 1;
    for (size_t i = 0; ok && i < v->as_array().size(); ++i) {
      Transaction t;
      ok = ReadTransaction(v->as_array()[i], &t);
      in.transactions.push_back(std::move(t));
    }
    if (!ok) problem("transactions", "must be a list of {type, date, value, …}");
  }
  Status finished = body.Finish();
  if (!finished.ok()) {
    Error e = std::move(finished).TakeError();
    e.details.insert(e.details.begin(), problems.begin(), problems.end());
    return e;
  }
  if (!problems.empty()) {
    std::string msg =
        "invalid request body: " + problems.front().field + " " + problems.front().problem;
    return Error{ErrorCode::kInvalidArgument, msg, problems, 0};
  }
  return in;
}

}  // namespace gmg
