// The shocks that partners share, on log revenue: a period effect (the market, and any
// seasonality in the history) and, within each segment, a segment-period effect. Each is
// the median, over the partners active in that period, of their residuals from their own
// fits, then centred and detrended so that it carries no level or trend: those stay with
// the partners (baseline and growth).
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_COMMON_SHOCKS_H_
#define ATTAIN_SIMULATOR_COMMON_SHOCKS_H_

#include <vector>

namespace attain {

struct CommonShocks {
  std::vector<double> period;                // [t]
  std::vector<std::vector<double>> segment;  // [segment][t]
  double period_variance = 0;                // of the market, net of estimation noise
  std::vector<double> segment_variance;      // [segment], the same
};

// `residuals[i][t]`: partner i's residual in period t where `use[i][t]`; `segment_of[i]`
// is its segment index, or -1. `idiosyncratic_variance`: the partners' typical residual
// variance, whose share (1 / partners in the average) the effect variances net out.
// REQUIRES: equal shapes.
CommonShocks EstimateCommonShocks(const std::vector<std::vector<double>>& residuals,
                                  const std::vector<std::vector<char>>& use,
                                  const std::vector<int>& segment_of, int segments,
                                  double idiosyncratic_variance);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_COMMON_SHOCKS_H_
