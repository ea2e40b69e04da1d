#include "simulator/statistics.h"

#include <algorithm>
#include <array>
#include <vector>

namespace attain {

void UnitSums::Merge(const UnitSums& other) {
  if (other.units_ == 0) return;
  if (units_ == 0) {
    *this = other;
    return;
  }
  const double n_a = static_cast<double>(units_);
  const double n_b = static_cast<double>(other.units_);
  const double mean_a = Mean();
  const double mean_b = other.Mean();
  const double delta = mean_b - mean_a;
  const double n = n_a + n_b;
  const double squares =
      SquaredDeviations() + other.SquaredDeviations() + delta * delta * n_a * n_b / n;
  shift_ = mean_a + delta * n_b / n;
  sum_ = 0;
  sum_squares_ = squares;
  units_ += other.units_;
}

double UnitSums::SquaredDeviations() const {
  if (units_ == 0) return 0;
  return std::max(0.0, sum_squares_ - sum_ * sum_ / static_cast<double>(units_));
}

double UnitSums::StdError() const {
  if (units_ < 2) return 0;
  const double n = static_cast<double>(units_);
  return std::sqrt(SquaredDeviations() / (n - 1) / n);
}

Interval UnitSums::NormalInterval() const {
  const double half = kZ95 * StdError();
  return {Mean() - half, Mean() + half};
}

void ControlledSums::Add(double y, double c) {
  ++units_;
  const double n = static_cast<double>(units_);
  const double dy = y - y_mean_;
  const double dc = c - c_mean_;
  y_mean_ += dy / n;
  c_mean_ += dc / n;
  y_squares_ += dy * (y - y_mean_);
  c_squares_ += dc * (c - c_mean_);
  co_moment_ += dy * (c - c_mean_);
}

void ControlledSums::Merge(const ControlledSums& other) {
  if (other.units_ == 0) return;
  if (units_ == 0) {
    *this = other;
    return;
  }
  const double n_a = static_cast<double>(units_);
  const double n_b = static_cast<double>(other.units_);
  const double n = n_a + n_b;
  const double dy = other.y_mean_ - y_mean_;
  const double dc = other.c_mean_ - c_mean_;
  y_squares_ += other.y_squares_ + dy * dy * n_a * n_b / n;
  c_squares_ += other.c_squares_ + dc * dc * n_a * n_b / n;
  co_moment_ += other.co_moment_ + dy * dc * n_a * n_b / n;
  y_mean_ += dy * n_b / n;
  c_mean_ += dc * n_b / n;
  units_ += other.units_;
}

double ControlledSums::Mean(double control_mean) const {
  return y_mean_ - Beta() * (c_mean_ - control_mean);
}

double ControlledSums::StdError(double control_mean) const {
  if (units_ < 3) return 0;
  const double n = static_cast<double>(units_);
  const double residual_squares = std::max(0.0, y_squares_ - Beta() * co_moment_);
  const double variance = residual_squares / (n - 2);
  const double offset = c_mean_ - control_mean;
  const double leverage = c_squares_ > 0 ? offset * offset / c_squares_ : 0;
  return std::sqrt(variance * (1 / n + leverage));
}

Interval WilsonInterval(const UnitSums& hits, uint64_t paths) {
  if (paths == 0) return {0, 1};
  const double p = hits.Mean();
  const double se = hits.StdError();
  double n = static_cast<double>(paths);
  if (se > 0 && hits.units() < paths) n = p * (1 - p) / (se * se);
  const double z2 = kZ95 * kZ95;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

Interval ConditionalProbabilityInterval(const UnitSums& values, uint64_t paths) {
  if (values.StdError() == 0) return WilsonInterval(values, paths);
  const Interval normal = values.NormalInterval();
  return {std::max(0.0, normal.low), std::min(1.0, normal.high)};
}

Interval ControlledProbabilityInterval(double mean, double std_error, const UnitSums& values,
                                       uint64_t paths) {
  if (std_error == 0) return ConditionalProbabilityInterval(values, paths);
  return {std::max(0.0, mean - kZ95 * std_error), std::min(1.0, mean + kZ95 * std_error)};
}

namespace {

// The k-th smallest of `values` (0-based). A sorted sample of 128 values brackets the
// k-th by two pivots; one branch-free pass counts the values below the bracket and
// copies those inside it to `scratch`, and only those are selected from. A bracket that
// misses (possible, never wrong) falls back to selecting from all values.
template <class T>
T OrderStatistic(std::span<const T> values, size_t k, std::vector<T>& scratch) {
  const size_t n = values.size();
  constexpr size_t kSample = 128;
  constexpr size_t kMargin = 12;  // sample ranks on each side of k's
  scratch.resize(n);
  if (n > 4 * kSample) {
    std::array<T, kSample> sample;
    for (size_t j = 0; j < kSample; ++j) sample[j] = values[j * n / kSample];
    std::sort(sample.begin(), sample.end());
    const size_t at = k * (kSample - 1) / (n - 1);
    const T low = sample[at > kMargin ? at - kMargin : 0];
    const T high = sample[std::min(at + kMargin, kSample - 1)];
    size_t below = 0;
    size_t inside = 0;
    for (const T v : values) {
      below += v < low;
      scratch[inside] = v;
      inside += (v >= low) & (v <= high);
    }
    if (below <= k && k < below + inside) {
      const auto nth = scratch.begin() + static_cast<std::ptrdiff_t>(k - below);
      std::nth_element(scratch.begin(), nth, scratch.begin() + static_cast<std::ptrdiff_t>(inside));
      return *nth;
    }
  }
  std::copy(values.begin(), values.end(), scratch.begin());
  const auto nth = scratch.begin() + static_cast<std::ptrdiff_t>(k);
  std::nth_element(scratch.begin(), nth, scratch.end());
  return *nth;
}

}  // namespace

template <class T>
void Quantiles(std::span<const T> values, std::span<const double> qs, std::span<double> out) {
  std::vector<T> scratch;
  for (size_t j = 0; j < qs.size(); ++j) {
    const double position = qs[j] * static_cast<double>(values.size() - 1);
    const size_t below = static_cast<size_t>(position);
    const double low = static_cast<double>(OrderStatistic(values, below, scratch));
    const double fraction = position - static_cast<double>(below);
    if (fraction == 0 || below + 1 >= values.size()) {
      out[j] = low;
      continue;
    }
    const double high = static_cast<double>(OrderStatistic(values, below + 1, scratch));
    out[j] = low + fraction * (high - low);
  }
}

template void Quantiles<double>(std::span<const double>, std::span<const double>,
                                std::span<double>);
template void Quantiles<float>(std::span<const float>, std::span<const double>,
                               std::span<double>);

}  // namespace attain
