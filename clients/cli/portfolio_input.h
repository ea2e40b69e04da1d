// Reading the attain CLI's inputs: portfolios from protobuf JSON (attain.v1.Portfolio) or
// CSV (one partner per row), portfolio-level settings from a JSON file and flags, and
// plans from protobuf JSON (attain.v1.Plan).
//
// CSV: the first line that is not a `#` note is a header naming partner fields as in the
// JSON mapping, by proto name (`baseline_revenue`) or JSON name (`baselineRevenue`), nested
// fields with dots (`response.max_lift`, `deals.meanDealSize`), enums by value name
// (`TIER_INVEST`, `invest`). An
// empty cell leaves the field unset, so the service applies its default. Cells may be
// quoted ("Acme, Inc."; "" inside quotes is one quote) and may then span lines.
//
// Errors: INVALID_ARGUMENT for malformed content, naming the file and the line and
// column (CSV) or protobuf's parse error (JSON); NOT_FOUND when a file cannot be read.
// Both are bad input (IsBadInput). Pure functions apart from reading files; thread-safe.
#ifndef ATTAIN_CLIENTS_CLI_PORTFOLIO_INPUT_H_
#define ATTAIN_CLIENTS_CLI_PORTFOLIO_INPUT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "attain/v1/portfolio.pb.h"

namespace attain::cli {

// Portfolio-level values given on the command line; each set one replaces the file's.
struct PortfolioOverrides {
  std::optional<double> quota;
  std::optional<int32_t> periods;
  std::optional<double> capacity_hours;
  std::optional<std::string> currency;
  std::optional<double> segment_correlation;
};

// Where a portfolio comes from.
struct PortfolioSource {
  // PORTFOLIO: attain.v1.Portfolio JSON if it ends in ".json", partners CSV if ".csv".
  std::string path;
  // Optional attain.v1.Portfolio JSON without partners giving the portfolio-level
  // values of a CSV portfolio (--portfolio-json). Not allowed with a JSON portfolio,
  // which carries its own.
  std::string settings_path;
  PortfolioOverrides overrides;
};

// Where a CSV portfolio's partners and columns are in its file.
struct CsvPortfolioMap {
  std::string path;                       // "" for a JSON portfolio
  std::vector<int> partner_lines;         // the line of partners[i]
  std::map<std::string, size_t> columns;  // 1-based column by field ("response.max_lift")
  std::map<std::string, std::string> headers;  // the header text by field
};

// Reads the portfolio described by `source`, applying its overrides last; with a CSV
// portfolio, fills `csv` (if given) with where its partners are.
absl::StatusOr<v1::Portfolio> ReadPortfolio(const PortfolioSource& source,
                                            CsvPortfolioMap* csv = nullptr);

// Parses partners CSV text. `source_name` (usually the path) prefixes error messages and
// becomes csv->path.
absl::StatusOr<std::vector<v1::Partner>> ParsePartnersCsv(absl::string_view text,
                                                          absl::string_view source_name,
                                                          CsvPortfolioMap* csv = nullptr);

// A server's violation field of a CSV portfolio ("portfolio.partners[1].volatility") at
// its place in the CSV ("p.csv:3: column 4 \"volatility\""; "p.csv:3: volatility" for a
// field the CSV has no column of); other fields as they are.
std::string LocateCsvField(const std::string& field, const CsvPortfolioMap& csv);

// Reads a portfolio-level settings file: an attain.v1.Portfolio JSON without partners.
absl::StatusOr<v1::Portfolio> ReadPortfolioSettings(const std::string& path);

// Sets every value `overrides` has on `portfolio`.
void ApplyOverrides(const PortfolioOverrides& overrides, v1::Portfolio& portfolio);

// Reads an attain.v1.Plan JSON file. A plan without a name is named after the file
// (".../plan-invest-cobalt.json" -> "plan-invest-cobalt") so results say which it was.
absl::StatusOr<v1::Plan> ReadPlan(const std::string& path);

// True for the errors this unit returns for bad files: the CLI exits 2 on them.
bool IsBadInput(const absl::Status& status);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_PORTFOLIO_INPUT_H_
