#include "clients/cli/rpc_errors.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "proto/support/rpc_status.h"

namespace attain::cli {

int ExitCodeForRpc(const grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT: return kExitBadInput;
    // The input is well formed but cannot be satisfied (no plan fits the hours): as with a
    // rejected field, the user has to change it.
    case grpc::StatusCode::FAILED_PRECONDITION: return kExitBadInput;
    case grpc::StatusCode::UNAVAILABLE: return kExitUnavailable;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return kExitDeadlineExceeded;
    case grpc::StatusCode::UNAUTHENTICATED: return kExitUnauthenticated;
    case grpc::StatusCode::PERMISSION_DENIED: return kExitUnauthenticated;
    default: return kExitFailure;
  }
}

std::vector<std::pair<std::string, std::string>> FieldViolations(const grpc::Status& status) {
  std::vector<std::pair<std::string, std::string>> violations;
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return violations;
  }
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.Is<google::rpc::BadRequest>() || !detail.UnpackTo(&bad_request)) continue;
    for (const google::rpc::BadRequest::FieldViolation& violation :
         bad_request.field_violations()) {
      violations.emplace_back(violation.field(), violation.description());
    }
  }
  return violations;
}

size_t ViolationsTotal(const grpc::Status& status) {
  const size_t listed = FieldViolations(status).size();
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return listed;
  }
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::ErrorInfo info;
    if (!detail.Is<google::rpc::ErrorInfo>() || !detail.UnpackTo(&info)) continue;
    const auto total = info.metadata().find(kViolationsTotalKey);
    size_t count = 0;
    if (info.reason() == kViolationsReason && total != info.metadata().end() &&
        absl::SimpleAtoi(total->second, &count) && count > listed) {
      return count;
    }
  }
  return listed;
}

std::string DescribeRpcError(const grpc::Status& status, absl::string_view server,
                             double deadline_seconds, const FieldLocator& locate) {
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT: {
      const auto violations = FieldViolations(status);
      if (violations.empty()) {
        return absl::StrCat("the server rejected the request: ", status.error_message());
      }
      std::string text = "the server rejected the request:";
      for (const auto& [field, description] : violations) {
        absl::StrAppend(&text, "\n  ", locate ? locate(field) : field, ": ", description);
      }
      if (const size_t total = ViolationsTotal(status); total > violations.size()) {
        absl::StrAppend(&text, "\n  ... and ", total - violations.size(), " more");
      }
      return text;
    }
    case grpc::StatusCode::FAILED_PRECONDITION:
      return absl::StrCat("the request cannot be satisfied: ", status.error_message());
    case grpc::StatusCode::UNAVAILABLE:
      return absl::StrCat("server unavailable at ", server, ": ", status.error_message(),
                          " (is attaind running there? set --server or ATTAIN_SERVER)");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::StrCat("deadline of ", deadline_seconds, " s exceeded: ",
                          status.error_message(),
                          " (raise --deadline, or lower --paths)");
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return absl::StrCat("the server at ", server, " refused the credentials: ",
                          status.error_message(),
                          " (give its token with --token-file or ATTAIN_TOKEN, and its client "
                          "certificate with --tls-cert and --tls-key)");
    default:
      return absl::StrCat(StatusCodeName(status.error_code()), ": ", status.error_message());
  }
}

}  // namespace attain::cli
