#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support.hpp"

namespace vitrina::testing {
namespace {

TEST(StaticFiles, ServesPrecompressedVariantWithStrongEtag) {
  TestServer server;
  const std::string br = server.get("/v1/vitrina.js", "Accept-Encoding: gzip, deflate, br\r\n");
  EXPECT_EQ(status_of(br), 200);
  EXPECT_EQ(header_of(br, "Content-Encoding"), "br");
  EXPECT_EQ(header_of(br, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header_of(br, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(br.substr(br.find("\r\n\r\n") + 4), "brotli-bytes");
  const std::string etag = header_of(br, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');

  const std::string gz = server.get("/v1/vitrina.js", "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(header_of(gz, "Content-Encoding"), "gzip");
  EXPECT_NE(header_of(gz, "ETag"), etag);
  const std::string plain = server.get("/v1/vitrina.js");
  EXPECT_EQ(header_of(plain, "Content-Encoding"), "");
  EXPECT_EQ(plain.substr(plain.find("\r\n\r\n") + 4), "(function(){/* loader */})();\n");
}

TEST(StaticFiles, RevalidationGives304WithNoBody) {
  TestServer server;
  const std::string first = server.get("/v1/vitrina.js", "Accept-Encoding: br\r\n");
  const std::string etag = header_of(first, "ETag");
  const std::string again = server.get("/v1/vitrina.js", "Accept-Encoding: br\r\nIf-None-Match: " + etag + "\r\n");
  EXPECT_EQ(status_of(again), 304);
  EXPECT_EQ(header_of(again, "ETag"), etag);
  EXPECT_EQ(again.substr(again.find("\r\n\r\n") + 4), "");
  const std::string stale = server.get("/v1/vitrina.js", "Accept-Encoding: br\r\nIf-None-Match: \"old\"\r\n");
  EXPECT_EQ(status_of(stale), 200);
}

TEST(StaticFiles, HashedWasmIsImmutableWithWasmType) {
  TestServer server;
  const std::string r = server.get("/v1/widget.0123456789.wasm");
  EXPECT_EQ(status_of(r), 200);
  EXPECT_EQ(header_of(r, "Content-Type"), "application/wasm");
  EXPECT_EQ(header_of(r, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header_of(r, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header_of(server.get("/v1/vitrina.js"), "Cache-Control"), "public, max-age=300");
}

TEST(StaticFiles, PathTraversalAttemptsNeverReachTheFilesystem) {
  TestServer server;
  std::filesystem::create_symlink("/etc/passwd", server.widget.path() / "passwd");
  for (const char* target :
       {"/v1/../../../../etc/passwd", "/v1/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/v1/..%2f..%2f..%2fetc%2fpasswd",
        "/v1/%2E%2E/etc/passwd", "/v1/.%2e/.%2e/etc/passwd", "/v1/..\\..\\etc\\passwd", "/v1/a%00.js"}) {
    const std::string r = server.get(target);
    EXPECT_EQ(status_of(r), 400) << target;
    EXPECT_EQ(r.find("root:"), std::string::npos) << target;
  }
  for (const char* target : {"/v1/%252e%252e/etc/passwd", "/v1/passwd", "/v1//etc/passwd", "/v1/vitrina.js.gz"}) {
    const std::string r = server.get(target);
    EXPECT_EQ(status_of(r), 404) << target;
    EXPECT_EQ(r.find("root:"), std::string::npos) << target;
  }
  const std::string absolute =
      raw_exchange(server.port(), "GET http://x/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_of(absolute), 400);
}

TEST(StaticFiles, SiteDirectoryServesIndexAtRoot) {
  TempDir site;
  site.write("index.html", "<!doctype html><title>shop</title>");
  TestServer server({"--set", "static.site_dir=" + site.str()});
  const std::string r = server.get("/");
  EXPECT_EQ(status_of(r), 200);
  EXPECT_EQ(header_of(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(header_of(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(status_of(server.get("/healthz")), 200);  // routes win over the site mount
}

}  // namespace
}  // namespace vitrina::testing
