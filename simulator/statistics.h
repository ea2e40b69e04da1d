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

  // The sums as they are, to send a block's output to another replica (block_codec.h)
  // and rebuild it there bit for bit.
  struct State {
    double shift = 0;
    double sum = 0;
    double sum_squares = 0;
    uint64_t units = 0;
  };
  State state() const { return {shift_, sum_, sum_squares_, units_}; }
  static UnitSums FromState(const State& state) {
    UnitSums sums;
    sums.shift_ = state.shift;
    sums.sum_ = state.sum;
    sums.sum_squares_ = state.sum_squares;
    sums.units_ = state.units;
    return sums;
  }

 private:
  double SquaredDeviations() const;  // sum of (value - Mean())^2

  double shift_ = 0;
  double sum_ = 0;          // of value - shift_
  double sum_squares_ = 0;  // of (value - shift_)^2
  uint64_t units_ = 0;
};

// Mean of a per-unit value y with a control variate c of known mean (Welford sums of
// both and their co-moment, merged with Chan's formulas): the estimate
// mean(y) - beta (mean(c) - known mean), beta = cov(y, c) / var(c) from the same units,
// and its standard error from the regression's residuals, including beta's own error.
// Unbiased to O(1/units); with c constant it is the plain mean.
class ControlledSums {
 public:
  void Add(double y, double c);
  void Merge(const ControlledSums& other);

  uint64_t units() const { return units_; }
  double Beta() const { return c_squares_ > 0 ? co_moment_ / c_squares_ : 0; }
  double Mean(double control_mean) const;
  // 0 with fewer than three units.
  double StdError(double control_mean) const;

 private:
  uint64_t units_ = 0;
  double y_mean_ = 0;
  double c_mean_ = 0;
  double y_squares_ = 0;  // sum of (y - y_mean)^2
  double c_squares_ = 0;  // sum of (c - c_mean)^2
  double co_moment_ = 0;  // sum of (y - y_mean)(c - c_mean)
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

// ControlledSums of fn(path) = (y, c) over `paths` paths, pairs averaged as SumUnits.
template <class PathValue>
ControlledSums SumControlledUnits(size_t paths, bool pairs, PathValue fn) {
  ControlledSums sums;
  if (pairs) {
    for (size_t j = 0; j + 1 < paths; j += 2) {
      const auto [y0, c0] = fn(j);
      const auto [y1, c1] = fn(j + 1);
      sums.Add(0.5 * (y0 + y1), 0.5 * (c0 + c1));
    }
  } else {
    for (size_t j = 0; j < paths; ++j) {
      const auto [y, c] = fn(j);
      sums.Add(y, c);
    }
  }
  return sums;
}

// 95% Wilson score interval for a probability estimated from the indicator sums `hits`
// over `paths` paths. Antithetic pairs are not independent Bernoulli trials, so the
// interval uses the effective sample size p(1-p)/SE^2 when the pairs' SE is positive.
Interval WilsonInterval(const UnitSums& hits, uint64_t paths);

// 95% interval for a probability estimated as the mean of per-unit conditional
// probabilities (each in [0, 1]): the normal interval, within [0, 1]. When every value
// is the same there is no spread to estimate an error from, and it is the Wilson
// interval of as many indicators with that mean: what counting would claim.
Interval ConditionalProbabilityInterval(const UnitSums& values, uint64_t paths);

// 95% interval for a probability estimated with a control variate (`mean`, `std_error`
// from ControlledSums): the normal interval, within [0, 1]; with no error to go by, the
// ConditionalProbabilityInterval of the uncontrolled `values`.
Interval ControlledProbabilityInterval(double mean, double std_error, const UnitSums& values,
                                       uint64_t paths);

// The interval of P(attain) for either estimator: ConditionalProbabilityInterval of
// conditional probabilities, WilsonInterval of indicators.
inline Interval AttainmentInterval(const UnitSums& values, uint64_t paths, bool conditional) {
  return conditional ? ConditionalProbabilityInterval(values, paths)
                     : WilsonInterval(values, paths);
}

// The `qs`-quantiles (each in [0, 1]) of `values` into `out`, with linear
// interpolation between order statistics (Hyndman-Fan type 7, as NumPy's default).
// Selection, not sorting: each order statistic takes one counting pass over `values`
// and a selection within a narrow band around it. REQUIRES: !values.empty();
// out.size() == qs.size().
template <class T>
void Quantiles(std::span<const T> values, std::span<const double> qs, std::span<double> out);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_STATISTICS_H_
