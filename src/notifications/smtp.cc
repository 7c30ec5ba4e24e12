#include "notifications/smtp.h"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <ctime>
#include <mutex>

#include "core/date.h"

namespace gmg {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(v >> shift) & 0x3F];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kBase64[(v >> 18) & 0x3F];
    out += kBase64[(v >> 12) & 0x3F];
    out += i + 1 < in.size() ? kBase64[(v >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

bool PlainAscii(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return text.find("=?") == std::string_view::npos;
}

// No CR or LF can reach a header (an address or a name from the database).
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

// Body with '\n' (or CRLF) line ends → base64 of its CRLF form, in 76-column lines.
std::string Base64Body(std::string_view body) {
  std::string crlf;
  crlf.reserve(body.size() + body.size() / 40);
  for (char c : body) {
    if (c == '\r') continue;
    if (c == '\n') {
      crlf += "\r\n";
    } else {
      crlf += c;
    }
  }
  std::string encoded = Base64(crlf);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

std::string Domain(std::string_view address) {
  size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string("gmg-hub.invalid")
                                      : std::string(address.substr(at + 1));
}

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool LooksLikeAddress(std::string_view a) {
  size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" \t\r\n<>,") == std::string_view::npos;
}

// The server answered this message's MAIL FROM, RCPT TO or DATA with a refusal (libcurl's
// CURLE_SEND_ERROR with a 4xx/5xx reply), other than 421 (the server is closing the channel):
// the next message may fare better. Anything else (no connection, a timeout, TLS,
// authentication, a greeting or reply that breaks the protocol) concerns the server.
bool RefusedThisMessage(CURLcode code, long reply) {
  return code == CURLE_SEND_ERROR && reply >= 400 && reply <= 599 && reply != 421;
}

}  // namespace

const char* StartTlsName(StartTls mode) {
  switch (mode) {
    case StartTls::kRequired:
      return "required";
    case StartTls::kOptional:
      return "optional";
    case StartTls::kOff:
      return "off";
  }
  return "required";
}

bool ParseStartTls(std::string_view name, StartTls* mode) {
  for (StartTls m : {StartTls::kRequired, StartTls::kOptional, StartTls::kOff}) {
    if (name == StartTlsName(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

Status CheckSmtpConfig(const SmtpConfig& c) {
  if (!c.configured()) return Ok();
  bool tls = c.url.starts_with("smtps://");
  if (!tls && !c.url.starts_with("smtp://")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--smtp-url: must start with smtp:// or smtps:// (e.g. smtp://mail:587)");
  }
  std::string_view rest = std::string_view(c.url).substr(tls ? 8 : 7);
  if (rest.empty() || rest[0] == '/' || rest[0] == ':' ||
      rest.find_first_of(" \t\r\n@") != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--smtp-url: needs a host (e.g. smtp://mail.example.org:587); put the user "
                     "in --smtp-user, not in the URL");
  }
  if (!LooksLikeAddress(EnvelopeAddress(c.from))) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--smtp-from: needs the sender's address, e.g. hub@example.org or "
                     "\"GMG Hub <hub@example.org>\"");
  }
  if (!c.password.empty() && c.user.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--smtp-user: GMG_SMTP_PASSWORD is set but no user to sign in as");
  }
  for (int64_t t : {c.connect_timeout_seconds, c.timeout_seconds}) {
    if (t < 1 || t > 600) {
      return MakeError(ErrorCode::kInvalidArgument, "--smtp-timeout: must be 1-600 seconds");
    }
  }
  return Ok();
}

std::string EnvelopeAddress(std::string_view from) {
  size_t open = from.rfind('<');
  size_t close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
    return std::string(from.substr(open + 1, close - open - 1));
  }
  size_t b = from.find_first_not_of(' ');
  size_t e = from.find_last_not_of(' ');
  return b == std::string_view::npos ? std::string() : std::string(from.substr(b, e - b + 1));
}

std::string EncodeHeaderText(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  constexpr size_t kChunk = 45;  // bytes → 60 base64 characters + 12 = 72 ≤ 75
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + kChunk);
    // Back up to the start of a UTF-8 sequence.
    while (end < text.size() && end > i && (static_cast<uint8_t>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    // Not UTF-8 (a run of continuation bytes): cut anywhere rather than loop for ever.
    if (end == i) end = std::min(text.size(), i + kChunk);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string MailDate(int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string BuildMailMessage(std::string_view from, const MailMessage& mail, int64_t sent_at) {
  std::string from_address = EnvelopeAddress(from);
  std::string from_header;
  size_t open = from.rfind('<');
  if (open != std::string_view::npos && open > 0) {
    std::string name(from.substr(0, open));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    from_header = EncodeHeaderText(OneLine(name)) + " <" + OneLine(from_address) + ">";
  } else {
    from_header = OneLine(from_address);
  }
  std::string m;
  m += "Date: " + MailDate(sent_at) + "\r\n";
  m += "From: " + from_header + "\r\n";
  m += "To: " + OneLine(mail.to) + "\r\n";
  m += "Subject: " + EncodeHeaderText(OneLine(mail.subject)) + "\r\n";
  m += "Message-ID: <gmg-outbox-" + std::to_string(mail.id) + "-" +
       std::to_string(mail.created_at) + "@" + OneLine(Domain(from_address)) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n";
  m += Base64Body(mail.body);
  return m;
}

SmtpTransport::SmtpTransport(SmtpConfig config) : config_(std::move(config)) { InitCurlOnce(); }

Status SmtpTransport::Send(const MailMessage& mail) const {
  if (!config_.configured()) return MakeError(ErrorCode::kUnavailable, "no SMTP server configured");
  if (!LooksLikeAddress(mail.to)) {
    return MakeError(ErrorCode::kInvalidArgument, "not an e-mail address: " + OneLine(mail.to));
  }
  std::string message = BuildMailMessage(config_.from, mail, UnixNow());
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
  char error[CURL_ERROR_SIZE] = {0};
  Upload upload{message, 0};
  std::string mail_from = "<" + EnvelopeAddress(config_.from) + ">";
  std::string rcpt = "<" + mail.to + ">";
  curl_slist* recipients = curl_slist_append(nullptr, rcpt.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   static_cast<long>(config_.connect_timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(config_.timeout_seconds));
  long use_ssl = CURLUSESSL_ALL;
  if (!config_.url.starts_with("smtps://")) {
    use_ssl = config_.starttls == StartTls::kRequired   ? CURLUSESSL_ALL
              : config_.starttls == StartTls::kOptional ? CURLUSESSL_TRY
                                                        : CURLUSESSL_NONE;
  }
  curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
  if (!config_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (!config_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
  }
  CURLcode code = curl_easy_perform(curl);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (code == CURLE_OK) return Ok();
  std::string what = error[0] != 0 ? std::string(error) : std::string(curl_easy_strerror(code));
  if (reply != 0) what += " (server reply " + std::to_string(reply) + ")";
  return MakeError(
      RefusedThisMessage(code, reply) ? ErrorCode::kFailedPrecondition : ErrorCode::kUnavailable,
      "SMTP: " + what);
}

}  // namespace gmg
