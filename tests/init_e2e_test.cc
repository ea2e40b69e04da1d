// End to end: a new user's first hour against a real attaind process. `attain init`
// writes a template that `attain simulate` takes as it is, and the guide's example
// (examples/guide/, docs/guide.md) is a quarterly plan whose quota is reachable but not
// certain.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "attain/v1/planner_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace attain {
namespace {

using ::testing::HasSubstr;
using testing_support::ReadFile;
using testing_support::TempPath;

const std::string kGuide = std::string(ATTAIN_SOURCE_DIR) + "/examples/guide/";

using Result = testing_support::ProcessResult;

// A directory path under the test's temporary directory, removed if it exists.
std::string FreshDirectory(const std::string& name) {
  const std::string directory = TempPath(name);
  std::filesystem::remove_all(directory);
  return directory;
}

v1::SimulateResponse ParseSimulateResponse(const std::string& json) {
  v1::SimulateResponse response;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &response);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << json;
  return response;
}

bool HasWarning(const v1::SimulateResponse& response, v1::WarningCode code) {
  for (const v1::Warning& warning : response.warnings()) {
    if (warning.code() == code) return true;
  }
  return false;
}

class InitEndToEndTest : public testing_support::AttainCliTest {
 protected:
  InitEndToEndTest() : AttainCliTest(ATTAIN_CLI_PATH, ATTAIND_PATH, std::chrono::seconds(60)) {}
};

TEST_F(InitEndToEndTest, InitThenSimulateTheTemplateAsItIs) {
  const std::string directory = FreshDirectory("init-e2e");
  const Result init = Attain({"init", "--out", directory});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(init.err, "");
  const std::string csv = directory + "/partners.csv";
  const std::string meta = directory + "/portfolio-meta.json";
  EXPECT_THAT(init.out, HasSubstr("for 12 partners"));
  EXPECT_THAT(init.out,
              HasSubstr(absl::StrCat("attain simulate ", csv, " --portfolio-json ", meta)));
  EXPECT_THAT(ReadFile(directory + "/README.md"), HasSubstr("| `capacityHours` |"));

  const Result simulated =
      Attain({"simulate", csv, "--portfolio-json", meta, "--seed", "7", "--json"});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  const v1::SimulateResponse response = ParseSimulateResponse(simulated.out);
  const v1::PlanOutcome& outcome = response.outcome();
  EXPECT_EQ(outcome.partners_size(), 12);
  EXPECT_EQ(outcome.period_length(), v1::PERIOD_LENGTH_QUARTER);
  // The placeholders make a first run that says something: neither a sure hit nor a miss,
  // and the current tiers within the capacity.
  EXPECT_GT(outcome.attainment_probability(), 0.05);
  EXPECT_LT(outcome.attainment_probability(), 0.95);
  EXPECT_FALSE(outcome.over_capacity());
  EXPECT_EQ(outcome.capacity_hours(), 360);
  // As the README says: the empty response columns leave the results on the defaults.
  EXPECT_TRUE(HasWarning(response, v1::WARNING_CODE_RESTS_ON_DEFAULTS)) << simulated.out;
  EXPECT_FALSE(HasWarning(response, v1::WARNING_CODE_UNASSISTED_FAR_ABOVE_QUOTA));
  EXPECT_FALSE(HasWarning(response, v1::WARNING_CODE_UNASSISTED_FAR_BELOW_QUOTA));

  // The readable report too.
  const Result report = Attain({"simulate", csv, "--portfolio-json", meta, "--seed", "7"});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("P(attain)"));
}

TEST_F(InitEndToEndTest, InitReplacesNoFileAndSaysWhich) {
  const std::string directory = FreshDirectory("init-twice");
  ASSERT_EQ(Attain({"init", "--out", directory, "--partners", "3"}).exit_code, 0);
  const std::string before = ReadFile(directory + "/partners.csv");
  const Result again = Attain({"init", "--out", directory, "--partners", "5"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr(directory + "/partners.csv already exists"));
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(ReadFile(directory + "/partners.csv"), before);
}

TEST_F(InitEndToEndTest, InitRefusesBadFlags) {
  const std::string directory = FreshDirectory("init-bad");
  const Result zero = Attain({"init", "--out", directory, "--partners", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_THAT(zero.err, HasSubstr("--partners: expected a whole number from 1 to 10000, got 0"));
  const Result too_many = Attain({"init", "--out", directory, "--partners", "10001"});
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_THAT(too_many.err, HasSubstr("got 10001"));
  const Result no_out = Attain({"init"});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_THAT(no_out.err, HasSubstr("init: missing --out DIR"));
  const Result simulation_flag = Attain({"init", "--out", directory, "--paths", "100"});
  EXPECT_EQ(simulation_flag.exit_code, 2);
  EXPECT_THAT(simulation_flag.err, HasSubstr("init: the simulation flags"));
  const Result elsewhere = Attain({"simulate", kGuide + "partners.csv", "--partners", "3"});
  EXPECT_EQ(elsewhere.exit_code, 2);
  EXPECT_THAT(elsewhere.err, HasSubstr("--partners: only for attain init, not simulate"));
  EXPECT_FALSE(std::filesystem::exists(directory)) << "a refused init writes nothing";
}

TEST_F(InitEndToEndTest, TheGuidesExampleIsReachableButNotCertain) {
  const Result simulated = Attain({"simulate", kGuide + "partners.csv", "--portfolio-json",
                                   kGuide + "portfolio-meta.json", "--seed", "7", "--json"});
  ASSERT_EQ(simulated.exit_code, 0) << simulated.err;
  const v1::SimulateResponse response = ParseSimulateResponse(simulated.out);
  const v1::PlanOutcome& outcome = response.outcome();
  EXPECT_EQ(outcome.partners_size(), 12);
  EXPECT_EQ(outcome.period_length(), v1::PERIOD_LENGTH_QUARTER);
  EXPECT_GT(outcome.attainment_probability(), 0.2);
  EXPECT_LT(outcome.attainment_probability(), 0.95);
  EXPECT_FALSE(outcome.over_capacity());
  // The example teaches from its partners' own parameters, and its figures are per
  // quarter: no sanity warning.
  EXPECT_EQ(response.warnings_size(), 0) << simulated.out;
}

TEST_F(InitEndToEndTest, TheGuidesPlanFitsAndBeatsTheCurrentTiers) {
  // docs/guide.md compares examples/guide/my-plan.json with the current tiers and says it
  // gains, within the capacity.
  const Result compared =
      Attain({"compare", kGuide + "partners.csv", kGuide + "my-plan.json", "--portfolio-json",
              kGuide + "portfolio-meta.json", "--seed", "7", "--json"});
  ASSERT_EQ(compared.exit_code, 0) << compared.err;
  v1::ComparePlansResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(compared.out, &response).ok())
      << compared.out;
  ASSERT_EQ(response.outcomes_size(), 2);
  EXPECT_EQ(response.outcomes(1).plan_name(), "grow meridian");
  EXPECT_FALSE(response.outcomes(1).over_capacity());
  ASSERT_EQ(response.differences_size(), 1);
  EXPECT_GT(response.differences(0).attainment_probability_difference_interval().low(), 0);
}

}  // namespace
}  // namespace attain
