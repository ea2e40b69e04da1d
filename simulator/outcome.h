// What a simulation returns. Money in the portfolio currency, hours per period.
// Plain value types.
#ifndef ATTAIN_SIMULATOR_OUTCOME_H_
#define ATTAIN_SIMULATOR_OUTCOME_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "simulator/model.h"
#include "simulator/random.h"
#include "simulator/simulation_options.h"
#include "simulator/statistics.h"

namespace attain {

inline constexpr std::array<double, 7> kRevenuePercentiles = {5, 10, 25, 50, 75, 90, 95};
inline constexpr int kHistogramBins = 40;

struct PeriodOutcome {
  int period = 0;                            // 1-based
  double expected_cumulative_revenue = 0;    // E[revenue of periods 1..t]
  double on_track_threshold = 0;             // Q * seasonality share of periods 1..t
  double on_track_probability = 0;           // P(cumulative revenue >= threshold)
};

struct PartnerOutcome {
  std::string partner_id;
  Tier tier = Tier::kOpportunistic;
  double hours = 0;
  double expected_revenue = 0;
  double unassisted_expected_revenue = 0;
  double engagement_uplift = 0;  // paired mean of assisted - unassisted
  Interval engagement_uplift_interval;
  double uplift_per_hour = 0;    // uplift / (hours * periods); 0 when hours are 0
  double dormancy_probability = 0;
  double revenue_share = 0;
  double revenue_p10 = 0;
  double revenue_p90 = 0;
};

struct Histogram {
  double low = 0;
  double high = 0;
  std::vector<uint64_t> path_counts;  // kHistogramBins equal-width bins
};

struct PlanOutcome {
  std::string plan_name;
  double attainment_probability = 0;
  Interval attainment_interval;  // normal (conditional) or Wilson (path count)
  // How P(attain) was estimated: kConditional or kPathCount (ResolvedEstimator, or counted
  // where the conditional steps aside: PathAttainment::conditional).
  AttainmentEstimator attainment_estimator = AttainmentEstimator::kPathCount;
  double expected_revenue = 0;
  double revenue_std_dev = 0;
  double expected_revenue_std_error = 0;
  std::array<double, kRevenuePercentiles.size()> revenue_percentiles{};
  double expected_shortfall = 0;
  Histogram histogram;
  std::vector<PeriodOutcome> periods;
  std::vector<PartnerOutcome> partners;  // portfolio order
  double unassisted_expected_revenue = 0;
  double unassisted_attainment_probability = 0;
  double hours_used = 0;
  double capacity_hours = 0;
  bool over_capacity = false;
  uint64_t paths = 0;
  uint64_t seed = 0;
  int sampler_version = kSamplerVersion;  // what (request, seed) reproduces under
  bool antithetic = false;
  uint64_t partner_percentile_paths = 0;
  // Partners whose parameters each path drew (parameter uncertainty); 0 without it.
  uint64_t parameter_draw_partners = 0;
};

// Plan k (k >= 1) minus plan 0 of a comparison, paired path by path.
struct PlanDifference {
  std::string plan_name;
  std::string baseline_plan_name;
  double attainment_probability_difference = 0;
  Interval attainment_probability_difference_interval;
  double expected_revenue_difference = 0;
  Interval expected_revenue_difference_interval;
};

struct Comparison {
  std::vector<PlanOutcome> outcomes;
  std::vector<PlanDifference> differences;  // outcomes.size() - 1 entries
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_OUTCOME_H_
