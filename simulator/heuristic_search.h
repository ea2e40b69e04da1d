// Heuristic tier search: greedy by marginal gain per hour, then local search with single
// changes and with combinations of two or three changes (an upgrade paid for by a
// downgrade), from the current plan and again from the plan with the fewest hours; the
// better of the two is kept. Within 1% of P(attain) of the exhaustive optimum on small
// portfolios (heuristic_search_test), in time about quadratic in the partners.
//
// Screened search, for portfolios where the heuristic's steps (each scoring every single
// move on every path) cost too much: a smooth surrogate of the objective, linearized at
// the plan, ranks every partner's tiers in one pass over the sample; the best plan under
// it within the hours and the change budget (Lagrangian prices) becomes the next point,
// while the objective on the sample improves; then the heuristic's exact local search
// polishes it over the partners the surrogate was least sure of. Its quality against
// the heuristic is measured in heuristic_search_test and bench/README.md.
//
// Thread-compatible: runs on the caller's thread.
#ifndef ATTAIN_SIMULATOR_HEURISTIC_SEARCH_H_
#define ATTAIN_SIMULATOR_HEURISTIC_SEARCH_H_

#include <cstdint>
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

// Whether (movable partners)^2 x paths is within `budget` (path-plan evaluations): the
// order of the heuristic's cost.
bool HeuristicAffordable(const PlanState& state, uint64_t paths, double budget);

// The screened search's plan; errors as HeuristicSearch's.
absl::StatusOr<std::vector<Tier>> ScreenedSearch(PlanState& state);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_HEURISTIC_SEARCH_H_
