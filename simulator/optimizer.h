// Tier recommendations: the best tier for every partner under the manager's hours.
//
// Sample average approximation on common random numbers: one sample of paths gives, per
// path and partner, the horizon revenue under each tier (Engine::SampleScenarios). A
// plan's portfolio revenue on a path is then a sum over partners, so changing one
// partner's tier updates every path in O(paths) and no candidate is re-simulated. The
// search is exhaustive when that is affordable, else greedy by marginal gain per hour
// followed by local search with single changes and swaps. Against the optimizer's curse,
// the recommended and the current plan are then simulated on an independent sample, and
// those validated figures are reported.
//
// Thread-compatible: a TierSearch is used by one thread.
#ifndef ATTAIN_SIMULATOR_OPTIMIZER_H_
#define ATTAIN_SIMULATOR_OPTIMIZER_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "simulator/engine.h"
#include "simulator/model.h"

namespace attain {

enum class Objective {
  kAttainmentProbability,  // P(R >= Q)
  kExpectedRevenue,        // E[R]
  kDownsideRevenue,        // the 10th percentile of R
};

enum class SearchMethod {
  kAuto,        // exhaustive when affordable (RecommendOptions::exhaustive_budget)
  kExhaustive,  // every feasible plan
  kHeuristic,   // greedy, then local search
};

struct RecommendOptions {
  Objective objective = Objective::kAttainmentProbability;
  std::vector<std::string> locked;  // partner ids that keep their current tier
  std::optional<int> max_changes;  // most tier changes from the current plan
  // Paths of the optimization sample and of the validation sample; the seed (drawn when
  // unset) seeds the optimization sample, the validation sample uses an independent one.
  SimulationOptions simulation;
  SearchMethod method = SearchMethod::kAuto;
  // Exhaustive search when (feasible-looking plans) x paths stays below this.
  double exhaustive_budget = 3e8;
};

// Why a partner gets (or keeps) its tier.
enum class ReasonCode {
  kHighLiftPerHour,  // its revenue responds strongly to hours: among the best uses of time
  kDormancyRisk,     // without attention it is likely to go dormant within the horizon
  kSelfSufficient,   // it sells almost as much unassisted
  kFreesHours,       // hours go to partners with more leverage
  kLocked,           // the caller locked its tier
  kChangeLimit,      // a change would help, but the change budget is spent
  kBestAsIs,         // no other tier does better within the hours
};
const char* ReasonCodeName(ReasonCode code);  // e.g. "SELF_SUFFICIENT"

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
  ReasonCode reason = ReasonCode::kBestAsIs;
  std::string explanation;
};

struct PartnerAdvice {  // a partner whose tier stays
  std::string partner_id;
  Tier tier = Tier::kOpportunistic;
  ReasonCode reason = ReasonCode::kBestAsIs;
  std::string explanation;
};

struct Recommendation {
  Plan current_plan;
  Plan recommended_plan;  // lists every partner's tier
  // [current, recommended] on the validation sample, with the paired difference.
  Comparison validation;
  std::vector<TierChange> changes;
  std::vector<PartnerAdvice> unchanged;
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

// Hours per partner at each tier, in Tier order (the scenarios of a tier sample); a
// partner's hours_override applies at every tier.
std::vector<std::vector<double>> TierScenarioHours(const Portfolio& portfolio);

// How far a recommendation has come, for progress displays.
struct RecommendProgress {
  enum class Phase { kSampling, kSearching, kValidating };
  Phase phase = Phase::kSampling;
  uint64_t paths_done = 0;       // of the current sample or validation run
  uint64_t paths_planned = 0;
  uint64_t plans_evaluated = 0;  // by the search so far
  double best_objective = 0;     // of the search's plan so far, on the optimization sample
};
using RecommendProgressCallback = std::function<void(const RecommendProgress&)>;

// The seed of the validation sample for an optimization seed: an independent stream.
uint64_t ValidationSeed(uint64_t optimization_seed);

// Searches plans on a sample of partner revenue per tier.
class TierSearch {
 public:
  // `sample` has scenarios INVEST, MAINTAIN, OPPORTUNISTIC (in Tier order) for the
  // portfolio's partners. REQUIRES: the portfolio validates; locked ids name partners.
  // `on_step`, if set, is called after each accepted change of the heuristic and each
  // 4,096 plans of the exhaustive search; `cancelled`, if set, is polled as often and
  // stops the search (CANCELLED).
  TierSearch(const Portfolio& portfolio, const ScenarioSample& sample,
             const RecommendOptions& options, RecommendProgressCallback on_step = {},
             std::function<bool()> cancelled = {});

  // The best plan found (one tier per partner), or FAILED_PRECONDITION when no plan
  // fits the hours (locked partners alone over capacity, or too few changes allowed).
  absl::StatusOr<std::vector<Tier>> Search(SearchMethod method);
  absl::StatusOr<std::vector<Tier>> Exhaustive();
  absl::StatusOr<std::vector<Tier>> Heuristic();

  // The objective of a plan on this sample.
  double Evaluate(const std::vector<Tier>& tiers);
  // Would exhaustive search fit the budget?
  bool ExhaustiveAffordable() const;
  // Per partner at its current tier in `plan`: would one change of its tier, within the
  // hours, raise the objective? (Those a change budget held back.)
  std::vector<char> ImprovableByOneChange(const std::vector<Tier>& plan);

  uint64_t plans_evaluated() const { return plans_evaluated_; }

 private:
  struct Score {
    double objective = 0;
    double expected_revenue = 0;
  };
  double HoursOf(size_t partner, Tier tier) const;
  int ChangesOf(const std::vector<Tier>& tiers) const;
  bool Allowed(size_t partner) const { return !locked_[partner]; }
  // Score of totals_ + the move of `partner` to `tier` (no move when partner == npos).
  Score ScoreWith(size_t partner, Tier tier);
  // A candidate plan's score, counted in plans_evaluated().
  Score ScoreOf(const std::vector<double>& totals);
  // The same, not counted (progress reports).
  Score Measure(const std::vector<double>& totals) const;
  void Apply(size_t partner, Tier tier);
  // Plan a beats plan b: objective, then fewer changes, then higher expected revenue.
  static bool Better(const Score& a, int changes_a, const Score& b, int changes_b);
  absl::Status MakeFeasible();
  // Applies improving single changes until none is left: the best per hour when
  // `per_hour`, else the best outright. True when anything changed.
  bool ImproveBySingleChanges(bool per_hour);
  // Applies the best improving combination of two (or, in small portfolios, three)
  // single changes, e.g. an upgrade paid for by a downgrade. True when one was found.
  bool ImproveByCombinations();
  // Greedy per hour, then single changes and pairs until neither improves.
  void Climb();

  const Portfolio& portfolio_;
  const ScenarioSample& sample_;
  const RecommendOptions& options_;
  const RecommendProgressCallback on_step_;
  const std::function<bool()> cancelled_;
  bool stopped_ = false;  // cancelled_ turned true: every loop winds down
  double best_seen_ = -std::numeric_limits<double>::infinity();  // for progress reports
  std::vector<Tier> current_;  // the current plan
  std::vector<char> locked_;
  std::vector<Tier> tiers_;      // the plan being improved
  std::vector<double> totals_;   // its portfolio revenue, path by path
  std::vector<double> scratch_;  // candidate totals (for the downside objective)
  double hours_ = 0;
  uint64_t plans_evaluated_ = 0;
};

// Validation of a recommendation request: the portfolio and simulation options (as
// Engine::Validate), "locked_partner_ids[k]" naming no partner, "max_changes" < 0, and
// the options a recommendation does not use (antithetic, a precision target).
Violations ValidateRecommendation(const Engine& engine, const Portfolio& portfolio,
                                  const RecommendOptions& options);

// The cost of RecommendTiers: the larger of the tier sample (3 tiers x partners x paths)
// and the validation run in memory; three runs of options.simulation.paths in work.
// REQUIRES: ValidateRecommendation is empty.
RunCost EstimateRecommendation(const Engine& engine, const Portfolio& portfolio,
                               const RecommendOptions& options);

// The whole recommendation: sample, search, validate, explain.
// Errors: INVALID_ARGUMENT (inputs, unknown locked ids), FAILED_PRECONDITION (no plan
// fits), RESOURCE_EXHAUSTED (memory), CANCELLED.
// control.on_progress is not called (`on_progress` is, on the calling thread);
// control.on_paths is, for the paths of every sample and validation run.
absl::StatusOr<Recommendation> RecommendTiers(Engine& engine, const Portfolio& portfolio,
                                              const RecommendOptions& options,
                                              const RunControl& control = {},
                                              const RecommendProgressCallback& on_progress = {});

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_OPTIMIZER_H_
