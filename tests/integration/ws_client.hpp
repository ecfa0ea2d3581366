#pragma once
// A small blocking WebSocket client on Beast for the chat tests: connect with chosen headers,
// send text frames, read with a deadline, see how the server closed.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <regex>
#include <string>

namespace vitrina::testing {

class WsClient {
 public:
  /// Opens the connection and asks for the upgrade. Answers 101 when accepted, otherwise the
  /// refusal's HTTP status (0 when the connection failed).
  int connect(int port, const std::string& target, const std::string& origin, const std::string& cookie = {},
              int receive_buffer = 0) {
    namespace net = boost::asio;
    auto& tcp = boost::beast::get_lowest_layer(ws_);
    boost::system::error_code ec;
    tcp.socket().open(net::ip::tcp::v4(), ec);
    if (receive_buffer > 0) tcp.socket().set_option(net::socket_base::receive_buffer_size(receive_buffer), ec);
    tcp.socket().connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
    if (ec) return 0;
    ws_.set_option(boost::beast::websocket::stream_base::decorator([origin, cookie](auto& req) {
      if (!origin.empty()) req.set(boost::beast::http::field::origin, origin);
      if (!cookie.empty()) req.set(boost::beast::http::field::cookie, cookie);
    }));
    ws_.read_message_max(1 << 22);
    boost::beast::websocket::response_type res;
    ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
    if (ec) return res.result_int();
    return 101;
  }

  void send(const std::string& text) {
    boost::system::error_code ec;
    ws_.text(true);
    ws_.write(boost::asio::buffer(text), ec);
  }
  void send_binary(const std::string& bytes) {
    boost::system::error_code ec;
    ws_.binary(true);
    ws_.write(boost::asio::buffer(bytes), ec);
  }

  /// The next frame, or nothing when the connection ended (see close_code) or `timeout`
  /// passed (timed_out()). After a timeout the client is unusable.
  std::optional<std::string> read(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    if (ended_) return std::nullopt;
    bool done = false;
    boost::system::error_code result;
    ws_.async_read(buffer_, [&](boost::system::error_code ec, std::size_t) {
      done = true;
      result = ec;
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
      timed_out_ = true;
      ended_ = true;
      boost::system::error_code ignored;
      boost::beast::get_lowest_layer(ws_).socket().close(ignored);
      ioc_.restart();
      ioc_.run_for(std::chrono::seconds(1));
      return std::nullopt;
    }
    if (result) {
      ended_ = true;
      error_ = result;
      if (result == boost::beast::websocket::error::closed) close_code_ = ws_.reason().code;
      return std::nullopt;
    }
    std::string out = boost::beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    return out;
  }

  /// Reads until a frame whose "type" is `type` (skipping others); nothing if none came.
  std::optional<std::string> read_type(const std::string& type,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto frame = read(left);
      if (!frame) return std::nullopt;
      if (frame->find("\"type\":\"" + type + "\"") != std::string::npos) return frame;
    }
  }

  /// Drops the TCP connection without a close handshake.
  void drop() {
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(ws_).socket().close(ignored);
    ended_ = true;
  }

  int close_code() const { return close_code_; }
  bool timed_out() const { return timed_out_; }
  bool ended() const { return ended_; }
  /// Why the connection ended (websocket::error::closed after a close handshake).
  boost::system::error_code error() const { return error_; }

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_{ioc_};
  boost::beast::flat_buffer buffer_;
  bool ended_ = false;
  bool timed_out_ = false;
  int close_code_ = 0;
  boost::system::error_code error_;
};

/// The first capture of `pattern` in `text`, "" when it does not match.
inline std::string capture_first(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return {};
  return m[1].str();
}

}  // namespace vitrina::testing
