#include "interop/iati.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "core/text.h"

namespace gmg::iati {
namespace {

// ---------------------------------------------------------------------------------------------
// Small text helpers shared by the reader and the writer.

int ToInt(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// An xsd:decimal-like number ("3000", "+12.5", "1e3" too); false unless all of `s` is a
// finite number.
bool ParseNumber(std::string_view s, double* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*out);
}

// YYYY-MM-DD naming a real calendar day (xsd:date without a time zone).
bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!IsAsciiDigits(s.substr(0, 4)) || !IsAsciiDigits(s.substr(5, 2)) ||
      !IsAsciiDigits(s.substr(8, 2))) {
    return false;
  }
  std::chrono::year_month_day ymd{std::chrono::year{ToInt(s.substr(0, 4))},
                                  std::chrono::month{static_cast<unsigned>(ToInt(s.substr(5, 2)))},
                                  std::chrono::day{static_cast<unsigned>(ToInt(s.substr(8, 2)))}};
  return ymd.ok();
}

// xsd:dateTime: YYYY-MM-DDThh:mm:ss[.f+][Z|(+|-)hh:mm].
bool IsXsdDateTime(std::string_view s) {
  if (s.size() < 19 || !IsIsoDate(s.substr(0, 10)) || s[10] != 'T') return false;
  std::string_view t = s.substr(11);
  if (t[2] != ':' || t[5] != ':' || !IsAsciiDigits(t.substr(0, 2)) ||
      !IsAsciiDigits(t.substr(3, 2)) || !IsAsciiDigits(t.substr(6, 2))) {
    return false;
  }
  int h = ToInt(t.substr(0, 2)), m = ToInt(t.substr(3, 2)), sec = ToInt(t.substr(6, 2));
  bool midnight24 = h == 24 && m == 0 && sec == 0;
  if ((h > 23 && !midnight24) || m > 59 || sec > 59) return false;
  t.remove_prefix(8);
  if (!t.empty() && t[0] == '.') {
    size_t n = 1;
    while (n < t.size() && t[n] >= '0' && t[n] <= '9') ++n;
    if (n == 1) return false;
    t.remove_prefix(n);
  }
  if (t.empty() || t == "Z") return true;
  if (t.size() != 6 || (t[0] != '+' && t[0] != '-') || t[3] != ':' ||
      !IsAsciiDigits(t.substr(1, 2)) || !IsAsciiDigits(t.substr(4, 2))) {
    return false;
  }
  return ToInt(t.substr(1, 2)) <= 14 && ToInt(t.substr(4, 2)) <= 59;
}

// xsd:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*.
bool IsLanguageTag(std::string_view s) {
  size_t part = 0, len = 0;
  for (char c : s) {
    if (c == '-') {
      if (len == 0) return false;
      ++part;
      len = 0;
      continue;
    }
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && part > 0)) || ++len > 8) return false;
  }
  return len > 0;
}

// ---------------------------------------------------------------------------------------------
// Reader.

// The children of iati-activity in the order iati-activities-schema.xsd 2.03 fixes.
// clang-format off
constexpr std::array<std::string_view, 34> kActivityChildren = {
    "iati-identifier", "reporting-org", "title", "description", "participating-org",
    "other-identifier", "activity-status", "activity-date", "contact-info", "activity-scope",
    "recipient-country", "recipient-region", "location", "sector", "tag",
    "country-budget-items", "humanitarian-scope", "policy-marker", "collaboration-type",
    "default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status",
    "budget", "planned-disbursement", "capital-spend", "transaction", "document-link",
    "related-activity", "legacy-data", "conditions", "result", "crs-add", "fss"};
// clang-format on

int SchemaPosition(std::string_view name) {
  auto it = std::find(kActivityChildren.begin(), kActivityChildren.end(), name);
  return it == kActivityChildren.end() ? -1 : static_cast<int>(it - kActivityChildren.begin());
}

// Children the schema allows at most once.
bool AtMostOnce(std::string_view name) {
  return name == "iati-identifier" || name == "reporting-org" || name == "title" ||
         name == "activity-status" || name == "activity-scope" || name == "country-budget-items" ||
         name == "collaboration-type" || name == "default-flow-type" ||
         name == "default-finance-type" || name == "default-tied-status" ||
         name == "capital-spend" || name == "conditions" || name == "crs-add" || name == "fss";
}

// Turns byte offsets into 1-based line and column (columns count UTF-8 characters).
class LineTable {
 public:
  // One count per block, not one offset per line: a file of newlines alone costs 4 bytes per
  // KiB here, not 8 bytes per byte.
  static constexpr size_t kBlock = 1024;

  explicit LineTable(std::string_view text) : text_(text) {
    lines_before_.reserve(text.size() / kBlock + 1);
    uint32_t lines = 0;
    for (size_t at = 0; at < text.size(); at += kBlock) {
      lines_before_.push_back(lines);
      std::string_view block = text.substr(at, kBlock);
      lines += static_cast<uint32_t>(std::count(block.begin(), block.end(), '\n'));
    }
  }

  // 1-based line of `offset` (offsets past the end count as the end).
  [[nodiscard]] int Line(size_t offset) const {
    offset = std::min(offset, text_.size());
    size_t block = offset / kBlock;
    if (block >= lines_before_.size()) {  // the end of a text whose size is a multiple of kBlock
      if (lines_before_.empty()) return 1;
      block = lines_before_.size() - 1;
    }
    std::string_view head = text_.substr(block * kBlock, offset - block * kBlock);
    return static_cast<int>(lines_before_[block] + std::count(head.begin(), head.end(), '\n')) + 1;
  }

  [[nodiscard]] int Column(size_t offset) const {
    offset = std::min(offset, text_.size());
    size_t nl = offset == 0 ? std::string_view::npos : text_.rfind('\n', offset - 1);
    size_t start = nl == std::string_view::npos ? 0 : nl + 1;
    int column = 1;
    for (size_t i = start; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return column;
  }

 private:
  std::string_view text_;
  std::vector<uint32_t> lines_before_;  // newlines before each block
};

// The UTF-8 sequence at p (before end): its length, with the code point in *cp; 0 when the
// bytes there are not well-formed UTF-8 (bad lead or continuation byte, overlong, past U+10FFFF).
size_t DecodeUtf8(const unsigned char* p, const unsigned char* end, uint32_t* cp) {
  unsigned char c = *p;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (c > 0xF4 || len == 0 || static_cast<size_t>(end - p) < len) return 0;
  uint32_t v = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (p[i] & 0x3F);
  }
  bool overlong = (len == 3 && v < 0x800) || (len == 4 && v < 0x10000);
  if (overlong || v > 0x10FFFF) return 0;
  *cp = v;
  return len;
}

// Whether XML 1.0 allows the character (C0 controls but TAB, LF and CR, surrogates, U+FFFE and
// U+FFFF are forbidden, even as character references).
bool XmlAllows(uint32_t cp) {
  if (cp < 0x20) return cp == 0x09 || cp == 0x0A || cp == 0x0D;
  return !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
}

// Well-formed UTF-8 of characters XML 1.0 allows: what can be written out and read back as is.
bool IsXmlText(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(p, end, &cp);
    if (len == 0 || !XmlAllows(cp)) return false;
    p += len;
  }
  return true;
}

using Args = std::vector<std::pair<std::string, std::string>>;

// kInvalidArgument naming the line, column and element in its message, with one detail whose
// field is the element and whose `rule` a client translates (args: line, column, and `args`).
Error PositionedError(const LineTable& lines, size_t offset, std::string_view what,
                      std::string_view element, const char* rule, Args args = {}) {
  std::string line = std::to_string(lines.Line(offset));
  std::string column = std::to_string(lines.Column(offset));
  std::string message = "line " + line + ", column " + column + ": " + std::string(what);
  if (!element.empty()) message += " (element " + std::string(element) + ")";
  args.insert(args.begin(), {{"line", line}, {"column", column}});
  Error e = MakeError(ErrorCode::kInvalidArgument, message);
  e.details.emplace_back(std::string(element), std::string(what), rule, std::move(args));
  return e;
}

// Finds "<!DOCTYPE" (any case) anywhere in the input; returns its offset or npos.
size_t FindDoctype(std::string_view xml) {
  static constexpr std::string_view kDoctype = "<!doctype";
  size_t pos = 0;
  while (true) {
    pos = xml.find("<!", pos);
    if (pos == std::string_view::npos || xml.size() - pos < kDoctype.size()) {
      return std::string_view::npos;
    }
    bool match = true;
    for (size_t i = 2; i < kDoctype.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(xml[pos + i])) != kDoctype[i]) {
        match = false;
        break;
      }
    }
    if (match) return pos;
    pos += 2;
  }
}

// The encoding named by an XML declaration at the start of `xml`, lower-cased; "" if none.
std::string DeclaredEncoding(std::string_view xml) {
  if (xml.substr(0, 5) != "<?xml") return "";
  std::string_view decl = xml.substr(0, xml.find("?>"));
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return "";
  size_t quote = decl.find_first_of("\"'", at);
  if (quote == std::string_view::npos) return "";
  size_t end = decl.find(decl[quote], quote + 1);
  if (end == std::string_view::npos) return "";
  std::string encoding(decl.substr(quote + 1, end - quote - 1));
  for (char& c : encoding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return encoding;
}

// The name of the element whose start tag is nearest before `offset`, for error messages.
std::string ElementBefore(std::string_view xml, size_t offset) {
  offset = std::min(offset, xml.size());
  while (offset > 0) {
    size_t lt = xml.rfind('<', offset - 1);
    if (lt == std::string_view::npos) return "";
    size_t begin = lt + 1;
    if (begin < xml.size() && xml[begin] == '/') ++begin;
    size_t end = begin;
    while (end < xml.size() && end - begin < 100) {
      auto c = static_cast<unsigned char>(xml[end]);
      if (!(std::isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.' || c >= 0x80)) break;
      ++end;
    }
    if (end > begin) return std::string(xml.substr(begin, end - begin));
    offset = lt;
  }
  return "";
}

class ActivityReader {
 public:
  // Keeps the first `max_warnings` warnings in `warnings`, counts all in `*warnings_total`.
  ActivityReader(const LineTable& lines, std::vector<Warning>* warnings, int64_t* warnings_total,
                 size_t max_warnings)
      : lines_(lines),
        warnings_(warnings),
        warnings_total_(warnings_total),
        max_warnings_(max_warnings) {}

  // Where the piece of the input that nodes are parsed from begins (each element is parsed
  // on its own; offset_debug() counts from the start of its piece).
  void SetBase(size_t base) { base_ = base; }

  [[nodiscard]] int LineOf(const pugi::xml_node& node) const {
    ptrdiff_t offset = node.offset_debug();
    return offset < 0 ? 0 : lines_.Line(base_ + static_cast<size_t>(offset));
  }
  [[nodiscard]] size_t OffsetOf(const pugi::xml_node& node) const {
    ptrdiff_t offset = node.offset_debug();
    // offset_debug points at the name; step back to the '<'.
    return base_ + (offset <= 0 ? 0 : static_cast<size_t>(offset - 1));
  }

  // `rule` and `args`: the warning's stable code and values (Warning); docs/api.md lists them.
  void Warn(const pugi::xml_node& node, std::string message, const char* rule, Args args = {}) {
    ++*warnings_total_;
    if (warnings_->size() < max_warnings_) {
      warnings_->push_back(
          Warning{LineOf(node), node.name(), std::move(message), rule, std::move(args)});
    }
  }

  Result<Activity> Read(const pugi::xml_node& node) {
    Activity a;
    a.line = LineOf(node);
    a.lang = std::string(Trim(node.attribute("xml:lang").value()));
    a.default_currency = std::string(Trim(node.attribute("default-currency").value()));
    a.last_updated = std::string(Trim(node.attribute("last-updated-datetime").value()));
    a.humanitarian = std::string(Trim(node.attribute("humanitarian").value()));
    if (!a.last_updated.empty() && !IsXsdDateTime(a.last_updated)) {
      Warn(node, "last-updated-datetime \"" + a.last_updated + "\" is not an xsd:dateTime",
           "not_a_datetime", {{"attribute", "last-updated-datetime"}, {"value", a.last_updated}});
    }
    if (!a.humanitarian.empty() && a.humanitarian != "0" && a.humanitarian != "1" &&
        a.humanitarian != "true" && a.humanitarian != "false") {
      Warn(node, "humanitarian \"" + a.humanitarian + "\" is not a boolean", "not_a_boolean",
           {{"attribute", "humanitarian"}, {"value", a.humanitarian}});
    }

    int last_position = -1;
    std::string_view last_name;
    std::array<int, kActivityChildren.size()> seen{};
    bool have_identifier = false, have_reporting_org = false, have_title = false;
    bool have_status = false, have_description = false, description_is_general = false;

    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      std::string_view name = child.name();
      if (name.find(':') != std::string_view::npos) continue;  // a namespaced extension
      int position = SchemaPosition(name);
      if (position < 0) {
        Warn(child, "unknown element in iati-activity: ignored", "unknown_element");
        continue;
      }
      if (position < last_position) {
        Warn(child,
             std::string(name) + " after " + std::string(last_name) + " is out of schema order",
             "out_of_order", {{"after", std::string(last_name)}});
      } else {
        last_position = position;
        last_name = name;
      }
      if (seen[static_cast<size_t>(position)]++ == 1 && AtMostOnce(name)) {
        Warn(child, "repeated " + std::string(name) + ": the schema allows one; first kept",
             "repeated_element");
      }

      if (name == "iati-identifier") {
        if (!have_identifier) a.iati_identifier = std::string(Trim(TextOf(child)));
        // The key a re-import finds the activity by: it must survive being written out.
        if (!have_identifier && !IsXmlText(a.iati_identifier)) {
          return PositionedError(
              lines_, OffsetOf(child),
              "the iati-identifier holds bytes that are not UTF-8 or characters XML 1.0 forbids",
              "iati-identifier", "identifier_not_text");
        }
        have_identifier = true;
      } else if (name == "reporting-org") {
        if (!have_reporting_org) a.reporting_org = ReadOrg(child);
        have_reporting_org = true;
      } else if (name == "title") {
        if (!have_title) a.titles = ReadNarratives(child);
        have_title = true;
      } else if (name == "description") {
        std::string_view type = Trim(child.attribute("type").value());
        bool general = type.empty() || type == "1";
        if (!have_description || (general && !description_is_general)) {
          a.descriptions = ReadNarratives(child);
          have_description = true;
          description_is_general = general;
        }
      } else if (name == "participating-org") {
        a.participating_orgs.push_back(ReadOrg(child));
        if (a.participating_orgs.back().role.empty()) {
          Warn(child, "participating-org without role", "missing_attribute",
               {{"attribute", "role"}});
        }
      } else if (name == "activity-status") {
        if (!have_status) {
          a.activity_status = std::string(Trim(child.attribute("code").value()));
          const std::string& c = a.activity_status;
          if (c.size() != 1 || c[0] < '1' || c[0] > '6') {
            Warn(child, "unknown activity-status code \"" + c + "\" (ActivityStatus is 1..6)",
                 "unknown_code", {{"value", c}, {"codelist", "ActivityStatus"}});
          }
        }
        have_status = true;
      } else if (name == "activity-date") {
        ReadActivityDate(child, &a);
      } else if (name == "contact-info") {
        if (a.contact_email.empty()) {
          a.contact_email = std::string(Trim(TextOf(child.child("email"))));
        }
      } else if (name == "recipient-country") {
        a.recipient_countries.push_back(ReadCoded(child));
      } else if (name == "recipient-region") {
        a.recipient_regions.push_back(ReadCoded(child));
      } else if (name == "sector") {
        a.sectors.push_back(ReadCoded(child));
      } else if (name == "tag") {
        a.tags.push_back(ReadCoded(child));
        if (a.tags.back().vocabulary.empty()) {
          Warn(child, "tag without vocabulary", "missing_attribute", {{"attribute", "vocabulary"}});
        }
      } else if (name == "budget") {
        ReadBudget(child, &a);
      } else if (name == "transaction") {
        ReadTransaction(child, &a);
      } else if (name == "document-link") {
        Link link;
        link.url = std::string(Trim(child.attribute("url").value()));
        link.titles = ReadNarratives(child.child("title"));
        if (link.url.empty()) {
          Warn(child, "document-link without url: skipped", "link_without_url");
        } else {
          a.links.push_back(std::move(link));
        }
      }
    }

    if (a.iati_identifier.empty()) {
      return PositionedError(lines_, OffsetOf(node),
                             have_identifier ? "activity with an empty iati-identifier"
                                             : "activity without iati-identifier",
                             "iati-activity", "no_identifier");
    }
    if (!have_reporting_org)
      Warn(node, "activity without reporting-org", "missing_element",
           {{"element", "reporting-org"}});
    if (!have_title)
      Warn(node, "activity without title", "missing_element", {{"element", "title"}});
    if (!have_description)
      Warn(node, "activity without description", "missing_element", {{"element", "description"}});
    if (a.participating_orgs.empty())
      Warn(node, "activity without participating-org", "missing_element",
           {{"element", "participating-org"}});
    if (!have_status)
      Warn(node, "activity without activity-status", "missing_element",
           {{"element", "activity-status"}});
    if (seen[static_cast<size_t>(SchemaPosition("activity-date"))] == 0) {
      Warn(node, "activity without activity-date", "missing_element",
           {{"element", "activity-date"}});
    }
    return a;
  }

 private:
  // All character data directly inside `node` (pcdata and CDATA), untrimmed.
  static std::string TextOf(const pugi::xml_node& node) {
    std::string text;
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) text += c.value();
    }
    return text;
  }

  std::vector<Narrative> ReadNarratives(const pugi::xml_node& node) {
    std::vector<Narrative> out;
    if (!node) return out;
    for (pugi::xml_node n = node.child("narrative"); n; n = n.next_sibling("narrative")) {
      out.push_back(Narrative{std::string(Trim(n.attribute("xml:lang").value())),
                              std::string(Trim(TextOf(n)))});
    }
    if (out.empty()) {
      // IATI 1.x put the text straight into the element; 2.x wants narratives. Keep it.
      std::string text(Trim(TextOf(node)));
      if (!text.empty()) {
        Warn(node, "text outside narrative (IATI 1.x style): kept", "text_outside_narrative");
        out.push_back(
            Narrative{std::string(Trim(node.attribute("xml:lang").value())), std::move(text)});
      }
    }
    return out;
  }

  OrgRef ReadOrg(const pugi::xml_node& node) {
    OrgRef org;
    org.ref = std::string(Trim(node.attribute("ref").value()));
    org.type = std::string(Trim(node.attribute("type").value()));
    org.role = std::string(Trim(node.attribute("role").value()));
    org.names = ReadNarratives(node);
    return org;
  }

  double ReadPercentage(const pugi::xml_node& node) {
    pugi::xml_attribute attr = node.attribute("percentage");
    if (!attr) return -1;
    std::string_view text = Trim(attr.value());
    double v = -1;
    if (!ParseNumber(text, &v) || v < 0 || v > 100) {
      Warn(node, "percentage \"" + std::string(text) + "\" is not a number from 0 to 100",
           "bad_percentage", {{"value", std::string(text)}});
      return -1;
    }
    return v;
  }

  Coded ReadCoded(const pugi::xml_node& node) {
    Coded c;
    c.code = std::string(Trim(node.attribute("code").value()));
    c.vocabulary = std::string(Trim(node.attribute("vocabulary").value()));
    c.percentage = ReadPercentage(node);
    c.narratives = ReadNarratives(node);
    c.vocabulary_uri = std::string(Trim(node.attribute("vocabulary-uri").value()));
    if (c.code.empty()) Warn(node, "no code", "missing_attribute", {{"attribute", "code"}});
    return c;
  }

  // The iso-date attribute of `node` as YYYY-MM-DD, or "" (with a warning) when unusable.
  std::string ReadDate(const pugi::xml_node& node, const char* attribute = "iso-date") {
    if (!node) return "";  // the caller reports the missing element
    pugi::xml_attribute attr = node.attribute(attribute);
    std::string_view text = Trim(attr.value());
    if (!attr || text.empty()) {
      Warn(node, std::string("no ") + attribute, "missing_attribute", {{"attribute", attribute}});
      return "";
    }
    if (IsIsoDate(text)) return std::string(text);
    if (text.size() > 10 && IsIsoDate(text.substr(0, 10))) {
      Warn(node,
           std::string(attribute) + " \"" + std::string(text) +
               "\" is not a plain date: kept the date part",
           "date_part_kept", {{"attribute", attribute}, {"value", std::string(text)}});
      return std::string(text.substr(0, 10));
    }
    Warn(node, std::string(attribute) + " \"" + std::string(text) + "\" is not a date: ignored",
         "not_a_date", {{"attribute", attribute}, {"value", std::string(text)}});
    return "";
  }

  void ReadActivityDate(const pugi::xml_node& node, Activity* a) {
    std::string_view type = Trim(node.attribute("type").value());
    std::string* slot = nullptr;
    if (type == "1") slot = &a->planned_start;
    if (type == "2") slot = &a->actual_start;
    if (type == "3") slot = &a->planned_end;
    if (type == "4") slot = &a->actual_end;
    if (slot == nullptr) {
      Warn(node, "unknown activity-date type \"" + std::string(type) + "\" (1..4): ignored",
           "unknown_date_type", {{"value", std::string(type)}});
      return;
    }
    std::string date = ReadDate(node);
    if (date.empty()) return;
    if (!slot->empty()) {
      Warn(node, "second activity-date of type " + std::string(type) + ": first kept",
           "repeated_date", {{"type", std::string(type)}});
      return;
    }
    *slot = std::move(date);
  }

  void ReadBudget(const pugi::xml_node& node, Activity* a) {
    Budget b;
    b.period_start = ReadDate(node.child("period-start"));
    b.period_end = ReadDate(node.child("period-end"));
    for (const char* part : {"period-start", "period-end"}) {
      if (!node.child(part)) {
        Warn(node, std::string("budget without ") + part, "missing_element", {{"element", part}});
      }
    }
    pugi::xml_node value = node.child("value");
    if (!value) {
      Warn(node, "budget without value: skipped", "budget_without_value");
      return;
    }
    std::string text(Trim(TextOf(value)));
    if (!ParseNumber(text, &b.value)) {
      Warn(value, "budget value \"" + text + "\" is not a number: budget skipped",
           "budget_not_a_number", {{"value", text}});
      return;
    }
    b.currency = std::string(Trim(value.attribute("currency").value()));
    if (value.attribute("value-date")) {
      b.value_date = ReadDate(value, "value-date");
    } else {
      Warn(value, "no value-date", "missing_attribute", {{"attribute", "value-date"}});
    }
    a->budgets.push_back(std::move(b));
  }

  // The @code of `node`'s first child `name`, trimmed; "" when there is none.
  static std::string CodeOf(const pugi::xml_node& node, const char* name) {
    return std::string(Trim(node.child(name).attribute("code").value()));
  }

  TransactionOrg ReadTransactionOrg(const pugi::xml_node& node, const char* activity_attribute) {
    TransactionOrg org;
    if (!node) return org;
    org.ref = std::string(Trim(node.attribute("ref").value()));
    org.type = std::string(Trim(node.attribute("type").value()));
    org.activity_id = std::string(Trim(node.attribute(activity_attribute).value()));
    org.names = ReadNarratives(node);
    return org;
  }

  // A transaction needs a type, a date and a numeric value (the schema requires the three):
  // without one it is skipped with a warning; the rest is kept as written.
  void ReadTransaction(const pugi::xml_node& node, Activity* a) {
    Transaction t;
    t.ref = std::string(Trim(node.attribute("ref").value()));
    t.humanitarian = std::string(Trim(node.attribute("humanitarian").value()));
    if (!t.humanitarian.empty() && t.humanitarian != "0" && t.humanitarian != "1" &&
        t.humanitarian != "true" && t.humanitarian != "false") {
      Warn(node, "humanitarian \"" + t.humanitarian + "\" is not a boolean", "not_a_boolean",
           {{"attribute", "humanitarian"}, {"value", t.humanitarian}});
      t.humanitarian.clear();
    }
    for (const char* part : {"transaction-type", "transaction-date", "value"}) {
      if (!node.child(part)) {
        Warn(node, std::string("transaction without ") + part + ": skipped",
             "transaction_incomplete", {{"element", part}});
        return;
      }
    }
    t.type = CodeOf(node, "transaction-type");
    if (t.type.empty()) {
      Warn(node.child("transaction-type"), "no code: transaction skipped", "transaction_incomplete",
           {{"element", "transaction-type"}});
      return;
    }
    t.date = ReadDate(node.child("transaction-date"));
    if (t.date.empty()) return;  // ReadDate warned
    pugi::xml_node value = node.child("value");
    std::string text(Trim(TextOf(value)));
    if (!ParseNumber(text, &t.value)) {
      Warn(value, "transaction value \"" + text + "\" is not a number: transaction skipped",
           "transaction_not_a_number", {{"value", text}});
      return;
    }
    t.currency = std::string(Trim(value.attribute("currency").value()));
    if (value.attribute("value-date")) {
      t.value_date = ReadDate(value, "value-date");
    } else {
      Warn(value, "no value-date", "missing_attribute", {{"attribute", "value-date"}});
    }
    t.descriptions = ReadNarratives(node.child("description"));
    t.provider = ReadTransactionOrg(node.child("provider-org"), "provider-activity-id");
    t.receiver = ReadTransactionOrg(node.child("receiver-org"), "receiver-activity-id");
    t.disbursement_channel = CodeOf(node, "disbursement-channel");
    for (pugi::xml_node s = node.child("sector"); s; s = s.next_sibling("sector")) {
      t.sectors.push_back(ReadCoded(s));
    }
    t.recipient_country = CodeOf(node, "recipient-country");
    if (pugi::xml_node region = node.child("recipient-region")) {
      t.recipient_region.code = std::string(Trim(region.attribute("code").value()));
      t.recipient_region.vocabulary = std::string(Trim(region.attribute("vocabulary").value()));
      t.recipient_region.vocabulary_uri =
          std::string(Trim(region.attribute("vocabulary-uri").value()));
    }
    t.flow_type = CodeOf(node, "flow-type");
    t.finance_type = CodeOf(node, "finance-type");
    for (pugi::xml_node at = node.child("aid-type"); at; at = at.next_sibling("aid-type")) {
      Coded c;
      c.code = std::string(Trim(at.attribute("code").value()));
      c.vocabulary = std::string(Trim(at.attribute("vocabulary").value()));
      if (!c.code.empty()) t.aid_types.push_back(std::move(c));
    }
    t.tied_status = CodeOf(node, "tied-status");
    a->transactions.push_back(std::move(t));
  }

  const LineTable& lines_;
  std::vector<Warning>* warnings_;
  int64_t* warnings_total_;
  size_t max_warnings_;
  size_t base_ = 0;
};

// A minimal scanner of XML markup: enough to cut a document into its root element's children
// without building a tree of the whole (a DOM of a 120 MB file took about 330 MB). Inside each
// child, well-formedness is pugixml's to check when it parses that child.
class Scanner {
 public:
  enum class Kind { kEnd, kText, kOther, kStartTag, kEndTag, kTruncated };
  struct Token {
    Kind kind = Kind::kEnd;
    size_t begin = 0;
    size_t end = 0;  // one past the token
    std::string_view name;
    bool self_closing = false;
  };
  // Where an element ends: one past its end tag, or npos when the input ends first (then
  // `open` is the innermost element still open, and `cut` the token the input ends in, when
  // it ends inside a tag or comment).
  struct Span {
    size_t end = std::string_view::npos;
    std::string_view open;
    std::optional<Token> cut;
  };

  explicit Scanner(std::string_view xml) : xml_(xml) {}

  [[nodiscard]] Token Next(size_t pos) const {
    if (pos >= xml_.size()) return {Kind::kEnd, pos, pos, {}, false};
    if (xml_[pos] != '<') {
      size_t lt = xml_.find('<', pos);
      return {Kind::kText, pos, lt == std::string_view::npos ? xml_.size() : lt, {}, false};
    }
    std::string_view rest = xml_.substr(pos);
    auto until = [&](std::string_view close, size_t from) -> Token {
      size_t at = xml_.find(close, from);
      if (at == std::string_view::npos) return {Kind::kTruncated, pos, xml_.size(), {}, false};
      return {Kind::kOther, pos, at + close.size(), {}, false};
    };
    if (rest.substr(0, 4) == "<!--") return until("-->", pos + 4);
    if (rest.substr(0, 9) == "<![CDATA[") return until("]]>", pos + 9);
    if (rest.substr(0, 2) == "<?") return until("?>", pos + 2);
    if (rest.substr(0, 2) == "<!") return until(">", pos + 2);
    bool end_tag = rest.substr(0, 2) == "</";
    size_t name_begin = pos + (end_tag ? 2 : 1);
    size_t name_end = name_begin;
    while (name_end < xml_.size() && !IsAsciiSpace(xml_[name_end]) && xml_[name_end] != '>' &&
           xml_[name_end] != '/' && xml_[name_end] != '<') {
      ++name_end;
    }
    std::string_view name = xml_.substr(name_begin, name_end - name_begin);
    size_t p = name_end;
    char quote = 0;  // attribute values may hold '>'
    for (; p < xml_.size(); ++p) {
      char c = xml_[p];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (p >= xml_.size()) return {Kind::kTruncated, pos, xml_.size(), name, false};
    return {end_tag ? Kind::kEndTag : Kind::kStartTag, pos, p + 1, name,
            !end_tag && xml_[p - 1] == '/'};
  }

  [[nodiscard]] Span ElementEnd(const Token& start) const {
    if (start.self_closing) return {start.end, {}, std::nullopt};
    std::vector<std::string_view> open{start.name};
    for (size_t pos = start.end;;) {
      Token t = Next(pos);
      if (t.kind == Kind::kEnd) return {std::string_view::npos, open.back(), std::nullopt};
      if (t.kind == Kind::kTruncated) return {std::string_view::npos, open.back(), t};
      if (t.kind == Kind::kStartTag && !t.self_closing) open.push_back(t.name);
      if (t.kind == Kind::kEndTag) {
        open.pop_back();
        if (open.empty()) return {t.end, {}, std::nullopt};
      }
      pos = t.end;
    }
  }

 private:
  std::string_view xml_;
};

}  // namespace

Status ParseEach(std::string_view xml, const ParseLimits& limits, ParseSummary* summary,
                 const std::function<Status(Activity&&)>& on_activity) {
  *summary = ParseSummary{};
  if (xml.size() > limits.max_bytes) {
    std::string size = std::to_string(xml.size()), max = std::to_string(limits.max_bytes);
    std::string message = "input of " + size + " bytes is over the limit of " + max + " bytes";
    Error e = MakeError(ErrorCode::kInvalidArgument, message);
    e.details.emplace_back("", std::move(message), "file_too_large",
                           Args{{"size", size}, {"max", max}});
    return e;
  }
  LineTable lines(xml);
  if (size_t doctype = FindDoctype(xml); doctype != std::string_view::npos) {
    return PositionedError(lines, doctype, "DOCTYPE/entity declarations are not allowed", "",
                           "doctype");
  }
  if (Trim(xml).empty()) {
    return PositionedError(lines, 0, "not XML: the input is empty", "", "empty_file");
  }
  if (xml.substr(0, 2) == "\xFF\xFE" || xml.substr(0, 2) == "\xFE\xFF") {
    return PositionedError(lines, 0, "UTF-16 is not read: IATI XML must be UTF-8", "", "not_utf8",
                           {{"encoding", "UTF-16"}});
  }
  {
    size_t first = xml.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // a UTF-8 byte order mark
    first = xml.find_first_not_of(" \t\r\n", first);
    // Nothing but white space (after a byte order mark, if any): `first` is npos, no index.
    if (first == std::string_view::npos) {
      return PositionedError(lines, 0, "not XML: the input is empty", "", "empty_file");
    }
    if (xml[first] != '<') {
      return PositionedError(lines, first, "not XML: the input does not start with '<'", "",
                             "not_xml");
    }
    if (std::string encoding = DeclaredEncoding(xml.substr(first));
        !encoding.empty() && encoding != "utf-8" && encoding != "utf8" && encoding != "us-ascii" &&
        encoding != "ascii") {
      return PositionedError(lines, first,
                             "encoding \"" + encoding + "\" is not read: IATI XML must be UTF-8",
                             "", "not_utf8", {{"encoding", encoding}});
    }
  }

  Scanner scan(xml);
  // The input ends before `open` is closed; when it ends inside a tag (or a comment), that is
  // named where it begins: an unclosed quote in an attribute runs to the end as well.
  auto truncated = [&](std::string_view open,
                       const std::optional<Scanner::Token>& cut = std::nullopt) {
    if (cut && !cut->name.empty()) {
      return PositionedError(
          lines, cut->begin,
          "truncated XML: the input ends inside this tag (or a quote in it is not closed)",
          cut->name, "truncated");
    }
    if (cut)
      return PositionedError(lines, cut->begin, "truncated XML: the input ends inside this markup",
                             open, "truncated");
    return PositionedError(lines, xml.size(),
                           "truncated XML: the input ends before its elements are closed", open,
                           "truncated");
  };
  auto text_outside = [&](const Scanner::Token& t) -> std::optional<Error> {
    std::string_view text = xml.substr(t.begin, t.end - t.begin);
    size_t at = text.find_first_not_of(" \t\r\n");
    if (at == std::string_view::npos) return std::nullopt;
    return PositionedError(lines, t.begin + at,
                           "not well-formed XML: text outside the root element", "",
                           "not_well_formed");
  };

  // Outside the root element: white space, comments and processing instructions only. The
  // next element's start tag from `pos` (nullopt at the end of the input), or what is wrong.
  auto element_outside_root =
      [&](size_t pos, const char* end_tag_problem) -> Result<std::optional<Scanner::Token>> {
    for (;;) {
      Scanner::Token t = scan.Next(pos);
      if (t.kind == Scanner::Kind::kEnd) return std::optional<Scanner::Token>();
      if (t.kind == Scanner::Kind::kTruncated) return truncated(t.name, t);
      if (t.kind == Scanner::Kind::kText) {
        if (auto e = text_outside(t)) return *e;
      }
      if (t.kind == Scanner::Kind::kEndTag)
        return PositionedError(lines, t.begin, end_tag_problem, t.name, "not_well_formed");
      if (t.kind == Scanner::Kind::kStartTag) return std::optional<Scanner::Token>(t);
      pos = t.end;
    }
  };

  // The prolog (declaration, comments, white space), then the root element's start tag.
  GMG_ASSIGN_OR_RETURN(std::optional<Scanner::Token> first,
                       element_outside_root(xml.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0,
                                            "not well-formed XML: an end tag before any element"));
  if (!first) {
    size_t lt = xml.find('<');
    return PositionedError(lines, lt == std::string_view::npos ? 0 : lt, "not XML: no root element",
                           "", "not_xml");
  }
  Scanner::Token root = *first;

  std::vector<Warning> warnings;
  int64_t warnings_total = 0;
  ActivityReader reader(lines, &warnings, &warnings_total, limits.max_warnings);
  // One element of the input on its own, as pugixml reads it.
  pugi::xml_document doc;
  auto parse_piece = [&](size_t begin, size_t end) -> Result<pugi::xml_node> {
    doc.reset();
    pugi::xml_parse_result parsed =
        doc.load_buffer(xml.data() + begin, end - begin, pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      size_t offset =
          begin +
          (parsed.offset < 0 ? 0 : std::min(static_cast<size_t>(parsed.offset), end - begin));
      return PositionedError(lines, offset,
                             std::string("not well-formed XML: ") + parsed.description(),
                             ElementBefore(xml, offset), "not_well_formed");
    }
    reader.SetBase(begin);
    return doc.document_element();
  };
  size_t count = 0;
  auto read_one = [&](const pugi::xml_node& node) -> Status {
    if (count >= limits.max_activities) {
      return PositionedError(
          lines, reader.OffsetOf(node),
          "more than " + std::to_string(limits.max_activities) + " activities (the limit)",
          "iati-activity", "too_many_activities", {{"max", std::to_string(limits.max_activities)}});
    }
    ++count;
    GMG_ASSIGN_OR_RETURN(Activity activity, reader.Read(node));
    return on_activity(std::move(activity));
  };

  size_t after_root = 0;
  std::string_view root_name = root.name;
  if (root_name == "iati-activities") {
    // Its attributes, from its start tag alone (made an empty element).
    std::string tag(xml.substr(root.begin, root.end - root.begin));
    if (!root.self_closing) tag.insert(tag.size() - 1, "/");
    pugi::xml_document head;
    pugi::xml_parse_result parsed =
        head.load_buffer(tag.data(), tag.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) {
      size_t offset =
          root.begin +
          (parsed.offset < 0 ? 0 : std::min(static_cast<size_t>(parsed.offset), tag.size()));
      return PositionedError(lines, offset,
                             std::string("not well-formed XML: ") + parsed.description(), root_name,
                             "not_well_formed");
    }
    pugi::xml_attribute version = head.document_element().attribute("version");
    std::string_view v = Trim(version.value());
    if (!version || v.empty()) {
      return PositionedError(lines, root.begin, "no version attribute", root_name, "no_version");
    }
    if (v.size() >= 2 && v[0] == '1' && v[1] == '.') {
      return PositionedError(lines, root.begin,
                             "IATI version " + std::string(v) +
                                 " is refused: 1.x files are not read (2.01, 2.02 and 2.03 are)",
                             root_name, "unsupported_version", {{"version", std::string(v)}});
    }
    if (v != "2.01" && v != "2.02" && v != "2.03") {
      return PositionedError(
          lines, root.begin,
          "IATI version \"" + std::string(v) + "\" is not supported (2.01, 2.02 and 2.03 are)",
          root_name, "unsupported_version", {{"version", std::string(v)}});
    }
    summary->version = std::string(v);

    // Its children one by one: each activity is parsed, read, handed over and forgotten.
    after_root = root.end;
    while (!root.self_closing) {
      Scanner::Token t = scan.Next(after_root);
      if (t.kind == Scanner::Kind::kEnd) return truncated(root_name);
      if (t.kind == Scanner::Kind::kTruncated) return truncated(root_name, t);
      if (t.kind == Scanner::Kind::kEndTag) {
        if (t.name != root_name) {
          return PositionedError(lines, t.begin + 2, "not well-formed XML: Start-end tags mismatch",
                                 t.name, "not_well_formed");
        }
        after_root = t.end;
        break;
      }
      if (t.kind == Scanner::Kind::kStartTag) {
        Scanner::Span span = scan.ElementEnd(t);
        if (span.end == std::string_view::npos) return truncated(span.open, span.cut);
        GMG_ASSIGN_OR_RETURN(pugi::xml_node child, parse_piece(t.begin, span.end));
        std::string_view name = child.name();
        if (name == "iati-activity") {
          GMG_RETURN_IF_ERROR(read_one(child));
        } else if (name.find(':') == std::string_view::npos) {
          reader.Warn(child, "unknown element in iati-activities: ignored", "unknown_element");
        }
        after_root = span.end;
        continue;
      }
      after_root = t.end;  // text, comments, processing instructions
    }
    if (count == 0) {
      reader.SetBase(root.begin);
      reader.Warn(head.document_element(), "no iati-activity in the file", "no_activities");
    }
  } else if (root_name == "iati-activity") {
    Scanner::Span span = scan.ElementEnd(root);
    if (span.end == std::string_view::npos) return truncated(span.open, span.cut);
    GMG_ASSIGN_OR_RETURN(pugi::xml_node node, parse_piece(root.begin, span.end));
    GMG_RETURN_IF_ERROR(read_one(node));
    after_root = span.end;
  } else {
    return PositionedError(lines, root.begin,
                           "not IATI activity XML: the root element is <" + std::string(root_name) +
                               ">, expected <iati-activities> or <iati-activity>",
                           root_name, "not_iati", {{"root", std::string(root_name)}});
  }

  GMG_ASSIGN_OR_RETURN(
      std::optional<Scanner::Token> second,
      element_outside_root(after_root, "not well-formed XML: an end tag after the root element"));
  if (second)
    return PositionedError(lines, second->begin, "not well-formed XML: a second root element",
                           second->name, "not_well_formed");
  summary->warnings = std::move(warnings);
  summary->warnings_total = warnings_total;
  return Ok();
}

namespace {

// The activities ParseEachAhead's reader hands to the caller's thread, in batches (a lock and
// a wake-up per batch, not per activity).
class AheadQueue {
 public:
  static constexpr size_t kBatch = 32;

  // Reader: queues `a`, waiting while kParseAhead are queued; false once the caller stopped.
  bool Push(Activity&& a) {
    filling_.push_back(std::move(a));
    if (filling_.size() < kBatch) return true;
    return Flush();
  }
  // Reader: its last batch and its outcome.
  void Finish(Status read) {
    Flush();
    std::lock_guard lock(mu_);
    read_ = std::move(read);
    done_ = true;
    cv_.notify_all();
  }
  // Caller: the next batch, empty once the reading is over.
  std::vector<Activity> Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return done_ || !batches_.empty(); });
    if (batches_.empty()) return {};
    std::vector<Activity> batch = std::move(batches_.front());
    batches_.pop_front();
    cv_.notify_all();
    return batch;
  }
  // Caller: no more batches are wanted (the reader stops at its next Push).
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  // Caller, once the reader has finished.
  Status TakeRead() { return std::move(read_); }

 private:
  bool Flush() {
    if (filling_.empty()) return true;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || batches_.size() * kBatch < kParseAhead; });
    if (stopped_) return false;
    batches_.push_back(std::move(filling_));
    filling_ = {};
    cv_.notify_all();
    return true;
  }

  std::vector<Activity> filling_;  // the reader's only
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<Activity>> batches_;
  bool stopped_ = false;
  bool done_ = false;
  Status read_ = Ok();
};

}  // namespace

Status ParseEachAhead(std::string_view xml, const ParseLimits& limits, ParseSummary* summary,
                      const std::function<Status(Activity&&)>& on_activity) {
  AheadQueue queue;
  ParseSummary read_summary;  // the reader's until it finishes
  std::thread reader([&] {
    queue.Finish(ParseEach(xml, limits, &read_summary, [&](Activity&& a) -> Status {
      if (queue.Push(std::move(a))) return Ok();
      return MakeError(ErrorCode::kInternal, "reading stopped");  // never returned
    }));
  });
  Status handed = Ok();
  while (handed.ok()) {
    std::vector<Activity> batch = queue.Pop();
    if (batch.empty()) break;
    for (Activity& a : batch) {
      handed = on_activity(std::move(a));
      if (!handed.ok()) break;
    }
  }
  queue.Stop();
  reader.join();
  *summary = std::move(read_summary);
  if (!handed.ok()) return handed;
  return queue.TakeRead();
}

Result<ParseResult> Parse(std::string_view xml, const ParseLimits& limits) {
  ParseResult out;
  ParseSummary summary;
  GMG_RETURN_IF_ERROR(ParseEach(xml, limits, &summary, [&](Activity&& a) {
    out.activities.push_back(std::move(a));
    return Ok();
  }));
  out.version = std::move(summary.version);
  out.warnings = std::move(summary.warnings);
  out.warnings_total = summary.warnings_total;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writer.

namespace {

// Appends `s` escaped for XML 1.0 text or attribute values: the five markup characters become
// references, characters XML 1.0 forbids (C0 controls except TAB/LF/CR, U+FFFE/U+FFFF,
// surrogates) are dropped, bytes that are not UTF-8 become U+FFFD. In attributes TAB, LF and CR
// become character references so attribute-value normalisation keeps them; in text CR does.
void AppendEscaped(std::string* out, std::string_view s, bool attribute) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  const unsigned char* run = p;  // start of bytes not yet copied
  auto flush = [&](const unsigned char* upto) {
    out->append(reinterpret_cast<const char*>(run), static_cast<size_t>(upto - run));
  };
  while (p < end) {
    unsigned char c = *p;
    if (c >= 0x80) {
      uint32_t cp = 0;
      size_t len = DecodeUtf8(p, end, &cp);
      if (len == 0) {
        flush(p);
        out->append("\xEF\xBF\xBD");  // U+FFFD
        ++p;
        run = p;
        continue;
      }
      if (!XmlAllows(cp)) {
        flush(p);
        p += len;
        run = p;
        continue;
      }
      p += len;
      continue;
    }
    const char* replacement = nullptr;
    switch (c) {
      case '&':
        replacement = "&amp;";
        break;
      case '<':
        replacement = "&lt;";
        break;
      case '>':
        replacement = "&gt;";
        break;
      case '"':
        replacement = "&quot;";
        break;
      case '\'':
        replacement = "&apos;";
        break;
      case '\t':
        if (attribute) replacement = "&#9;";
        break;
      case '\n':
        if (attribute) replacement = "&#10;";
        break;
      case '\r':
        replacement = "&#13;";
        break;
      default:
        if (c < 0x20) replacement = "";  // not allowed in XML 1.0: dropped
    }
    if (replacement != nullptr) {
      flush(p);
      out->append(replacement);
      run = p + 1;
    }
    ++p;
  }
  flush(p);
}

// Whether escaping leaves anything of `s` (AppendEscaped drops what XML 1.0 forbids): an
// attribute holding only such characters would be written empty.
bool HasXmlChar(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(p, end, &cp);
    if (len == 0 || XmlAllows(cp)) return true;  // a bad byte becomes U+FFFD
    p += len;
  }
  return false;
}

void AppendNumber(std::string* out, double v) {
  std::array<char, 400> buf;  // the longest fixed-notation double is 309 digits + fraction
  auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
  if (ec != std::errc()) {
    out->append("0");
    return;
  }
  out->append(buf.data(), static_cast<size_t>(ptr - buf.data()));
}

// A date for an xsd:date attribute: YYYY-MM-DD, or the date part of a datetime; "" if neither.
std::string_view DateOnly(std::string_view s) {
  s = Trim(s);
  if (IsIsoDate(s)) return s;
  if (s.size() > 10 && IsIsoDate(s.substr(0, 10))) return s.substr(0, 10);
  return {};
}

// Builds one element at a time into a string.
class XmlOut {
 public:
  explicit XmlOut(std::string* out) : out_(out) {}

  void Open(int depth, std::string_view name) {
    out_->append(static_cast<size_t>(depth) * 2, ' ');
    out_->push_back('<');
    out_->append(name);
  }
  // Always written, even when empty (a required xsd:string attribute).
  void Attr(std::string_view name, std::string_view value) {
    out_->push_back(' ');
    out_->append(name);
    out_->append("=\"");
    AppendEscaped(out_, value, true);
    out_->push_back('"');
  }
  // Left out when nothing of `value` would be written.
  void AttrIfAny(std::string_view name, std::string_view value) {
    if (HasXmlChar(value)) Attr(name, value);
  }
  void Percentage(double v) {
    if (!(v >= 0) || !std::isfinite(v)) return;
    out_->append(" percentage=\"");
    AppendNumber(out_, v);
    out_->push_back('"');
  }
  void EndOpen() { out_->append(">\n"); }
  void Text(std::string_view raw) { out_->append(raw); }  // markup, not escaped
  void Number(double v) { AppendNumber(out_, v); }
  void SelfClose() { out_->append("/>\n"); }
  void Close(int depth, std::string_view name) {
    out_->append(static_cast<size_t>(depth) * 2, ' ');
    out_->append("</");
    out_->append(name);
    out_->append(">\n");
  }
  void TextElement(int depth, std::string_view name, std::string_view text) {
    Open(depth, name);
    out_->push_back('>');
    AppendEscaped(out_, text, false);
    out_->append("</");
    out_->append(name);
    out_->append(">\n");
  }
  void Narratives(int depth, const std::vector<Narrative>& narratives, bool required) {
    for (const Narrative& n : narratives) {
      Open(depth, "narrative");
      if (IsLanguageTag(n.lang)) Attr("xml:lang", n.lang);
      out_->push_back('>');
      AppendEscaped(out_, n.text, false);
      out_->append("</narrative>\n");
    }
    // textRequiredType needs one narrative; an empty one keeps the file valid.
    if (narratives.empty() && required) {
      out_->append(static_cast<size_t>(depth) * 2, ' ');
      out_->append("<narrative/>\n");
    }
  }
  // <name attrs…> narratives </name>, or <name attrs…/> when there are none and none needed.
  void EndWithNarratives(int depth, std::string_view name, const std::vector<Narrative>& narratives,
                         bool required) {
    if (narratives.empty() && !required) {
      SelfClose();
      return;
    }
    EndOpen();
    Narratives(depth + 1, narratives, required);
    Close(depth, name);
  }

 private:
  std::string* out_;
};

// <name code="…"/> at `depth` when `code` is given.
void CodeElement(XmlOut& x, int depth, std::string_view name, std::string_view code) {
  if (!HasXmlChar(code)) return;
  x.Open(depth, name);
  x.Attr("code", code);
  x.SelfClose();
}

void WriteTransactionOrg(XmlOut& x, std::string_view name, std::string_view activity_attribute,
                         const TransactionOrg& org) {
  if (org.ref.empty() && org.type.empty() && org.activity_id.empty() && org.names.empty()) return;
  x.Open(3, name);
  x.AttrIfAny("ref", org.ref);
  x.AttrIfAny(activity_attribute, org.activity_id);
  x.AttrIfAny("type", org.type);
  x.EndWithNarratives(3, name, org.names, false);
}

// A transaction in the schema's order. Type, date and value are required: a transaction
// without them (or with a value that is not finite) is not written; value-date is required
// too and falls back to the transaction date.
void WriteTransaction(XmlOut& x, const Transaction& t) {
  std::string_view date = DateOnly(t.date);
  if (!HasXmlChar(Trim(t.type)) || date.empty() || !std::isfinite(t.value)) return;
  std::string_view value_date = DateOnly(t.value_date);
  if (value_date.empty()) value_date = date;
  x.Open(2, "transaction");
  x.AttrIfAny("ref", t.ref);
  const std::string& h = t.humanitarian;
  if (h == "1" || h == "0" || h == "true" || h == "false") x.Attr("humanitarian", h);
  x.EndOpen();
  CodeElement(x, 3, "transaction-type", Trim(t.type));
  x.Open(3, "transaction-date");
  x.Attr("iso-date", date);
  x.SelfClose();
  x.Open(3, "value");
  x.AttrIfAny("currency", t.currency);
  x.Attr("value-date", value_date);
  x.Text(">");
  x.Number(t.value);
  x.Text("</value>\n");
  if (!t.descriptions.empty()) {
    x.Open(3, "description");
    x.EndWithNarratives(3, "description", t.descriptions, true);
  }
  WriteTransactionOrg(x, "provider-org", "provider-activity-id", t.provider);
  WriteTransactionOrg(x, "receiver-org", "receiver-activity-id", t.receiver);
  CodeElement(x, 3, "disbursement-channel", t.disbursement_channel);
  for (const Coded& c : t.sectors) {
    if (!HasXmlChar(c.code)) continue;
    x.Open(3, "sector");
    x.AttrIfAny("vocabulary", c.vocabulary);
    x.AttrIfAny("vocabulary-uri", c.vocabulary_uri);
    x.Attr("code", c.code);
    x.EndWithNarratives(3, "sector", c.narratives, false);
  }
  CodeElement(x, 3, "recipient-country", t.recipient_country);
  if (HasXmlChar(t.recipient_region.code)) {
    x.Open(3, "recipient-region");
    x.Attr("code", t.recipient_region.code);
    x.AttrIfAny("vocabulary", t.recipient_region.vocabulary);
    x.AttrIfAny("vocabulary-uri", t.recipient_region.vocabulary_uri);
    x.SelfClose();
  }
  CodeElement(x, 3, "flow-type", t.flow_type);
  CodeElement(x, 3, "finance-type", t.finance_type);
  for (const Coded& c : t.aid_types) {
    if (!HasXmlChar(c.code)) continue;
    x.Open(3, "aid-type");
    x.Attr("code", c.code);
    x.AttrIfAny("vocabulary", c.vocabulary);
    x.SelfClose();
  }
  CodeElement(x, 3, "tied-status", t.tied_status);
  x.Close(2, "transaction");
}

}  // namespace

Writer::Writer(Sink sink, const std::string& generated_datetime) : sink_(std::move(sink)) {
  buf_.reserve(8192);
  buf_.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\"");
  if (IsXsdDateTime(generated_datetime)) {
    XmlOut(&buf_).Attr("generated-datetime", generated_datetime);
  }
  buf_.append(">\n");
  // Kept in buf_ and sent with the first activity (or by Finish).
}

Writer::~Writer() {
  try {
    Finish();
  } catch (...) {
    // A throwing sink must not take the process down from a destructor; the output is
    // incomplete either way, which the caller sees from its sink.
  }
}

void Writer::Write(const Activity& a) {
  assert(!finished_);
  if (finished_) return;
  XmlOut x(&buf_);

  x.Open(1, "iati-activity");
  if (IsXsdDateTime(Trim(a.last_updated))) x.Attr("last-updated-datetime", Trim(a.last_updated));
  if (IsLanguageTag(a.lang)) x.Attr("xml:lang", a.lang);
  x.AttrIfAny("default-currency", a.default_currency);
  const std::string& h = a.humanitarian;
  if (h == "1" || h == "0" || h == "true" || h == "false") x.Attr("humanitarian", h);
  x.EndOpen();

  x.TextElement(2, "iati-identifier", a.iati_identifier);

  // ref and type are required by the schema, but an empty one says nothing: left out, the
  // gap shows in validation instead of hiding behind type="" (the caller supplies both).
  x.Open(2, "reporting-org");
  x.AttrIfAny("ref", a.reporting_org.ref);
  x.AttrIfAny("type", a.reporting_org.type);
  x.EndWithNarratives(2, "reporting-org", a.reporting_org.names, true);

  x.Open(2, "title");
  x.EndWithNarratives(2, "title", a.titles, true);

  if (!a.descriptions.empty()) {
    x.Open(2, "description");
    x.Attr("type", "1");
    x.EndWithNarratives(2, "description", a.descriptions, true);
  }

  for (const OrgRef& org : a.participating_orgs) {
    x.Open(2, "participating-org");
    x.AttrIfAny("ref", org.ref);
    x.AttrIfAny("role", org.role);
    x.AttrIfAny("type", org.type);
    x.EndWithNarratives(2, "participating-org", org.names, false);
  }

  if (HasXmlChar(Trim(a.activity_status))) {
    x.Open(2, "activity-status");
    x.Attr("code", a.activity_status);
    x.SelfClose();
  }

  const std::array<std::pair<const char*, const std::string*>, 4> dates = {{{"1", &a.planned_start},
                                                                            {"2", &a.actual_start},
                                                                            {"3", &a.planned_end},
                                                                            {"4", &a.actual_end}}};
  for (const auto& [type, value] : dates) {
    std::string_view date = DateOnly(*value);
    if (date.empty()) continue;
    x.Open(2, "activity-date");
    x.Attr("type", type);
    x.Attr("iso-date", date);
    x.SelfClose();
  }

  if (!Trim(a.contact_email).empty()) {
    x.Open(2, "contact-info");
    x.Attr("type", "1");
    x.EndOpen();
    x.TextElement(3, "email", Trim(a.contact_email));
    x.Close(2, "contact-info");
  }

  // Places and sectors: a code, its vocabulary when one is given, a share, narratives.
  // One without a code (required) is left out rather than written as code="".
  auto coded = [&](std::string_view element, const std::vector<Coded>& list) {
    for (const Coded& c : list) {
      if (!HasXmlChar(c.code)) continue;
      x.Open(2, element);
      x.Attr("code", c.code);
      x.AttrIfAny("vocabulary", c.vocabulary);
      x.AttrIfAny("vocabulary-uri", c.vocabulary_uri);
      x.Percentage(c.percentage);
      x.EndWithNarratives(2, element, c.narratives, false);
    }
  };
  coded("recipient-country", a.recipient_countries);
  coded("recipient-region", a.recipient_regions);
  coded("sector", a.sectors);
  for (const Coded& c : a.tags) {
    if (!HasXmlChar(c.code)) continue;
    x.Open(2, "tag");
    // vocabulary is required on tag; 99 (the reporting organisation's own) when unknown.
    x.Attr("vocabulary", HasXmlChar(c.vocabulary) ? std::string_view(c.vocabulary) : "99");
    x.AttrIfAny("vocabulary-uri", c.vocabulary_uri);
    x.Attr("code", c.code);
    x.EndWithNarratives(2, "tag", c.narratives, false);
  }

  for (const Budget& b : a.budgets) {
    std::string_view start = DateOnly(b.period_start);
    std::string_view end = DateOnly(b.period_end);
    // period-start and period-end are required dates: a budget without them cannot be valid.
    if (start.empty() || end.empty() || !std::isfinite(b.value)) continue;
    std::string_view value_date = DateOnly(b.value_date);
    if (value_date.empty()) value_date = start;
    x.Open(2, "budget");
    x.EndOpen();
    x.Open(3, "period-start");
    x.Attr("iso-date", start);
    x.SelfClose();
    x.Open(3, "period-end");
    x.Attr("iso-date", end);
    x.SelfClose();
    x.Open(3, "value");
    x.AttrIfAny("currency", b.currency);
    x.Attr("value-date", value_date);
    buf_.push_back('>');
    AppendNumber(&buf_, b.value);
    buf_.append("</value>\n");
    x.Close(2, "budget");
  }

  for (const Transaction& t : a.transactions) WriteTransaction(x, t);

  for (const Link& link : a.links) {
    if (!HasXmlChar(Trim(link.url))) continue;
    x.Open(2, "document-link");
    x.Attr("url", Trim(link.url));
    x.Attr("format", "text/html");
    x.EndOpen();
    x.Open(3, "title");
    x.EndWithNarratives(3, "title", link.titles, true);
    // category is required (1..n); A12 is DocumentCategory "Activity web page".
    x.Open(3, "category");
    x.Attr("code", "A12");
    x.SelfClose();
    x.Close(2, "document-link");
  }

  x.Close(1, "iati-activity");
  sink_(buf_);
  buf_.clear();
}

void Writer::Finish() {
  if (finished_) return;
  finished_ = true;
  buf_.append("</iati-activities>\n");
  sink_(buf_);
  buf_.clear();
  buf_.shrink_to_fit();
}

}  // namespace gmg::iati
