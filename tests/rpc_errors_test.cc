#include "clients/cli/rpc_errors.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/grpc_status.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;

// INVALID_ARGUMENT as attaind sends it: a google.rpc.Status with a BadRequest detail.
grpc::Status BadRequestStatus() {
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("portfolio.partners[0].volatility");
  violation->set_description("must be in [0, 3], got -1");
  violation = bad_request.add_field_violations();
  violation->set_field("portfolio.periods");
  violation->set_description("must be in [1, 60], got 0");
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.set_message("2 problems");
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "2 problems",
                      details.SerializeAsString());
}

TEST(CliRpcErrorsTest, ExitCodes) {
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::OK), 0);
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::INVALID_ARGUMENT), 2);
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::UNAVAILABLE), 3);
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::DEADLINE_EXCEEDED), 4);
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::FAILED_PRECONDITION), 2);  // e.g. no plan fits
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::RESOURCE_EXHAUSTED), 1);
  EXPECT_EQ(ExitCodeForRpc(grpc::StatusCode::INTERNAL), 1);
}

TEST(CliRpcErrorsTest, FieldViolationsFromDetails) {
  const auto violations = FieldViolations(BadRequestStatus());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].first, "portfolio.partners[0].volatility");
  EXPECT_EQ(violations[0].second, "must be in [0, 3], got -1");
  EXPECT_EQ(violations[1].first, "portfolio.periods");
}

TEST(CliRpcErrorsTest, NoOrGarbledDetails) {
  EXPECT_TRUE(FieldViolations(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x")).empty());
  EXPECT_TRUE(
      FieldViolations(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "x", "\xff\xff")).empty());
}

TEST(CliRpcErrorsTest, DescribeInvalidArgumentListsEachField) {
  const std::string text = DescribeRpcError(BadRequestStatus(), "localhost:50051", 60);
  EXPECT_THAT(text, HasSubstr("rejected"));
  EXPECT_THAT(text, HasSubstr("\n  portfolio.partners[0].volatility: must be in [0, 3], got -1"));
  EXPECT_THAT(text, HasSubstr("\n  portfolio.periods: must be in [1, 60], got 0"));
}

TEST(CliRpcErrorsTest, DescribeSaysHowManyMoreTheServerFoundThanItListed) {
  Violations violations;
  for (int i = 0; i < 500; ++i) {
    violations.Add(absl::StrCat("portfolio.partners[", i, "].tier"), "is required");
  }
  const grpc::Status status = InvalidArgumentStatus(violations);  // as attaind sends it
  const size_t listed = FieldViolations(status).size();
  ASSERT_GT(listed, 0u);
  ASSERT_LT(listed, 500u);
  EXPECT_EQ(ViolationsTotal(status), 500u);
  const std::string text = DescribeRpcError(status, "s:1", 60);
  EXPECT_THAT(text, HasSubstr("\n  portfolio.partners[0].tier: is required"));
  EXPECT_THAT(text, HasSubstr(absl::StrCat("\n  ... and ", 500 - listed, " more")));
  EXPECT_EQ(ViolationsTotal(BadRequestStatus()), 2u);  // no ErrorInfo: the listed ones
}

TEST(CliRpcErrorsTest, DescribeOtherErrors) {
  EXPECT_THAT(DescribeRpcError(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "plans: bad"),
                               "s:1", 60),
              HasSubstr("plans: bad"));
  EXPECT_THAT(DescribeRpcError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "refused"), "s:1", 60),
              HasSubstr("unavailable at s:1"));
  EXPECT_THAT(
      DescribeRpcError(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late"), "s:1", 0.5),
      HasSubstr("deadline of 0.5 s"));
  EXPECT_THAT(
      DescribeRpcError(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy"), "s:1", 60),
      HasSubstr("RESOURCE_EXHAUSTED: busy"));
  EXPECT_EQ(DescribeRpcError(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                          "no plan fits the capacity of 10 hours per period"),
                             "s:1", 60),
            "the request cannot be satisfied: no plan fits the capacity of 10 hours per period");
}

}  // namespace
}  // namespace attain::cli
