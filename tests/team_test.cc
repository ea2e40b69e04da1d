// Team roll-up: the team as one portfolio bit for bit, the count of members at quota
// against independence, coaching gains, risk ranks and validation. Statistical checks
// use fixed seeds and tolerances of 4 standard errors.
#include "simulator/team.h"

#include <cmath>
#include <random>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::BinomialSe;
using testing_support::ExpectIdenticalOutcomes;
using testing_support::MixedPortfolio;
using testing_support::RandomPortfolio;
using testing_support::Seeded;
using testing_support::WithThreads;

TeamOptions Options(uint64_t paths, uint64_t seed, bool coaching_gains) {
  TeamOptions options;
  options.simulation = Seeded(paths, seed);
  options.coaching_gains = coaching_gains;
  options.coaching_paths = 1'000;
  return options;
}

// `portfolio`'s partners [begin, end) as a member, with a quota in proportion.
Portfolio Slice(const Portfolio& portfolio, size_t begin, size_t end, std::string id) {
  Portfolio member = portfolio;
  member.channel_manager_id = std::move(id);
  member.partners.assign(portfolio.partners.begin() + static_cast<ptrdiff_t>(begin),
                         portfolio.partners.begin() + static_cast<ptrdiff_t>(end));
  const double share =
      static_cast<double>(end - begin) / static_cast<double>(portfolio.partners.size());
  member.quota = portfolio.quota * share;
  member.capacity_hours = portfolio.capacity_hours * share;
  return member;
}

// Managers of `partners` partners each, on one market: quiet partners whose revenue
// moves with the market factor by `market_correlation`, no segments.
Team MarketTeam(int members, int partners, double market_correlation) {
  Team team;
  team.name = "west";
  double team_quota = 0;
  for (int j = 0; j < members; ++j) {
    Portfolio member;
    member.channel_manager_id = absl::StrCat("m", j);
    member.periods = 4;
    member.capacity_hours = 100;
    double expected = 0;
    for (int i = 0; i < partners; ++i) {
      Partner p;
      p.id = absl::StrCat("P", i);  // the same ids in every member: still distinct partners
      p.tier = Tier::kMaintain;
      p.baseline_revenue = 10'000 * (1 + j);
      p.volatility = 0.3;
      p.market_correlation = market_correlation;
      p.churn_rate = 0;
      expected += ExpectedPartnerRevenue(member, p, member.tier_policy.HoursFor(p.tier));
      member.partners.push_back(p);
    }
    member.quota = expected;
    team_quota += expected;
    team.members.push_back(std::move(member));
  }
  team.quota = team_quota;
  return team;
}

// P(k of the members reach quota) if they were independent with probabilities `p`.
std::vector<double> IndependentCounts(const std::vector<double>& p) {
  std::vector<double> counts = {1.0};
  for (const double q : p) {
    std::vector<double> next(counts.size() + 1, 0.0);
    for (size_t k = 0; k < counts.size(); ++k) {
      next[k] += counts[k] * (1 - q);
      next[k + 1] += counts[k] * q;
    }
    counts = std::move(next);
  }
  return counts;
}

double CountVariance(const std::vector<double>& probability) {
  double mean = 0;
  double square = 0;
  for (size_t k = 0; k < probability.size(); ++k) {
    const double count = static_cast<double>(k);
    mean += count * probability[k];
    square += count * count * probability[k];
  }
  return square - mean * mean;
}

PlanOutcome WithoutPartners(PlanOutcome outcome) {
  outcome.partners.clear();
  return outcome;
}

TEST(TeamTest, OneMemberTeamIsThatMembersSimulationBitForBit) {
  Portfolio member = MixedPortfolio();
  member.channel_manager_id = "solo";
  Team team;
  team.name = "solo team";
  team.quota = member.quota;
  team.members = {member};
  Engine engine(WithThreads(2));
  for (const bool coaching : {false, true}) {
    const TeamOptions options = Options(3'000, 5, coaching);
    const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, options);
    const absl::StatusOr<PlanOutcome> alone = engine.Simulate(member, Plan{}, options.simulation);
    ASSERT_TRUE(out.ok()) << out.status();
    ASSERT_TRUE(alone.ok());
    PlanOutcome expected = WithoutPartners(*alone);
    ExpectIdenticalOutcomes(out->team, expected);
    ASSERT_EQ(out->members.size(), 1u);
    // The member's own figures are the same paths counted.
    EXPECT_NEAR(out->members[0].attainment_probability, alone->attainment_probability, 1e-12);
    EXPECT_NEAR(out->members[0].expected_revenue, alone->expected_revenue,
                1e-12 * alone->expected_revenue);
    EXPECT_NEAR(out->members[0].expected_shortfall, alone->expected_shortfall,
                1e-9 * alone->expected_revenue);
    EXPECT_NEAR(out->members[0].unassisted_expected_revenue, alone->unassisted_expected_revenue,
                1e-9 * alone->expected_revenue);
    EXPECT_EQ(out->members[0].risk_rank, 1);
    EXPECT_EQ(out->members_at_quota_probability.size(), 2u);
    EXPECT_NEAR(out->members_at_quota_probability[1], alone->attainment_probability, 1e-12);
  }
}

TEST(TeamTest, ATeamMadeOfOnePortfolioIsThatPortfolioBitForBit) {
  std::mt19937_64 random(3);
  Portfolio whole = RandomPortfolio(random, 45);
  whole.capacity_hours = 450;
  Team team;
  team.name = "whole";
  team.quota = whole.quota;
  team.members = {Slice(whole, 0, 15, "a"), Slice(whole, 15, 30, "b"), Slice(whole, 30, 45, "c")};
  SimulationOptions simulation = Seeded(2'500, 21);
  simulation.attainment_estimator = AttainmentEstimator::kConditional;
  simulation.antithetic = true;
  Engine engine(WithThreads(2));
  TeamOptions options = Options(0, 0, /*coaching_gains=*/false);
  options.simulation = simulation;
  const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, options);
  const absl::StatusOr<PlanOutcome> alone = engine.Simulate(whole, Plan{}, simulation);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(alone.ok());
  PlanOutcome expected = WithoutPartners(*alone);
  expected.plan_name = out->team.plan_name;
  ExpectIdenticalOutcomes(out->team, expected);
  EXPECT_EQ(out->team.hours_used, alone->hours_used);
  EXPECT_EQ(out->team.capacity_hours, alone->capacity_hours);
  // Members' expected revenues add up to the team's.
  double sum = 0;
  for (const MemberOutcome& m : out->members) sum += m.expected_revenue;
  EXPECT_NEAR(sum, alone->expected_revenue, 1e-9 * sum);
}

TEST(TeamTest, WithoutACommonFactorMembersReachQuotaIndependently) {
  const Team team = MarketTeam(5, 4, /*market_correlation=*/0);
  Engine engine(WithThreads(2));
  const uint64_t paths = 20'000;
  const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, Options(paths, 8, false));
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<double> p;
  for (const MemberOutcome& m : out->members) p.push_back(m.attainment_probability);
  const std::vector<double> independent = IndependentCounts(p);
  ASSERT_EQ(out->members_at_quota_probability.size(), independent.size());
  for (size_t k = 0; k < independent.size(); ++k) {
    EXPECT_NEAR(out->members_at_quota_probability[k], independent[k],
                4 * BinomialSe(independent[k], paths) + 1e-9)
        << "k = " << k;
  }
}

TEST(TeamTest, ASharedMarketSpreadsTheCountOfMembersAtQuota) {
  const Team team = MarketTeam(5, 4, /*market_correlation=*/0.6);
  Engine engine(WithThreads(2));
  const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, Options(20'000, 9, false));
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<double> p;
  for (const MemberOutcome& m : out->members) p.push_back(m.attainment_probability);
  const double independent = CountVariance(IndependentCounts(p));
  const double shared = CountVariance(out->members_at_quota_probability);
  // With 60% of each partner's variance from one market, members' indicators correlate
  // strongly: the count's variance is several times the independent one (about 3x here;
  // its sampling error at 20,000 paths is a few percent).
  EXPECT_GT(shared, 2 * independent);
  // The expected count is the sum of the members' probabilities either way.
  double sum = 0;
  for (const double q : p) sum += q;
  EXPECT_NEAR(out->expected_members_at_quota, sum, 1e-9);
}

TEST(TeamTest, CoachingGainsAreThePairedEffectOfEachMembersRecommendation) {
  Team team = MarketTeam(3, 6, 0.3);
  // Member 1 spends its hours where they earn nothing: every partner OPPORTUNISTIC but
  // the least responsive ones at INVEST, so its recommendation has something to gain.
  for (size_t i = 0; i < team.members[1].partners.size(); ++i) {
    Partner& p = team.members[1].partners[i];
    p.max_lift = i < 2 ? 0.0 : 0.8;
    p.tier = i < 2 ? Tier::kInvest : Tier::kOpportunistic;
  }
  Engine engine(WithThreads(2));
  const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, Options(8'000, 4, true));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->all_recommended.has_value());
  ASSERT_TRUE(out->all_recommended_difference.has_value());
  EXPECT_EQ(out->coaching_paths, 1'000u);
  const CoachingGain& gain = *out->members[1].coaching;
  EXPECT_TRUE(gain.plan_found);
  EXPECT_GT(gain.tier_changes, 0);
  EXPECT_EQ(gain.recommended_plan.tiers.size(), team.members[1].partners.size());
  EXPECT_GT(gain.revenue_gain, 0);
  EXPECT_GT(gain.team_attainment_gain_interval.low, 0) << gain.team_attainment_gain;
  EXPECT_LE(gain.team_attainment_gain_interval.low, gain.team_attainment_gain);
  EXPECT_GE(gain.team_attainment_gain_interval.high, gain.team_attainment_gain);
  // No one gains more from one member than from all of them (up to sampling).
  for (const MemberOutcome& m : out->members) {
    EXPECT_LE(m.coaching->team_attainment_gain,
              out->all_recommended_difference->attainment_probability_difference +
                  4 * (m.coaching->team_attainment_gain_interval.HalfWidth() / kZ95 + 1e-3));
  }
}

TEST(TeamTest, OneMembersGainIsTheTeamsWhenItIsAlone) {
  Team team = MarketTeam(1, 8, 0.3);
  team.members[0].partners[0].tier = Tier::kOpportunistic;
  Engine engine(WithThreads(2));
  const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, Options(6'000, 12, true));
  ASSERT_TRUE(out.ok()) << out.status();
  // Alone, the swap is the whole team's move: the paired difference of the two plans,
  // counted on the same paths (up to the rounding of revenue - own + moved).
  EXPECT_NEAR(out->members[0].coaching->team_attainment_gain,
              out->all_recommended_difference->attainment_probability_difference, 2.0 / 6'000);
  EXPECT_NEAR(out->members[0].coaching->revenue_gain,
              out->all_recommended_difference->expected_revenue_difference,
              1e-9 * out->team.expected_revenue);
}

TEST(TeamTest, SameOnAnyThreadCount) {
  Team team = MarketTeam(4, 5, 0.4);
  team.members[2].partners[1].tier = Tier::kInvest;
  const TeamOptions options = Options(5'000, 31, true);
  Engine one(WithThreads(1));
  Engine two(WithThreads(2));
  const absl::StatusOr<TeamOutcome> a = SimulateTeam(one, team, options);
  const absl::StatusOr<TeamOutcome> b = SimulateTeam(two, team, options);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectIdenticalOutcomes(a->team, b->team);
  ExpectIdenticalOutcomes(*a->all_recommended, *b->all_recommended);
  EXPECT_EQ(a->members_at_quota_probability, b->members_at_quota_probability);
  ASSERT_EQ(a->members.size(), b->members.size());
  for (size_t j = 0; j < a->members.size(); ++j) {
    EXPECT_EQ(a->members[j].attainment_probability, b->members[j].attainment_probability);
    EXPECT_EQ(a->members[j].expected_shortfall, b->members[j].expected_shortfall);
    EXPECT_EQ(a->members[j].risk_rank, b->members[j].risk_rank);
    EXPECT_EQ(a->members[j].coaching->team_attainment_gain,
              b->members[j].coaching->team_attainment_gain);
    EXPECT_EQ(a->members[j].coaching->recommended_plan.tiers,
              b->members[j].coaching->recommended_plan.tiers);
  }
}

TEST(TeamTest, RiskRanksOrderMembersByTheirChances) {
  Team team = MarketTeam(4, 5, 0.2);
  team.members[0].quota *= 0.8;  // safe
  team.members[2].quota *= 1.3;  // at risk
  team.members[3].quota *= 1.1;
  Engine engine(WithThreads(2));
  const absl::StatusOr<TeamOutcome> out = SimulateTeam(engine, team, Options(4'000, 2, false));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->members[2].risk_rank, 1);
  EXPECT_EQ(out->members[3].risk_rank, 2);
  EXPECT_EQ(out->members[1].risk_rank, 3);
  EXPECT_EQ(out->members[0].risk_rank, 4);
  EXPECT_FALSE(out->members[0].coaching.has_value());
  EXPECT_FALSE(out->all_recommended.has_value());
}

using Fields = std::set<std::string>;

Fields FieldsOf(const Violations& violations) {
  Fields fields;
  for (const FieldViolation& v : violations) fields.insert(v.field);
  return fields;
}

TEST(TeamTest, BadInputNamesTheMemberAndTheField) {
  Engine engine(WithThreads(1));
  Team team = MarketTeam(4, 6, 0.2);
  team.members[2].partners[5].volatility = -1;
  team.members[1].periods = 6;
  team.members[3].channel_manager_id = "m0";
  team.plans["nobody"] = Plan{};
  team.plans["m0"].tiers["P99"] = Tier::kInvest;
  team.quota = -5;
  TeamOptions options = Options(0, 1, true);
  options.coaching_paths = 0;
  const Violations violations = ValidateTeam(engine, team, options);
  EXPECT_EQ(FieldsOf(violations),
            (Fields{"team.members[2].partners[5].volatility", "team.members[1].periods",
                    "team.members[3].channel_manager_id", "team.plans[\"nobody\"]",
                    "team.plans[\"m0\"].tiers[\"P99\"]", "team.quota", "options.paths",
                    "coaching_paths"}));
  const absl::StatusOr<TeamOutcome> refused = SimulateTeam(engine, team, options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("team.members[2].partners[5].volatility"),
            std::string::npos);
}

TEST(TeamTest, MembersMustShareTheirMarketsCalendar) {
  Engine engine(WithThreads(1));
  Team team = MarketTeam(3, 2, 0.2);
  team.members[1].seasonality = {1, 1, 1.2, 0.8};
  team.members[2].segment_correlation = 0.3;
  team.members[2].currency = "EUR";
  const Violations violations = ValidateTeam(engine, team, Options(1'000, 1, false));
  EXPECT_EQ(FieldsOf(violations),
            (Fields{"team.members[1].seasonality", "team.members[2].segment_correlation",
                    "team.members[2].currency"}));
}

TEST(TeamTest, AMembersOwnBadSeasonalityIsNamedOnceAndNotComparedFurther) {
  Engine engine(WithThreads(1));
  Team team = MarketTeam(2, 2, 0.2);
  team.members[0].seasonality = {1, 1};  // 2 values for 4 periods: invalid in itself
  team.members[1].seasonality = {1, 2, 1};
  EXPECT_EQ(FieldsOf(ValidateTeam(engine, team, Options(1'000, 1, false))),
            (Fields{"team.members[0].seasonality", "team.members[1].seasonality"}));
}

TEST(TeamTest, LimitsOnMembersAndPartners) {
  Engine engine(WithThreads(1));
  TeamOptions options = Options(1'000, 1, false);
  options.limits.max_members = 3;
  options.limits.max_partners = 10;
  EXPECT_EQ(FieldsOf(ValidateTeam(engine, MarketTeam(4, 2, 0.2), options)),
              Fields{"team.members"});
  EXPECT_EQ(FieldsOf(ValidateTeam(engine, MarketTeam(3, 4, 0.2), options)),
              Fields{"team.members"});
  EXPECT_TRUE(ValidateTeam(engine, MarketTeam(3, 3, 0.2), options).empty());
  Team empty;
  empty.quota = 1;
  EXPECT_EQ(FieldsOf(ValidateTeam(engine, empty, options)),
              Fields{"team.members"});
}

TEST(TeamTest, CostCountsTheRunAndEverySearch) {
  Engine engine(WithThreads(2));
  const Team team = MarketTeam(3, 10, 0.2);
  const TeamOptions with = Options(10'000, 1, true);
  const TeamOptions without = Options(10'000, 1, false);
  const RunCost a = TeamCost(engine, PrepareTeam(team, with), with);
  const RunCost b = TeamCost(engine, PrepareTeam(team, without), without);
  // 30 partners x 4 periods x 10,000 paths, and three searches of 10 x 4 x 1,000.
  EXPECT_EQ(b.work, 30.0 * 4 * 10'000);
  EXPECT_EQ(a.work, 30.0 * 4 * 10'000 + 3 * 10.0 * 4 * 1'000);
  EXPECT_GT(a.memory_bytes, 0u);
}

}  // namespace
}  // namespace attain
