#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vitrina::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    root_ = fs::temp_directory_path() / ("vitrina-static-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "sub");
    put("vitrina.js", "console.log('loader')");
    put("vitrina.js.gz", "GZ");
    put("vitrina.js.br", "BR");
    put("widget.0123456789.wasm", std::string("\0asm", 4));
    put("sub/index.html", "<p>hi</p>");
    put(".hidden", "secret");
    fs::create_symlink("/etc/hostname", root_ / "escape.txt");
  }
  void TearDown() override { fs::remove_all(root_); }
  void put(const std::string& name, const std::string& bytes) {
    std::ofstream(root_ / name, std::ios::binary) << bytes;
  }

  std::shared_ptr<const StaticFiles> load(StaticOptions o = {}) {
    auto f = StaticFiles::load(root_.string(), o);
    EXPECT_TRUE(f) << (f ? "" : f.error().message);
    return f ? *f : nullptr;
  }
  static Request get(std::string_view accept = {}, std::string_view inm = {}) {
    Request r{bhttp::verb::get, "/", 11};
    if (!accept.empty()) r.set(Field::accept_encoding, accept);
    if (!inm.empty()) r.set(Field::if_none_match, inm);
    return r;
  }

  fs::path root_;
};

TEST_F(StaticFilesTest, ServesIdentityWithStrongEtagAndType) {
  auto files = load();
  Response r = files->serve(get(), "vitrina.js");
  EXPECT_EQ(r.head.result(), Status::ok);
  EXPECT_EQ(r.body, "console.log('loader')");
  EXPECT_EQ(r.header("Content-Type"), "text/javascript; charset=utf-8");
  const auto etag = std::string(r.header("ETag"));
  EXPECT_EQ(etag.front(), '"');
  EXPECT_FALSE(etag.starts_with("W/"));
  EXPECT_EQ(r.header("Vary"), "Accept-Encoding");
  EXPECT_TRUE(r.header("Content-Encoding").empty());
}

TEST_F(StaticFilesTest, PrefersBrotliThenGzipAndHonoursQZero) {
  auto files = load();
  EXPECT_EQ(files->serve(get("gzip, deflate, br"), "vitrina.js").body, "BR");
  EXPECT_EQ(files->serve(get("gzip"), "vitrina.js").body, "GZ");
  EXPECT_EQ(files->serve(get("br;q=0, gzip"), "vitrina.js").body, "GZ");
  Response br = files->serve(get("br"), "vitrina.js");
  EXPECT_EQ(br.header("Content-Encoding"), "br");
  EXPECT_NE(br.header("ETag"), files->serve(get(), "vitrina.js").header("ETag"));
}

TEST_F(StaticFilesTest, MatchingIfNoneMatchGives304WithoutBody) {
  auto files = load();
  const std::string etag(files->serve(get("gzip"), "vitrina.js").header("ETag"));
  Response r = files->serve(get("gzip", "\"other\", " + etag), "vitrina.js");
  EXPECT_EQ(r.head.result(), Status::not_modified);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.header("ETag"), etag);
  // The gzip tag does not validate the identity representation.
  EXPECT_EQ(files->serve(get("", etag), "vitrina.js").head.result(), Status::ok);
}

TEST_F(StaticFilesTest, HashedNamesAreImmutableOthersFollowOptions) {
  auto files = load({.cache_control = "public, max-age=300"});
  Response wasm = files->serve(get(), "widget.0123456789.wasm");
  EXPECT_EQ(wasm.header("Content-Type"), "application/wasm");
  EXPECT_NE(wasm.header("Cache-Control").find("immutable"), std::string_view::npos);
  EXPECT_EQ(files->serve(get(), "vitrina.js").header("Cache-Control"), "public, max-age=300");
}

TEST_F(StaticFilesTest, UnknownHiddenAndEscapingFilesAre404) {
  auto files = load();
  EXPECT_EQ(files->serve(get(), "nope.js").head.result(), Status::not_found);
  EXPECT_EQ(files->serve(get(), ".hidden").head.result(), Status::not_found);
  EXPECT_EQ(files->serve(get(), "escape.txt").head.result(), Status::not_found);
  EXPECT_EQ(files->serve(get(), "vitrina.js.gz").head.result(), Status::not_found);
}

TEST_F(StaticFilesTest, IndexHtmlOnlyWhenEnabled) {
  EXPECT_EQ(load()->serve(get(), "sub/").head.result(), Status::not_found);
  Response r = load({.index_html = true})->serve(get(), "sub/");
  EXPECT_EQ(r.head.result(), Status::ok);
  EXPECT_EQ(r.body, "<p>hi</p>");
}

TEST_F(StaticFilesTest, CrossOriginHeadersForWidgetAssets) {
  Response r = load({.cross_origin = true})->serve(get(), "vitrina.js");
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
}

TEST_F(StaticFilesTest, MissingDirectoryIsAnError) {
  auto f = StaticFiles::load((root_ / "missing").string(), {});
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message.find("missing"), std::string::npos);
}

TEST(ChooseEncoding, ParsesHeaderForms) {
  EXPECT_EQ(choose_encoding("", true, true), "");
  EXPECT_EQ(choose_encoding("BR", true, true), "br");
  EXPECT_EQ(choose_encoding("gzip;q=0.5, br;q=0.0", true, true), "gzip");
  EXPECT_EQ(choose_encoding("br", false, true), "");
  EXPECT_EQ(choose_encoding("*", true, true), "");
}

TEST(EtagMatches, WeakComparisonAndStar) {
  EXPECT_TRUE(etag_matches("\"a\"", "\"a\""));
  EXPECT_TRUE(etag_matches("W/\"a\"", "\"a\""));
  EXPECT_TRUE(etag_matches("*", "\"a\""));
  EXPECT_TRUE(etag_matches("\"b\" ,\"a\"", "\"a\""));
  EXPECT_FALSE(etag_matches("\"b\"", "\"a\""));
}

}  // namespace
}  // namespace vitrina::http
