// The assumptions of a tornado: which are listed and in what order, the ends of default
// and standard-error ranges, clipping to valid ranges (simple and coupled bounds), and the
// ranges' own validation.
#include "simulator/sensitivity_assumptions.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;
using testing_support::RandomPortfolio;

const AssumptionSpec& Find(const std::vector<AssumptionSpec>& specs, Assumption assumption) {
  for (const AssumptionSpec& spec : specs) {
    if (spec.assumption == assumption) return spec;
  }
  ADD_FAILURE() << "no assumption " << AssumptionName(assumption);
  return specs.front();
}

std::vector<AssumptionSpec> List(const Portfolio& portfolio, const AssumptionRanges& ranges = {}) {
  return ListAssumptions(portfolio, ResolvePlan(portfolio, Plan{}), ranges);
}

TEST(SensitivityAssumptionsTest, ListsSixPortfolioWideThenTheTopPartnersByExpectedRevenue) {
  const Portfolio portfolio = MixedPortfolio();
  AssumptionRanges ranges;
  ranges.top_partners = 3;
  const std::vector<AssumptionSpec> specs = List(portfolio, ranges);
  ASSERT_EQ(specs.size(), 9u);
  const Assumption wide[] = {Assumption::kLift,    Assumption::kHalfEffortHours,
                             Assumption::kChurnRate,  Assumption::kVolatility,
                             Assumption::kGrowthRate, Assumption::kMarketCorrelation};
  for (size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(specs[k].assumption, wide[k]);
    EXPECT_EQ(specs[k].source, RangeSource::kDefaultRange);
  }
  const ResolvedPlan plan = ResolvePlan(portfolio, Plan{});
  double previous = INFINITY;
  for (size_t k = 6; k < specs.size(); ++k) {
    EXPECT_EQ(specs[k].assumption, Assumption::kBaselineRevenue);
    const size_t i = specs[k].partner;
    const double expected = ExpectedPartnerRevenue(portfolio, portfolio.partners[i], plan.hours[i]);
    EXPECT_LE(expected, previous) << "largest expected revenue first";
    previous = expected;
  }
  // No partner left out has more expected revenue than the last one listed.
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    bool listed = false;
    for (size_t k = 6; k < specs.size(); ++k) listed |= specs[k].partner == i;
    if (!listed) {
      EXPECT_LE(ExpectedPartnerRevenue(portfolio, portfolio.partners[i], plan.hours[i]), previous);
    }
  }
}

TEST(SensitivityAssumptionsTest, TopPartnersTiesKeepPortfolioOrderAndStopAtThePortfolioSize) {
  Portfolio portfolio = MixedPortfolio();
  for (Partner& p : portfolio.partners) {  // identical but for the id
    const std::string id = p.id;
    p = portfolio.partners.front();
    p.id = id;
  }
  AssumptionRanges ranges;
  ranges.top_partners = 100;
  const std::vector<AssumptionSpec> specs = List(portfolio, ranges);
  ASSERT_EQ(specs.size(), 6 + portfolio.partners.size());
  for (size_t i = 0; i < portfolio.partners.size(); ++i) EXPECT_EQ(specs[6 + i].partner, i);
  ranges.top_partners = 0;
  EXPECT_EQ(List(portfolio, ranges).size(), 6u);
}

TEST(SensitivityAssumptionsTest, DefaultRangesScaleEveryPartnerAndShiftGrowth) {
  const Portfolio portfolio = MixedPortfolio();
  const AssumptionRanges ranges;
  const std::vector<AssumptionSpec> specs = List(portfolio, ranges);
  const Limits limits;
  const Portfolio lift = PortfolioAtEnd(portfolio, Find(specs, Assumption::kLift),
                                        RangeEnd::kHigh, ranges, limits);
  const Portfolio growth = PortfolioAtEnd(portfolio, Find(specs, Assumption::kGrowthRate),
                                          RangeEnd::kLow, ranges, limits);
  const Portfolio h50 = PortfolioAtEnd(portfolio, Find(specs, Assumption::kHalfEffortHours),
                                       RangeEnd::kLow, ranges, limits);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    EXPECT_DOUBLE_EQ(lift.partners[i].max_lift, p.max_lift * 1.5);
    EXPECT_DOUBLE_EQ(growth.partners[i].growth_rate, p.growth_rate - 0.01);
    EXPECT_DOUBLE_EQ(h50.partners[i].half_effort_hours, p.half_effort_hours * 0.5);
    EXPECT_EQ(lift.partners[i].churn_rate, p.churn_rate) << "other parameters stay";
  }
  EXPECT_EQ(EndSetting(Find(specs, Assumption::kGrowthRate), RangeEnd::kHigh, ranges), 0.01);
  EXPECT_EQ(EndSetting(Find(specs, Assumption::kChurnRate), RangeEnd::kLow, ranges), 0.5);
  EXPECT_DOUBLE_EQ(AssumptionValue(lift, Find(specs, Assumption::kLift)),
                   1.5 * AssumptionValue(portfolio, Find(specs, Assumption::kLift)));

  const AssumptionSpec& top = specs[6];
  const Portfolio baseline = PortfolioAtEnd(portfolio, top, RangeEnd::kLow, ranges, limits);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    EXPECT_DOUBLE_EQ(baseline.partners[i].baseline_revenue,
                     portfolio.partners[i].baseline_revenue * (i == top.partner ? 0.8 : 1.0));
  }
  EXPECT_EQ(AssumptionValue(baseline, top), baseline.partners[top.partner].baseline_revenue);
}

TEST(SensitivityAssumptionsTest, EndsAreClippedToValidRanges) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.segment_correlation = 0.3;
  for (Partner& p : portfolio.partners) {
    p.max_lift = 9;
    p.churn_rate = 0.7;
    p.volatility = 2.5;
    p.market_correlation = 0.6;
    p.growth_rate = -0.995;
  }
  portfolio.partners[0].churn_rate = 0.9995;  // already inside the margin of its bound
  AssumptionRanges ranges;
  ranges.max_lift_factor.high = 2;
  ranges.market_correlation_factor.high = 2;
  const std::vector<AssumptionSpec> specs = List(portfolio, ranges);
  const Limits limits;
  auto at = [&](Assumption a, RangeEnd end) {
    return PortfolioAtEnd(portfolio, Find(specs, a), end, ranges, limits);
  };
  const Portfolio lift = at(Assumption::kLift, RangeEnd::kHigh);
  const Portfolio churn = at(Assumption::kChurnRate, RangeEnd::kHigh);
  const Portfolio volatility = at(Assumption::kVolatility, RangeEnd::kHigh);
  const Portfolio market = at(Assumption::kMarketCorrelation, RangeEnd::kHigh);
  const Portfolio growth = at(Assumption::kGrowthRate, RangeEnd::kLow);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    EXPECT_EQ(lift.partners[i].max_lift, kMaxLift);
    EXPECT_EQ(churn.partners[i].churn_rate, i == 0 ? 0.9995 : 1 - kOpenBoundMargin)
        << "never beyond the bound, nor below the base value";
    EXPECT_EQ(volatility.partners[i].volatility, kMaxVolatility);
    const double rho_s = portfolio.partners[i].segment.empty() ? 0 : 0.3;
    EXPECT_DOUBLE_EQ(market.partners[i].market_correlation, 1 - rho_s - kOpenBoundMargin);
    EXPECT_EQ(growth.partners[i].growth_rate, -1 + kOpenBoundMargin);
  }
  for (const Portfolio* p : {&lift, &churn, &volatility, &market, &growth}) {
    EXPECT_TRUE(ValidatePortfolio(*p, limits).empty());
  }
}

TEST(SensitivityAssumptionsTest, AnEndPastACoupledBoundMovesOnlyAsFarAsStaysValid) {
  Portfolio portfolio;
  portfolio.quota = 1;
  portfolio.periods = 60;
  Partner p;
  p.id = "compounding";
  p.baseline_revenue = 1e12;
  p.growth_rate = 0.11;  // 1e12 * 1.11^59 * 1.3 = 6.2e14: within 1e18
  p.growth_boost = 0;
  portfolio.partners = {p};
  ASSERT_TRUE(ValidatePortfolio(portfolio, Limits()).empty());
  AssumptionRanges ranges;
  ranges.growth_rate_shift = {-0.2, 0.2};  // 1.31^59 * 1.3e12 = 1.1e19: over
  const std::vector<AssumptionSpec> specs = List(portfolio, ranges);
  const Portfolio high = PortfolioAtEnd(portfolio, Find(specs, Assumption::kGrowthRate),
                                        RangeEnd::kHigh, ranges, Limits());
  EXPECT_TRUE(ValidatePortfolio(high, Limits()).empty());
  const double g = high.partners[0].growth_rate;
  EXPECT_GT(g, 0.25) << "moves most of the way";
  EXPECT_LT(g, 0.31);
  const double peak = 1e12 * std::pow(1 + g, 59) * 1.3;
  EXPECT_GT(peak, 0.99e18) << "as far as the bound allows";
}

TEST(SensitivityAssumptionsTest, StandardErrorsGiveNinetyPercentEndsPerPartner) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[0].errors.max_lift = 0.1;
  portfolio.partners[1].errors.max_lift = 0.05;
  portfolio.partners[0].errors.baseline_revenue = 1'000;
  portfolio.partners[1].errors.churn_rate = 0.5;  // clipped at 0 at the low end
  const std::vector<AssumptionSpec> specs = List(portfolio);
  const AssumptionSpec& lift = Find(specs, Assumption::kLift);
  ASSERT_EQ(lift.source, RangeSource::kStandardError);
  EXPECT_EQ(Find(specs, Assumption::kChurnRate).source, RangeSource::kStandardError);
  EXPECT_EQ(Find(specs, Assumption::kHalfEffortHours).source, RangeSource::kDefaultRange);
  EXPECT_EQ(Find(specs, Assumption::kGrowthRate).source, RangeSource::kDefaultRange);
  EXPECT_EQ(EndSetting(lift, RangeEnd::kLow, {}), -kStandardErrorZ);
  EXPECT_EQ(EndSetting(lift, RangeEnd::kHigh, {}), kStandardErrorZ);

  const Limits limits;
  const Portfolio low = PortfolioAtEnd(portfolio, lift, RangeEnd::kLow, {}, limits);
  const Portfolio high = PortfolioAtEnd(portfolio, lift, RangeEnd::kHigh, {}, limits);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    const double se = p.errors.max_lift;
    EXPECT_DOUBLE_EQ(low.partners[i].max_lift, std::max(0.0, p.max_lift - kStandardErrorZ * se));
    EXPECT_DOUBLE_EQ(high.partners[i].max_lift, p.max_lift + kStandardErrorZ * se)
        << "a partner without a standard error keeps its value";
  }
  const Portfolio churn =
      PortfolioAtEnd(portfolio, Find(specs, Assumption::kChurnRate), RangeEnd::kLow, {}, limits);
  EXPECT_EQ(churn.partners[1].churn_rate, 0);

  for (size_t k = 6; k < specs.size(); ++k) {
    EXPECT_EQ(specs[k].source, specs[k].partner == 0 ? RangeSource::kStandardError
                                                     : RangeSource::kDefaultRange);
  }

  AssumptionRanges ignore;
  ignore.use_standard_errors = false;
  for (const AssumptionSpec& spec : List(portfolio, ignore)) {
    EXPECT_EQ(spec.source, RangeSource::kDefaultRange);
  }
}

TEST(SensitivityAssumptionsTest, AStandardErrorLargerThanTheBaselineKeepsItPositive) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[0].errors.baseline_revenue = 10 * portfolio.partners[0].baseline_revenue;
  AssumptionRanges ranges;
  ranges.top_partners = portfolio.partners.size();
  const std::vector<AssumptionSpec> specs = List(portfolio, ranges);
  for (const AssumptionSpec& spec : specs) {
    if (spec.assumption != Assumption::kBaselineRevenue || spec.partner != 0) continue;
    const Portfolio low = PortfolioAtEnd(portfolio, spec, RangeEnd::kLow, ranges, Limits());
    EXPECT_DOUBLE_EQ(low.partners[0].baseline_revenue,
                     kMinBaselineShare * portfolio.partners[0].baseline_revenue);
  }
}

TEST(SensitivityAssumptionsTest, EveryEndOfRandomPortfoliosValidates) {
  std::mt19937_64 random(17);
  AssumptionRanges ranges;
  ranges.max_lift_factor = {0, 3};
  ranges.churn_rate_factor = {0, 10};
  ranges.market_correlation_factor = {0, 5};
  ranges.growth_rate_shift = {-0.5, 0.5};
  for (int round = 0; round < 20; ++round) {
    Portfolio portfolio = RandomPortfolio(random, 12);
    for (Partner& p : portfolio.partners) p.errors = {p.baseline_revenue, 0.3, 0.5, 0.2};
    for (const bool errors : {false, true}) {
      ranges.use_standard_errors = errors;
      for (const AssumptionSpec& spec : List(portfolio, ranges)) {
        for (const RangeEnd end : {RangeEnd::kLow, RangeEnd::kHigh}) {
          const Portfolio at = PortfolioAtEnd(portfolio, spec, end, ranges, Limits());
          EXPECT_TRUE(ValidatePortfolio(at, Limits()).empty())
              << AssumptionName(spec.assumption) << " round " << round;
          EXPECT_TRUE(std::isfinite(AssumptionValue(at, spec)));
        }
      }
    }
  }
}

TEST(SensitivityAssumptionsTest, RangesNameTheirBadFields) {
  EXPECT_TRUE(ValidateRanges({}).empty());
  AssumptionRanges ranges;
  ranges.max_lift_factor = {1.2, 1.5};            // low above 1
  ranges.half_effort_hours_factor = {0, 2};       // must stay > 0
  ranges.growth_rate_shift = {0.01, NAN};         // low above 0, high not finite
  ranges.baseline_revenue_factor = {0.8, 1000};   // high over the limit
  ranges.top_partners = kMaxTopPartners + 1;
  const Violations v = ValidateRanges(ranges);
  std::vector<std::string> fields;
  for (const FieldViolation& f : v) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "max_lift_factor.low", "half_effort_hours_factor.low",
                        "growth_rate_shift.low", "growth_rate_shift.high",
                        "baseline_revenue_factor.high", "top_partners"}));
}

}  // namespace
}  // namespace attain
