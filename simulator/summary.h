// The outcome of a finished comparison: per plan, P(attain) with its interval, the
// revenue distribution (mean, spread, percentiles, histogram, shortfall), the on-track
// path by period, and each partner's revenue with and without the plan's hours; per
// plan after the first, its paired difference to the first. Antithetic pairs are
// averaged before they enter a variance.
//
// Called on the thread that ran the job; it waits for the partner percentile
// selections, starting them first if the run ended before they began.
#ifndef ATTAIN_SIMULATOR_SUMMARY_H_
#define ATTAIN_SIMULATOR_SUMMARY_H_

#include <vector>

#include "simulator/comparison_job.h"
#include "simulator/outcome.h"

namespace attain {

// REQUIRES: the job's run completed (RunBlocks returned OK).
Comparison Summarize(ComparisonJob& job);

// `values` in kHistogramBins equal-width bins over [low, high]; the top bin includes
// `high`. REQUIRES: low <= every value <= high.
Histogram MakeHistogram(double low, double high, const std::vector<double>& values);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SUMMARY_H_
