// The Monte Carlo engine: simulates portfolio revenue under engagement plans and returns
// P(attain), the revenue distribution, and each partner's revenue with and without the
// manager's hours; and samples partner revenue under scenarios for the tier optimizer.
//
// Reproducible: a result is a function of (portfolio, plans, options, seed) only. Paths
// are simulated in blocks (block_kernel.h), block b with its own engine seeded from
// (seed, b), and merged in block order (block_runner.h), so thread count and scheduling
// never matter. Plans of a comparison, and the unassisted counterfactual, share every
// random number.
//
// Thread-safe: many threads may run at once; their blocks share the engine's worker
// pool, shortest remaining work first (worker_pool.h). The calling thread only waits and merges.
#ifndef ATTAIN_SIMULATOR_ENGINE_H_
#define ATTAIN_SIMULATOR_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "simulator/block_runner.h"
#include "simulator/member_sums.h"
#include "simulator/model.h"
#include "simulator/outcome.h"
#include "simulator/run_cost.h"
#include "simulator/scenario_sample.h"
#include "simulator/simulation_options.h"
#include "simulator/validation.h"
#include "simulator/worker_pool.h"

namespace attain {

struct EngineOptions {
  // Worker threads; 0 = the CPUs this process may use.
  int threads = 0;
  // A run whose estimated memory exceeds this is refused (RESOURCE_EXHAUSTED).
  size_t memory_budget_bytes = size_t{512} << 20;
  // Memory for per-partner percentile samples of one run; the samples are the first
  // min(paths, kMaxPartnerPercentilePaths, this / (4 bytes * partners * plans)) paths.
  size_t partner_sample_bytes = size_t{32} << 20;
  Limits limits;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();  // REQUIRES: no run in progress.

  const EngineOptions& options() const { return options_; }
  int threads() const { return pool_.threads(); }

  // A run's inputs against the engine's limits, each relative to itself (validation.h).
  RunViolations Validate(const Portfolio& portfolio, std::span<const Plan> plans,
                         const SimulationOptions& options) const;

  // What Compare of `plan_count` plans, and SampleScenarios, would cost.
  // REQUIRES: the inputs validate.
  RunCost CompareCost(const Portfolio& portfolio, size_t plan_count,
                      const SimulationOptions& options) const;
  RunCost SampleCost(const Portfolio& portfolio, size_t scenarios, uint64_t paths) const;
  // OK, or RESOURCE_EXHAUSTED when `cost` is over the memory budget.
  absl::Status CheckMemory(const RunCost& cost) const;

  // Simulates one plan (an empty Plan = current tiers). Errors: INVALID_ARGUMENT naming
  // the field ("portfolio.partners[3].volatility", "plan.tiers[\"P7\"]",
  // "options.paths"); RESOURCE_EXHAUSTED over the memory budget; CANCELLED when
  // control.cancelled() turned true.
  absl::StatusOr<PlanOutcome> Simulate(const Portfolio& portfolio, const Plan& plan,
                                       const SimulationOptions& options,
                                       const RunControl& control = {});

  // Simulates 1..limits.max_plans plans on common random numbers; differences are to
  // plans[0]. Plan k's outcome is bit-identical to Simulate(plans[k]) with the same
  // seed. Errors as Simulate, plan k's fields under "plans[k]".
  absl::StatusOr<Comparison> Compare(const Portfolio& portfolio, std::span<const Plan> plans,
                                     const SimulationOptions& options,
                                     const RunControl& control = {});

  // What a peer replica runs for another's BlockOffload: blocks [first, end) of the
  // comparison that CompareRolledUp (with `split`) or CompareChecked (without) runs for
  // these inputs with `seed`, each block's output encoded (block_codec.h) and handed to
  // deliver(block, bytes) in block order on the calling thread. They are those blocks
  // of that run, bit for bit. control.offload is not used: a range is never sent on.
  // Errors: CANCELLED. REQUIRES: as CompareRolledUp; first <= end <= the run's blocks,
  // BlockCount(PathCap(options)).
  absl::Status SimulateBlocks(const Portfolio& portfolio, std::vector<ResolvedPlan> plans,
                              const SimulationOptions& options, uint64_t seed,
                              const MemberSplit* split, uint64_t first, uint64_t end,
                              const RunControl& control,
                              const std::function<void(uint64_t, std::string)>& deliver);

  // Compare without the checks, for callers that made them (Validate, CheckMemory).
  // With `record`, also records each partner's revenue under every plan, path by path,
  // into it (a sample whose scenarios are the plans' hours, in order): one run where a
  // comparison and a sample would take two. Errors: CANCELLED. REQUIRES: Validate is
  // empty; CompareCost (and the record's SampleCost) is within the budget; with
  // `record`, no antithetic pairs or precision target, and record holds options.paths.
  absl::StatusOr<Comparison> CompareChecked(const Portfolio& portfolio,
                                            std::span<const Plan> plans,
                                            const SimulationOptions& options,
                                            const RunControl& control = {},
                                            ScenarioSample* record = nullptr);

  // A team's comparison (team.h): plans resolved per partner of `portfolio`, whose
  // partners are the members' in member order, and each member's revenue summed per
  // `split` (member_sums.h). Its comparison is CompareChecked's of the same plans, bit
  // for bit. Errors: CANCELLED. REQUIRES: as CompareChecked (no record); each plan has
  // one entry per partner; with split.swaps, two plans.
  struct RolledUp {
    Comparison comparison;
    MemberSums members;
  };
  absl::StatusOr<RolledUp> CompareRolledUp(const Portfolio& portfolio,
                                           std::vector<ResolvedPlan> plans,
                                           const SimulationOptions& options,
                                           const MemberSplit& split,
                                           const RunControl& control = {});

  // Samples partner revenue under each scenario (scenario_sample.h; scenario s gives
  // partner i scenarios.hours[s][i] hours) on `paths` paths without antithetic pairs,
  // seeded with `seed`, drawing partners' parameters per path with
  // `parameter_uncertainty` (as SimulationOptions::parameter_uncertainty). Progress
  // reports paths only. Errors: CANCELLED.
  // REQUIRES: the portfolio validates; each scenario has one entry per partner, and
  // there are at most 256; SampleCost is within the budget.
  absl::StatusOr<ScenarioSample> SampleScenarios(const Portfolio& portfolio,
                                                 const ScenarioSet& scenarios, uint64_t paths,
                                                 uint64_t seed, const RunControl& control = {},
                                                 bool parameter_uncertainty = false);

 private:
  // A comparison of resolved plans, recording into `record` and rolling up per `split`
  // into `members` when they are given.
  absl::StatusOr<Comparison> RunComparison(const Portfolio& portfolio,
                                           std::vector<ResolvedPlan> plans,
                                           const SimulationOptions& options,
                                           const RunControl& control, ScenarioSample* record,
                                           const MemberSplit* split, MemberSums* members);

  EngineOptions options_;
  WorkerPool pool_;
};

// A seed from the operating system's entropy, for runs that set none.
uint64_t DrawSeed();

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_ENGINE_H_
