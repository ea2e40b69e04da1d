// Tier recommendations: the best tier for every partner within the manager's hours.
//
// The pipeline: sample partner revenue at every tier on one sample of paths
// (Engine::SampleScenarios), search plans on it (exhaustive when affordable, else the
// heuristic, else the screened search; plan_state.h, heuristic_search.h), validate the
// recommended and the current plan on an independent sample against the optimizer's
// curse, measure each change's effect there (the recommended plan minus the same with
// that change undone, paired path by path, from partner revenue the validation run
// records), and explain every partner's tier (explanation.h).
//
// Thread-safe as the engine is; one call runs on its calling thread.
#ifndef ATTAIN_SIMULATOR_RECOMMENDATION_H_
#define ATTAIN_SIMULATOR_RECOMMENDATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "simulator/engine.h"
#include "simulator/explanation.h"
#include "simulator/plan_state.h"
#include "simulator/search_monitor.h"

namespace attain {

enum class SearchMethod {
  kAuto,        // exhaustive, else heuristic, when affordable (RecommendOptions' budgets)
  kExhaustive,  // every feasible plan
  kHeuristic,   // greedy, then local search
  kScreened,    // a surrogate chooses, local search polishes (heuristic_search.h)
};

struct RecommendOptions {
  Objective objective = Objective::kAttainmentProbability;
  std::vector<std::string> locked_partner_ids;  // partners that keep their current tier
  std::optional<int> max_changes;               // most tier changes from the current plan
  // Paths of the optimization sample and of the validation sample; the seed (drawn when
  // unset) seeds the optimization sample, the validation sample uses an independent one.
  SimulationOptions simulation;
  SearchMethod method = SearchMethod::kAuto;
  // Exhaustive search while 3^(unlocked partners) x paths stays within this: about a
  // second of one core.
  double exhaustive_budget = 3e8;
  // Else heuristic search while (unlocked partners)^2 x paths stays within this (300
  // partners at 20,000 paths: a few seconds), screened search beyond.
  double heuristic_budget = 2e9;
};

struct TierChange {
  std::string partner_id;
  Tier from = Tier::kOpportunistic;
  Tier to = Tier::kOpportunistic;
  double hours_change = 0;  // hours per period: > 0 uses hours, < 0 frees them
  // The recommended plan minus the recommended plan with this change undone, on the
  // validation sample, paired path by path.
  double attainment_effect = 0;
  Interval attainment_effect_interval;
  double revenue_effect = 0;
  Interval revenue_effect_interval;
  Reason reason;
  // Of a change that frees hours: among those the current plan needs to fit the capacity
  // (when it is over it); and whether another change of the recommendation takes hours on.
  bool needed_to_fit = false;
  bool freed_hours_used = false;
};

// The current plan made to fit the capacity by the recommendation's changes marked
// needed_to_fit alone, on the validation sample; and the recommendation against it,
// paired path by path. Only when the current plan is over capacity: it cannot be kept,
// so the fitted plan, not the current one, is what the other changes improve on.
struct FittedPlan {
  Plan plan;
  double hours_used = 0;
  double attainment_probability = 0;
  Interval attainment_interval;  // Wilson
  double expected_revenue = 0;
  PlanDifference improvement;    // recommended minus fitted
};

struct PartnerAdvice {  // a partner whose tier stays
  std::string partner_id;
  Tier tier = Tier::kOpportunistic;
  Reason reason;
};

struct Recommendation {
  Plan current_plan;
  Plan recommended_plan;  // lists every partner's tier
  // [current, recommended] on the validation sample, with the paired difference.
  Comparison validation;
  std::vector<TierChange> changes;
  std::vector<PartnerAdvice> unchanged;
  std::optional<FittedPlan> fitted;  // when the current plan is over capacity
  SearchMethod method_used = SearchMethod::kHeuristic;
  uint64_t plans_evaluated = 0;
  double search_seconds = 0;
  // The objective of both plans on the optimization sample (biased upwards for the
  // recommendation: that is why the validation sample exists).
  double optimization_current = 0;
  double optimization_recommended = 0;
  uint64_t optimization_seed = 0;
  uint64_t validation_seed = 0;
};

// A plan listing every partner: partner i of the portfolio at tiers[i].
// REQUIRES: tiers.size() == portfolio.partners.size().
Plan PlanOf(const Portfolio& portfolio, const std::vector<Tier>& tiers, std::string name);

// The seed of the validation sample for an optimization seed: an independent stream.
uint64_t ValidationSeed(uint64_t optimization_seed);

// A recommendation's inputs, each relative to itself: the portfolio; the simulation
// options (a recommendation uses paths and seed, not antithetic pairs or a precision
// target); and RecommendOptions' own fields (locked_partner_ids[k], max_changes).
struct RecommendationViolations {
  Violations portfolio;
  Violations simulation;
  Violations choices;

  bool empty() const { return portfolio.empty() && simulation.empty() && choices.empty(); }
  // All of them under the caller's names for the portfolio and the simulation options;
  // RecommendOptions' own fields stay at the top.
  Violations Under(absl::string_view portfolio_path, absl::string_view simulation_path) const;
};
RecommendationViolations ValidateRecommendation(const Engine& engine, const Portfolio& portfolio,
                                                const RecommendOptions& options);

// The cost of RecommendTiers: its largest phase in memory (a tier sample and the search,
// or the validation run with its sample), and two runs of options.simulation.paths in
// work.
// REQUIRES: ValidateRecommendation is empty.
RunCost RecommendationCost(const Engine& engine, const Portfolio& portfolio,
                           const RecommendOptions& options);

// The cost of SearchTiersChecked: the optimization sample and the search in memory, one
// sample of options.simulation.paths in work. REQUIRES: ValidateRecommendation is empty.
RunCost TierSearchCost(const Engine& engine, const Portfolio& portfolio,
                       const RecommendOptions& options);

// The recommended tiers alone, one per partner in portfolio order: the optimization
// sample and the search of RecommendTiers (its recommended_plan, bit for bit, for the
// same options and seed), without the validation sample or the explanations. Errors:
// FAILED_PRECONDITION (no plan fits), CANCELLED. REQUIRES: ValidateRecommendation is
// empty; TierSearchCost is within the memory budget.
absl::StatusOr<std::vector<Tier>> SearchTiersChecked(Engine& engine, const Portfolio& portfolio,
                                                     const RecommendOptions& options,
                                                     const RunControl& control = {});

// The whole recommendation. Errors: INVALID_ARGUMENT ("portfolio.partners[3]...",
// "simulation.antithetic", "locked_partner_ids[0]"), RESOURCE_EXHAUSTED (memory),
// FAILED_PRECONDITION (no plan fits), CANCELLED. `on_progress` is called on the calling
// thread; control.on_progress is not; control.on_paths is, for every sample and run.
absl::StatusOr<Recommendation> RecommendTiers(Engine& engine, const Portfolio& portfolio,
                                              const RecommendOptions& options,
                                              const RunControl& control = {},
                                              const RecommendProgressCallback& on_progress = {});

// RecommendTiers without the checks, for callers that made them (ValidateRecommendation,
// Engine::CheckMemory of RecommendationCost). Errors: FAILED_PRECONDITION, CANCELLED.
absl::StatusOr<Recommendation> RecommendTiersChecked(
    Engine& engine, const Portfolio& portfolio, const RecommendOptions& options,
    const RunControl& control = {}, const RecommendProgressCallback& on_progress = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_RECOMMENDATION_H_
