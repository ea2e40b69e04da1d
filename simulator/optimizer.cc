#include "simulator/optimizer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simulator/random.h"

namespace attain {
namespace {

constexpr Tier kTiers[] = {Tier::kInvest, Tier::kMaintain, Tier::kOpportunistic};
constexpr size_t kNoPartner = std::numeric_limits<size_t>::max();
constexpr double kHoursTolerance = 1e-9;
// Candidates per side when pairing an upgrade with a downgrade.
constexpr size_t kSwapCandidates = 8;
// Combined moves also try triples while there are at most this many single moves.
constexpr size_t kTripleMovesUpTo = 24;
// Thresholds of the explanations.
constexpr double kSelfSufficientShare = 0.9;  // unassisted / assisted revenue
constexpr double kDormancyRiskGap = 0.05;     // dormancy probability saved by the hours

size_t TierIndex(Tier tier) { return static_cast<size_t>(tier); }

double PolicyHours(const Portfolio& portfolio, const Partner& p, Tier tier) {
  return p.hours_override.value_or(portfolio.tier_policy.HoursFor(tier));
}

double DormancyProbability(const Portfolio& portfolio, const Partner& p, double hours) {
  const double hazard = ComputeEngagementEffect(portfolio, p, hours).churn_hazard;
  return 1 - std::pow(1 - hazard, portfolio.periods);
}

// Per partner, in portfolio order: is it locked?
std::vector<char> LockedPartners(const Portfolio& portfolio, const RecommendOptions& options) {
  const std::set<std::string_view> locked(options.locked.begin(), options.locked.end());
  std::vector<char> out;
  for (const Partner& p : portfolio.partners) out.push_back(locked.contains(p.id));
  return out;
}

std::string Percent(double fraction) { return absl::StrFormat("%.1f%%", 100 * fraction); }
// Whole currency units with thousands separators, e.g. "-80,611".
std::string Money(double amount) {
  const std::string digits = absl::StrFormat("%.0f", std::abs(amount));
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return amount < -0.5 ? "-" + grouped : grouped;
}

}  // namespace

const char* ReasonCodeName(ReasonCode code) {
  switch (code) {
    case ReasonCode::kHighLiftPerHour: return "HIGH_LIFT_PER_HOUR";
    case ReasonCode::kDormancyRisk: return "DORMANCY_RISK";
    case ReasonCode::kSelfSufficient: return "SELF_SUFFICIENT";
    case ReasonCode::kFreesHours: return "FREES_HOURS";
    case ReasonCode::kLocked: return "LOCKED";
    case ReasonCode::kChangeLimit: return "CHANGE_LIMIT";
    case ReasonCode::kBestAsIs: return "BEST_AS_IS";
  }
  return "BEST_AS_IS";
}

std::vector<std::vector<double>> TierScenarioHours(const Portfolio& portfolio) {
  std::vector<std::vector<double>> hours;
  for (const Tier tier : kTiers) {
    std::vector<double> tier_hours;
    for (const Partner& p : portfolio.partners) tier_hours.push_back(PolicyHours(portfolio, p, tier));
    hours.push_back(std::move(tier_hours));
  }
  return hours;
}

uint64_t ValidationSeed(uint64_t optimization_seed) {
  return Mix64(optimization_seed ^ 0x5851f42d4c957f2dULL);
}

TierSearch::TierSearch(const Portfolio& portfolio, const ScenarioSample& sample,
                       const RecommendOptions& options, RecommendProgressCallback on_step,
                       std::function<bool()> cancelled)
    : portfolio_(portfolio),
      sample_(sample),
      options_(options),
      on_step_(std::move(on_step)),
      cancelled_(std::move(cancelled)) {
  for (const Partner& p : portfolio.partners) current_.push_back(p.tier);
  locked_ = LockedPartners(portfolio, options);
  scratch_.resize(sample.paths);
}

double TierSearch::HoursOf(size_t partner, Tier tier) const {
  return PolicyHours(portfolio_, portfolio_.partners[partner], tier);
}

int TierSearch::ChangesOf(const std::vector<Tier>& tiers) const {
  int changes = 0;
  for (size_t i = 0; i < tiers.size(); ++i) changes += tiers[i] != current_[i];
  return changes;
}

bool TierSearch::Better(const Score& a, int changes_a, const Score& b, int changes_b) {
  if (a.objective != b.objective) return a.objective > b.objective;
  if (changes_a != changes_b) return changes_a < changes_b;
  return a.expected_revenue > b.expected_revenue;
}

TierSearch::Score TierSearch::ScoreOf(const std::vector<double>& totals) {
  ++plans_evaluated_;
  return Measure(totals);
}

TierSearch::Score TierSearch::Measure(const std::vector<double>& totals) const {
  const size_t n = totals.size();
  double sum = 0;
  size_t hits = 0;
  for (const double total : totals) {
    sum += total;
    hits += total >= portfolio_.quota;
  }
  Score score;
  score.expected_revenue = sum / static_cast<double>(n);
  switch (options_.objective) {
    case Objective::kAttainmentProbability:
      score.objective = static_cast<double>(hits) / static_cast<double>(n);
      break;
    case Objective::kExpectedRevenue:
      score.objective = score.expected_revenue;
      break;
    case Objective::kDownsideRevenue: {
      constexpr double kTenth[] = {0.10};
      Quantiles(std::span<const double>(totals), std::span<const double>(kTenth),
                std::span<double>(&score.objective, 1));
      break;
    }
  }
  return score;
}

TierSearch::Score TierSearch::ScoreWith(size_t partner, Tier tier) {
  if (partner == kNoPartner) return ScoreOf(totals_);
  const double* from = sample_.Row(TierIndex(tiers_[partner]), partner);
  const double* to = sample_.Row(TierIndex(tier), partner);
  for (size_t p = 0; p < totals_.size(); ++p) scratch_[p] = totals_[p] + (to[p] - from[p]);
  return ScoreOf(scratch_);
}

void TierSearch::Apply(size_t partner, Tier tier) {
  const double* from = sample_.Row(TierIndex(tiers_[partner]), partner);
  const double* to = sample_.Row(TierIndex(tier), partner);
  for (size_t p = 0; p < totals_.size(); ++p) totals_[p] += to[p] - from[p];
  hours_ += HoursOf(partner, tier) - HoursOf(partner, tiers_[partner]);
  tiers_[partner] = tier;
  if (cancelled_ && cancelled_()) stopped_ = true;
  if (on_step_) {
    // The best plan within the hours so far (the search may pass through worse ones).
    if (hours_ <= portfolio_.capacity_hours + kHoursTolerance) {
      best_seen_ = std::max(best_seen_, Measure(totals_).objective);
    }
    RecommendProgress progress;
    progress.phase = RecommendProgress::Phase::kSearching;
    progress.plans_evaluated = plans_evaluated_;
    progress.best_objective = std::isfinite(best_seen_) ? best_seen_ : 0;
    on_step_(progress);
  }
}

double TierSearch::Evaluate(const std::vector<Tier>& tiers) {
  std::vector<double> totals(sample_.paths, 0.0);
  for (size_t i = 0; i < tiers.size(); ++i) {
    const double* row = sample_.Row(TierIndex(tiers[i]), i);
    for (size_t p = 0; p < totals.size(); ++p) totals[p] += row[p];
  }
  return ScoreOf(totals).objective;
}

absl::Status TierSearch::MakeFeasible() {
  tiers_ = current_;
  totals_.assign(sample_.paths, 0.0);
  hours_ = 0;
  for (size_t i = 0; i < tiers_.size(); ++i) {
    const double* row = sample_.Row(TierIndex(tiers_[i]), i);
    for (size_t p = 0; p < totals_.size(); ++p) totals_[p] += row[p];
    hours_ += HoursOf(i, tiers_[i]);
  }
  const int max_changes = options_.max_changes.value_or(std::numeric_limits<int>::max());
  // Over capacity: free hours where they cost least per hour freed.
  while (hours_ > portfolio_.capacity_hours + kHoursTolerance) {
    const Score now = ScoreOf(totals_);
    size_t best_partner = kNoPartner;
    Tier best_tier = Tier::kOpportunistic;
    double best_loss = std::numeric_limits<double>::infinity();
    double best_revenue_loss = std::numeric_limits<double>::infinity();
    const int changes = ChangesOf(tiers_);
    for (size_t i = 0; i < tiers_.size(); ++i) {
      if (!Allowed(i)) continue;
      for (const Tier tier : kTiers) {
        const double freed = HoursOf(i, tiers_[i]) - HoursOf(i, tier);
        if (freed <= kHoursTolerance) continue;
        const int changes_after = changes - (tiers_[i] != current_[i]) + (tier != current_[i]);
        if (changes_after > max_changes) continue;
        const Score s = ScoreWith(i, tier);
        const double loss = (now.objective - s.objective) / freed;
        const double revenue_loss = (now.expected_revenue - s.expected_revenue) / freed;
        if (loss < best_loss || (loss == best_loss && revenue_loss < best_revenue_loss)) {
          best_partner = i;
          best_tier = tier;
          best_loss = loss;
          best_revenue_loss = revenue_loss;
        }
      }
    }
    if (best_partner == kNoPartner) {
      double floor = 0;  // fewest hours any plan with these locks can use
      double locked = 0;
      for (size_t i = 0; i < tiers_.size(); ++i) {
        double fewest = HoursOf(i, current_[i]);
        if (Allowed(i)) {
          for (const Tier tier : kTiers) fewest = std::min(fewest, HoursOf(i, tier));
        } else {
          locked += fewest;
        }
        floor += fewest;
      }
      if (floor > portfolio_.capacity_hours + kHoursTolerance) {
        return absl::FailedPreconditionError(absl::StrCat(
            "no plan fits the capacity of ", portfolio_.capacity_hours,
            " hours per period: the locked partners alone use ", locked,
            " and every plan uses at least ", floor, "; unlock partners or raise capacity_hours"));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          "fitting the current plan (", hours_, " hours per period) into the capacity of ",
          portfolio_.capacity_hours, " needs more than max_changes = ", max_changes,
          " tier changes"));
    }
    Apply(best_partner, best_tier);
  }
  return absl::OkStatus();
}

bool TierSearch::ImproveBySingleChanges(bool per_hour) {
  const int max_changes = options_.max_changes.value_or(std::numeric_limits<int>::max());
  bool improved = false;
  while (true) {
    const Score now = ScoreOf(totals_);
    const int changes = ChangesOf(tiers_);
    size_t best_partner = kNoPartner;
    Tier best_tier = Tier::kOpportunistic;
    Score best_score = now;
    int best_changes = changes;
    // Rank: moves that free hours first, then by objective (then revenue) gained per hour.
    double best_rank[2] = {-std::numeric_limits<double>::infinity(), 0};
    for (size_t i = 0; i < tiers_.size(); ++i) {
      if (!Allowed(i)) continue;
      for (const Tier tier : kTiers) {
        if (tier == tiers_[i]) continue;
        const double added = HoursOf(i, tier) - HoursOf(i, tiers_[i]);
        if (hours_ + added > portfolio_.capacity_hours + kHoursTolerance) continue;
        const int changes_after = changes - (tiers_[i] != current_[i]) + (tier != current_[i]);
        if (changes_after > max_changes) continue;
        const Score s = ScoreWith(i, tier);
        if (!Better(s, changes_after, now, changes)) continue;
        double rank[2];
        if (per_hour && added > kHoursTolerance) {
          rank[0] = (s.objective - now.objective) / added;
          rank[1] = (s.expected_revenue - now.expected_revenue) / added;
        } else if (per_hour) {
          rank[0] = std::numeric_limits<double>::infinity();
          rank[1] = s.expected_revenue - now.expected_revenue;
        } else {
          rank[0] = rank[1] = 0;
        }
        const bool take = best_partner == kNoPartner ||
                          (per_hour ? (rank[0] > best_rank[0] ||
                                       (rank[0] == best_rank[0] && rank[1] > best_rank[1]))
                                    : Better(s, changes_after, best_score, best_changes));
        if (take) {
          best_partner = i;
          best_tier = tier;
          best_score = s;
          best_changes = changes_after;
          best_rank[0] = rank[0];
          best_rank[1] = rank[1];
        }
      }
    }
    if (best_partner == kNoPartner) return improved;
    Apply(best_partner, best_tier);
    improved = true;
    if (stopped_) return false;
  }
}

bool TierSearch::ImproveByCombinations() {
  const int max_changes = options_.max_changes.value_or(std::numeric_limits<int>::max());
  struct Move {
    size_t partner;
    Tier tier;
    double hours;  // added (> 0) or freed (< 0)
    Score score;   // of this move alone
  };
  const Score now = ScoreOf(totals_);
  const int changes = ChangesOf(tiers_);
  std::vector<Move> ups;    // use more hours (or the same)
  std::vector<Move> downs;  // free hours
  for (size_t i = 0; i < tiers_.size(); ++i) {
    if (!Allowed(i)) continue;
    for (const Tier tier : kTiers) {
      if (tier == tiers_[i]) continue;
      const double added = HoursOf(i, tier) - HoursOf(i, tiers_[i]);
      (added >= 0 ? ups : downs).push_back({i, tier, added, ScoreWith(i, tier)});
    }
  }
  // Few partners: every pair of moves. Many: the most promising of each kind.
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
  // Pairs, and triples of moves while there are few (small portfolios).
  const size_t depth = moves.size() <= kTripleMovesUpTo ? 3 : 2;
  std::vector<size_t> chosen;
  std::vector<size_t> best;
  Score best_score = now;
  int best_changes = changes;
  auto consider = [&]() {
    double hours = hours_;
    int changes_after = changes;
    for (size_t k = 0; k < chosen.size(); ++k) {
      const Move& m = moves[chosen[k]];
      for (size_t l = 0; l < k; ++l) {
        if (moves[chosen[l]].partner == m.partner) return;
      }
      hours += m.hours;
      changes_after += (m.tier != current_[m.partner]) - (tiers_[m.partner] != current_[m.partner]);
    }
    if (hours > portfolio_.capacity_hours + kHoursTolerance || changes_after > max_changes) return;
    scratch_ = totals_;
    for (const size_t k : chosen) {
      const Move& m = moves[k];
      const double* from = sample_.Row(TierIndex(tiers_[m.partner]), m.partner);
      const double* to = sample_.Row(TierIndex(m.tier), m.partner);
      for (size_t p = 0; p < scratch_.size(); ++p) scratch_[p] += to[p] - from[p];
    }
    const Score s = ScoreOf(scratch_);
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
  if (best.empty()) return false;
  // Moves that free hours first keep every intermediate plan within capacity.
  std::sort(best.begin(), best.end(),
            [&](size_t a, size_t b) { return moves[a].hours < moves[b].hours; });
  for (const size_t k : best) Apply(moves[k].partner, moves[k].tier);
  return !stopped_;
}

void TierSearch::Climb() {
  ImproveBySingleChanges(/*per_hour=*/true);
  while (ImproveBySingleChanges(/*per_hour=*/false) || ImproveByCombinations()) {
  }
}

absl::StatusOr<std::vector<Tier>> TierSearch::Heuristic() {
  if (absl::Status status = MakeFeasible(); !status.ok()) return status;
  // Climb from the current plan, and again from the plan with the fewest hours (where
  // the change budget allows it); keep the better.
  Climb();
  std::vector<Tier> best = tiers_;
  Score best_score = ScoreOf(totals_);
  int best_changes = ChangesOf(tiers_);
  std::vector<Tier> fewest = current_;
  for (size_t i = 0; i < fewest.size(); ++i) {
    if (!Allowed(i)) continue;
    for (const Tier tier : kTiers) {
      if (HoursOf(i, tier) < HoursOf(i, fewest[i])) fewest[i] = tier;
    }
  }
  const int max_changes = options_.max_changes.value_or(std::numeric_limits<int>::max());
  if (!stopped_ && fewest != best && ChangesOf(fewest) <= max_changes) {
    for (size_t i = 0; i < fewest.size(); ++i) {
      if (tiers_[i] != fewest[i]) Apply(i, fewest[i]);
    }
    if (hours_ <= portfolio_.capacity_hours + kHoursTolerance) {
      Climb();
      const Score score = ScoreOf(totals_);
      const int changes = ChangesOf(tiers_);
      if (Better(score, changes, best_score, best_changes)) best = tiers_;
    }
  }
  if (stopped_) return absl::CancelledError("search cancelled");
  return best;
}

bool TierSearch::ExhaustiveAffordable() const {
  double plans = 1;
  for (size_t i = 0; i < current_.size(); ++i) plans *= Allowed(i) ? 3 : 1;
  return plans * static_cast<double>(sample_.paths) <= options_.exhaustive_budget;
}

absl::StatusOr<std::vector<Tier>> TierSearch::Exhaustive() {
  // Feasibility (and its explanation) as in the heuristic; the search starts afresh.
  if (absl::Status status = MakeFeasible(); !status.ok()) return status;
  const int max_changes = options_.max_changes.value_or(std::numeric_limits<int>::max());
  std::vector<size_t> free;
  double fixed_hours = 0;
  for (size_t i = 0; i < current_.size(); ++i) {
    if (Allowed(i)) {
      free.push_back(i);
    } else {
      fixed_hours += HoursOf(i, current_[i]);
    }
  }
  // Fewest hours the partners from depth d on can use, to prune early.
  std::vector<double> fewest_after(free.size() + 1, 0.0);
  for (size_t d = free.size(); d-- > 0;) {
    double fewest = std::numeric_limits<double>::infinity();
    for (const Tier tier : kTiers) fewest = std::min(fewest, HoursOf(free[d], tier));
    fewest_after[d] = fewest_after[d + 1] + fewest;
  }
  // totals[d]: revenue with free partners before depth d assigned, the rest at current.
  std::vector<std::vector<double>> totals(free.size() + 1);
  totals[0].assign(sample_.paths, 0.0);
  for (size_t i = 0; i < current_.size(); ++i) {
    const double* row = sample_.Row(TierIndex(current_[i]), i);
    for (size_t p = 0; p < sample_.paths; ++p) totals[0][p] += row[p];
  }
  std::vector<Tier> plan = current_;
  std::vector<Tier> best;
  Score best_score;
  int best_changes = 0;
  auto visit = [&](auto&& self, size_t depth, double hours, int changes) -> void {
    if (depth == free.size()) {
      const Score s = ScoreOf(totals[depth]);
      if (best.empty() || Better(s, changes, best_score, best_changes)) {
        best = plan;
        best_score = s;
        best_changes = changes;
      }
      if (plans_evaluated_ % 4096 == 0 && cancelled_ && cancelled_()) stopped_ = true;
      if (on_step_ && plans_evaluated_ % 4096 == 0) {
        RecommendProgress progress;
        progress.phase = RecommendProgress::Phase::kSearching;
        progress.plans_evaluated = plans_evaluated_;
        progress.best_objective = best_score.objective;
        on_step_(progress);
      }
      return;
    }
    const size_t i = free[depth];
    for (const Tier tier : kTiers) {
      if (stopped_) break;
      const double used = hours + HoursOf(i, tier);
      if (used + fewest_after[depth + 1] > portfolio_.capacity_hours + kHoursTolerance) continue;
      const int changes_after = changes + (tier != current_[i]);
      if (changes_after > max_changes) continue;
      std::vector<double>& next = totals[depth + 1];
      const std::vector<double>& here = totals[depth];
      if (tier == current_[i]) {
        next = here;
      } else {
        const double* from = sample_.Row(TierIndex(current_[i]), i);
        const double* to = sample_.Row(TierIndex(tier), i);
        next.resize(here.size());
        for (size_t p = 0; p < here.size(); ++p) next[p] = here[p] + (to[p] - from[p]);
      }
      plan[i] = tier;
      self(self, depth + 1, used, changes_after);
    }
    plan[i] = current_[i];
  };
  visit(visit, 0, fixed_hours, 0);
  if (stopped_) return absl::CancelledError("search cancelled");
  return best;  // non-empty: MakeFeasible found a feasible plan
}

std::vector<char> TierSearch::ImprovableByOneChange(const std::vector<Tier>& plan) {
  tiers_ = plan;
  totals_ = std::vector<double>(sample_.paths, 0.0);
  hours_ = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const double* row = sample_.Row(TierIndex(plan[i]), i);
    for (size_t p = 0; p < totals_.size(); ++p) totals_[p] += row[p];
    hours_ += HoursOf(i, plan[i]);
  }
  const Score now = ScoreOf(totals_);
  std::vector<char> improvable(plan.size(), 0);
  for (size_t i = 0; i < plan.size(); ++i) {
    if (!Allowed(i) || plan[i] != current_[i]) continue;
    for (const Tier tier : kTiers) {
      const double added = HoursOf(i, tier) - HoursOf(i, plan[i]);
      if (tier == plan[i] || hours_ + added > portfolio_.capacity_hours + kHoursTolerance) {
        continue;
      }
      if (ScoreWith(i, tier).objective > now.objective) improvable[i] = 1;
    }
  }
  return improvable;
}

absl::StatusOr<std::vector<Tier>> TierSearch::Search(SearchMethod method) {
  if (method == SearchMethod::kExhaustive ||
      (method == SearchMethod::kAuto && ExhaustiveAffordable())) {
    return Exhaustive();
  }
  return Heuristic();
}

namespace {

Plan PlanOf(const Portfolio& portfolio, const std::vector<Tier>& tiers, std::string name) {
  Plan plan;
  plan.name = std::move(name);
  for (size_t i = 0; i < tiers.size(); ++i) plan.tiers[portfolio.partners[i].id] = tiers[i];
  return plan;
}

// Portfolio revenue per path of a plan on a sample.
std::vector<double> Totals(const ScenarioSample& sample, const std::vector<Tier>& tiers) {
  std::vector<double> totals(sample.paths, 0.0);
  for (size_t i = 0; i < tiers.size(); ++i) {
    const double* row = sample.Row(TierIndex(tiers[i]), i);
    for (size_t p = 0; p < totals.size(); ++p) totals[p] += row[p];
  }
  return totals;
}

// Explains a partner's tier from the model's exact expectations.
struct PartnerFacts {
  double revenue[3];    // expected horizon revenue at each tier
  double dormancy[3];   // P(dormant within the horizon) at each tier
  double hours[3];
  double unassisted;    // expected revenue with no hours
};

PartnerFacts FactsOf(const Portfolio& portfolio, const Partner& p) {
  PartnerFacts facts{};
  for (const Tier tier : kTiers) {
    const size_t k = TierIndex(tier);
    facts.hours[k] = PolicyHours(portfolio, p, tier);
    facts.revenue[k] = ExpectedPartnerRevenue(portfolio, p, facts.hours[k]);
    facts.dormancy[k] = DormancyProbability(portfolio, p, facts.hours[k]);
  }
  facts.unassisted = ExpectedPartnerRevenue(portfolio, p, 0);
  return facts;
}

std::pair<ReasonCode, std::string> ExplainChange(const Portfolio& portfolio,
                                                 const PartnerFacts& f, Tier from, Tier to) {
  const size_t a = TierIndex(from);
  const size_t b = TierIndex(to);
  const double added = f.hours[b] - f.hours[a];
  if (added > 0) {
    const double gain = f.revenue[b] - f.revenue[a];
    if (f.dormancy[a] - f.dormancy[b] >= kDormancyRiskGap) {
      return {ReasonCode::kDormancyRisk,
              absl::StrCat("at ", TierName(from), " it has a ", Percent(f.dormancy[a]),
                           " chance of going dormant within the horizon; at ", TierName(to), " ",
                           Percent(f.dormancy[b]), " (the model expects +", Money(gain),
                           " of revenue)")};
    }
    return {ReasonCode::kHighLiftPerHour,
            absl::StrCat("each extra hour per period adds about ",
                         Money(gain / (added * portfolio.periods)),
                         " of revenue (the model expects +", Money(gain),
                         " over the horizon)")};
  }
  const double share = f.revenue[a] > 0 ? f.unassisted / f.revenue[a] : 1;
  if (share >= kSelfSufficientShare) {
    return {ReasonCode::kSelfSufficient,
            absl::StrCat("it sells ", Percent(share), " as much with no hours at all as at ",
                         TierName(from), "; frees ", -added, " hours per period")};
  }
  return {ReasonCode::kFreesHours,
          absl::StrCat("frees ", -added, " hours per period for partners with more leverage (it loses about ",
                       Money(f.revenue[a] - f.revenue[b]), " of expected revenue)")};
}

std::pair<ReasonCode, std::string> ExplainKept(const PartnerFacts& f, Tier tier) {
  const size_t k = TierIndex(tier);
  const double share = f.revenue[k] > 0 ? f.unassisted / f.revenue[k] : 1;
  if (tier == Tier::kOpportunistic && share >= kSelfSufficientShare) {
    return {ReasonCode::kSelfSufficient,
            absl::StrCat("it sells ", Percent(share), " as much with no hours at all")};
  }
  const double neglected = f.dormancy[TierIndex(Tier::kOpportunistic)];
  if (tier != Tier::kOpportunistic && neglected - f.dormancy[k] >= kDormancyRiskGap) {
    return {ReasonCode::kDormancyRisk,
            absl::StrCat("with opportunistic attention it has a ", Percent(neglected),
                         " chance of going dormant; at ", TierName(tier), " ",
                         Percent(f.dormancy[k]))};
  }
  return {ReasonCode::kBestAsIs,
          absl::StrCat("no other tier does better within the hours (", TierName(tier), ")")};
}

}  // namespace

Violations ValidateRecommendation(const Engine& engine, const Portfolio& portfolio,
                                  const RecommendOptions& options) {
  Violations violations =
      engine.Validate(portfolio, std::vector<Plan>{Plan{}}, options.simulation, true);
  std::set<std::string_view> ids;
  for (const Partner& p : portfolio.partners) ids.insert(p.id);
  for (size_t k = 0; k < options.locked.size(); ++k) {
    if (!ids.contains(options.locked[k])) {
      violations.Add(absl::StrCat("locked_partner_ids[", k, "]"),
                     absl::StrCat("names no partner of the portfolio: ",
                                  QuoteForMessage(options.locked[k])));
    }
  }
  if (options.max_changes && *options.max_changes < 0) {
    violations.Add("max_changes", absl::StrCat("must be >= 0, got ", *options.max_changes));
  }
  if (options.simulation.antithetic) {
    violations.Add("options.antithetic", "is not used by recommendations; leave it unset");
  }
  if (options.simulation.target_ci_half_width > 0) {
    violations.Add("options.target_ci_half_width",
                   "is not used by recommendations: set options.paths instead");
  }
  return violations;
}

RunCost EstimateRecommendation(const Engine& engine, const Portfolio& portfolio,
                               const RecommendOptions& options) {
  const size_t partners = portfolio.partners.size();
  const uint64_t paths = options.simulation.paths;
  const size_t sample_bytes =
      std::size(kTiers) * partners * static_cast<size_t>(paths) * sizeof(double);
  const RunCost validation = engine.EstimateCompare(portfolio, 2, options.simulation);
  // Runs: the optimization sample, the validation comparison and the validation sample.
  return {std::max(sample_bytes, validation.memory_bytes), 3 * validation.work};
}

absl::StatusOr<Recommendation> RecommendTiers(Engine& engine, const Portfolio& portfolio,
                                              const RecommendOptions& options,
                                              const RunControl& control,
                                              const RecommendProgressCallback& on_progress) {
  // The engine's progress of each phase, as recommendation progress.
  auto phase_control = [&](RecommendProgress::Phase phase) {
    RunControl phased;
    phased.cancelled = control.cancelled;
    phased.on_paths = control.on_paths;
    if (on_progress) {
      phased.on_progress = [&on_progress, phase](const Progress& engine_progress) {
        RecommendProgress progress;
        progress.phase = phase;
        progress.paths_done = engine_progress.paths_done;
        progress.paths_planned = engine_progress.paths_planned;
        on_progress(progress);
      };
    }
    return phased;
  };
  const Violations violations =
      ValidateRecommendation(engine, portfolio, options);
  if (!violations.empty()) return ViolationsToStatus(violations);

  Recommendation result;
  std::random_device device;
  result.optimization_seed = options.simulation.seed
                                 ? *options.simulation.seed
                                 : (static_cast<uint64_t>(device()) << 32) ^ device();
  result.validation_seed = ValidationSeed(result.optimization_seed);
  const std::vector<std::vector<double>> tier_hours = TierScenarioHours(portfolio);
  std::vector<Tier> current;
  for (const Partner& p : portfolio.partners) current.push_back(p.tier);
  std::vector<Tier> recommended;
  std::vector<char> held_back;  // a change would help but the change budget is spent
  {
    absl::StatusOr<ScenarioSample> sample =
        engine.SampleScenarios(portfolio, tier_hours, options.simulation.paths,
                               result.optimization_seed,
                               phase_control(RecommendProgress::Phase::kSampling));
    if (!sample.ok()) return sample.status();
    TierSearch search(portfolio, *sample, options, on_progress, control.cancelled);
    const auto start = std::chrono::steady_clock::now();
    const SearchMethod method =
        options.method == SearchMethod::kAuto
            ? (search.ExhaustiveAffordable() ? SearchMethod::kExhaustive : SearchMethod::kHeuristic)
            : options.method;
    absl::StatusOr<std::vector<Tier>> found = search.Search(method);
    if (!found.ok()) return found.status();
    recommended = *found;
    result.search_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.method_used = method;
    result.plans_evaluated = search.plans_evaluated();
    result.optimization_current = search.Evaluate(current);
    result.optimization_recommended = search.Evaluate(recommended);
    if (options.max_changes) held_back = search.ImprovableByOneChange(recommended);
  }
  result.current_plan = PlanOf(portfolio, current, "current tiers");
  result.recommended_plan = PlanOf(portfolio, recommended, "recommended");

  SimulationOptions validation = options.simulation;
  validation.seed = result.validation_seed;
  const Plan plans[] = {result.current_plan, result.recommended_plan};
  absl::StatusOr<Comparison> compared = engine.Compare(
      portfolio, plans, validation, phase_control(RecommendProgress::Phase::kValidating));
  if (!compared.ok()) return compared.status();
  result.validation = std::move(*compared);

  // Each change undone from the recommended plan, on the validation sample.
  absl::StatusOr<ScenarioSample> check =
      engine.SampleScenarios(portfolio, tier_hours, validation.paths, result.validation_seed,
                             phase_control(RecommendProgress::Phase::kValidating));
  if (!check.ok()) return check.status();
  const std::vector<double> with_all = Totals(*check, recommended);
  const std::vector<char> locked = LockedPartners(portfolio, options);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    const PartnerFacts facts = FactsOf(portfolio, p);
    if (recommended[i] == current[i]) {
      PartnerAdvice advice{p.id, current[i], ReasonCode::kLocked, "locked by the request"};
      if (!held_back.empty() && held_back[i]) {
        advice.reason = ReasonCode::kChangeLimit;
        advice.explanation = absl::StrCat("another tier would do better, but the ",
                                          *options.max_changes, " allowed changes are used");
      } else if (!locked[i]) {
        std::tie(advice.reason, advice.explanation) = ExplainKept(facts, current[i]);
      }
      result.unchanged.push_back(std::move(advice));
      continue;
    }
    TierChange change;
    change.partner_id = p.id;
    change.from = current[i];
    change.to = recommended[i];
    change.hours_change = facts.hours[TierIndex(change.to)] - facts.hours[TierIndex(change.from)];
    const double* kept = check->Row(TierIndex(recommended[i]), i);
    const double* undone = check->Row(TierIndex(current[i]), i);
    const UnitSums hits = SumUnits(with_all.size(), false, [&](size_t j) {
      const double without = with_all[j] - kept[j] + undone[j];
      return (with_all[j] >= portfolio.quota ? 1.0 : 0.0) - (without >= portfolio.quota ? 1.0 : 0.0);
    });
    const UnitSums gain = SumUnits(with_all.size(), false, [&](size_t j) { return kept[j] - undone[j]; });
    change.attainment_effect = hits.Mean();
    change.attainment_effect_interval = hits.NormalInterval();
    change.revenue_effect = gain.Mean();
    change.revenue_effect_interval = gain.NormalInterval();
    std::tie(change.reason, change.explanation) =
        ExplainChange(portfolio, facts, change.from, change.to);
    result.changes.push_back(std::move(change));
  }
  return result;
}

}  // namespace attain
