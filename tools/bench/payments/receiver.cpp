#include "receiver.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <memory>
#include <optional>

namespace vitrina::bench {

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// The server sends one webhook per connection at a time; far more open at once means
// something is wrong, and the receiver must stay bounded anyway.
constexpr int kMaxOpen = 1024;

constexpr std::string_view kAnswerClose = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
constexpr std::string_view kAnswerKeep = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Receiver::Shared> shared)
      : socket_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->open;
  }
  ~Session() { --shared_->open; }

  void read() {
    parser_.emplace();
    parser_->body_limit(1 << 20);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                       if (ec) return;  // the sender closed, or sent garbage: nothing to time
                       const auto arrived = Clock::now();
                       self->shared_->handler(self->parser_->get(), arrived);
                       const bool keep = self->parser_->get().keep_alive();
                       const std::string_view answer = keep ? kAnswerKeep : kAnswerClose;
                       net::async_write(self->socket_, net::buffer(answer.data(), answer.size()),
                                        [self, keep](boost::system::error_code wec, std::size_t) {
                                          if (wec) return;
                                          if (keep) return self->read();
                                          boost::system::error_code ignored;
                                          self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                                        });
                     });
  }

 private:
  tcp::socket socket_;
  std::shared_ptr<Receiver::Shared> shared_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

Receiver::Receiver(net::io_context& ioc, unsigned short port, Handler handler)
    : acceptor_(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), port)),
      shared_(std::make_shared<Shared>(Shared{.handler = std::move(handler)})) {
  accept();
}

void Receiver::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void Receiver::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      ++connections_;
      if (shared_->open >= kMaxOpen) {
        ++refused_;
      } else {
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), shared_)->read();
      }
    }
    accept();
  });
}

}  // namespace vitrina::bench
