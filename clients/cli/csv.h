// Reading the attain CLI's CSV files: a file's text, and its records (RFC 4180) with the
// line each starts on, for error messages that point at the line.
//
// Pure functions apart from reading files; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_CSV_H_
#define ATTAIN_CLIENTS_CLI_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace attain::cli {

// The whole file. NOT_FOUND when it is not a regular file or cannot be read.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// One CSV record and the line it starts on (1-based), for error messages.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> cells;
};

// Splits RFC 4180 CSV into records. Unquoted cells are trimmed of surrounding spaces
// (people align columns by hand); quoted cells are kept verbatim and may span lines
// ("" inside quotes is one quote). Rows without a value (blank lines, ",,," from
// spreadsheets) are skipped, and so are note lines whose first character is `#` (outside
// quotes; every line keeps its number); a leading UTF-8 byte order mark is ignored.
// INVALID_ARGUMENT, prefixed "`source`:LINE: ", for a quoted cell without its closing
// quote or with text after it.
absl::StatusOr<std::vector<CsvRecord>> SplitCsv(absl::string_view text, absl::string_view source);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_CSV_H_
