// SimulateTeam and SimulateTeamStream over real gRPC, attaind in process on a free port:
// the response is the domain's team outcome bit for bit, the stream ends with the unary
// result, bad input names the member and the field, and the team's sizes are checked on
// the wire before anything is parsed.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "attain/v1/planner_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "service/team_convert.h"
#include "tests/test_requests.h"
#include "tests/test_server.h"

namespace attain {
namespace {

using google::protobuf::util::MessageDifferencer;
using testing_support::ExampleTeam;
using testing_support::ReadStream;
using testing_support::ViolatedFields;

class TeamServiceTest : public testing_support::InProcessServerTest {
 protected:
  grpc::Status SimulateTeam(const v1::SimulateTeamRequest& request,
                            v1::SimulateTeamResponse& response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return stub_->SimulateTeam(&context, request, &response);
  }
};

v1::SimulateTeamRequest Request(uint64_t paths, uint64_t seed) {
  v1::SimulateTeamRequest request;
  *request.mutable_team() = ExampleTeam();
  request.mutable_options()->set_paths(paths);
  request.mutable_options()->set_seed(seed);
  request.set_coaching_paths(1'000);
  return request;
}

TEST_F(TeamServiceTest, TheResponseIsTheDomainsTeamOutcomeBitForBit) {
  StartServer();
  const v1::SimulateTeamRequest request = Request(4'000, 17);
  v1::SimulateTeamResponse response;
  const grpc::Status status = SimulateTeam(request, response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  ASSERT_EQ(response.members_size(), 4);
  EXPECT_EQ(response.team().quota(), 14'500'000);
  EXPECT_EQ(response.team().currency(), "USD");
  EXPECT_EQ(response.team().partners_size(), 0);
  EXPECT_EQ(response.team().paths(), 4'000u);
  EXPECT_EQ(response.members_at_quota_probability_size(), 5);
  std::vector<uint32_t> ranks;
  for (const v1::MemberOutcome& m : response.members()) {
    ranks.push_back(m.risk_rank());
    EXPECT_TRUE(m.has_coaching_gain()) << m.channel_manager_id();
    EXPECT_TRUE(m.coaching_gain().plan_found()) << m.channel_manager_id();
    EXPECT_EQ(m.coaching_gain().recommended_plan().tiers_size(), 8);
  }
  std::sort(ranks.begin(), ranks.end());
  EXPECT_EQ(ranks, (std::vector<uint32_t>{1, 2, 3, 4}));
  EXPECT_TRUE(response.has_all_recommended());
  EXPECT_EQ(response.coaching_paths(), 1'000u);

  TeamInput input;
  ASSERT_TRUE(TeamInputFromProto(request, input).empty());
  Engine engine(EngineOptions{});  // another thread count: still the same bits
  ASSERT_TRUE(ValidateTeam(engine, input.team, input.options).empty());
  const PreparedTeam prepared = PrepareTeam(input.team, input.options);
  const absl::StatusOr<TeamOutcome> direct =
      SimulateTeamChecked(engine, prepared, input.options);
  ASSERT_TRUE(direct.ok()) << direct.status();
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(TeamOutcomeToProto(*direct, prepared), response))
      << differences;
}

TEST_F(TeamServiceTest, TheStreamSendsProgressThenTheUnaryResult) {
  StartServer();
  const v1::SimulateTeamRequest unary_request = Request(200'000, 5);
  v1::SimulateTeamStreamRequest request;
  *request.mutable_team() = unary_request.team();
  *request.mutable_options() = unary_request.options();
  request.set_coaching_paths(unary_request.coaching_paths());
  grpc::ClientContext context;
  auto reader = stub_->SimulateTeamStream(&context, request);
  const auto events = ReadStream<v1::TeamProgress, v1::SimulateTeamResponse>(*reader);
  ASSERT_TRUE(events.status.ok());
  ASSERT_EQ(events.results.size(), 1u);
  const std::vector<v1::TeamProgress>& progress = events.progress;
  ASSERT_FALSE(progress.empty());
  const v1::TeamProgress& last = progress.back();
  EXPECT_EQ(last.phase(), v1::TEAM_PHASE_SIMULATING);
  EXPECT_EQ(last.members(), 4u);
  EXPECT_EQ(last.members_searched(), 4u);
  EXPECT_EQ(last.simulation().paths_planned(), 200'000u);
  for (size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GE(progress[i].phase(), progress[i - 1].phase());
  }

  v1::SimulateTeamResponse unary;
  ASSERT_TRUE(SimulateTeam(unary_request, unary).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(unary, events.results[0]));
}

TEST_F(TeamServiceTest, BadInputNamesTheMemberAndTheField) {
  StartServer();
  v1::SimulateTeamRequest request = Request(1'000, 1);
  request.mutable_team()->mutable_members(2)->mutable_partners(5)->set_volatility(-1);
  request.mutable_team()->mutable_members(1)->set_periods(6);  // its 4 seasonal factors too
  request.mutable_team()->mutable_members(3)->mutable_partners(0)->set_tier(
      static_cast<v1::Tier>(42));
  (*request.mutable_team()->mutable_plans())["cm-nobody"];
  v1::SimulateTeamResponse response;
  const grpc::Status status = SimulateTeam(request, response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = ViolatedFields(status);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "team.members[1].periods", "team.members[1].seasonality",
                        "team.members[2].partners[5].volatility",
                        "team.members[3].partners[0].tier", "team.plans[\"cm-nobody\"]"}));
}

TEST_F(TeamServiceTest, TeamSizesAreCheckedOnTheWire) {
  StartServer();
  // 501 members: over the limit by count, before any member is parsed.
  v1::SimulateTeamRequest members;
  members.mutable_team()->set_quota(1);
  for (int j = 0; j < 501; ++j) members.mutable_team()->add_members();
  v1::SimulateTeamResponse response;
  const grpc::Status too_many = SimulateTeam(members, response);
  EXPECT_EQ(ViolatedFields(too_many), std::vector<std::string>{"team.members"});
  // 11 members of 10,000 partners each: each within a portfolio's limit, 110,000 in all.
  v1::SimulateTeamRequest partners;
  partners.mutable_team()->set_quota(1);
  for (int j = 0; j < 11; ++j) {
    v1::Portfolio* member = partners.mutable_team()->add_members();
    for (int i = 0; i < 10'000; ++i) member->add_partners();
  }
  const grpc::Status too_large = SimulateTeam(partners, response);
  EXPECT_EQ(ViolatedFields(too_large), std::vector<std::string>{"team.members[10].partners"});
  EXPECT_EQ(too_large.error_message(),
            "team.members[10].partners: brings the request's partners to 110000, the limit "
            "over the whole request is 100000");
}

}  // namespace
}  // namespace attain
