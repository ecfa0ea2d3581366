#include "http/static_files.hpp"

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/mime.hpp"

namespace vitrina::http {

namespace fs = std::filesystem;
using protocol::make_error;

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

std::string etag_of(const std::string& bytes, std::string_view suffix) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (int i = 0; i < 12; ++i) {
    tag.push_back(kHex[digest[i] >> 4]);
    tag.push_back(kHex[digest[i] & 0xF]);
  }
  tag += suffix;
  tag.push_back('"');
  return tag;
}

protocol::Result<std::string> read_file(const fs::path& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec)
    return make_error(protocol::ErrorCode::invalid, "cannot read " + path.string() + ": " + ec.message(), "static");
  if (size > max_bytes)
    return make_error(protocol::ErrorCode::invalid, path.string() + " is larger than the static file limit", "static");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return make_error(protocol::ErrorCode::invalid, "cannot read " + path.string(), "static");
  }
  return bytes;
}

// Trims optional whitespace around a header list element.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <class F>
void for_each_element(std::string_view list, F&& f) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    f(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    const char y = (b[i] >= 'A' && b[i] <= 'Z') ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view choose_encoding(std::string_view accept_encoding, bool have_br, bool have_gzip) noexcept {
  bool br = false;
  bool gzip = false;
  for_each_element(accept_encoding, [&](std::string_view element) {
    std::string_view coding = element;
    bool refused = false;
    const auto semi = element.find(';');
    if (semi != std::string_view::npos) {
      coding = trim(element.substr(0, semi));
      std::string_view param = trim(element.substr(semi + 1));
      if (param.starts_with("q=") || param.starts_with("Q=")) {
        param.remove_prefix(2);
        // q=0, q=0.0, q=0.00… refuse the coding; anything else accepts it.
        refused = !param.empty() && param.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (refused) return;
    if (equals_ignore_case(coding, "br"))
      br = true;
    else if (equals_ignore_case(coding, "gzip"))
      gzip = true;
  });
  if (br && have_br) return "br";
  if (gzip && have_gzip) return "gzip";
  return "";
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept {
  bool found = false;
  for_each_element(if_none_match, [&](std::string_view tag) {
    if (tag == "*") found = true;
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) found = true;
  });
  return found;
}

protocol::Result<std::shared_ptr<const StaticFiles>> StaticFiles::load(const std::string& dir, StaticOptions options) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    return make_error(protocol::ErrorCode::invalid, "static directory " + dir + " does not exist or is not a directory",
                      "static");
  }
  auto out = std::make_shared<StaticFiles>();
  out->options_ = options;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path path = it->path();
    const std::string name = path.filename().string();
    if (name.starts_with('.')) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    if (path.extension() == ".gz" || path.extension() == ".br") continue;  // picked up beside their original
    // A symlink may point anywhere: serve it only if it resolves inside the root.
    const fs::path real = fs::canonical(path, ec);
    if (ec) continue;
    const auto rel_real = real.lexically_relative(root);
    if (rel_real.empty() || *rel_real.begin() == "..") continue;

    auto bytes = read_file(path, options.max_file_bytes);
    if (!bytes) return std::move(bytes).error();
    File file;
    const std::string rel = path.lexically_relative(root).generic_string();
    file.content_type = mime_type(name);
    file.cache_control = is_content_hashed(name) ? std::string(kImmutable) : options.cache_control;
    file.identity.etag = etag_of(*bytes, "");
    total += bytes->size();
    file.identity.bytes = std::make_shared<const std::string>(std::move(bytes).value());
    for (const auto& [ext, slot, suffix] :
         {std::tuple{".gz", &file.gzip, "-gz"}, std::tuple{".br", &file.brotli, "-br"}}) {
      const fs::path sibling = path.string() + ext;
      if (!fs::is_regular_file(sibling, ec)) continue;
      auto encoded = read_file(sibling, options.max_file_bytes);
      if (!encoded) return std::move(encoded).error();
      total += encoded->size();
      // The identity hash names the content; the suffix tells the encodings apart.
      *slot = Encoded{std::make_shared<const std::string>(std::move(encoded).value()),
                      file.identity.etag.substr(0, file.identity.etag.size() - 1) + suffix + "\""};
    }
    out->prepare_fields(file);
    if (total > options.max_total_bytes) {
      return make_error(protocol::ErrorCode::invalid,
                        "static directory " + dir + " is larger than the static total limit", "static");
    }
    out->files_.emplace(rel, std::move(file));
  }
  if (ec)
    return make_error(protocol::ErrorCode::invalid, "cannot list static directory " + dir + ": " + ec.message(),
                      "static");
  return std::shared_ptr<const StaticFiles>(std::move(out));
}

void StaticFiles::prepare_fields(File& file) const {
  const bool varies = file.gzip.has_value() || file.brotli.has_value();
  const auto prepare = [&](Encoded& e, std::string_view coding) {
    // Validators and caching headers go on both answers (RFC 9110 section 15.4.5).
    std::string common = "ETag: " + e.etag + "\r\nCache-Control: " + file.cache_control + "\r\n";
    if (varies) common += "Vary: Accept-Encoding\r\n";
    if (options_.cross_origin) {
      common += "Access-Control-Allow-Origin: *\r\nCross-Origin-Resource-Policy: cross-origin\r\n";
    }
    if (!options_.content_security_policy.empty()) {
      common += "Content-Security-Policy: " + options_.content_security_policy + "\r\n";
    }
    if (options_.deny_framing) common += "X-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n";
    std::string ok = "Content-Type: " + std::string(file.content_type) +
                     "\r\nContent-Length: " + std::to_string(e.bytes->size()) + "\r\n" + common +
                     "X-Content-Type-Options: nosniff\r\n";
    if (!coding.empty()) ok += "Content-Encoding: " + std::string(coding) + "\r\n";
    e.fields_ok = std::make_shared<const std::string>(std::move(ok));
    e.fields_not_modified = std::make_shared<const std::string>(std::move(common));
  };
  prepare(file.identity, "");
  if (file.gzip) prepare(*file.gzip, "gzip");
  if (file.brotli) prepare(*file.brotli, "br");
}

Response StaticFiles::serve(const Request& req, std::string_view path) const {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  auto it = files_.end();
  if (options_.index_html && (path.empty() || path.back() == '/')) {
    it = files_.find(std::string(path) + "index.html");
  } else {
    it = files_.find(path);
  }
  if (it == files_.end()) return problem(protocol::ErrorCode::not_found);
  const File& file = it->second;

  const std::string_view coding =
      choose_encoding(req[Field::accept_encoding], file.brotli.has_value(), file.gzip.has_value());
  const Encoded& chosen = coding == "br" ? *file.brotli : coding == "gzip" ? *file.gzip : file.identity;

  Response r;
  const auto inm = req[Field::if_none_match];
  if (!inm.empty() && etag_matches(inm, chosen.etag)) {
    r.head.result(Status::not_modified);
    r.raw_fields = chosen.fields_not_modified;
    return r;
  }
  r.head.result(Status::ok);
  r.raw_fields = chosen.fields_ok;
  r.set_shared_body(chosen.bytes, *chosen.bytes);
  return r;
}

}  // namespace vitrina::http
