#include "http/checked_text.h"

#include "core/text.h"

namespace gmg::http {

CodePoint DecodeUtf8(std::string_view text) {
  if (text.empty()) return {};
  auto lead = static_cast<unsigned char>(text[0]);
  if (lead < 0x80) return {lead, 1};
  size_t more = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc2 ? 1 : 0;
  if (more == 0 || lead > 0xf4 || more >= text.size()) return {};
  char32_t cp = lead & (0x3f >> more);
  for (size_t k = 1; k <= more; ++k) {
    auto next = static_cast<unsigned char>(text[k]);
    if ((next & 0xc0) != 0x80) return {};
    cp = (cp << 6) | (next & 0x3f);
  }
  bool overlong = (more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000);
  if (overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {};
  return {cp, more + 1};
}

bool IsControlCharacter(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

bool IsFormatCharacter(char32_t c) {
  struct Range {
    char32_t first, last;
  };
  // Unicode 15 general category Cf, and Zl/Zp.
  static constexpr Range kFormat[] = {
      {0x00ad, 0x00ad},   {0x0600, 0x0605},   {0x061c, 0x061c},   {0x06dd, 0x06dd},
      {0x070f, 0x070f},   {0x0890, 0x0891},   {0x08e2, 0x08e2},   {0x180e, 0x180e},
      {0x200b, 0x200f},   {0x2028, 0x202e},   {0x2060, 0x2064},   {0x2066, 0x206f},
      {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd},
      {0x13430, 0x1343f}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001},
      {0xe0020, 0xe007f},
  };
  for (const Range& r : kFormat) {
    if (c >= r.first && c <= r.last) return true;
  }
  return false;
}

Result<std::string> CheckedText(std::string_view field, std::optional<std::string_view> value,
                                size_t max_bytes, bool required) {
  std::string_view text = Trim(value.value_or(""));
  if (text.empty()) {
    if (!required) return std::string();
    return FieldError(ErrorCode::kInvalidArgument, std::string(field), "required", "required");
  }
  // The bound first: nothing longer is read.
  if (text.size() > max_bytes) {
    return FieldError(ErrorCode::kFailedPrecondition, std::string(field),
                      "must be at most " + std::to_string(max_bytes) + " bytes", "too_long",
                      {{"max", std::to_string(max_bytes)}});
  }
  for (size_t i = 0; i < text.size();) {
    CodePoint cp = DecodeUtf8(text.substr(i));
    if (cp.length == 0) {
      return FieldError(ErrorCode::kFailedPrecondition, std::string(field), "must be text in UTF-8",
                        "not_utf8");
    }
    if (IsControlCharacter(cp.value)) {
      return FieldError(ErrorCode::kFailedPrecondition, std::string(field),
                        "must not contain control characters", "control_characters");
    }
    i += cp.length;
  }
  return std::string(text);
}

}  // namespace gmg::http
