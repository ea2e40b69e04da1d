// The id of a training exercise: what it was generated from (generator version,
// difficulty, seed), written so that a trainee can read it out, type it and share it,
// with a check that refuses a mistyped or altered id instead of serving another exercise.
//
//   VERSION-DIFFICULTY-SEED-CHECK, e.g. 2-3-k5gq2x-e7
//
// VERSION is decimal (1..999), DIFFICULTY one digit (1..5), SEED the seed in lowercase
// Crockford base32 (0-9 and a-z without i, l, o, u), and CHECK two of those symbols. Every
// key has exactly one spelling: no leading zeros, no upper case, no white space.
//
// The check covers the symbols before it (VERSION, DIFFICULTY and SEED, n of them, each
// read as its base32 value v_j):
//   - the first check symbol is (n + 2 sum_j v_j) mod 32: its parity is n's, so a
//     dropped or added character always changes it;
//   - the second is sum_j v_j a^(n-j) in GF(32) (a a primitive element), which changes
//     under every substitution of one symbol (its weight is not 0) and every swap of two
//     different neighbours (their weights differ).
// A character put in place of a '-', or a '-' put anywhere, changes the number of parts.
// So every single-character substitution, deletion or insertion of a valid id, and every
// swap of two adjacent characters, is refused by construction. One check symbol could
// not do it: the 32 spellings of one position and the id without that position need 33
// check values.
//
// Pure functions; thread-safe.
#ifndef ATTAIN_SIMULATOR_EXERCISE_ID_H_
#define ATTAIN_SIMULATOR_EXERCISE_ID_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace attain {

// The version of GenerateExercise (exercise.h) this build serves. A change to the
// generator that changes any exercise must bump it: an id then never names two
// exercises, and ids of the old version are refused with a message saying so.
inline constexpr int kExerciseGeneratorVersion = 2;

inline constexpr int kMinExerciseDifficulty = 1;
inline constexpr int kMaxExerciseDifficulty = 5;
inline constexpr int kMaxExerciseGeneratorVersion = 999;
// The longest id: a 3-digit version, a 13-symbol seed (64 bits) and the separators.
inline constexpr size_t kMaxExerciseIdLength = 22;

struct ExerciseKey {
  int generator_version = kExerciseGeneratorVersion;
  int difficulty = kMinExerciseDifficulty;
  uint64_t seed = 0;
};

// The id of `key`, at most kMaxExerciseIdLength characters.
// REQUIRES: 1 <= generator_version <= kMaxExerciseGeneratorVersion; difficulty in
// kMinExerciseDifficulty..kMaxExerciseDifficulty.
std::string FormatExerciseId(const ExerciseKey& key);

// The key of `id`, the inverse of FormatExerciseId for the version this build serves.
// Errors, all INVALID_ARGUMENT with a message that says what is wrong and quotes at most
// kMaxExerciseIdLength characters of the input: too long (checked before anything
// else), a character ids do not use, not four parts, a part out of its form or range
// ("difficulty must be 1..5"), a check that does not match ("the id was mistyped or
// altered"), and a well-formed id of another generator version ("generator version 1 is
// not served by this build (it serves version 2)").
absl::StatusOr<ExerciseKey> ParseExerciseId(absl::string_view id);

}  // namespace attain

#endif  // ATTAIN_SIMULATOR_EXERCISE_ID_H_
