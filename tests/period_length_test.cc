// Period length: a quarter's defaults are the month's converted as docs/model.md states,
// and a partner on the quarterly defaults behaves over a year as the same partner on the
// monthly defaults, within standard errors and the documented timing difference.
// Statistical checks use fixed seeds and 4 standard errors.
#include <cmath>

#include <gtest/gtest.h>

#include "simulator/engine.h"
#include "simulator/model.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::BinomialSe;
using testing_support::Seeded;
using testing_support::WithThreads;

TEST(PeriodLength, MonthDefaultsAreTheModelsOwn) {
  const Partner month = DefaultPartner(PeriodLength::kMonth);
  EXPECT_EQ(month.churn_rate, 0.02);
  EXPECT_EQ(month.half_effort_hours, 8);
  EXPECT_EQ(month.retention_hours, 4);
  EXPECT_EQ(month.ramp_periods, 2);
  EXPECT_EQ(month.volatility, 0.25);
  const TierPolicy policy = DefaultTierPolicy(PeriodLength::kMonth);
  EXPECT_EQ(policy.invest_hours, 16);
  EXPECT_EQ(policy.maintain_hours, 6);
  EXPECT_EQ(policy.opportunistic_hours, 1);
}

TEST(PeriodLength, QuarterDefaultsAreTheMonthsConverted) {
  const Partner quarter = DefaultPartner(PeriodLength::kQuarter);
  EXPECT_DOUBLE_EQ(quarter.churn_rate, 1 - 0.98 * 0.98 * 0.98);  // 0.058808
  EXPECT_NEAR(quarter.churn_rate, 0.058808, 1e-12);
  EXPECT_EQ(quarter.half_effort_hours, 24);
  EXPECT_EQ(quarter.retention_hours, 12);
  EXPECT_EQ(quarter.ramp_periods, 1);
  // A quarter's coefficient of variation is three independent months': CV^2 / 3.
  const double month_cv2 = std::expm1(0.25 * 0.25);
  EXPECT_NEAR(std::expm1(quarter.volatility * quarter.volatility), month_cv2 / 3, 1e-15);
  EXPECT_NEAR(quarter.volatility, 0.14584, 1e-5);
  // Unchanged: no drift, the same factor loadings, deal sizes.
  EXPECT_EQ(quarter.growth_rate, 0);
  EXPECT_EQ(quarter.growth_boost, 0);
  EXPECT_EQ(quarter.max_lift, 0.3);
  EXPECT_EQ(quarter.market_correlation, 0.3);
  EXPECT_EQ(quarter.deal_size_cv, 0.5);
  const TierPolicy policy = DefaultTierPolicy(PeriodLength::kQuarter);
  EXPECT_EQ(policy.invest_hours, 48);
  EXPECT_EQ(policy.maintain_hours, 18);
  EXPECT_EQ(policy.opportunistic_hours, 3);
}

// One partner on the defaults of `length` over a year, selling `monthly_baseline` a month.
Portfolio OneYear(PeriodLength length, double monthly_baseline, Tier tier) {
  const int per_period = length == PeriodLength::kQuarter ? kMonthsPerQuarter : 1;
  Portfolio portfolio;
  portfolio.period_length = length;
  portfolio.periods = 12 / per_period;
  portfolio.quota = 12 * monthly_baseline;
  portfolio.capacity_hours = 100;
  portfolio.tier_policy = DefaultTierPolicy(length);
  Partner& p = portfolio.partners.emplace_back(DefaultPartner(length));
  p.id.assign(1, 'p');  // GCC 12 misreads assigning a literal here (-Wstringop-overflow)
  p.tier = tier;
  p.baseline_revenue = monthly_baseline * per_period;
  return portfolio;
}

class SameYear : public ::testing::TestWithParam<Tier> {};

// The same calendar year: dormancy odds equal (exactly at no hours, and within about 0.1 pt at
// the tiers' hours); expected revenue equal within standard errors and the documented
// timing difference: a quarter counts a partner that goes dormant during it as dormant for
// all of it, and its lift as complete in quarter 1, so it may be lower by up to the monthly
// churn (2%) and higher by the first month's unramped lift.
TEST_P(SameYear, DormancyAndRevenueAgree) {
  const uint64_t paths = 200'000;
  Engine engine(WithThreads(2));
  const Portfolio monthly = OneYear(PeriodLength::kMonth, 10'000, GetParam());
  const Portfolio quarterly = OneYear(PeriodLength::kQuarter, 10'000, GetParam());
  const auto m = engine.Simulate(monthly, Plan{}, Seeded(paths, 21));
  const auto q = engine.Simulate(quarterly, Plan{}, Seeded(paths, 22));
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(q.ok()) << q.status();

  const double dormant = m->partners[0].dormancy_probability;
  EXPECT_NEAR(q->partners[0].dormancy_probability, dormant,
              4 * std::sqrt(2.0) * BinomialSe(dormant, paths) + 0.001);

  const double se = std::hypot(m->expected_revenue_std_error, q->expected_revenue_std_error);
  const double month_hours = monthly.tier_policy.HoursFor(GetParam());
  const double first_month_unramped =
      10'000 * 0.3 * month_hours / (month_hours + 8) * 0.5;  // L f(h) (1 - ramp(1))
  EXPECT_GE(q->expected_revenue, m->expected_revenue * (1 - 0.02) - 4 * se);
  EXPECT_LE(q->expected_revenue, m->expected_revenue + first_month_unramped + 4 * se);
}

INSTANTIATE_TEST_SUITE_P(Tiers, SameYear,
                         ::testing::Values(Tier::kInvest, Tier::kMaintain,
                                           Tier::kOpportunistic));

TEST(PeriodLength, NeglectedPartnerHasTheSameDormancyOddsExactly) {
  Portfolio monthly = OneYear(PeriodLength::kMonth, 10'000, Tier::kOpportunistic);
  Portfolio quarterly = OneYear(PeriodLength::kQuarter, 10'000, Tier::kOpportunistic);
  monthly.partners[0].hours_override = 0;
  quarterly.partners[0].hours_override = 0;
  // P(dormant within the year) = 1 - (1 - c)^12 either way.
  const auto dormancy = [](const Portfolio& portfolio) {
    const Partner& p = portfolio.partners[0];
    return 1 - std::pow(1 - p.churn_rate, portfolio.periods);
  };
  EXPECT_NEAR(dormancy(quarterly), dormancy(monthly), 1e-14);
  EXPECT_NEAR(dormancy(monthly), 1 - std::pow(0.98, 12), 1e-14);
}

// With churn taken out, a year's revenue spreads the same: 12 independent months or 4
// independent quarters with a third of the variance each (the volatility conversion).
TEST(PeriodLength, YearRevenueSpreadsTheSame) {
  const uint64_t paths = 200'000;
  Engine engine(WithThreads(2));
  Portfolio monthly = OneYear(PeriodLength::kMonth, 10'000, Tier::kOpportunistic);
  Portfolio quarterly = OneYear(PeriodLength::kQuarter, 10'000, Tier::kOpportunistic);
  for (Portfolio* portfolio : {&monthly, &quarterly}) {
    portfolio->partners[0].churn_rate = 0;
    portfolio->partners[0].hours_override = 0;
  }
  const auto m = engine.Simulate(monthly, Plan{}, Seeded(paths, 31));
  const auto q = engine.Simulate(quarterly, Plan{}, Seeded(paths, 32));
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(q.ok()) << q.status();
  const double se = std::hypot(m->expected_revenue_std_error, q->expected_revenue_std_error);
  EXPECT_NEAR(q->expected_revenue, m->expected_revenue, 4 * se);
  EXPECT_NEAR(q->expected_revenue, 120'000, 4 * q->expected_revenue_std_error);
  // The standard deviation's standard error, for a near-normal sum: sd / sqrt(2 n).
  const double sd = m->revenue_std_dev;
  EXPECT_NEAR(q->revenue_std_dev, sd, 4 * std::sqrt(2.0) * sd / std::sqrt(2.0 * paths));
  // A year of months: sd = sqrt(12) x 10,000 x CV_month (the market factor is per period
  // too, so the months are independent for one partner).
  EXPECT_NEAR(sd, std::sqrt(12.0) * 10'000 * std::sqrt(std::expm1(0.25 * 0.25)),
              4 * sd / std::sqrt(2.0 * paths));
}

}  // namespace
}  // namespace attain
