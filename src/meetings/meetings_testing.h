// Test helpers of the minutes and actions tests: principals, a recording Notifier, a settable
// clock, and meetings and agenda items written straight into the module's tables (so these
// tests do not depend on the meeting service).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/testing.h"
#include "notifications/notification.h"

namespace gmg::meetings_testing {

inline Principal WithRole(Role role, const std::string& org = "", int64_t user_id = 7) {
  Principal p;
  p.user_id = user_id;
  p.email = std::string(RoleName(role)) + (org.empty() ? "" : "@" + org) + ".int";
  p.name = "User " + std::string(RoleName(role));
  p.role = role;
  p.organization_id = org;
  p.via = AuthVia::kToken;
  return p;
}
inline Principal Staff() { return WithRole(Role::kSecretariat, "", 1); }

// 2026-12-01T12:00:00Z, a Tuesday.
inline constexpr int64_t kNoon = 1796126400;

class MeetingsDbTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    notify_ = [this](Tx&, const NewNotification& n) -> Status {
      sent_.push_back(n);
      return Ok();
    };
  }
  int64_t AddMeeting(const std::string& title) {
    int64_t id = 0;
    EXPECT_TRUE(db_->Write([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto r,
                         tx.QueryOne("INSERT INTO meetings (title, starts_local, ends_local, "
                                     "time_zone, starts_at, ends_at, chair_org, "
                                     "chair_from_rotation, status, uid, created_at, updated_at) "
                                     "VALUES (?, '2026-11-20T10:00', '2026-11-20T12:00', 'UTC', "
                                     "?, ?, 'iom', 1, 'held', ?, ?, ?) RETURNING id",
                                     {title, kNoon - 86400 * 11, kNoon - 86400 * 11 + 7200,
                                      "uid-" + title, kNoon, kNoon}));
                     id = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return id;
  }
  int64_t AddAgendaItem(int64_t meeting_id, const std::string& title) {
    int64_t id = 0;
    EXPECT_TRUE(db_->Write([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto r, tx.QueryOne("INSERT INTO meeting_agenda_items (meeting_id, "
                                             "position, title, created_at, updated_at) "
                                             "VALUES (?, 1, ?, ?, ?) RETURNING id",
                                             {meeting_id, title, kNoon, kNoon}));
                     id = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return id;
  }
  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                     n = r->Int(0);
                     return Ok();
                   })
                    .ok());
    return n;
  }

  std::unique_ptr<Database> db_;
  int64_t now_ = kNoon;
  std::vector<NewNotification> sent_;
  Notifier notify_;
  std::function<int64_t()> clock_ = [this] { return now_; };
};

}  // namespace gmg::meetings_testing
