#pragma once
// Test support: run vitrina-server as a child process and talk to it over sockets.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vitrina::testing {

using namespace std::chrono_literals;

/// A fresh directory under /tmp, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  void write(const std::string& relative, const std::string& bytes) const;

 private:
  std::filesystem::path path_;
};

class ServerProcess {
 public:
  /// Starts vitrina-server with `args` (plus `env` added to the inherited environment) and
  /// collects its stdout and stderr. A non-empty `input` is written to its standard input,
  /// which is then closed; otherwise standard input is inherited.
  ServerProcess(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                const std::string& input = {});
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  /// Waits for the "listening" log line and returns the bound port, or 0 if the server exited or
  /// did not get there in time.
  int wait_listening(std::chrono::milliseconds timeout = 15s);
  int port() const { return port_; }

  bool wait_for_output(const std::string& needle, std::chrono::milliseconds timeout);
  std::string output() const;
  void send_signal(int sig);
  /// Exit code, or 128+signal when killed by a signal, or -1 if still running after timeout.
  int wait_exit(std::chrono::milliseconds timeout);
  bool running();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  int status_ = -1;
  bool exited_ = false;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string output_;
  bool eof_ = false;  // the child closed its output (it exited)
  std::thread reader_;
};

/// A running server on 127.0.0.1 port 0 with a temporary data directory and a small widget
/// directory (vitrina.js with .gz/.br siblings, a content-hashed .wasm, a 100 KB asset).
class TestServer {
 public:
  explicit TestServer(std::vector<std::string> extra_args = {});
  int port() const { return port_; }
  ServerProcess& process() { return *process_; }
  std::string get(const std::string& target, const std::string& extra_headers = {}) const;

  TempDir data;
  TempDir widget;

 private:
  std::unique_ptr<ServerProcess> process_;
  int port_ = 0;
};

/// Runs vitrina-server to completion (for commands and start-up failures).
struct RunResult {
  int exit_code;
  std::string output;
};
RunResult run_server(std::vector<std::string> args, std::map<std::string, std::string> env = {},
                     std::chrono::milliseconds timeout = 20s);
/// Like run_server, with `input` on the command's standard input (e.g. --password-stdin).
RunResult run_server_with_input(std::vector<std::string> args, const std::string& input,
                                std::chrono::milliseconds timeout = 20s);

/// A raw TCP exchange: sends `request` (possibly malformed), then reads until the server closes
/// or `timeout` passes. Returns everything read.
std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds timeout = 5s);

/// Opens a TCP connection to 127.0.0.1:port; -1 on failure.
int connect_to(int port);
void send_all(int fd, const std::string& bytes);
/// Reads until close or timeout.
std::string read_all(int fd, std::chrono::milliseconds timeout);
/// Reads one response with a Content-Length (the connection may stay open), or what came
/// before close or timeout.
std::string read_response(int fd, std::chrono::milliseconds timeout);

/// The status code of a raw HTTP response ("HTTP/1.1 404 ..." -> 404), 0 if none.
int status_of(const std::string& response);
/// A header's value in a raw response (first match, case-insensitive name), "" if absent.
std::string header_of(const std::string& response, const std::string& name);

}  // namespace vitrina::testing
