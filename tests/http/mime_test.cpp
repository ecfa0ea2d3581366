#include "http/mime.hpp"

#include <gtest/gtest.h>

namespace vitrina::http {
namespace {

TEST(Mime, KnowsWidgetTypes) {
  EXPECT_EQ(mime_type("widget.wasm"), "application/wasm");
  EXPECT_EQ(mime_type("vitrina.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("a/b/style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("README"), "application/octet-stream");
  EXPECT_EQ(mime_type("x.exe"), "application/octet-stream");
}

TEST(Mime, RecognisesContentHashedNames) {
  EXPECT_TRUE(is_content_hashed("widget.3f2a9c1d0e.wasm"));
  EXPECT_TRUE(is_content_hashed("assets/widget.deadbeef.js"));
  EXPECT_FALSE(is_content_hashed("vitrina.js"));
  EXPECT_FALSE(is_content_hashed("widget.3f2a9c1.wasm"));        // too short
  EXPECT_FALSE(is_content_hashed("widget.3F2A9C1D0E.wasm"));     // not lowercase hex
  EXPECT_FALSE(is_content_hashed("deadbeefcafe.dir/plain.js"));  // hash in a directory name only
}

}  // namespace
}  // namespace vitrina::http
