#include "positions/round_rules.h"

#include <gtest/gtest.h>

#include "core/date.h"

namespace gmg::positions {
namespace {

const std::vector<std::string> kElectorate = {"ilo", "iom", "unhcr"};
const std::set<std::string> kAll = {"ilo", "iom", "unhcr"};

TEST(RoundRulesTest, ConsensusNeedsEveryCountedMemberAndAbstentionDoesNotBlock) {
  Tally t = Count(kElectorate, kAll, {{"ilo", Stand::kEndorse}, {"iom", Stand::kAbstain}});
  EXPECT_EQ(t, (Tally{1, 0, 1, 1}));
  EXPECT_FALSE(Adopted(Rule::kConsensus, t)) << "silence blocks a consensus";
  EXPECT_FALSE(AllStood(t));
  t = Count(kElectorate, kAll,
            {{"ilo", Stand::kEndorse}, {"iom", Stand::kAbstain}, {"unhcr", Stand::kEndorse}});
  EXPECT_TRUE(Adopted(Rule::kConsensus, t));
  EXPECT_TRUE(AllStood(t));
}

TEST(RoundRulesTest, SilenceIsConsentAndOneObjectionBlocks) {
  Tally quiet = Count(kElectorate, kAll, {{"ilo", Stand::kAbstain}});
  EXPECT_TRUE(Adopted(Rule::kSilence, quiet));
  Tally objected = Count(kElectorate, kAll, {{"iom", Stand::kObject}});
  EXPECT_FALSE(Adopted(Rule::kSilence, objected));
  EXPECT_FALSE(Adopted(Rule::kConsensus, objected));
}

TEST(RoundRulesTest, AMemberThatLeftDropsOutOfTheCount) {
  std::set<std::string> current = {"ilo", "iom"};
  Tally t = Count(kElectorate, current,
                  {{"ilo", Stand::kEndorse}, {"iom", Stand::kEndorse}, {"unhcr", Stand::kObject}});
  EXPECT_EQ(t, (Tally{2, 0, 0, 0}));
  EXPECT_TRUE(Adopted(Rule::kConsensus, t));
}

TEST(RoundRulesTest, TallyRoundTripsThroughJson) {
  Tally t{7, 2, 1, 0};
  EXPECT_EQ(TallyFromJson(TallyToJson(t)), t);
  EXPECT_FALSE(TallyFromJson("nope").has_value());
}

TEST(RoundRulesTest, InstantsWithZOrAnOffset) {
  EXPECT_EQ(*gmg::ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*gmg::ParseTimestamp("1970-01-01T01:00+01:00"), 0);
  EXPECT_EQ(*gmg::ParseTimestamp("2026-12-10T16:00:00.250Z"),
            *gmg::ParseTimestamp("2026-12-10T16:00:00Z"));
  // Across the European change to summer time (2027-03-28 01:00 UTC): the offset decides.
  EXPECT_EQ(*gmg::ParseTimestamp("2027-03-28T03:30:00+02:00") -
                *gmg::ParseTimestamp("2027-03-28T01:30:00+01:00"),
            3600);
  EXPECT_EQ(*gmg::ParseTimestamp("2027-03-28T03:30:00-05:00"),
            *gmg::ParseTimestamp("2027-03-28T08:30:00Z"));
  for (const char* bad :
       {"2026-12-10", "2026-12-10T16:00", "2026-02-30T10:00Z", "2026-12-10T24:00Z",
        "2026-12-10T16:00:00+1:00", "2026-12-10T16:00:00+19:00", "2026-12-10T16:00:00Zx",
        "2026-12-10 16:00:00Z"}) {
    EXPECT_FALSE(gmg::ParseTimestamp(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace gmg::positions
