#include "tests/test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

extern char** environ;

namespace attain::testing_support {

using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string Prose(const std::string& text) {
  std::string prose;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space || prose.empty() || prose.back() != ' ') prose += space ? ' ' : c;
  }
  return prose;
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + std::to_string(::getpid()) + "_" + name;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

pid_t Spawn(const std::vector<std::string>& argv, int stdout_fd, int stderr_fd,
            const std::vector<std::string>& extra_env) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> env;
  for (std::string& s : env_strings) env.push_back(s.data());
  env.push_back(nullptr);
  std::vector<std::string> args_copy = argv;
  std::vector<char*> args;
  for (std::string& s : args_copy) args.push_back(s.data());
  args.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();  // its own session, so a pty given as stderr becomes its terminal
    ::dup2(stdout_fd, STDOUT_FILENO);
    ::dup2(stderr_fd, STDERR_FILENO);
    ::execve(args[0], args.data(), env.data());
    ::_exit(127);
  }
  return pid;
}

int WaitForExit(pid_t pid, std::chrono::milliseconds timeout) {
  const Clock::time_point give_up = Clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > give_up) {
      ADD_FAILURE() << "process " << pid << " did not exit within " << timeout.count() << " ms";
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool Attaind::Start(const std::string& attaind_path, const std::vector<std::string>& flags) {
  static int started = 0;
  log_path_ = TempPath("attaind" + std::to_string(started++) + ".log");
  const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int null = ::open("/dev/null", O_WRONLY);
  std::vector<std::string> argv = {attaind_path, "--listen=127.0.0.1:0", "--metrics-listen=",
                                   "--drain-delay=0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  pid_ = Spawn(argv, null, log);
  ::close(log);
  ::close(null);
  const Clock::time_point give_up = Clock::now() + std::chrono::seconds(10);
  const std::string marker = "attaind listening grpc_port=";
  while (Clock::now() < give_up) {
    const std::string text = ReadFile(log_path_);
    if (const size_t at = text.find(marker); at != std::string::npos) {
      port_ = std::atoi(text.c_str() + at + marker.size());
      if (port_ > 0) return true;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      ADD_FAILURE() << "attaind exited early:\n" << text;
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "attaind did not report its port:\n" << ReadFile(log_path_);
  return false;
}

void Attaind::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int Attaind::Wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  const int code = WaitForExit(pid_, timeout);
  pid_ = -1;
  return code;
}

int Attaind::Stop() {
  Signal(SIGTERM);
  return Wait(std::chrono::seconds(15));
}

Attaind::~Attaind() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

ProcessResult RunProcess(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                         const std::vector<std::string>& extra_env) {
  static int run = 0;
  const std::string out_path = TempPath("process_out" + std::to_string(run));
  const std::string err_path = TempPath("process_err" + std::to_string(run++));
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const pid_t pid = Spawn(argv, out, err, extra_env);
  ::close(out);
  ::close(err);
  ProcessResult result;
  result.exit_code = WaitForExit(pid, timeout);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

void AttainCliTest::SetUp() {
  ASSERT_TRUE(server_.Start(attaind_path_, {"--worker-threads=1"}));
}

void AttainCliTest::TearDown() {
  EXPECT_EQ(server_.Stop(), 0) << "attaind did not stop cleanly on SIGTERM:\n" << server_.log();
}

ProcessResult AttainCliTest::Attain(std::vector<std::string> args) {
  std::vector<std::string> argv = {cli_path_};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--server=" + server_.address());
  return RunProcess(argv, timeout_);
}

std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: localhost\r\n\r\n");
  [[maybe_unused]] const ssize_t sent = send(fd, request.data(), request.size(), 0);
  std::string body;
  char buffer[4096];
  for (ssize_t n; (n = recv(fd, buffer, sizeof(buffer), 0)) > 0;) body.append(buffer, static_cast<size_t>(n));
  close(fd);
  return body;
}

}  // namespace attain::testing_support
