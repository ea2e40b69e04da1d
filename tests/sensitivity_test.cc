// Sensitivity analysis end to end: directions the model guarantees, ranking by swing,
// common random numbers (base and ends are plain engine runs on the same seed), ranges
// from standard errors, the tier check (a change where one must happen, none where
// nothing changes, off and bounded), its cost, validation and finite outputs.
#include "simulator/sensitivity.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;
using testing_support::RandomPortfolio;
using testing_support::Seeded;
using testing_support::WithThreads;

SensitivityOptions NoTierCheck() {
  SensitivityOptions options;
  options.check_tiers = false;
  return options;
}

const AssumptionSensitivity& Find(const Sensitivity& result, Assumption assumption,
                                  const std::string& partner_id = "") {
  for (const AssumptionSensitivity& row : result.assumptions) {
    if (row.assumption == assumption && row.partner_id == partner_id) return row;
  }
  ADD_FAILURE() << "no row for " << AssumptionName(assumption) << " " << partner_id;
  return result.assumptions.front();
}

TEST(SensitivityTest, MovesInTheDirectionsTheModelGuarantees) {
  Engine engine(WithThreads(2));
  Portfolio portfolio = MixedPortfolio();
  for (Partner& p : portfolio.partners) p.max_lift += 0.1;  // every partner responds
  const auto result = AnalyzeSensitivity(engine, portfolio, Plan{}, Seeded(4'000, 3),
                                         NoTierCheck());
  ASSERT_TRUE(result.ok()) << result.status();
  // On common random numbers each is monotone path by path, so strictly in the mean.
  const AssumptionSensitivity& lift = Find(*result, Assumption::kLift);
  EXPECT_GT(lift.high.expected_revenue, result->base.expected_revenue);
  EXPECT_GT(result->base.expected_revenue, lift.low.expected_revenue);
  EXPECT_GE(lift.high.attainment_probability, lift.low.attainment_probability);
  const AssumptionSensitivity& churn = Find(*result, Assumption::kChurnRate);
  EXPECT_LT(churn.high.expected_revenue, result->base.expected_revenue);
  EXPECT_GT(churn.low.expected_revenue, result->base.expected_revenue);
  const AssumptionSensitivity& h50 = Find(*result, Assumption::kHalfEffortHours);
  EXPECT_GT(h50.low.expected_revenue, h50.high.expected_revenue)
      << "fewer hours to half the effect: more lift";
  const AssumptionSensitivity& growth = Find(*result, Assumption::kGrowthRate);
  EXPECT_GT(growth.high.expected_revenue, growth.low.expected_revenue);
  size_t baselines = 0;
  for (const AssumptionSensitivity& row : result->assumptions) {
    if (row.assumption != Assumption::kBaselineRevenue) continue;
    ++baselines;
    EXPECT_GT(row.high.expected_revenue, result->base.expected_revenue) << row.partner_id;
    EXPECT_LT(row.low.expected_revenue, result->base.expected_revenue) << row.partner_id;
    EXPECT_DOUBLE_EQ(row.high.value, 1.2 * row.base_value);
  }
  EXPECT_EQ(baselines, 5u);
}

TEST(SensitivityTest, RanksBySwingThenByRevenueSwing) {
  Engine engine(WithThreads(2));
  const auto result = AnalyzeSensitivity(engine, MixedPortfolio(), Plan{}, Seeded(3'000, 8),
                                         NoTierCheck());
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->assumptions.size(), 11u);
  for (size_t k = 0; k < result->assumptions.size(); ++k) {
    const AssumptionSensitivity& row = result->assumptions[k];
    EXPECT_EQ(row.attainment_swing,
              std::abs(row.high.attainment_probability - row.low.attainment_probability));
    EXPECT_EQ(row.expected_revenue_swing,
              std::abs(row.high.expected_revenue - row.low.expected_revenue));
    if (k == 0) continue;
    const AssumptionSensitivity& before = result->assumptions[k - 1];
    EXPECT_GE(before.attainment_swing, row.attainment_swing);
    if (before.attainment_swing == row.attainment_swing) {
      EXPECT_GE(before.expected_revenue_swing, row.expected_revenue_swing);
    }
  }
  EXPECT_GT(result->assumptions.front().attainment_swing, 0);
}

TEST(SensitivityTest, BaseAndEndsAreEngineRunsOnTheSameSeed) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = MixedPortfolio();
  Plan plan;
  plan.name = "invest in P4";
  plan.tiers["P4"] = Tier::kInvest;
  const SimulationOptions options = Seeded(3'000, 21);
  const SensitivityOptions sensitivity = NoTierCheck();
  const auto result = AnalyzeSensitivity(engine, portfolio, plan, options, sensitivity);
  ASSERT_TRUE(result.ok()) << result.status();
  const auto alone = engine.Simulate(portfolio, plan, options);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(result->seed, 21u);
  EXPECT_EQ(result->base.attainment_probability, alone->attainment_probability);
  EXPECT_EQ(result->base.expected_revenue, alone->expected_revenue);
  EXPECT_EQ(result->base.revenue_percentiles, alone->revenue_percentiles);

  // An end is the engine on the portfolio at that end, with the same seed, bit for bit.
  const std::vector<AssumptionSpec> specs =
      ListAssumptions(portfolio, ResolvePlan(portfolio, plan), sensitivity.ranges);
  for (const AssumptionSpec& spec : specs) {
    if (spec.assumption != Assumption::kVolatility) continue;
    const Portfolio high =
        PortfolioAtEnd(portfolio, spec, RangeEnd::kHigh, sensitivity.ranges, Limits());
    const auto end = engine.Simulate(high, plan, options);
    ASSERT_TRUE(end.ok());
    const AssumptionSensitivity& row = Find(*result, Assumption::kVolatility);
    EXPECT_EQ(row.high.attainment_probability, end->attainment_probability);
    EXPECT_EQ(row.high.expected_revenue, end->expected_revenue);
  }

  const auto again = AnalyzeSensitivity(engine, portfolio, plan, options, sensitivity);
  ASSERT_TRUE(again.ok());
  for (size_t k = 0; k < result->assumptions.size(); ++k) {
    EXPECT_EQ(again->assumptions[k].low.attainment_probability,
              result->assumptions[k].low.attainment_probability);
    EXPECT_EQ(again->assumptions[k].high.expected_revenue,
              result->assumptions[k].high.expected_revenue);
  }
}

TEST(SensitivityTest, AnUnsetSeedIsDrawnOnceForEveryRun) {
  Engine engine(WithThreads(2));
  SimulationOptions options;
  options.paths = 1'000;
  const auto result = AnalyzeSensitivity(engine, MixedPortfolio(), Plan{}, options, NoTierCheck());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->base.seed, result->seed);
  const auto replay = AnalyzeSensitivity(engine, MixedPortfolio(), Plan{},
                                         Seeded(1'000, result->seed), NoTierCheck());
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->assumptions.front().high.expected_revenue,
            result->assumptions.front().high.expected_revenue);
}

TEST(SensitivityTest, UsesStandardErrorRangesWhereThePortfolioHasThem) {
  Engine engine(WithThreads(2));
  Portfolio portfolio = MixedPortfolio();
  for (Partner& p : portfolio.partners) {
    p.errors.max_lift = 0.05;
    p.errors.baseline_revenue = 0.1 * p.baseline_revenue;
  }
  const auto result = AnalyzeSensitivity(engine, portfolio, Plan{}, Seeded(2'000, 4),
                                         NoTierCheck());
  ASSERT_TRUE(result.ok()) << result.status();
  for (const AssumptionSensitivity& row : result->assumptions) {
    const bool estimated = row.assumption == Assumption::kLift ||
                           row.assumption == Assumption::kBaselineRevenue;
    EXPECT_EQ(row.source,
              estimated ? RangeSource::kStandardError : RangeSource::kDefaultRange)
        << AssumptionName(row.assumption);
    if (row.assumption == Assumption::kBaselineRevenue) {
      EXPECT_EQ(row.low.setting, -kStandardErrorZ);
      EXPECT_DOUBLE_EQ(row.high.value, row.base_value * (1 + 0.1 * kStandardErrorZ));
    }
  }
  const AssumptionSensitivity& lift = Find(*result, Assumption::kLift);
  EXPECT_NEAR(lift.high.value, lift.base_value + 0.05 * kStandardErrorZ, 1e-12);

  SensitivityOptions defaults = NoTierCheck();
  defaults.ranges.use_standard_errors = false;
  const auto plain = AnalyzeSensitivity(engine, portfolio, Plan{}, Seeded(2'000, 4), defaults);
  ASSERT_TRUE(plain.ok());
  for (const AssumptionSensitivity& row : plain->assumptions) {
    EXPECT_EQ(row.source, RangeSource::kDefaultRange);
  }
}

// Two partners, room for one INVEST; no noise or churn, so revenue is exact. At base the
// larger partner "a" gets the INVEST tier (both plans attain the quota; the larger revenue
// wins the tie). With "b"'s baseline 20% higher, "b" is the larger and takes it.
Portfolio TwoPartnerChoice() {
  Portfolio portfolio;
  portfolio.periods = 1;
  portfolio.capacity_hours = 17;  // one INVEST (16) and one OPPORTUNISTIC (1)
  Partner a;
  a.id = "a";
  a.tier = Tier::kOpportunistic;
  a.baseline_revenue = 100'000;
  a.volatility = 0;
  a.market_correlation = 0;
  a.churn_rate = 0;
  a.max_lift = 1.5;  // lift 1/6 at 1 hour, 1 at 16 (h50 = 8)
  a.ramp_periods = 0;
  Partner b = a;
  b.id = "b";
  b.baseline_revenue = 90'000;
  portfolio.partners = {a, b};
  // Revenue of the current plan (both OPPORTUNISTIC), INVEST a, INVEST b: at base
  // 221,667, 305,000, 296,667; with b's baseline x1.2: 242,667, 326,000, 332,667; with
  // b's baseline x0.8: 198,333, 284,000, 260,667. Other plans that attain need more
  // changes (both MAINTAIN) or bring less (one MAINTAIN).
  portfolio.quota = 260'000;
  return portfolio;
}

TEST(SensitivityTest, ReportsTheTierChangeThatMustHappenAndNoneWhereNothingChanges) {
  Engine engine(WithThreads(2));
  SensitivityOptions sensitivity;
  sensitivity.tier_check_assumptions = 0;  // every assumption
  const auto result =
      AnalyzeSensitivity(engine, TwoPartnerChoice(), Plan{}, Seeded(200, 1), sensitivity);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->tier_check, TierCheck::kDone);
  EXPECT_EQ(result->tier_check_paths, 200u);
  ASSERT_EQ(result->recommended_tiers,
            (std::vector<Tier>{Tier::kInvest, Tier::kOpportunistic}));

  const AssumptionSensitivity& b = Find(*result, Assumption::kBaselineRevenue, "b");
  ASSERT_TRUE(b.high.tiers_checked);
  ASSERT_EQ(b.high.tier_changes.size(), 2u);
  EXPECT_EQ(b.high.tier_changes[0].partner_id, "a");
  EXPECT_EQ(b.high.tier_changes[0].base_tier, Tier::kInvest);
  EXPECT_EQ(b.high.tier_changes[0].tier, Tier::kOpportunistic);
  EXPECT_EQ(b.high.tier_changes[1].partner_id, "b");
  EXPECT_EQ(b.high.tier_changes[1].tier, Tier::kInvest);
  EXPECT_TRUE(b.low.tiers_checked);
  EXPECT_TRUE(b.low.tier_changes.empty()) << "a smaller b leaves a the larger";

  // Without volatility, neither it nor the market correlation changes anything; churn is 0.
  for (const Assumption unchanged :
       {Assumption::kVolatility, Assumption::kMarketCorrelation, Assumption::kChurnRate}) {
    const AssumptionSensitivity& row = Find(*result, unchanged);
    EXPECT_EQ(row.attainment_swing, 0);
    EXPECT_EQ(row.expected_revenue_swing, 0);
    for (const SensitivityEnd* end : {&row.low, &row.high}) {
      EXPECT_TRUE(end->tiers_checked);
      EXPECT_TRUE(end->tier_changes.empty()) << AssumptionName(unchanged);
    }
  }
}

TEST(SensitivityTest, TheTierCheckCanBeBoundedOrTurnedOff) {
  Engine engine(WithThreads(2));
  SensitivityOptions bounded;
  bounded.tier_check_assumptions = 2;
  bounded.tier_check_paths = 300;
  const auto result =
      AnalyzeSensitivity(engine, MixedPortfolio(), Plan{}, Seeded(1'000, 2), bounded);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tier_check, TierCheck::kDone);
  EXPECT_EQ(result->tier_check_paths, 300u);
  EXPECT_EQ(result->recommended_tiers.size(), 9u);
  for (size_t k = 0; k < result->assumptions.size(); ++k) {
    EXPECT_EQ(result->assumptions[k].low.tiers_checked, k < 2) << k;
    EXPECT_EQ(result->assumptions[k].high.tiers_checked, k < 2) << k;
  }

  const auto off = AnalyzeSensitivity(engine, MixedPortfolio(), Plan{}, Seeded(1'000, 2),
                                      NoTierCheck());
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->tier_check, TierCheck::kOff);
  EXPECT_TRUE(off->recommended_tiers.empty());
  // The tier check changes nothing else.
  for (size_t k = 0; k < off->assumptions.size(); ++k) {
    EXPECT_EQ(off->assumptions[k].low.attainment_probability,
              result->assumptions[k].low.attainment_probability);
    EXPECT_FALSE(off->assumptions[k].high.tiers_checked);
  }
}

TEST(SensitivityTest, NoFeasiblePlanSkipsTheTierCheck) {
  Engine engine(WithThreads(2));
  Portfolio portfolio = TwoPartnerChoice();
  portfolio.capacity_hours = 1;  // two OPPORTUNISTIC partners need 2
  const auto result =
      AnalyzeSensitivity(engine, portfolio, Plan{}, Seeded(200, 1), SensitivityOptions());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tier_check, TierCheck::kNoFeasiblePlan);
  EXPECT_EQ(result->assumptions.size(), 8u);
}

TEST(SensitivityTest, CostCountsEveryRunAndTheBudgetRefusesTooMuch) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = MixedPortfolio();
  const SimulationOptions options = Seeded(10'000, 1);
  const double run_work = engine.CompareCost(portfolio, 1, options).work;
  const RunCost off = SensitivityCost(engine, portfolio, options, NoTierCheck());
  EXPECT_EQ(off.work, run_work * (1 + 2 * 11));
  SensitivityOptions checked;
  checked.tier_check_assumptions = 3;
  const RunCost on = SensitivityCost(engine, portfolio, options, checked);
  EXPECT_EQ(on.work, off.work + 7 * run_work) << "seven tier samples of the same paths";
  EXPECT_GE(on.memory_bytes, off.memory_bytes);

  EngineOptions small = WithThreads(1);
  small.memory_budget_bytes = 1 << 20;
  Engine tight(small);
  const auto refused = AnalyzeSensitivity(tight, portfolio, Plan{}, Seeded(1'000'000, 1),
                                          NoTierCheck());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(SensitivityTest, InvalidInputNamesTheField) {
  Engine engine(WithThreads(1));
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[3].volatility = -1;
  SimulationOptions options = Seeded(1'000, 1);
  options.target_ci_half_width = 0.01;
  SensitivityOptions sensitivity;
  sensitivity.ranges.churn_rate_factor.low = 2;
  sensitivity.tier_check_paths = 20'000'000;
  Plan plan;
  plan.tiers["nobody"] = Tier::kInvest;
  const SensitivityViolations v =
      ValidateSensitivity(engine, portfolio, plan, options, sensitivity);
  std::vector<std::string> fields;
  for (const FieldViolation& f : v.Under("portfolio", "plan", "options", "sensitivity")) {
    fields.push_back(f.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"portfolio.partners[3].volatility",
                                              "options.target_ci_half_width",
                                              "sensitivity.churn_rate_factor.low",
                                              "sensitivity.tier_check_paths"}));
  portfolio.partners[3].volatility = 0.2;
  const auto result = AnalyzeSensitivity(engine, portfolio, plan, Seeded(100, 1), NoTierCheck());
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("plan.tiers[\"nobody\"]"), std::string::npos)
      << result.status();
}

TEST(SensitivityTest, EveryOutputIsFiniteOnRandomPortfolios) {
  Engine engine(WithThreads(2));
  std::mt19937_64 random(99);
  for (int round = 0; round < 4; ++round) {
    Portfolio portfolio = RandomPortfolio(random, 10);
    if (round % 2) {
      for (Partner& p : portfolio.partners) p.errors = {0.5 * p.baseline_revenue, 0.2, 0.5, 0.1};
    }
    SensitivityOptions sensitivity;
    sensitivity.tier_check_paths = 500;
    const auto result =
        AnalyzeSensitivity(engine, portfolio, Plan{}, Seeded(1'000, round), sensitivity);
    ASSERT_TRUE(result.ok()) << result.status();
    for (const AssumptionSensitivity& row : result->assumptions) {
      for (const double x :
           {row.base_value, row.low.value, row.high.value, row.low.setting, row.high.setting,
            row.low.expected_revenue, row.high.expected_revenue, row.attainment_swing,
            row.expected_revenue_swing, row.low.attainment_interval.low,
            row.high.attainment_interval.high}) {
        EXPECT_TRUE(std::isfinite(x)) << AssumptionName(row.assumption);
      }
      EXPECT_GE(row.low.attainment_probability, 0);
      EXPECT_LE(row.high.attainment_probability, 1);
    }
  }
}

}  // namespace
}  // namespace attain
