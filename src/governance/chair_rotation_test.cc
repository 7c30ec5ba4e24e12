#include "governance/chair_rotation.h"

#include <gtest/gtest.h>

namespace gmg {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

std::vector<MembershipSpan> Members(std::initializer_list<const char*> ids) {
  std::vector<MembershipSpan> out;
  for (const char* id : ids) out.push_back({id, D("2006-05-09"), std::nullopt});
  return out;
}

TEST(ChairRotationTest, FirstTermIsUnctadsFromTheFirstMeeting) {
  ChairRotation r({{1, D("2006-05-09"), 6, {"unctad", "ilo", "iom"}, 0}}, {},
                  Members({"unctad", "ilo", "iom"}));
  auto first = r.ChairOn(D("2006-05-09"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->organization_id, "unctad");
  EXPECT_EQ(first->ends_on, D("2006-11-08"));
  EXPECT_EQ(r.ChairOn(D("2006-11-09"))->organization_id, "ilo");
  EXPECT_EQ(r.ChairOn(D("2007-05-09"))->organization_id, "iom");
  EXPECT_EQ(r.ChairOn(D("2007-11-09"))->organization_id, "unctad") << "the order wraps around";
  EXPECT_EQ(r.ChairOn(D("2006-05-08")).error().code, ErrorCode::kNotFound);
}

TEST(ChairRotationTest, SkipsOrganisationsThatAreNoLongerMembers) {
  auto members = Members({"a", "b", "c"});
  members[1].left_on = D("2006-12-31");  // b leaves
  ChairRotation r({{1, D("2006-05-09"), 6, {"a", "b", "c"}, 0}}, {}, members);
  EXPECT_EQ(r.ChairOn(D("2006-11-09"))->organization_id, "b")
      << "still a member at the term's start";
  EXPECT_EQ(r.ChairOn(D("2007-05-09"))->organization_id, "c");
  EXPECT_EQ(r.ChairOn(D("2007-11-09"))->organization_id, "a");
  EXPECT_EQ(r.ChairOn(D("2008-05-09"))->organization_id, "c") << "b is skipped";
}

TEST(ChairRotationTest, ANewPlanChangesTheFutureNotThePast) {
  ChairRotation r({{1, D("2006-05-09"), 6, {"a", "b"}, 0}, {2, D("2010-01-01"), 12, {"b", "a"}, 0}},
                  {}, Members({"a", "b"}));
  EXPECT_EQ(r.ChairOn(D("2006-05-09"))->organization_id, "a");
  auto cut = r.ChairOn(D("2009-12-31"));
  EXPECT_EQ(cut->ends_on, D("2009-12-31")) << "the old plan's last term ends where the new begins";
  auto next = r.ChairOn(D("2010-06-01"));
  EXPECT_EQ(next->organization_id, "b");
  EXPECT_EQ(next->starts_on, D("2010-01-01"));
  EXPECT_EQ(next->ends_on, D("2010-12-31"));
}

TEST(ChairRotationTest, OverridesReplaceTheRotationForTheirDates) {
  ChairRotation r({{1, D("2006-05-09"), 6, {"a", "b"}, 0}},
                  {{1, D("2006-07-01"), D("2006-07-31"), "c", "a had to step aside", 0}},
                  Members({"a", "b", "c"}));
  auto o = r.ChairOn(D("2006-07-15"));
  EXPECT_EQ(o->organization_id, "c");
  EXPECT_TRUE(o->is_override);
  EXPECT_EQ(o->reason, "a had to step aside");
  auto terms = r.Schedule(D("2006-05-09"), D("2006-12-31"));
  ASSERT_EQ(terms.size(), 4u);
  EXPECT_EQ(terms[0].organization_id, "a");
  EXPECT_EQ(terms[0].ends_on, D("2006-06-30"));
  EXPECT_EQ(terms[1].organization_id, "c");
  EXPECT_EQ(terms[2].organization_id, "a");
  EXPECT_EQ(terms[2].starts_on, D("2006-08-01"));
  EXPECT_EQ(terms[2].ends_on, D("2006-11-08"));
  EXPECT_EQ(terms[3].organization_id, "b");
}

TEST(ChairRotationTest, ScheduleCoversExactlyTheRange) {
  ChairRotation r({{1, D("2006-05-09"), 6, {"a", "b"}, 0}}, {}, Members({"a", "b"}));
  auto terms = r.Schedule(D("2010-01-01"), D("2011-12-31"));
  ASSERT_FALSE(terms.empty());
  EXPECT_LE(terms.front().starts_on, D("2010-01-01"));
  EXPECT_GE(terms.back().ends_on, D("2011-12-31"));
  for (size_t i = 1; i < terms.size(); ++i) {
    EXPECT_EQ(terms[i].starts_on, terms[i - 1].ends_on.AddDays(1)) << "no gaps, no overlaps";
  }
}

}  // namespace
}  // namespace gmg
