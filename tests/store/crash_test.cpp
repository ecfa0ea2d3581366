// Durability under SIGKILL: a child process inserts sites and prints each acknowledged id; the
// test kills it mid-stream, reopens the database and requires every acknowledged id present.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace vitrina::store {
namespace {

constexpr std::size_t kAcksBeforeKill = 2000;
constexpr int kRounds = 3;
constexpr auto kRoundTimeout = std::chrono::seconds(30);

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of the child's stdout
};

Child spawn_child(const std::string& db_path) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    const char* argv[] = {VITRINA_STORE_CRASH_CHILD, db_path.c_str(), "4", nullptr};
    execv(argv[0], const_cast<char* const*>(argv));
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

// Reads complete lines from `fd` into `lines`; false on EOF or error.
bool read_lines(int fd, std::string& partial, std::vector<std::string>& lines) {
  char buffer[4096];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  partial.append(buffer, static_cast<std::size_t>(n));
  std::size_t start = 0;
  for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n', start)) {
    lines.push_back(partial.substr(start, nl - start));
    start = nl + 1;
  }
  partial.erase(0, start);
  return true;
}

TEST(CrashDurability, EveryAcknowledgedWriteSurvivesSigkill) {
  testing::TempDir dir;
  const auto path = dir.file("crash.db");
  std::vector<std::string> acknowledged;  // over all rounds

  for (int round = 0; round < kRounds; ++round) {
    Child child = spawn_child(path);
    ASSERT_GT(child.pid, 0);
    std::vector<std::string> lines;
    std::string partial;
    const auto deadline = std::chrono::steady_clock::now() + kRoundTimeout;
    bool open = true;
    while (open && lines.size() < kAcksBeforeKill) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "child too slow";
      pollfd pfd{child.out, POLLIN, 0};
      if (poll(&pfd, 1, 1000) > 0) open = read_lines(child.out, partial, lines);
    }
    kill(child.pid, SIGKILL);
    // Lines already in the pipe were acknowledged too; a trailing half line is not an ack.
    while (read_lines(child.out, partial, lines)) {
    }
    close(child.out);
    int status = 0;
    waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with status " << status;
    ASSERT_GE(lines.size(), kAcksBeforeKill);
    acknowledged.insert(acknowledged.end(), lines.begin(), lines.end());

    auto store = testing::open_or_die(path);
    std::size_t missing = 0;
    for (const auto& id : acknowledged) {
      auto found = store->find_site_by_id(id);
      ASSERT_TRUE(found.has_value()) << found.error().message;
      if (!found->has_value()) ++missing;
    }
    EXPECT_EQ(missing, 0u) << "round " << round << ": " << missing << " of " << acknowledged.size()
                           << " acknowledged writes lost";
  }
}

}  // namespace
}  // namespace vitrina::store
