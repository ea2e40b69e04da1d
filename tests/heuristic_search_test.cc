// The heuristic tier search against exhaustive search on the same sample, with
// capacity, locks and change budgets.
#include "simulator/heuristic_search.h"

#include <cstdio>
#include <random>

#include "gtest/gtest.h"
#include "simulator/engine.h"
#include "simulator/exhaustive_search.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::RandomPortfolio;
using testing_support::WithThreads;

double HoursOf(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  double hours = 0;
  for (size_t i = 0; i < tiers.size(); ++i) {
    hours += portfolio.partners[i].hours_override.value_or(portfolio.tier_policy.HoursFor(tiers[i]));
  }
  return hours;
}

// On 100 random portfolios of up to 8 partners, greedy + local search finds the
// exhaustive optimum of the same sample in at least 95% of cases, and is never more than
// one point of P(attain) worse. Constraints hold for both searches every time.
TEST(HeuristicSearchTest, MatchesExhaustiveSearchOnSmallPortfolios) {
  std::mt19937_64 random(99);
  Engine engine(WithThreads(2));
  int same = 0;
  double worst_gap = 0;
  for (int trial = 0; trial < 100; ++trial) {
    const Portfolio portfolio = RandomPortfolio(random, 1 + trial % 8);
    SearchConstraints constraints;
    constraints.locked.assign(portfolio.partners.size(), 0);
    if (trial % 3 == 0) constraints.locked[0] = 1;
    if (trial % 4 == 1) constraints.max_changes = 2;
    const auto sample = engine.SampleScenarios(portfolio, TierScenarios(portfolio), 2'000, trial);
    ASSERT_TRUE(sample.ok()) << sample.status();
    SearchMonitor exhaustive_monitor({}, {});
    SearchMonitor heuristic_monitor({}, {});
    PlanState exhaustive_state(portfolio, *sample, Objective::kAttainmentProbability, constraints,
                               exhaustive_monitor);
    PlanState heuristic_state(portfolio, *sample, Objective::kAttainmentProbability, constraints,
                              heuristic_monitor);
    const auto exhaustive = ExhaustiveSearch(exhaustive_state);
    const auto heuristic = HeuristicSearch(heuristic_state);
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
        if (constraints.locked[i]) {
          EXPECT_EQ((*plan)[i], portfolio.partners[i].tier) << "trial " << trial;
        }
      }
      EXPECT_LE(changes, constraints.max_changes) << "trial " << trial;
    }
    same += *exhaustive == *heuristic;
    const double gap = exhaustive_state.ScoreOf(*exhaustive).objective -
                       exhaustive_state.ScoreOf(*heuristic).objective;
    EXPECT_GE(gap, 0) << "the exhaustive optimum was beaten, trial " << trial;
    worst_gap = std::max(worst_gap, gap);
  }
  std::printf("heuristic = exhaustive optimum in %d of 100 portfolios; largest gap %.4f\n",
              same, worst_gap);
  EXPECT_GE(same, 95);
  EXPECT_LE(worst_gap, 0.01);
}

}  // namespace
}  // namespace attain
