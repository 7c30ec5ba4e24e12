#include "research/research_text.h"

#include <algorithm>
#include <set>

#include "core/date.h"

namespace gmg {
namespace {

constexpr size_t kMaxUrlBytes = 2000;
constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMaxQueryBytes = 200;
constexpr int64_t kMaxLimit = 100;

bool IsControl(char ch, bool allow_newlines) {
  auto u = static_cast<unsigned char>(ch);
  if (allow_newlines && (ch == '\n' || ch == '\t' || ch == '\r')) return false;
  return u < 0x20 || u == 0x7f;
}

char Lower(char ch) { return (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch; }

std::string Folded(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

}  // namespace

Error Invalid(std::string field, std::string problem, std::string rule,
              std::vector<std::pair<std::string, std::string>> args) {
  return FieldError(ErrorCode::kFailedPrecondition, std::move(field), std::move(problem),
                    std::move(rule), std::move(args));
}

Status CheckText(const char* field, std::string_view value, size_t max, bool required) {
  if (required && value.empty()) return Invalid(field, "must not be empty", "required");
  if (value.size() > max) {
    return Invalid(field, "must be at most " + std::to_string(max) + " bytes", "too_long",
                   {{"max", std::to_string(max)}});
  }
  if (std::any_of(value.begin(), value.end(), [](char ch) { return IsControl(ch, true); })) {
    return Invalid(field, "holds control characters", "control_characters");
  }
  return Ok();
}

Status CheckWebAddress(const char* field, std::string_view url) {
  if (url.empty()) return Ok();
  if (url.size() > kMaxUrlBytes) {
    return Invalid(field, "must be at most 2000 bytes", "too_long", {{"max", "2000"}});
  }
  size_t scheme_end = url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0;
  bool clean = std::none_of(url.begin(), url.end(), [](char ch) {
    return IsControl(ch, false) || ch == ' ' || ch == '"' || ch == '<' || ch == '>' || ch == '\\';
  });
  std::string_view host = url.substr(scheme_end);
  host = host.substr(0, host.find_first_of("/?#"));
  if (scheme_end == 0 || !clean || host.empty() || host.front() == ':' ||
      host.find('@') != std::string_view::npos) {
    return Invalid(field, "must be an http:// or https:// address with a host", "invalid_url",
                   {{"value", std::string(url)}});
  }
  return Ok();
}

Status CheckEmailAddress(const char* field, std::string_view e) {
  size_t at = e.find('@');
  bool ok =
      at != std::string_view::npos && at > 0 && at + 1 < e.size() &&
      e.find('@', at + 1) == std::string_view::npos && e.size() <= kMaxEmailBytes &&
      std::none_of(e.begin(), e.end(), [](char ch) { return ch == ' ' || IsControl(ch, false); });
  if (!ok) return Invalid(field, "is not an e-mail address", "invalid_email");
  return Ok();
}

Status CheckList(const char* field, const std::vector<std::string>& items, size_t max_items,
                 size_t max_bytes) {
  if (items.size() > max_items) {
    return Invalid(field, "may hold at most " + std::to_string(max_items) + " items", "too_many",
                   {{"max", std::to_string(max_items)}});
  }
  for (const std::string& item : items) {
    if (item.empty()) return Invalid(field, "holds an empty item", "required");
    if (item.size() > max_bytes) {
      return Invalid(field, "items must be at most " + std::to_string(max_bytes) + " bytes",
                     "too_long", {{"max", std::to_string(max_bytes)}});
    }
    if (std::any_of(item.begin(), item.end(), [](char ch) { return IsControl(ch, false); })) {
      return Invalid(field, "holds control characters", "control_characters");
    }
  }
  return CheckNoDuplicates(field, items);
}

Status CheckNoDuplicates(const char* field, const std::vector<std::string>& items) {
  std::set<std::string_view> seen;
  for (const std::string& item : items) {
    if (!seen.insert(item).second) {
      return Invalid(field, "names \"" + item + "\" twice", "duplicate_value", {{"value", item}});
    }
  }
  return Ok();
}

Status CheckPeriod(const std::string& started_on, const std::optional<std::string>& ended_on) {
  auto start = Date::Parse(started_on);
  if (!start)
    return Invalid("started_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  if (!ended_on) return Ok();
  auto end = Date::Parse(*ended_on);
  if (!end) return Invalid("ended_on", "must be a real date written YYYY-MM-DD", "invalid_date");
  if (*end < *start) {
    return Invalid("ended_on", "must not be before started_on", "before_start",
                   {{"start", started_on}});
  }
  return Ok();
}

std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

Result<std::string> CheckSearch(std::string_view query, int64_t limit) {
  while (!query.empty() && (query.front() == ' ' || query.front() == '\t')) query.remove_prefix(1);
  while (!query.empty() && (query.back() == ' ' || query.back() == '\t')) query.remove_suffix(1);
  if (query.empty() || query.size() > kMaxQueryBytes) {
    return FieldError(ErrorCode::kInvalidArgument, "q", "must be 1 to 200 bytes", "out_of_range",
                      {{"min", "1"}, {"max", "200"}});
  }
  if (limit < 1 || limit > kMaxLimit) {
    return FieldError(ErrorCode::kInvalidArgument, "limit", "must be from 1 to 100", "out_of_range",
                      {{"min", "1"}, {"max", "100"}});
  }
  return Folded(query);
}

std::string LikePattern(std::string_view needle) {
  std::string out = "%";
  for (char ch : needle) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '%';
  return out;
}

bool ContainsFolded(std::string_view text, std::string_view needle) {
  return Folded(text).find(needle) != std::string::npos;
}

std::string Truncate(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

}  // namespace gmg
