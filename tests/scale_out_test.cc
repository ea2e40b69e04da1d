// Runs spread over replicas: three attaind processes on loopback, one of them asking the
// other two (--peers) to simulate ranges of its runs and to search its team members'
// tiers. Its answers are a single replica's bit for bit for Simulate, ComparePlans and
// SimulateTeam; killing a peer mid-run or mid-search changes nothing but the
// reassignment counters; the peers' counters show their work; and a caller that gives up
// stops the peers too.
#include <signal.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "attain/v1/peer.grpc.pb.h"
#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "tests/test_requests.h"
#include "tests/test_support.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::Attaind;
using testing_support::ExamplePortfolio;
using testing_support::ExampleTeam;
using testing_support::HttpGet;

// `name`'s value in `server`'s /metrics, summed over the series whose labels contain
// `label` ("" for all).
double Metric(const Attaind& server, const std::string& name, const std::string& label = "") {
  std::smatch match;
  const std::string log = server.log();
  if (!std::regex_search(log, match, std::regex("metrics_port=([0-9]+)"))) return -1;
  double total = 0;
  const std::string page = HttpGet(std::stoi(match[1]), "/metrics");
  for (const absl::string_view line : absl::StrSplit(page, '\n')) {
    if (!absl::StartsWith(line, name) || line.size() <= name.size() ||
        (line[name.size()] != ' ' && line[name.size()] != '{')) {
      continue;
    }
    if (!label.empty() && line.find(label) == absl::string_view::npos) continue;
    double value = 0;
    if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) total += value;
  }
  return total;
}

std::unique_ptr<v1::PlannerService::Stub> StubOf(const Attaind& server) {
  return v1::PlannerService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
}

template <class Response>
void ExpectSame(const Response& a, const Response& b) {
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(a, b)) << differences.substr(0, 2000);
}

class ScaleOutTest : public ::testing::Test {
 protected:
  // Two peers, then the replica that asks them, each on one worker thread so that the
  // peers' share shows.
  void SetUp() override {
    const std::vector<std::string> flags = {"--worker-threads=1", "--metrics-listen=127.0.0.1:0",
                                            "--grace-period=2"};
    ASSERT_TRUE(peers_[0].Start(ATTAIND_PATH, flags));
    ASSERT_TRUE(peers_[1].Start(ATTAIND_PATH, flags));
    std::vector<std::string> asking = flags;
    asking.push_back("--peers=" + peers_[0].address() + "," + peers_[1].address());
    asking.push_back("--scale-out-min-work=0");
    ASSERT_TRUE(asking_.Start(ATTAIND_PATH, asking));
  }

  // Within ten seconds nothing runs on the peers, and their paths stop growing.
  void ExpectPeersStop();

  Attaind peers_[2];
  Attaind asking_;
};

template <class Request, class Response, class Method>
grpc::Status Call(const Attaind& server, Method method, const Request& request,
                  Response& response, std::chrono::seconds deadline = std::chrono::seconds(120)) {
  auto stub = StubOf(server);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  return ((*stub).*method)(&context, request, &response);
}

TEST_F(ScaleOutTest, SpreadRunsAreOneReplicasBitForBit) {
  v1::SimulateRequest simulate;
  *simulate.mutable_portfolio() = ExamplePortfolio();
  simulate.mutable_options()->set_paths(60'000);  // 59 blocks: 8 sampled here, the rest spread
  simulate.mutable_options()->set_seed(4);
  simulate.mutable_options()->set_antithetic(true);
  v1::SimulateResponse spread, alone;
  ASSERT_TRUE(Call(asking_, &v1::PlannerService::Stub::Simulate, simulate, spread).ok());
  ASSERT_TRUE(Call(peers_[0], &v1::PlannerService::Stub::Simulate, simulate, alone).ok());
  ExpectSame(alone, spread);

  v1::ComparePlansRequest compare;
  *compare.mutable_portfolio() = ExamplePortfolio();
  compare.add_plans()->set_name("current");
  (*compare.add_plans()->mutable_tiers())["cobalt"] = v1::TIER_INVEST;
  compare.mutable_options()->set_paths(40'000);
  compare.mutable_options()->set_seed(5);
  compare.mutable_options()->set_attainment_estimator(v1::ATTAINMENT_ESTIMATOR_CONDITIONAL);
  v1::ComparePlansResponse compared_spread, compared_alone;
  ASSERT_TRUE(
      Call(asking_, &v1::PlannerService::Stub::ComparePlans, compare, compared_spread).ok());
  ASSERT_TRUE(
      Call(peers_[1], &v1::PlannerService::Stub::ComparePlans, compare, compared_alone).ok());
  ExpectSame(compared_alone, compared_spread);

  // A seed the asking replica draws is the one its peers use, and the one it reports.
  v1::SimulateTeamRequest team;
  *team.mutable_team() = ExampleTeam();
  team.mutable_options()->set_paths(30'000);
  team.set_coaching_paths(500);
  v1::SimulateTeamResponse team_spread, team_alone;
  const grpc::Status team_status =
      Call(asking_, &v1::PlannerService::Stub::SimulateTeam, team, team_spread);
  ASSERT_TRUE(team_status.ok()) << team_status.error_message();
  team.mutable_options()->set_seed(team_spread.team().seed());
  ASSERT_TRUE(Call(peers_[0], &v1::PlannerService::Stub::SimulateTeam, team, team_alone).ok());
  ExpectSame(team_alone, team_spread);

  // The peers did part of the work, and all that was asked came back.
  EXPECT_GT(Metric(asking_, "attain_peer_blocks_received_total"), 0);
  EXPECT_GT(Metric(peers_[1], "attain_rpc_handled_total", "SimulateBlocks"), 0);
  EXPECT_EQ(Metric(asking_, "attain_peer_ranges_total", "reassigned"), 0);
  // Two of the team's four members were searched on the peers, then no more than one
  // each while the asking replica searched one.
  EXPECT_GE(Metric(asking_, "attain_peer_searches_total", "done"), 2);
  EXPECT_LE(Metric(asking_, "attain_peer_searches_total", "done"), 3);
  EXPECT_EQ(Metric(asking_, "attain_peer_searches_total", "reassigned"), 0);
  EXPECT_EQ(Metric(peers_[0], "attain_rpc_handled_total", "SearchTiers") +
                Metric(peers_[1], "attain_rpc_handled_total", "SearchTiers"),
            Metric(asking_, "attain_peer_searches_total", "done"));
  // peers_[1] ran no request of its own but the comparison: the rest is ranges.
  EXPECT_GT(Metric(peers_[1], "attain_paths_simulated_total"), 40'000);
  EXPECT_LT(Metric(asking_, "attain_paths_simulated_total"), 60'000 + 40'000 + 30'000);
}

TEST_F(ScaleOutTest, APeersSearchIsTheMembersRecommendationInTheTeamRun) {
  v1::SimulateTeamRequest team;
  *team.mutable_team() = ExampleTeam();
  team.mutable_options()->set_paths(2'000);
  team.mutable_options()->set_seed(8);
  team.set_coaching_paths(500);
  v1::SimulateTeamResponse outcome;
  ASSERT_TRUE(Call(peers_[0], &v1::PlannerService::Stub::SimulateTeam, team, outcome).ok());

  const int j = 2;
  const v1::Portfolio& member = team.team().members(j);
  v1::SearchTiersRequest search;
  *search.mutable_team() = team;
  search.mutable_team()->mutable_team()->clear_members();
  search.mutable_team()->mutable_team()->clear_plans();
  *search.mutable_team()->mutable_team()->add_members() = member;
  search.set_seed(8);
  search.set_member(j);
  auto peer = v1::PeerService::NewStub(
      grpc::CreateChannel(peers_[1].address(), grpc::InsecureChannelCredentials()));
  v1::SearchTiersResponse tiers;
  grpc::ClientContext context;
  const grpc::Status status = peer->SearchTiers(&context, search, &tiers);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::CoachingGain& gain = outcome.members(j).coaching_gain();
  ASSERT_TRUE(gain.plan_found());
  ASSERT_EQ(tiers.tiers_size(), member.partners_size());
  for (int i = 0; i < member.partners_size(); ++i) {
    EXPECT_EQ(gain.recommended_plan().tiers().at(member.partners(i).id()), tiers.tiers(i)) << i;
  }

  // A search holds one member.
  *search.mutable_team()->mutable_team()->add_members() = member;
  grpc::ClientContext refused_context;
  const grpc::Status refused = peer->SearchTiers(&refused_context, search, &tiers);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "team.team.members"))
      << refused.error_message();
}

// 200 partners x 12 months, a few seconds of one thread for 20,000 paths.
v1::Portfolio W1() {
  const absl::StatusOr<v1::Portfolio> w1 =
      ReadPortfolioJson(std::string(ATTAIN_WORKLOADS_DIR) + "/w1-200x12.json");
  EXPECT_TRUE(w1.ok()) << w1.status();
  return w1.ok() ? *w1 : v1::Portfolio();
}

TEST_F(ScaleOutTest, APeerKilledMidRunChangesNothingButTheReassignments) {
  v1::SimulateRequest simulate;
  *simulate.mutable_portfolio() = W1();
  simulate.mutable_options()->set_paths(50'000);  // 49 blocks, 41 of them spread
  simulate.mutable_options()->set_seed(12);
  v1::SimulateResponse alone;
  ASSERT_TRUE(Call(peers_[0], &v1::PlannerService::Stub::Simulate, simulate, alone).ok());

  v1::SimulateResponse spread;
  grpc::Status status;
  std::thread call([&] {
    status = Call(asking_, &v1::PlannerService::Stub::Simulate, simulate, spread);
  });
  // Once the peer has started on ranges, it disappears.
  for (int i = 0; i < 400 && Metric(peers_[1], "attain_paths_simulated_total") <= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  peers_[1].Signal(SIGKILL);
  call.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectSame(alone, spread);
  EXPECT_GE(Metric(asking_, "attain_peer_ranges_total", "reassigned"), 1);
  peers_[1].Wait(std::chrono::seconds(10));
}

TEST_F(ScaleOutTest, APeerKilledMidSearchChangesNothingButTheReassignments) {
  // Four members of W1's 200 partners: a search takes about a second of one thread.
  v1::SimulateTeamRequest team;
  team.mutable_team()->set_name("w1 x 4");
  for (int j = 0; j < 4; ++j) {
    v1::Portfolio& member = *team.mutable_team()->add_members();
    member = W1();
    member.set_channel_manager_id(absl::StrCat("m", j));
    team.mutable_team()->set_quota(team.team().quota() + member.quota());
  }
  team.mutable_options()->set_paths(4'000);
  team.mutable_options()->set_seed(21);
  team.set_coaching_paths(2'000);
  v1::SimulateTeamResponse alone;
  ASSERT_TRUE(Call(peers_[0], &v1::PlannerService::Stub::SimulateTeam, team, alone).ok());

  v1::SimulateTeamResponse spread;
  grpc::Status status;
  std::thread call([&] {
    status = Call(asking_, &v1::PlannerService::Stub::SimulateTeam, team, spread);
  });
  // Once the peer has started a search, it disappears.
  for (int i = 0; i < 400 && Metric(peers_[1], "attain_rpc_started_total", "SearchTiers") <= 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  peers_[1].Signal(SIGKILL);
  call.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectSame(alone, spread);
  EXPECT_GE(Metric(asking_, "attain_peer_searches_total", "reassigned"), 1);
  peers_[1].Wait(std::chrono::seconds(10));
}

TEST_F(ScaleOutTest, ACallerThatGivesUpStopsThePeers) {
  // 200,000 paths: some twenty seconds of these three threads.
  v1::SimulateRequest simulate;
  *simulate.mutable_portfolio() = W1();
  simulate.mutable_options()->set_paths(200'000);
  simulate.mutable_options()->set_seed(1);
  for (const bool cancel : {true, false}) {  // the caller cancels; its deadline passes
    auto stub = StubOf(asking_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(cancel ? 60 : 2));
    std::thread canceller([&] {
      if (!cancel) return;
      // Once the first peer has a range: a fixed delay is too short on a slow build
      // (sanitizers), and the peers would never be asked.
      for (int i = 0; i < 1500 && Metric(peers_[0], "attain_rpc_started_total",
                                         "SimulateBlocks") == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      context.TryCancel();
    });
    v1::SimulateResponse response;
    const grpc::Status status = stub->Simulate(&context, simulate, &response);
    canceller.join();
    EXPECT_EQ(status.error_code(),
              cancel ? grpc::StatusCode::CANCELLED : grpc::StatusCode::DEADLINE_EXCEEDED);
    ExpectPeersStop();
  }
}

void ScaleOutTest::ExpectPeersStop() {
  // The peers' ranges end with the caller: soon nothing runs on them.
  auto idle = [&] {
    return Metric(peers_[0], "attain_simulations_in_flight") == 0 &&
           Metric(peers_[1], "attain_simulations_in_flight") == 0;
  };
  bool stopped = false;
  for (int i = 0; i < 100 && !(stopped = idle()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(stopped);
  EXPECT_GT(Metric(peers_[0], "attain_rpc_handled_total", "SimulateBlocks"), 0);
  const double paths = Metric(peers_[0], "attain_paths_simulated_total");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(Metric(peers_[0], "attain_paths_simulated_total"), paths);
}

}  // namespace
}  // namespace attain
