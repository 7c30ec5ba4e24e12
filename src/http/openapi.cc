#include "http/openapi.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace gmg::http {

std::string OpenApiDocument(const Router& router, const std::string& version) {
  namespace json = boost::json;
  json::object paths;
  for (const Route& r : router.routes()) {
    std::string path = r.pattern;
    json::object op;
    op["summary"] = r.summary;
    if (!r.tag.empty()) op["tags"] = json::array{r.tag};
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string op_id = method;
    for (char c : path) op_id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    op["operationId"] = op_id;
    op["x-gmg-access"] = AccessName(r.access);
    json::array params;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i] != '{') continue;
      size_t j = path.find('}', i);
      params.push_back({{"name", path.substr(i + 1, j - i - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (r.access != Access::kPublic) {
      op["security"] = json::array{json::object{{"cookie", json::array{}}},
                                   json::object{{"bearer", json::array{}}}};
    }
    if (method == "post" || method == "patch" || method == "put") {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    json::object responses;
    responses["default"] = {
        {"description", "error"},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
    std::string ok = method == "post" ? "201" : method == "delete" ? "204" : "200";
    responses[ok] = {{"description", "success"}};
    op["responses"] = std::move(responses);
    json::value& entry = paths[path];
    if (!entry.is_object()) entry.emplace_object();
    entry.as_object()[method] = std::move(op);
  }
  json::object doc{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "GMG Hub API"},
        {"version", version},
        {"description", "The working system of the Global Migration Group. See docs/api.md."}}},
      {"paths", std::move(paths)},
      {"components",
       {{"securitySchemes",
         {{"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "gmg_session"}}},
          {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", json::array{"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", json::array{"code", "message"}},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}}},
                  {"details", {{"type", "array"}}}}}}}}}}}}}}}};
  return json::serialize(doc);
}

}  // namespace gmg::http
