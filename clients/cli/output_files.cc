#include "clients/cli/output_files.h"

#include <charconv>
#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "clients/cli/csv.h"
#include "clients/cli/report_parts.h"
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

std::string PartnerResultsCsv(const std::vector<const v1::PlanOutcome*>& outcomes,
                              const v1::Portfolio& portfolio) {
  const PartnerNames names = NamesOf(portfolio);  // full names: a spreadsheet cuts nothing
  std::string csv =
      "plan,partner_id,name,tier,hours_per_period,expected_revenue,"
      "unassisted_expected_revenue,engagement_uplift,engagement_uplift_low,"
      "engagement_uplift_high,uplift_per_hour,dormancy_probability,revenue_share,revenue_p10,"
      "revenue_p90\n";
  for (const v1::PlanOutcome* outcome : outcomes) {
    for (const v1::PartnerOutcome& p : outcome->partners()) {
      const auto name = names.find(p.partner_id());
      absl::StrAppend(
          &csv, CsvCell(outcome->plan_name()), ",", CsvCell(p.partner_id()), ",",
          CsvCell(name == names.end() ? "" : name->second), ",",
          absl::StripPrefix(v1::Tier_Name(p.tier()), "TIER_"), ",", ExactNumber(p.hours()), ",",
          ExactNumber(p.expected_revenue()), ",", ExactNumber(p.unassisted_expected_revenue()),
          ",", ExactNumber(p.engagement_uplift()), ",",
          ExactNumber(p.engagement_uplift_interval().low()), ",",
          ExactNumber(p.engagement_uplift_interval().high()), ",",
          ExactNumber(p.uplift_per_hour()), ",", ExactNumber(p.dormancy_probability()), ",",
          ExactNumber(p.revenue_share()), ",", ExactNumber(p.revenue_p10()), ",",
          ExactNumber(p.revenue_p90()), "\n");
    }
  }
  return csv;
}

std::string PlanResultsCsv(const std::vector<const v1::PlanOutcome*>& outcomes) {
  std::string csv =
      "plan,attainment_probability,attainment_low,attainment_high,expected_revenue,"
      "expected_revenue_std_error,revenue_p5,revenue_p10,revenue_p25,revenue_p50,revenue_p75,"
      "revenue_p90,revenue_p95,expected_shortfall,unassisted_expected_revenue,"
      "unassisted_attainment_probability,hours_used,capacity_hours,over_capacity,paths,seed\n";
  for (const v1::PlanOutcome* o : outcomes) {
    const v1::RevenuePercentiles& p = o->revenue_percentiles();
    absl::StrAppend(
        &csv, CsvCell(o->plan_name()), ",", ExactNumber(o->attainment_probability()), ",",
        ExactNumber(o->attainment_interval().low()), ",",
        ExactNumber(o->attainment_interval().high()), ",", ExactNumber(o->expected_revenue()),
        ",", ExactNumber(o->expected_revenue_std_error()), ",", ExactNumber(p.p5()), ",",
        ExactNumber(p.p10()), ",", ExactNumber(p.p25()), ",", ExactNumber(p.p50()), ",",
        ExactNumber(p.p75()), ",", ExactNumber(p.p90()), ",", ExactNumber(p.p95()), ",",
        ExactNumber(o->expected_shortfall()), ",", ExactNumber(o->unassisted_expected_revenue()),
        ",", ExactNumber(o->unassisted_attainment_probability()), ",",
        ExactNumber(o->hours_used()), ",", ExactNumber(o->capacity_hours()), ",",
        o->over_capacity() ? "true" : "false", ",", o->paths(), ",", o->seed(), "\n");
  }
  return csv;
}

std::string PlanResultsPath(const std::string& csv_path) {
  const std::filesystem::path path(csv_path);
  return (path.parent_path() / absl::StrCat(path.stem().string(), "-plans.csv")).string();
}

absl::Status WriteResultsCsv(const std::string& csv_path,
                             const std::vector<const v1::PlanOutcome*>& outcomes,
                             const v1::Portfolio& portfolio) {
  if (absl::Status written = WriteTextFile(csv_path, PartnerResultsCsv(outcomes, portfolio));
      !written.ok()) {
    return written;
  }
  return WriteTextFile(PlanResultsPath(csv_path), PlanResultsCsv(outcomes));
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
