// The fit of one partner's log revenue over its active periods (calibration.h):
//   y_t = a + (t - 1) beta + log(1 + L f_t) + e_t,   f_t = h_t / (h_t + h50),
// with the common shocks already taken out of y. Robust Gauss-Newton: iteratively
// reweighted least squares with Huber weights, so a stray month does not move the fit.
// L is free (it may come out negative: a downward pull of noise the shrinkage then
// weighs) unless the hours hardly vary, when it is held at a given value.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_PARTNER_FIT_H_
#define ATTAIN_SIMULATOR_PARTNER_FIT_H_

#include <array>
#include <optional>
#include <span>

namespace attain {

// Huber's tuning constant: 95% efficiency at normal errors.
inline constexpr double kHuberK = 1.345;

struct PartnerFit {
  double a = 0;      // log revenue at t = 1, net of lift
  double beta = 0;   // log(1 + g)
  double lift = 0;   // L (the held value when not free)
  bool lift_free = false;
  // Covariance of (a, beta, lift): scale^2 (J' W J)^-1; the lift row and column are 0
  // when it is held.
  std::array<std::array<double, 3>, 3> covariance{};
  double scale = 0;  // residual standard deviation, weighted, with degrees of freedom
  // sum_t rho(r_t / s) for Huber's rho and the fit's Huber scale s: half a -2 log
  // likelihood, smooth in the data when s is fixed (FitOptions::huber_scale).
  double huber_loss = 0;
  int periods = 0;   // active periods used
};

struct FitOptions {
  // Hold L at this value instead of fitting it.
  std::optional<double> held_lift;
  // The scale of the Huber weights; unset: 1.4826 x the residuals' median absolute value,
  // at each iteration. Fixed, the loss is a smooth function of h50 (for its profile).
  std::optional<double> huber_scale;
};

// Fits the partner on the periods where `use` is set. A free L the data cannot separate
// from the level (hours that barely vary) is held at 0. REQUIRES: at least 3 periods
// used (2 with a held lift); spans of one length; f in [0, 1).
PartnerFit FitPartner(std::span<const double> log_revenue, std::span<const double> f,
                      std::span<const char> use, const FitOptions& options = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PARTNER_FIT_H_
