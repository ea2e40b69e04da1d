// Tier recommendations: the heuristic against exhaustive search on the same sample,
// constraints, known answers, the independent validation sample, reproducibility.
#include "simulator/optimizer.h"

#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

EngineOptions WithThreads(int threads) {
  EngineOptions options;
  options.threads = threads;
  return options;
}

double HoursOf(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  double hours = 0;
  for (size_t i = 0; i < tiers.size(); ++i) {
    hours += portfolio.partners[i].hours_override.value_or(portfolio.tier_policy.HoursFor(tiers[i]));
  }
  return hours;
}

Portfolio RandomPortfolio(std::mt19937_64& random, int partners) {
  std::uniform_real_distribution<double> unit(0, 1);
  Portfolio portfolio;
  portfolio.periods = 1 + static_cast<int>(unit(random) * 6);
  portfolio.segment_correlation = 0.2 * unit(random);
  const Tier tiers[] = {Tier::kInvest, Tier::kMaintain, Tier::kOpportunistic};
  double expected = 0;
  for (int i = 0; i < partners; ++i) {
    Partner p;
    p.id = absl::StrCat("P", i);
    p.tier = tiers[static_cast<int>(unit(random) * 3)];
    p.baseline_revenue = 1000 + 20'000 * unit(random);
    p.volatility = 0.1 + 0.4 * unit(random);
    p.market_correlation = 0.3 * unit(random);
    const char* segments[] = {"", "a"};
    p.segment = segments[unit(random) < 0.5 ? 1 : 0];
    p.max_lift = unit(random);
    p.half_effort_hours = 2 + 10 * unit(random);
    p.ramp_periods = static_cast<int>(unit(random) * 3);
    p.churn_rate = 0.1 * unit(random);
    if (unit(random) < 0.25) {
      p.revenue_model = RevenueModel::kDeals;
      p.mean_deal_size = p.baseline_revenue / (1 + 3 * unit(random));
    }
    expected += ExpectedPartnerRevenue(portfolio, p, portfolio.tier_policy.HoursFor(p.tier));
    portfolio.partners.push_back(p);
  }
  portfolio.quota = expected * (0.95 + 0.15 * unit(random));
  portfolio.capacity_hours = partners * (2 + 8 * unit(random));
  return portfolio;
}

// On 100 random portfolios of up to 8 partners, greedy + local search finds the
// exhaustive optimum of the same sample in at least 95% of cases, and is never more than
// one point of P(attain) worse. Constraints hold for both searches every time.
TEST(TierSearchTest, HeuristicMatchesExhaustiveOnSmallPortfolios) {
  std::mt19937_64 random(99);
  Engine engine(WithThreads(2));
  int same = 0;
  double worst_gap = 0;
  for (int trial = 0; trial < 100; ++trial) {
    const Portfolio portfolio = RandomPortfolio(random, 1 + trial % 8);
    RecommendOptions options;
    if (trial % 3 == 0) options.locked.push_back("P0");
    if (trial % 4 == 1) options.max_changes = 2;
    const auto sample = engine.SampleScenarios(portfolio, TierScenarioHours(portfolio), 2'000, trial);
    ASSERT_TRUE(sample.ok()) << sample.status();
    TierSearch exhaustive_search(portfolio, *sample, options);
    TierSearch heuristic_search(portfolio, *sample, options);
    const auto exhaustive = exhaustive_search.Exhaustive();
    const auto heuristic = heuristic_search.Heuristic();
    ASSERT_EQ(exhaustive.ok(), heuristic.ok()) << "trial " << trial;
    if (!exhaustive.ok()) {  // both found that no plan fits: they agree
      EXPECT_EQ(exhaustive.status().code(), absl::StatusCode::kFailedPrecondition);
      ++same;
      continue;
    }
    for (const std::vector<Tier>* plan : {&*exhaustive, &*heuristic}) {
      EXPECT_LE(HoursOf(portfolio, *plan), portfolio.capacity_hours + 1e-9) << "trial " << trial;
      int changes = 0;
      for (size_t i = 0; i < plan->size(); ++i) {
        changes += (*plan)[i] != portfolio.partners[i].tier;
        if (i == 0 && !options.locked.empty()) {
          EXPECT_EQ((*plan)[i], portfolio.partners[i].tier) << "trial " << trial;
        }
      }
      if (options.max_changes) {
        EXPECT_LE(changes, *options.max_changes) << "trial " << trial;
      }
    }
    same += *exhaustive == *heuristic;
    const double gap = exhaustive_search.Evaluate(*exhaustive) - exhaustive_search.Evaluate(*heuristic);
    EXPECT_GE(gap, 0) << "the exhaustive optimum was beaten, trial " << trial;
    worst_gap = std::max(worst_gap, gap);
  }
  std::printf("heuristic = exhaustive optimum in %d of 100 portfolios; largest gap %.4f\n",
              same, worst_gap);
  EXPECT_GE(same, 95);
  EXPECT_LE(worst_gap, 0.01);
}

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
          EXPECT_EQ(change.reason, ReasonCode::kSelfSufficient) << change.explanation;
          EXPECT_LT(change.hours_change, 0);
        }
        if (change.partner_id == "responsive") {
          EXPECT_EQ(change.reason, ReasonCode::kHighLiftPerHour) << change.explanation;
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
  options.locked = {"middling"};
  options.max_changes = 1;
  options.method = SearchMethod::kHeuristic;
  const auto result = RecommendTiers(engine, portfolio, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_LE(result->changes.size(), 1u);
  for (const PartnerAdvice& advice : result->unchanged) {
    if (advice.partner_id == "middling") {
      EXPECT_EQ(advice.reason, ReasonCode::kLocked);
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
  options.locked = {"steady"};
  const auto result = RecommendTiers(engine, portfolio, options);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("locked partners alone use 16"), std::string::npos)
      << result.status();
}

TEST(RecommendTiersTest, UnknownLockedPartnerAndNegativeChangesAreInvalid) {
  Engine engine(WithThreads(1));
  RecommendOptions options;
  options.locked = {"ghost"};
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
  EXPECT_NE(result.status().message().find("options.antithetic"), std::string::npos);
  EXPECT_NE(result.status().message().find("options.target_ci_half_width"), std::string::npos);
}

// The sample behind the search is the engine's: a plan's revenue from it equals a
// simulation of that plan with the same seed.
TEST(RecommendTiersTest, SampleAgreesWithTheEngine) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = SanityPortfolio();
  const auto sample = engine.SampleScenarios(portfolio, TierScenarioHours(portfolio), 1'500, 21);
  ASSERT_TRUE(sample.ok());
  SimulationOptions options;
  options.paths = 1'500;
  options.seed = 21;
  const auto outcome = engine.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(outcome.ok());
  double mean = 0;
  for (size_t p = 0; p < sample->paths; ++p) {
    double total = 0;
    for (size_t i = 0; i < portfolio.partners.size(); ++i) {
      total += sample->Row(static_cast<size_t>(portfolio.partners[i].tier), i)[p];
    }
    mean += total;
  }
  EXPECT_NEAR(mean / 1'500, outcome->expected_revenue, 1e-9 * outcome->expected_revenue);
}

}  // namespace
}  // namespace attain
