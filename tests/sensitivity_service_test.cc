// AnalyzeSensitivity over real gRPC, attaind in process on a free port: the response is
// the domain's analysis bit for bit, bad fields are INVALID_ARGUMENT naming them, the
// work limit and the memory budget count every run, and the call is counted in metrics.
#include <memory>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "service/convert.h"
#include "service/sensitivity_convert.h"
#include "tests/test_requests.h"
#include "tests/test_server.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::ExamplePortfolio;
using testing_support::ViolatedFields;

class SensitivityServiceTest : public testing_support::InProcessServerTest {
 protected:
  grpc::Status Analyze(const v1::AnalyzeSensitivityRequest& request,
                       v1::AnalyzeSensitivityResponse& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return stub_->AnalyzeSensitivity(&context, request, &response);
  }

  // Calls handled by the server with `code`, from its metrics registry.
  double Handled(const std::string& code) {
    return testing_support::MetricValue(
        *server_, "attain_rpc_handled_total", {{"method", "AnalyzeSensitivity"}, {"code", code}});
  }

};

v1::AnalyzeSensitivityRequest Request(uint64_t paths, uint64_t seed) {
  v1::AnalyzeSensitivityRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.mutable_options()->set_paths(paths);
  request.mutable_options()->set_seed(seed);
  request.mutable_sensitivity()->set_tier_check_assumptions(1);
  return request;
}

TEST_F(SensitivityServiceTest, TheResponseIsTheDomainAnalysisBitForBit) {
  StartServer();
  v1::AnalyzeSensitivityRequest request = Request(2'000, 5);
  (*request.mutable_plan()->mutable_tiers())["cobalt"] = v1::TIER_INVEST;
  request.mutable_sensitivity()->mutable_churn_rate_factor()->set_low(0.25);
  request.mutable_sensitivity()->mutable_churn_rate_factor()->set_high(3);
  request.mutable_sensitivity()->set_top_partners(2);
  v1::AnalyzeSensitivityResponse response;
  ASSERT_TRUE(Analyze(request, response).ok());
  EXPECT_EQ(response.assumptions_size(), 8);
  EXPECT_EQ(response.tier_check(), v1::TIER_CHECK_STATUS_DONE);
  EXPECT_EQ(response.recommended_plan().tiers_size(), 8);
  EXPECT_EQ(response.base_outcome().plan_name(), "plan");
  EXPECT_EQ(response.seed(), 5u);
  for (const v1::AssumptionSensitivity& row : response.assumptions()) {
    if (row.assumption() == v1::SENSITIVITY_ASSUMPTION_CHURN_RATE) {
      EXPECT_EQ(row.low().setting(), 0.25);
      EXPECT_EQ(row.high().setting(), 3);
    }
  }

  SensitivityInput input;
  ASSERT_TRUE(SensitivityInputFromProto(request, input).empty());
  Engine engine(EngineOptions{});  // another thread count: still the same bits
  const absl::StatusOr<Sensitivity> direct = AnalyzeSensitivity(
      engine, input.portfolio, input.plan, input.options, input.sensitivity);
  ASSERT_TRUE(direct.ok()) << direct.status();
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(SensitivityToProto(*direct, input.portfolio), response))
      << differences;
  EXPECT_EQ(Handled("OK"), 1);
}

TEST_F(SensitivityServiceTest, BadFieldsAreInvalidArgumentNamingThem) {
  StartServer();
  v1::AnalyzeSensitivityRequest request = Request(1'000, 1);
  request.mutable_portfolio()->mutable_partners(2)->set_volatility(-1);
  (*request.mutable_plan()->mutable_tiers())["acme"] = v1::TIER_UNSPECIFIED;
  request.mutable_options()->set_target_ci_half_width(0.01);
  request.mutable_sensitivity()->mutable_max_lift_factor()->set_low(2);
  request.mutable_sensitivity()->set_top_partners(1'000);
  request.mutable_sensitivity()->set_tier_check_paths(100'000'000);
  v1::AnalyzeSensitivityResponse response;
  const grpc::Status status = Analyze(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status),
            (std::vector<std::string>{
                "plan.tiers[\"acme\"]", "portfolio.partners[2].volatility",
                "options.target_ci_half_width", "sensitivity.max_lift_factor.low",
                "sensitivity.max_lift_factor.high", "sensitivity.top_partners",
                "sensitivity.tier_check_paths"}));
  EXPECT_EQ(Handled("INVALID_ARGUMENT"), 1);
}

TEST_F(SensitivityServiceTest, WorkCountsEveryRunAndMemoryIsBudgeted) {
  ServerConfig config;
  config.worker_threads = 1;
  // The example is 8 partners x 4 periods: 23 runs of 1,000 paths are 736,000
  // partner-period paths, and seven tier samples 224,000 more.
  config.max_work = 9e5;
  StartServer(config);
  v1::AnalyzeSensitivityResponse response;
  v1::AnalyzeSensitivityRequest request = Request(1'000, 1);
  request.mutable_sensitivity()->set_tier_check_assumptions(3);
  const grpc::Status over = Analyze(request, response);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(over), std::vector<std::string>{"options.paths"});
  request.mutable_sensitivity()->set_check_tiers(false);
  EXPECT_TRUE(Analyze(request, response).ok());
  EXPECT_EQ(response.tier_check(), v1::TIER_CHECK_STATUS_OFF);
  EXPECT_EQ(response.recommended_plan().tiers_size(), 0);
  server_->Shutdown(std::chrono::milliseconds(0));

  ServerConfig small;
  small.memory_budget_mib = 1;
  StartServer(small);
  const grpc::Status memory = Analyze(Request(1'000'000, 1), response);
  EXPECT_EQ(memory.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(memory.error_message().find("memory budget"), std::string::npos);
}

}  // namespace
}  // namespace attain
