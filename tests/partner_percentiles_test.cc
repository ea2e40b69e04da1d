// Tests of simulator/partner_percentiles.h: how many paths the samples cover, that only
// those are recorded, and that the selections find each partner's P10 and P90 as NumPy's
// default (type 7: linear interpolation between order statistics) does on the same data.
#include "simulator/partner_percentiles.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <latch>
#include <memory>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"
#include "simulator/worker_pool.h"

namespace attain {
namespace {

using testing_support::GateJob;

constexpr size_t kMiB = size_t{1} << 20;

// The q-quantile of `values` by sorting, interpolating linearly between the order
// statistics around rank q (n - 1): Hyndman and Fan's type 7, NumPy's default.
double SortedQuantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double rank = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (rank - std::floor(rank)) * (values[above] - values[below]);
}

// Records `columns[plan][partner][path]` for every path.
void RecordAll(PartnerPercentiles& samples,
               const std::vector<std::vector<std::vector<double>>>& columns) {
  for (size_t plan = 0; plan < columns.size(); ++plan) {
    const size_t paths = columns[plan][0].size();
    for (size_t path = 0; path < paths; ++path) {
      std::vector<double> partner_revenue;
      for (const std::vector<double>& partner : columns[plan]) {
        partner_revenue.push_back(partner[path]);
      }
      samples.Record(plan, path, partner_revenue);
    }
  }
}

TEST(PartnerPercentilesTest, SamplePathsAreTheLeastOfPathsTheCapAndWhatTheMemoryHolds) {
  // The run's paths.
  EXPECT_EQ(PartnerPercentiles::SamplePaths(32 * kMiB, 10, 1, 500), 500u);
  // The cap of eight blocks.
  EXPECT_EQ(PartnerPercentiles::SamplePaths(32 * kMiB, 1, 1, 1'000'000),
            kMaxPartnerPercentilePaths);
  EXPECT_EQ(PartnerPercentiles::SamplePaths(32 * kMiB, 1, 1, kMaxPartnerPercentilePaths + 1),
            kMaxPartnerPercentilePaths);
  // The memory: 32 MiB / (4 bytes x 10,000 partners x 16 plans) = 52.4 paths.
  EXPECT_EQ(PartnerPercentiles::SamplePaths(32 * kMiB, 10'000, 16, 1'000'000), 52u);
  // Exactly: 4 x 3 x 2 x 1,000 bytes hold 1,000 paths; a byte less holds 999.
  EXPECT_EQ(PartnerPercentiles::SamplePaths(24'000, 3, 2, 5'000), 1'000u);
  EXPECT_EQ(PartnerPercentiles::SamplePaths(23'999, 3, 2, 5'000), 999u);
  // More plans or partners never get more paths, and never more than the bytes allow.
  for (const size_t partners : {size_t{1}, size_t{7}, size_t{300}, size_t{10'000}}) {
    for (const size_t plans : {size_t{1}, size_t{2}, size_t{16}}) {
      const size_t paths = PartnerPercentiles::SamplePaths(4 * kMiB, partners, plans, 100'000);
      EXPECT_LE(paths * sizeof(float) * partners * plans, 4 * kMiB);
      EXPECT_LE(PartnerPercentiles::SamplePaths(4 * kMiB, partners, plans + 1, 100'000), paths);
      EXPECT_LE(PartnerPercentiles::SamplePaths(4 * kMiB, partners + 1, plans, 100'000), paths);
    }
  }
}

TEST(PartnerPercentilesTest, SamplesAlwaysCoverAtLeastOnePath) {
  // Percentiles of an empty sample do not exist; a run always samples its first path.
  EXPECT_EQ(PartnerPercentiles::SamplePaths(0, 5, 2, 100), 1u);
  EXPECT_EQ(PartnerPercentiles::SamplePaths(39, 5, 2, 100), 1u);
}

TEST(PartnerPercentilesTest, RecordKeepsOnlyTheSamplePaths) {
  constexpr size_t kSample = 10;
  PartnerPercentiles samples(/*plans=*/1, /*partners=*/2, kSample);
  EXPECT_EQ(samples.sample_paths(), kSample);
  EXPECT_FALSE(samples.started());
  // Paths 0..9 earn 1..10 (partner 0) and ten times that (partner 1), out of order; every
  // later path earns far more and would move both percentiles if it were kept (and would
  // write past the samples, which the sanitizer build catches).
  const double order[kSample] = {7, 2, 10, 4, 1, 9, 3, 6, 8, 5};
  for (uint64_t path = 0; path < 100; ++path) {
    const double v = path < kSample ? order[path] : 1e20;
    samples.Record(0, path, {v, 10 * v});
  }
  WorkerPool pool(2);
  samples.Start(pool, kSample, /*blocks_left=*/0);
  EXPECT_TRUE(samples.started());
  samples.Wait();
  EXPECT_EQ(samples.paths_used(), kSample);
  // Ranks 0.9 and 8.1 of 1..10.
  EXPECT_NEAR(samples.Of(0, 0).first, 1.9, 1e-6);
  EXPECT_NEAR(samples.Of(0, 0).second, 9.1, 1e-6);
  EXPECT_NEAR(samples.Of(0, 1).first, 19, 1e-5);
  EXPECT_NEAR(samples.Of(0, 1).second, 91, 1e-5);
}

TEST(PartnerPercentilesTest, StartOverFewerPathsSelectsFromThoseFirstPathsOnly) {
  PartnerPercentiles samples(1, 1, 10);
  for (uint64_t path = 0; path < 10; ++path) {
    samples.Record(0, path, {path < 5 ? 100.0 + static_cast<double>(path) : 0.0});
  }
  WorkerPool pool(1);
  samples.Start(pool, 5, /*blocks_left=*/0);  // as a run that stopped after five paths
  samples.Wait();
  EXPECT_EQ(samples.paths_used(), 5u);
  EXPECT_NEAR(samples.Of(0, 0).first, 100.4, 1e-4);  // rank 0.4 of 100..104
  EXPECT_NEAR(samples.Of(0, 0).second, 103.6, 1e-4);
}

TEST(PartnerPercentilesTest, SelectionsMatchNumPysDefaultPercentilesOnKnownData) {
  // Plan 0: 10, 20, ..., 80 (np.percentile gives 17 and 73), 1..11 (2 and 10) and a
  // constant; plan 1: the same partners' values reversed and doubled.
  const std::vector<double> tens = {50, 10, 80, 30, 70, 20, 60, 40};
  const std::vector<double> ones = {6, 11, 1, 3, 9, 2, 10, 4, 8, 5, 7};
  std::vector<std::vector<std::vector<double>>> columns(2);
  const size_t paths = 8;
  columns[0] = {tens, {ones.begin(), ones.begin() + paths}, std::vector<double>(paths, 5.0)};
  for (const std::vector<double>& partner : columns[0]) {
    std::vector<double> doubled(partner.rbegin(), partner.rend());
    for (double& v : doubled) v *= 2;
    columns[1].push_back(doubled);
  }
  PartnerPercentiles samples(2, 3, paths);
  RecordAll(samples, columns);
  WorkerPool pool(2);
  samples.Start(pool, paths, /*blocks_left=*/0);
  samples.Wait();
  EXPECT_NEAR(samples.Of(0, 0).first, 17, 1e-9);
  EXPECT_NEAR(samples.Of(0, 0).second, 73, 1e-9);
  EXPECT_NEAR(samples.Of(1, 0).first, 34, 1e-9);
  EXPECT_NEAR(samples.Of(1, 0).second, 146, 1e-9);
  // The first eight of `ones`: 1, 2, 3, 4, 6, 9, 10, 11 -> ranks 0.7 and 6.3.
  EXPECT_NEAR(samples.Of(0, 1).first, 1.7, 1e-6);
  EXPECT_NEAR(samples.Of(0, 1).second, 10.3, 1e-6);
  EXPECT_EQ(samples.Of(0, 2), std::make_pair(5.0, 5.0));
  EXPECT_EQ(samples.Of(1, 2), std::make_pair(10.0, 10.0));

  // Eleven values: ranks 1 and 9 fall on order statistics.
  PartnerPercentiles eleven(1, 1, ones.size());
  RecordAll(eleven, std::vector<std::vector<std::vector<double>>>{{ones}});
  eleven.Start(pool, ones.size(), /*blocks_left=*/0);
  eleven.Wait();
  EXPECT_DOUBLE_EQ(eleven.Of(0, 0).first, 2.0);
  EXPECT_DOUBLE_EQ(eleven.Of(0, 0).second, 10.0);

  // One path: both percentiles are its value.
  PartnerPercentiles one(1, 1, 1);
  one.Record(0, 0, {42.5});
  one.Start(pool, 1, /*blocks_left=*/0);
  one.Wait();
  EXPECT_EQ(one.Of(0, 0), std::make_pair(42.5, 42.5));
}

TEST(PartnerPercentilesTest, FullSamplesWithTiesMatchASortedComputation) {
  // A full sample (eight blocks) of lognormal revenue, rounded so that values tie, and a
  // partner that is dormant (0) on most paths.
  constexpr size_t kPaths = kMaxPartnerPercentilePaths;
  constexpr size_t kPartners = 4;
  constexpr size_t kPlans = 2;
  std::mt19937_64 random(99);
  std::lognormal_distribution<double> lognormal(8, 0.6);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<std::vector<std::vector<double>>> columns(
      kPlans, std::vector<std::vector<double>>(kPartners, std::vector<double>(kPaths)));
  for (size_t k = 0; k < kPlans; ++k) {
    for (size_t i = 0; i < kPartners; ++i) {
      for (size_t p = 0; p < kPaths; ++p) {
        double v = lognormal(random) * static_cast<double>(k + 1);
        if (i == 1) v = std::round(v / 500) * 500;        // many ties
        if (i == 2 && unit(random) < 0.85) v = 0;  // dormant on most paths: P10 is 0
        if (i == 3) v = 1e6 + std::round(unit(random) * 20);  // 21 values in a narrow range
        columns[k][i][p] = v;
      }
    }
  }
  PartnerPercentiles samples(kPlans, kPartners, kPaths);
  RecordAll(samples, columns);
  WorkerPool pool(3);
  samples.Start(pool, kPaths, /*blocks_left=*/0);
  samples.Wait();
  for (size_t k = 0; k < kPlans; ++k) {
    for (size_t i = 0; i < kPartners; ++i) {
      // The samples are floats: the reference sorts the same float values.
      std::vector<double> stored;
      for (const double v : columns[k][i]) stored.push_back(static_cast<float>(v));
      const double p10 = SortedQuantile(stored, 0.10);
      const double p90 = SortedQuantile(stored, 0.90);
      EXPECT_NEAR(samples.Of(k, i).first, p10, 1e-9 * (1 + std::abs(p10)))
          << "plan " << k << " partner " << i;
      EXPECT_NEAR(samples.Of(k, i).second, p90, 1e-9 * (1 + std::abs(p90)))
          << "plan " << k << " partner " << i;
    }
  }
}

TEST(PartnerPercentilesTest, DestroyingSamplesWaitsForSelectionsThatHaveNotRunYet) {
  // The selections are queued behind a gate; the samples are destroyed before the gate
  // opens. The destructor must wait for them, or they read freed samples (which the
  // sanitizer build reports).
  WorkerPool pool(1);
  auto gate = std::make_shared<GateJob>();
  pool.Submit(gate, 1);
  gate->started.wait();
  auto samples = std::make_unique<PartnerPercentiles>(1, 50, 1'000);
  for (uint64_t path = 0; path < 1'000; ++path) {
    samples->Record(0, path, std::vector<double>(50, static_cast<double>(path)));
  }
  samples->Start(pool, 1'000, /*blocks_left=*/0);
  std::latch destroying(1);
  std::thread destroyer([&] {
    destroying.count_down();
    samples.reset();
  });
  destroying.wait();
  gate->release.count_down();
  destroyer.join();
  EXPECT_EQ(samples, nullptr);  // the destructor returned once the selections ran
}

}  // namespace
}  // namespace attain
