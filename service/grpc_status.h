// gRPC statuses for the domain's errors, shared by attaind and the attain CLI. Validation failures carry a
// google.rpc.BadRequest with one field violation per problem in the status details,
// so clients (grpcurl, Postman, the attain CLI) can point at the field.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SERVICE_GRPC_STATUS_H_
#define ATTAIN_SERVICE_GRPC_STATUS_H_

#include <vector>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "simulator/validation.h"

namespace attain {

// INVALID_ARGUMENT whose message lists the violations and whose details are a
// google.rpc.Status holding a google.rpc.BadRequest.
// REQUIRES: !violations.empty().
grpc::Status InvalidArgumentStatus(const std::vector<FieldViolation>& violations);

// The same code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The canonical name of a gRPC status code, e.g. "RESOURCE_EXHAUSTED".
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace attain

#endif  // ATTAIN_SERVICE_GRPC_STATUS_H_
