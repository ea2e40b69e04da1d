#include "simulator/statistics.h"

#include <algorithm>

namespace attain {

double UnitSums::StdError() const {
  if (units < 2) return 0;
  const double n = static_cast<double>(units);
  const double variance = std::max(0.0, (sum_squares - sum * sum / n) / (n - 1));
  return std::sqrt(variance / n);
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
  if (se > 0 && hits.units < paths) n = p * (1 - p) / (se * se);
  const double z2 = kZ95 * kZ95;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

template <class T>
double QuantileInPlace(std::span<T> values, double q) {
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(position);
  auto nth = values.begin() + static_cast<std::ptrdiff_t>(below);
  std::nth_element(values.begin(), nth, values.end());
  const double low = static_cast<double>(*nth);
  if (below + 1 >= values.size()) return low;
  const double high = static_cast<double>(*std::min_element(nth + 1, values.end()));
  return low + (position - static_cast<double>(below)) * (high - low);
}

template double QuantileInPlace<double>(std::span<double>, double);
template double QuantileInPlace<float>(std::span<float>, double);

}  // namespace attain
