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
