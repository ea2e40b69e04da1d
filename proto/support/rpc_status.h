// What the service's statuses mean to a client, shared by attaind and its clients: the
// names of the gRPC status codes, and the google.rpc.ErrorInfo that an INVALID_ARGUMENT
// carries beside its BadRequest.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_PROTO_SUPPORT_RPC_STATUS_H_
#define ATTAIN_PROTO_SUPPORT_RPC_STATUS_H_

#include "grpcpp/support/status.h"

namespace attain {

// ErrorInfo of an INVALID_ARGUMENT status: reason, domain, and the metadata key of the
// number of violations found (listed in the BadRequest or not).
inline constexpr char kViolationsReason[] = "FIELD_VIOLATIONS";
inline constexpr char kErrorDomain[] = "attain.v1";
inline constexpr char kViolationsTotalKey[] = "violations_total";

// The canonical name of a gRPC status code, e.g. "RESOURCE_EXHAUSTED".
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace attain

#endif  // ATTAIN_PROTO_SUPPORT_RPC_STATUS_H_
