// The plan under search (plan_state.h) on a real tier sample, and the search monitor it
// drives (search_monitor.h): incremental totals, hours and changes; scores by objective;
// the order of plans; the constraints; and the reasons no plan fits.
#include "simulator/plan_state.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "simulator/engine.h"
#include "simulator/search_monitor.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_support::MixedPortfolio;
using testing_support::WithThreads;

constexpr uint64_t kPaths = 3'000;
constexpr uint64_t kSeed = 41;

ScenarioSample TierSample(const Portfolio& portfolio, uint64_t paths = kPaths) {
  Engine engine(WithThreads(2));
  absl::StatusOr<ScenarioSample> sample =
      engine.SampleScenarios(portfolio, TierScenarios(portfolio), paths, kSeed);
  EXPECT_TRUE(sample.ok()) << sample.status();
  return sample.ok() ? *std::move(sample) : ScenarioSample{};
}

std::vector<Tier> CurrentTiers(const Portfolio& portfolio) {
  std::vector<Tier> tiers;
  for (const Partner& p : portfolio.partners) tiers.push_back(p.tier);
  return tiers;
}

double PolicyHours(const Portfolio& portfolio, size_t i, Tier tier) {
  const Partner& p = portfolio.partners[i];
  return p.hours_override.value_or(portfolio.tier_policy.HoursFor(tier));
}

double HoursOf(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  double hours = 0;
  for (size_t i = 0; i < tiers.size(); ++i) hours += PolicyHours(portfolio, i, tiers[i]);
  return hours;
}

// A plan's revenue on every path: the current plan's, plus the deltas of the partners it
// moves in partner order.
std::vector<double> Recompute(const ScenarioSample& sample, const std::vector<Tier>& tiers) {
  std::vector<double> totals = sample.reference_totals();
  for (size_t i = 0; i < tiers.size(); ++i) {
    const float* delta = sample.Delta(TierIndex(tiers[i]), i);
    for (size_t p = 0; p < totals.size(); ++p) totals[p] += static_cast<double>(delta[p]);
  }
  return totals;
}

// totals += (partner at `to`) - (partner at `from`), path by path.
void ApplyMove(const ScenarioSample& sample, size_t partner, Tier from, Tier to,
               std::vector<double>& totals) {
  const float* before = sample.Delta(TierIndex(from), partner);
  const float* after = sample.Delta(TierIndex(to), partner);
  for (size_t p = 0; p < totals.size(); ++p) {
    totals[p] += static_cast<double>(after[p]) - static_cast<double>(before[p]);
  }
}

// Paths on which `a` and `b` differ in any bit.
size_t Differing(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return std::max(a.size(), b.size());
  size_t differing = 0;
  for (size_t p = 0; p < a.size(); ++p) differing += a[p] != b[p];
  return differing;
}

int Changes(const std::vector<Tier>& tiers, const std::vector<Tier>& current) {
  int changes = 0;
  for (size_t i = 0; i < tiers.size(); ++i) changes += tiers[i] != current[i];
  return changes;
}

double Mean(const std::vector<double>& totals) {
  double sum = 0;
  for (const double total : totals) sum += total;
  return sum / static_cast<double>(totals.size());
}

// The 10th percentile, interpolated linearly between order statistics (NumPy's default).
double TenthPercentile(std::vector<double> totals) {
  std::sort(totals.begin(), totals.end());
  const double at = 0.1 * static_cast<double>(totals.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(at));
  const size_t above = std::min(below + 1, totals.size() - 1);
  return totals[below] + (at - static_cast<double>(below)) * (totals[above] - totals[below]);
}

SearchConstraints Unconstrained(const Portfolio& portfolio) {
  SearchConstraints constraints;
  constraints.locked.assign(portfolio.partners.size(), 0);
  return constraints;
}

// A sequence of moves that visits every tier of several partners, some twice.
struct MoveStep {
  size_t partner;
  Tier tier;
};
const std::vector<MoveStep> kMoves = {
    {0, Tier::kMaintain},      {2, Tier::kInvest},   {4, Tier::kOpportunistic},
    {0, Tier::kOpportunistic}, {7, Tier::kInvest},   {2, Tier::kOpportunistic},
    {8, Tier::kMaintain},      {0, Tier::kInvest},   {5, Tier::kMaintain},
    {3, Tier::kOpportunistic}, {6, Tier::kMaintain}, {1, Tier::kInvest},
};

// ---------------------------------------------------------------------------------------
// TierScenarios and HoursOf.

TEST(TierScenariosTest, GivesEachPartnerThePolicyHoursOfEveryTierAndItsCurrentTier) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.tier_policy = {20, 7.5, 0.5};
  portfolio.partners[4].hours_override = 3.25;
  const ScenarioSet scenarios = TierScenarios(portfolio);
  const std::vector<std::vector<double>>& hours = scenarios.hours;
  ASSERT_EQ(hours.size(), 3u);
  ASSERT_EQ(scenarios.reference.size(), portfolio.partners.size());
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    EXPECT_EQ(scenarios.reference[i], TierIndex(portfolio.partners[i].tier)) << i;
  }
  for (const Tier tier : kTiers) {
    const std::vector<double>& row = hours[TierIndex(tier)];
    ASSERT_EQ(row.size(), portfolio.partners.size());
    for (size_t i = 0; i < row.size(); ++i) {
      const double expected = i == 4 ? 3.25 : portfolio.tier_policy.HoursFor(tier);
      EXPECT_EQ(row[i], expected) << "partner " << i << " at " << TierName(tier);
    }
  }
  EXPECT_EQ(TierIndex(Tier::kInvest), 0u);
  EXPECT_EQ(TierIndex(Tier::kMaintain), 1u);
  EXPECT_EQ(TierIndex(Tier::kOpportunistic), 2u);
}

TEST(PlanStateTest, HoursOfAPartnerAreItsOverrideAtEveryTierElseThePolicys) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[2].hours_override = 9;
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kExpectedRevenue, Unconstrained(portfolio),
                  monitor);
  for (const Tier tier : kTiers) {
    EXPECT_EQ(state.HoursOf(2, tier), 9);
    EXPECT_EQ(state.HoursOf(1, tier), portfolio.tier_policy.HoursFor(tier));
  }
}

// ---------------------------------------------------------------------------------------
// The plan and its totals.

TEST(PlanStateTest, StartsAtTheCurrentPlanWithItsTotalsHoursAndNoChanges) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  const std::vector<Tier> current = CurrentTiers(portfolio);
  EXPECT_EQ(state.partners(), portfolio.partners.size());
  EXPECT_EQ(state.current(), current);
  EXPECT_EQ(state.tiers(), current);
  EXPECT_EQ(state.changes(), 0);
  EXPECT_EQ(state.hours(), HoursOf(portfolio, current));
  EXPECT_EQ(state.capacity(), portfolio.capacity_hours);
  EXPECT_EQ(state.max_changes(), kNoChangeLimit);
  EXPECT_EQ(Differing(state.totals(), Recompute(sample, current)), 0u);
  EXPECT_EQ(Differing(state.TotalsOf(current), Recompute(sample, current)), 0u);
  EXPECT_EQ(monitor.plans_evaluated(), 0u);
}

TEST(PlanStateTest, TotalsOfAnyPlanAddItsPartnersDeltasInPartnerOrder) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  for (const Tier tier : kTiers) {
    const std::vector<Tier> all(portfolio.partners.size(), tier);
    EXPECT_EQ(Differing(state.TotalsOf(all), Recompute(sample, all)), 0u) << TierName(tier);
  }
  // TotalsOf neither moves the plan nor counts a plan.
  EXPECT_EQ(state.tiers(), CurrentTiers(portfolio));
  EXPECT_EQ(monitor.plans_evaluated(), 0u);
}

TEST(PlanStateTest, MoveAddsTheDifferenceOfTheTwoTiersToEveryPathAndUpdatesHoursAndChanges) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  const std::vector<Tier> current = CurrentTiers(portfolio);
  std::vector<Tier> tiers = current;
  std::vector<double> replayed = Recompute(sample, current);
  for (const MoveStep& step : kMoves) {
    SCOPED_TRACE(::testing::Message() << "partner " << step.partner << " to "
                                      << TierName(step.tier));
    ApplyMove(sample, step.partner, tiers[step.partner], step.tier, replayed);
    tiers[step.partner] = step.tier;
    state.Move(step.partner, step.tier);
    EXPECT_EQ(state.tiers(), tiers);
    EXPECT_EQ(Differing(state.totals(), replayed), 0u);
    // The same plan summed afresh: equal up to the rounding of the running sums.
    const std::vector<double> fresh = state.TotalsOf(tiers);
    EXPECT_EQ(Differing(fresh, Recompute(sample, tiers)), 0u);
    for (size_t p = 0; p < fresh.size(); ++p) {
      ASSERT_NEAR(state.totals()[p], fresh[p], 1e-9 * std::fabs(fresh[p])) << "path " << p;
    }
    EXPECT_EQ(state.hours(), HoursOf(portfolio, tiers));  // policy hours add exactly
    EXPECT_EQ(state.changes(), Changes(tiers, current));
    EXPECT_EQ(state.Changes(tiers), Changes(tiers, current));
  }
  EXPECT_EQ(monitor.plans_evaluated(), 0u) << "a move is not a candidate plan";
}

TEST(PlanStateTest, AddMoveUpdatesTheGivenTotalsOnly) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  const std::vector<double> before = state.totals();
  std::vector<double> totals = before;
  std::vector<double> expected = before;
  state.AddMove(3, Tier::kInvest, Tier::kOpportunistic, totals);
  ApplyMove(sample, 3, Tier::kInvest, Tier::kOpportunistic, expected);
  EXPECT_EQ(Differing(totals, expected), 0u);
  EXPECT_GT(Differing(totals, before), 0u);
  EXPECT_EQ(Differing(state.totals(), before), 0u);
  EXPECT_EQ(state.tiers(), CurrentTiers(portfolio));
}

TEST(PlanStateTest, ResetMakesAnyPlanTheStateWithItsTotalsSummedAfresh) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  for (const MoveStep& step : kMoves) state.Move(step.partner, step.tier);
  std::vector<Tier> plan(portfolio.partners.size(), Tier::kMaintain);
  plan[1] = Tier::kInvest;
  plan[6] = Tier::kOpportunistic;
  state.Reset(plan);
  EXPECT_EQ(state.tiers(), plan);
  EXPECT_EQ(Differing(state.totals(), Recompute(sample, plan)), 0u);
  EXPECT_EQ(state.hours(), HoursOf(portfolio, plan));
  EXPECT_EQ(state.changes(), Changes(plan, CurrentTiers(portfolio)));
  EXPECT_EQ(state.current(), CurrentTiers(portfolio)) << "Reset keeps the current plan";
  // Back to the current plan: exactly the state it started in.
  state.Reset(state.current());
  EXPECT_EQ(Differing(state.totals(), Recompute(sample, CurrentTiers(portfolio))), 0u);
  EXPECT_EQ(state.hours(), HoursOf(portfolio, CurrentTiers(portfolio)));
  EXPECT_EQ(state.changes(), 0);
  EXPECT_EQ(monitor.plans_evaluated(), 0u);
}

TEST(PlanStateTest, ChangesAfterCountsTheChangesOfThePlanWithOneMoreMove) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  state.Move(0, Tier::kMaintain);       // a change
  state.Move(1, Tier::kOpportunistic);  // a change
  ASSERT_EQ(state.changes(), 2);
  for (size_t i = 0; i < state.partners(); ++i) {
    for (const Tier tier : kTiers) {
      std::vector<Tier> after = state.tiers();
      after[i] = tier;
      EXPECT_EQ(state.ChangesAfter(i, tier), state.Changes(after))
          << "partner " << i << " to " << TierName(tier);
    }
  }
  EXPECT_EQ(state.ChangesAfter(0, state.current()[0]), 1);  // undoing a change
  EXPECT_EQ(state.ChangesAfter(0, Tier::kOpportunistic), 2);  // changing it otherwise
  EXPECT_EQ(state.ChangesAfter(2, Tier::kInvest), 3);        // a new change
  EXPECT_EQ(state.ChangesAfter(2, state.current()[2]), 2);   // staying
}

// ---------------------------------------------------------------------------------------
// Scores.

TEST(PlanStateTest, ScoreWithEqualsTheScoreAfterTheMoveForEveryObjective) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  for (const Objective objective : {Objective::kAttainmentProbability,
                                    Objective::kExpectedRevenue, Objective::kDownsideRevenue}) {
    SearchMonitor monitor({}, {});
    PlanState state(portfolio, sample, objective, Unconstrained(portfolio), monitor);
    state.Move(4, Tier::kInvest);  // from a plan that is not the current one
    const std::vector<Tier> start = state.tiers();
    for (size_t i = 0; i < state.partners(); ++i) {
      for (const Tier tier : kTiers) {
        state.Reset(start);
        const Score predicted = state.ScoreWith(i, tier);
        EXPECT_EQ(state.tiers(), start) << "ScoreWith leaves the plan as it is";
        state.Move(i, tier);
        const Score moved = state.ScoreNow();
        EXPECT_EQ(predicted.objective, moved.objective)
            << "objective " << static_cast<int>(objective) << ", partner " << i << " to "
            << TierName(tier);
        EXPECT_EQ(predicted.expected_revenue, moved.expected_revenue)
            << "objective " << static_cast<int>(objective) << ", partner " << i << " to "
            << TierName(tier);
      }
    }
  }
}

TEST(PlanStateTest, EachScoreCountsOnePlanEvaluatedInTheMonitor) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kExpectedRevenue, Unconstrained(portfolio),
                  monitor);
  state.ScoreNow();
  EXPECT_EQ(monitor.plans_evaluated(), 1u);
  state.ScoreWith(3, Tier::kMaintain);
  EXPECT_EQ(monitor.plans_evaluated(), 2u);
  state.ScoreOf(std::vector<Tier>(portfolio.partners.size(), Tier::kInvest));
  EXPECT_EQ(monitor.plans_evaluated(), 3u);
  state.ScoreTotals(state.totals());
  EXPECT_EQ(monitor.plans_evaluated(), 4u);
  state.Move(3, Tier::kMaintain);
  state.Reset(state.current());
  state.TotalsOf(state.current());
  EXPECT_EQ(monitor.plans_evaluated(), 4u) << "moves, resets and totals are not scores";
}

TEST(PlanStateTest, EveryObjectiveScoresAsRecomputedFromThePlansTotals) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  std::vector<Tier> plan = CurrentTiers(portfolio);
  plan[0] = Tier::kOpportunistic;
  plan[5] = Tier::kInvest;
  const std::vector<double> totals = Recompute(sample, plan);
  size_t hits = 0;
  for (const double total : totals) hits += total >= portfolio.quota;
  ASSERT_GT(hits, 0u);
  ASSERT_LT(hits, totals.size());
  const double mean = Mean(totals);
  const double tenth = TenthPercentile(totals);

  SearchMonitor monitor({}, {});
  PlanState attainment(portfolio, sample, Objective::kAttainmentProbability,
                       Unconstrained(portfolio), monitor);
  const Score p = attainment.ScoreOf(plan);
  EXPECT_EQ(p.objective, static_cast<double>(hits) / static_cast<double>(totals.size()));
  EXPECT_EQ(p.expected_revenue, mean);

  PlanState revenue(portfolio, sample, Objective::kExpectedRevenue, Unconstrained(portfolio),
                    monitor);
  const Score r = revenue.ScoreOf(plan);
  EXPECT_EQ(r.objective, mean);
  EXPECT_EQ(r.expected_revenue, mean);

  PlanState downside(portfolio, sample, Objective::kDownsideRevenue, Unconstrained(portfolio),
                     monitor);
  const Score d = downside.ScoreOf(plan);
  EXPECT_NEAR(d.objective, tenth, 1e-12 * std::fabs(tenth));
  EXPECT_LT(d.objective, mean);
  EXPECT_EQ(d.expected_revenue, mean);

  // ScoreTotals measures totals a search built itself, the same way.
  EXPECT_EQ(downside.ScoreTotals(totals).objective, d.objective);
  EXPECT_EQ(attainment.ScoreTotals(totals).objective, p.objective);
}

TEST(PlanStateTest, TheTenthPercentileInterpolatesBetweenOrderStatistics) {
  // 1,001 paths: the 10th percentile is the 101st smallest total exactly; 1,000 paths:
  // 0.9 of the way from the 100th to the 101st.
  const Portfolio portfolio = MixedPortfolio();
  for (const uint64_t paths : {1'001u, 1'000u}) {
    const ScenarioSample sample = TierSample(portfolio, paths);
    SearchMonitor monitor({}, {});
    PlanState state(portfolio, sample, Objective::kDownsideRevenue, Unconstrained(portfolio),
                    monitor);
    std::vector<double> sorted = state.totals();
    std::sort(sorted.begin(), sorted.end());
    const double expected =
        paths == 1'001u ? sorted[100] : sorted[99] + 0.9 * (sorted[100] - sorted[99]);
    EXPECT_NEAR(state.ScoreNow().objective, expected, 1e-12 * expected) << paths << " paths";
  }
}

TEST(PlanStateTest, AttainmentCountsAPathWhoseRevenueEqualsTheQuota) {
  Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio);
  std::vector<double> totals = Recompute(sample, CurrentTiers(portfolio));
  std::vector<double> sorted = totals;
  std::sort(sorted.begin(), sorted.end());
  portfolio.quota = sorted[1'000];  // exactly the revenue of one path
  size_t at_least = 0;
  for (const double total : totals) at_least += total >= portfolio.quota;
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  EXPECT_EQ(state.ScoreNow().objective,
            static_cast<double>(at_least) / static_cast<double>(totals.size()));
  EXPECT_EQ(at_least, totals.size() - 1'000);  // the totals are distinct
}

// ---------------------------------------------------------------------------------------
// Order of plans and constraints.

TEST(BetterTest, AHigherObjectiveWinsWhateverTheChangesAndRevenue) {
  EXPECT_TRUE(Better({0.6, 1}, 5, {0.5, 100}, 0));
  EXPECT_FALSE(Better({0.5, 100}, 0, {0.6, 1}, 5));
}

TEST(BetterTest, OnEqualObjectivesFewerChangesWin) {
  EXPECT_TRUE(Better({0.5, 1}, 1, {0.5, 100}, 2));
  EXPECT_FALSE(Better({0.5, 100}, 2, {0.5, 1}, 1));
}

TEST(BetterTest, OnEqualObjectivesAndChangesHigherRevenueWins) {
  EXPECT_TRUE(Better({0.5, 101}, 2, {0.5, 100}, 2));
  EXPECT_FALSE(Better({0.5, 100}, 2, {0.5, 101}, 2));
}

TEST(BetterTest, NoPlanBeatsAnEqualPlan) {
  EXPECT_FALSE(Better({0.5, 100}, 2, {0.5, 100}, 2));
}

TEST(PlanStateTest, FitsAllowsTheCapacityPlusTheTolerance) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.capacity_hours = 30;
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  EXPECT_TRUE(state.Fits(0));
  EXPECT_TRUE(state.Fits(29.5));
  EXPECT_TRUE(state.Fits(30));
  EXPECT_TRUE(state.Fits(30 + kHoursTolerance / 2));
  EXPECT_FALSE(state.Fits(30 + 2 * kHoursTolerance));
  EXPECT_FALSE(state.Fits(30.5));
  EXPECT_FALSE(state.Fits(state.hours())) << "the current plan uses 69 hours";
}

TEST(PlanStateTest, LockedPartnersAreNotAllowedToMoveAndTheChangeBudgetIsKept) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchConstraints constraints = Unconstrained(portfolio);
  constraints.locked[2] = 1;
  constraints.locked[7] = 1;
  constraints.max_changes = 3;
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
  for (size_t i = 0; i < state.partners(); ++i) {
    EXPECT_EQ(state.Allowed(i), i != 2 && i != 7) << "partner " << i;
  }
  EXPECT_EQ(state.max_changes(), 3);
}

// ---------------------------------------------------------------------------------------
// NoPlanFits.

TEST(NoPlanFitsTest, NamesTheLockedHoursWhenTheLockedPartnersAloneLeaveNoRoom) {
  const Portfolio portfolio = MixedPortfolio();  // capacity 30, current plan 69 hours
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchConstraints constraints = Unconstrained(portfolio);
  constraints.locked[0] = 1;  // INVEST, 16 hours
  constraints.locked[3] = 1;  // INVEST, 16 hours
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
  const absl::Status status = NoPlanFits(state);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(status.message());
  // Locked: 32 hours; every plan: 32 + 7 partners at one hour = 39.
  EXPECT_THAT(message, HasSubstr("capacity of 30 hours"));
  EXPECT_THAT(message, HasSubstr("locked partners alone use 32"));
  EXPECT_THAT(message, HasSubstr("at least 39"));
  EXPECT_THAT(message, Not(HasSubstr("max_changes")));
}

TEST(NoPlanFitsTest, NamesTheChangeBudgetWhenThePartnersCouldFitWithMoreChanges) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio, 1'024);
  SearchConstraints constraints = Unconstrained(portfolio);
  constraints.locked[0] = 1;  // 16 locked hours: 16 + 8 = 24 would still fit
  constraints.max_changes = 2;
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
  const absl::Status status = NoPlanFits(state);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(status.message());
  EXPECT_THAT(message, HasSubstr("current plan (69 hours per period)"));
  EXPECT_THAT(message, HasSubstr("capacity of 30"));
  EXPECT_THAT(message, HasSubstr("max_changes = 2"));
  EXPECT_THAT(message, Not(HasSubstr("locked partners alone")));
}

// ---------------------------------------------------------------------------------------
// Progress and cancellation through the plan state.

TEST(PlanStateTest, MoveReportsTheBestObjectiveWithinTheHoursAndPollsCancellation) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.capacity_hours = 70;  // the current plan (69 hours) fits
  const ScenarioSample sample = TierSample(portfolio);
  std::vector<RecommendProgress> reports;
  int polls = 0;
  SearchMonitor monitor([&](const RecommendProgress& p) { reports.push_back(p); },
                        [&] { return ++polls >= 3; });
  PlanState state(portfolio, sample, Objective::kExpectedRevenue, Unconstrained(portfolio),
                  monitor);
  state.ScoreNow();  // one plan evaluated

  state.Move(2, Tier::kMaintain);  // 74 hours: over capacity, nothing better to report yet
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].phase, RecommendProgress::Phase::kSearching);
  EXPECT_EQ(reports[0].plans_evaluated, 1u);
  EXPECT_EQ(reports[0].best_objective, 0) << "no plan within the hours yet";
  EXPECT_FALSE(monitor.stopped());

  state.Move(0, Tier::kMaintain);  // 64 hours: fits
  const double fitting = Mean(state.totals());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].best_objective, fitting);
  EXPECT_FALSE(monitor.stopped());

  state.Move(0, Tier::kInvest);  // 74 hours again: the best so far stays
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[2].best_objective, fitting);
  EXPECT_TRUE(monitor.stopped()) << "the third poll saw the cancellation";
  EXPECT_EQ(polls, 3);
  state.Move(0, Tier::kMaintain);
  EXPECT_TRUE(monitor.stopped());
  EXPECT_EQ(polls, 3) << "a latched cancellation is not polled again";
  EXPECT_EQ(monitor.plans_evaluated(), 1u);
}

// ---------------------------------------------------------------------------------------
// SearchMonitor.

TEST(SearchMonitorTest, PollLatchesCancellation) {
  int calls = 0;
  bool cancel = false;
  SearchMonitor monitor({}, [&] {
    ++calls;
    return cancel;
  });
  EXPECT_FALSE(monitor.Poll());
  EXPECT_FALSE(monitor.stopped());
  cancel = true;
  EXPECT_TRUE(monitor.Poll());
  EXPECT_TRUE(monitor.stopped());
  cancel = false;  // cancellation that turned back stays seen
  EXPECT_TRUE(monitor.Poll());
  EXPECT_TRUE(monitor.stopped());
  EXPECT_EQ(calls, 2);
}

TEST(SearchMonitorTest, WithoutCancellationPollNeverStops) {
  SearchMonitor monitor({}, {});
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(monitor.Poll());
  EXPECT_FALSE(monitor.stopped());
}

TEST(SearchMonitorTest, CountsPlans) {
  SearchMonitor monitor({}, {});
  EXPECT_EQ(monitor.plans_evaluated(), 0u);
  for (int i = 0; i < 5; ++i) monitor.CountPlan();
  EXPECT_EQ(monitor.plans_evaluated(), 5u);
}

TEST(SearchMonitorTest, ReportRaisesTheBestAndReportsIt) {
  std::vector<RecommendProgress> reports;
  SearchMonitor monitor([&](const RecommendProgress& p) { reports.push_back(p); }, {});
  EXPECT_TRUE(monitor.reporting());
  monitor.CountPlan();
  monitor.Report(0.4);
  monitor.CountPlan();
  monitor.Report(0.3);  // lower: the best stays
  monitor.Report(-2);
  monitor.Report(0.7);
  monitor.ReportBest();
  ASSERT_EQ(reports.size(), 5u);
  const double expected[] = {0.4, 0.4, 0.4, 0.7, 0.7};
  for (size_t k = 0; k < reports.size(); ++k) {
    EXPECT_EQ(reports[k].best_objective, expected[k]) << "report " << k;
    EXPECT_EQ(reports[k].phase, RecommendProgress::Phase::kSearching);
    EXPECT_EQ(reports[k].paths_done, 0u);
    EXPECT_EQ(reports[k].paths_planned, 0u);
  }
  EXPECT_EQ(reports[0].plans_evaluated, 1u);
  EXPECT_EQ(reports[4].plans_evaluated, 2u);
}

TEST(SearchMonitorTest, ReportBestBeforeAnyReportSaysZeroNotMinusInfinity) {
  std::vector<RecommendProgress> reports;
  SearchMonitor monitor([&](const RecommendProgress& p) { reports.push_back(p); }, {});
  monitor.ReportBest();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].best_objective, 0);
  EXPECT_TRUE(std::isfinite(reports[0].best_objective));
}

TEST(SearchMonitorTest, TheBestIsTheHighestObjectiveReportedEvenWhenNegative) {
  std::vector<RecommendProgress> reports;
  SearchMonitor monitor([&](const RecommendProgress& p) { reports.push_back(p); }, {});
  monitor.Report(-5);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].best_objective, -5);
}

TEST(SearchMonitorTest, WithoutAProgressCallbackReportsDoNothing) {
  SearchMonitor monitor({}, {});
  EXPECT_FALSE(monitor.reporting());
  EXPECT_NO_THROW(monitor.ReportBest());  // an empty std::function would throw if called
  EXPECT_NO_THROW(monitor.Report(0.5));
  EXPECT_FALSE(monitor.stopped());
  EXPECT_EQ(monitor.plans_evaluated(), 0u);
}

}  // namespace
}  // namespace attain
