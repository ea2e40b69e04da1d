#include "simulator/statistics.h"

#include <algorithm>

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

template <class T>
void QuantilesInPlace(std::span<T> values, std::span<const double> qs, std::span<double> out) {
  auto unpartitioned = values.begin();  // everything before it is <= everything after
  for (size_t j = 0; j < qs.size(); ++j) {
    const double position = qs[j] * static_cast<double>(values.size() - 1);
    const size_t below = static_cast<size_t>(position);
    auto nth = values.begin() + static_cast<std::ptrdiff_t>(below);
    if (nth >= unpartitioned) std::nth_element(unpartitioned, nth, values.end());
    unpartitioned = nth + 1;
    const double low = static_cast<double>(*nth);
    const double fraction = position - static_cast<double>(below);
    if (fraction == 0 || below + 1 >= values.size()) {
      out[j] = low;
      continue;
    }
    const double high = static_cast<double>(*std::min_element(nth + 1, values.end()));
    out[j] = low + fraction * (high - low);
  }
}

template void QuantilesInPlace<double>(std::span<double>, std::span<const double>,
                                       std::span<double>);
template void QuantilesInPlace<float>(std::span<float>, std::span<const double>,
                                      std::span<double>);

}  // namespace attain
