#include "simulator/partner_fit.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

struct Series {
  std::vector<double> y, f;
  std::vector<char> use;
};

// y_t = a + (t - 1) beta + log(1 + L f_t) + sigma z_t, hours cycling 0..24 against h50 8.
Series Draw(double a, double beta, double lift, double sigma, int periods, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal;
  const double hours[] = {0, 24, 4, 12, 0, 8, 24, 2};
  Series s;
  for (int t = 0; t < periods; ++t) {
    const double h = hours[t % 8];
    s.f.push_back(h / (h + 8));
    s.y.push_back(a + t * beta + std::log1p(lift * s.f.back()) + sigma * normal(random));
    s.use.push_back(1);
  }
  return s;
}

TEST(PartnerFitTest, NoNoiseRecoversTheCurveExactly) {
  const Series s = Draw(10, 0.01, 0.8, 0, 24, 1);
  const PartnerFit fit = FitPartner(s.y, s.f, s.use);
  EXPECT_TRUE(fit.lift_free);
  EXPECT_NEAR(fit.a, 10, 1e-6);
  EXPECT_NEAR(fit.beta, 0.01, 1e-7);
  EXPECT_NEAR(fit.lift, 0.8, 1e-5);
  EXPECT_EQ(fit.periods, 24);
}

// Over replicates the lift's 90% interval from the stated covariance covers the truth
// about 90% of the time (200 replicates: binomial sd 2.1%).
TEST(PartnerFitTest, StandardErrorsMatchTheSpreadOfTheEstimates) {
  int covered = 0;
  constexpr int kReplicates = 200;
  for (int r = 0; r < kReplicates; ++r) {
    const Series s = Draw(10, 0.01, 0.6, 0.15, 24, 100 + r);
    const PartnerFit fit = FitPartner(s.y, s.f, s.use);
    covered += std::fabs(fit.lift - 0.6) <= 1.645 * std::sqrt(fit.covariance[2][2]);
  }
  EXPECT_GE(covered, 0.85 * kReplicates);
  EXPECT_LE(covered, 0.95 * kReplicates);
}

TEST(PartnerFitTest, AStrayMonthBarelyMovesTheRobustFit) {
  Series s = Draw(10, 0.0, 0.5, 0.05, 24, 3);
  const PartnerFit clean = FitPartner(s.y, s.f, s.use);
  s.y[9] += 3;  // a 20x month: a one-off deal, a booking error
  const PartnerFit stray = FitPartner(s.y, s.f, s.use);
  EXPECT_NEAR(stray.lift, clean.lift, 0.1);
  EXPECT_NEAR(stray.a, clean.a, 0.05);
}

TEST(PartnerFitTest, UnusedPeriodsAreIgnored) {
  Series s = Draw(10, 0.02, 0.5, 0, 24, 4);
  s.y[5] = -100;
  s.use[5] = 0;
  const PartnerFit fit = FitPartner(s.y, s.f, s.use);
  EXPECT_NEAR(fit.lift, 0.5, 1e-5);
  EXPECT_EQ(fit.periods, 23);
}

TEST(PartnerFitTest, ConstantHoursHoldTheLift) {
  Series s = Draw(10, 0.01, 0, 0.1, 12, 5);
  for (double& f : s.f) f = 0.5;
  const PartnerFit free = FitPartner(s.y, s.f, s.use);
  EXPECT_FALSE(free.lift_free);  // not separable from the level: held at 0
  EXPECT_EQ(free.lift, 0);
  FitOptions held;
  held.held_lift = 0.4;
  const PartnerFit fit = FitPartner(s.y, s.f, s.use, held);
  EXPECT_FALSE(fit.lift_free);
  EXPECT_EQ(fit.lift, 0.4);
  EXPECT_EQ(fit.covariance[2][2], 0);
  EXPECT_TRUE(std::isfinite(fit.a) && std::isfinite(fit.scale));
}

TEST(PartnerFitTest, AFixedHuberScaleMakesTheLossSmooth) {
  const Series s = Draw(10, 0.01, 0.6, 0.15, 24, 6);
  FitOptions options;
  options.huber_scale = 0.15;
  const PartnerFit fit = FitPartner(s.y, s.f, s.use, options);
  // The loss at the fit's own minimum is below that at a nearby held lift.
  options.held_lift = fit.lift + 0.2;
  EXPECT_LT(fit.huber_loss, FitPartner(s.y, s.f, s.use, options).huber_loss);
}

}  // namespace
}  // namespace attain
