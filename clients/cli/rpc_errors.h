// What the attain CLI makes of an error: its exit code and the message it prints.
//
// Exit codes: 0 ok; 2 bad input (an unreadable or malformed file, a bad flag, a request
// the server rejects as INVALID_ARGUMENT, or one it cannot satisfy, FAILED_PRECONDITION:
// e.g. a recommendation whose locked partners alone exceed the capacity hours);
// 3 server unavailable; 4 deadline exceeded; 1 anything else. Pure functions; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_RPC_ERRORS_H_
#define ATTAIN_CLIENTS_CLI_RPC_ERRORS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace attain::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitUnavailable = 3;
inline constexpr int kExitDeadlineExceeded = 4;
inline constexpr int kExitUnauthenticated = 5;

int ExitCodeForRpc(const grpc::StatusCode code);

// The google.rpc.BadRequest field violations in a status's details, as (field,
// description) pairs; empty when there are none or the details do not parse.
std::vector<std::pair<std::string, std::string>> FieldViolations(const grpc::Status& status);

// The number of violations the server found, listed or not: its google.rpc.ErrorInfo's
// count, else the number listed.
size_t ViolationsTotal(const grpc::Status& status);

// Where a violation's field is in the user's files, e.g. "partners.csv:3: column
// \"volatility\"" for "portfolio.partners[1].volatility"; the field itself when it is in
// none of them.
using FieldLocator = std::function<std::string(const std::string& field)>;

// A message for a failed RPC to `server`: what happened, the server's message, each field
// violation on its own line (located by `locate`, if set), and for the common cases what
// to try. No trailing newline.
std::string DescribeRpcError(const grpc::Status& status, absl::string_view server,
                             double deadline_seconds, const FieldLocator& locate = nullptr);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_RPC_ERRORS_H_
