// The scenario sample: the optimizer's view of the engine's paths. Its reference plan's
// per-path totals equal a comparison's per-path revenue bit for bit (same kernel, blocks
// and seeds), and any other plan's are within the rounding of its float deltas, whatever
// the thread count; progress and cancellation as every run's.
#include "simulator/scenario_sample.h"

#include <algorithm>
#include <cmath>
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

// Every delta row of `sample`, one after another.
std::vector<float> AllDeltas(const ScenarioSample& sample) {
  std::vector<float> all;
  for (size_t i = 0; i < sample.partners(); ++i) {
    for (size_t s = 0; s < sample.scenarios(); ++s) {
      all.insert(all.end(), sample.Delta(s, i), sample.Delta(s, i) + sample.paths());
    }
  }
  return all;
}

// How far a plan's sample totals may be from the exact ones on path p: each float delta
// rounded (half an ulp, 2^-24 of it), and the double sums.
double RoundingBound(const ScenarioSample& sample, const std::vector<Tier>& tiers, size_t p,
                     double total) {
  double moved = 0;
  for (size_t i = 0; i < tiers.size(); ++i) {
    moved += std::abs(sample.Delta(TierIndex(tiers[i]), i)[p]);
  }
  return moved * 0x1p-24 + 1e-12 * std::abs(total);
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

TEST(ScenarioSampleTest, PlanTotalsAreTheComparisonsPathRevenue) {
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
      engine.SampleScenarios(portfolio, TierScenarios(portfolio), kPaths, kSeed);
  ASSERT_TRUE(sample.ok()) << sample.status();
  for (const int threads : {1, 3}) {
    const std::vector<std::vector<double>> compared =
        ComparisonRevenue(portfolio, plans, kPaths, kSeed, threads);
    // Plan 0 is the current plan, the sample's reference: bit for bit.
    EXPECT_EQ(sample->reference_totals(), compared[0]) << threads << " threads";
    EXPECT_EQ(TierTotals(*sample, tiers[0]), compared[0]);
    for (size_t k = 1; k < plans.size(); ++k) {
      const std::vector<double> totals = TierTotals(*sample, tiers[k]);
      ASSERT_EQ(totals.size(), compared[k].size());
      size_t outside = 0;
      size_t moved = 0;  // paths where the plan's revenue is not the current plan's
      for (size_t p = 0; p < totals.size(); ++p) {
        outside += std::abs(totals[p] - compared[k][p]) >
                   RoundingBound(*sample, tiers[k], p, compared[k][p]);
        moved += compared[k][p] != compared[0][p];
      }
      EXPECT_EQ(outside, 0u) << "plan " << k << ", " << threads << " threads";
      EXPECT_GT(moved, totals.size() / 2) << "plan " << k;
    }
  }
}

TEST(ScenarioSampleTest, SamplesOnAnyThreadCountAreIdentical) {
  const Portfolio portfolio = MixedPortfolio();
  Engine one(WithThreads(1));
  Engine four(WithThreads(4));
  const auto a = one.SampleScenarios(portfolio, TierScenarios(portfolio), 3'000, 5);
  const auto b = four.SampleScenarios(portfolio, TierScenarios(portfolio), 3'000, 5);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->reference_totals(), b->reference_totals());
  EXPECT_EQ(AllDeltas(*a), AllDeltas(*b));
  const auto c = one.SampleScenarios(portfolio, TierScenarios(portfolio), 3'000, 6);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->reference_totals(), c->reference_totals());
  EXPECT_NE(AllDeltas(*a), AllDeltas(*c));
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
  ASSERT_TRUE(engine.SampleScenarios(portfolio, TierScenarios(portfolio), 5'000, 1, control)
                  .ok());
  ASSERT_FALSE(done.empty());
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), 5'000u);
  EXPECT_EQ(counted, 5'000u);

  RunControl cancel;
  cancel.cancelled = [] { return true; };
  const auto cancelled =
      engine.SampleScenarios(portfolio, TierScenarios(portfolio), 500'000, 1, cancel);
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace attain
