// Plain loopback sockets for the tests that speak to the real listener (server_test.cc,
// server_limits_test.cc): what a client sends, byte for byte, and what comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace gmg::http::socket_test {

// A socket connected to 127.0.0.1:port that gives up reading after 5 s of silence, or -1.
inline int Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

inline bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads until the peer closes (or 5 s pass without data), or `until` is seen.
inline std::string ReadAll(int fd, const std::string& until = "") {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (!until.empty() && out.find(until) != std::string::npos) break;
  }
  return out;
}

// Sends `raw` on a new connection and reads the answer (as ReadAll).
inline std::string Exchange(uint16_t port, const std::string& raw, const std::string& until = "") {
  int fd = Connect(port);
  if (fd < 0) return "connect failed";
  SendAll(fd, raw);
  std::string out = ReadAll(fd, until);
  ::close(fd);
  return out;
}

}  // namespace gmg::http::socket_test
