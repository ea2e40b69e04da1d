#include "simulator/common_shocks.h"

#include <algorithm>
#include <cstddef>

namespace attain {
namespace {

// The variance of the median of n normal values is about pi / 2 times that of their mean.
constexpr double kMedianVarianceFactor = 1.5707963267948966;

double Median(std::vector<double>& values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (values.size() % 2 == 1) return *middle;
  return 0.5 * (*middle + *std::max_element(values.begin(), middle));
}

// Removes the least-squares line in t from `effect` (where counted[t] > 0); returns its
// variance about 0 over those periods, net of `noise_per_partner` / counted[t].
double Detrend(std::vector<double>& effect, const std::vector<int>& counted,
               double noise_per_partner) {
  double n = 0, st = 0, sy = 0, stt = 0, sty = 0;
  for (size_t t = 0; t < effect.size(); ++t) {
    if (counted[t] == 0) continue;
    const double x = static_cast<double>(t);
    n += 1;
    st += x;
    sy += effect[t];
    stt += x * x;
    sty += x * effect[t];
  }
  if (n == 0) return 0;
  const double denominator = n * stt - st * st;
  const double slope = denominator > 0 ? (n * sty - st * sy) / denominator : 0;
  const double intercept = (sy - slope * st) / n;
  double squares = 0;
  double noise = 0;
  for (size_t t = 0; t < effect.size(); ++t) {
    if (counted[t] == 0) {
      effect[t] = 0;
      continue;
    }
    effect[t] -= intercept + slope * static_cast<double>(t);
    squares += effect[t] * effect[t];
    noise += kMedianVarianceFactor * noise_per_partner / counted[t];
  }
  // Two degrees of freedom went to the line.
  const double variance = n > 2 ? squares / (n - 2) : 0;
  return std::max(0.0, variance - noise / n);
}

}  // namespace

CommonShocks EstimateCommonShocks(const std::vector<std::vector<double>>& residuals,
                                  const std::vector<std::vector<char>>& use,
                                  const std::vector<int>& segment_of, int segments,
                                  double idiosyncratic_variance) {
  const size_t periods = residuals.empty() ? 0 : residuals[0].size();
  CommonShocks shocks;
  shocks.period.assign(periods, 0.0);
  shocks.segment.assign(static_cast<size_t>(segments), std::vector<double>(periods, 0.0));
  shocks.segment_variance.assign(static_cast<size_t>(segments), 0.0);
  std::vector<int> counted(periods, 0);
  std::vector<double> column;
  for (size_t t = 0; t < periods; ++t) {
    column.clear();
    for (size_t i = 0; i < residuals.size(); ++i) {
      if (use[i][t]) column.push_back(residuals[i][t]);
    }
    counted[t] = static_cast<int>(column.size());
    if (!column.empty()) shocks.period[t] = Median(column);
  }
  shocks.period_variance = Detrend(shocks.period, counted, idiosyncratic_variance);
  for (int k = 0; k < segments; ++k) {
    std::vector<int> segment_counted(periods, 0);
    std::vector<double>& effect = shocks.segment[static_cast<size_t>(k)];
    for (size_t t = 0; t < periods; ++t) {
      column.clear();
      for (size_t i = 0; i < residuals.size(); ++i) {
        if (segment_of[i] == k && use[i][t]) column.push_back(residuals[i][t] - shocks.period[t]);
      }
      segment_counted[t] = static_cast<int>(column.size());
      if (!column.empty()) effect[t] = Median(column);
    }
    shocks.segment_variance[static_cast<size_t>(k)] =
        Detrend(effect, segment_counted, idiosyncratic_variance);
  }
  return shocks;
}

}  // namespace attain
