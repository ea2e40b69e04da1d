// Tests of simulator/path_evaluator.h on generated paths: independence of scenarios
// (common random numbers), the coupling of deals across scenarios, dormancy, the
// unassisted counterfactual, which scenarios get period detail, and the model's
// expectations. Statistical checks use fixed seeds and 4-standard-error tolerances.
#include "simulator/path_evaluator.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "simulator/path_generator.h"
#include "simulator/random.h"
#include "simulator/validation.h"

namespace attain {
namespace {

using Hours = std::vector<std::vector<double>>;  // [scenario][partner]

Partner Lognormal(std::string id, double baseline) {
  Partner p;
  p.id = std::move(id);
  p.baseline_revenue = baseline;
  return p;
}

Partner Deals(std::string id, double baseline, double mean_deal_size, double cv) {
  Partner p = Lognormal(std::move(id), baseline);
  p.revenue_model = RevenueModel::kDeals;
  p.mean_deal_size = mean_deal_size;
  p.deal_size_cv = cv;
  return p;
}

Portfolio PortfolioOf(std::vector<Partner> partners, int periods) {
  Portfolio portfolio;
  portfolio.periods = periods;
  portfolio.capacity_hours = 100;
  portfolio.partners = std::move(partners);
  return portfolio;
}

// Every feature: segments, growth, seasonality, lift and ramp, churn, both revenue models,
// deals with and without size spread.
Portfolio MixedPortfolio() {
  Partner north = Lognormal("north", 20'000);
  north.segment = "n";
  north.volatility = 0.4;
  north.growth_rate = 0.02;
  north.growth_boost = 0.01;
  north.churn_rate = 0.1;
  Partner spread = Deals("spread", 30'000, 2'500, 0.8);
  spread.volatility = 0.5;
  spread.segment = "n";
  spread.max_lift = 0.6;
  spread.churn_rate = 0.05;
  Partner even = Deals("even", 12'000, 1'000, 0.0);
  even.ramp_periods = 0;
  Partner plain = Lognormal("plain", 8'000);
  plain.churn_rate = 0;
  Portfolio portfolio = PortfolioOf({north, spread, even, plain}, 6);
  portfolio.segment_correlation = 0.2;
  portfolio.seasonality = {1.0, 1.3, 0.7, 1.1, 0.9, 1.2};
  return portfolio;
}

// A portfolio and scenarios, with one engine and the buffers of one path.
class Paths {
 public:
  Paths(Portfolio portfolio, Hours hours, size_t detailed, uint64_t seed)
      : portfolio_(std::move(portfolio)),
        generator_(Checked(portfolio_)),
        evaluator_(portfolio_, generator_, hours, detailed),
        engine_(BlockSeed(seed, 0)) {
    generator_.Prepare(draws_);
    evaluator_.Prepare(revenue_);
  }

  // Draws the next path and evaluates every scenario on it.
  void Next() {
    generator_.Generate(engine_, draws_);
    evaluator_.Evaluate(draws_, revenue_);
  }

  const Portfolio& portfolio() const { return portfolio_; }
  const PathGenerator& generator() const { return generator_; }
  const PathDraws& draws() const { return draws_; }
  const PathRevenue& operator[](size_t scenario) const { return revenue_[scenario]; }

 private:
  static const Portfolio& Checked(const Portfolio& portfolio) {
    const Violations violations = ValidatePortfolio(portfolio, Limits{});
    EXPECT_TRUE(violations.empty()) << ViolationsMessage(violations);
    return portfolio;
  }

  Portfolio portfolio_;
  PathGenerator generator_;
  PathEvaluator evaluator_;
  BlockEngine engine_;
  PathDraws draws_;
  std::vector<PathRevenue> revenue_;
};

std::vector<uint64_t> Bits(const std::vector<double>& values) {
  std::vector<uint64_t> bits;
  for (const double v : values) bits.push_back(std::bit_cast<uint64_t>(v));
  return bits;
}

// Whether partner `i` is alive in period t (1-based) under `hours`: the inverse
// transform of docs/model.md, V < (1 - q)^t.
bool Alive(const Portfolio& portfolio, size_t i, double hours, double uniform, int t) {
  const double q = ComputeEngagementEffect(portfolio, portfolio.partners[i], hours).churn_hazard;
  double survival = 1;
  for (int k = 0; k < t; ++k) survival *= 1.0 - q;
  return uniform < survival;
}

double Sum(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return sum;
}

TEST(PathEvaluatorTest, AScenarioEarnsTheSameBitsAloneAndAmongOthers) {
  const Portfolio portfolio = MixedPortfolio();
  const std::vector<double> a = {6, 16, 1, 0};
  const std::vector<double> b = {0, 0, 0, 0};
  const std::vector<double> c = {16, 3, 40, 16};
  const PathGenerator generator(portfolio);
  // Scenario a alone, in the middle of three, and last of three (and with and without
  // the others detailed).
  const PathEvaluator alone(portfolio, generator, {a}, 1);
  const PathEvaluator middle(portfolio, generator, {b, a, c}, 3);
  const PathEvaluator last(portfolio, generator, {c, b, a}, 3);
  const PathEvaluator first(portfolio, generator, {a, c, b}, 1);
  PathDraws draws;
  PathDraws mirror;
  generator.Prepare(draws);
  generator.Prepare(mirror);
  std::vector<PathRevenue> r_alone, r_middle, r_last, r_first;
  alone.Prepare(r_alone);
  middle.Prepare(r_middle);
  last.Prepare(r_last);
  first.Prepare(r_first);
  BlockEngine engine(BlockSeed(8, 1));
  double revenue_seen = 0;
  for (int path = 0; path < 2'000; ++path) {
    generator.Generate(engine, draws);
    generator.Mirror(draws, mirror);
    for (const PathDraws* d : {&draws, &mirror}) {
      alone.Evaluate(*d, r_alone);
      middle.Evaluate(*d, r_middle);
      last.Evaluate(*d, r_last);
      first.Evaluate(*d, r_first);
      const PathRevenue& expected = r_alone[0];
      for (const PathRevenue* other : {&r_middle[1], &r_last[2], &r_first[0]}) {
        ASSERT_EQ(Bits(other->partner_revenue), Bits(expected.partner_revenue)) << path;
        ASSERT_EQ(Bits(other->period_revenue), Bits(expected.period_revenue)) << path;
        ASSERT_EQ(other->dormant, expected.dormant) << path;
        ASSERT_EQ(std::bit_cast<uint64_t>(other->total), std::bit_cast<uint64_t>(expected.total));
      }
      revenue_seen += expected.total;
    }
  }
  EXPECT_GT(revenue_seen, 0);
}

TEST(PathEvaluatorTest, ADealsPartnerWithMoreHoursClosesTheSameDealsAndMore) {
  // No churn, so the partner is alive in every scenario: the scenario with more hours has
  // a larger expected deal count in every period (lift and growth boost), so it closes
  // the same deals as one with fewer hours and maybe more. Scenarios are listed out of
  // order, and 6 hours twice (equal lambdas: equal revenue).
  Partner p = Deals("d", 40'000, 3'000, 0.7);
  p.volatility = 0.5;
  p.churn_rate = 0;
  p.max_lift = 1.0;
  p.growth_boost = 0.05;
  p.ramp_periods = 3;
  const std::vector<double> hours = {6, 0, 16, 2, 6};
  Hours scenario_hours;
  for (const double h : hours) scenario_hours.push_back({h});
  Paths paths(PortfolioOf({p}, 5), scenario_hours, hours.size(), 21);
  std::vector<size_t> by_hours = {1, 3, 0, 4, 2};  // 0, 2, 6, 6, 16 hours
  int strictly_more = 0;
  int cells_with_deals = 0;
  for (int path = 0; path < 5'000; ++path) {
    paths.Next();
    for (size_t t = 0; t < 5; ++t) {
      for (size_t k = 0; k + 1 < by_hours.size(); ++k) {
        const double fewer = paths[by_hours[k]].period_revenue[t];
        const double more = paths[by_hours[k + 1]].period_revenue[t];
        ASSERT_GE(more, fewer) << "path " << path << " period " << t + 1 << ": "
                               << hours[by_hours[k + 1]] << " hours vs " << hours[by_hours[k]];
        strictly_more += more > fewer;
      }
      cells_with_deals += paths[1].period_revenue[t] > 0;
      EXPECT_EQ(paths[0].period_revenue[t], paths[4].period_revenue[t]);
    }
    for (size_t k = 0; k + 1 < by_hours.size(); ++k) {
      ASSERT_GE(paths[by_hours[k + 1]].partner_revenue[0], paths[by_hours[k]].partner_revenue[0]);
    }
  }
  // Not vacuous: unassisted deals happen, and more hours often close more.
  EXPECT_GT(cells_with_deals, 10'000);
  EXPECT_GT(strictly_more, 5'000);
}

TEST(PathEvaluatorTest, EqualDealsCountsNeverShrinkWithMoreHours) {
  // Deals of one size (cv 0): revenue / m is the deal count, a whole number, and the
  // count with more hours is at least the count with fewer.
  Partner p = Deals("d", 10'000, 1'000, 0.0);
  p.volatility = 0.3;
  p.churn_rate = 0;
  p.max_lift = 2.0;
  Paths paths(PortfolioOf({p}, 3), {{0}, {30}}, 2, 4);
  for (int path = 0; path < 5'000; ++path) {
    paths.Next();
    for (size_t t = 0; t < 3; ++t) {
      const double fewer = paths[0].period_revenue[t] / 1'000;
      const double more = paths[1].period_revenue[t] / 1'000;
      ASSERT_EQ(fewer, std::round(fewer));
      ASSERT_EQ(more, std::round(more));
      ASSERT_GE(more, fewer);
    }
  }
}

TEST(PathEvaluatorTest, PartnerAndPortfolioTotalsAreTheSumsOverPeriodsAndPartners) {
  const Portfolio portfolio = MixedPortfolio();
  const Hours hours = {{0, 0, 0, 0}, {6, 16, 1, 0}, {16, 16, 16, 16}};
  // Each partner on its own: its period revenue is its own.
  for (size_t i = 0; i < portfolio.partners.size(); ++i) {
    Hours own;
    for (const std::vector<double>& h : hours) own.push_back({h[i]});
    Portfolio single = portfolio;
    single.partners = {portfolio.partners[i]};
    single.partners[0].segment.clear();
    Paths paths(single, own, own.size(), 50 + i);
    for (int path = 0; path < 500; ++path) {
      paths.Next();
      for (size_t s = 0; s < own.size(); ++s) {
        ASSERT_DOUBLE_EQ(paths[s].partner_revenue[0], Sum(paths[s].period_revenue))
            << single.partners[0].id << " scenario " << s;
        ASSERT_DOUBLE_EQ(paths[s].total, paths[s].partner_revenue[0]);
      }
    }
  }
  // All together: periods and partners add up to the same portfolio total.
  Paths paths(portfolio, hours, hours.size(), 60);
  for (int path = 0; path < 500; ++path) {
    paths.Next();
    for (size_t s = 0; s < hours.size(); ++s) {
      const double total = paths[s].total;
      EXPECT_NEAR(Sum(paths[s].partner_revenue), total, 1e-12 * total);
      EXPECT_NEAR(Sum(paths[s].period_revenue), total, 1e-12 * total);
    }
  }
}

TEST(PathEvaluatorTest, AnAliveLognormalPartnerEarnsTheModelMeanTimesTheShock) {
  // mu_t from the model (ComputeEngagementEffect) times the path's shock while alive,
  // 0 once dormant; for the unassisted scenario (0 hours) and an assisted one.
  Partner p = Lognormal("p", 25'000);
  p.volatility = 0.35;
  p.growth_rate = 0.03;
  p.growth_boost = 0.02;
  p.max_lift = 0.5;
  p.ramp_periods = 3;
  p.churn_rate = 0.08;
  Portfolio portfolio = PortfolioOf({p}, 8);
  portfolio.seasonality = {1.0, 1.2, 0.8, 1.0, 1.1, 0.9, 1.3, 1.0};
  const std::vector<double> hours = {0, 8};
  Paths paths(portfolio, {{0}, {8}}, 2, 13);
  int dormant_cells = 0;
  for (int path = 0; path < 2'000; ++path) {
    paths.Next();
    const double v = paths.draws().dormancy_uniform[0];
    for (size_t s = 0; s < hours.size(); ++s) {
      const EngagementEffect effect = ComputeEngagementEffect(portfolio, p, hours[s]);
      for (int t = 1; t <= 8; ++t) {
        const size_t k = static_cast<size_t>(t - 1);
        const double expected = Alive(portfolio, 0, hours[s], v, t)
                                    ? effect.mean_revenue[k] * paths.draws().shock[k]
                                    : 0.0;
        dormant_cells += expected == 0;
        ASSERT_EQ(paths[s].period_revenue[k], expected)
            << "path " << path << " hours " << hours[s] << " period " << t;
      }
    }
  }
  EXPECT_GT(dormant_cells, 0);
}

TEST(PathEvaluatorTest, ADormantPartnerEarnsNothingFromThenOn) {
  Partner p = Lognormal("p", 10'000);
  p.volatility = 0.4;  // shocks are positive: revenue > 0 exactly while alive
  p.churn_rate = 0.3;
  constexpr int kPeriods = 8;
  const std::vector<double> hours = {0, 4, 16};
  Paths paths(PortfolioOf({p}, kPeriods), {{0}, {4}, {16}}, 3, 77);
  constexpr int kPaths = 20'000;
  std::vector<int> dormant_paths(hours.size(), 0);
  for (int path = 0; path < kPaths; ++path) {
    paths.Next();
    const double v = paths.draws().dormancy_uniform[0];
    int previous_alive_periods = 0;
    for (size_t s = 0; s < hours.size(); ++s) {
      const std::vector<double>& revenue = paths[s].period_revenue;
      const auto first_zero = std::find(revenue.begin(), revenue.end(), 0.0);
      const int alive_periods = static_cast<int>(first_zero - revenue.begin());
      // Absorbing: nothing after the first period without revenue.
      ASSERT_TRUE(std::all_of(first_zero, revenue.end(), [](double r) { return r == 0; }))
          << "path " << path;
      int expected_alive = 0;
      while (expected_alive < kPeriods &&
             Alive(paths.portfolio(), 0, hours[s], v, expected_alive + 1)) {
        ++expected_alive;
      }
      ASSERT_EQ(alive_periods, expected_alive) << "path " << path << " hours " << hours[s];
      ASSERT_EQ(paths[s].dormant[0] != 0, alive_periods < kPeriods);
      // More hours: alive at least as long.
      ASSERT_GE(alive_periods, previous_alive_periods);
      previous_alive_periods = alive_periods;
      dormant_paths[s] += paths[s].dormant[0] != 0;
    }
  }
  // P(dormant within the horizon) = 1 - (1 - q)^T, binomial SE.
  const double n = kPaths;
  for (size_t s = 0; s < hours.size(); ++s) {
    const double q = ComputeEngagementEffect(paths.portfolio(), p, hours[s]).churn_hazard;
    const double expected = 1 - std::pow(1 - q, kPeriods);
    EXPECT_NEAR(dormant_paths[s] / n, expected, 4 * std::sqrt(expected * (1 - expected) / n))
        << "hours " << hours[s];
  }
}

TEST(PathEvaluatorTest, APartnerWithChurnNearOneIsDormantBeforeItsFirstRevenue) {
  // c = 1 - 1e-6: without hours the partner survives period 1 with probability 1e-6.
  // With 10,000 hours q is about 4e-4 and it is almost always alive: the zeros come
  // from dormancy, not from the model's mean.
  Partner lognormal = Lognormal("l", 10'000);
  lognormal.churn_rate = 1 - 1e-6;
  Partner deals = Deals("d", 50'000, 1'000, 0.5);
  deals.churn_rate = 1 - 1e-6;
  Paths paths(PortfolioOf({lognormal, deals}, 4), {{0, 0}, {1e4, 1e4}}, 2, 3);
  constexpr int kPaths = 2'000;
  int dormant_at_once = 0;
  int alive_with_hours = 0;
  for (int path = 0; path < kPaths; ++path) {
    paths.Next();
    for (size_t i = 0; i < 2; ++i) {
      if (Alive(paths.portfolio(), i, 0, paths.draws().dormancy_uniform[i], 1)) continue;
      ++dormant_at_once;
      ASSERT_EQ(paths[0].partner_revenue[i], 0.0) << "path " << path << " partner " << i;
      ASSERT_TRUE(paths[0].dormant[i]);
    }
    alive_with_hours += !paths[1].dormant[0] && !paths[1].dormant[1];
  }
  EXPECT_GE(dormant_at_once, 2 * kPaths - 2);
  EXPECT_EQ(paths[0].total, 0.0);
  EXPECT_GT(alive_with_hours, kPaths * 9 / 10);
}

// Evaluates 3 scenarios of which only the first is detailed, and checks that the others
// get partner and total revenue but no period revenue.
void ExpectOnlyTheDetailedScenarioHasPeriodRevenue(const Portfolio& portfolio) {
  const size_t n = portfolio.partners.size();
  const Hours hours = {std::vector<double>(n, 6), std::vector<double>(n, 0),
                       std::vector<double>(n, 16)};
  Paths detailed_first(portfolio, hours, 1, 90);
  Paths all_detailed(portfolio, hours, 3, 90);  // the same paths
  int with_period_revenue = 0;                  // (path, scenario) pairs beyond the detailed one
  for (int path = 0; path < 300; ++path) {
    detailed_first.Next();
    all_detailed.Next();
    const PathRevenue& detailed = detailed_first[0];
    ASSERT_NEAR(Sum(detailed.period_revenue), detailed.total, 1e-12 * detailed.total);
    ASSERT_EQ(detailed.period_revenue, all_detailed[0].period_revenue);
    ASSERT_EQ(detailed.dormant, all_detailed[0].dormant);
    for (size_t s = 1; s < 3; ++s) {
      ASSERT_EQ(detailed_first[s].partner_revenue, all_detailed[s].partner_revenue);
      ASSERT_EQ(detailed_first[s].total, all_detailed[s].total);
      with_period_revenue += detailed_first[s].period_revenue != std::vector<double>(6, 0.0);
    }
  }
  EXPECT_EQ(with_period_revenue, 0)
      << "of 600 evaluations of scenarios that are not detailed, this many got period revenue";
}

TEST(PathEvaluatorTest, ScenariosBeyondTheDetailedOnesGetNoPeriodRevenueForLognormalPartners) {
  Portfolio portfolio = MixedPortfolio();
  std::erase_if(portfolio.partners,
                [](const Partner& p) { return p.revenue_model != RevenueModel::kLognormal; });
  ExpectOnlyTheDetailedScenarioHasPeriodRevenue(portfolio);
}

TEST(PathEvaluatorTest, ScenariosBeyondTheDetailedOnesGetNoPeriodRevenueForDealsPartners) {
  Portfolio portfolio = MixedPortfolio();
  std::erase_if(portfolio.partners,
                [](const Partner& p) { return p.revenue_model != RevenueModel::kDeals; });
  ExpectOnlyTheDetailedScenarioHasPeriodRevenue(portfolio);
}

TEST(PathEvaluatorTest, ExpectedRevenueMatchesTheModelForDealsAndLognormalPartners) {
  // E[horizon revenue] = sum_t mu_t (1 - q)^t (ExpectedPartnerRevenue), per partner and
  // scenario; the sample mean within 4 SE.
  const Portfolio portfolio = MixedPortfolio();
  const Hours hours = {{0, 0, 0, 0}, {6, 6, 6, 6}, {16, 40, 2, 16}};
  Paths paths(portfolio, hours, 1, 2024);
  const size_t partners = portfolio.partners.size();
  std::vector<double> sum(hours.size() * partners, 0);
  std::vector<double> squares(hours.size() * partners, 0);
  constexpr int kPaths = 20'000;
  for (int path = 0; path < kPaths; ++path) {
    paths.Next();
    for (size_t s = 0; s < hours.size(); ++s) {
      for (size_t i = 0; i < partners; ++i) {
        const double r = paths[s].partner_revenue[i];
        sum[s * partners + i] += r;
        squares[s * partners + i] += r * r;
      }
    }
  }
  const double n = kPaths;
  for (size_t s = 0; s < hours.size(); ++s) {
    for (size_t i = 0; i < partners; ++i) {
      const double mean = sum[s * partners + i] / n;
      const double variance = squares[s * partners + i] / n - mean * mean;
      const double expected = ExpectedPartnerRevenue(portfolio, portfolio.partners[i], hours[s][i]);
      EXPECT_NEAR(mean, expected, 4 * std::sqrt(variance / n))
          << portfolio.partners[i].id << " at " << hours[s][i] << " hours";
    }
  }
}

TEST(PathEvaluatorTest, DealCountsArePoissonAndExtraHoursAddIndependentDeals) {
  // No shock, no churn, one size: the period's revenue / m is Poisson(lambda), lambda =
  // mu / m; with more hours the extra deals are the process's arrivals in
  // (lambda_0, lambda_1]: Poisson(lambda_1 - lambda_0). Mean and variance within 4 SE
  // (Var of a sample variance of Poisson(l): (l + 2 l^2) / n), P(no deal) = e^-lambda.
  Partner p = Deals("d", 3'500, 1'000, 0.0);
  p.volatility = 0;
  p.churn_rate = 0;
  p.max_lift = 1.0;
  p.ramp_periods = 0;
  const Portfolio portfolio = PortfolioOf({p}, 1);
  constexpr double kHours = 8;  // f = 1/2: lift 0.5
  const double lambda0 = ComputeEngagementEffect(portfolio, p, 0).mean_revenue[0] / 1'000;
  const double lambda1 = ComputeEngagementEffect(portfolio, p, kHours).mean_revenue[0] / 1'000;
  ASSERT_NEAR(lambda1 - lambda0, 1.75, 1e-12);
  Paths paths(portfolio, {{0}, {kHours}}, 2, 5);
  constexpr int kPaths = 50'000;
  double count_sum = 0, count_squares = 0, extra_sum = 0, extra_squares = 0, no_deal = 0;
  for (int path = 0; path < kPaths; ++path) {
    paths.Next();
    const double count = paths[0].period_revenue[0] / 1'000;
    const double extra = paths[1].period_revenue[0] / 1'000 - count;
    count_sum += count;
    count_squares += count * count;
    extra_sum += extra;
    extra_squares += extra * extra;
    no_deal += count == 0;
  }
  const double n = kPaths;
  const auto expect_poisson = [n](double sum, double squares, double lambda, const char* what) {
    const double mean = sum / n;
    const double variance = squares / n - mean * mean;
    EXPECT_NEAR(mean, lambda, 4 * std::sqrt(lambda / n)) << what;
    EXPECT_NEAR(variance, lambda, 4 * std::sqrt((lambda + 2 * lambda * lambda) / n)) << what;
  };
  expect_poisson(count_sum, count_squares, lambda0, "deals without hours");
  expect_poisson(extra_sum, extra_squares, lambda1 - lambda0, "extra deals with hours");
  const double p0 = std::exp(-lambda0);
  EXPECT_NEAR(no_deal / n, p0, 4 * std::sqrt(p0 * (1 - p0) / n));
}

TEST(PathEvaluatorTest, ADealsPartnersExpectedDealCountFollowsThePathsShock) {
  // Given the path's shock S, the deal count is Poisson(lambda S): E[N - lambda S] = 0 and
  // E[(N - lambda S) S] = 0 (the shock scales the count, it is not averaged away).
  // Var[(N - lambda S) S] = E[lambda S^3], estimated from the sample.
  Partner p = Deals("d", 4'000, 1'000, 0.0);
  p.volatility = 0.5;
  p.churn_rate = 0;
  Paths paths(PortfolioOf({p}, 1), {{0}}, 1, 12);
  const double lambda = 4;
  constexpr int kPaths = 50'000;
  double residual_sum = 0, residual_squares = 0, weighted_sum = 0, weighted_squares = 0;
  for (int path = 0; path < kPaths; ++path) {
    paths.Next();
    const double shock = paths.draws().shock[0];
    const double residual = paths[0].total / 1'000 - lambda * shock;
    residual_sum += residual;
    residual_squares += residual * residual;
    weighted_sum += residual * shock;
    weighted_squares += residual * shock * residual * shock;
  }
  const double n = kPaths;
  EXPECT_NEAR(residual_sum / n, 0, 4 * std::sqrt(residual_squares / n / n));
  EXPECT_NEAR(weighted_sum / n, 0, 4 * std::sqrt(weighted_squares / n / n));
}

TEST(PathEvaluatorTest, DealSizesHaveMeanMAndCoefficientOfVariationV) {
  // One period, no shock or churn: revenue is compound Poisson with E[R] = lambda m and
  // Var[R] = lambda E[X^2] = lambda m^2 (1 + v^2). The variance of a sample variance is
  // about (kappa_4 + 2 sigma^4) / n with kappa_4 = lambda E[X^4] = lambda m^4 (1 + v^2)^6.
  constexpr double kM = 2'000;
  constexpr double kV = 0.5;
  Partner p = Deals("d", 8'000, kM, kV);
  p.volatility = 0;
  p.churn_rate = 0;
  p.max_lift = 0;
  Paths paths(PortfolioOf({p}, 1), {{0}}, 1, 6);
  constexpr int kPaths = 50'000;
  double sum = 0;
  double squares = 0;
  for (int path = 0; path < kPaths; ++path) {
    paths.Next();
    const double r = paths[0].total / kM;  // in units of m
    sum += r;
    squares += r * r;
  }
  const double n = kPaths;
  const double lambda = 4;
  const double second = 1 + kV * kV;  // E[X^2] / m^2
  const double mean = sum / n;
  const double variance = squares / n - mean * mean;
  const double sigma2 = lambda * second;
  EXPECT_NEAR(mean, lambda, 4 * std::sqrt(sigma2 / n));
  EXPECT_NEAR(variance, sigma2,
              4 * std::sqrt((lambda * std::pow(second, 6) + 2 * sigma2 * sigma2) / n));
}

}  // namespace
}  // namespace attain
