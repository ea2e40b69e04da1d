// Tier recommendations end to end: known answers with their reasons, the independent
// validation sample, locks and change budgets, infeasible requests, reproducibility,
// progress and cancellation.
#include "simulator/recommendation.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::RandomPortfolio;
using testing_support::WithThreads;

Portfolio SanityPortfolio() {
  Portfolio portfolio;
  portfolio.periods = 4;
  portfolio.capacity_hours = 18;  // one INVEST and two OPPORTUNISTIC
  Partner steady;                 // sells the same with or without the manager
  steady.id = "steady";
  steady.tier = Tier::kInvest;
  steady.baseline_revenue = 100'000;
  steady.max_lift = 0;
  steady.growth_boost = 0;
  steady.churn_rate = 0;
  Partner responsive = steady;  // grows a lot with hours
  responsive.id = "responsive";
  responsive.tier = Tier::kOpportunistic;
  responsive.baseline_revenue = 50'000;
  responsive.max_lift = 1.5;
  responsive.half_effort_hours = 4;
  responsive.ramp_periods = 0;
  Partner middling = responsive;
  middling.id = "middling";
  middling.max_lift = 0.2;
  portfolio.partners = {steady, responsive, middling};
  portfolio.quota = 4 * (100'000 + 50'000 * 2.2 + 50'000);
  return portfolio;
}

TEST(RecommendTiersTest, KnownAnswers) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = SanityPortfolio();
  for (const Objective objective :
       {Objective::kAttainmentProbability, Objective::kExpectedRevenue, Objective::kDownsideRevenue}) {
    for (const SearchMethod method : {SearchMethod::kExhaustive, SearchMethod::kHeuristic}) {
      RecommendOptions options;
      options.objective = objective;
      options.method = method;
      options.simulation.paths = 4'000;
      options.simulation.seed = 5;
      const auto result = RecommendTiers(engine, portfolio, options);
      ASSERT_TRUE(result.ok()) << result.status();
      const auto& tiers = result->recommended_plan.tiers;
      EXPECT_NE(tiers.at("steady"), Tier::kInvest) << "a self-sufficient partner gets no INVEST";
      EXPECT_EQ(tiers.at("responsive"), Tier::kInvest) << "the high-lift partner gets INVEST";
      ASSERT_FALSE(result->changes.empty());
      for (const TierChange& change : result->changes) {
        if (change.partner_id == "steady") {
          EXPECT_EQ(change.reason.code, ReasonCode::kSelfSufficient);
          EXPECT_LT(change.hours_change, 0);
        }
        if (change.partner_id == "responsive") {
          EXPECT_EQ(change.reason.code, ReasonCode::kHighLiftPerHour);
          EXPECT_GT(change.revenue_effect, 0);
          EXPECT_LT(change.revenue_effect_interval.low, change.revenue_effect);
        }
      }
    }
  }
}

TEST(RecommendTiersTest, ValidatesOnAnIndependentSampleAndReportsBothPlans) {
  Engine engine(WithThreads(2));
  RecommendOptions options;
  options.simulation.paths = 3'000;
  options.simulation.seed = 11;
  const auto result = RecommendTiers(engine, SanityPortfolio(), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->optimization_seed, 11u);
  EXPECT_EQ(result->validation_seed, ValidationSeed(11));
  EXPECT_NE(result->validation_seed, 11u);
  ASSERT_EQ(result->validation.outcomes.size(), 2u);
  EXPECT_EQ(result->validation.outcomes[0].seed, result->validation_seed);
  EXPECT_EQ(result->validation.outcomes[0].plan_name, "current tiers");
  EXPECT_EQ(result->validation.outcomes[1].plan_name, "recommended");
  ASSERT_EQ(result->validation.differences.size(), 1u);
  EXPECT_GT(result->validation.differences[0].expected_revenue_difference, 0);
  EXPECT_GT(result->plans_evaluated, 0u);
  EXPECT_EQ(result->changes.size() + result->unchanged.size(), 3u);
}

TEST(RecommendTiersTest, LocksAndChangeLimitAreRespectedAndExplained) {
  Engine engine(WithThreads(2));
  Portfolio portfolio = SanityPortfolio();
  portfolio.capacity_hours = 100;
  RecommendOptions options;
  options.simulation.paths = 2'000;
  options.simulation.seed = 2;
  options.locked_partner_ids = {"middling"};
  options.max_changes = 1;
  options.method = SearchMethod::kHeuristic;
  const auto result = RecommendTiers(engine, portfolio, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_LE(result->changes.size(), 1u);
  for (const PartnerAdvice& advice : result->unchanged) {
    if (advice.partner_id == "middling") {
      EXPECT_EQ(advice.reason.code, ReasonCode::kLocked);
    }
  }
  EXPECT_EQ(result->recommended_plan.tiers.at("middling"), Tier::kOpportunistic);
}

TEST(RecommendTiersTest, LocksOverCapacityFailWithTheCause) {
  Engine engine(WithThreads(1));
  Portfolio portfolio = SanityPortfolio();
  portfolio.capacity_hours = 10;  // "steady" at INVEST needs 16
  RecommendOptions options;
  options.simulation.paths = 500;
  options.locked_partner_ids = {"steady"};
  const auto result = RecommendTiers(engine, portfolio, options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("locked partners alone use 16"), std::string::npos)
      << result.status();
}

// Two partners that both respond to hours (neither is self-sufficient), both at INVEST
// (32 hours) with 20 hours of capacity: the plan cannot be kept.
Portfolio OverCapacityPortfolio() {
  Portfolio portfolio = SanityPortfolio();
  portfolio.partners[0].max_lift = 1.0;
  portfolio.partners[0].half_effort_hours = 4;
  portfolio.partners[1].tier = Tier::kInvest;
  portfolio.partners[1].max_lift = 1.0;
  portfolio.partners.pop_back();
  portfolio.capacity_hours = 20;
  portfolio.quota = 4 * 1.4 * 150'000;
  return portfolio;
}

TEST(RecommendTiersTest, OverCapacityChangesNeededToFitSayNothingOfFreeingHours) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = OverCapacityPortfolio();
  RecommendOptions options;
  options.simulation.paths = 4'000;
  options.simulation.seed = 3;
  const auto result = RecommendTiers(engine, portfolio, options);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(result->changes.empty());
  // Nothing takes hours on: every change gives them up, to fit.
  for (const TierChange& change : result->changes) {
    EXPECT_LT(change.hours_change, 0) << change.partner_id;
    EXPECT_FALSE(change.freed_hours_used) << change.partner_id;
    EXPECT_TRUE(change.needed_to_fit) << change.partner_id;
    EXPECT_EQ(change.reason.code, ReasonCode::kFitsCapacity) << change.partner_id;
  }
  ASSERT_TRUE(result->fitted.has_value());
  const FittedPlan& fitted = *result->fitted;
  EXPECT_LE(fitted.hours_used, portfolio.capacity_hours);
  // The needed changes are all there is: the fitted plan is the recommendation.
  EXPECT_EQ(fitted.plan.tiers, result->recommended_plan.tiers);
  EXPECT_EQ(fitted.improvement.attainment_probability_difference, 0);
  EXPECT_EQ(fitted.improvement.expected_revenue_difference, 0);
  // Measured on the validation sample, the same paths as the validation run.
  const PlanOutcome& recommended = result->validation.outcomes[1];
  EXPECT_NEAR(fitted.attainment_probability, recommended.attainment_probability, 1e-12);
  EXPECT_NEAR(fitted.expected_revenue, recommended.expected_revenue,
              1e-9 * recommended.expected_revenue);
}

TEST(RecommendTiersTest, WithinCapacityThereIsNoFittedPlanAndFreedHoursAreUsed) {
  Engine engine(WithThreads(2));
  RecommendOptions options;
  options.simulation.paths = 4'000;
  options.simulation.seed = 5;
  const auto result = RecommendTiers(engine, SanityPortfolio(), options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->fitted.has_value());
  for (const TierChange& change : result->changes) {
    EXPECT_FALSE(change.needed_to_fit) << change.partner_id;
    // "steady" gives up INVEST's hours and "responsive" takes them on.
    if (change.hours_change < 0) {
      EXPECT_TRUE(change.freed_hours_used) << change.partner_id;
    }
  }
}

// On random portfolios over capacity: the changes marked needed are the fewest that fit
// (none of them could be left out), the fitted plan fits, and FREES_HOURS is said only of
// hours another change takes on.
TEST(RecommendTiersTest, NeededToFitIsMinimalAndFreesHoursOnlyWhenUsed) {
  Engine engine(WithThreads(2));
  std::mt19937_64 random(77);
  int over_capacity_cases = 0;
  for (int trial = 0; trial < 12; ++trial) {
    Portfolio portfolio = RandomPortfolio(random, 6);
    const double current_hours = ResolvePlan(portfolio, Plan{}).hours_used;
    portfolio.capacity_hours = current_hours * (trial % 2 == 0 ? 0.7 : 1.2);
    RecommendOptions options;
    options.simulation.paths = 1'000;
    options.simulation.seed = 100 + static_cast<uint64_t>(trial);
    const auto result = RecommendTiers(engine, portfolio, options);
    ASSERT_TRUE(result.ok()) << result.status();
    const bool over = current_hours > portfolio.capacity_hours;
    EXPECT_EQ(result->fitted.has_value(), over) << trial;
    double hours_taken = 0;
    double needed_freed = 0;
    double smallest_needed = 1e300;
    for (const TierChange& change : result->changes) {
      if (change.hours_change > 0) hours_taken += change.hours_change;
      if (change.needed_to_fit) {
        EXPECT_LT(change.hours_change, 0) << trial;
        needed_freed -= change.hours_change;
        smallest_needed = std::min(smallest_needed, -change.hours_change);
      }
      if (change.reason.code == ReasonCode::kFreesHours) {
        EXPECT_TRUE(change.freed_hours_used) << trial << " " << change.partner_id;
      }
    }
    for (const TierChange& change : result->changes) {
      if (change.freed_hours_used) {
        EXPECT_GT(hours_taken, 0) << trial;
      }
    }
    if (!over) continue;
    ++over_capacity_cases;
    const double excess = current_hours - portfolio.capacity_hours;
    EXPECT_GE(needed_freed, excess - 1e-9) << trial;
    EXPECT_LT(needed_freed - smallest_needed, excess - 1e-9) << trial;
    EXPECT_LE(result->fitted->hours_used, portfolio.capacity_hours + 1e-9) << trial;
  }
  EXPECT_EQ(over_capacity_cases, 6);
}

TEST(RecommendTiersTest, UnknownLockedPartnerAndNegativeChangesAreInvalid) {
  Engine engine(WithThreads(1));
  RecommendOptions options;
  options.locked_partner_ids = {"ghost"};
  options.max_changes = -1;
  const auto result = RecommendTiers(engine, SanityPortfolio(), options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("locked_partner_ids[0]"), std::string::npos);
  EXPECT_NE(result.status().message().find("max_changes"), std::string::npos);
}

TEST(RecommendTiersTest, SameRequestAndSeedSameRecommendationOnAnyThreadCount) {
  std::mt19937_64 random(4);
  const Portfolio portfolio = RandomPortfolio(random, 12);
  RecommendOptions options;
  options.simulation.paths = 3'000;
  options.simulation.seed = 8;
  Engine one(WithThreads(1));
  Engine two(WithThreads(2));
  const auto a = RecommendTiers(one, portfolio, options);
  const auto b = RecommendTiers(two, portfolio, options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->recommended_plan.tiers, b->recommended_plan.tiers);
  EXPECT_EQ(a->validation.outcomes[1].expected_revenue, b->validation.outcomes[1].expected_revenue);
  EXPECT_EQ(a->optimization_recommended, b->optimization_recommended);
  EXPECT_EQ(a->method_used, SearchMethod::kHeuristic);  // 3^12 x 3000 is over the budget
}

// Above the heuristic's budget the screened search runs, as reproducibly, and its
// recommendation is validated and explained as any other.
TEST(RecommendTiersTest, ScreenedAboveTheHeuristicBudgetSameOnAnyThreadCount) {
  std::mt19937_64 random(5);
  const Portfolio portfolio = RandomPortfolio(random, 120);
  RecommendOptions options;
  options.simulation.paths = 2'000;
  options.simulation.seed = 12;
  options.heuristic_budget = 120.0 * 120 * 2'000 - 1;
  Engine one(WithThreads(1));
  Engine two(WithThreads(2));
  const auto a = RecommendTiers(one, portfolio, options);
  const auto b = RecommendTiers(two, portfolio, options);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  EXPECT_EQ(a->method_used, SearchMethod::kScreened);
  EXPECT_EQ(a->recommended_plan.tiers, b->recommended_plan.tiers);
  EXPECT_EQ(a->validation.outcomes[1].attainment_probability,
            b->validation.outcomes[1].attainment_probability);
  ASSERT_EQ(a->changes.size(), b->changes.size());
  for (size_t k = 0; k < a->changes.size(); ++k) {
    EXPECT_EQ(a->changes[k].attainment_effect, b->changes[k].attainment_effect);
    EXPECT_EQ(a->changes[k].revenue_effect, b->changes[k].revenue_effect);
  }
  EXPECT_FALSE(a->changes.empty());
  EXPECT_EQ(a->changes.size() + a->unchanged.size(), portfolio.partners.size());
  // A change's revenue effect comes from the revenue the validation run recorded: the
  // partner's expected revenue in the recommended plan minus in the current one, on the
  // same paths (up to the float rounding of the recording).
  for (const TierChange& change : a->changes) {
    const auto& current = a->validation.outcomes[0].partners;
    const auto& recommended = a->validation.outcomes[1].partners;
    for (size_t i = 0; i < current.size(); ++i) {
      if (current[i].partner_id != change.partner_id) continue;
      const double difference = recommended[i].expected_revenue - current[i].expected_revenue;
      EXPECT_NEAR(change.revenue_effect, difference, 1e-6 * current[i].expected_revenue + 1e-9)
          << change.partner_id;
    }
  }
  EXPECT_GE(a->optimization_recommended, a->optimization_current);
  options.heuristic_budget *= 2;  // now affordable
  const auto heuristic = RecommendTiers(one, portfolio, options);
  ASSERT_TRUE(heuristic.ok());
  EXPECT_EQ(heuristic->method_used, SearchMethod::kHeuristic);
}

TEST(RecommendTiersTest, ReportsProgressPhaseByPhase) {
  Engine engine(WithThreads(2));
  std::mt19937_64 random(6);
  const Portfolio portfolio = RandomPortfolio(random, 12);
  RecommendOptions options;
  options.simulation.paths = 5'000;
  options.simulation.seed = 1;
  std::vector<RecommendProgress> events;
  const auto result = RecommendTiers(engine, portfolio, options, {},
                                     [&](const RecommendProgress& p) { events.push_back(p); });
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_FALSE(events.empty());
  using Phase = RecommendProgress::Phase;
  EXPECT_EQ(events.front().phase, Phase::kSampling);
  EXPECT_EQ(events.back().phase, Phase::kValidating);
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LE(static_cast<int>(events[i - 1].phase), static_cast<int>(events[i].phase));
  }
  const bool searched = std::any_of(events.begin(), events.end(), [](const RecommendProgress& p) {
    return p.phase == Phase::kSearching && p.plans_evaluated > 0;
  });
  double best = -1;
  for (const RecommendProgress& p : events) {
    if (p.phase != Phase::kSearching) continue;
    EXPECT_GE(p.best_objective, best) << "the best so far never gets worse";
    best = p.best_objective;
  }
  EXPECT_TRUE(searched || result->changes.empty());
  EXPECT_EQ(events.back().paths_done, events.back().paths_planned);
}

TEST(RecommendTiersTest, CancellationStopsTheSearch) {
  Engine engine(WithThreads(2));
  std::mt19937_64 random(6);
  const Portfolio portfolio = RandomPortfolio(random, 30);
  RecommendOptions options;
  options.simulation.paths = 2'000;
  options.simulation.seed = 1;
  bool searching = false;
  RunControl control;
  control.cancelled = [&] { return searching; };
  const auto result = RecommendTiers(engine, portfolio, options, control,
                                     [&](const RecommendProgress& progress) {
                                       searching |= progress.phase ==
                                                    RecommendProgress::Phase::kSearching;
                                     });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled) << result.status();
  EXPECT_TRUE(searching);
}

TEST(RecommendTiersTest, OptionsARecommendationDoesNotUseAreInvalid) {
  Engine engine(WithThreads(1));
  RecommendOptions options;
  options.simulation.antithetic = true;
  options.simulation.target_ci_half_width = 0.01;
  const auto result = RecommendTiers(engine, SanityPortfolio(), options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("simulation.antithetic"), std::string::npos);
  EXPECT_NE(result.status().message().find("simulation.target_ci_half_width"), std::string::npos);
}

// The search alone (what a sensitivity analysis' tier check runs) finds RecommendTiers'
// recommended plan, at the cost of its first sample.
TEST(RecommendTiersTest, SearchTiersAloneFindsTheRecommendedPlan) {
  Engine engine(WithThreads(2));
  std::mt19937_64 random(12);
  for (const int partners : {3, 12}) {  // exhaustive, then heuristic
    const Portfolio portfolio = RandomPortfolio(random, partners);
    RecommendOptions options;
    options.simulation.paths = 2'000;
    options.simulation.seed = 9;
    const auto full = RecommendTiers(engine, portfolio, options);
    const auto tiers = SearchTiersChecked(engine, portfolio, options);
    ASSERT_TRUE(full.ok()) << full.status();
    ASSERT_TRUE(tiers.ok()) << tiers.status();
    ASSERT_EQ(tiers->size(), portfolio.partners.size());
    for (size_t i = 0; i < tiers->size(); ++i) {
      EXPECT_EQ((*tiers)[i], full->recommended_plan.tiers.at(portfolio.partners[i].id));
    }
    const RunCost search = TierSearchCost(engine, portfolio, options);
    const RunCost whole = RecommendationCost(engine, portfolio, options);
    EXPECT_EQ(search.work, engine.SampleCost(portfolio, 3, 2'000).work);
    EXPECT_LT(search.work, whole.work);
    EXPECT_LE(search.memory_bytes, whole.memory_bytes);
  }
}

}  // namespace
}  // namespace attain
