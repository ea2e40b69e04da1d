// gRPC statuses of the domain's errors: INVALID_ARGUMENT with a BadRequest of the listed
// violations and an ErrorInfo with their total, bounded however many there are; and the
// other codes carried over with their messages.
#include "service/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

struct Details {
  google::rpc::Status status;
  google::rpc::BadRequest bad_request;
  google::rpc::ErrorInfo info;
};

Details DetailsOf(const grpc::Status& status) {
  Details details;
  EXPECT_TRUE(details.status.ParseFromString(status.error_details()));
  EXPECT_EQ(details.status.details_size(), 2);
  EXPECT_TRUE(details.status.details(0).UnpackTo(&details.bad_request));
  EXPECT_TRUE(details.status.details(1).UnpackTo(&details.info));
  return details;
}

TEST(GrpcStatusTest, AFewViolationsAreAllListedInTheMessageAndTheBadRequest) {
  const Violations violations = {{"portfolio.quota", "must be >= 0, got -1"},
                                 {"options.paths", "must be in [1, 10000000], got 0"}};
  const grpc::Status status = InvalidArgumentStatus(violations);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "portfolio.quota: must be >= 0, got -1; options.paths: must be in [1, 10000000], "
            "got 0");
  const Details details = DetailsOf(status);
  EXPECT_EQ(details.status.code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(details.status.message(), status.error_message());
  ASSERT_EQ(details.bad_request.field_violations_size(), 2);
  EXPECT_EQ(details.bad_request.field_violations(1).field(), "options.paths");
  EXPECT_EQ(details.bad_request.field_violations(1).description(),
            "must be in [1, 10000000], got 0");
  EXPECT_EQ(details.info.reason(), kViolationsReason);
  EXPECT_EQ(details.info.domain(), kErrorDomain);
  EXPECT_EQ(details.info.metadata().at(kViolationsTotalKey), "2");
}

TEST(GrpcStatusTest, ManyViolationsListWhatFitsCountTheRestAndStaySmall) {
  Violations violations;
  for (int i = 0; i < 30'000; ++i) {
    violations.Add(absl::StrCat("portfolio.partners[", i, "].baseline_revenue"),
                   "must be in (0, 1e+12], got 0");
  }
  const grpc::Status status = InvalidArgumentStatus(violations);
  const Details details = DetailsOf(status);
  const size_t listed = ViolationsToList(violations);
  EXPECT_EQ(static_cast<size_t>(details.bad_request.field_violations_size()), listed);
  EXPECT_EQ(details.info.metadata().at(kViolationsTotalKey), "30000");
  EXPECT_NE(status.error_message().find(absl::StrCat("and ", 30'000 - listed, " more")),
            std::string::npos);
  // The trailers carry message and details: well under gRPC's 8 KiB metadata limit.
  EXPECT_LT(status.error_message().size() + status.error_details().size(), 4096u);
}

TEST(GrpcStatusTest, OneViolationByFieldAndDescription) {
  const grpc::Status status = InvalidArgumentStatus("plans", "must list 2 to 16 plans, got 1");
  EXPECT_EQ(status.error_message(), "plans: must list 2 to 16 plans, got 1");
  EXPECT_EQ(DetailsOf(status).bad_request.field_violations(0).field(), "plans");
}

TEST(GrpcStatusTest, OtherErrorsKeepTheirCodeAndMessage) {
  const grpc::Status status =
      ToGrpcStatus(absl::ResourceExhaustedError("over the memory budget"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "over the memory budget");
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_EQ(ToGrpcStatus(absl::DeadlineExceededError("late")).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace attain
