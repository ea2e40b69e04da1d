// One-line logs to stderr with a level threshold. Request logs carry method, status,
// duration and paths, never portfolio contents.
//
// Thread-safe (each line is one write).
#ifndef ATTAIN_SERVICE_LOG_H_
#define ATTAIN_SERVICE_LOG_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace attain {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// A longer message is cut to this many bytes, so that no request can make a huge line.
inline constexpr size_t kMaxLogMessageBytes = 4096;

std::optional<LogLevel> ParseLogLevel(std::string_view name);  // debug|info|warn|error
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view message);

}  // namespace attain

#endif  // ATTAIN_SERVICE_LOG_H_
