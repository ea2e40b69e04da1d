// ln(x) in plain double arithmetic: the same bits on every x86-64 machine, which libm's
// log does not promise (it picks FMA or non-FMA code by CPU). Used where a logarithm
// feeds a seeded result: the conditional estimator's root search and the ziggurats'
// tails.
//
// Method: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)) by
// its series to s^21 (truncation below 1e-18). Pure function; thread-safe.
//
// REQUIRES: x positive and finite.
#ifndef ATTAIN_SIMULATOR_PORTABLE_LOG_H_
#define ATTAIN_SIMULATOR_PORTABLE_LOG_H_

#include <cmath>

namespace attain {

inline double PortableLog(double x) {
  int exponent = 0;
  double m = std::frexp(x, &exponent);
  if (m < 0.7071067811865476) {
    m *= 2;
    --exponent;
  }
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double series = 1.0 / 21;
  for (int k = 19; k >= 1; k -= 2) series = series * s2 + 1.0 / k;
  constexpr double kLn2Hi = 0.6931471803691238;  // 32 significant bits: e * hi is exact
  constexpr double kLn2Lo = 1.9082149292705877e-10;
  const double e = static_cast<double>(exponent);
  return e * kLn2Hi + (e * kLn2Lo + 2 * s * series);
}

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_PORTABLE_LOG_H_
