// Tests of simulator/ziggurat.h: the tables close as Marsaglia and Tsang's constants
// promise, every branch (layer, wedge, tail) returns what it should, and the variates have
// the standard normal's and exponential's distributions. Statistical checks use fixed
// seeds and tolerances of 4 standard errors.
#include "simulator/ziggurat.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "simulator/random.h"

namespace attain {
namespace {

using ziggurat_internal::kExponential;
using ziggurat_internal::kExponentialLayerArea;
using ziggurat_internal::kExponentialTailStart;
using ziggurat_internal::kLayers;
using ziggurat_internal::kNormal;
using ziggurat_internal::kNormalLayerArea;
using ziggurat_internal::kNormalTailStart;
using ziggurat_internal::Tables;

// An engine that returns a scripted sequence of 64-bit words, then fails the test.
class ScriptedEngine {
 public:
  using result_type = uint64_t;
  explicit ScriptedEngine(std::deque<uint64_t> words) : words_(std::move(words)) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    if (words_.empty()) {
      ADD_FAILURE() << "the script ran out";
      return 0;
    }
    const uint64_t word = words_.front();
    words_.pop_front();
    return word;
  }
  size_t left() const { return words_.size(); }

 private:
  std::deque<uint64_t> words_;
};

// A word for layer `layer` whose 53-bit uniform is `u` (bits 11..63), with the sign bit
// (bit 8) set when `negative`.
uint64_t Word(size_t layer, double u, bool negative = false) {
  const uint64_t top = static_cast<uint64_t>(u * 0x1p53);
  return (top << 11) | (negative ? 0x100 : 0) | layer;
}

void ExpectTablesClose(const Tables& t, double tail_start, double area, const char* name) {
  EXPECT_EQ(t.x[1], tail_start) << name;
  EXPECT_EQ(t.x[kLayers], 0.0) << name;
  EXPECT_EQ(t.f[kLayers], 1.0) << name;
  for (size_t i = 0; i < kLayers; ++i) {
    ASSERT_GT(t.x[i], t.x[i + 1]) << name << " layer " << i;
    ASSERT_LT(t.f[i], t.f[i + 1]) << name << " layer " << i;
  }
  // Every layer has the same area, the top one included: the recursion closes at the
  // mode only if r and v are the right pair for 256 layers.
  EXPECT_NEAR(t.x[0] * t.f[1], area, 1e-12 * area) << name << " base";
  for (size_t i = 1; i < kLayers; ++i) {
    EXPECT_NEAR(t.x[i] * (t.f[i + 1] - t.f[i]), area, 1e-6 * area) << name << " layer " << i;
  }
}

TEST(ZigguratTablesTest, LayersShrinkToTheModeAndHaveEqualAreas) {
  ExpectTablesClose(kNormal, kNormalTailStart, kNormalLayerArea, "normal");
  ExpectTablesClose(kExponential, kExponentialTailStart, kExponentialLayerArea, "exponential");
  // The densities at the layer edges.
  for (size_t i = 0; i <= kLayers; ++i) {
    EXPECT_DOUBLE_EQ(kNormal.f[i], std::exp(-0.5 * kNormal.x[i] * kNormal.x[i]));
    EXPECT_DOUBLE_EQ(kExponential.f[i], std::exp(-kExponential.x[i]));
  }
}

TEST(StandardNormalTest, ADrawInsideTheLayerBelowIsOneWordScaledBySign) {
  // Layer 100, uniform 0.25: inside layer 101's width (x[101] > x[100] / 4), one word.
  ASSERT_LT(0.25 * kNormal.x[100], kNormal.x[101]);
  ScriptedEngine positive({Word(100, 0.25)});
  EXPECT_EQ(StandardNormal(positive), 0.25 * kNormal.x[100]);
  ScriptedEngine negative({Word(100, 0.25, true)});
  EXPECT_EQ(StandardNormal(negative), -0.25 * kNormal.x[100]);
  EXPECT_EQ(negative.left(), 0u);
}

TEST(StandardNormalTest, TheWedgeAcceptsBelowTheDensityAndRedrawsAbove) {
  // Layer 200 at the outer edge of its rectangle: x just below x[200], in the wedge.
  const double u = 0.999;
  const double x = u * kNormal.x[200];
  ASSERT_GT(x, kNormal.x[201]);
  const double density = std::exp(-0.5 * x * x);
  // A height fraction whose height lies below the density: accepted.
  const double below = (density - kNormal.f[200]) / (kNormal.f[201] - kNormal.f[200]) / 2;
  ASSERT_GT(below, 0.0);
  ScriptedEngine accept({Word(200, u, true), Word(0, below)});
  EXPECT_EQ(StandardNormal(accept), -x);
  // Height at the top of the layer: above the density, so a fresh word decides.
  ScriptedEngine reject({Word(200, u), Word(0, 0.9999999), Word(7, 0.5)});
  EXPECT_EQ(StandardNormal(reject), 0.5 * kNormal.x[7]);
  EXPECT_EQ(reject.left(), 0u);
}

TEST(StandardNormalTest, TheBaseLayerBeyondTheTailStartSamplesTheTail) {
  // Layer 0 with u near 1: x = u * x[0] > r, so the tail: r + e1 / r with two open
  // uniforms; e1 small and e2 large are accepted at once.
  ASSERT_GT(0.99 * kNormal.x[0], kNormalTailStart);
  const uint64_t near_one = ~uint64_t{0} - (uint64_t{1} << 20);  // OpenUniform ~ 1
  const uint64_t small = uint64_t{1} << 20;                       // OpenUniform ~ 0
  ScriptedEngine tail({Word(0, 0.99, true), near_one, small});
  const double z = StandardNormal(tail);
  EXPECT_LT(z, -kNormalTailStart);
  EXPECT_GT(z, -kNormalTailStart - 1e-6);
  EXPECT_EQ(tail.left(), 0u);
}

// P(Z <= x) of a standard normal.
double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

TEST(StandardNormalTest, DrawsHaveTheStandardNormalDistribution) {
  constexpr int kDraws = 2'000'000;
  const double n = kDraws;
  BlockEngine engine(BlockSeed(77, 0));
  // Bins of width 0.25 on [-4, 4] plus the two tails: a chi-square statistic with k - 1
  // degrees of freedom (mean k - 1, sd sqrt(2 (k - 1))).
  constexpr int kInner = 32;
  std::vector<double> count(kInner + 2, 0);
  double sum = 0;
  double squares = 0;
  double fourth = 0;
  double beyond_tail_start = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double z = StandardNormal(engine);
    ASSERT_TRUE(std::isfinite(z));
    sum += z;
    squares += z * z;
    fourth += z * z * z * z;
    beyond_tail_start += std::fabs(z) > kNormalTailStart;
    const int bin = z < -4 ? 0 : z >= 4 ? kInner + 1 : 1 + static_cast<int>((z + 4) / 0.25);
    count[static_cast<size_t>(bin)] += 1;
  }
  EXPECT_NEAR(sum / n, 0, 4 / std::sqrt(n));
  EXPECT_NEAR(squares / n, 1, 4 * std::sqrt(2 / n));
  EXPECT_NEAR(fourth / n, 3, 4 * std::sqrt(96 / n));  // Var(Z^4) = 105 - 9
  const double tail = 2 * NormalCdf(-kNormalTailStart);
  EXPECT_NEAR(beyond_tail_start / n, tail, 4 * std::sqrt(tail / n));
  double chi_square = 0;
  for (int bin = 0; bin < kInner + 2; ++bin) {
    const double lower = bin == 0 ? -INFINITY : -4 + 0.25 * (bin - 1);
    const double upper = bin == kInner + 1 ? INFINITY : -4 + 0.25 * bin;
    const double expected = n * (NormalCdf(upper) - NormalCdf(lower));
    const double observed = count[static_cast<size_t>(bin)];
    chi_square += (observed - expected) * (observed - expected) / expected;
  }
  const double dof = kInner + 1;
  EXPECT_LT(chi_square, dof + 4 * std::sqrt(2 * dof));
}

TEST(StandardNormalTest, TheSameEngineStateGivesTheSameDraws) {
  BlockEngine one(BlockSeed(5, 9));
  BlockEngine two(BlockSeed(5, 9));
  for (int i = 0; i < 100'000; ++i) ASSERT_EQ(StandardNormal(one), StandardNormal(two));
}

TEST(StandardExponentialTest, ALayerDrawAndTheTailShift) {
  ASSERT_LT(0.5 * kExponential.x[50], kExponential.x[51]);
  ScriptedEngine layer({Word(50, 0.5)});
  EXPECT_EQ(StandardExponential(layer), 0.5 * kExponential.x[50]);
  // Base layer beyond r: r plus a fresh exponential (here a layer draw).
  ASSERT_GT(0.999 * kExponential.x[0], kExponentialTailStart);
  ScriptedEngine tail({Word(0, 0.999), Word(50, 0.5)});
  EXPECT_EQ(StandardExponential(tail), kExponentialTailStart + 0.5 * kExponential.x[50]);
  EXPECT_EQ(tail.left(), 0u);
}

TEST(StandardExponentialTest, DrawsHaveTheStandardExponentialDistribution) {
  constexpr int kDraws = 2'000'000;
  const double n = kDraws;
  BlockEngine engine(BlockSeed(78, 0));
  // Bins of width 0.25 on [0, 8) plus the tail beyond 8.
  constexpr int kInner = 32;
  std::vector<double> count(kInner + 1, 0);
  double sum = 0;
  double squares = 0;
  double beyond_tail_start = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double e = StandardExponential(engine);
    ASSERT_GE(e, 0.0);
    ASSERT_TRUE(std::isfinite(e));
    sum += e;
    squares += e * e;
    beyond_tail_start += e > kExponentialTailStart;
    count[static_cast<size_t>(std::min(kInner, static_cast<int>(e / 0.25)))] += 1;
  }
  EXPECT_NEAR(sum / n, 1, 4 / std::sqrt(n));
  EXPECT_NEAR(squares / n, 2, 4 * std::sqrt(20 / n));  // Var(E^2) = 24 - 4
  const double tail = std::exp(-kExponentialTailStart);
  EXPECT_NEAR(beyond_tail_start / n, tail, 4 * std::sqrt(tail / n));
  double chi_square = 0;
  for (int bin = 0; bin <= kInner; ++bin) {
    const double lower = 0.25 * bin;
    const double expected =
        n * (std::exp(-lower) - (bin == kInner ? 0.0 : std::exp(-(lower + 0.25))));
    const double observed = count[static_cast<size_t>(bin)];
    chi_square += (observed - expected) * (observed - expected) / expected;
  }
  const double dof = kInner;
  EXPECT_LT(chi_square, dof + 4 * std::sqrt(2 * dof));
}

}  // namespace
}  // namespace attain
