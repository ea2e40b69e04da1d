// Sanity warnings: each fires on the input that should trip it, and a sane portfolio
// gets none.
#include "simulator/sanity.h"

#include <gtest/gtest.h>

namespace attain {
namespace {

Partner SetPartner(std::string id, double baseline) {
  Partner p;
  p.id = std::move(id);
  p.tier = Tier::kMaintain;
  p.baseline_revenue = baseline;
  p.churn_rate = 0;  // unassisted revenue is then exactly baseline x periods
  return p;
}

// Four months of two partners selling 100,000 a month each unassisted, 6 hours each:
// 800,000 unassisted against a quota of 900,000, every parameter set.
Portfolio SanePortfolio() {
  Portfolio portfolio;
  portfolio.quota = 900'000;
  portfolio.periods = 4;
  portfolio.capacity_hours = 20;
  portfolio.partners = {SetPartner("a", 100'000), SetPartner("b", 100'000)};
  return portfolio;
}

std::vector<SanityWarning> Check(const Portfolio& portfolio, const Plan& plan = {}) {
  const ResolvedPlan resolved = ResolvePlan(portfolio, plan);
  return CheckSanity(portfolio, {&resolved, 1});
}

using WarningCodes = std::vector<WarningCode>;

// The codes of `warnings`, in order.
WarningCodes Codes(const std::vector<SanityWarning>& warnings) {
  WarningCodes codes;
  for (const SanityWarning& warning : warnings) codes.push_back(warning.code);
  return codes;
}

TEST(Sanity, SanePortfolioHasNoWarnings) { EXPECT_TRUE(Check(SanePortfolio()).empty()); }

TEST(Sanity, AnnualBaselineEnteredPerPeriodIsFarAboveQuota) {
  Portfolio portfolio = SanePortfolio();
  for (Partner& p : portfolio.partners) p.baseline_revenue *= 12;  // a year's revenue
  const std::vector<SanityWarning> warnings = Check(portfolio);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, WarningCode::kUnassistedFarAboveQuota);
  EXPECT_EQ(warnings[0].field, "partners[*].baseline_revenue");
  EXPECT_DOUBLE_EQ(warnings[0].value, 9'600'000);
  EXPECT_DOUBLE_EQ(warnings[0].reference, 900'000);
}

TEST(Sanity, FarFromQuotaStartsBeyondThreeTimes) {
  Portfolio portfolio = SanePortfolio();
  portfolio.quota = 800'000 / kFarFromQuotaRatio;  // exactly 3x: not yet
  EXPECT_TRUE(Check(portfolio).empty());
  portfolio.quota *= 0.999;
  EXPECT_EQ(Codes(Check(portfolio)), WarningCodes{WarningCode::kUnassistedFarAboveQuota});
  portfolio.quota = 800'000 * kFarFromQuotaRatio;  // exactly a third: not yet
  EXPECT_TRUE(Check(portfolio).empty());
  portfolio.quota *= 1.001;
  EXPECT_EQ(Codes(Check(portfolio)), WarningCodes{WarningCode::kUnassistedFarBelowQuota});
}

TEST(Sanity, ZeroQuotaIsFarBelowWhatPartnersSell) {
  Portfolio portfolio = SanePortfolio();
  portfolio.quota = 0;
  EXPECT_EQ(Codes(Check(portfolio)), WarningCodes{WarningCode::kUnassistedFarAboveQuota});
}

TEST(Sanity, ZeroCapacityWithHoursIsSaidOnceNotAsOverCapacity) {
  Portfolio portfolio = SanePortfolio();
  portfolio.capacity_hours = 0;
  Plan other;
  other.name = "other";
  const ResolvedPlan plans[] = {ResolvePlan(portfolio, {}), ResolvePlan(portfolio, other)};
  const std::vector<SanityWarning> warnings = CheckSanity(portfolio, plans);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, WarningCode::kNoCapacity);
  EXPECT_EQ(warnings[0].field, "capacity_hours");
  EXPECT_DOUBLE_EQ(warnings[0].value, 12);
}

TEST(Sanity, ZeroCapacityWithoutHoursIsFine) {
  Portfolio portfolio = SanePortfolio();
  portfolio.capacity_hours = 0;
  for (Partner& p : portfolio.partners) p.hours_override = 0;
  EXPECT_TRUE(Check(portfolio).empty());
}

TEST(Sanity, EachPlanOverCapacityIsNamed) {
  Portfolio portfolio = SanePortfolio();
  portfolio.capacity_hours = 12;  // the current tiers fit exactly
  Plan invest;
  invest.name = "invest in a";
  invest.tiers["a"] = Tier::kInvest;
  const ResolvedPlan plans[] = {ResolvePlan(portfolio, {}), ResolvePlan(portfolio, invest)};
  const std::vector<SanityWarning> warnings = CheckSanity(portfolio, plans);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, WarningCode::kOverCapacity);
  EXPECT_EQ(warnings[0].plan_name, "invest in a");
  EXPECT_DOUBLE_EQ(warnings[0].value, 22);
  EXPECT_DOUBLE_EQ(warnings[0].reference, 12);
}

TEST(Sanity, MostResponseParametersAtDefaultsIsSaid) {
  Portfolio portfolio = SanePortfolio();
  // Half of the 8 parameters defaulted: not "most".
  portfolio.partners[0].defaulted = {true, true, true, true};
  EXPECT_TRUE(Check(portfolio).empty());
  portfolio.partners[1].defaulted.max_lift = true;
  const std::vector<SanityWarning> warnings = Check(portfolio);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].code, WarningCode::kRestsOnDefaults);
  EXPECT_EQ(warnings[0].count, 5);
  EXPECT_EQ(warnings[0].total, 8);
}

}  // namespace
}  // namespace attain
