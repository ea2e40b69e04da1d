// gRPC statuses for the domain's errors. Validation failures carry a
// google.rpc.BadRequest with one field violation per listed problem in the status
// details, so clients (grpcurl, Postman, the attain CLI) can point at the field. Message
// and details are bounded (kViolationsMessageBytes of violations, then
// "and N more"; a google.rpc.ErrorInfo carries the total), so that however bad a request
// is, its status stays well under gRPC's 8 KiB metadata limit.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_GRPC_STATUS_H_
#define ATTAIN_SERVICE_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "proto/support/rpc_status.h"
#include "simulator/validation.h"

namespace attain {

// INVALID_ARGUMENT whose message is ViolationsMessage(violations) and whose details are a
// google.rpc.Status holding a google.rpc.BadRequest (the violations the message lists)
// and a google.rpc.ErrorInfo (their total). REQUIRES: !violations.empty().
grpc::Status InvalidArgumentStatus(const Violations& violations);

// INVALID_ARGUMENT with the one violation `field`: `description`.
grpc::Status InvalidArgumentStatus(std::string field, std::string description);

// The same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace attain

#endif  // ATTAIN_SERVICE_GRPC_STATUS_H_
