// Issue 7's server defects, each reproduced on the real listener with plain sockets: large
// bodies before sign-in (3) and with Content-Length (4), downloads and imports that one
// client could monopolise (5), Transfer-Encoding desync (12), connections per address and the
// security headers on the server's own answers (14).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "http/fair_pool.h"
#include "http/router.h"
#include "http/server.h"
#include "http/test_sockets.h"

namespace gmg::http {
namespace {

using socket_test::Connect;
using socket_test::Exchange;
using socket_test::ReadAll;
using socket_test::SendAll;

class ServerLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.SetAuthenticator([](const Request& req) -> Result<Principal> {
      auto auth = req.Header("authorization");
      if (!auth) return Principal{};
      if (*auth != "Bearer good") return MakeError(ErrorCode::kUnauthenticated, "bad token");
      Principal p;
      p.user_id = 1;
      p.role = Role::kFocalPoint;
      p.via = AuthVia::kToken;
      return p;
    });
    router_.Add({"GET", "/ok", Access::kPublic,
                 [](Request&) {
                   return JsonResponse(200, boost::json::object{{"ok", true}});
                 },
                 "ok", "test"});
    router_.Add({"POST", "/upload", Access::kSignedIn,
                 [this](Request& req) {
                   ++uploads_;
                   return JsonResponse(
                       200, boost::json::object{
                                {"bytes", req.Body().size()},
                                {"in_file", req.body_file != nullptr},
                                {"last", std::string(req.Body().substr(req.Body().size() - 3))}});
                 },
                 "upload", "test", false, /*max_body_bytes=*/4u << 20, /*background=*/true});
    router_.Add({"GET", "/hold", Access::kPublic,
                 [this](Request&) {
                   ++held_;
                   while (!release_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                   return JsonResponse(200, boost::json::object{{"held", true}});
                 },
                 "hold", "test", false, 0, /*background=*/true});
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.max_body_bytes = 1024;
    options.max_connections_per_address = 6;
    options.max_background_per_address = 1;
    server_ = std::make_unique<Server>(
        options, [this](Request& r) { return router_.Dispatch(r); },
        [this](Request& head) { return router_.Admit(head); });
    auto port = server_->Listen();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    release_ = true;
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::atomic<int> uploads_{0};
  std::atomic<int> held_{0};
  std::atomic<bool> release_{false};
};

// Defect 3: the large limit was chosen from the path alone and the body read before the 401.
TEST_F(ServerLimitsTest, ALargeUploadIsRefusedFromItsHeadersBeforeSignIn) {
  int fd = Connect(port_);
  ASSERT_GE(fd, 0);
  // Only the headers: the answer must come without the body ever being sent.
  ASSERT_TRUE(SendAll(fd, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3000000\r\n\r\n"));
  std::string answer = ReadAll(fd, "}");
  ::close(fd);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 401") << answer;
  EXPECT_NE(answer.find("X-Content-Type-Options: nosniff"), std::string::npos) << answer;
  // A wrong token too, and chunked bodies too.
  std::string wrong = Exchange(port_,
                               "POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bad\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(wrong.substr(0, 12), "HTTP/1.1 401") << wrong;
  EXPECT_EQ(uploads_.load(), 0);
}

// Defect 4: Content-Length was checked against the 1 MiB default before the route's limit.
TEST_F(ServerLimitsTest, ASignedInUploadLargerThanTheDefaultIsAcceptedIntoAFile) {
  std::string body(3u << 20, 'x');
  body += "end";
  std::string with_length =
      Exchange(port_,
               "POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"
               "Connection: close\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(with_length.substr(0, 12), "HTTP/1.1 200") << with_length.substr(0, 300);
  EXPECT_NE(with_length.find("\"bytes\":" + std::to_string(body.size())), std::string::npos)
      << with_length;
  EXPECT_NE(with_length.find("\"in_file\":true"), std::string::npos)
      << "kept in a file, not in memory";
  EXPECT_NE(with_length.find("\"last\":\"end\""), std::string::npos);
  // Chunked: the same.
  std::string chunked =
      "POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", body.size());
  chunked += size + body + "\r\n0\r\n\r\n";
  std::string answer = Exchange(port_, chunked);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 200") << answer.substr(0, 300);
  EXPECT_NE(answer.find("\"bytes\":" + std::to_string(body.size())), std::string::npos);
  // Past the route's own limit: 413, from the headers.
  std::string over = Exchange(port_,
                              "POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer good\r\n"
                              "Content-Length: 5000000\r\n\r\n");
  EXPECT_EQ(over.substr(0, 12), "HTTP/1.1 413") << over;
  EXPECT_NE(over.find("Content-Security-Policy"), std::string::npos)
      << "the server's own answers carry the headers";
}

// Defect 12: "chunked, identity" or "xchunked" made the body a second request.
TEST_F(ServerLimitsTest, ATransferEncodingOtherThanChunkedIs400AndClosesTheConnection) {
  const std::string smuggled = "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n";
  for (std::string te : {"chunked, identity", "xchunked", "identity",
                         "gzip, chunked\r\nTransfer-Encoding: chunked"}) {
    std::string answer =
        Exchange(port_, "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                            "\r\n\r\n" + smuggled);
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << te << ": " << answer;
    EXPECT_EQ(answer.find("HTTP/1.1", 12), std::string::npos)
        << te << ": the body was not read as a request";
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << te;
  }
  std::string both = Exchange(port_,
                              "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
                                  smuggled);
  EXPECT_EQ(both.substr(0, 12), "HTTP/1.1 400") << both;
  EXPECT_EQ(both.find("HTTP/1.1", 12), std::string::npos);
}

// Defect 14: one address could hold every connection the server allows.
TEST_F(ServerLimitsTest, OneAddressGetsAtMostItsShareOfConnections) {
  std::vector<int> idle;
  for (int i = 0; i < 6; ++i) idle.push_back(Connect(port_));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all accepted
  std::string refused = Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(refused.find("HTTP/1.1 200"), std::string::npos) << "the seventh is closed at once";
  ::close(idle.back());
  idle.pop_back();
  std::string ok;
  for (int i = 0; i < 50 && ok.substr(0, 12) != "HTTP/1.1 200"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ok = Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }
  EXPECT_EQ(ok.substr(0, 12), "HTTP/1.1 200") << "a freed place is taken again";
  for (int fd : idle) ::close(fd);
}

// Defect 5: one address's slow requests queued before everyone else's; now it has a share.
TEST_F(ServerLimitsTest, OneAddressCannotQueueMoreThanItsShareOfBackgroundWork) {
  int first = Connect(port_);
  ASSERT_TRUE(SendAll(first, "GET /hold HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  for (int i = 0; i < 200 && held_ == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::string second =
      Exchange(port_, "GET /hold HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(second.substr(0, 12), "HTTP/1.1 429") << second;
  EXPECT_NE(second.find("Retry-After: 5"), std::string::npos) << second;
  release_ = true;
  EXPECT_EQ(ReadAll(first).substr(0, 12), "HTTP/1.1 200");
  ::close(first);
}

TEST(FairPoolTest, TakesOneTaskFromEachAddressInTurnAndRefusesBeyondTheShare) {
  FairPool pool(1, 3);
  std::mutex mu;
  std::vector<std::string> order;
  std::atomic<bool> go{false};
  ASSERT_TRUE(pool.Submit("gate", [&] {
    while (!go) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }));
  auto record = [&](std::string name) {
    return [&, name] {
      std::lock_guard lock(mu);
      order.push_back(name);
    };
  };
  EXPECT_TRUE(pool.Submit("a", record("a1")));
  EXPECT_TRUE(pool.Submit("a", record("a2")));
  EXPECT_TRUE(pool.Submit("a", record("a3")));
  EXPECT_FALSE(pool.Submit("a", record("a4"))) << "three queued is a's share";
  EXPECT_TRUE(pool.Submit("b", record("b1")));
  EXPECT_TRUE(pool.Submit("c", record("c1")));
  EXPECT_EQ(pool.PendingForTesting("a"), 3);
  go = true;
  pool.Join();
  EXPECT_EQ(order, (std::vector<std::string>{"a1", "b1", "c1", "a2", "a3"}));
  EXPECT_EQ(pool.PendingForTesting("a"), 0);
}

TEST(ParseRequestTest, ParsesWhatAConnectionWouldAndRefusesTheRest) {
  auto ok =
      ParseRequestForFuzzing("POST /x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->path, "/x");
  EXPECT_EQ(ok->Query("a").value_or(""), "1");
  EXPECT_EQ(ok->body, "abc");
  auto chunked = ParseRequestForFuzzing(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.ok());
  EXPECT_EQ(chunked->body, "abc");
  EXPECT_FALSE(
      ParseRequestForFuzzing("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n").ok());
  EXPECT_FALSE(ParseRequestForFuzzing("GET / HTTP/1.1\r\nHost: h\r\n").ok()) << "incomplete";
  EXPECT_FALSE(ParseRequestForFuzzing("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc").ok())
      << "incomplete body";
  EXPECT_FALSE(ParseRequestForFuzzing("GET /%zz HTTP/1.1\r\n\r\n").ok());
}

}  // namespace
}  // namespace gmg::http
