// Heuristic tier search: greedy by marginal gain per hour, then local search with single
// changes and with combinations of two or three changes (an upgrade paid for by a
// downgrade), from the current plan and again from the plan with the fewest hours; the
// better of the two is kept. Within 1% of P(attain) of the exhaustive optimum on small
// portfolios (heuristic_search_test), in time about quadratic in the partners.
//
// Thread-compatible: runs on the caller's thread.
#ifndef ATTAIN_SIMULATOR_HEURISTIC_SEARCH_H_
#define ATTAIN_SIMULATOR_HEURISTIC_SEARCH_H_

#include <vector>

#include "absl/status/statusor.h"
#include "simulator/plan_state.h"

namespace attain {

// Moves `state` from the current plan into the capacity, freeing hours where they cost
// the objective least per hour freed; where the change budget runs out first, with the
// changes that free the most hours instead. FAILED_PRECONDITION (NoPlanFits) when no
// plan within the locks and the change budget fits.
absl::Status MakeFeasible(PlanState& state);

// The best plan found. FAILED_PRECONDITION when no plan fits; CANCELLED when the
// monitor's cancellation turned true.
absl::StatusOr<std::vector<Tier>> HeuristicSearch(PlanState& state);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_HEURISTIC_SEARCH_H_
