// The engine against the model's closed forms, its reproducibility contract, and its
// run controls. Statistical checks use fixed seeds and tolerances of 4 standard errors.
#include "simulator/engine.h"

#include <atomic>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/test_portfolios.h"
#include "simulator/partner_percentiles.h"
#include "simulator/random.h"

namespace attain {
namespace {

using testing_support::BinomialSe;
using testing_support::ExpectIdenticalOutcomes;
using testing_support::MixedPortfolio;
using testing_support::RandomPortfolio;
using testing_support::Seeded;
using testing_support::WithThreads;

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// A partner with no noise, lift or churn unless a test adds them.
Partner QuietPartner(std::string id, double baseline) {
  Partner p;
  p.id = std::move(id);
  p.tier = Tier::kMaintain;
  p.baseline_revenue = baseline;
  p.volatility = 0;
  p.market_correlation = 0;
  p.max_lift = 0;
  p.churn_rate = 0;
  return p;
}

Portfolio OnePartner(Partner p, int periods, double quota) {
  Portfolio portfolio;
  portfolio.currency = "USD";
  portfolio.quota = quota;
  portfolio.periods = periods;
  portfolio.capacity_hours = 100;
  portfolio.partners.push_back(std::move(p));
  return portfolio;
}

double ExactExpectedRevenue(const Portfolio& portfolio, const Plan& plan) {
  const ResolvedPlan resolved = ResolvePlan(portfolio, plan);
  double expected = 0;
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    expected += ExpectedPartnerRevenue(portfolio, portfolio.partners[i], resolved.hours[i]);
  }
  return expected;
}

Plan NamedPlan(std::string name) {
  Plan plan;
  plan.name = std::move(name);
  return plan;
}

// Closed form 1: one LOGNORMAL partner, T = 1, c = 0, L = 0.
TEST(EngineClosedForm, SingleLognormalPartnerAttainment) {
  Partner p = QuietPartner("A", 100);
  p.volatility = 0.3;
  Portfolio portfolio = OnePartner(p, 1, 110);
  portfolio.seasonality = {1.2};
  const double sigma = 0.3;
  const double expected =
      1 - NormalCdf((std::log(110 / (100 * 1.2)) + sigma * sigma / 2) / sigma);
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(200'000, 11));
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_NEAR(outcome->attainment_probability, expected, 4 * BinomialSe(expected, 200'000));
  EXPECT_NEAR(outcome->expected_revenue, 120, 4 * outcome->expected_revenue_std_error);
}

// Closed form 2: sigma = 0, c = 0, L = 0, DEALS with v = 0: R / m ~ Poisson(Lambda).
TEST(EngineClosedForm, DealCountsArePoisson) {
  Portfolio portfolio;
  portfolio.periods = 3;
  portfolio.capacity_hours = 100;
  portfolio.seasonality = {1.0, 1.5, 0.5};
  const double m = 1000;
  double lambda = 0;
  for (int i = 0; i < 3; ++i) {
    Partner p = QuietPartner(absl::StrCat("D", i), 700.0 * (i + 1));
    p.growth_rate = 0.05 * i;
    p.revenue_model = RevenueModel::kDeals;
    p.mean_deal_size = m;
    p.deal_size_cv = 0;
    for (int t = 1; t <= 3; ++t) {
      lambda += p.baseline_revenue * std::pow(1 + p.growth_rate, t - 1) *
                portfolio.Seasonality(t) / m;
    }
    portfolio.partners.push_back(p);
  }
  // P(N >= k) for N ~ Poisson(lambda).
  auto poisson_tail = [&](int k) {
    double pmf = std::exp(-lambda);
    double below = 0;
    for (int j = 0; j < k; ++j) {
      below += pmf;
      pmf *= lambda / (j + 1);
    }
    return 1 - below;
  };
  Engine engine(WithThreads(2));
  const uint64_t paths = 100'000;
  for (const int k : {9, 13, 17}) {
    portfolio.quota = k * m;
    const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(paths, 5));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    const double expected = poisson_tail(k);
    EXPECT_NEAR(outcome->attainment_probability, expected, 4 * BinomialSe(expected, paths))
        << "quota " << k << " deals";
    EXPECT_NEAR(outcome->expected_revenue, lambda * m, 4 * m * std::sqrt(lambda / paths));
    // Poisson: the variance of R / m is lambda.
    EXPECT_NEAR(outcome->revenue_std_dev, m * std::sqrt(lambda), 0.02 * m * std::sqrt(lambda));
  }
}

// Closed form 3: sigma = 0, L = 0, one partner, churn c, h = 0.
TEST(EngineClosedForm, ChurnSurvivalAndExpectedRevenue) {
  Partner p = QuietPartner("C", 1000);
  p.churn_rate = 0.08;
  p.growth_rate = 0.03;
  p.hours_override = 0;
  const int periods = 5;
  Portfolio portfolio = OnePartner(p, periods, 1);
  portfolio.seasonality = {1, 2, 1, 2, 1};
  double expected_revenue = 0;
  for (int t = 1; t <= periods; ++t) {
    expected_revenue += 1000 * portfolio.Seasonality(t) * std::pow(1.03, t - 1) *
                        std::pow(1 - 0.08, t);
  }
  const double survive = std::pow(1 - 0.08, periods);
  const uint64_t paths = 100'000;
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(paths, 3));
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_NEAR(outcome->partners[0].dormancy_probability, 1 - survive,
              4 * BinomialSe(survive, paths));
  EXPECT_NEAR(outcome->expected_revenue, expected_revenue,
              4 * outcome->expected_revenue_std_error);
  // Churn strikes before period 1's revenue too: some paths earn nothing at all.
  EXPECT_NEAR(outcome->attainment_probability, 1 - 0.08, 4 * BinomialSe(0.92, paths));
}

// Closed form 4: E[R] = sum_i sum_t mu_{i,t} (1 - q_i)^t on random portfolios.
TEST(EngineClosedForm, ExpectedRevenueOnRandomPortfolios) {
  std::mt19937_64 random(2024);
  std::uniform_real_distribution<double> unit(0, 1);
  Engine engine(WithThreads(2));
  for (int trial = 0; trial < 12; ++trial) {
    Portfolio portfolio;
    portfolio.periods = 1 + static_cast<int>(unit(random) * 12);
    portfolio.capacity_hours = 50;
    portfolio.segment_correlation = 0.3 * unit(random);
    portfolio.tier_policy = {20 * unit(random), 8 * unit(random), 2 * unit(random)};
    const int partners = 1 + static_cast<int>(unit(random) * 15);
    for (int i = 0; i < partners; ++i) {
      Partner p;
      p.id = absl::StrCat("R", i);
      p.tier = static_cast<Tier>(static_cast<int>(unit(random) * 3));
      p.baseline_revenue = 1000 + 50'000 * unit(random);
      p.growth_rate = 0.1 * unit(random) - 0.05;
      p.volatility = 0.6 * unit(random);
      p.market_correlation = 0.5 * unit(random);
      const char* segments[] = {"", "", "a", "b"};
      p.segment = segments[static_cast<int>(unit(random) * 4)];
      p.max_lift = unit(random);
      p.half_effort_hours = 1 + 10 * unit(random);
      p.ramp_periods = static_cast<int>(unit(random) * 4);
      p.growth_boost = 0.05 * unit(random);
      p.churn_rate = 0.1 * unit(random);
      p.retention_hours = 1 + 6 * unit(random);
      if (unit(random) < 0.4) {
        p.revenue_model = RevenueModel::kDeals;
        p.mean_deal_size = p.baseline_revenue / (0.5 + 6 * unit(random));
        p.deal_size_cv = unit(random);
      }
      portfolio.partners.push_back(p);
    }
    Plan plan;
    plan.tiers[portfolio.partners[0].id] = Tier::kInvest;
    const double exact = ExactExpectedRevenue(portfolio, plan);
    portfolio.quota = exact;
    const auto outcome = engine.Simulate(portfolio, plan, Seeded(40'000, 100 + trial));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_NEAR(outcome->expected_revenue, exact, 4 * outcome->expected_revenue_std_error)
        << "trial " << trial;
    double unassisted_exact = 0;
    for (const Partner& p : portfolio.partners) {
      unassisted_exact += ExpectedPartnerRevenue(portfolio, p, 0);
    }
    // The counterfactual's error is no larger than the assisted run's (it earns less).
    EXPECT_NEAR(outcome->unassisted_expected_revenue, unassisted_exact,
                4 * outcome->expected_revenue_std_error)
        << "trial " << trial;
  }
}

TEST(EngineReproducibility, BitIdenticalAcrossThreadCounts) {
  const Portfolio portfolio = MixedPortfolio();
  SimulationOptions options = Seeded(5'000, 77);  // not a multiple of the block size
  options.attainment_estimator = AttainmentEstimator::kConditional;
  Engine one(WithThreads(1));
  Engine two(WithThreads(2));
  Engine eight(WithThreads(8));
  const auto a = one.Simulate(portfolio, Plan{}, options);
  const auto b = two.Simulate(portfolio, Plan{}, options);
  const auto c = eight.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->attainment_estimator, AttainmentEstimator::kConditional);
  ExpectIdenticalOutcomes(*a, *b);
  ExpectIdenticalOutcomes(*a, *c);
  // A precision target stops at the same block, with antithetic pairs too.
  SimulationOptions precise = Seeded(1'024, 78);
  precise.antithetic = true;
  precise.target_ci_half_width = 0.01;
  const auto d = one.Simulate(portfolio, Plan{}, precise);
  const auto e = eight.Simulate(portfolio, Plan{}, precise);
  ASSERT_TRUE(d.ok() && e.ok());
  ExpectIdenticalOutcomes(*d, *e);
}

TEST(EngineReproducibility, SameSeedSameResultDifferentSeedDiffers) {
  const Portfolio portfolio = MixedPortfolio();
  Engine engine(WithThreads(2));
  const auto a = engine.Simulate(portfolio, Plan{}, Seeded(3'000, 1));
  const auto b = engine.Simulate(portfolio, Plan{}, Seeded(3'000, 1));
  const auto c = engine.Simulate(portfolio, Plan{}, Seeded(3'000, 2));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ExpectIdenticalOutcomes(*a, *b);
  EXPECT_NE(a->expected_revenue, c->expected_revenue);
  EXPECT_NE(a->revenue_percentiles, c->revenue_percentiles);
}

// Pins one seeded run's figures to the bit: a change to the sampler that moves them must
// bump kSamplerVersion (random.h), then update these. The arithmetic is the same on
// every x86-64 machine (FastExp, PortableLog, no FMA contraction), so CI on any of them
// must see these very bits. MixedPortfolio has LOGNORMAL and DEALS partners, segments and
// a market factor, so every stream of a path is pinned.
TEST(EngineReproducibility, ASeedsFiguresAreThoseOfItsSamplerVersion) {
  static_assert(kSamplerVersion == 2, "update the pinned figures below with the version");
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, Seeded(3'000, 11));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->sampler_version, 2);
  EXPECT_EQ(outcome->expected_revenue, 0x1.54e637cf240e2p+21);
  EXPECT_EQ(outcome->attainment_probability, 0x1.2872b020c49bap-1);
  EXPECT_EQ(outcome->revenue_percentiles[0], 0x1.251245812230cp+21);
  EXPECT_EQ(outcome->unassisted_expected_revenue, 0x1.37b8a98f74552p+21);
}

TEST(EngineReproducibility, UnsetSeedIsDrawnAndReported) {
  const Portfolio portfolio = MixedPortfolio();
  Engine engine(WithThreads(2));
  SimulationOptions options;
  options.paths = 2'000;
  const auto drawn = engine.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(drawn.ok());
  const auto replayed = engine.Simulate(portfolio, Plan{}, Seeded(2'000, drawn->seed));
  ASSERT_TRUE(replayed.ok());
  ExpectIdenticalOutcomes(*drawn, *replayed);
}

TEST(EngineReproducibility, ComparedPlanEqualsItsOwnSimulation) {
  const Portfolio portfolio = MixedPortfolio();
  Plan invest_all = NamedPlan("invest all");
  for (const Partner& p : portfolio.partners) invest_all.tiers[p.id] = Tier::kInvest;
  const Plan plans[] = {NamedPlan("current"), invest_all};
  Engine engine(WithThreads(2));
  const auto comparison = engine.Compare(portfolio, plans, Seeded(4'000, 9));
  const auto alone = engine.Simulate(portfolio, invest_all, Seeded(4'000, 9));
  ASSERT_TRUE(comparison.ok() && alone.ok());
  ExpectIdenticalOutcomes(comparison->outcomes[1], *alone);
}

// The 95% interval of P(attain) covers the closed-form probability in 91%-98% of runs.
TEST(EngineStatistics, WilsonIntervalCoverage) {
  Partner p = QuietPartner("A", 100);
  p.volatility = 0.4;
  const Portfolio portfolio = OnePartner(p, 1, 105);
  const double truth = 1 - NormalCdf((std::log(105.0 / 100) + 0.08) / 0.4);
  Engine engine(WithThreads(2));
  int covered = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(2'000, seed));
    ASSERT_TRUE(outcome.ok());
    covered += outcome->attainment_interval.low <= truth &&
               truth <= outcome->attainment_interval.high;
  }
  EXPECT_GE(covered, 182);
  EXPECT_LE(covered, 196);
}

TEST(EngineStatistics, AntitheticLowersStandardError) {
  Portfolio portfolio;
  portfolio.periods = 4;
  portfolio.capacity_hours = 10;
  for (int i = 0; i < 5; ++i) {
    Partner p = QuietPartner(absl::StrCat("L", i), 1000.0 * (i + 1));
    p.volatility = 0.3;
    p.market_correlation = 0.4;
    portfolio.partners.push_back(p);
  }
  portfolio.quota = 15'000 * 4;
  Engine engine(WithThreads(2));
  SimulationOptions antithetic = Seeded(20'000, 4);
  antithetic.antithetic = true;
  const auto plain = engine.Simulate(portfolio, Plan{}, Seeded(20'000, 4));
  const auto paired = engine.Simulate(portfolio, Plan{}, antithetic);
  ASSERT_TRUE(plain.ok() && paired.ok());
  EXPECT_EQ(paired->paths, 20'000u);
  EXPECT_TRUE(paired->antithetic);
  EXPECT_LT(paired->expected_revenue_std_error, 0.5 * plain->expected_revenue_std_error);
  EXPECT_NEAR(paired->expected_revenue, 60'000, 4 * paired->expected_revenue_std_error);
}

TEST(EngineStatistics, AntitheticRoundsPathsUpToPairs) {
  Engine engine(WithThreads(1));
  SimulationOptions options = Seeded(1'001, 4);
  options.antithetic = true;
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->paths, 1'002u);
}

TEST(EngineCounterfactual, NoResponseAndNoChurnGiveZeroUpliftExactly) {
  Portfolio portfolio = MixedPortfolio();
  for (Partner& p : portfolio.partners) {
    p.max_lift = 0;
    p.growth_boost = 0;
    p.churn_rate = 0;
  }
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(3'000, 8));
  ASSERT_TRUE(outcome.ok());
  for (const PartnerOutcome& partner : outcome->partners) {
    EXPECT_GT(partner.hours, 0);
    EXPECT_EQ(partner.engagement_uplift, 0) << partner.partner_id;
    EXPECT_EQ(partner.expected_revenue, partner.unassisted_expected_revenue);
  }
  EXPECT_EQ(outcome->expected_revenue, outcome->unassisted_expected_revenue);
}

TEST(EngineCounterfactual, ZeroHourPlanEqualsUnassistedExactly) {
  const Portfolio portfolio = MixedPortfolio();
  Plan no_hours = NamedPlan("absent");
  for (const Partner& p : portfolio.partners) no_hours.hours[p.id] = 0;
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, no_hours, Seeded(3'000, 8));
  ASSERT_TRUE(outcome.ok());
  for (const PartnerOutcome& partner : outcome->partners) {
    EXPECT_EQ(partner.expected_revenue, partner.unassisted_expected_revenue);
    EXPECT_EQ(partner.engagement_uplift, 0);
    EXPECT_EQ(partner.uplift_per_hour, 0);
  }
  EXPECT_EQ(outcome->attainment_probability, outcome->unassisted_attainment_probability);
  EXPECT_EQ(outcome->hours_used, 0);
}

TEST(EngineCounterfactual, EngagementRaisesRevenueOfResponsivePartners) {
  const Portfolio portfolio = MixedPortfolio();
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(20'000, 12));
  ASSERT_TRUE(outcome.ok());
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    const PartnerOutcome& partner = outcome->partners[i];
    const double exact = ExpectedPartnerRevenue(portfolio, p, partner.hours) -
                         ExpectedPartnerRevenue(portfolio, p, 0);
    // The paired interval is wide enough to hold the exact uplift (4 SE = 2.04 x 95% half).
    const double half = partner.engagement_uplift_interval.HalfWidth();
    EXPECT_NEAR(partner.engagement_uplift, exact, 2.05 * half + 1e-9) << p.id;
    if (p.max_lift > 0 || p.churn_rate > 0) {
      EXPECT_GT(partner.engagement_uplift, 0) << p.id;
    }
    EXPECT_LE(partner.revenue_p10, partner.revenue_p90);
  }
  EXPECT_EQ(outcome->partner_percentile_paths, kMaxPartnerPercentilePaths);
}

TEST(EngineOutcome, PeriodsAndDistributionAreConsistent) {
  const Portfolio portfolio = MixedPortfolio();
  Engine engine(WithThreads(2));
  SimulationOptions options = Seeded(10'000, 21);
  options.attainment_estimator = AttainmentEstimator::kConditional;
  const auto outcome = engine.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome->periods.size(), 6u);
  for (size_t t = 1; t < outcome->periods.size(); ++t) {
    EXPECT_GT(outcome->periods[t].expected_cumulative_revenue,
              outcome->periods[t - 1].expected_cumulative_revenue);
  }
  EXPECT_NEAR(outcome->periods.back().expected_cumulative_revenue, outcome->expected_revenue,
              1e-9 * outcome->expected_revenue);
  EXPECT_DOUBLE_EQ(outcome->periods.back().on_track_threshold, portfolio.quota);
  // The last period's on-track share counts the paths at quota; P(attain) is the
  // conditional estimate of the same probability, within sampling error of it.
  EXPECT_NEAR(outcome->periods.back().on_track_probability, outcome->attainment_probability,
              4 * BinomialSe(outcome->attainment_probability, 10'000));
  const auto counted_outcome = engine.Simulate(portfolio, Plan{}, Seeded(10'000, 21));
  ASSERT_TRUE(counted_outcome.ok());
  EXPECT_EQ(counted_outcome->attainment_estimator, AttainmentEstimator::kPathCount);
  EXPECT_DOUBLE_EQ(counted_outcome->periods.back().on_track_probability,
                   counted_outcome->attainment_probability);
  for (size_t q = 1; q < kRevenuePercentiles.size(); ++q) {
    EXPECT_LE(outcome->revenue_percentiles[q - 1], outcome->revenue_percentiles[q]);
  }
  uint64_t counted = 0;
  for (const uint64_t count : outcome->histogram.path_counts) counted += count;
  EXPECT_EQ(counted, 10'000u);
  EXPECT_EQ(outcome->histogram.path_counts.size(), static_cast<size_t>(kHistogramBins));
  double share = 0;
  for (const PartnerOutcome& partner : outcome->partners) share += partner.revenue_share;
  EXPECT_NEAR(share, 1, 1e-9);
  EXPECT_GT(outcome->expected_shortfall, 0);
  EXPECT_TRUE(outcome->attainment_interval.low <= outcome->attainment_probability &&
              outcome->attainment_probability <= outcome->attainment_interval.high);
}

TEST(EngineOutcome, OverCapacityPlanIsSimulatedWithAWarning) {
  const Portfolio portfolio = MixedPortfolio();
  Plan invest_all = NamedPlan("invest all");
  for (const Partner& p : portfolio.partners) invest_all.tiers[p.id] = Tier::kInvest;
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, invest_all, Seeded(1'000, 1));
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->over_capacity);
  EXPECT_DOUBLE_EQ(outcome->hours_used, 16.0 * 9);
  EXPECT_EQ(outcome->capacity_hours, 30);
}

TEST(EngineComparison, PairedDifferencesToTheFirstPlan) {
  const Portfolio portfolio = MixedPortfolio();
  Plan invest_all = NamedPlan("invest all");
  for (const Partner& p : portfolio.partners) invest_all.tiers[p.id] = Tier::kInvest;
  const Plan plans[] = {NamedPlan("current"), invest_all, NamedPlan("current again")};
  Engine engine(WithThreads(2));
  const auto comparison = engine.Compare(portfolio, plans, Seeded(20'000, 31));
  ASSERT_TRUE(comparison.ok());
  ASSERT_EQ(comparison->differences.size(), 2u);
  const PlanOutcome& base = comparison->outcomes[0];
  const PlanOutcome& invest = comparison->outcomes[1];
  const PlanDifference& gain = comparison->differences[0];
  EXPECT_EQ(gain.plan_name, "invest all");
  EXPECT_EQ(gain.baseline_plan_name, "current");
  EXPECT_NEAR(gain.expected_revenue_difference, invest.expected_revenue - base.expected_revenue,
              1e-6 * base.expected_revenue);
  EXPECT_GT(gain.expected_revenue_difference, 0);
  // Common random numbers: the paired interval is much narrower than independent runs'.
  const double independent = kZ95 * std::hypot(base.expected_revenue_std_error,
                                               invest.expected_revenue_std_error);
  EXPECT_LT(gain.expected_revenue_difference_interval.HalfWidth(), 0.5 * independent);
  // The same plan twice differs by exactly nothing.
  const PlanDifference& same = comparison->differences[1];
  EXPECT_EQ(same.attainment_probability_difference, 0);
  EXPECT_EQ(same.expected_revenue_difference, 0);
  EXPECT_EQ(same.expected_revenue_difference_interval.HalfWidth(), 0);
}

TEST(EngineControl, PrecisionTargetStopsEarly) {
  const Portfolio portfolio = MixedPortfolio();
  SimulationOptions options = Seeded(1'000, 5);
  options.target_ci_half_width = 0.02;
  options.max_paths = 1'000'000;
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_LE(outcome->attainment_interval.HalfWidth(), 0.02);
  EXPECT_LT(outcome->paths, 10'000u);  // p near 1/2 needs about 2,400 paths
  EXPECT_EQ(outcome->paths % kPathsPerBlock, 0u);
  // The stopping point depends on the seed only, not on threads.
  const auto again = Engine(WithThreads(1)).Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(again.ok());
  ExpectIdenticalOutcomes(*outcome, *again);
}

TEST(EngineControl, PrecisionTargetHonoursMaxPaths) {
  SimulationOptions options = Seeded(1'000, 5);
  options.target_ci_half_width = 1e-4;
  options.max_paths = 3'000;
  Engine engine(WithThreads(2));
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, options);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->paths, 3'000u);
  EXPECT_GT(outcome->attainment_interval.HalfWidth(), 1e-4);
}

TEST(EngineControl, CancellationStopsWithinABlock) {
  Engine engine(WithThreads(2));
  std::atomic<bool> cancel{false};
  uint64_t paths_when_cancelled = 0;
  RunControl control;
  control.on_progress = [&](const Progress& progress) {
    if (!cancel) paths_when_cancelled = progress.paths_done;
    cancel = true;
  };
  control.cancelled = [&] { return cancel.load(); };
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, Seeded(5'000'000, 1), control);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kCancelled);
  EXPECT_GT(paths_when_cancelled, 0u);
  // The message reports the paths merged: at most the blocks already running finished.
  EXPECT_NE(outcome.status().message().find("cancelled after"), std::string::npos);
}

// Past the percentile samples (8 blocks), selection runs on the pool while blocks go on;
// a cancellation then must wait for it without holding what the workers need.
TEST(EngineControl, CancellationAfterPercentilesStartedReturns) {
  Engine engine(WithThreads(2));
  std::atomic<bool> cancel{false};
  RunControl control;
  control.on_progress = [&](const Progress& progress) {
    if (progress.paths_done > kMaxPartnerPercentilePaths) cancel = true;
  };
  control.cancelled = [&] { return cancel.load(); };
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, Seeded(2'000'000, 1), control);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kCancelled);
  // The engine is still usable.
  EXPECT_TRUE(engine.Simulate(MixedPortfolio(), Plan{}, Seeded(1'000, 1)).ok());
}

TEST(EngineControl, ProgressReportsEveryMergedBlockInOrder) {
  Engine engine(WithThreads(2));
  std::vector<uint64_t> done;
  RunControl control;
  control.on_progress = [&](const Progress& progress) {
    done.push_back(progress.paths_done);
    EXPECT_EQ(progress.paths_planned, 10'000u);
    EXPECT_GE(progress.attainment_probability, 0);
  };
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, Seeded(10'000, 1), control);
  ASSERT_TRUE(outcome.ok());
  ASSERT_FALSE(done.empty());
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ(done.back(), 10'000u);
}

TEST(EngineControl, RunOverMemoryBudgetIsRefused) {
  EngineOptions options = WithThreads(1);
  options.memory_budget_bytes = size_t{8} << 20;
  Engine engine(options);
  const auto outcome = engine.Simulate(MixedPortfolio(), Plan{}, Seeded(2'000'000, 1));
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(outcome.status().message().find("memory budget"), std::string::npos);
  EXPECT_GT(engine.CompareCost(MixedPortfolio(), 1, Seeded(2'000'000, 1)).memory_bytes,
            options.memory_budget_bytes);
}

TEST(EngineValidation, FieldPathsNameTheRequestField) {
  Engine engine(WithThreads(1));
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[3].volatility = -1;
  auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(100, 1));
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(outcome.status().message().find("portfolio.partners[3].volatility"),
            std::string::npos)
      << outcome.status();

  Plan unknown;
  unknown.tiers["nobody"] = Tier::kInvest;
  outcome = engine.Simulate(MixedPortfolio(), unknown, Seeded(100, 1));
  EXPECT_NE(outcome.status().message().find("plan.tiers[\"nobody\"]"), std::string::npos)
      << outcome.status();

  const Plan plans[] = {Plan{}, unknown};
  const auto comparison = engine.Compare(MixedPortfolio(), plans, Seeded(0, 1));
  EXPECT_NE(comparison.status().message().find("plans[1].tiers[\"nobody\"]"), std::string::npos)
      << comparison.status();
  EXPECT_NE(comparison.status().message().find("options.paths"), std::string::npos)
      << comparison.status();
}

TEST(EngineValidation, TooManyPlansAreRefused) {
  Engine engine(WithThreads(1));
  const std::vector<Plan> plans(engine.options().limits.max_plans + 1);
  const auto comparison = engine.Compare(MixedPortfolio(), plans, Seeded(100, 1));
  EXPECT_EQ(comparison.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(comparison.status().message().find("plans:"), std::string::npos);
}

}  // namespace
}  // namespace attain
