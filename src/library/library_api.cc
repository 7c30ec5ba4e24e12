#include "library/library_api.h"

#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "http/checked_text.h"
#include "http/file_type.h"
#include "http/json_body.h"
#include "http/paging.h"
#include "http/path_id.h"
#include "library/library_json.h"

namespace gmg {
namespace {

using http::Access;
using http::JsonBody;
using http::Request;
using http::Response;
using http::RouteRow;

struct Context {
  LibraryService& library;
};

constexpr size_t kMaxFilterValues = 20;

Result<int64_t> IntQuery(const Request& req, const char* name, int64_t fallback, int64_t min,
                         int64_t max) {
  auto raw = req.Query(name);
  if (!raw || raw->empty()) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc() || end != raw->data() + raw->size() || v < min || v > max) {
    return FieldError(
        ErrorCode::kInvalidArgument, name,
        "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max),
        "out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
  }
  return v;
}

Result<LibraryQuery> ReadQuery(const Request& req) {
  LibraryQuery q;
  GMG_ASSIGN_OR_RETURN(q.text, http::CheckedText("q", req.Query("q"), 500, false));
  GMG_ASSIGN_OR_RETURN(q.kinds, http::ListQuery(req, "kind", kMaxFilterValues));
  GMG_ASSIGN_OR_RETURN(q.organizations, http::ListQuery(req, "organization", kMaxFilterValues));
  GMG_ASSIGN_OR_RETURN(q.themes, http::ListQuery(req, "theme", kMaxFilterValues));
  GMG_ASSIGN_OR_RETURN(q.countries, http::ListQuery(req, "country", kMaxFilterValues));
  GMG_ASSIGN_OR_RETURN(q.languages, http::ListQuery(req, "language", kMaxFilterValues));
  GMG_ASSIGN_OR_RETURN(auto years, http::ListQuery(req, "year", kMaxFilterValues));
  for (const auto& y : years) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(y.data(), y.data() + y.size(), v);
    if (ec != std::errc() || end != y.data() + y.size() || v < 1900 || v > 2100) {
      return FieldError(ErrorCode::kInvalidArgument, "year", "years are 1900-2100", "out_of_range",
                        {{"min", "1900"}, {"max", "2100"}});
    }
    q.years.push_back(v);
  }
  GMG_ASSIGN_OR_RETURN(q.limit, IntQuery(req, "limit", 20, 1, 100));
  GMG_ASSIGN_OR_RETURN(q.offset, IntQuery(req, "cursor", 0, 0, 10000));
  return q;
}

Result<Response> SearchResponse(LibraryService& library, const Request& req,
                                const LibraryQuery& q) {
  GMG_ASSIGN_OR_RETURN(auto result, library.Search(req.principal, q));
  boost::json::object body = LibrarySearchJson(result);
  int64_t next = q.offset + q.limit;
  body["next_cursor"] =
      next < result.total ? boost::json::value(std::to_string(next)) : boost::json::value(nullptr);
  return http::JsonResponse(200, body);
}

Result<Response> SearchItems(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(LibraryQuery q, ReadQuery(req));
  return SearchResponse(ctx.library, req, q);
}

Result<Response> ReviewQueue(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(LibraryQuery q, ReadQuery(req));
  q.review_queue = true;
  return SearchResponse(ctx.library, req, q);
}

Result<LibraryItemInput> ReadItem(JsonBody& body) {
  LibraryItemInput in;
  auto kind = body.String("kind", true, 40);
  auto title = body.String("title", true, 300);
  auto authors = body.StringArray("authors", false, 50);
  auto org = body.String("organization_id", false, 32);
  auto orgs = body.StringArray("organizations", false, 20);
  auto year = body.Int("year", true, 1900, 2100);
  auto language = body.String("language", true, 8);
  auto themes = body.StringArray("themes", false, 20);
  auto countries = body.StringArray("countries", false, 60);
  auto abstract = body.String("abstract", false, 20000, true);
  auto url = body.String("url", false, 2000, true);
  auto sha = body.String("file_sha256", false, 64, true);
  auto file_name = body.String("file_name", false, 255, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  in.kind = *kind;
  in.title = *title;
  in.authors = authors.value_or(std::vector<std::string>{});
  in.organization_id = org.value_or("");
  in.organizations = orgs.value_or(std::vector<std::string>{});
  in.year = *year;
  in.language = *language;
  in.themes = themes.value_or(std::vector<std::string>{});
  in.countries = countries.value_or(std::vector<std::string>{});
  in.abstract = abstract.value_or("");
  in.url = url.value_or("");
  in.file_sha256 = sha.value_or("");
  // A file name ends up in a download's Content-Disposition: no line breaks or other controls.
  GMG_ASSIGN_OR_RETURN(in.file_name, http::CheckedText("file_name", file_name, 255, false));
  return in;
}

Response ItemResponse(int status, const LibraryItem& item) {
  Response r = http::JsonResponse(status, LibraryItemJson(item));
  r.SetHeader("ETag", http::VersionETag(item.version));
  if (status == 201) r.SetHeader("Location", "/api/v1/library/items/" + std::to_string(item.id));
  return r;
}

Result<Response> CreateItem(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(LibraryItemInput in, ReadItem(body));
  GMG_ASSIGN_OR_RETURN(auto item, ctx.library.Create(req.principal, in));
  return ItemResponse(201, item);
}

Result<Response> GetItem(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto item, ctx.library.Get(req.principal, id));
  return ItemResponse(200, item);
}

Result<Response> UpdateItem(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto version, http::OptionalIfMatchVersion(req));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  GMG_ASSIGN_OR_RETURN(LibraryItemInput in, ReadItem(body));
  GMG_ASSIGN_OR_RETURN(auto item, ctx.library.Update(req.principal, id, version, in));
  return ItemResponse(200, item);
}

Result<Response> WithdrawItem(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto item, ctx.library.Withdraw(req.principal, id));
  return ItemResponse(200, item);
}

Result<Response> ReviewItem(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req));
  auto decision = body.String("decision", true, 20);
  auto reason = body.String("reason", false, 2000, true);
  GMG_RETURN_IF_ERROR(body.Finish());
  if (*decision != "approve" && *decision != "reject") {
    return FieldError(ErrorCode::kFailedPrecondition, "decision", "must be approve or reject",
                      "not_in_list", {{"value", *decision}});
  }
  GMG_ASSIGN_OR_RETURN(auto item, ctx.library.Review(req.principal, id, *decision == "approve",
                                                     reason.value_or("")));
  return ItemResponse(200, item);
}

Result<Response> UploadFile(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(std::string name,
                       http::CheckedText("file_name", req.Query("file_name"), 255, false));
  GMG_ASSIGN_OR_RETURN(auto stored,
                       ctx.library.UploadFile(req.principal, name, std::string(req.Body())));
  return http::JsonResponse(
      stored.existed ? 200 : 201,
      boost::json::object{{"sha256", stored.sha256},
                          {"media_type", stored.media_type},
                          {"size", stored.size},
                          {"file_name", http::SafeFileName(name, stored.extension)},
                          {"existed", stored.existed}});
}

Result<Response> DownloadFile(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "id"));
  GMG_ASSIGN_OR_RETURN(auto file, ctx.library.GetFile(req.principal, id));
  Response r;
  r.status = 200;
  r.content_type = file.media_type;
  r.body = std::move(file.content);
  r.SetHeader("Content-Disposition", http::AttachmentDisposition(file.file_name));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Cache-Control", "private, no-store");
  return r;
}

Result<Response> ListReviewers(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(auto ids, ctx.library.ListReviewers(req.principal));
  boost::json::array items;
  for (int64_t id : ids) items.push_back(boost::json::object{{"user_id", id}});
  return http::JsonResponse(200, boost::json::object{{"items", std::move(items)},
                                                     {"total", static_cast<int64_t>(ids.size())}});
}

Result<Response> AddReviewer(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "user"));
  GMG_RETURN_IF_ERROR(ctx.library.AddReviewer(req.principal, id));
  return http::NoContent();
}

Result<Response> RemoveReviewer(Context& ctx, Request& req) {
  GMG_ASSIGN_OR_RETURN(int64_t id, http::PathId(req, "user"));
  GMG_RETURN_IF_ERROR(ctx.library.RemoveReviewer(req.principal, id));
  return http::NoContent();
}

constexpr RouteRow<Context> kRoutes[] = {
    {"GET", "/api/v1/library/items", Access::kPublic, SearchItems,
     "Search the library (q, kind, organization, theme, country, year, language; limit, cursor): "
     "BM25-ranked items the caller may see, with snippets and facets",
     "library", true},
    {"POST", "/api/v1/library/items", Access::kSignedIn, CreateItem,
     "Add a library item (a focal point for its organisation, the secretariat for any); a best "
     "practice goes to review",
     "library"},
    {"GET", "/api/v1/library/items/{id}", Access::kPublic, GetItem,
     "One library item (unpublished ones only to their organisation and reviewers)", "library",
     true},
    {"PUT", "/api/v1/library/items/{id}", Access::kSignedIn, UpdateItem,
     "Replace a library item (its organisation's focal point or the secretariat); If-Match "
     "optional",
     "library"},
    {"POST", "/api/v1/library/items/{id}/withdraw", Access::kSignedIn, WithdrawItem,
     "Withdraw a library item (its organisation's focal point or the secretariat)", "library"},
    {"POST", "/api/v1/library/items/{id}/review", Access::kSignedIn, ReviewItem,
     "Approve or reject (with a reason) a best practice in review (the secretariat or a "
     "designated reviewer, never its own submission)",
     "library"},
    {"GET", "/api/v1/library/items/{id}/file", Access::kPublic, DownloadFile,
     "Download a library item's file", "library"},
    {"POST", "/api/v1/library/files", Access::kSignedIn, UploadFile,
     "Upload a file (raw body, ?file_name=; at most 20 MiB; typed by content; stored once per "
     "SHA-256) to attach to an item",
     "library", false, kMaxLibraryFileBytes},
    {"GET", "/api/v1/library/review-queue", Access::kSignedIn, ReviewQueue,
     "The best practices in review the caller may review", "library"},
    {"GET", "/api/v1/library/reviewers", Access::kStaff, ListReviewers,
     "Designated reviewers of best practices", "library"},
    {"PUT", "/api/v1/library/reviewers/{user}", Access::kStaff, AddReviewer,
     "Designate a user as a reviewer of best practices", "library"},
    {"DELETE", "/api/v1/library/reviewers/{user}", Access::kStaff, RemoveReviewer,
     "Remove a designated reviewer", "library"},
};

}  // namespace

void AddLibraryRoutes(http::Router& router, LibraryService& library) {
  http::AddRoutes(router, std::make_shared<Context>(Context{library}), kRoutes);
}

}  // namespace gmg
