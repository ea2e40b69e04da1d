#include "simulator/explanation.h"

#include <cmath>

namespace attain {
namespace {

double PolicyHours(const Portfolio& portfolio, const Partner& p, Tier tier) {
  return p.hours_override.value_or(portfolio.tier_policy.HoursFor(tier));
}

double DormancyProbability(const Portfolio& portfolio, const Partner& p, double hours) {
  const double hazard = ComputeEngagementEffect(portfolio, p, hours).churn_hazard;
  return 1 - std::pow(1 - hazard, portfolio.periods);
}

ReasonFacts FactsOf(const Portfolio& portfolio, const Partner& p, Tier tier,
                    Tier compared_tier) {
  ReasonFacts facts;
  facts.tier = tier;
  facts.compared_tier = compared_tier;
  facts.hours = PolicyHours(portfolio, p, tier);
  facts.compared_hours = PolicyHours(portfolio, p, compared_tier);
  facts.expected_revenue = ExpectedPartnerRevenue(portfolio, p, facts.hours);
  facts.compared_expected_revenue = ExpectedPartnerRevenue(portfolio, p, facts.compared_hours);
  facts.unassisted_expected_revenue = ExpectedPartnerRevenue(portfolio, p, 0);
  facts.dormancy_probability = DormancyProbability(portfolio, p, facts.hours);
  facts.compared_dormancy_probability = DormancyProbability(portfolio, p, facts.compared_hours);
  return facts;
}

// Unassisted revenue as a share of the revenue at `revenue`'s tier (1 when it is 0).
double UnassistedShare(const ReasonFacts& facts, double revenue) {
  return revenue > 0 ? facts.unassisted_expected_revenue / revenue : 1;
}

}  // namespace

const char* ReasonCodeName(ReasonCode code) {
  switch (code) {
    case ReasonCode::kHighLiftPerHour: return "HIGH_LIFT_PER_HOUR";
    case ReasonCode::kDormancyRisk: return "DORMANCY_RISK";
    case ReasonCode::kSelfSufficient: return "SELF_SUFFICIENT";
    case ReasonCode::kFreesHours: return "FREES_HOURS";
    case ReasonCode::kFitsCapacity: return "FITS_CAPACITY";
    case ReasonCode::kHoursLeftUnused: return "HOURS_LEFT_UNUSED";
    case ReasonCode::kLocked: return "LOCKED";
    case ReasonCode::kChangeLimit: return "CHANGE_LIMIT";
    case ReasonCode::kBestAsIs: return "BEST_AS_IS";
  }
  return "BEST_AS_IS";
}

Reason ExplainChange(const Portfolio& portfolio, const Partner& partner, Tier from, Tier to) {
  Reason reason{ReasonCode::kBestAsIs, FactsOf(portfolio, partner, to, from)};
  const ReasonFacts& f = reason.facts;
  if (f.hours > f.compared_hours) {
    reason.code =
        f.compared_dormancy_probability - f.dormancy_probability >= kDormancyRiskGap
            ? ReasonCode::kDormancyRisk
            : ReasonCode::kHighLiftPerHour;
  } else {
    reason.code = UnassistedShare(f, f.compared_expected_revenue) >= kSelfSufficientShare
                      ? ReasonCode::kSelfSufficient
                      : ReasonCode::kFreesHours;
  }
  return reason;
}

Reason ExplainKept(const Portfolio& portfolio, const Partner& partner, Tier tier) {
  Reason reason{ReasonCode::kBestAsIs, FactsOf(portfolio, partner, tier, tier)};
  if (tier == Tier::kOpportunistic &&
      UnassistedShare(reason.facts, reason.facts.expected_revenue) >= kSelfSufficientShare) {
    reason.code = ReasonCode::kSelfSufficient;
    return reason;
  }
  const ReasonFacts neglected = FactsOf(portfolio, partner, tier, Tier::kOpportunistic);
  if (tier != Tier::kOpportunistic &&
      neglected.compared_dormancy_probability - neglected.dormancy_probability >=
          kDormancyRiskGap) {
    return {ReasonCode::kDormancyRisk, neglected};
  }
  return reason;
}

Reason ExplainLocked(const Portfolio& portfolio, const Partner& partner, Tier tier) {
  return {ReasonCode::kLocked, FactsOf(portfolio, partner, tier, tier)};
}

Reason ExplainChangeLimit(const Portfolio& portfolio, const Partner& partner, Tier tier,
                          int max_changes) {
  Reason reason{ReasonCode::kChangeLimit, FactsOf(portfolio, partner, tier, tier)};
  reason.facts.max_changes = max_changes;
  return reason;
}

}  // namespace attain
