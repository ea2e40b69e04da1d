// A comparison as a block job: what one block produces, how blocks merge into the run's
// totals, P(attain) so far for progress, the precision target as its stop rule, and when
// the partner percentile selections start.
#include "simulator/comparison_job.h"

#include <atomic>
#include <memory>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;

std::vector<ResolvedPlan> CurrentTiers(const Portfolio& portfolio) {
  return {ResolvePlan(portfolio, Plan{})};
}

SimulationOptions Paths(uint64_t paths) {
  SimulationOptions options;
  options.paths = paths;
  return options;
}

TEST(ComparisonJobTest, ABlockIsItsPathsUnderEveryPlanAndTheCounterfactual) {
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool(1);
  ComparisonJob job(portfolio, CurrentTiers(portfolio), Paths(2'500), 3, 16, pool);
  EXPECT_EQ(job.block_count(), 3u);
  const std::atomic<bool> running{false};
  const std::unique_ptr<BlockOutput> last = job.Simulate(2, running);
  ASSERT_NE(last, nullptr);
  const RunSums& sums = static_cast<const RunSums&>(*last);
  EXPECT_EQ(sums.paths, 2'500u - 2 * kPathsPerBlock);
  ASSERT_EQ(sums.plans.size(), 1u);
  EXPECT_EQ(sums.plans[0].revenue.size(), sums.paths);
  EXPECT_EQ(sums.unassisted_revenue.size(), sums.paths);
  const std::atomic<bool> aborted{true};
  EXPECT_EQ(job.Simulate(0, aborted), nullptr);
}

TEST(ComparisonJobTest, MergedBlocksAreTheRunsTotalsInBlockOrderWithProgress) {
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool(1);
  SimulationOptions options = Paths(2'048);
  options.attainment_estimator = AttainmentEstimator::kConditional;
  ComparisonJob job(portfolio, CurrentTiers(portfolio), options, 3, 4'096, pool);
  const std::atomic<bool> running{false};
  std::unique_ptr<BlockOutput> first = job.Simulate(0, running);
  std::unique_ptr<BlockOutput> second = job.Simulate(1, running);
  const std::vector<double> expected_head = static_cast<RunSums&>(*first).plans[0].revenue;
  job.Merge(std::move(first));
  EXPECT_EQ(job.CurrentProgress().paths_done, 1'024u);
  EXPECT_EQ(job.CurrentProgress().paths_planned, 2'048u);
  job.Merge(std::move(second));
  const std::vector<double>& revenue = job.totals().plans[0].revenue;
  ASSERT_EQ(revenue.size(), 2'048u);
  EXPECT_TRUE(std::equal(expected_head.begin(), expected_head.end(), revenue.begin()));
  // Progress reports the run's estimate so far: the conditional probabilities less
  // their control's regression.
  const std::vector<double>& attainment = job.totals().plans[0].attainment;
  const std::vector<double>& control = job.totals().plans[0].attainment_control;
  ASSERT_EQ(attainment.size(), 2'048u);
  ASSERT_TRUE(job.controlled_attainment());
  ControlledSums controlled;
  for (size_t p = 0; p < attainment.size(); ++p) controlled.Add(attainment[p], control[p]);
  EXPECT_NEAR(job.CurrentProgress().attainment_probability,
              controlled.Mean(job.ControlMean(0)), 1e-12);
  EXPECT_FALSE(job.percentiles().started()) << "its 4,096 sample paths are not merged yet";
}

TEST(ComparisonJobTest, PercentileSelectionsStartOnceTheirPathsAreMerged) {
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool(1);
  ComparisonJob job(portfolio, CurrentTiers(portfolio), Paths(4'096), 3, 2'000, pool);
  const std::atomic<bool> running{false};
  job.Merge(job.Simulate(0, running));
  EXPECT_FALSE(job.percentiles().started());
  job.Merge(job.Simulate(1, running));
  EXPECT_TRUE(job.percentiles().started());
  EXPECT_EQ(job.percentiles().paths_used(), 2'000u);
}

TEST(ComparisonJobTest, ThePrecisionTargetIsReachedOnlyAfterTheMinimumPathsAndWithinTheTarget) {
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool(1);
  SimulationOptions options = Paths(2'048);
  options.target_ci_half_width = 0.05;  // reached after a few hundred paths near p = 1/2
  options.max_paths = 100'000;
  ComparisonJob job(portfolio, CurrentTiers(portfolio), options, 3, 16, pool);
  EXPECT_EQ(job.block_count(), BlockCount(100'000));
  const std::atomic<bool> running{false};
  job.Merge(job.Simulate(0, running));
  EXPECT_FALSE(job.PrecisionReached()) << "fewer than options.paths";
  job.Merge(job.Simulate(1, running));
  EXPECT_TRUE(job.PrecisionReached());

  options.target_ci_half_width = 0.001;  // needs about 250,000 paths
  ComparisonJob strict(portfolio, CurrentTiers(portfolio), options, 3, 16, pool);
  strict.Merge(strict.Simulate(0, running));
  strict.Merge(strict.Simulate(1, running));
  EXPECT_FALSE(strict.PrecisionReached());

  ComparisonJob fixed(portfolio, CurrentTiers(portfolio), Paths(2'048), 3, 16, pool);
  fixed.Merge(fixed.Simulate(0, running));
  fixed.Merge(fixed.Simulate(1, running));
  EXPECT_FALSE(fixed.PrecisionReached()) << "no target, no early stop";
}

}  // namespace
}  // namespace attain
