// A comparison of plans, with the unassisted counterfactual alongside, as a block job:
// each block's paths go from the kernel into a RunSums, merged in block order into the
// run's totals. Every plan's P(attain) so far drives progress and the precision target,
// and the partner percentile selections start as soon as the paths they cover are
// merged, overlapping the rest of the run.
//
// Driven by RunBlocks: Simulate from workers, the rest from the calling thread.
#ifndef ATTAIN_SIMULATOR_COMPARISON_JOB_H_
#define ATTAIN_SIMULATOR_COMPARISON_JOB_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"
#include "simulator/model.h"
#include "simulator/partner_percentiles.h"
#include "simulator/path_attainment.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"
#include "simulator/run_sums.h"
#include "simulator/scenario_sample.h"
#include "simulator/simulation_options.h"
#include "simulator/statistics.h"
#include "simulator/validation.h"
#include "simulator/worker_pool.h"

namespace attain {

class ComparisonJob final : public BlockJob {
 public:
  // With options.parameter_uncertainty, partners' parameters are drawn per path, a drawn
  // DEALS partner kept within `max_expected_deals_per_period` (parameter_draws.h).
  // REQUIRES: the portfolio and plans validate (with that limit); `portfolio` and `pool`
  // outlive the job.
  ComparisonJob(const Portfolio& portfolio, std::vector<ResolvedPlan> plans,
                const SimulationOptions& options, uint64_t seed, size_t sample_paths,
                WorkerPool& pool,
                double max_expected_deals_per_period = Limits{}.max_expected_deals_per_period);

  uint64_t block_count() const { return BlockCount(path_cap_); }
  // Also records each partner's revenue under every plan into `sample` (its scenarios
  // are the plans, in order). REQUIRES: before the run; no antithetic pairs; `sample`
  // holds the run's paths and outlives the job.
  void RecordInto(ScenarioSample& sample) { record_ = &sample; }
  // Also sums each member's revenue (member_sums.h) into totals().members. REQUIRES:
  // before the run; the portfolio's partners are the split's members' in order, and
  // with split.swaps there are two plans; `split` outlives the job.
  void RollUp(const MemberSplit& split);
  // The stop rule of a precision target: at least options.paths paths, and every plan's
  // 95% interval of P(attain) within target_ci_half_width.
  bool PrecisionReached() const;

  // Plan k's 95% interval of P(attain) over the blocks merged so far.
  Interval RunningInterval(size_t k) const;

  std::unique_ptr<BlockOutput> Simulate(uint64_t block, const std::atomic<bool>& abort) override;
  void Merge(std::unique_ptr<BlockOutput> block) override;
  Progress CurrentProgress() const override;
  // Blocks past the partner percentile samples, unless the run records a sample (its
  // blocks write into it): theirs are all in their RunSums.
  uint64_t first_offloaded_block() const override;
  absl::StatusOr<std::unique_ptr<BlockOutput>> Decode(std::string_view bytes) const override;

  // For the summary, once the run is over.
  const Portfolio& portfolio() const { return portfolio_; }
  const std::vector<ResolvedPlan>& plans() const { return plans_; }
  const SimulationOptions& options() const { return options_; }
  uint64_t seed() const { return seed_; }
  // Partners whose parameters each path draws; 0 without parameter uncertainty.
  size_t parameter_draw_partners() const { return generator_.parameter_sampler().drawn_count(); }
  const RunSums& totals() const { return totals_; }
  // The member sums of a RollUp run, moved out once the run is over.
  MemberSums TakeMemberSums() { return std::move(totals_.members); }
  const std::vector<double>& on_track_threshold() const { return on_track_threshold_; }
  // Whether P(attain) is the conditional estimate (PathAttainment::conditional).
  bool conditional_attainment() const { return attainment_.conditional(); }
  // Whether it has a control variate (PathAttainment::controlled), and the control's
  // exact mean under scenario s (plans, then the counterfactual).
  bool controlled_attainment() const { return attainment_.controlled(); }
  double ControlMean(size_t s) const { return attainment_.ControlMean(s); }
  PartnerPercentiles& percentiles() { return percentiles_; }
  WorkerPool& pool() { return pool_; }

 private:
  const Portfolio& portfolio_;
  const std::vector<ResolvedPlan> plans_;
  const SimulationOptions options_;
  const uint64_t seed_;
  const uint64_t path_cap_;
  WorkerPool& pool_;
  // Q x the seasonality share of periods 1..t: the cumulative revenue that is on track.
  const std::vector<double> on_track_threshold_;
  const PathGenerator generator_;
  const PathEvaluator evaluator_;  // scenarios: plans_, then the unassisted counterfactual
  const PathAttainment attainment_;
  const BlockKernel kernel_;
  RunSums totals_;
  std::vector<UnitSums> running_attainment_;  // per plan: P(attain) so far
  std::vector<ControlledSums> running_controlled_;  // per plan, when controlled
  ScenarioSample* record_ = nullptr;
  const MemberSplit* split_ = nullptr;
  PartnerPercentiles percentiles_;      // last: its destructor waits for its selections
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_COMPARISON_JOB_H_
