// Coaching: how good is a manager's own plan, and why.
//
// Three plans meet on one validation sample, paired path by path: the manager's plan,
// the best plan found as RecommendTiers finds it (same objective, same optimization
// sample), and the floor, every partner OPPORTUNISTIC. The score is the share of the
// achievable improvement over the floor that the plan captures, on the objective:
//   score = 100 (O(plan) - O(floor)) / (O(best) - O(floor)),
// with a grouped-jackknife interval (docs/model.md, "Coaching"). Each partner gets a code
// against the best plan's tier with the model's exact expectations behind it; the
// portfolio gets where the hours go, capacity, concentration, and the top three moves
// from the plan toward the best plan, measured on the validation sample.
//
// Thread-safe as the engine is; one call runs on its calling thread.
#ifndef ATTAIN_SIMULATOR_COACHING_H_
#define ATTAIN_SIMULATOR_COACHING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "simulator/engine.h"
#include "simulator/explanation.h"
#include "simulator/recommendation.h"

namespace attain {

struct CoachOptions {
  Objective objective = Objective::kAttainmentProbability;
  // Paths of the optimization sample and of the validation sample (at least
  // kMinCoachingPaths); the seed (drawn when unset) seeds the optimization sample, and
  // ValidationSeed(seed) the validation sample, as in RecommendTiers.
  SimulationOptions simulation;
  SearchMethod method = SearchMethod::kAuto;
};

// A score from fewer paths has an interval too wide to coach with.
inline constexpr uint64_t kMinCoachingPaths = 200;
// Groups of the jackknife: contiguous runs of validation paths.
inline constexpr int kJackknifeGroups = 20;

// RETENTION_RISK: dormancy within the horizon at least this likely at the plan's tier,
// and kDormancyRiskGap less likely at the best plan's.
inline constexpr double kLikelyDormancy = 0.25;

enum class FeedbackCode {
  kAligned,        // the best plan's tier
  kOverInvested,   // more hours than the best plan gives: they earn more elsewhere
  kUnderInvested,  // fewer hours than the best plan gives, on a high lift per hour
  kRetentionRisk,  // fewer hours than the best plan gives, and likely to go dormant
                   // (kLikelyDormancy) unless it gets them
  kOverCapacity,   // the portfolio: the plan needs more hours than the capacity
};
const char* FeedbackCodeName(FeedbackCode code);  // e.g. "OVER_INVESTED"

// How the score was reached.
enum class ScoreBasis {
  kShareOfGain,     // 100 x plan gain / achievable gain
  kNothingToGain,   // the best plan's gain over the floor is not significant: 100
  kAboveFoundBest,  // the plan beats the best plan found: 100
  kBelowFloor,      // the plan falls short of the floor: 0
};
const char* ScoreBasisName(ScoreBasis basis);  // e.g. "SHARE_OF_GAIN"

// A change of plan's effect on the validation sample, paired path by path.
struct PlanEffect {
  double objective = 0;
  Interval objective_interval;
  double revenue = 0;  // expected horizon revenue
  Interval revenue_interval;
};

struct PartnerFeedback {
  std::string partner_id;
  FeedbackCode code = FeedbackCode::kAligned;
  Tier plan_tier = Tier::kOpportunistic;
  Tier best_tier = Tier::kOpportunistic;
  // ALIGNED: ExplainKept at the plan's tier. Otherwise ExplainChange from the plan's
  // tier to the best plan's: facts.tier is the best tier, compared_tier the plan's.
  Reason reason;
  // The plan with this partner at its best tier, minus the plan; zero when ALIGNED.
  PlanEffect to_best;
};

struct TierMove {
  std::string partner_id;
  Tier from = Tier::kOpportunistic;
  Tier to = Tier::kOpportunistic;
  double hours_change = 0;  // per period
};

// One step from the plan toward the best plan: one partner's change, or a shift of
// hours (a change that frees them, then one that uses them) when the hours would not
// fit otherwise. Its effect is on the plan with the earlier moves made.
struct CoachingMove {
  std::vector<TierMove> changes;
  PlanEffect effect;
};

struct PortfolioFeedback {
  double hours_used = 0;  // per period
  double capacity_hours = 0;
  bool over_capacity = false;  // code OVER_CAPACITY
  // Hours on partners that sell at least kSelfSufficientShare as much unassisted as at
  // their tier in the plan.
  double self_sufficient_hours = 0;
  double self_sufficient_hours_share = 0;  // of hours_used; 0 when no hours are used
  int self_sufficient_partners = 0;
  // Concentration of the plan's expected revenue: the largest partner's share, the top
  // three's, and the effective number of partners (1 / sum of squared shares).
  std::string largest_partner_id;
  double largest_revenue_share = 0;
  double top3_revenue_share = 0;
  double effective_partners = 0;
  // At most three greedy moves, each the best step left that fits the capacity (or
  // frees hours of a plan over it); fewer when no step improves the plan.
  std::vector<CoachingMove> top_moves;
};

struct Coaching {
  Plan plan;        // the manager's, every partner listed
  Plan best_plan;   // every partner listed
  Plan floor_plan;  // every partner OPPORTUNISTIC
  // Outcomes [plan, best, floor] on the validation sample; differences to the plan.
  Comparison validation;
  Objective objective = Objective::kAttainmentProbability;
  double score = 0;  // 0..100
  Interval score_interval;
  ScoreBasis basis = ScoreBasis::kShareOfGain;
  // On the objective, over the floor, with jackknife intervals.
  double plan_gain = 0;
  Interval plan_gain_interval;
  double achievable_gain = 0;  // of the best plan
  Interval achievable_gain_interval;
  std::vector<PartnerFeedback> partners;  // portfolio order
  PortfolioFeedback portfolio;
  uint64_t optimization_seed = 0;
  uint64_t validation_seed = 0;
};

// The inputs of a coaching, each relative to itself: the portfolio, the plan (tiers of
// the portfolio's partners; hours are refused, as coaching scores tiers) and the
// simulation options (paths and seed only, paths >= kMinCoachingPaths).
struct CoachingViolations {
  Violations portfolio;
  Violations plan;
  Violations simulation;

  bool empty() const { return portfolio.empty() && plan.empty() && simulation.empty(); }
  Violations Under(absl::string_view portfolio_path, absl::string_view plan_path,
                   absl::string_view simulation_path) const;
};
CoachingViolations ValidateCoaching(const Engine& engine, const Portfolio& portfolio,
                                    const Plan& plan, const CoachOptions& options);

// Its largest phase in memory (the search, the validation run, or the validation
// sample), and four samples' work. REQUIRES: ValidateCoaching is empty.
RunCost CoachingCost(const Engine& engine, const Portfolio& portfolio, const CoachOptions& options);

// Errors: FAILED_PRECONDITION (no plan fits the capacity), CANCELLED. REQUIRES:
// ValidateCoaching is empty; CoachingCost is within the memory budget.
absl::StatusOr<Coaching> CoachPlanChecked(Engine& engine, const Portfolio& portfolio,
                                          const Plan& plan, const CoachOptions& options,
                                          const RunControl& control = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_COACHING_H_
