// The real listener on a loopback port, spoken to with plain sockets.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "http/router.h"
#include "http/test_sockets.h"

namespace gmg::http {
namespace {

using socket_test::Connect;
using socket_test::Exchange;
using socket_test::ReadAll;
using socket_test::SendAll;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add({"GET", "/ok", Access::kPublic,
                 [](Request&) {
                   return JsonResponse(200, boost::json::object{{"ok", true}});
                 },
                 "ok", "test"});
    router_.Add({"GET", "/boom", Access::kPublic,
                 [](Request&) -> Response { throw std::logic_error("bug"); }, "boom", "test"});
    router_.Add({"POST", "/echo", Access::kPublic,
                 [](Request& req) {
                   Response r;
                   r.body = req.body;
                   return r;
                 },
                 "echo", "test"});
    router_.Add({"GET", "/slow", Access::kPublic,
                 [this](Request&) {
                   slow_started_ = true;
                   std::this_thread::sleep_for(std::chrono::milliseconds(500));
                   return JsonResponse(200, boost::json::object{{"slow", "done"}});
                 },
                 "slow", "test"});
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.max_body_bytes = 1024;
    options.max_header_bytes = 2048;
    server_ = std::make_unique<Server>(options, [this](Request& r) { return router_.Dispatch(r); });
    auto port = server_->Listen();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::atomic<bool> slow_started_{false};
};

TEST_F(ServerTest, AHandlerExceptionGives500AndTheServerKeepsServing) {
  std::string boom = Exchange(port_, "GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(boom.substr(0, 12), "HTTP/1.1 500") << boom;
  std::string ok = Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(ok.substr(0, 12), "HTTP/1.1 200") << ok;
}

TEST_F(ServerTest, OversizeBodiesAndHeadersGet413) {
  std::string body(4096, 'x');
  std::string big =
      Exchange(port_, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + body);
  EXPECT_EQ(big.substr(0, 12), "HTTP/1.1 413") << big.substr(0, 200);
  std::string header = Exchange(
      port_, "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_EQ(header.substr(0, 12), "HTTP/1.1 413") << header.substr(0, 200);
  std::string ok = Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(ok.substr(0, 12), "HTTP/1.1 200");
}

TEST_F(ServerTest, MalformedRequestsGet400) {
  std::string bad = Exchange(port_, "NONSENSE\r\n\r\n");
  EXPECT_EQ(bad.substr(0, 12), "HTTP/1.1 400") << bad;
  std::string bad_escape =
      Exchange(port_, "GET /ok%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(bad_escape.substr(0, 12), "HTTP/1.1 400") << bad_escape;
}

// HEAD is answered as GET with the same header fields and no body, so a client that reads the
// next answer on the same connection finds it where it should be.
TEST_F(ServerTest, HeadGetsTheHeaderOfAGetAndNoBody) {
  std::string get = Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  size_t get_end = get.find("\r\n\r\n");
  ASSERT_NE(get_end, std::string::npos) << get;
  std::string get_body = get.substr(get_end + 4);
  ASSERT_FALSE(get_body.empty());

  int fd = Connect(port_);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd,
                      "HEAD /ok HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string both = ReadAll(fd);
  ::close(fd);
  EXPECT_EQ(both.substr(0, 12), "HTTP/1.1 200") << both;
  EXPECT_NE(both.find("Content-Length: " + std::to_string(get_body.size()) + "\r\n"),
            std::string::npos)
      << both;
  size_t head_end = both.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_EQ(both.substr(head_end + 4, 12), "HTTP/1.1 200")
      << "the GET's answer follows the HEAD's header at once: " << both;
  EXPECT_EQ(both.substr(both.size() - get_body.size()), get_body);

  std::string post_only =
      Exchange(port_, "HEAD /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(post_only.substr(0, 12), "HTTP/1.1 405") << post_only;
  EXPECT_NE(post_only.find("Allow: POST\r\n"), std::string::npos) << post_only;
  EXPECT_EQ(post_only.substr(post_only.find("\r\n\r\n") + 4), "") << "no body for HEAD";
  std::string wrong =
      Exchange(port_, "DELETE /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(wrong.substr(0, 12), "HTTP/1.1 405") << wrong;
  EXPECT_NE(wrong.find("Allow: GET, HEAD\r\n"), std::string::npos) << wrong;
}

TEST_F(ServerTest, StopLetsARequestInFlightFinish) {
  std::string slow;
  std::thread client(
      [&] { slow = Exchange(port_, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", "done"); });
  while (!slow_started_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Stop();
  client.join();
  thread_.join();
  EXPECT_EQ(slow.substr(0, 12), "HTTP/1.1 200") << slow;
  EXPECT_NE(slow.find("done"), std::string::npos);
  EXPECT_EQ(Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"), "connect failed")
      << "no new connections after stop";
}

// An export to a client that stops reading must hold neither a worker nor a background thread:
// what the client does not take goes to a temporary file, and the download ends (and the
// connection closes) once the client takes nothing for the timeout.
TEST(StreamedBodyTest, AClientThatStopsReadingHoldsNoThreadAndLosesTheDownload) {
  std::atomic<bool> produced{false};
  Router router;
  router.Add({"GET", "/ok", Access::kPublic,
              [](Request&) {
                return JsonResponse(200, boost::json::object{{"ok", true}});
              },
              "ok", "test"});
  router.Add({"GET", "/export", Access::kPublic,
              [&](Request&) {
                Response r;
                r.content_type = "text/csv";
                r.stream = [&](const BodyWriter& write) {
                  std::string line(1023, 'x');
                  line += '\n';
                  for (int i = 0; i < 30000; ++i) {  // 30 MB: far more than socket buffers hold
                    if (!write(line)) return;
                  }
                  produced = true;
                };
                return r;
              },
              "export", "test"});
  ServerOptions options;
  options.port = 0;
  options.threads = 1;  // one worker: were it blocked, nothing else would be answered
  options.background_threads = 1;
  options.request_timeout_seconds = 1;
  Server server(
      options, [&router](Request& r) { return router.Dispatch(r); },
      [&router](Request& head) { return router.Admit(head); });
  auto port = server.Listen();
  ASSERT_TRUE(port.ok());
  std::thread run([&] { server.Run(); });

  int fd = Connect(*port);
  std::string request = "GET /export HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));

  // Exchange gives up after 5 s without an answer.
  std::string other = Exchange(*port, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(other.substr(0, 12), "HTTP/1.1 200") << other;
  for (int i = 0; i < 100 && !produced; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(produced) << "the export was produced whole although the client read nothing";
  // The one background thread is free again: a second export from another connection runs.
  produced = false;
  std::string second =
      Exchange(*port, "GET /export HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "xxxx");
  EXPECT_EQ(second.substr(0, 12), "HTTP/1.1 200") << second.substr(0, 200);
  // The stalled client loses its download: the server closes once it takes nothing for 1 s.
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  size_t got = 0;
  char buf[65536];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got += static_cast<size_t>(n);
  EXPECT_EQ(n, 0) << "closed by the server";
  EXPECT_LT(got, size_t{30000} * 1024) << "and not the whole download";
  ::close(fd);
  server.Stop();
  run.join();
}

// A long request on a background path (an import) leaves the worker free for others.
TEST(BackgroundPathTest, ALongRequestThereHoldsNoWorker) {
  std::atomic<bool> release{false};
  std::atomic<bool> started{false};
  Router router;
  router.Add({"GET", "/ok", Access::kPublic,
              [](Request&) {
                return JsonResponse(200, boost::json::object{{"ok", true}});
              },
              "ok", "test"});
  router.Add({"POST", "/import", Access::kPublic,
              [&](Request& req) {
                started = true;
                while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                return JsonResponse(200, boost::json::object{{"imported", req.body}});
              },
              "import", "test", /*cacheable=*/false, /*max_body_bytes=*/0, /*background=*/true});
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  Server server(
      options, [&router](Request& r) { return router.Dispatch(r); },
      [&router](Request& head) { return router.Admit(head); });
  auto port = server.Listen();
  ASSERT_TRUE(port.ok());
  std::thread run([&] { server.Run(); });

  std::string imported;
  std::thread client([&] {
    imported = Exchange(
        *port,
        "POST /import HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
  });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::string other = Exchange(*port, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(other.substr(0, 12), "HTTP/1.1 200") << "answered while the import still runs";
  release = true;
  client.join();
  EXPECT_EQ(imported.substr(0, 12), "HTTP/1.1 200") << imported;
  EXPECT_NE(imported.find("\"imported\":\"abc\""), std::string::npos);
  server.Stop();
  run.join();
}

}  // namespace
}  // namespace gmg::http
