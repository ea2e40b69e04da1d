// Coaching: feedback codes on one partner of each archetype, the score's anchors (floor 0,
// best 100, a recommendation >= 95), its monotonicity and edge cases, the portfolio
// feedback and moves, validation, and reproducibility.
#include "simulator/coaching.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::WithThreads;

constexpr uint64_t kSeed = 17;

// One partner of each archetype; capacity for one INVEST, one MAINTAIN and two
// OPPORTUNISTIC: the hours must go where they have impact.
Portfolio Archetypes() {
  Portfolio portfolio;
  portfolio.periods = 12;
  portfolio.capacity_hours = 24;
  Partner producer;  // sells nearly as much unassisted
  producer.id = "producer";
  producer.tier = Tier::kInvest;
  producer.baseline_revenue = 100'000;
  producer.max_lift = 0.03;
  producer.churn_rate = 0.002;
  producer.volatility = 0.15;
  Partner growth = producer;  // responds strongly to heavy hours
  growth.id = "growth";
  growth.tier = Tier::kOpportunistic;
  growth.baseline_revenue = 30'000;
  growth.max_lift = 1.5;
  growth.churn_rate = 0.01;
  Partner sticky = producer;  // drifts away without attention
  sticky.id = "sticky";
  sticky.tier = Tier::kOpportunistic;
  sticky.baseline_revenue = 15'000;
  sticky.max_lift = 0.1;
  sticky.churn_rate = 0.15;
  sticky.retention_hours = 4;
  Partner tail = producer;  // small, opportunistic
  tail.id = "tail";
  tail.tier = Tier::kOpportunistic;
  tail.baseline_revenue = 3'000;
  tail.max_lift = 0.2;
  portfolio.partners = {producer, growth, sticky, tail};
  // Between the floor's expected revenue and the best plan's, nearer the best.
  double floor = 0;
  double best = 0;
  for (const Partner& p : portfolio.partners) {
    floor += ExpectedPartnerRevenue(portfolio, p, 1);
    best += ExpectedPartnerRevenue(portfolio, p, p.id == "growth"   ? 16
                                                 : p.id == "sticky" ? 6
                                                                    : 1);
  }
  portfolio.quota = floor + 0.8 * (best - floor);
  return portfolio;
}

Plan PlanWith(std::map<std::string, Tier> tiers) {
  Plan plan;
  plan.tiers = std::move(tiers);
  return plan;
}

CoachOptions Options(uint64_t paths = 10'000, uint64_t seed = kSeed) {
  CoachOptions options;
  options.simulation.paths = paths;
  options.simulation.seed = seed;
  return options;
}

Coaching Coach(Engine& engine, const Portfolio& portfolio, const Plan& plan,
               const CoachOptions& options = Options()) {
  EXPECT_TRUE(ValidateCoaching(engine, portfolio, plan, options).empty());
  absl::StatusOr<Coaching> coaching = CoachPlanChecked(engine, portfolio, plan, options);
  EXPECT_TRUE(coaching.ok()) << coaching.status();
  return coaching.ok() ? *std::move(coaching) : Coaching{};
}

const PartnerFeedback& FeedbackOf(const Coaching& coaching, const std::string& id) {
  for (const PartnerFeedback& f : coaching.partners) {
    if (f.partner_id == id) return f;
  }
  ADD_FAILURE() << "no feedback for " << id;
  return coaching.partners.front();
}

const Plan kManagerPlan = PlanWith({{"producer", Tier::kInvest},
                                    {"growth", Tier::kOpportunistic},
                                    {"sticky", Tier::kOpportunistic},
                                    {"tail", Tier::kOpportunistic}});

TEST(CoachPlanTest, EachArchetypeGetsItsCode) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  const Coaching coaching = Coach(engine, portfolio, kManagerPlan);
  // The premise: the best plan invests in growth and keeps sticky from drifting away.
  ASSERT_EQ(coaching.best_plan.tiers.at("growth"), Tier::kInvest);
  ASSERT_EQ(coaching.best_plan.tiers.at("sticky"), Tier::kMaintain);
  ASSERT_EQ(coaching.best_plan.tiers.at("producer"), Tier::kOpportunistic);

  const PartnerFeedback& producer = FeedbackOf(coaching, "producer");
  EXPECT_EQ(producer.code, FeedbackCode::kOverInvested);
  EXPECT_EQ(producer.reason.code, ReasonCode::kSelfSufficient);
  EXPECT_GT(producer.reason.facts.expected_revenue,
            kSelfSufficientShare * producer.reason.facts.compared_expected_revenue);
  // Taking INVEST away alone costs revenue: the hours' value lies elsewhere.
  EXPECT_LT(producer.to_best.revenue, 0);

  const PartnerFeedback& growth = FeedbackOf(coaching, "growth");
  EXPECT_EQ(growth.code, FeedbackCode::kUnderInvested);
  EXPECT_EQ(growth.reason.code, ReasonCode::kHighLiftPerHour);
  EXPECT_GT(growth.to_best.objective_interval.low, 0);
  EXPECT_GT(growth.to_best.revenue_interval.low, 0);

  const PartnerFeedback& sticky = FeedbackOf(coaching, "sticky");
  EXPECT_EQ(sticky.code, FeedbackCode::kRetentionRisk);
  EXPECT_GE(sticky.reason.facts.compared_dormancy_probability, kLikelyDormancy);
  EXPECT_GE(sticky.reason.facts.compared_dormancy_probability -
                sticky.reason.facts.dormancy_probability,
            kDormancyRiskGap);

  const PartnerFeedback& tail = FeedbackOf(coaching, "tail");
  EXPECT_EQ(tail.code, FeedbackCode::kAligned);
  EXPECT_EQ(tail.to_best.objective, 0);
}

TEST(CoachPlanTest, FloorScoresZeroAndTheBestPlanOneHundred) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  const Coaching floor = Coach(engine, portfolio, PlanWith({{"producer", Tier::kOpportunistic}}));
  EXPECT_EQ(floor.basis, ScoreBasis::kShareOfGain);
  EXPECT_EQ(floor.score, 0);
  EXPECT_EQ(floor.plan_gain, 0);
  EXPECT_GT(floor.achievable_gain_interval.low, 0.2) << "the example has a lot to gain";

  const Coaching best = Coach(engine, portfolio, floor.best_plan);
  EXPECT_EQ(best.score, 100);
  EXPECT_EQ(best.score_interval.low, 100);
  EXPECT_EQ(best.best_plan.tiers, floor.best_plan.tiers) << "same seed, same search";
}

TEST(CoachPlanTest, ARecommendationScoresAtLeastNinetyFive) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  for (const uint64_t seed : {1, 2, 3}) {
    RecommendOptions recommend;
    recommend.simulation.paths = 4'000;
    recommend.simulation.seed = seed;
    const auto recommendation = RecommendTiers(engine, portfolio, recommend);
    ASSERT_TRUE(recommendation.ok()) << recommendation.status();
    // Coached on other samples than the recommendation's.
    const Coaching coaching = Coach(engine, portfolio, recommendation->recommended_plan,
                                    Options(10'000, seed + 100));
    EXPECT_GE(coaching.score, 95) << "seed " << seed;
  }
}

TEST(CoachPlanTest, ScoreRisesWithThePlansTrueQuality) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  // Each plan adds a step of the best plan; true P(attain) rises along the sequence.
  const std::vector<Plan> plans = {
      PlanWith({{"producer", Tier::kOpportunistic}}),
      PlanWith({{"producer", Tier::kOpportunistic}, {"sticky", Tier::kMaintain}}),
      PlanWith({{"producer", Tier::kOpportunistic}, {"growth", Tier::kMaintain},
                {"sticky", Tier::kMaintain}}),
      PlanWith({{"producer", Tier::kOpportunistic}, {"growth", Tier::kInvest},
                {"sticky", Tier::kMaintain}})};
  double previous = -1;
  for (size_t k = 0; k < plans.size(); ++k) {
    const Coaching coaching = Coach(engine, portfolio, plans[k]);
    EXPECT_GT(coaching.score, previous) << "plan " << k;
    EXPECT_LE(coaching.score_interval.low, coaching.score);
    EXPECT_GE(coaching.score_interval.high, coaching.score);
    previous = coaching.score;
  }
  EXPECT_EQ(previous, 100);
}

TEST(CoachPlanTest, ScoreAgreesWithTheValidationOutcomes) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  const Coaching coaching = Coach(engine, portfolio, kManagerPlan);
  ASSERT_EQ(coaching.validation.outcomes.size(), 3u);
  const auto& outcomes = coaching.validation.outcomes;
  const double paths = static_cast<double>(outcomes[0].paths);
  // The score's sample and the outcomes' run are the same paths.
  EXPECT_NEAR(coaching.plan_gain,
              outcomes[0].attainment_probability - outcomes[2].attainment_probability,
              1.5 / paths);
  EXPECT_NEAR(coaching.achievable_gain,
              outcomes[1].attainment_probability - outcomes[2].attainment_probability,
              1.5 / paths);
  const double share = coaching.plan_gain / coaching.achievable_gain;
  EXPECT_EQ(coaching.basis, ScoreBasis::kShareOfGain);
  EXPECT_NEAR(coaching.score, 100 * share, 1e-9);
  EXPECT_GT(coaching.score_interval.high - coaching.score_interval.low, 0);
  // The interval is about 2 x 1.96 standard errors of the share; the share's SE is at
  // most that of a difference of two proportions over the achievable gain.
  const double bound = 2 * 2.1 * std::sqrt(1.0 / paths) / coaching.achievable_gain * 100;
  EXPECT_LT(coaching.score_interval.high - coaching.score_interval.low, bound);
}

TEST(CoachPlanTest, NothingToGainScoresOneHundred) {
  Engine engine(WithThreads(2));
  Portfolio portfolio = Archetypes();
  portfolio.quota = 1;  // every plan attains on every path
  const Coaching coaching = Coach(engine, portfolio, kManagerPlan);
  EXPECT_EQ(coaching.basis, ScoreBasis::kNothingToGain);
  EXPECT_EQ(coaching.score, 100);
  EXPECT_EQ(coaching.achievable_gain, 0);
}

TEST(CoachPlanTest, APlanOverCapacityCanBeatTheBestFoundAndIsFlagged) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  const Plan everything = PlanWith({{"producer", Tier::kInvest},
                                    {"growth", Tier::kInvest},
                                    {"sticky", Tier::kInvest},
                                    {"tail", Tier::kInvest}});
  const Coaching coaching = Coach(engine, portfolio, everything);
  EXPECT_EQ(coaching.basis, ScoreBasis::kAboveFoundBest);
  EXPECT_EQ(coaching.score, 100);
  EXPECT_TRUE(coaching.portfolio.over_capacity);
  EXPECT_EQ(coaching.portfolio.hours_used, 64);
  // The moves first bring the plan within its hours.
  ASSERT_FALSE(coaching.portfolio.top_moves.empty());
  EXPECT_LT(coaching.portfolio.top_moves[0].changes[0].hours_change, 0);
}

TEST(CoachPlanTest, APlanBelowTheFloorScoresZero) {
  Engine engine(WithThreads(2));
  Portfolio portfolio = Archetypes();
  // A policy whose OPPORTUNISTIC tier has more hours than MAINTAIN.
  portfolio.tier_policy = {16, 0.5, 4};
  portfolio.capacity_hours = 40;
  const Coaching coaching = Coach(
      engine, portfolio,
      PlanWith({{"producer", Tier::kMaintain}, {"growth", Tier::kMaintain},
                {"sticky", Tier::kMaintain}, {"tail", Tier::kMaintain}}));
  EXPECT_EQ(coaching.basis, ScoreBasis::kBelowFloor);
  EXPECT_EQ(coaching.score, 0);
  EXPECT_LT(coaching.plan_gain_interval.high, 0);
}

TEST(CoachPlanTest, PortfolioFeedback) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  const Coaching coaching = Coach(engine, portfolio, kManagerPlan);
  const PortfolioFeedback& f = coaching.portfolio;
  EXPECT_EQ(f.hours_used, 19);
  EXPECT_EQ(f.capacity_hours, 24);
  EXPECT_FALSE(f.over_capacity);
  // The producer's 16 hours, and the tail's one: both sell over 90% as much unassisted.
  EXPECT_EQ(f.self_sufficient_hours, 17);
  EXPECT_EQ(f.self_sufficient_partners, 2);
  EXPECT_DOUBLE_EQ(f.self_sufficient_hours_share, 17.0 / 19);
  EXPECT_EQ(f.largest_partner_id, "producer");
  EXPECT_GT(f.largest_revenue_share, 0.5);
  EXPECT_GT(f.top3_revenue_share, f.largest_revenue_share);
  EXPECT_GT(f.effective_partners, 1);
  EXPECT_LT(f.effective_partners, 4);

  // Moves lead toward the best plan, within the capacity, each improving the plan.
  ASSERT_FALSE(f.top_moves.empty());
  EXPECT_LE(f.top_moves.size(), 3u);
  double hours = f.hours_used;
  for (const CoachingMove& move : f.top_moves) {
    for (const TierMove& change : move.changes) {
      EXPECT_EQ(change.to, coaching.best_plan.tiers.at(change.partner_id));
      hours += change.hours_change;
    }
    EXPECT_LE(hours, portfolio.capacity_hours);
    EXPECT_GE(move.effect.objective, 0);
  }
  EXPECT_GT(f.top_moves[0].effect.objective_interval.low, 0);
  // Growth's INVEST needs the producer's hours: a shift of two changes.
  bool shift = false;
  for (const CoachingMove& move : f.top_moves) {
    if (move.changes.size() == 2) {
      shift = true;
      EXPECT_LT(move.changes[0].hours_change, 0);
      EXPECT_GT(move.changes[1].hours_change, 0);
    }
  }
  EXPECT_TRUE(shift);
}

TEST(CoachPlanTest, ReproducibleFromTheSeedAcrossThreadCounts) {
  Engine one(WithThreads(1));
  Engine two(WithThreads(2));
  const Portfolio portfolio = Archetypes();
  const Coaching a = Coach(one, portfolio, kManagerPlan, Options(2'000));
  const Coaching b = Coach(two, portfolio, kManagerPlan, Options(2'000));
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.score_interval.low, b.score_interval.low);
  EXPECT_EQ(a.best_plan.tiers, b.best_plan.tiers);
  ASSERT_EQ(a.partners.size(), b.partners.size());
  for (size_t i = 0; i < a.partners.size(); ++i) {
    EXPECT_EQ(a.partners[i].code, b.partners[i].code);
    EXPECT_EQ(a.partners[i].to_best.objective, b.partners[i].to_best.objective);
  }
  EXPECT_EQ(a.validation_seed, ValidationSeed(kSeed));
}

TEST(CoachPlanTest, ValidationNamesTheField) {
  Engine engine(WithThreads(1));
  const Portfolio portfolio = Archetypes();
  Plan unknown = PlanWith({{"nobody", Tier::kInvest}});
  EXPECT_FALSE(ValidateCoaching(engine, portfolio, unknown, Options()).plan.empty());
  const Violations fields =
      ValidateCoaching(engine, portfolio, unknown, Options()).Under("portfolio", "plan", "options");
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].field, "plan.tiers[\"nobody\"]");

  Plan hours = kManagerPlan;
  hours.hours["growth"] = 10;
  EXPECT_EQ(ValidateCoaching(engine, portfolio, hours, Options()).plan[0].field, "hours");

  CoachOptions few = Options(100);
  few.simulation.antithetic = true;
  const CoachingViolations v = ValidateCoaching(engine, portfolio, kManagerPlan, few);
  ASSERT_EQ(v.simulation.size(), 2u);
  EXPECT_EQ(v.simulation[0].field, "antithetic");
  EXPECT_EQ(v.simulation[1].field, "paths");
}

TEST(CoachPlanTest, CancelledStopsTheRun) {
  Engine engine(WithThreads(2));
  RunControl control;
  control.cancelled = [] { return true; };
  const auto coaching = CoachPlanChecked(engine, Archetypes(), kManagerPlan, Options(), control);
  EXPECT_EQ(coaching.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace attain
