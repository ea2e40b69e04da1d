// Tests of simulator/run_sums.h on hand-made units: what a ComparisonSink adds for each
// path and each (antithetic) unit, and that merging block sums equals summing all their
// paths at once. Revenues are small integers, so every sum is exact.
#include "simulator/run_sums.h"

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/partner_percentiles.h"
#include "simulator/path_evaluator.h"
#include "simulator/worker_pool.h"

namespace attain {
namespace {

constexpr size_t kPlans = 2;
constexpr size_t kPartners = 2;
constexpr size_t kPeriods = 3;
// Cumulative revenue on track by periods 1, 2 and 3.
const std::vector<double> kThresholds = {5, 12, 20};

PathRevenue Revenue(std::vector<double> partners, std::vector<double> periods,
                    std::vector<char> dormant) {
  PathRevenue r;
  r.partner_revenue = std::move(partners);
  r.period_revenue = std::move(periods);
  r.dormant = std::move(dormant);
  for (const double v : r.partner_revenue) r.total += v;
  return r;
}

// The unassisted counterfactual: partner and total revenue only (not a detailed scenario).
PathRevenue Unassisted(std::vector<double> partners) {
  return Revenue(std::move(partners), std::vector<double>(kPeriods, 0.0),
                 std::vector<char>(kPartners, 0));
}

// One path under plan 0, plan 1 and the counterfactual, as PathEvaluator lays them out.
using Scenarios = std::vector<PathRevenue>;

void AddPath(ComparisonSink& sink, uint64_t path, const Scenarios& scenarios) {
  sink.Add(path, std::span<const std::vector<PathRevenue>>(&scenarios, 1));
}

// Three paths whose sums are worked out by hand in the test below.
std::vector<Scenarios> ThreePaths() {
  return {
      {Revenue({8, 4}, {5, 4, 3}, {0, 1}),  // cumulative 5, 9, 12: on track in period 1
       Revenue({10, 6}, {6, 5, 5}, {0, 0}),  // 6, 11, 16: period 1
       Unassisted({7, 3})},
      {Revenue({20, 10}, {10, 10, 10}, {0, 0}),  // 10, 20, 30: every period
       Revenue({22, 12}, {12, 11, 11}, {0, 0}),  // 12, 23, 34: every period
       Unassisted({18, 9})},
      {Revenue({2, 0}, {1, 1, 0}, {1, 1}),  // 1, 2, 2: none
       Revenue({5, 1}, {2, 2, 2}, {1, 0}),  // 2, 4, 6: none
       Unassisted({1, 0})},
  };
}

TEST(ComparisonSinkTest, AddsEachPathsTotalsPeriodsOnTrackPartnersAndDormancyExactly) {
  RunSums sums(kPlans, kPartners, kPeriods);
  PartnerPercentiles samples(kPlans, kPartners, /*sample_paths=*/3);
  ComparisonSink sink(sums, kThresholds, samples);
  const std::vector<Scenarios> paths = ThreePaths();
  for (size_t j = 0; j < paths.size(); ++j) AddPath(sink, j, paths[j]);

  EXPECT_EQ(sums.paths, 3u);
  EXPECT_EQ(sums.plans[0].revenue, (std::vector<double>{12, 30, 2}));
  EXPECT_EQ(sums.plans[1].revenue, (std::vector<double>{16, 34, 6}));
  EXPECT_EQ(sums.unassisted_revenue, (std::vector<double>{10, 27, 1}));
  EXPECT_EQ(sums.plans[0].period_revenue, (std::vector<double>{16, 15, 13}));
  EXPECT_EQ(sums.plans[1].period_revenue, (std::vector<double>{20, 18, 18}));
  EXPECT_EQ(sums.plans[0].on_track, (std::vector<uint64_t>{2, 1, 1}));
  EXPECT_EQ(sums.plans[1].on_track, (std::vector<uint64_t>{2, 1, 1}));
  EXPECT_EQ(sums.plans[0].partner_revenue, (std::vector<double>{30, 14}));
  EXPECT_EQ(sums.plans[1].partner_revenue, (std::vector<double>{37, 19}));
  EXPECT_EQ(sums.unassisted_partner_revenue, (std::vector<double>{26, 12}));
  EXPECT_EQ(sums.plans[0].partner_dormant, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(sums.plans[1].partner_dormant, (std::vector<uint64_t>{1, 0}));

  // Uplift units: plan 0 partner 0 is 1, 2, 1; partner 1 is 1, 1, 0; plan 1 partner 0 is
  // 3, 4, 4; partner 1 is 3, 3, 1.
  struct Expected {
    size_t plan, partner;
    double mean, std_error;
  };
  const Expected expected[] = {{0, 0, 4.0 / 3, 1.0 / 3},
                               {0, 1, 2.0 / 3, 1.0 / 3},
                               {1, 0, 11.0 / 3, 1.0 / 3},
                               {1, 1, 7.0 / 3, 2.0 / 3}};
  for (const Expected& e : expected) {
    const UnitSums& uplift = sums.plans[e.plan].partner_uplift[e.partner];
    EXPECT_EQ(uplift.units(), 3u);
    EXPECT_NEAR(uplift.Mean(), e.mean, 1e-12) << "plan " << e.plan << " partner " << e.partner;
    EXPECT_NEAR(uplift.StdError(), e.std_error, 1e-12)
        << "plan " << e.plan << " partner " << e.partner;
  }

  // The percentile samples hold each plan's partner revenue of these paths.
  WorkerPool pool(1);
  samples.Start(pool, 3, /*blocks_left=*/0);
  samples.Wait();
  EXPECT_NEAR(samples.Of(0, 0).first, 3.2, 1e-9);    // of 2, 8, 20
  EXPECT_NEAR(samples.Of(0, 0).second, 17.6, 1e-9);
  EXPECT_NEAR(samples.Of(1, 1).first, 2.0, 1e-9);    // of 1, 6, 12
  EXPECT_NEAR(samples.Of(1, 1).second, 10.8, 1e-9);
}

TEST(ComparisonSinkTest, AnAntitheticPairIsTwoPathsButOneUpliftUnitOfTheirAverage) {
  RunSums sums(kPlans, kPartners, kPeriods);
  PartnerPercentiles samples(kPlans, kPartners, /*sample_paths=*/4);
  ComparisonSink sink(sums, kThresholds, samples);
  // Plan 0's uplift of partner 0: 1 and 3 in the first pair, 5 and 7 in the second;
  // partner 1's is 0 throughout. Plan 1 earns what plan 0 does.
  const auto path = [](double partner0, double uplift, std::vector<double> periods,
                       std::vector<char> dormant) {
    PathRevenue plan = Revenue({partner0 + uplift, 4}, periods, dormant);
    return Scenarios{plan, plan, Unassisted({partner0, 4})};
  };
  const std::vector<Scenarios> first_pair = {path(10, 1, {5, 5, 5}, {0, 0}),
                                             path(20, 3, {9, 9, 9}, {1, 0})};
  const std::vector<Scenarios> second_pair = {path(30, 5, {1, 1, 1}, {1, 1}),
                                              path(40, 7, {2, 20, 0}, {0, 0})};
  sink.Add(0, std::span<const std::vector<PathRevenue>>(first_pair));
  sink.Add(2, std::span<const std::vector<PathRevenue>>(second_pair));

  EXPECT_EQ(sums.paths, 4u);
  // Per-path figures count both copies of a pair.
  EXPECT_EQ(sums.plans[0].revenue, (std::vector<double>{15, 27, 39, 51}));
  EXPECT_EQ(sums.unassisted_revenue, (std::vector<double>{14, 24, 34, 44}));
  EXPECT_EQ(sums.plans[0].period_revenue, (std::vector<double>{17, 35, 15}));
  EXPECT_EQ(sums.plans[0].on_track, (std::vector<uint64_t>{2, 2, 2}));
  EXPECT_EQ(sums.plans[0].partner_revenue, (std::vector<double>{116, 16}));
  EXPECT_EQ(sums.plans[0].partner_dormant, (std::vector<uint64_t>{2, 1}));
  EXPECT_EQ(sums.unassisted_partner_revenue, (std::vector<double>{100, 16}));
  // Uplift: two units, 2 and 6 (not four units 1, 3, 5, 7, whose SE would be 1.29).
  for (size_t k = 0; k < kPlans; ++k) {
    const UnitSums& uplift = sums.plans[k].partner_uplift[0];
    EXPECT_EQ(uplift.units(), 2u);
    EXPECT_DOUBLE_EQ(uplift.Mean(), 4);
    EXPECT_DOUBLE_EQ(uplift.StdError(), 2);  // sqrt(((2-4)^2 + (6-4)^2) / 1 / 2)
    EXPECT_EQ(sums.plans[k].partner_uplift[1].units(), 2u);
    EXPECT_EQ(sums.plans[k].partner_uplift[1].Mean(), 0);
  }
  // Both copies of each pair are percentile sample paths: 11, 23, 35, 47 (type 7: P10 at
  // rank 0.3, P90 at rank 2.7).
  WorkerPool pool(1);
  samples.Start(pool, 4, /*blocks_left=*/0);
  samples.Wait();
  EXPECT_NEAR(samples.Of(0, 0).first, 11 + 0.3 * 12, 1e-9);
  EXPECT_NEAR(samples.Of(0, 0).second, 35 + 0.7 * 12, 1e-9);
}

// Integer revenues, so that sums do not depend on the order of addition.
std::vector<Scenarios> RandomPaths(std::mt19937_64& random, size_t count) {
  std::uniform_int_distribution<int> value(0, 40);
  std::uniform_int_distribution<int> bit(0, 1);
  std::vector<Scenarios> paths;
  for (size_t j = 0; j < count; ++j) {
    Scenarios scenarios;
    for (size_t k = 0; k < kPlans; ++k) {
      scenarios.push_back(
          Revenue({double(value(random)), double(value(random))},
                  {double(value(random)), double(value(random)), double(value(random))},
                  {static_cast<char>(bit(random)), static_cast<char>(bit(random))}));
    }
    scenarios.push_back(Unassisted({double(value(random)), double(value(random))}));
    paths.push_back(std::move(scenarios));
  }
  return paths;
}

void ExpectSameSums(const RunSums& a, const RunSums& b) {
  EXPECT_EQ(a.paths, b.paths);
  EXPECT_EQ(a.unassisted_revenue, b.unassisted_revenue);
  EXPECT_EQ(a.unassisted_partner_revenue, b.unassisted_partner_revenue);
  ASSERT_EQ(a.plans.size(), b.plans.size());
  for (size_t k = 0; k < a.plans.size(); ++k) {
    EXPECT_EQ(a.plans[k].revenue, b.plans[k].revenue) << "plan " << k;
    EXPECT_EQ(a.plans[k].period_revenue, b.plans[k].period_revenue) << "plan " << k;
    EXPECT_EQ(a.plans[k].on_track, b.plans[k].on_track) << "plan " << k;
    EXPECT_EQ(a.plans[k].partner_revenue, b.plans[k].partner_revenue) << "plan " << k;
    EXPECT_EQ(a.plans[k].partner_dormant, b.plans[k].partner_dormant) << "plan " << k;
    for (size_t i = 0; i < kPartners; ++i) {
      const UnitSums& x = a.plans[k].partner_uplift[i];
      const UnitSums& y = b.plans[k].partner_uplift[i];
      EXPECT_EQ(x.units(), y.units());
      EXPECT_NEAR(x.Mean(), y.Mean(), 1e-12 * (1 + std::abs(y.Mean())));
      EXPECT_NEAR(x.StdError(), y.StdError(), 1e-12 * (1 + y.StdError()));
    }
  }
}

TEST(RunSumsTest, MergingTwoBlocksEqualsOneSinkFedBothBlocksPaths) {
  std::mt19937_64 random(12);
  const std::vector<Scenarios> first = RandomPaths(random, 7);
  const std::vector<Scenarios> second = RandomPaths(random, 5);
  PartnerPercentiles samples(kPlans, kPartners, /*sample_paths=*/1);

  RunSums block_a(kPlans, kPartners, kPeriods);
  RunSums block_b(kPlans, kPartners, kPeriods);
  RunSums whole(kPlans, kPartners, kPeriods);
  ComparisonSink sink_a(block_a, kThresholds, samples);
  ComparisonSink sink_b(block_b, kThresholds, samples);
  ComparisonSink sink_whole(whole, kThresholds, samples);
  for (size_t j = 0; j < first.size(); ++j) {
    AddPath(sink_a, j, first[j]);
    AddPath(sink_whole, j, first[j]);
  }
  for (size_t j = 0; j < second.size(); ++j) {
    AddPath(sink_b, first.size() + j, second[j]);
    AddPath(sink_whole, first.size() + j, second[j]);
  }

  // Into an empty total, block by block, as a run merges them.
  RunSums totals(kPlans, kPartners, kPeriods);
  totals.Merge(block_a);
  totals.Merge(block_b);
  ExpectSameSums(totals, whole);
  // And one block into the other.
  block_a.Merge(block_b);
  ExpectSameSums(block_a, whole);
  EXPECT_EQ(whole.paths, 12u);
  EXPECT_EQ(whole.plans[1].revenue.size(), 12u);
}

TEST(RunSumsTest, MergingAnEmptyBlockChangesNothing) {
  std::mt19937_64 random(3);
  PartnerPercentiles samples(kPlans, kPartners, /*sample_paths=*/1);
  RunSums sums(kPlans, kPartners, kPeriods);
  ComparisonSink sink(sums, kThresholds, samples);
  const std::vector<Scenarios> paths = RandomPaths(random, 4);
  for (size_t j = 0; j < paths.size(); ++j) AddPath(sink, j, paths[j]);
  RunSums merged = sums;
  merged.Merge(RunSums(kPlans, kPartners, kPeriods));
  ExpectSameSums(merged, sums);
}

}  // namespace
}  // namespace attain
