// Tests of simulator/run_cost.h: the path cap, and the memory and work estimates of a
// comparison and of a scenario sample. An estimate must grow with every dimension of a
// run and hold at least the vectors the run cannot do without.
#include "simulator/run_cost.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"
#include "simulator/comparison_job.h"
#include "simulator/partner_percentiles.h"
#include "simulator/worker_pool.h"

namespace attain {
namespace {

// `partners` partners over `periods` periods; every third one sells in DEALS, and odd
// ones belong to one of two segments.
Portfolio Sized(int partners, int periods) {
  Portfolio portfolio;
  portfolio.quota = 1000.0 * partners * periods;
  portfolio.periods = periods;
  portfolio.capacity_hours = 10;
  portfolio.segment_correlation = 0.1;
  for (int i = 0; i < partners; ++i) {
    Partner p;
    p.id = absl::StrCat("P", i);
    p.tier = Tier::kMaintain;
    p.baseline_revenue = 1000;
    if (i % 3 == 2) {
      p.revenue_model = RevenueModel::kDeals;
      p.mean_deal_size = 250;
    }
    if (i % 2 == 1) p.segment = i % 4 == 1 ? "north" : "south";
    portfolio.partners.push_back(p);
  }
  return portfolio;
}

SimulationOptions Paths(uint64_t paths) {
  SimulationOptions options;
  options.paths = paths;
  return options;
}

SimulationOptions Precision(uint64_t paths, uint64_t max_paths) {
  SimulationOptions options = Paths(paths);
  options.target_ci_half_width = 0.01;
  options.max_paths = max_paths;
  return options;
}

SimulationOptions Antithetic(SimulationOptions options) {
  options.antithetic = true;
  return options;
}

TEST(RunCostTest, PathCapIsThePathsOrMaxPathsUnderAPrecisionTarget) {
  EXPECT_EQ(PathCap(Paths(5'000)), 5'000u);
  SimulationOptions fixed = Paths(5'000);
  fixed.max_paths = 70'000;  // ignored without a target
  EXPECT_EQ(PathCap(fixed), 5'000u);
  EXPECT_EQ(PathCap(Precision(5'000, 70'000)), 70'000u);
}

TEST(RunCostTest, PathCapRoundsAntitheticRunsUpToWholePairs) {
  EXPECT_EQ(PathCap(Paths(1'001)), 1'001u);
  EXPECT_EQ(PathCap(Antithetic(Paths(1'001))), 1'002u);
  EXPECT_EQ(PathCap(Antithetic(Paths(1'000))), 1'000u);
  EXPECT_EQ(PathCap(Antithetic(Paths(1))), 2u);
  EXPECT_EQ(PathCap(Antithetic(Precision(1'000, 3'001))), 3'002u);
  EXPECT_EQ(PathCap(Antithetic(Precision(1'001, 3'000))), 3'000u);
}

// The comparison every growth check starts from.
struct ComparisonShape {
  int partners = 10;
  int periods = 6;
  size_t plans = 2;
  SimulationOptions options = Paths(20'000);
  size_t sample_paths = 2'000;
  int threads = 2;

  RunCost Cost() const {
    return ComparisonCost(Sized(partners, periods), plans, options, sample_paths, threads);
  }
};

TEST(RunCostTest, ComparisonMemoryGrowsWithPathsPartnersPeriodsPlansSamplesAndThreads) {
  const ComparisonShape base;
  const size_t memory = base.Cost().memory_bytes;
  ComparisonShape more = base;
  more.options = Paths(40'000);
  EXPECT_GT(more.Cost().memory_bytes, memory) << "paths";
  more = base;
  more.options = Precision(20'000, 100'000);
  EXPECT_GT(more.Cost().memory_bytes, memory) << "max_paths under a precision target";
  more = base;
  more.options = Antithetic(Paths(20'000));
  EXPECT_GT(more.Cost().memory_bytes, memory) << "a mirror path's scratch";
  more = base;
  more.partners = 20;
  EXPECT_GT(more.Cost().memory_bytes, memory) << "partners";
  more = base;
  more.periods = 12;
  EXPECT_GT(more.Cost().memory_bytes, memory) << "periods";
  more = base;
  more.plans = 3;
  EXPECT_GT(more.Cost().memory_bytes, memory) << "plans";
  more = base;
  more.sample_paths = 4'000;
  EXPECT_GT(more.Cost().memory_bytes, memory) << "percentile sample paths";
  more = base;
  more.threads = 4;
  EXPECT_GT(more.Cost().memory_bytes, memory) << "threads";
}

TEST(RunCostTest, ComparisonMemoryHoldsEveryPathsRevenueAndThePercentileSamples) {
  for (const int partners : {1, 9, 500}) {
    for (const size_t plans : {size_t{1}, size_t{4}, size_t{16}}) {
      for (const uint64_t paths : {uint64_t{1'000}, uint64_t{250'000}, uint64_t{10'000'000}}) {
        const size_t sample_paths = PartnerPercentiles::SamplePaths(
            size_t{32} << 20, static_cast<size_t>(partners), plans, paths);
        const RunCost cost =
            ComparisonCost(Sized(partners, 4), plans, Paths(paths), sample_paths, 1);
        // Every plan's and the counterfactual's revenue, path by path, and the samples.
        const double revenue = static_cast<double>(plans + 1) * static_cast<double>(paths) * 8;
        const double samples = static_cast<double>(plans) * partners *
                               static_cast<double>(sample_paths) * sizeof(float);
        EXPECT_GE(static_cast<double>(cost.memory_bytes), revenue + samples)
            << partners << " partners, " << plans << " plans, " << paths << " paths";
      }
    }
  }
}

TEST(RunCostTest, EachComparisonThreadAddsTheSameScratchOfAtLeastOneBlock) {
  ComparisonShape shape;
  shape.plans = 3;
  std::vector<size_t> memory;
  for (const int threads : {1, 2, 3}) {
    shape.threads = threads;
    memory.push_back(shape.Cost().memory_bytes);
  }
  const size_t per_thread = memory[1] - memory[0];
  EXPECT_EQ(memory[2] - memory[1], per_thread);
  // A worker holds at least one block's revenue under every plan and the counterfactual.
  EXPECT_GE(per_thread, (shape.plans + 1) * kPathsPerBlock * sizeof(double));
}

TEST(RunCostTest, SampleMemoryHoldsTheWholeSampleAndGrowsWithEachDimension) {
  const Portfolio portfolio = Sized(12, 6);
  const size_t memory = SampleCost(portfolio, 3, 50'000, 2).memory_bytes;
  // A float delta per partner and non-reference scenario, and the reference totals.
  EXPECT_GE(memory, size_t{2} * 12 * 50'000 * sizeof(float) + 50'000 * sizeof(double));
  EXPECT_GT(SampleCost(portfolio, 3, 100'000, 2).memory_bytes, memory) << "paths";
  EXPECT_GT(SampleCost(portfolio, 4, 50'000, 2).memory_bytes, memory) << "scenarios";
  EXPECT_GT(SampleCost(Sized(24, 6), 3, 50'000, 2).memory_bytes, memory) << "partners";
  EXPECT_GT(SampleCost(Sized(12, 12), 3, 50'000, 2).memory_bytes, memory) << "periods";
  EXPECT_GT(SampleCost(portfolio, 3, 50'000, 4).memory_bytes, memory) << "threads";
  // The optimizer's largest sample: 3 tiers x 10,000 partners x 100,000 paths.
  EXPECT_GE(SampleCost(Sized(10'000, 1), 3, 100'000, 1).memory_bytes,
            size_t{2} * 10'000 * 100'000 * sizeof(float));
  // 2,000 partners at 20,000 paths: 320 MB of deltas, within the default 512 MiB.
  const size_t w4 = SampleCost(Sized(2'000, 12), 3, 20'000, 2).memory_bytes;
  EXPECT_GE(w4, size_t{320'000'000});
  EXPECT_LT(w4, size_t{400} << 20);
}

TEST(RunCostTest, WorkIsPartnersTimesPeriodsTimesThePathsSimulated) {
  const Portfolio portfolio = Sized(7, 5);
  EXPECT_EQ(ComparisonCost(portfolio, 1, Paths(10'000), 100, 1).work, 7.0 * 5 * 10'000);
  // Plans and threads share the paths: the same work.
  EXPECT_EQ(ComparisonCost(portfolio, 16, Paths(10'000), 100, 8).work, 7.0 * 5 * 10'000);
  // Under a precision target a run may simulate max_paths; pairs round up.
  EXPECT_EQ(ComparisonCost(portfolio, 2, Precision(1'000, 40'000), 100, 2).work, 7.0 * 5 * 40'000);
  EXPECT_EQ(ComparisonCost(portfolio, 2, Antithetic(Precision(1'000, 40'001)), 100, 2).work,
            7.0 * 5 * 40'002);
  EXPECT_EQ(SampleCost(portfolio, 3, 12'345, 2).work, 7.0 * 5 * 12'345);
  EXPECT_EQ(SampleCost(portfolio, 1, 12'345, 9).work, 7.0 * 5 * 12'345);
}

// The estimate is the memory budget's guard, so it must cover what a run really holds:
// here the capacity of the totals' path-revenue vectors, which a run grows block by
// block, once its blocks are merged.
TEST(RunCostTest, ComparisonMemoryCoversThePathRevenueARunActuallyAllocates) {
  const Portfolio portfolio = Sized(1, 1);
  // 513 blocks: just past a power of two of blocks, where geometric growth has doubled
  // the vectors' capacity last.
  const SimulationOptions options = Paths(513 * kPathsPerBlock);
  const size_t sample_paths =
      PartnerPercentiles::SamplePaths(size_t{32} << 20, 1, 1, PathCap(options));
  const RunCost cost = ComparisonCost(portfolio, 1, options, sample_paths, 1);
  WorkerPool pool(1);
  ComparisonJob job(portfolio, {ResolvePlan(portfolio, Plan{})}, options, /*seed=*/1,
                    sample_paths, pool);
  ASSERT_TRUE(RunBlocks(pool, job, job.block_count(), nullptr, {}).ok());
  size_t allocated = job.totals().unassisted_revenue.capacity() * sizeof(double);
  for (const PlanSums& plan : job.totals().plans) {
    allocated += plan.revenue.capacity() * sizeof(double);
  }
  EXPECT_GE(cost.memory_bytes, allocated)
      << "estimated " << cost.memory_bytes << " bytes; the totals' path revenue alone holds "
      << allocated << " bytes for " << job.totals().paths << " paths";
}

}  // namespace
}  // namespace attain
