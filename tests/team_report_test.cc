// The attain team report from a hand-made response: managers by risk rank, hours over
// capacity marked, the count of managers at quota, and where coaching pays most.
#include "clients/cli/team_report.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::Interval Around(double value, double half_width) {
  v1::Interval interval;
  interval.set_low(value - half_width);
  interval.set_high(value + half_width);
  return interval;
}

v1::MemberOutcome Member(std::string id, uint32_t rank, double attainment, double hours,
                         double capacity, double gain) {
  v1::MemberOutcome m;
  m.set_channel_manager_id(std::move(id));
  m.set_risk_rank(rank);
  m.set_quota(1'000'000);
  m.set_attainment_probability(attainment);
  *m.mutable_attainment_interval() = Around(attainment, 0.01);
  m.set_expected_revenue(1'050'000);
  m.set_unassisted_expected_revenue(900'000);
  m.set_expected_shortfall(40'000);
  m.set_hours_used(hours);
  m.set_capacity_hours(capacity);
  v1::CoachingGain* coaching = m.mutable_coaching_gain();
  coaching->set_plan_found(gain > -1);
  if (gain > -1) {
    coaching->set_team_attainment_gain(gain);
    *coaching->mutable_team_attainment_gain_interval() = Around(gain, 0.004);
    coaching->set_tier_changes(3);
  }
  return m;
}

struct Case {
  v1::SimulateTeamRequest request;
  v1::SimulateTeamResponse response;
};

Case TwoManagers() {
  Case c;
  c.request.mutable_team()->set_name("West");
  c.request.mutable_team()->add_members()->set_periods(4);
  c.request.mutable_team()->add_members()->set_periods(4);
  v1::PlanOutcome* team = c.response.mutable_team();
  team->set_currency("USD");
  team->set_quota(2'000'000);
  team->set_attainment_probability(0.62);
  *team->mutable_attainment_interval() = Around(0.62, 0.01);
  team->set_paths(10'000);
  team->set_seed(7);
  team->set_sampler_version(2);
  *c.response.add_members() = Member("safe", 2, 0.81, 40, 50, 0.012);
  *c.response.add_members() = Member("at-risk", 1, 0.43, 60, 50, 0.034);
  c.response.add_members_at_quota_probability(0.1);
  c.response.add_members_at_quota_probability(0.5);
  c.response.add_members_at_quota_probability(0.4);
  c.response.set_expected_members_at_quota(1.3);
  c.response.set_coaching_paths(4'000);
  return c;
}

TEST(TeamReportTest, ManagersMostAtRiskFirstWithTheirHoursAndGains) {
  const Case c = TwoManagers();
  const std::string report = TeamReport(c.request, c.response);
  EXPECT_THAT(report, HasSubstr("Team \"West\" (2 managers) over 4 months, sharing one market"));
  EXPECT_THAT(report, HasSubstr("P(team reaches 2,000,000 USD): 62.0%  (95% 61.0% - 63.0%)"));
  const size_t at_risk = report.find("  at-risk  ");
  const size_t safe = report.find("  safe  ");
  ASSERT_NE(at_risk, std::string::npos) << report;
  ASSERT_NE(safe, std::string::npos) << report;
  EXPECT_LT(at_risk, safe);
  EXPECT_THAT(report, HasSubstr("60 of 50 (over)"));
  EXPECT_THAT(report, HasSubstr("+3.4 pts (+3.0 to +3.8), 3 tier changes"));
  EXPECT_THAT(report, HasSubstr("P(k at quota) 0: 10.0%, 1: 50.0%, 2: 40.0%"));
  EXPECT_THAT(report, HasSubstr("Coaching pays most with at-risk:"));
}

TEST(TeamReportTest, WithoutCoachingThereIsNoGainColumn) {
  Case c = TwoManagers();
  c.response.set_coaching_paths(0);
  for (v1::MemberOutcome& m : *c.response.mutable_members()) m.clear_coaching_gain();
  const std::string report = TeamReport(c.request, c.response);
  EXPECT_THAT(report, Not(HasSubstr("team gain if coached")));
  EXPECT_THAT(report, Not(HasSubstr("Coaching pays most")));
}

TEST(TeamReportTest, AManagerWithoutAFittingPlanSaysSo) {
  Case c = TwoManagers();
  *c.response.mutable_members(1) = Member("at-risk", 1, 0.43, 60, 0.5, -2);
  const std::string report = TeamReport(c.request, c.response);
  EXPECT_THAT(report, HasSubstr("no plan fits the hours"));
  EXPECT_THAT(report, HasSubstr("Coaching pays most with safe:"));
}

TEST(TeamReportTest, ProgressLineByPhase) {
  v1::TeamProgress searching;
  searching.set_phase(v1::TEAM_PHASE_SEARCHING);
  searching.set_members_searched(3);
  searching.set_members(10);
  EXPECT_EQ(TeamProgressLine(searching, 80), "searching each manager's tiers: 3 of 10 done");
  v1::TeamProgress simulating;
  simulating.set_phase(v1::TEAM_PHASE_SIMULATING);
  simulating.mutable_simulation()->set_paths_done(5'000);
  simulating.mutable_simulation()->set_paths_planned(10'000);
  EXPECT_THAT(TeamProgressLine(simulating, 80), HasSubstr("team: [###"));
  EXPECT_THAT(TeamProgressLine(simulating, 80), HasSubstr("5,000 / 10,000 paths"));
}

}  // namespace
}  // namespace attain::cli
