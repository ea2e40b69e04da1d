// Random streams of the engine. Paths are simulated in fixed-size blocks; block b draws
// from its own engine (xoshiro256++) seeded from (seed, b), so results never depend on
// which thread ran which block. Deals come from a per-(path, partner, period) SplitMix64
// stream seeded by one draw of the block engine, so every plan evaluated on a path sees
// the same deals (common random numbers) and evaluating more plans never shifts the
// block's stream.
// Partners' parameters, with parameter uncertainty, come from a second engine per block
// (ParameterSeed), so drawing them never shifts the block's own stream either.
//
// Engines are not thread-safe; each block owns its own.
#ifndef ATTAIN_SIMULATOR_RANDOM_H_
#define ATTAIN_SIMULATOR_RANDOM_H_

#include <array>
#include <bit>
#include <cstdint>
#include <limits>

namespace attain {

// The version of the engine's sampler: which bit generator, which normal and exponential
// algorithms, and in which order a path draws them. Results for a seed are reproducible
// within one version; every outcome reports the version that made it. History:
//   1  Boost's mt19937_64 with Boost.Random's normal and exponential distributions.
//   2  xoshiro256++ (Xoshiro256PlusPlus) with the project's ziggurats (ziggurat.h).
inline constexpr int kSamplerVersion = 2;

// SplitMix64's increment, 2^64 / golden ratio: odd, so successive states never repeat
// within 2^64 steps, and its bits are well mixed.
inline constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;
// Salts that derive one stream's seed from another's, so that the two are independent:
// the first 64 fractional bits of sqrt(2), made odd (SHA-512's first initial hash word
// + 1), for a mirror path's deal streams; PCG's multiplier for a recommendation's
// validation sample; the first 64 fractional bits of sqrt(3) (SHA-512's second initial
// hash word, odd as it is) for a block's parameter stream; the first 64 fractional bits
// of sqrt(5) (SHA-512's third initial hash word, odd as it is) for an exercise's
// grading seed; those of sqrt(7) (SHA-512's fourth, odd as it is) for a team member's
// tier search. Any fixed constant with well-mixed bits would do; changing one changes
// every seeded result that uses it.
inline constexpr uint64_t kMirrorDealSalt = 0x6a09e667f3bcc909ULL;
inline constexpr uint64_t kValidationSeedSalt = 0x5851f42d4c957f2dULL;
inline constexpr uint64_t kParameterStreamSalt = 0xbb67ae8584caa73bULL;
inline constexpr uint64_t kExerciseGradingSalt = 0x3c6ef372fe94f82bULL;
inline constexpr uint64_t kTeamSearchSalt = 0xa54ff53a5f1d36f1ULL;

// SplitMix64 finalizer: a bijective 64-bit mix with good avalanche.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The seed of block `block` of a run seeded with `seed`.
constexpr uint64_t BlockSeed(uint64_t seed, uint64_t block) {
  return Mix64(Mix64(seed) ^ Mix64(block + kGoldenGamma));
}

// The seed of block `block`'s parameter stream (SimulationOptions::parameter_uncertainty,
// parameter_draws.h): a second engine per block, apart from the block's own, so that
// drawing partners' parameters leaves every other draw of the block where it was.
constexpr uint64_t ParameterSeed(uint64_t seed, uint64_t block) {
  return Mix64(BlockSeed(seed, block) ^ kParameterStreamSalt);
}

// A uniform in the open interval (0, 1) on the grid (k + 1/2) / 2^52, k < 2^52. Every
// point of it is a double (those in [1/2, 1) are 2^-53 apart), so 1 - u is exact and on
// the grid too: antithetic pairs stay exactly symmetric, and neither end is reached.
template <class Engine>
double OpenUniform(Engine& engine) {
  const uint64_t bits = static_cast<uint64_t>(engine()) >> 12;
  return (static_cast<double>(bits) + 0.5) * 0x1p-52;
}

// SplitMix64 as a UniformRandomBitGenerator: tiny state, free to seed.
class SplitMix64 {
 public:
  using result_type = uint64_t;
  explicit SplitMix64(uint64_t state) : state_(state) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    state_ += kGoldenGamma;
    return Mix64(state_);
  }

 private:
  uint64_t state_;
};

// xoshiro256++ 1.0 (Blackman and Vigna, 2019): 256 bits of state, period 2^256 - 1,
// four additions, shifts and rotations per draw, and no weakness known to BigCrush or
// PractRand in its 64-bit output. Seeded from 64 bits by SplitMix64, as its authors
// recommend: four successive outputs of a bijection are never all zero.
class Xoshiro256PlusPlus {
 public:
  using result_type = uint64_t;
  using State = std::array<uint64_t, 4>;
  explicit Xoshiro256PlusPlus(uint64_t seed) {
    SplitMix64 seeder(seed);
    for (uint64_t& word : state_) word = seeder();
  }
  // REQUIRES: `state` is not all zero. For the reference vectors.
  static Xoshiro256PlusPlus FromState(const State& state) { return Xoshiro256PlusPlus(state); }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    const uint64_t result = std::rotl(state_[0] + state_[3], 23) + state_[0];
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = std::rotl(state_[3], 45);
    return result;
  }

 private:
  explicit Xoshiro256PlusPlus(const State& state) : state_(state) {}
  State state_;
};

using BlockEngine = Xoshiro256PlusPlus;

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_RANDOM_H_
