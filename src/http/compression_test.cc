#include "http/compression.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/router.h"

namespace gmg::http {
namespace {

std::string Gunzip(std::string_view z) {
  z_stream s{};
  EXPECT_EQ(inflateInit2(&s, 15 + 16), Z_OK);
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    s.next_out = reinterpret_cast<Bytef*>(buf);
    s.avail_out = sizeof buf;
    rc = inflate(&s, Z_NO_FLUSH);
    out.append(buf, sizeof buf - s.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END) << "a complete gzip stream";
  inflateEnd(&s);
  return out;
}

std::string Text(size_t n) {
  std::string s;
  for (size_t i = 0; s.size() < n; ++i)
    s += "{\"id\":" + std::to_string(i) + ",\"title\":\"Fair recruitment\"},";
  return s;
}

TEST(CompressionTest, ReadsAcceptEncoding) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_TRUE(AcceptsGzip("*;q=0, gzip")) << "naming gzip outranks the wildcard";
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000, br"));
  EXPECT_FALSE(AcceptsGzip("deflate, br"));
  EXPECT_FALSE(AcceptsGzip("x-gzipped"));
  EXPECT_FALSE(AcceptsGzip(std::nullopt));
  EXPECT_TRUE(Compressible("application/json; charset=utf-8"));
  EXPECT_TRUE(Compressible("text/csv; charset=utf-8"));
  EXPECT_TRUE(Compressible("image/svg+xml"));
  EXPECT_FALSE(Compressible("image/png"));
  EXPECT_FALSE(Compressible("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
}

TEST(CompressionTest, WholeAndPiecewiseRoundTrip) {
  std::string text = Text(300000);
  std::string whole = Gzip(text, 6);
  EXPECT_LT(whole.size(), text.size() / 5);
  EXPECT_EQ(Gunzip(whole), text);
  GzipStream z(1);
  std::string out;
  for (size_t i = 0; i < text.size(); i += 777)
    z.Write(std::string_view(text).substr(i, 777), &out);
  z.Finish(&out);
  EXPECT_EQ(Gunzip(out), text);
  EXPECT_EQ(Gunzip(Gzip("", 1)), "");
}

class CompressedRouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add({"GET", "/big", Access::kPublic,
                 [](Request&) { return JsonResponse(200, boost::json::string(Text(5000))); }, "big",
                 "test", /*cacheable=*/true});
    router_.Add({"POST", "/big", Access::kPublic,
                 [](Request&) { return JsonResponse(200, boost::json::string(Text(5000))); },
                 "big write", "test"});
    router_.Add({"GET", "/small", Access::kPublic,
                 [](Request&) {
                   return JsonResponse(200, boost::json::object{{"a", 1}});
                 },
                 "small", "test"});
  }
  Response Get(const std::string& path, std::optional<std::string> accept,
               std::optional<std::string> inm = {}) {
    Request r;
    r.method = "GET";
    r.target = r.path = path;
    if (accept) r.headers.emplace_back("accept-encoding", *accept);
    if (inm) r.headers.emplace_back("if-none-match", *inm);
    return router_.Dispatch(r);
  }
  Router router_;
};

TEST_F(CompressedRouterTest, GzipsForClientsThatTakeItWithAWeakEtag) {
  Response plain = Get("/big", std::nullopt);
  EXPECT_FALSE(plain.Header("Content-Encoding"));
  EXPECT_EQ(plain.Header("Vary").value_or(""), "Cookie, Authorization, Accept-Encoding");
  for (int round = 0; round < 2; ++round) {  // computed, then from the response cache
    Response z = Get("/big", "gzip, deflate, br");
    ASSERT_EQ(z.Header("Content-Encoding").value_or(""), "gzip");
    EXPECT_EQ(Gunzip(z.body), plain.body);
    EXPECT_EQ(z.Header("ETag").value_or(""), "W/" + std::string(plain.Header("ETag").value_or("")));
    EXPECT_EQ(Get("/big", "gzip", std::string(z.Header("ETag").value_or(""))).status, 304)
        << "the weak tag revalidates";
  }
  EXPECT_EQ(
      Get("/big", std::nullopt, "\"other\", " + std::string(plain.Header("ETag").value_or("")))
          .status,
      304);
  EXPECT_FALSE(Get("/big", "gzip;q=0").Header("Content-Encoding"));
  EXPECT_FALSE(Get("/small", "gzip").Header("Content-Encoding")) << "not worth it under 1 KiB";
  Request post;
  post.method = "POST";
  post.target = post.path = "/big";
  post.headers.emplace_back("accept-encoding", "gzip");
  EXPECT_FALSE(router_.Dispatch(post).Header("Content-Encoding"))
      << "answers to writes stay as they are";
}

}  // namespace
}  // namespace gmg::http
