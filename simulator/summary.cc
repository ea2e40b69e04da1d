#include "simulator/summary.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

namespace attain {
namespace {

// P(attain) of one scenario from its paths' attainment and control (PathRevenue), and
// the control's regression coefficient (0 without a control).
struct Attained {
  double probability = 0;
  Interval interval;
  double beta = 0;
};

Attained AttainedOf(const ComparisonJob& job, size_t scenario,
                    const std::vector<double>& attainment, const std::vector<double>& control) {
  const size_t paths = attainment.size();
  const bool pairs = job.options().antithetic;
  const UnitSums attained = SumUnits(paths, pairs, [&](size_t j) { return attainment[j]; });
  if (!job.controlled_attainment()) {
    return {attained.Mean(), AttainmentInterval(attained, paths, job.conditional_attainment()),
            0};
  }
  const ControlledSums controlled = SumControlledUnits(
      paths, pairs, [&](size_t j) { return std::pair(attainment[j], control[j]); });
  const double control_mean = job.ControlMean(scenario);
  const double mean = controlled.Mean(control_mean);
  return {std::clamp(mean, 0.0, 1.0),
          ControlledProbabilityInterval(mean, controlled.StdError(control_mean), attained, paths),
          controlled.Beta()};
}

// The revenue distribution and the shortfall of one plan's path revenues.
void SummarizeRevenue(const std::vector<double>& revenue, double quota, bool pairs,
                      PlanOutcome& out) {
  const size_t paths = revenue.size();
  const double n = static_cast<double>(paths);
  const UnitSums mean = SumUnits(paths, pairs, [&](size_t j) { return revenue[j]; });
  out.expected_revenue = mean.Mean();
  out.expected_revenue_std_error = mean.StdError();
  double squares = 0;
  double shortfall = 0;
  for (const double r : revenue) {
    squares += (r - out.expected_revenue) * (r - out.expected_revenue);
    shortfall += std::max(0.0, quota - r);
  }
  out.revenue_std_dev = paths > 1 ? std::sqrt(squares / (n - 1)) : 0;
  out.expected_shortfall = shortfall / n;
  std::array<double, kRevenuePercentiles.size()> fractions;
  for (size_t q = 0; q < fractions.size(); ++q) fractions[q] = kRevenuePercentiles[q] / 100;
  Quantiles(std::span<const double>(revenue), std::span<const double>(fractions),
            std::span<double>(out.revenue_percentiles));
  const auto [low, high] = std::minmax_element(revenue.begin(), revenue.end());
  out.histogram = MakeHistogram(*low, *high, revenue);
}

std::vector<PeriodOutcome> PeriodsOf(const PlanSums& sums,
                                     const std::vector<double>& on_track_threshold, double n) {
  std::vector<PeriodOutcome> periods;
  double cumulative = 0;
  for (size_t t = 0; t < sums.period_revenue.size(); ++t) {
    cumulative += sums.period_revenue[t];
    periods.push_back({static_cast<int>(t + 1), cumulative / n, on_track_threshold[t],
                       static_cast<double>(sums.on_track[t]) / n});
  }
  return periods;
}

// Partners' outcomes but their percentiles, which come from the selections.
std::vector<PartnerOutcome> PartnersOf(const ComparisonJob& job, size_t k,
                                       double expected_revenue) {
  const PlanSums& sums = job.totals().plans[k];
  const ResolvedPlan& plan = job.plans()[k];
  const double n = static_cast<double>(job.totals().paths);
  const double periods = static_cast<double>(job.portfolio().periods);
  std::vector<PartnerOutcome> partners;
  for (size_t i = 0; i < sums.partner_revenue.size(); ++i) {
    PartnerOutcome partner;
    partner.partner_id = job.portfolio().partners[i].id;
    partner.tier = plan.tiers[i];
    partner.hours = plan.hours[i];
    partner.expected_revenue = sums.partner_revenue[i] / n;
    partner.unassisted_expected_revenue = job.totals().unassisted_partner_revenue[i] / n;
    partner.engagement_uplift = sums.partner_uplift[i].Mean();
    partner.engagement_uplift_interval = sums.partner_uplift[i].NormalInterval();
    partner.uplift_per_hour =
        plan.hours[i] > 0 ? partner.engagement_uplift / (plan.hours[i] * periods) : 0;
    partner.dormancy_probability = static_cast<double>(sums.partner_dormant[i]) / n;
    partner.revenue_share = expected_revenue > 0 ? partner.expected_revenue / expected_revenue : 0;
    partners.push_back(std::move(partner));
  }
  return partners;
}

// Plan k minus plan 0, paired path by path.
PlanDifference DifferenceOf(const ComparisonJob& job, size_t k,
                            const std::vector<double>& beta_of_plans) {
  const std::vector<double>& base = job.totals().plans[0].revenue;
  const std::vector<double>& revenue = job.totals().plans[k].revenue;
  const PlanSums& base_sums = job.totals().plans[0];
  const PlanSums& sums = job.totals().plans[k];
  const size_t paths = revenue.size();
  const bool pairs = job.options().antithetic;
  // Each plan's attainment less its control's regression (none without a control):
  // the difference of the two plans' estimates, path by path.
  const double base_beta = beta_of_plans[0];
  const double beta = beta_of_plans[k];
  const double base_mean = job.controlled_attainment() ? job.ControlMean(0) : 0;
  const double mean = job.controlled_attainment() ? job.ControlMean(k) : 0;
  const UnitSums hits = SumUnits(paths, pairs, [&](size_t j) {
    return (sums.attainment[j] - beta * (sums.attainment_control[j] - mean)) -
           (base_sums.attainment[j] - base_beta * (base_sums.attainment_control[j] - base_mean));
  });
  const UnitSums gain = SumUnits(paths, pairs, [&](size_t j) { return revenue[j] - base[j]; });
  return {job.plans()[k].name, job.plans()[0].name, hits.Mean(), hits.NormalInterval(),
          gain.Mean(), gain.NormalInterval()};
}

}  // namespace

Histogram MakeHistogram(double low, double high, const std::vector<double>& values) {
  Histogram histogram{low, high, std::vector<uint64_t>(kHistogramBins)};
  const double width = (high - low) / kHistogramBins;
  for (const double v : values) {
    const double position = width > 0 ? (v - low) / width : 0;
    const int bin = std::clamp(static_cast<int>(position), 0, kHistogramBins - 1);
    ++histogram.path_counts[static_cast<size_t>(bin)];
  }
  return histogram;
}

Comparison Summarize(ComparisonJob& job) {
  const RunSums& totals = job.totals();
  const uint64_t paths = totals.paths;
  const bool pairs = job.options().antithetic;
  const double quota = job.portfolio().quota;
  PartnerPercentiles& percentiles = job.percentiles();
  // On the pool while this thread summarizes the plans.
  if (!percentiles.started()) {
    percentiles.Start(job.pool(), std::min<size_t>(percentiles.sample_paths(), paths),
                      /*blocks_left=*/0);
  }
  const std::vector<double>& unassisted_revenue = totals.unassisted_revenue;
  const UnitSums unassisted =
      SumUnits(paths, pairs, [&](size_t j) { return unassisted_revenue[j]; });
  const Attained unassisted_attained = AttainedOf(
      job, job.plans().size(), totals.unassisted_attainment, totals.unassisted_attainment_control);
  std::vector<double> beta_of_plans;
  Comparison comparison;
  for (size_t k = 0; k < job.plans().size(); ++k) {
    const ResolvedPlan& plan = job.plans()[k];
    PlanOutcome out;
    out.plan_name = plan.name;
    const Attained attained =
        AttainedOf(job, k, totals.plans[k].attainment, totals.plans[k].attainment_control);
    out.attainment_probability = attained.probability;
    out.attainment_interval = attained.interval;
    beta_of_plans.push_back(attained.beta);
    SummarizeRevenue(totals.plans[k].revenue, quota, pairs, out);
    out.attainment_estimator = job.conditional_attainment() ? AttainmentEstimator::kConditional
                                                            : AttainmentEstimator::kPathCount;
    out.periods = PeriodsOf(totals.plans[k], job.on_track_threshold(), static_cast<double>(paths));
    out.partners = PartnersOf(job, k, out.expected_revenue);
    out.unassisted_expected_revenue = unassisted.Mean();
    out.unassisted_attainment_probability = unassisted_attained.probability;
    out.hours_used = plan.hours_used;
    out.capacity_hours = job.portfolio().capacity_hours;
    out.over_capacity = plan.hours_used > job.portfolio().capacity_hours;
    out.paths = paths;
    out.seed = job.seed();
    out.antithetic = pairs;
    out.parameter_draw_partners = job.parameter_draw_partners();
    out.partner_percentile_paths = percentiles.paths_used();
    comparison.outcomes.push_back(std::move(out));
  }
  percentiles.Wait();
  for (size_t k = 0; k < comparison.outcomes.size(); ++k) {
    for (size_t i = 0; i < comparison.outcomes[k].partners.size(); ++i) {
      std::tie(comparison.outcomes[k].partners[i].revenue_p10,
               comparison.outcomes[k].partners[i].revenue_p90) = percentiles.Of(k, i);
    }
  }
  for (size_t k = 1; k < job.plans().size(); ++k) {
    comparison.differences.push_back(DifferenceOf(job, k, beta_of_plans));
  }
  return comparison;
}

}  // namespace attain
