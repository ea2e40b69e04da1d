// Sensitivity analysis: what if the model's assumptions are wrong? A tornado of a plan's
// P(attain) and expected revenue over each assumption's range (sensitivity_assumptions.h),
// and whether the recommended tiers change at the ends.
//
// Every run of an analysis uses the same seed, so every end is simulated on the same
// paths as the base (common random numbers): the random draws of a path do not depend on
// any parameter (path_generator.h), only what the model makes of them does. A difference
// between two ends is then the assumption's effect, not sampling noise, and the result is
// a function of (portfolio, plan, options, sensitivity options, seed) only.
//
// Thread-safe as the engine is; one call runs on its calling thread.
#ifndef ATTAIN_SIMULATOR_SENSITIVITY_H_
#define ATTAIN_SIMULATOR_SENSITIVITY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "simulator/engine.h"
#include "simulator/outcome.h"
#include "simulator/sensitivity_assumptions.h"

namespace attain {

struct SensitivityOptions {
  AssumptionRanges ranges;
  // Whether the recommended tiers change at the ends: RecommendTiers' search (objective
  // P(attain), no locks, no change limit, the portfolio's current tiers to start from)
  // on the base portfolio and at both ends of the first tier_check_assumptions
  // assumptions by swing. Each check samples every partner at all three tiers on
  // tier_check_paths paths and searches that sample: the cost of a recommendation
  // without its validation, e.g. a few seconds on 200 partners x 12 periods at 10,000
  // paths, against about one for a simulation. Off: no recommendation runs.
  bool check_tiers = true;
  // Assumptions whose ends are checked, the first by swing; 0 = every one. Three keeps
  // the check at seven searches, and the largest swings are where a change of tiers
  // matters.
  size_t tier_check_assumptions = 3;
  // Paths of each check's sample; 0 = the simulation's paths.
  uint64_t tier_check_paths = 0;
};

// A partner whose recommended tier at an end differs from its recommended tier at base.
struct TierShift {
  std::string partner_id;
  Tier base_tier = Tier::kOpportunistic;
  Tier tier = Tier::kOpportunistic;
};

// The plan at one end of an assumption's range.
struct SensitivityEnd {
  double setting = 0;  // EndSetting: a factor, a growth shift or a multiple of the SE
  double value = 0;    // AssumptionValue at this end
  double attainment_probability = 0;
  Interval attainment_interval;  // 95% Wilson: sampling only
  double expected_revenue = 0;
  bool tiers_checked = false;
  std::vector<TierShift> tier_changes;  // when checked; portfolio order
};

struct AssumptionSensitivity {
  Assumption assumption = Assumption::kLift;
  std::string partner_id;  // kBaselineRevenue only
  RangeSource source = RangeSource::kDefaultRange;
  double base_value = 0;  // AssumptionValue at base
  SensitivityEnd low;
  SensitivityEnd high;
  double attainment_swing = 0;        // |high - low| of P(attain)
  double expected_revenue_swing = 0;  // |high - low| of E[R]
};

enum class TierCheck {
  kOff,             // not requested
  kDone,            // recommended tiers found at base and at the checked ends
  kNoFeasiblePlan,  // no plan fits the capacity at base: nothing to compare
};

struct Sensitivity {
  PlanOutcome base;  // the plan as given, on the analysis' seed
  // By attainment_swing, largest first; ties by expected_revenue_swing, then in
  // ListAssumptions order.
  std::vector<AssumptionSensitivity> assumptions;
  TierCheck tier_check = TierCheck::kOff;
  std::vector<Tier> recommended_tiers;  // at base, portfolio order, when kDone
  uint64_t tier_check_paths = 0;        // when not kOff
  uint64_t seed = 0;
};

// An analysis' inputs, each relative to itself: the run's (portfolio, plan, simulation
// options; a precision target is refused, since every end must run the same paths); the
// sensitivity options' own fields ("max_lift_factor.low", "tier_check_paths").
struct SensitivityViolations {
  RunViolations run;
  Violations sensitivity;

  bool empty() const { return run.empty() && sensitivity.empty(); }
  Violations Under(absl::string_view portfolio_path, absl::string_view plan_path,
                   absl::string_view options_path, absl::string_view sensitivity_path) const;
};
SensitivityViolations ValidateSensitivity(const Engine& engine, const Portfolio& portfolio,
                                          const Plan& plan, const SimulationOptions& options,
                                          const SensitivityOptions& sensitivity);

// The analysis' cost: its largest run in memory (runs follow one another), and all runs
// (1 + 2 x assumptions simulations, and 1 + 2 x checked assumptions tier samples) in work.
// REQUIRES: ValidateSensitivity is empty.
RunCost SensitivityCost(const Engine& engine, const Portfolio& portfolio,
                        const SimulationOptions& options, const SensitivityOptions& sensitivity);

// The analysis. Errors: INVALID_ARGUMENT ("portfolio.partners[3].volatility", "plan",
// "options.target_ci_half_width", "sensitivity.max_lift_factor.low"), RESOURCE_EXHAUSTED
// (memory), CANCELLED. control.on_paths is called for every run; on_progress is not.
absl::StatusOr<Sensitivity> AnalyzeSensitivity(Engine& engine, const Portfolio& portfolio,
                                               const Plan& plan, const SimulationOptions& options,
                                               const SensitivityOptions& sensitivity,
                                               const RunControl& control = {});

// AnalyzeSensitivity without the checks, for callers that made them (ValidateSensitivity,
// Engine::CheckMemory of SensitivityCost). Errors: CANCELLED.
absl::StatusOr<Sensitivity> AnalyzeSensitivityChecked(Engine& engine, const Portfolio& portfolio,
                                                      const Plan& plan,
                                                      const SimulationOptions& options,
                                                      const SensitivityOptions& sensitivity,
                                                      const RunControl& control = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_SENSITIVITY_H_
