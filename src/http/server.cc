#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace gmg::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class Session;

// What sessions share with the server.
struct Shared {
  ServerOptions options;
  std::function<Response(Request&)> handler;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::mutex sessions_mu;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
};

Response LimitResponse(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge, "the request body is too large"));
  }
  if (ec == bhttp::error::header_limit) {
    return ErrorResponse(MakeError(ErrorCode::kPayloadTooLarge, "the request headers are too large"));
  }
  return ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "malformed HTTP request: " + ec.message()));
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Session() { shared_.connections.fetch_sub(1); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Closes the connection if it is waiting for a new request; a request in flight finishes.
  void StopWhenIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void Read() {
    if (shared_.stopping.load()) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_.options.max_header_bytes));
    parser_->body_limit(shared_.options.max_body_bytes);
    idle_ = buffer_.size() == 0;
    stream_.expires_after(std::chrono::seconds(shared_.options.request_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->OnRead(ec);
                      });
  }

  void OnRead(beast::error_code ec) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::bad_descriptor) {
      return Close();
    }
    if (ec) {
      // Too large or malformed: answer once, then close (the stream is out of sync).
      keep_alive_ = false;
      return Write(LimitResponse(ec), 11);
    }
    auto& msg = parser_->get();
    Request req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    std::string_view target = msg.target();
    size_t q = target.find('?');
    bool decoded = PercentDecode(target.substr(0, q), false, &req.path);
    if (q != std::string_view::npos) {
      decoded = ParseQueryString(target.substr(q + 1), &req.query) && decoded;
    }
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req.body = std::move(msg.body());
    req.remote_address = remote_;
    keep_alive_ = msg.keep_alive() && !shared_.stopping.load();
    unsigned version = msg.version();

    Response res;
    if (!decoded || req.path.empty() || req.path[0] != '/' ||
        req.path.find('\0') != std::string::npos) {
      res = ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "malformed request target"));
    } else {
      auto start = std::chrono::steady_clock::now();
      res = shared_.handler(req);
      if (shared_.options.access_log) {
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::clog << req.remote_address << " " << req.method << " " << req.target << " "
                  << res.status << " " << ms << "ms\n";
      }
    }
    Write(std::move(res), version);
  }

  void Write(Response res, unsigned version) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->version(version);
    out->result(static_cast<unsigned>(res.status));
    out->set(bhttp::field::server, "gmg");
    if (!res.content_type.empty()) out->set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) out->insert(k, v);
    out->body() = std::move(res.body);
    out->keep_alive(keep_alive_);
    out->prepare_payload();
    stream_.expires_after(std::chrono::seconds(shared_.options.request_timeout_seconds));
    bhttp::async_write(stream_, *out,
                       [self = shared_from_this(), out](beast::error_code ec, size_t) {
                         if (ec || !self->keep_alive_) return self->Close();
                         self->Read();
                       });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  bool keep_alive_ = true;
  bool idle_ = true;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, std::function<Response(Request&)> handler)
      : ioc_(options.threads > 0 ? options.threads : 1),
        acceptor_(asio::make_strand(ioc_)),
        signals_(ioc_, SIGINT, SIGTERM) {
    shared_.options = std::move(options);
    shared_.handler = std::move(handler);
  }

  Result<uint16_t> Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(shared_.options.bind, ec);
    if (ec) return MakeError(ErrorCode::kInvalidArgument, "--bind: not an IP address: " + shared_.options.bind);
    tcp::endpoint ep(address, shared_.options.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "cannot listen on " + shared_.options.bind + ":" +
                           std::to_string(shared_.options.port) + ": " + ec.message());
    }
    return acceptor_.local_endpoint().port();
  }

  void Run() {
    signals_.async_wait([this](beast::error_code ec, int) {
      if (!ec) Stop();
    });
    Accept();
    int n = shared_.options.threads > 0 ? shared_.options.threads
                                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> workers;
    for (int i = 1; i < n; ++i) workers.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : workers) t.join();
  }

  void Stop() {
    asio::post(acceptor_.get_executor(), [this] {
      if (shared_.stopping.exchange(true)) return;
      beast::error_code ec;
      acceptor_.close(ec);
      signals_.cancel(ec);
      std::lock_guard lock(shared_.sessions_mu);
      for (auto& weak : shared_.sessions) {
        if (auto s = weak.lock()) s->StopWhenIdle();
      }
    });
  }

 private:
  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (shared_.stopping.load()) return;
        if (ec == asio::error::no_descriptors) {
          // Out of file descriptors: wait a moment rather than spin.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return Accept();
      }
      if (shared_.connections.fetch_add(1) >= shared_.options.max_connections) {
        shared_.connections.fetch_sub(1);
        beast::error_code ignored;
        socket.close(ignored);
        return Accept();
      }
      socket.set_option(tcp::no_delay(true), ec);
      auto session = std::make_shared<Session>(std::move(socket), shared_);
      {
        std::lock_guard lock(shared_.sessions_mu);
        for (auto it = shared_.sessions.begin(); it != shared_.sessions.end();) {
          it = it->expired() ? shared_.sessions.erase(it) : std::next(it);
        }
        shared_.sessions.insert(session);
      }
      session->Start();
      Accept();
    });
  }

  Shared shared_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
};

Server::Server(ServerOptions options, std::function<Response(Request&)> handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() = default;
Result<uint16_t> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace gmg::http
