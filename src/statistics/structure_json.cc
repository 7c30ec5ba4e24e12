#include "statistics/structure_json.h"

#include <boost/json.hpp>
#include <map>
#include <set>

namespace gmg::stats {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

Error Bad(const std::string& field, const std::string& problem) {
  return FieldError(ErrorCode::kInvalidArgument, field, problem, "invalid");
}

// Reads the fields of one JSON object, naming `path` in every error.
class Fields {
 public:
  Fields(const value& v, std::string path) : path_(std::move(path)) {
    if (v.is_object()) object_ = &v.get_object();
  }
  Status Shape() const {
    if (!object_) return Bad(path_.empty() ? "(body)" : path_, "must be an object");
    return Ok();
  }
  std::string Path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  // A string field; `required` fails when absent.
  Status Text(std::string_view key, std::string* out, bool required) const {
    const value* v = object_->if_contains(key);
    if (!v || v->is_null()) {
      if (required) return Bad(Path(key), "is required");
      return Ok();
    }
    if (!v->is_string()) return Bad(Path(key), "must be a string");
    *out = std::string(v->get_string());
    return Ok();
  }
  Status Integer(std::string_view key, int64_t* out) const {
    const value* v = object_->if_contains(key);
    if (!v || v->is_null()) return Ok();
    if (!v->is_int64()) return Bad(Path(key), "must be an integer");
    *out = v->get_int64();
    return Ok();
  }
  // An array field (absent = empty); nullptr when absent.
  Result<const array*> Array(std::string_view key) const {
    const value* v = object_->if_contains(key);
    if (!v || v->is_null()) return static_cast<const array*>(nullptr);
    if (!v->is_array()) return Bad(Path(key), "must be an array");
    return &v->get_array();
  }

 private:
  const object* object_ = nullptr;
  std::string path_;
};

std::string Item(const std::string& path, std::string_view key, size_t i) {
  return (path.empty() ? "" : path + ".") + std::string(key) + "[" + std::to_string(i) + "]";
}

Result<std::vector<std::string>> TextArray(const Fields& f, std::string_view key) {
  GMG_ASSIGN_OR_RETURN(const array* a, f.Array(key));
  std::vector<std::string> out;
  if (!a) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string()) return Bad(Item("", key, i), "must be a string");
    out.emplace_back((*a)[i].get_string());
  }
  return out;
}

value ComponentJson(const sdmx::Component& c, bool attribute) {
  object o{{"id", c.id}, {"name", c.name}, {"codelist", c.codelist}};
  if (attribute) o["attachment"] = c.attachment;
  return o;
}

Result<sdmx::Component> ComponentFrom(const value& v, const std::string& path, bool attribute) {
  Fields f(v, path);
  GMG_RETURN_IF_ERROR(f.Shape());
  sdmx::Component c;
  GMG_RETURN_IF_ERROR(f.Text("id", &c.id, true));
  GMG_RETURN_IF_ERROR(f.Text("name", &c.name, false));
  GMG_RETURN_IF_ERROR(f.Text("codelist", &c.codelist, false));
  if (attribute) {
    GMG_RETURN_IF_ERROR(f.Text("attachment", &c.attachment, false));
    if (c.attachment != "Observation" && c.attachment != "Series" && c.attachment != "DataSet") {
      return Bad(f.Path("attachment"), "must be Observation, Series or DataSet");
    }
  }
  return c;
}

Result<std::vector<sdmx::Component>> Components(const Fields& f, std::string_view key,
                                                bool attribute) {
  GMG_ASSIGN_OR_RETURN(const array* a, f.Array(key));
  std::vector<sdmx::Component> out;
  if (!a) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    GMG_ASSIGN_OR_RETURN(
        auto c, ComponentFrom((*a)[i], f.Path(key) + "[" + std::to_string(i) + "]", attribute));
    out.push_back(std::move(c));
  }
  return out;
}

Result<sdmx::Codelist> CodelistFrom(const value& v, const std::string& path) {
  Fields f(v, path);
  GMG_RETURN_IF_ERROR(f.Shape());
  sdmx::Codelist cl;
  GMG_RETURN_IF_ERROR(f.Text("agency", &cl.agency, false));
  GMG_RETURN_IF_ERROR(f.Text("id", &cl.id, true));
  GMG_RETURN_IF_ERROR(f.Text("version", &cl.version, false));
  GMG_RETURN_IF_ERROR(f.Text("name", &cl.name, false));
  GMG_ASSIGN_OR_RETURN(const array* codes, f.Array("codes"));
  if (!codes) return cl;
  cl.codes.reserve(codes->size());
  for (size_t i = 0; i < codes->size(); ++i) {
    Fields c((*codes)[i], f.Path("codes") + "[" + std::to_string(i) + "]");
    GMG_RETURN_IF_ERROR(c.Shape());
    sdmx::Code code;
    GMG_RETURN_IF_ERROR(c.Text("id", &code.id, true));
    GMG_RETURN_IF_ERROR(c.Text("name", &code.name, false));
    GMG_RETURN_IF_ERROR(c.Text("parent", &code.parent, false));
    cl.codes.push_back(std::move(code));
  }
  return cl;
}

const char* KindName(ColumnRole::Kind kind) {
  switch (kind) {
    case ColumnRole::Kind::kDimension:
      return "dimension";
    case ColumnRole::Kind::kTime:
      return "time";
    case ColumnRole::Kind::kValue:
      return "value";
    case ColumnRole::Kind::kWideValues:
      return "wide_values";
    case ColumnRole::Kind::kAttribute:
      return "attribute";
    case ColumnRole::Kind::kIgnored:
      return "ignored";
  }
  return "ignored";
}

bool ParseKind(std::string_view name, ColumnRole::Kind* kind) {
  for (auto k :
       {ColumnRole::Kind::kDimension, ColumnRole::Kind::kTime, ColumnRole::Kind::kValue,
        ColumnRole::Kind::kWideValues, ColumnRole::Kind::kAttribute, ColumnRole::Kind::kIgnored}) {
    if (name == KindName(k)) {
      *kind = k;
      return true;
    }
  }
  return false;
}

Status CheckId(const std::string& field, const std::string& id) {
  if (!IsSdmxId(id)) {
    return Bad(field, "'" + id + "' is not an SDMX id (1-100 of A-Z a-z 0-9 _ @ $ -)");
  }
  return Ok();
}

// A name or description as people write it: at most `max` bytes, and no character XML 1.0
// cannot carry (C0 controls but tab and newline, U+FFFE, U+FFFF), so every format can write it.
Status CheckText(const std::string& field, const std::string& text, size_t max = 1000) {
  if (text.size() > max) return Bad(field, "at most " + std::to_string(max) + " bytes");
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool control = c < 0x20 && c != '\t' && c != '\n';
    const bool nonchar = c == 0xEF && i + 2 < text.size() &&
                         static_cast<unsigned char>(text[i + 1]) == 0xBF &&
                         (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE;
    if (control || nonchar) return Bad(field, "holds a control character or a non-character");
  }
  return Ok();
}

// Every code's parent exists, and following parents never comes back to a code (no cycle).
Status CheckParents(const sdmx::Codelist& cl, const std::string& path) {
  std::map<std::string_view, std::string_view> parent_of;
  for (const auto& code : cl.codes) parent_of[code.id] = code.parent;
  for (size_t i = 0; i < cl.codes.size(); ++i) {
    const std::string field = path + ".codes[" + std::to_string(i) + "].parent";
    std::string_view at = cl.codes[i].parent;
    for (size_t steps = 0; !at.empty(); ++steps) {
      auto it = parent_of.find(at);
      if (it == parent_of.end()) return Bad(field, "no code '" + std::string(at) + "' in " + cl.id);
      if (steps > cl.codes.size()) return Bad(field, "the parents of a code form a cycle");
      at = it->second;
    }
  }
  return Ok();
}

Status ValidateCodelist(const sdmx::Codelist& cl, const std::string& path) {
  GMG_RETURN_IF_ERROR(CheckId(path + ".id", cl.id));
  if (!cl.agency.empty()) GMG_RETURN_IF_ERROR(CheckId(path + ".agency", cl.agency));
  GMG_RETURN_IF_ERROR(CheckText(path + ".name", cl.name));
  if (cl.codes.size() > kMaxCodes) {
    return Bad(path + ".codes", "at most " + std::to_string(kMaxCodes) + " codes in a codelist");
  }
  std::set<std::string_view> ids;
  for (size_t i = 0; i < cl.codes.size(); ++i) {
    std::string field = path + ".codes[" + std::to_string(i) + "]";
    GMG_RETURN_IF_ERROR(CheckId(field + ".id", cl.codes[i].id));
    GMG_RETURN_IF_ERROR(CheckText(field + ".name", cl.codes[i].name));
    if (!ids.insert(cl.codes[i].id).second) {
      return Bad(field + ".id", "code '" + cl.codes[i].id + "' appears twice in " + cl.id);
    }
  }
  return CheckParents(cl, path);
}

Status ValidateComponents(const std::vector<sdmx::Component>& components, std::string_view key,
                          const sdmx::DataStructure& s, std::set<std::string>* seen) {
  for (size_t i = 0; i < components.size(); ++i) {
    std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    const sdmx::Component& c = components[i];
    GMG_RETURN_IF_ERROR(CheckId(path + ".id", c.id));
    if (c.id == s.time_dimension || c.id == s.primary_measure) {
      return Bad(path + ".id", "'" + c.id + "' is the time dimension or the primary measure");
    }
    if (!seen->insert(c.id).second) return Bad(path + ".id", "'" + c.id + "' appears twice");
    if (c.codelist.empty()) continue;
    bool found = false;
    for (const auto& cl : s.codelists) found = found || cl.id == c.codelist;
    if (!found) return Bad(path + ".codelist", "no codelist '" + c.codelist + "' in the structure");
  }
  return Ok();
}

}  // namespace

Status ClaimStructure(sdmx::DataStructure* s, const std::string& agency) {
  auto claim = [&](std::string* field_agency, const std::string& field) -> Status {
    if (field_agency->empty()) *field_agency = agency;
    if (*field_agency != agency) {
      return FieldError(ErrorCode::kFailedPrecondition, field,
                        "is " + *field_agency + ", but " + agency +
                            "'s dataflow publishes its structure and codelists under " + agency,
                        "other_agency", {{"value", *field_agency}, {"agency", agency}});
    }
    return Ok();
  };
  GMG_RETURN_IF_ERROR(claim(&s->agency, "agency"));
  for (size_t i = 0; i < s->codelists.size(); ++i) {
    GMG_RETURN_IF_ERROR(
        claim(&s->codelists[i].agency, "codelists[" + std::to_string(i) + "].agency"));
  }
  return Ok();
}

bool IsSdmxId(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '@' || c == '$' || c == '-';
    if (!ok) return false;
  }
  return true;
}

value StructureToJson(const sdmx::DataStructure& s) {
  array dimensions, attributes, codelists, concepts;
  for (const auto& d : s.dimensions) dimensions.push_back(ComponentJson(d, false));
  for (const auto& a : s.attributes) attributes.push_back(ComponentJson(a, true));
  for (const auto& cl : s.codelists) {
    array codes;
    codes.reserve(cl.codes.size());
    for (const auto& c : cl.codes) {
      object code{{"id", c.id}, {"name", c.name}};
      if (!c.parent.empty()) code["parent"] = c.parent;
      codes.push_back(std::move(code));
    }
    codelists.push_back(object{{"agency", cl.agency},
                               {"id", cl.id},
                               {"version", cl.version},
                               {"name", cl.name},
                               {"codes", std::move(codes)}});
  }
  for (const auto& c : s.concepts) concepts.push_back(object{{"id", c.id}, {"name", c.name}});
  return object{{"agency", s.agency},
                {"id", s.id},
                {"version", s.version},
                {"name", s.name},
                {"dimensions", std::move(dimensions)},
                {"time_dimension", s.time_dimension},
                {"attributes", std::move(attributes)},
                {"primary_measure", s.primary_measure},
                {"codelists", std::move(codelists)},
                {"concepts", std::move(concepts)}};
}

Result<sdmx::DataStructure> StructureFromJson(const value& json) {
  Fields f(json, "");
  GMG_RETURN_IF_ERROR(f.Shape());
  sdmx::DataStructure s;
  GMG_RETURN_IF_ERROR(f.Text("agency", &s.agency, false));
  GMG_RETURN_IF_ERROR(f.Text("id", &s.id, true));
  GMG_RETURN_IF_ERROR(f.Text("version", &s.version, false));
  GMG_RETURN_IF_ERROR(f.Text("name", &s.name, false));
  GMG_RETURN_IF_ERROR(f.Text("time_dimension", &s.time_dimension, false));
  GMG_RETURN_IF_ERROR(f.Text("primary_measure", &s.primary_measure, false));
  GMG_ASSIGN_OR_RETURN(s.dimensions, Components(f, "dimensions", false));
  GMG_ASSIGN_OR_RETURN(s.attributes, Components(f, "attributes", true));
  GMG_ASSIGN_OR_RETURN(const array* codelists, f.Array("codelists"));
  if (codelists) {
    for (size_t i = 0; i < codelists->size(); ++i) {
      GMG_ASSIGN_OR_RETURN(auto cl, CodelistFrom((*codelists)[i], Item("", "codelists", i)));
      s.codelists.push_back(std::move(cl));
    }
  }
  GMG_ASSIGN_OR_RETURN(const array* concepts, f.Array("concepts"));
  if (concepts) {
    for (size_t i = 0; i < concepts->size(); ++i) {
      Fields c((*concepts)[i], Item("", "concepts", i));
      GMG_RETURN_IF_ERROR(c.Shape());
      sdmx::Concept item;
      GMG_RETURN_IF_ERROR(c.Text("id", &item.id, true));
      GMG_RETURN_IF_ERROR(c.Text("name", &item.name, false));
      s.concepts.push_back(std::move(item));
    }
  }
  GMG_RETURN_IF_ERROR(ValidateStructure(s));
  return s;
}

Status ValidateStructure(const sdmx::DataStructure& s) {
  GMG_RETURN_IF_ERROR(CheckId("id", s.id));
  if (!s.agency.empty()) GMG_RETURN_IF_ERROR(CheckId("agency", s.agency));
  GMG_RETURN_IF_ERROR(CheckText("name", s.name));
  if (s.codelists.size() > kMaxComponents || s.dimensions.size() > kMaxComponents ||
      s.attributes.size() > kMaxComponents) {
    return Bad("dimensions", "at most " + std::to_string(kMaxComponents) +
                                 " dimensions, attributes and codelists each");
  }
  size_t codes = 0;
  for (const auto& cl : s.codelists) codes += cl.codes.size();
  if (codes > kMaxStructureCodes) {
    return Bad("codelists", "at most " + std::to_string(kMaxStructureCodes) +
                                " codes in all the codelists of a structure");
  }
  for (const auto& c : s.concepts) GMG_RETURN_IF_ERROR(CheckText("concepts.name", c.name));
  for (const auto* list : {&s.dimensions, &s.attributes}) {
    for (const auto& c : *list) GMG_RETURN_IF_ERROR(CheckText(c.id + ".name", c.name));
  }
  GMG_RETURN_IF_ERROR(CheckId("time_dimension", s.time_dimension));
  GMG_RETURN_IF_ERROR(CheckId("primary_measure", s.primary_measure));
  if (s.dimensions.empty()) return Bad("dimensions", "a structure needs at least one dimension");
  std::set<std::string> codelist_ids;
  for (size_t i = 0; i < s.codelists.size(); ++i) {
    std::string path = "codelists[" + std::to_string(i) + "]";
    GMG_RETURN_IF_ERROR(ValidateCodelist(s.codelists[i], path));
    if (!codelist_ids.insert(s.codelists[i].id).second) {
      return Bad(path + ".id", "codelist '" + s.codelists[i].id + "' appears twice");
    }
  }
  std::set<std::string> seen;
  GMG_RETURN_IF_ERROR(ValidateComponents(s.dimensions, "dimensions", s, &seen));
  GMG_RETURN_IF_ERROR(ValidateComponents(s.attributes, "attributes", s, &seen));
  for (size_t i = 0; i < s.dimensions.size(); ++i) {
    if (s.dimensions[i].codelist.empty()) {
      return Bad("dimensions[" + std::to_string(i) + "].codelist", "a dimension needs a codelist");
    }
  }
  return Ok();
}

value MappingToJson(const ColumnMapping& m) {
  array roles, constants;
  for (const auto& r : m.roles) {
    object o{{"kind", KindName(r.kind)}};
    if (!r.dimension.empty()) o["dimension"] = r.dimension;
    if (!r.measure.empty()) o["measure"] = r.measure;
    if (!r.empty_code.empty()) o["empty_code"] = r.empty_code;
    roles.push_back(std::move(o));
  }
  for (const auto& [dimension, code] : m.constants) {
    constants.push_back(object{{"dimension", dimension}, {"code", code}});
  }
  array columns(m.columns.begin(), m.columns.end());
  array missing(m.missing_markers.begin(), m.missing_markers.end());
  return object{{"delimiter", std::string(1, m.delimiter)},
                {"header_line", m.header_line},
                {"columns", std::move(columns)},
                {"roles", std::move(roles)},
                {"wide_dimension", m.wide_dimension},
                {"missing_markers", std::move(missing)},
                {"constants", std::move(constants)},
                {"decimal_mark", std::string(1, m.decimal_mark)},
                {"skip_note_lines", m.skip_note_lines}};
}

Result<ColumnMapping> MappingFromJson(const value& json) {
  Fields f(json, "");
  GMG_RETURN_IF_ERROR(f.Shape());
  ColumnMapping m;
  std::string delimiter = ",";
  GMG_RETURN_IF_ERROR(f.Text("delimiter", &delimiter, false));
  if (delimiter.size() != 1 || std::string_view(",;\t|").find(delimiter[0]) == std::string::npos) {
    return Bad("delimiter", "must be one of , ; | or a tab");
  }
  m.delimiter = delimiter[0];
  std::string decimal_mark = ".";
  GMG_RETURN_IF_ERROR(f.Text("decimal_mark", &decimal_mark, false));
  if (decimal_mark != "." && decimal_mark != ",") return Bad("decimal_mark", "must be . or ,");
  m.decimal_mark = decimal_mark[0];
  if (const auto* v = json.get_object().if_contains("skip_note_lines"); v && !v->is_null()) {
    if (!v->is_bool()) return Bad("skip_note_lines", "must be true or false");
    m.skip_note_lines = v->get_bool();
  }
  GMG_RETURN_IF_ERROR(f.Integer("header_line", &m.header_line));
  if (m.header_line < 1) return Bad("header_line", "must be 1 or more");
  GMG_ASSIGN_OR_RETURN(m.columns, TextArray(f, "columns"));
  GMG_RETURN_IF_ERROR(f.Text("wide_dimension", &m.wide_dimension, false));
  if (const auto* o = json.get_object().if_contains("missing_markers"); o && !o->is_null()) {
    GMG_ASSIGN_OR_RETURN(m.missing_markers, TextArray(f, "missing_markers"));
  }
  GMG_ASSIGN_OR_RETURN(const array* roles, f.Array("roles"));
  if (roles) {
    for (size_t i = 0; i < roles->size(); ++i) {
      Fields r((*roles)[i], Item("", "roles", i));
      GMG_RETURN_IF_ERROR(r.Shape());
      ColumnRole role;
      std::string kind;
      GMG_RETURN_IF_ERROR(r.Text("kind", &kind, true));
      if (!ParseKind(kind, &role.kind)) {
        return Bad(r.Path("kind"),
                   "must be dimension, time, value, wide_values, attribute or ignored");
      }
      GMG_RETURN_IF_ERROR(r.Text("dimension", &role.dimension, false));
      GMG_RETURN_IF_ERROR(r.Text("measure", &role.measure, false));
      GMG_RETURN_IF_ERROR(r.Text("empty_code", &role.empty_code, false));
      m.roles.push_back(std::move(role));
    }
  }
  if (m.roles.size() != m.columns.size()) {
    return Bad("roles", "needs one role per column (" + std::to_string(m.columns.size()) +
                            " columns, " + std::to_string(m.roles.size()) + " roles)");
  }
  GMG_ASSIGN_OR_RETURN(const array* constants, f.Array("constants"));
  if (constants) {
    for (size_t i = 0; i < constants->size(); ++i) {
      Fields c((*constants)[i], Item("", "constants", i));
      GMG_RETURN_IF_ERROR(c.Shape());
      std::string dimension, code;
      GMG_RETURN_IF_ERROR(c.Text("dimension", &dimension, true));
      GMG_RETURN_IF_ERROR(c.Text("code", &code, true));
      m.constants.emplace_back(std::move(dimension), std::move(code));
    }
  }
  return m;
}

Status MappingFitsStructure(const ColumnMapping& m, const sdmx::DataStructure& s) {
  auto is_dimension = [&](const std::string& id) {
    for (const auto& d : s.dimensions) {
      if (d.id == id) return true;
    }
    return false;
  };
  auto is_attribute = [&](const std::string& id) {
    for (const auto& a : s.attributes) {
      if (a.id == id) return true;
    }
    return false;
  };
  for (size_t i = 0; i < m.roles.size(); ++i) {
    const ColumnRole& r = m.roles[i];
    std::string path = "roles[" + std::to_string(i) + "].dimension";
    bool ok = true;
    switch (r.kind) {
      case ColumnRole::Kind::kDimension:
        ok = is_dimension(r.dimension);
        break;
      case ColumnRole::Kind::kAttribute:
        ok = is_attribute(r.dimension);
        break;
      case ColumnRole::Kind::kWideValues:
        ok = r.dimension.empty() || r.dimension == s.time_dimension || is_dimension(r.dimension);
        break;
      default:
        break;
    }
    if (!ok) return Bad(path, "no component '" + r.dimension + "' in the structure");
  }
  if (!m.wide_dimension.empty() && m.wide_dimension != s.time_dimension &&
      !is_dimension(m.wide_dimension)) {
    return Bad("wide_dimension", "no dimension '" + m.wide_dimension + "' in the structure");
  }
  for (size_t i = 0; i < m.constants.size(); ++i) {
    if (!is_dimension(m.constants[i].first)) {
      return Bad("constants[" + std::to_string(i) + "].dimension",
                 "no dimension '" + m.constants[i].first + "' in the structure");
    }
  }
  return Ok();
}

std::string StructureToText(const sdmx::DataStructure& structure) {
  return boost::json::serialize(StructureToJson(structure));
}

Result<sdmx::DataStructure> StructureFromText(std::string_view text) {
  boost::system::error_code ec;
  value v = boost::json::parse(text, ec);
  if (ec) return Bad("structure", "not JSON: " + ec.message());
  return StructureFromJson(v);
}

std::string MappingToText(const ColumnMapping& mapping) {
  return boost::json::serialize(MappingToJson(mapping));
}

Result<ColumnMapping> MappingFromText(std::string_view text) {
  boost::system::error_code ec;
  value v = boost::json::parse(text, ec);
  if (ec) return Bad("mapping", "not JSON: " + ec.message());
  return MappingFromJson(v);
}

}  // namespace gmg::stats
