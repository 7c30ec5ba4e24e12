#include "app/app.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "app/modules.h"

namespace gmg {
namespace {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("gmg-app-test-" +
              std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db"))
                .string();
    Remove();
  }
  void TearDown() override { Remove(); }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

TEST_F(AppTest, OpenApiListsEveryRoute) {
  AppConfig config;
  config.db_path = path_;
  auto app = App::Open(config);
  ASSERT_TRUE(app.ok()) << app.error().message;
  http::Request req;
  req.method = "GET";
  req.target = req.path = "/api/v1/openapi.json";
  http::Response res = (*app)->router().Dispatch(req);
  ASSERT_EQ(res.status, 200);
  boost::json::value doc = boost::json::parse(res.body);
  const auto& paths = doc.at("paths").as_object();
  ASSERT_GT((*app)->router().routes().size(), 30u);
  for (const auto& route : (*app)->router().routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern << " is missing from openapi.json";
    EXPECT_TRUE(paths.at(route.pattern).as_object().contains(method))
        << route.method << " " << route.pattern << " is missing from openapi.json";
    EXPECT_FALSE(route.summary.empty()) << route.pattern;
  }
}

// Security review of issue 12: the write quota is wired into the router (per client address
// for the anonymous here; per user when signed in, tests/e2e/write-quota.test.mjs).
TEST_F(AppTest, TheWriteQuotaAnswers429WithRetryAfter) {
  AppConfig config;
  config.db_path = path_;
  config.write_limit = {1, 2};
  auto app = App::Open(config);
  ASSERT_TRUE(app.ok()) << app.error().message;
  auto sign_in = [&](const std::string& address) {
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/api/v1/session";
    req.headers.emplace_back("content-type", "application/json");
    req.body = "{}";
    req.remote_address = address;
    return (*app)->router().Dispatch(req);
  };
  EXPECT_NE(sign_in("192.0.2.1").status, 429);
  EXPECT_NE(sign_in("192.0.2.1").status, 429);
  http::Response refused = sign_in("192.0.2.1");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.Header("Retry-After").value_or(""), "60");
  auto err = boost::json::parse(refused.body).at("error").as_object();
  EXPECT_EQ(err.at("code").as_string(), "resource_exhausted");
  EXPECT_EQ(err.at("details").as_array()[0].at("rule").as_string(), "too_many_writes");
  EXPECT_NE(sign_in("192.0.2.2").status, 429);  // another address: its own bucket
  http::Request get;
  get.method = "GET";
  get.target = get.path = "/healthz";
  get.remote_address = "192.0.2.1";
  EXPECT_EQ((*app)->router().Dispatch(get).status, 200);  // reads are not counted
}

TEST_F(AppTest, RefusesADatabaseFromANewerVersion) {
  {
    AppConfig config;
    config.db_path = path_;
    ASSERT_TRUE(App::Open(config).ok());
    auto db = OpenDatabase(path_);
    ASSERT_TRUE((*db)
                    ->Write([](Tx& tx) -> Status {
                      GMG_RETURN_IF_ERROR(
                          tx.Exec("INSERT INTO schema_version VALUES (?, 0, 'newer')",
                                  {int64_t{LatestSchemaVersion() + 1}}));
                      return Ok();
                    })
                    .ok());
  }
  AppConfig config;
  config.db_path = path_;
  auto app = App::Open(config);
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.error().message.find("newer gmg"), std::string::npos) << app.error().message;
}

}  // namespace
}  // namespace gmg
