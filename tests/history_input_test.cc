// attain calibrate's inputs: the history CSV (columns, periods, numbers, every bad input
// named by file, line and column), the base portfolio's partners against it, and server
// violations pointed back at the file.
#include "clients/cli/history_input.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace attain::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kHeader[] = "partner_id,period,revenue,hours\n";

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path =
      ::testing::TempDir() + "history_input_test_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

ParsedHistory Parse(const std::string& csv) {
  absl::StatusOr<ParsedHistory> parsed = ParseHistoryCsv(csv, "history.csv");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *std::move(parsed) : ParsedHistory();
}

// The error message of CSV that must not parse.
std::string ErrorOf(const std::string& csv) {
  const absl::StatusOr<ParsedHistory> parsed = ParseHistoryCsv(csv, "history.csv");
  EXPECT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

// Two partners over three months.
std::string GoodRows() {
  return "a,2025-01,100,1\n"
         "b,2025-01,200,0\n"
         "a,2025-02,110,2\n"
         "b,2025-02,210,0\n"
         "a,2025-03,120,3\n"
         "b,2025-03,220,4\n";
}

TEST(HistoryCsvTest, ReadsRowsWithTheirLines) {
  const ParsedHistory parsed = Parse(absl::StrCat(kHeader, GoodRows()));
  ASSERT_EQ(parsed.rows.size(), 6u);
  EXPECT_EQ(parsed.rows[1].partner_id(), "b");
  EXPECT_EQ(parsed.rows[1].period(), "2025-01");
  EXPECT_EQ(parsed.rows[1].revenue(), 200);
  EXPECT_EQ(parsed.rows[4].hours(), 3);
  EXPECT_EQ(parsed.lines, (std::vector<int>{2, 3, 4, 5, 6, 7}));
}

TEST(HistoryCsvTest, OptionalColumnsAnyOrderAndExtraColumnsIgnored) {
  const ParsedHistory parsed =
      Parse("Region,hours,Name,revenue,Partner ID,segment,period,owner\n"
            "west,2,Acme Systems,100,acme,enterprise,1,kim\n"
            "west,3,\"Acme, Inc.\",120,acme,enterprise,2,kim\n");
  ASSERT_EQ(parsed.rows.size(), 2u);
  EXPECT_EQ(parsed.rows[0].partner_id(), "acme");
  EXPECT_EQ(parsed.rows[0].name(), "Acme Systems");
  EXPECT_EQ(parsed.rows[1].name(), "Acme, Inc.");
  EXPECT_EQ(parsed.rows[0].segment(), "enterprise");
  EXPECT_EQ(parsed.rows[1].hours(), 3);
  EXPECT_EQ(parsed.rows[1].revenue(), 120);
}

TEST(HistoryCsvTest, PeriodsAsNumbersMonthsOrDates) {
  EXPECT_EQ(Parse(absl::StrCat(kHeader, "a,1,1,0\na,2,1,0\na,3,1,0\n")).rows.size(), 3u);
  EXPECT_EQ(Parse(absl::StrCat(kHeader, "a,2024-12,1,0\na,2025-01,1,0\n")).rows.size(), 2u);
  // A date counts as its month: the periods are 2024-02 and 2024-03.
  const ParsedHistory dates =
      Parse(absl::StrCat(kHeader, "a,2024-02-29,1,0\na,2024-03-01,1,0\n"));
  ASSERT_EQ(dates.rows.size(), 2u);
  EXPECT_EQ(dates.rows[0].period(), "2024-02-29");  // sent as written; the server reads it
}

TEST(HistoryCsvTest, ShuffledRowsGiveTheSameRows) {
  std::vector<std::string> lines = absl::StrSplit(GoodRows(), '\n', absl::SkipEmpty());
  std::mt19937 random(3);
  std::shuffle(lines.begin(), lines.end(), random);
  const ParsedHistory ordered = Parse(absl::StrCat(kHeader, GoodRows()));
  const ParsedHistory shuffled = Parse(absl::StrCat(kHeader, absl::StrJoin(lines, "\n"), "\n"));
  auto key = [](const ParsedHistory& parsed) {
    std::vector<std::tuple<std::string, std::string, double, double>> rows;
    for (const v1::HistoryRow& row : parsed.rows) {
      rows.emplace_back(row.partner_id(), row.period(), row.revenue(), row.hours());
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  };
  EXPECT_EQ(key(ordered), key(shuffled));
  // Each row keeps its own line.
  for (size_t k = 0; k < shuffled.rows.size(); ++k) {
    EXPECT_EQ(lines[static_cast<size_t>(shuffled.lines[k] - 2)],
              absl::StrCat(shuffled.rows[k].partner_id(), ",", shuffled.rows[k].period(), ",",
                           shuffled.rows[k].revenue(), ",", shuffled.rows[k].hours()));
  }
}

TEST(HistoryCsvTest, NegativeRevenueNamesLineAndColumn) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,100,1\na,2,-5,1\n")),
            "history.csv line 3, column revenue: -5 is negative");
}

TEST(HistoryCsvTest, NegativeHoursNamesLineAndColumn) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,100,-2\n")),
            "history.csv line 2, column hours: -2 is negative");
}

TEST(HistoryCsvTest, NonFiniteOrMissingNumbersNameLineAndColumn) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,nan,1\n")),
            "history.csv line 2, column revenue: \"nan\" is not a finite number");
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,100,inf\n")),
            "history.csv line 2, column hours: \"inf\" is not a finite number");
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,12k,1\n")),
            "history.csv line 2, column revenue: \"12k\" is not a number");
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,100,\n")),
            "history.csv line 2, column hours: is empty (write 0 for none)");
}

TEST(HistoryCsvTest, EmptyPartnerIdNamesLineAndColumn) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, ",1,100,1\n")),
            "history.csv line 2, column partner_id: is empty");
}

TEST(HistoryCsvTest, UnknownPeriodFormatNamesLineAndColumn) {
  for (const char* period : {"July 2025", "2025/07", "2025-13", "2025-02-30", "Q3"}) {
    EXPECT_THAT(ErrorOf(absl::StrCat(kHeader, "a,2025-01,1,0\na,", period, ",1,0\n")),
                StartsWith(absl::StrCat("history.csv line 3, column period: \"", period,
                                        "\" is not a period")))
        << period;
  }
}

TEST(HistoryCsvTest, MixedPeriodKindsNameLineAndColumn) {
  EXPECT_THAT(ErrorOf(absl::StrCat(kHeader, "a,2025-01,1,0\na,2,1,0\n")),
              StartsWith("history.csv line 3, column period: \"2\" is a number, but line 2 "
                         "labels its period by month"));
}

TEST(HistoryCsvTest, DuplicatePartnerPeriodNamesBothLines) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,2025-01,1,0\nb,2025-01,1,0\na,2025-01-15,2,0\n")),
            "history.csv line 4, column period: repeats period 2025-01 of partner \"a\" "
            "(line 2)");
}

TEST(HistoryCsvTest, GapInPeriodsNamesTheLineAfterIt) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,2025-01,1,0\na,2025-02,1,0\na,2025-05,1,0\n")),
            "history.csv line 4, column period: periods are not consecutive: 2025-03 to "
            "2025-04 are missing (the rows jump from 2025-02 to 2025-05)");
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,3,1,0\na,1,1,0\n")),
            "history.csv line 2, column period: periods are not consecutive: 2 is missing "
            "(the rows jump from 1 to 3)");
}

TEST(HistoryCsvTest, APartnerWithoutARowForSomePeriodNamesItsFirstLine) {
  EXPECT_THAT(ErrorOf(absl::StrCat(kHeader, "a,1,1,0\nb,1,1,0\na,2,1,0\na,3,1,0\n")),
              StartsWith("history.csv line 3, column partner_id: partner \"b\" has no row for "
                         "periods 2, 3"));
}

TEST(HistoryCsvTest, EmptyFileAndHeaderOnly) {
  EXPECT_THAT(ErrorOf(""), StartsWith("history.csv line 1: the file is empty; expected a header"));
  EXPECT_THAT(ErrorOf("\n\n"), StartsWith("history.csv line 1: the file is empty"));
  EXPECT_THAT(ErrorOf(kHeader), StartsWith("history.csv line 1: only a header, no rows"));
}

TEST(HistoryCsvTest, MissingOrRepeatedColumnNamesTheColumn) {
  EXPECT_THAT(ErrorOf("partner_id,period,revenue\na,1,5\n"),
              StartsWith("history.csv line 1, column hours: missing from the header"));
  EXPECT_THAT(ErrorOf("partner_id,period,revenue,hours,Revenue\na,1,5,1,6\n"),
              StartsWith("history.csv line 1, column revenue: appears twice in the header "
                         "(columns 3 and 5)"));
}

TEST(HistoryCsvTest, ARowWithTooFewCellsNamesItsLine) {
  EXPECT_EQ(ErrorOf(absl::StrCat(kHeader, "a,1,100,1\na,2,100\n")),
            "history.csv line 3: 3 cells, but the header has 4 columns");
}

TEST(HistoryCsvTest, ManyErrorsAreListedThenCounted) {
  std::string csv = kHeader;
  for (int t = 1; t <= 25; ++t) absl::StrAppend(&csv, "a,", t, ",-1,0\n");
  const std::vector<std::string> lines = absl::StrSplit(ErrorOf(csv), '\n');
  ASSERT_EQ(lines.size(), kMaxListedErrors + 1);
  EXPECT_EQ(lines[0], "history.csv line 2, column revenue: -1 is negative");
  EXPECT_EQ(lines.back(), "... and 15 more");
}

TEST(HistoryInputTest, BaseWithAPartnerMissingFromTheHistoryNamesIt) {
  const std::string history = WriteTempFile("h.csv", absl::StrCat(kHeader, GoodRows()));
  const std::string base = WriteTempFile(
      "base.json", R"({"quota": 1000, "periods": 3, "partners": [
        {"id": "a", "tier": "TIER_INVEST"}, {"id": "zeta", "tier": "TIER_MAINTAIN"}]})");
  const absl::StatusOr<HistoryInput> input = ReadHistoryInput(history, base);
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(input.status().message(),
            absl::StrCat(base, " partners[1].id: partner \"zeta\" has no rows in ", history));
}

TEST(HistoryInputTest, ReadsTheHistoryAndTheBase) {
  const std::string history = WriteTempFile("h2.csv", absl::StrCat(kHeader, GoodRows()));
  const std::string base = WriteTempFile(
      "base2.json", R"({"quota": 1000, "periods": 3, "partners": [{"id": "b", "tier": "TIER_INVEST"}]})");
  const absl::StatusOr<HistoryInput> input = ReadHistoryInput(history, base);
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_EQ(input->request.rows_size(), 6);
  EXPECT_EQ(input->request.portfolio().partners(0).id(), "b");
  EXPECT_EQ(input->row_lines.size(), 6u);

  const absl::StatusOr<HistoryInput> alone = ReadHistoryInput(history, "");
  ASSERT_TRUE(alone.ok()) << alone.status();
  EXPECT_FALSE(alone->request.has_portfolio());

  EXPECT_EQ(ReadHistoryInput(history + ".missing", "").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadHistoryInput(history, history).status().code(),
            absl::StatusCode::kInvalidArgument);  // a base must be JSON
}

TEST(HistoryInputTest, ServerFieldsPointAtTheFiles) {
  HistoryInput input;
  input.history_path = "h.csv";
  input.base_path = "base.json";
  input.row_lines = {2, 3, 5};  // a quoted cell spans line 4
  EXPECT_EQ(LocateRequestField("rows[2].revenue", input), "h.csv line 5, column revenue");
  EXPECT_EQ(LocateRequestField("rows[0]", input), "h.csv line 2");
  EXPECT_EQ(LocateRequestField("rows", input), "h.csv rows");
  EXPECT_EQ(LocateRequestField("rows[9].hours", input), "rows[9].hours");  // not ours
  EXPECT_EQ(LocateRequestField("portfolio.partners[3].id", input), "base.json partners[3].id");
  input.base_path.clear();
  EXPECT_EQ(LocateRequestField("portfolio.quota", input), "portfolio.quota");
}

TEST(HistoryInputTest, ARejectionListsTheViolationsInTheFiles) {
  HistoryInput input;
  input.history_path = "h.csv";
  input.row_lines = {2, 3};
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("rows[1].segment");
  violation->set_description("differs from the segment of partner \"a\"'s earlier rows");
  google::rpc::Status details;
  details.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  details.add_details()->PackFrom(bad_request);
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "rows[1].segment: ...",
                            details.SerializeAsString());
  EXPECT_EQ(DescribeCalibrationError(status, input, "localhost:1", 60),
            "the server rejected the history:\n  h.csv line 3, column segment: differs from "
            "the segment of partner \"a\"'s earlier rows");
  EXPECT_THAT(DescribeCalibrationError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"), input,
                                       "localhost:1", 60),
              HasSubstr("server unavailable at localhost:1"));
}

}  // namespace
}  // namespace attain::cli
