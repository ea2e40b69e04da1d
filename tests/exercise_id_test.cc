#include "simulator/exercise_id.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace attain {
namespace {

constexpr uint64_t kMaxSeed = std::numeric_limits<uint64_t>::max();

// Ids of keys at the edges: seed 0, one symbol, two symbols, the largest seed, a typical
// seed, every difficulty, and a version of more than one digit.
std::vector<ExerciseKey> EdgeKeys() {
  return {{1, 1, 0},          {1, 3, 31},   {1, 5, 32},  {1, 2, kMaxSeed},
          {1, 4, 0x9e3779b97f4a7c15ULL}, {1, 3, 1'000'000}, {12, 3, 77}, {999, 5, kMaxSeed}};
}

std::string Message(absl::string_view id) {
  return std::string(ParseExerciseId(id).status().message());
}

TEST(ExerciseIdTest, FormatsShortCanonicalIdsThatParseBack) {
  EXPECT_EQ(FormatExerciseId({1, 3, 0}).substr(0, 6), "1-3-0-");
  EXPECT_EQ(FormatExerciseId({1, 3, 32}).substr(0, 7), "1-3-10-");
  EXPECT_EQ(FormatExerciseId({1, 2, kMaxSeed}).substr(0, 18), "1-2-fzzzzzzzzzzzz-");
  for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{31}, uint64_t{32}, uint64_t{12345},
                        uint64_t{1} << 63, kMaxSeed}) {
    for (int difficulty = kMinExerciseDifficulty; difficulty <= kMaxExerciseDifficulty;
         ++difficulty) {
      const std::string id = FormatExerciseId({kExerciseGeneratorVersion, difficulty, seed});
      EXPECT_LE(id.size(), kMaxExerciseIdLength);
      const auto key = ParseExerciseId(id);
      ASSERT_TRUE(key.ok()) << id << ": " << key.status();
      EXPECT_EQ(key->generator_version, kExerciseGeneratorVersion);
      EXPECT_EQ(key->difficulty, difficulty);
      EXPECT_EQ(key->seed, seed);
    }
  }
  EXPECT_EQ(FormatExerciseId({999, 5, kMaxSeed}).size(), kMaxExerciseIdLength);
}

TEST(ExerciseIdTest, TheHeadersExampleIsARealId) {
  EXPECT_TRUE(ParseExerciseId("2-3-k5gq2x-e7").ok());
}

// Every printable ASCII character in place of every character, every deletion and
// every insertion of one: none is accepted (guaranteed by construction, checked here in
// full); nor is any swap of two different neighbours.
TEST(ExerciseIdTest, EverySingleCharacterChangeIsRefused) {
  for (const ExerciseKey& key : EdgeKeys()) {
    const std::string id = FormatExerciseId(key);
    int changes = 0;
    const auto expect_refused = [&](const std::string& altered, const char* what) {
      ++changes;
      const auto parsed = ParseExerciseId(altered);
      ASSERT_FALSE(parsed.ok()) << what << " of " << id << " gives " << altered;
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    };
    for (size_t k = 0; k < id.size(); ++k) {
      for (char c = 0x20; c < 0x7f; ++c) {
        if (c == id[k]) continue;
        std::string altered = id;
        altered[k] = c;
        expect_refused(altered, "a substitution");
      }
      expect_refused(id.substr(0, k) + id.substr(k + 1), "a deletion");
      if (k + 1 < id.size() && id[k] != id[k + 1]) {
        std::string swapped = id;
        std::swap(swapped[k], swapped[k + 1]);
        expect_refused(swapped, "a swap");
      }
    }
    for (size_t k = 0; k <= id.size(); ++k) {
      for (char c = 0x20; c < 0x7f; ++c) {
        expect_refused(id.substr(0, k) + std::string(1, c) + id.substr(k), "an insertion");
      }
    }
    EXPECT_GT(changes, 190 * static_cast<int>(id.size()));
  }
}

TEST(ExerciseIdTest, AMismatchedCheckSaysTheIdWasMistyped) {
  std::string id = FormatExerciseId({1, 3, 123456});
  id[5] = id[5] == 'a' ? 'b' : 'a';  // a seed symbol
  EXPECT_EQ(Message(id), "exercise id \"" + id +
                             "\": the check characters do not match: the id was mistyped or "
                             "altered");
}

TEST(ExerciseIdTest, AnotherGeneratorVersionIsRefusedByName) {
  const std::string id = FormatExerciseId({1, 3, 99});  // an id served before version 2
  const auto parsed = ParseExerciseId(id);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(id), "exercise id \"" + id +
                             "\": generator version 1 is not served by this build (it "
                             "serves version 2)");
}

TEST(ExerciseIdTest, SaysWhatIsWrongWithAMalformedId) {
  const std::string good = FormatExerciseId({1, 3, 99});
  const std::string check = good.substr(good.size() - 2);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "is empty"},
      {"1-3-K5-ab", "character 5 of the exercise id is 'K'"},
      {" 1-3-k5-ab", "character 1 of the exercise id is ' '"},
      {"1-3-k5-a\n", "character 9 of the exercise id is byte 0x0a"},
      {"1-3-ko-ab", "character 6 of the exercise id is 'o'"},
      {"1-3-k5", "has 3 parts"},
      {"1-3-k-5-ab", "has 5 parts"},
      {"01-3-k5-ab", "generator version must be a whole number from 1 to 999"},
      {"1000-3-k5-ab", "generator version must be a whole number from 1 to 999"},
      {"1-7-k5-ab", "difficulty must be 1..5, got \"7\""},
      {"1-0-k5-ab", "difficulty must be 1..5, got \"0\""},
      {"1-33-k5-ab", "difficulty must be 1..5, got \"33\""},
      {"1--k5-ab", "difficulty must be 1..5, got \"\""},
      {"1-3--ab", "the seed is missing"},
      {"1-3-05-ab", "the seed has a leading zero"},
      {"1-3-g000000000000-ab", "the seed is larger than 64 bits"},
      {"1-3-10000000000000-ab", "the seed is larger than 64 bits"},
      {"1-3-k5-a", "the check must be 2 characters, got 1"},
      {"1-3-k5-abc", "the check must be 2 characters, got 3"},
  };
  for (const auto& [id, expected] : cases) {
    const auto parsed = ParseExerciseId(id);
    ASSERT_FALSE(parsed.ok()) << id;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(Message(id).find(expected), std::string::npos) << id << ": " << Message(id);
  }
  // A well-formed check changes nothing about the form checks before it.
  EXPECT_NE(Message("1-7-" + good.substr(4)).find("difficulty"), std::string::npos);
}

TEST(ExerciseIdTest, ATooLongIdIsRefusedWithoutQuotingIt) {
  const std::string id(100'000, 'a');
  const std::string message = Message(id);
  EXPECT_EQ(ParseExerciseId(id).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(message.find("at most 22 characters; this one has 100000"), std::string::npos)
      << message;
  EXPECT_LT(message.size(), 80u);
  EXPECT_FALSE(ParseExerciseId(FormatExerciseId({1, 2, kMaxSeed}) + " ").ok());
}

TEST(ExerciseIdTest, MessagesQuoteAtMostTheLongestId) {
  // Every message that quotes its input does so after the length check.
  const std::string longest(kMaxExerciseIdLength, '1');
  EXPECT_LT(Message(longest).size(), kMaxExerciseIdLength + 120);
}

}  // namespace
}  // namespace attain
