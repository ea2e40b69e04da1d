// CoachPlan and the training exercises over real gRPC, attaind in process on a free
// port: CoachPlan's response is the domain's coaching bit for bit with every sentence
// written, the memory budget counts its runs; an exercise is the same bytes for the same
// id, a trainee's way through one (calibrate, recommend, submit) scores high; bad fields
// and altered ids are INVALID_ARGUMENT naming them.
#include <memory>

#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "service/coaching_convert.h"
#include "service/convert.h"
#include "tests/test_requests.h"
#include "tests/test_server.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::ExamplePortfolio;
using testing_support::ViolatedFields;

class CoachingServiceTest : public testing_support::InProcessServerTest {
 protected:
  template <class Request, class Response, class Method>
  grpc::Status Call(Method method, const Request& request, Response& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return (stub_.get()->*method)(&context, request, &response);
  }

  grpc::Status Coach(const v1::CoachPlanRequest& request, v1::CoachPlanResponse& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return stub_->CoachPlan(&context, request, &response);
  }

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
  v1::CoachPlanResponse expected = CoachingToProto(*direct, input.portfolio);
  AddWarnings(input.portfolio, {&input.plan, 1}, *expected.mutable_warnings());
  EXPECT_TRUE(differencer.Compare(expected, response))
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

v1::CreateExerciseRequest ExerciseRequest(int difficulty, uint64_t seed) {
  v1::CreateExerciseRequest request;
  request.set_difficulty(difficulty);
  request.set_seed(seed);
  return request;
}

TEST_F(CoachingServiceTest, AnExerciseIsTheSameBytesForTheSameSeed) {
  StartServer();
  v1::CreateExerciseResponse a;
  v1::CreateExerciseResponse b;
  v1::CreateExerciseResponse c;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(2, 9), a).ok());
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(2, 9), b).ok());
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(2, 10), c).ok());
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
  EXPECT_NE(a.exercise().id(), c.exercise().id());
  EXPECT_NE(a.exercise().history(0).revenue(), c.exercise().history(0).revenue());
  const v1::Exercise& e = a.exercise();
  EXPECT_EQ(e.difficulty(), 2);
  EXPECT_EQ(e.seed(), 9u);
  EXPECT_FALSE(e.briefing().empty());
  EXPECT_EQ(e.portfolio().partners_size(), 12);
  // 24 months of every partner, and of former partners gone dormant.
  EXPECT_EQ(e.history_size() % 24, 0);
  EXPECT_GT(e.history_size(), 12 * 24);
  for (const v1::Partner& p : e.portfolio().partners()) EXPECT_FALSE(p.name().empty());

  v1::CreateExerciseResponse drawn;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::CreateExercise, v1::CreateExerciseRequest(), drawn)
                  .ok());
  EXPECT_EQ(drawn.exercise().difficulty(), 1) << "unset difficulty is 1";
}

TEST_F(CoachingServiceTest, ATraineesWayThroughAnExerciseScoresHigh) {
  StartServer();
  v1::CreateExerciseResponse created;
  ASSERT_TRUE(
      Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(1, 4), created).ok());
  v1::CalibratePortfolioRequest calibrate;
  *calibrate.mutable_rows() = created.exercise().history();
  *calibrate.mutable_portfolio() = created.exercise().portfolio();
  v1::CalibratePortfolioResponse calibrated;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::CalibratePortfolio, calibrate, calibrated).ok());
  v1::RecommendTiersRequest recommend;
  *recommend.mutable_portfolio() = calibrated.portfolio();
  recommend.mutable_options()->set_seed(1);
  v1::RecommendTiersResponse recommended;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::RecommendTiers, recommend, recommended).ok());

  v1::SubmitExerciseRequest submit;
  submit.set_exercise_id(created.exercise().id());
  *submit.mutable_plan() = recommended.recommended_plan();
  v1::SubmitExerciseResponse graded;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::SubmitExercise, submit, graded).ok());
  EXPECT_GE(graded.coaching().score(), 80);
  EXPECT_EQ(graded.exercise_id(), created.exercise().id());
  ASSERT_EQ(graded.partners_size(), created.exercise().portfolio().partners_size());
  for (const v1::PartnerReveal& reveal : graded.partners()) {
    EXPECT_NE(reveal.archetype(), v1::PARTNER_ARCHETYPE_UNSPECIFIED);
    EXPECT_EQ(reveal.calibrated().partner_id(), reveal.partner_id());
    EXPECT_GT(reveal.truth().baseline_revenue(), 0);
  }
  EXPECT_EQ(graded.truth().quota(), created.exercise().portfolio().quota());
  EXPECT_GT(graded.calibration().partners(), 0);

  // The floor scores 0; the same submission grades the same.
  v1::SubmitExerciseRequest floor;
  floor.set_exercise_id(created.exercise().id());
  for (const v1::Partner& p : created.exercise().portfolio().partners()) {
    (*floor.mutable_plan()->mutable_tiers())[p.id()] = v1::TIER_OPPORTUNISTIC;
  }
  v1::SubmitExerciseResponse floored;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::SubmitExercise, floor, floored).ok());
  EXPECT_EQ(floored.coaching().score(), 0);
  v1::SubmitExerciseResponse again;
  ASSERT_TRUE(Call(&v1::PlannerService::Stub::SubmitExercise, submit, again).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(again, graded));
}

TEST_F(CoachingServiceTest, BadExerciseRequestsNameTheField) {
  StartServer();
  v1::CreateExerciseResponse created;
  grpc::Status status =
      Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(6, 1), created);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"difficulty"});
  status = Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(-1, 1), created);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"difficulty"});

  ASSERT_TRUE(
      Call(&v1::PlannerService::Stub::CreateExercise, ExerciseRequest(1, 2), created).ok());
  const std::string id = created.exercise().id();
  v1::SubmitExerciseResponse graded;
  v1::SubmitExerciseRequest submit;
  // Every single character altered.
  for (size_t k = 0; k < id.size(); ++k) {
    submit.set_exercise_id(id);
    (*submit.mutable_exercise_id())[k] = id[k] == 'x' ? 'y' : 'x';
    status = Call(&v1::PlannerService::Stub::SubmitExercise, submit, graded);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << submit.exercise_id();
    EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"exercise_id"});
  }
  submit.set_exercise_id(id);
  (*submit.mutable_plan()->mutable_tiers())["nobody"] = v1::TIER_INVEST;
  status = Call(&v1::PlannerService::Stub::SubmitExercise, submit, graded);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"plan.tiers[\"nobody\"]"});
}

}  // namespace
}  // namespace attain
