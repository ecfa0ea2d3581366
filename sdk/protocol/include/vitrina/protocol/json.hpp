#pragma once
/// \file
/// A small, allocation-conscious JSON writer shared by the server, the SDK and the widget.
/// Parsing is done with simdjson on the native side; this only writes.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace vitrina::protocol {

/// Appends `s` to `out` as a JSON string literal, quotes included. Control characters,
/// quotes, backslashes and the HTML-sensitive `<`, `>`, `&` and U+2028/2029 are escaped, so the
/// result is safe to embed in a `<script>` block too. Invalid UTF-8 bytes become U+FFFD.
void json_append_string(std::string& out, std::string_view s);

/// Writes one JSON object or array incrementally: `w.begin_object().key("a").value(1).end_object()`.
/// The caller is responsible for well-formed nesting; commas are inserted automatically.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
  /// Shortest round-trip form, locale-independent; NaN and infinities become `null`.
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& null();
  /// Inserts already-serialised JSON as a value, unchanged.
  JsonWriter& raw(std::string_view json);

  /// Reserves room for `bytes` of output, to write a line without regrowing.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

  const std::string& str() const& { return out_; }
  std::string str() && { return std::move(out_); }

 private:
  void comma();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace vitrina::protocol
