// exp(x) in plain double arithmetic, inline and branch-free so loops over arrays
// vectorize. Relative error below 5e-16 (tested against std::exp). Two reasons to prefer
// it to libm's exp in the engine: it is 2-4x faster in the simulation loops, and its
// result is the same bits on every x86-64 machine (libm picks FMA or non-FMA code by
// CPU, so its last bit may differ between machines, and with it a seeded result).
//
// REQUIRES: -708 <= x <= 709 (no clamp, so that loops vectorize; the engine's inputs are
// bounded by the validated volatility and deal-size limits, far inside this range).
#ifndef ATTAIN_SIMULATOR_FAST_EXP_H_
#define ATTAIN_SIMULATOR_FAST_EXP_H_

#include <bit>
#include <cstdint>

namespace attain {

inline double FastExp(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // ln 2, high bits (exact n * hi)
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln 2 - kLn2Hi
  constexpr double kRoundMagic = 0x1.8p52;  // adding it rounds to an integer in the low bits
  // x = n ln2 + r with n integer and |r| <= ln2 / 2.
  const double shifted = x * kLog2e + kRoundMagic;
  const double n = shifted - kRoundMagic;
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;
  // exp(r) by its Taylor series to r^13 (truncation < 4e-18 for |r| <= ln2 / 2),
  // evaluated by Estrin's scheme: a short dependency chain for scalar callers.
  const double r2 = r * r;
  const double r4 = r2 * r2;
  const double r8 = r4 * r4;
  const double q0 = (1.0 + r) + r2 * (1.0 / 2 + r * (1.0 / 6));
  const double q1 = (1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720 + r * (1.0 / 5040));
  const double q2 = (1.0 / 40320 + r * (1.0 / 362880)) +
                    r2 * (1.0 / 3628800 + r * (1.0 / 39916800));
  const double q3 = 1.0 / 479001600 + r * (1.0 / 6227020800);
  const double p = (q0 + r4 * q1) + r8 * (q2 + r4 * q3);
  // 2^n from n's bits in `shifted`; n + 1023 is in [2, 2046], a normal exponent.
  const uint64_t n_bits =
      std::bit_cast<uint64_t>(shifted) - std::bit_cast<uint64_t>(kRoundMagic);
  const double scale = std::bit_cast<double>((n_bits + 1023) << 52);
  return p * scale;
}

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_FAST_EXP_H_
