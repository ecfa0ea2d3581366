#include "support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <random>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace vitrina::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string templ = (fs::temp_directory_path() / "vitrina-test-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void TempDir::write(const std::string& relative, const std::string& bytes) const {
  const auto p = path_ / relative;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

ServerProcess::ServerProcess(std::vector<std::string> args, std::map<std::string, std::string> env,
                             const std::string& input) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int in_fds[2] = {-1, -1};
  if (!input.empty() && ::pipe2(in_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto name = entry.substr(0, entry.find('='));
    if (!env.contains(name)) env_strings.push_back(entry);
  }
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  args.insert(args.begin(), VITRINA_SERVER_BIN);

  // Built before fork: the child of a threaded process may only make async-signal-safe calls.
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    if (in_fds[0] >= 0) ::dup2(in_fds[0], 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  if (in_fds[0] >= 0) {
    // Small inputs only (a password line): they fit the pipe buffer, so this cannot block.
    ::close(in_fds[0]);
    [[maybe_unused]] const auto written = ::write(in_fds[1], input.data(), input.size());
    ::close(in_fds[1]);
  }
  out_fd_ = fds[0];
  reader_ = std::thread([this] {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(out_fd_, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mu_);
      output_.append(buf, static_cast<std::size_t>(n));
      cv_.notify_all();
    }
    std::lock_guard lock(mu_);
    eof_ = true;
    cv_.notify_all();
  });
}

ServerProcess::~ServerProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait_exit(10s);
  }
  if (reader_.joinable()) reader_.join();
  if (out_fd_ >= 0) ::close(out_fd_);
}

int ServerProcess::wait_listening(std::chrono::milliseconds timeout) {
  static const std::regex kListening(R"re("msg":"listening","address":"[^"]*","port":(\d+))re");
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::smatch m;
  while (!std::regex_search(output_, m, kListening)) {
    if (eof_) return 0;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) return 0;
  }
  port_ = std::stoi(m[1].str());
  return port_;
}

bool ServerProcess::wait_for_output(const std::string& needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return output_.find(needle) != std::string::npos; });
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mu_);
  return output_;
}

void ServerProcess::send_signal(int sig) { ::kill(pid_, sig); }

bool ServerProcess::running() {
  if (exited_ || pid_ <= 0) return false;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

int ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) return -1;
    std::this_thread::sleep_for(10ms);
  }
  return status_;
}

RunResult run_server(std::vector<std::string> args, std::map<std::string, std::string> env,
                     std::chrono::milliseconds timeout) {
  ServerProcess p(std::move(args), std::move(env));
  int code = p.wait_exit(timeout);
  if (code < 0) {
    p.send_signal(SIGKILL);
    code = p.wait_exit(5s);
  }
  // Let the reader drain what the child wrote before it exited.
  p.wait_for_output("\n", 200ms);
  return {code, p.output()};
}

RunResult run_server_with_input(std::vector<std::string> args, const std::string& input,
                                std::chrono::milliseconds timeout) {
  ServerProcess p(std::move(args), {}, input);
  int code = p.wait_exit(timeout);
  if (code < 0) {
    p.send_signal(SIGKILL);
    code = p.wait_exit(5s);
  }
  p.wait_for_output("\n", 200ms);
  return {code, p.output()};
}

TestServer::TestServer(std::vector<std::string> extra_args) {
  widget.write("vitrina.js", "(function(){/* loader */})();\n");
  widget.write("vitrina.js.gz", "gzip-bytes");
  widget.write("vitrina.js.br", "brotli-bytes");
  widget.write("widget.0123456789.wasm", std::string("\0asm\1\0\0\0", 8));
  widget.write("big.txt", std::string(100 * 1024, 'x'));
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--data",
                                data.str(), "--set",       "static.widget_dir=" + widget.str()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<ServerProcess>(std::move(args));
  port_ = process_->wait_listening();
  if (port_ == 0) throw std::runtime_error("server did not start: " + process_->output());
}

std::string TestServer::get(const std::string& target, const std::string& extra_headers) const {
  return raw_exchange(
      port_, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n");
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

namespace {

// Reads what `fd` sends until the peer closes, `timeout` passes, or `done(out)` says enough.
template <class Done>
std::string read_until(int fd, std::chrono::milliseconds timeout, Done done) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[8192];
  while (!done(out)) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

std::string read_all(int fd, std::chrono::milliseconds timeout) {
  return read_until(fd, timeout, [](const std::string&) { return false; });
}

std::string read_response(int fd, std::chrono::milliseconds timeout) {
  return read_until(fd, timeout, [](const std::string& out) {
    const auto end = out.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const auto length = header_of(out, "Content-Length");
    return out.size() >= end + 4 + static_cast<std::size_t>(std::atoll(length.c_str()));
  });
}

std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds timeout) {
  const int fd = connect_to(port);
  if (fd < 0) return {};
  send_all(fd, request);
  std::string out = read_all(fd, timeout);
  ::close(fd);
  return out;
}

int status_of(const std::string& response) {
  if (response.size() < 12 || !response.starts_with("HTTP/1.")) return 0;
  return std::atoi(response.c_str() + 9);
}

std::string header_of(const std::string& response, const std::string& name) {
  const auto end = response.find("\r\n\r\n");
  std::string lower_name;
  for (char c : name) lower_name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::size_t pos = response.find("\r\n");
  while (pos != std::string::npos && pos < end) {
    const auto next = response.find("\r\n", pos + 2);
    const std::string line = response.substr(pos + 2, next - pos - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string key;
      for (char c : line.substr(0, colon))
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (key == lower_name) {
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        return value;
      }
    }
    pos = next;
  }
  return {};
}

}  // namespace vitrina::testing
