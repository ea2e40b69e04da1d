// attaind in process on a free port, called over real gRPC: each RPC, errors with field
// violations, deadlines and cancellation, overload, draining, and the metrics endpoint.
#include "service/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "service/convert.h"
#include "service/portfolio_io.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Portfolio ExamplePortfolio() {
  absl::StatusOr<v1::Portfolio> portfolio =
      ReadPortfolioJson(std::string(ATTAIN_SOURCE_DIR) + "/examples/portfolio.json");
  EXPECT_TRUE(portfolio.ok()) << portfolio.status();
  return *portfolio;
}

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

// The value of a metric in the server's registry (summed over label sets that match).
double MetricValue(AttainServer& server, const std::string& name,
                   const std::map<std::string, std::string>& labels = {}) {
  double total = 0;
  for (const prometheus::MetricFamily& family : server.metrics().registry()->Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      bool matches = true;
      for (const auto& [key, value] : labels) {
        matches &= std::any_of(metric.label.begin(), metric.label.end(),
                               [&](const prometheus::ClientMetric::Label& label) {
                                 return label.name == key && label.value == value;
                               });
      }
      if (!matches) continue;
      total += metric.counter.value + metric.gauge.value +
               static_cast<double>(metric.histogram.sample_count);
    }
  }
  return total;
}

// Polls `condition` every 5 ms for up to 10 s (a wait, not a timing assertion).
bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

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

  // The BadRequest field violations of an INVALID_ARGUMENT status.
  static std::vector<std::string> ViolatedFields(const grpc::Status& status) {
    google::rpc::Status details;
    EXPECT_TRUE(details.ParseFromString(status.error_details()));
    std::vector<std::string> fields;
    for (const google::protobuf::Any& any : details.details()) {
      google::rpc::BadRequest bad_request;
      if (!any.UnpackTo(&bad_request)) continue;
      for (const auto& violation : bad_request.field_violations()) {
        fields.push_back(violation.field());
      }
    }
    return fields;
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

  std::vector<FieldViolation> violations;
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
  v1::SimulateStreamResponse event;
  std::vector<v1::SimulationProgress> progress;
  v1::SimulateResponse result;
  int results = 0;
  while (reader->Read(&event)) {
    if (event.has_progress()) {
      EXPECT_EQ(results, 0) << "progress after the result";
      progress.push_back(event.progress());
    } else {
      result = event.result();
      ++results;
    }
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(results, 1);
  ASSERT_FALSE(progress.empty());
  for (size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GT(progress[i].paths_done(), progress[i - 1].paths_done());
  }
  EXPECT_EQ(progress.back().paths_planned(), 1'500'000u);
  EXPECT_LT(progress.front().paths_done(), 1'500'000u);

  v1::SimulateResponse unary;
  ASSERT_TRUE(Simulate(unary_request, unary).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(unary, result));
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
  // The server records DEADLINE_EXCEEDED when its own clock passes the deadline first,
  // CANCELLED when the client's cancellation at its deadline arrives first.
  EXPECT_EQ(MetricValue(*server_, "attain_rpc_handled_total",
                        {{"method", "Simulate"}, {"code", "DEADLINE_EXCEEDED"}}) +
                MetricValue(*server_, "attain_rpc_handled_total",
                            {{"method", "Simulate"}, {"code", "CANCELLED"}}),
            1);
}

TEST_F(ServiceTest, ClientCancelStopsTheSimulation) {
  StartServer();
  const v1::SimulateRequest request = Request(8'000'000, 1);
  grpc::ClientContext context;
  v1::SimulateResponse response;
  std::promise<grpc::Status> done;
  stub_->async()->Simulate(&context, &request, &response,
                           [&done](grpc::Status status) { done.set_value(status); });
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_paths_simulated_total") > 0; }));
  context.TryCancel();
  EXPECT_EQ(done.get_future().get().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 0; }));
  EXPECT_LT(MetricValue(*server_, "attain_paths_simulated_total"), 8'000'000);
}

TEST_F(ServiceTest, OverloadIsResourceExhaustedForTheExcessOnly) {
  StartServer(Config(1, 1, 1));
  const v1::SimulateRequest slow = Request(400'000, 1);
  struct Call {
    grpc::ClientContext context;
    v1::SimulateResponse response;
    std::promise<grpc::Status> done;
  };
  std::vector<std::unique_ptr<Call>> calls;
  auto start = [&] {
    calls.push_back(std::make_unique<Call>());
    Call& call = *calls.back();
    stub_->async()->Simulate(&call.context, &slow, &call.response,
                             [&call](grpc::Status status) { call.done.set_value(status); });
  };
  start();  // runs
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 1; }));
  start();  // waits in the queue
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_queued") == 1; }));
  start();  // over capacity
  start();  // over capacity
  std::vector<grpc::StatusCode> codes;
  for (auto& call : calls) codes.push_back(call->done.get_future().get().error_code());
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

TEST_F(ServiceTest, DrainingFlipsReadinessFinishesInFlightAndRefusesNewCalls) {
  StartServer();
  auto health = grpc::health::v1::Health::NewStub(channel_);
  auto health_of = [&](const std::string& service) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(health->Check(&context, request, &response).ok());
    return response.status();
  };
  EXPECT_EQ(health_of("readiness"), grpc::health::v1::HealthCheckResponse::SERVING);

  const v1::SimulateRequest slow = Request(600'000, 1);
  grpc::ClientContext context;
  v1::SimulateResponse response;
  std::promise<grpc::Status> in_flight;
  stub_->async()->Simulate(&context, &slow, &response,
                           [&](grpc::Status status) { in_flight.set_value(status); });
  ASSERT_TRUE(Eventually([&] { return MetricValue(*server_, "attain_simulations_in_flight") == 1; }));

  server_->BeginDrain();
  EXPECT_EQ(health_of("readiness"), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(health_of("attain.v1.PlannerService"), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(health_of(""), grpc::health::v1::HealthCheckResponse::SERVING);
  v1::SimulateResponse refused;
  EXPECT_EQ(Simulate(Request(100, 1), refused).error_code(), grpc::StatusCode::UNAVAILABLE);

  std::thread shutdown([&] { server_->Shutdown(std::chrono::seconds(30)); });
  EXPECT_TRUE(in_flight.get_future().get().ok()) << "the in-flight call finishes in the grace";
  EXPECT_EQ(response.outcome().paths(), 600'000u);
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
  v1::RecommendTiersStreamResponse event;
  std::vector<v1::RecommendationProgress> progress;
  std::vector<v1::RecommendTiersResponse> results;
  while (reader->Read(&event)) {
    if (event.has_progress()) {
      EXPECT_TRUE(results.empty()) << "progress after the result";
      progress.push_back(event.progress());
    } else {
      results.push_back(event.result());
    }
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(results.size(), 1u);
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
  EXPECT_TRUE(differencer.Compare(unary, results[0])) << differences;
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
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return "";
  }
  const std::string request = absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: localhost\r\n\r\n");
  [[maybe_unused]] const ssize_t sent = send(fd, request.data(), request.size(), 0);
  std::string body;
  char buffer[4096];
  for (ssize_t n; (n = recv(fd, buffer, sizeof(buffer), 0)) > 0;) body.append(buffer, static_cast<size_t>(n));
  close(fd);
  return body;
}

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
