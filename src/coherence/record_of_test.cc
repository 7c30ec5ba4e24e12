#include "coherence/record_of.h"

#include <gtest/gtest.h>

namespace gmg {
namespace {

Transaction Disbursement(std::string provider, std::string receiver, std::string country,
                         std::string sector) {
  Transaction t;
  t.type = "3";
  t.provider.ref = std::move(provider);
  t.receiver.name = std::move(receiver);
  t.recipient_country = std::move(country);
  if (!sector.empty()) t.sectors.push_back({"", std::move(sector), "", ""});
  return t;
}

TEST(RecordOfTest, TransactionsAddSectorsPartnersAndCountriesTheActivityLacks) {
  ActivityInput f;
  f.organization_id = "iom";
  f.iati_identifier = "XM-DAC-47066-PRJ-1";
  f.sectors = {{"1", "15190", 100.0, "", ""}};
  f.partners = {{"", "ECOWAS", ""}};
  f.transactions = {Disbursement("XM-DAC-47066", "Red Cross of Niger", "ne", "72010"),
                    Disbursement("GB-GOV-1", "ECOWAS", "ML", "15190")};
  coherence::Record r = RecordOf(f);
  EXPECT_EQ(r.sectors, (std::vector<std::string>{"1:15190", "1:72010"}));
  // The publisher itself (its identifier starts the activity's) is not its own partner.
  EXPECT_EQ(r.partners, (std::vector<std::string>{"ecowas", "red cross of niger", "gb-gov-1"}));
  EXPECT_EQ(r.countries, (std::vector<std::string>{"NE", "ML"}));

  f.countries = {"BF"};
  EXPECT_EQ(RecordOf(f).countries, (std::vector<std::string>{"BF"}))
      << "the activity's own countries stand; the transactions' are not added";
}

}  // namespace
}  // namespace gmg
