#include "core/access_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gmg {
namespace {

const Role kRoles[] = {Role::kAnonymous,  Role::kStakeholder, Role::kMember,
                       Role::kFocalPoint, Role::kSecretariat, Role::kAdmin};

Principal Someone(Role role, std::string organization) {
  Principal p;
  p.user_id = role == Role::kAnonymous ? 0 : 7;
  p.role = role;
  p.organization_id = std::move(organization);
  return p;
}

// The rule as docs/security.md states it, written out independently of the policy's code.
bool Expected(const Principal& p, bool member_today, Visibility v, const std::string& owner) {
  if (p.role == Role::kAdmin || p.role == Role::kSecretariat) return true;
  if (v == Visibility::kPublic) return true;
  bool staff_of_org =
      (p.role == Role::kFocalPoint || p.role == Role::kMember) && !p.organization_id.empty();
  if (!staff_of_org) return false;
  if (v == Visibility::kMembers && member_today) return true;
  return owner == p.organization_id;
}

TEST(AccessPolicyTest, VisibilityNamesRoundTrip) {
  for (Visibility v : kAllVisibilities) EXPECT_EQ(ParseVisibility(VisibilityName(v)), v);
  EXPECT_FALSE(ParseVisibility("Public"));
  EXPECT_FALSE(ParseVisibility(""));
}

TEST(AccessPolicyTest, MaySeeFollowsTheRuleForEveryPrincipalAndRecord) {
  const std::string kOrgs[] = {"", "iom", "ilo"};
  int checked = 0;
  for (Role role : kRoles) {
    for (const std::string& org : kOrgs) {
      for (bool member_today : {false, true}) {
        Principal p = Someone(role, org);
        Audience a = AccessPolicy::AudienceOf(p, member_today);
        for (Visibility v : kAllVisibilities) {
          for (const std::string& owner : {std::string("iom"), std::string("unhcr")}) {
            EXPECT_EQ(AccessPolicy::MaySee(a, v, owner), Expected(p, member_today, v, owner))
                << RoleName(role) << " of '" << org << "' member_today=" << member_today
                << " looking at a " << VisibilityName(v) << " record of " << owner;
            EXPECT_EQ(AccessPolicy::MaySee(a, VisibilityName(v), owner),
                      AccessPolicy::MaySee(a, v, owner));
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 6 * 3 * 2 * 3 * 2);
}

TEST(AccessPolicyTest, OnlyStaffOfAnOrganisationNeedTheMembershipLookedUp) {
  EXPECT_TRUE(AccessPolicy::NeedsMembership(Someone(Role::kFocalPoint, "iom")));
  EXPECT_TRUE(AccessPolicy::NeedsMembership(Someone(Role::kMember, "iom")));
  EXPECT_FALSE(AccessPolicy::NeedsMembership(Someone(Role::kMember, "")));
  EXPECT_FALSE(AccessPolicy::NeedsMembership(Someone(Role::kStakeholder, "iom")));
  EXPECT_FALSE(AccessPolicy::NeedsMembership(Someone(Role::kSecretariat, "iom")));
  EXPECT_FALSE(AccessPolicy::NeedsMembership(Someone(Role::kAnonymous, "")));
  // A stakeholder's organisation gives it nothing to see beyond public records.
  Audience a = AccessPolicy::AudienceOf(Someone(Role::kStakeholder, "iom"), true);
  EXPECT_FALSE(a.current_member);
  EXPECT_EQ(a.organization_id, "");
}

TEST(AccessPolicyTest, AnUnknownVisibilityNameIsTheNarrowest) {
  Audience member = AccessPolicy::AudienceOf(Someone(Role::kMember, "iom"), true);
  EXPECT_FALSE(AccessPolicy::MaySee(member, "secret", "ilo"));
  EXPECT_TRUE(AccessPolicy::MaySee(member, "secret", "iom"));
  EXPECT_TRUE(AccessPolicy::MaySee(AccessPolicy::AudienceOf(Someone(Role::kAdmin, ""), false),
                                   "secret", "ilo"));
}

TEST(AccessPolicyTest, VisibleSqlIsOneOfThreeTextsWithTheOwnerAsParameter) {
  auto sql = [](const Principal& p, bool member_today) {
    return AccessPolicy::VisibleSql(AccessPolicy::AudienceOf(p, member_today), "a.visibility",
                                    "a.organization_id");
  };
  SqlPredicate all = sql(Someone(Role::kSecretariat, ""), false);
  EXPECT_EQ(all.sql, "");
  EXPECT_TRUE(all.params.empty());

  SqlPredicate nobody = sql(Someone(Role::kAnonymous, ""), false);
  EXPECT_EQ(nobody.sql, "(a.visibility = 'public')");
  EXPECT_TRUE(nobody.params.empty());

  SqlPredicate partner = sql(Someone(Role::kFocalPoint, "unhcr"), false);
  EXPECT_EQ(partner.sql, "(a.visibility = 'public' OR a.organization_id = ?)");
  EXPECT_EQ(partner.params, std::vector<std::string>{"unhcr"});

  SqlPredicate member = sql(Someone(Role::kMember, "iom"), true);
  EXPECT_EQ(member.sql, "(a.visibility IN ('public','members') OR a.organization_id = ?)");
  EXPECT_EQ(member.params, std::vector<std::string>{"iom"});
}

TEST(AccessPolicyTest, AnOrganisationsRecordsAreChangedByItsFocalPointOrStaff) {
  for (Role role : kRoles) {
    for (const char* org : {"", "iom", "ilo"}) {
      Principal p = Someone(role, org);
      bool staff = role == Role::kAdmin || role == Role::kSecretariat;
      bool own_focal_point = role == Role::kFocalPoint && std::string(org) == "iom";
      EXPECT_EQ(AccessPolicy::MayChange(p, "iom"), staff || own_focal_point)
          << RoleName(role) << " of '" << org << "'";
      Status s = AccessPolicy::CheckMayChange(p, "iom", "records its activities");
      EXPECT_EQ(s.ok(), staff || own_focal_point);
      if (s.ok()) continue;
      if (role == Role::kAnonymous) {
        EXPECT_EQ(s.error().code, ErrorCode::kUnauthenticated);
        EXPECT_EQ(s.error().message, "sign in first");
      } else {
        EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
        EXPECT_EQ(s.error().message,
                  "only iom's focal point, the secretariat or an administrator records its "
                  "activities");
      }
    }
  }
  // A focal point without an organisation changes no organisation's records, not even "".
  EXPECT_FALSE(AccessPolicy::MayChange(Someone(Role::kFocalPoint, ""), ""));
}

TEST(AccessPolicyTest, GmgWideRecordsAreTheSecretariatsAndTheChairTheAdministrators) {
  for (Role role : kRoles) {
    Principal p = Someone(role, "iom");
    bool staff = role == Role::kAdmin || role == Role::kSecretariat;
    EXPECT_EQ(AccessPolicy::ManagesGmg(p), staff);
    EXPECT_EQ(AccessPolicy::Administers(p), role == Role::kAdmin);
    Status gmg = AccessPolicy::CheckManagesGmg(p, "admits members");
    EXPECT_EQ(gmg.ok(), staff);
    if (!gmg.ok()) {
      EXPECT_EQ(gmg.error().code, ErrorCode::kPermissionDenied);
      EXPECT_EQ(gmg.error().message, "only the secretariat or an administrator admits members");
    }
    Status chair = AccessPolicy::CheckAdministers(p, "changes the rotation");
    EXPECT_EQ(chair.ok(), role == Role::kAdmin);
    if (!chair.ok()) {
      EXPECT_EQ(chair.error().message, "only an administrator changes the rotation");
    }
  }
}

TEST(AccessPolicyTest, AUserIsManagedByThemselfOrAnAdministrator) {
  EXPECT_TRUE(AccessPolicy::MayManageUser(Someone(Role::kMember, "iom"), 7));
  EXPECT_FALSE(AccessPolicy::MayManageUser(Someone(Role::kMember, "iom"), 8));
  EXPECT_FALSE(AccessPolicy::MayManageUser(Someone(Role::kSecretariat, ""), 8));
  EXPECT_TRUE(AccessPolicy::MayManageUser(Someone(Role::kAdmin, ""), 8));
  EXPECT_FALSE(AccessPolicy::MayManageUser(Someone(Role::kAnonymous, ""), 0));
}

}  // namespace
}  // namespace gmg
