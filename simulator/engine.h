// The Monte Carlo engine: simulates portfolio revenue under engagement plans and returns
// P(attain), the revenue distribution, and each partner's revenue with and without the
// manager's hours.
//
// Reproducible: a result is a function of (portfolio, plans, options, seed) only. Paths
// are simulated in blocks of kPathsPerBlock, block b with its own engine seeded from
// (seed, b), and merged in block order, so thread count and scheduling never matter.
// Plans of a comparison, and the unassisted counterfactual, share every random number.
//
// Thread-safe: many threads may call Simulate/Compare at once; their blocks share the
// engine's worker pool in round-robin order. The calling thread only waits and merges.
#ifndef ATTAIN_SIMULATOR_ENGINE_H_
#define ATTAIN_SIMULATOR_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "absl/status/statusor.h"
#include "simulator/model.h"
#include "simulator/outcome.h"
#include "simulator/simulation_options.h"
#include "simulator/validation.h"
#include "simulator/worker_pool.h"

namespace attain {

// Part of the reproducibility contract: changing it changes every seeded result.
inline constexpr uint64_t kPathsPerBlock = 1024;

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

inline constexpr uint64_t kMaxPartnerPercentilePaths = 8 * kPathsPerBlock;  // 8,192

struct Progress {
  uint64_t paths_done = 0;
  uint64_t paths_planned = 0;  // paths, or max_paths under a precision target
  double attainment_probability = 0;  // first plan's, so far
  Interval attainment_interval;
};

// Horizon revenue of every partner under every scenario, path by path. Scenario s gives
// partner i scenario_hours[s][i] hours per period. Paths, blocks and seeds are those of
// Compare, so a plan's portfolio revenue on path p is the sum over partners, in partner
// order, of the entries for the plan's hours: bit-identical to Compare's.
struct ScenarioSample {
  size_t scenarios = 0;
  size_t partners = 0;
  size_t paths = 0;
  uint64_t seed = 0;
  std::vector<double> revenue;  // [(scenario * partners + partner) * paths + path]

  const double* Row(size_t scenario, size_t partner) const {
    return revenue.data() + (scenario * partners + partner) * paths;
  }
};

struct RunControl {
  // Polled by the calling thread about every 10 ms; true stops the run (CANCELLED)
  // within one block.
  std::function<bool()> cancelled;
  // Called on the calling thread each time more blocks are merged.
  std::function<void(const Progress&)> on_progress;
  // Called on the calling thread with the paths simulated since the last call, by every
  // run (simulations and samples alike): what a request has cost so far.
  std::function<void(uint64_t paths)> on_paths;
};

// What a run costs at most, for admission control.
struct RunCost {
  size_t memory_bytes = 0;  // estimated peak
  // Partner-periods x paths simulated (all runs of a request; a precision run counts
  // its max_paths).
  double work = 0;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();  // REQUIRES: no run in progress.

  const EngineOptions& options() const { return options_; }
  int threads() const { return pool_.threads(); }

  // Simulates one plan (an empty Plan = current tiers).
  // Errors: INVALID_ARGUMENT naming the field; RESOURCE_EXHAUSTED over the memory
  // budget; CANCELLED when control.cancelled() turned true.
  absl::StatusOr<PlanOutcome> Simulate(const Portfolio& portfolio, const Plan& plan,
                                       const SimulationOptions& options,
                                       const RunControl& control = {});

  // Simulates 1..limits.max_plans plans on common random numbers; differences are to
  // plans[0]. Plan k's outcome is bit-identical to Simulate(plans[k]) with the same seed.
  absl::StatusOr<Comparison> Compare(const Portfolio& portfolio, std::span<const Plan> plans,
                                     const SimulationOptions& options,
                                     const RunControl& control = {});

  // Samples partner revenue under each scenario (see ScenarioSample) on `paths` paths
  // (no antithetic pairs) seeded with `seed`. RESOURCE_EXHAUSTED over the memory budget,
  // CANCELLED when control.cancelled() turned true. Progress reports paths done only.
  // REQUIRES: the portfolio validates; each scenario has one entry per partner.
  absl::StatusOr<ScenarioSample> SampleScenarios(
      const Portfolio& portfolio, const std::vector<std::vector<double>>& scenario_hours,
      uint64_t paths, uint64_t seed, const RunControl& control = {});

  // Estimated peak memory of a run, for admission control.
  // REQUIRES: the inputs validate.
  size_t EstimateMemoryBytes(const Portfolio& portfolio, size_t plan_count,
                             const SimulationOptions& options) const;
  // The cost of Compare (or Simulate, plan_count 1). REQUIRES: the inputs validate.
  RunCost EstimateCompare(const Portfolio& portfolio, size_t plan_count,
                          const SimulationOptions& options) const;

  // All validation of a run's inputs. Field paths are those of a request holding
  // `portfolio`, `plans` (or one `plan` when single_plan) and `options`, e.g.
  // "portfolio.partners[3].volatility", "plans[1].tiers[\"P7\"]", "options.paths".
  Violations Validate(const Portfolio& portfolio,
                                       std::span<const Plan> plans,
                                       const SimulationOptions& options,
                                       bool single_plan) const;

 private:
  // REQUIRES: Validate(...) is empty.
  absl::StatusOr<Comparison> RunValidated(const Portfolio& portfolio,
                                          std::span<const Plan> plans,
                                          const SimulationOptions& options,
                                          const RunControl& control);

  EngineOptions options_;
  WorkerPool pool_;
};

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_ENGINE_H_
