#include "simulator/common_shocks.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

// 100 partners in two segments over 24 periods: residual = market[t] + segment[s][t] +
// noise. The estimates follow the true effects (centred and detrended), and their
// variances net out the noise.
TEST(CommonShocksTest, RecoversMarketAndSegmentEffects) {
  std::mt19937_64 random(3);
  std::normal_distribution<double> normal;
  constexpr int kPartners = 100;
  constexpr int kPeriods = 24;
  std::vector<double> market(kPeriods);
  std::vector<std::vector<double>> segment(2, std::vector<double>(kPeriods));
  for (int t = 0; t < kPeriods; ++t) {
    market[static_cast<size_t>(t)] = 0.1 * normal(random);
    segment[0][static_cast<size_t>(t)] = 0.05 * normal(random);
    segment[1][static_cast<size_t>(t)] = 0.05 * normal(random);
  }
  std::vector<std::vector<double>> residuals(kPartners, std::vector<double>(kPeriods));
  std::vector<std::vector<char>> use(kPartners, std::vector<char>(kPeriods, 1));
  std::vector<int> segment_of(kPartners);
  for (int i = 0; i < kPartners; ++i) {
    segment_of[static_cast<size_t>(i)] = i % 2;
    for (int t = 0; t < kPeriods; ++t) {
      residuals[static_cast<size_t>(i)][static_cast<size_t>(t)] =
          market[static_cast<size_t>(t)] + segment[static_cast<size_t>(i % 2)][static_cast<size_t>(t)] +
          0.02 * normal(random);
    }
  }
  use[3][7] = 0;
  residuals[3][7] = 50;  // an unused period never counts
  const CommonShocks shocks = EstimateCommonShocks(residuals, use, segment_of, 2, 0.02 * 0.02);
  ASSERT_EQ(shocks.period.size(), static_cast<size_t>(kPeriods));
  // The truth without its level and trend, which stay with the partners' own fits.
  {
    double mt = 0, mm = 0, tt = 0, tm = 0;
    for (int t = 0; t < kPeriods; ++t) {
      mt += t;
      mm += market[static_cast<size_t>(t)];
    }
    mt /= kPeriods;
    mm /= kPeriods;
    for (int t = 0; t < kPeriods; ++t) {
      tt += (t - mt) * (t - mt);
      tm += (t - mt) * (market[static_cast<size_t>(t)] - mm);
    }
    for (int t = 0; t < kPeriods; ++t) {
      market[static_cast<size_t>(t)] -= mm + tm / tt * (t - mt);
    }
  }
  // Correlation of the estimated market effect with the truth.
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int t = 0; t < kPeriods; ++t) {
    const double x = market[static_cast<size_t>(t)];
    const double y = shocks.period[static_cast<size_t>(t)];
    sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
  }
  const double n = kPeriods;
  const double correlation = (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  // The period effect also carries the segments' mean effect (variance 0.05^2 / 2 next
  // to the market's 0.1^2): a correlation of about sqrt(1 / 1.125) = 0.94 at best.
  EXPECT_GT(correlation, 0.9);
  // Centred: no level left in the shocks.
  EXPECT_NEAR(sy / n, 0, 1e-12);
  // Variance of the market near 0.1^2 (24 draws: relative sd about 30%).
  EXPECT_GT(shocks.period_variance, 0.004);
  EXPECT_LT(shocks.period_variance, 0.02);
  ASSERT_EQ(shocks.segment_variance.size(), 2u);
  EXPECT_GT(shocks.segment_variance[0], 0.0008);
  EXPECT_LT(shocks.segment_variance[0], 0.006);
}

TEST(CommonShocksTest, PureNoiseLeavesNoCommonVariance) {
  std::mt19937_64 random(4);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> residuals(200, std::vector<double>(24));
  for (auto& row : residuals) {
    for (double& r : row) r = 0.1 * normal(random);
  }
  const std::vector<std::vector<char>> use(200, std::vector<char>(24, 1));
  const CommonShocks shocks =
      EstimateCommonShocks(residuals, use, std::vector<int>(200, -1), 0, 0.01);
  // The noise in each period's median is netted out: what is left is at most a few
  // percent of the partners' own variance.
  EXPECT_LT(shocks.period_variance, 0.0005);
  EXPECT_TRUE(shocks.segment.empty());
}

}  // namespace
}  // namespace attain
