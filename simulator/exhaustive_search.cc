#include "simulator/exhaustive_search.h"

#include <algorithm>
#include <limits>


namespace attain {
namespace {

// Candidate plans between polls of cancellation and progress reports.
constexpr uint64_t kPlansPerReport = 4096;

// Depth-first enumeration: depth d assigns a tier to the d-th unlocked partner.
class Enumeration {
 public:
  explicit Enumeration(PlanState& state) : state_(state), plan_(state.current()) {
    double fixed_hours = 0;
    for (size_t i = 0; i < state.partners(); ++i) {
      if (state.Allowed(i)) {
        free_.push_back(i);
      } else {
        fixed_hours += state.HoursOf(i, state.current()[i]);
      }
    }
    fixed_hours_ = fixed_hours;
    // Fewest hours the partners from depth d on can use, to prune early.
    fewest_after_.assign(free_.size() + 1, 0.0);
    for (size_t d = free_.size(); d-- > 0;) {
      double fewest = std::numeric_limits<double>::infinity();
      for (const Tier tier : kTiers) fewest = std::min(fewest, state.HoursOf(free_[d], tier));
      fewest_after_[d] = fewest_after_[d + 1] + fewest;
    }
    // totals_[d]: revenue with the free partners before depth d assigned, the rest at
    // their current tier.
    totals_.resize(free_.size() + 1);
    totals_[0] = state.TotalsOf(state.current());
  }

  // The best plan, or empty when none fits.
  std::vector<Tier> Run() {
    if (state_.Fits(fixed_hours_ + fewest_after_[0])) Visit(0, fixed_hours_, 0);
    return best_;
  }

 private:
  void Visit(size_t depth, double hours, int changes) {
    if (depth == free_.size()) return Leaf(changes);
    const size_t i = free_[depth];
    const Tier current = state_.current()[i];
    for (const Tier tier : kTiers) {
      if (state_.monitor().stopped()) break;
      const double used = hours + state_.HoursOf(i, tier);
      if (!state_.Fits(used + fewest_after_[depth + 1])) continue;
      const int changes_after = changes + (tier != current);
      if (changes_after > state_.max_changes()) continue;
      std::vector<double>& next = totals_[depth + 1];
      next = totals_[depth];
      if (tier != current) state_.AddMove(i, current, tier, next);
      plan_[i] = tier;
      Visit(depth + 1, used, changes_after);
    }
    plan_[i] = current;
  }

  void Leaf(int changes) {
    const Score s = state_.ScoreTotals(totals_[free_.size()]);
    if (best_.empty() || Better(s, changes, best_score_, best_changes_)) {
      best_ = plan_;
      best_score_ = s;
      best_changes_ = changes;
    }
    SearchMonitor& monitor = state_.monitor();
    if (monitor.plans_evaluated() % kPlansPerReport == 0) {
      monitor.Poll();
      monitor.Report(best_score_.objective);
    }
  }

  PlanState& state_;
  std::vector<size_t> free_;
  double fixed_hours_ = 0;
  std::vector<double> fewest_after_;
  std::vector<std::vector<double>> totals_;
  std::vector<Tier> plan_;
  std::vector<Tier> best_;
  Score best_score_;
  int best_changes_ = 0;
};

}  // namespace

bool ExhaustiveAffordable(const PlanState& state, uint64_t paths, double budget) {
  double plans = 1;
  for (size_t i = 0; i < state.partners(); ++i) plans *= state.Allowed(i) ? 3 : 1;
  return plans * static_cast<double>(paths) <= budget;
}

absl::StatusOr<std::vector<Tier>> ExhaustiveSearch(PlanState& state) {
  state.Reset(state.current());
  if (state.monitor().Poll()) return absl::CancelledError("search cancelled");
  std::vector<Tier> best = Enumeration(state).Run();
  if (state.monitor().stopped()) return absl::CancelledError("search cancelled");
  if (best.empty()) return NoPlanFits(state);
  return best;
}

}  // namespace attain
