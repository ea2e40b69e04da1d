#include "service/grpc_status.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace attain {

grpc::Status InvalidArgumentStatus(const Violations& violations) {
  const std::string message = ViolationsMessage(violations);
  google::rpc::BadRequest bad_request;
  const size_t listed = ViolationsToList(violations);
  for (size_t i = 0; i < listed; ++i) {
    google::rpc::BadRequest::FieldViolation* field = bad_request.add_field_violations();
    field->set_field(violations[i].field);
    field->set_description(violations[i].description);
  }
  google::rpc::ErrorInfo info;
  info.set_reason(kViolationsReason);
  info.set_domain(kErrorDomain);
  (*info.mutable_metadata())[kViolationsTotalKey] = std::to_string(violations.size());
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message(message);
  details.add_details()->PackFrom(bad_request);
  details.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message, details.SerializeAsString());
}

grpc::Status InvalidArgumentStatus(std::string field, std::string description) {
  Violations violations;
  violations.Add(std::move(field), std::move(description));
  return InvalidArgumentStatus(violations);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  // absl and gRPC share the canonical code numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace attain
