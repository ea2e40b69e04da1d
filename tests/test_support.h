// Helpers shared by the tests: temporary files, child processes, and an attaind process
// on a port of its choosing. Not thread-safe; for test bodies.
#ifndef ATTAIN_TESTS_TEST_SUPPORT_H_
#define ATTAIN_TESTS_TEST_SUPPORT_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace attain::testing_support {

// The whole file, or "" when it cannot be read.
std::string ReadFile(const std::string& path);

// `text` with every run of spaces and line breaks one space: a report's sentences,
// however it wrapped them.
std::string Prose(const std::string& text);

// A path in the test's temporary directory, unique to this process: TempDir/<pid>_<name>.
std::string TempPath(const std::string& name);

// Writes `text` to TempPath(name) and returns that path.
std::string WriteTempFile(const std::string& name, const std::string& text);

// Forks and execs `argv` (argv[0] is a path) in a session of its own, with stdout and
// stderr on the given descriptors and `extra_env` ("NAME=value") added to this process's
// environment. Returns the child's pid.
pid_t Spawn(const std::vector<std::string>& argv, int stdout_fd, int stderr_fd,
            const std::vector<std::string>& extra_env = {});

// Waits up to `timeout` for `pid`, then kills it (a test failure). Returns the exit code,
// or 128 + the signal that ended it.
int WaitForExit(pid_t pid, std::chrono::milliseconds timeout);

// What a finished process wrote and how it ended.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to its end (WaitForExit with `timeout`) with stdout and stderr in files, so
// neither is a terminal, and `extra_env` added.
ProcessResult RunProcess(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                         const std::vector<std::string>& extra_env = {});

// An attaind process on 127.0.0.1 and a port of its choosing, its stderr in a file.
// The body (with the headers) of GET `path` from 127.0.0.1:`port` over HTTP/1.0; "" when
// nothing answers.
std::string HttpGet(int port, const std::string& path);

class Attaind {
 public:
  // Starts `attaind_path` with `flags` added to --listen=127.0.0.1:0 --metrics-listen=
  // --drain-delay=0; false (with a test failure) if it does not report its port.
  bool Start(const std::string& attaind_path, const std::vector<std::string>& flags = {});
  void Signal(int signal);
  // Waits for the process to exit (a test failure, and SIGKILL, after `timeout`); its
  // exit code.
  int Wait(std::chrono::milliseconds timeout);
  // SIGTERM, and the exit code.
  int Stop();
  ~Attaind();  // SIGKILL if still running

  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return ReadFile(log_path_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// A test with an attaind process of its own (one worker thread) and the attain CLI
// pointed at it: the end-to-end tests of the CLI's commands.
class AttainCliTest : public ::testing::Test {
 protected:
  // Each call of Attain may take up to `timeout`.
  AttainCliTest(std::string cli_path, std::string attaind_path, std::chrono::seconds timeout)
      : cli_path_(std::move(cli_path)),
        attaind_path_(std::move(attaind_path)),
        timeout_(timeout) {}

  void SetUp() override;
  void TearDown() override;  // a test failure unless attaind stops cleanly on SIGTERM

  // The attain binary with `args` and --server pointing at this test's attaind; stdout
  // and stderr go to files.
  ProcessResult Attain(std::vector<std::string> args);

  Attaind server_;

 private:
  const std::string cli_path_;
  const std::string attaind_path_;
  const std::chrono::seconds timeout_;
};

}  // namespace attain::testing_support

#endif  // ATTAIN_TESTS_TEST_SUPPORT_H_
