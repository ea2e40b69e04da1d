// Parameter uncertainty (simulator/parameter_draws.h and SimulationOptions::
// parameter_uncertainty): the distributions of the drawn parameters and their clips, the
// separate stream (the plain run bit for bit without errors; the plain run's shocks with
// them), and the engine's runs with the option: wider revenue at the same mean,
// reproducible on any thread count, with antithetic pairs, precision targets, compared
// plans and samples. Statistical checks use fixed seeds and 4-standard-error tolerances.
#include "simulator/parameter_draws.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/comparison_job.h"
#include "simulator/engine.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"
#include "simulator/plan_state.h"
#include "simulator/random.h"
#include "simulator/recommendation.h"
#include "simulator/scenario_sample.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::ExpectIdenticalOutcomes;
using testing_support::MixedPortfolio;
using testing_support::WithThreads;

constexpr ParameterUncertainty kOn{true};

// `portfolio` with every partner's standard errors: `baseline` x its baseline, and the
// absolute errors of growth, lift and churn.
Portfolio WithErrors(Portfolio portfolio, double baseline, double growth, double lift,
                     double churn) {
  for (Partner& p : portfolio.partners) {
    p.errors = {baseline * p.baseline_revenue, growth, lift, churn};
  }
  return portfolio;
}

SimulationOptions Seeded(uint64_t paths, uint64_t seed, bool uncertainty) {
  SimulationOptions options;
  options.paths = paths;
  options.seed = seed;
  options.parameter_uncertainty = uncertainty;
  return options;
}

// Mean and standard deviation of `values`.
struct Moments {
  double mean = 0;
  double sd = 0;
};
Moments MomentsOf(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (const double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / static_cast<double>(values.size() - 1))};
}

// The parameters of drawn partner `u` on `n` paths of one stream.
std::vector<DrawnParameters> DrawMany(const ParameterSampler& sampler, size_t u, size_t n,
                                      uint64_t seed) {
  BlockEngine stream(ParameterSeed(seed, 0));
  std::vector<double> normals(kNormalsPerDrawnPartner * sampler.drawn_count());
  std::vector<DrawnParameters> drawn;
  for (size_t k = 0; k < n; ++k) {
    sampler.DrawNormals(stream, normals);
    drawn.push_back(sampler.Transform(u, &normals[u * kNormalsPerDrawnPartner]));
  }
  return drawn;
}

// ---------------------------------------------------------------------------------------
// The sampler: who is drawn, and the law of a draw.

TEST(ParameterSamplerTest, DrawsNobodyWhenTheOptionIsOffOrNoPartnerHasErrors) {
  const Portfolio with_errors = WithErrors(MixedPortfolio(), 0.1, 0.01, 0.1, 0.01);
  EXPECT_FALSE(ParameterSampler(with_errors, {}).active());
  EXPECT_FALSE(ParameterSampler(MixedPortfolio(), kOn).active());
}

TEST(ParameterSamplerTest, DrawsOnlyPartnersWithErrorsInPortfolioOrder) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[2].errors.churn_rate = 0.01;
  portfolio.partners[5].errors.baseline_revenue = 100;
  const ParameterSampler sampler(portfolio, kOn);
  EXPECT_EQ(sampler.drawn_count(), 2u);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    EXPECT_EQ(sampler.drawn_index()[i], i == 2 ? 0 : i == 5 ? 1 : -1) << i;
  }
}

TEST(ParameterSamplerTest, AZeroStandardErrorLeavesItsParameterExactly) {
  Portfolio portfolio = MixedPortfolio();
  Partner& p = portfolio.partners[4];
  p.errors.max_lift = 0.2;
  const ParameterSampler sampler(portfolio, kOn);
  const double z[] = {1.3, -0.7, 0.5, -1.9};
  const DrawnParameters drawn = sampler.Transform(0, z);
  EXPECT_EQ(drawn.baseline_revenue, p.baseline_revenue);
  EXPECT_EQ(drawn.growth_rate, p.growth_rate);
  EXPECT_EQ(drawn.churn_rate, p.churn_rate);
  EXPECT_DOUBLE_EQ(drawn.max_lift, p.max_lift + 0.2 * 0.5);
}

TEST(ParameterSamplerTest, DrawsAreClippedToTheModelsRanges) {
  Portfolio portfolio = MixedPortfolio();
  Partner& p = portfolio.partners[0];
  p.errors = {p.baseline_revenue, kMaxGrowthRate, kMaxLift, 1};
  const ParameterSampler sampler(portfolio, kOn);
  const double high[] = {8, 8, 8, 8};
  const double low[] = {-8, -8, -8, -8};
  const DrawnParameters top = sampler.Transform(0, high);
  const DrawnParameters bottom = sampler.Transform(0, low);
  EXPECT_EQ(top.growth_rate, kMaxGrowthRate);
  EXPECT_EQ(top.max_lift, kMaxLift);
  EXPECT_EQ(top.churn_rate, kMaxDrawnChurnRate);
  EXPECT_LT(top.churn_rate, 1.0);
  EXPECT_EQ(bottom.growth_rate, -1.0);
  EXPECT_EQ(bottom.max_lift, 0.0);
  EXPECT_EQ(bottom.churn_rate, 0.0);
  EXPECT_GT(bottom.baseline_revenue, 0.0);
  EXPECT_GT(top.baseline_revenue, p.baseline_revenue);
  EXPECT_TRUE(std::isfinite(top.baseline_revenue));
}

// b' = b exp(s z - s^2/2) with s^2 = ln(1 + (se/b)^2) has mean b and standard deviation
// se; g' (far from its clips) has mean g and standard deviation se_g.
TEST(ParameterSamplerTest, BaselineIsLognormalWithTheGivenMeanAndStandardDeviation) {
  Portfolio portfolio = MixedPortfolio();
  Partner& p = portfolio.partners[3];
  p.errors = {0.5 * p.baseline_revenue, 0.02, 0, 0};
  const ParameterSampler sampler(portfolio, kOn);
  constexpr size_t kDraws = 200'000;
  const std::vector<DrawnParameters> drawn = DrawMany(sampler, 0, kDraws, 11);
  std::vector<double> baseline;
  std::vector<double> growth;
  for (const DrawnParameters& d : drawn) {
    baseline.push_back(d.baseline_revenue);
    growth.push_back(d.growth_rate);
  }
  const Moments b = MomentsOf(baseline);
  const double n = static_cast<double>(kDraws);
  EXPECT_NEAR(b.mean, p.baseline_revenue, 4 * p.errors.baseline_revenue / std::sqrt(n));
  // The sample sd of a lognormal with CV 0.5 (kurtosis ~8): relative SE ~ 0.4%.
  EXPECT_NEAR(b.sd, p.errors.baseline_revenue, 0.02 * p.errors.baseline_revenue);
  const Moments g = MomentsOf(growth);
  EXPECT_NEAR(g.mean, p.growth_rate, 4 * 0.02 / std::sqrt(n));
  EXPECT_NEAR(g.sd, 0.02, 4 * 0.02 / std::sqrt(2 * n));
}

// L' = max(0, L + se z): at L = 0 its mean is se / sqrt(2 pi), not 0 (docs/model.md).
TEST(ParameterSamplerTest, LiftIsClippedAtZeroWhichRaisesItsMeanNearZero) {
  Portfolio portfolio = MixedPortfolio();
  Partner& p = portfolio.partners[0];  // max_lift 0
  ASSERT_EQ(p.max_lift, 0);
  p.errors.max_lift = 0.2;
  const ParameterSampler sampler(portfolio, kOn);
  constexpr size_t kDraws = 100'000;
  std::vector<double> lift;
  for (const DrawnParameters& d : DrawMany(sampler, 0, kDraws, 12)) lift.push_back(d.max_lift);
  EXPECT_EQ(*std::min_element(lift.begin(), lift.end()), 0.0);
  const Moments l = MomentsOf(lift);
  EXPECT_NEAR(l.mean, 0.2 / std::sqrt(2 * M_PI), 4 * l.sd / std::sqrt(kDraws));
}

// Within the clip, a drawn partner is as valid as an input one: its expected revenue per
// period (and a DEALS partner's expected deals) at saturating engagement stays within the
// limits, however large its standard errors.
TEST(ParameterSamplerTest, ADrawnPartnerStaysWithinTheRevenueAndDealsLimits) {
  Portfolio portfolio;
  portfolio.quota = 1;
  portfolio.periods = 60;
  Partner grows;
  grows.id = "grows";
  grows.baseline_revenue = 1e9;
  grows.growth_rate = 0.4;  // 1.4^59 x 1e9 x 1.3: 5.4e17, near the limit of 1e18
  grows.errors = {kMaxBaselineRevenue, 0.5, kMaxLift, 0.5};
  Partner deals = grows;
  deals.id = "deals";
  deals.baseline_revenue = 1e6;
  deals.growth_rate = 0;
  deals.revenue_model = RevenueModel::kDeals;
  deals.mean_deal_size = 1'000;  // 1,300 deals per period at saturation; the limit 10,000
  portfolio.partners = {grows, deals};
  ASSERT_TRUE(ValidatePortfolio(portfolio, Limits{}).empty())
      << ViolationsMessage(ValidatePortfolio(portfolio, Limits{}));
  const ParameterSampler sampler(portfolio, kOn);
  auto peak = [&](const DrawnParameters& d, const Partner& p) {
    double compounded = 1;
    double largest = 0;
    for (int t = 1; t <= portfolio.periods; ++t) {
      largest = std::max(largest, compounded);
      compounded *= 1 + d.growth_rate + p.growth_boost;
    }
    return d.baseline_revenue * largest * (1 + d.max_lift);
  };
  size_t capped = 0;
  for (size_t u = 0; u < 2; ++u) {
    std::vector<DrawnParameters> drawn = DrawMany(sampler, u, 20'000, 13 + u);
    const double top[] = {8, 8, 8, 8};
    drawn.push_back(sampler.Transform(u, top));
    const Partner& p = portfolio.partners[u];
    const double limit = u == 0 ? kMaxExpectedPeriodRevenue
                                : p.mean_deal_size * Limits{}.max_expected_deals_per_period;
    for (const DrawnParameters& d : drawn) {
      ASSERT_TRUE(std::isfinite(d.baseline_revenue) && d.baseline_revenue >= 0);
      ASSERT_LE(peak(d, p), limit * (1 + 1e-12)) << p.id;
      capped += peak(d, p) > 0.999 * limit;
    }
  }
  EXPECT_GT(capped, 0u) << "the test should reach the limits";
}

// ---------------------------------------------------------------------------------------
// The generator and the evaluator.

TEST(ParameterDrawsPathTest, DrawingParametersLeavesEveryOtherDrawOfThePathAsItWas) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.2, 0.01, 0.1, 0.01);
  const PathGenerator plain(portfolio);
  const PathGenerator drawing(portfolio, kOn);
  ASSERT_TRUE(drawing.parameter_sampler().active());
  PathDraws a;
  PathDraws b;
  plain.Prepare(a);
  drawing.Prepare(b);
  EXPECT_TRUE(a.parameters.empty());
  BlockEngine engine_a(BlockSeed(3, 0));
  BlockEngine engine_b(BlockSeed(3, 0));
  BlockEngine parameters(ParameterSeed(3, 0));
  for (int path = 0; path < 50; ++path) {
    plain.Generate(engine_a, a);
    drawing.Generate(engine_b, b);
    drawing.DrawParameters(parameters, b);
    ASSERT_EQ(a.shock, b.shock);
    ASSERT_EQ(a.dormancy_uniform, b.dormancy_uniform);
    ASSERT_EQ(a.deal_seed, b.deal_seed);
  }
}

TEST(ParameterDrawsPathTest, TheMirrorDrawsTheParametersAtMinusZ) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.2, 0.01, 0.1, 0.01);
  const PathGenerator generator(portfolio, kOn);
  PathDraws draws;
  PathDraws mirror;
  generator.Prepare(draws);
  generator.Prepare(mirror);
  BlockEngine engine(BlockSeed(4, 0));
  BlockEngine parameters(ParameterSeed(4, 0));
  generator.Generate(engine, draws);
  generator.DrawParameters(parameters, draws);
  generator.Mirror(draws, mirror);
  const ParameterSampler& sampler = generator.parameter_sampler();
  for (size_t u = 0; u < sampler.drawn_count(); ++u) {
    double negated[kNormalsPerDrawnPartner];
    for (size_t k = 0; k < kNormalsPerDrawnPartner; ++k) {
      negated[k] = -draws.parameter_normal[u * kNormalsPerDrawnPartner + k];
      EXPECT_EQ(mirror.parameter_normal[u * kNormalsPerDrawnPartner + k], negated[k]);
    }
    const DrawnParameters expected = sampler.Transform(u, negated);
    EXPECT_EQ(mirror.parameters[u].baseline_revenue, expected.baseline_revenue);
    EXPECT_EQ(mirror.parameters[u].growth_rate, expected.growth_rate);
    EXPECT_EQ(mirror.parameters[u].max_lift, expected.max_lift);
    EXPECT_EQ(mirror.parameters[u].churn_rate, expected.churn_rate);
  }
}

// The evaluator's per-path rows follow the model's formulas in the model's order: at a
// partner's own values they earn what the tables earn, bit for bit, for LOGNORMAL and
// DEALS partners under every scenario.
TEST(ParameterDrawsPathTest, DrawnRowsAtThePartnersOwnValuesEarnWhatTheTablesEarn) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.2, 0.01, 0.1, 0.01);
  const std::vector<std::vector<double>> hours = {
      ResolvePlan(portfolio, Plan{}).hours, std::vector<double>(portfolio.partners.size(), 16),
      std::vector<double>(portfolio.partners.size(), 0)};
  const PathGenerator plain(portfolio);
  const PathGenerator drawing(portfolio, kOn);
  const PathEvaluator plain_evaluator(portfolio, plain, hours, 2);
  const PathEvaluator drawing_evaluator(portfolio, drawing, hours, 2);
  PathDraws draws;
  drawing.Prepare(draws);
  std::vector<PathRevenue> expected;
  std::vector<PathRevenue> actual;
  plain_evaluator.Prepare(expected);
  drawing_evaluator.Prepare(actual);
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    const Partner& p = portfolio.partners[i];
    draws.parameters[i] = {p.baseline_revenue, p.growth_rate, p.max_lift, p.churn_rate};
  }
  BlockEngine engine(BlockSeed(5, 0));
  for (int path = 0; path < 200; ++path) {
    drawing.Generate(engine, draws);
    plain_evaluator.Evaluate(draws, expected);
    drawing_evaluator.Evaluate(draws, actual);
    for (size_t s = 0; s < hours.size(); ++s) {
      ASSERT_EQ(actual[s].partner_revenue, expected[s].partner_revenue) << s;
      ASSERT_EQ(actual[s].period_revenue, expected[s].period_revenue) << s;
      ASSERT_EQ(actual[s].dormant, expected[s].dormant) << s;
      ASSERT_EQ(std::bit_cast<uint64_t>(actual[s].total), std::bit_cast<uint64_t>(expected[s].total));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Runs with the option.

TEST(ParameterUncertaintyRunTest, WithoutStandardErrorsTheOptionIsThePlainRunBitForBit) {
  Engine engine(WithThreads(2));
  const Portfolio portfolio = MixedPortfolio();
  const auto plain = engine.Simulate(portfolio, Plan{}, Seeded(3'000, 21, false));
  const auto option = engine.Simulate(portfolio, Plan{}, Seeded(3'000, 21, true));
  ASSERT_TRUE(plain.ok() && option.ok());
  ExpectIdenticalOutcomes(*plain, *option);
  EXPECT_EQ(option->parameter_draw_partners, 0u);
  // Errors of 0 are no errors; errors without the option are not used.
  const Portfolio zero = WithErrors(MixedPortfolio(), 0, 0, 0, 0);
  const auto zero_errors = engine.Simulate(zero, Plan{}, Seeded(3'000, 21, true));
  const Portfolio some = WithErrors(MixedPortfolio(), 0.3, 0.02, 0.2, 0.02);
  const auto unused = engine.Simulate(some, Plan{}, Seeded(3'000, 21, false));
  ASSERT_TRUE(zero_errors.ok() && unused.ok());
  ExpectIdenticalOutcomes(*plain, *zero_errors);
  ExpectIdenticalOutcomes(*plain, *unused);
}

// The draws have their own stream: a partner without errors earns on every path what it
// earns in the plain run (common random numbers), while a partner with errors does not.
// Seen in the sample's deltas from each partner's current tier to its other tiers.
TEST(ParameterUncertaintyRunTest, PartnersWithoutErrorsEarnWhatTheyEarnInThePlainRun) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.partners[1].errors = {0.3 * portfolio.partners[1].baseline_revenue, 0.02, 0.2, 0.02};
  portfolio.partners[4].errors.baseline_revenue = 0.3 * portfolio.partners[4].baseline_revenue;
  Engine engine(WithThreads(2));
  const ScenarioSet tiers = TierScenarios(portfolio);
  const auto plain = engine.SampleScenarios(portfolio, tiers, 2'500, 8);
  const auto drawn = engine.SampleScenarios(portfolio, tiers, 2'500, 8, {}, true);
  ASSERT_TRUE(plain.ok() && drawn.ok());
  EXPECT_NE(plain->reference_totals(), drawn->reference_totals());
  for (size_t s = 0; s < tiers.hours.size(); ++s) {
    for (size_t i = 0; i < portfolio.partners.size(); ++i) {
      if (s == tiers.reference[i]) continue;
      const std::vector<float> a(plain->Delta(s, i), plain->Delta(s, i) + plain->paths());
      const std::vector<float> b(drawn->Delta(s, i), drawn->Delta(s, i) + drawn->paths());
      if (i == 1 || i == 4) {
        EXPECT_NE(a, b) << "partner " << i;
      } else {
        EXPECT_EQ(a, b) << "scenario " << s << ", partner " << i;
      }
    }
  }
}

// Baseline errors (lognormal, mean-preserving) widen the revenue distribution, more so
// the larger they are, and leave E[R] where it was, within its standard errors.
TEST(ParameterUncertaintyRunTest, LargerBaselineErrorsWidenRevenueAndKeepItsMean) {
  Engine engine(WithThreads(2));
  std::vector<PlanOutcome> outcomes;
  for (const double relative : {0.0, 0.2, 0.5}) {
    const Portfolio portfolio = WithErrors(MixedPortfolio(), relative, 0, 0, 0);
    const auto outcome = engine.Simulate(portfolio, Plan{}, Seeded(40'000, 31, true));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    outcomes.push_back(*outcome);
  }
  for (size_t k = 1; k < outcomes.size(); ++k) {
    const PlanOutcome& narrow = outcomes[k - 1];
    const PlanOutcome& wide = outcomes[k];
    EXPECT_GT(wide.revenue_std_dev, 1.2 * narrow.revenue_std_dev) << k;
    EXPECT_GT(wide.revenue_percentiles[5] - wide.revenue_percentiles[1],
              1.2 * (narrow.revenue_percentiles[5] - narrow.revenue_percentiles[1]))
        << "P90 - P10, " << k;
    // Not independent (common random numbers), so the sum of variances bounds the
    // difference's.
    EXPECT_NEAR(wide.expected_revenue, outcomes[0].expected_revenue,
                4 * std::hypot(wide.expected_revenue_std_error,
                               outcomes[0].expected_revenue_std_error))
        << k;
  }
  EXPECT_EQ(outcomes[2].parameter_draw_partners, 9u);
}

// Errors of every kind widen the distribution too, and P(attain) at a quota of E[R]
// moves: the outcome is honestly less certain.
TEST(ParameterUncertaintyRunTest, ErrorsOfEveryParameterWidenRevenue) {
  Engine engine(WithThreads(2));
  const Portfolio plain = MixedPortfolio();
  const Portfolio uncertain = WithErrors(MixedPortfolio(), 0.2, 0.02, 0.2, 0.02);
  const auto a = engine.Simulate(plain, Plan{}, Seeded(20'000, 41, true));
  const auto b = engine.Simulate(uncertain, Plan{}, Seeded(20'000, 41, true));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(b->revenue_std_dev, 1.2 * a->revenue_std_dev);
  EXPECT_GT(b->revenue_percentiles[6] - b->revenue_percentiles[0],
            1.2 * (a->revenue_percentiles[6] - a->revenue_percentiles[0]));
  for (const PartnerOutcome& partner : b->partners) {
    EXPECT_TRUE(std::isfinite(partner.engagement_uplift)) << partner.partner_id;
  }
}

TEST(ParameterUncertaintyRunTest, ResultIsBitIdenticalAcrossThreadCounts) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.3, 0.02, 0.2, 0.02);
  const SimulationOptions options = Seeded(5'000, 77, true);  // a partial last block
  Engine one(WithThreads(1));
  Engine three(WithThreads(3));
  const auto a = one.Simulate(portfolio, Plan{}, options);
  const auto b = three.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(a.ok() && b.ok());
  ExpectIdenticalOutcomes(*a, *b);
}

TEST(ParameterUncertaintyRunTest, AntitheticPairsMirrorTheDrawsAndAgreeWithPlainPaths) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.3, 0.02, 0.2, 0.02);
  Engine engine(WithThreads(2));
  SimulationOptions options = Seeded(20'001, 51, true);
  const auto independent = engine.Simulate(portfolio, Plan{}, options);
  options.antithetic = true;
  const auto paired = engine.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(independent.ok() && paired.ok());
  EXPECT_EQ(paired->paths, 20'002u);
  EXPECT_TRUE(paired->antithetic);
  EXPECT_NEAR(paired->expected_revenue, independent->expected_revenue,
              4 * std::hypot(paired->expected_revenue_std_error,
                             independent->expected_revenue_std_error));
  EXPECT_NEAR(paired->attainment_probability, independent->attainment_probability,
              4 * std::hypot(paired->attainment_interval.HalfWidth() / 1.96,
                             independent->attainment_interval.HalfWidth() / 1.96));
  // Mirroring the baseline draw with the shocks pairs revenues more tightly.
  EXPECT_LT(paired->expected_revenue_std_error, independent->expected_revenue_std_error);
}

TEST(ParameterUncertaintyRunTest, PrecisionTargetStopsOnTheSameBlockOnAnyThreadCount) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.3, 0.02, 0.2, 0.02);
  SimulationOptions options = Seeded(1'000, 5, true);
  options.target_ci_half_width = 0.02;
  options.max_paths = 100'000;
  const auto a = Engine(WithThreads(2)).Simulate(portfolio, Plan{}, options);
  const auto b = Engine(WithThreads(1)).Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_LE(a->attainment_interval.HalfWidth(), 0.02);
  EXPECT_LT(a->paths, options.max_paths);
  ExpectIdenticalOutcomes(*a, *b);
}

// Plans of a comparison share each path's draws: the same plan twice differs by exactly
// 0, and a sample's reference plan totals (the tier search's view) are the comparison's
// per-path revenue bit for bit.
TEST(ParameterUncertaintyRunTest, PlansAndSamplesShareEachPathsDraws) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.3, 0.02, 0.2, 0.02);
  Plan invest;
  invest.name = "invest";
  for (const Partner& p : portfolio.partners) invest.tiers[p.id] = Tier::kInvest;
  Engine engine(WithThreads(2));
  const Plan twice[] = {invest, invest};
  const auto same = engine.Compare(portfolio, twice, Seeded(3'000, 61, true));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->differences[0].expected_revenue_difference, 0.0);
  EXPECT_EQ(same->differences[0].attainment_probability_difference, 0.0);

  constexpr uint64_t kPaths = 2'500;
  constexpr uint64_t kSeed = 62;
  ScenarioSet scenarios = TierScenarios(portfolio);  // with the invest plan for reference
  std::fill(scenarios.reference.begin(), scenarios.reference.end(), TierIndex(Tier::kInvest));
  const auto sample = engine.SampleScenarios(portfolio, scenarios, kPaths, kSeed, {}, true);
  ASSERT_TRUE(sample.ok());
  WorkerPool pool(2);
  ComparisonJob job(portfolio, {ResolvePlan(portfolio, invest)}, Seeded(kPaths, kSeed, true),
                    kSeed, /*sample_paths=*/16, pool);
  ASSERT_TRUE(RunBlocks(pool, job, job.block_count(), nullptr, {}).ok());
  const std::vector<double>& compared = job.totals().plans[0].revenue;
  ASSERT_EQ(compared.size(), kPaths);
  size_t differing = 0;
  for (size_t path = 0; path < kPaths; ++path) {
    differing += sample->reference_totals()[path] != compared[path];
  }
  EXPECT_EQ(differing, 0u);
}

TEST(ParameterUncertaintyRunTest, RecommendationsDrawParametersOnBothSamples) {
  const Portfolio portfolio = WithErrors(MixedPortfolio(), 0.3, 0.02, 0.2, 0.02);
  Engine engine(WithThreads(2));
  RecommendOptions options;
  options.simulation = Seeded(2'000, 71, true);
  const auto with = RecommendTiers(engine, portfolio, options);
  options.simulation.parameter_uncertainty = false;
  const auto without = RecommendTiers(engine, portfolio, options);
  ASSERT_TRUE(with.ok() && without.ok()) << with.status() << without.status();
  EXPECT_EQ(with->validation.outcomes[0].parameter_draw_partners, 9u);
  EXPECT_NE(with->validation.outcomes[0].revenue_std_dev,
            without->validation.outcomes[0].revenue_std_dev);
}

// The largest accepted errors on a long, growing horizon, with DEALS partners: every
// figure stays finite.
TEST(ParameterUncertaintyRunTest, EveryOutputStaysFiniteAtTheLargestAcceptedErrors) {
  Portfolio portfolio = MixedPortfolio();
  portfolio.periods = 60;
  portfolio.seasonality.clear();
  for (Partner& p : portfolio.partners) {
    // DEALS partners grow less: their expected deals per period are limited.
    p.growth_rate = p.revenue_model == RevenueModel::kDeals ? 0.05 : 0.3;
    p.volatility = 3;
    p.errors = {kMaxBaselineRevenue, kMaxGrowthRate, kMaxLift, 1};
  }
  ASSERT_TRUE(ValidatePortfolio(portfolio, Limits{}).empty())
      << ViolationsMessage(ValidatePortfolio(portfolio, Limits{}));
  Engine engine(WithThreads(2));
  SimulationOptions options = Seeded(2'000, 81, true);
  options.antithetic = true;
  const auto outcome = engine.Simulate(portfolio, Plan{}, options);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(std::isfinite(outcome->expected_revenue));
  EXPECT_TRUE(std::isfinite(outcome->revenue_std_dev));
  EXPECT_TRUE(std::isfinite(outcome->expected_shortfall));
  EXPECT_TRUE(std::isfinite(outcome->histogram.high));
  for (const double p : outcome->revenue_percentiles) EXPECT_TRUE(std::isfinite(p));
  for (const PartnerOutcome& partner : outcome->partners) {
    EXPECT_TRUE(std::isfinite(partner.expected_revenue)) << partner.partner_id;
    EXPECT_TRUE(std::isfinite(partner.engagement_uplift_interval.high)) << partner.partner_id;
    EXPECT_TRUE(std::isfinite(partner.revenue_p90)) << partner.partner_id;
  }
}

}  // namespace
}  // namespace attain
