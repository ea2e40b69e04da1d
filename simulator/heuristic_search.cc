#include "simulator/heuristic_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>

#include "simulator/fast_exp.h"
#include "simulator/statistics.h"

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

// ---------------------------------------------------------------------------------------
// Screened search.

// The surrogate's kernel width, in standard deviations of the plan's totals: wide enough
// that hundreds of paths carry weight, narrow enough to tell the paths near the quota.
constexpr double kKernelWidth = 0.25;
// Linearizations of the surrogate, each at the plan the previous one chose, while the
// plan they choose improves the objective on the sample.
constexpr int kScreeningRounds = 6;
// Partners whose tier the exact polishing may change: the most ambiguous to the surrogate.
constexpr size_t kPolishedPartners = 96;
// Bisection steps of the hour and change prices.
constexpr int kPriceBisections = 60;

// The gradient of a smooth surrogate of the objective at a plan with these totals, per
// path, summing to 1. Expected revenue is linear: uniform. P(attain) smoothed, the mean of
// a Gaussian CDF of (total - quota): a Gaussian kernel at the quota. The 10th percentile:
// a kernel at it. So a partner's surrogate value is its mean revenue on the paths that
// decide the objective.
std::vector<double> SurrogateWeights(const PlanState& state, std::span<const double> totals) {
  const size_t n = totals.size();
  std::vector<double> weights(n, 1.0 / static_cast<double>(n));
  if (state.objective() == Objective::kExpectedRevenue) return weights;
  double mean = 0;
  for (const double t : totals) mean += t;
  mean /= static_cast<double>(n);
  double variance = 0;
  for (const double t : totals) variance += (t - mean) * (t - mean);
  const double width = kKernelWidth * std::sqrt(variance / static_cast<double>(n));
  if (!(width > 0)) return weights;  // every path the same: all count alike
  double center = state.quota();
  if (state.objective() == Objective::kDownsideRevenue) {
    constexpr double kTenth[] = {0.10};
    Quantiles(totals, std::span<const double>(kTenth), std::span<double>(&center, 1));
  }
  // Relative to the nearest path, so that a quota far in a tail still weighs some paths.
  double nearest = std::numeric_limits<double>::infinity();
  for (const double t : totals) nearest = std::min(nearest, std::abs(t - center) / width);
  double sum = 0;
  for (size_t p = 0; p < n; ++p) {
    const double z = std::abs(totals[p] - center) / width;
    const double exponent = -0.5 * (z - nearest) * (z + nearest);
    weights[p] = exponent < -700 ? 0.0 : FastExp(exponent);
    sum += weights[p];
  }
  for (double& w : weights) w /= sum;
  return weights;
}

// Per partner and tier, [i * 3 + TierIndex]: the surrogate's gain from the partner at that
// tier rather than its current one, the weighted mean of its revenue delta. Zero for
// partners the search may not move.
std::vector<double> SurrogateValues(const PlanState& state, const std::vector<double>& weights) {
  const ScenarioSample& sample = state.sample();
  std::vector<double> values(state.partners() * kTiers.size(), 0.0);
  for (size_t i = 0; i < state.partners(); ++i) {
    if (!state.Allowed(i)) continue;
    for (const Tier tier : kTiers) {
      const size_t s = TierIndex(tier);
      if (s == sample.reference(i)) continue;
      const float* delta = sample.Delta(s, i);
      double value = 0;
      for (size_t p = 0; p < weights.size(); ++p) value += weights[p] * delta[p];
      values[i * kTiers.size() + s] = value;
    }
  }
  return values;
}

// A plan the surrogate chose, with its hours and changes, and per partner how much its
// tier beat the partner's next best under the prices (the smaller, the more ambiguous).
struct PricedPlan {
  std::vector<Tier> tiers;
  std::vector<double> margins;
  double hours = 0;
  int changes = 0;
};

// Each movable partner at the tier of the greatest value - hour_price x hours -
// change_price x (a change from the current tier); ties go to the current tier, then to
// fewer hours. Other partners keep their current tier.
PricedPlan Priced(const PlanState& state, const std::vector<double>& values, double hour_price,
                  double change_price) {
  PricedPlan plan;
  plan.tiers = state.current();
  plan.margins.assign(state.partners(), std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < state.partners(); ++i) {
    const Tier current = state.current()[i];
    if (state.Allowed(i)) {
      auto net = [&](Tier tier) {
        return values[i * kTiers.size() + TierIndex(tier)] - hour_price * state.HoursOf(i, tier) -
               (tier != current ? change_price : 0.0);
      };
      Tier best = current;
      double best_net = net(current);
      double second = -std::numeric_limits<double>::infinity();
      for (const Tier tier : kTiers) {
        if (tier == current) continue;
        const double n = net(tier);
        if (n > best_net || (n == best_net && state.HoursOf(i, tier) < state.HoursOf(i, best))) {
          second = best_net;
          best = tier;
          best_net = n;
        } else {
          second = std::max(second, n);
        }
      }
      plan.tiers[i] = best;
      plan.margins[i] = best_net - second;
    }
    plan.hours += state.HoursOf(i, plan.tiers[i]);
    plan.changes += plan.tiers[i] != current;
  }
  return plan;
}

// The least price in [0, cap] whose plan `priced(price)` fits, by bisection, and that
// plan; nullopt when even `cap` does not fit.
template <typename PriceFn, typename FitsFn>
std::optional<PricedPlan> CheapestFitting(const PriceFn& priced, const FitsFn& fits, double cap) {
  PricedPlan plan = priced(0.0);
  if (fits(plan)) return plan;
  if (!fits(plan = priced(cap))) return std::nullopt;
  double low = 0;
  double high = cap;
  for (int k = 0; k < kPriceBisections; ++k) {
    const double middle = 0.5 * (low + high);
    PricedPlan at = priced(middle);
    if (fits(at)) {
      high = middle;
      plan = std::move(at);
    } else {
      low = middle;
    }
  }
  return plan;
}

// Spends the hours a priced plan leaves on the surrogate's best single gains per hour.
void SpendLeftHours(const PlanState& state, const std::vector<double>& values, PricedPlan& plan) {
  while (true) {
    size_t best_partner = kNoPartner;
    Tier best_tier = Tier::kOpportunistic;
    double best_ratio = -std::numeric_limits<double>::infinity();
    double best_gain = 0;
    for (size_t i = 0; i < state.partners(); ++i) {
      if (!state.Allowed(i)) continue;
      const Tier now = plan.tiers[i];
      const double* value = &values[i * kTiers.size()];
      for (const Tier tier : kTiers) {
        const double gain = value[TierIndex(tier)] - value[TierIndex(now)];
        const double added = state.HoursOf(i, tier) - state.HoursOf(i, now);
        const int changes =
            plan.changes - (now != state.current()[i]) + (tier != state.current()[i]);
        if (tier == now || gain <= 0 || !state.Fits(plan.hours + added) ||
            changes > state.max_changes()) {
          continue;
        }
        const double ratio =
            added > kHoursTolerance ? gain / added : std::numeric_limits<double>::infinity();
        if (ratio > best_ratio || (ratio == best_ratio && gain > best_gain)) {
          best_partner = i;
          best_tier = tier;
          best_ratio = ratio;
          best_gain = gain;
        }
      }
    }
    if (best_partner == kNoPartner) return;
    const Tier now = plan.tiers[best_partner];
    plan.hours += state.HoursOf(best_partner, best_tier) - state.HoursOf(best_partner, now);
    plan.changes += (best_tier != state.current()[best_partner]) -
                    (now != state.current()[best_partner]);
    plan.tiers[best_partner] = best_tier;
  }
}

// The plan the surrogate prefers within the hours and the change budget (Lagrangian
// relaxation): the cheapest hour price whose priced plan fits the capacity, under the
// cheapest change price that keeps it within the change budget; then the hours it leaves
// spent. nullopt when no prices fit.
std::optional<PricedPlan> SurrogatePlan(const PlanState& state, const std::vector<double>& values) {
  // Above (2 x the largest value + the change price) / the smallest difference of hours
  // between two tiers of a partner, every partner takes its tier of fewest hours.
  double largest_value = 0;
  for (const double v : values) largest_value = std::max(largest_value, std::abs(v));
  double smallest_gap = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < state.partners(); ++i) {
    if (!state.Allowed(i)) continue;
    for (const Tier a : kTiers) {
      for (const Tier b : kTiers) {
        const double gap = state.HoursOf(i, a) - state.HoursOf(i, b);
        if (gap > kHoursTolerance) smallest_gap = std::min(smallest_gap, gap);
      }
    }
  }
  if (!std::isfinite(smallest_gap)) smallest_gap = 1;  // no partner's hours differ
  auto within_hours = [&](double change_price) {
    return CheapestFitting(
        [&](double hour_price) { return Priced(state, values, hour_price, change_price); },
        [&](const PricedPlan& plan) { return state.Fits(plan.hours); },
        4 * (2 * largest_value + change_price) / smallest_gap + 1);
  };
  std::optional<PricedPlan> plan = within_hours(0.0);
  if (plan && plan->changes > state.max_changes()) {
    plan = CheapestFitting(
        [&](double change_price) {
          std::optional<PricedPlan> p = within_hours(change_price);
          return p ? *std::move(p) : PricedPlan{{}, {}, 0, std::numeric_limits<int>::max()};
        },
        [&](const PricedPlan& p) { return p.changes <= state.max_changes(); },
        0x1p40 * (largest_value + 1));
  }
  if (!plan) return std::nullopt;
  SpendLeftHours(state, values, *plan);
  return plan;
}

// Holds every partner but the `count` most ambiguous ones (smallest margins; in partner
// order on ties).
void HoldAllButMostAmbiguous(PlanState& state, const std::vector<double>& margins, size_t count) {
  std::vector<size_t> order;
  for (size_t i = 0; i < state.partners(); ++i) {
    if (state.Allowed(i)) order.push_back(i);
  }
  if (order.size() <= count) return;
  std::nth_element(order.begin(), order.begin() + static_cast<long>(count), order.end(),
                   [&](size_t a, size_t b) {
                     return margins[a] != margins[b] ? margins[a] < margins[b] : a < b;
                   });
  std::vector<char> held(state.partners(), 1);
  for (size_t k = 0; k < count; ++k) held[order[k]] = 0;
  state.SetHeld(std::move(held));
}

}  // namespace

bool HeuristicAffordable(const PlanState& state, uint64_t paths, double budget) {
  double movable = 0;
  for (size_t i = 0; i < state.partners(); ++i) movable += state.Allowed(i);
  return movable * movable * static_cast<double>(paths) <= budget;
}

absl::StatusOr<std::vector<Tier>> ScreenedSearch(PlanState& state) {
  state.Reset(state.current());
  std::optional<PricedPlan> best;
  Score best_score;
  std::vector<double> weights = SurrogateWeights(state, state.totals());
  for (int round = 0; round < kScreeningRounds; ++round) {
    std::optional<PricedPlan> plan = SurrogatePlan(state, SurrogateValues(state, weights));
    if (!plan) break;
    const std::vector<double> totals = state.TotalsOf(plan->tiers);
    const Score score = state.ScoreTotals(totals);
    if (best && !Better(score, plan->changes, best_score, best->changes)) break;
    best = std::move(plan);
    best_score = score;
    state.monitor().Report(score.objective);
    if (state.monitor().Poll()) return absl::CancelledError("search cancelled");
    weights = SurrogateWeights(state, totals);
  }
  if (best) {
    state.Reset(best->tiers);
  } else if (absl::Status status = FitByLargestSavings(state); !status.ok()) {
    return status;
  }
  // Polishing: the heuristic's exact local search, over the partners the surrogate was
  // least sure of (in partner order when it chose no plan).
  HoldAllButMostAmbiguous(
      state, best ? best->margins : std::vector<double>(state.partners(), 0.0), kPolishedPartners);
  Climb(state);
  state.SetHeld({});
  if (state.monitor().stopped()) return absl::CancelledError("search cancelled");
  return state.tiers();
}

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
