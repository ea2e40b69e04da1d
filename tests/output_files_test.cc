// The CLI's output files: a history CSV that reads back exactly, plans that ReadPlan takes
// back, and exercise files that are written once, kept when the same exercise is written
// again, and never overwritten by another.
#include "clients/cli/output_files.h"

#include <cmath>
#include <filesystem>
#include <string>

#include "absl/strings/str_split.h"
#include "clients/cli/csv.h"
#include "clients/cli/history_input.h"
#include "clients/cli/portfolio_input.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/support/json_io.h"
#include "tests/test_support.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_support::ReadFile;
using testing_support::TempPath;
using testing_support::WriteTempFile;

v1::HistoryRow Row(const char* id, const char* name, const char* period, double revenue,
                   double hours) {
  v1::HistoryRow row;
  row.set_partner_id(id);
  row.set_name(name);
  row.set_segment("mid-market");
  row.set_period(period);
  row.set_revenue(revenue);
  row.set_hours(hours);
  return row;
}

TEST(HistoryCsvTest, ReadsBackAsTheSameRowsToTheLastBit) {
  google::protobuf::RepeatedPtrField<v1::HistoryRow> rows;
  // Names a CSV must quote: a comma, a quote, a line break, white space a reader trims.
  *rows.Add() = Row("a", "Acme, Inc.", "2025-11", 292288.82, 5.5);
  *rows.Add() = Row("b", "Say \"hi\"", "2025-11", 0.1 + 0.2, 0);
  *rows.Add() = Row("a", "Acme, Inc.", "2025-12", 1e12, 10000);
  *rows.Add() = Row("b", "Say \"hi\"", "2025-12", std::nextafter(1234.5, 2000.0), 0.5);
  *rows[1].mutable_name() = " two\nlines ";
  *rows[3].mutable_name() = " two\nlines ";

  const std::string csv = HistoryCsv(rows);
  EXPECT_THAT(csv, StartsWith("partner_id,name,segment,period,revenue,hours\n"
                              "a,\"Acme, Inc.\",mid-market,2025-11,292288.82,5.5\n"));
  EXPECT_THAT(csv, HasSubstr(",1000000000000,10000\n"));  // no exponents
  EXPECT_THAT(csv, HasSubstr(",0.30000000000000004,"));   // the shortest that reads back

  const absl::StatusOr<ParsedHistory> parsed = ParseHistoryCsv(csv, "history.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status() << "\n" << csv;
  ASSERT_EQ(parsed->rows.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(parsed->rows[k].partner_id(), rows[k].partner_id()) << k;
    EXPECT_EQ(parsed->rows[k].name(), rows[k].name()) << k;
    EXPECT_EQ(parsed->rows[k].segment(), rows[k].segment()) << k;
    EXPECT_EQ(parsed->rows[k].period(), rows[k].period()) << k;
    EXPECT_EQ(parsed->rows[k].revenue(), rows[k].revenue()) << k;  // exactly
    EXPECT_EQ(parsed->rows[k].hours(), rows[k].hours()) << k;
  }
}

TEST(WritePlanJsonTest, WritesAPlanReadPlanReadsBack) {
  v1::Plan plan;
  plan.set_name("recommended");
  (*plan.mutable_tiers())["acme"] = v1::TIER_MAINTAIN;
  (*plan.mutable_tiers())["cobalt"] = v1::TIER_INVEST;
  const std::string path = TempPath("written-plan.json");
  ASSERT_TRUE(WritePlanJson(plan, path).ok());
  EXPECT_THAT(ReadFile(path), HasSubstr("\"TIER_INVEST\""));
  const absl::StatusOr<v1::Plan> read = ReadPlan(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->name(), "recommended");
  EXPECT_EQ(read->tiers().at("acme"), v1::TIER_MAINTAIN);
  EXPECT_EQ(read->tiers().at("cobalt"), v1::TIER_INVEST);
  EXPECT_EQ(read->tiers_size(), 2);

  const absl::Status nowhere = WritePlanJson(plan, TempPath("no-such-dir/plan.json"));
  EXPECT_EQ(nowhere.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(nowhere.message(), HasSubstr("no such directory"));
}

v1::Exercise Exercise(double quota) {
  v1::Exercise exercise;
  exercise.set_id("1-1-abc-xy");
  v1::Portfolio* portfolio = exercise.mutable_portfolio();
  portfolio->set_quota(quota);
  portfolio->set_periods(12);
  portfolio->add_partners()->set_id("aspen");
  *exercise.add_history() = Row("aspen", "Aspen IT", "2025-12", 1234.56, 6);
  return exercise;
}

// A fresh directory path under the test's temporary directory (not created).
std::string FreshDirectory(const std::string& name) {
  const std::string directory = TempPath(name);
  std::filesystem::remove_all(directory);
  return directory;
}

TEST(WriteExerciseFilesTest, CreatesTheDirectoryAndWritesWhatTheReadersTakeBack) {
  const std::string directory = FreshDirectory("exercise-new") + "/nested";
  ASSERT_TRUE(WriteExerciseFiles(Exercise(1e6), directory).ok());
  const ExerciseFiles files = ExerciseFilesIn(directory);
  EXPECT_EQ(files.portfolio, directory + "/portfolio.json");
  EXPECT_EQ(files.history, directory + "/history.csv");
  const absl::StatusOr<v1::Portfolio> portfolio = ReadPortfolioJson(files.portfolio);
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  EXPECT_EQ(portfolio->quota(), 1e6);
  EXPECT_EQ(portfolio->partners(0).id(), "aspen");
  EXPECT_EQ(ReadFile(files.history), HistoryCsv(Exercise(1e6).history()));
}

TEST(WriteExerciseFilesTest, TheSameExerciseAgainIsKeptAnotherIsRefusedAndWritesNothing) {
  const std::string directory = FreshDirectory("exercise-again");
  const ExerciseFiles files = ExerciseFilesIn(directory);
  ASSERT_TRUE(WriteExerciseFiles(Exercise(1e6), directory).ok());
  const std::string portfolio = ReadFile(files.portfolio);
  const std::string history = ReadFile(files.history);
  ASSERT_TRUE(WriteExerciseFiles(Exercise(1e6), directory).ok());

  const absl::Status other = WriteExerciseFiles(Exercise(2e6), directory);
  EXPECT_EQ(other.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsBadInput(other));
  EXPECT_THAT(other.message(), HasSubstr(files.portfolio + " already exists and holds something "
                                                           "else"));
  EXPECT_EQ(ReadFile(files.portfolio), portfolio);
  EXPECT_EQ(ReadFile(files.history), history);

  // A history of something else is refused before the missing portfolio is written.
  std::filesystem::remove(files.portfolio);
  ASSERT_TRUE(WriteTextFile(files.history, "partner_id,period,revenue,hours\naspen,1,5,0\n").ok());
  const absl::Status edited = WriteExerciseFiles(Exercise(1e6), directory);
  EXPECT_EQ(edited.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(edited.message(), HasSubstr(files.history));
  EXPECT_FALSE(std::filesystem::exists(files.portfolio));
}

TEST(WriteExerciseFilesTest, OtherFilesInTheDirectoryAreLeftAlone) {
  const std::string directory = FreshDirectory("exercise-shared");
  std::filesystem::create_directories(directory);
  ASSERT_TRUE(WriteTextFile(directory + "/plan.json", "{}").ok());
  ASSERT_TRUE(WriteExerciseFiles(Exercise(1e6), directory).ok());
  EXPECT_EQ(ReadFile(directory + "/plan.json"), "{}");
}

TEST(WriteExerciseFilesTest, ADirectoryThatIsAFileIsBadInput) {
  const std::string file = WriteTempFile("not-a-directory", "x");
  const absl::Status status = WriteExerciseFiles(Exercise(1e6), file);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(file + " exists and is not a directory"));
}

v1::PlanOutcome OutcomeWithPartners(const std::string& name) {
  v1::PlanOutcome outcome;
  outcome.set_plan_name(name);
  outcome.set_attainment_probability(0.625);
  outcome.mutable_attainment_interval()->set_low(0.6);
  outcome.mutable_attainment_interval()->set_high(0.65);
  outcome.set_expected_revenue(1234567.5);
  outcome.set_hours_used(17);
  outcome.set_capacity_hours(24);
  outcome.set_paths(2000);
  outcome.set_seed(7);
  for (const char* id : {"acme", "beta"}) {
    v1::PartnerOutcome* p = outcome.add_partners();
    p->set_partner_id(id);
    p->set_tier(v1::TIER_MAINTAIN);
    p->set_hours(6);
    p->set_expected_revenue(100000.25);
    p->mutable_engagement_uplift_interval()->set_low(-1.5);
  }
  return outcome;
}

TEST(ResultsCsvTest, ARowPerPlanAndPartnerWithNames) {
  v1::Portfolio portfolio;
  portfolio.add_partners()->set_id("acme");
  portfolio.mutable_partners(0)->set_name("Acme, Inc.");
  portfolio.add_partners()->set_id("beta");
  const v1::PlanOutcome current = OutcomeWithPartners("current tiers");
  const v1::PlanOutcome mine = OutcomeWithPartners("mine");
  const std::string csv = PartnerResultsCsv({&current, &mine}, portfolio);
  const std::vector<std::string> lines = absl::StrSplit(csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u);  // the header, two plans of two partners
  EXPECT_THAT(lines[0], StartsWith("plan,partner_id,name,tier,hours_per_period,"));
  EXPECT_EQ(lines[1],
            "current tiers,acme,\"Acme, Inc.\",MAINTAIN,6,100000.25,0,0,-1.5,0,0,0,0,0,0");
  EXPECT_THAT(lines[2], StartsWith("current tiers,beta,,MAINTAIN,"));
  EXPECT_THAT(lines[4], StartsWith("mine,beta,"));
  // Every row has as many cells as the header (SplitCsv reads the quoted comma as text).
  const absl::StatusOr<std::vector<CsvRecord>> records = SplitCsv(csv, "results.csv");
  ASSERT_TRUE(records.ok()) << records.status();
  for (const CsvRecord& record : *records) {
    EXPECT_EQ(record.cells.size(), (*records)[0].cells.size()) << "line " << record.line;
  }
}

TEST(ResultsCsvTest, ARowPerPlanBesideIt) {
  const v1::PlanOutcome current = OutcomeWithPartners("current tiers");
  const std::vector<std::string> lines =
      absl::StrSplit(PlanResultsCsv({&current}), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], StartsWith("plan,attainment_probability,attainment_low,"));
  EXPECT_THAT(lines[1], StartsWith("current tiers,0.625,0.6,0.65,1234567.5,"));
  EXPECT_THAT(lines[1], testing::EndsWith(",17,24,false,2000,7"));
  EXPECT_EQ(PlanResultsPath("out/results.csv"), "out/results-plans.csv");
  EXPECT_EQ(PlanResultsPath("results.csv"), "results-plans.csv");

  const std::string path = TempPath("results.csv");
  ASSERT_TRUE(WriteResultsCsv(path, {&current}, v1::Portfolio()).ok());
  EXPECT_THAT(ReadFile(path), StartsWith("plan,partner_id,"));
  EXPECT_THAT(ReadFile(PlanResultsPath(path)), StartsWith("plan,attainment_probability,"));
}

}  // namespace
}  // namespace attain::cli
