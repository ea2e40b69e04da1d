#include "simulator/comparison_job.h"

#include <algorithm>

#include "simulator/run_cost.h"

namespace attain {
namespace {

std::vector<double> OnTrackThresholds(const Portfolio& portfolio) {
  double season_total = 0;
  for (int t = 1; t <= portfolio.periods; ++t) season_total += portfolio.Seasonality(t);
  std::vector<double> thresholds;
  double season_elapsed = 0;
  for (int t = 1; t <= portfolio.periods; ++t) {
    season_elapsed += portfolio.Seasonality(t);
    thresholds.push_back(portfolio.quota * season_elapsed / season_total);
  }
  return thresholds;
}

// Hours per partner of each plan, then of the unassisted counterfactual (all 0).
std::vector<std::vector<double>> ScenarioHours(const std::vector<ResolvedPlan>& plans,
                                               size_t partners) {
  std::vector<std::vector<double>> hours;
  for (const ResolvedPlan& plan : plans) hours.push_back(plan.hours);
  hours.emplace_back(partners, 0.0);
  return hours;
}

}  // namespace

ComparisonJob::ComparisonJob(const Portfolio& portfolio, std::vector<ResolvedPlan> plans,
                             const SimulationOptions& options, uint64_t seed,
                             size_t sample_paths, WorkerPool& pool,
                             double max_expected_deals_per_period)
    : portfolio_(portfolio),
      plans_(std::move(plans)),
      options_(options),
      seed_(seed),
      path_cap_(PathCap(options)),
      pool_(pool),
      on_track_threshold_(OnTrackThresholds(portfolio)),
      generator_(portfolio, {options.parameter_uncertainty, max_expected_deals_per_period}),
      evaluator_(portfolio, generator_, ScenarioHours(plans_, portfolio.partners.size()),
                 plans_.size()),
      kernel_(generator_, evaluator_, options.antithetic),
      totals_(plans_.size(), portfolio.partners.size(), on_track_threshold_.size()),
      running_hits_(plans_.size()),
      percentiles_(plans_.size(), portfolio.partners.size(), sample_paths) {
  // Every path's revenue, reserved once: the memory estimate's, with no growth by
  // doubling (a precision run's unused pages are never touched).
  for (PlanSums& plan : totals_.plans) plan.revenue.reserve(path_cap_);
  totals_.unassisted_revenue.reserve(path_cap_);
}

std::unique_ptr<BlockOutput> ComparisonJob::Simulate(uint64_t block,
                                                     const std::atomic<bool>& abort) {
  auto sums = std::make_unique<RunSums>(plans_.size(), portfolio_.partners.size(),
                                        on_track_threshold_.size());
  const uint64_t paths = PathsInBlock(block, path_cap_);
  for (PlanSums& plan : sums->plans) plan.revenue.reserve(paths);
  sums->unassisted_revenue.reserve(paths);
  ComparisonSink sink(*sums, on_track_threshold_, percentiles_);
  if (!kernel_.Run(seed_, block, path_cap_, abort, sink)) return nullptr;
  return sums;
}

void ComparisonJob::Merge(std::unique_ptr<BlockOutput> output) {
  const RunSums& block = static_cast<const RunSums&>(*output);
  totals_.Merge(block);
  for (size_t k = 0; k < plans_.size(); ++k) {
    const std::vector<double>& revenue = block.plans[k].revenue;
    running_hits_[k].Merge(SumUnits(revenue.size(), options_.antithetic, [&](size_t j) {
      return revenue[j] >= portfolio_.quota ? 1.0 : 0.0;
    }));
  }
  // The samples are a prefix of the paths: once it is merged, their selection overlaps
  // the remaining blocks.
  if (!percentiles_.started() && totals_.paths >= percentiles_.sample_paths()) {
    percentiles_.Start(pool_, percentiles_.sample_paths());
  }
}

bool ComparisonJob::PrecisionReached() const {
  if (options_.target_ci_half_width <= 0 || totals_.paths < options_.paths) return false;
  return std::all_of(running_hits_.begin(), running_hits_.end(), [&](const UnitSums& hits) {
    return WilsonInterval(hits, totals_.paths).HalfWidth() <= options_.target_ci_half_width;
  });
}

Progress ComparisonJob::CurrentProgress() const {
  Progress progress;
  progress.paths_done = totals_.paths;
  progress.paths_planned = path_cap_;
  progress.attainment_probability = running_hits_[0].Mean();
  progress.attainment_interval = WilsonInterval(running_hits_[0], totals_.paths);
  return progress;
}

}  // namespace attain
