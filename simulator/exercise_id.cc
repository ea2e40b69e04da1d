#include "simulator/exercise_id.h"

#include <array>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace attain {
namespace {

// Crockford's base32 in lower case: no i, l, o or u, which read as 1, 1, 0 and v.
constexpr absl::string_view kSymbols = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr int kSeedBits = 64;
constexpr int kMaxSeedSymbols = (kSeedBits + 4) / 5;  // 13; the first holds 4 bits
// x^5 + x^2 + 1: irreducible with x of order 31, so x is a primitive element of GF(32).
constexpr int kFieldPolynomial = 0b100101;
constexpr absl::string_view kExample = "2-3-k5gq2x-e7";

// The base32 value of `c`, or -1.
int SymbolValue(char c) {
  const size_t at = kSymbols.find(c);
  return at == absl::string_view::npos ? -1 : static_cast<int>(at);
}

// The two check values of the symbols of `body` ('-' is skipped; see the header).
std::array<int, 2> CheckValues(absl::string_view body) {
  int count = 0;
  int sum = 0;
  int weighted = 0;  // Horner's rule in GF(32): weighted * x + v
  for (const char c : body) {
    if (c == '-') continue;
    const int v = SymbolValue(c);
    ++count;
    sum += v;
    weighted <<= 1;
    if ((weighted & 32) != 0) weighted ^= kFieldPolynomial;
    weighted ^= v;
  }
  return {(count + 2 * sum) % 32, weighted};
}

std::string SeedText(uint64_t seed) {
  std::string text;
  do {
    text.insert(text.begin(), kSymbols[seed % 32]);
    seed /= 32;
  } while (seed != 0);
  return text;
}

absl::Status Invalid(absl::string_view id, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("exercise id \"", id, "\": ", what));
}

// A character for a message: itself when printable, else its code.
std::string Shown(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x20 && byte < 0x7f ? absl::StrCat("'", std::string(1, c), "'")
                                     : absl::StrFormat("byte 0x%02x", byte);
}

// The whole number of `digits` when it is 1..max_digits decimal digits without a
// leading zero.
bool ReadDecimal(absl::string_view digits, size_t max_digits, int& value) {
  if (digits.empty() || digits.size() > max_digits || digits[0] == '0') return false;
  value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

}  // namespace

std::string FormatExerciseId(const ExerciseKey& key) {
  const std::string body =
      absl::StrCat(key.generator_version, "-", key.difficulty, "-", SeedText(key.seed));
  const std::array<int, 2> check = CheckValues(body);
  return absl::StrCat(body, "-", std::string(1, kSymbols[check[0]]),
                      std::string(1, kSymbols[check[1]]));
}

absl::StatusOr<ExerciseKey> ParseExerciseId(absl::string_view id) {
  if (id.size() > kMaxExerciseIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("an exercise id has at most ", kMaxExerciseIdLength,
                     " characters; this one has ", id.size()));
  }
  if (id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the exercise id is empty; an id looks like ", kExample));
  }
  // From here on `id` is short and printable, so messages may quote it whole.
  for (size_t k = 0; k < id.size(); ++k) {
    if (id[k] != '-' && SymbolValue(id[k]) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "character ", k + 1, " of the exercise id is ", Shown(id[k]),
          ", which ids do not use: they hold digits, lower-case letters other than i, l, o "
          "and u, and '-'"));
    }
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(id, '-');
  if (parts.size() != 4) {
    return Invalid(id, absl::StrCat("has ", parts.size(),
                                    " parts separated by '-', an id has 4: "
                                    "VERSION-DIFFICULTY-SEED-CHECK, like ",
                                    kExample));
  }
  ExerciseKey key;
  if (!ReadDecimal(parts[0], 3, key.generator_version)) {
    return Invalid(id, absl::StrCat("the generator version must be a whole number from 1 to ",
                                    kMaxExerciseGeneratorVersion,
                                    " without leading zeros"));
  }
  if (!ReadDecimal(parts[1], 1, key.difficulty) || key.difficulty > kMaxExerciseDifficulty) {
    return Invalid(id, absl::StrCat("difficulty must be ", kMinExerciseDifficulty, "..",
                                    kMaxExerciseDifficulty, ", got \"", parts[1], "\""));
  }
  const absl::string_view seed = parts[2];
  if (seed.empty()) return Invalid(id, "the seed is missing");
  if (seed.size() > 1 && seed[0] == '0') return Invalid(id, "the seed has a leading zero");
  // 13 symbols hold 65 bits: the first may use only the lower 4.
  if (seed.size() > kMaxSeedSymbols ||
      (seed.size() == kMaxSeedSymbols && SymbolValue(seed[0]) >= 16)) {
    return Invalid(id, "the seed is larger than 64 bits");
  }
  for (const char c : seed) key.seed = key.seed * 32 + static_cast<uint64_t>(SymbolValue(c));
  const absl::string_view check = parts[3];
  if (check.size() != 2) {
    return Invalid(id, absl::StrCat("the check must be 2 characters, got ", check.size()));
  }
  const std::array<int, 2> expected = CheckValues(id.substr(0, id.size() - check.size() - 1));
  if (SymbolValue(check[0]) != expected[0] || SymbolValue(check[1]) != expected[1]) {
    return Invalid(id, "the check characters do not match: the id was mistyped or altered");
  }
  if (key.generator_version != kExerciseGeneratorVersion) {
    return Invalid(id, absl::StrCat("generator version ", key.generator_version,
                                    " is not served by this build (it serves version ",
                                    kExerciseGeneratorVersion, ")"));
  }
  return key;
}

}  // namespace attain
