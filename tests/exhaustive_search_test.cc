// Exhaustive tier search (exhaustive_search.h) against a brute-force enumeration of every
// plan written here; infeasible requests, cancellation and the affordability rule.
#include "simulator/exhaustive_search.h"

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "simulator/engine.h"
#include "simulator/plan_state.h"
#include "simulator/search_monitor.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using testing_support::MixedPortfolio;
using testing_support::RandomPortfolio;
using testing_support::WithThreads;

ScenarioSample TierSample(const Portfolio& portfolio, uint64_t paths, uint64_t seed) {
  Engine engine(WithThreads(2));
  absl::StatusOr<ScenarioSample> sample =
      engine.SampleScenarios(portfolio, TierScenarios(portfolio), paths, seed);
  EXPECT_TRUE(sample.ok()) << sample.status();
  return sample.ok() ? *std::move(sample) : ScenarioSample{};
}

double HoursOf(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  double hours = 0;
  for (size_t i = 0; i < tiers.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    hours += p.hours_override.value_or(portfolio.tier_policy.HoursFor(tiers[i]));
  }
  return hours;
}

int ChangesOf(const Portfolio& portfolio, const std::vector<Tier>& tiers) {
  int changes = 0;
  for (size_t i = 0; i < tiers.size(); ++i) changes += tiers[i] != portfolio.partners[i].tier;
  return changes;
}

SearchConstraints Unconstrained(const Portfolio& portfolio) {
  SearchConstraints constraints;
  constraints.locked.assign(portfolio.partners.size(), 0);
  return constraints;
}

// The best plan by brute force: all 3^n plans, each scored with PlanState::ScoreOf; those
// that fit the capacity, keep the locked partners' tiers and make at most max_changes
// changes compete, ordered as Better orders them.
struct BruteForce {
  std::vector<Tier> best;  // empty when no plan is allowed
  Score best_score;
  int best_changes = 0;
  uint64_t allowed = 0;    // plans within the hours, locks and change budget
  int tied = 0;            // allowed plans exactly as good as `best` (itself included)
};

BruteForce Enumerate(const Portfolio& portfolio, const SearchConstraints& constraints,
                     PlanState& scorer) {
  const size_t n = portfolio.partners.size();
  uint64_t plans = 1;
  for (size_t i = 0; i < n; ++i) plans *= 3;
  BruteForce result;
  std::vector<Tier> tiers(n);
  for (uint64_t code = 0; code < plans; ++code) {
    uint64_t rest = code;
    bool locks_kept = true;
    for (size_t i = 0; i < n; ++i) {
      tiers[i] = kTiers[rest % 3];
      rest /= 3;
      if (constraints.locked[i] && tiers[i] != portfolio.partners[i].tier) locks_kept = false;
    }
    if (!locks_kept) continue;
    const int changes = ChangesOf(portfolio, tiers);
    if (changes > constraints.max_changes) continue;
    if (HoursOf(portfolio, tiers) > portfolio.capacity_hours + kHoursTolerance) continue;
    ++result.allowed;
    const Score score = scorer.ScoreOf(tiers);
    if (result.best.empty() || Better(score, changes, result.best_score, result.best_changes)) {
      result.best = tiers;
      result.best_score = score;
      result.best_changes = changes;
      result.tied = 1;
    } else if (!Better(result.best_score, result.best_changes, score, changes)) {
      ++result.tied;
    }
  }
  return result;
}

// On random portfolios of 1 to 7 partners, with locks, change budgets and every
// objective, exhaustive search returns the brute-force optimum of the same sample (or
// fails exactly when no plan is allowed), and scores each allowed plan once.
TEST(ExhaustiveSearchTest, FindsTheBruteForceOptimumOnSmallRandomPortfolios) {
  std::mt19937_64 random(2024);
  std::uniform_real_distribution<double> unit(0, 1);
  const Objective objectives[] = {Objective::kAttainmentProbability,
                                  Objective::kExpectedRevenue, Objective::kDownsideRevenue};
  int optima = 0;
  int infeasible = 0;
  int made_to_fit = 0;  // optima found from a current plan over capacity
  for (int trial = 0; trial < 210; ++trial) {
    const int n = 1 + trial % 7;
    Portfolio portfolio = RandomPortfolio(random, n);
    if (trial % 5 == 2) portfolio.partners[0].hours_override = 3 + 5 * unit(random);
    SearchConstraints constraints = Unconstrained(portfolio);
    for (int i = 0; i < n; ++i) constraints.locked[i] = unit(random) < 0.2;
    if (trial % 3 != 0) constraints.max_changes = static_cast<int>(unit(random) * (n + 1));
    const Objective objective = objectives[(trial / 7) % 3];
    SCOPED_TRACE(absl::StrCat("trial ", trial, ": ", n, " partners, capacity ",
                              portfolio.capacity_hours, ", current hours ",
                              HoursOf(portfolio, ResolvePlan(portfolio, Plan{}).tiers),
                              ", max_changes ", constraints.max_changes, ", objective ",
                              static_cast<int>(objective)));
    const ScenarioSample sample = TierSample(portfolio, 1'000, 500 + trial);

    SearchMonitor scorer_monitor({}, {});
    PlanState scorer(portfolio, sample, objective, constraints, scorer_monitor);
    const BruteForce brute = Enumerate(portfolio, constraints, scorer);

    SearchMonitor monitor({}, {});
    PlanState state(portfolio, sample, objective, constraints, monitor);
    const bool current_fits = state.Fits(state.hours());
    const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
    if (brute.best.empty()) {
      ++infeasible;
      EXPECT_EQ(found.status().code(), absl::StatusCode::kFailedPrecondition) << found.status();
      continue;
    }
    if (!found.ok()) {
      ADD_FAILURE() << found.status() << "; brute force found a plan with "
                    << brute.best_changes << " changes and " << HoursOf(portfolio, brute.best)
                    << " hours";
      continue;
    }
    ++optima;
    made_to_fit += !current_fits;
    const Score score = scorer.ScoreOf(*found);
    const int changes = ChangesOf(portfolio, *found);
    EXPECT_LE(HoursOf(portfolio, *found), portfolio.capacity_hours + kHoursTolerance);
    EXPECT_LE(changes, constraints.max_changes);
    for (int i = 0; i < n; ++i) {
      if (constraints.locked[i]) {
        EXPECT_EQ((*found)[i], portfolio.partners[i].tier) << "partner " << i;
      }
    }
    if (*found != brute.best) {
      // Only a plan exactly as good (objective, changes, revenue) may stand in for it.
      EXPECT_GT(brute.tied, 1) << "not the brute-force optimum";
      EXPECT_EQ(score.objective, brute.best_score.objective);
      EXPECT_EQ(changes, brute.best_changes);
      EXPECT_EQ(score.expected_revenue, brute.best_score.expected_revenue);
    }
    if (current_fits) {
      EXPECT_EQ(monitor.plans_evaluated(), brute.allowed) << "each allowed plan scored once";
    }
  }
  std::printf("%d optima (%d from a current plan over capacity), %d without any plan\n",
              optima, made_to_fit, infeasible);
  // The trials exercise every outcome.
  EXPECT_GT(optima, 100);
  EXPECT_GT(made_to_fit, 40);
  EXPECT_GT(infeasible, 0);
}

// Two partners, capacity 12, one change allowed: the current plan (INVEST 16 + MAINTAIN 6
// = 22 hours) fits only by moving the INVEST partner down. Freeing the MAINTAIN
// partner's hours costs nothing (it has no lift, growth boost or churn), so it is the
// cheapest downgrade per hour freed, but it frees 5 hours and spends the only change.
TEST(ExhaustiveSearchTest, FindsAPlanWithinTheChangeBudgetThatTheCheapestDowngradeMisses) {
  Portfolio portfolio;
  portfolio.periods = 4;
  portfolio.capacity_hours = 12;
  Partner responsive;
  responsive.id = "responsive";
  responsive.tier = Tier::kInvest;
  responsive.baseline_revenue = 50'000;
  responsive.max_lift = 0.8;
  Partner flat;
  flat.id = "flat";
  flat.tier = Tier::kMaintain;
  flat.baseline_revenue = 40'000;
  flat.max_lift = 0;
  flat.churn_rate = 0;
  portfolio.partners = {responsive, flat};
  portfolio.quota = 300'000;
  const ScenarioSample sample = TierSample(portfolio, 2'000, 3);
  SearchConstraints constraints = Unconstrained(portfolio);
  constraints.max_changes = 1;

  // The brute force agrees that exactly this plan is best: responsive at MAINTAIN.
  SearchMonitor scorer_monitor({}, {});
  PlanState scorer(portfolio, sample, Objective::kExpectedRevenue, constraints, scorer_monitor);
  const BruteForce brute = Enumerate(portfolio, constraints, scorer);
  ASSERT_EQ(brute.best, (std::vector<Tier>{Tier::kMaintain, Tier::kMaintain}));

  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kExpectedRevenue, constraints, monitor);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, brute.best);
}

TEST(ExhaustiveSearchTest, LocksThatLeaveNoRoomFailAsNoPlanFitsSays) {
  const Portfolio portfolio = MixedPortfolio();  // capacity 30
  const ScenarioSample sample = TierSample(portfolio, 1'024, 5);
  SearchConstraints constraints = Unconstrained(portfolio);
  constraints.locked[0] = 1;  // INVEST, 16 hours
  constraints.locked[3] = 1;  // INVEST, 16 hours
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
  const absl::Status expected = NoPlanFits(state);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(found.status().message());
  EXPECT_EQ(message, expected.message());
  EXPECT_THAT(message, HasSubstr("locked partners alone use 32"));
}

// 69 hours into 30 frees 39; a change frees at most 15 (INVEST to OPPORTUNISTIC), so
// three changes are needed.
TEST(ExhaustiveSearchTest, AChangeBudgetTooSmallToFitFailsNamingTheCurrentPlansHours) {
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio, 1'024, 5);
  for (const int max_changes : {0, 1, 2}) {
    SCOPED_TRACE(absl::StrCat("max_changes ", max_changes));
    SearchConstraints constraints = Unconstrained(portfolio);
    constraints.max_changes = max_changes;
    SearchMonitor monitor({}, {});
    PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
    const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.status().code(), absl::StatusCode::kFailedPrecondition);
    const std::string message(found.status().message());
    EXPECT_THAT(message, HasSubstr("current plan (69 hours per period)"));
    EXPECT_THAT(message, HasSubstr(absl::StrCat("max_changes = ", max_changes, " ")));
  }
}

TEST(ExhaustiveSearchTest, ABudgetOfExactlyTheChangesNeededFits) {
  // The three INVEST partners to OPPORTUNISTIC: 69 - 45 = 24 hours.
  const Portfolio portfolio = MixedPortfolio();
  const ScenarioSample sample = TierSample(portfolio, 1'024, 5);
  SearchConstraints constraints = Unconstrained(portfolio);
  constraints.max_changes = 3;
  SearchMonitor scorer_monitor({}, {});
  PlanState scorer(portfolio, sample, Objective::kAttainmentProbability, constraints,
                   scorer_monitor);
  const BruteForce brute = Enumerate(portfolio, constraints, scorer);
  ASSERT_FALSE(brute.best.empty());
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(*found, brute.best);
  EXPECT_LE(HoursOf(portfolio, *found), 30);
  EXPECT_EQ(ChangesOf(portfolio, *found), 3);
}

TEST(ExhaustiveSearchTest, ScoresEveryPlanOnceWhenNothingIsPruned) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners.resize(6);
  portfolio.capacity_hours = 6 * 16;  // every plan fits
  const ScenarioSample sample = TierSample(portfolio, 512, 9);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kExpectedRevenue, Unconstrained(portfolio),
                  monitor);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(monitor.plans_evaluated(), 729u);  // 3^6
}

// A monitor cancelled from the start, on a portfolio of 9 unlocked partners (3^9 =
// 19,683 plans): the search stops early and says CANCELLED.
TEST(ExhaustiveSearchTest, CancellationStopsALargeEnumerationEarly) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.capacity_hours = 9 * 16;  // the current plan fits, every plan fits
  const ScenarioSample sample = TierSample(portfolio, 256, 13);
  SearchMonitor monitor({}, [] { return true; });
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kCancelled) << found.status();
  EXPECT_LT(monitor.plans_evaluated(), 19'683u);
}

// The same on a small portfolio (27 plans): cancellation that turned true before the
// search started is still reported.
TEST(ExhaustiveSearchTest, CancellationIsReportedEvenWhenTheEnumerationIsSmall) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners.resize(3);
  portfolio.capacity_hours = 3 * 16;
  const ScenarioSample sample = TierSample(portfolio, 256, 13);
  SearchMonitor monitor({}, [] { return true; });
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_FALSE(found.ok()) << "returned a plan although cancelled";
  EXPECT_EQ(found.status().code(), absl::StatusCode::kCancelled) << found.status();
}

TEST(ExhaustiveSearchTest, ReportsProgressWithTheBestObjectiveSoFar) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.capacity_hours = 9 * 16;
  const ScenarioSample sample = TierSample(portfolio, 256, 21);
  std::vector<RecommendProgress> reports;
  SearchMonitor monitor([&](const RecommendProgress& p) { reports.push_back(p); }, {});
  PlanState state(portfolio, sample, Objective::kExpectedRevenue, Unconstrained(portfolio),
                  monitor);
  const absl::StatusOr<std::vector<Tier>> found = ExhaustiveSearch(state);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_FALSE(reports.empty());
  const double best = state.ScoreOf(*found).objective;
  double previous = 0;
  for (const RecommendProgress& report : reports) {
    EXPECT_EQ(report.phase, RecommendProgress::Phase::kSearching);
    EXPECT_GE(report.best_objective, previous);
    EXPECT_LE(report.best_objective, best * (1 + 1e-12));
    EXPECT_GT(report.plans_evaluated, 0u);
    previous = report.best_objective;
  }
}

// ---------------------------------------------------------------------------------------
// ExhaustiveAffordable.

TEST(ExhaustiveAffordableTest, ComparesThreeToTheUnlockedPartnersTimesPathsWithTheBudget) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners.resize(5);
  const ScenarioSample sample = TierSample(portfolio, 256, 1);
  SearchConstraints constraints = Unconstrained(portfolio);
  SearchMonitor monitor({}, {});
  {
    PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
    // 3^5 = 243 plans x 1,000 paths = 243,000.
    EXPECT_TRUE(ExhaustiveAffordable(state, 1'000, 243'000));
    EXPECT_FALSE(ExhaustiveAffordable(state, 1'000, 242'999));
    EXPECT_FALSE(ExhaustiveAffordable(state, 1'001, 243'000));
  }
  constraints.locked[1] = 1;
  constraints.locked[4] = 1;
  {
    // Locked partners do not multiply: 3^3 = 27 x 1,000.
    PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
    EXPECT_TRUE(ExhaustiveAffordable(state, 1'000, 27'000));
    EXPECT_FALSE(ExhaustiveAffordable(state, 1'000, 26'999));
  }
  constraints.locked.assign(5, 1);
  {
    PlanState state(portfolio, sample, Objective::kAttainmentProbability, constraints, monitor);
    EXPECT_TRUE(ExhaustiveAffordable(state, 1'000, 1'000));
    EXPECT_FALSE(ExhaustiveAffordable(state, 1'000, 999));
  }
}

TEST(ExhaustiveAffordableTest, DoesNotOverflowForManyPartners) {
  Portfolio portfolio = MixedPortfolio();
  while (portfolio.partners.size() < 60) {
    Partner p = portfolio.partners[portfolio.partners.size() % 9];
    p.id = absl::StrCat("Q", portfolio.partners.size());
    portfolio.partners.push_back(p);
  }
  const ScenarioSample sample = TierSample(portfolio, 64, 1);
  SearchMonitor monitor({}, {});
  PlanState state(portfolio, sample, Objective::kAttainmentProbability,
                  Unconstrained(portfolio), monitor);
  // 3^60 is about 4.2e28: far beyond any budget, and beyond 64-bit integers.
  EXPECT_FALSE(ExhaustiveAffordable(state, 1, 3e8));
  EXPECT_FALSE(ExhaustiveAffordable(state, 1, 1e28));
  EXPECT_TRUE(ExhaustiveAffordable(state, 1, 1e29));
}

}  // namespace
}  // namespace attain
