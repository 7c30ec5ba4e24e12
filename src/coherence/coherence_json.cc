#include "coherence/coherence_json.h"

#include <boost/json.hpp>

namespace gmg {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return value(d->ToString());
}

array Strings(const std::vector<std::string>& list) {
  array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

object ActivityCard(const OverlapActivity& a) {
  const coherence::Record& r = a.record;
  const coherence::Text* title = r.titles.empty() ? nullptr : &r.titles.front();
  return {
      {"id", r.id},
      {"version", r.version},
      {"title", title ? title->text : ""},
      {"title_lang", title ? title->lang : ""},
      {"organization_id", r.organization_id},
      {"organization_name", a.organization_name.empty() ? r.organization_id : a.organization_name},
      {"type", r.type},
      {"countries", Strings(r.countries)},
      {"regions", Strings(r.regions)},
      {"is_global", r.is_global},
      {"starts_on", DateOrNull(r.starts_on)},
      {"ends_on", DateOrNull(r.ends_on)},
      {"contact_email", a.contact_email}};
}

object SharedJson(const coherence::Finding& f) {
  value period = nullptr;
  if (f.overlap_from && f.overlap_to) {
    period = object{{"from", f.overlap_from->ToString()}, {"to", f.overlap_to->ToString()}};
  }
  return {{"countries", Strings(f.shared_countries)}, {"regions", Strings(f.shared_regions)},
          {"themes", Strings(f.shared_themes)},       {"sectors", Strings(f.shared_sectors)},
          {"partners", Strings(f.shared_partners)},   {"period", std::move(period)}};
}

std::optional<coherence::Comparison> ComparisonNamed(std::string_view name) {
  for (int i = 0; i < coherence::kComparisonCount; ++i) {
    auto c = static_cast<coherence::Comparison>(i);
    if (name == coherence::ComparisonName(c)) return c;
  }
  return std::nullopt;
}

double Log2Ratio(double m, double u) { return m > 0 && u > 0 ? std::log2(m / u) : 0; }

}  // namespace

object FeedbackJson(const OverlapFeedback& fb) {
  return {{"verdict", coherence::VerdictName(fb.verdict)},
          {"comment", fb.comment},
          {"by", fb.by},
          {"at", FormatTimestamp(fb.updated_at)}};
}

object OverlapJson(const Overlap& o) {
  const coherence::Finding& f = o.finding;
  array contributions;
  for (const coherence::Contribution& c : f.contributions) {
    contributions.push_back({{"comparison", coherence::ComparisonName(c.comparison)},
                             {"level", c.level},
                             {"weight", c.weight}});
  }
  value feedback = nullptr;
  if (o.feedback) feedback = FeedbackJson(*o.feedback);
  return {{"id", std::to_string(f.a) + "-" + std::to_string(f.b)},
          {"class", coherence::FindingClassName(f.finding_class)},
          {"probability", f.probability},
          {"weight", f.weight},
          {"prior_weight", f.weight -
                               [&] {
                                 double sum = 0;
                                 for (const auto& c : f.contributions) sum += c.weight;
                                 return sum;
                               }()},
          {"text_similarity", f.text_similarity},
          {"cluster", f.cluster},
          {"cluster_size", o.cluster_size},
          {"activities", array{ActivityCard(o.a), ActivityCard(o.b)}},
          {"contributions", std::move(contributions)},
          {"shared", SharedJson(f)},
          {"summary", o.summary},
          {"feedback", std::move(feedback)}};
}

object StatusJson(const CoherenceStatus& s) {
  return {{"state", s.ready ? "ready" : "analysing"},
          {"analysed_at", s.analysed_at > 0 ? value(FormatTimestamp(s.analysed_at)) : nullptr},
          {"activities", s.activities},
          {"findings", s.findings}};
}

object ModelJson(const CoherenceModel& m) {
  array levels;
  for (const coherence::LevelWeight& l : m.model.levels) {
    levels.push_back({{"comparison", coherence::ComparisonName(l.comparison)},
                      {"level", l.level},
                      {"m", l.m},
                      {"u", l.u},
                      {"weight", Log2Ratio(l.m, l.u)},
                      {"default_m", l.default_m},
                      {"default_u", l.default_u},
                      {"default_weight", Log2Ratio(l.default_m, l.default_u)}});
  }
  return {{"prior_weight", m.model.prior_weight},
          {"default_prior_weight", coherence::Model::Defaults().prior_weight},
          {"levels", std::move(levels)},
          {"labels_used", m.model.labels_used},
          {"estimated_at", m.estimated_at > 0 ? value(FormatTimestamp(m.estimated_at)) : nullptr},
          {"estimated_by", m.estimated_by ? value(*m.estimated_by) : nullptr},
          {"status", StatusJson(m.status)}};
}

std::string ModelText(const coherence::Model& model) {
  array levels;
  for (const coherence::LevelWeight& l : model.levels) {
    levels.push_back({{"comparison", coherence::ComparisonName(l.comparison)},
                      {"level", l.level},
                      {"m", l.m},
                      {"u", l.u},
                      {"default_m", l.default_m},
                      {"default_u", l.default_u}});
  }
  return boost::json::serialize(object{{"prior_weight", model.prior_weight},
                                       {"labels_used", model.labels_used},
                                       {"levels", std::move(levels)}});
}

Result<coherence::Model> ModelFromText(std::string_view text) {
  const Error bad = MakeError(ErrorCode::kInternal, "coherence_model holds no model");
  boost::system::error_code ec;
  value v = boost::json::parse(text, ec);
  const object* o = ec ? nullptr : v.if_object();
  if (o == nullptr) return bad;
  coherence::Model model;
  model.levels.clear();
  const value* prior = o->if_contains("prior_weight");
  const value* labels = o->if_contains("labels_used");
  const value* levels = o->if_contains("levels");
  if (!prior || !prior->is_number() || !labels || !labels->is_int64() || !levels ||
      !levels->is_array()) {
    return bad;
  }
  model.prior_weight = prior->to_number<double>();
  model.labels_used = static_cast<int>(labels->as_int64());
  for (const value& item : levels->as_array()) {
    const object* l = item.if_object();
    if (l == nullptr) return bad;
    auto number = [&](const char* k) -> std::optional<double> {
      const value* x = l->if_contains(k);
      if (!x || !x->is_number()) return std::nullopt;
      return x->to_number<double>();
    };
    const value* comparison = l->if_contains("comparison");
    const value* level = l->if_contains("level");
    if (!comparison || !comparison->is_string() || !level || !level->is_string()) return bad;
    auto c = ComparisonNamed(comparison->as_string());
    auto m = number("m"), u = number("u"), dm = number("default_m"), du = number("default_u");
    if (!c || !m || !u || !dm || !du) return bad;
    model.levels.push_back({*c, std::string(level->as_string()), *m, *u, *dm, *du});
  }
  return model;
}

}  // namespace gmg
