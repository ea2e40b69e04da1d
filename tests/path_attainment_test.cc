// Tests of simulator/path_attainment.h: each path's conditional probability against an
// independent re-evaluation of the path at shifted levels, the level's law, the
// control's exact mean, and the coverage of the run's intervals on a case whose
// probability is known by quadrature.
#include "simulator/path_attainment.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/block_kernel.h"
#include "simulator/comparison_job.h"
#include "simulator/engine.h"
#include "simulator/normal_tail.h"
#include "simulator/random.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::BinomialSe;
using testing_support::MixedPortfolio;
using testing_support::WithThreads;

// The current tiers and the unassisted counterfactual, as a comparison lays them out.
std::vector<std::vector<double>> CurrentAndUnassisted(const Portfolio& portfolio) {
  return {ResolvePlan(portfolio, Plan{}).hours,
          std::vector<double>(portfolio.partners.size(), 0.0)};
}

// A portfolio's generator, evaluator and estimator (current tiers and the
// counterfactual), and block 0 of a run's paths through them, one at a time.
struct PathWalk {
  PathWalk(const Portfolio& portfolio, uint64_t seed)
      : generator(portfolio),
        evaluator(portfolio, generator, CurrentAndUnassisted(portfolio), 1),
        attainment(portfolio, generator, evaluator, AttainmentEstimator::kConditional),
        engine(BlockSeed(seed, 0)),
        deal_rates(evaluator.deal_rate_count()) {
    generator.Prepare(draws);
    evaluator.Prepare(revenue);
  }
  // Draws the next path, evaluates it and fills in its attainment.
  void Next() {
    generator.Generate(engine, draws);
    evaluator.Evaluate(draws, revenue, deal_rates);
    attainment.Fill(draws, deal_rates, revenue, scratch);
  }

  const PathGenerator generator;
  const PathEvaluator evaluator;
  const PathAttainment attainment;
  BlockEngine engine;
  PathDraws draws;
  std::vector<PathRevenue> revenue;
  std::vector<double> deal_rates;
  PathAttainment::Scratch scratch;
};

// The x with P(Z >= x) = p, by bisection (the tail is decreasing).
double TailInverse(double p) {
  double low = -9;
  double high = 9;
  for (int i = 0; i < 200 && high - low > 1e-13; ++i) {
    const double mid = 0.5 * (low + high);
    (NormalUpperTail(mid) > p ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

// The path's revenue under scenario s with every shock moved by the level shift d:
// partner i's shocks times exp(k_i d), the deals re-walked by the evaluator itself.
double RevenueAtShift(const PathGenerator& generator, const PathEvaluator& evaluator,
                      const PathAttainment& attainment, const PathDraws& draws, size_t s,
                      double d) {
  PathDraws shifted = draws;
  const size_t periods = generator.periods();
  for (size_t i = 0; i < generator.partner_count(); ++i) {
    for (size_t t = 0; t < periods; ++t) {
      shifted.shock[i * periods + t] *= std::exp(attainment.level_loading(i) * d);
    }
  }
  std::vector<PathRevenue> revenue;
  evaluator.Prepare(revenue);
  evaluator.Evaluate(shifted, revenue);
  return revenue[s].total;
}

TEST(PathAttainmentTest, EachPathsProbabilityIsTheTailAtTheLevelWhereRevenueReachesTheQuota) {
  const Portfolio portfolio = MixedPortfolio();  // segments, deals, churn, lift, ramp
  PathWalk walk(portfolio, 11);
  ASSERT_TRUE(walk.attainment.conditional());
  const std::vector<PathRevenue>& revenue = walk.revenue;
  size_t interior = 0;
  size_t certain = 0;
  for (int path = 0; path < 400; ++path) {
    walk.Next();
    const double level = walk.attainment.Level(walk.draws);
    for (size_t s = 0; s < revenue.size(); ++s) {
      const double p = revenue[s].attainment;
      ASSERT_GE(p, 0);
      ASSERT_LE(p, 1);
      const auto revenue_at = [&](double d) {
        return RevenueAtShift(walk.generator, walk.evaluator, walk.attainment, walk.draws, s, d);
      };
      if (p > 1e-6 && p < 1 - 1e-6) {
        ++interior;
        const double root = TailInverse(p) - level;  // d*
        EXPECT_LT(revenue_at(root - 1e-6), portfolio.quota) << "path " << path << " s " << s;
        EXPECT_GE(revenue_at(root + 1e-6), portfolio.quota) << "path " << path << " s " << s;
      } else if (p == 1) {
        ++certain;
        EXPECT_GE(revenue_at(-kLevelBound - level), portfolio.quota);
      } else if (p == 0) {
        ++certain;
        EXPECT_LT(revenue_at(kLevelBound - level), portfolio.quota);
      }
    }
  }
  EXPECT_GT(interior, 500u);  // most paths' probabilities are neither 0 nor 1
  EXPECT_LT(certain, 100u);
}

TEST(PathAttainmentTest, TheLevelIsAStandardNormalAndTheControlsHaveTheirExactMeans) {
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool(2);
  const std::vector<ResolvedPlan> plans = {ResolvePlan(portfolio, Plan{})};
  SimulationOptions options;
  options.paths = 40'000;
  options.attainment_estimator = AttainmentEstimator::kConditional;
  ComparisonJob job(portfolio, plans, options, /*seed=*/5, /*sample_paths=*/16, pool);
  ASSERT_TRUE(RunBlocks(pool, job, job.block_count(), nullptr, {}).ok());
  ASSERT_TRUE(job.controlled_attainment());
  const auto expect_mean = [](const std::vector<double>& values, double mean, const char* what) {
    const double n = static_cast<double>(values.size());
    double sum = 0;
    for (const double v : values) sum += v;
    double squares = 0;
    for (const double v : values) squares += (v - sum / n) * (v - sum / n);
    const double se = std::sqrt(squares / (n - 1) / n);
    EXPECT_NEAR(sum / n, mean, 4 * se) << what;
  };
  expect_mean(job.totals().plans[0].attainment_control, job.ControlMean(0), "plan");
  expect_mean(job.totals().unassisted_attainment_control, job.ControlMean(1), "unassisted");

  // The level of block 0's paths, and of as many again from other blocks.
  PathWalk walk(portfolio, 5);
  const int n = 20'000;
  double sum = 0;
  double squares = 0;
  for (int path = 0; path < n; ++path) {
    if (path % static_cast<int>(kPathsPerBlock) == 0) {
      walk.engine = BlockEngine(BlockSeed(5, static_cast<uint64_t>(path) / kPathsPerBlock));
    }
    walk.generator.Generate(walk.engine, walk.draws);
    const double level = walk.attainment.Level(walk.draws);
    sum += level;
    squares += level * level;
  }
  EXPECT_NEAR(sum / n, 0, 4 / std::sqrt(n));
  EXPECT_NEAR(squares / n, 1, 4 * std::sqrt(2.0 / n));
}

TEST(PathAttainmentTest, WithoutALoadingOnAnyFactorEachPathGivesItsIndicator) {
  Portfolio portfolio = MixedPortfolio();
  for (Partner& p : portfolio.partners) {
    p.market_correlation = 0;
    p.segment.clear();
  }
  PathWalk walk(portfolio, 3);
  EXPECT_FALSE(walk.attainment.conditional());
  EXPECT_FALSE(walk.attainment.controlled());
  for (int path = 0; path < 200; ++path) {
    walk.Next();
    for (const PathRevenue& r : walk.revenue) {
      EXPECT_EQ(r.attainment, r.total >= portfolio.quota ? 1.0 : 0.0);
    }
  }
}

// Two LOGNORMAL partners over one period, without churn or lift: P(R1 + R2 >= Q) is one
// integral over partner 1's normal z1 (partner 2's, given it, is normal with mean rho z1
// and variance 1 - rho^2), here by Simpson's rule.
struct TwoPartners {
  Portfolio portfolio;
  double probability = 0;
};

TwoPartners TwoPartnerCase() {
  TwoPartners out;
  Portfolio& portfolio = out.portfolio;
  portfolio.periods = 1;
  portfolio.capacity_hours = 100;
  const double baseline[] = {60'000, 40'000};
  const double volatility[] = {0.3, 0.5};
  const double market[] = {0.4, 0.6};
  const std::string ids[] = {"A", "B"};
  for (int i = 0; i < 2; ++i) {
    Partner p;
    p.id = ids[i];
    p.tier = Tier::kMaintain;
    p.baseline_revenue = baseline[i];
    p.volatility = volatility[i];
    p.market_correlation = market[i];
    p.max_lift = 0;
    p.churn_rate = 0;
    portfolio.partners.push_back(p);
  }
  portfolio.quota = 110'000;
  const double rho = std::sqrt(market[0] * market[1]);
  const auto tail = [](double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); };
  const int steps = 40'000;  // even
  const double from = -10;
  const double h = 20.0 / steps;
  double integral = 0;
  for (int j = 0; j <= steps; ++j) {
    const double z1 = from + j * h;
    const double r1 = baseline[0] * std::exp(volatility[0] * z1 - 0.5 * volatility[0] * volatility[0]);
    const double rest = portfolio.quota - r1;
    double p2 = 1;
    if (rest > 0) {
      const double z2 = (std::log(rest / baseline[1]) + 0.5 * volatility[1] * volatility[1]) /
                        volatility[1];
      p2 = tail((z2 - rho * z1) / std::sqrt(1 - rho * rho));
    }
    const double weight = (j == 0 || j == steps) ? 1 : (j % 2 == 1 ? 4 : 2);
    integral += weight * p2 * std::exp(-0.5 * z1 * z1) / std::sqrt(2 * M_PI);
  }
  out.probability = integral * h / 3;
  return out;
}

TEST(PathAttainmentTest, NinetyFivePercentIntervalsCoverTheKnownProbabilityOverTwoHundredSeeds) {
  const TwoPartners known = TwoPartnerCase();
  ASSERT_GT(known.probability, 0.2);
  ASSERT_LT(known.probability, 0.8);
  Engine engine(WithThreads(2));
  for (const AttainmentEstimator estimator :
       {AttainmentEstimator::kConditional, AttainmentEstimator::kPathCount}) {
    int covered = 0;
    double error_sum = 0;
    for (uint64_t seed = 1; seed <= 200; ++seed) {
      SimulationOptions options;
      options.paths = 2'048;
      options.seed = seed;
      options.attainment_estimator = estimator;
      const auto outcome = engine.Simulate(known.portfolio, Plan{}, options);
      ASSERT_TRUE(outcome.ok()) << outcome.status();
      ASSERT_EQ(outcome->attainment_estimator, estimator);
      const Interval& interval = outcome->attainment_interval;
      EXPECT_LE(interval.low, outcome->attainment_probability);
      EXPECT_GE(interval.high, outcome->attainment_probability);
      covered += interval.low <= known.probability && known.probability <= interval.high;
      error_sum += outcome->attainment_probability - known.probability;
    }
    const bool conditional = estimator == AttainmentEstimator::kConditional;
    const char* name = conditional ? "conditional" : "path count";
    // 92-98%: about two standard errors of a share of 200 either side of 95%.
    EXPECT_GE(covered, 184) << name;
    EXPECT_LE(covered, 196) << name;
    // No bias: the mean error over 200 seeds is within 4 standard errors of 0 (each
    // seed's error is at most a plain run's, whose standard error BinomialSe gives).
    EXPECT_NEAR(error_sum / 200, 0, 4 * BinomialSe(known.probability, 2'048) / std::sqrt(200.0))
        << name;
  }
}

}  // namespace
}  // namespace attain
