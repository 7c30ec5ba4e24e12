#include "library/library_json.h"

#include <boost/json.hpp>

namespace gmg {
namespace {

boost::json::array Strings(const std::vector<std::string>& list) {
  boost::json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object LibraryItemJson(const LibraryItem& i) {
  boost::json::object o;
  std::string href = "/api/v1/library/items/" + std::to_string(i.id);
  o["id"] = i.id;
  o["href"] = href;
  o["kind"] = i.kind;
  o["title"] = i.title;
  o["authors"] = Strings(i.authors);
  o["organization_id"] = i.organization_id;
  o["organizations"] = Strings(i.organizations);
  o["year"] = i.year;
  o["language"] = i.language;
  o["themes"] = Strings(i.themes);
  o["countries"] = Strings(i.countries);
  o["abstract"] = i.abstract;
  o["url"] = i.url;
  boost::json::value file = nullptr;
  if (!i.file_sha256.empty()) {
    file = boost::json::object{{"name", i.file_name},
                               {"media_type", i.file_media_type},
                               {"size", i.file_size},
                               {"sha256", i.file_sha256},
                               {"href", href + "/file"}};
  }
  o["file"] = std::move(file);
  o["status"] = i.status;
  o["reject_reason"] = i.reject_reason;
  o["submitted_by"] =
      i.submitted_by ? boost::json::value(*i.submitted_by) : boost::json::value(nullptr);
  o["reviewed_by"] =
      i.reviewed_by ? boost::json::value(*i.reviewed_by) : boost::json::value(nullptr);
  o["version"] = i.version;
  o["created_at"] = i.created_at;
  o["updated_at"] = i.updated_at;
  return o;
}

boost::json::object LibrarySearchJson(const LibrarySearchResult& r) {
  boost::json::array items;
  for (const LibraryHit& h : r.hits) {
    boost::json::object o = LibraryItemJson(h.item);
    o["score"] = h.score;
    o["title_html"] = h.title_html;
    o["snippet_html"] = h.snippet_html;
    items.emplace_back(std::move(o));
  }
  boost::json::object facets;
  for (const auto& [name, values] : r.facets) {
    boost::json::array a;
    for (const auto& v : values) a.push_back({{"value", v.value}, {"count", v.count}});
    facets[name] = std::move(a);
  }
  return {{"items", std::move(items)}, {"total", r.total}, {"facets", std::move(facets)}};
}

}  // namespace gmg
