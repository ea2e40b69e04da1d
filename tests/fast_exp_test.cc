// Tests of simulator/fast_exp.h: accuracy against std::exp over its domain
// [-708, 709] and at the ends of the domain.
#include "simulator/fast_exp.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace attain {
namespace {

struct MaxError {
  double relative = 0;
  double at = 0;
};

// The largest |FastExp(x) / std::exp(x) - 1| over `steps` + 1 evenly spaced x in [low, high].
MaxError MaxRelativeError(double low, double high, int steps) {
  MaxError worst;
  for (int i = 0; i <= steps; ++i) {
    const double x = low + (high - low) * static_cast<double>(i) / steps;
    const double exact = std::exp(x);
    const double error = std::abs(FastExp(x) - exact) / exact;
    if (!(error <= worst.relative)) worst = {error, x};  // also catches NaN
  }
  return worst;
}

TEST(FastExpTest, RelativeErrorOverTheFullRange) {
  const MaxError worst = MaxRelativeError(-700, 700, 2'000'000);
  EXPECT_LT(worst.relative, 1e-15) << "max relative error " << worst.relative << " at x = "
                                   << worst.at;
}

TEST(FastExpTest, RelativeErrorNearZero) {
  const MaxError worst = MaxRelativeError(-1, 1, 1'000'000);
  EXPECT_LT(worst.relative, 1e-15) << "max relative error " << worst.relative << " at x = "
                                   << worst.at;
}

TEST(FastExpTest, RelativeErrorNearTheEndsOfTheDomain) {
  for (const double x : {-708.0, -707.5, 708.5, 709.0}) {
    EXPECT_LT(std::abs(FastExp(x) / std::exp(x) - 1), 1e-15) << "x = " << x;
  }
}

TEST(FastExpTest, ZeroGivesExactlyOne) { EXPECT_EQ(FastExp(0.0), 1.0); }

TEST(FastExpTest, OneGivesE) { EXPECT_NEAR(FastExp(1.0), std::exp(1.0), 4e-16); }

// The domain is [-708, 709] (simulator/fast_exp.h): its ends give normal, finite results.
TEST(FastExpTest, LowerEndOfTheDomainIsANormalPositiveNumber) {
  const double y = FastExp(-708);
  EXPECT_TRUE(std::isfinite(y));
  EXPECT_GE(y, std::numeric_limits<double>::min()) << "zero or subnormal: " << y;
  EXPECT_NEAR(y, 3.307553e-308, 1e-314);
}

TEST(FastExpTest, UpperEndOfTheDomainIsFinite) {
  const double y = FastExp(709);
  EXPECT_TRUE(std::isfinite(y));
  EXPECT_GT(y, 0);
  EXPECT_NEAR(y, 8.218407e307, 1e301);
}

TEST(FastExpTest, IsMonotoneAcrossAPowerOfTwoBoundary) {
  // ln 2 separates two values of n; the result must not step backwards there.
  const double ln2 = std::log(2.0);
  double previous = FastExp(ln2 / 2 - 1e-9);
  for (int i = -1000; i <= 1000; ++i) {
    const double x = ln2 / 2 + i * 1e-12;
    const double y = FastExp(x);
    EXPECT_GE(y, previous) << "x = " << x;
    previous = y;
  }
}

}  // namespace
}  // namespace attain
