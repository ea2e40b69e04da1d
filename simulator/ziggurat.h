// Standard normal and standard exponential variates by the ziggurat method (Marsaglia
// and Tsang, "The ziggurat method for generating random variables", 2000), 256 layers,
// in the form of Doornik ("An improved ziggurat method", 2005): one 64-bit draw gives
// the layer (its low 8 bits), the normal's sign (bit 8) and a 53-bit uniform (bits
// 11..63). About 99% of draws end in one multiplication and one comparison; the rest
// test the wedge under the density, or sample the tail (Marsaglia's method for the
// normal, memorylessness for the exponential).
//
// Why not Boost.Random's: these are inline, so the engine's loops keep their values in
// registers, and the wedges and tails use FastExp and PortableLog, so a seed gives the
// same variates on every x86-64 machine. The tables are computed at compile time from
// correctly rounded builtins, so they are the same bits everywhere too.
//
// Pure functions of the engine's stream; thread-safe for distinct engines.
#ifndef ATTAIN_SIMULATOR_ZIGGURAT_H_
#define ATTAIN_SIMULATOR_ZIGGURAT_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "simulator/fast_exp.h"
#include "simulator/portable_log.h"
#include "simulator/random.h"

namespace attain {
namespace ziggurat_internal {

inline constexpr size_t kLayers = 256;

// Layer i (0 <= i < 256) is the rectangle [0, x[i]] x [f[i], f[i + 1]], each of area v;
// f[i] = density(x[i]) rises with i, x[1] = r is where the tail starts, x[0] = v / f(r)
// is the base layer's width (the base layer is the region below f(r) plus the tail, of
// area v too), and x[256] = 0, f[256] = density(0) = 1.
struct Tables {
  std::array<double, kLayers + 1> x{};
  std::array<double, kLayers + 1> f{};
};

// r and v for 256 layers, from Marsaglia and Tsang (2000).
inline constexpr double kNormalTailStart = 3.6541528853610088;
inline constexpr double kNormalLayerArea = 0.00492867323399;
inline constexpr double kExponentialTailStart = 7.69711747013104972;
inline constexpr double kExponentialLayerArea = 0.0039496598225815571993;

ATTAIN_TABLE_FUNCTION Tables NormalTables() {
  Tables t;
  const double r = kNormalTailStart;
  const double v = kNormalLayerArea;
  t.x[0] = v / __builtin_exp(-0.5 * r * r);
  t.x[1] = r;
  for (size_t i = 2; i < kLayers; ++i) {  // f(x[i]) = f(x[i - 1]) + v / x[i - 1]
    const double previous = t.x[i - 1];
    const double density = __builtin_exp(-0.5 * previous * previous);
    t.x[i] = __builtin_sqrt(-2 * __builtin_log(v / previous + density));
  }
  t.x[kLayers] = 0;
  for (size_t i = 0; i <= kLayers; ++i) t.f[i] = __builtin_exp(-0.5 * t.x[i] * t.x[i]);
  return t;
}

ATTAIN_TABLE_FUNCTION Tables ExponentialTables() {
  Tables t;
  const double r = kExponentialTailStart;
  const double v = kExponentialLayerArea;
  t.x[0] = v / __builtin_exp(-r);
  t.x[1] = r;
  for (size_t i = 2; i < kLayers; ++i) {
    const double previous = t.x[i - 1];
    t.x[i] = -__builtin_log(v / previous + __builtin_exp(-previous));
  }
  t.x[kLayers] = 0;
  for (size_t i = 0; i <= kLayers; ++i) t.f[i] = __builtin_exp(-t.x[i]);
  return t;
}

ATTAIN_TABLE Tables kNormal = NormalTables();
ATTAIN_TABLE Tables kExponential = ExponentialTables();

// The uniform in [0, 1) of a draw's top 53 bits.
inline double TopBitsUniform(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1p-53; }

// x with `sign` (0 or the sign bit) xored in: a random sign without a branch that the
// processor would mispredict half of the time.
inline double WithSign(double x, uint64_t sign) {
  return std::bit_cast<double>(std::bit_cast<uint64_t>(x) ^ sign);
}

// The draws that fall outside the layer below: the wedges and the tails, about 1% of
// draws. Out of line, so that the common case inlines into the engine's loops. `bits`:
// the draw that fell outside; further draws come from `engine`.
template <class Engine>
[[gnu::noinline]] double NormalBeyondLayer(Engine& engine, uint64_t bits) {
  for (;;) {
    const size_t layer = bits & 0xff;
    const uint64_t sign = (bits & 0x100) << 55;
    const double x = TopBitsUniform(bits) * kNormal.x[layer];
    if (x < kNormal.x[layer + 1]) return WithSign(x, sign);  // a redraw inside its layer
    if (layer == 0) {
      // The tail beyond r: x = r + e1 / r, accepted when 2 e2 >= (e1 / r)^2 (Marsaglia,
      // 1964), e1 and e2 standard exponentials by inversion.
      double excess = 0;
      double exponential = 0;
      do {
        excess = -PortableLog(OpenUniform(engine)) / kNormalTailStart;
        exponential = -PortableLog(OpenUniform(engine));
      } while (exponential + exponential < excess * excess);
      return WithSign(kNormalTailStart + excess, sign);
    }
    // The wedge: a height uniform in the layer, accepted below the density.
    const double height =
        kNormal.f[layer] + TopBitsUniform(engine()) * (kNormal.f[layer + 1] - kNormal.f[layer]);
    if (height < FastExp(-0.5 * x * x)) return WithSign(x, sign);
    bits = engine();
  }
}

template <class Engine>
[[gnu::noinline]] double ExponentialBeyondLayer(Engine& engine, uint64_t bits) {
  double offset = 0;  // beyond r the exponential is r plus a fresh one: memorylessness
  for (;;) {
    const size_t layer = bits & 0xff;
    const double x = TopBitsUniform(bits) * kExponential.x[layer];
    if (x < kExponential.x[layer + 1]) return offset + x;
    if (layer == 0) {
      offset += kExponentialTailStart;
    } else {
      const double height = kExponential.f[layer] +
                            TopBitsUniform(engine()) *
                                (kExponential.f[layer + 1] - kExponential.f[layer]);
      if (height < FastExp(-x)) return offset + x;
    }
    bits = engine();
  }
}

}  // namespace ziggurat_internal

// A standard normal variate.
template <class Engine>
inline double StandardNormal(Engine& engine) {
  using namespace ziggurat_internal;
  const uint64_t bits = engine();
  const size_t layer = bits & 0xff;
  const double x = TopBitsUniform(bits) * kNormal.x[layer];
  // Inside the layer below; bit 8 moved to the sign bit.
  if (x < kNormal.x[layer + 1]) [[likely]] return WithSign(x, (bits & 0x100) << 55);
  return NormalBeyondLayer(engine, bits);
}

// A standard exponential variate (mean 1).
template <class Engine>
inline double StandardExponential(Engine& engine) {
  using namespace ziggurat_internal;
  const uint64_t bits = engine();
  const size_t layer = bits & 0xff;
  const double x = TopBitsUniform(bits) * kExponential.x[layer];
  if (x < kExponential.x[layer + 1]) [[likely]] return x;
  return ExponentialBeyondLayer(engine, bits);
}

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_ZIGGURAT_H_
