// Tests of simulator/statistics.h against hand-computed and textbook values.
#include "simulator/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <span>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

constexpr double kZ = 1.959963984540054;

UnitSums SumsOf(const std::vector<double>& values) {
  UnitSums sums;
  for (const double v : values) sums.Add(v);
  return sums;
}

// `hits` ones and `paths - hits` zeros, one unit per path.
UnitSums Bernoulli(int hits, int paths) {
  UnitSums sums;
  for (int i = 0; i < paths; ++i) sums.Add(i < hits ? 1.0 : 0.0);
  return sums;
}

// The Wilson score interval, written as (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) /
// (1 + z^2/n), clipped to [0, 1].
Interval Wilson(double p, double n) {
  const double z2 = kZ * kZ;
  const double root = kZ * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  const double denominator = 1 + z2 / n;
  return {std::max(0.0, (p + z2 / (2 * n) - root) / denominator),
          std::min(1.0, (p + z2 / (2 * n) + root) / denominator)};
}

// ---------------------------------------------------------------------------------------
// UnitSums.

TEST(UnitSumsTest, MeanStdErrorAndNormalInterval) {
  // Mean 5, sum of squares 4+16+16+16+25+25+49+81 = 232, squared deviations
  // 9+1+1+1+0+0+4+16 = 32, sample variance 32/7, standard error sqrt(32/7/8) = sqrt(4/7).
  const UnitSums sums = SumsOf({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(sums.units(), 8u);
  EXPECT_DOUBLE_EQ(sums.Mean(), 5);
  EXPECT_DOUBLE_EQ(sums.StdError(), std::sqrt(4.0 / 7));
  const Interval interval = sums.NormalInterval();
  EXPECT_DOUBLE_EQ(interval.low, 5 - kZ * std::sqrt(4.0 / 7));
  EXPECT_DOUBLE_EQ(interval.high, 5 + kZ * std::sqrt(4.0 / 7));
  EXPECT_DOUBLE_EQ(interval.HalfWidth(), kZ * std::sqrt(4.0 / 7));
}

TEST(UnitSumsTest, EmptyAndSingleUnit) {
  const UnitSums empty;
  EXPECT_EQ(empty.Mean(), 0);
  EXPECT_EQ(empty.StdError(), 0);
  const UnitSums one = SumsOf({3.5});
  EXPECT_EQ(one.Mean(), 3.5);
  EXPECT_EQ(one.StdError(), 0);
  EXPECT_EQ(one.NormalInterval().low, 3.5);
  EXPECT_EQ(one.NormalInterval().high, 3.5);
}

TEST(UnitSumsTest, ConstantValuesHaveZeroStdError) {
  EXPECT_EQ(SumsOf({2.5, 2.5, 2.5, 2.5, 2.5}).StdError(), 0);
  // Sums are kept around a shift, so no cancellation for any constant.
  EXPECT_EQ(SumsOf({0.1, 0.1, 0.1, 0.1, 0.1}).StdError(), 0);
  EXPECT_EQ(SumsOf({0.1, 0.1, 0.1, 0.1, 0.1}).Mean(), 0.1);
}

TEST(UnitSumsTest, LargeMeanWithSmallSpreadKeepsItsPrecision) {
  // 1e8 +- 0.5 alternating: sample sd = 0.5 * sqrt(n / (n - 1)), SE = sd / sqrt(n).
  UnitSums sums;
  const int n = 1000;
  for (int i = 0; i < n; ++i) sums.Add(1e8 + (i % 2 == 0 ? 0.5 : -0.5));
  const double expected = 0.5 * std::sqrt(n / (n - 1.0)) / std::sqrt(n);
  EXPECT_NEAR(sums.StdError(), expected, 1e-9 * expected);
  EXPECT_EQ(sums.Mean(), 1e8);
}

TEST(UnitSumsTest, MergeEqualsAddingEverything) {
  UnitSums merged = SumsOf({2, 4, 4});
  merged.Merge(SumsOf({4, 5, 5, 7, 9}));
  const UnitSums all = SumsOf({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(merged.units(), all.units());
  EXPECT_DOUBLE_EQ(merged.Mean(), all.Mean());
  EXPECT_DOUBLE_EQ(merged.StdError(), all.StdError());
}

TEST(UnitSumsTest, MergeWithEmptyKeepsTheOther) {
  UnitSums empty;
  empty.Merge(SumsOf({1, 3}));
  EXPECT_EQ(empty.units(), 2u);
  EXPECT_EQ(empty.Mean(), 2);
  UnitSums two = SumsOf({1, 3});
  two.Merge(UnitSums{});
  EXPECT_EQ(two.units(), 2u);
  EXPECT_EQ(two.StdError(), 1);  // sd sqrt(2), n 2
}

// ---------------------------------------------------------------------------------------
// SumUnits.

// y = 2 + 3 c + noise with c of known mean 10: the estimate is mean(y) less 3 times
// mean(c)'s deviation from 10, and its standard error the residuals', not y's.
TEST(ControlledSumsTest, SubtractsTheControlsRegressionFromTheMean) {
  std::mt19937_64 random(5);
  std::normal_distribution<double> control(10, 2);
  std::normal_distribution<double> noise(0, 0.1);
  ControlledSums sums;
  UnitSums plain;
  double y_sum = 0;
  double c_sum = 0;
  const int n = 5'000;
  for (int j = 0; j < n; ++j) {
    const double c = control(random);
    const double y = 2 + 3 * c + noise(random);
    sums.Add(y, c);
    plain.Add(y);
    y_sum += y;
    c_sum += c;
  }
  EXPECT_EQ(sums.units(), static_cast<uint64_t>(n));
  EXPECT_NEAR(sums.Beta(), 3, 0.01);
  EXPECT_NEAR(sums.Mean(10), y_sum / n - sums.Beta() * (c_sum / n - 10), 1e-9);
  EXPECT_NEAR(sums.Mean(10), 32, 4 * 0.1 / std::sqrt(n));
  EXPECT_NEAR(sums.StdError(10), 0.1 / std::sqrt(n), 0.1 * 0.1 / std::sqrt(n));
  EXPECT_GT(plain.StdError(), 50 * sums.StdError(10));
}

TEST(ControlledSumsTest, MergeEqualsAddingEverythingAndAConstantControlIsThePlainMean) {
  ControlledSums whole;
  ControlledSums first;
  ControlledSums second;
  ControlledSums constant;
  UnitSums plain;
  for (int j = 0; j < 100; ++j) {
    const double y = std::sin(j) + 0.01 * j;
    const double c = std::cos(0.7 * j) + y;
    whole.Add(y, c);
    (j < 37 ? first : second).Add(y, c);
    constant.Add(y, 4);
    plain.Add(y);
  }
  first.Merge(second);
  EXPECT_NEAR(first.Mean(0.5), whole.Mean(0.5), 1e-12);
  EXPECT_NEAR(first.StdError(0.5), whole.StdError(0.5), 1e-12);
  EXPECT_NEAR(first.Beta(), whole.Beta(), 1e-12);
  EXPECT_EQ(constant.Beta(), 0);
  EXPECT_NEAR(constant.Mean(4), plain.Mean(), 1e-12);
  EXPECT_EQ(ControlledSums().StdError(0), 0);
}

TEST(ControlledProbabilityIntervalTest, NormalWithinZeroAndOneOrCountingWithoutAnError) {
  UnitSums values;
  for (int j = 0; j < 10; ++j) values.Add(1.0);
  const Interval normal = ControlledProbabilityInterval(0.5, 0.01, values, 10);
  EXPECT_NEAR(normal.low, 0.5 - kZ95 * 0.01, 1e-12);
  EXPECT_NEAR(normal.high, 0.5 + kZ95 * 0.01, 1e-12);
  EXPECT_EQ(ControlledProbabilityInterval(0.999, 0.01, values, 10).high, 1);
  // All ten values 1 with no error to go by: what ten successes in ten trials claim.
  const Interval counted = ControlledProbabilityInterval(1, 0, values, 10);
  EXPECT_LT(counted.low, 0.8);
  EXPECT_NEAR(counted.high, 1, 1e-12);
}

TEST(SumUnitsTest, WithoutPairsOneUnitPerPath) {
  const UnitSums sums = SumUnits(5, false, [](size_t j) { return static_cast<double>(j * j); });
  // Values 0 1 4 9 16: mean 6, squared deviations 36+25+4+9+100 = 174, SE sqrt(174/4/5).
  EXPECT_EQ(sums.units(), 5u);
  EXPECT_DOUBLE_EQ(sums.Mean(), 6);
  EXPECT_DOUBLE_EQ(sums.StdError(), std::sqrt(174.0 / 4 / 5));
}

TEST(SumUnitsTest, WithPairsAveragesPaths2jAnd2jPlus1) {
  // Pairs (0, 1), (4, 9), (16, 25) -> units 0.5, 6.5, 20.5.
  const UnitSums sums = SumUnits(6, true, [](size_t j) { return static_cast<double>(j * j); });
  // Mean 27.5 / 3; squared deviations of 0.5, 6.5, 20.5 from it.
  const double mean = 27.5 / 3;
  const double squares = (0.5 - mean) * (0.5 - mean) + (6.5 - mean) * (6.5 - mean) +
                         (20.5 - mean) * (20.5 - mean);
  EXPECT_EQ(sums.units(), 3u);
  EXPECT_DOUBLE_EQ(sums.Mean(), mean);
  EXPECT_DOUBLE_EQ(sums.StdError(), std::sqrt(squares / 2 / 3));
}

TEST(SumUnitsTest, PairsOfMirrorImagesHaveZeroStdError) {
  // Antithetic pairs x, -x average to 0 exactly.
  const UnitSums sums = SumUnits(8, true, [](size_t j) {
    const double x = 1.0 + static_cast<double>(j / 2);
    return j % 2 == 0 ? x : -x;
  });
  EXPECT_EQ(sums.units(), 4u);
  EXPECT_EQ(sums.Mean(), 0);
  EXPECT_EQ(sums.StdError(), 0);
}

// ---------------------------------------------------------------------------------------
// WilsonInterval.

TEST(WilsonIntervalTest, ZeroOfTen) {
  const Interval interval = WilsonInterval(Bernoulli(0, 10), 10);
  const Interval expected = Wilson(0, 10);
  EXPECT_NEAR(interval.low, 0, 1e-15);
  EXPECT_NEAR(interval.high, expected.high, 1e-14);
  EXPECT_NEAR(interval.high, 0.2775, 5e-5);  // textbook value
}

TEST(WilsonIntervalTest, FiveOfTen) {
  const Interval interval = WilsonInterval(Bernoulli(5, 10), 10);
  const Interval expected = Wilson(0.5, 10);
  EXPECT_NEAR(interval.low, expected.low, 1e-14);
  EXPECT_NEAR(interval.high, expected.high, 1e-14);
  EXPECT_NEAR(interval.low, 0.2366, 5e-5);
  EXPECT_NEAR(interval.high, 0.7634, 5e-5);
}

TEST(WilsonIntervalTest, FiftyOfHundred) {
  const Interval interval = WilsonInterval(Bernoulli(50, 100), 100);
  const Interval expected = Wilson(0.5, 100);
  EXPECT_NEAR(interval.low, expected.low, 1e-14);
  EXPECT_NEAR(interval.high, expected.high, 1e-14);
  EXPECT_NEAR(interval.low, 0.4038, 5e-5);
  EXPECT_NEAR(interval.high, 0.5962, 5e-5);
}

TEST(WilsonIntervalTest, TenOfTenIsAsymmetricAndBelowOne) {
  const Interval interval = WilsonInterval(Bernoulli(10, 10), 10);
  EXPECT_NEAR(interval.low, 0.7225, 5e-5);
  EXPECT_NEAR(interval.low, Wilson(1, 10).low, 1e-14);
  EXPECT_NEAR(interval.high, 1, 1e-15);
  EXPECT_LE(interval.high, 1);
}

TEST(WilsonIntervalTest, OneOfTwenty) {
  const Interval interval = WilsonInterval(Bernoulli(1, 20), 20);
  const Interval expected = Wilson(0.05, 20);
  EXPECT_NEAR(interval.low, expected.low, 1e-14);
  EXPECT_NEAR(interval.high, expected.high, 1e-14);
}

TEST(WilsonIntervalTest, NoPathsGivesZeroToOne) {
  const Interval interval = WilsonInterval(UnitSums(), 0);
  EXPECT_EQ(interval.low, 0);
  EXPECT_EQ(interval.high, 1);
}

TEST(WilsonIntervalTest, AntitheticPairsUseTheEffectiveSampleSize) {
  // 8 pairs (16 paths), each unit the mean of a pair's two indicators.
  const std::vector<double> pairs = {1, 1, 1, 0.5, 0.5, 0, 0, 0.5};
  const UnitSums hits = SumsOf(pairs);
  const double p = 4.5 / 8;
  double squares = 0;
  for (const double v : pairs) squares += (v - p) * (v - p);
  const double se = std::sqrt(squares / 7 / 8);
  const double effective_n = p * (1 - p) / (se * se);
  ASSERT_NE(effective_n, 16.0);

  const Interval interval = WilsonInterval(hits, 16);
  const Interval expected = Wilson(p, effective_n);
  EXPECT_NEAR(interval.low, expected.low, 1e-12);
  EXPECT_NEAR(interval.high, expected.high, 1e-12);
  // And not the interval of 16 independent paths.
  EXPECT_GT(std::abs(interval.low - Wilson(p, 16).low), 1e-3);
}

TEST(WilsonIntervalTest, AntitheticPairsWithZeroStdErrorUseThePathCount) {
  // Every pair has one hit and one miss: SE 0, so n falls back to the 8 paths.
  const Interval interval = WilsonInterval(SumsOf({0.5, 0.5, 0.5, 0.5}), 8);
  const Interval expected = Wilson(0.5, 8);
  EXPECT_NEAR(interval.low, expected.low, 1e-14);
  EXPECT_NEAR(interval.high, expected.high, 1e-14);
}

TEST(WilsonIntervalTest, NarrowsWithMorePaths) {
  EXPECT_GT(WilsonInterval(Bernoulli(5, 10), 10).HalfWidth(),
            WilsonInterval(Bernoulli(500, 1000), 1000).HalfWidth());
}

// ---------------------------------------------------------------------------------------
// Quantiles (type 7: h = q (n - 1), x[floor h] + (h - floor h)(x[floor h + 1] - ...)).

template <class T>
std::vector<double> QuantilesOf(const std::vector<T>& values, std::vector<double> qs) {
  std::vector<double> out(qs.size());
  Quantiles(std::span<const T>(values), std::span<const double>(qs), std::span<double>(out));
  return out;
}

TEST(QuantilesTest, HandValuesOfOneToFour) {
  const std::vector<double> found =
      QuantilesOf<double>({4, 1, 3, 2}, {0, 0.1, 0.25, 0.5, 0.9, 1});
  EXPECT_EQ(found[0], 1);
  EXPECT_DOUBLE_EQ(found[1], 1.3);
  EXPECT_DOUBLE_EQ(found[2], 1.75);
  EXPECT_DOUBLE_EQ(found[3], 2.5);
  EXPECT_DOUBLE_EQ(found[4], 3.7);
  EXPECT_EQ(found[5], 4);
}

TEST(QuantilesTest, Float) {
  const std::vector<double> found = QuantilesOf<float>({4.0f, 1.0f, 3.0f, 2.0f}, {0.1, 0.5, 1});
  EXPECT_NEAR(found[0], 1.3, 1e-12);
  EXPECT_DOUBLE_EQ(found[1], 2.5);
  EXPECT_EQ(found[2], 4);
}

TEST(QuantilesTest, SingleElement) {
  EXPECT_EQ(QuantilesOf<double>({7.25}, {0, 0.5, 1}), (std::vector<double>{7.25, 7.25, 7.25}));
  EXPECT_EQ(QuantilesOf<float>({-2.5f}, {0.3}), (std::vector<double>{-2.5}));
}

TEST(QuantilesTest, TiesAndNegativeValues) {
  // sorted: -3 -1 5 5 5; q = 0.125 -> h = 0.5; q = 0.75 -> h = 3.
  const std::vector<double> found = QuantilesOf<double>({5, -1, 5, 5, -3}, {0.125, 0.75});
  EXPECT_DOUBLE_EQ(found[0], -2);
  EXPECT_EQ(found[1], 5);
}

TEST(QuantilesTest, MatchesSortedType7OnRandomData) {
  std::mt19937_64 rng(12345);
  std::normal_distribution<double> normal(10, 3);
  const std::vector<double> qs = {0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1.0};
  for (const size_t n : {2u, 3u, 10u, 101u, 1000u, 20'000u}) {
    std::vector<double> values(n);
    for (double& v : values) v = normal(rng);
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const std::vector<double> found = QuantilesOf(values, qs);
    for (size_t j = 0; j < qs.size(); ++j) {
      const double h = qs[j] * static_cast<double>(n - 1);
      const size_t lo = static_cast<size_t>(std::floor(h));
      const size_t hi = std::min(lo + 1, n - 1);
      const double expected =
          sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
      EXPECT_NEAR(found[j], expected, 1e-12) << "n = " << n << ", q = " << qs[j];
    }
  }
}

TEST(QuantilesTest, LargeSamplesWithTiesAndStructure) {
  // Many exact zeros (dormant partners), then a skewed tail, in sorted and shuffled order:
  // the bracketing sample must never change the answer.
  std::vector<float> values;
  for (int i = 0; i < 3'000; ++i) values.push_back(0.0f);
  std::mt19937_64 rng(7);
  std::lognormal_distribution<float> lognormal(10, 1);
  for (int i = 0; i < 9'000; ++i) values.push_back(lognormal(rng));
  std::vector<float> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<double> qs = {0.0, 0.1, 0.2, 0.25, 0.26, 0.5, 0.9, 0.999, 1.0};
  for (const auto* order : {&values, &sorted}) {
    const std::vector<double> found = QuantilesOf(*order, qs);
    for (size_t j = 0; j < qs.size(); ++j) {
      const double h = qs[j] * static_cast<double>(sorted.size() - 1);
      const size_t lo = static_cast<size_t>(h);
      const size_t hi = std::min(lo + 1, sorted.size() - 1);
      const double expected = static_cast<double>(sorted[lo]) +
                              (h - static_cast<double>(lo)) *
                                  (static_cast<double>(sorted[hi]) - sorted[lo]);
      EXPECT_NEAR(found[j], expected, 1e-6 * (1 + std::abs(expected))) << "q = " << qs[j];
    }
  }
}

}  // namespace
}  // namespace attain
