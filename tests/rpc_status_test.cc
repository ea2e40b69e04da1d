// What statuses mean to a client (proto/support/rpc_status.h): the canonical name of
// every gRPC status code, unknown codes, and the ErrorInfo keys the API documents.
#include "proto/support/rpc_status.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

struct NamedCode {
  int number;  // the code's number in google.rpc.Code
  grpc::StatusCode code;
  const char* name;
};

// google.rpc.Code: every canonical code, its number and its name.
constexpr NamedCode kCodes[] = {
    {0, grpc::StatusCode::OK, "OK"},
    {1, grpc::StatusCode::CANCELLED, "CANCELLED"},
    {2, grpc::StatusCode::UNKNOWN, "UNKNOWN"},
    {3, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
    {4, grpc::StatusCode::DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
    {5, grpc::StatusCode::NOT_FOUND, "NOT_FOUND"},
    {6, grpc::StatusCode::ALREADY_EXISTS, "ALREADY_EXISTS"},
    {7, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"},
    {8, grpc::StatusCode::RESOURCE_EXHAUSTED, "RESOURCE_EXHAUSTED"},
    {9, grpc::StatusCode::FAILED_PRECONDITION, "FAILED_PRECONDITION"},
    {10, grpc::StatusCode::ABORTED, "ABORTED"},
    {11, grpc::StatusCode::OUT_OF_RANGE, "OUT_OF_RANGE"},
    {12, grpc::StatusCode::UNIMPLEMENTED, "UNIMPLEMENTED"},
    {13, grpc::StatusCode::INTERNAL, "INTERNAL"},
    {14, grpc::StatusCode::UNAVAILABLE, "UNAVAILABLE"},
    {15, grpc::StatusCode::DATA_LOSS, "DATA_LOSS"},
    {16, grpc::StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED"},
};

TEST(StatusCodeNameTest, NamesEveryCanonicalCode) {
  for (const NamedCode& c : kCodes) {
    EXPECT_EQ(static_cast<int>(c.code), c.number) << c.name;
    EXPECT_STREQ(StatusCodeName(c.code), c.name) << "code " << c.number;
  }
}

TEST(StatusCodeNameTest, AgreesWithAbseilsNamesOfTheSameNumbers) {
  // absl::StatusCode numbers the canonical codes as gRPC does.
  for (int number = 0; number <= 16; ++number) {
    EXPECT_EQ(StatusCodeName(static_cast<grpc::StatusCode>(number)),
              absl::StatusCodeToString(static_cast<absl::StatusCode>(number)))
        << "code " << number;
  }
}

TEST(StatusCodeNameTest, GivesEachCodeADistinctName) {
  for (const NamedCode& a : kCodes) {
    for (const NamedCode& b : kCodes) {
      if (a.number == b.number) continue;
      EXPECT_NE(std::string(StatusCodeName(a.code)), StatusCodeName(b.code))
          << a.number << " and " << b.number;
    }
  }
}

TEST(StatusCodeNameTest, UnknownCodesAreUnknown) {
  for (const int number : {17, 99, 1'000, -1, -2}) {
    EXPECT_STREQ(StatusCodeName(static_cast<grpc::StatusCode>(number)), "UNKNOWN")
        << "code " << number;
  }
  EXPECT_STREQ(StatusCodeName(grpc::StatusCode::DO_NOT_USE), "UNKNOWN");
}

TEST(ErrorInfoKeysTest, AreTheOnesTheApiDocuments) {
  // README: INVALID_ARGUMENT carries an ErrorInfo with reason FIELD_VIOLATIONS and a
  // violations_total; the domain is the API's package.
  EXPECT_STREQ(kViolationsReason, "FIELD_VIOLATIONS");
  EXPECT_STREQ(kViolationsTotalKey, "violations_total");
  EXPECT_STREQ(kErrorDomain, "attain.v1");
}

}  // namespace
}  // namespace attain
