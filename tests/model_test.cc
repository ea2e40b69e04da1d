// Tests of simulator/model.h against hand-computed values of the model:
//   f(h) = h / (h + h50), ramp_t = min(1, t / r) (1 when r = 0), l_t = L f(h) ramp_t,
//   g_eff = g + gamma f(h), mu_t = b (1 + g_eff)^(t-1) s_t (1 + l_t), q = c hr / (hr + h).
#include "simulator/model.h"

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

// Relative comparison for values computed in a different order than the library does.
void ExpectClose(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::abs(expected)) << what;
}

void ExpectMeans(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    ExpectClose(actual[i], expected[i], "mu_" + std::to_string(i + 1));
  }
}

Portfolio FourPeriods() {
  Portfolio portfolio;
  portfolio.periods = 4;
  portfolio.seasonality = {1.0, 1.2, 0.8, 1.0};
  return portfolio;
}

// b = 1000, g = 0.05, L = 0.4, h50 = 8, r = 2, gamma = 0.02, c = 0.1, hr = 4.
Partner HandPartner() {
  Partner p;
  p.id = "P";
  p.baseline_revenue = 1000;
  p.growth_rate = 0.05;
  p.max_lift = 0.4;
  p.half_effort_hours = 8;
  p.ramp_periods = 2;
  p.growth_boost = 0.02;
  p.churn_rate = 0.1;
  p.retention_hours = 4;
  return p;
}

TEST(ComputeEngagementEffectTest, MatchesHandComputedValues) {
  // h = 8: f = 0.5, g_eff = 0.05 + 0.02 * 0.5 = 0.06; ramp 0.5, 1, 1, 1;
  // lift 0.4 * 0.5 * ramp = 0.1, 0.2, 0.2, 0.2; q = 0.1 * 4 / 12.
  const EngagementEffect effect = ComputeEngagementEffect(FourPeriods(), HandPartner(), 8);
  ExpectMeans(effect.mean_revenue, {
                                       1000 * 1.0 * 1.0 * 1.1,            // 1100
                                       1000 * 1.06 * 1.2 * 1.2,           // 1526.4
                                       1000 * 1.1236 * 0.8 * 1.2,         // 1078.656
                                       1000 * 1.191016 * 1.0 * 1.2,       // 1429.2192
                                   });
  ExpectClose(effect.churn_hazard, 0.4 / 12, "q");
}

TEST(ComputeEngagementEffectTest, ZeroHoursHasNoLiftNoBoostAndFullChurn) {
  const EngagementEffect effect = ComputeEngagementEffect(FourPeriods(), HandPartner(), 0);
  ExpectMeans(effect.mean_revenue, {1000, 1000 * 1.05 * 1.2, 1000 * 1.1025 * 0.8,
                                    1000 * 1.157625});
  EXPECT_EQ(effect.churn_hazard, 0.1);
}

TEST(ComputeEngagementEffectTest, ZeroRampPeriodsGivesTheFullLiftImmediately) {
  Partner p = HandPartner();
  p.ramp_periods = 0;
  const EngagementEffect effect = ComputeEngagementEffect(FourPeriods(), p, 8);
  ExpectClose(effect.mean_revenue[0], 1000 * 1.2, "mu_1");
  ExpectClose(effect.mean_revenue[1], 1000 * 1.06 * 1.2 * 1.2, "mu_2");
}

TEST(ComputeEngagementEffectTest, RampIsLinearUntilRampPeriods) {
  Partner p = HandPartner();
  p.ramp_periods = 3;
  p.growth_rate = 0;
  p.growth_boost = 0;
  Portfolio portfolio = FourPeriods();
  portfolio.seasonality.clear();
  // h = 24: f = 0.75, full lift 0.3; ramp 1/3, 2/3, 1, 1.
  const EngagementEffect effect = ComputeEngagementEffect(portfolio, p, 24);
  ExpectMeans(effect.mean_revenue, {1100, 1200, 1300, 1300});
  ExpectClose(effect.churn_hazard, 0.1 * 4 / 28, "q");
}

TEST(ComputeEngagementEffectTest, NoSeasonalityMeansAllOnes) {
  Portfolio portfolio = FourPeriods();
  portfolio.seasonality.clear();
  Partner p = HandPartner();
  p.max_lift = 0;
  p.growth_boost = 0;
  const EngagementEffect effect = ComputeEngagementEffect(portfolio, p, 8);
  ExpectMeans(effect.mean_revenue, {1000, 1050, 1102.5, 1157.625});
}

TEST(ComputeEngagementEffectTest, OneEntryPerPeriod) {
  Portfolio portfolio;
  portfolio.periods = 60;
  EXPECT_EQ(ComputeEngagementEffect(portfolio, HandPartner(), 1).mean_revenue.size(), 60u);
}

TEST(ExpectedPartnerRevenueTest, IsTheSumOfMeansTimesSurvival) {
  // The means of MatchesHandComputedValues, with survival (1 - q)^t.
  const std::vector<double> mu = {1100, 1526.4, 1078.656, 1429.2192};
  const double q = 0.1 * 4 / (4 + 8);
  double expected = 0;
  for (size_t t = 1; t <= mu.size(); ++t) {
    expected += mu[t - 1] * std::pow(1 - q, static_cast<double>(t));
  }
  ExpectClose(ExpectedPartnerRevenue(FourPeriods(), HandPartner(), 8), expected, "E[revenue]");
}

TEST(ExpectedPartnerRevenueTest, WithoutChurnIsTheSumOfMeans) {
  Partner p = HandPartner();
  p.churn_rate = 0;
  ExpectClose(ExpectedPartnerRevenue(FourPeriods(), p, 8),
              1100 + 1526.4 + 1078.656 + 1429.2192, "E[revenue]");
}

TEST(ExpectedPartnerRevenueTest, SameForTheDealsModel) {
  Partner deals = HandPartner();
  deals.revenue_model = RevenueModel::kDeals;
  deals.mean_deal_size = 50;
  deals.deal_size_cv = 2;
  EXPECT_EQ(ExpectedPartnerRevenue(FourPeriods(), deals, 8),
            ExpectedPartnerRevenue(FourPeriods(), HandPartner(), 8));
}

TEST(ExpectedPartnerRevenueTest, MoreHoursGiveMoreRevenue) {
  const Portfolio portfolio = FourPeriods();
  const Partner p = HandPartner();
  EXPECT_LT(ExpectedPartnerRevenue(portfolio, p, 0), ExpectedPartnerRevenue(portfolio, p, 4));
  EXPECT_LT(ExpectedPartnerRevenue(portfolio, p, 4), ExpectedPartnerRevenue(portfolio, p, 16));
}

// Partners A (INVEST), B (MAINTAIN, hours_override 3), C (OPPORTUNISTIC), D (MAINTAIN);
// tier policy 20 / 7 / 2.
Portfolio ResolvePortfolio() {
  Portfolio portfolio;
  portfolio.tier_policy = {20, 7, 2};
  const auto add = [&portfolio](std::string id, Tier tier) -> Partner& {
    Partner p;
    p.id = std::move(id);
    p.tier = tier;
    p.baseline_revenue = 1;
    portfolio.partners.push_back(p);
    return portfolio.partners.back();
  };
  add("A", Tier::kInvest);
  add("B", Tier::kMaintain).hours_override = 3;
  add("C", Tier::kOpportunistic);
  add("D", Tier::kMaintain);
  return portfolio;
}

TEST(ResolvePlanTest, EmptyPlanKeepsCurrentTiersAndPolicyHours) {
  const ResolvedPlan resolved = ResolvePlan(ResolvePortfolio(), Plan{"current", {}, {}});
  EXPECT_EQ(resolved.name, "current");
  EXPECT_EQ(resolved.tiers, (std::vector<Tier>{Tier::kInvest, Tier::kMaintain,
                                               Tier::kOpportunistic, Tier::kMaintain}));
  EXPECT_EQ(resolved.hours, (std::vector<double>{20, 3, 2, 7}));
  EXPECT_EQ(resolved.hours_used, 32);
}

TEST(ResolvePlanTest, PlanTiersChangeTierAndPolicyHours) {
  Plan plan;
  plan.tiers = {{"A", Tier::kOpportunistic}, {"C", Tier::kInvest}};
  const ResolvedPlan resolved = ResolvePlan(ResolvePortfolio(), plan);
  EXPECT_EQ(resolved.tiers, (std::vector<Tier>{Tier::kOpportunistic, Tier::kMaintain,
                                               Tier::kInvest, Tier::kMaintain}));
  EXPECT_EQ(resolved.hours, (std::vector<double>{2, 3, 20, 7}));
  EXPECT_EQ(resolved.hours_used, 32);
}

TEST(ResolvePlanTest, HoursOverrideBeatsTheTierPolicyOfANewTier) {
  Plan plan;
  plan.tiers = {{"B", Tier::kInvest}};
  const ResolvedPlan resolved = ResolvePlan(ResolvePortfolio(), plan);
  EXPECT_EQ(resolved.tiers[1], Tier::kInvest);
  EXPECT_EQ(resolved.hours[1], 3);
}

TEST(ResolvePlanTest, PlanHoursBeatHoursOverrideAndTierPolicy) {
  Plan plan;
  plan.tiers = {{"B", Tier::kInvest}, {"D", Tier::kInvest}};
  plan.hours = {{"B", 11.5}, {"D", 0}};
  const ResolvedPlan resolved = ResolvePlan(ResolvePortfolio(), plan);
  EXPECT_EQ(resolved.tiers, (std::vector<Tier>{Tier::kInvest, Tier::kInvest,
                                               Tier::kOpportunistic, Tier::kInvest}));
  EXPECT_EQ(resolved.hours, (std::vector<double>{20, 11.5, 2, 0}));
  EXPECT_EQ(resolved.hours_used, 33.5);
}

TEST(TierNameTest, NamesEveryTier) {
  EXPECT_STREQ(TierName(Tier::kInvest), "INVEST");
  EXPECT_STREQ(TierName(Tier::kMaintain), "MAINTAIN");
  EXPECT_STREQ(TierName(Tier::kOpportunistic), "OPPORTUNISTIC");
}

TEST(TierPolicyTest, HoursForEveryTier) {
  const TierPolicy policy{16, 6, 1};
  EXPECT_EQ(policy.HoursFor(Tier::kInvest), 16);
  EXPECT_EQ(policy.HoursFor(Tier::kMaintain), 6);
  EXPECT_EQ(policy.HoursFor(Tier::kOpportunistic), 1);
}

TEST(PortfolioTest, SeasonalityDefaultsToOne) {
  Portfolio portfolio;
  portfolio.periods = 3;
  for (int t = 1; t <= 3; ++t) EXPECT_EQ(portfolio.Seasonality(t), 1.0) << "t = " << t;
}

TEST(PortfolioTest, SeasonalityIsOneBased) {
  const Portfolio portfolio = FourPeriods();
  EXPECT_EQ(portfolio.Seasonality(1), 1.0);
  EXPECT_EQ(portfolio.Seasonality(2), 1.2);
  EXPECT_EQ(portfolio.Seasonality(3), 0.8);
  EXPECT_EQ(portfolio.Seasonality(4), 1.0);
}

}  // namespace
}  // namespace attain
