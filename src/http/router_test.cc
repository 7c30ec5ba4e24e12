#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "http/paging.h"

namespace gmg::http {
namespace {

Request Get(std::string path) {
  Request r;
  r.method = "GET";
  r.target = r.path = std::move(path);
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add({"GET", "/things/{id}", Access::kPublic,
                 [this](Request& req) {
                   ++calls_;
                   return JsonResponse(
                       200, boost::json::object{{"id", req.PathParam("id")}, {"calls", calls_}});
                 },
                 "a thing", "test", /*cacheable=*/true});
    router_.Add(
        {"POST", "/things", Access::kStaff, [](Request&) { return NoContent(); }, "make", "test"});
    router_.Add({"GET", "/boom", Access::kPublic,
                 [](Request&) -> Response { throw std::runtime_error("handler bug"); }, "boom",
                 "test"});
    router_.SetAuthenticator([](const Request& req) -> Result<Principal> {
      Principal p;
      auto who = req.Header("x-test-user");
      if (!who) return p;
      if (*who == "bad") return MakeError(ErrorCode::kUnauthenticated, "bad token");
      p.user_id = 1;
      p.email = std::string(*who) + "@example.org";
      p.role = *who == "admin" ? Role::kAdmin : Role::kMember;
      p.via = AuthVia::kCookie;
      p.csrf_token = "csrf-123";
      return p;
    });
  }

  Response Post(const char* user, const char* csrf) {
    Request r;
    r.method = "POST";
    r.target = r.path = "/things";
    if (user) r.headers.emplace_back("x-test-user", user);
    if (user) r.headers.emplace_back("cookie", "gmg_session=x");
    if (csrf) r.headers.emplace_back("x-csrf-token", csrf);
    return router_.Dispatch(r);
  }

  Router router_;
  int calls_ = 0;
};

TEST_F(RouterTest, MatchesTemplatesAndAnswers404And405) {
  Request r = Get("/things/iom");
  Response res = router_.Dispatch(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("\"iom\""), std::string::npos);
  Request missing = Get("/nothing");
  EXPECT_EQ(router_.Dispatch(missing).status, 404);
  Request wrong_method = Get("/things");
  EXPECT_EQ(router_.Dispatch(wrong_method).status, 405);
}

TEST_F(RouterTest, ChecksRolesAndCsrf) {
  EXPECT_EQ(Post(nullptr, nullptr).status, 401);
  EXPECT_EQ(Post("member", "csrf-123").status, 403);
  EXPECT_EQ(Post("admin", nullptr).status, 403) << "cookie write without CSRF token";
  EXPECT_EQ(Post("admin", "wrong").status, 403);
  EXPECT_EQ(Post("admin", "csrf-123").status, 204);
  EXPECT_EQ(Post("bad", "csrf-123").status, 401);
}

TEST_F(RouterTest, AnExceptionIsA500AndTheNextRequestIsServed) {
  Request boom = Get("/boom");
  Response res = router_.Dispatch(boom);
  EXPECT_EQ(res.status, 500);
  EXPECT_NE(res.body.find("\"internal\""), std::string::npos);
  Request ok = Get("/things/a");
  EXPECT_EQ(router_.Dispatch(ok).status, 200);
}

TEST_F(RouterTest, AnswersIfNoneMatchWith304AndAddsSecurityHeaders) {
  Request first = Get("/things/a");
  Response res = router_.Dispatch(first);
  auto etag = res.Header("ETag");
  ASSERT_TRUE(etag);
  EXPECT_EQ(*res.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(res.Header("Content-Security-Policy")->find("frame-ancestors 'none'"),
            std::string::npos);
  Request again = Get("/things/a");
  again.headers.emplace_back("if-none-match", std::string(*etag));
  Response not_modified = router_.Dispatch(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
}

TEST_F(RouterTest, CachesAnonymousGetsUntilAWrite) {
  Request a = Get("/things/a");
  router_.Dispatch(a);
  Request b = Get("/things/a");
  router_.Dispatch(b);
  EXPECT_EQ(calls_, 1) << "second anonymous GET came from the cache";
  Request signed_in = Get("/things/a");
  signed_in.headers.emplace_back("x-test-user", "member");
  signed_in.headers.emplace_back("cookie", "gmg_session=x");
  router_.Dispatch(signed_in);
  EXPECT_EQ(calls_, 2) << "signed-in requests bypass the cache";
  EXPECT_EQ(Post("admin", "csrf-123").status, 204);
  Request c = Get("/things/a");
  router_.Dispatch(c);
  EXPECT_EQ(calls_, 3) << "a write empties the cache";
}

TEST_F(RouterTest, TheCacheKeepsAnswersApartByAccept) {
  Request json = Get("/things/a");
  json.headers.emplace_back("accept", "application/json");
  router_.Dispatch(json);
  Request xml = Get("/things/a");
  xml.headers.emplace_back("accept", "application/xml");
  router_.Dispatch(xml);
  EXPECT_EQ(calls_, 2) << "another Accept is another answer (format negotiation)";
  Request json_again = Get("/things/a");
  json_again.headers.emplace_back("accept", "application/json");
  router_.Dispatch(json_again);
  EXPECT_EQ(calls_, 2);
}

TEST_F(RouterTest, OnlyTheEmbedPageMayBeFramed) {
  router_.SetFallback([](const Request&) -> std::optional<Response> {
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html><title>GMG Hub</title>";
    return r;
  });
  Request embed = Get("/embed/stats");
  embed.target = "/embed/stats?flow=UNDESA,MIGRANT_STOCK&chart=line";
  Response framed = router_.Dispatch(embed);
  EXPECT_EQ(framed.status, 200);
  EXPECT_FALSE(framed.Header("X-Frame-Options"));
  std::string csp(framed.Header("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("frame-ancestors *"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << "the rest of the policy stands";
  EXPECT_EQ(*framed.Header("X-Content-Type-Options"), "nosniff");
  for (const char* path : {"/stats", "/embed/stats/x", "/embed", "/embed/statsx"}) {
    Request other = Get(path);
    Response denied = router_.Dispatch(other);
    EXPECT_EQ(*denied.Header("X-Frame-Options"), "DENY") << path;
    EXPECT_NE(denied.Header("Content-Security-Policy")->find("frame-ancestors 'none'"),
              std::string::npos)
        << path;
  }
}

TEST_F(RouterTest, CountsRequestsInMetrics) {
  Request a = Get("/things/a");
  router_.Dispatch(a);
  std::string text = router_.metrics().Render();
  EXPECT_NE(
      text.find("gmg_http_requests_total{route=\"/things/{id}\",method=\"GET\",status=\"200\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("gmg_http_request_duration_seconds_bucket"), std::string::npos);
}

struct Shelf {
  int reads = 0;
};

Result<Response> GetBook(Shelf& shelf, Request& req) {
  ++shelf.reads;
  if (req.PathParam("id") == "lost") return MakeError(ErrorCode::kNotFound, "no book 'lost'");
  return JsonResponse(200, boost::json::object{{"id", req.PathParam("id")}});
}

Result<Response> PutBook(Shelf&, Request&) { return NoContent(); }

constexpr RouteRow<Shelf> kShelfRoutes[] = {
    {"GET", "/books/{id}", Access::kPublic, GetBook, "a book", "shelf"},
    {"PUT", "/books/{id}", Access::kAdmin, PutBook, "store a book", "shelf", false, 1 << 20},
};

TEST(RouteTableTest, RowsBecomeRoutesAndAnErrorBecomesTheJsonErrorAnswer) {
  Router router;
  Shelf shelf;
  AddRoutes(router, shelf, kShelfRoutes);
  ASSERT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(router.routes()[1].max_body_bytes, 1u << 20);
  EXPECT_EQ(router.routes()[1].access, Access::kAdmin);

  Request found = Get("/books/moby");
  EXPECT_EQ(router.Dispatch(found).status, 200);
  Request lost = Get("/books/lost");
  Response r = router.Dispatch(lost);
  EXPECT_EQ(r.status, 404);
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("error").as_object().at("code").as_string(), "not_found");
  EXPECT_EQ(shelf.reads, 2);
}

TEST(RouteTableTest, AdmitCarriesTheMatchToDispatch) {
  Router router;
  Shelf shelf;
  AddRoutes(router, shelf, kShelfRoutes);
  Request head = Get("/books/moby");
  router.Admit(head);
  EXPECT_EQ(head.route_index, 0);
  EXPECT_EQ(head.PathParam("id"), "moby");
  // Dispatch trusts the carried match: the path is not looked at again.
  head.path = "/nowhere";
  EXPECT_EQ(router.Dispatch(head).status, 200);
  Request unknown = Get("/nowhere");
  router.Admit(unknown);
  EXPECT_EQ(unknown.route_index, -1);
  EXPECT_EQ(router.Dispatch(unknown).status, 404);
}

// Security review of issue 12: an answer's list of details is bounded, the real count kept.
TEST(ErrorResponseTest, ListsAtMostTwentyDetailsAndCountsTheRest) {
  Error many = MakeError(ErrorCode::kInvalidArgument, "many problems");
  for (int i = 0; i < 1000; ++i) many.details.emplace_back("f" + std::to_string(i), "bad", "");
  auto err = boost::json::parse(ErrorResponse(many).body).at("error").as_object();
  ASSERT_EQ(err.at("details").as_array().size(), kMaxErrorDetails);
  EXPECT_EQ(err.at("details").as_array()[0].at("field").as_string(), "f0");
  EXPECT_EQ(err.at("details_total").as_int64(), 1000);
  many.details.erase(many.details.begin() + kMaxErrorDetails, many.details.end());
  err = boost::json::parse(ErrorResponse(many).body).at("error").as_object();
  EXPECT_EQ(err.at("details").as_array().size(), kMaxErrorDetails);
  EXPECT_FALSE(err.contains("details_total"));
}

TEST(IfMatchTest, ParsesOurEtagsOnly) {
  Request r;
  EXPECT_FALSE(IfMatchVersion(r).ok());
  r.headers.emplace_back("if-match", "\"v12\"");
  EXPECT_EQ(*IfMatchVersion(r), 12);
  Request bad;
  bad.headers.emplace_back("if-match", "\"abc\"");
  EXPECT_EQ(IfMatchVersion(bad).error().code, ErrorCode::kInvalidArgument);
  // The optional form: absent is nullopt (last write wins), present is read as above.
  auto absent = OptionalIfMatchVersion(Request{});
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
  EXPECT_EQ(*OptionalIfMatchVersion(r), std::optional<int64_t>(12));
  EXPECT_EQ(OptionalIfMatchVersion(bad).error().code, ErrorCode::kInvalidArgument);
}

TEST(CheckVersionTest, RefusesAStaleVersionOnly) {
  EXPECT_TRUE(CheckVersion(3, 3, "this item").ok());
  EXPECT_TRUE(CheckVersion(3, std::nullopt, "this item").ok());
  Status stale = CheckVersion(4, 3, "this item");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(stale.error().message.find("this item"), std::string::npos);
  EXPECT_NE(stale.error().message.find("version 4"), std::string::npos);
}

TEST(ListQueryTest, SplitsOnCommasAndBoundsBytesAndValues) {
  Request r;
  EXPECT_TRUE(ListQuery(r, "kind", 3)->empty()) << "absent";
  r.query = {{"kind", "library,,meeting,"}};
  EXPECT_EQ(*ListQuery(r, "kind", 3), (std::vector<std::string>{"library", "meeting"}));
  r.query = {{"kind", "a,b,c,d"}};
  auto many = ListQuery(r, "kind", 3);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(many.error().details.at(0).field, "kind");
  EXPECT_EQ(many.error().details.at(0).rule, "too_many");
  r.query = {{"kind", std::string(2001, 'x')}};
  EXPECT_EQ(ListQuery(r, "kind", 3).error().details.at(0).rule, "too_long");
}

}  // namespace
}  // namespace gmg::http
