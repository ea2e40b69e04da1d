#include "simulator/plan_state.h"

#include <algorithm>
#include <span>

#include "absl/strings/str_cat.h"
#include "simulator/statistics.h"

namespace attain {
namespace {

double PolicyHours(const Portfolio& portfolio, const Partner& p, Tier tier) {
  return p.hours_override.value_or(portfolio.tier_policy.HoursFor(tier));
}

std::vector<Tier> CurrentTiers(const Portfolio& portfolio) {
  std::vector<Tier> tiers;
  for (const Partner& p : portfolio.partners) tiers.push_back(p.tier);
  return tiers;
}

}  // namespace

ScenarioSet TierScenarios(const Portfolio& portfolio) {
  ScenarioSet set;
  for (const Tier tier : kTiers) {
    std::vector<double> tier_hours;
    for (const Partner& p : portfolio.partners) {
      tier_hours.push_back(PolicyHours(portfolio, p, tier));
    }
    set.hours.push_back(std::move(tier_hours));
  }
  for (const Partner& p : portfolio.partners) {
    set.reference.push_back(static_cast<uint8_t>(TierIndex(p.tier)));
  }
  return set;
}

std::vector<double> TierTotals(const ScenarioSample& sample, const std::vector<Tier>& tiers) {
  std::vector<uint8_t> scenario;
  for (const Tier tier : tiers) scenario.push_back(static_cast<uint8_t>(TierIndex(tier)));
  return sample.Totals(scenario);
}

bool Better(const Score& a, int changes_a, const Score& b, int changes_b) {
  if (a.objective != b.objective) return a.objective > b.objective;
  if (changes_a != changes_b) return changes_a < changes_b;
  return a.expected_revenue > b.expected_revenue;
}

PlanState::PlanState(const Portfolio& portfolio, const ScenarioSample& sample,
                     Objective objective, SearchConstraints constraints, SearchMonitor& monitor)
    : portfolio_(portfolio),
      sample_(sample),
      objective_(objective),
      constraints_(std::move(constraints)),
      monitor_(monitor),
      current_(CurrentTiers(portfolio)),
      scratch_(sample.paths()) {
  Reset(current_);
}

double PlanState::HoursOf(size_t partner, Tier tier) const {
  return PolicyHours(portfolio_, portfolio_.partners[partner], tier);
}

int PlanState::Changes(const std::vector<Tier>& tiers) const {
  int changes = 0;
  for (size_t i = 0; i < tiers.size(); ++i) changes += tiers[i] != current_[i];
  return changes;
}

std::vector<double> PlanState::TotalsOf(const std::vector<Tier>& tiers) const {
  return TierTotals(sample_, tiers);
}

void PlanState::Reset(const std::vector<Tier>& tiers) {
  tiers_ = tiers;
  totals_ = TotalsOf(tiers);
  hours_ = 0;
  for (size_t i = 0; i < tiers.size(); ++i) hours_ += HoursOf(i, tiers[i]);
  changes_ = Changes(tiers);
}

void PlanState::AddMove(size_t partner, Tier from, Tier to, std::vector<double>& totals) const {
  sample_.AddChange(partner, TierIndex(from), TierIndex(to), totals);
}

void PlanState::Move(size_t partner, Tier tier) {
  changes_ = ChangesAfter(partner, tier);
  AddMove(partner, tiers_[partner], tier, totals_);
  hours_ += HoursOf(partner, tier) - HoursOf(partner, tiers_[partner]);
  tiers_[partner] = tier;
  monitor_.Poll();
  if (!monitor_.reporting()) return;
  // The best plan within the hours so far (the search may pass through worse ones).
  if (Fits(hours_)) {
    monitor_.Report(Measure(totals_).objective);
  } else {
    monitor_.ReportBest();
  }
}

Score PlanState::ScoreNow() { return ScoreTotals(totals_); }

Score PlanState::ScoreWith(size_t partner, Tier tier) {
  const float* before = sample_.Delta(TierIndex(tiers_[partner]), partner);
  const float* after = sample_.Delta(TierIndex(tier), partner);
  for (size_t p = 0; p < totals_.size(); ++p) {
    scratch_[p] = totals_[p] + (static_cast<double>(after[p]) - static_cast<double>(before[p]));
  }
  return ScoreTotals(scratch_);
}

Score PlanState::ScoreOf(const std::vector<Tier>& tiers) { return ScoreTotals(TotalsOf(tiers)); }

Score PlanState::ScoreTotals(const std::vector<double>& totals) {
  monitor_.CountPlan();
  return Measure(totals);
}

Score PlanState::Measure(const std::vector<double>& totals) const {
  const size_t n = totals.size();
  double sum = 0;
  size_t hits = 0;
  for (const double total : totals) {
    sum += total;
    hits += total >= portfolio_.quota;
  }
  Score score;
  score.expected_revenue = sum / static_cast<double>(n);
  switch (objective_) {
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

absl::Status NoPlanFits(const PlanState& state) {
  double floor = 0;  // fewest hours any plan with these locks can use
  double locked = 0;
  for (size_t i = 0; i < state.partners(); ++i) {
    double fewest = state.HoursOf(i, state.current()[i]);
    if (state.Allowed(i)) {
      for (const Tier tier : kTiers) fewest = std::min(fewest, state.HoursOf(i, tier));
    } else {
      locked += fewest;
    }
    floor += fewest;
  }
  if (!state.Fits(floor)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no plan fits the capacity of ", state.capacity(),
        " hours per period: the locked partners alone use ", locked,
        " and every plan uses at least ", floor, "; unlock partners or raise capacity_hours"));
  }
  double current = 0;
  for (size_t i = 0; i < state.partners(); ++i) current += state.HoursOf(i, state.current()[i]);
  return absl::FailedPreconditionError(absl::StrCat(
      "fitting the current plan (", current, " hours per period) into the capacity of ",
      state.capacity(), " needs more than max_changes = ", state.max_changes(),
      " tier changes"));
}

}  // namespace attain
