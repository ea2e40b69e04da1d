// gRPC statuses for the domain's errors, shared by attaind and the attain CLI. Validation
// failures carry a google.rpc.BadRequest with one field violation per listed problem in
// the status details, so clients (grpcurl, Postman, the attain CLI) can point at the
// field. Message and details are bounded (kViolationsMessageBytes of violations, then
// "and N more"; a google.rpc.ErrorInfo carries the total), so that however bad a request
// is, its status stays well under gRPC's 8 KiB metadata limit.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_GRPC_STATUS_H_
#define ATTAIN_SERVICE_GRPC_STATUS_H_

#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "simulator/validation.h"

namespace attain {

// ErrorInfo of an INVALID_ARGUMENT status: reason, domain, and the metadata key of the
// number of violations found (listed or not).
inline constexpr char kViolationsReason[] = "FIELD_VIOLATIONS";
inline constexpr char kErrorDomain[] = "attain.v1";
inline constexpr char kViolationsTotalKey[] = "violations_total";

// INVALID_ARGUMENT whose message is ViolationsMessage(violations) and whose details are a
// google.rpc.Status holding a google.rpc.BadRequest (the violations the message lists)
// and a google.rpc.ErrorInfo (their total). REQUIRES: !violations.empty().
grpc::Status InvalidArgumentStatus(const Violations& violations);

// INVALID_ARGUMENT with the one violation `field`: `description`.
grpc::Status InvalidArgumentStatus(std::string field, std::string description);

// The same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The canonical name of a gRPC status code, e.g. "RESOURCE_EXHAUSTED".
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace attain

#endif  // ATTAIN_SERVICE_GRPC_STATUS_H_
