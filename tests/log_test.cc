// One-line logs: the level threshold, the line's shape, and the cut of long messages,
// read back from stderr redirected to a file.
#include "service/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace attain {
namespace {

// What `write` logs to stderr.
template <class Write>
std::string Captured(const Write& write) {
  const std::string path = testing_support::TempPath("log_test.err");
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  write();
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  return testing_support::ReadFile(path);
}

TEST(LogTest, LevelsParseByName) {
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("info"), LogLevel::kInfo);
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarning);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_FALSE(ParseLogLevel("loud").has_value());
}

TEST(LogTest, ALineHasTimeLevelAndMessageAndLinesBelowTheThresholdAreDropped) {
  SetLogLevel(LogLevel::kInfo);
  const std::string logged = Captured([] {
    Log(LogLevel::kDebug, "not shown");
    Log(LogLevel::kWarning, "rpc method=Simulate status=CANCELLED");
  });
  EXPECT_EQ(logged.find("not shown"), std::string::npos);
  // 2026-11-27T18:04:41.123Z warn rpc method=...
  ASSERT_GT(logged.size(), 25u);
  EXPECT_EQ(logged[4], '-');
  EXPECT_EQ(logged[10], 'T');
  EXPECT_EQ(logged.substr(23, 2), "Z ");
  EXPECT_EQ(logged.substr(25), "warn rpc method=Simulate status=CANCELLED\n");
  EXPECT_FALSE(LogEnabled(LogLevel::kDebug));
  EXPECT_TRUE(LogEnabled(LogLevel::kError));
}

TEST(LogTest, ALongMessageIsCutSoNoLineIsHuge) {
  SetLogLevel(LogLevel::kInfo);
  const std::string logged =
      Captured([] { Log(LogLevel::kError, std::string(10'000'000, 'x')); });
  EXPECT_LT(logged.size(), kMaxLogMessageBytes + 64);
  EXPECT_NE(logged.find(std::string(kMaxLogMessageBytes, 'x') + "...(cut)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace attain
