#include "simulator/shrinkage.h"

#include <algorithm>
#include <cmath>

namespace attain {
namespace {

// The restricted log-likelihood of tau^2 and the weighted mean that goes with it.
double RestrictedLogLikelihood(std::span<const double> x, std::span<const double> se,
                               double tau2, double* mean_out) {
  double sum_w = 0;
  double sum_wx = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double w = 1 / (se[i] * se[i] + tau2);
    sum_w += w;
    sum_wx += w * x[i];
  }
  const double mean = sum_wx / sum_w;
  double value = -0.5 * std::log(sum_w);
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = se[i] * se[i] + tau2;
    value -= 0.5 * (std::log(v) + (x[i] - mean) * (x[i] - mean) / v);
  }
  if (mean_out != nullptr) *mean_out = mean;
  return value;
}

// The REML tau, by golden-section search on [0, upper] (the likelihood is unimodal in
// practice; 0 is kept when nothing beats it).
double RemlBetweenSd(std::span<const double> x, std::span<const double> se) {
  if (x.size() < 2) return 0;
  double low_x = x[0];
  double high_x = x[0];
  for (const double v : x) {
    low_x = std::min(low_x, v);
    high_x = std::max(high_x, v);
  }
  double lo = 0;
  double hi = std::max(high_x - low_x, 1e-12);
  constexpr double kGolden = 0.6180339887498949;
  double c = hi - kGolden * (hi - lo);
  double d = lo + kGolden * (hi - lo);
  double fc = RestrictedLogLikelihood(x, se, c * c, nullptr);
  double fd = RestrictedLogLikelihood(x, se, d * d, nullptr);
  for (int i = 0; i < 100; ++i) {
    if (fc > fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - kGolden * (hi - lo);
      fc = RestrictedLogLikelihood(x, se, c * c, nullptr);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + kGolden * (hi - lo);
      fd = RestrictedLogLikelihood(x, se, d * d, nullptr);
    }
  }
  const double tau = 0.5 * (lo + hi);
  return RestrictedLogLikelihood(x, se, 0, nullptr) >= RestrictedLogLikelihood(x, se, tau * tau, nullptr)
             ? 0
             : tau;
}

}  // namespace

Shrunk ShrinkTowardTheMean(std::span<const double> estimates, std::span<const double> std_errors,
                           PoolCenter center) {
  Shrunk result;
  result.between_sd = RemlBetweenSd(estimates, std_errors);
  const double tau2 = result.between_sd * result.between_sd;
  double mean_var = 0;
  if (center == PoolCenter::kWeightedMean) {
    RestrictedLogLikelihood(estimates, std_errors, tau2, &result.mean);
    double sum_w = 0;
    for (const double se : std_errors) sum_w += 1 / (se * se + tau2);
    mean_var = 1 / sum_w;
  } else {
    std::vector<double> sorted(estimates.begin(), estimates.end());
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    result.mean = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    // Var(median) = 1 / (4 n p^2), p the density of the estimates at their median; with
    // p taken as the mean of the normals' peaks, (pi / 2) n / (sum v_i^-1/2)^2. A very
    // noisy estimate adds to n but hardly to the sum: the median rests on the precise.
    double sum_inverse_sd = 0;
    for (const double se : std_errors) sum_inverse_sd += 1 / std::sqrt(se * se + tau2);
    mean_var = 1.5707963267948966 * static_cast<double>(n) / (sum_inverse_sd * sum_inverse_sd);
  }
  result.mean_std_error = std::sqrt(mean_var);
  for (size_t i = 0; i < estimates.size(); ++i) {
    const double se2 = std_errors[i] * std_errors[i];
    const double b = se2 / (se2 + tau2);  // weight on the mean
    result.shrinkage.push_back(b);
    result.posterior.push_back(result.mean + (1 - b) * (estimates[i] - result.mean));
    // Var = (1 - b) se^2 given mu, plus b^2 Var(mu) for mu being estimated.
    result.posterior_std_error.push_back(std::sqrt((1 - b) * se2 + b * b * mean_var));
  }
  return result;
}

}  // namespace attain
