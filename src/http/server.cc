#include "http/server.h"

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/compression.h"

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
  // Threads for what takes long: producing and sending streamed bodies, and the requests on
  // background paths. More such tasks than threads wait their turn.
  asio::thread_pool background{4};
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

// Sends all of `data` on a connected socket, waiting at most `timeout` each time the peer's
// window is full. False when the peer is gone or took nothing for that long. (Asio's own
// blocking writes wait without a limit.)
bool SendAll(int fd, std::string_view data, std::chrono::seconds timeout) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      int ready = ::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(timeout).count()));
      if (ready == 0 || (ready < 0 && errno != EINTR)) return false;
      if (ready > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) return false;
    } else if (!(n < 0 && errno == EINTR)) {
      return false;
    }
  }
  return true;
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
    // The header first: the body limit depends on the route (uploads may be larger).
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    idle_ = false;
    std::string_view target = parser_->get().target();
    for (const auto& [prefix, limit] : shared_.options.large_body_paths) {
      if (target.substr(0, prefix.size()) == prefix) parser_->body_limit(limit);
    }
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
      linger_ = true;
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

    if (!decoded || req.path.empty() || req.path[0] != '/' ||
        req.path.find('\0') != std::string::npos) {
      return Write(ErrorResponse(MakeError(ErrorCode::kInvalidArgument, "malformed request target")), version);
    }
    for (const auto& prefix : shared_.options.background_paths) {
      if (req.path.rfind(prefix, 0) != 0) continue;
      // Handled on the background pool; the session resumes on its worker to answer.
      auto work = asio::make_work_guard(stream_.get_executor());
      asio::post(shared_.background, [self = shared_from_this(), req = std::move(req), version,
                                      work = std::move(work)]() mutable {
        Response res = self->Handle(req);
        asio::post(self->stream_.get_executor(), [self, res = std::move(res), version]() mutable {
          self->Write(std::move(res), version);
        });
      });
      return;
    }
    Write(Handle(req), version);
  }

  Response Handle(Request& req) {
    auto start = std::chrono::steady_clock::now();
    Response res = shared_.handler(req);
    if (shared_.options.access_log) {
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      std::clog << req.remote_address << " " << req.method << " " << req.target << " " << res.status << " " << ms
                << "ms\n";
    }
    return res;
  }

  void Write(Response res, unsigned version) {
    if (res.stream) return WriteStreamed(std::move(res), version);
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

  // A streamed body (an export) is produced and sent by a download thread, so a slow client
  // holds that thread, not this worker and its other connections. Meanwhile the session has no
  // operation pending; it resumes on its worker when the body is done. A client that takes no
  // data for the request timeout loses the download (and the connection).
  void WriteStreamed(Response res, unsigned version) {
    bhttp::response<bhttp::empty_body> head;
    head.version(version);
    head.result(static_cast<unsigned>(res.status));
    head.set(bhttp::field::server, "gmg");
    if (!res.content_type.empty()) head.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) head.insert(k, v);
    head.keep_alive(keep_alive_);
    head.chunked(true);
    std::ostringstream header;
    header << head.base();
    // The router marked it for gzip when the client takes it: compress as it goes out.
    auto encoding = res.Header("Content-Encoding");
    bool gzip = encoding && *encoding == "gzip";
    // Keeps this worker's io_context running until the download hands the session back.
    auto work = asio::make_work_guard(stream_.get_executor());
    asio::post(shared_.background, [self = shared_from_this(), stream = std::move(res.stream), header = header.str(),
                                   gzip, work = std::move(work)]() mutable {
      int fd = self->stream_.socket().native_handle();
      auto timeout = std::chrono::seconds(self->shared_.options.request_timeout_seconds);
      bool ok = SendAll(fd, header, timeout);
      std::string pending;
      auto flush = [&] {
        if (!ok || pending.empty()) return;
        char size[24];
        int n = std::snprintf(size, sizeof size, "%zx\r\n", pending.size());
        pending.insert(0, size, static_cast<size_t>(n));
        pending += "\r\n";
        ok = SendAll(fd, pending, timeout);
        pending.clear();
      };
      try {
        std::optional<GzipStream> z;
        if (gzip) z.emplace(1);  // fastest: an export is bound by the CPU here, not the network
        if (ok) {
          stream([&](std::string_view piece) {
            if (z) {
              z->Write(piece, &pending);
            } else {
              pending.append(piece);
            }
            if (pending.size() >= (64u << 10)) flush();
            return ok;
          });
          if (z) z->Finish(&pending);
          flush();
        }
      } catch (const std::exception& e) {
        // The status line is gone already: end without the last chunk, so the client sees
        // an incomplete body rather than a complete-looking one.
        std::cerr << "error: streamed response failed: " << e.what() << std::endl;
        ok = false;
      }
      if (ok) ok = SendAll(fd, "0\r\n\r\n", timeout);
      asio::post(self->stream_.get_executor(), [self, ok] {
        if (!ok || !self->keep_alive_) return self->Close();
        self->Read();
      });
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (linger_) return Drain();
    stream_.socket().close(ec);
  }

  // After an early answer (413) the client may still be sending its body; closing now would
  // reset the connection and the client could lose the answer. Read and discard what it
  // still sends, for a bounded time, then close (a "lingering close", as nginx does).
  void Drain() {
    linger_ = false;
    stream_.expires_after(std::chrono::seconds(2));
    drain_buf_.resize(64 * 1024);
    DrainSome();
  }
  void DrainSome() {
    stream_.async_read_some(asio::buffer(drain_buf_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > (64u << 20)) {
        beast::error_code ignored;
        self->stream_.socket().close(ignored);
        return;
      }
      self->DrainSome();
    });
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  bool keep_alive_ = true;
  bool idle_ = true;
  bool linger_ = false;
  std::vector<char> drain_buf_;
  size_t drained_ = 0;
};

}  // namespace

// One io_context per worker thread, as nginx has worker processes: the acceptor hands each
// new connection to the next worker in turn and the connection stays there, so no scheduler
// queue is shared between threads, which keeps the latency tail short on small machines.
// (One acceptor, not SO_REUSEPORT: that would let a second process silently share the port.)
class Server::Impl {
 public:
  Impl(ServerOptions options, std::function<Response(Request&)> handler) {
    shared_.options = std::move(options);
    shared_.handler = std::move(handler);
    int n = shared_.options.threads > 0
                ? shared_.options.threads
                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) workers_.push_back(std::make_unique<asio::io_context>(1));
    acceptor_ = std::make_unique<tcp::acceptor>(*workers_[0]);
    signals_ = std::make_unique<asio::signal_set>(*workers_[0], SIGINT, SIGTERM);
  }

  Result<uint16_t> Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(shared_.options.bind, ec);
    if (ec) return MakeError(ErrorCode::kInvalidArgument, "--bind: not an IP address: " + shared_.options.bind);
    tcp::endpoint ep(address, shared_.options.port);
    acceptor_->open(ep.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(ep, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "cannot listen on " + shared_.options.bind + ":" +
                           std::to_string(shared_.options.port) + ": " + ec.message());
    }
    return acceptor_->local_endpoint().port();
  }

  void Run() {
    signals_->async_wait([this](beast::error_code ec, int) {
      if (!ec) Stop();
    });
    Accept();
    // Workers other than the acceptor's wait for connections even while they have none.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::vector<std::thread> threads;
    for (size_t i = 1; i < workers_.size(); ++i) {
      guards.push_back(asio::make_work_guard(*workers_[i]));
      threads.emplace_back([this, i] { workers_[i]->run(); });
    }
    workers_[0]->run();
    // The acceptor's worker ends once stopped and drained; release the others to drain too.
    for (auto& g : guards) g.reset();
    for (auto& t : threads) t.join();
    shared_.background.join();
  }

  void Stop() {
    if (shared_.stopping.exchange(true)) return;
    asio::post(*workers_[0], [this] {
      beast::error_code ec;
      acceptor_->close(ec);
      signals_->cancel(ec);
    });
    std::lock_guard lock(shared_.sessions_mu);
    for (auto& weak : shared_.sessions) {
      if (auto s = weak.lock()) s->StopWhenIdle();
    }
  }

 private:
  void Accept() {
    asio::io_context& target = *workers_[next_worker_];
    next_worker_ = (next_worker_ + 1) % workers_.size();
    acceptor_->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (shared_.stopping.load() || !acceptor_->is_open()) return;
        if (ec == asio::error::no_descriptors) {
          // Out of file descriptors: wait a moment rather than spin.
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return Accept();
      }
      if (shared_.stopping.load()) return;
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
        if (++accepted_since_sweep_ >= 256) {
          accepted_since_sweep_ = 0;
          std::erase_if(shared_.sessions, [](const auto& weak) { return weak.expired(); });
        }
        shared_.sessions.insert(session);
      }
      session->Start();
      Accept();
    });
  }

  Shared shared_;
  std::vector<std::unique_ptr<asio::io_context>> workers_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::signal_set> signals_;
  size_t next_worker_ = 0;           // acceptor's thread only
  size_t accepted_since_sweep_ = 0;  // guarded by shared_.sessions_mu
};

Server::Server(ServerOptions options, std::function<Response(Request&)> handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}
Server::~Server() = default;
Result<uint16_t> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace gmg::http
