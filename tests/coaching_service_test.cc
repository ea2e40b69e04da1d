// CoachPlan over real gRPC, attaind in process on a free port: the response is the
// domain's coaching bit for bit with every sentence written, bad fields are
// INVALID_ARGUMENT naming them, and the memory budget counts the coaching's runs.
#include <memory>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "service/coaching_convert.h"
#include "service/server.h"
#include "tests/test_requests.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::ExamplePortfolio;
using testing_support::ViolatedFields;

class CoachingServiceTest : public testing::Test {
 protected:
  void StartServer(ServerConfig config = {}) {
    config.listen_address = "127.0.0.1:0";
    config.metrics_address = "";
    config.log_level = LogLevel::kError;
    if (config.worker_threads == 0) config.worker_threads = 2;
    absl::StatusOr<std::unique_ptr<AttainServer>> server = AttainServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::PlannerService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->grpc_port()), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::milliseconds(0));
  }

  grpc::Status Coach(const v1::CoachPlanRequest& request, v1::CoachPlanResponse& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return stub_->CoachPlan(&context, request, &response);
  }

  std::unique_ptr<AttainServer> server_;
  std::unique_ptr<v1::PlannerService::Stub> stub_;
};

v1::CoachPlanRequest Request(uint64_t paths, uint64_t seed) {
  v1::CoachPlanRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  (*request.mutable_plan()->mutable_tiers())["cobalt"] = v1::TIER_INVEST;
  request.mutable_options()->set_paths(paths);
  request.mutable_options()->set_seed(seed);
  return request;
}

TEST_F(CoachingServiceTest, TheResponseIsTheDomainCoachingBitForBit) {
  StartServer();
  const v1::CoachPlanRequest request = Request(4'000, 3);
  v1::CoachPlanResponse response;
  ASSERT_TRUE(Coach(request, response).ok());
  EXPECT_GE(response.score(), 0);
  EXPECT_LE(response.score(), 100);
  EXPECT_LE(response.score_interval().low(), response.score());
  EXPECT_GE(response.score_interval().high(), response.score());
  EXPECT_NE(response.score_basis(), v1::SCORE_BASIS_UNSPECIFIED);
  EXPECT_FALSE(response.score_message().empty());
  EXPECT_EQ(response.objective(), v1::OBJECTIVE_ATTAINMENT_PROBABILITY);
  EXPECT_EQ(response.plan().tiers_size(), 8);
  EXPECT_EQ(response.best_plan().tiers_size(), 8);
  EXPECT_EQ(response.plan().tiers().at("cobalt"), v1::TIER_INVEST);
  EXPECT_FALSE(response.portfolio().largest_partner_id().empty());
  EXPECT_EQ(response.floor_outcome().hours_used(), 8);  // one hour each
  ASSERT_EQ(response.partners_size(), 8);
  for (const v1::PartnerFeedback& f : response.partners()) {
    EXPECT_NE(f.code(), v1::FEEDBACK_CODE_UNSPECIFIED);
    EXPECT_FALSE(f.message().empty()) << f.partner_id();
    EXPECT_EQ(f.has_to_best(), f.code() != v1::FEEDBACK_CODE_ALIGNED);
  }
  EXPECT_EQ(response.portfolio().messages_size(), 3);
  for (const v1::CoachingMove& move : response.portfolio().top_moves()) {
    EXPECT_FALSE(move.message().empty());
  }
  EXPECT_EQ(response.optimization_seed(), 3u);

  CoachingInput input;
  ASSERT_TRUE(CoachingInputFromProto(request, input).empty());
  Engine engine(EngineOptions{});  // another thread count: still the same bits
  const absl::StatusOr<Coaching> direct =
      CoachPlanChecked(engine, input.portfolio, input.plan, input.options);
  ASSERT_TRUE(direct.ok()) << direct.status();
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(CoachingToProto(*direct, input.portfolio), response))
      << differences;
}

TEST_F(CoachingServiceTest, BadFieldsAreInvalidArgumentNamingThem) {
  StartServer();
  v1::CoachPlanRequest request = Request(100, 1);
  request.mutable_portfolio()->mutable_partners(2)->set_volatility(-1);
  request.set_objective(static_cast<v1::Objective>(42));
  request.mutable_options()->set_antithetic(true);
  v1::CoachPlanResponse response;
  grpc::Status status = Coach(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status),
            (std::vector<std::string>{"objective", "portfolio.partners[2].volatility",
                                      "options.antithetic", "options.paths"}));

  request = Request(1'000, 1);
  (*request.mutable_plan()->mutable_tiers())["nobody"] = v1::TIER_INVEST;
  (*request.mutable_plan()->mutable_hours())["acme"] = 3;
  status = Coach(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status),
            (std::vector<std::string>{"plan.tiers[\"nobody\"]", "plan.hours"}));
}

TEST_F(CoachingServiceTest, MemoryIsBudgeted) {
  ServerConfig small;
  small.memory_budget_mib = 1;
  StartServer(small);
  v1::CoachPlanResponse response;
  const grpc::Status memory = Coach(Request(1'000'000, 1), response);
  EXPECT_EQ(memory.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(memory.error_message().find("memory budget"), std::string::npos);
}

}  // namespace
}  // namespace attain
