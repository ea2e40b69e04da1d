#include "simulator/heuristic_search.h"

#include <algorithm>
#include <limits>

namespace attain {
namespace {

constexpr size_t kNoPartner = std::numeric_limits<size_t>::max();
// Candidates per side when pairing upgrades with downgrades in larger portfolios.
constexpr size_t kSwapCandidates = 8;
// Combined moves also try triples while there are at most this many single moves.
constexpr size_t kTripleMovesUpTo = 24;

struct Move {
  size_t partner = kNoPartner;
  Tier tier = Tier::kOpportunistic;
  double hours = 0;  // added (> 0) or freed (< 0)
  Score score;       // of this move alone
};

// How a single move ranks: when `per_hour`, moves that free hours first, then by the
// objective (then revenue) gained per hour added; else by the plan it leads to.
struct Rank {
  double objective = -std::numeric_limits<double>::infinity();
  double revenue = 0;
};

Rank RankOf(const Score& now, const Score& after, double added) {
  if (added > kHoursTolerance) {
    return {(after.objective - now.objective) / added,
            (after.expected_revenue - now.expected_revenue) / added};
  }
  return {std::numeric_limits<double>::infinity(),
          after.expected_revenue - now.expected_revenue};
}

// The best improving single move within the hours and the change budget, if any.
Move BestSingleMove(PlanState& state, bool per_hour) {
  const Score now = state.ScoreNow();
  const int changes = state.changes();
  Move best;
  Score best_score = now;
  int best_changes = changes;
  Rank best_rank;
  for (size_t i = 0; i < state.partners(); ++i) {
    if (!state.Allowed(i)) continue;
    for (const Tier tier : kTiers) {
      if (tier == state.tiers()[i]) continue;
      const double added = state.HoursOf(i, tier) - state.HoursOf(i, state.tiers()[i]);
      const int changes_after = state.ChangesAfter(i, tier);
      if (!state.Fits(state.hours() + added) || changes_after > state.max_changes()) continue;
      const Score s = state.ScoreWith(i, tier);
      if (!Better(s, changes_after, now, changes)) continue;
      const Rank rank = per_hour ? RankOf(now, s, added) : Rank{0, 0};
      const bool take =
          best.partner == kNoPartner ||
          (per_hour ? (rank.objective > best_rank.objective ||
                       (rank.objective == best_rank.objective && rank.revenue > best_rank.revenue))
                    : Better(s, changes_after, best_score, best_changes));
      if (take) {
        best = {i, tier, added, s};
        best_score = s;
        best_changes = changes_after;
        best_rank = rank;
      }
    }
  }
  return best;
}

// Applies improving single moves until none is left. True when anything changed.
bool ImproveBySingleChanges(PlanState& state, bool per_hour) {
  bool improved = false;
  while (true) {
    const Move best = BestSingleMove(state, per_hour);
    if (best.partner == kNoPartner) return improved;
    state.Move(best.partner, best.tier);
    improved = true;
    if (state.monitor().stopped()) return false;
  }
}

// Every single move within the locks, the most promising of each kind (using or freeing
// hours) in larger portfolios.
std::vector<Move> CandidateMoves(PlanState& state) {
  std::vector<Move> ups;    // use more hours (or the same)
  std::vector<Move> downs;  // free hours
  for (size_t i = 0; i < state.partners(); ++i) {
    if (!state.Allowed(i)) continue;
    for (const Tier tier : kTiers) {
      if (tier == state.tiers()[i]) continue;
      const double added = state.HoursOf(i, tier) - state.HoursOf(i, state.tiers()[i]);
      (added >= 0 ? ups : downs).push_back({i, tier, added, state.ScoreWith(i, tier)});
    }
  }
  auto by_score = [](const Move& a, const Move& b) {
    if (a.score.objective != b.score.objective) return a.score.objective > b.score.objective;
    return a.score.expected_revenue > b.score.expected_revenue;
  };
  std::vector<Move> moves;
  for (std::vector<Move>* group : {&ups, &downs}) {
    std::sort(group->begin(), group->end(), by_score);
    if (ups.size() + downs.size() > 4 * kSwapCandidates) {
      group->resize(std::min(group->size(), kSwapCandidates));
    }
    moves.insert(moves.end(), group->begin(), group->end());
  }
  return moves;
}

// The best improving combination of two (or, with few moves, three) single moves of
// different partners, as indices into `moves`; empty when none improves.
std::vector<size_t> BestCombination(PlanState& state, const std::vector<Move>& moves) {
  const Score now = state.ScoreNow();
  const int changes = state.changes();
  const size_t depth = moves.size() <= kTripleMovesUpTo ? 3 : 2;
  std::vector<size_t> chosen;
  std::vector<size_t> best;
  Score best_score = now;
  int best_changes = changes;
  std::vector<double> totals;
  auto consider = [&]() {
    double hours = state.hours();
    int changes_after = changes;
    for (size_t k = 0; k < chosen.size(); ++k) {
      const Move& m = moves[chosen[k]];
      for (size_t l = 0; l < k; ++l) {
        if (moves[chosen[l]].partner == m.partner) return;
      }
      hours += m.hours;
      changes_after += (m.tier != state.current()[m.partner]) -
                       (state.tiers()[m.partner] != state.current()[m.partner]);
    }
    if (!state.Fits(hours) || changes_after > state.max_changes()) return;
    totals = state.totals();
    for (const size_t k : chosen) {
      state.AddMove(moves[k].partner, state.tiers()[moves[k].partner], moves[k].tier, totals);
    }
    const Score s = state.ScoreTotals(totals);
    if (Better(s, changes_after, best_score, best_changes)) {
      best = chosen;
      best_score = s;
      best_changes = changes_after;
    }
  };
  auto extend = [&](auto&& self, size_t from) -> void {
    if (chosen.size() >= 2) consider();
    if (chosen.size() == depth) return;
    for (size_t k = from; k < moves.size(); ++k) {
      chosen.push_back(k);
      self(self, k + 1);
      chosen.pop_back();
    }
  };
  extend(extend, 0);
  return best;
}

// Applies the best improving combination of moves. True when one was found.
bool ImproveByCombinations(PlanState& state) {
  const std::vector<Move> moves = CandidateMoves(state);
  std::vector<size_t> best = BestCombination(state, moves);
  if (best.empty()) return false;
  // Moves that free hours first keep every intermediate plan within capacity.
  std::sort(best.begin(), best.end(),
            [&](size_t a, size_t b) { return moves[a].hours < moves[b].hours; });
  for (const size_t k : best) state.Move(moves[k].partner, moves[k].tier);
  return !state.monitor().stopped();
}

// Greedy per hour, then single changes and combinations until neither improves.
void Climb(PlanState& state) {
  ImproveBySingleChanges(state, /*per_hour=*/true);
  while (ImproveBySingleChanges(state, /*per_hour=*/false) || ImproveByCombinations(state)) {
  }
}

// The current plan with every unlocked partner at its tier of fewest hours.
std::vector<Tier> FewestHours(const PlanState& state) {
  std::vector<Tier> fewest = state.current();
  for (size_t i = 0; i < fewest.size(); ++i) {
    if (!state.Allowed(i)) continue;
    for (const Tier tier : kTiers) {
      if (state.HoursOf(i, tier) < state.HoursOf(i, fewest[i])) fewest[i] = tier;
    }
  }
  return fewest;
}

// From the current plan, each unlocked partner at its tier of fewest hours, largest
// saving first, until the plan fits: where the change budget binds, the fewest changes
// that free the most hours. NoPlanFits when even those do not fit.
absl::Status FitByLargestSavings(PlanState& state) {
  state.Reset(state.current());
  const std::vector<Tier> fewest = FewestHours(state);
  std::vector<size_t> order;
  for (size_t i = 0; i < state.partners(); ++i) {
    if (fewest[i] != state.current()[i]) order.push_back(i);
  }
  auto saving = [&](size_t i) {
    return state.HoursOf(i, state.current()[i]) - state.HoursOf(i, fewest[i]);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return saving(a) > saving(b); });
  for (const size_t i : order) {
    if (state.Fits(state.hours()) || state.changes() >= state.max_changes()) break;
    state.Move(i, fewest[i]);
  }
  return state.Fits(state.hours()) ? absl::OkStatus() : NoPlanFits(state);
}

}  // namespace

absl::Status MakeFeasible(PlanState& state) {
  state.Reset(state.current());
  while (!state.Fits(state.hours())) {
    const Score now = state.ScoreNow();
    Move best;
    double best_loss = std::numeric_limits<double>::infinity();
    double best_revenue_loss = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < state.partners(); ++i) {
      if (!state.Allowed(i)) continue;
      for (const Tier tier : kTiers) {
        const double freed = state.HoursOf(i, state.tiers()[i]) - state.HoursOf(i, tier);
        if (freed <= kHoursTolerance || state.ChangesAfter(i, tier) > state.max_changes()) {
          continue;
        }
        const Score s = state.ScoreWith(i, tier);
        const double loss = (now.objective - s.objective) / freed;
        const double revenue_loss = (now.expected_revenue - s.expected_revenue) / freed;
        if (loss < best_loss || (loss == best_loss && revenue_loss < best_revenue_loss)) {
          best = {i, tier, -freed, s};
          best_loss = loss;
          best_revenue_loss = revenue_loss;
        }
      }
    }
    // The change budget binds before the cheapest moves fit: spend it on the largest.
    if (best.partner == kNoPartner) return FitByLargestSavings(state);
    state.Move(best.partner, best.tier);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Tier>> HeuristicSearch(PlanState& state) {
  if (absl::Status status = MakeFeasible(state); !status.ok()) return status;
  // Climb from the current plan, and again from the plan with the fewest hours (where
  // the change budget allows it); keep the better.
  Climb(state);
  std::vector<Tier> best = state.tiers();
  const Score best_score = state.ScoreNow();
  const int best_changes = state.changes();
  const std::vector<Tier> fewest = FewestHours(state);
  if (!state.monitor().stopped() && fewest != best &&
      state.Changes(fewest) <= state.max_changes()) {
    for (size_t i = 0; i < fewest.size(); ++i) {
      if (state.tiers()[i] != fewest[i]) state.Move(i, fewest[i]);
    }
    if (state.Fits(state.hours())) {
      Climb(state);
      if (Better(state.ScoreNow(), state.changes(), best_score, best_changes)) {
        best = state.tiers();
      }
    }
  }
  if (state.monitor().stopped()) return absl::CancelledError("search cancelled");
  return best;
}

}  // namespace attain
