// Reasons for tiers (explanation.h): each code on both sides of its threshold, with
// partners built from the model's formulas (docs/model.md, "Tier recommendations"), and
// every number of ReasonFacts against the model's exact expectations.
#include "simulator/explanation.h"

#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "simulator/model.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;

constexpr Tier kAllTiers[] = {Tier::kInvest, Tier::kMaintain, Tier::kOpportunistic};

double PolicyHours(const Portfolio& portfolio, const Partner& p, Tier tier) {
  return p.hours_override.value_or(portfolio.tier_policy.HoursFor(tier));
}

// P(dormant within the horizon) = 1 - (1 - q)^T, q = c hr / (hr + h).
double DormancyProbability(const Portfolio& portfolio, const Partner& p, double hours) {
  const double q = ComputeEngagementEffect(portfolio, p, hours).churn_hazard;
  return 1 - std::pow(1 - q, portfolio.periods);
}

// Every number of `facts` for `p` at `tier` weighed against `compared`.
void ExpectFacts(const ReasonFacts& facts, const Portfolio& portfolio, const Partner& p,
                 Tier tier, Tier compared) {
  const double hours = PolicyHours(portfolio, p, tier);
  const double compared_hours = PolicyHours(portfolio, p, compared);
  EXPECT_EQ(facts.tier, tier);
  EXPECT_EQ(facts.compared_tier, compared);
  EXPECT_EQ(facts.hours, hours);
  EXPECT_EQ(facts.compared_hours, compared_hours);
  EXPECT_DOUBLE_EQ(facts.expected_revenue, ExpectedPartnerRevenue(portfolio, p, hours));
  EXPECT_DOUBLE_EQ(facts.compared_expected_revenue,
                   ExpectedPartnerRevenue(portfolio, p, compared_hours));
  EXPECT_DOUBLE_EQ(facts.unassisted_expected_revenue, ExpectedPartnerRevenue(portfolio, p, 0));
  EXPECT_DOUBLE_EQ(facts.dormancy_probability, DormancyProbability(portfolio, p, hours));
  EXPECT_DOUBLE_EQ(facts.compared_dormancy_probability,
                   DormancyProbability(portfolio, p, compared_hours));
}

// The x in [low, high] where f(x) crosses `target` (f(low) < target < f(high)).
double Crossing(const std::function<double(double)>& f, double target, double low,
                double high) {
  EXPECT_LT(f(low), target);
  EXPECT_GT(f(high), target);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (low + high);
    (f(mid) < target ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

// One partner over four periods, with churn; tier policy 16 / 6 / 1 hours.
Portfolio OnePartner(const Partner& p, int periods = 4) {
  Portfolio portfolio;
  portfolio.periods = periods;
  portfolio.quota = 1e6;
  portfolio.capacity_hours = 40;
  portfolio.partners = {p};
  return portfolio;
}

Partner BasePartner() {
  Partner p;
  p.id = std::string("P");  // not = "P": GCC 12 warns wrongly (-Wrestrict) on that
  p.baseline_revenue = 100'000;
  p.volatility = 0.2;
  p.max_lift = 0.4;
  p.half_effort_hours = 8;
  p.ramp_periods = 1;
  p.retention_hours = 4;
  return p;
}

// A partner whose dormancy probability at `low` hours exceeds that at `high` hours by
// kDormancyRiskGap times (1 + `side`): the churn rate c solves the model's
// (1 - c hr / (hr + high))^T - (1 - c hr / (hr + low))^T = gap.
Partner WithDormancyGap(Partner p, int periods, double low, double high, double side) {
  const Portfolio portfolio = OnePartner(p, periods);
  auto gap = [&](double c) {
    Partner q = p;
    q.churn_rate = c;
    return DormancyProbability(portfolio, q, low) - DormancyProbability(portfolio, q, high);
  };
  p.churn_rate = Crossing(gap, kDormancyRiskGap * (1 + side), 0, 0.3);
  EXPECT_EQ(gap(p.churn_rate) >= kDormancyRiskGap, side > 0) << "gap " << gap(p.churn_rate);
  return p;
}

// A partner, one period, no churn and no ramp, whose unassisted revenue b is
// kSelfSufficientShare times (1 + `side`) its revenue b (1 + L f(h)) at `hours`:
// L = (1 / share - 1) / f(h), f(h) = h / (h + h50).
Partner WithUnassistedShare(Partner p, double hours, double side) {
  p.churn_rate = 0;
  p.ramp_periods = 0;
  p.growth_rate = 0;
  p.growth_boost = 0;
  const double share = kSelfSufficientShare * (1 + side);
  const double saturation = hours / (hours + p.half_effort_hours);
  p.max_lift = (1 / share - 1) / saturation;
  return p;
}

double Share(const Portfolio& portfolio, const Partner& p, double hours) {
  return ExpectedPartnerRevenue(portfolio, p, 0) / ExpectedPartnerRevenue(portfolio, p, hours);
}

// ---------------------------------------------------------------------------------------
// Upgrades.

TEST(ExplainChangeTest, AnUpgradeThatCutsDormancyByTheGapIsDormancyRisk) {
  const Partner p = WithDormancyGap(BasePartner(), 4, 1, 6, +1e-3);
  const Portfolio portfolio = OnePartner(p);
  ASSERT_GE(DormancyProbability(portfolio, p, 1) - DormancyProbability(portfolio, p, 6),
            kDormancyRiskGap);
  const Reason reason = ExplainChange(portfolio, p, Tier::kOpportunistic, Tier::kMaintain);
  EXPECT_EQ(reason.code, ReasonCode::kDormancyRisk);
  ExpectFacts(reason.facts, portfolio, p, Tier::kMaintain, Tier::kOpportunistic);
}

TEST(ExplainChangeTest, AnUpgradeThatCutsDormancyByLessIsHighLiftPerHour) {
  const Partner p = WithDormancyGap(BasePartner(), 4, 1, 6, -1e-3);
  const Portfolio portfolio = OnePartner(p);
  ASSERT_LT(DormancyProbability(portfolio, p, 1) - DormancyProbability(portfolio, p, 6),
            kDormancyRiskGap);
  const Reason reason = ExplainChange(portfolio, p, Tier::kOpportunistic, Tier::kMaintain);
  EXPECT_EQ(reason.code, ReasonCode::kHighLiftPerHour);
  ExpectFacts(reason.facts, portfolio, p, Tier::kMaintain, Tier::kOpportunistic);
}

TEST(ExplainChangeTest, TheDormancyThresholdAppliesToEveryUpgradeAndHorizon) {
  struct Case {
    Tier from, to;
    int periods;
  };
  for (const Case c : {Case{Tier::kMaintain, Tier::kInvest, 12},
                       Case{Tier::kOpportunistic, Tier::kInvest, 1}}) {
    const Partner base = BasePartner();
    const double low = Portfolio().tier_policy.HoursFor(c.from);
    const double high = Portfolio().tier_policy.HoursFor(c.to);
    for (const double side : {+1e-3, -1e-3}) {
      SCOPED_TRACE(absl::StrCat(TierName(c.from), " to ", TierName(c.to), ", T = ", c.periods,
                                ", side ", side));
      const Partner p = WithDormancyGap(base, c.periods, low, high, side);
      const Portfolio portfolio = OnePartner(p, c.periods);
      const Reason reason = ExplainChange(portfolio, p, c.from, c.to);
      EXPECT_EQ(reason.code, side > 0 ? ReasonCode::kDormancyRisk : ReasonCode::kHighLiftPerHour);
      ExpectFacts(reason.facts, portfolio, p, c.to, c.from);
    }
  }
}

TEST(ExplainChangeTest, AnUpgradeOfAPartnerThatNeverChurnsIsHighLiftPerHour) {
  Partner p = BasePartner();
  p.churn_rate = 0;
  p.max_lift = 0;  // even without any lift: an upgrade is never self-sufficient
  const Portfolio portfolio = OnePartner(p);
  const Reason reason = ExplainChange(portfolio, p, Tier::kOpportunistic, Tier::kInvest);
  EXPECT_EQ(reason.code, ReasonCode::kHighLiftPerHour);
  EXPECT_EQ(reason.facts.dormancy_probability, 0);
  EXPECT_EQ(reason.facts.compared_dormancy_probability, 0);
}

// ---------------------------------------------------------------------------------------
// Downgrades.

TEST(ExplainChangeTest, ADowngradeOfAPartnerSellingNinetyPercentUnassistedIsSelfSufficient) {
  const Partner p = WithUnassistedShare(BasePartner(), 16, +1e-4);
  const Portfolio portfolio = OnePartner(p, 1);
  ASSERT_GE(Share(portfolio, p, 16), kSelfSufficientShare);
  const Reason reason = ExplainChange(portfolio, p, Tier::kInvest, Tier::kOpportunistic);
  EXPECT_EQ(reason.code, ReasonCode::kSelfSufficient);
  ExpectFacts(reason.facts, portfolio, p, Tier::kOpportunistic, Tier::kInvest);
}

TEST(ExplainChangeTest, ADowngradeOfAPartnerSellingLessUnassistedFreesHours) {
  const Partner p = WithUnassistedShare(BasePartner(), 16, -1e-4);
  const Portfolio portfolio = OnePartner(p, 1);
  ASSERT_LT(Share(portfolio, p, 16), kSelfSufficientShare);
  const Reason reason = ExplainChange(portfolio, p, Tier::kInvest, Tier::kOpportunistic);
  EXPECT_EQ(reason.code, ReasonCode::kFreesHours);
  ExpectFacts(reason.facts, portfolio, p, Tier::kOpportunistic, Tier::kInvest);
}

TEST(ExplainChangeTest, SelfSufficiencyIsMeasuredAgainstTheTierTheDowngradeLeaves) {
  // `below` sells just under 90% as much unassisted as at MAINTAIN (6 hours), `above`
  // just over: leaving MAINTAIN, only `above` is SELF_SUFFICIENT.
  const Partner below = WithUnassistedShare(BasePartner(), 6, -1e-4);
  const Partner above = WithUnassistedShare(BasePartner(), 6, +1e-4);
  const Portfolio portfolio = OnePartner(below, 1);
  EXPECT_EQ(ExplainChange(portfolio, below, Tier::kMaintain, Tier::kOpportunistic).code,
            ReasonCode::kFreesHours);
  EXPECT_EQ(ExplainChange(portfolio, above, Tier::kMaintain, Tier::kOpportunistic).code,
            ReasonCode::kSelfSufficient);
  // Leaving INVEST, where the lift is larger, the same partner is not self-sufficient.
  ASSERT_LT(Share(portfolio, above, 16), kSelfSufficientShare);
  EXPECT_EQ(ExplainChange(portfolio, above, Tier::kInvest, Tier::kMaintain).code,
            ReasonCode::kFreesHours);
}

TEST(ExplainChangeTest, ADowngradeIsNeverADormancyRisk) {
  Partner p = BasePartner();
  p.churn_rate = 0.3;  // dormancy rises a lot without hours
  p.max_lift = 2;
  const Portfolio portfolio = OnePartner(p);
  const Reason reason = ExplainChange(portfolio, p, Tier::kInvest, Tier::kOpportunistic);
  EXPECT_EQ(reason.code, ReasonCode::kFreesHours);
  EXPECT_GT(reason.facts.dormancy_probability - reason.facts.compared_dormancy_probability,
            kDormancyRiskGap);
}

// Every partner of a portfolio with growth, seasonality, deals, ramps and churn, for every
// pair of tiers: the code follows the model's rule and every fact is the model's.
TEST(ExplainChangeTest, EveryChangeFollowsTheRuleWithTheModelsExpectations) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[5].hours_override = 4.5;
  for (const Partner& p : portfolio.partners) {
    for (const Tier from : kAllTiers) {
      for (const Tier to : kAllTiers) {
        if (from == to) continue;
        SCOPED_TRACE(absl::StrCat(p.id, ": ", TierName(from), " to ", TierName(to)));
        const Reason reason = ExplainChange(portfolio, p, from, to);
        ExpectFacts(reason.facts, portfolio, p, to, from);
        EXPECT_EQ(reason.facts.max_changes, 0);
        const double from_hours = PolicyHours(portfolio, p, from);
        const double to_hours = PolicyHours(portfolio, p, to);
        ReasonCode expected;
        if (to_hours > from_hours) {
          expected = DormancyProbability(portfolio, p, from_hours) -
                                 DormancyProbability(portfolio, p, to_hours) >=
                             kDormancyRiskGap
                         ? ReasonCode::kDormancyRisk
                         : ReasonCode::kHighLiftPerHour;
        } else {
          expected = Share(portfolio, p, from_hours) >= kSelfSufficientShare
                         ? ReasonCode::kSelfSufficient
                         : ReasonCode::kFreesHours;
        }
        EXPECT_EQ(reason.code, expected);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Tiers kept by the search.

TEST(ExplainKeptTest, AnOpportunisticPartnerSellingNinetyPercentUnassistedIsSelfSufficient) {
  const Partner p = WithUnassistedShare(BasePartner(), 1, +1e-4);
  const Portfolio portfolio = OnePartner(p, 1);
  ASSERT_GE(Share(portfolio, p, 1), kSelfSufficientShare);
  const Reason reason = ExplainKept(portfolio, p, Tier::kOpportunistic);
  EXPECT_EQ(reason.code, ReasonCode::kSelfSufficient);
  ExpectFacts(reason.facts, portfolio, p, Tier::kOpportunistic, Tier::kOpportunistic);
}

TEST(ExplainKeptTest, AnOpportunisticPartnerSellingLessUnassistedIsBestAsIs) {
  const Partner p = WithUnassistedShare(BasePartner(), 1, -1e-4);
  const Portfolio portfolio = OnePartner(p, 1);
  ASSERT_LT(Share(portfolio, p, 1), kSelfSufficientShare);
  const Reason reason = ExplainKept(portfolio, p, Tier::kOpportunistic);
  EXPECT_EQ(reason.code, ReasonCode::kBestAsIs);
  ExpectFacts(reason.facts, portfolio, p, Tier::kOpportunistic, Tier::kOpportunistic);
}

TEST(ExplainKeptTest, AnOpportunisticPartnerIsNeverADormancyRisk) {
  Partner p = BasePartner();
  p.churn_rate = 0.5;
  p.max_lift = 3;  // not self-sufficient either
  const Portfolio portfolio = OnePartner(p);
  EXPECT_EQ(ExplainKept(portfolio, p, Tier::kOpportunistic).code, ReasonCode::kBestAsIs);
}

TEST(ExplainKeptTest, AKeptTierThatCutsDormancyByTheGapAgainstOpportunisticIsDormancyRisk) {
  for (const Tier tier : {Tier::kMaintain, Tier::kInvest}) {
    const double hours = Portfolio().tier_policy.HoursFor(tier);
    for (const double side : {+1e-3, -1e-3}) {
      SCOPED_TRACE(absl::StrCat(TierName(tier), ", side ", side));
      const Partner p = WithDormancyGap(BasePartner(), 4, 1, hours, side);
      const Portfolio portfolio = OnePartner(p);
      const Reason reason = ExplainKept(portfolio, p, tier);
      if (side > 0) {
        EXPECT_EQ(reason.code, ReasonCode::kDormancyRisk);
        ExpectFacts(reason.facts, portfolio, p, tier, Tier::kOpportunistic);
      } else {
        EXPECT_EQ(reason.code, ReasonCode::kBestAsIs);
        ExpectFacts(reason.facts, portfolio, p, tier, tier);
      }
    }
  }
}

TEST(ExplainKeptTest, ASelfSufficientPartnerKeptAboveOpportunisticIsNotSelfSufficient) {
  Partner p = BasePartner();
  p.max_lift = 0;  // sells exactly as much unassisted
  p.churn_rate = 0;
  const Portfolio portfolio = OnePartner(p);
  for (const Tier tier : {Tier::kMaintain, Tier::kInvest}) {
    const Reason reason = ExplainKept(portfolio, p, tier);
    EXPECT_EQ(reason.code, ReasonCode::kBestAsIs) << TierName(tier);
    ExpectFacts(reason.facts, portfolio, p, tier, tier);
  }
}

// ---------------------------------------------------------------------------------------
// Tiers kept by the request.

TEST(ExplainLockedTest, IsLockedWithTheFactsOfTheTierItself) {
  const Portfolio portfolio = MixedPortfolio();
  for (const Partner& p : portfolio.partners) {
    for (const Tier tier : kAllTiers) {
      SCOPED_TRACE(absl::StrCat(p.id, " at ", TierName(tier)));
      const Reason reason = ExplainLocked(portfolio, p, tier);
      EXPECT_EQ(reason.code, ReasonCode::kLocked);
      ExpectFacts(reason.facts, portfolio, p, tier, tier);
      EXPECT_EQ(reason.facts.max_changes, 0);
    }
  }
}

TEST(ExplainChangeLimitTest, IsChangeLimitWithTheSpentBudgetAndTheFactsOfTheTier) {
  const Portfolio portfolio = MixedPortfolio();
  const Partner& p = portfolio.partners[4];
  for (const int max_changes : {0, 1, 7}) {
    for (const Tier tier : kAllTiers) {
      SCOPED_TRACE(absl::StrCat(TierName(tier), ", max_changes ", max_changes));
      const Reason reason = ExplainChangeLimit(portfolio, p, tier, max_changes);
      EXPECT_EQ(reason.code, ReasonCode::kChangeLimit);
      EXPECT_EQ(reason.facts.max_changes, max_changes);
      ExpectFacts(reason.facts, portfolio, p, tier, tier);
    }
  }
}

TEST(ReasonCodeNameTest, NamesEveryCodeAsTheApiDoes) {
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kHighLiftPerHour), "HIGH_LIFT_PER_HOUR");
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kDormancyRisk), "DORMANCY_RISK");
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kSelfSufficient), "SELF_SUFFICIENT");
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kFreesHours), "FREES_HOURS");
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kLocked), "LOCKED");
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kChangeLimit), "CHANGE_LIMIT");
  EXPECT_STREQ(ReasonCodeName(ReasonCode::kBestAsIs), "BEST_AS_IS");
}

TEST(ExplanationTest, TheThresholdsAreThoseOfTheModelDocument) {
  // docs/model.md: dormancy cut by 5 points or more; at least 90% as much with no hours.
  EXPECT_EQ(kDormancyRiskGap, 0.05);
  EXPECT_EQ(kSelfSufficientShare, 0.9);
}

}  // namespace
}  // namespace attain
