// Statistics of simulated paths: means with standard errors (antithetic pairs averaged
// before accumulation), Wilson intervals for probabilities, and sample quantiles.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_STATISTICS_H_
#define ATTAIN_SIMULATOR_STATISTICS_H_

#include <cmath>
#include <cstdint>
#include <span>

namespace attain {

inline constexpr double kZ95 = 1.959963984540054;  // Phi^-1(0.975)

struct Interval {
  double low = 0;
  double high = 0;
  double HalfWidth() const { return 0.5 * (high - low); }
};

// Sums of a per-unit value, a unit being one path or one antithetic pair (averaged).
struct UnitSums {
  double sum = 0;
  double sum_squares = 0;
  uint64_t units = 0;

  void Add(double value) {
    sum += value;
    sum_squares += value * value;
    ++units;
  }
  void Merge(const UnitSums& other) {
    sum += other.sum;
    sum_squares += other.sum_squares;
    units += other.units;
  }
  double Mean() const { return units == 0 ? 0 : sum / static_cast<double>(units); }
  // Standard error of Mean(); 0 with fewer than two units.
  double StdError() const;
  // Mean() +- kZ95 * StdError().
  Interval NormalInterval() const;
};

// Sums of fn(path) over `paths` paths; with `pairs`, paths 2j and 2j+1 form one unit.
// REQUIRES: paths is even when pairs is true.
template <class PathValue>
UnitSums SumUnits(size_t paths, bool pairs, PathValue fn) {
  UnitSums sums;
  if (pairs) {
    for (size_t j = 0; j + 1 < paths; j += 2) sums.Add(0.5 * (fn(j) + fn(j + 1)));
  } else {
    for (size_t j = 0; j < paths; ++j) sums.Add(fn(j));
  }
  return sums;
}

// 95% Wilson score interval for a probability estimated from the indicator sums `hits`
// over `paths` paths. Antithetic pairs are not independent Bernoulli trials, so the
// interval uses the effective sample size p(1-p)/SE^2 when the pairs' SE is positive.
Interval WilsonInterval(const UnitSums& hits, uint64_t paths);

// The q-quantile (0 <= q <= 1) of `values` with linear interpolation between order
// statistics (Hyndman-Fan type 7, as NumPy's default). Reorders `values`.
// REQUIRES: !values.empty().
template <class T>
double QuantileInPlace(std::span<T> values, double q);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_STATISTICS_H_
