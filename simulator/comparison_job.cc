#include "simulator/comparison_job.h"

#include <algorithm>
#include <optional>

#include "simulator/block_codec.h"
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
      attainment_(portfolio, generator_, evaluator_, ResolvedEstimator(options)),
      kernel_(generator_, evaluator_, options.antithetic, &attainment_),
      totals_(plans_.size(), portfolio.partners.size(), on_track_threshold_.size()),
      running_attainment_(plans_.size()),
      running_controlled_(plans_.size()),
      percentiles_(plans_.size(), portfolio.partners.size(), sample_paths) {
  // Every path's revenue, reserved once: the memory estimate's, with no growth by
  // doubling (a precision run's unused pages are never touched).
  for (PlanSums& plan : totals_.plans) {
    plan.revenue.reserve(path_cap_);
    plan.attainment.reserve(path_cap_);
    plan.attainment_control.reserve(path_cap_);
  }
  totals_.unassisted_revenue.reserve(path_cap_);
  totals_.unassisted_attainment.reserve(path_cap_);
  totals_.unassisted_attainment_control.reserve(path_cap_);
}

void ComparisonJob::RollUp(const MemberSplit& split) {
  split_ = &split;
  totals_.members = MemberSums(split);
}

std::unique_ptr<BlockOutput> ComparisonJob::Simulate(uint64_t block,
                                                     const std::atomic<bool>& abort) {
  auto sums = std::make_unique<RunSums>(plans_.size(), portfolio_.partners.size(),
                                        on_track_threshold_.size());
  const uint64_t paths = PathsInBlock(block, path_cap_);
  for (PlanSums& plan : sums->plans) {
    plan.revenue.reserve(paths);
    plan.attainment.reserve(paths);
    plan.attainment_control.reserve(paths);
  }
  sums->unassisted_revenue.reserve(paths);
  sums->unassisted_attainment.reserve(paths);
  sums->unassisted_attainment_control.reserve(paths);
  ComparisonSink sink(*sums, on_track_threshold_, percentiles_);
  PathSink* first = &sink;
  std::optional<RecordingSink> recording;
  if (record_ != nullptr) first = &recording.emplace(*record_, first);
  std::optional<MemberSink> members;
  if (split_ != nullptr) {
    sums->members = MemberSums(*split_);
    first = &members.emplace(*split_, sums->members, *first);
  }
  if (!kernel_.Run(seed_, block, path_cap_, abort, *first)) return nullptr;
  return sums;
}

void ComparisonJob::Merge(std::unique_ptr<BlockOutput> output) {
  const RunSums& block = static_cast<const RunSums&>(*output);
  totals_.Merge(block);
  for (size_t k = 0; k < plans_.size(); ++k) {
    const std::vector<double>& attainment = block.plans[k].attainment;
    running_attainment_[k].Merge(SumUnits(attainment.size(), options_.antithetic,
                                          [&](size_t j) { return attainment[j]; }));
    if (controlled_attainment()) {
      const std::vector<double>& control = block.plans[k].attainment_control;
      running_controlled_[k].Merge(
          SumControlledUnits(attainment.size(), options_.antithetic,
                             [&](size_t j) { return std::pair(attainment[j], control[j]); }));
    }
  }
  // The samples are a prefix of the paths: once it is merged, their selection overlaps
  // the remaining blocks.
  if (!percentiles_.started() && totals_.paths >= percentiles_.sample_paths()) {
    percentiles_.Start(pool_, percentiles_.sample_paths(),
                       block_count() - BlockCount(totals_.paths));
  }
}

uint64_t ComparisonJob::first_offloaded_block() const {
  return record_ != nullptr ? UINT64_MAX : BlockCount(percentiles_.sample_paths());
}

absl::StatusOr<std::unique_ptr<BlockOutput>> ComparisonJob::Decode(std::string_view bytes) const {
  absl::StatusOr<std::unique_ptr<RunSums>> block = DecodeBlock(
      bytes, {plans_.size(), portfolio_.partners.size(), on_track_threshold_.size(), split_});
  if (!block.ok()) return block.status();
  return std::unique_ptr<BlockOutput>(*std::move(block));
}

Interval ComparisonJob::RunningInterval(size_t k) const {
  if (!controlled_attainment()) {
    return AttainmentInterval(running_attainment_[k], totals_.paths, conditional_attainment());
  }
  const double control_mean = attainment_.ControlMean(k);
  return ControlledProbabilityInterval(running_controlled_[k].Mean(control_mean),
                                       running_controlled_[k].StdError(control_mean),
                                       running_attainment_[k], totals_.paths);
}

bool ComparisonJob::PrecisionReached() const {
  if (options_.target_ci_half_width <= 0 || totals_.paths < options_.paths) return false;
  for (size_t k = 0; k < plans_.size(); ++k) {
    if (RunningInterval(k).HalfWidth() > options_.target_ci_half_width) return false;
  }
  return true;
}

Progress ComparisonJob::CurrentProgress() const {
  Progress progress;
  progress.paths_done = totals_.paths;
  progress.paths_planned = path_cap_;
  progress.attainment_probability =
      controlled_attainment() ? running_controlled_[0].Mean(attainment_.ControlMean(0))
                              : running_attainment_[0].Mean();
  progress.attainment_interval = RunningInterval(0);
  return progress;
}

}  // namespace attain
