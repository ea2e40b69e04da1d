// Calibration: partner models from a CRM history of revenue and hours, answering "who
// sells whether I show up or not" with estimates rather than guesses.
//
// The history is the model with each period's own hours (docs/model.md, "Calibration").
// Per partner, log revenue over its active periods is fitted as a + (t-1) log(1+g) +
// log(1 + L f(h_t)) plus shocks; shocks shared by all partners in a period (the market)
// and within a segment are taken out first. h50, the hours of half the lift, is shared
// and chosen by the profile of the fit over a grid. L and g are shrunk toward their
// pooled means by empirical Bayes, so a partner whose hours hardly varied borrows the
// portfolio's response. Churn is fitted on the active -> dormant transitions, pooled.
// Every estimate carries a standard error, and flags say where the data cannot identify
// it.
//
// Pure functions; thread-safe. Milliseconds for hundreds of partners.
#ifndef ATTAIN_SIMULATOR_CALIBRATION_H_
#define ATTAIN_SIMULATOR_CALIBRATION_H_

#include <string>
#include <vector>

#include "simulator/history.h"
#include "simulator/model.h"
#include "simulator/validation.h"

namespace attain {

// Where the data cannot pin a partner's estimate down.
enum class CalibrationFlag {
  kNoHoursVariation,      // its hours never changed: its lift is the pooled one
  kWeakHoursVariation,    // its f(h) varied by less than kWeakVariationSd
  kHoursBelowHalfEffort,  // its hours stayed under half of h50: the curve's top is a guess
  kShortHistory,          // fewer than kShortHistoryPeriods active periods
  kPossiblyDormant,       // no revenue in the last period only
  kDormant,               // no revenue in its last kDormantAfterZeroPeriods or more
};
const char* CalibrationFlagName(CalibrationFlag flag);  // e.g. "NO_HOURS_VARIATION"

// Thresholds of the fit and its flags (docs/model.md, "Calibration").
inline constexpr int kDormantAfterZeroPeriods = 2;
inline constexpr int kMinFitPeriods = 4;       // fewer: pooled growth and lift
inline constexpr int kShortHistoryPeriods = 12;
inline constexpr double kNoVariationSd = 1e-9;  // of f(h) over the active periods
inline constexpr double kWeakVariationSd = 0.05;
inline constexpr double kHalfEffortReach = 0.5;  // max hours below this x h50: flagged
inline constexpr int kRecentPeriods = 3;         // "current" hours: their mean
// A lift the data cannot identify (no partner's hours varied) keeps the base portfolio's
// value or the model's default, with this standard error: as uncertain as it is large.
inline constexpr double kUnidentifiedLiftStdError = 0.3;

struct Estimate {
  double value = 0;
  double std_error = 0;
};

struct PartnerCalibration {
  std::string partner_id;
  std::string name;
  // The unassisted expected revenue of the first period after the history.
  Estimate baseline_revenue;
  Estimate growth_rate;
  Estimate volatility;
  Estimate max_lift;
  Estimate market_correlation;
  double lift_shrinkage = 0;    // weight of the pooled lift in max_lift, in [0, 1]
  double growth_shrinkage = 0;  // the same for growth
  // Expected revenue with no hours over that with its recent hours, over the calibrated
  // portfolio's horizon: near 1, it sells whether the manager shows up or not.
  double self_sufficiency = 1;
  double recent_hours = 0;      // mean of its last kRecentPeriods active periods
  Tier tier = Tier::kOpportunistic;
  bool tier_from_hours = false;  // not in a base portfolio: read from its recent hours
  int active_periods = 0;
  int dormant_since = 0;        // first period of its trailing zeros; 0 when active
  std::vector<CalibrationFlag> flags;
};

struct CalibrationDiagnostics {
  int partners = 0;
  int periods = 0;
  int partners_fitted = 0;                // with at least kMinFitPeriods active periods
  int partners_with_hours_variation = 0;  // whose lift the data identifies
  int dormant_partners = 0;               // left out of the calibrated portfolio
  double residual_scale = 0;              // median idiosyncratic sd of log revenue
  bool response_identified = false;       // some partner's hours varied
  Estimate half_effort_hours;             // shared h50
  bool half_effort_identified = false;    // the profile over h50 has a clear minimum
  Estimate pooled_max_lift;
  double max_lift_between_sd = 0;         // tau of the partners' lifts
  Estimate pooled_growth_rate;
  Estimate churn_rate;
  double retention_hours = 0;             // given (base or default), not fitted

  int dormancy_transitions = 0;
  int periods_at_risk = 0;
  double market_variance = 0;             // of log revenue per period
  double segment_correlation = 0;
};

struct Calibration {
  Portfolio portfolio;  // ready to simulate: the active partners, with standard errors
  std::vector<PartnerCalibration> partners;  // every partner of the history, in its order
  CalibrationDiagnostics diagnostics;
};

// A base portfolio's partners that have no rows in the history ("partners[3].id"), and
// its other violations, relative to it. An empty result means Calibrate may run.
Violations ValidateCalibrationBase(const History& history, const Portfolio& base,
                                   const Limits& limits);

// Calibrates the history. `base` (may be null) gives quota, horizon, capacity, tier
// policy, seasonality, current tiers, segments, revenue models, ramp and retention
// hours (growth boost is set to 0); without it the defaults of docs/model.md apply and each tier is read
// from the recent hours. REQUIRES: `history` built by BuildHistory; `base`, if given,
// passes ValidateCalibrationBase.
Calibration Calibrate(const History& history, const Portfolio* base);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_CALIBRATION_H_
