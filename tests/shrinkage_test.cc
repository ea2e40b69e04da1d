#include "simulator/shrinkage.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

TEST(ShrinkageTest, EqualEstimatesHaveNoSpreadAndShrinkFully) {
  const std::vector<double> x = {0.5, 0.5, 0.5};
  const std::vector<double> se = {0.1, 0.2, 0.3};
  const Shrunk s = ShrinkTowardTheMean(x, se);
  EXPECT_EQ(s.between_sd, 0);
  EXPECT_NEAR(s.mean, 0.5, 1e-12);
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(s.shrinkage[i], 1);
    EXPECT_NEAR(s.posterior[i], 0.5, 1e-12);
  }
}

// theta_i ~ N(1, 0.5^2), estimates with errors 0.1..0.9: REML recovers tau within its
// sampling error, noisy estimates shrink more, and the posterior beats the raw estimate.
TEST(ShrinkageTest, RecoversTheSpreadAndShrinksTheNoisyMost) {
  std::mt19937_64 random(7);
  std::normal_distribution<double> normal;
  std::vector<double> theta, x, se;
  for (int i = 0; i < 2000; ++i) {
    theta.push_back(1 + 0.5 * normal(random));
    se.push_back(0.1 + 0.8 * (i % 9) / 8.0);
    x.push_back(theta.back() + se.back() * normal(random));
  }
  const Shrunk s = ShrinkTowardTheMean(x, se);
  EXPECT_NEAR(s.between_sd, 0.5, 0.05);
  EXPECT_NEAR(s.mean, 1, 3 * s.mean_std_error);
  double raw = 0, posterior = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    raw += (x[i] - theta[i]) * (x[i] - theta[i]);
    posterior += (s.posterior[i] - theta[i]) * (s.posterior[i] - theta[i]);
  }
  EXPECT_LT(posterior, 0.8 * raw);
  EXPECT_LT(s.shrinkage[0], s.shrinkage[8]);  // se 0.1 vs 0.9
}

TEST(ShrinkageTest, TheMedianCenterResistsErrorsThatMoveWithTheEstimate) {
  // Half the estimates at -0.2 with small errors, half at +0.2 with large ones: the
  // weighted mean leans to the precise side, the median stays in the middle.
  std::vector<double> x, se;
  for (int i = 0; i < 100; ++i) {
    x.push_back(i % 2 == 0 ? -0.2 : 0.2);
    se.push_back(i % 2 == 0 ? 0.1 : 0.3);
  }
  const Shrunk weighted = ShrinkTowardTheMean(x, se);
  const Shrunk median = ShrinkTowardTheMean(x, se, PoolCenter::kMedian);
  EXPECT_LT(weighted.mean, -0.05);
  EXPECT_NEAR(median.mean, 0, 1e-12);
  EXPECT_GT(median.mean_std_error, 0);
  EXPECT_TRUE(std::isfinite(median.mean_std_error));
}

TEST(ShrinkageTest, OneEstimateIsItsOwnMean) {
  const std::vector<double> x = {2};
  const std::vector<double> se = {0.5};
  const Shrunk s = ShrinkTowardTheMean(x, se);
  EXPECT_EQ(s.mean, 2);
  EXPECT_NEAR(s.mean_std_error, 0.5, 1e-12);
  EXPECT_EQ(s.between_sd, 0);
}

}  // namespace
}  // namespace attain
