#pragma once
// A webhook receiver for the benchmark: accepts HTTP/1.1 POSTs on 127.0.0.1, hands each whole
// request to a handler with the time it finished arriving, and answers 200 at once.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>

#include "load_common.hpp"

namespace vitrina::bench {

using WebhookRequest = boost::beast::http::request<boost::beast::http::string_body>;

class Receiver {
 public:
  /// Runs on the io_context's thread for every request.
  using Handler = std::function<void(const WebhookRequest&, Clock::time_point arrived)>;

  /// Listens on 127.0.0.1:port at once; throws (at start-up) when the port is taken.
  Receiver(boost::asio::io_context& ioc, unsigned short port, Handler handler);
  void stop();
  std::uint64_t connections() const { return connections_; }
  std::uint64_t refused() const { return refused_; }

  /// What the sessions share; they may outlive the Receiver while the io_context winds down.
  struct Shared {
    Handler handler;
    int open = 0;
  };

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<Shared> shared_;
  std::uint64_t connections_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace vitrina::bench
