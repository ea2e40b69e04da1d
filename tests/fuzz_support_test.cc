#include "fuzz/fuzz_support.h"

#include <limits>

#include "attain/v1/simulation.pb.h"
#include "gtest/gtest.h"
#include "service/grpc_status.h"

namespace attain::fuzz {
namespace {

v1::PlanOutcome Sound() {
  v1::PlanOutcome outcome;
  outcome.set_attainment_probability(0.4);
  outcome.mutable_attainment_interval()->set_low(0.38);
  outcome.mutable_attainment_interval()->set_high(0.42);
  outcome.set_expected_revenue(1e6);
  outcome.add_periods()->set_on_track_probability(0.5);
  return outcome;
}

TEST(FuzzSupportDeathTest, SoundFiguresPass) {
  CheckFigures(Sound());
  CheckAnswer(grpc::Status::OK, nullptr);
  CheckAnswer(InvalidArgumentStatus("portfolio.quota", "must be positive"), nullptr);
  CheckAnswer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                           "the request could not be parsed as attain.v1.SimulateRequest"),
              nullptr);
  CheckAnswer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                           "the request is not a serialized attain.v1.SimulateRequest "
                           "(malformed wire format)"),
              nullptr);
  CheckAnswer(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "full"), nullptr);
}

TEST(FuzzSupportDeathTest, EachBrokenInvariantAborts) {
  v1::PlanOutcome nan = Sound();
  nan.set_expected_revenue(std::numeric_limits<double>::quiet_NaN());
  EXPECT_DEATH(CheckFigures(nan), "not finite: attain.v1.PlanOutcome.expected_revenue");

  v1::PlanOutcome deep = Sound();
  deep.mutable_periods(0)->set_on_track_probability(1.5);
  EXPECT_DEATH(CheckFigures(deep), "a probability outside \\[0, 1\\]");

  v1::PlanOutcome outside = Sound();
  outside.mutable_attainment_interval()->set_low(0.41);
  EXPECT_DEATH(CheckFigures(outside), "does not contain its estimate 0.4");

  EXPECT_DEATH(CheckAnswer(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad"), nullptr),
               "INVALID_ARGUMENT naming no field: bad");
  EXPECT_DEATH(CheckAnswer(grpc::Status(grpc::StatusCode::INTERNAL, "oops"), nullptr),
               "unexpected status 13");
  EXPECT_DEATH(CheckRefusal(absl::InvalidArgumentError("")), "a refusal without a message");
}

}  // namespace
}  // namespace attain::fuzz
