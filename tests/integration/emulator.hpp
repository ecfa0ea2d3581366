#pragma once
// Test support: an acquirer emulator from tools/emulators/ (Node) as a child process on
// 127.0.0.1 port 0, and its control endpoints (/__emulator/…, see tools/emulators/lib/harness.mjs).

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vitrina::testing {

/// True when the tests can run emulators (node was found at configure time).
inline bool have_node() { return std::string(VITRINA_NODE).size() > 0 && ::access(VITRINA_NODE, X_OK) == 0; }

class Emulator {
 public:
  /// Starts `node tools/emulators/<script> args…` and waits for its port line.
  Emulator(const std::string& script, std::vector<std::string> args) {
    args.insert(args.begin(), std::string(VITRINA_SOURCE_DIR) + "/tools/emulators/" + script);
    args.insert(args.begin(), VITRINA_NODE);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    fd_ = fds[0];
    reader_ = std::thread([this] {
      char buf[4096];
      for (;;) {
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) return;
        std::lock_guard lock(mu_);
        output_.append(buf, static_cast<std::size_t>(n));
      }
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mu_);
        std::smatch m;
        if (std::regex_search(output_, m, std::regex(R"re("port":(\d+))re"))) {
          port_ = std::stoi(m[1].str());
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~Emulator() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (reader_.joinable()) reader_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string output() {
    std::lock_guard lock(mu_);
    return output_;
  }

  /// POST /__emulator/<path> with a JSON body; the answer's body ("" when none came).
  std::string control(const std::string& path, const std::string& json = "{}") const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(20));
    auto r = c.Post("/__emulator/" + path, json, "application/json");
    return r ? r->body : std::string{};
  }
  std::string get(const std::string& path) const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(std::chrono::seconds(20));
    auto r = c.Get("/__emulator/" + path);
    return r ? r->body : std::string{};
  }
  /// Waits until every queued callback was delivered (or gave up).
  void idle() const { (void)get("idle"); }
  /// The request and delivery log as JSON.
  std::string log() const { return get("log"); }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  int port_ = 0;
  std::mutex mu_;
  std::string output_;
  std::thread reader_;
};

/// How many times `needle` occurs in `haystack`.
inline std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace vitrina::testing
