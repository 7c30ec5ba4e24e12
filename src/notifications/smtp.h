// E-mail over SMTP (libcurl): the server settings of `gmg serve --smtp-…`, the RFC 5322
// message built from an outbox row, and the transport that hands it to the server.
//
// The message: Date, From, To, Subject (RFC 2047 encoded-words when not plain ASCII),
// Message-ID (stable per outbox row, so a retry after an unknown outcome repeats the same id),
// MIME 1.0, text/plain; charset=UTF-8, base64 body in 76-column lines, CRLF line ends.
// The base64 body has no line starting with a dot, and libcurl escapes "CRLF." and ends the
// DATA itself in any case (tests/e2e/notifications.test.mjs sends a body with "." and ".."
// lines through a real server and reads them back intact).
// STARTTLS: required (refuse a server that does not offer it), optional (use it when offered)
// or off; smtps:// is TLS from the first byte. The server's certificate is verified against
// the system's CAs or `ca_file`.
// Thread-safety: SmtpTransport::Send may be called from several threads (one curl handle per
// call); the rest are pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg {

enum class StartTls { kRequired, kOptional, kOff };
const char* StartTlsName(StartTls mode);
bool ParseStartTls(std::string_view name, StartTls* mode);

struct SmtpConfig {
  std::string url;  // smtp://host:port or smtps://host:port; "" = no server configured
  std::string user;
  std::string password;  // from the environment only (GMG_SMTP_PASSWORD)
  std::string from;      // "hub@example.org" or "GMG Hub <hub@example.org>"
  StartTls starttls = StartTls::kRequired;
  std::string ca_file;  // PEM file of the CAs to trust; "" = the system's
  int64_t connect_timeout_seconds = 10;
  int64_t timeout_seconds = 60;

  bool configured() const { return !url.empty(); }
};

// kInvalidArgument naming the flag: a URL that is not smtp:// or smtps:// with a host, a
// missing or malformed --smtp-from, a password without a user, timeouts outside 1-600 s.
Status CheckSmtpConfig(const SmtpConfig& config);

// One e-mail to send: an outbox row.
struct MailMessage {
  int64_t id = 0;          // outbox id (Message-ID)
  int64_t created_at = 0;  // outbox row's time (Message-ID)
  std::string to;          // address
  std::string subject;     // UTF-8
  std::string body;        // UTF-8 plain text, '\n' line ends
};

// The address inside "Name <addr>", or the whole text.
std::string EnvelopeAddress(std::string_view from);
// RFC 2047: `text` as is when printable ASCII, else "=?UTF-8?B?…?=" words of at most 75
// characters, never splitting a UTF-8 sequence, folded with CRLF SP.
std::string EncodeHeaderText(std::string_view text);
// RFC 5322 "Mon, 30 Nov 2026 17:40:00 +0000".
std::string MailDate(int64_t unix_seconds);
// The whole message, headers and body, CRLF line ends; `sent_at` is the Date.
std::string BuildMailMessage(std::string_view from, const MailMessage& mail, int64_t sent_at);

// How the outbox hands a message over: Ok only once the server accepted it (250 after DATA);
// kUnavailable when no message could pass now (the server is unreachable: the outbox's pass
// stops there), any other error for this message alone (SmtpTransport::Send).
using MailTransport = std::function<Status(const MailMessage& mail)>;

class SmtpTransport {
 public:
  explicit SmtpTransport(SmtpConfig config);
  // Ok once the server accepted the message. Errors carry libcurl's message and the server's
  // last reply code: kFailedPrecondition when the server refused this message (its MAIL FROM,
  // RCPT TO or DATA answered 4xx/5xx other than 421; another message may pass);
  // kInvalidArgument for a recipient that is not an address (nothing sent); kUnavailable for
  // everything that concerns the server itself (refused connection, unknown host, a timeout,
  // TLS or STARTTLS, authentication, a broken greeting or reply): the next message would fare
  // no better. Takes at most `timeout_seconds`.
  Status Send(const MailMessage& mail) const;

 private:
  SmtpConfig config_;
};

}  // namespace gmg
