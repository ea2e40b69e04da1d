#include "service/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace attain {
namespace {

std::atomic<int> threshold{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  for (const LogLevel level :
       {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (name == LevelName(level)) return level;
  }
  return std::nullopt;
}

void SetLogLevel(LogLevel level) { threshold = static_cast<int>(level); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= threshold; }

void Log(LogLevel level, std::string_view message) {
  if (!LogEnabled(level)) return;
  const bool cut = message.size() > kMaxLogMessageBytes;
  const std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone()),
                   " ", LevelName(level), " ",
                   absl::string_view(message.data(), cut ? kMaxLogMessageBytes : message.size()),
                   cut ? "...(cut)" : "", "\n");
  // One write per line, so lines from different threads do not interleave.
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace attain
