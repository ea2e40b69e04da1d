// Tests of simulator/validation.h: one test per rejection rule, each asserting the exact
// field path and that the description names the problem.
#include "simulator/validation.h"

#include <cmath>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A valid 3-partner portfolio: a segment partner, a lognormal partner without segment and
// with an hours override, and a DEALS partner.
Portfolio ValidPortfolio() {
  Portfolio portfolio;
  portfolio.channel_manager_id = "cm-1";
  portfolio.currency = "USD";
  portfolio.quota = 1'000'000;
  portfolio.periods = 4;
  portfolio.capacity_hours = 40;
  portfolio.seasonality = {1.0, 1.1, 0.9, 1.0};
  portfolio.segment_correlation = 0.2;

  Partner a;
  a.id = "A";
  a.tier = Tier::kInvest;
  a.baseline_revenue = 100'000;
  a.growth_rate = 0.01;
  a.segment = "EU";

  Partner b;
  b.id = "B";
  b.tier = Tier::kMaintain;
  b.baseline_revenue = 50'000;
  b.hours_override = 3;

  Partner c;
  c.id = "C";
  c.tier = Tier::kOpportunistic;
  c.baseline_revenue = 20'000;
  c.revenue_model = RevenueModel::kDeals;
  c.mean_deal_size = 5'000;

  portfolio.partners = {a, b, c};
  return portfolio;
}

// Asserts that `violations` holds exactly one violation, on `field`, whose description
// contains every one of `fragments`.
void ExpectOnlyViolation(const Violations& violations, std::string_view field,
                         std::initializer_list<std::string_view> fragments) {
  ASSERT_EQ(violations.size(), 1u) << "expected one violation on " << field << ", got "
                                   << ViolationsToStatus(violations);
  EXPECT_EQ(violations[0].field, field);
  for (const std::string_view fragment : fragments) {
    EXPECT_NE(violations[0].description.find(fragment), std::string::npos)
        << "description \"" << violations[0].description << "\" does not mention \""
        << fragment << "\"";
  }
}

Violations Validate(const Portfolio& portfolio) {
  return ValidatePortfolio(portfolio, Limits());
}

// ---------------------------------------------------------------------------------------
// Valid inputs.

TEST(ValidatePortfolioTest, ValidPortfolioHasNoViolations) {
  EXPECT_TRUE(Validate(ValidPortfolio()).empty()) << ViolationsToStatus(Validate(ValidPortfolio()));
}

TEST(ValidatePortfolioTest, InclusiveUpperLimitsAreAccepted) {
  Portfolio portfolio = ValidPortfolio();
  Partner& p = portfolio.partners[0];
  p.volatility = kMaxVolatility;
  p.max_lift = kMaxLift;
  p.growth_rate = kMaxGrowthRate;
  p.ramp_periods = kMaxRampPeriods;
  p.half_effort_hours = kMaxHours;
  p.retention_hours = kMaxHours;
  p.hours_override = kMaxHours;
  portfolio.partners[1].baseline_revenue = kMaxBaselineRevenue;
  portfolio.partners[1].growth_boost = kMaxGrowthBoost;
  portfolio.partners[2].deal_size_cv = kMaxDealSizeCv;
  portfolio.seasonality[3] = kMaxSeasonality;
  portfolio.tier_policy = {kMaxHours, kMaxHours, kMaxHours};
  portfolio.segment_correlation = 0.5;
  portfolio.partners[0].market_correlation = 0.49;
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
}

TEST(ValidatePortfolioTest, InclusiveLowerLimitsAreAccepted) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.quota = 0;
  portfolio.capacity_hours = 0;
  portfolio.segment_correlation = 0;
  portfolio.tier_policy = {0, 0, 0};
  Partner& p = portfolio.partners[0];
  p.volatility = 0;
  p.market_correlation = 0;
  p.max_lift = 0;
  p.ramp_periods = 0;
  p.growth_boost = 0;
  p.churn_rate = 0;
  p.hours_override = 0;
  p.growth_rate = -0.999;
  portfolio.partners[2].deal_size_cv = 0;
  portfolio.periods = 1;
  portfolio.seasonality = {0.5};
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
}

// ---------------------------------------------------------------------------------------
// Non-finite numbers.

TEST(ValidatePortfolioTest, RejectsNaNBaselineRevenue) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].baseline_revenue = kNaN;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].baseline_revenue", {"finite", "nan"});
}

TEST(ValidatePortfolioTest, RejectsInfiniteVolatility) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].volatility = kInf;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].volatility", {"finite", "inf"});
}

TEST(ValidatePortfolioTest, RejectsNegativeInfiniteGrowthRate) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].growth_rate = -kInf;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].growth_rate", {"finite", "-inf"});
}

TEST(ValidatePortfolioTest, RejectsNaNQuota) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.quota = kNaN;
  ExpectOnlyViolation(Validate(portfolio), "quota", {"finite", "nan"});
}

TEST(ValidatePortfolioTest, RejectsNaNSegmentCorrelation) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.segment_correlation = kNaN;
  ExpectOnlyViolation(Validate(portfolio), "segment_correlation", {"finite", "nan"});
}

TEST(ValidatePortfolioTest, RejectsInfiniteHoursOverride) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].hours_override = kInf;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].hours_override", {"finite", "inf"});
}

// ---------------------------------------------------------------------------------------
// Portfolio-level fields.

TEST(ValidatePortfolioTest, RejectsNegativeQuota) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.quota = -1;
  ExpectOnlyViolation(Validate(portfolio), "quota", {"[0, ", "got -1"});
}

TEST(ValidatePortfolioTest, AcceptsSixtyPeriods) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.periods = 60;
  portfolio.seasonality.clear();
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
}

TEST(ValidatePortfolioTest, RejectsZeroPeriods) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.periods = 0;
  portfolio.seasonality.clear();
  ExpectOnlyViolation(Validate(portfolio), "periods", {"[1, 60]", "got 0"});
}

TEST(ValidatePortfolioTest, Rejects61Periods) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.periods = 61;
  portfolio.seasonality.clear();
  ExpectOnlyViolation(Validate(portfolio), "periods", {"[1, 60]", "got 61"});
}

TEST(ValidatePortfolioTest, PeriodsLimitComesFromLimits) {
  Portfolio portfolio = ValidPortfolio();  // 4 periods
  Limits limits;
  limits.max_periods = 3;
  ExpectOnlyViolation(ValidatePortfolio(portfolio, limits), "periods", {"[1, 3]", "got 4"});
}

TEST(ValidatePortfolioTest, RejectsNegativeCapacityHours) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.capacity_hours = -0.5;
  ExpectOnlyViolation(Validate(portfolio), "capacity_hours", {"got -0.5"});
}

TEST(ValidatePortfolioTest, RejectsNegativeTierPolicyHours) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.tier_policy.maintain_hours = -1;
  ExpectOnlyViolation(Validate(portfolio), "tier_policy.maintain_hours", {"got -1"});
}

TEST(ValidatePortfolioTest, RejectsTierPolicyHoursAboveMaxHours) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.tier_policy.invest_hours = kMaxHours * 2;
  ExpectOnlyViolation(Validate(portfolio), "tier_policy.invest_hours",
                      {"10000]", "got 20000"});
}

TEST(ValidatePortfolioTest, RejectsSeasonalityOfWrongLength) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.seasonality = {1.0, 1.0, 1.0};  // 4 periods
  ExpectOnlyViolation(Validate(portfolio), "seasonality", {"one value per period", "got 3"});
}

TEST(ValidatePortfolioTest, RejectsZeroSeasonalityValue) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.seasonality[2] = 0;
  ExpectOnlyViolation(Validate(portfolio), "seasonality[2]", {"(0, ", "got 0"});
}

TEST(ValidatePortfolioTest, RejectsNegativeSeasonalityValue) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.seasonality[1] = -0.3;
  ExpectOnlyViolation(Validate(portfolio), "seasonality[1]", {"got -0.3"});
}

TEST(ValidatePortfolioTest, RejectsSeasonalityAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.seasonality[0] = kMaxSeasonality * 1.5;
  ExpectOnlyViolation(Validate(portfolio), "seasonality[0]", {"100]", "got 150"});
}

TEST(ValidatePortfolioTest, RejectsSegmentCorrelationOfOne) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.segment_correlation = 1;
  const Violations violations = Validate(portfolio);
  // Partner A is in a segment, so its market_correlation + 1 >= 1 is reported as well.
  ASSERT_EQ(violations.size(), 2u) << ViolationsToStatus(violations);
  EXPECT_EQ(violations[0].field, "segment_correlation");
  EXPECT_NE(violations[0].description.find("[0, 1), got 1"), std::string::npos)
      << violations[0].description;
  EXPECT_EQ(violations[1].field, "partners[0].market_correlation");
}

TEST(ValidatePortfolioTest, RejectsNegativeSegmentCorrelation) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.segment_correlation = -0.1;
  ExpectOnlyViolation(Validate(portfolio), "segment_correlation", {"[0, 1)", "got -0.1"});
}

TEST(ValidatePortfolioTest, RejectsNoPartners) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners.clear();
  ExpectOnlyViolation(Validate(portfolio), "partners", {"at least one partner"});
}

TEST(ValidatePortfolioTest, RejectsTooManyPartners) {
  Portfolio portfolio = ValidPortfolio();  // 3 partners
  Limits limits;
  limits.max_partners = 2;
  ExpectOnlyViolation(ValidatePortfolio(portfolio, limits), "partners",
                      {"has 3 partners", "limit is 2"});
}

TEST(ValidatePortfolioTest, AcceptsPartnerCountAtTheLimit) {
  Limits limits;
  limits.max_partners = 3;
  EXPECT_TRUE(ValidatePortfolio(ValidPortfolio(), limits).empty());
}

// ---------------------------------------------------------------------------------------
// Partner ids.

TEST(ValidatePortfolioTest, RejectsEmptyPartnerId) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].id = "";
  ExpectOnlyViolation(Validate(portfolio), "partners[1].id", {"must not be empty"});
}

TEST(ValidatePortfolioTest, RejectsDuplicatePartnerId) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].id = "A";
  ExpectOnlyViolation(Validate(portfolio), "partners[2].id", {"duplicates", "\"A\""});
}

TEST(ValidatePortfolioTest, RejectsNamesOverTheirLimitWithoutQuotingThem) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].id = std::string(kMaxNameBytes + 1, 'i');
  ExpectOnlyViolation(Validate(portfolio), "partners[1].id", {"257 bytes long", "limit is 256"});
  portfolio = ValidPortfolio();
  portfolio.partners[0].segment = std::string(10'000, 's');
  ExpectOnlyViolation(Validate(portfolio), "partners[0].segment", {"10000 bytes long"});
  portfolio = ValidPortfolio();
  portfolio.currency = std::string(300, 'c');
  ExpectOnlyViolation(Validate(portfolio), "currency", {"300 bytes long"});
  portfolio.currency = std::string(kMaxNameBytes, 'c');
  EXPECT_TRUE(Validate(portfolio).empty());
}

TEST(ValidatePortfolioTest, QuotesOnlyTheStartOfALongDuplicateId) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].id = std::string(kMaxNameBytes, 'a');
  portfolio.partners[2].id = portfolio.partners[0].id;
  const Violations violations = Validate(portfolio);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_LT(violations[0].description.size(), 140u) << violations[0].description;
}

TEST(ValidatePortfolioTest, RejectsGrowthThatCompoundsPastTheRevenueLimit) {
  // 1e12 x 100 x (1 + 10) is at most 1.1e15 without growth; 60 periods of 100% growth
  // (with boost, 200%) compound far past 1e18.
  Portfolio portfolio = ValidPortfolio();
  portfolio.periods = 60;
  portfolio.seasonality.assign(60, kMaxSeasonality);
  Partner& p = portfolio.partners[1];
  p.baseline_revenue = kMaxBaselineRevenue;
  p.max_lift = kMaxLift;
  p.growth_rate = kMaxGrowthRate;
  p.growth_boost = kMaxGrowthBoost;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].growth_rate",
                      {"per period at full engagement", "limit of 1e+18", "growth_boost"});
  // Just below the limit: accepted.
  p.growth_boost = 0;
  p.growth_rate = std::pow(0.99e18 / (kMaxBaselineRevenue * kMaxSeasonality * (1 + kMaxLift)),
                           1.0 / 59) - 1;
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
  p.growth_rate += 0.01;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].growth_rate", {"limit of 1e+18"});
}

// ---------------------------------------------------------------------------------------
// Partner table: one test per field and bound.

TEST(ValidatePartnerTest, RejectsZeroBaselineRevenue) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].baseline_revenue = 0;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].baseline_revenue", {"(0, ", "got 0"});
}

TEST(ValidatePartnerTest, RejectsNegativeBaselineRevenue) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].baseline_revenue = -5;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].baseline_revenue", {"got -5"});
}

TEST(ValidatePartnerTest, RejectsBaselineRevenueAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].baseline_revenue = kMaxBaselineRevenue * 2;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].baseline_revenue",
                      {"1e+12]", "got 2e+12"});
}

TEST(ValidatePartnerTest, RejectsGrowthRateOfMinusOne) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].growth_rate = -1;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].growth_rate", {"(-1, ", "got -1"});
}

TEST(ValidatePartnerTest, RejectsGrowthRateAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].growth_rate = kMaxGrowthRate + 0.5;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].growth_rate", {"1]", "got 1.5"});
}

TEST(ValidatePartnerTest, RejectsNegativeVolatility) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].volatility = -0.1;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].volatility", {"[0, ", "got -0.1"});
}

TEST(ValidatePartnerTest, RejectsVolatilityAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].volatility = kMaxVolatility + 1;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].volatility", {"3]", "got 4"});
}

TEST(ValidatePartnerTest, RejectsNegativeMarketCorrelation) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].market_correlation = -0.01;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].market_correlation",
                      {"[0, 1)", "got -0.01"});
}

TEST(ValidatePartnerTest, RejectsMarketCorrelationOfOne) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].market_correlation = 1;  // B has no segment
  ExpectOnlyViolation(Validate(portfolio), "partners[1].market_correlation",
                      {"[0, 1)", "got 1"});
}

TEST(ValidatePartnerTest, RejectsMarketPlusSegmentCorrelationOfOneInASegment) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.segment_correlation = 0.5;
  portfolio.partners[0].market_correlation = 0.5;  // A is in segment "EU": 0.5 + 0.5 = 1
  ExpectOnlyViolation(Validate(portfolio), "partners[0].market_correlation",
                      {"segment_correlation", "< 1", "got 0.5"});
}

TEST(ValidatePartnerTest, RejectsMarketPlusSegmentCorrelationAboveOneInASegment) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.segment_correlation = 0.4;
  portfolio.partners[0].market_correlation = 0.9;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].market_correlation",
                      {"segment_correlation (0.4)", "got 0.9"});
}

TEST(ValidatePartnerTest, AcceptsMarketPlusSegmentCorrelationAboveOneWithoutSegment) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.segment_correlation = 0.5;
  portfolio.partners[1].market_correlation = 0.9;  // B has no segment
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
}

TEST(ValidatePartnerTest, RejectsNegativeMaxLift) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].max_lift = -0.2;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].response.max_lift",
                      {"[0, ", "got -0.2"});
}

TEST(ValidatePartnerTest, RejectsMaxLiftAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].max_lift = kMaxLift + 1;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].response.max_lift",
                      {"10]", "got 11"});
}

TEST(ValidatePartnerTest, RejectsZeroHalfEffortHours) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].half_effort_hours = 0;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].response.half_effort_hours",
                      {"(0, ", "got 0"});
}

TEST(ValidatePartnerTest, RejectsHalfEffortHoursAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].half_effort_hours = kMaxHours + 1;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].response.half_effort_hours",
                      {"10000]", "got 10001"});
}

TEST(ValidatePartnerTest, RejectsNegativeRampPeriods) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].ramp_periods = -1;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].response.ramp_periods",
                      {"[0, 1000]", "got -1"});
}

TEST(ValidatePartnerTest, RejectsRampPeriodsAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].ramp_periods = kMaxRampPeriods + 1;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].response.ramp_periods",
                      {"[0, 1000]", "got 1001"});
}

TEST(ValidatePartnerTest, RejectsNegativeGrowthBoost) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].growth_boost = -0.01;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].response.growth_boost",
                      {"[0, ", "got -0.01"});
}

TEST(ValidatePartnerTest, RejectsGrowthBoostAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].growth_boost = kMaxGrowthBoost * 2;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].response.growth_boost",
                      {"1]", "got 2"});
}

TEST(ValidatePartnerTest, RejectsNegativeChurnRate) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].churn_rate = -0.02;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].retention.churn_rate",
                      {"[0, 1)", "got -0.02"});
}

TEST(ValidatePartnerTest, RejectsChurnRateOfOne) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].churn_rate = 1;
  ExpectOnlyViolation(Validate(portfolio), "partners[1].retention.churn_rate",
                      {"[0, 1)", "got 1"});
}

TEST(ValidatePartnerTest, RejectsZeroRetentionHours) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].retention_hours = 0;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].retention.retention_hours",
                      {"(0, ", "got 0"});
}

TEST(ValidatePartnerTest, RejectsRetentionHoursAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].retention_hours = kMaxHours * 3;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].retention.retention_hours",
                      {"10000]", "got 30000"});
}

TEST(ValidatePartnerTest, RejectsNegativeHoursOverride) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].hours_override = -2;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].hours_override", {"[0, ", "got -2"});
}

TEST(ValidatePartnerTest, RejectsHoursOverrideAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].hours_override = kMaxHours + 0.5;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].hours_override",
                      {"10000]", "got 10000.5"});
}

TEST(ValidatePartnerTest, RejectsNegativeDealSizeCv) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].deal_size_cv = -0.5;  // C uses the deals model
  ExpectOnlyViolation(Validate(portfolio), "partners[2].deals.deal_size_cv",
                      {"[0, ", "got -0.5"});
}

TEST(ValidatePartnerTest, RejectsDealSizeCvAboveMax) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].deal_size_cv = kMaxDealSizeCv + 1;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].deals.deal_size_cv",
                      {"10]", "got 11"});
}

TEST(ValidatePartnerTest, RejectsDealsWithoutMeanDealSize) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].mean_deal_size = 0;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].deals.mean_deal_size",
                      {"required", "deals"});
}

TEST(ValidatePartnerTest, RejectsNegativeMeanDealSize) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].mean_deal_size = -100;
  ExpectOnlyViolation(Validate(portfolio), "partners[2].deals.mean_deal_size",
                      {"(0, ", "got -100"});
}

TEST(ValidatePartnerTest, LognormalPartnerNeedsNoMeanDealSize) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].revenue_model = RevenueModel::kLognormal;
  portfolio.partners[2].mean_deal_size = 0;
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
}

// Most expected deals per period at saturating engagement: b * max_t((1+g+gamma)^(t-1) s_t)
// * (1 + L) / m. Partner C: b = 20000, g = gamma = 0, max s_t = 1.1, L = 0.3.
TEST(ValidatePartnerTest, RejectsTooManyExpectedDealsPerPeriod) {
  Portfolio portfolio = ValidPortfolio();
  Limits limits;
  limits.max_expected_deals_per_period = 100;
  const double deals = 20'000 * 1.1 * 1.3 / 200;  // 143 > 100
  portfolio.partners[2].mean_deal_size = 200;
  ASSERT_GT(deals, limits.max_expected_deals_per_period);
  ExpectOnlyViolation(ValidatePortfolio(portfolio, limits), "partners[2].deals.mean_deal_size",
                      {"too small", "143", "limit is 100"});
}

TEST(ValidatePartnerTest, AcceptsExpectedDealsJustUnderTheLimit) {
  Portfolio portfolio = ValidPortfolio();
  Limits limits;
  limits.max_expected_deals_per_period = 100;
  portfolio.partners[2].mean_deal_size = 20'000 * 1.1 * 1.3 / 99;  // 99 deals
  EXPECT_TRUE(ValidatePortfolio(portfolio, limits).empty())
      << ViolationsToStatus(ValidatePortfolio(portfolio, limits));
}

TEST(ValidatePartnerTest, ExpectedDealsUseTheDefaultLimit) {
  Portfolio portfolio = ValidPortfolio();
  // 20000 * 1.1 * 1.3 / 2 = 14300 expected deals > Limits().max_expected_deals_per_period.
  portfolio.partners[2].mean_deal_size = 2;
  ASSERT_EQ(Limits().max_expected_deals_per_period, 10'000);
  ExpectOnlyViolation(Validate(portfolio), "partners[2].deals.mean_deal_size",
                      {"too small", "14300", "limit is 10000"});
}

TEST(ValidatePartnerTest, ExpectedDealsIncludeGrowthAndGrowthBoost) {
  Portfolio portfolio = ValidPortfolio();
  Limits limits;
  limits.max_expected_deals_per_period = 100;
  Partner& c = portfolio.partners[2];
  // Without growth: 20000 * 1.1 * 1.3 / 300 = 95.3 deals (accepted). With g + gamma = 0.2,
  // period 4 has 1.2^3 * 1.0 = 1.728 > 1.1, so 20000 * 1.728 * 1.3 / 300 = 149.8 deals.
  c.mean_deal_size = 300;
  ASSERT_TRUE(ValidatePortfolio(portfolio, limits).empty());
  c.growth_rate = 0.1;
  c.growth_boost = 0.1;
  ExpectOnlyViolation(ValidatePortfolio(portfolio, limits), "partners[2].deals.mean_deal_size",
                      {"too small", "149.76"});
}

// ---------------------------------------------------------------------------------------
// Standard errors (Partner::errors).

TEST(ValidatePartnerTest, AcceptsStandardErrorsAtTheirLimits) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[2].errors = {kMaxBaselineRevenue, kMaxGrowthRate, kMaxLift, 1};
  EXPECT_TRUE(Validate(portfolio).empty()) << ViolationsToStatus(Validate(portfolio));
}

TEST(ValidatePartnerTest, RejectsNegativeStandardErrorsNamingEachField) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].errors = {-1, -0.01, -0.1, -0.02};
  const Violations violations = Validate(portfolio);
  ASSERT_EQ(violations.size(), 4u) << ViolationsToStatus(violations);
  EXPECT_EQ(violations[0].field, "partners[1].errors.baseline_revenue");
  EXPECT_EQ(violations[1].field, "partners[1].errors.growth_rate");
  EXPECT_EQ(violations[2].field, "partners[1].errors.max_lift");
  EXPECT_EQ(violations[3].field, "partners[1].errors.churn_rate");
  EXPECT_NE(violations[2].description.find("got -0.1"), std::string::npos);
}

TEST(ValidatePartnerTest, RejectsNonFiniteStandardErrors) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].errors.max_lift = kNaN;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].errors.max_lift", {"finite"});
  portfolio.partners[0].errors.max_lift = 0;
  portfolio.partners[0].errors.baseline_revenue = kInf;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].errors.baseline_revenue", {"finite"});
}

TEST(ValidatePartnerTest, RejectsStandardErrorsBeyondTheirParametersRange) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[0].errors.baseline_revenue = 2e12;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].errors.baseline_revenue",
                      {"1e+12]", "got 2e+12"});
  portfolio.partners[0].errors.baseline_revenue = 0;
  portfolio.partners[0].errors.growth_rate = 1.5;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].errors.growth_rate", {"got 1.5"});
  portfolio.partners[0].errors.growth_rate = 0;
  portfolio.partners[0].errors.max_lift = 11;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].errors.max_lift", {"got 11"});
  portfolio.partners[0].errors.max_lift = 0;
  portfolio.partners[0].errors.churn_rate = 1.01;
  ExpectOnlyViolation(Validate(portfolio), "partners[0].errors.churn_rate", {"got 1.01"});
}

// ---------------------------------------------------------------------------------------
// Plans.

TEST(ValidatePlanTest, ValidPlanHasNoViolations) {
  Plan plan;
  plan.name = "invest in B";
  plan.tiers = {{"B", Tier::kInvest}, {"C", Tier::kMaintain}};
  plan.hours = {{"A", 0}, {"C", kMaxHours}};
  EXPECT_TRUE(ValidatePlan(ValidPortfolio(), plan).empty());
}

TEST(ValidatePlanTest, RejectsUnknownPartnerInTiers) {
  Plan plan;
  plan.tiers = {{"A", Tier::kInvest}, {"X", Tier::kMaintain}};
  ExpectOnlyViolation(ValidatePlan(ValidPortfolio(), plan), "tiers[\"X\"]",
                      {"names no partner"});
}

TEST(ValidatePlanTest, QuotesOnlyTheStartOfALongUnknownId) {
  Plan plan;
  plan.tiers = {{std::string(100'000, 'x'), Tier::kInvest}};
  const Violations violations = ValidatePlan(ValidPortfolio(), plan);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "tiers[\"" + std::string(64, 'x') + "...\"]");
}

TEST(ValidatePlanTest, RejectsUnknownPartnerInHours) {
  Plan plan;
  plan.hours = {{"X", 4}};
  ExpectOnlyViolation(ValidatePlan(ValidPortfolio(), plan), "hours[\"X\"]",
                      {"names no partner"});
}

TEST(ValidatePlanTest, RejectsNegativeHours) {
  Plan plan;
  plan.hours = {{"B", -1}};
  ExpectOnlyViolation(ValidatePlan(ValidPortfolio(), plan), "hours[\"B\"]", {"[0, ", "got -1"});
}

TEST(ValidatePlanTest, RejectsHoursAboveMax) {
  Plan plan;
  plan.hours = {{"B", kMaxHours + 1}};
  ExpectOnlyViolation(ValidatePlan(ValidPortfolio(), plan), "hours[\"B\"]", {"got 10001"});
}

TEST(ValidatePlanTest, RejectsNaNHours) {
  Plan plan;
  plan.hours = {{"C", kNaN}};
  ExpectOnlyViolation(ValidatePlan(ValidPortfolio(), plan), "hours[\"C\"]", {"finite", "nan"});
}

// ---------------------------------------------------------------------------------------
// Options.

TEST(ValidateOptionsTest, DefaultOptionsAreValid) {
  EXPECT_TRUE(ValidateOptions(SimulationOptions(), Limits()).empty());
}

TEST(ValidateOptionsTest, AcceptsPathsAtTheLimitAndATarget) {
  SimulationOptions options;
  options.paths = Limits().max_paths;
  options.target_ci_half_width = 0.01;
  options.max_paths = Limits().max_paths;
  EXPECT_TRUE(ValidateOptions(options, Limits()).empty())
      << ViolationsToStatus(ValidateOptions(options, Limits()));
}

TEST(ValidateOptionsTest, RejectsZeroPaths) {
  SimulationOptions options;
  options.paths = 0;
  ExpectOnlyViolation(ValidateOptions(options, Limits()), "paths", {"[1, 10000000]", "got 0"});
}

TEST(ValidateOptionsTest, RejectsPathsOverTheLimit) {
  SimulationOptions options;
  Limits limits;
  limits.max_paths = 1000;
  options.paths = 1001;
  ExpectOnlyViolation(ValidateOptions(options, limits), "paths", {"[1, 1000]", "got 1001"});
}

TEST(ValidateOptionsTest, RejectsNegativeTargetHalfWidth) {
  SimulationOptions options;
  options.target_ci_half_width = -0.01;
  ExpectOnlyViolation(ValidateOptions(options, Limits()), "target_ci_half_width",
                      {"[0, 0.5)", "got -0.01"});
}

TEST(ValidateOptionsTest, RejectsTargetHalfWidthOfOneHalf) {
  SimulationOptions options;
  options.target_ci_half_width = 0.5;
  ExpectOnlyViolation(ValidateOptions(options, Limits()), "target_ci_half_width",
                      {"[0, 0.5)", "got 0.5"});
}

TEST(ValidateOptionsTest, RejectsNaNTargetHalfWidth) {
  SimulationOptions options;
  options.target_ci_half_width = kNaN;
  ExpectOnlyViolation(ValidateOptions(options, Limits()), "target_ci_half_width",
                      {"finite", "nan"});
}

TEST(ValidateOptionsTest, RejectsMaxPathsBelowPathsWithATarget) {
  SimulationOptions options;
  options.paths = 5000;
  options.max_paths = 4000;
  options.target_ci_half_width = 0.01;
  ExpectOnlyViolation(ValidateOptions(options, Limits()), "max_paths",
                      {"at least paths (5000)", "got 4000"});
}

TEST(ValidateOptionsTest, IgnoresMaxPathsWithoutATarget) {
  SimulationOptions options;
  options.paths = 5000;
  options.max_paths = 4000;
  EXPECT_TRUE(ValidateOptions(options, Limits()).empty());
}

TEST(ValidateOptionsTest, RejectsMaxPathsOverTheLimitWithATarget) {
  SimulationOptions options;
  Limits limits;
  limits.max_paths = 100'000;
  options.paths = 1000;
  options.max_paths = 200'000;
  options.target_ci_half_width = 0.01;
  ExpectOnlyViolation(ValidateOptions(options, limits), "max_paths",
                      {"at most 100000", "got 200000"});
}

// ---------------------------------------------------------------------------------------
// Violations and ViolationsToStatus.

TEST(ViolationsTest, AppendPrefixesEveryFieldAndKeepsExistingEntries) {
  Violations to = {{"portfolio.quota", "must be >= 0"}};
  to.Append("plans[1]", {{"tiers[\"P7\"]", "names no partner"}, {"hours[\"Q\"]", "x"}});
  ASSERT_EQ(to.size(), 3u);
  EXPECT_EQ(to[0].field, "portfolio.quota");
  EXPECT_EQ(to[1].field, "plans[1].tiers[\"P7\"]");
  EXPECT_EQ(to[1].description, "names no partner");
  EXPECT_EQ(to[2].field, "plans[1].hours[\"Q\"]");
  EXPECT_EQ(to[2].description, "x");
}

TEST(ViolationsTest, NestedFieldsJoinPathsAsTheyAreWritten) {
  EXPECT_EQ(NestedField("portfolio", "quota"), "portfolio.quota");
  EXPECT_EQ(NestedField("plans", ""), "plans");
  EXPECT_EQ(NestedField("locked_partner_ids", "[3]"), "locked_partner_ids[3]");
  EXPECT_EQ(NestedField("", "max_changes"), "max_changes");
}

TEST(ValidateRunTest, EachInputIsCheckedRelativeToItselfAndNamedByTheCaller) {
  Portfolio portfolio = ValidPortfolio();
  portfolio.partners[1].volatility = -1;
  SimulationOptions options;
  options.paths = 0;
  Plan plan;
  plan.tiers = {{"X", Tier::kInvest}};
  RunViolations run = ValidateRun(portfolio, std::vector<Plan>{plan}, options, Limits());
  ASSERT_EQ(run.portfolio.size(), 1u);
  EXPECT_EQ(run.portfolio[0].field, "partners[1].volatility");
  EXPECT_TRUE(run.plans.empty()) << "plans are checked against a valid portfolio only";
  ASSERT_EQ(run.options.size(), 1u);
  EXPECT_EQ(run.options[0].field, "paths");
  const Violations named = run.Under("portfolio", "plan", [](size_t) { return "plan"; }, "options");
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].field, "portfolio.partners[1].volatility");
  EXPECT_EQ(named[1].field, "options.paths");

  run = ValidateRun(ValidPortfolio(), std::vector<Plan>{Plan{}, plan}, SimulationOptions{},
                    Limits());
  ASSERT_EQ(run.plans.size(), 2u);
  const Violations plans = run.Under("portfolio", "plans",
                                     [](size_t k) { return absl::StrCat("plans[", k, "]"); },
                                     "options");
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].field, "plans[1].tiers[\"X\"]");

  Limits two;
  two.max_plans = 2;
  run = ValidateRun(ValidPortfolio(), std::vector<Plan>(3), SimulationOptions{}, two);
  const Violations list = run.Under("portfolio", "plans", [](size_t) { return ""; }, "options");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].field, "plans");
  EXPECT_EQ(list[0].description, "has 3 plans, the limit is 2");
}

TEST(ViolationsTest, KeepsTheFirstHundredAndCountsTheRest) {
  Violations violations;
  for (int i = 0; i < 250; ++i) violations.Add(absl::StrCat("partners[", i, "].id"), "empty");
  EXPECT_EQ(violations.size(), 250u);
  EXPECT_EQ(violations.unlisted(), 250u - kMaxListedViolations);
  EXPECT_EQ(std::distance(violations.begin(), violations.end()),
            static_cast<ptrdiff_t>(kMaxListedViolations));
  EXPECT_EQ(violations[kMaxListedViolations - 1].field, "partners[99].id");

  Violations outer = {{"quota", "negative"}};
  outer.Append("portfolio", violations);
  EXPECT_EQ(outer.size(), 251u);
  EXPECT_EQ(outer[1].field, "portfolio.partners[0].id");
  EXPECT_EQ(outer.unlisted(), 251u - kMaxListedViolations);
}

TEST(ViolationsToStatusTest, AMessageListsViolationsWithinItsBudgetThenCountsTheRest) {
  Violations violations;
  for (int i = 0; i < 10'000; ++i) {
    violations.Add(absl::StrCat("partners[", i, "].baseline_revenue"),
                   "must be in (0, 1e+12], got 0");
  }
  const std::string message = ViolationsMessage(violations);
  const size_t listed = ViolationsToList(violations);
  EXPECT_GE(listed, 10u);
  EXPECT_LE(message.size(), kViolationsMessageBytes + 64);
  EXPECT_NE(message.find("partners[0].baseline_revenue: must be in (0, 1e+12], got 0; "),
            std::string::npos);
  EXPECT_NE(message.find(absl::StrCat("; and ", 10'000 - listed, " more")), std::string::npos)
      << message;
}

TEST(ViolationsToStatusTest, AnOverlongViolationIsStillListed) {
  const Violations violations = {{"quota", std::string(5000, 'x')}, {"periods", "zero"}};
  EXPECT_EQ(ViolationsToList(violations), 1u);
  EXPECT_EQ(ViolationsMessage(violations), "quota: " + std::string(5000, 'x') + "; and 1 more");
}

TEST(QuoteForMessageTest, QuotesShortTextAndCutsLongText) {
  EXPECT_EQ(QuoteForMessage("P7"), "\"P7\"");
  const std::string quoted = QuoteForMessage(std::string(1'000'000, 'a'));
  EXPECT_EQ(quoted, "\"" + std::string(64, 'a') + "...\"");
}

TEST(ViolationsToStatusTest, OkWithoutViolations) {
  EXPECT_TRUE(ViolationsToStatus({}).ok());
}

TEST(ViolationsToStatusTest, InvalidArgumentListingEveryViolation) {
  const absl::Status status =
      ViolationsToStatus({{"periods", "must be in [1, 60], got 0"}, {"partners", "empty"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "periods: must be in [1, 60], got 0; partners: empty");
}

TEST(ViolationsToStatusTest, SingleViolationHasNoSeparator) {
  const absl::Status status = ViolationsToStatus({{"quota", "must be finite"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "quota: must be finite");
}

}  // namespace
}  // namespace attain
