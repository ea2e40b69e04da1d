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

// Mean and variance of a per-unit value, a unit being one path or one antithetic pair
// (averaged). Sums are kept around a shift (the first value, then the running mean) and
// merged with Chan's formula, so large means with small spreads keep their precision.
class UnitSums {
 public:
  void Add(double value) {
    if (units_ == 0) shift_ = value;
    const double d = value - shift_;
    sum_ += d;
    sum_squares_ += d * d;
    ++units_;
  }
  void Merge(const UnitSums& other);

  uint64_t units() const { return units_; }
  double Mean() const { return units_ == 0 ? 0 : shift_ + sum_ / static_cast<double>(units_); }
  // Standard error of Mean(); 0 with fewer than two units.
  double StdError() const;
  // Mean() +- kZ95 * StdError().
  Interval NormalInterval() const;

 private:
  double SquaredDeviations() const;  // sum of (value - Mean())^2

  double shift_ = 0;
  double sum_ = 0;          // of value - shift_
  double sum_squares_ = 0;  // of (value - shift_)^2
  uint64_t units_ = 0;
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

// The `qs`-quantiles (each in [0, 1]) of `values` into `out`, with linear
// interpolation between order statistics (Hyndman-Fan type 7, as NumPy's default).
// Selection, not sorting: each order statistic takes one counting pass over `values`
// and a selection within a narrow band around it. REQUIRES: !values.empty();
// out.size() == qs.size().
template <class T>
void Quantiles(std::span<const T> values, std::span<const double> qs, std::span<double> out);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_STATISTICS_H_
