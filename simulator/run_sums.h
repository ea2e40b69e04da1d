// The sums a comparison accumulates, per block and (merged in block order) per run, and
// the sink that adds paths to them. Scenarios are the plans, then the unassisted
// counterfactual (all hours 0), as PathEvaluator lays them out.
//
// Plain value types; a sink is used by one thread.
#ifndef ATTAIN_SIMULATOR_RUN_SUMS_H_
#define ATTAIN_SIMULATOR_RUN_SUMS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"
#include "simulator/member_sums.h"
#include "simulator/partner_percentiles.h"
#include "simulator/statistics.h"

namespace attain {

// One plan's sums over paths.
struct PlanSums {
  std::vector<double> revenue;           // portfolio horizon revenue, path by path
  std::vector<double> attainment;        // PathRevenue::attainment, path by path
  std::vector<double> attainment_control;  // PathRevenue::attainment_control, the same
  std::vector<double> period_revenue;    // per period, summed over paths
  std::vector<uint64_t> on_track;        // per period, paths on track
  std::vector<double> partner_revenue;   // per partner, summed over paths
  std::vector<UnitSums> partner_uplift;  // per partner, assisted - unassisted by unit
  std::vector<uint64_t> partner_dormant; // per partner, paths dormant by the horizon's end

  PlanSums(size_t partners, size_t periods);
  // Appends `block`'s paths after this one's.
  void Merge(const PlanSums& block);
};

// Every plan's sums and the counterfactual's, of one block or a whole run.
struct RunSums final : BlockOutput {
  std::vector<PlanSums> plans;
  std::vector<double> unassisted_partner_revenue;  // per partner, summed over paths
  std::vector<double> unassisted_revenue;          // path by path
  std::vector<double> unassisted_attainment;       // path by path
  std::vector<double> unassisted_attainment_control;  // path by path
  MemberSums members;  // a team run's (ComparisonJob::RollUp); empty otherwise

  RunSums(size_t plan_count, size_t partners, size_t periods);
  void Merge(const RunSums& block);
};

// Adds a comparison's units to a RunSums, and the per-partner revenue of the paths the
// percentile samples cover to `samples`.
class ComparisonSink final : public PathSink {
 public:
  // `on_track_threshold[t]`: the cumulative revenue by period t + 1 that is on track.
  // REQUIRES: all outlive the sink.
  ComparisonSink(RunSums& sums, const std::vector<double>& on_track_threshold,
                 PartnerPercentiles& samples)
      : sums_(sums), on_track_threshold_(on_track_threshold), samples_(samples) {}

  void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) override;

 private:
  void AddPath(uint64_t path, const std::vector<PathRevenue>& revenue);

  RunSums& sums_;
  const std::vector<double>& on_track_threshold_;
  PartnerPercentiles& samples_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_RUN_SUMS_H_
