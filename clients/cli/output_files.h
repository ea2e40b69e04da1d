// Writing the attain CLI's output files: the recommended plan (recommend --out), a
// training exercise's portfolio and history (exercise new --out DIR), in the forms the
// CLI's readers take back (ReadPlan, ReadPortfolio, ReadHistoryInput), and results for
// spreadsheets (--csv). Each file is
// written whole or not at all: to a temporary file beside it, then renamed over it.
//
// Errors: INVALID_ARGUMENT (bad input, IsBadInput: the CLI exits 2) when the --out
// directory cannot take the exercise (it is a file, or a file there holds something
// else); NOT_FOUND when a file's directory does not exist; UNKNOWN when a file or
// directory cannot be written. Thread-compatible; two processes writing the same files
// race.
#ifndef ATTAIN_CLIENTS_CLI_OUTPUT_FILES_H_
#define ATTAIN_CLIENTS_CLI_OUTPUT_FILES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "attain/v1/calibration.pb.h"
#include "attain/v1/coaching.pb.h"
#include "attain/v1/portfolio.pb.h"
#include "attain/v1/simulation.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace attain::cli {

// Writes `plan` as protobuf JSON (indented, lowerCamelCase names) to `path`.
absl::Status WritePlanJson(const v1::Plan& plan, const std::string& path);

// `rows` as the CSV `attain calibrate` reads: the header partner_id,name,segment,period,
// revenue,hours, then a line per row in their order. Numbers are the shortest decimals
// that read back as the same doubles, without exponents; a cell with a comma, a quote, a
// line break or surrounding white space is quoted ("" for a quote inside).
std::string HistoryCsv(const google::protobuf::RepeatedPtrField<v1::HistoryRow>& rows);

// Results for spreadsheets (--csv FILE.csv), CSV as HistoryCsv writes it:
//   - PartnerResultsCsv: a row per plan and partner (in the outcomes' and the
//     portfolio's order): plan, partner_id, name (from `portfolio`), tier,
//     hours_per_period, expected_revenue, unassisted_expected_revenue, engagement_uplift
//     with its 95% interval, uplift_per_hour, dormancy_probability, revenue_share,
//     revenue_p10, revenue_p90;
//   - PlanResultsCsv: a row per plan: P(attain) with its interval, expected revenue and
//     its standard error, the revenue percentiles, expected shortfall, the same without
//     the manager's hours, hours used and capacity, paths and seed.
std::string PartnerResultsCsv(const std::vector<const v1::PlanOutcome*>& outcomes,
                              const v1::Portfolio& portfolio);
std::string PlanResultsCsv(const std::vector<const v1::PlanOutcome*>& outcomes);

// "results-plans.csv" for "results.csv": where WriteResultsCsv puts the per-plan rows.
std::string PlanResultsPath(const std::string& csv_path);

// Writes PartnerResultsCsv to `csv_path` and PlanResultsCsv to PlanResultsPath(csv_path).
absl::Status WriteResultsCsv(const std::string& csv_path,
                             const std::vector<const v1::PlanOutcome*>& outcomes,
                             const v1::Portfolio& portfolio);

// Where exercise new writes an exercise in `directory`.
struct ExerciseFiles {
  std::string portfolio;  // directory/portfolio.json
  std::string history;    // directory/history.csv
};
ExerciseFiles ExerciseFilesIn(const std::string& directory);

// Writes exercise.portfolio (WritePortfolioJson) and HistoryCsv(exercise.history) to
// ExerciseFilesIn(directory), creating the directory (and its parents) if missing. A file
// already there that holds the same (the same portfolio message; the same bytes of
// history) is kept, so that running exercise new again is harmless; if either holds
// anything else, INVALID_ARGUMENT naming it, and nothing is written. Other files in the
// directory are left alone.
absl::Status WriteExerciseFiles(const v1::Exercise& exercise, const std::string& directory);

}  // namespace attain::cli

#endif  // ATTAIN_CLIENTS_CLI_OUTPUT_FILES_H_
