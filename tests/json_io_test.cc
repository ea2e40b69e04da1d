// Reading portfolios from protobuf JSON files (proto/support/json_io.h): the project's
// example and workload files, field names, and the errors for bad JSON and bad paths.
#include "proto/support/json_io.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace attain {
namespace {

// Writes `text` to a file in the test's temporary directory and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::filesystem::path path = std::filesystem::path(testing::TempDir()) / name;
  std::ofstream(path) << text;
  return path.string();
}

// ---------------------------------------------------------------------------------------
// Moved from convert_test.cc.

TEST(ReadPortfolioJsonTest, ReadsAJsonPortfolio) {
  const std::string path = WriteTempFile(
      "small_portfolio.json",
      R"({"currency": "USD", "periods": 2, "partners": [{"id": "P1", "tier": "TIER_INVEST",)"
      R"( "baselineRevenue": 100, "response": {"rampPeriods": 0}}]})");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(proto->currency(), "USD");
  EXPECT_EQ(proto->periods(), 2);
  ASSERT_EQ(proto->partners_size(), 1);
  EXPECT_EQ(proto->partners(0).tier(), v1::TIER_INVEST);
  EXPECT_TRUE(proto->partners(0).response().has_ramp_periods());
  EXPECT_FALSE(proto->partners(0).has_volatility());
}

TEST(ReadPortfolioJsonTest, MalformedJsonIsInvalidArgumentNamingTheFile) {
  const std::string path = WriteTempFile("malformed_portfolio.json", R"({"periods": 4,)");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kInvalidArgument) << proto.status();
  EXPECT_NE(proto.status().message().find(path), std::string::npos) << proto.status();
}

TEST(ReadPortfolioJsonTest, UnknownFieldIsInvalidArgument) {
  const std::string path = WriteTempFile("unknown_field.json", R"({"periodz": 4})");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kInvalidArgument) << proto.status();
}

TEST(ReadPortfolioJsonTest, DirectoryIsNotFound) {
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(testing::TempDir());
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kNotFound) << proto.status();
}

TEST(ReadPortfolioJsonTest, MissingFileIsNotFound) {
  const std::string path =
      (std::filesystem::path(testing::TempDir()) / "no_such_portfolio.json").string();
  std::filesystem::remove(path);
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kNotFound) << proto.status();
  EXPECT_NE(proto.status().message().find(path), std::string::npos) << proto.status();
}

// ---------------------------------------------------------------------------------------
// The project's own files.

TEST(ReadPortfolioJsonTest, EveryWorkloadParses) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ATTAIN_WORKLOADS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(entry.path().string());
    ASSERT_TRUE(proto.ok()) << proto.status();
    EXPECT_GT(proto->partners_size(), 0);
    EXPECT_GT(proto->periods(), 0);
  }
  EXPECT_GT(files, 0) << "no *.json in " << ATTAIN_WORKLOADS_DIR;
}

TEST(ReadPortfolioJsonTest, ReadsTheExamplePortfolioAsWritten) {
  const absl::StatusOr<v1::Portfolio> proto =
      ReadPortfolioJson(std::string(ATTAIN_SOURCE_DIR) + "/examples/portfolio.json");
  ASSERT_TRUE(proto.ok()) << proto.status();
  // The figures at the top of examples/portfolio.json.
  EXPECT_EQ(proto->channel_manager_id(), "cm-example");
  EXPECT_EQ(proto->currency(), "USD");
  EXPECT_EQ(proto->quota(), 4'200'000);
  EXPECT_EQ(proto->periods(), 4);
  EXPECT_EQ(proto->capacity_hours(), 60);
  EXPECT_EQ(proto->tier_policy().invest_hours(), 16);
  ASSERT_EQ(proto->seasonality_size(), 4);
  EXPECT_EQ(proto->seasonality(3), 1.1);
  EXPECT_EQ(proto->segment_correlation(), 0.15);
  ASSERT_GT(proto->partners_size(), 0);
  EXPECT_EQ(proto->partners(0).id(), "acme");
  EXPECT_EQ(proto->partners(0).tier(), v1::TIER_MAINTAIN);
  EXPECT_EQ(proto->partners(0).baseline_revenue(), 310'000);
}

TEST(ReadPortfolioJsonTest, ReadsAPortfolioWithoutPartners) {
  // examples/portfolio-meta.json: the portfolio-level fields for a CSV of partners.
  const absl::StatusOr<v1::Portfolio> proto =
      ReadPortfolioJson(std::string(ATTAIN_SOURCE_DIR) + "/examples/portfolio-meta.json");
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(proto->partners_size(), 0);
  EXPECT_EQ(proto->quota(), 4'200'000);
}

TEST(ReadPortfolioJsonTest, APlanFileIsNotAPortfolio) {
  const std::string path = std::string(ATTAIN_SOURCE_DIR) + "/examples/plan-invest-cobalt.json";
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kInvalidArgument) << proto.status();
  EXPECT_NE(proto.status().message().find("attain.v1.Portfolio"), std::string::npos)
      << proto.status();
}

// ---------------------------------------------------------------------------------------
// The JSON mapping.

TEST(ReadPortfolioJsonTest, AcceptsProtoFieldNamesAsWellAsJsonNames) {
  const std::string path = WriteTempFile(
      "proto_names.json",
      R"({"capacity_hours": 12.5, "segment_correlation": 0.1, "partners": [{"id": "P1",)"
      R"( "baseline_revenue": 250, "hours_override": 3, "tier": "TIER_MAINTAIN"}]})");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(proto->capacity_hours(), 12.5);
  EXPECT_EQ(proto->segment_correlation(), 0.1);
  ASSERT_EQ(proto->partners_size(), 1);
  EXPECT_EQ(proto->partners(0).baseline_revenue(), 250);
  EXPECT_EQ(proto->partners(0).hours_override(), 3);
}

TEST(ReadPortfolioJsonTest, ReadsEnumsByNumberToo) {
  const std::string path =
      WriteTempFile("enum_number.json", R"({"partners": [{"id": "P1", "tier": 3}]})");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(proto->partners(0).tier(), v1::TIER_OPPORTUNISTIC);
}

TEST(ReadPortfolioJsonTest, AnUnknownEnumNameIsInvalidArgument) {
  const std::string path =
      WriteTempFile("enum_name.json", R"({"partners": [{"id": "P1", "tier": "TIER_GOLD"}]})");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kInvalidArgument) << proto.status();
}

TEST(ReadPortfolioJsonTest, AWrongTypeIsInvalidArgumentNamingTheFile) {
  const std::string path = WriteTempFile("wrong_type.json", R"({"periods": "four"})");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kInvalidArgument) << proto.status();
  EXPECT_NE(proto.status().message().find(path), std::string::npos) << proto.status();
}

TEST(ReadPortfolioJsonTest, AnEmptyFileIsInvalidArgument) {
  const std::string path = WriteTempFile("empty.json", "");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kInvalidArgument) << proto.status();
}

TEST(ReadPortfolioJsonTest, AnEmptyObjectIsAnEmptyPortfolio) {
  const std::string path = WriteTempFile("empty_object.json", "{}");
  const absl::StatusOr<v1::Portfolio> proto = ReadPortfolioJson(path);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(proto->partners_size(), 0);
  EXPECT_EQ(proto->periods(), 0);
}

TEST(WritePortfolioJsonTest, WritesWhatReadPortfolioJsonReadsBack) {
  v1::Portfolio portfolio;
  portfolio.set_quota(1e6);
  portfolio.set_periods(4);
  v1::Partner* partner = portfolio.add_partners();
  partner->set_id("acme");
  partner->set_growth_rate(0);  // explicitly set: written, although 0
  partner->mutable_errors()->set_max_lift(0.12);
  const std::string path =
      (std::filesystem::path(testing::TempDir()) / "written_portfolio.json").string();
  std::ofstream(path) << "old";
  ASSERT_TRUE(WritePortfolioJson(portfolio, path).ok());
  const absl::StatusOr<v1::Portfolio> read = ReadPortfolioJson(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), portfolio.SerializeAsString());
  EXPECT_TRUE(read->partners(0).has_growth_rate());
  // Nothing is left beside it.
  for (const auto& entry : std::filesystem::directory_iterator(testing::TempDir())) {
    EXPECT_EQ(entry.path().string().find("written_portfolio.json.tmp"), std::string::npos);
  }
}

TEST(WritePortfolioJsonTest, AMissingDirectoryIsNotFoundAndWritesNothing) {
  const std::string path =
      (std::filesystem::path(testing::TempDir()) / "no_such_dir" / "p.json").string();
  const absl::Status status = WritePortfolioJson(v1::Portfolio(), path);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(status.message().find("no_such_dir"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace attain
