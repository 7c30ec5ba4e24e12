// Server: the HTTP/1.1 listener (Boost.Beast). The only translation unit that includes Beast.
//
// It owns sockets, limits and shutdown; every request is handed, as a plain http::Request, to
// one Handler and its http::Response written back. Limits: header and body size (413),
// a deadline per request (slow clients are cut off), a cap on open connections.
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
  size_t max_body_bytes = 1u << 20;
  // Larger limits for uploads: (path prefix, bytes).
  std::vector<std::pair<std::string, size_t>> large_body_paths;
  // Requests whose target starts with one of these (imports: seconds of work) are handled on
  // the background pool, as streamed downloads are sent, so they never hold a worker.
  std::vector<std::string> background_paths;
  size_t max_header_bytes = 16u << 10;
  int request_timeout_seconds = 30;
  int max_connections = 2000;
  bool access_log = false;
};

class Server {
 public:
  Server(ServerOptions options, std::function<Response(Request&)> handler);
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

}  // namespace gmg::http
