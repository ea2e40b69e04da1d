#include "simulator/model.h"

#include <algorithm>
#include <cmath>

namespace attain {

const char* TierName(Tier tier) {
  switch (tier) {
    case Tier::kInvest:
      return "INVEST";
    case Tier::kMaintain:
      return "MAINTAIN";
    case Tier::kOpportunistic:
      return "OPPORTUNISTIC";
  }
  return "UNKNOWN";
}

const char* PeriodLengthName(PeriodLength length) {
  return length == PeriodLength::kQuarter ? "quarter" : "month";
}

double QuarterlyChurn(double monthly_churn) {
  return 1 - std::pow(1 - monthly_churn, kMonthsPerQuarter);
}

double QuarterlyVolatility(double monthly_volatility) {
  return std::sqrt(
      std::log1p(std::expm1(monthly_volatility * monthly_volatility) / kMonthsPerQuarter));
}

Partner DefaultPartner(PeriodLength length) {
  Partner p;
  if (length == PeriodLength::kQuarter) {
    p.volatility = QuarterlyVolatility(p.volatility);
    p.half_effort_hours *= kMonthsPerQuarter;
    // The lift of a 2-month ramp is 5/6 complete over the first quarter; whole periods
    // round that up to a lift complete within the first quarter.
    p.ramp_periods = (p.ramp_periods + kMonthsPerQuarter - 1) / kMonthsPerQuarter;
    p.churn_rate = QuarterlyChurn(p.churn_rate);
    p.retention_hours *= kMonthsPerQuarter;
  }
  return p;
}

TierPolicy DefaultTierPolicy(PeriodLength length) {
  TierPolicy policy;
  if (length == PeriodLength::kQuarter) {
    policy.invest_hours *= kMonthsPerQuarter;
    policy.maintain_hours *= kMonthsPerQuarter;
    policy.opportunistic_hours *= kMonthsPerQuarter;
  }
  return policy;
}

double TierPolicy::HoursFor(Tier tier) const {
  switch (tier) {
    case Tier::kInvest:
      return invest_hours;
    case Tier::kMaintain:
      return maintain_hours;
    case Tier::kOpportunistic:
      return opportunistic_hours;
  }
  return 0;
}

double Portfolio::Seasonality(int t) const {
  return seasonality.empty() ? 1.0 : seasonality[static_cast<size_t>(t - 1)];
}

ResolvedPlan ResolvePlan(const Portfolio& portfolio, const Plan& plan) {
  ResolvedPlan resolved;
  resolved.name = plan.name;
  resolved.tiers.reserve(portfolio.partners.size());
  resolved.hours.reserve(portfolio.partners.size());
  for (const Partner& p : portfolio.partners) {
    const auto tier_it = plan.tiers.find(p.id);
    const Tier tier = tier_it == plan.tiers.end() ? p.tier : tier_it->second;
    double hours = p.hours_override.value_or(portfolio.tier_policy.HoursFor(tier));
    if (const auto hours_it = plan.hours.find(p.id); hours_it != plan.hours.end()) {
      hours = hours_it->second;
    }
    resolved.tiers.push_back(tier);
    resolved.hours.push_back(hours);
    resolved.hours_used += hours;
  }
  return resolved;
}

EngagementEffect ComputeEngagementEffect(const Portfolio& portfolio, const Partner& p,
                                         double hours) {
  const double saturation = hours / (hours + p.half_effort_hours);  // f(h)
  const double growth = p.growth_rate + p.growth_boost * saturation;
  EngagementEffect effect;
  effect.mean_revenue.resize(static_cast<size_t>(portfolio.periods));
  double compounded = 1.0;  // (1 + g_eff)^(t-1)
  for (int t = 1; t <= portfolio.periods; ++t) {
    const double ramp =
        p.ramp_periods == 0 ? 1.0 : std::min(1.0, static_cast<double>(t) / p.ramp_periods);
    const double lift = p.max_lift * saturation * ramp;
    effect.mean_revenue[static_cast<size_t>(t - 1)] =
        p.baseline_revenue * compounded * portfolio.Seasonality(t) * (1.0 + lift);
    compounded *= 1.0 + growth;
  }
  effect.churn_hazard = p.churn_rate * p.retention_hours / (p.retention_hours + hours);
  return effect;
}

double ExpectedPartnerRevenue(const Portfolio& portfolio, const Partner& p, double hours) {
  const EngagementEffect effect = ComputeEngagementEffect(portfolio, p, hours);
  double expected = 0;
  double survival = 1;
  for (const double mu : effect.mean_revenue) {
    survival *= 1.0 - effect.churn_hazard;
    expected += mu * survival;
  }
  return expected;
}

}  // namespace attain
