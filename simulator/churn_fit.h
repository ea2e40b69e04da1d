// The churn hazard, fitted by maximum likelihood on the active -> dormant transitions of
// every partner, pooled: in each period at risk (alive the period before), a partner with
// h hours goes dormant with probability q = c hr / (hr + h) (docs/model.md). c is fitted;
// hr is given: the few transitions a history holds cannot tell c and hr apart (a higher c
// with a smaller hr fits them about as well), so it keeps the base portfolio's value or
// the model's default.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_CHURN_FIT_H_
#define ATTAIN_SIMULATOR_CHURN_FIT_H_

#include <span>

namespace attain {

// One partner-period at risk of going dormant.
struct RiskPeriod {
  double hours = 0;
  bool went_dormant = false;
};

struct ChurnFit {
  double churn_rate = 0;            // c
  // From c's observed information; when no partner went dormant (c = 0), the rate of one
  // transition in the periods at risk.
  double churn_rate_std_error = 0;
  double retention_hours = 0;       // hr, as given
  int transitions = 0;
  int periods_at_risk = 0;
};

// REQUIRES: retention_hours > 0.
ChurnFit FitChurn(std::span<const RiskPeriod> risk, double retention_hours);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_CHURN_FIT_H_
