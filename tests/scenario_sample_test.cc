// The scenario sample: the optimizer's view of the engine's paths. Its per-path plan
// totals equal a comparison's per-path revenue bit for bit (same kernel, blocks and
// seeds), whatever the thread count; progress and cancellation as every run's.
#include "simulator/scenario_sample.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/comparison_job.h"
#include "simulator/engine.h"
#include "simulator/plan_state.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;
using testing_support::WithThreads;

// A plan's portfolio revenue on every path of `sample`: its partners' entries summed
// in partner order, as the tier search sums them.
std::vector<double> PlanTotals(const ScenarioSample& sample, const std::vector<Tier>& tiers) {
  std::vector<double> totals(sample.paths, 0.0);
  for (size_t i = 0; i < tiers.size(); ++i) {
    const double* row = sample.Row(TierIndex(tiers[i]), i);
    for (size_t p = 0; p < totals.size(); ++p) totals[p] += row[p];
  }
  return totals;
}

// The per-path revenue of each plan of a comparison with `seed` on `paths` paths, as
// Engine::CompareChecked runs it.
std::vector<std::vector<double>> ComparisonRevenue(const Portfolio& portfolio,
                                                   const std::vector<Plan>& plans,
                                                   uint64_t paths, uint64_t seed, int threads) {
  std::vector<ResolvedPlan> resolved;
  for (const Plan& plan : plans) resolved.push_back(ResolvePlan(portfolio, plan));
  SimulationOptions options;
  options.paths = paths;
  WorkerPool pool(threads);
  ComparisonJob job(portfolio, std::move(resolved), options, seed, /*sample_paths=*/16, pool);
  EXPECT_TRUE(RunBlocks(pool, job, job.block_count(), nullptr, {}).ok());
  std::vector<std::vector<double>> revenue;
  for (const PlanSums& sums : job.totals().plans) revenue.push_back(sums.revenue);
  return revenue;
}

TEST(ScenarioSampleTest, PlanTotalsEqualTheComparisonsPathRevenueBitForBit) {
  const Portfolio portfolio = MixedPortfolio();  // deals, segments, churn, seasonality
  constexpr uint64_t kPaths = 2'500;             // two full blocks and a partial one
  constexpr uint64_t kSeed = 77;
  std::vector<Plan> plans(3);
  std::vector<std::vector<Tier>> tiers(3);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const std::string& id = portfolio.partners[i].id;
    tiers[0].push_back(portfolio.partners[i].tier);
    tiers[1].push_back(Tier::kInvest);
    tiers[2].push_back(i % 2 ? Tier::kOpportunistic : Tier::kMaintain);
    plans[1].tiers[id] = Tier::kInvest;
    plans[2].tiers[id] = tiers[2].back();
  }
  Engine engine(WithThreads(2));
  const absl::StatusOr<ScenarioSample> sample =
      engine.SampleScenarios(portfolio, TierScenarioHours(portfolio), kPaths, kSeed);
  ASSERT_TRUE(sample.ok()) << sample.status();
  for (const int threads : {1, 3}) {
    const std::vector<std::vector<double>> compared =
        ComparisonRevenue(portfolio, plans, kPaths, kSeed, threads);
    for (size_t k = 0; k < plans.size(); ++k) {
      const std::vector<double> totals = PlanTotals(*sample, tiers[k]);
      ASSERT_EQ(totals.size(), compared[k].size());
      size_t differing = 0;
      for (size_t p = 0; p < totals.size(); ++p) differing += totals[p] != compared[k][p];
      EXPECT_EQ(differing, 0u) << "plan " << k << ", " << threads << " threads";
    }
  }
}

TEST(ScenarioSampleTest, SamplesOnAnyThreadCountAreIdentical) {
  const Portfolio portfolio = MixedPortfolio();
  Engine one(WithThreads(1));
  Engine four(WithThreads(4));
  const auto a = one.SampleScenarios(portfolio, TierScenarioHours(portfolio), 3'000, 5);
  const auto b = four.SampleScenarios(portfolio, TierScenarioHours(portfolio), 3'000, 5);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->revenue, b->revenue);
  const auto c = one.SampleScenarios(portfolio, TierScenarioHours(portfolio), 3'000, 6);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->revenue, c->revenue);
}

TEST(ScenarioSampleTest, ReportsPathsAsBlocksMergeAndStopsWhenCancelled) {
  const Portfolio portfolio = MixedPortfolio();
  Engine engine(WithThreads(2));
  std::vector<uint64_t> done;
  uint64_t counted = 0;
  RunControl control;
  control.on_progress = [&](const Progress& p) {
    EXPECT_EQ(p.paths_planned, 5'000u);
    done.push_back(p.paths_done);
  };
  control.on_paths = [&](uint64_t paths) { counted += paths; };
  ASSERT_TRUE(engine.SampleScenarios(portfolio, TierScenarioHours(portfolio), 5'000, 1, control)
                  .ok());
  ASSERT_FALSE(done.empty());
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), 5'000u);
  EXPECT_EQ(counted, 5'000u);

  RunControl cancel;
  cancel.cancelled = [] { return true; };
  const auto cancelled =
      engine.SampleScenarios(portfolio, TierScenarioHours(portfolio), 500'000, 1, cancel);
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace attain
