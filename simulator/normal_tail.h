// P(Z >= x) for a standard normal Z, to about 1e-15 absolute, from Hart's double-precision
// rational approximation (1968; G. West, "Better approximations to cumulative normal
// functions", Wilmott 2005) with the engine's FastExp: the same bits on every x86-64
// machine, which libm's erfc does not promise (it calls exp, whose code libm picks by CPU).
//
// Pure function; thread-safe.
#ifndef ATTAIN_SIMULATOR_NORMAL_TAIL_H_
#define ATTAIN_SIMULATOR_NORMAL_TAIL_H_

#include <cmath>

#include "simulator/fast_exp.h"

namespace attain {

inline double NormalUpperTail(double x) {
  const double a = std::fabs(x);
  double tail = 0;  // P(Z >= |x|)
  if (a < 37) {
    const double density_part = FastExp(-0.5 * a * a);
    if (a < 7.07106781186547) {
      double numerator = 3.52624965998911e-02 * a + 0.700383064443688;
      numerator = numerator * a + 6.37396220353165;
      numerator = numerator * a + 33.912866078383;
      numerator = numerator * a + 112.079291497871;
      numerator = numerator * a + 221.213596169931;
      numerator = numerator * a + 220.206867912376;
      double denominator = 8.83883476483184e-02 * a + 1.75566716318264;
      denominator = denominator * a + 16.064177579207;
      denominator = denominator * a + 86.7807322029461;
      denominator = denominator * a + 296.564248779674;
      denominator = denominator * a + 637.333633378831;
      denominator = denominator * a + 793.826512519948;
      denominator = denominator * a + 440.413735824752;
      tail = density_part * numerator / denominator;
    } else {
      double fraction = a + 0.65;  // continued fraction of the Mills ratio
      fraction = a + 4 / fraction;
      fraction = a + 3 / fraction;
      fraction = a + 2 / fraction;
      fraction = a + 1 / fraction;
      tail = density_part / fraction / 2.506628274631;
    }
  }
  return x >= 0 ? tail : 1 - tail;
}

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_NORMAL_TAIL_H_
