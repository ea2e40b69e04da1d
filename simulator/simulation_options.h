// Options of one simulation run. Plain struct; defaults are the documented API defaults.
#ifndef ATTAIN_SIMULATOR_SIMULATION_OPTIONS_H_
#define ATTAIN_SIMULATOR_SIMULATION_OPTIONS_H_

#include <cstdint>
#include <optional>

namespace attain {

// How a run estimates P(attain) from its paths.
enum class AttainmentEstimator {
  // kConditional for a run with a precision target, which it reaches on far fewer paths;
  // kPathCount for a run of fixed paths, which it keeps as fast as counting (a
  // conditional path costs some 3 counted ones).
  kDefault,
  // Conditional Monte Carlo: each path contributes the probability that the horizon
  // revenue reaches the quota given every draw of the path but the level of the common
  // factors, closed form in that level (path_attainment.h; docs/model.md, "How P(attain)
  // is estimated"). Unbiased, with a normal interval, several times narrower for the
  // same paths when the market and segments move revenue.
  kConditional,
  // Each path contributes 1 when it reaches the quota, else 0; Wilson interval.
  kPathCount,
};

struct SimulationOptions {
  // Paths to simulate; with a precision target, the minimum before the target is checked.
  uint64_t paths = 10'000;
  // Unset: a seed is drawn and reported with the result.
  std::optional<uint64_t> seed;
  // Pair each path with its mirror image; paths round up to an even number.
  bool antithetic = false;
  // > 0: run until the 95% half-width of every plan's P(attain) is at most this.
  double target_ci_half_width = 0;
  // Cap on paths when target_ci_half_width > 0.
  uint64_t max_paths = 1'000'000;
  // Draw the baseline, growth, lift and churn of every partner with standard errors
  // (Partner::errors) per path around their values (parameter_draws.h; docs/model.md,
  // "Parameter uncertainty"), from a random stream of their own: the other draws of a
  // path are the plain run's. Default off. No cost, and the plain run bit for bit, when
  // no partner has errors; otherwise about 2 x plans x periods more operations per path
  // and drawn partner.
  bool parameter_uncertainty = false;
  // Other outputs (revenue, percentiles, on-track probabilities, uplift) are the paths'
  // own either way.
  AttainmentEstimator attainment_estimator = AttainmentEstimator::kDefault;
};

// The estimator a run uses: kDefault resolved by the precision target.
inline AttainmentEstimator ResolvedEstimator(const SimulationOptions& options) {
  if (options.attainment_estimator != AttainmentEstimator::kDefault) {
    return options.attainment_estimator;
  }
  return options.target_ci_half_width > 0 ? AttainmentEstimator::kConditional
                                          : AttainmentEstimator::kPathCount;
}

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SIMULATION_OPTIONS_H_
