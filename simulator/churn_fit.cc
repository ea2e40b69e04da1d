#include "simulator/churn_fit.h"

#include <cmath>

namespace attain {
namespace {

// c stays inside (0, 1).
constexpr double kMinChurn = 1e-9;
constexpr double kMaxChurn = 0.999;
constexpr int kBisections = 100;

// The c maximizing the likelihood: the score is decreasing in c (the likelihood is
// concave), so bisection on it.
double BestChurn(std::span<const RiskPeriod> risk, double hr) {
  double lo = kMinChurn;
  double hi = kMaxChurn;
  for (int i = 0; i < kBisections; ++i) {
    const double c = 0.5 * (lo + hi);
    double score = 0;
    for (const RiskPeriod& r : risk) {
      const double w = hr / (hr + r.hours);
      score += r.went_dormant ? 1 / c : -w / (1 - c * w);
    }
    (score > 0 ? lo : hi) = c;
  }
  return 0.5 * (lo + hi);
}

// c's standard error from its observed information.
double ChurnStdError(std::span<const RiskPeriod> risk, double c, double hr) {
  double information = 0;
  for (const RiskPeriod& r : risk) {
    const double w = hr / (hr + r.hours);
    information += r.went_dormant ? 1 / (c * c) : (w * w) / ((1 - c * w) * (1 - c * w));
  }
  return information > 0 ? 1 / std::sqrt(information) : 0;
}

}  // namespace

ChurnFit FitChurn(std::span<const RiskPeriod> risk, double retention_hours) {
  ChurnFit fit;
  fit.retention_hours = retention_hours;
  fit.periods_at_risk = static_cast<int>(risk.size());
  for (const RiskPeriod& r : risk) fit.transitions += r.went_dormant;
  if (risk.empty()) return fit;
  if (fit.transitions == 0) {  // the maximum is c = 0
    fit.churn_rate_std_error = 1.0 / fit.periods_at_risk;
    return fit;
  }
  fit.churn_rate = BestChurn(risk, retention_hours);
  fit.churn_rate_std_error = ChurnStdError(risk, fit.churn_rate, retention_hours);
  return fit;
}

}  // namespace attain
