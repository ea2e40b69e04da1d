// Tests of simulator/portable_log.h against libm's log, to within a few ulps.
#include "simulator/portable_log.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"
#include "simulator/random.h"

namespace attain {
namespace {

TEST(PortableLogTest, AgreesWithLibmAcrossTheDoubleRange) {
  // Random mantissas at every binary exponent, subnormals and the extremes included.
  SplitMix64 bits(314);
  for (int exponent = -1074; exponent <= 1023; ++exponent) {
    for (int k = 0; k < 20; ++k) {
      const double mantissa = 1 + static_cast<double>(bits() >> 12) * 0x1p-52;
      const double x = std::ldexp(mantissa, exponent);
      if (x == 0 || !std::isfinite(x)) continue;
      const double expected = std::log(x);
      ASSERT_NEAR(PortableLog(x), expected, 4e-16 * std::max(1.0, std::fabs(expected)))
          << "x = " << x;
    }
  }
  EXPECT_EQ(PortableLog(1.0), 0.0);
  const double largest = std::numeric_limits<double>::max();
  EXPECT_NEAR(PortableLog(largest), std::log(largest), 1e-12);
  EXPECT_NEAR(PortableLog(std::numeric_limits<double>::denorm_min()), -744.4400719213812, 1e-12);
}

TEST(PortableLogTest, IsAccurateNearOne) {
  // Where the logarithm is near 0 an absolute bound would hide relative error.
  for (double d = 1e-12; d < 0.3; d *= 1.7) {
    for (const double x : {1 + d, 1 - d}) {
      const double expected = std::log(x);
      EXPECT_NEAR(PortableLog(x), expected, 4e-16 * std::fabs(expected)) << "x = " << x;
    }
  }
}

}  // namespace
}  // namespace attain
