#include "simulator/churn_fit.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

// Periods at risk with hours 0..16 and dormancy drawn at q = c hr / (hr + h).
std::vector<RiskPeriod> Draw(double c, double hr, int periods, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<RiskPeriod> risk;
  for (int k = 0; k < periods; ++k) {
    const double h = 4.0 * (k % 5);
    risk.push_back({h, unit(random) < c * hr / (hr + h)});
  }
  return risk;
}

TEST(ChurnFitTest, RecoversTheRateWithinItsStandardError) {
  int covered = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const ChurnFit fit = FitChurn(Draw(0.05, 4, 4000, seed), 4);
    EXPECT_EQ(fit.retention_hours, 4);
    EXPECT_EQ(fit.periods_at_risk, 4000);
    covered += std::fabs(fit.churn_rate - 0.05) <= 1.645 * fit.churn_rate_std_error;
  }
  EXPECT_GE(covered, 82);  // 90% nominal, binomial sd 3 of 100
  EXPECT_LE(covered, 98);
}

TEST(ChurnFitTest, AllAtZeroHoursIsTheTransitionShare) {
  std::vector<RiskPeriod> risk(200, {0, false});
  for (int k = 0; k < 10; ++k) risk[static_cast<size_t>(k * 20)].went_dormant = true;
  const ChurnFit fit = FitChurn(risk, 4);
  EXPECT_NEAR(fit.churn_rate, 0.05, 1e-9);
  EXPECT_EQ(fit.transitions, 10);
  // Binomial: sqrt(p (1 - p) / n).
  EXPECT_NEAR(fit.churn_rate_std_error, std::sqrt(0.05 * 0.95 / 200), 1e-6);
}

TEST(ChurnFitTest, NoTransitionsGiveZeroWithAnHonestError) {
  const ChurnFit fit = FitChurn(std::vector<RiskPeriod>(50, {2, false}), 4);
  EXPECT_EQ(fit.churn_rate, 0);
  EXPECT_EQ(fit.transitions, 0);
  EXPECT_NEAR(fit.churn_rate_std_error, 1.0 / 50, 1e-12);
  const ChurnFit none = FitChurn({}, 4);
  EXPECT_EQ(none.churn_rate, 0);
  EXPECT_EQ(none.periods_at_risk, 0);
}

}  // namespace
}  // namespace attain
