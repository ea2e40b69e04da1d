// Exhaustive tier search: every plan within the hours, the locks and the change budget,
// depth first over the unlocked partners, pruning where even the fewest hours of the
// remaining partners would not fit. Exact on the sample, and affordable while
// 3^unlocked x paths stays within a budget.
//
// Thread-compatible: runs on the caller's thread.
#ifndef ATTAIN_SIMULATOR_EXHAUSTIVE_SEARCH_H_
#define ATTAIN_SIMULATOR_EXHAUSTIVE_SEARCH_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "simulator/plan_state.h"

namespace attain {

// Whether 3^(unlocked partners) x paths is within `budget` (path-plan evaluations).
bool ExhaustiveAffordable(const PlanState& state, uint64_t paths, double budget);

// The best plan. FAILED_PRECONDITION when no plan fits (NoPlanFits says why); CANCELLED
// when the monitor's cancellation turned true.
absl::StatusOr<std::vector<Tier>> ExhaustiveSearch(PlanState& state);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_EXHAUSTIVE_SEARCH_H_
