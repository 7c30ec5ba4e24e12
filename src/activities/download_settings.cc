#include "activities/download_settings.h"

namespace gmg {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

Error Invalid(std::string_view flag, std::string_view problem) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(flag) + ": " + std::string(problem));
}

Result<std::string> CheckPublicUrl(std::string_view url) {
  constexpr std::string_view kFlag = "--public-url (GMG_PUBLIC_URL)";
  if (url.size() > kMaxPublicUrlLength) {
    return Invalid(kFlag, "longer than " + std::to_string(kMaxPublicUrlLength) + " characters");
  }
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) {
      return Invalid(kFlag,
                     "has a space, a control or a non-ASCII character (write the host "
                     "name in its ASCII form)");
    }
  }
  size_t after_scheme = 0;
  if (url.rfind("https://", 0) == 0) {
    after_scheme = 8;
  } else if (url.rfind("http://", 0) == 0) {
    after_scheme = 7;
  } else {
    return Invalid(kFlag, "must start with https:// or http:// (e.g. https://hub.example.org)");
  }
  if (url.find_first_of("?#") != std::string_view::npos) {
    return Invalid(kFlag, "must not have a query (?) or fragment (#)");
  }
  std::string_view rest = url.substr(after_scheme);
  std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty() || host.front() == ':' || host.front() == '.') {
    return Invalid(kFlag, "has no host name after the scheme");
  }
  if (host.find('@') != std::string_view::npos) {
    return Invalid(kFlag, "must not carry a user name or password");
  }
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

Result<std::string> CheckLicence(std::string_view licence) {
  constexpr std::string_view kFlag = "--data-licence (GMG_DATA_LICENCE)";
  licence = TrimSpaces(licence);
  if (licence.size() < kMinDataLicenceLength) {
    return Invalid(kFlag, "shorter than " + std::to_string(kMinDataLicenceLength) +
                              " characters (name the licence, e.g. \"CC BY 4.0 "
                              "https://creativecommons.org/licenses/by/4.0/\")");
  }
  if (licence.size() > kMaxDataLicenceLength) {
    return Invalid(kFlag, "longer than " + std::to_string(kMaxDataLicenceLength) + " characters");
  }
  for (char c : licence) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F) {
      return Invalid(kFlag,
                     "one line of printable ASCII only (it is also sent as the "
                     "X-Data-Licence header): no line break, tab or accented letter");
    }
  }
  return std::string(licence);
}

}  // namespace

Result<DownloadSettings> MakeDownloadSettings(std::string_view public_url,
                                              std::string_view data_licence) {
  DownloadSettings settings;
  if (!public_url.empty()) {
    GMG_ASSIGN_OR_RETURN(settings.public_url, CheckPublicUrl(public_url));
  }
  if (!data_licence.empty()) {
    GMG_ASSIGN_OR_RETURN(settings.data_licence, CheckLicence(data_licence));
    settings.licence_configured = true;
  }
  return settings;
}

}  // namespace gmg
