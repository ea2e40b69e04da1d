#include "clients/cli/output_files.h"

#include <charconv>
#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "clients/cli/csv.h"
#include "google/protobuf/util/message_differencer.h"
#include "proto/support/json_io.h"

namespace attain::cli {
namespace {

// A CSV cell that SplitCsv (csv.h) reads back as `text`: it trims unquoted cells, and a
// quote opens a quoted cell.
std::string CsvCell(absl::string_view text) {
  const bool quote =
      text.find_first_of(",\"\r\n") != absl::string_view::npos ||
      (!text.empty() && (absl::ascii_isspace(static_cast<unsigned char>(text.front())) ||
                         absl::ascii_isspace(static_cast<unsigned char>(text.back()))));
  if (!quote) return std::string(text);
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The shortest decimal that reads back as `value`, in fixed notation (a spreadsheet or a
// person reads "1200000" more easily than "1.2e+06").
std::string ExactNumber(double value) {
  // The longest fixed form of a double: 5e-324 is "0." and 324 more digits.
  char buffer[400];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, result.ptr);
}

enum class Existing { kMissing, kSame, kDifferent };

Existing PortfolioFileHolds(const std::string& path, const v1::Portfolio& portfolio) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Existing::kMissing;
  const absl::StatusOr<v1::Portfolio> existing = ReadPortfolioJson(path);
  return existing.ok() && google::protobuf::util::MessageDifferencer::Equals(*existing, portfolio)
             ? Existing::kSame
             : Existing::kDifferent;
}

Existing TextFileHolds(const std::string& path, const std::string& text) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Existing::kMissing;
  const absl::StatusOr<std::string> existing = ReadTextFile(path);
  return existing.ok() && *existing == text ? Existing::kSame : Existing::kDifferent;
}

absl::Status HoldsSomethingElse(const std::string& path) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--out: ", path,
      " already exists and holds something else (another exercise?); nothing was written: "
      "choose another directory, or remove the file"));
}

}  // namespace

absl::Status WritePlanJson(const v1::Plan& plan, const std::string& path) {
  return WriteMessageJson(plan, path);
}

std::string HistoryCsv(const google::protobuf::RepeatedPtrField<v1::HistoryRow>& rows) {
  std::string csv = "partner_id,name,segment,period,revenue,hours\n";
  for (const v1::HistoryRow& row : rows) {
    absl::StrAppend(&csv, CsvCell(row.partner_id()), ",", CsvCell(row.name()), ",",
                    CsvCell(row.segment()), ",", CsvCell(row.period()), ",",
                    ExactNumber(row.revenue()), ",", ExactNumber(row.hours()), "\n");
  }
  return csv;
}

ExerciseFiles ExerciseFilesIn(const std::string& directory) {
  const std::filesystem::path dir(directory);
  return {(dir / "portfolio.json").string(), (dir / "history.csv").string()};
}

absl::Status WriteExerciseFiles(const v1::Exercise& exercise, const std::string& directory) {
  std::error_code error;
  if (std::filesystem::exists(directory, error) &&
      !std::filesystem::is_directory(directory, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--out: ", directory, " exists and is not a directory"));
  }
  std::filesystem::create_directories(directory, error);
  if (error) {
    return absl::UnknownError(
        absl::StrCat("cannot create the directory ", directory, ": ", error.message()));
  }
  const ExerciseFiles files = ExerciseFilesIn(directory);
  const std::string history = HistoryCsv(exercise.history());
  // Both checked before either is written: a refusal writes nothing.
  const Existing portfolio_file = PortfolioFileHolds(files.portfolio, exercise.portfolio());
  const Existing history_file = TextFileHolds(files.history, history);
  if (portfolio_file == Existing::kDifferent) return HoldsSomethingElse(files.portfolio);
  if (history_file == Existing::kDifferent) return HoldsSomethingElse(files.history);
  if (portfolio_file == Existing::kMissing) {
    if (absl::Status written = WritePortfolioJson(exercise.portfolio(), files.portfolio);
        !written.ok()) {
      return written;
    }
  }
  if (history_file == Existing::kMissing) return WriteTextFile(files.history, history);
  return absl::OkStatus();
}

}  // namespace attain::cli
