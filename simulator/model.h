// The domain model of Attain: a channel manager's partner portfolio, engagement plans,
// and the deterministic part of the revenue model (mean revenue and churn hazard under a
// given number of hours). docs/model.md states the model with its formulas.
//
// Plain value types: thread-compatible (const access from many threads is safe).
// Functions here REQUIRE inputs that passed validation.h; they do not re-check them.
#ifndef ATTAIN_SIMULATOR_MODEL_H_
#define ATTAIN_SIMULATOR_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace attain {

enum class Tier { kInvest, kMaintain, kOpportunistic };
enum class RevenueModel { kLognormal, kDeals };
// The calendar length of one period: every per-period figure is per this length.
enum class PeriodLength { kMonth, kQuarter };

const char* TierName(Tier tier);                  // "INVEST", "MAINTAIN", "OPPORTUNISTIC"
const char* PeriodLengthName(PeriodLength length);  // "month", "quarter"

// Standard errors of a partner's parameters where they are estimates (calibration.h);
// zero where a parameter is taken as known. A simulation draws parameters from them,
// path by path, only with SimulationOptions::parameter_uncertainty.
struct ParameterErrors {
  double baseline_revenue = 0;  // currency
  double growth_rate = 0;
  double max_lift = 0;
  double churn_rate = 0;

  bool any() const {
    return baseline_revenue > 0 || growth_rate > 0 || max_lift > 0 || churn_rate > 0;
  }
};

// The response parameters a caller left unset, which hold the defaults rather than
// anything known about the partner (sanity.h warns when most of a portfolio's do).
struct DefaultedResponse {
  bool max_lift = false;
  bool half_effort_hours = false;
  bool churn_rate = false;
  bool retention_hours = false;

  static constexpr int kParameters = 4;
  int count() const { return max_lift + half_effort_hours + churn_rate + retention_hours; }
};

// Units: money in the portfolio currency, time in periods, effort in hours per period.
// The initializers are the defaults for a month; DefaultPartner gives them for any
// period length.
struct Partner {
  std::string id;
  Tier tier = Tier::kOpportunistic;           // current tier
  double baseline_revenue = 0;                // b: period-1 mean with zero engagement, > 0
  double growth_rate = 0;                     // g: per-period drift, > -1
  double volatility = 0.25;                   // sigma: lognormal shock scale, >= 0
  double market_correlation = 0.3;            // rho_m, in [0, 1)
  std::string segment;                        // "" = no segment factor
  double max_lift = 0.3;                      // L, >= 0
  double half_effort_hours = 8;               // h50, > 0
  int ramp_periods = 2;                       // r, >= 0; 0 = immediate
  double growth_boost = 0;                    // gamma, >= 0
  double churn_rate = 0.02;                   // c, in [0, 1)
  double retention_hours = 4;                 // hr, > 0
  RevenueModel revenue_model = RevenueModel::kLognormal;
  double mean_deal_size = 0;                  // m, > 0 for kDeals
  double deal_size_cv = 0.5;                  // v, >= 0
  std::optional<double> hours_override;       // replaces the tier policy's hours
  ParameterErrors errors;                     // standard errors; all 0 = known
  DefaultedResponse defaulted;                // which response parameters are defaults
};

struct TierPolicy {
  double invest_hours = 16;
  double maintain_hours = 6;
  double opportunistic_hours = 1;

  double HoursFor(Tier tier) const;
};

struct Portfolio {
  std::string channel_manager_id;
  PeriodLength period_length = PeriodLength::kMonth;
  std::string currency;
  double quota = 0;                 // Q over the horizon
  int periods = 1;                  // T, 1..60
  double capacity_hours = 0;        // H per period
  TierPolicy tier_policy;
  std::vector<double> seasonality;  // empty = all 1, else T values
  double segment_correlation = 0;   // rho_s
  std::vector<Partner> partners;

  double Seasonality(int t) const;  // s_t for t = 1..T
};

// Defaults for a period length. A quarter's are the month's converted (docs/model.md,
// "Period length"): hours x3 (half-effort, retention, tier policy), churn
// 1 - (1 - c)^3, volatility QuarterlyVolatility, ramp 2 months -> 1 quarter.
Partner DefaultPartner(PeriodLength length);
TierPolicy DefaultTierPolicy(PeriodLength length);
inline constexpr int kMonthsPerQuarter = 3;
// The per-quarter churn of a monthly churn: dormant in one of three months.
double QuarterlyChurn(double monthly_churn);
// The lognormal volatility of a quarter whose revenue has the coefficient of variation of
// three independent months': exp(s^2) - 1 = (exp(monthly^2) - 1) / 3.
double QuarterlyVolatility(double monthly_volatility);

// A plan by partner id; partners not listed keep their current tier.
struct Plan {
  std::string name;
  std::map<std::string, Tier> tiers;
  std::map<std::string, double> hours;  // overrides tier policy and hours_override
};

// A plan applied to a portfolio: one entry per partner, in portfolio order.
struct ResolvedPlan {
  std::string name;
  std::vector<Tier> tiers;
  std::vector<double> hours;
  double hours_used = 0;
};

// REQUIRES: ValidatePlan(portfolio, plan) is OK.
ResolvedPlan ResolvePlan(const Portfolio& portfolio, const Plan& plan);

// The deterministic response of partner `p` to `hours` per period.
struct EngagementEffect {
  std::vector<double> mean_revenue;  // mu_t for t = 1..T (index t-1)
  double churn_hazard = 0;           // q
};
EngagementEffect ComputeEngagementEffect(const Portfolio& portfolio, const Partner& p,
                                         double hours);

// Exact E[horizon revenue] of one partner: sum_t mu_t (1 - q)^t (both revenue models).
double ExpectedPartnerRevenue(const Portfolio& portfolio, const Partner& p, double hours);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_MODEL_H_
