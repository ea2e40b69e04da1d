// Tests of simulator/random.h: the per-block seeds, the SplitMix64 mix and generator,
// xoshiro256++, and the open uniform. Statistical checks use fixed seeds and
// 4-standard-error tolerances.
#include "simulator/random.h"

#include <algorithm>
#include <bit>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

// The inverse of Mix64, built from the inverses of its steps (an xorshift x ^ (x >> k)
// is undone by x ^ (x >> k) ^ (x >> 2k) ^ ...; an odd multiplier has an inverse mod 2^64).
constexpr uint64_t UndoXorShift(uint64_t y, int k) {
  uint64_t x = y;
  for (int shift = k; shift < 64; shift += k) x ^= y >> shift;
  return x;
}

// Newton's iteration for the inverse of an odd number modulo 2^64 (each step doubles the
// correct low bits; a * a == 1 mod 8 gives the first 3).
constexpr uint64_t InverseMod64(uint64_t a) {
  uint64_t inverse = a;
  for (int i = 0; i < 5; ++i) inverse *= 2 - a * inverse;
  return inverse;
}

constexpr uint64_t Unmix64(uint64_t y) {
  y = UndoXorShift(y, 31);
  y *= InverseMod64(0x94d049bb133111ebULL);
  y = UndoXorShift(y, 27);
  y *= InverseMod64(0xbf58476d1ce4e5b9ULL);
  return UndoXorShift(y, 30);
}

// An engine that always returns the same 64 bits: the extremes of OpenUniform.
class ConstantEngine {
 public:
  using result_type = uint64_t;
  explicit ConstantEngine(uint64_t bits) : bits_(bits) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() { return bits_; }

 private:
  uint64_t bits_;
};

TEST(BlockSeedTest, IsAFunctionOfSeedAndBlockOnly) {
  // Evaluated at compile time and at run time, in any order: the same value.
  constexpr uint64_t kCompileTime = BlockSeed(42, 7);
  const uint64_t other = BlockSeed(43, 8);
  EXPECT_EQ(BlockSeed(42, 7), kCompileTime);
  EXPECT_EQ(BlockSeed(43, 8), other);
  // Two engines seeded from the same (seed, block) draw the same stream.
  BlockEngine one(BlockSeed(2024, 3));
  BlockEngine two(BlockSeed(2024, 3));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(one(), two()) << "draw " << i;
}

TEST(BlockSeedTest, NeighbouringBlocksAndSeedsGetDifferentSeeds) {
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{7}, ~uint64_t{0}}) {
    for (uint64_t block = 0; block < 100; ++block) {
      EXPECT_NE(BlockSeed(seed, block), BlockSeed(seed, block + 1));
      EXPECT_NE(BlockSeed(seed, block), BlockSeed(seed + 1, block));
      // Swapping seed and block is not the same run.
      if (seed != block) {
        EXPECT_NE(BlockSeed(seed, block), BlockSeed(block, seed));
      }
    }
  }
}

TEST(BlockSeedTest, NoCollisionsAmongAHundredThousandSeedBlockPairs) {
  // Small seeds and small block numbers: the pairs real runs use (seed 0..316, the first
  // 316 blocks, about 100,000 pairs), plus a run with a large random seed.
  std::vector<uint64_t> seeds;
  for (uint64_t seed = 0; seed < 316; ++seed) {
    for (uint64_t block = 0; block < 316; ++block) seeds.push_back(BlockSeed(seed, block));
  }
  for (uint64_t block = 0; block < 1000; ++block) {
    seeds.push_back(BlockSeed(0x243f6a8885a308d3ULL, block));
  }
  std::sort(seeds.begin(), seeds.end());
  EXPECT_EQ(std::unique(seeds.begin(), seeds.end()), seeds.end()) << "collisions";
}

TEST(BlockSeedTest, FirstDrawsOfNeighbouringBlocksLookIndependent) {
  // The first draw of block b and of block b + 1: the top bit agrees about half of the
  // time (binomial, SE sqrt(1/4n)).
  constexpr int kBlocks = 100'000;
  int agree = 0;
  for (uint64_t block = 0; block < kBlocks; ++block) {
    BlockEngine a(BlockSeed(11, block));
    BlockEngine b(BlockSeed(11, block + 1));
    agree += (a() >> 63) == (b() >> 63);
  }
  const double n = kBlocks;
  EXPECT_NEAR(agree / n, 0.5, 4 * std::sqrt(0.25 / n));
}

TEST(Mix64Test, IsABijectionUndoneByItsInverse) {
  SplitMix64 inputs(99);
  for (int i = 0; i < 100'000; ++i) {
    const uint64_t x = inputs();
    ASSERT_EQ(Unmix64(Mix64(x)), x) << "input " << x;
  }
  for (uint64_t x = 0; x < 1000; ++x) ASSERT_EQ(Unmix64(Mix64(x)), x);
  ASSERT_EQ(Unmix64(Mix64(~uint64_t{0})), ~uint64_t{0});
}

TEST(Mix64Test, MapsDistinctInputsToDistinctOutputs) {
  // Consecutive inputs (the worst case for a weak mix) and single-bit inputs.
  std::vector<uint64_t> outputs;
  for (uint64_t x = 0; x < 1'000'000; ++x) outputs.push_back(Mix64(x));
  // Inputs beyond the consecutive ones: single bits from 2^20, masks of high bits
  // (2^63 is both: listed once).
  for (int bit = 20; bit < 64; ++bit) outputs.push_back(Mix64(uint64_t{1} << bit));
  for (int bit = 0; bit < 63; ++bit) outputs.push_back(Mix64(~uint64_t{0} << bit));
  std::sort(outputs.begin(), outputs.end());
  EXPECT_EQ(std::unique(outputs.begin(), outputs.end()), outputs.end()) << "collisions";
}

TEST(Mix64Test, FlippingOneInputBitFlipsHalfTheOutputBits) {
  // For a good mix the number of flipped output bits is Binomial(64, 1/2): mean 32,
  // standard deviation 4, so the mean over n inputs has SE 4 / sqrt(n). Checked for each
  // input bit, and for each output bit over all input bits (probability 1/2, SE
  // sqrt(1/4 / (64 n))).
  constexpr int kInputs = 20'000;
  SplitMix64 inputs(2718);
  std::vector<uint64_t> sample(kInputs);
  for (uint64_t& x : sample) x = inputs();
  std::vector<int> output_bit_flips(64, 0);
  const double n = kInputs;
  for (int bit = 0; bit < 64; ++bit) {
    int flips = 0;
    for (const uint64_t x : sample) {
      const uint64_t difference = Mix64(x) ^ Mix64(x ^ (uint64_t{1} << bit));
      flips += std::popcount(difference);
      for (int out = 0; out < 64; ++out) {
        output_bit_flips[out] += static_cast<int>((difference >> out) & 1);
      }
    }
    EXPECT_NEAR(flips / n, 32, 4 * 4 / std::sqrt(n)) << "input bit " << bit;
  }
  for (int out = 0; out < 64; ++out) {
    EXPECT_NEAR(output_bit_flips[out] / (64 * n), 0.5, 4 * std::sqrt(0.25 / (64 * n)))
        << "output bit " << out;
  }
}

TEST(SplitMix64Test, SatisfiesUniformRandomBitGenerator) {
  static_assert(std::uniform_random_bit_generator<SplitMix64>);
  static_assert(SplitMix64::min() == 0);
  static_assert(SplitMix64::max() == std::numeric_limits<uint64_t>::max());
  // Usable with std and Boost distributions: their means are right within 4 SE.
  constexpr int kDraws = 100'000;
  const double n = kDraws;
  SplitMix64 engine(5);
  std::uniform_int_distribution<int> die(1, 6);
  boost::random::uniform_int_distribution<int> boost_die(1, 6);
  std::normal_distribution<double> std_normal;
  boost::random::normal_distribution<double> boost_normal;
  double die_sum = 0;
  double boost_die_sum = 0;
  double std_normal_sum = 0;
  double boost_normal_sum = 0;
  double boost_normal_squares = 0;
  for (int i = 0; i < kDraws; ++i) {
    die_sum += die(engine);
    boost_die_sum += boost_die(engine);
    std_normal_sum += std_normal(engine);
    const double z = boost_normal(engine);
    boost_normal_sum += z;
    boost_normal_squares += z * z;
  }
  const double die_se = std::sqrt(35.0 / 12.0 / n);  // variance of a fair die: 35/12
  EXPECT_NEAR(die_sum / n, 3.5, 4 * die_se);
  EXPECT_NEAR(boost_die_sum / n, 3.5, 4 * die_se);
  EXPECT_NEAR(std_normal_sum / n, 0, 4 / std::sqrt(n));
  EXPECT_NEAR(boost_normal_sum / n, 0, 4 / std::sqrt(n));
  EXPECT_NEAR(boost_normal_squares / n, 1, 4 * std::sqrt(2 / n));
}

TEST(SplitMix64Test, ReproducesTheReferenceSequence) {
  // The first outputs of Vigna's splitmix64.c seeded with 0.
  SplitMix64 engine(0);
  EXPECT_EQ(engine(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(engine(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(engine(), 0x06c45d188009454fULL);
  EXPECT_EQ(engine(), 0xf88bb8a8724c81ecULL);
  EXPECT_EQ(engine(), 0x1b39896a51a8749bULL);
}

TEST(SplitMix64Test, TheSameSeedGivesTheSameStreamAndAnotherSeedAnother) {
  SplitMix64 one(123);
  SplitMix64 two(123);
  SplitMix64 other(124);
  int equal_to_other = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = one();
    ASSERT_EQ(x, two()) << "draw " << i;
    equal_to_other += x == other();
  }
  EXPECT_EQ(equal_to_other, 0);
  // A copy continues the same stream.
  SplitMix64 copy = one;
  EXPECT_EQ(copy(), one());
}

TEST(Xoshiro256PlusPlusTest, ReproducesTheReferenceSequences) {
  // xoshiro256plusplus.c from the state {1, 2, 3, 4}: the vector the Rust, Go and other
  // ports check against.
  Xoshiro256PlusPlus engine = Xoshiro256PlusPlus::FromState({1, 2, 3, 4});
  const uint64_t expected[] = {41943041ULL,
                               58720359ULL,
                               3588806011781223ULL,
                               3591011842654386ULL,
                               9228616714210784205ULL,
                               9973669472204895162ULL,
                               14011001112246962877ULL,
                               12406186145184390807ULL,
                               15849039046786891736ULL,
                               10450023813501588000ULL};
  for (const uint64_t value : expected) EXPECT_EQ(engine(), value);
  // From the state {0, 0, 0, 1} (another port's published table).
  Xoshiro256PlusPlus sparse = Xoshiro256PlusPlus::FromState({0, 0, 0, 1});
  const uint64_t sparse_expected[] = {0x0000000000800000ULL, 0x0000000000800011ULL,
                                      0x0002200000800011ULL, 0x0002200044000020ULL,
                                      0x00022000448008A1ULL, 0x01102100802208A0ULL,
                                      0x0114002284200880ULL, 0x0402896644A64095ULL,
                                      0x8A14A0A244ACC891ULL, 0x8C88BA4680B20495ULL};
  for (const uint64_t value : sparse_expected) EXPECT_EQ(sparse(), value);
}

TEST(Xoshiro256PlusPlusTest, IsSeededByFourSplitMix64Outputs) {
  static_assert(std::uniform_random_bit_generator<Xoshiro256PlusPlus>);
  SplitMix64 seeder(2024);
  const Xoshiro256PlusPlus::State state = {seeder(), seeder(), seeder(), seeder()};
  Xoshiro256PlusPlus seeded(2024);
  Xoshiro256PlusPlus from_state = Xoshiro256PlusPlus::FromState(state);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(seeded(), from_state()) << "draw " << i;
}

TEST(Xoshiro256PlusPlusTest, EveryOutputBitIsFair) {
  // Each of the 64 bits is set with probability 1/2 (SE sqrt(1/4n)), also from a seed of
  // zero and from neighbouring block seeds.
  constexpr int kDraws = 100'000;
  const double n = kDraws;
  for (const uint64_t seed : {uint64_t{0}, BlockSeed(1, 0), BlockSeed(1, 1)}) {
    Xoshiro256PlusPlus engine(seed);
    std::vector<int> ones(64, 0);
    for (int i = 0; i < kDraws; ++i) {
      const uint64_t x = engine();
      for (int bit = 0; bit < 64; ++bit) ones[bit] += static_cast<int>((x >> bit) & 1);
    }
    for (int bit = 0; bit < 64; ++bit) {
      EXPECT_NEAR(ones[bit] / n, 0.5, 4 * std::sqrt(0.25 / n)) << "seed " << seed << " bit " << bit;
    }
  }
}

TEST(OpenUniformTest, DrawsAreStrictlyInsideTheUnitIntervalWithMeanOneHalf) {
  constexpr int kDraws = 1'000'000;
  BlockEngine engine(BlockSeed(17, 0));
  double sum = 0;
  double smallest = 1;
  double largest = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = OpenUniform(engine);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    smallest = std::min(smallest, u);
    largest = std::max(largest, u);
  }
  const double n = kDraws;
  EXPECT_NEAR(sum / n, 0.5, 4 * std::sqrt(1.0 / 12.0 / n));  // variance of U(0,1): 1/12
  // The extremes of n uniforms are within a few 1/n of the ends.
  EXPECT_LT(smallest, 20 / n);
  EXPECT_GT(largest, 1 - 20 / n);
}

TEST(OpenUniformTest, TheSmallestAndLargestDrawsStayInsideTheUnitInterval) {
  // The extremes of the engine's range (all bits 0, all bits 1): half a grid step from
  // 0 and from 1, the grid being at least 2^-53 and at most 2^-52 fine.
  ConstantEngine zero(0);
  ConstantEngine all_ones(~uint64_t{0});
  const double smallest = OpenUniform(zero);
  const double largest = OpenUniform(all_ones);
  EXPECT_GT(smallest, 0.0);
  EXPECT_LE(smallest, 0x1p-53);
  EXPECT_LT(largest, 1.0) << "the largest draw rounds up to 1";
  EXPECT_GE(largest, 1 - 0x1p-53);
}

TEST(OpenUniformTest, OneMinusUIsExactAndStrictlyInsideTheUnitInterval) {
  // The point of the half grid (random.h): the antithetic mirror 1 - u of every draw is
  // computed exactly, is itself a possible draw strictly inside (0, 1), and mirrors back
  // to u, so antithetic pairs stay exactly symmetric.
  BlockEngine engine(BlockSeed(31, 4));
  int inexact = 0;
  int outside = 0;
  int not_an_involution = 0;
  for (int i = 0; i < 10'000; ++i) {
    const double u = OpenUniform(engine);
    const double mirror = 1.0 - u;
    // Exact: the same number as the difference in long double (64-bit mantissa).
    inexact += static_cast<long double>(mirror) != 1.0L - static_cast<long double>(u);
    outside += !(mirror > 0.0 && mirror < 1.0);
    not_an_involution += 1.0 - mirror != u;
  }
  EXPECT_EQ(inexact, 0) << "of 10,000 draws, this many have an inexact 1 - u";
  EXPECT_EQ(outside, 0);
  EXPECT_EQ(not_an_involution, 0);
  // The extremes: the smallest draw's mirror must stay below 1.
  ConstantEngine zero(0);
  EXPECT_LT(1.0 - OpenUniform(zero), 1.0) << "the smallest draw mirrors to 1";
  ConstantEngine all_ones(~uint64_t{0});
  EXPECT_GT(1.0 - OpenUniform(all_ones), 0.0) << "the largest draw mirrors to 0";
}

TEST(OpenUniformTest, DrawsAreOnAHalfGridSymmetricAboutOneHalf) {
  // u = (k + 1/2) h for one grid spacing h: then 1 - u = (K - 1 - k + 1/2) h is on the
  // same grid. Doubles in [1/2, 1) are 2^-53 apart, so no half grid finer than 2^-52
  // reaches above 1/2; with h = 2^-52 every draw must have u / h - 1/2 a whole number.
  BlockEngine engine(BlockSeed(31, 5));
  int off_grid = 0;
  for (int i = 0; i < 10'000; ++i) {
    const double u = OpenUniform(engine);
    const long double scaled = static_cast<long double>(u) * 0x1p52L;  // exact
    off_grid += scaled - std::floor(scaled) != 0.5L;
  }
  EXPECT_EQ(off_grid, 0) << "of 10,000 draws, this many are not (k + 1/2) / 2^52";
}

}  // namespace
}  // namespace attain
