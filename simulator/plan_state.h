// A plan under search, on a sample of partner revenue per tier (Engine::SampleScenarios
// with TierScenarios): a tier per partner, the hours it uses, its changes from the
// current plan, and its portfolio revenue path by path. A plan's revenue on a path is the
// current plan's plus the deltas of the partners it moves, so moving one partner updates
// every path in O(paths) and no candidate is re-simulated. The constraints (capacity,
// locked partners, a change budget) and the objective live here too, so that every search
// sees them alike.
//
// Thread-compatible: used by one search.
#ifndef ATTAIN_SIMULATOR_PLAN_STATE_H_
#define ATTAIN_SIMULATOR_PLAN_STATE_H_

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "simulator/model.h"
#include "simulator/scenario_sample.h"
#include "simulator/search_monitor.h"

namespace attain {

enum class Objective {
  kAttainmentProbability,  // P(R >= Q)
  kExpectedRevenue,        // E[R]
  kDownsideRevenue,        // the 10th percentile of R
};

inline constexpr std::array<Tier, 3> kTiers = {Tier::kInvest, Tier::kMaintain,
                                               Tier::kOpportunistic};
inline size_t TierIndex(Tier tier) { return static_cast<size_t>(tier); }

// The scenarios of a tier sample: hours per partner at each tier, in Tier order (a
// partner's hours_override applies at every tier), each partner's current tier its
// reference.
ScenarioSet TierScenarios(const Portfolio& portfolio);

// The revenue of the plan `tiers` on every path of a tier sample.
std::vector<double> TierTotals(const ScenarioSample& sample, const std::vector<Tier>& tiers);

struct Score {
  double objective = 0;
  double expected_revenue = 0;
};
// Plan a beats plan b: objective, then fewer changes, then higher expected revenue.
bool Better(const Score& a, int changes_a, const Score& b, int changes_b);

// Hours may exceed the capacity by this much (float sums of policy hours).
inline constexpr double kHoursTolerance = 1e-9;
inline constexpr int kNoChangeLimit = std::numeric_limits<int>::max();

struct SearchConstraints {
  std::vector<char> locked;        // per partner: keeps its current tier
  int max_changes = kNoChangeLimit;  // most tier changes from the current plan
};

class PlanState {
 public:
  // Starts at the current plan (every partner's tier in the portfolio).
  // REQUIRES: `sample` has the tier scenarios of `portfolio`; all outlive the state.
  PlanState(const Portfolio& portfolio, const ScenarioSample& sample, Objective objective,
            SearchConstraints constraints, SearchMonitor& monitor);

  size_t partners() const { return current_.size(); }
  const std::vector<Tier>& current() const { return current_; }
  const std::vector<Tier>& tiers() const { return tiers_; }
  double hours() const { return hours_; }
  int changes() const { return changes_; }
  int max_changes() const { return constraints_.max_changes; }
  // Whether the search may move `partner`: not locked, and not held by SetHeld.
  bool Allowed(size_t partner) const {
    return !constraints_.locked[partner] && (held_.empty() || !held_[partner]);
  }
  // Holds the partners with held[i] at their tier (an empty vector holds none), for a
  // search that refines part of the plan. Locked partners stay locked either way.
  void SetHeld(std::vector<char> held) { held_ = std::move(held); }
  double capacity() const { return portfolio_.capacity_hours; }
  bool Fits(double hours) const { return hours <= portfolio_.capacity_hours + kHoursTolerance; }
  SearchMonitor& monitor() { return monitor_; }
  Objective objective() const { return objective_; }
  double quota() const { return portfolio_.quota; }
  const ScenarioSample& sample() const { return sample_; }

  double HoursOf(size_t partner, Tier tier) const;
  // Changes of `tiers` from the current plan.
  int Changes(const std::vector<Tier>& tiers) const;
  // The changes after moving `partner` to `tier`.
  int ChangesAfter(size_t partner, Tier tier) const {
    return changes() - (tiers_[partner] != current_[partner]) + (tier != current_[partner]);
  }

  // Makes `tiers` the plan (its totals from the sample).
  void Reset(const std::vector<Tier>& tiers);
  // Moves `partner` to `tier`, then polls cancellation and reports progress.
  void Move(size_t partner, Tier tier);

  // Scores of candidates, each counted as a plan evaluated: this plan, this plan with
  // one move, any plan, and revenue totals a search built itself.
  Score ScoreNow();
  Score ScoreWith(size_t partner, Tier tier);
  Score ScoreOf(const std::vector<Tier>& tiers);
  Score ScoreTotals(const std::vector<double>& totals);

  // totals[p] += (partner at `to`) - (partner at `from`) on every path.
  void AddMove(size_t partner, Tier from, Tier to, std::vector<double>& totals) const;
  // The plan's revenue on every path, and those of `tiers`.
  const std::vector<double>& totals() const { return totals_; }
  std::vector<double> TotalsOf(const std::vector<Tier>& tiers) const;

 private:
  Score Measure(const std::vector<double>& totals) const;

  const Portfolio& portfolio_;
  const ScenarioSample& sample_;
  const Objective objective_;
  const SearchConstraints constraints_;
  std::vector<char> held_;  // per partner, or empty
  SearchMonitor& monitor_;
  const std::vector<Tier> current_;
  std::vector<Tier> tiers_;
  std::vector<double> totals_;   // tiers_'s portfolio revenue, path by path
  std::vector<double> scratch_;  // a candidate's
  double hours_ = 0;
  int changes_ = 0;  // of tiers_
};

// FAILED_PRECONDITION saying why no plan fits: the locked partners alone over capacity,
// or more changes needed than max_changes allows.
absl::Status NoPlanFits(const PlanState& state);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PLAN_STATE_H_
