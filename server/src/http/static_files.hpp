#pragma once
// Static files served from memory: the directory is read once at start-up, with each file's
// precompressed siblings ("X.br", "X.gz") and a strong ETag per encoding. Only files found at
// load time can be served, so no request path can reach outside the directory.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace vitrina::http {

struct StaticOptions {
  std::string cache_control = "no-cache";  // for names without a content hash
  bool cross_origin = false;               // widget assets are fetched from shops' pages
  bool index_html = false;                 // "dir/" serves "dir/index.html"
  // Sent with every answer when set: a page's Content-Security-Policy, which also rides on its
  // scripts and styles, where it is harmless.
  std::string content_security_policy;
  bool deny_framing = false;  // X-Frame-Options: DENY and Referrer-Policy: same-origin
  std::size_t max_file_bytes = 64u << 20;
  std::size_t max_total_bytes = 512u << 20;
};

class StaticFiles {
 public:
  /// Reads every regular file below `dir`. Fails naming the path when the directory is
  /// missing, unreadable or over the limits.
  static protocol::Result<std::shared_ptr<const StaticFiles>> load(const std::string& dir, StaticOptions options);

  /// Answers GET/HEAD for `path`, relative to the mount point ("vitrina.js", "" for the root).
  Response serve(const Request& req, std::string_view path) const;

  std::size_t file_count() const noexcept { return files_.size(); }

 private:
  struct Encoded {
    std::shared_ptr<const std::string> bytes;
    std::string etag;
    // The complete header lines of the 200 and 304 answers, built once at load.
    std::shared_ptr<const std::string> fields_ok;
    std::shared_ptr<const std::string> fields_not_modified;
  };
  struct File {
    std::string_view content_type;
    std::string cache_control;
    Encoded identity;
    std::optional<Encoded> gzip;
    std::optional<Encoded> brotli;
  };

  void prepare_fields(File& file) const;

  // Transparent, so a request path (a string_view) is looked up without a copy.
  struct PathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  StaticOptions options_;
  std::unordered_map<std::string, File, PathHash, std::equal_to<>> files_;
};

/// Which encoding to send given an Accept-Encoding header: "br", "gzip" or "" (identity).
std::string_view choose_encoding(std::string_view accept_encoding, bool have_br, bool have_gzip) noexcept;

/// True when an If-None-Match header value matches `etag` (weak comparison, "*" matches all).
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;

}  // namespace vitrina::http
