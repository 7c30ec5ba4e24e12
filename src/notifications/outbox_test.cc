#include "notifications/outbox.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/testing.h"

#ifndef GMG_SOURCE_DIR
#define GMG_SOURCE_DIR "."
#endif

extern char** environ;

namespace gmg {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(RetryDelayTest, DoublesFromTwoMinutesUpToSixHours) {
  RetryPolicy p;
  EXPECT_EQ(RetryDelaySeconds(p, 1), 120);
  EXPECT_EQ(RetryDelaySeconds(p, 2), 240);
  EXPECT_EQ(RetryDelaySeconds(p, 3), 480);
  EXPECT_EQ(RetryDelaySeconds(p, 8), 60 * 256);
  EXPECT_EQ(RetryDelaySeconds(p, 9), 6 * 3600);  // 512 minutes, capped
  EXPECT_EQ(RetryDelaySeconds(p, 10), 6 * 3600);
  EXPECT_EQ(RetryDelaySeconds(p, 1000), 6 * 3600);
  RetryPolicy fast{.base_seconds = 1, .max_seconds = 30};
  EXPECT_EQ(RetryDelaySeconds(fast, 1), 2);
  EXPECT_EQ(RetryDelaySeconds(fast, 5), 30);
}

constexpr int64_t kStart = 1796054400;

// A TCP socket on 127.0.0.1 with a port the kernel chose.
int BoundSocket(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  *port = ntohs(a.sin_port);
  return fd;
}

// A port nothing listens on (connections are refused).
int ClosedPort() {
  int port = 0;
  ::close(BoundSocket(&port));
  return port;
}

// A server that is there and never answers: the kernel completes each connection into the
// backlog, nobody reads or writes. Connections() counts them.
class BlackHole {
 public:
  BlackHole() : fd_(BoundSocket(&port_)) { EXPECT_EQ(::listen(fd_, 16), 0); }
  ~BlackHole() {
    for (int c : accepted_) ::close(c);
    ::close(fd_);
  }
  BlackHole(const BlackHole&) = delete;
  BlackHole& operator=(const BlackHole&) = delete;
  int port() const { return port_; }
  int Connections() {
    for (int c; (c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) accepted_.push_back(c);
    return static_cast<int>(accepted_.size());
  }

 private:
  int port_ = 0;
  int fd_;
  std::vector<int> accepted_;
};

// The e2e tests' real SMTP server (Debian's python3-aiosmtpd, tests/lib/smtp-sink.py): writes
// each message it accepts to `dir` as N.eml and N.json. ok() is false when it could not start
// (no python3-aiosmtpd): the test is then skipped.
class SmtpSink {
 public:
  SmtpSink(int port, const fs::path& dir) {
    fs::create_directories(dir);
    dir_ = dir;
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::string script = std::string(GMG_SOURCE_DIR) + "/tests/lib/smtp-sink.py";
    std::string port_text = std::to_string(port);
    std::string dir_text = dir.string();
    std::vector<char*> argv = {const_cast<char*>("/usr/bin/python3"),
                               script.data(),
                               const_cast<char*>("--port"),
                               port_text.data(),
                               const_cast<char*>("--dir"),
                               dir_text.data(),
                               nullptr};
    int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
      pid_ = 0;
      ::close(out[0]);
      return;
    }
    // "ready PORT" once listening; end of file if it died.
    FILE* lines = ::fdopen(out[0], "r");
    char line[256];
    while (std::fgets(line, sizeof line, lines) != nullptr) {
      if (std::string_view(line).starts_with("ready")) {
        ready_ = true;
        break;
      }
    }
    std::fclose(lines);
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;
  bool ok() const { return ready_; }
  // Messages received (each written before the server answered 250).
  int Received() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) n += e.path().extension() == ".json";
    return n;
  }

 private:
  fs::path dir_;
  pid_t pid_ = 0;
  bool ready_ = false;
};

int FreePort() { return ClosedPort(); }

// Plain SMTP to 127.0.0.1:port with the smallest time limits the settings allow.
SmtpConfig LocalSmtp(int port) {
  SmtpConfig c;
  c.url = "smtp://127.0.0.1:" + std::to_string(port);
  c.from = "GMG Hub <hub@example.org>";
  c.starttls = StartTls::kOff;
  c.connect_timeout_seconds = 1;
  c.timeout_seconds = 1;
  EXPECT_TRUE(CheckSmtpConfig(c).ok());
  return c;
}

// On both engines, with an injected clock and a transport that records or refuses.
class OutboxSenderTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = OpenSeededDatabaseForTesting(GetParam());
    if (!db_) GTEST_SKIP();
    sender_ = std::make_unique<OutboxSender>(
        *db_,
        [this](const MailMessage& m) -> Status {
          tried_.push_back(m);
          if (send_) return send_(m);
          if (server_down_) return MakeError(ErrorCode::kUnavailable, "SMTP: connection refused");
          return Ok();
        },
        RetryPolicy{}, [this] { return now_; });
  }
  int64_t AddRow(const std::string& to) {
    int64_t id = 0;
    EXPECT_TRUE(db_->Write([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(
                         auto row,
                         tx.QueryOne("INSERT INTO email_outbox (user_id, to_address, subject, "
                                     "body, created_at, attempts, next_attempt_at, status, "
                                     "last_error) VALUES (NULL, ?, 'S', 'B', ?, 0, ?, "
                                     "'pending', '') RETURNING id",
                                     {to, now_, now_}));
                     id = row->Int(0);
                     return Ok();
                   })
                    .ok());
    return id;
  }
  Row Get(int64_t id) {
    std::optional<Row> out;
    EXPECT_TRUE(db_->Read([&](Tx& tx) -> Status {
                     GMG_ASSIGN_OR_RETURN(out, tx.QueryOne("SELECT status, attempts, "
                                                           "next_attempt_at, last_error, sent_at "
                                                           "FROM email_outbox WHERE id = ?",
                                                           {id}));
                     return Ok();
                   })
                    .ok());
    return *out;
  }

  void TearDown() override {
    if (!temp_.empty()) fs::remove_all(temp_);
  }
  fs::path TempDir() {
    if (temp_.empty()) {
      std::string pattern = (fs::temp_directory_path() / "gmg-outbox-XXXXXX").string();
      temp_ = ::mkdtemp(pattern.data());
    }
    return temp_;
  }
  // A row's state: status, attempts, next_attempt_at.
  std::tuple<std::string, int64_t, int64_t> State(int64_t id) {
    Row r = Get(id);
    return {r.Text(0), r.Int(1), r.Int(2)};
  }

  int64_t now_ = kStart;
  bool server_down_ = false;
  std::function<Status(const MailMessage&)> send_;  // when set, instead of the recorder's answer
  fs::path temp_;
  std::vector<MailMessage> tried_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<OutboxSender> sender_;
};

TEST_P(OutboxSenderTest, SendsDueRowsAndMarksThemSentOnlyWhenAccepted) {
  int64_t id = AddRow("fp@iom.int");
  server_down_ = true;
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retried, 1);
  Row r = Get(id);
  EXPECT_EQ(r.Text(0), "pending");
  EXPECT_EQ(r.Int(1), 1);
  EXPECT_EQ(r.Int(2), kStart + 120);
  EXPECT_EQ(r.Text(3), "SMTP: connection refused");

  server_down_ = false;
  now_ = kStart + 119;  // not due yet
  EXPECT_EQ(sender_->RunOnce()->sent, 0);
  EXPECT_EQ(tried_.size(), 1u);
  now_ = kStart + 120;
  EXPECT_EQ(sender_->RunOnce()->sent, 1);
  r = Get(id);
  EXPECT_EQ(r.Text(0), "sent");
  EXPECT_EQ(r.Int(4), kStart + 120);
  EXPECT_EQ(r.Text(3), "");
  EXPECT_EQ(sender_->RunOnce()->sent, 0);  // sent once
  ASSERT_EQ(tried_.size(), 2u);
  EXPECT_EQ(tried_[1].to, "fp@iom.int");
  EXPECT_EQ(tried_[1].id, id);
}

TEST_P(OutboxSenderTest, BacksOffAndFailsAfterTenAttempts) {
  int64_t id = AddRow("fp@iom.int");
  server_down_ = true;
  int64_t expected_delay[] = {120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600};
  for (int attempt = 1; attempt <= 9; ++attempt) {
    auto pass = sender_->RunOnce();
    ASSERT_TRUE(pass.ok());
    EXPECT_EQ(pass->retried, 1) << attempt;
    Row r = Get(id);
    EXPECT_EQ(r.Int(1), attempt);
    EXPECT_EQ(r.Int(2) - now_, expected_delay[attempt - 1]) << attempt;
    now_ = r.Int(2);
  }
  auto last = sender_->RunOnce();
  EXPECT_EQ(last->failed, 1);
  Row r = Get(id);
  EXPECT_EQ(r.Text(0), "failed");
  EXPECT_EQ(r.Int(1), 10);
  now_ += 86400;
  EXPECT_EQ(sender_->RunOnce()->failed, 0);  // a failed row is not tried again
  EXPECT_EQ(tried_.size(), 10u);
}

TEST_P(OutboxSenderTest, AClaimedRowIsLeasedNotLost) {
  // A sender that dies after claiming (simulated: the row's lease as the claim leaves it) is
  // followed by one that sends it once the lease is over.
  int64_t id = AddRow("fp@iom.int");
  ASSERT_TRUE(db_->Write([&](Tx& tx) -> Status {
                   auto changed =
                       tx.Exec("UPDATE email_outbox SET next_attempt_at = ? WHERE id = ?",
                               {now_ + RetryPolicy{}.lease_seconds, id});
                   if (!changed.ok()) return std::move(changed).TakeError();
                   return Ok();
                 })
                  .ok());
  EXPECT_EQ(sender_->RunOnce()->sent, 0);
  now_ += RetryPolicy{}.lease_seconds;
  EXPECT_EQ(sender_->RunOnce()->sent, 1);
  EXPECT_EQ(Get(id).Text(0), "sent");
}

TEST_P(OutboxSenderTest, AnUnavailableServerStopsThePassAndTheRestStayAsTheyWere) {
  std::vector<int64_t> ids = {AddRow("a@iom.int"), AddRow("b@iom.int"), AddRow("c@iom.int")};
  server_down_ = true;
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retried, 1);
  EXPECT_EQ(pass->released, 2);
  EXPECT_TRUE(pass->server_unavailable);
  EXPECT_EQ(tried_.size(), 1u);
  EXPECT_EQ(State(ids[0]), std::make_tuple(std::string("pending"), int64_t{1}, kStart + 120));
  EXPECT_EQ(State(ids[1]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));
  EXPECT_EQ(State(ids[2]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));

  // The next pass starts with the next row in order; the first waits for its retry.
  now_ += 5;
  ASSERT_TRUE(sender_->RunOnce().ok());
  ASSERT_EQ(tried_.size(), 2u);
  EXPECT_EQ(tried_[1].id, ids[1]);
  server_down_ = false;
  now_ = kStart + 120;
  EXPECT_EQ(sender_->RunOnce()->sent, 2);  // the first (due again) and the third
  EXPECT_EQ(std::get<0>(State(ids[0])), "sent");
  EXPECT_EQ(std::get<0>(State(ids[2])), "sent");
}

TEST_P(OutboxSenderTest, AStopRequestedMidPassReleasesTheRestForTheNextStart) {
  std::vector<int64_t> ids = {AddRow("a@iom.int"), AddRow("b@iom.int"), AddRow("c@iom.int")};
  std::stop_source stop;
  send_ = [&](const MailMessage&) -> Status {
    stop.request_stop();  // the server is told to stop while the first message goes out
    return Ok();
  };
  auto pass = sender_->RunOnce(stop.get_token());
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->sent, 1);
  EXPECT_EQ(pass->released, 2);
  EXPECT_FALSE(pass->server_unavailable);
  EXPECT_EQ(tried_.size(), 1u);
  EXPECT_EQ(std::get<0>(State(ids[0])), "sent");
  EXPECT_EQ(State(ids[1]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));
  EXPECT_EQ(State(ids[2]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));
  // The next start sends them at once, in order.
  send_ = nullptr;
  EXPECT_EQ(sender_->RunOnce()->sent, 2);
  EXPECT_EQ(std::get<0>(State(ids[2])), "sent");
}

TEST_P(OutboxSenderTest, AMessageRefusedAloneDoesNotStopThePass) {
  std::vector<int64_t> ids = {AddRow("nobody@iom.int"), AddRow("b@iom.int"), AddRow("c@iom.int")};
  send_ = [&](const MailMessage& m) -> Status {
    if (m.id == ids[0]) {
      return MakeError(ErrorCode::kFailedPrecondition, "SMTP: RCPT failed: 550 (server reply 550)");
    }
    return Ok();
  };
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->sent, 2);
  EXPECT_EQ(pass->retried, 1);
  EXPECT_EQ(pass->released, 0);
  EXPECT_FALSE(pass->server_unavailable);
  EXPECT_EQ(Get(ids[0]).Text(3), "SMTP: RCPT failed: 550 (server reply 550)");
}

// Over SMTP (libcurl): a real server, then none at its port, then one again.
TEST_P(OutboxSenderTest, OverSmtpAServerThatGoesAwayCostsOneAttemptPerPass) {
  int port = FreePort();
  auto sink = std::make_unique<SmtpSink>(port, TempDir() / "up");
  if (!sink->ok()) GTEST_SKIP() << "needs /usr/bin/python3 with aiosmtpd (python3-aiosmtpd)";
  SmtpTransport smtp(LocalSmtp(port));
  send_ = [&](const MailMessage& m) { return smtp.Send(m); };
  for (const char* to : {"a@iom.int", "b@iom.int", "c@iom.int"}) AddRow(to);
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->sent, 3);
  EXPECT_EQ(sink->Received(), 3);

  sink.reset();  // the server goes away: its port refuses connections
  std::vector<int64_t> ids = {AddRow("d@iom.int"), AddRow("e@iom.int"), AddRow("f@iom.int")};
  pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retried, 1);
  EXPECT_EQ(pass->released, 2);
  EXPECT_TRUE(pass->server_unavailable);
  EXPECT_EQ(tried_.size(), 4u);
  EXPECT_THAT(Get(ids[0]).Text(3), HasSubstr("SMTP: "));
  EXPECT_EQ(State(ids[1]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));
  EXPECT_EQ(State(ids[2]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));

  SmtpSink back(port, TempDir() / "back");  // the server is back
  ASSERT_TRUE(back.ok());
  now_ += 120;
  pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->sent, 3);
  EXPECT_EQ(back.Received(), 3);
}

TEST_P(OutboxSenderTest, OverSmtpAClosedPortStopsThePass) {
  SmtpTransport smtp(LocalSmtp(ClosedPort()));
  send_ = [&](const MailMessage& m) { return smtp.Send(m); };
  std::vector<int64_t> ids = {AddRow("a@iom.int"), AddRow("b@iom.int")};
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retried, 1);
  EXPECT_EQ(pass->released, 1);
  EXPECT_THAT(Get(ids[0]).Text(3), HasSubstr("SMTP: "));
  EXPECT_EQ(State(ids[1]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));
}

TEST_P(OutboxSenderTest, OverSmtpAServerThatNeverAnswersIsTriedOncePerPass) {
  // It accepts the connection and says nothing: the transport's time limit (1 s here, 60 s by
  // default) ends the attempt, and the pass with it.
  BlackHole hole;
  SmtpTransport smtp(LocalSmtp(hole.port()));
  send_ = [&](const MailMessage& m) { return smtp.Send(m); };
  std::vector<int64_t> ids = {AddRow("a@iom.int"), AddRow("b@iom.int"), AddRow("c@iom.int")};
  auto pass = sender_->RunOnce();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->retried, 1);
  EXPECT_EQ(pass->released, 2);
  EXPECT_TRUE(pass->server_unavailable);
  EXPECT_EQ(hole.Connections(), 1);
  EXPECT_THAT(Get(ids[0]).Text(3), HasSubstr("SMTP: "));
  EXPECT_EQ(State(ids[2]), std::make_tuple(std::string("pending"), int64_t{0}, kStart));
}

INSTANTIATE_TEST_SUITE_P(Engines, OutboxSenderTest,
                         ::testing::Values(Dialect::kSqlite, Dialect::kPostgres), EngineName);

}  // namespace
}  // namespace gmg
