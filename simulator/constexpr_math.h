// Tables computed with __builtin_exp, _log and _sqrt: GCC (the build) evaluates them in
// constant expressions, so the tables are compile-time constants; clang (the fuzz build,
// scripts/fuzz.sh) cannot, and computes them as the program starts, before main, from
// the same code. Nothing reads them during static initialization.
#ifndef ATTAIN_SIMULATOR_CONSTEXPR_MATH_H_
#define ATTAIN_SIMULATOR_CONSTEXPR_MATH_H_

#if defined(__clang__)
#define ATTAIN_TABLE_FUNCTION inline
#define ATTAIN_TABLE inline const
#else
#define ATTAIN_TABLE_FUNCTION constexpr
#define ATTAIN_TABLE inline constexpr
#endif

#endif  // ATTAIN_SIMULATOR_CONSTEXPR_MATH_H_
