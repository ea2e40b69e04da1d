#include "simulator/partner_fit.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace attain {
namespace {

constexpr int kMaxIterations = 30;
// Halvings of a Gauss-Newton step before it counts as no progress.
constexpr int kMaxHalvings = 20;
// Sum of the parameters' absolute steps that ends the iterations: the loss is then
// within ~1e-14 of its minimum (it is quadratic there), smooth enough for h50's profile.
constexpr double kConverged = 1e-7;
// 1 + L f must stay positive: L at least this over -1 / max f.
constexpr double kLiftFloorMargin = 0.5;
// A pivot this small relative to the largest diagonal entry makes a system singular.
constexpr double kSingular = 1e-10;
// Beyond this the response curve is flat over any hours seen: no data pins L down there.
constexpr double kMaxFitLift = 20;

// Solves the symmetric positive (semi)definite system A x = b of size n (2 or 3) by
// Gaussian elimination with partial pivoting; false when A is singular.
bool Solve(std::array<std::array<double, 3>, 3> a, std::array<double, 3> b, int n,
           std::array<double, 3>& x) {
  double largest = 0;
  for (int k = 0; k < n; ++k) largest = std::max(largest, std::fabs(a[k][k]));
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    for (int row = col + 1; row < n; ++row) {
      if (std::fabs(a[row][col]) > std::fabs(a[pivot][col])) pivot = row;
    }
    // Relative to the largest diagonal entry: columns this close to dependent (hours that
    // barely vary, a lift collinear with the level) carry no information.
    if (std::fabs(a[pivot][col]) <= kSingular * largest) return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (int row = col + 1; row < n; ++row) {
      const double factor = a[row][col] / a[col][col];
      for (int k = col; k < n; ++k) a[row][k] -= factor * a[col][k];
      b[row] -= factor * b[col];
    }
  }
  for (int row = n - 1; row >= 0; --row) {
    double sum = b[row];
    for (int k = row + 1; k < n; ++k) sum -= a[row][k] * x[k];
    x[row] = sum / a[row][row];
  }
  return true;
}

// The inverse of the n x n matrix `a`, column by column; zeros when singular.
std::array<std::array<double, 3>, 3> Inverse(const std::array<std::array<double, 3>, 3>& a,
                                             int n) {
  std::array<std::array<double, 3>, 3> inverse{};
  for (int col = 0; col < n; ++col) {
    std::array<double, 3> unit{};
    unit[col] = 1;
    std::array<double, 3> x{};
    if (!Solve(a, unit, n, x)) return {};
    for (int row = 0; row < n; ++row) inverse[row][col] = x[row];
  }
  return inverse;
}

double Median(std::vector<double> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (values.size() % 2 == 1) return *middle;
  return 0.5 * (*middle + *std::max_element(values.begin(), middle));
}

double HuberRho(double z) {
  const double a = std::fabs(z);
  return a <= kHuberK ? 0.5 * z * z : kHuberK * a - 0.5 * kHuberK * kHuberK;
}

// The fit's parameters (a, beta, L).
using Parameters = std::array<double, 3>;

// The residuals at `x` over the used periods (0 elsewhere) into `residual`; returns
// sum_t rho(r_t / scale).
double Residuals(std::span<const double> log_revenue, std::span<const double> f,
                 std::span<const char> use, const Parameters& x, double scale,
                 std::vector<double>& residual) {
  double loss = 0;
  for (size_t t = 0; t < log_revenue.size(); ++t) {
    if (!use[t]) continue;
    residual[t] = log_revenue[t] - x[0] - static_cast<double>(t) * x[1] - std::log1p(x[2] * f[t]);
    loss += HuberRho(residual[t] / scale);
  }
  return loss;
}

}  // namespace

PartnerFit FitPartner(std::span<const double> log_revenue, std::span<const double> f,
                      std::span<const char> use, const FitOptions& options) {
  double f_max = 0;
  for (size_t t = 0; t < f.size(); ++t) {
    if (use[t]) f_max = std::max(f_max, f[t]);
  }
  const double lift_floor = f_max > 0 ? -kLiftFloorMargin / f_max : 0;
  PartnerFit fit;
  fit.lift_free = !options.held_lift;
  // Start at the mean level, so the first damped step already weighs the lift sensibly.
  double level = 0;
  int used = 0;
  for (size_t t = 0; t < log_revenue.size(); ++t) {
    if (!use[t]) continue;
    level += log_revenue[t];
    ++used;
  }
  Parameters x = {level / std::max(1, used), 0, options.held_lift.value_or(0)};
  std::vector<double> weight(log_revenue.size(), 1.0);
  std::vector<double> residual(log_revenue.size(), 0.0);
  std::vector<double> trial(log_revenue.size(), 0.0);
  std::vector<double> absolute;
  std::array<std::array<double, 3>, 3> normal{};
  double scale = options.huber_scale.value_or(1);
  Residuals(log_revenue, f, use, x, scale, residual);
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    const int n_params = fit.lift_free ? 3 : 2;
    // The Huber scale and weights at the current residuals, then a Gauss-Newton step on
    // the weighted residuals.
    if (!options.huber_scale) {
      absolute.clear();
      for (size_t t = 0; t < log_revenue.size(); ++t) {
        if (use[t]) absolute.push_back(std::fabs(residual[t]));
      }
      scale = std::max(1.4826 * Median(absolute), 1e-12);
    }
    normal = {};
    std::array<double, 3> gradient{};
    double loss = 0;
    for (size_t t = 0; t < log_revenue.size(); ++t) {
      if (!use[t]) continue;
      const double z = std::fabs(residual[t]) / scale;
      weight[t] = z <= kHuberK ? 1.0 : kHuberK / z;
      loss += HuberRho(z);
      const std::array<double, 3> j = {1.0, static_cast<double>(t), f[t] / (1 + x[2] * f[t])};
      for (int row = 0; row < n_params; ++row) {
        gradient[row] += weight[t] * j[row] * residual[t];
        for (int col = 0; col < n_params; ++col) normal[row][col] += weight[t] * j[row] * j[col];
      }
    }
    std::array<double, 3> step{};
    if (!Solve(normal, gradient, n_params, step)) {
      if (!fit.lift_free) break;
      fit.lift_free = false;  // L and the level are not separable: hold L at 0
      x[2] = 0;
      Residuals(log_revenue, f, use, x, scale, residual);
      continue;
    }
    // Damped: halve the step until the loss does not rise, so a lift pushed against its
    // bounds cannot drag the level and trend away with it.
    double size = 0;
    for (int halving = 0; halving < kMaxHalvings; ++halving) {
      Parameters candidate = {x[0] + step[0], x[1] + step[1], x[2]};
      if (fit.lift_free) candidate[2] = std::clamp(x[2] + step[2], lift_floor, kMaxFitLift);
      if (Residuals(log_revenue, f, use, candidate, scale, trial) <= loss + 1e-12 * (1 + loss)) {
        size = std::fabs(candidate[0] - x[0]) + std::fabs(candidate[1] - x[1]) +
               std::fabs(candidate[2] - x[2]);
        x = candidate;
        residual.swap(trial);
        break;
      }
      for (double& s : step) s *= 0.5;
    }
    if (size < kConverged) break;
  }
  fit.a = x[0];
  fit.beta = x[1];
  fit.lift = x[2];
  const int n_params = fit.lift_free ? 3 : 2;
  double squares = 0;
  double weights = 0;
  for (size_t t = 0; t < log_revenue.size(); ++t) {
    if (!use[t]) continue;
    const double r = residual[t];
    squares += weight[t] * r * r;
    weights += weight[t];
    fit.huber_loss += HuberRho(r / scale);
    ++fit.periods;
  }
  // The weighted residual variance, scaled to the used periods with their degrees of freedom.
  const double dof = std::max(1, fit.periods - n_params);
  fit.scale = std::sqrt(squares / weights * fit.periods / dof);
  const std::array<std::array<double, 3>, 3> inverse = Inverse(normal, n_params);
  for (int r = 0; r < n_params; ++r) {
    for (int c = 0; c < n_params; ++c) fit.covariance[r][c] = fit.scale * fit.scale * inverse[r][c];
  }
  return fit;
}

}  // namespace attain
