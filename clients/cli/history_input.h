// Reading the inputs of `attain calibrate`: a CRM history in CSV, one row per partner and
// period, and an optional base portfolio (attain.v1.Portfolio JSON); and pointing the
// server's field violations ("rows[17].revenue") back at the file's line and column.
//
// CSV: a header line naming the columns. Required: partner_id, period, revenue, hours;
// optional: name, segment; any other column is ignored (names match without regard to
// case, spaces or underscores: "Partner ID", "partnerId"). period is a whole number
// (1, 2, ...), an ISO month (2025-07) or an ISO date (2025-07-01, which counts as its
// month), the same kind on every row; the distinct periods must be consecutive and every
// partner needs exactly one row per period. revenue (currency) and hours are numbers >= 0.
// Cells may be quoted (csv.h).
//
// Errors: INVALID_ARGUMENT naming the file, line and column ("history.csv line 18,
// column revenue: -5 is negative"), up to kMaxListedErrors of them, one per line, then
// how many more; NOT_FOUND when a file cannot be read. Both are bad input (IsBadInput).
// Pure functions apart from reading files; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_HISTORY_INPUT_H_
#define ATTAIN_CLIENTS_CLI_HISTORY_INPUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "attain/v1/calibration.pb.h"
#include "grpcpp/support/status.h"

namespace attain::cli {

// Errors listed in one message; the rest are counted.
inline constexpr size_t kMaxListedErrors = 10;

// A history CSV as request rows, and the line each row came from.
struct ParsedHistory {
  std::vector<v1::HistoryRow> rows;  // in the file's order
  std::vector<int> lines;            // [k]: the line rows[k] starts on
};

// Parses and checks history CSV text. `source_name` (usually the path) starts every
// error message.
absl::StatusOr<ParsedHistory> ParseHistoryCsv(absl::string_view text,
                                              absl::string_view source_name);

// What calibrate sends, and where each part came from.
struct HistoryInput {
  v1::CalibratePortfolioRequest request;
  std::vector<int> row_lines;  // [k]: the CSV line of request.rows(k)
  std::string history_path;
  std::string base_path;       // "" without --portfolio
};

// Reads the history CSV at `history_path` and, unless `base_path` is empty, the base
// portfolio JSON, and checks that every partner of the base has rows in the history
// ("base.json partners[3].id: partner \"zeta\" has no rows in history.csv").
absl::StatusOr<HistoryInput> ReadHistoryInput(const std::string& history_path,
                                              const std::string& base_path);

// A field of the request as the user's files name it: "rows[17].revenue" -> "history.csv
// line 19, column revenue"; "rows" -> "history.csv"; "portfolio.partners[3].id" ->
// "base.json partners[3].id". Other fields are returned as they are.
std::string LocateRequestField(const std::string& field, const HistoryInput& input);

// DescribeRpcError (rpc_errors.h) for a failed CalibratePortfolio call, with the field
// violations located in the files (LocateRequestField).
std::string DescribeCalibrationError(const grpc::Status& status, const HistoryInput& input,
                                     absl::string_view server, double deadline_seconds);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_HISTORY_INPUT_H_
