#include "http/server.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/text.h"
#include "http/compression.h"
#include "http/fair_pool.h"

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
  Admitter admitter;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::mutex sessions_mu;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
  // Open connections per client address. Its own mutex: a session may end (and count itself
  // out) while sessions_mu is held, when Stop() holds the last reference to it.
  std::mutex address_mu;
  std::unordered_map<std::string, int> per_address;
  // Threads for what takes long: producing streamed bodies, and requests the Admitter sends
  // to the background (imports, Excel files). Fair between addresses (FairPool).
  std::unique_ptr<FairPool> background;
};

// An answer the server gives on its own (before or instead of the router): the same error
// shape and security headers as every other answer.
Response EarlyResponse(const Error& error) {
  Response res = ErrorResponse(error);
  res.SetHeader("Cache-Control", "no-store");
  ApplySecurityHeaders(res);
  return res;
}

Error LimitError(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit)
    return MakeError(ErrorCode::kPayloadTooLarge, "the request body is too large");
  if (ec == bhttp::error::header_limit) {
    return MakeError(ErrorCode::kPayloadTooLarge, "the request headers are too large");
  }
  return MakeError(ErrorCode::kInvalidArgument, "malformed HTTP request: " + ec.message());
}

// RFC 9112 6.3: a request is framed by Transfer-Encoding only when it is exactly "chunked"
// (one coding, named once, with no Content-Length beside it). Anything else ("chunked,
// identity", "xchunked", two fields) would let a front proxy and this server disagree on where
// the body ends, so the request is refused and the connection closed.
template <class Fields>
bool BadFraming(const Fields& fields) {
  int codings = 0;
  bool chunked = false;
  auto [begin, end] = fields.equal_range(bhttp::field::transfer_encoding);
  for (auto it = begin; it != end; ++it) {
    ++codings;
    chunked = EqualsIgnoreCase(Trim(it->value()), "chunked");
  }
  if (codings == 0) return false;
  return codings > 1 || !chunked || fields.count(bhttp::field::content_length) > 0;
}

// The request line and headers as our Request; kInvalidArgument for a target that does not decode.
template <class Message>
Result<Request> HeadRequest(const Message& msg, const std::string& remote) {
  Request req;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  std::string_view target = msg.target();
  size_t q = target.find('?');
  bool decoded = PercentDecode(target.substr(0, q), false, &req.path);
  if (q != std::string_view::npos)
    decoded = ParseQueryString(target.substr(q + 1), &req.query) && decoded;
  if (!decoded || req.path.empty() || req.path[0] != '/' ||
      req.path.find('\0') != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "malformed request target");
  }
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  req.remote_address = remote;
  return req;
}

// A temporary file with no name: uploads and the unsent part of downloads. -1 on failure.
int TemporaryFile(std::string* path_out = nullptr) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/gmg-XXXXXX";
  int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  if (path_out) {
    *path_out = path;  // the caller opens it by name too, then unlinks it
  } else {
    ::unlink(path.c_str());
  }
  return fd;
}

// A streamed body's bytes on their way out, from a background thread. What the client's socket
// takes at once is sent at once; from the first time it would block, the rest goes to a
// temporary file that the connection's worker then sends as the client reads. So a client
// that reads slowly, or not at all, never holds a background thread.
class SpoolingSender {
 public:
  SpoolingSender(int socket, size_t max_spool_bytes)
      : socket_(socket), max_spool_(max_spool_bytes) {}
  ~SpoolingSender() {
    if (spool_ >= 0) ::close(spool_);
  }
  SpoolingSender(const SpoolingSender&) = delete;
  SpoolingSender& operator=(const SpoolingSender&) = delete;

  // False once the client is gone or the spool could not be written.
  bool Send(std::string_view data) {
    if (!ok_) return false;
    while (spool_ < 0 && !data.empty()) {
      ssize_t n = ::send(socket_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        spool_ = TemporaryFile();
        if (spool_ < 0) return ok_ = false;
      } else {
        return ok_ = false;  // the client closed or reset the connection
      }
    }
    if (data.empty()) return true;
    if (spooled_ + data.size() > max_spool_) return ok_ = false;
    while (!data.empty()) {
      ssize_t n = ::write(spool_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return ok_ = false;
      data.remove_prefix(static_cast<size_t>(n));
      spooled_ += static_cast<size_t>(n);
    }
    return true;
  }

  bool ok() const { return ok_; }
  void Fail() { ok_ = false; }
  // The spool (-1 when everything went out directly) and its size; the caller owns it then.
  int ReleaseSpool(size_t* size) {
    *size = spooled_;
    int fd = spool_;
    spool_ = -1;
    return fd;
  }

 private:
  int socket_;
  size_t max_spool_;
  int spool_ = -1;
  size_t spooled_ = 0;
  bool ok_ = true;
};

// The largest download a stalled client can make the server keep on disk for it.
constexpr size_t kMaxSpoolBytes = size_t{2} << 30;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::string remote, Shared& shared)
      : stream_(std::move(socket)), shared_(shared), remote_(std::move(remote)) {}
  ~Session() {
    if (spool_ >= 0) ::close(spool_);
    shared_.connections.fetch_sub(1);
    std::lock_guard lock(shared_.address_mu);
    auto it = shared_.per_address.find(remote_);
    if (it != shared_.per_address.end() && --it->second <= 0) shared_.per_address.erase(it);
  }

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
  // The headers first: what body may follow (and whether it may come at all) depends on the
  // route and on who sends it.
  void Read() {
    if (shared_.stopping.load()) return Close();
    head_only_ = false;
    head_parser_.emplace();
    head_parser_->header_limit(static_cast<uint32_t>(shared_.options.max_header_bytes));
    head_parser_->body_limit(shared_.options.max_upload_bytes);
    idle_ = buffer_.size() == 0;
    stream_.expires_after(std::chrono::seconds(shared_.options.request_timeout_seconds));
    bhttp::async_read_header(
        stream_, buffer_, *head_parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnError(ec);
    idle_ = false;
    const auto& msg = head_parser_->get();
    version_ = msg.version();
    // HEAD is GET without the body (RFC 9110 9.3.2): routed and answered as GET, the same
    // header fields (Content-Length, ETag) sent, the body not.
    head_only_ = msg.method() == bhttp::verb::head;
    keep_alive_ = msg.keep_alive() && !shared_.stopping.load();
    if (BadFraming(msg)) {
      return Refuse(
          MakeError(ErrorCode::kInvalidArgument,
                    "Transfer-Encoding must be exactly \"chunked\", without Content-Length"));
    }
    auto head = HeadRequest(msg, remote_);
    if (!head.ok()) return Refuse(head.error());
    request_ = std::move(head).value();
    if (head_only_) request_.method = "GET";
    Admission admission = shared_.admitter ? shared_.admitter(request_) : Admission{};
    if (admission.reject) {
      keep_alive_ = false;
      linger_ = true;
      return Write(std::move(*admission.reject));
    }
    background_ = admission.background;
    client_ = admission.client.empty() ? remote_ : admission.client;
    size_t limit = admission.max_body_bytes == 0
                       ? shared_.options.max_body_bytes
                       : std::min(admission.max_body_bytes, shared_.options.max_upload_bytes);
    auto length = head_parser_->content_length();
    if (length && *length > limit) return Refuse(LimitError(bhttp::error::body_limit));
    if (limit > shared_.options.spool_body_bytes &&
        (!length || *length > shared_.options.spool_body_bytes)) {
      return ReadBodyToFile(limit);
    }
    string_parser_.emplace(std::move(*head_parser_));
    string_parser_->body_limit(limit);
    bhttp::async_read(
        stream_, buffer_, *string_parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  // A large upload goes to a temporary file as it arrives; the handler reads it mapped.
  void ReadBodyToFile(size_t limit) {
    std::string path;
    spool_ = TemporaryFile(&path);
    file_parser_.emplace(std::move(*head_parser_));
    file_parser_->body_limit(limit);
    beast::error_code ec;
    if (spool_ >= 0) file_parser_->get().body().open(path.c_str(), beast::file_mode::write, ec);
    if (!path.empty()) ::unlink(path.c_str());
    if (spool_ < 0 || ec) {
      std::cerr << "error: cannot create a temporary file for an upload" << std::endl;
      return Refuse(MakeError(ErrorCode::kInternal, "cannot store the upload"));
    }
    bhttp::async_read(
        stream_, buffer_, *file_parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec) return OnError(ec);
    if (file_parser_) {
      file_parser_.reset();  // closes its descriptor; the data is in the file
      auto mapped = BodyFile::Map(spool_);
      ::close(spool_);
      spool_ = -1;
      if (!mapped.ok()) return Refuse(mapped.error());
      request_.body_file = std::move(mapped).value();
    } else {
      request_.body = std::move(string_parser_->get().body());
      string_parser_.reset();
    }
    if (!background_) {
      Response res = Handle(request_);
      request_ = Request{};  // its body is not kept while the connection waits for the next
      return Write(std::move(res));
    }
    // Seconds of work: on the background pool, fair between addresses; the session resumes on
    // its worker to answer.
    auto work = asio::make_work_guard(stream_.get_executor());
    bool queued = shared_.background->Submit(
        client_,
        [self = shared_from_this(), req = std::move(request_), work = std::move(work)]() mutable {
          Response res = self->Handle(req);
          asio::post(self->stream_.get_executor(),
                     [self, res = std::move(res)]() mutable { self->Write(std::move(res)); });
        });
    if (!queued) Write(Busy());
  }

  void OnError(beast::error_code ec) {
    idle_ = false;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == beast::error::timeout || ec == asio::error::connection_reset ||
        ec == asio::error::bad_descriptor) {
      return Close();
    }
    Refuse(LimitError(ec));
  }

  // Answers once, then closes: after a refused or malformed request the stream is out of sync.
  void Refuse(const Error& error) {
    keep_alive_ = false;
    linger_ = true;
    Write(EarlyResponse(error));
  }

  // This address already has its share of the background pool.
  static Response Busy() {
    Response res = EarlyResponse(
        MakeError(ErrorCode::kResourceExhausted,
                  "too many downloads or imports from your address at once; try again shortly"));
    res.SetHeader("Retry-After", "5");
    return res;
  }

  Response Handle(Request& req) {
    auto start = std::chrono::steady_clock::now();
    Response res = shared_.handler(req);
    if (shared_.options.access_log) {
      double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      std::clog << req.remote_address << " " << (head_only_ ? "HEAD" : req.method) << " "
                << req.target << " " << res.status << " " << ms << "ms\n";
    }
    return res;
  }

  // The completion of a response's write: the next request, or the end of the connection.
  // Holds `buffer` (what is being written) and the session until then.
  template <typename Buffer>
  auto AfterWrite(std::shared_ptr<Buffer> buffer) {
    return [self = shared_from_this(), buffer](beast::error_code ec, size_t) {
      if (ec || !self->keep_alive_) return self->Close();
      self->Read();
    };
  }

  void Write(Response res) {
    if (res.stream) return WriteStreamed(std::move(res));
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->version(version_);
    out->result(static_cast<unsigned>(res.status));
    out->set(bhttp::field::server, "gmg");
    if (!res.content_type.empty()) out->set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) out->insert(k, v);
    out->body() = std::move(res.body);
    out->keep_alive(keep_alive_);
    out->prepare_payload();
    if (head_only_) return WriteHeader(out->base());
    stream_.expires_after(std::chrono::seconds(shared_.options.request_timeout_seconds));
    bhttp::async_write(stream_, *out, AfterWrite(out));
  }

  // The answer to a HEAD request: the header alone.
  void WriteHeader(const bhttp::response_header<>& head) {
    std::ostringstream text;
    text << head;
    auto out = std::make_shared<std::string>(text.str());
    stream_.expires_after(std::chrono::seconds(shared_.options.request_timeout_seconds));
    asio::async_write(stream_, asio::buffer(*out), AfterWrite(out));
  }

  // A streamed body (an export) is produced on the background pool and sent by a
  // SpoolingSender; meanwhile the session has no operation pending. It resumes on its worker
  // to send what the client did not take at once, then reads the next request.
  void WriteStreamed(Response res) {
    bhttp::response<bhttp::empty_body> head;
    head.version(version_);
    head.result(static_cast<unsigned>(res.status));
    head.set(bhttp::field::server, "gmg");
    if (!res.content_type.empty()) head.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) head.insert(k, v);
    head.keep_alive(keep_alive_);
    head.chunked(true);
    if (head_only_) return WriteHeader(head.base());  // the body is not produced at all
    std::ostringstream header;
    header << head.base();
    // The router marked it for gzip when the client takes it: compress as it goes out.
    auto encoding = res.Header("Content-Encoding");
    bool gzip = encoding && *encoding == "gzip";
    auto work = asio::make_work_guard(stream_.get_executor());
    bool queued = shared_.background->Submit(
        client_, [self = shared_from_this(), stream = std::move(res.stream), header = header.str(),
                  gzip, work = std::move(work)]() mutable { self->Produce(stream, header, gzip); });
    if (!queued) Write(Busy());
  }

  // On a background thread.
  void Produce(const std::function<void(const BodyWriter&)>& stream, const std::string& header,
               bool gzip) {
    SpoolingSender out(stream_.socket().native_handle(), kMaxSpoolBytes);
    std::string pending;
    auto flush = [&] {
      if (pending.empty()) return;
      char size[24];
      int n = std::snprintf(size, sizeof size, "%zx\r\n", pending.size());
      pending.insert(0, size, static_cast<size_t>(n));
      pending += "\r\n";
      out.Send(pending);
      pending.clear();
    };
    try {
      std::optional<GzipStream> z;
      if (gzip) z.emplace(1);  // fastest: an export is bound by the CPU here, not the network
      if (out.Send(header)) {
        stream([&](std::string_view piece) {
          if (z) {
            z->Write(piece, &pending);
          } else {
            pending.append(piece);
          }
          if (pending.size() >= (64u << 10)) flush();
          return out.ok();
        });
        if (z) z->Finish(&pending);
        flush();
      }
    } catch (const std::exception& e) {
      // The status line is gone already: end without the last chunk, so the client sees an
      // incomplete body rather than a complete-looking one.
      std::cerr << "error: streamed response failed: " << e.what() << std::endl;
      out.Fail();
    }
    if (out.ok()) out.Send("0\r\n\r\n");
    bool ok = out.ok();
    size_t size = 0;
    int spool = out.ReleaseSpool(&size);
    asio::post(stream_.get_executor(), [self = shared_from_this(), ok, spool, size] {
      self->spool_ = spool;
      if (!ok) return self->Close();
      self->SendSpool(0, size);
    });
  }

  // Sends the spool from `offset` as the client takes it; the request timeout applies to
  // each piece, so a client that stops reading loses the download.
  void SendSpool(size_t offset, size_t size) {
    if (offset >= size) {
      if (spool_ >= 0) ::close(spool_);
      spool_ = -1;
      if (!keep_alive_) return Close();
      return Read();
    }
    send_buf_.resize(64u << 10);
    ssize_t n = ::pread(spool_, send_buf_.data(), std::min(send_buf_.size(), size - offset),
                        static_cast<off_t>(offset));
    if (n <= 0) return Close();
    stream_.expires_after(std::chrono::seconds(shared_.options.request_timeout_seconds));
    asio::async_write(stream_, asio::buffer(send_buf_.data(), static_cast<size_t>(n)),
                      [self = shared_from_this(), offset, size](beast::error_code ec, size_t sent) {
                        if (ec) return self->Close();
                        self->SendSpool(offset + sent, size);
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
    send_buf_.resize(64u << 10);
    DrainSome();
  }
  void DrainSome() {
    stream_.async_read_some(asio::buffer(send_buf_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
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
  const std::string remote_;
  std::string client_;  // whose share of the background pool this request takes (Admission)
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> string_parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
  Request request_;
  unsigned version_ = 11;
  bool background_ = false;
  int spool_ = -1;  // an upload being received, or a download's unsent part
  bool keep_alive_ = true;
  bool head_only_ = false;  // the request being answered is a HEAD
  bool idle_ = true;
  bool linger_ = false;
  std::vector<char> send_buf_;
  size_t drained_ = 0;
};

}  // namespace

// One io_context per worker thread, as nginx has worker processes: the acceptor hands each
// new connection to the next worker in turn and the connection stays there, so no scheduler
// queue is shared between threads, which keeps the latency tail short on small machines.
// (One acceptor, not SO_REUSEPORT: that would let a second process silently share the port.)
class Server::Impl {
 public:
  Impl(ServerOptions options, std::function<Response(Request&)> handler, Admitter admitter) {
    shared_.options = std::move(options);
    shared_.handler = std::move(handler);
    shared_.admitter = std::move(admitter);
    shared_.background =
        std::make_unique<FairPool>(std::max(1, shared_.options.background_threads),
                                   std::max(1, shared_.options.max_background_per_address));
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
    if (ec)
      return MakeError(ErrorCode::kInvalidArgument,
                       "--bind: not an IP address: " + shared_.options.bind);
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
    shared_.background->Join();
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
      Admit(std::move(socket));
      Accept();
    });
  }

  // Opens a session unless the server, or this client's address, has its fill of connections.
  void Admit(tcp::socket socket) {
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    std::string remote = ec ? std::string() : ep.address().to_string();
    if (shared_.connections.fetch_add(1) >= shared_.options.max_connections) {
      shared_.connections.fetch_sub(1);
      return socket.close(ec);
    }
    {
      std::lock_guard lock(shared_.address_mu);
      const auto& unlimited = shared_.options.unlimited_addresses;
      bool capped = std::find(unlimited.begin(), unlimited.end(), remote) == unlimited.end();
      int& open = shared_.per_address[remote];
      if (capped && open >= shared_.options.max_connections_per_address) {
        shared_.connections.fetch_sub(1);
        return socket.close(ec);
      }
      ++open;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(std::move(socket), std::move(remote), shared_);
    std::lock_guard lock(shared_.sessions_mu);
    if (++accepted_since_sweep_ >= 256) {
      accepted_since_sweep_ = 0;
      std::erase_if(shared_.sessions, [](const auto& weak) { return weak.expired(); });
    }
    shared_.sessions.insert(session);
    session->Start();
  }

  Shared shared_;
  std::vector<std::unique_ptr<asio::io_context>> workers_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::signal_set> signals_;
  size_t next_worker_ = 0;           // acceptor's thread only
  size_t accepted_since_sweep_ = 0;  // guarded by shared_.sessions_mu
};

Server::Server(ServerOptions options, std::function<Response(Request&)> handler, Admitter admitter)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(admitter))) {}
Server::~Server() = default;
Result<uint16_t> Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

Result<Request> ParseRequestForFuzzing(std::string_view bytes) {
  const ServerOptions defaults;
  beast::error_code ec;
  bhttp::request_parser<bhttp::empty_body> head;
  head.header_limit(static_cast<uint32_t>(defaults.max_header_bytes));
  head.body_limit(defaults.max_upload_bytes);
  while (!head.is_header_done()) {
    size_t used = head.put(asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec == bhttp::error::need_more || (!ec && used == 0)) {
      return MakeError(ErrorCode::kInvalidArgument, "incomplete request headers");
    }
    if (ec) return LimitError(ec);
  }
  if (BadFraming(head.get()))
    return MakeError(ErrorCode::kInvalidArgument, "bad Transfer-Encoding");
  GMG_ASSIGN_OR_RETURN(Request req, HeadRequest(head.get(), "fuzz"));
  auto length = head.content_length();
  if (length && *length > defaults.max_body_bytes) return LimitError(bhttp::error::body_limit);
  bhttp::request_parser<bhttp::string_body> body(std::move(head));
  body.body_limit(defaults.max_body_bytes);
  while (!body.is_done()) {
    size_t used = body.put(asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec == bhttp::error::need_more || (!ec && used == 0))
      return MakeError(ErrorCode::kInvalidArgument, "incomplete body");
    if (ec) return LimitError(ec);
  }
  req.body = std::move(body.get().body());
  return req;
}

}  // namespace gmg::http
