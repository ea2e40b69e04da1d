// Path generation: the factor structure of the normals behind the shocks, the draws of
// portfolios without segments (read under the sanitizer build), and the antithetic
// mirror. Statistical checks use fixed seeds and 4-standard-error tolerances.
#include "simulator/path_generator.h"

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

Partner PartnerIn(std::string segment, double market_correlation, double volatility) {
  Partner p;
  p.id = absl::StrCat("P", segment, market_correlation);
  p.baseline_revenue = 1000;
  p.volatility = volatility;
  p.market_correlation = market_correlation;
  p.segment = std::move(segment);
  return p;
}

// The standard normal behind a shock: shock = exp(sigma z - sigma^2 / 2).
double NormalOf(double shock, double sigma) {
  return (std::log(shock) + 0.5 * sigma * sigma) / sigma;
}

struct Moments {
  double mean = 0;
  double variance = 0;
  double correlation = 0;  // of the first two series
};

// Draws `paths` paths and returns the moments of partner 0's normals in period 1 and
// their correlation with partner 1's.
Moments DrawMoments(const Portfolio& portfolio, int paths) {
  const PathGenerator generator(portfolio);
  PathDraws draws;
  generator.Prepare(draws);
  BlockEngine engine(BlockSeed(2024, 0));
  const size_t periods = static_cast<size_t>(portfolio.periods);
  double sum[2] = {0, 0};
  double squares[2] = {0, 0};
  double cross = 0;
  for (int j = 0; j < paths; ++j) {
    generator.Generate(engine, draws);
    double z[2];
    for (size_t i = 0; i < 2; ++i) {
      z[i] = NormalOf(draws.shock[i * periods], portfolio.partners[i].volatility);
      sum[i] += z[i];
      squares[i] += z[i] * z[i];
    }
    cross += z[0] * z[1];
  }
  const double n = paths;
  Moments m;
  m.mean = sum[0] / n;
  m.variance = squares[0] / n - m.mean * m.mean;
  const double mean1 = sum[1] / n;
  const double variance1 = squares[1] / n - mean1 * mean1;
  m.correlation = (cross / n - m.mean * mean1) / std::sqrt(m.variance * variance1);
  return m;
}

TEST(PathGeneratorTest, PartnersWithoutASegmentDrawMarketAndOwnFactorsOnly) {
  // No partner has a segment: there are no segment factors, and none may be read (the
  // sanitizer build catches a read past the factors of the last period).
  Portfolio portfolio;
  portfolio.periods = 5;
  portfolio.segment_correlation = 0.4;  // applies to nobody
  portfolio.partners = {PartnerIn("", 0.3, 0.5), PartnerIn("", 0.3, 0.2)};
  const PathGenerator generator(portfolio);
  PathDraws draws;
  generator.Prepare(draws);
  EXPECT_EQ(draws.factors.size(), 5u);  // the market factor of each period

  constexpr int kPaths = 20'000;
  const Moments m = DrawMoments(portfolio, kPaths);
  const double n = kPaths;
  EXPECT_NEAR(m.mean, 0, 4 / std::sqrt(n));
  EXPECT_NEAR(m.variance, 1, 4 * std::sqrt(2 / n));
  // Only the market is shared: correlation rho_m. SE of a correlation ~ (1 - rho^2)/sqrt(n).
  EXPECT_NEAR(m.correlation, 0.3, 4 * (1 - 0.09) / std::sqrt(n));
}

TEST(PathGeneratorTest, PartnersInOneSegmentShareMarketAndSegmentFactors) {
  Portfolio portfolio;
  portfolio.periods = 3;
  portfolio.segment_correlation = 0.25;
  portfolio.partners = {PartnerIn("north", 0.2, 0.3), PartnerIn("north", 0.2, 0.4),
                        PartnerIn("", 0.2, 0.3)};
  constexpr int kPaths = 20'000;
  const Moments m = DrawMoments(portfolio, kPaths);
  const double n = kPaths;
  EXPECT_NEAR(m.variance, 1, 4 * std::sqrt(2 / n));
  const double rho = 0.2 + 0.25;
  EXPECT_NEAR(m.correlation, rho, 4 * (1 - rho * rho) / std::sqrt(n));
}

TEST(PathGeneratorTest, PartnersInDifferentSegmentsShareOnlyTheMarket) {
  Portfolio portfolio;
  portfolio.periods = 2;
  portfolio.segment_correlation = 0.3;
  portfolio.partners = {PartnerIn("north", 0.1, 0.3), PartnerIn("south", 0.1, 0.3)};
  constexpr int kPaths = 20'000;
  const Moments m = DrawMoments(portfolio, kPaths);
  EXPECT_NEAR(m.correlation, 0.1, 4 * (1 - 0.01) / std::sqrt(double{kPaths}));
}

TEST(PathGeneratorTest, MirrorNegatesEveryNormalAndReflectsDormancyUniforms) {
  Portfolio portfolio;
  portfolio.periods = 4;
  portfolio.segment_correlation = 0.2;
  portfolio.partners = {PartnerIn("north", 0.3, 0.6), PartnerIn("", 0.1, 0.0),
                        PartnerIn("south", 0.0, 2.5)};
  portfolio.partners[2].revenue_model = RevenueModel::kDeals;
  portfolio.partners[2].mean_deal_size = 100;
  const PathGenerator generator(portfolio);
  PathDraws draws;
  PathDraws mirror;
  generator.Prepare(draws);
  generator.Prepare(mirror);
  BlockEngine engine(BlockSeed(7, 3));
  for (int j = 0; j < 100; ++j) {
    generator.Generate(engine, draws);
    generator.Mirror(draws, mirror);
    for (size_t i = 0; i < portfolio.partners.size(); ++i) {
      const double sigma = portfolio.partners[i].volatility;
      EXPECT_EQ(mirror.dormancy_uniform[i], 1.0 - draws.dormancy_uniform[i]);
      for (size_t t = 0; t < 4; ++t) {
        const double shock = draws.shock[i * 4 + t];
        const double mirrored = mirror.shock[i * 4 + t];
        if (sigma == 0) {
          EXPECT_EQ(shock, 1.0);
          EXPECT_EQ(mirrored, 1.0);
        } else {
          EXPECT_NEAR(NormalOf(mirrored, sigma), -NormalOf(shock, sigma), 1e-9);
        }
      }
    }
    // A mirror's deals are drawn independently: fresh seeds.
    ASSERT_EQ(mirror.deal_seed.size(), 4u);
    for (size_t k = 0; k < 4; ++k) EXPECT_NE(mirror.deal_seed[k], draws.deal_seed[k]);
  }
}

TEST(PathGeneratorTest, TheSameSeedDrawsTheSamePath) {
  Portfolio portfolio;
  portfolio.periods = 6;
  portfolio.segment_correlation = 0.1;
  portfolio.partners = {PartnerIn("a", 0.3, 0.4), PartnerIn("", 0.2, 0.7)};
  const PathGenerator generator(portfolio);
  PathDraws first;
  PathDraws second;
  generator.Prepare(first);
  generator.Prepare(second);
  BlockEngine one(BlockSeed(99, 5));
  BlockEngine two(BlockSeed(99, 5));
  generator.Generate(one, first);
  generator.Generate(two, second);
  EXPECT_EQ(first.shock, second.shock);
  EXPECT_EQ(first.dormancy_uniform, second.dormancy_uniform);
  generator.Generate(one, first);
  EXPECT_NE(first.shock, second.shock);
}

}  // namespace
}  // namespace attain
