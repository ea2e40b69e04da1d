// attaind in process on a free port, called over real gRPC: each RPC, errors with field
// violations, deadlines and cancellation, overload, draining, and the metrics endpoint.
#include "service/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <future>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "service/convert.h"
#include "tests/test_requests.h"
#include "tests/test_server.h"
#include "tests/test_support.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::EmptyPartnersRequest;
using testing_support::HttpGet;
using testing_support::ExamplePortfolio;
using testing_support::MetricValue;
using testing_support::ReadStream;
using testing_support::ViolatedFields;

ServerConfig Config(int worker_threads, int max_in_flight = 4, int max_queue = 16) {
  ServerConfig config;
  config.worker_threads = worker_threads;
  config.max_in_flight = max_in_flight;
  config.max_queue = max_queue;
  return config;
}

v1::SimulateRequest Request(uint64_t paths, uint64_t seed) {
  v1::SimulateRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.mutable_options()->set_paths(paths);
  request.mutable_options()->set_seed(seed);
  return request;
}

// Polls `condition` every 5 ms for up to 10 s (a wait, not a timing assertion).
bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

// The health status of `service` on `channel`; UNKNOWN when the check fails.
grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const grpc::Status status =
      grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return status.ok() ? response.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
}

// A Simulate call in the background: its context (to cancel it) and, once, its status.
class BackgroundSimulate {
 public:
  BackgroundSimulate(v1::PlannerService::Stub& stub, v1::SimulateRequest request)
      : request_(std::move(request)) {
    stub.async()->Simulate(&context_, &request_, &response_,
                           [this](grpc::Status status) { done_.set_value(status); });
  }
  void Cancel() { context_.TryCancel(); }
  grpc::Status Wait() { return done_.get_future().get(); }
  const v1::SimulateResponse& response() const { return response_; }  // after Wait

 private:
  const v1::SimulateRequest request_;
  grpc::ClientContext context_;
  v1::SimulateResponse response_;
  std::promise<grpc::Status> done_;
};

class ServiceTest : public testing::Test {
 protected:
  // The metrics endpoint only where a test reads it: stopping its HTTP server takes
  // a second or two.
  void StartServer(ServerConfig config = {}, bool metrics_endpoint = false) {
    config.listen_address = "127.0.0.1:0";
    config.metrics_address = metrics_endpoint ? "127.0.0.1:0" : "";
    config.log_level = LogLevel::kError;
    if (config.worker_threads == 0) config.worker_threads = 2;
    absl::StatusOr<std::unique_ptr<AttainServer>> server = AttainServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->grpc_port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::PlannerService::NewStub(channel_);
  }

  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::milliseconds(0));
  }

  grpc::Status Simulate(const v1::SimulateRequest& request, v1::SimulateResponse& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return stub_->Simulate(&context, request, &response);
  }


  grpc::Status RawCall(const std::string& method, const std::string& bytes) {
    return testing_support::RawUnaryCall(channel_, method, bytes);
  }

  std::unique_ptr<AttainServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PlannerService::Stub> stub_;
};

TEST_F(ServiceTest, SimulateEqualsTheEngineBitForBit) {
  StartServer();
  const v1::SimulateRequest request = Request(5'000, 42);
  v1::SimulateResponse response;
  ASSERT_TRUE(Simulate(request, response).ok());

  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(request.portfolio(), violations);
  Plan plan;
  plan.name = "current tiers";
  SimulationOptions options;
  options.paths = 5'000;
  options.seed = 42;
  EngineOptions engine_options;
  engine_options.threads = 1;  // a different thread count: still the same bits
  Engine engine(engine_options);
  const absl::StatusOr<PlanOutcome> direct = engine.Simulate(portfolio, plan, options);
  ASSERT_TRUE(direct.ok());
  const v1::PlanOutcome expected = PlanOutcomeToProto(*direct, portfolio);
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(expected, response.outcome())) << differences;
  EXPECT_EQ(response.outcome().currency(), "USD");
  EXPECT_EQ(response.outcome().partners_size(), 8);
}

TEST_F(ServiceTest, StreamSendsProgressThenTheSimulateResult) {
  StartServer(Config(1));
  // Large enough to run for a few progress intervals on one worker.
  const v1::SimulateRequest unary_request = Request(1'500'000, 7);
  v1::SimulateStreamRequest request;
  *request.mutable_portfolio() = unary_request.portfolio();
  *request.mutable_options() = unary_request.options();
  grpc::ClientContext context;
  auto reader = stub_->SimulateStream(&context, request);
  const auto events = ReadStream<v1::SimulationProgress, v1::SimulateResponse>(*reader);
  ASSERT_TRUE(events.status.ok());
  ASSERT_EQ(events.results.size(), 1u);
  const std::vector<v1::SimulationProgress>& progress = events.progress;
  ASSERT_FALSE(progress.empty());
  for (size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GT(progress[i].paths_done(), progress[i - 1].paths_done());
  }
  EXPECT_EQ(progress.back().paths_planned(), 1'500'000u);
  EXPECT_LT(progress.front().paths_done(), 1'500'000u);

  v1::SimulateResponse unary;
  ASSERT_TRUE(Simulate(unary_request, unary).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(unary, events.results[0]));
}

TEST_F(ServiceTest, ComparePlansReturnsPairedDifferences) {
  StartServer();
  v1::ComparePlansRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.add_plans()->set_name("current");
  v1::Plan* invest = request.add_plans();
  invest->set_name("invest in cobalt");
  (*invest->mutable_tiers())["cobalt"] = v1::TIER_INVEST;
  request.mutable_options()->set_paths(4'000);
  request.mutable_options()->set_seed(3);
  v1::ComparePlansResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ComparePlans(&context, request, &response).ok());
  ASSERT_EQ(response.outcomes_size(), 2);
  ASSERT_EQ(response.differences_size(), 1);
  EXPECT_EQ(response.differences(0).plan_name(), "invest in cobalt");
  EXPECT_EQ(response.differences(0).baseline_plan_name(), "current");
  EXPECT_GT(response.differences(0).expected_revenue_difference(), 0);
}
// The option and the partners' standard errors reach the engine: the response is the
// engine's run with them, bit for bit, and says how many partners were drawn.
TEST_F(ServiceTest, ParameterUncertaintyReachesTheEngine) {
  StartServer();
  v1::SimulateRequest request = Request(3'000, 17);
  for (int i : {0, 2, 5}) {
    v1::Partner* partner = request.mutable_portfolio()->mutable_partners(i);
    partner->mutable_errors()->set_baseline_revenue(0.3 * partner->baseline_revenue());
    partner->mutable_errors()->set_max_lift(0.1);
  }
  v1::SimulateResponse plain;
  ASSERT_TRUE(Simulate(request, plain).ok());
  EXPECT_EQ(plain.outcome().parameter_draw_partners(), 0u);
  request.mutable_options()->set_parameter_uncertainty(true);
  v1::SimulateResponse response;
  ASSERT_TRUE(Simulate(request, response).ok());
  EXPECT_EQ(response.outcome().parameter_draw_partners(), 3u);
  EXPECT_NE(response.outcome().revenue_std_dev(), plain.outcome().revenue_std_dev());

  Violations violations;
  const Portfolio portfolio = PortfolioFromProto(request.portfolio(), violations);
  Plan plan;
  plan.name = "current tiers";
  const absl::StatusOr<PlanOutcome> direct =
      Engine(EngineOptions{}).Simulate(portfolio, plan, OptionsFromProto(request.options(), violations));
  ASSERT_TRUE(direct.ok());
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(PlanOutcomeToProto(*direct, portfolio), response.outcome()))
      << differences;
}

struct BadRequestCase {
  std::string name;
  std::function<void(v1::SimulateRequest&)> spoil;
  std::string field;
};

TEST_F(ServiceTest, EveryValidationRuleIsInvalidArgumentNamingTheField) {
  StartServer();
  const std::vector<BadRequestCase> cases = {
      {"quota", [](auto& r) { r.mutable_portfolio()->set_quota(-1); }, "portfolio.quota"},
      {"periods", [](auto& r) { r.mutable_portfolio()->set_periods(61); }, "portfolio.periods"},
      {"capacity", [](auto& r) { r.mutable_portfolio()->set_capacity_hours(NAN); },
       "portfolio.capacity_hours"},
      {"policy", [](auto& r) { r.mutable_portfolio()->mutable_tier_policy()->set_invest_hours(-2); },
       "portfolio.tier_policy.invest_hours"},
      {"seasonality length", [](auto& r) { r.mutable_portfolio()->add_seasonality(1); },
       "portfolio.seasonality"},
      {"seasonality value", [](auto& r) { r.mutable_portfolio()->set_seasonality(2, 0); },
       "portfolio.seasonality[2]"},
      {"segment correlation", [](auto& r) { r.mutable_portfolio()->set_segment_correlation(1); },
       "portfolio.segment_correlation"},
      {"no partners", [](auto& r) { r.mutable_portfolio()->clear_partners(); },
       "portfolio.partners"},
      {"empty id", [](auto& r) { r.mutable_portfolio()->mutable_partners(1)->clear_id(); },
       "portfolio.partners[1].id"},
      {"duplicate id", [](auto& r) { r.mutable_portfolio()->mutable_partners(2)->set_id("acme"); },
       "portfolio.partners[2].id"},
      {"tier", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->clear_tier(); },
       "portfolio.partners[0].tier"},
      {"baseline", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->set_baseline_revenue(0); },
       "portfolio.partners[0].baseline_revenue"},
      {"growth", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->set_growth_rate(-1); },
       "portfolio.partners[0].growth_rate"},
      {"volatility", [](auto& r) { r.mutable_portfolio()->mutable_partners(3)->set_volatility(INFINITY); },
       "portfolio.partners[3].volatility"},
      {"market", [](auto& r) { r.mutable_portfolio()->mutable_partners(4)->set_market_correlation(1); },
       "portfolio.partners[4].market_correlation"},
      {"lift", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->mutable_response()->set_max_lift(-0.1); },
       "portfolio.partners[0].response.max_lift"},
      {"half effort", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->mutable_response()->set_half_effort_hours(0); },
       "portfolio.partners[0].response.half_effort_hours"},
      {"ramp", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->mutable_response()->set_ramp_periods(-1); },
       "portfolio.partners[0].response.ramp_periods"},
      {"boost", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->mutable_response()->set_growth_boost(-1); },
       "portfolio.partners[0].response.growth_boost"},
      {"churn", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->mutable_retention()->set_churn_rate(1); },
       "portfolio.partners[0].retention.churn_rate"},
      {"retention", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->mutable_retention()->set_retention_hours(0); },
       "portfolio.partners[0].retention.retention_hours"},
      {"override", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->set_hours_override(-1); },
       "portfolio.partners[0].hours_override"},
      {"lift error", [](auto& r) { r.mutable_portfolio()->mutable_partners(2)->mutable_errors()->set_max_lift(-0.1); },
       "portfolio.partners[2].errors.max_lift"},
      {"deal size", [](auto& r) { r.mutable_portfolio()->mutable_partners(3)->mutable_deals()->clear_mean_deal_size(); },
       "portfolio.partners[3].deals.mean_deal_size"},
      {"deal cv", [](auto& r) { r.mutable_portfolio()->mutable_partners(3)->mutable_deals()->set_deal_size_cv(-1); },
       "portfolio.partners[3].deals.deal_size_cv"},
      {"revenue model", [](auto& r) { r.mutable_portfolio()->mutable_partners(0)->set_revenue_model(static_cast<v1::RevenueModel>(9)); },
       "portfolio.partners[0].revenue_model"},
      {"plan tier id", [](auto& r) { (*r.mutable_plan()->mutable_tiers())["nobody"] = v1::TIER_INVEST; },
       "plan.tiers[\"nobody\"]"},
      {"plan tier value", [](auto& r) { (*r.mutable_plan()->mutable_tiers())["acme"] = v1::TIER_UNSPECIFIED; },
       "plan.tiers[\"acme\"]"},
      {"plan hours", [](auto& r) { (*r.mutable_plan()->mutable_hours())["acme"] = -3; },
       "plan.hours[\"acme\"]"},
      {"paths", [](auto& r) { r.mutable_options()->set_paths(0); }, "options.paths"},
      {"too many paths", [](auto& r) { r.mutable_options()->set_paths(20'000'000); }, "options.paths"},
      {"target", [](auto& r) { r.mutable_options()->set_target_ci_half_width(0.5); },
       "options.target_ci_half_width"},
      {"max paths", [](auto& r) {
         r.mutable_options()->set_target_ci_half_width(0.01);
         r.mutable_options()->set_max_paths(10);
       }, "options.max_paths"},
  };
  for (const BadRequestCase& bad : cases) {
    v1::SimulateRequest request = Request(1'000, 1);
    bad.spoil(request);
    v1::SimulateResponse response;
    const grpc::Status status = Simulate(request, response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad.name;
    const std::vector<std::string> fields = ViolatedFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), bad.field), fields.end())
        << bad.name << ": " << status.error_message();
  }
}

TEST_F(ServiceTest, ThousandsOfBadFieldsGetABoundedStatusAndTheChannelStaysHealthy) {
  StartServer();
  // 10,000 empty partners, the most the limits allow: a violation or more each.
  const grpc::Status status = RawCall("Simulate", EmptyPartnersRequest(10'000));
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Message and details travel in the trailers, whose limit is 8 KiB by default.
  const size_t status_bytes = status.error_message().size() + status.error_details().size();
  RecordProperty("status_bytes", static_cast<int>(status_bytes));
  EXPECT_LT(status_bytes, 4096u);
  EXPECT_NE(status.error_message().find("portfolio.partners[0].tier: is required"),
            std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find(" more"), std::string::npos);
  const std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_GE(fields.size(), 5u);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(1).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "FIELD_VIOLATIONS");
  EXPECT_GT(std::stoul(info.metadata().at("violations_total")), 10'000u);
  // The same connection still answers.
  EXPECT_EQ(HealthOf(channel_, ""), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServiceTest, TooManyPartnersAreRefusedOnTheWireBeforeAnythingIsParsed) {
  StartServer();
  const grpc::Status status = RawCall("Simulate", EmptyPartnersRequest(1'000'000));
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"portfolio.partners"});
  EXPECT_EQ(status.error_message(),
            "portfolio.partners: has 1000000 entries, the limit is 10000");
  EXPECT_EQ(HealthOf(channel_, ""), grpc::health::v1::HealthCheckResponse::SERVING);

  v1::ComparePlansRequest compare;
  *compare.mutable_portfolio() = ExamplePortfolio();
  for (int k = 0; k < 17; ++k) compare.add_plans();
  EXPECT_EQ(ViolatedFields(RawCall("ComparePlans", compare.SerializeAsString())),
            std::vector<std::string>{"plans"});
  v1::SimulateRequest long_id = Request(100, 1);
  long_id.mutable_portfolio()->mutable_partners(2)->set_id(std::string(5'000'000, 'x'));
  const grpc::Status too_long = RawCall("Simulate", long_id.SerializeAsString());
  EXPECT_EQ(ViolatedFields(too_long), std::vector<std::string>{"portfolio.partners[2].id"});
  EXPECT_EQ(too_long.error_message(),
            "portfolio.partners[2].id: is 5000000 bytes long, the limit is 256");
}

TEST_F(ServiceTest, BytesThatAreNotTheRequestAreInvalidArgumentNotUnimplemented) {
  StartServer();
  for (const std::string method : {"Simulate", "ComparePlans", "RecommendTiers"}) {
    const grpc::Status status = RawCall(method, "\xff\xff\xff");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method;
    EXPECT_NE(status.error_message().find("is not a serialized attain.v1." + method + "Request"),
              std::string::npos)
        << status.error_message();
  }
  const std::string whole = Request(100, 1).SerializeAsString();
  EXPECT_EQ(RawCall("Simulate", whole.substr(0, whole.size() / 2)).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Well-formed wire format the message cannot hold: a string that is not UTF-8.
  v1::SimulateRequest request = Request(100, 1);
  request.mutable_portfolio()->set_currency("\xc3\x28");
  const grpc::Status not_utf8 = RawCall("Simulate", request.SerializeAsString());
  EXPECT_EQ(not_utf8.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(not_utf8.error_message(),
            "the request could not be parsed as attain.v1.SimulateRequest");
}

// Every double and float field of `message`, at any depth, that is not finite.
void CollectNonFinite(const google::protobuf::Message& message, const std::string& path,
                      std::vector<std::string>& out) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int count = field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int k = 0; k < count; ++k) {
      const std::string at = absl::StrCat(path, field->name(),
                                          field->is_repeated() ? absl::StrCat("[", k, "]") : "");
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_DOUBLE: {
          const double v = field->is_repeated() ? reflection.GetRepeatedDouble(message, field, k)
                                                : reflection.GetDouble(message, field);
          if (!std::isfinite(v)) out.push_back(absl::StrCat(at, " = ", v));
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          CollectNonFinite(field->is_repeated()
                               ? reflection.GetRepeatedMessage(message, field, k)
                               : reflection.GetMessage(message, field),
                           at + ".", out);
          break;
        default:
          break;
      }
    }
  }
}

// A portfolio drawn across the documented ranges, each value at a bound one time in
// three: the corners are where overflow lives.
v1::Portfolio RandomPortfolio(std::mt19937_64& random) {
  auto uniform = [&](double low, double high) {
    const int corner = static_cast<int>(random() % 6);
    if (corner == 0) return low;
    if (corner == 1) return high;
    return std::uniform_real_distribution<double>(low, high)(random);
  };
  auto log_uniform = [&](double low, double high) {
    const double x = uniform(std::log(low), std::log(high));
    return std::clamp(std::exp(x), low, high);  // the corners exactly
  };
  v1::Portfolio portfolio;
  portfolio.set_currency("USD");
  const int periods = random() % 3 == 0 ? 60 : 1 + static_cast<int>(random() % 60);
  portfolio.set_periods(periods);
  for (int t = 0; t < periods && random() % 2; ++t) {
    portfolio.add_seasonality(log_uniform(1e-3, kMaxSeasonality));
  }
  if (portfolio.seasonality_size() != periods) portfolio.clear_seasonality();
  portfolio.set_segment_correlation(uniform(0, 0.5));
  portfolio.mutable_tier_policy()->set_invest_hours(uniform(0, kMaxHours));
  portfolio.mutable_tier_policy()->set_maintain_hours(uniform(0, 50));
  portfolio.mutable_tier_policy()->set_opportunistic_hours(uniform(0, 5));
  const v1::Tier tiers[] = {v1::TIER_INVEST, v1::TIER_MAINTAIN, v1::TIER_OPPORTUNISTIC};
  const int partners = 1 + static_cast<int>(random() % 12);
  for (int i = 0; i < partners; ++i) {
    v1::Partner* p = portfolio.add_partners();
    p->set_id(absl::StrCat("P", i));
    p->set_tier(tiers[random() % 3]);
    p->set_baseline_revenue(log_uniform(1e-6, kMaxBaselineRevenue));
    p->set_growth_rate(uniform(-0.999, kMaxGrowthRate));
    p->set_volatility(uniform(0, kMaxVolatility));
    p->set_market_correlation(uniform(0, 0.499));
    if (random() % 2) p->set_segment(random() % 2 ? "north" : "south");
    p->mutable_response()->set_max_lift(uniform(0, kMaxLift));
    p->mutable_response()->set_half_effort_hours(log_uniform(1e-3, kMaxHours));
    p->mutable_response()->set_ramp_periods(static_cast<int>(uniform(0, kMaxRampPeriods)));
    p->mutable_response()->set_growth_boost(uniform(0, kMaxGrowthBoost));
    p->mutable_retention()->set_churn_rate(uniform(0, 0.999));
    p->mutable_retention()->set_retention_hours(log_uniform(1e-3, kMaxHours));
    if (random() % 4 == 0) {
      p->set_revenue_model(v1::REVENUE_MODEL_DEALS);
      // Deals per period well below the limit, but for growth.
      const double peak = p->baseline_revenue() * (1 + p->response().max_lift()) * kMaxSeasonality;
      p->mutable_deals()->set_mean_deal_size(std::min(kMaxBaselineRevenue, peak * uniform(1e-3, 1)));
      p->mutable_deals()->set_deal_size_cv(uniform(0, kMaxDealSizeCv));
    }
  }
  portfolio.set_quota(log_uniform(1, kMaxQuota));
  portfolio.set_capacity_hours(uniform(0, 100));
  return portfolio;
}

TEST_F(ServiceTest, EveryAcceptedInputYieldsFiniteOutputs) {
  StartServer();
  std::mt19937_64 random(20261127);
  int accepted = 0;
  constexpr int kPortfolios = 120;
  for (int n = 0; n < kPortfolios; ++n) {
    v1::ComparePlansRequest compare;
    *compare.mutable_portfolio() = RandomPortfolio(random);
    compare.mutable_options()->set_paths(300);
    compare.mutable_options()->set_seed(n);
    compare.add_plans();
    v1::Plan* all_in = compare.add_plans();
    for (const v1::Partner& p : compare.portfolio().partners()) {
      (*all_in->mutable_tiers())[p.id()] = v1::TIER_INVEST;
    }
    v1::ComparePlansResponse compared;
    grpc::ClientContext compare_context;
    const grpc::Status status = stub_->ComparePlans(&compare_context, compare, &compared);
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) continue;
    ASSERT_TRUE(status.ok()) << status.error_message();
    ++accepted;
    std::vector<std::string> non_finite;
    CollectNonFinite(compared, "", non_finite);

    v1::RecommendTiersRequest recommend;
    *recommend.mutable_portfolio() = compare.portfolio();
    *recommend.mutable_options() = compare.options();
    v1::RecommendTiersResponse recommended;
    grpc::ClientContext recommend_context;
    const grpc::Status recommend_status =
        stub_->RecommendTiers(&recommend_context, recommend, &recommended);
    if (recommend_status.ok()) {
      CollectNonFinite(recommended, "recommendation.", non_finite);
    } else {
      EXPECT_EQ(recommend_status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
          << recommend_status.error_message();
    }
    EXPECT_TRUE(non_finite.empty()) << "portfolio " << n << ": " << non_finite.size()
                                    << " fields, first " << non_finite.front();
  }
  RecordProperty("accepted", accepted);
  EXPECT_GE(accepted, kPortfolios / 4) << "too few random portfolios were accepted to tell";
}

// A partner at the top of every range, growing just below kMaxExpectedPeriodRevenue.
v1::Portfolio PortfolioAtTheRevenueLimit(int periods) {
  v1::Portfolio portfolio;
  portfolio.set_currency("USD");
  portfolio.set_periods(periods);
  for (int t = 0; t < periods; ++t) portfolio.add_seasonality(kMaxSeasonality);
  portfolio.set_quota(kMaxQuota);
  portfolio.set_capacity_hours(40);
  for (int i = 0; i < 3; ++i) {
    v1::Partner& p = *portfolio.add_partners();
    p.set_id(absl::StrCat("P", i));
    p.set_tier(i == 0 ? v1::TIER_INVEST : v1::TIER_OPPORTUNISTIC);
    p.set_baseline_revenue(kMaxBaselineRevenue);
    p.set_volatility(kMaxVolatility);
    p.mutable_response()->set_max_lift(kMaxLift);
    // b x s x (1 + L) x (1 + g)^(T-1) = 0.99 x the limit.
    const double peak_without_growth = kMaxBaselineRevenue * kMaxSeasonality * (1 + kMaxLift);
    p.set_growth_rate(
        std::pow(0.99 * kMaxExpectedPeriodRevenue / peak_without_growth, 1.0 / (periods - 1)) - 1);
  }
  return portfolio;
}

TEST_F(ServiceTest, AtTheRevenueLimitEveryOutputIsFinite) {
  StartServer();
  v1::ComparePlansRequest compare;
  *compare.mutable_portfolio() = PortfolioAtTheRevenueLimit(60);
  compare.mutable_options()->set_paths(2'000);
  compare.mutable_options()->set_seed(3);
  compare.add_plans();
  (*compare.add_plans()->mutable_tiers())["P1"] = v1::TIER_INVEST;
  v1::ComparePlansResponse compared;
  grpc::ClientContext context;
  const grpc::Status status = stub_->ComparePlans(&context, compare, &compared);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(compared.outcomes(0).partners(0).revenue_p90(), 1e18);
  std::vector<std::string> non_finite;
  CollectNonFinite(compared, "", non_finite);
  v1::RecommendTiersRequest recommend;
  *recommend.mutable_portfolio() = compare.portfolio();
  *recommend.mutable_options() = compare.options();
  v1::RecommendTiersResponse recommended;
  grpc::ClientContext recommend_context;
  ASSERT_TRUE(stub_->RecommendTiers(&recommend_context, recommend, &recommended).ok());
  CollectNonFinite(recommended, "recommendation.", non_finite);
  EXPECT_TRUE(non_finite.empty()) << non_finite.size() << " fields, first " << non_finite.front();
}

TEST_F(ServiceTest, APartnerAtTheTopOfEveryRangeIsRefusedNamingItsGrowth) {
  StartServer();
  v1::SimulateRequest request = Request(1'000, 1);
  v1::Portfolio& portfolio = *request.mutable_portfolio();
  portfolio.set_periods(60);
  portfolio.clear_seasonality();
  for (int t = 0; t < 60; ++t) portfolio.add_seasonality(kMaxSeasonality);
  v1::Partner& p = *portfolio.mutable_partners(0);
  p.set_baseline_revenue(kMaxBaselineRevenue);
  p.set_growth_rate(kMaxGrowthRate);
  p.set_volatility(kMaxVolatility);
  p.mutable_response()->set_max_lift(kMaxLift);
  p.mutable_response()->set_growth_boost(kMaxGrowthBoost);
  v1::SimulateResponse response;
  const grpc::Status status = Simulate(request, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"portfolio.partners[0].growth_rate"});
  EXPECT_NE(status.error_message().find("over the model's limit of 1e+18"), std::string::npos)
      << status.error_message();
}

TEST_F(ServiceTest, ComparePlansNeedsTwoPlans) {
  StartServer();
  v1::ComparePlansRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.add_plans();
  v1::ComparePlansResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub_->ComparePlans(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"plans"});
}

TEST_F(ServiceTest, DeadlineStopsTheSimulationEarly) {
  StartServer();
  const v1::SimulateRequest request = Request(8'000'000, 1);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(300));
  v1::SimulateResponse response;
  const grpc::Status status = stub_->Simulate(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 0; }));
  const double paths = MetricValue(*server_, "attain_paths_simulated_total");
  EXPECT_LT(paths, 8'000'000) << "the run went on after the deadline";
  // Whether the server's clock passes the deadline first or the client's cancel at its
  // deadline arrives first, the server counts the deadline.
  EXPECT_EQ(MetricValue(*server_, "attain_rpc_handled_total",
                        {{"method", "Simulate"}, {"code", "DEADLINE_EXCEEDED"}}),
            1);
}

TEST_F(ServiceTest, ACallWhoseDeadlinePassesInTheQueueIsCountedAsDeadlineExceeded) {
  StartServer(Config(1, /*max_in_flight=*/1, /*max_queue=*/4));
  // One slow call holds the only slot; the next waits in the queue past its deadline.
  BackgroundSimulate slow(*stub_, Request(2'000'000, 1));
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 1; }));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  v1::SimulateResponse response;
  EXPECT_EQ(stub_->Simulate(&context, Request(100, 1), &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  slow.Cancel();
  slow.Wait();
  ASSERT_TRUE(Eventually([&] {
    return MetricValue(*server_, "attain_rpc_handled_total",
                       {{"method", "Simulate"}, {"code", "DEADLINE_EXCEEDED"}}) == 1;
  })) << "the queued call's end is counted as its deadline, not a cancel";
  EXPECT_EQ(MetricValue(*server_, "attain_rpc_handled_total",
                        {{"method", "Simulate"}, {"code", "CANCELLED"}}),
            1);  // the slow call, cancelled by its client
}

TEST_F(ServiceTest, TheServersMaximumRunTimeEndsACallWithoutDeadline) {
  ServerConfig config = Config(1);
  config.max_run_time = std::chrono::seconds(1);
  StartServer(config);
  grpc::ClientContext context;  // no deadline
  v1::SimulateResponse response;
  const grpc::Status status = stub_->Simulate(&context, Request(9'000'000, 1), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(status.error_message().find("maximum run time of 1 s"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(MetricValue(*server_, "attain_rpc_handled_total",
                        {{"method", "Simulate"}, {"code", "DEADLINE_EXCEEDED"}}),
            1);
}

TEST_F(ServiceTest, WorkOverTheLimitIsRefusedNamingThePathsOption) {
  ServerConfig config = Config(1);
  config.max_work = 1e6;  // the example is 8 partners x 4 periods: 31,250 paths
  StartServer(config);
  v1::SimulateResponse response;
  const grpc::Status status = Simulate(Request(40'000, 1), response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"options.paths"});
  EXPECT_NE(status.error_message().find("1.28e+06 partner-period paths"), std::string::npos)
      << status.error_message();
  EXPECT_TRUE(Simulate(Request(30'000, 1), response).ok());

  v1::SimulateRequest precision = Request(1'000, 1);
  precision.mutable_options()->set_target_ci_half_width(0.01);
  precision.mutable_options()->set_max_paths(100'000);
  EXPECT_EQ(ViolatedFields(Simulate(precision, response)),
            std::vector<std::string>{"options.max_paths"});

  // A recommendation runs three samples of its paths.
  v1::RecommendTiersRequest recommend;
  *recommend.mutable_portfolio() = ExamplePortfolio();
  recommend.mutable_options()->set_paths(20'000);
  v1::RecommendTiersResponse recommended;
  grpc::ClientContext recommend_context;
  EXPECT_EQ(ViolatedFields(stub_->RecommendTiers(&recommend_context, recommend, &recommended)),
            std::vector<std::string>{"options.paths"});
  EXPECT_EQ(MetricValue(*server_, "attain_rejections_total", {{"reason", "max_work"}}), 3);
}

TEST_F(ServiceTest, ClientCancelStopsTheSimulation) {
  StartServer();
  BackgroundSimulate call(*stub_, Request(8'000'000, 1));
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_paths_simulated_total") > 0; }));
  call.Cancel();
  EXPECT_EQ(call.Wait().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 0; }));
  EXPECT_LT(MetricValue(*server_, "attain_paths_simulated_total"), 8'000'000);
}

TEST_F(ServiceTest, OverloadIsResourceExhaustedForTheExcessOnly) {
  StartServer(Config(1, 1, 1));
  std::vector<std::unique_ptr<BackgroundSimulate>> calls;
  auto start = [&] {
    calls.push_back(std::make_unique<BackgroundSimulate>(*stub_, Request(400'000, 1)));
  };
  start();  // runs
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 1; }));
  start();  // waits in the queue
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_queued") == 1; }));
  start();  // over capacity
  start();  // over capacity
  std::vector<grpc::StatusCode> codes;
  for (auto& call : calls) codes.push_back(call->Wait().error_code());
  EXPECT_EQ(codes, (std::vector<grpc::StatusCode>{
                       grpc::StatusCode::OK, grpc::StatusCode::OK,
                       grpc::StatusCode::RESOURCE_EXHAUSTED, grpc::StatusCode::RESOURCE_EXHAUSTED}));
  EXPECT_EQ(MetricValue(*server_, "attain_rejections_total", {{"reason", "queue_full"}}), 2);
}

TEST_F(ServiceTest, RunOverTheMemoryBudgetIsResourceExhausted) {
  ServerConfig config = Config(2);
  config.memory_budget_mib = 1;
  StartServer(config);
  v1::SimulateResponse response;
  const grpc::Status status = Simulate(Request(1'000'000, 1), response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("memory budget"), std::string::npos);
}

// A run's memory counts its request, three times its bytes: the same history of 200
// partners over 24 months with 250-byte partner ids instead of short ones (about 1.2 MB
// more on the wire) no longer fits a 2 MiB budget, though the calibration's own
// estimate is the same.
TEST_F(ServiceTest, ARequestsBytesCountAgainstTheMemoryBudget) {
  ServerConfig config = Config(2);
  config.memory_budget_mib = 2;
  StartServer(config);
  auto history_with_ids = [](size_t id_length) {
    v1::CalibratePortfolioRequest request;
    for (int partner = 0; partner < 200; ++partner) {
      const std::string number = std::to_string(partner);
      const std::string id = std::string(id_length - number.size(), 'p') + number;
      for (int month = 0; month < 24; ++month) {
        v1::HistoryRow& row = *request.add_rows();
        row.set_partner_id(id);
        row.set_period(absl::StrFormat("%d-%02d", 2024 + month / 12, 1 + month % 12));
        row.set_revenue(1000 + (partner * 7 + month * 13) % 500);
        row.set_hours((partner + month) % 5);
      }
    }
    return request;
  };
  auto calibrate = [&](const v1::CalibratePortfolioRequest& request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::CalibratePortfolioResponse response;
    return stub_->CalibratePortfolio(&context, request, &response);
  };
  const grpc::Status short_ids = calibrate(history_with_ids(6));
  EXPECT_TRUE(short_ids.ok()) << short_ids.error_message();
  const v1::CalibratePortfolioRequest long_ids = history_with_ids(250);
  ASSERT_GT(long_ids.ByteSizeLong(), 1'200'000u);
  const grpc::Status status = calibrate(long_ids);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("memory budget"), std::string::npos)
      << status.error_message();
}

// The calls admitted, running or waiting, reserve at most max-in-flight x budget
// together: with one slot and a budget one run fills more than half of, a second run is
// refused though the queue has room, and admitted once the first has ended.
TEST_F(ServiceTest, CallsBeyondTheMemoryTheAdmittedOnesReserveAreResourceExhausted) {
  ServerConfig config = Config(2, /*max_in_flight=*/1, /*max_queue=*/4);
  config.memory_budget_mib = 64;
  StartServer(config);
  const v1::SimulateRequest large = Request(800'000, 1);  // an estimated 43 MiB
  BackgroundSimulate first(*stub_, large);
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 1; }));
  v1::SimulateResponse response;
  const grpc::Status refused = Simulate(large, response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max in-flight x memory budget"), std::string::npos)
      << refused.error_message();
  EXPECT_EQ(MetricValue(*server_, "attain_rejections_total", {{"reason", "memory_reserved"}}), 1);
  // A small run still fits beside it.
  EXPECT_TRUE(Simulate(Request(1'000, 2), response).ok());
  EXPECT_TRUE(first.Wait().ok());
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 0; }));
  EXPECT_TRUE(Simulate(large, response).ok());
}

TEST_F(ServiceTest, DrainingServesOnWithReadinessNotServingThenFinishesInFlightCalls) {
  StartServer();
  EXPECT_EQ(HealthOf(channel_, "readiness"), grpc::health::v1::HealthCheckResponse::SERVING);

  BackgroundSimulate in_flight(*stub_, Request(600'000, 1));
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 1; }));

  server_->BeginDrain();
  // A new connection (a load balancer's probe, a client not yet told) is still served,
  // and sees readiness NOT_SERVING.
  grpc::ChannelArguments own_connection;
  own_connection.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  const std::shared_ptr<grpc::Channel> fresh = grpc::CreateCustomChannel(
      absl::StrCat("127.0.0.1:", server_->grpc_port()), grpc::InsecureChannelCredentials(),
      own_connection);
  EXPECT_EQ(HealthOf(fresh, "readiness"), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(HealthOf(fresh, "attain.v1.PlannerService"),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(HealthOf(fresh, ""), grpc::health::v1::HealthCheckResponse::SERVING);
  v1::SimulateResponse served;
  grpc::ClientContext fresh_context;
  EXPECT_TRUE(v1::PlannerService::NewStub(fresh)->Simulate(&fresh_context, Request(100, 1), &served).ok());

  std::thread shutdown([&] { server_->Shutdown(std::chrono::seconds(30)); });
  // Once it closes, new calls are refused while the in-flight one goes on.
  EXPECT_TRUE(Eventually([&] {
    v1::SimulateResponse refused;
    return Simulate(Request(100, 1), refused).error_code() == grpc::StatusCode::UNAVAILABLE;
  }));
  EXPECT_TRUE(in_flight.Wait().ok()) << "the in-flight call finishes in the grace";
  EXPECT_EQ(in_flight.response().outcome().paths(), 600'000u);
  shutdown.join();
  server_.reset();
}

TEST_F(ServiceTest, RecommendTiersRecommendsValidatesAndExplains) {
  StartServer();
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.mutable_options()->set_paths(4'000);
  request.mutable_options()->set_seed(9);
  request.add_locked_partner_ids("acme");
  v1::RecommendTiersResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub_->RecommendTiers(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.recommended_plan().tiers_size(), 8);
  EXPECT_EQ(response.recommended_plan().tiers().at("acme"), v1::TIER_MAINTAIN);
  EXPECT_LE(response.recommended_outcome().hours_used(), 60);
  EXPECT_EQ(response.current_outcome().plan_name(), "current tiers");
  EXPECT_EQ(response.current_outcome().seed(), response.search().validation_seed());
  EXPECT_NE(response.search().validation_seed(), 9u);
  EXPECT_GE(response.difference().attainment_probability_difference(), 0);
  EXPECT_EQ(response.changes_size() + response.unchanged_size(), 8);
  for (const v1::TierChange& change : response.changes()) {
    EXPECT_NE(change.from_tier(), change.to_tier());
    EXPECT_NE(change.reason_code(), v1::REASON_CODE_UNSPECIFIED);
    EXPECT_FALSE(change.reason().empty());
  }
  for (const v1::PartnerAdvice& advice : response.unchanged()) {
    if (advice.partner_id() == "acme") {
      EXPECT_EQ(advice.reason_code(), v1::REASON_CODE_LOCKED);
    }
  }
  EXPECT_GT(response.search().candidate_plans_evaluated(), 0u);
  // The optimization sample, and the validation comparison that records its sample.
  EXPECT_EQ(MetricValue(*server_, "attain_paths_simulated_total"), 2 * 4'000);
}

TEST_F(ServiceTest, RecommendTiersStreamSendsProgressThenTheUnaryResult) {
  StartServer();
  absl::StatusOr<v1::Portfolio> portfolio =
      ReadPortfolioJson(std::string(ATTAIN_WORKLOADS_DIR) + "/w2-50x4.json");
  ASSERT_TRUE(portfolio.ok());
  v1::RecommendTiersStreamRequest request;
  *request.mutable_portfolio() = *portfolio;
  request.mutable_options()->set_paths(40'000);
  request.mutable_options()->set_seed(4);
  grpc::ClientContext context;
  auto reader = stub_->RecommendTiersStream(&context, request);
  const auto events =
      ReadStream<v1::RecommendationProgress, v1::RecommendTiersResponse>(*reader);
  ASSERT_TRUE(events.status.ok());
  ASSERT_EQ(events.results.size(), 1u);
  const std::vector<v1::RecommendationProgress>& progress = events.progress;
  ASSERT_FALSE(progress.empty());
  for (size_t i = 1; i < progress.size(); ++i) {
    EXPECT_LE(progress[i - 1].phase(), progress[i].phase());
  }

  v1::RecommendTiersRequest unary_request;
  *unary_request.mutable_portfolio() = *portfolio;
  *unary_request.mutable_options() = request.options();
  v1::RecommendTiersResponse unary;
  grpc::ClientContext unary_context;
  ASSERT_TRUE(stub_->RecommendTiers(&unary_context, unary_request, &unary).ok());
  MessageDifferencer differencer;
  differencer.IgnoreField(v1::RecommendationSearch::descriptor()->FindFieldByName("search_seconds"));
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(unary, events.results[0])) << differences;
}

TEST_F(ServiceTest, RecommendTiersNamesBadFieldsAndInfeasibleLocks) {
  StartServer();
  v1::RecommendTiersRequest request;
  *request.mutable_portfolio() = ExamplePortfolio();
  request.mutable_options()->set_paths(500);
  request.add_locked_partner_ids("ghost");
  request.set_max_changes(-2);
  v1::RecommendTiersResponse response;
  {
    grpc::ClientContext context;
    const grpc::Status status = stub_->RecommendTiers(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedFields(status),
              (std::vector<std::string>{"locked_partner_ids[0]", "max_changes"}));
  }
  request.clear_locked_partner_ids();
  request.clear_max_changes();
  request.mutable_portfolio()->set_capacity_hours(20);
  for (const char* id : {"brightline", "fathom"}) request.add_locked_partner_ids(id);  // 32 h
  grpc::ClientContext context;
  const grpc::Status status = stub_->RecommendTiers(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("locked partners alone use 32"), std::string::npos)
      << status.error_message();
}

// GET /metrics over a plain socket.
TEST_F(ServiceTest, MetricsEndpointServesTheFamilies) {
  StartServer(ServerConfig{}, /*metrics_endpoint=*/true);
  v1::SimulateResponse response;
  ASSERT_TRUE(Simulate(Request(2'000, 1), response).ok());
  v1::SimulateRequest bad = Request(0, 1);
  ASSERT_FALSE(Simulate(bad, response).ok());
  const std::string page = HttpGet(server_->metrics_port(), "/metrics");
  for (const char* family :
       {"attain_rpc_started_total{method=\"Simulate\"} 2",
        "attain_rpc_handled_total{code=\"OK\",method=\"Simulate\"} 1",
        "attain_rpc_handled_total{code=\"INVALID_ARGUMENT\",method=\"Simulate\"} 1",
        "attain_rpc_handling_seconds_bucket", "attain_simulations_in_flight 0",
        "attain_queue_wait_seconds_count 1", "attain_paths_simulated_total 2000",
        "attain_simulations_queued 0"}) {
    EXPECT_NE(page.find(family), std::string::npos) << family << "\n" << page;
  }
}

}  // namespace
}  // namespace attain
