#include "tests/test_portfolios.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace attain::testing_support {

EngineOptions WithThreads(int threads) {
  EngineOptions options;
  options.threads = threads;
  return options;
}

SimulationOptions Seeded(uint64_t paths, uint64_t seed) {
  SimulationOptions options;
  options.paths = paths;
  options.seed = seed;
  return options;
}

double BinomialSe(double p, uint64_t n) { return std::sqrt(p * (1 - p) / static_cast<double>(n)); }

Portfolio MixedPortfolio() {
  Portfolio portfolio;
  portfolio.currency = "EUR";
  portfolio.periods = 6;
  portfolio.capacity_hours = 30;
  portfolio.segment_correlation = 0.2;
  portfolio.seasonality = {1.0, 1.1, 0.9, 1.2, 0.8, 1.0};
  const Tier tiers[] = {Tier::kInvest, Tier::kMaintain, Tier::kOpportunistic};
  for (int i = 0; i < 9; ++i) {
    Partner p;
    p.id = absl::StrCat("P", i);
    p.tier = tiers[i % 3];
    p.baseline_revenue = 10'000.0 * (1 + i);
    p.growth_rate = 0.01 * (i % 4) - 0.01;
    p.volatility = 0.1 + 0.05 * (i % 5);
    p.market_correlation = 0.1 * (i % 4);
    p.segment = i % 3 == 0 ? "" : (i % 2 ? "north" : "south");
    p.max_lift = 0.1 * (i % 6);
    p.half_effort_hours = 4 + i;
    p.ramp_periods = i % 4;
    p.growth_boost = 0.005 * (i % 3);
    p.churn_rate = 0.01 * (i % 5);
    if (i % 4 == 1) {
      p.revenue_model = RevenueModel::kDeals;
      p.mean_deal_size = 3'000.0 + 500 * i;
      p.deal_size_cv = i % 8 == 1 ? 0.0 : 0.6;
    }
    portfolio.partners.push_back(p);
  }
  double expected = 0;
  const ResolvedPlan current = ResolvePlan(portfolio, Plan{});
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    expected += ExpectedPartnerRevenue(portfolio, portfolio.partners[i], current.hours[i]);
  }
  portfolio.quota = expected;  // P(attain) near one half
  return portfolio;
}

Portfolio RandomPortfolio(std::mt19937_64& random, int partners) {
  std::uniform_real_distribution<double> unit(0, 1);
  Portfolio portfolio;
  portfolio.periods = 1 + static_cast<int>(unit(random) * 6);
  portfolio.segment_correlation = 0.2 * unit(random);
  const Tier tiers[] = {Tier::kInvest, Tier::kMaintain, Tier::kOpportunistic};
  double expected = 0;
  for (int i = 0; i < partners; ++i) {
    Partner p;
    p.id = absl::StrCat("P", i);
    p.tier = tiers[static_cast<int>(unit(random) * 3)];
    p.baseline_revenue = 1000 + 20'000 * unit(random);
    p.volatility = 0.1 + 0.4 * unit(random);
    p.market_correlation = 0.3 * unit(random);
    const char* segments[] = {"", "a"};
    p.segment = segments[unit(random) < 0.5 ? 1 : 0];
    p.max_lift = unit(random);
    p.half_effort_hours = 2 + 10 * unit(random);
    p.ramp_periods = static_cast<int>(unit(random) * 3);
    p.churn_rate = 0.1 * unit(random);
    if (unit(random) < 0.25) {
      p.revenue_model = RevenueModel::kDeals;
      p.mean_deal_size = p.baseline_revenue / (1 + 3 * unit(random));
    }
    expected += ExpectedPartnerRevenue(portfolio, p, portfolio.tier_policy.HoursFor(p.tier));
    portfolio.partners.push_back(p);
  }
  portfolio.quota = expected * (0.95 + 0.15 * unit(random));
  portfolio.capacity_hours = partners * (2 + 8 * unit(random));
  return portfolio;
}

void ExpectSamePartner(const Partner& a, const Partner& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.tier, b.tier) << a.id;
  EXPECT_EQ(a.baseline_revenue, b.baseline_revenue) << a.id;
  EXPECT_EQ(a.growth_rate, b.growth_rate) << a.id;
  EXPECT_EQ(a.volatility, b.volatility) << a.id;
  EXPECT_EQ(a.market_correlation, b.market_correlation) << a.id;
  EXPECT_EQ(a.segment, b.segment) << a.id;
  EXPECT_EQ(a.max_lift, b.max_lift) << a.id;
  EXPECT_EQ(a.half_effort_hours, b.half_effort_hours) << a.id;
  EXPECT_EQ(a.ramp_periods, b.ramp_periods) << a.id;
  EXPECT_EQ(a.growth_boost, b.growth_boost) << a.id;
  EXPECT_EQ(a.churn_rate, b.churn_rate) << a.id;
  EXPECT_EQ(a.retention_hours, b.retention_hours) << a.id;
  EXPECT_EQ(a.revenue_model, b.revenue_model) << a.id;
  EXPECT_EQ(a.mean_deal_size, b.mean_deal_size) << a.id;
  EXPECT_EQ(a.deal_size_cv, b.deal_size_cv) << a.id;
  EXPECT_EQ(a.hours_override, b.hours_override) << a.id;
  EXPECT_EQ(a.errors.baseline_revenue, b.errors.baseline_revenue) << a.id;
  EXPECT_EQ(a.errors.growth_rate, b.errors.growth_rate) << a.id;
  EXPECT_EQ(a.errors.max_lift, b.errors.max_lift) << a.id;
  EXPECT_EQ(a.errors.churn_rate, b.errors.churn_rate) << a.id;
}

void ExpectSamePortfolio(const Portfolio& a, const Portfolio& b) {
  EXPECT_EQ(a.channel_manager_id, b.channel_manager_id);
  EXPECT_EQ(a.currency, b.currency);
  EXPECT_EQ(a.quota, b.quota);
  EXPECT_EQ(a.periods, b.periods);
  EXPECT_EQ(a.capacity_hours, b.capacity_hours);
  EXPECT_EQ(a.tier_policy.invest_hours, b.tier_policy.invest_hours);
  EXPECT_EQ(a.tier_policy.maintain_hours, b.tier_policy.maintain_hours);
  EXPECT_EQ(a.tier_policy.opportunistic_hours, b.tier_policy.opportunistic_hours);
  EXPECT_EQ(a.seasonality, b.seasonality);
  EXPECT_EQ(a.segment_correlation, b.segment_correlation);
  ASSERT_EQ(a.partners.size(), b.partners.size());
  for (size_t i = 0; i < a.partners.size(); ++i) ExpectSamePartner(a.partners[i], b.partners[i]);
}

void ExpectIdenticalOutcomes(const PlanOutcome& a, const PlanOutcome& b) {
  EXPECT_EQ(a.paths, b.paths);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.attainment_probability, b.attainment_probability);
  EXPECT_EQ(a.attainment_interval.low, b.attainment_interval.low);
  EXPECT_EQ(a.attainment_interval.high, b.attainment_interval.high);
  EXPECT_EQ(a.attainment_estimator, b.attainment_estimator);
  EXPECT_EQ(a.expected_revenue, b.expected_revenue);
  EXPECT_EQ(a.revenue_std_dev, b.revenue_std_dev);
  EXPECT_EQ(a.expected_revenue_std_error, b.expected_revenue_std_error);
  EXPECT_EQ(a.revenue_percentiles, b.revenue_percentiles);
  EXPECT_EQ(a.expected_shortfall, b.expected_shortfall);
  EXPECT_EQ(a.histogram.path_counts, b.histogram.path_counts);
  EXPECT_EQ(a.unassisted_expected_revenue, b.unassisted_expected_revenue);
  ASSERT_EQ(a.periods.size(), b.periods.size());
  for (size_t t = 0; t < a.periods.size(); ++t) {
    EXPECT_EQ(a.periods[t].expected_cumulative_revenue, b.periods[t].expected_cumulative_revenue);
    EXPECT_EQ(a.periods[t].on_track_probability, b.periods[t].on_track_probability);
  }
  ASSERT_EQ(a.partners.size(), b.partners.size());
  for (size_t i = 0; i < a.partners.size(); ++i) {
    EXPECT_EQ(a.partners[i].expected_revenue, b.partners[i].expected_revenue);
    EXPECT_EQ(a.partners[i].unassisted_expected_revenue,
              b.partners[i].unassisted_expected_revenue);
    EXPECT_EQ(a.partners[i].engagement_uplift, b.partners[i].engagement_uplift);
    EXPECT_EQ(a.partners[i].engagement_uplift_interval.low,
              b.partners[i].engagement_uplift_interval.low);
    EXPECT_EQ(a.partners[i].dormancy_probability, b.partners[i].dormancy_probability);
    EXPECT_EQ(a.partners[i].revenue_p10, b.partners[i].revenue_p10);
    EXPECT_EQ(a.partners[i].revenue_p90, b.partners[i].revenue_p90);
  }
}

CalibrationCase MakeCalibrationCase(uint64_t seed, const CalibrationCaseOptions& options) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> normal;
  CalibrationCase c;
  c.truth.periods = options.periods;
  c.truth.segment_correlation = 0.15;
  // Hours a manager gives in a month: none, a touch, a few days' work.
  const double hour_levels[] = {0, 1, 2, 4, 6, 8, 12, 16, 24, 32};
  const char* segments[] = {"north", "south", "east", "west"};
  for (int i = 0; i < options.partners; ++i) {
    Partner p;
    p.id = absl::StrCat("P", i);
    p.segment = segments[i % 4];
    p.baseline_revenue = 50'000 * std::exp(0.5 * normal(random));
    p.growth_rate = -0.01 + 0.04 * unit(random);
    p.volatility = 0.1 + 0.2 * unit(random);
    p.market_correlation = 0.1 + 0.3 * unit(random);
    p.max_lift = options.lift_scale * (0.2 + 0.8 * unit(random));
    p.half_effort_hours = 8;
    p.ramp_periods = 0;
    p.churn_rate = options.churn_rate;
    p.retention_hours = 4;
    std::vector<double> hours(static_cast<size_t>(options.periods));
    const bool varies = unit(random) < options.varying_share;
    size_t level = random() % std::size(hour_levels);
    for (int t = 0; t < options.periods;) {
      const int run = varies ? 2 + static_cast<int>(random() % 5) : options.periods;
      for (int k = 0; k < run && t < options.periods; ++k) {
        hours[static_cast<size_t>(t++)] = hour_levels[level];
      }
      level = (level + 1 + random() % (std::size(hour_levels) - 1)) % std::size(hour_levels);
    }
    const double last = hours.back();
    p.tier = last >= 16 ? Tier::kInvest : last >= 6 ? Tier::kMaintain : Tier::kOpportunistic;
    c.truth.partners.push_back(p);
    c.hours.push_back(std::move(hours));
  }
  c.history = SimulateHistory(c.truth, c.hours, seed);
  return c;
}

}  // namespace attain::testing_support
