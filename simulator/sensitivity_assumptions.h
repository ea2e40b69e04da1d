// The assumptions of a sensitivity analysis (a tornado) and their ends: which model
// parameters are varied, over which ranges, and the portfolio at each end of a range.
// docs/model.md ("Sensitivity") states the rules.
//
// Portfolio-wide assumptions move one parameter of every partner at once: max_lift,
// half_effort_hours, churn_rate, volatility and market_correlation by a factor, and
// growth_rate by an additive shift (growth is often 0, which no factor moves). Partner
// assumptions move one partner's baseline_revenue, for each of the partners with the
// largest expected revenue under the plan. Where the portfolio carries standard errors
// of a parameter (Partner::errors, from calibration), its ends are instead each
// partner's value -/+ kStandardErrorZ standard errors (a two-sided 90% range), and a
// partner whose standard error is 0 keeps its value (it is taken as known). Every end is
// clipped to the parameter's valid range.
//
// Pure functions; thread-safe. Functions taking a portfolio REQUIRE that it validates.
#ifndef ATTAIN_SIMULATOR_SENSITIVITY_ASSUMPTIONS_H_
#define ATTAIN_SIMULATOR_SENSITIVITY_ASSUMPTIONS_H_

#include <cstddef>
#include <vector>

#include "simulator/model.h"
#include "simulator/validation.h"

namespace attain {

enum class Assumption {
  kLift,               // response.max_lift of every partner
  kHalfEffortHours,    // response.half_effort_hours of every partner
  kChurnRate,          // retention.churn_rate of every partner
  kVolatility,         // volatility of every partner
  kGrowthRate,         // growth_rate of every partner
  kMarketCorrelation,  // market_correlation of every partner
  kBaselineRevenue,    // baseline_revenue of one partner
};

// The parameter's field name: "max_lift", "half_effort_hours", "churn_rate", ...
const char* AssumptionName(Assumption assumption);

enum class RangeSource {
  kDefaultRange,   // the factor (or shift) of AssumptionRanges
  kStandardError,  // value -/+ kStandardErrorZ x the partner's standard error
};

// The multiple of a standard error at each end of a STANDARD_ERROR range: the two-sided
// 90% normal quantile, so that each end is a plausible, not an extreme, value.
inline constexpr double kStandardErrorZ = 1.645;

// A baseline clipped at its low end keeps at least this share of its value (a baseline
// must stay > 0).
inline constexpr double kMinBaselineShare = 0.01;

// Churn, and market plus segment correlation, stay this far below 1 (their open upper
// bound) when an end is clipped.
inline constexpr double kOpenBoundMargin = 1e-3;

// Largest factor of a default range, and largest growth shift (per period): far beyond
// any plausible range, small enough that no product overflows.
inline constexpr double kMaxRangeFactor = 100;
inline constexpr double kMaxGrowthShift = 1;
// Most partners whose baselines are varied one by one (each costs two runs).
inline constexpr size_t kMaxTopPartners = 100;

// The low and high end of a range: factors (both > 0 unless stated), or a shift.
struct SensitivityRange {
  double low = 0;
  double high = 0;
};

// The ranges of a tornado. Defaults are wide enough to cover what a manager might
// plausibly believe without data: lift and hours to half effect are the least known,
// churn can easily be off by two, volatility and correlation less so, and a partner's
// next-period baseline is usually known within 20%.
struct AssumptionRanges {
  SensitivityRange max_lift_factor{0.5, 1.5};
  SensitivityRange half_effort_hours_factor{0.5, 2.0};
  SensitivityRange churn_rate_factor{0.5, 2.0};
  SensitivityRange volatility_factor{0.75, 1.5};
  // Added to every growth_rate, per period: -0.01..+0.01 is one point of growth per
  // period either way.
  SensitivityRange growth_rate_shift{-0.01, 0.01};
  SensitivityRange market_correlation_factor{0.5, 1.5};
  // Applied to one partner's baseline at a time.
  SensitivityRange baseline_revenue_factor{0.8, 1.2};
  // The partners whose baselines are varied: this many with the largest exact expected
  // revenue under the plan (fewer if the portfolio has fewer). Each costs two runs.
  size_t top_partners = 5;
  // Use the portfolio's standard errors where it has them; false: default ranges only.
  bool use_standard_errors = true;
};

// The ranges' own rules, with fields as named above ("max_lift_factor.low"): every
// factor finite with 0 <= low <= 1 <= high <= kMaxRangeFactor (low > 0 for half effort
// hours and baselines, which must stay > 0); the growth shift -kMaxGrowthShift <= low
// <= 0 <= high <= kMaxGrowthShift; top_partners <= kMaxTopPartners.
Violations ValidateRanges(const AssumptionRanges& ranges);

// One assumption of a tornado.
struct AssumptionSpec {
  Assumption assumption = Assumption::kLift;
  size_t partner = 0;  // kBaselineRevenue: the partner's index in the portfolio
  RangeSource source = RangeSource::kDefaultRange;
};

// The assumptions for `portfolio` under `plan`: the six portfolio-wide ones in
// Assumption order, then the baselines of the top partners by exact expected revenue
// under the plan (ExpectedPartnerRevenue), largest first, ties in portfolio order.
// REQUIRES: `plan` is resolved on `portfolio`.
std::vector<AssumptionSpec> ListAssumptions(const Portfolio& portfolio, const ResolvedPlan& plan,
                                            const AssumptionRanges& ranges);

enum class RangeEnd { kLow, kHigh };

// What an end applies: the factor, the growth shift, or (STANDARD_ERROR) the multiple of
// each partner's standard error, -kStandardErrorZ or +kStandardErrorZ.
double EndSetting(const AssumptionSpec& spec, RangeEnd end, const AssumptionRanges& ranges);

// `portfolio` with the assumption at `end`, clipped to each parameter's valid range.
// Where a partner's moved value breaks a bound that couples several fields (growth that
// compounds past the revenue limit, too many expected deals per period under `limits`),
// it moves only as far as stays valid (found by bisection between its base value and
// the end). The result passes ValidatePortfolio(limits).
Portfolio PortfolioAtEnd(const Portfolio& portfolio, const AssumptionSpec& spec, RangeEnd end,
                         const AssumptionRanges& ranges, const Limits& limits);

// The assumption's parameter in `portfolio`: the partner's value for a baseline, the
// mean over partners for a portfolio-wide assumption.
double AssumptionValue(const Portfolio& portfolio, const AssumptionSpec& spec);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SENSITIVITY_ASSUMPTIONS_H_
