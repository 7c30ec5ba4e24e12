// DownloadSettings: what an administrator states about the hub's downloads (CSV, Excel, IATI
// XML): the public address the hub is reached at (so files carry absolute links to activity
// pages) and the licence the data is published under. Both come from the command line of
// `gmg serve` (--public-url / GMG_PUBLIC_URL, --data-licence / GMG_DATA_LICENCE) and are
// checked once at start-up; see docs/guide/administrators.md "Downloads: public address and
// licence" for why they are start-up settings rather than a setting stored in the database.
// Thread-safety: a plain value, read-only once the server runs.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace gmg {

// What downloads say when no licence is configured: the honest "none stated".
inline constexpr std::string_view kNoLicenceStated =
    "No licence stated by the GMG Hub; ask the GMG secretariat before republishing. "
    "Cite as: GMG Hub - Global Migration Group.";

// Bounds of the two settings (bytes).
inline constexpr size_t kMaxPublicUrlLength = 200;
inline constexpr size_t kMinDataLicenceLength = 3;
inline constexpr size_t kMaxDataLicenceLength = 300;

struct DownloadSettings {
  // "https://hub.example.org" (no trailing slash), or "" when not set: links stay relative.
  std::string public_url;
  // The licence text, printable ASCII (it is also an HTTP header): kNoLicenceStated if unset.
  std::string data_licence{kNoLicenceStated};
  bool licence_configured = false;

  // "/activities/7" under the public address ("https://hub.example.org/activities/7"), or as
  // given when no public address is set.
  std::string Link(std::string_view path) const { return public_url + std::string(path); }
};

// Checks and normalises the two settings as given on the command line ("" = not given).
// Success: the settings, the URL without its trailing slashes. kInvalidArgument: the message
// names the flag ("--public-url: …", "--data-licence: …") and says what is wrong:
//   public URL: not http:// or https://, no host, a query, fragment, user name or whitespace
//   in it, or longer than kMaxPublicUrlLength;
//   licence: shorter than kMinDataLicenceLength or longer than kMaxDataLicenceLength (after
//   trimming spaces), or a character outside printable ASCII (a line break, a tab, é).
Result<DownloadSettings> MakeDownloadSettings(std::string_view public_url,
                                              std::string_view data_licence);

}  // namespace gmg
