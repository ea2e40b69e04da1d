// Tests of simulator/summary.h: the histogram, and every figure of a summarized
// comparison recomputed here from the job's totals (and, for what the totals keep only
// as sums, from the same paths run again through the block kernel): P(attain) with its
// Wilson interval, mean, standard error and deviation, percentiles, shortfall, periods,
// partners and the paired differences, with and without antithetic pairs.
#include "simulator/summary.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/block_kernel.h"
#include "simulator/block_runner.h"
#include "simulator/comparison_job.h"
#include "simulator/path_evaluator.h"
#include "simulator/path_generator.h"
#include "simulator/worker_pool.h"
#include "tests/test_portfolios.h"

namespace attain {
namespace {

using testing_support::MixedPortfolio;

// ---- MakeHistogram ----

uint64_t Total(const Histogram& histogram) {
  uint64_t total = 0;
  for (const uint64_t count : histogram.path_counts) total += count;
  return total;
}

TEST(MakeHistogramTest, ValuesFallInFortyEqualWidthBinsAndTheTopBinIncludesHigh) {
  // Width 1 over [0, 40]: a value on an inner edge opens the next bin.
  const std::vector<double> values = {0, 0.999, 1, 1.5, 20, 38.999, 39, 39.5, 40};
  const Histogram histogram = MakeHistogram(0, 40, values);
  EXPECT_EQ(histogram.low, 0);
  EXPECT_EQ(histogram.high, 40);
  ASSERT_EQ(histogram.path_counts.size(), static_cast<size_t>(kHistogramBins));
  std::vector<uint64_t> expected(kHistogramBins, 0);
  expected[0] = 2;   // 0, 0.999
  expected[1] = 2;   // 1, 1.5
  expected[20] = 1;  // 20
  expected[38] = 1;  // 38.999
  expected[39] = 3;  // 39, 39.5 and 40, the top edge
  EXPECT_EQ(histogram.path_counts, expected);
}

TEST(MakeHistogramTest, BinsSpanLowToHighWhereverLowIs) {
  // Width 10 over [100, 500].
  const std::vector<double> values = {100, 109.5, 110, 255, 489.9, 490, 500};
  const Histogram histogram = MakeHistogram(100, 500, values);
  std::vector<uint64_t> expected(kHistogramBins, 0);
  expected[0] = 2;
  expected[1] = 1;
  expected[15] = 1;
  expected[38] = 1;
  expected[39] = 2;
  EXPECT_EQ(histogram.path_counts, expected);
  EXPECT_EQ(histogram.low, 100);
  EXPECT_EQ(histogram.high, 500);
}

TEST(MakeHistogramTest, AConstantSampleFillsOneBin) {
  const std::vector<double> values(37, 7.25);
  const Histogram histogram = MakeHistogram(7.25, 7.25, values);
  ASSERT_EQ(histogram.path_counts.size(), static_cast<size_t>(kHistogramBins));
  EXPECT_EQ(Total(histogram), 37u);
  EXPECT_EQ(std::count(histogram.path_counts.begin(), histogram.path_counts.end(), 0u),
            kHistogramBins - 1);
  EXPECT_EQ(histogram.low, 7.25);
  EXPECT_EQ(histogram.high, 7.25);
}

// ---- Summarize ----

// Each path's partner revenue under each scenario (the plans, then the counterfactual),
// run again through a block kernel over the job's draws: [scenario][partner][path].
std::vector<std::vector<std::vector<double>>> PartnerRevenueByPath(
    const Portfolio& portfolio, const std::vector<ResolvedPlan>& plans, bool antithetic,
    uint64_t seed, uint64_t paths) {
  std::vector<std::vector<double>> hours;
  for (const ResolvedPlan& plan : plans) hours.push_back(plan.hours);
  hours.emplace_back(portfolio.partners.size(), 0.0);
  const PathGenerator generator(portfolio);
  const PathEvaluator evaluator(portfolio, generator, hours, plans.size());
  const BlockKernel kernel(generator, evaluator, antithetic);
  class Sink final : public PathSink {
   public:
    Sink(size_t scenarios, size_t partners, uint64_t paths)
        : revenue(scenarios, std::vector<std::vector<double>>(partners,
                                                             std::vector<double>(paths))) {}
    void Add(uint64_t first_path, std::span<const std::vector<PathRevenue>> unit) override {
      for (size_t c = 0; c < unit.size(); ++c) {
        for (size_t s = 0; s < revenue.size(); ++s) {
          for (size_t i = 0; i < revenue[s].size(); ++i) {
            revenue[s][i][first_path + c] = unit[c][s].partner_revenue[i];
          }
        }
      }
    }
    std::vector<std::vector<std::vector<double>>> revenue;
  } sink(hours.size(), portfolio.partners.size(), paths);
  const std::atomic<bool> abort{false};
  for (uint64_t b = 0; b < BlockCount(paths); ++b) {
    EXPECT_TRUE(kernel.Run(seed, b, paths, abort, sink));
  }
  return std::move(sink.revenue);
}

// Mean and standard error over units: paths, or antithetic pairs averaged.
struct MeanAndError {
  double mean = 0;
  double std_error = 0;
};
MeanAndError OverUnits(const std::vector<double>& per_path, bool pairs) {
  std::vector<double> units;
  if (pairs) {
    for (size_t j = 0; j + 1 < per_path.size(); j += 2) {
      units.push_back(0.5 * (per_path[j] + per_path[j + 1]));
    }
  } else {
    units = per_path;
  }
  const double n = static_cast<double>(units.size());
  double sum = 0;
  for (const double u : units) sum += u;
  const double mean = sum / n;
  double squares = 0;
  for (const double u : units) squares += (u - mean) * (u - mean);
  return {mean, std::sqrt(squares / (n - 1) / n)};
}

// The 95% Wilson score interval for p over n trials.
Interval Wilson(double p, double n) {
  const double z = 1.959963984540054;
  const double center = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

// NumPy's default percentile (type 7) by sorting.
double SortedQuantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double rank = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (rank - std::floor(rank)) * (values[above] - values[below]);
}

std::vector<double> Indicators(const std::vector<double>& revenue, double quota) {
  std::vector<double> hits;
  for (const double r : revenue) hits.push_back(r >= quota ? 1.0 : 0.0);
  return hits;
}

void ExpectRelativelyNear(double actual, double expected, double tolerance,
                          const std::string& what) {
  EXPECT_NEAR(actual, expected, tolerance * (1 + std::abs(expected))) << what;
}

// The comparison every Summarize test runs: the current plan and "invest all" (over
// capacity) on the mixed portfolio.
std::vector<ResolvedPlan> TwoPlans(const Portfolio& portfolio) {
  Plan current;
  current.name = "current";
  Plan invest_all;
  invest_all.name = "invest all";
  for (const Partner& p : portfolio.partners) invest_all.tiers[p.id] = Tier::kInvest;
  return {ResolvePlan(portfolio, current), ResolvePlan(portfolio, invest_all)};
}

// The control-variate estimate from first principles, over units: beta = cov(y, c) /
// var(c), mean = mean(y) - beta (mean(c) - mu), and the standard error of a regression's
// prediction at c = mu: s^2 (1/n + (mean(c) - mu)^2 / Sxx), s^2 the residuals' over n - 2.
struct Controlled {
  double mean = 0;
  double std_error = 0;
  double beta = 0;
};

Controlled WithControl(const std::vector<double>& y_paths, const std::vector<double>& c_paths,
                       double mu, bool pairs) {
  std::vector<double> y;
  std::vector<double> c;
  const size_t step = pairs ? 2 : 1;
  for (size_t p = 0; p + step <= y_paths.size(); p += step) {
    y.push_back(pairs ? 0.5 * (y_paths[p] + y_paths[p + 1]) : y_paths[p]);
    c.push_back(pairs ? 0.5 * (c_paths[p] + c_paths[p + 1]) : c_paths[p]);
  }
  const double n = static_cast<double>(y.size());
  double y_mean = 0;
  double c_mean = 0;
  for (size_t u = 0; u < y.size(); ++u) {
    y_mean += y[u] / n;
    c_mean += c[u] / n;
  }
  double sxx = 0;
  double sxy = 0;
  double syy = 0;
  for (size_t u = 0; u < y.size(); ++u) {
    sxx += (c[u] - c_mean) * (c[u] - c_mean);
    sxy += (c[u] - c_mean) * (y[u] - y_mean);
    syy += (y[u] - y_mean) * (y[u] - y_mean);
  }
  Controlled out;
  out.beta = sxy / sxx;
  out.mean = y_mean - out.beta * (c_mean - mu);
  const double s2 = (syy - out.beta * sxy) / (n - 2);
  out.std_error = std::sqrt(s2 * (1 / n + (c_mean - mu) * (c_mean - mu) / sxx));
  return out;
}

// A path's attainment is its indicator of reaching the quota under path counts, and a
// probability in [0, 1] under the conditional estimator: 1 (or nearly) where the path
// reaches the quota by far, 0 (or nearly) where it falls far short.
void ExpectAttainmentOfPaths(const ComparisonJob& job, const std::vector<double>& revenue,
                             const std::vector<double>& attainment) {
  const double quota = job.portfolio().quota;
  ASSERT_EQ(attainment.size(), revenue.size());
  if (!job.conditional_attainment()) {
    EXPECT_EQ(attainment, Indicators(revenue, quota));
    return;
  }
  size_t strictly_between = 0;
  for (size_t p = 0; p < revenue.size(); ++p) {
    ASSERT_GE(attainment[p], 0) << "path " << p;
    ASSERT_LE(attainment[p], 1) << "path " << p;
    if (revenue[p] > 2 * quota) {
      EXPECT_GT(attainment[p], 0.99) << "path " << p;
    }
    if (revenue[p] < 0.5 * quota) {
      EXPECT_LT(attainment[p], 0.01) << "path " << p;
    }
    strictly_between += attainment[p] > 0 && attainment[p] < 1;
  }
  EXPECT_GT(strictly_between, revenue.size() / 2);  // smooth, not indicators
}

// Checks `comparison` against figures recomputed from `job`'s totals and from the paths
// rerun through the kernel; `sample_paths` is what the partner percentiles must cover.
void ExpectSummaryOf(const ComparisonJob& job, const Comparison& comparison,
                     uint64_t sample_paths) {
  const Portfolio& portfolio = job.portfolio();
  const RunSums& totals = job.totals();
  const bool pairs = job.options().antithetic;
  const double quota = portfolio.quota;
  const uint64_t paths = totals.paths;
  const double n = static_cast<double>(paths);
  const auto by_path =
      PartnerRevenueByPath(portfolio, job.plans(), pairs, job.seed(), paths);
  const size_t unassisted = job.plans().size();

  ASSERT_EQ(comparison.outcomes.size(), job.plans().size());
  for (size_t k = 0; k < job.plans().size(); ++k) {
    const PlanOutcome& out = comparison.outcomes[k];
    const ResolvedPlan& plan = job.plans()[k];
    const std::vector<double>& revenue = totals.plans[k].revenue;
    ASSERT_EQ(revenue.size(), paths);
    const std::string plan_name = "plan " + std::to_string(k) + ": ";
    EXPECT_EQ(out.plan_name, plan.name);

    // P(attain): the mean of the paths' attainment, with its normal interval
    // (conditional) or its Wilson interval (path count; with pairs, over the effective
    // sample size).
    const std::vector<double>& attainment = totals.plans[k].attainment;
    ExpectAttainmentOfPaths(job, revenue, attainment);
    const MeanAndError hits = OverUnits(attainment, pairs);
    EXPECT_EQ(out.attainment_estimator, job.conditional_attainment()
                                            ? AttainmentEstimator::kConditional
                                            : AttainmentEstimator::kPathCount);
    if (job.controlled_attainment()) {
      const Controlled controlled =
          WithControl(attainment, totals.plans[k].attainment_control, job.ControlMean(k), pairs);
      EXPECT_NEAR(out.attainment_probability, controlled.mean, 1e-9) << plan_name;
      EXPECT_NEAR(out.attainment_interval.low, controlled.mean - kZ95 * controlled.std_error,
                  1e-9);
      EXPECT_NEAR(out.attainment_interval.high, controlled.mean + kZ95 * controlled.std_error,
                  1e-9);
      // Away from 0 and 1 the control takes out most of what the conditional
      // probabilities vary (of single paths: antithetic pairs take out much the same).
      if (!pairs && hits.mean > 0.2 && hits.mean < 0.8) {
        EXPECT_LT(controlled.std_error, 0.5 * hits.std_error) << plan_name;
      }
    } else if (job.conditional_attainment()) {
      EXPECT_NEAR(out.attainment_probability, hits.mean, 1e-12) << plan_name;
      EXPECT_NEAR(out.attainment_interval.low, hits.mean - kZ95 * hits.std_error, 1e-9);
      EXPECT_NEAR(out.attainment_interval.high, hits.mean + kZ95 * hits.std_error, 1e-9);
    } else {
      EXPECT_NEAR(out.attainment_probability, hits.mean, 1e-12) << plan_name;
      const double effective =
          pairs ? hits.mean * (1 - hits.mean) / (hits.std_error * hits.std_error) : n;
      const Interval wilson = Wilson(hits.mean, effective);
      EXPECT_NEAR(out.attainment_interval.low, wilson.low, 1e-9) << plan_name;
      EXPECT_NEAR(out.attainment_interval.high, wilson.high, 1e-9) << plan_name;
    }

    // Mean and its standard error over units; standard deviation over paths.
    const MeanAndError mean = OverUnits(revenue, pairs);
    ExpectRelativelyNear(out.expected_revenue, mean.mean, 1e-12, plan_name + "mean");
    ExpectRelativelyNear(out.expected_revenue_std_error, mean.std_error, 1e-8,
                         plan_name + "standard error");
    double squares = 0;
    double shortfall = 0;
    for (const double r : revenue) {
      squares += (r - mean.mean) * (r - mean.mean);
      shortfall += std::max(0.0, quota - r);
    }
    ExpectRelativelyNear(out.revenue_std_dev, std::sqrt(squares / (n - 1)), 1e-10,
                         plan_name + "standard deviation");
    ExpectRelativelyNear(out.expected_shortfall, shortfall / n, 1e-12, plan_name + "shortfall");
    for (size_t q = 0; q < kRevenuePercentiles.size(); ++q) {
      ExpectRelativelyNear(out.revenue_percentiles[q],
                           SortedQuantile(revenue, kRevenuePercentiles[q] / 100), 1e-12,
                           plan_name + "percentile " + std::to_string(kRevenuePercentiles[q]));
    }
    EXPECT_EQ(out.histogram.low, *std::min_element(revenue.begin(), revenue.end()));
    EXPECT_EQ(out.histogram.high, *std::max_element(revenue.begin(), revenue.end()));
    EXPECT_EQ(Total(out.histogram), paths);

    // Periods: cumulative means, thresholds by seasonality share, on-track frequencies.
    ASSERT_EQ(out.periods.size(), static_cast<size_t>(portfolio.periods));
    double season_total = 0;
    for (int t = 1; t <= portfolio.periods; ++t) season_total += portfolio.Seasonality(t);
    double cumulative = 0;
    double season = 0;
    for (size_t t = 0; t < out.periods.size(); ++t) {
      cumulative += totals.plans[k].period_revenue[t];
      season += portfolio.Seasonality(static_cast<int>(t + 1));
      const PeriodOutcome& period = out.periods[t];
      EXPECT_EQ(period.period, static_cast<int>(t + 1));
      ExpectRelativelyNear(period.expected_cumulative_revenue, cumulative / n, 1e-12,
                           plan_name + "period " + std::to_string(t + 1));
      ExpectRelativelyNear(period.on_track_threshold, quota * season / season_total, 1e-12,
                           plan_name + "threshold " + std::to_string(t + 1));
      EXPECT_NEAR(period.on_track_probability,
                  static_cast<double>(totals.plans[k].on_track[t]) / n, 1e-15);
    }
    ExpectRelativelyNear(out.periods.back().expected_cumulative_revenue, mean.mean, 1e-9,
                         plan_name + "last period's cumulative revenue is E[R]");

    // Partners.
    ASSERT_EQ(out.partners.size(), portfolio.partners.size());
    double shares = 0;
    for (size_t i = 0; i < out.partners.size(); ++i) {
      const PartnerOutcome& partner = out.partners[i];
      const std::string who = plan_name + portfolio.partners[i].id + " ";
      EXPECT_EQ(partner.partner_id, portfolio.partners[i].id);
      EXPECT_EQ(partner.tier, plan.tiers[i]);
      EXPECT_EQ(partner.hours, plan.hours[i]);
      const double expected = totals.plans[k].partner_revenue[i] / n;
      const double unassisted_expected = totals.unassisted_partner_revenue[i] / n;
      ExpectRelativelyNear(partner.expected_revenue, expected, 1e-12, who + "revenue");
      ExpectRelativelyNear(partner.unassisted_expected_revenue, unassisted_expected, 1e-12,
                           who + "unassisted revenue");
      // Uplift: the paired mean of assisted - unassisted, and its normal interval.
      std::vector<double> uplift(paths);
      for (uint64_t p = 0; p < paths; ++p) {
        uplift[p] = by_path[k][i][p] - by_path[unassisted][i][p];
      }
      const MeanAndError paired = OverUnits(uplift, pairs);
      const double scale = expected;  // uplift's rounding is relative to revenue
      EXPECT_NEAR(partner.engagement_uplift, paired.mean, 1e-11 * scale) << who << "uplift";
      EXPECT_NEAR(partner.engagement_uplift, expected - unassisted_expected, 1e-9 * scale)
          << who << "uplift is the difference of the means";
      EXPECT_NEAR(partner.engagement_uplift_interval.low, paired.mean - kZ95 * paired.std_error,
                  1e-8 * scale)
          << who << "uplift interval";
      EXPECT_NEAR(partner.engagement_uplift_interval.high, paired.mean + kZ95 * paired.std_error,
                  1e-8 * scale)
          << who << "uplift interval";
      const double periods = static_cast<double>(portfolio.periods);
      EXPECT_NEAR(partner.uplift_per_hour,
                  plan.hours[i] > 0 ? partner.engagement_uplift / (plan.hours[i] * periods) : 0,
                  1e-12 * scale)
          << who << "uplift per hour";
      EXPECT_NEAR(partner.dormancy_probability,
                  static_cast<double>(totals.plans[k].partner_dormant[i]) / n, 1e-15)
          << who << "dormancy";
      ExpectRelativelyNear(partner.revenue_share, expected / out.expected_revenue, 1e-12,
                           who + "share");
      shares += partner.revenue_share;
      // P10 and P90 of the first `sample_paths` paths, as floats.
      std::vector<double> sample;
      for (uint64_t p = 0; p < sample_paths; ++p) {
        sample.push_back(static_cast<float>(by_path[k][i][p]));
      }
      ExpectRelativelyNear(partner.revenue_p10, SortedQuantile(sample, 0.10), 1e-9, who + "P10");
      ExpectRelativelyNear(partner.revenue_p90, SortedQuantile(sample, 0.90), 1e-9, who + "P90");
    }
    EXPECT_NEAR(shares, 1, 1e-9) << plan_name;

    // The counterfactual and the bookkeeping.
    const MeanAndError unassisted_mean = OverUnits(totals.unassisted_revenue, pairs);
    ExpectRelativelyNear(out.unassisted_expected_revenue, unassisted_mean.mean, 1e-12,
                         plan_name + "unassisted mean");
    ExpectAttainmentOfPaths(job, totals.unassisted_revenue, totals.unassisted_attainment);
    const size_t counterfactual = job.plans().size();
    EXPECT_NEAR(out.unassisted_attainment_probability,
                job.controlled_attainment()
                    ? WithControl(totals.unassisted_attainment,
                                  totals.unassisted_attainment_control,
                                  job.ControlMean(counterfactual), pairs)
                          .mean
                    : OverUnits(totals.unassisted_attainment, pairs).mean,
                1e-9);
    EXPECT_EQ(out.hours_used, plan.hours_used);
    EXPECT_EQ(out.capacity_hours, portfolio.capacity_hours);
    EXPECT_EQ(out.over_capacity, plan.hours_used > portfolio.capacity_hours);
    EXPECT_EQ(out.paths, paths);
    EXPECT_EQ(out.seed, job.seed());
    EXPECT_EQ(out.antithetic, pairs);
    EXPECT_EQ(out.partner_percentile_paths, sample_paths);
  }

  // Differences to the first plan, paired path by path (or pair by pair).
  ASSERT_EQ(comparison.differences.size(), job.plans().size() - 1);
  const std::vector<double>& base = totals.plans[0].revenue;
  std::vector<double> betas;
  for (size_t k = 0; k < job.plans().size() && job.controlled_attainment(); ++k) {
    betas.push_back(WithControl(totals.plans[k].attainment, totals.plans[k].attainment_control,
                                job.ControlMean(k), pairs)
                        .beta);
  }
  for (size_t k = 1; k < job.plans().size(); ++k) {
    const PlanDifference& difference = comparison.differences[k - 1];
    const std::vector<double>& revenue = totals.plans[k].revenue;
    std::vector<double> gain(paths);
    std::vector<double> hit_gain(paths);
    for (uint64_t p = 0; p < paths; ++p) {
      gain[p] = revenue[p] - base[p];
      hit_gain[p] = totals.plans[k].attainment[p] - totals.plans[0].attainment[p];
      if (job.controlled_attainment()) {  // each less its control's regression
        hit_gain[p] -= betas[k] * (totals.plans[k].attainment_control[p] - job.ControlMean(k)) -
                       betas[0] * (totals.plans[0].attainment_control[p] - job.ControlMean(0));
      }
    }
    const MeanAndError g = OverUnits(gain, pairs);
    const MeanAndError h = OverUnits(hit_gain, pairs);
    EXPECT_EQ(difference.plan_name, job.plans()[k].name);
    EXPECT_EQ(difference.baseline_plan_name, job.plans()[0].name);
    const double scale = comparison.outcomes[0].expected_revenue;
    EXPECT_NEAR(difference.expected_revenue_difference, g.mean, 1e-12 * scale);
    EXPECT_NEAR(difference.expected_revenue_difference_interval.low,
                g.mean - kZ95 * g.std_error, 1e-9 * scale);
    EXPECT_NEAR(difference.expected_revenue_difference_interval.high,
                g.mean + kZ95 * g.std_error, 1e-9 * scale);
    EXPECT_NEAR(difference.attainment_probability_difference, h.mean, 1e-12);
    EXPECT_NEAR(difference.attainment_probability_difference_interval.low,
                h.mean - kZ95 * h.std_error, 1e-9);
    EXPECT_NEAR(difference.attainment_probability_difference_interval.high,
                h.mean + kZ95 * h.std_error, 1e-9);
  }
}

SimulationOptions Options(uint64_t paths, bool antithetic,
                          AttainmentEstimator estimator = AttainmentEstimator::kConditional) {
  SimulationOptions options;
  options.paths = paths;
  options.antithetic = antithetic;
  options.attainment_estimator = estimator;
  return options;
}

// MixedPortfolio's two plans (TwoPlans), run to the end on a pool of `threads`: the job
// Summarize reads.
struct FinishedRun {
  FinishedRun(const SimulationOptions& options, uint64_t seed, size_t sample_paths,
              int threads = 2)
      : pool(threads), job(portfolio, TwoPlans(portfolio), options, seed, sample_paths, pool) {
    EXPECT_TRUE(RunBlocks(pool, job, job.block_count(), nullptr, {}).ok());
  }
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool;
  ComparisonJob job;  // after the pool: destroyed before it
};

TEST(SummarizeTest, EveryFigureMatchesTheJobsTotalsRecomputed) {
  // 3,000 paths: two full blocks and a partial one. The percentile samples (2,048 paths)
  // are merged, and their selections started, during the run.
  FinishedRun run(Options(3'000, false), /*seed=*/17, /*sample_paths=*/2'048);
  ComparisonJob& job = run.job;
  EXPECT_TRUE(job.percentiles().started());
  const Comparison comparison = Summarize(job);
  ExpectSummaryOf(job, comparison, 2'048);
  // The figures are not degenerate: P(attain) is away from 0 and 1, and investing in
  // every partner changes revenue.
  EXPECT_GT(comparison.outcomes[0].attainment_probability, 0.2);
  EXPECT_LT(comparison.outcomes[0].attainment_probability, 0.8);
  EXPECT_TRUE(comparison.outcomes[1].over_capacity);
  EXPECT_NE(comparison.differences[0].expected_revenue_difference, 0);
}

TEST(SummarizeTest, PathCountsGiveTheShareOfPathsAtQuotaWithItsWilsonInterval) {
  FinishedRun run(Options(3'000, false, AttainmentEstimator::kPathCount), /*seed=*/17,
                        /*sample_paths=*/2'048);
  EXPECT_FALSE(run.job.conditional_attainment());
  ExpectSummaryOf(run.job, Summarize(run.job), 2'048);
}

TEST(SummarizeTest, PathCountsOfAntitheticPairsUseTheirEffectiveSampleSize) {
  FinishedRun run(Options(3'000, true, AttainmentEstimator::kPathCount), /*seed=*/23,
                        /*sample_paths=*/1'000);
  ExpectSummaryOf(run.job, Summarize(run.job), 1'000);
}

TEST(SummarizeTest, AntitheticPairsAreTheUnitsOfEveryVarianceAndInterval) {
  FinishedRun run(Options(3'000, true), /*seed=*/23, /*sample_paths=*/1'000);
  ComparisonJob& job = run.job;
  const Comparison comparison = Summarize(job);
  EXPECT_EQ(comparison.outcomes[0].paths, 3'000u);
  EXPECT_TRUE(comparison.outcomes[0].antithetic);
  ExpectSummaryOf(job, comparison, 1'000);
}

TEST(SummarizeTest, StartsThePercentileSelectionsOverTheRunWhenItEndedBeforeTheSamples) {
  // The samples could hold 4,096 paths but the run has 1,500: the selections have not
  // started when Summarize is called, and cover the 1,500.
  FinishedRun run(Options(1'500, false), /*seed=*/5, /*sample_paths=*/4'096,
                        /*threads=*/3);
  ComparisonJob& job = run.job;
  EXPECT_FALSE(job.percentiles().started());
  const Comparison comparison = Summarize(job);
  ExpectSummaryOf(job, comparison, 1'500);
}

TEST(SummarizeTest, ARunStoppedByItsPrecisionTargetIsSummarizedOverTheBlocksItMerged) {
  const Portfolio portfolio = MixedPortfolio();
  WorkerPool pool(2);
  SimulationOptions options = Options(1'000, false);
  options.target_ci_half_width = 0.03;  // about 1,070 paths at p = 1/2: two blocks
  options.max_paths = 50'000;
  ComparisonJob job(portfolio, TwoPlans(portfolio), options, /*seed=*/41,
                    /*sample_paths=*/8'192, pool);
  ASSERT_TRUE(
      RunBlocks(pool, job, job.block_count(), [&job] { return job.PrecisionReached(); }, {})
          .ok());
  const uint64_t paths = job.totals().paths;
  EXPECT_LT(paths, 50'000u);
  EXPECT_EQ(paths % kPathsPerBlock, 0u);
  const Comparison comparison = Summarize(job);
  for (const PlanOutcome& out : comparison.outcomes) {
    EXPECT_LE(out.attainment_interval.HalfWidth(), 0.03) << out.plan_name;
  }
  ExpectSummaryOf(job, comparison, std::min<uint64_t>(paths, 8'192));
}

}  // namespace
}  // namespace attain
