// Server: the HTTP/1.1 listener (Boost.Beast). The only translation unit that includes Beast.
//
// It owns sockets, limits and shutdown; every request is handed, as a plain http::Request, to
// one Handler and its http::Response written back. Limits: header size; body size, decided per
// request from its headers by the Admitter before any of the body is read (a large upload only
// after its sender is authenticated; it is kept in a temporary file, not in memory); a deadline
// per request (slow clients are cut off); open connections in all and per client address;
// background tasks per address (FairPool). A Transfer-Encoding other than exactly "chunked" is
// refused with 400 and the connection closed (RFC 9112 6.3: no request smuggling).
// Streamed bodies (exports) are produced on the background pool and sent without a thread
// waiting on the client: what a slow client has not taken yet goes to a temporary file that
// the connection's worker sends as the client reads.
// Stop() (or SIGTERM/SIGINT inside Run) stops accepting, lets requests in flight finish and
// be written, closes idle keep-alive connections, then returns from Run().
// Thread-safety: Run() on one thread (it runs `threads` workers); Stop() from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace gmg::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0: pick a free one
  int threads = 0;       // 0: one per core
  // The body limit of a request the Admitter gives no other limit.
  size_t max_body_bytes = 1u << 20;
  // No body, whatever the Admitter says, is larger than this.
  size_t max_upload_bytes = 1u << 30;  // a statistics upload (1 GiB); each route sets its own
  // Bodies larger than this (allowed by the Admitter) are kept in a temporary file.
  size_t spool_body_bytes = 1u << 20;
  size_t max_header_bytes = 16u << 10;
  int request_timeout_seconds = 30;
  int max_connections = 2000;
  int max_connections_per_address = 256;
  // Peers without that cap: trusted reverse proxies, which carry many clients' connections.
  std::vector<std::string> unlimited_addresses;
  // Background threads, and the tasks (imports, downloads) one address may have queued or running.
  int background_threads = 4;
  int max_background_per_address = 8;
  bool access_log = false;
};

// Decides, from a request's method, target and headers, what the server may do with it (see
// Admission). May fill request.principal. Called on a worker thread.
using Admitter = std::function<Admission(Request&)>;

class Server {
 public:
  // Without an admitter every request has the default body limit and is handled on its worker.
  Server(ServerOptions options, std::function<Response(Request&)> handler, Admitter admitter = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port. kFailedPrecondition when the address is taken.
  Result<uint16_t> Listen();
  // Serves until Stop() or a termination signal; returns after a graceful drain.
  void Run();
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses `bytes` as one HTTP/1.1 request the way a connection does (same parser, limits with
// the default body limit, Transfer-Encoding check and decoding), for the fuzzer. An error names
// what is wrong; an incomplete request is kInvalidArgument.
Result<Request> ParseRequestForFuzzing(std::string_view bytes);

}  // namespace gmg::http
