// A stand-in for vitrina-server in the install test: answers GET /healthz with
// {"status":"ok"}, on 127.0.0.1 and a port the kernel picks, which it writes to a file.
//
//   vitrina_install_health_server <port-file> <lifetime-seconds> [expected-bearer-token]
//
// With a token, /healthz answers 401 unless "Authorization: Bearer <token>" was sent. The
// server stops by itself after its lifetime so a crashed test never leaves it behind.
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s <port-file> <lifetime-seconds> [token]\n", argv[0]);
    return 2;
  }
  const std::string port_file = argv[1];
  const int lifetime = std::atoi(argv[2]);
  const std::string expected = argc == 4 ? "Bearer " + std::string(argv[3]) : "";

  httplib::Server server;
  server.Get("/healthz", [&](const httplib::Request& req, httplib::Response& res) {
    if (!expected.empty() && req.get_header_value("Authorization") != expected) {
      res.status = 401;
      res.set_content(R"({"title":"Unauthorized","detail":"missing or wrong secret key"})", "application/problem+json");
      return;
    }
    res.set_content(R"({"status":"ok"})", "application/json");
  });

  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "cannot bind 127.0.0.1\n");
    return 1;
  }
  {
    // Written to a temporary name and renamed, so a reader never sees a half-written port.
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << port << '\n';
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0) return 1;
  }

  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(lifetime), [&] { return done; });
    server.stop();
  });
  // stop() before the loop runs would be lost; the watchdog's wait is far longer than startup.
  server.listen_after_bind();
  {
    const std::lock_guard lock(mu);
    done = true;
  }
  cv.notify_one();
  watchdog.join();
  return 0;
}
