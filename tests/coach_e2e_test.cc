// End to end: `attain coach`, `attain recommend --out` and `attain exercise new|submit`
// against a real attaind process, up to a trainee's whole exercise: new, calibrate,
// recommend, submit.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "simulator/exercise_id.h"
#include "tests/test_support.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_support::ReadFile;
using testing_support::TempPath;
using testing_support::WriteTempFile;

const std::string kExamples = std::string(ATTAIN_SOURCE_DIR) + "/examples/";

using Result = testing_support::ProcessResult;

// A directory path under the test's temporary directory, removed if it exists.
std::string FreshDirectory(const std::string& name) {
  const std::string directory = TempPath(name);
  std::filesystem::remove_all(directory);
  return directory;
}

template <class Message>
Message ParseJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << json;
  return message;
}

class CoachEndToEndTest : public testing_support::AttainCliTest {
 protected:
  CoachEndToEndTest() : AttainCliTest(ATTAIN_CLI_PATH, ATTAIND_PATH, std::chrono::seconds(120)) {}
};

TEST_F(CoachEndToEndTest, CoachScoresAPlanOverCapacityAndSaysSo) {
  const Result result = Attain({"coach", kExamples + "portfolio.json",
                                kExamples + "plan-invest-cobalt.json", "--paths", "2000",
                                "--seed", "3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(result.out, StartsWith("Coaching of plan \"invest in cobalt\" (8 partners, 4 "
                                     "months, quota 4,200,000 USD), on P(attain)\n"));
  EXPECT_THAT(result.out, HasSubstr("Score "));
  EXPECT_THAT(result.out, HasSubstr("OVER_CAPACITY: your plan needs 68 hours per month"));
  EXPECT_THAT(result.out, HasSubstr("best plan found"));
  EXPECT_THAT(result.out, HasSubstr("Best plan found: INVEST "));
  EXPECT_THAT(result.out, HasSubstr("seeds: optimization 3, validation "));
}

TEST_F(CoachEndToEndTest, CoachJsonIsTheWholeResponse) {
  const Result result = Attain({"coach", kExamples + "portfolio.json",
                                kExamples + "plan-invest-cobalt.json", "--paths", "2000",
                                "--seed", "3", "--objective", "revenue", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("{\n \"score\":"));
  const auto response = ParseJson<v1::CoachPlanResponse>(result.out);
  EXPECT_GE(response.score(), 0);
  EXPECT_LE(response.score(), 100);
  EXPECT_EQ(response.objective(), v1::OBJECTIVE_EXPECTED_REVENUE);
  EXPECT_EQ(response.partners_size(), 8);
  EXPECT_EQ(response.optimization_seed(), 3u);
  EXPECT_EQ(response.plan_outcome().paths(), 2000u);
  EXPECT_EQ(response.portfolio().capacity_code(), v1::FEEDBACK_CODE_OVER_CAPACITY);
  EXPECT_THAT(result.out, HasSubstr("\"scoreMessage\""));  // JSON names, not proto
}

TEST_F(CoachEndToEndTest, AnUnknownPartnerInThePlanExitsTwoNamingIt) {
  const std::string plan =
      WriteTempFile("plan-nobody.json", R"({"tiers": {"nobody": "TIER_INVEST"}})");
  const Result result = Attain({"coach", kExamples + "portfolio.json", plan, "--paths", "2000"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("plan.tiers[\"nobody\"]"));
  EXPECT_EQ(result.out, "");
}

TEST_F(CoachEndToEndTest, PrecisionIsRefusedBeforeAnyCall) {
  const Result result = Attain({"coach", kExamples + "portfolio.json",
                                kExamples + "plan-invest-cobalt.json", "--precision", "0.01"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("attain: coach: --precision does not apply"));
}

TEST_F(CoachEndToEndTest, RecommendOutWritesThePlanThatCoachScoresAsTheBest) {
  const std::string out = TempPath("recommended-plan.json");
  std::filesystem::remove(out);
  const Result recommended = Attain({"recommend", kExamples + "portfolio.json", "--paths",
                                     "2000", "--seed", "3", "--out", out});
  ASSERT_EQ(recommended.exit_code, 0) << recommended.err;
  EXPECT_THAT(recommended.out,
              HasSubstr(absl::StrCat("Wrote the recommended plan to ", out)));
  const auto plan = ParseJson<v1::Plan>(ReadFile(out));
  EXPECT_EQ(plan.tiers_size(), 8);

  // The same seed and paths: coaching finds the same best plan, and the recommendation
  // captures all of its gain.
  const Result coached = Attain(
      {"coach", kExamples + "portfolio.json", out, "--paths", "2000", "--seed", "3", "--json"});
  ASSERT_EQ(coached.exit_code, 0) << coached.err;
  const auto response = ParseJson<v1::CoachPlanResponse>(coached.out);
  EXPECT_EQ(response.score(), 100);
  EXPECT_NE(response.portfolio().capacity_code(), v1::FEEDBACK_CODE_OVER_CAPACITY);

  // A recommendation that fails writes nothing.
  const std::string never = TempPath("never-recommended.json");
  std::filesystem::remove(never);
  const Result failed = Attain({"recommend", kExamples + "portfolio.json", "--paths", "2000",
                                "--lock", "nobody", "--out", never});
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(never));
}

// The tests below need CreateExercise and SubmitExercise in attaind.

TEST_F(CoachEndToEndTest, ExerciseNewWritesTheSameFilesForTheSameSeed) {
  const std::string first = FreshDirectory("exercise-42");
  const Result created =
      Attain({"exercise", "new", "--difficulty", "2", "--seed", "42", "--out", first});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, StartsWith("Exercise "));
  EXPECT_THAT(created.out, HasSubstr("(difficulty 2, seed 42)"));
  EXPECT_THAT(created.out, HasSubstr(absl::StrCat("attain calibrate ", first, "/history.csv")));
  EXPECT_THAT(created.out, HasSubstr("attain exercise submit "));
  const std::string portfolio = ReadFile(first + "/portfolio.json");
  const std::string history = ReadFile(first + "/history.csv");
  ASSERT_NE(portfolio, "");
  EXPECT_THAT(history, StartsWith("partner_id,name,segment,period,revenue,hours\n"));

  const std::string second = FreshDirectory("exercise-42-again");
  ASSERT_EQ(Attain({"exercise", "new", "--difficulty", "2", "--seed", "42", "--out", second})
                .exit_code,
            0);
  EXPECT_EQ(ReadFile(second + "/portfolio.json"), portfolio);
  EXPECT_EQ(ReadFile(second + "/history.csv"), history);

  const std::string other = FreshDirectory("exercise-43");
  ASSERT_EQ(Attain({"exercise", "new", "--difficulty", "2", "--seed", "43", "--out", other})
                .exit_code,
            0);
  EXPECT_NE(ReadFile(other + "/portfolio.json"), portfolio);
  EXPECT_NE(ReadFile(other + "/history.csv"), history);

  // Into the first directory: the same exercise again is fine, another one is refused.
  EXPECT_EQ(Attain({"exercise", "new", "--difficulty", "2", "--seed", "42", "--out", first})
                .exit_code,
            0);
  const Result clash =
      Attain({"exercise", "new", "--difficulty", "2", "--seed", "43", "--out", first});
  EXPECT_EQ(clash.exit_code, 2);
  EXPECT_THAT(clash.err, HasSubstr("already exists and holds something else"));
  EXPECT_EQ(ReadFile(first + "/portfolio.json"), portfolio);
}

TEST_F(CoachEndToEndTest, ExerciseNewJsonIsTheResponseAndTheFilesAreWrittenToo) {
  const std::string directory = FreshDirectory("exercise-json");
  const Result result = Attain({"exercise", "new", "--seed", "5", "--out", directory, "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto response = ParseJson<v1::CreateExerciseResponse>(result.out);
  EXPECT_EQ(response.exercise().difficulty(), 1);  // the default
  EXPECT_EQ(response.exercise().seed(), 5u);
  EXPECT_GT(response.exercise().history_size(), 0);
  EXPECT_TRUE(std::filesystem::exists(directory + "/portfolio.json"));
  EXPECT_TRUE(std::filesystem::exists(directory + "/history.csv"));
}

TEST_F(CoachEndToEndTest, ACorruptedExerciseIdExitsTwoNamingTheField) {
  std::string id = FormatExerciseId({kExerciseGeneratorVersion, 1, 42});
  id.back() = id.back() == '0' ? '1' : '0';  // one mistyped character of the check
  const std::string plan = WriteTempFile("plan-empty.json", R"({"tiers": {}})");
  const Result result = Attain({"exercise", "submit", id, plan});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("exercise_id"));
  EXPECT_EQ(result.out, "");
}

TEST_F(CoachEndToEndTest, ATraineeCreatesCalibratesRecommendsAndSubmits) {
  const std::string directory = FreshDirectory("exercise-flow");
  const Result created = Attain(
      {"exercise", "new", "--difficulty", "1", "--seed", "7", "--out", directory, "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string id = ParseJson<v1::CreateExerciseResponse>(created.out).exercise().id();

  const Result calibrated =
      Attain({"calibrate", directory + "/history.csv", "--portfolio",
              directory + "/portfolio.json", "--out", directory + "/calibrated.json"});
  ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err;
  const Result recommended = Attain({"recommend", directory + "/calibrated.json", "--paths",
                                     "2000", "--out", directory + "/plan.json"});
  ASSERT_EQ(recommended.exit_code, 0) << recommended.err;

  const Result submitted =
      Attain({"exercise", "submit", id, directory + "/plan.json", "--json"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const auto response = ParseJson<v1::SubmitExerciseResponse>(submitted.out);
  EXPECT_EQ(response.exercise_id(), id);
  EXPECT_GE(response.coaching().score(), 0);
  EXPECT_LE(response.coaching().score(), 100);
  EXPECT_EQ(response.partners_size(), response.truth().partners_size());

  // The readable report: the grade, then the truth.
  const Result report = Attain({"exercise", "submit", id, directory + "/plan.json"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, StartsWith(absl::StrCat("Exercise ", id, ": your plan scored")));
  EXPECT_THAT(report.out, HasSubstr("Score "));
  EXPECT_THAT(report.out, HasSubstr("The truth revealed"));
  EXPECT_THAT(report.out, HasSubstr("calibrated"));
}

}  // namespace
}  // namespace attain
