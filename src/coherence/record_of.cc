#include "coherence/record_of.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace gmg {
namespace {

void AddOnce(std::vector<std::string>* list, std::string value) {
  if (value.empty()) return;
  if (std::find(list->begin(), list->end(), value) == list->end()) {
    list->push_back(std::move(value));
  }
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<coherence::Text> TextsOf(const std::vector<LocalizedText>& texts) {
  std::vector<coherence::Text> out;
  out.reserve(texts.size());
  for (const LocalizedText& t : texts) out.push_back({t.lang, t.text});
  return out;
}

// The transactions' organisations other than the publisher, as partners.
void AddTransactionPartner(const TransactionOrg& org, const std::string& iati_identifier,
                           std::vector<std::string>* partners) {
  if (!org.ref.empty() && iati_identifier.starts_with(org.ref)) return;
  AddOnce(partners, Lower(org.ref.empty() ? org.name : org.ref));
}

void AddTransactionFacts(const ActivityInput& f, coherence::Record* r) {
  const bool activity_countries = !f.countries.empty();
  for (const Transaction& t : f.transactions) {
    for (const TransactionCode& s : t.sectors) {
      if (s.code.empty()) continue;
      AddOnce(&r->sectors, (s.vocabulary.empty() ? std::string("1") : s.vocabulary) + ":" + s.code);
    }
    if (!activity_countries && t.recipient_country.size() == 2) {
      AddOnce(&r->countries, Upper(t.recipient_country));
    }
    AddTransactionPartner(t.provider, f.iati_identifier, &r->partners);
    AddTransactionPartner(t.receiver, f.iati_identifier, &r->partners);
  }
}

}  // namespace

std::vector<std::string> SectorsOf(const ActivityInput& fields) {
  std::vector<std::string> out;
  for (const Sector& sector : fields.sectors) {
    if (sector.code.empty()) continue;
    AddOnce(&out,
            (sector.vocabulary.empty() ? std::string("1") : sector.vocabulary) + ":" + sector.code);
  }
  return out;
}

coherence::Record RecordOf(const ActivityInput& f, int64_t id, int64_t version) {
  coherence::Record r;
  r.id = id;
  r.version = version;
  r.organization_id = f.organization_id;
  r.type = f.type;
  r.themes = f.themes;
  r.countries = f.countries;
  r.regions = f.regions;
  r.is_global = f.is_global;
  r.starts_on = f.starts_on;
  r.ends_on = f.ends_on;
  r.sectors = SectorsOf(f);
  for (const Partner& p : f.partners) {
    AddOnce(&r.partners, p.organization_id.empty() ? Lower(p.name) : p.organization_id);
  }
  r.budget = f.budget_amount;
  r.currency = f.budget_currency;
  r.titles = TextsOf(f.titles);
  r.descriptions = TextsOf(f.descriptions);
  AddTransactionFacts(f, &r);
  return r;
}

coherence::Record RecordOf(const Activity& a) { return RecordOf(a.fields, a.id, a.version); }

}  // namespace gmg
