// The words of a notification: subject and plain-text body rendered from its kind and
// parameters (notifications/notification.h) in the reader's language — English, French,
// Spanish or Arabic; any other language (or none chosen) reads English. The same text is the
// in-app title and body and the e-mail's subject and body; the e-mail adds a greeting, the
// link and a footer naming where preferences are changed. Parameters are plain text (never
// HTML); a missing one renders empty. Instants written "2026-12-10T16:00:00Z" read
// "2026-12-10 16:00 UTC".
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "notifications/notification.h"

namespace gmg {

// The languages messages are written in.
inline constexpr std::string_view kMessageLanguages[] = {"en", "fr", "es", "ar"};

// `user_language` if messages are written in it, else "en".
std::string_view MessageLanguage(std::string_view user_language);

struct RenderedText {
  std::string subject;
  std::string body;
};

RenderedText RenderNotification(NotificationKind kind,
                                const std::map<std::string, std::string>& params,
                                std::string_view language);

// `path` ("/positions/12") under the public address ("https://hub.example.org"), or the path
// itself when no public address is set.
std::string AbsoluteLink(std::string_view public_url, std::string_view path);

// Where a user changes what they receive (the web app's page).
inline constexpr std::string_view kPreferencesPath = "/notifications/preferences";

// The e-mail for one notification: greeting `name`, the text, `link` (absolute if the public
// address is set) and the footer with `preferences_link`.
RenderedText RenderEmail(const RenderedText& text, std::string_view name, std::string_view link,
                         std::string_view preferences_link, std::string_view language);

// One line of a daily digest: a rendered notification and its link.
struct DigestItem {
  RenderedText text;
  std::string link;
};

// The daily digest e-mail: subject with the count, each item's subject, body and link.
RenderedText RenderDigest(const std::vector<DigestItem>& items, std::string_view name,
                          std::string_view preferences_link, std::string_view language);

}  // namespace gmg
