// What a run costs before it starts: its estimated peak memory, from the sizes of the
// structures it allocates, and its work in partner-periods x paths. One estimate per
// kind of run; the engine and the service use the same ones, for the memory budget and
// the service's work limit.
//
// Pure functions; thread-safe. REQUIRE inputs that validate.
#ifndef ATTAIN_SIMULATOR_RUN_COST_H_
#define ATTAIN_SIMULATOR_RUN_COST_H_

#include <cstddef>
#include <cstdint>

#include "simulator/model.h"
#include "simulator/simulation_options.h"

namespace attain {

struct RunCost {
  size_t memory_bytes = 0;  // estimated peak
  double work = 0;          // partner-periods x paths simulated
};

// The most paths a comparison simulates: options.paths, or max_paths under a precision
// target; even with antithetic pairs.
uint64_t PathCap(const SimulationOptions& options);

// A comparison of `plan_count` plans (Simulate: 1) on `threads` workers, whose partner
// percentile samples cover `sample_paths` paths.
RunCost ComparisonCost(const Portfolio& portfolio, size_t plan_count,
                       const SimulationOptions& options, size_t sample_paths, int threads);

// Memory one comparison block's output holds (RunSums of kPathsPerBlock paths); a block
// from another replica holds as much again in its bytes while it is decoded.
size_t ComparisonBlockBytes(const Portfolio& portfolio, size_t plan_count);

// A sample of every partner's revenue under `scenarios` scenarios on `paths` paths.
RunCost SampleCost(const Portfolio& portfolio, size_t scenarios, uint64_t paths, int threads);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_RUN_COST_H_
