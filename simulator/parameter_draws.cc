#include "simulator/parameter_draws.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "simulator/fast_exp.h"
#include "simulator/ziggurat.h"

namespace attain {
namespace {

// Above this se_b / b, (se_b / b)^2 could overflow; ln(1 + r^2) is then 2 ln r to the
// last bit.
constexpr double kLargeErrorRatio = 1e150;
// An envelope (the largest draw within the clip) this close to a limit counts as over
// it: FastExp and the order of operations may differ from std::exp by a few ulps.
constexpr double kEnvelopeMargin = 1 - 1e-9;

// s with s^2 = ln(1 + (se / b)^2): a lognormal of mean b and standard deviation se.
double BaselineLogSd(double baseline, double error) {
  const double ratio = error / baseline;
  return std::sqrt(ratio > kLargeErrorRatio ? 2 * std::log(ratio) : std::log1p(ratio * ratio));
}

}  // namespace

ParameterSampler::ParameterSampler(const Portfolio& portfolio,
                                   const ParameterUncertainty& uncertainty)
    : drawn_index_(portfolio.partners.size(), -1) {
  if (!uncertainty.enabled) return;
  for (int t = 1; t <= portfolio.periods; ++t) seasonality_.push_back(portfolio.Seasonality(t));
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    if (!p.errors.any()) continue;
    drawn_index_[i] = static_cast<int>(drawn_.size());
    const double log_sd = BaselineLogSd(p.baseline_revenue, p.errors.baseline_revenue);
    Drawn d{};
    d.baseline_revenue = p.baseline_revenue;
    d.log_sd = log_sd;
    d.log_drift = -0.5 * log_sd * log_sd;
    d.growth_rate = p.growth_rate;
    d.growth_error = p.errors.growth_rate;
    d.max_lift = p.max_lift;
    d.lift_error = p.errors.max_lift;
    d.churn_rate = p.churn_rate;
    d.churn_error = p.errors.churn_rate;
    d.growth_boost = p.growth_boost;
    d.peak_limit = kMaxExpectedPeriodRevenue;
    if (p.revenue_model == RevenueModel::kDeals) {
      d.peak_limit = std::min(d.peak_limit,
                              p.mean_deal_size * uncertainty.max_expected_deals_per_period);
    }
    // The largest draw of each parameter within the clip; the peak grows with each.
    const double top = kMaxParameterNormal;
    const double baseline_high =
        p.baseline_revenue * std::exp(std::max(kMinBaselineExponent, log_sd * top + d.log_drift));
    const double growth_high = std::min(kMaxGrowthRate, d.growth_rate + d.growth_error * top);
    const double lift_high = std::min(kMaxLift, d.max_lift + d.lift_error * top);
    d.capped = !(baseline_high * PeakFactor(growth_high + d.growth_boost, lift_high) <=
                 d.peak_limit * kEnvelopeMargin);
    drawn_.push_back(d);
  }
}

double ParameterSampler::PeakFactor(double growth, double lift) const {
  double compounded = 1;  // (1 + growth)^(t-1)
  double largest = 0;
  for (const double season : seasonality_) {
    largest = std::max(largest, compounded * season);
    compounded *= 1 + growth;
  }
  return largest * (1 + lift);
}

void ParameterSampler::DrawNormals(BlockEngine& stream, std::span<double> normals) const {
  for (double& z : normals) {
    z = std::clamp(StandardNormal(stream), -kMaxParameterNormal, kMaxParameterNormal);
  }
}

DrawnParameters ParameterSampler::Transform(size_t u, const double* z) const {
  const Drawn& d = drawn_[u];
  DrawnParameters out;
  // With a standard error of 0 each line returns the parameter's own value exactly.
  out.baseline_revenue =
      d.baseline_revenue * FastExp(std::max(kMinBaselineExponent, d.log_sd * z[0] + d.log_drift));
  out.growth_rate = std::clamp(d.growth_rate + d.growth_error * z[1], -1.0, kMaxGrowthRate);
  out.max_lift = std::clamp(d.max_lift + d.lift_error * z[2], 0.0, kMaxLift);
  out.churn_rate = std::clamp(d.churn_rate + d.churn_error * z[3], 0.0, kMaxDrawnChurnRate);
  if (d.capped) {
    out.baseline_revenue =
        std::min(out.baseline_revenue,
                 d.peak_limit / PeakFactor(out.growth_rate + d.growth_boost, out.max_lift));
  }
  return out;
}

}  // namespace attain
